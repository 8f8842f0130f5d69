"""``ijwcli toon``: messages as a person reads them, in the terminal, as HTML and as PDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ijwcli.cli import FormatOption, TodayOption, app, console, emit_json, handle_errors, parse_date


@app.command()
@handle_errors
def toon(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="Berichtbestanden of mappen (*.xml, recursief); - leest stdin.")],
    html: Annotated[str | None, typer.Option(
        "--html", metavar="OUT",
        help="Schrijf afdrukbare HTML: OUT.html met alle berichten, of een map OUT met "
        "index.html en één pagina per bericht.")] = None,
    pdf: Annotated[str | None, typer.Option(
        "--pdf", metavar="OUT",
        help="Schrijf PDF: OUT.pdf met alle berichten, of een map OUT met één PDF per "
        "bericht. Vraagt de extra fpdf2: pip install 'ijwcli\\[pdf]'.")] = None,
    mask_bsn: Annotated[bool, typer.Option(
        "--mask-bsn", help="Toon BSN's als 9999***** (ook in bevindingen).")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Bestaande uitvoerbestanden overschrijven.")] = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
    today: TodayOption = None,
) -> None:
    """Toon iJw-berichten leesbaar: kop met namen, cliënten, producten, betekenis van codes.

    Zonder --html/--pdf in de terminal. Een retourbericht staat naast zijn heen-bericht als
    beide bestanden gegeven zijn. Ongeldige berichten worden getoond voor zover leesbaar,
    met de bevindingen bovenaan.

    PDF vraagt de optionele extra fpdf2: pip install 'ijwcli\\[pdf]'.

    Exit code 0: alle berichten geldig; 1: minstens één bericht met bevindingen;
    2: gebruiks- of schrijffout.

    Example: ijwcli toon samples/jw301_toewijzing.xml --html jw301.html --pdf jw301.pdf
    """
    from ijwcli import toon as t

    peildatum = parse_date(today, "--today")
    if paths == ["-"]:
        paginas = [t.lees_bytes(sys.stdin.buffer.read(), "-", peildatum, mask_bsn)]
    else:
        if "-" in paths:
            raise typer.BadParameter("- (stdin) kan niet samen met bestanden")
        paginas = t.lees(paths, peildatum, mask_bsn)
    if not paginas:
        from ijwcli.cli import err_console

        err_console.print(f"let op: geen *.xml-bestanden gevonden in {', '.join(paths)}",
                          soft_wrap=True, markup=False)
    uit: list[tuple[Path, bytes]] = []
    if html is not None:
        from ijwcli.toon import html as h

        uit.extend(h.bestanden(paginas, Path(html)))
    if pdf is not None:
        from ijwcli.toon import pdf as p

        uit.extend(p.bestanden(paginas, Path(pdf)))
    if uit:
        from ijwcli.bestanden import schrijf_alles

        schrijf_alles(uit, force, invoer=[Path(x) for x in paths if x != "-"])
    alle = [q for p in paginas for q in ((p.heen, p) if p.heen else (p,))]
    ongeldig = sum(not p.geldig for p in alle)
    if format == "json":
        _json(paginas, alle, uit, 1 if ongeldig else 0)
    elif uit:
        for pad, _ in uit:
            console.print(f"geschreven: {pad}", markup=False, highlight=False)
        console.print(f"{len(alle)} bericht(en), {ongeldig} met bevindingen", markup=False)
    else:
        from ijwcli.toon.terminal import weergave

        for p in paginas:
            console.print(weergave(p, console.width))
    raise typer.Exit(1 if ongeldig else 0)


def _json(paginas: list, alle: list, uit: list[tuple[Path, bytes]],  # type: ignore[type-arg]
          exit_code: int) -> None:
    from ijwcli.cli import uitvoer

    def result(p) -> dict:  # type: ignore[no-untyped-def]
        return {"file": p.bestand, "bericht": p.code, "identificatie": p.identificatie,
                "valid": p.geldig, "clienten": p.clienten,
                "heen": None if p.heen is None else p.heen.bestand}

    def findings(p) -> list[dict]:  # type: ignore[no-untyped-def]
        return [uitvoer.bevinding({"rule": m.regel, "retourcode": m.retourcode,
                                   "path": m.element, "line": m.regelnummer, "message": m.tekst},
                                  file=p.bestand,
                                  severity="warning" if m.waarschuwing else "error")
                for m in p.meldingen]

    emit_json(uitvoer.document(
        "toon", exit_code,
        summary={"berichten": len(alle), "ongeldig": sum(not p.geldig for p in alle),
                 "geschreven": len(uit)},
        results=[result(p) for p in paginas],
        files=[uitvoer.bestand(pad) for pad, _ in uit],
        findings=[f for p in alle for f in findings(p)]))
