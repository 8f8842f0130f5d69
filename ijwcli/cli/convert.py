"""``ijwcli convert`` and ``ijwcli template``: ZilliZ-style Excel ↔ iJw XML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

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
        metavar="IN", help="Werkboeken (.xlsx) of berichten (.xml, of mappen met *.xml).")],
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
    map OUT (naam: JWnnn_BerichtCode_Identificatie.xml); .xml-bestanden of mappen in →
    één .xlsx.
    Bij een fout wordt niets geschreven (exit 1), tenzij --skip-invalid.

    Example: ijwcli convert verzoeken.xlsx -o uit/
    """
    from ijwcli import excel

    soorten = {"xlsx" if excel.is_werkboek(p) else "xml" for p in paths}
    if len(soorten) > 1:
        raise UsageError("geef óf werkboeken (.xlsx) óf berichten (.xml/mappen), niet beide")
    from ijwcli.cli.voortgang import voortgang

    if soorten == {"xlsx"}:
        peildatum = parse_date(today, "--today")
        with voortgang(None, "berichten omzetten") as stap:
            verslag = excel.excel_naar_xml(paths, output, peildatum, skip_invalid, force, stap)
    else:
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"{output}: bij XML-invoer moet de uitvoer een .xlsx-bestand zijn")
        with voortgang(None, "berichten lezen") as stap:
            verslag = excel.xml_naar_excel(paths, output, skip_invalid, force, stap)
    leeg = soorten == {"xlsx"} and not verslag.berichten and not verslag.fouten
    if leeg:
        # A workbook without a single message is not a success: a script must not take an
        # empty workbook for a converted one. (An empty folder of XML stays exit 0, as an
        # empty inbox does for validate.)
        verslag.fouten.append(_geen_berichten(paths))
    code = 1 if verslag.fouten else 0
    if format == "json":
        emit_json(_json(verslag, code))
    else:
        for w in verslag.waarschuwingen:
            err_console.print(f"[yellow]waarschuwing:[/] {escape(w)}", soft_wrap=True)
        for f in verslag.fouten:
            err_console.print(f"[bold red]fout:[/] {escape(str(f))}", soft_wrap=True)
        if verslag.geschreven:
            doel = verslag.geschreven[0] if len(verslag.geschreven) == 1 else str(output)
            console.print(f"[green]{verslag.berichten} bericht(en) gelezen, "
                          f"{len(verslag.geschreven)} bestand(en) geschreven naar "
                          f"{escape(doel)}[/]")
        elif leeg:
            console.print("[red]niets geschreven[/]")
        elif verslag.fouten:
            console.print("[red]niets geschreven: los de fouten op of gebruik "
                          "--skip-invalid[/]" if not skip_invalid else
                          "[red]niets geschreven: geen geldig bericht[/]")
        else:
            console.print("[yellow]geen berichten gevonden; niets geschreven[/]")
    raise typer.Exit(code)


def _geen_berichten(paths: list[Path]) -> Any:
    from ijwcli.excel import Fout

    namen = ", ".join(str(p) for p in paths)
    return Fout("geen berichten gevonden: het werkboek heeft geen ingevulde rij", bestand=namen)


def _json(verslag: Any, code: int) -> dict[str, Any]:
    from ijwcli.cli import uitvoer

    bestanden = []
    for pad in verslag.geschreven:
        soort, ident, _, bron = verslag.herkomst.get(pad, (None, None, "", None))
        bestanden.append(uitvoer.bestand(pad, soort, ident, bron))
    bevindingen = [uitvoer.bevinding(f.to_dict(), **{k: v for k, v in f.to_dict().items()
                                                     if k not in uitvoer.BEVINDING_SLEUTELS})
                   for f in verslag.fouten]
    bevindingen += [uitvoer.melding("EXCEL", w, severity="warning")
                    for w in verslag.waarschuwingen]
    summary = {"berichten": verslag.berichten, "geschreven": len(verslag.geschreven),
               "fouten": len(verslag.fouten), "waarschuwingen": len(verslag.waarschuwingen)}
    return uitvoer.document("convert", code, summary=summary, results=bestanden,
                            files=bestanden, findings=bevindingen)


@app.command()
@handle_errors
def template(
    berichttype: Annotated[str, typer.Argument(
        metavar="BERICHT", help="Berichttype: JW301 … JW325 (of de BerichtCode, bijv. 446), "
        "of 'verlenging' voor een leeg blad voor 'ijwcli verlenging --batch'.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="OUT.xlsx",
                                         help="Het te maken werkboek.")],
    force: ForceOption = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Maak een leeg werkboek voor één berichttype, met keuzelijsten en invulhints.

    Example: ijwcli template JW315 -o verzoek.xlsx

    Example (leeg blad voor verlenging --batch):

    ijwcli template verlenging -o verzoeken.xlsx
    """
    if berichttype.strip().lower() == "verlenging":
        _template_verlenging(output, force, format)
        return
    from ijwcli.excel.layout import layout
    from ijwcli.excel.template import maak_template
    from ijwcli.model.berichten import get

    pad = maak_template(berichttype, output, force)
    lay = layout(get(berichttype).code)
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "template", 0, summary={"geschreven": 1, "sheets": len(lay.sheets)},
            results=[{"bericht": lay.code, "sheet": s.naam, "kolommen": s.koppen()}
                     for s in lay.sheets],
            files=[uitvoer.bestand(pad, lay.code)]))
    else:
        console.print(f"[green]{pad}[/]: werkboek voor {lay.code} "
                      f"({lay.definitie.naam}) met sheets {', '.join(s.naam for s in lay.sheets)}")


def _template_verlenging(output: Path, force: bool, format: str) -> None:  # noqa: A002
    from ijwcli.verlenging.batch import SJABLOON_KOLOMMEN, sjabloon

    pad = sjabloon(output, force)
    kolommen = [k for k, _, _ in SJABLOON_KOLOMMEN]
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "template", 0, summary={"geschreven": 1, "sheets": 2},
            results=[{"bericht": "verlenging", "sheet": "Verzoeken", "kolommen": kolommen},
                     {"bericht": "verlenging", "sheet": "Codelijsten",
                      "kolommen": ["regio", "verwijzer", "janee", "LDT_Eenheid",
                                   "LDT_Frequentie"]}],
            files=[uitvoer.bestand(pad)]))
    else:
        console.print(f"[green]{pad}[/]: leeg blad voor 'ijwcli verlenging --batch' (sheet "
                      f"Verzoeken, {len(kolommen)} kolommen met keuzelijsten; sheet Codelijsten)")
