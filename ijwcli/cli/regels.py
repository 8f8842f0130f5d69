"""``ijwcli regels``: the rule table with the status of every rule."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.text import Text

from ijwcli.cli import FormatOption, app, console, emit_json, handle_errors
from ijwcli.errors import UsageError


@app.command()
@handle_errors
def regels(
    bericht: Annotated[str | None, typer.Option(
        "--bericht", "-b", metavar="JWnnn", help="Alleen de regels van dit berichttype.")] = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Toon alle regels van de iJw-tabellen met hun status in ijwcli.

    Status: geïmplementeerd, geïmplementeerd (met register) voor de
    berichtoverstijgende regels (getoetst tegen het register of --eerder),
    niet binnen één bericht of niet geïmplementeerd (met de reden). Onderaan
    staan beide geïmplementeerde aandelen en de afwijkingen van de officiële
    validatie-XSLT (waar die aantoonbaar tegen de regeltekst ingaat), met de
    reden.

    Example: ijwcli regels --bericht JW315
    """
    from ijwcli.model.berichten import BERICHTEN
    from ijwcli.validatie.regels import overzicht as o

    if bericht and bericht.upper() not in BERICHTEN:
        raise UsageError(f"onbekend berichttype {bericht!r} (kies uit {', '.join(BERICHTEN)})")
    rijen = o.overzicht(bericht)
    binnen = o.binnen_bericht(rijen)
    samenvatting = {"regels": len(rijen), "binnen_bericht": len(binnen),
                    "geimplementeerd": sum(r.status == o.GEIMPLEMENTEERD for r in binnen),
                    "aandeel": round(o.aandeel(rijen), 4),
                    "berichtoverstijgend": len(o.overstijgend(rijen)),
                    "berichtoverstijgend_geimplementeerd": sum(
                        r.status == o.MET_REGISTER for r in o.overstijgend(rijen)),
                    "aandeel_berichtoverstijgend": round(o.aandeel_overstijgend(rijen), 4)}
    afwijkingen = o.afwijkingen(bericht)
    if format == "json":
        from ijwcli.cli import uitvoer

        # A rule where ijwcli deliberately differs from the official XSLT carries the
        # deviation (name, what each does, why) in its result.
        per_regel: dict[str, list[dict[str, object]]] = {}
        for a in afwijkingen.values():
            for code in a.regels:
                per_regel.setdefault(code, []).append(
                    {k: v for k, v in a.to_dict().items() if k != "regels"})
        results = [{**r.to_dict(), "afwijkingen": per_regel.get(r.code, [])} for r in rijen]
        emit_json(uitvoer.document("regels", 0,
                                   summary={**samenvatting, "afwijkingen": len(afwijkingen)},
                                   results=results))
        return
    console.print(_als_tekst(bericht, rijen, afwijkingen, samenvatting, console.width),
                  soft_wrap=True)


def _als_tekst(bericht: str | None, rijen: list[Any], afwijkingen: dict[str, Any],
               samenvatting: dict[str, Any], breedte: int) -> Text:
    """The rules as blocks: code, retourcode, level and status on one line, the texts below
    it, wrapped by words at the console width (no word is ever broken in two).

    Blocks rather than a Rich table: a table measures and wraps every cell twice, which made
    ``ijwcli regels --bericht JW315`` take twice the start-up of ``ijwcli validate FILE``; the
    blocks need a fraction of that and stay readable at 80 columns.
    """
    from ijwcli.validatie.regels import overzicht as o

    kleur = {o.GEIMPLEMENTEERD: "green", o.NIET_BINNEN_BERICHT: "dim", o.MET_REGISTER: "cyan",
             o.NIET_GEIMPLEMENTEERD: "red"}
    inspring = max([len(r.code) for r in rijen] or [5]) + 2
    uit = Text()
    uit.append(f"iJw-regels{' voor ' + bericht.upper() if bericht else ''}\n", "bold")
    for r in rijen:
        uit.append("\n")
        uit.append(r.code.ljust(inspring), "bold")
        uit.append(f"retour {r.retourcode}  {r.niveau}  ")
        uit.append(r.status, kleur[r.status])
        uit.append("\n")
        uit.append(_alinea(r.tekst, inspring, breedte))
        if r.toelichting:
            uit.append(_alinea(r.toelichting, inspring, breedte), "dim")
    uit.append("\n" + _alinea(f"{samenvatting['geimplementeerd']} van "
                              f"{samenvatting['binnen_bericht']} regels binnen één bericht "
                              f"geïmplementeerd ({samenvatting['aandeel']:.1%})", 0, breedte))
    if samenvatting["berichtoverstijgend"]:
        uit.append(_alinea(f"{samenvatting['berichtoverstijgend_geimplementeerd']} van "
                           f"{samenvatting['berichtoverstijgend']} berichtoverstijgende regels "
                           f"geïmplementeerd met register of --eerder "
                           f"({samenvatting['aandeel_berichtoverstijgend']:.1%})", 0, breedte))
    if afwijkingen:
        uit.append("\n" + _alinea("Afwijkingen van de officiële validatie-XSLT (iJw 3.2, "
                                  "2.10.5): hier volgt ijwcli de regeltekst", 0, breedte), "bold")
        for a in afwijkingen.values():
            uit.append("\n" + _alinea(f"{a.naam} ({', '.join(a.regels)})", 0, breedte), "bold")
            for kop, tekst in (("de XSLT", a.xslt), ("ijwcli", a.ijwcli), ("waarom", a.reden)):
                uit.append(_alinea(f"{kop}: {tekst}", 4, breedte))
    return uit


def _alinea(tekst: str, inspring: int, breedte: int) -> str:
    import textwrap

    return "".join(textwrap.fill(regel, max(breedte, inspring + 20), initial_indent=" " * inspring,
                                 subsequent_indent=" " * inspring, break_long_words=False,
                                 break_on_hyphens=False) + "\n"
                   for regel in tekst.splitlines() or [""])
