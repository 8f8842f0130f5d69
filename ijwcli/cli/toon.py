"""``ijwcli toon``: messages as a person reads them, in the terminal, as HTML and as PDF."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ijwcli.cli import FormatOption, TodayOption, app, console, emit_json, handle_errors, parse_date

if TYPE_CHECKING:
    from ijwcli.toon.weergave import Pagina


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
    register: Annotated[bool, typer.Option(
        "--register", help="Zoek het heen-bericht van een retourbericht ook in het register "
        "(--db, IJWCLI_DB, ijwcli.toml of het standaardregister).")] = False,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL_OR_PATH",
        help="Het register (SQLite-bestand of postgresql+psycopg://…); geeft --register.")
    ] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Bestaande uitvoerbestanden overschrijven.")] = False,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
    today: TodayOption = None,
) -> None:
    """Toon iJw-berichten leesbaar: kop met namen, cliënten, producten, betekenis van codes.

    Zonder --html/--pdf in de terminal. Een retourbericht staat naast zijn heen-bericht als
    beide bestanden gegeven zijn, of met --register als het register het heen-bericht
    kent. Ongeldige berichten worden getoond voor zover leesbaar,
    met de bevindingen bovenaan.

    PDF vraagt de optionele extra fpdf2: pip install 'ijwcli\\[pdf]'.

    Exit code 0: alle berichten geldig; 1: minstens één bericht met bevindingen;
    2: gebruiks- of schrijffout.

    Example: ijwcli toon samples/jw301_toewijzing.xml --html jw301.html --pdf jw301.pdf
    """
    peildatum = parse_date(today, "--today")
    if "-" in paths and paths != ["-"]:
        raise typer.BadParameter("- (stdin) kan niet samen met bestanden")
    paginas = _lees(paths, peildatum, mask_bsn, register or db is not None, db)
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


def _lees(paths: list[str], peildatum: dt.date | None, masker: bool, register: bool,
          db: str | None) -> list[Pagina]:
    from ijwcli import toon as t

    def lees(zoek: Callable[[Pagina], Pagina | None] | None) -> list[Pagina]:
        if paths == ["-"]:
            p = t.lees_bytes(sys.stdin.buffer.read(), "-", peildatum, masker)
            return t.koppel([p], zoek)
        return t.lees(paths, peildatum, masker, zoek)

    if not register:
        return lees(None)
    from ijwcli.config import register_locatie
    from ijwcli.errors import FileError
    from ijwcli.register import open_register

    locatie, bron = register_locatie(db)
    # Showing only reads: a register file that is not there is not made (open_register
    # would create an empty one).
    if "://" not in locatie and not Path(locatie.removeprefix("sqlite:")).exists():
        raise FileError(f"het register bestaat niet (uit {bron}); importeer eerst berichten",
                        where=locatie)
    with open_register(db) as reg:
        return lees(t.uit_register(reg, peildatum, masker))


def _json(paginas: list[Pagina], alle: list[Pagina], uit: list[tuple[Path, bytes]],
          exit_code: int) -> None:
    from ijwcli.cli import uitvoer

    def result(p: Pagina) -> dict[str, object]:
        return {"file": p.bestand, "bericht": p.code, "identificatie": p.identificatie,
                "valid": p.geldig, "clienten": p.clienten,
                "heen": None if p.heen is None else p.heen.bestand}

    def findings(p: Pagina) -> list[dict[str, object]]:
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
