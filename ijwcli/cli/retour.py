"""``ijwcli retour``: write the retourbericht for incoming messages."""

from __future__ import annotations

from typing import Annotated

import typer

from ijwcli.cli import (
    FormatOption,
    RegelDbOption,
    TodayOption,
    ZonderRegisterOption,
    app,
    console,
    emit_json,
    handle_errors,
    parse_date,
    productcodelijst,
)


@app.command()
@handle_errors
def retour(
    paths: Annotated[list[str], typer.Argument(
        metavar="FILE", help="Inkomende JW301/305/307/315/317/319-berichten of mappen.")],
    uit: Annotated[str, typer.Option(
        "--output", "-o", metavar="OUT",
        help="Map voor de retourberichten (of één .xml-bestand bij één invoer).")] = ".",
    today: TodayOption = None,
    regio: Annotated[str | None, typer.Option(
        "--regio", help="Ook de regionale afspraken controleren (hart-van-brabant, "
        "flevoland); gemeld naast het retourbericht.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Bestaande retourberichten overschrijven.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Alleen de berichten met bevindingen of zonder retourbericht, "
        "en de samenvatting.")] = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
    db: RegelDbOption = None,
    zonder_register: ZonderRegisterOption = False,
) -> None:
    """Maak het retourbericht (JW302/306/308/316/318/320) bij elk inkomend bericht.

    Met een register (--db, IJWCLI_DB of db in ijwcli.toml) staan ook de
    retourcodes van de berichtoverstijgende regels erin (9019: start zonder
    toewijzing, 9326: tweede start, 9069: stop met andere sleutels dan de
    start), elk bericht beoordeeld tegen het register zoals het vóór dat
    bericht was. retour schrijft niets in het register (verwerk wel).

    Bestandsnaam: <JWnnn>_<BerichtCode>_<Identificatie>.xml, als bij convert
    en generate.

    Alles of niets: bestaat een doelbestand al (zonder --force) of krijgen
    twee invoerbestanden dezelfde naam, dan wordt niets geschreven. Een
    bestand zonder antwoord (geen XML, geen heen-bericht) wordt gemeld; de
    andere krijgen hun retourbericht wel.

    Exit code 0: alle berichten goedgekeurd; 1: minstens één bericht met
    bevindingen of zonder retourbericht; 2: gebruiks- of bestandsfout
    (niets geschreven).

    Example: ijwcli retour inbox/jw315_verzoek.xml -o uitbox/ --today 2026-03-03
    """
    from rich.markup import escape

    from ijwcli.validatie import expand
    from ijwcli.validatie import retour as rt

    peildatum = parse_date(today, "--today")
    productcodelijst()  # IJWCLI_PRODUCTCODES
    from ijwcli.cli.voortgang import voortgang

    bronnen = expand(paths)
    oordeel, register = None, None
    if not zonder_register:
        from ijwcli.config import laad_config, register_ingesteld

        config = laad_config()
        if register_ingesteld(db, config):
            # Only then: a one-file call without a register need not import the inbox layer.
            from ijwcli import verwerk as vw

            rol = vw.rol_van(config)
            register = vw.open_bestaand(db, config)
            oordeel = vw.beoordelaar(register, rol, peildatum)
    try:
        with voortgang(len(bronnen), "retourberichten") as stap:
            batch = rt.beantwoord(bronnen, uit, peildatum, regio, force, stap, oordeel)
    finally:
        if register is not None:
            register.close()
    code = 0 if batch.alles_goed else 1
    if format == "json":
        emit_json(_json(batch, code))
    else:
        for r, d in batch.geschreven:
            if quiet and not (r.bevindingen or any(not b.waarschuwing for b in r.regio)):
                continue
            status = "[red]afgekeurd (0001)[/]" if r.afgekeurd else (
                "[yellow]met retourcodes[/]" if r.bevindingen else "[green]goedgekeurd[/]")
            console.print(f"{escape(r.bron)} → {escape(str(d))}  {status}")
            for b in r.bevindingen + r.regio:
                waar = f" regel {b.line}" if b.line else ""
                # Escaped: messages quote patterns like [0-9]{8} and values from the file.
                soort = "waarschuwing: " if b.waarschuwing else ""
                betreft = f" (betreft {b.betreft})" if b.betreft else ""
                console.print(escape(f"   {b.rule} [{b.retourcode}]{waar} {b.path or ''}: "
                                     f"{soort}{b.message}{betreft}"))
        for bron, reden in batch.geweigerd:
            console.print(f"{escape(bron)}: [red]✗ {escape(reden)}[/]")
        console.print(samenvatting(batch, uit), style="green" if batch.alles_goed else "red")
    raise typer.Exit(code)


def samenvatting(batch: object, uit: str) -> str:
    """The closing line: how many answered, and how."""
    geschreven = batch.geschreven  # type: ignore[attr-defined]
    afgekeurd = sum(r.afgekeurd for r, _ in geschreven)
    met = batch.met_bevindingen - afgekeurd  # type: ignore[attr-defined]
    goed = len(geschreven) - afgekeurd - met
    geweigerd = len(batch.geweigerd)  # type: ignore[attr-defined]
    return (f"{len(geschreven) + geweigerd} bericht(en): {goed} goedgekeurd, {met} met "
            f"retourcodes, {afgekeurd} afgekeurd, {geweigerd} zonder retourbericht; "
            f"{len(geschreven)} retourbericht(en) in {uit}")


def _json(batch: object, code: int) -> dict[str, object]:
    from ijwcli.cli import uitvoer

    resultaten: list[dict[str, object]] = []
    bevindingen: list[dict[str, object]] = []
    for r, d in batch.geschreven:  # type: ignore[attr-defined]
        status = ("afgekeurd" if r.afgekeurd else
                  "met_retourcodes" if r.bevindingen else "goedgekeurd")
        resultaten.append({**r.to_dict(), "status": status, "output": str(d)})
        bevindingen += [uitvoer.bevinding(b, file=r.bron) for b in r.bevindingen]
        bevindingen += [uitvoer.bevinding(b, file=r.bron,
                                          severity="warning" if b.waarschuwing else "error")
                        for b in r.regio]
    for bron, reden in batch.geweigerd:  # type: ignore[attr-defined]
        resultaten.append({"file": bron, "bericht": None, "retour": None, "status": "geweigerd",
                           "retourcodes": [], "output": None, "reden": reden})
        bevindingen.append(uitvoer.melding("INVOER", reden, file=bron))
    summary = batch.to_dict()["summary"]  # type: ignore[attr-defined]
    bestanden = [uitvoer.bestand(d, r.bericht.code, r.bericht.identificatie, r.bron)
                 for r, d in batch.geschreven]  # type: ignore[attr-defined]
    return uitvoer.document("retour", code, summary=summary, results=resultaten,
                            files=bestanden, findings=bevindingen)
