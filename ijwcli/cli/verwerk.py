"""``ijwcli verwerk INBOX -o OUTBOX``: the daily job (cron) over :mod:`ijwcli.verwerk`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ijwcli.cli import FormatOption, TodayOption, app, console, emit_json, handle_errors, parse_date


@app.command()
@handle_errors
def verwerk(
    inbox: Annotated[str, typer.Argument(
        metavar="INBOX", help="Map met de binnengekomen berichten (*.xml, recursief).")],
    uit: Annotated[str, typer.Option(
        "--output", "-o", metavar="OUTBOX",
        help="Map voor de antwoorden (retourberichten, JW325).")],
    archief: Annotated[str | None, typer.Option(
        "--archief", metavar="MAP", help="Verwerkte bestanden hierheen verplaatsen "
        "(standaard: archief in ijwcli.toml; zonder blijven ze staan).")] = None,
    laat_staan: Annotated[bool, typer.Option(
        "--laat-staan", help="Verwerkte bestanden in de inbox laten, ook als ijwcli.toml "
        "een archief noemt.")] = False,
    jw325: Annotated[bool | None, typer.Option(
        "--jw325/--geen-jw325", help="Een JW325 bij elke declaratie (standaard: jw325 in "
        "ijwcli.toml, anders ja).")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL_OF_PAD",
        help="Het register (standaard: IJWCLI_DB, ijwcli.toml, anders de gebruikersmap).")
    ] = None,
    config: Annotated[str | None, typer.Option(
        "--config", metavar="PAD", help="Configuratiebestand (standaard: IJWCLI_CONFIG, "
        "./ijwcli.toml, de gebruikersmap).")] = None,
    tarieven: Annotated[str | None, typer.Option(
        "--tarieven", metavar="CSV",
        help="Contracttarieven (productcode, tarief in centen, …) voor regel TR418 "
        "(standaard: tarieven in ijwcli.toml).")] = None,
    overzicht: Annotated[str | None, typer.Option(
        "--overzicht", metavar="XLSX", help="Ook een samenvatting als werkmap.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Een bestaande --overzicht-werkmap overschrijven.")] = False,
    today: TodayOption = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Alleen de berichten met bevindingen of zonder antwoord, en de "
        "samenvatting.")] = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Verwerk de inbox: inlezen, beoordelen, beantwoorden, archiveren (de dagelijkse taak).

    Elk nieuw bericht in INBOX, in de volgorde van het verkeer (Dagtekening):
    getoetst aan alle regels, ook de berichtoverstijgende tegen het register
    zoals het vóór dat bericht was; ingelezen in het register met dat oordeel;
    het antwoord (retourbericht, en JW325 bij een declaratie) in OUTBOX en in
    het register; het bestand naar het archief. Rol en eigen code komen uit
    ijwcli.toml.

    Nog eens draaien beantwoordt niets twee keer; na een onderbreking krijgt
    elk bericht precies één antwoord. Een slot houdt twee gelijktijdige runs
    op dezelfde inbox tegen. Voortgang alleen op een terminal (stil onder cron).

    Exit code 0: alles goedgekeurd; 1: bevindingen of bestanden zonder
    antwoord; 2: gebruiks- of bestandsfout (ook: slot bezet).

    Example: ijwcli verwerk inbox/ -o uitbox/ --archief archief/ --overzicht verslag.xlsx
    """
    from ijwcli import verwerk as vw
    from ijwcli.bestanden import controleer_doel
    from ijwcli.cli.voortgang import voortgang
    from ijwcli.config import laad_config
    from ijwcli.errors import FileError
    from ijwcli.register import open_register

    peildatum = parse_date(today, "--today")
    cfg = laad_config(config)
    rol = vw.rol_van(cfg)
    if not cfg.code:
        raise _gebruik("verwerk heeft de eigen code nodig (code in ijwcli.toml): daaraan "
                       "ziet ijwcli welke berichten binnenkomen")
    if not Path(inbox).is_dir():
        raise FileError("de inbox is geen map", where=inbox)
    prijzen = vw.laad_tarieven(tarieven or cfg.tarieven)
    if overzicht:
        if Path(overzicht).suffix.lower() != ".xlsx":
            raise _gebruik(f"--overzicht {overzicht}: gebruik een .xlsx-bestand")
        controleer_doel(Path(overzicht), force)
    map_archief = None if laat_staan else (archief or cfg.archief)
    maak_jw325 = jw325 if jw325 is not None else cfg.jw325 != "nee"
    with vw.vergrendel(inbox), open_register(db, cfg) as reg:
        from ijwcli.validatie import expand

        with voortgang(len(expand([inbox])), "verwerken") as stap:
            verslag = vw.verwerk(inbox, uit, reg, rol, today=peildatum, archief=map_archief,
                                 jw325=maak_jw325, tarieven=prijzen, stap=stap)
    if overzicht:
        from ijwcli.verwerk.overzicht import schrijf

        schrijf(verslag, Path(overzicht))
    code = 0 if verslag.alles_goed else 1
    if format == "json":
        emit_json(_json(verslag, code, overzicht))
    else:
        _toon(verslag, uit, quiet, overzicht)
    raise typer.Exit(code)


