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
    eerder_verschoven: Annotated[bool, typer.Option(
        "--eerder-verschoven", help="De einddatum is al eens verschoven (Flevoland).")] = False,
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
    """
    import datetime as dt

    als_json = json_ or format == "json"
    peildatum = parse_date(today, "--today") or dt.date.today()
    standaard = _profiel(regio, profiel_bestand)
    if batch is not None:
        _batch(batch, output, force, standaard, peildatum, als_json, negeer_kolom or [])
        return
    if negeer_kolom:
        raise UsageError("--negeer-kolom hoort bij --batch")
    if output is not None:
        raise UsageError("-o/--output hoort bij --batch")
    ontbreekt = [f"--{naam.replace('_', '-')}" for naam, waarde in (
        ("verwijzer", verwijzer), ("ingangsdatum", ingangsdatum), ("einddatum", einddatum),
        ("volume", volume), ("eenheid", eenheid), ("frequentie", frequentie)) if waarde is None]
    if standaard is None:
        ontbreekt.insert(0, "--regio (of --profiel)")
    if ontbreekt:
        raise UsageError(f"ontbreekt: {', '.join(ontbreekt)}")
    assert standaard is not None
    from ijwcli.verlenging import Toewijzing, Verzoek, bereken
    from ijwcli.verlenging.batch import code

    t = Toewijzing(parse_date(ingangsdatum, "--ingangsdatum"),  # type: ignore[arg-type]
                   parse_date(einddatum, "--einddatum"),  # type: ignore[arg-type]
                   int(volume), code(eenheid or "", 2),  # type: ignore[arg-type]
                   code(frequentie or "", 1))
    v = Verzoek(t, (verwijzer or "").lower(),
                nieuwe_einddatum=parse_date(nieuwe_einddatum, "--nieuwe-einddatum"),
                extra_volume=extra_volume, gewijzigde_resultaten=gewijzigde_resultaten,
                eerder_verschoven=eerder_verschoven, product=product, termijngroep=termijn,
                peildatum=peildatum, nieuw_traject=parse_date(nieuw_traject, "--nieuw-traject"),
                zelfde_aanbieder=zelfde_aanbieder, naar_groep=naar_groep,
                hervatting=parse_date(terugval, "--terugval"))
    u = bereken(v, standaard)
    if als_json:
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "verlenging", u.exit_code,
            summary={"verzoeken": 1, "binnen": int(u.binnen_richtlijn),
                     "buiten": int(not u.binnen_richtlijn), "fout": 0},
            results=[{"rij": None, "uitkomst": u.to_dict(), "fout": None}]))
    else:
        _render(u, t, standaard)
    raise typer.Exit(u.exit_code)


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
           als_json: bool, negeer: list[str]) -> None:
    from rich.text import Text

    from ijwcli.verlenging.batch import schrijf, verwerk

    if output is None and not als_json:
        raise UsageError("--batch heeft -o UITVOER.xlsx|.csv nodig (of --format json)")
    res = verwerk(pad, standaard, peildatum, negeer)
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


def _render(u: Any, oud: Any, p: Any) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from ijwcli.model.datatypes import codelijsten

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

    regels += [Text(""), Text.assemble(("toewijzing nu:    ", "dim"), beschrijf(oud))]
    if u.toewijzing != oud:
        regels.append(Text.assemble(("toewijzing wordt: ", "dim"),
                                    (beschrijf(u.toewijzing), "bold")))
    regels += [Text(""), Text(u.toelichting)]
    for w in u.waarschuwingen:
        regels.append(Text(f"⚠ {w}", style="yellow"))
    console.print(Panel(Group(*regels), title=Text(f"Verlenging · {p.titel or p.naam}"),
                        border_style=kleur, expand=False))


def _leesbaar(grens: object) -> str:
    """An ISO interval (2026-01-01/2026-12-31) as people read it: 2026-01-01 t/m 2026-12-31."""
    import re

    return re.sub(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", r"\1 t/m \2", str(grens))
