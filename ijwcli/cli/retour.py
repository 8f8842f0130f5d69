"""``ijwcli retour``: write the retourbericht for incoming messages."""

from __future__ import annotations

from typing import Annotated

import typer

from ijwcli.cli import FormatOption, TodayOption, app, console, emit_json, handle_errors, parse_date


@app.command()
@handle_errors
def retour(
    paths: Annotated[list[str], typer.Argument(
        metavar="FILE...", help="Inkomende JW301/305/307/315/317/319-berichten of mappen.")],
    uit: Annotated[str, typer.Option(
        "--output", "-o", metavar="OUT",
        help="Map voor de retourberichten (of één .xml-bestand bij één invoer).")] = ".",
    today: TodayOption = None,
    regio: Annotated[str | None, typer.Option(
        "--regio", help="Ook de regionale afspraken controleren (hart-van-brabant, "
        "flevoland); gemeld naast het retourbericht.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Bestaande retourberichten overschrijven.")] = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Maak het retourbericht (JW302/306/308/316/318/320) bij elk inkomend bericht.

    Bestandsnaam: <JWnnn>_<BerichtCode>_<Identificatie>.xml. Exit code 0: alle berichten
    goedgekeurd; 1: minstens één bericht met bevindingen (het retourbericht is wel
    geschreven); 2: gebruiks- of bestandsfout.

    Example: ijwcli retour inbox/jw315_verzoek.xml -o uitbox/ --today 2026-03-03
    """
    from pathlib import Path

    from ijwcli import retour as rt
    from ijwcli.errors import UsageError
    from ijwcli.validate import expand

    files = expand(paths)
    if len(files) > 1 and uit.lower().endswith(".xml"):
        raise UsageError("-o naar één .xml-bestand kan alleen bij één invoerbestand")
    peildatum = parse_date(today)
    uitkomsten = []
    for f in files:
        r = rt.maak(f, peildatum, regio)
        doel = rt.schrijf(r, Path(uit), force)
        uitkomsten.append((r, doel))
    met_bevindingen = sum(bool(r.bevindingen or r.regio) for r, _ in uitkomsten)
    if format == "json":
        emit_json({"summary": {"files": len(uitkomsten), "met_bevindingen": met_bevindingen},
                   "results": [{**r.to_dict(), "output": str(d)} for r, d in uitkomsten]})
    else:
        for r, d in uitkomsten:
            status = "[red]afgekeurd (0001)[/]" if r.afgekeurd else (
                "[yellow]met retourcodes[/]" if r.bevindingen else "[green]goedgekeurd[/]")
            console.print(f"{r.bron} → {d}  {status}")
            for b in r.bevindingen + r.regio:
                waar = f" regel {b.line}" if b.line else ""
                console.print(f"   {b.rule} [{b.retourcode}]{waar} {b.path or ''}: {b.message}")
    raise typer.Exit(1 if met_bevindingen else 0)
