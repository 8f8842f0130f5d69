"""``ijwcli verlenging``: outcome of an extension or change request under regional agreements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ijwcli.cli import (
    FormatOption,
    TodayOption,
    app,
    console,
    emit_json,
    err_console,
    handle_errors,
    parse_date,
)
from ijwcli.errors import FileError, UsageError

_D = "JJJJ-MM-DD"
_LABELS = {
    "jeugdhulp_loopt": "jeugdhulp loopt op peildatum",
    "looptijd_verlenging": "looptijd verlenging (maanden)",
    "volume_verlenging": "volume verlenging",
    "maximaal_volume_na_verkorting": "maximum volume na verkorting",
    "eenmalig_verschuiven": "eenmalig verschuiven",
    "verschuiving_einddatum": "verschuiving einddatum (maanden)",
    "verwijzer_jw317": "verwijzer mag JW317 sturen",
    "terugval_binnen_maanden": "hervatting binnen (maanden)",
    "overlap_trajecten": "einde lopend traject uiterlijk",
    "einddatum_niet_verstreken": "einddatum nog niet voorbij (peildatum)",
    "totaal_gelijk": "totaal individueel + groep gelijk",
    "einde_groep_uiterlijk": "einde groepsproduct uiterlijk",
    "groepsproduct": "groepsproduct bij individueel product",
}


@app.command()
@handle_errors
def verlenging(
    regio: Annotated[str | None, typer.Option(
        "--regio", "-r", help="Regioprofiel: hart-van-brabant of flevoland.")] = None,
    verwijzer: Annotated[str | None, typer.Option(
        help="Verwijzer van de toewijzing: toegang, medisch of gi.")] = None,
    ingangsdatum: Annotated[str | None, typer.Option(
        metavar=_D, help="Ingangsdatum van de huidige toewijzing.")] = None,
    einddatum: Annotated[str | None, typer.Option(
        metavar=_D, help="Einddatum van de huidige toewijzing.")] = None,
    volume: Annotated[int | None, typer.Option(help="Volume van de huidige toewijzing.")] = None,
    eenheid: Annotated[str | None, typer.Option(
        help="iJw-code eenheid: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 82/84 stuks …")] = None,
    frequentie: Annotated[str | None, typer.Option(
        help="iJw-code frequentie: 1 per dag, 2 per week, 4 per maand, 6 totaal.")] = None,
    nieuwe_einddatum: Annotated[str | None, typer.Option(
        metavar=_D, help="Gevraagde einddatum (later: verlenging, eerder: verkorting).")] = None,
    extra_volume: Annotated[int, typer.Option(
        help="Gevraagd extra volume (zelfde eenheid en frequentie).")] = 0,
    gewijzigde_resultaten: Annotated[bool, typer.Option(
        "--gewijzigde-resultaten", help="Er zijn gewijzigde of nieuwe resultaten.")] = False,
    eerder_verschoven: Annotated[bool | None, typer.Option(
        "--eerder-verschoven/--niet-eerder-verschoven",
        help="De einddatum is al eens verschoven (Flevoland); standaard uit de eerdere JW301's "
        "bij --actueel of --toewijzing.")] = None,
    product: Annotated[str | None, typer.Option(
        help="Productcode (maximale termijn, productrichtlijn).")] = None,
    termijn: Annotated[str | None, typer.Option(
        help="Groep voor de maximale termijn (bijv. arrangementen-h-i, dyslexie, crisis).")
    ] = None,
    nieuw_traject: Annotated[str | None, typer.Option(
        metavar=_D, help="Start van een nieuw traject: toets de overlap (Hart van Brabant).")
    ] = None,
    zelfde_aanbieder: Annotated[bool, typer.Option(
        "--zelfde-aanbieder", help="Het nieuwe traject loopt bij dezelfde aanbieder.")] = False,
    naar_groep: Annotated[int | None, typer.Option(
        help="Volume dat van individueel naar een groepsproduct gaat (Flevoland).")] = None,
    terugval: Annotated[str | None, typer.Option(
        metavar=_D, help="Hervatting na terugval; --einddatum is het einde van de hulp "
        "(Flevoland).")] = None,
    actueel: Annotated[list[Path] | None, typer.Option(
        "--actueel", metavar="JW301",
        help="De actuele toewijzing (JW301-bestand of map met berichten; herhaalbaar): "
        "ingangsdatum, einddatum, volume, eenheid, frequentie en product komen daaruit, de "
        "verwijzer uit de JW315 erbij, eerder verschoven uit eerdere JW301's.")] = None,
    toewijzingnummer: Annotated[str | None, typer.Option(
        "--toewijzingnummer", metavar="N",
        help="Welke toewijzing uit --actueel (bij meer dan één).")] = None,
    toewijzing: Annotated[str | None, typer.Option(
        "--toewijzing", metavar="N",
        help="De toewijzing met dit ToewijzingNummer uit het register (zie --db).")] = None,
    bron: Annotated[Path | None, typer.Option(
        "--from", metavar="JW317",
        help="Beoordeel een ontvangen JW317 (met --actueel, anders uit het register): volgt "
        "een JW301 of een JW319?")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL_OF_PAD",
        help="Het register voor --toewijzing, --from en --batch met kolom toewijzingnummer "
        "(standaard: IJWCLI_DB, ijwcli.toml, anders de gebruikersmap).")] = None,
    profiel_bestand: Annotated[Path | None, typer.Option(
        "--profiel", help="Eigen regioprofiel (TOML) in plaats van --regio.")] = None,
    batch: Annotated[Path | None, typer.Option(
        help="Verzoeken uit een .xlsx- of .csv-bestand, één per rij.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Uitkomsten van --batch naar .xlsx of .csv.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Overschrijf een bestaand uitvoerbestand.")] = False,
    negeer_kolom: Annotated[list[str] | None, typer.Option(
        "--negeer-kolom", metavar="NAAM",
        help="Een kolom van --batch die bewust extra is: niet lezen en niet melden "
        "(herhaalbaar).")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Zelfde als --format json.")] = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
    today: TodayOption = None,
) -> None:
    """Bepaal de uitkomst van een verzoek om verlenging of wijziging volgens de regioafspraken.

    Exit code 0: binnen de richtlijn (of een uitkomst die de backoffice toepast);
    1: buiten de richtlijn; 2: gebruiksfout.

    Example (100 uur, 12 maanden; 5 maanden langer en 30 uur extra):

    ijwcli verlenging --regio hart-van-brabant --verwijzer toegang \\
      --ingangsdatum 2026-01-01 --einddatum 2026-12-31 \\
      --volume 100 --eenheid 04 --frequentie 6 \\
      --nieuwe-einddatum 2027-05-31 --extra-volume 30 --today 2026-10-01

    Example (de waarden uit de actuele JW301 en de JW315 die ze honoreerde):

    ijwcli verlenging --regio hart-van-brabant \\
      --actueel jw301.xml --actueel jw315.xml \\
      --nieuwe-einddatum 2027-07-31 --extra-volume 30 --today 2026-10-01

    Example (een ontvangen JW317 beoordelen tegen de toewijzing in het register):

    ijwcli verlenging --regio flevoland --from jw317.xml --db register.db
    """
    import datetime as dt

    als_json = json_ or format == "json"
    peildatum = parse_date(today, "--today") or dt.date.today()
    standaard = _profiel(regio, profiel_bestand)
    if toewijzing is not None and actueel:
        raise UsageError("geef --actueel (bestanden) of --toewijzing (register), niet allebei")
    if toewijzing is not None and toewijzingnummer is not None:
        raise UsageError("--toewijzingnummer hoort bij --actueel; uit het register: "
                         "--toewijzing N")
    if db is not None and actueel:
        raise UsageError("--db hoort bij het register; met --actueel wordt het niet gelezen")
    if batch is not None:
        if bron is not None or toewijzing is not None or toewijzingnummer is not None:
            raise UsageError("--batch gaat niet samen met --from, --toewijzing of "
                             "--toewijzingnummer (geef de kolom toewijzingnummer)")
        _batch(batch, output, force, standaard, peildatum, als_json, negeer_kolom or [],
               actueel or [], db)
        return
    if negeer_kolom:
        raise UsageError("--negeer-kolom hoort bij --batch")
    if output is not None:
        raise UsageError("-o/--output hoort bij --batch")
    if bron is not None:
        _jw317(bron, standaard, peildatum, als_json, actueel or [], db, toewijzingnummer,
               {"verwijzer": (verwijzer or "").lower() or None,
                "eerder_verschoven": eerder_verschoven, "product": product})
        return
    from ijwcli.verlenging import Toewijzing, Verzoek, bereken, code
    from ijwcli.verlenging.feiten import aanvullen

    feiten = None
    if actueel:
        from ijwcli.verlenging.feiten import kies, lees, uit_paden

        feiten = kies(lees(uit_paden(actueel)), toewijzingnummer,
                       waar=", ".join(map(str, actueel)))
    elif toewijzing is not None:
        feiten = _uit_register(db, [toewijzing])[toewijzing.strip()]
    elif toewijzingnummer is not None:
        raise UsageError("--toewijzingnummer hoort bij --actueel JW301.xml")
    if standaard is None:
        raise UsageError("ontbreekt: --regio (of --profiel)")
    gegeven = {"ingangsdatum": parse_date(ingangsdatum, "--ingangsdatum"),
               "einddatum": parse_date(einddatum, "--einddatum"), "volume": volume,
               "eenheid": code(eenheid, 2) if eenheid is not None else None,
               "frequentie": code(frequentie, 1) if frequentie is not None else None,
               "product": product, "verwijzer": (verwijzer or "").lower() or None,
               "eerder_verschoven": eerder_verschoven}
    opties = {"eerder_verschoven": "--eerder-verschoven" if eerder_verschoven
              else "--niet-eerder-verschoven"}
    w, herkomst = aanvullen(feiten, standaard, opties, **gegeven)
    ontbreekt = [f"--{naam}" for naam in ("verwijzer", "ingangsdatum", "einddatum", "volume",
                                          "eenheid", "frequentie") if w.get(naam) is None]
    if ontbreekt:
        raise UsageError(f"ontbreekt: {', '.join(ontbreekt)} (of --actueel JW301.xml, "
                         "--toewijzing N)")
    t = Toewijzing(w["ingangsdatum"], w["einddatum"], int(w["volume"]), w["eenheid"],
                   w["frequentie"])
    v = Verzoek(t, w["verwijzer"],
                nieuwe_einddatum=parse_date(nieuwe_einddatum, "--nieuwe-einddatum"),
                extra_volume=extra_volume, gewijzigde_resultaten=gewijzigde_resultaten,
                eerder_verschoven=bool(w.get("eerder_verschoven")), product=w.get("product"),
                termijngroep=termijn, peildatum=peildatum,
                nieuw_traject=parse_date(nieuw_traject, "--nieuw-traject"),
                zelfde_aanbieder=zelfde_aanbieder, naar_groep=naar_groep,
                hervatting=parse_date(terugval, "--terugval"))
    u = bereken(v, standaard)
    nummer = feiten.nummer if feiten is not None else None
    if als_json:
        from ijwcli.cli import uitvoer

        resultaat: dict[str, Any] = {"rij": None, "uitkomst": u.to_dict(), "fout": None}
        if feiten is not None:
            from ijwcli.verlenging.feiten import herkomst as als_herkomst

            resultaat.update(toewijzingnummer=nummer, herkomst=als_herkomst(w, herkomst))
        emit_json(uitvoer.document(
            "verlenging", u.exit_code,
            summary={"verzoeken": 1, "binnen": int(u.binnen_richtlijn),
                     "buiten": int(not u.binnen_richtlijn), "fout": 0},
            results=[resultaat]))
    else:
        _render(u, t, standaard, herkomst if feiten is not None else None, w, nummer)
    raise typer.Exit(u.exit_code)


def _uit_register(db: str | None, nummers: list[str], gemeente: str | None = None,
                  alleen_gevonden: bool = False) -> dict[str, Any]:
    """The facts of toewijzingen ``nummers`` from the register: every JW301 version of each
    (oldest first) and the client's JW315s (the verwijzer), read by the library. A number the
    register does not have is a usage error, or with ``alleen_gevonden`` left out."""
    from ijwcli.config import laad_config
    from ijwcli.register import open_register
    from ijwcli.verlenging.feiten import lees

    berichten: list[tuple[bytes, str]] = []
    with open_register(db, laad_config(None)) as reg:
        bsns: set[str] = set()
        for nr in dict.fromkeys(n.strip() for n in nummers):
            h = reg.toewijzing_historie(nr, gemeente=gemeente)
            if not h and alleen_gevonden:
                continue
            if not h:
                raise UsageError(f"toewijzing {nr} staat niet in het register "
                                 f"({reg.toon_locatie}); registreer de JW301 met 'ijwcli "
                                 "register add' of geef --actueel JW301.xml")
            berichten += [(e.inhoud, f"register id {e.sleutel}") for e in h]
            bsns.update(v.bsn for v in _versies(h[-1].inhoud))
        for bsn in sorted(b for b in bsns if b):
            berichten += [(data, f"register id {rij['id']}") for _, data, rij in
                          reg.export(bsn=bsn, bericht="JW315")]
    return lees(berichten)


def _versies(data: bytes) -> list[Any]:
    from ijwcli import bericht as bm
    from ijwcli.verlenging.feiten import versies

    return versies(bm.parse(data, validate=False))


def _jw317(pad: Path, standaard: Any, peildatum: Any, als_json: bool, actueel: list[Path],
           db: str | None, toewijzingnummer: str | None, gegeven: dict[str, Any]) -> None:
    from ijwcli import bericht as bm
    from ijwcli.verlenging.feiten import lees, uit_paden
    from ijwcli.verlenging.jw317 import beoordeel

    if toewijzingnummer is not None:
        raise UsageError("--toewijzingnummer hoort niet bij --from: de JW317 noemt de "
                         "toewijzingen zelf")
    if standaard is None:
        raise UsageError("ontbreekt: --regio (of --profiel)")
    try:
        data = pad.read_bytes()
    except OSError as exc:
        raise FileError(f"niet te lezen ({exc.strerror})", where=str(pad)) from None
    b = bm.parse(data, validate=True, name=str(pad))
    if b.code != "JW317":
        raise UsageError(f"--from moet een JW317 zijn, niet een {b.code}", where=str(pad))
    if actueel:
        feiten = lees(uit_paden(actueel))
    else:
        nummers = [n.value("ToewijzingNummer") or "" for n in b.root.iter()
                   if n.name in ("OngewijzigdProduct", "TeWijzigenProduct")]
        feiten = _uit_register(db, nummers, gemeente=b.root.value("Header/Ontvanger")) \
            if nummers else {}
    oordeel = beoordeel(b, feiten, standaard, peildatum=peildatum, gegeven=gegeven,
                        bron=str(pad))
    if als_json:
        from ijwcli.cli import uitvoer

        kern = {k: v for k, v in oordeel.to_dict().items() if k != "onderdelen"}
        binnen = sum(1 for o in oordeel.onderdelen if o.uitkomst.binnen_richtlijn)
        emit_json(uitvoer.document(
            "verlenging", oordeel.exit_code,
            summary={"verzoeken": len(oordeel.onderdelen), "binnen": binnen,
                     "buiten": len(oordeel.onderdelen) - binnen, "fout": 0},
            results=[{"rij": None, "uitkomst": o.uitkomst.to_dict(), "fout": None,
                      "toewijzingnummer": o.toewijzingnummer, "soort": o.soort,
                      "herkomst": o.herkomst, "jw317": kern} for o in oordeel.onderdelen],
            findings=[uitvoer.melding("INVOER", w, file=pad, severity="warning")
                      for w in oordeel.waarschuwingen]))
    else:
        from rich.text import Text

        for o in oordeel.onderdelen:
            f = feiten.get(o.toewijzingnummer or "")
            oud = f.zeker() if f is not None else o.uitkomst.toewijzing
            _render(o.uitkomst, oud, standaard, o.bronnen, o.waarden, o.toewijzingnummer,
                    titel=f"JW317 · {o.soort}")
        for w in oordeel.waarschuwingen:
            console.print(Text(f"⚠ {w}", style="yellow"))
        kleur = "green" if oordeel.volgt == "JW301" else "red"
        console.print(Text.assemble(("volgt: ", "bold"), (oordeel.volgt, f"bold {kleur}"),
                                    "  ", oordeel.toelichting), soft_wrap=True)
    raise typer.Exit(oordeel.exit_code)


def _profiel(regio: str | None, bestand: Path | None) -> Any:
    from ijwcli.verlenging import profiel as pr

    if bestand is not None:
        if regio is not None:
            raise UsageError("geef --regio of --profiel, niet allebei")
        if not bestand.is_file():
            raise FileError("profielbestand bestaat niet", where=str(bestand))
        return pr.load(bestand)
    if regio is None:
        return None
    if regio not in pr.REGIOS:
        raise UsageError(f"onbekende regio {regio!r} (kies uit: {', '.join(pr.REGIOS)}; een "
                         "eigen regio met --profiel BESTAND)")
    return pr.load(regio)


def _batch(pad: Path, output: Path | None, force: bool, standaard: Any, peildatum: Any,
           als_json: bool, negeer: list[str], actueel: list[Path], db: str | None) -> None:
    from rich.text import Text

    from ijwcli.verlenging.batch import schrijf, verwerk

    if output is None and not als_json:
        raise UsageError("--batch heeft -o UITVOER.xlsx|.csv nodig (of --format json)")

    def zoek(nummers: list[str]) -> dict[str, Any]:
        """The toewijzingen of the sheet's toewijzingnummer column: from --actueel, or else
        from the register (only numbers it has; a missing one is that row's error)."""
        from ijwcli.verlenging.feiten import lees, uit_paden

        if actueel:
            return lees(uit_paden(actueel))
        return _uit_register(db, nummers, alleen_gevonden=True)

    res = verwerk(pad, standaard, peildatum, negeer, zoek=zoek)
    for w in res.waarschuwingen:
        err_console.print(Text(f"waarschuwing: {w}", style="yellow"), soft_wrap=True)
    if output is not None:
        schrijf(res, output, force)
    for r in res.rijen:
        if r.melding:
            # Text, not markup: the message quotes cell values, which may contain brackets.
            err_console.print(Text(r.melding, style="red"), soft_wrap=True)
    s = res.samenvatting
    if als_json:
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "verlenging", res.exit_code,
            summary={"verzoeken": s["rijen"], "binnen": s["binnen"], "buiten": s["buiten"],
                     "fout": s["fout"]},
            results=[r.to_dict() for r in res.rijen],
            files=[uitvoer.bestand(output, bron=pad)] if output is not None else [],
            findings=[uitvoer.melding("INVOER", r.melding or r.fout or "", file=pad, rij=r.nummer)
                      for r in res.rijen if r.fout]
            + [uitvoer.melding("INVOER", w, file=pad, severity="warning")
               for w in res.waarschuwingen]))
    else:
        kleur = "green" if not res.exit_code else "red"
        console.print(f"[{kleur}]{s['rijen']} verzoek(en): {s['binnen']} binnen, "
                      f"{s['buiten']} buiten de richtlijn, {s['fout']} ongeldig[/]"
                      + (f" → {output}" if output else ""))
    raise typer.Exit(res.exit_code)


