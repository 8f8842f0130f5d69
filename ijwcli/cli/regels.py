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

    Status: geïmplementeerd, niet binnen één bericht (berichtoverstijgend)
    of niet geïmplementeerd (met de reden). Onderaan staat het
    geïmplementeerde aandeel van de regels die binnen één bericht te
    controleren zijn.

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
                    "aandeel": round(o.aandeel(rijen), 4)}
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document("regels", 0, summary=samenvatting,
                                   results=[r.to_dict() for r in rijen]))
        return
    from rich.table import Table

    table = Table(title=f"iJw-regels{' voor ' + bericht.upper() if bericht else ''}",
                  title_justify="left")
    for kolom in ("regel", "retour", "niveau", "status", "wat", "hoe / waarom"):
        table.add_column(kolom, overflow="fold")
    kleur = {o.GEIMPLEMENTEERD: "green", o.NIET_BINNEN_BERICHT: "dim",
             o.NIET_GEIMPLEMENTEERD: "red"}
    for r in rijen:
        table.add_row(r.code, r.retourcode, r.niveau, f"[{kleur[r.status]}]{r.status}[/]",
                      r.tekst, r.toelichting)
    console.print(table)
    console.print(f"{samenvatting['geimplementeerd']} van {samenvatting['binnen_bericht']} "
                  f"regels binnen één bericht geïmplementeerd "
                  f"({samenvatting['aandeel']:.1%})")
