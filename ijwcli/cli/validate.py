"""``ijwcli validate``: check message files and report findings by rule code."""

from __future__ import annotations

import sys
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
def validate(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH", help="Berichtbestanden of mappen (*.xml, recursief); - leest stdin.")],
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
    today: TodayOption = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1,
        help="Aantal werkprocessen (standaard: de cores die dit proces mag gebruiken).")] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Alleen de ongeldige bestanden (één regel elk) en de "
        "samenvatting.")] = False,
    regio: Annotated[str | None, typer.Option(
        "--regio", help="Ook de regionale afspraken: hart-van-brabant, flevoland of een "
        "profielbestand (codes HVB-…, FL-…).")] = None,
    productcodes: Annotated[str | None, typer.Option(
        "--productcodes", metavar="CSV",
        help="Productcodelijst (categorie, code) voor regel TR381.")] = None,
    db: RegelDbOption = None,
    zonder_register: ZonderRegisterOption = False,
    tarieven: Annotated[str | None, typer.Option(
        "--tarieven", metavar="CSV",
        help="Contracttarieven (productcode, tarief in centen, …) voor regel TR418 "
        "(standaard: tarieven in ijwcli.toml).")] = None,
) -> None:
    """Valideer iJw 3.2-berichten: bestandsregels, structuur, datatypen en regels.

    Met een register (--db, IJWCLI_DB of db in ijwcli.toml) ook de
    berichtoverstijgende regels: elk bericht tegen het register zoals het
    vóór dat bericht was, vanuit de rol in ijwcli.toml (een start zonder
    toewijzing: TR019, retourcode 9019). validate schrijft niets in het
    register; zonder ingesteld register werkt validate als altijd.

    Exit code 0: alles geldig; 1: minstens één bericht ongeldig; 2: gebruiksfout.

    Example: ijwcli validate samples/ --format json
    """
    from ijwcli import validatie as v

    peildatum = parse_date(today, "--today")
    if regio:
        from ijwcli.verlenging.profiel import load

        load(regio)  # an unknown regio is a usage error before any file is read
    productcodelijst(productcodes)
    register = None
    if not zonder_register:
        from ijwcli.config import laad_config, register_ingesteld

        config = laad_config()
        if register_ingesteld(db, config):
            # Only then: a one-file call without a register need not import the inbox layer.
            from ijwcli import verwerk as vw

            rol = vw.rol_van(config)
            prijzen = vw.laad_tarieven(tarieven or config.tarieven)
            register = vw.open_bestaand(db, config)
    stdin = None
    if paths == ["-"]:
        stdin = sys.stdin.buffer.read()
        results = [v.validate_bytes(stdin, "-", peildatum, regio)]
    else:
        if "-" in paths:
            raise typer.BadParameter("- (stdin) kan niet samen met bestanden")
        files = v.xml_bestanden(paths)
        if not files:
            # Not an error (an empty inbox is normal in a batch job), but a mistyped folder
            # should not pass for "all valid" without a word.
            from ijwcli.cli import err_console

            err_console.print(f"let op: geen *.xml-bestanden gevonden in {', '.join(paths)}",
                              soft_wrap=True, markup=False)
        import gc

        from ijwcli.cli.voortgang import volg

        # What is loaded by now (modules, the CLI, the message model) lives until the process
        # ends: frozen, the collector no longer walks it again at every full collection while
        # the results pile up (5 % of the work per file in a batch of small messages), and
        # forked workers do not touch its pages.
        gc.freeze()
        results = list(volg(v.validate_many(files, peildatum, jobs, regio), len(files),
                            "valideren"))
    if register is not None:
        # One by one, after the in-message rules (which may have run in worker processes):
        # each message against the register as it was before it; nothing is imported.
        with register:
            for r in results:
                vw.aanvullen(r, register, rol, peildatum, prijzen, stdin)
    invalid = sum(not r.valid for r in results)
    summary = {"files": len(results), "valid": len(results) - invalid, "invalid": invalid,
               "warned": sum(bool(r.warnings) for r in results)}
    code = 1 if invalid else 0
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "validate", code, summary=summary, results=[r.to_dict() for r in results],
            findings=[uitvoer.bevinding(e, file=r.file, severity=ernst)
                      for r in results
                      for ernst, lijst in (("error", r.errors), ("warning", r.warnings))
                      for e in lijst]))
    else:
        _render(results, summary, quiet)
    raise typer.Exit(code)


def _render(results: list, summary: dict[str, int], quiet: bool) -> None:  # type: ignore[type-arg]
    gemeld = [] if quiet else [r for r in results if r.errors or r.warnings]
    if quiet:
        # Quiet still names what failed: a script's log must say which files to look at.
        for r in results:
            if not r.valid:
                codes = ", ".join(dict.fromkeys(e.rule for e in r.errors))
                console.print(f"ongeldig: {r.file} ({len(r.errors)} fout(en): {codes})",
                              style="red", markup=False, soft_wrap=True)
    if gemeld:
        # Only a report with findings pays for Rich's tables.
        from rich.markup import escape
        from rich.table import Table

        for r in gemeld:
            teken = "[bold red]✗[/]" if r.errors else "[bold yellow]![/]"
            table = Table(title=f"{teken} {escape(r.file)}  [dim]{r.bericht or '?'}[/]",
                          title_justify="left", show_lines=False, expand=False)
            # "code" (the rule) and "lijn" (the line): "regel" means both in Dutch. Codes and
            # numbers never wrap; a path folds at any character, a message between words.
            table.add_column("code", style="bold", no_wrap=True)
            table.add_column("retour", no_wrap=True)
            table.add_column("lijn", justify="right", no_wrap=True)
            table.add_column("element", overflow="fold", ratio=2)
            table.add_column("melding", ratio=3)
            for e in r.errors:
                betreft = f" [dim](betreft {escape(e.betreft)})[/]" if e.betreft else ""
                table.add_row(e.rule, e.retourcode, str(e.line or ""), e.path or "",
                              escape(e.message) + betreft)
            for e in r.warnings:
                table.add_row(f"[yellow]{e.rule}[/]", e.retourcode, str(e.line or ""),
                              e.path or "", f"[yellow]waarschuwing:[/] {escape(e.message)}")
            console.print(table)
    style = "green" if not summary["invalid"] else "red"
    gewaarschuwd = summary["warned"]
    extra = f", {gewaarschuwd} met waarschuwing" if gewaarschuwd else ""
    console.print(f"[{style}]{summary['files']} bestand(en): {summary['valid']} geldig, "
                  f"{summary['invalid']} ongeldig{extra}[/]", emoji=False)
