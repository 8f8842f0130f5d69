"""``ijwcli convert`` and ``ijwcli template``: ZilliZ-style Excel ↔ iJw XML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
from ijwcli.errors import UsageError

ForceOption = Annotated[bool, typer.Option(
    "--force", help="Overschrijf bestaande uitvoerbestanden.")]


@app.command()
@handle_errors
def convert(
    paths: Annotated[list[Path], typer.Argument(
        metavar="IN...", help="Werkboeken (.xlsx) of berichten (.xml, of mappen met *.xml).")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="OUT",
        help="Map voor de XML-bestanden (bij .xlsx-invoer) of het .xlsx-bestand (bij XML).")],
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Schrijf de geldige berichten en noem de ongeldige rijen.")
    ] = False,
    today: TodayOption = None,
    force: ForceOption = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Zet een Excel-werkboek om in iJw-berichten, of berichten in één werkboek.

    De richting volgt uit de extensie: .xlsx in → één gevalideerd XML-bestand per bericht in
    map OUT (naam: BerichtCode_Identificatie.xml); .xml-bestanden of mappen in → één .xlsx.
    Bij een fout wordt niets geschreven (exit 1), tenzij --skip-invalid.

    Example: ijwcli convert verzoeken.xlsx -o uit/
    """
    from ijwcli import excel

    soorten = {"xlsx" if excel.is_werkboek(p) else "xml" for p in paths}
    if len(soorten) > 1:
        raise UsageError("geef óf werkboeken (.xlsx) óf berichten (.xml/mappen), niet beide")
    if soorten == {"xlsx"}:
        verslag = excel.excel_naar_xml(paths, output, parse_date(today, "--today"), skip_invalid,
                                       force)
    else:
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"{output}: bij XML-invoer moet de uitvoer een .xlsx-bestand zijn")
        verslag = excel.xml_naar_excel(paths, output, skip_invalid, force)
    if format == "json":
        emit_json(verslag.to_dict())
    else:
        for w in verslag.waarschuwingen:
            err_console.print(f"[yellow]waarschuwing:[/] {w}", soft_wrap=True)
        for f in verslag.fouten:
            err_console.print(f"[bold red]fout:[/] {f}", soft_wrap=True, markup=True)
        if verslag.geschreven:
            doel = verslag.geschreven[0] if len(verslag.geschreven) == 1 else str(output)
            console.print(f"[green]{verslag.berichten} bericht(en) gelezen, "
                          f"{len(verslag.geschreven)} bestand(en) geschreven naar {doel}[/]")
        elif verslag.fouten:
            console.print("[red]niets geschreven: los de fouten op of gebruik "
                          "--skip-invalid[/]" if not skip_invalid else
                          "[red]niets geschreven: geen geldig bericht[/]")
        else:
            console.print("[yellow]geen berichten gevonden; niets geschreven[/]")
    raise typer.Exit(1 if verslag.fouten else 0)


@app.command()
@handle_errors
def template(
    berichttype: Annotated[str, typer.Argument(
        metavar="BERICHT", help="Berichttype: JW301 … JW325 (of de BerichtCode, bijv. 446).")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="OUT.xlsx",
                                         help="Het te maken werkboek.")],
    force: ForceOption = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Maak een leeg werkboek voor één berichttype, met keuzelijsten en invulhints.

    Example: ijwcli template JW315 -o verzoek.xlsx
    """
    from ijwcli.excel.layout import layout
    from ijwcli.excel.template import maak_template
    from ijwcli.model.berichten import get

    pad = maak_template(berichttype, output, force)
    lay = layout(get(berichttype).code)
    if format == "json":
        emit_json({"bestand": str(pad), "bericht": lay.code,
                   "sheets": {s.naam: s.koppen() for s in lay.sheets}})
    else:
        console.print(f"[green]{pad}[/]: werkboek voor {lay.code} "
                      f"({lay.definitie.naam}) met sheets {', '.join(s.naam for s in lay.sheets)}")
