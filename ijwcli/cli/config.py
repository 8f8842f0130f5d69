"""``ijwcli config show``: the effective configuration and where each value came from."""

from __future__ import annotations

from typing import Annotated

import typer

from ijwcli.cli import FormatOption, app, console, emit_json, handle_errors
from ijwcli.cli.snelstart import Groep

config_app = typer.Typer(
    name="config", cls=Groep, no_args_is_help=True,
    help="Het configuratiebestand ijwcli.toml: eigen rol en code, regio, register, sjabloon.")
app.add_typer(config_app, name="config")


@config_app.command("show")
@handle_errors
def show(
    config: Annotated[str | None, typer.Option(
        "--config", metavar="PAD", help="Configuratiebestand (standaard: IJWCLI_CONFIG, "
        "./ijwcli.toml, de gebruikersmap).")] = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Toon de geldende instellingen en waar elke waarde vandaan komt.

    Een fout in het bestand is een gebruiksfout (exit 2) met bestand, regel en sleutel.

    Example: ijwcli config show
    """
    from ijwcli.config import SLEUTELS, laad_config, register_locatie

    c = laad_config(config)
    rijen = [{"sleutel": k, "waarde": getattr(c, k), "bron": c.bron(k)} for k in SLEUTELS]
    # Defaults for template placeholders (generate asks them last), one row each.
    rijen += [{"sleutel": f"waarden.{k}", "waarde": v, "bron": c.bron("waarden")}
              for k, v in c.waarden.items()]
    # The register as commands will open it: IJWCLI_DB wins over the file's db.
    locatie, bron = register_locatie(None, c)
    if "://" in locatie:
        from ijwcli.register.verbinding import toon_url

        locatie = toon_url(locatie)
    rijen.append({"sleutel": "register", "waarde": locatie, "bron": bron})
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document("config show", 0, summary={"ingesteld": sum(
            r["bron"] != "standaard" for r in rijen)}, results=rijen))
        return
    from rich.markup import escape

    console.print(f"configuratiebestand: {escape(c.bestand or '(geen)')}")
    for r in rijen:
        waarde = "[dim](niet ingesteld)[/]" if r["waarde"] is None else escape(str(r["waarde"]))
        console.print(f"  {r['sleutel']:<9} {waarde}  [dim]← {escape(r['bron'])}[/]")