def _gebruik(tekst: str) -> Exception:
    from ijwcli.errors import UsageError

    return UsageError(tekst)


def _toon(verslag: Any, uit: str, quiet: bool, overzicht: str | None) -> None:
    from rich.markup import escape

    kleur = {"beantwoord": "green", "al beantwoord": "dim", "ingelezen": "cyan",
             "geweigerd": "red"}
    for u in verslag.uitkomsten:
        if quiet and u.goed:
            continue
        naar = f" → {escape(str(u.antwoord))}" if u.antwoord else ""
        codes = f" [{', '.join(u.retourcodes)}]" if u.retourcodes else ""
        console.print(f"{escape(u.bron)}{naar}  [{kleur[u.status]}]{u.status}[/]"
                      f"{escape(codes)}", soft_wrap=True)
        for b in u.bevindingen:
            waar = "".join(f" {w}" for w in (f"regel {b.line}" if b.line else "", b.path) if w)
            betreft = f" (betreft {b.betreft})" if b.betreft else ""
            console.print(escape(f"   {b.rule} [{b.retourcode}]{waar}: {b.message}{betreft}"),
                          soft_wrap=True)
        if u.reden and u.status == "geweigerd":
            console.print(f"   [red]✗ {escape(u.reden)}[/]", soft_wrap=True)
    t = verslag.telling()
    console.print(f"{t['berichten']} bericht(en): {t['beantwoord']} beantwoord, "
                  f"{t['al_beantwoord']} al eerder beantwoord, {t['ingelezen']} ingelezen, "
                  f"{t['geweigerd']} zonder antwoord; {t['met_bevindingen']} met bevindingen; "
                  f"{t['geschreven']} antwoord(en) in {uit}"
                  + (f"; overzicht in {overzicht}" if overzicht else ""),
                  style="green" if verslag.alles_goed else "red", soft_wrap=True,
                  markup=False)


def _json(verslag: Any, code: int, overzicht: str | None) -> dict[str, object]:
    from ijwcli.cli import uitvoer

    bevindingen: list[dict[str, object]] = []
    bestanden: list[dict[str, object]] = []
    for u in verslag.uitkomsten:
        bevindingen += [uitvoer.bevinding(b, file=u.bron) for b in u.bevindingen]
        if u.status == "geweigerd" and u.reden:
            bevindingen.append(uitvoer.melding("INVOER", u.reden, file=u.bron))
        if u.antwoord is not None and u.status == "beantwoord":
            bestanden.append(uitvoer.bestand(u.antwoord, u.antwoord_bericht, u.identificatie,
                                             u.bron))
    if overzicht:
        bestanden.append(uitvoer.bestand(overzicht))
    return uitvoer.document("verwerk", code, summary=verslag.telling(),
                            results=[u.to_dict() for u in verslag.uitkomsten],
                            files=bestanden, findings=bevindingen)
