"""The ijwcli command line: a thin Typer skin over the library.

Each command group lives in its own module here and registers itself on :data:`app`. Shared
pieces every command uses:

- :data:`FormatOption` / :data:`TodayOption`: the same ``--format`` and ``--today`` everywhere;
- :func:`handle_errors`: turns every :class:`ijwcli.errors.IjwError` into one clean message on
  stderr and its exit code (1 invalid input, 2 usage or I/O), and any stray ``OSError`` into
  exit 2, never a traceback;
- :mod:`ijwcli.cli.uitvoer`: the one JSON shape of ``--format json`` (read its docstring
  before adding a command); :func:`emit_json` writes it;
- :mod:`ijwcli.cli.voortgang`: a Rich progress bar on stderr for long work, only on a terminal.

Command modules import the library inside their functions so ``ijwcli validate FILE`` does
not pay for openpyxl and friends.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ijwcli import __version__
from ijwcli.cli.snelstart import App, Groep
from ijwcli.errors import FileError, IjwError, UsageError

# App and Groep build only the command that runs and convert plain option values without
# Pydantic: see ijwcli.cli.snelstart.
app = App(
    name="ijwcli",
    cls=Groep,
    help="Backoffice-gereedschap voor iJw 3.2 berichtenverkeer (Jeugdwet).",
    no_args_is_help=True,
    add_completion=False,  # our own lazy --install-completion / --show-completion below
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)

# emoji=False: no ":code:" in a message is ever meant as an emoji, and the replacement loads
# Rich's emoji table (some 3,000 names) on the first print of every run.
console = Console(highlight=False, emoji=False)
err_console = Console(stderr=True, highlight=False, emoji=False)


class Format(enum.StrEnum):
    text = "text"
    json = "json"


FormatOption = Annotated[Format, typer.Option(
    "--format", "-f", help="Uitvoer voor mensen (text) of voor scripts (json, op stdout).")]

# Register options shared by every command that opens the register ...
DbOption = Annotated[str | None, typer.Option(
    "--db", metavar="URL_OF_PAD",
    help="Het register: een SQLite-bestand of postgresql://…-URL (standaard: IJWCLI_DB, "
    "ijwcli.toml, anders de gebruikersmap).")]
ConfigOption = Annotated[str | None, typer.Option(
    "--config", metavar="PAD", help="Configuratiebestand (standaard: IJWCLI_CONFIG, "
    "./ijwcli.toml, de gebruikersmap).")]
# ... and by the commands that only consult it when one is configured (validate, retour).
RegelDbOption = Annotated[str | None, typer.Option(
    "--db", metavar="URL_OF_PAD",
    help="Het register voor de berichtoverstijgende regels (anders IJWCLI_DB of db in "
    "ijwcli.toml).")]
ZonderRegisterOption = Annotated[bool, typer.Option(
    "--zonder-register", help="Geen berichtoverstijgende regels, ook als er een register "
    "is ingesteld.")]


_MAAND, _DAG = r"(1[0-2]|0[1-9]|[1-9])", r"(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])"
_JJJJ_MM_DD, _DD_MM_JJJJ = rf"(\d{{4}})-{_MAAND}-{_DAG}", rf"{_DAG}-{_MAAND}-(\d{{4}})"


def parse_date(value: str | None, optie: str | None = None) -> dt.date | None:
    """JJJJ-MM-DD (DD-MM-JJJJ is read too); a bad value raises :class:`UsageError` naming
    the option and the value.

    >>> parse_date("31-06-2026", "--einddatum")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ijwcli.errors.UsageError: --einddatum: '31-06-2026' is geen geldige datum (...)
    >>> parse_date("2026-3-1"), parse_date("01-03-2026")
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    """
    if value is None:
        return None
    # What strptime reads for "%Y-%m-%d" and "%d-%m-%Y", without strptime: its first call
    # builds the locale's date tables (the _strptime module), a few ms of every one-file
    # call with --today.
    m = re.fullmatch(_JJJJ_MM_DD, value)
    if m:
        jaar, maand, dag = m.group(1, 2, 3)
    else:
        m = re.fullmatch(_DD_MM_JJJJ, value)
        dag, maand, jaar = m.group(1, 2, 3) if m else ("", "", "")
    if m:
        try:
            return dt.date(int(jaar), int(maand), int(dag))
        except ValueError:
            pass
    raise UsageError(f"{value!r} is geen geldige datum (gebruik JJJJ-MM-DD)",
                     where=optie)


def productcodelijst(pad: str | None = None) -> None:
    """Load the TR381 product code list (``pad``, else ``IJWCLI_PRODUCTCODES``) before any
    message is read: a list that cannot be used is a usage error naming the list (exit 2), not
    a finding of every message."""
    from ijwcli.errors import InvalidInput
    from ijwcli.validatie.regels import productcodes

    try:
        if pad:
            productcodes.configureer(pad)
        else:
            productcodes.actief()
    except InvalidInput as exc:
        raise UsageError(exc.message, where=exc.where) from None


TodayOption = Annotated[str | None, typer.Option(
    "--today", metavar="JJJJ-MM-DD",
    help="Peildatum voor datumregels (standaard: de systeemdatum).")]

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(fn: F) -> F:
    """Library errors become one clean line on stderr and the error's exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        als_json = kwargs.get("format") == "json" or bool(kwargs.get("json_"))

        def _fout_als_json(message: str, exit_code: int, rule: str, where: str | None,
                           meldingen: list[str] | None = None) -> None:
            if als_json:
                from ijwcli.cli import uitvoer

                # An error that lists several problems (every missing value, every bad row)
                # gives one finding each.
                findings = [uitvoer.melding(rule, m, path=where) for m in meldingen or []] or [
                    uitvoer.melding(rule, message, path=where)]
                uitvoer.emit(uitvoer.document(commandonaam_nu(), exit_code, findings=findings))

        try:
            return fn(*args, **kwargs)
        except IjwError as exc:
            err_console.print(f"[bold red]fout:[/] {escape(str(exc))}", soft_wrap=True)
            soort = ("GEBRUIK" if isinstance(exc, UsageError) else
                     "BESTAND" if isinstance(exc, FileError) else "INVOER")
            _fout_als_json(exc.message, exc.exit_code, soort, exc.where,
                           getattr(exc, "meldingen", None))
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            # The last net: an I/O failure the library did not turn into a finding (a folder
            # it may not list, a symlink loop) is an I/O error, exit 2, not a traceback.
            where = f"{exc.filename}: " if exc.filename else ""
            err_console.print(f"[bold red]fout:[/] {escape(where + (exc.strerror or str(exc)))}",
                              soft_wrap=True)
            _fout_als_json(exc.strerror or str(exc), 2, "BESTAND",
                           str(exc.filename) if exc.filename else None)
            raise typer.Exit(2) from None
        except typer.BadParameter as exc:
            # Raised by a command body (not by Click's parsing): still a usage error.
            err_console.print(f"[bold red]fout:[/] {escape(exc.format_message())}",
                              soft_wrap=True)
            _fout_als_json(exc.format_message(), 2, "GEBRUIK", None)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err_console.print(escape(afgebroken_melding()), soft_wrap=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def commandonaam_nu() -> str:
    """The running command as typed after ``ijwcli``: ``validate``, ``generate jw301``."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None:
        return "ijwcli"
    return " ".join(ctx.command_path.split()[1:]) or "ijwcli"


def afgebroken_melding() -> str:
    """What Ctrl-C left behind: the files already placed (batches are placed all at once,
    so this is every file of a finished batch or none of it)."""
    from ijwcli.bestanden import GESCHREVEN

    if not GESCHREVEN:
        return "afgebroken; niets geschreven"
    namen = ", ".join(str(p) for p in GESCHREVEN[:5])
    meer = f" en {len(GESCHREVEN) - 5} andere" if len(GESCHREVEN) > 5 else ""
    return f"afgebroken; wel geschreven: {len(GESCHREVEN)} bestand(en): {namen}{meer}"


def emit_json(data: object) -> None:
    """Write ``data`` (a :func:`ijwcli.cli.uitvoer.document`) as JSON on stdout."""
    from ijwcli.cli import uitvoer

    uitvoer.emit(data)


def _version(value: bool) -> None:
    if value:
        console.print(f"ijwcli {__version__}")
        raise typer.Exit()


def _completion(ctx: typer.Context, param: Any, value: bool) -> None:
    """--install-completion / --show-completion: Typer's own, imported only when asked
    (Typer's add_completion would load its completion modules on every run)."""
    if not value or ctx.resilient_parsing:
        return
    from typer import completion

    completion.completion_init()
    if param.name == "show_completion":
        completion.show_callback(ctx, param, value)
    shell, pad = completion.install(prog_name=ctx.find_root().info_name or "ijwcli")
    console.print(f"tab-aanvulling voor {shell} geïnstalleerd in {pad}", style="green",
                  soft_wrap=True, markup=False)
    console.print("Ze werkt zodra u een nieuwe terminal opent.")
    raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Toon de versie en stop.")] = False,
    install_completion: Annotated[bool, typer.Option(
        "--install-completion", callback=_completion, is_eager=True, expose_value=False,
        help="Installeer tab-aanvulling voor de huidige shell (bash, zsh, fish, PowerShell).")
    ] = False,
    show_completion: Annotated[bool, typer.Option(
        "--show-completion", callback=_completion, is_eager=True, expose_value=False,
        help="Toon het aanvulscript voor de huidige shell, om te kopiëren of aan te passen.")
    ] = False,
) -> None:
    """Backoffice-gereedschap voor iJw 3.2 berichtenverkeer (Jeugdwet).

    Example: ijwcli validate samples/
    """


# Each command module registers its commands on `app` when imported.
from ijwcli.cli import (  # noqa: E402, F401
    config,
    convert,
    generate,
    regels,
    register,
    retour,
    toon,
    validate,
    verlenging,
    verwerk,
)
