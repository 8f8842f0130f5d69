"""``ijwcli register …``: the berichtenregister (import, overzicht, client, toon, export, info).

A thin skin over :mod:`ijwcli.register`; SQLAlchemy is imported only when a register command
runs, so ``ijwcli validate FILE`` does not pay for it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ijwcli.cli import (
    ConfigOption,
    DbOption,
    FormatOption,
    TodayOption,
    app,
    console,
    emit_json,
    handle_errors,
    parse_date,
)
from ijwcli.cli.snelstart import Groep
from ijwcli.errors import UsageError

if TYPE_CHECKING:
    from ijwcli.register import Register

register_app = typer.Typer(
    name="register", cls=Groep, no_args_is_help=True,
    help="Het berichtenregister: elk verzonden en ontvangen bericht, met ketens en status.")
app.add_typer(register_app, name="register")

MaskOption = Annotated[bool, typer.Option(
    "--mask-bsn", help="Toon BSN's gemaskeerd (******018), om een scherm te delen.")]
BsnOption = Annotated[str | None, typer.Option("--bsn", help="Alleen berichten over deze BSN.")]
BerichtOption = Annotated[str | None, typer.Option(
    "--bericht", metavar="JWnnn", help="Alleen dit berichttype (JW315 …).")]
StatusOption = Annotated[str | None, typer.Option(
    "--status", help="Alleen deze status (Verzonden, Afgekeurd, In onderzoek, Toegewezen …).")]
VanOption = Annotated[str | None, typer.Option(
    "--van", metavar="JJJJ-MM-DD", help="Dagtekening op of na deze datum.")]
TotOption = Annotated[str | None, typer.Option(
    "--tot", metavar="JJJJ-MM-DD", help="Dagtekening op of voor deze datum.")]
GemeenteOption = Annotated[str | None, typer.Option(
    "--gemeente", metavar="CODE", help="Alleen verkeer met deze gemeente (gemeentecode).")]
AanbiederOption = Annotated[str | None, typer.Option(
    "--aanbieder", metavar="AGB", help="Alleen verkeer met deze aanbieder (AGB-code).")]
LimitOption = Annotated[int | None, typer.Option(
    "--limit", min=1, help="Hoogstens zoveel berichten (de oudste eerst).")]


def _open(db: str | None, config: str | None) -> Register:
    from ijwcli.config import laad_config
    from ijwcli.register import open_register

    return open_register(db, laad_config(config))


def masker(bsn: str | None, aan: bool) -> str | None:
    """``******018`` with ``--mask-bsn``; else the BSN as is.

    >>> masker("999900018", True), masker("999900018", False)
    ('******018', '999900018')
    """
    if not aan or not bsn:
        return bsn
    return "*" * (len(bsn) - 3) + bsn[-3:]


def _filter(bsn: str | None, bericht: str | None, status: str | None, van: str | None,
            tot: str | None, gemeente: str | None, aanbieder: str | None,
            limit: int | None = None) -> Any:
    from ijwcli.register.toestand import STATUSSEN
    from ijwcli.register.vragen import Filter

    if bericht and not (len(bericht) == 5 and bericht.upper().startswith("JW")):
        raise UsageError(f"--bericht {bericht!r}: gebruik een berichttype als JW315")
    if status and status.casefold() not in {s.casefold() for s in STATUSSEN}:
        raise UsageError(f"--status {status!r} is geen van: {', '.join(STATUSSEN)}")
    return Filter(bsn, bericht, status, parse_date(van, "--van"), parse_date(tot, "--tot"),
                  gemeente, aanbieder, limit)


def _json_rij(r: dict[str, Any], mask: bool) -> dict[str, Any]:
    return {**r, "bsn": [masker(b, mask) for b in r["bsn"]]}


@register_app.command("add")
@handle_errors
def add(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="Berichtbestanden of mappen (*.xml, recursief); - leest stdin.")],
    db: DbOption = None,
    richting: Annotated[str | None, typer.Option(
        "--richting", metavar="in|uit",
        help="Richting van alle berichten (standaard: uit de eigen code in ijwcli.toml).")] = None,
    today: TodayOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Alleen de samenvatting.")] = False,
    config: ConfigOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Neem berichten op in het register, gevalideerd zoals validate doet.

    Dezelfde inhoud opnieuw is 'al bekend'; dezelfde afzender, berichtsoort en Identificatie
    met andere inhoud wordt geweigerd (TR056). Ongeldige berichten worden met hun bevindingen
    bewaard maar veranderen geen toestand. Exit 0: alles opgenomen en geldig; 1: een bericht
    ongeldig of geweigerd; 2: gebruiksfout.

    Example: ijwcli register add ontvangen/ --db register.db
    """
    if richting not in (None, "in", "uit"):
        raise UsageError(f"--richting {richting!r} is geen van 'in', 'uit'")
    peildatum = parse_date(today, "--today")
    bronnen: list[Any] = [sys.stdin.buffer.read()] if paths == ["-"] else list(paths)
    with _open(db, config) as reg:
        voortgang = None
        if sys.stderr.isatty() and format != "json" and not quiet:
            voortgang = _voortgang()
        try:
            resultaten = reg.add(bronnen, richting, today=peildatum,
                                 voortgang=voortgang.bij if voortgang else None)
        finally:
            if voortgang:
                voortgang.stop()
        locatie = reg.toon_locatie
    telling = {k: sum(r.status == k for r in resultaten) for k in ("nieuw", "al bekend",
                                                                  "geweigerd")}
    ongeldig = sum(r.status == "nieuw" and not r.geldig for r in resultaten)
    zonder_richting = sum(r.status == "nieuw" and r.richting is None for r in resultaten)
    code = 1 if ongeldig or telling["geweigerd"] else 0
    if format == "json":
        from ijwcli.cli import uitvoer

        bevindingen = [uitvoer.bevinding(b, file=r.bron) for r in resultaten
                       for b in r.bevindingen]
        bevindingen += [uitvoer.melding("TR056" if (r.reden or "").startswith("TR056")
                                        else "BESTAND", r.reden or "", file=r.bron)
                        for r in resultaten if r.status == "geweigerd"]
        emit_json(uitvoer.document(
            "register add", code,
            summary={"berichten": len(resultaten), "nieuw": telling["nieuw"],
                     "al_bekend": telling["al bekend"], "geweigerd": telling["geweigerd"],
                     "ongeldig": ongeldig},
            results=[r.to_dict() for r in resultaten], findings=bevindingen))
        raise typer.Exit(code)
    from rich.markup import escape

    if not quiet:
        for r in resultaten:
            if r.status == "geweigerd":
                console.print(f"[red]✗ geweigerd[/] {escape(r.bron)}: {escape(r.reden or '')}")
            elif r.status == "nieuw" and not r.geldig:
                eerste = r.bevindingen[0] if r.bevindingen else {}
                console.print(f"[yellow]! ongeldig[/] {escape(r.bron)} [dim]{r.code or '?'}[/]: "
                              f"{len(r.bevindingen)} bevinding(en), eerste "
                              f"{eerste.get('rule')} {escape(str(eerste.get('message')))} "
                              "[dim](bewaard, verandert geen toestand)[/]")
    if zonder_richting:
        from ijwcli.cli import err_console

        err_console.print(f"let op: van {zonder_richting} bericht(en) is de richting onbekend; "
                          "zet rol en code in ijwcli.toml of geef --richting", soft_wrap=True)
    kleur = "red" if code else "green"
    console.print(f"[{kleur}]{len(resultaten)} bericht(en): {telling['nieuw']} nieuw "
                  f"({ongeldig} ongeldig), {telling['al bekend']} al bekend, "
                  f"{telling['geweigerd']} geweigerd[/] [dim]→ {escape(locatie)}[/]")
    raise typer.Exit(code)


