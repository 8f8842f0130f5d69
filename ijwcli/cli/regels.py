"""``ijwcli regels``: the rule table with the status of every rule."""

from __future__ import annotations

from typing import Annotated

import typer

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
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"iJw-regels{' voor ' + bericht.upper() if bericht else ''}",
                  title_justify="left")
    # Readable at 80 columns: no word broken in two ("geïmplemente erd"). Codes never wrap;
    # niveau and status share a column as wide as their longest word; the texts wrap by words.
    table.add_column("code", no_wrap=True)
    table.add_column("retour", no_wrap=True)
    table.add_column("niveau, status", min_width=max(
        [len(w) for r in rijen for w in f"{r.niveau} {r.status}".split()] or [6]))
    table.add_column("wat (hoe / waarom)", ratio=1, min_width=20)
    kleur = {o.GEIMPLEMENTEERD: "green", o.NIET_BINNEN_BERICHT: "dim", o.MET_REGISTER: "cyan",
             o.NIET_GEIMPLEMENTEERD: "red"}
    for r in rijen:
        uitleg = escape(r.tekst) + (f"\n[dim]{escape(r.toelichting)}[/]" if r.toelichting else "")
        table.add_row(r.code, r.retourcode, f"{r.niveau}\n[{kleur[r.status]}]{r.status}[/]",
                      uitleg)
    console.print(table)
    console.print(f"{samenvatting['geimplementeerd']} van {samenvatting['binnen_bericht']} "
                  f"regels binnen één bericht geïmplementeerd "
                  f"({samenvatting['aandeel']:.1%})")
    if samenvatting["berichtoverstijgend"]:
        console.print(f"{samenvatting['berichtoverstijgend_geimplementeerd']} van "
                      f"{samenvatting['berichtoverstijgend']} berichtoverstijgende regels "
                      f"geïmplementeerd met register of --eerder "
                      f"({samenvatting['aandeel_berichtoverstijgend']:.1%})")
    if afwijkingen:
        # Rich markup in the texts ('[...]') must stay text.
        from rich.markup import escape

        tabel = Table(title="Afwijkingen van de officiële validatie-XSLT (iJw 3.2, 2.10.5): "
                      "hier volgt ijwcli de regeltekst", title_justify="left")
        for kolom in ("afwijking", "regels", "de XSLT", "ijwcli", "waarom"):
            tabel.add_column(kolom, overflow="fold")
        for a in afwijkingen.values():
            tabel.add_row(a.naam, ", ".join(a.regels), escape(a.xslt), escape(a.ijwcli),
                          escape(a.reden))
        console.print(tabel)