_HERKOMST_LABELS = {"eerder_verschoven": "eerder verschoven"}


def _render(u: Any, oud: Any, p: Any, herkomst: dict[str, str] | None = None,
            waarden: dict[str, Any] | None = None, nummer: str | None = None,
            titel: str = "Verlenging") -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from ijwcli.model import codelijsten

    eenheden = codelijsten()["LDT_Eenheid"]
    freqs = codelijsten()["LDT_Frequentie"]
    kleur = "green" if u.binnen_richtlijn else "red"
    besluit = ("binnen de richtlijn" if u.binnen_richtlijn else "buiten de richtlijn")
    # Plain Text pieces, never markup: profile texts and quoted input may contain brackets.
    regels: list[Any] = [Text.assemble(
        (f"{'✓' if u.binnen_richtlijn else '✗'} {besluit}", f"bold {kleur}"), "  ·  route ",
        (u.route, "bold"), "  ·  berichten ", (" → ".join(u.berichten) or "—", "bold"))]
    if u.toetsen:
        tabel = Table(show_edge=False, pad_edge=False, expand=False, box=None)
        tabel.add_column("toets", style="bold")
        tabel.add_column("waarde", justify="right")
        tabel.add_column("grens", justify="right")
        tabel.add_column("")
        bronnen: list[str] = []
        for c in u.toetsen:
            tabel.add_row(Text(_LABELS.get(c.regel, c.regel.replace("_", " "))),
                          Text(str(c.waarde)), Text(_leesbaar(c.grens)),
                          Text("✓", "green") if c.voldaan else Text("✗", "red"))
            if c.bron and c.bron not in bronnen:
                bronnen.append(c.bron)
        regels += [Text(""), tabel]
        regels += [Text(f"bron: {b}", style="dim") for b in bronnen]

    def beschrijf(t: Any) -> str:
        return (f"{t.ingangsdatum:%Y-%m-%d} t/m {t.einddatum:%Y-%m-%d}, {t.volume} "
                f"{eenheden.get(t.eenheid, t.eenheid).lower()} "
                f"({freqs.get(t.frequentie, t.frequentie).lower()})")

    if herkomst:
        bron_tabel = Table(show_edge=False, pad_edge=False, expand=False, box=None)
        bron_tabel.add_column("gegeven", style="bold")
        bron_tabel.add_column("waarde")
        bron_tabel.add_column("uit", style="dim")
        vorige = None
        for naam, waar in herkomst.items():
            w = (waarden or {}).get(naam, "")
            if isinstance(w, bool):
                w = "ja" if w else "nee"
            bron_tabel.add_row(Text(_HERKOMST_LABELS.get(naam, naam)), Text(str(w)),
                               Text("〃" if waar == vorige else waar))
            vorige = waar
        regels += [Text(""), Text(f"gegevens van toewijzing {nummer or '?'}:", style="bold"),
                   bron_tabel]
    regels += [Text(""), Text.assemble(("toewijzing nu:    ", "dim"), beschrijf(oud))]
    if u.toewijzing != oud:
        regels.append(Text.assemble(("toewijzing wordt: ", "dim"),
                                    (beschrijf(u.toewijzing), "bold")))
    regels += [Text(""), Text(u.toelichting)]
    for w in u.waarschuwingen:
        regels.append(Text(f"⚠ {w}", style="yellow"))
    console.print(Panel(Group(*regels), title=Text(f"{titel} · {p.titel or p.naam}"),
                        border_style=kleur, expand=False))


def _leesbaar(grens: object) -> str:
    """An ISO interval (2026-01-01/2026-12-31) as people read it: 2026-01-01 t/m 2026-12-31."""
    import re

    return re.sub(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", r"\1 t/m \2", str(grens))