class _Voortgang:
    def __init__(self) -> None:
        from rich.progress import Progress

        from ijwcli.cli import err_console

        self.p = Progress(console=err_console, transient=True)
        self.taak = self.p.add_task("importeren", total=None)
        self.p.start()

    def bij(self, n: int, totaal: int) -> None:
        self.p.update(self.taak, completed=n, total=totaal)

    def stop(self) -> None:
        self.p.stop()


def _voortgang() -> _Voortgang:
    return _Voortgang()


def _tabel_berichten(rijen: list[dict[str, Any]], mask: bool, titel: str | None = None) -> None:
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=titel, title_justify="left")
    for kolom in ("id", "type", "identificatie", "datum", "van → aan", "bsn", "status"):
        t.add_column(kolom, justify="right" if kolom == "id" else "left",
                     no_wrap=kolom != "identificatie", overflow="fold")
    for r in rijen:
        kleur = {"Afgekeurd": "red", "Ongeldig": "red", "Gedeeltelijk afgekeurd": "yellow",
                 "Afgewezen": "red", "In onderzoek": "yellow", "Goedgekeurd": "green",
                 "Toegewezen": "green"}.get(r["status"], "")
        t.add_row(str(r["id"]), r["bericht"] or "?", escape(r["identificatie"] or ""),
                  str(r["dagtekening"] or ""), f"{r['afzender'] or '?'} → "
                  f"{r['ontvanger'] or '?'}",
                  ", ".join(masker(b, mask) or "" for b in r["bsn"]),
                  f"[{kleur}]{r['status']}[/]" if kleur else r["status"])
    console.print(t)


@register_app.command("list")
@handle_errors
def lijst(
    bsn: BsnOption = None,
    bericht: BerichtOption = None,
    status: StatusOption = None,
    van: VanOption = None,
    tot: TotOption = None,
    gemeente: GemeenteOption = None,
    aanbieder: AanbiederOption = None,
    limit: LimitOption = None,
    mask_bsn: MaskOption = False,
    db: DbOption = None,
    config: ConfigOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Het berichtenoverzicht: berichten met hun status, de oudste eerst.

    Example: ijwcli register list --bsn 999900018 --bericht JW301
    """
    f = _filter(bsn, bericht, status, van, tot, gemeente, aanbieder, limit)
    with _open(db, config) as reg:
        rijen = reg.lijst(f)
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document("register list", 0, summary={"berichten": len(rijen)},
                                   results=[_json_rij(r, mask_bsn) for r in rijen]))
        return
    if rijen:
        _tabel_berichten(rijen, mask_bsn)
    console.print(f"{len(rijen)} bericht(en)")


@register_app.command("client")
@handle_errors
def client(
    bsn: Annotated[str, typer.Argument(metavar="BSN", help="Burgerservicenummer van de cliënt.")],
    mask_bsn: MaskOption = False,
    db: DbOption = None,
    config: ConfigOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """De tijdlijn van één cliënt: verzoeken en antwoorden, toewijzingen (actueel en
    historie), start en stop, gedeclareerd tegen toegewezen per periode, en wat nog open staat.

    Exit 0 ook als de cliënt niet in het register staat (dan is de tijdlijn leeg).

    Example: ijwcli register client 999900018 --mask-bsn
    """
    with _open(db, config) as reg:
        t = reg.client(bsn)
    if format == "json":
        from ijwcli.cli import uitvoer

        t = {**t, "bsn": masker(t["bsn"], mask_bsn),
             "berichten": [_json_rij(r, mask_bsn) for r in t["berichten"]]}
        emit_json(uitvoer.document(
            "register client", 0,
            summary={"berichten": len(t["berichten"]), "verzoeken": len(t["verzoeken"]),
                     "toewijzingen": len(t["toewijzingen"]), "open": len(t["open"])},
            results=[t]))
        return
    _toon_client(t, mask_bsn)


def _omvang(a: dict[str, Any]) -> str:
    from ijwcli.model.datatypes import codelijsten

    if a.get("volume") is None:
        return f"budget {a['budget'] / 100:.2f} euro" if a.get("budget") is not None else "—"
    lijsten = codelijsten()
    eenheid = lijsten["LDT_Eenheid"].get(a["eenheid"] or "", a["eenheid"])
    freq = lijsten["LDT_Frequentie"].get(a["frequentie"] or "", a["frequentie"])
    return f"{a['volume']} × {eenheid}, {str(freq).lower()}"


def _euro(centen: int | float) -> str:
    """``58000`` cents as ``580.00 euro``."""
    return f"{centen / 100:.2f} euro"


def _retourcodes(codes: list[str]) -> str:
    from ijwcli.model.datatypes import codelijsten

    lijst = codelijsten()["LDT_RetourCode"]
    return "; ".join(f"{c} {lijst.get(c, '')}".strip() for c in codes)


def _toon_prestatie(pr: dict[str, Any]) -> None:
    from rich.markup import escape

    kleur = {"toegekend": "green", "afgewezen": "red"}.get(pr["status"], "yellow")
    extra = ""
    if pr["crediteert"]:
        extra += f", crediteert {escape(pr['crediteert'])}"
    if pr["gecrediteerd_door"]:
        extra += f", gecrediteerd door {escape(', '.join(pr['gecrediteerd_door']))}"
    if pr["retourcodes"]:
        extra += f" [dim]({escape(_retourcodes(pr['retourcodes']))})[/]"
    from ijwcli.model.datatypes import codelijsten

    eenheid = codelijsten()["LDT_Eenheid"].get(pr["eenheid"] or "", pr["eenheid"] or "")
    console.print(f"      prestatie {escape(pr['referentie'] or '?')} "
                  f"({escape(pr['declaratie'] or '?')}, {pr['debetcredit']}) {pr['periode']}: "
                  f"{pr['volume']} × {str(eenheid).lower()}, {_euro(pr['bedrag'] or 0)}: "
                  f"[{kleur}]{pr['status']}[/]{extra}")


def _toon_client(t: dict[str, Any], mask: bool) -> None:
    from rich.markup import escape

    console.print(f"[bold]Cliënt {masker(t['bsn'], mask)}[/]: {len(t['berichten'])} bericht(en)")
    if not t["berichten"]:
        return
    _tabel_berichten(t["berichten"], mask, "Berichten")
    for v in t["verzoeken"]:
        wijzigt = (f", wijzigt toewijzing {', '.join(v['te_wijzigen'])}"
                   if v["te_wijzigen"] else "")
        door = "; ".join(f"{d['identificatie']} (toewijzing {d['toewijzingnummer']})"
                         for d in v["toegewezen_door"])
        console.print(f"[bold]{v['bericht']} {escape(v['identificatie'] or '')}[/] van "
                      f"{v['dagtekening']} (referentie {escape(v['referentie'] or '—')}"
                      f"{wijzigt}): {v['status']}"
                      + (f" [dim]door {escape(door)}[/]" if door else ""))
    for w in t["toewijzingen"]:
        a = w["actueel"]
        ingetrokken = " [red](ingetrokken)[/]" if a["reden_wijziging"] == "13" else ""
        console.print(f"[bold]Toewijzing {w['toewijzingnummer']}[/] {w['productcode'] or ''}: "
                      f"{a['ingangsdatum']} t/m {a['einddatum'] or 'open'}, {_omvang(a)}"
                      f"{ingetrokken} [dim](actueel: {a['identificatie']} van "
                      f"{a['dagtekening']}; {len(w['historie'])} versie(s))[/]")
        if len(w["historie"]) > 1:
            for h in w["historie"]:
                verzoek = f", op verzoek {h['verzoek']}" if h.get("verzoek") else ""
                console.print(f"    versie {h['identificatie']} {h['dagtekening']}: "
                              f"{h['ingangsdatum']} t/m {h['einddatum'] or 'open'}, volume "
                              f"{h['volume']}, reden {h['reden_wijziging'] or '—'}{verzoek}")
        zorg = w["zorg"]
        if w["begindatum"]:
            zorg += f" (begin {w['begindatum']}"
            zorg += f", einde {w['einddatum_zorg']} reden {w['reden_beeindiging']})" \
                if w["einddatum_zorg"] else ")"
        console.print(f"    zorg: {zorg}")
        for p in w["gedeclareerd"]:
            mag = (f" van toegestaan {p['toegestaan_volume']}"
                   if p["toegestaan_volume"] is not None else "")
            boven = " [red](boven de omvang)[/]" if p["periode"] in w["boven_omvang"] else ""
            console.print(f"    gedeclareerd {p['periode']}: volume {p['volume']}{mag}, "
                          f"{_euro(p['bedrag'])}{boven}; toegekend volume "
                          f"{p['toegekend_volume']}, {_euro(p['toegekend_bedrag'])}; "
                          f"afgewezen {_euro(p['afgewezen_bedrag'])}")
        for pr in w["prestaties"]:
            _toon_prestatie(pr)
        if w["resterend_volume"] is not None:
            console.print(f"    resterend volume: {w['resterend_volume']} van "
                          f"{w['toegestaan_volume']}")
        if w["resterend_budget"] is not None:
            console.print(f"    resterend budget: {_euro(w['resterend_budget'])}")
    if t["open"]:
        console.print("[bold yellow]Nog open:[/]")
        for o in t["open"]:
            console.print(f"  - {escape(o)}")
    else:
        console.print("[green]Niets open.[/]")


@register_app.command("toon")
@handle_errors
def toon(
    sleutel: Annotated[str, typer.Argument(
        metavar="ID", help="Id in het register of de Identificatie van het bericht.")],
    xml: Annotated[bool, typer.Option("--xml", help="Toon ook het bericht zelf (XML).")] = False,
    mask_bsn: MaskOption = False,
    db: DbOption = None,
    config: ConfigOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Eén bericht met zijn keten: retourberichten, antwoorden, toewijzingen, start en stop.

    Example: ijwcli register toon T2026030201
    """
    with _open(db, config) as reg:
        d = reg.toon(sleutel)
        inhoud = reg.inhoud(d["id"]) if xml else None
    tekst = inhoud.decode("utf-8", "replace") if inhoud is not None else None
    if tekst is not None and mask_bsn:
        import re

        tekst = re.sub(r"(Bsn>)(\d{6})(\d{3})<", r"\1******\3<", tekst)
    if format == "json":
        from ijwcli.cli import uitvoer

        d = {**_json_rij(d, mask_bsn), "keten": [_json_rij(r, mask_bsn) for r in d["keten"]],
             "regels": [{**g, "bsn": masker(g.get("bsn"), mask_bsn)} for g in d["regels"]]}
        if tekst is not None:
            d["xml"] = tekst
        emit_json(uitvoer.document("register toon", 0, summary={"keten": len(d["keten"])},
                                   results=[d], findings=[uitvoer.bevinding(b, file=d["bron"])
                                                          for b in d["bevindingen"]]))
        return
    from rich.markup import escape

    console.print(f"[bold]{d['bericht'] or '?'} {escape(d['identificatie'] or '')}[/] "
                  f"(id {d['id']}) van {d['dagtekening']}: {d['afzender']} → {d['ontvanger']}, "
                  f"richting {d['richting'] or '?'}, status [bold]{d['status']}[/]")
    console.print(f"[dim]bron {escape(d['bron'] or '')}, opgenomen {d['geimporteerd']}, "
                  f"sha256 {d['hash'][:16]}…[/]")
    for b in d["bevindingen"]:
        console.print(f"  [red]{b['rule']}[/] regel {b.get('line') or '?'}: "
                      f"{escape(b['message'])}")
    if d["retourcodes"]:
        console.print(f"  RetourCodes: {escape(_retourcodes(d['retourcodes']))}")
    for g in d["regels"]:
        velden = ", ".join(f"{k} {masker(v, mask_bsn) if k == 'bsn' else v}"
                           for k, v in g.items()
                           if v is not None and k not in ("soort", "beoordeling"))
        oordeel = g.get("beoordeling")
        if oordeel:
            velden += f": {oordeel['status']}"
            if oordeel["retourcodes"]:
                velden += f" ({_retourcodes(oordeel['retourcodes'])})"
        console.print(f"  {g['soort']}: {escape(velden)}")
    for k in d["koppelingen"]:
        console.print(f"  [bold]{k['relatie']}[/] {escape(k['sleutel'] or '')} → "
                      f"{k['bericht']} {escape(k['identificatie'] or '')} (id {k['id']}, "
                      f"{k['dagtekening']})"
                      + (f" [dim]{escape(k['toelichting'])}[/]" if k["toelichting"] else ""))
    _tabel_berichten(d["keten"], mask_bsn, "Keten")
    if tekst is not None:
        console.print(tekst, markup=False, highlight=False)


@register_app.command("export")
@handle_errors
def export(
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="MAP|F.xlsx",
        help="Een map (één XML-bestand per bericht, zoals ontvangen) of een .xlsx-werkboek.")],
    bsn: BsnOption = None,
    bericht: BerichtOption = None,
    status: StatusOption = None,
    van: VanOption = None,
    tot: TotOption = None,
    gemeente: GemeenteOption = None,
    aanbieder: AanbiederOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overschrijf bestaande bestanden.")
                     ] = False,
    db: DbOption = None,
    config: ConfigOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Exporteer veel berichten tegelijk: als XML-bestanden of als één werkboek.

    Alles of niets: een bestaand bestand zonder --force schrijft niets (exit 2).

    Example: ijwcli register export --bsn 999900018 -o uit/
    """
    from ijwcli.bestanden import controleer_doelen, schrijf_alles

    f = _filter(bsn, bericht, status, van, tot, gemeente, aanbieder)
    with _open(db, config) as reg:
        berichten = reg.export(f)
    if output.suffix.lower() == ".xlsx":
        import tempfile

        from ijwcli import excel

        leesbaar = [(n, data, r) for n, data, r in berichten if r["bericht"]]
        if not leesbaar:
            raise UsageError("geen berichten om te exporteren (met deze filters)")
        controleer_doelen([output], force)
        with tempfile.TemporaryDirectory() as tmp:
            paden = []
            for n, data, _ in leesbaar:
                (Path(tmp) / n).write_bytes(data)
                paden.append(Path(tmp) / n)
            verslag = excel.xml_naar_excel(paden, output, skip_invalid=True, force=force)
        geschreven = [(str(output), None, None)] if verslag.geschreven else []
    else:
        doelen = [(output / n, data) for n, data, _ in berichten]
        controleer_doelen([d for d, _ in doelen], force)
        schrijf_alles(doelen, force=force)
        geschreven = [(str(output / n), r["bericht"], r["identificatie"])
                      for n, _, r in berichten]
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "register export", 0,
            summary={"berichten": len(berichten), "geschreven": len(geschreven)},
            files=[uitvoer.bestand(p, b, i, None) for p, b, i in geschreven]))
        return
    console.print(f"{len(berichten)} bericht(en) geëxporteerd naar {output}")


@register_app.command("info")
@handle_errors
def info(
    db: DbOption = None,
    config: ConfigOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Waar het register staat (wachtwoord gemaskeerd), de schemaversie en de aantallen.

    Example: ijwcli register info
    """
    with _open(db, config) as reg:
        d = reg.info()
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "register info", 0,
            summary={k: d[k] for k in ("schema_versie", "berichten", "geldig", "ongeldig",
                                       "clienten", "toewijzingen")},
            results=[d]))
        return
    from rich.markup import escape

    console.print(f"register: {escape(d['locatie'])} [dim]({d['backend']}, via {d['bron']})[/]")
    console.print(f"schemaversie {d['schema_versie']}; {d['berichten']} bericht(en) "
                  f"({d['geldig']} geldig, {d['ongeldig']} ongeldig), {d['clienten']} cliënt(en), "
                  f"{d['toewijzingen']} toewijzing(en)")
    for code, n in d["per_bericht"].items():
        console.print(f"  {code}: {n}")
