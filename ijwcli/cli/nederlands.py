"""Typer's and Click's own texts in Dutch: help panels, usage lines, metavars, usage errors.

Typer (0.2x, with its bundled Click) writes its fixed texts in English ("Show this message and
exit.", "No such command", "[default: text]") and shows types as ``<bool>``, ``<list[str]>``,
``<int range> [x>=1]``. :func:`installeer` (called by :class:`ijwcli.cli.snelstart.Groep` on
every run; it imports nothing) replaces them; :func:`melding` turns a Click usage error into
one Dutch line.

>>> melding_tekst("No such command 'valideer'. Did you mean 'validate'?")
"onbekend commando 'valideer'; bedoelt u 'validate'?"
>>> melding_tekst("Got unexpected extra argument (x.xml)")
'onverwacht extra argument: x.xml'
>>> waardetype(int, False, None, 1, None), waardetype(bool, False, None, None, None)
('GETAL (minstens 1)', None)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

HULP = "Toon deze hulp en stop."
GEBRUIK = "Gebruik: "

# Typer's gettext strings (typer.core and typer.rich_utils call gettext at use or import).
_GETTEXT = {
    "No such command {name!r}.": "onbekend commando {name!r}",
    "Missing command.": "commando ontbreekt",
    "Aborted!": "Afgebroken.",
    "Aborted.": "Afgebroken.",
    "[default: {}]": "[standaard: {}]",
    "[env var: {}]": "[omgevingsvariabele: {}]",
    "[required]": "[verplicht]",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "required": "verplicht",
    "(deprecated) ": "(verouderd) ",
    "Arguments": "Argumenten",
    "Options": "Opties",
    "Commands": "Commando's",
    "Error": "Fout",
}

_RICH = {
    "DEFAULT_STRING": "[standaard: {}]",
    "ENVVAR_STRING": "[omgevingsvariabele: {}]",
    "REQUIRED_LONG_STRING": "[verplicht]",
    "DEPRECATED_STRING": "(verouderd) ",
    "ARGUMENTS_PANEL_TITLE": "Argumenten",
    "OPTIONS_PANEL_TITLE": "Opties",
    "COMMANDS_PANEL_TITLE": "Commando's",
    "ERRORS_PANEL_TITLE": "Fout",
    "ABORTED_TEXT": "Afgebroken.",
    "RICH_HELP": "Zie [blue]'{command_path} {help_option}'[/] voor hulp.",
}

# Click's messages are f-strings: translated after the fact, one pattern each. Text until a
# usage error needs them (compiled on every run they cost more than the rest of this module);
# ``re`` keeps each one compiled after its first use.
_PATRONEN: tuple[tuple[str, str], ...] = (
    (r"^No such command '(.*)'\.?$", r"onbekend commando '\1'"),
    (r"^onbekend commando '(.*)'\. Did you mean (.*)\?$", r"onbekend commando '\1'; bedoelt u \2?"),
    (r"^No such command '(.*)'\. Did you mean (.*)\?$", r"onbekend commando '\1'; bedoelt u \2?"),
    (r"^No such option: (\S+) \(Possible options: (.*)\)$", r"onbekende optie \1; bedoelt u \2?"),
    (r"^No such option: (\S+)$", r"onbekende optie \1"),
    (r"^Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", r"onverwacht extra argument: \1"),
    (r"^Option '(.*)' requires an argument\.$", r"optie '\1' heeft een waarde nodig"),
    (r"^Option '(.*)' requires (\d+) arguments\.$", r"optie '\1' heeft \2 waarden nodig"),
    (r"^Option '(.*)' does not take a value\.$", r"optie '\1' neemt geen waarde"),
    (r"^Missing option (.*?)\.(?: Choose from:\s*(.*))?$", r"optie ontbreekt: \1"),
    (r"^Missing argument (.*?)\.(?: .*)?$", r"argument ontbreekt: \1"),
    (r"^Missing parameter: (.*)$", r"ontbreekt: \1"),
    (r"^Missing command\.?$", "commando ontbreekt"),
    (r"^Invalid value for (.*?): (.*)$", r"ongeldige waarde voor \1: \2"),
    (r"^Invalid value: (.*)$", r"ongeldige waarde: \1"),
    (r"^(?:File|Directory|Path) '(.*)' does not exist\.$", r"'\1' bestaat niet"),
    (r"^(?:File|Directory|Path) '(.*)' is a directory\.$", r"'\1' is een map"),
    (r"^(?:File|Directory|Path) '(.*)' is a file\.$", r"'\1' is een bestand"),
    (r"^(?:File|Directory|Path) '(.*)' is not readable\.$", r"'\1' is niet leesbaar"),
    (r"^(?:File|Directory|Path) '(.*)' is not writable\.$", r"'\1' is niet schrijfbaar"),
    (r"^Value '(.*)' is not a valid (.*)\.$", r"'\1' is geen geldige waarde (\2)"),
    (r"^'(.*)' is not one of (.*)\.$", r"'\1' is geen van \2"),
)


def melding_tekst(tekst: str) -> str:
    """A Click/Typer message in Dutch (unknown ones stay as they are)."""
    for _ in range(3):  # "Invalid value for X: 'y' is not one of …" needs two passes
        for patroon, vervanging in _PATRONEN:
            nieuw = re.sub(patroon, vervanging, tekst, flags=re.S)
            if nieuw != tekst:
                tekst = nieuw
                break
        else:
            return tekst
    return tekst


def melding(exc: Any) -> str:
    """The Dutch line for a Click usage error."""
    return melding_tekst(exc.format_message().strip())


def _vertaal(tekst: str) -> str:
    return _GETTEXT.get(tekst, tekst)


def waardetype(annotation: Any, is_list: bool, choices: Any, minimum: Any,
               maximum: Any) -> str | None:
    """The Dutch placeholder for an option's value (None for a flag)."""
    if annotation is bool:
        return None
    if choices:
        naam = "|".join(str(getattr(c, "value", c)) for c in choices)
    elif annotation is int or annotation is float:
        naam = "GETAL"
    elif isinstance(annotation, type) and issubclass(annotation, Path):
        naam = "PAD"
    else:
        naam = "TEKST"
    if minimum is not None and maximum is not None:
        naam += f" ({minimum} t/m {maximum})"
    elif minimum is not None:
        naam += f" (minstens {minimum})"
    elif maximum is not None:
        naam += f" (hoogstens {maximum})"
    return naam + ("..." if is_list else "")


def _optietype(self: Any, ctx: Any) -> str | None:
    if getattr(self, "metavar", None) is not None:
        return self.metavar
    if getattr(self, "is_flag", False) or getattr(self, "count", False):
        return None
    d = self.type_descriptor
    annotation = d.annotation
    is_list = bool(getattr(d, "is_list", False))
    if is_list:
        from typing import get_args

        args = get_args(annotation)
        annotation = args[0] if args else str
    return waardetype(annotation, is_list, d.choices if d.is_choice else None,
                      getattr(self, "min", None), getattr(self, "max", None))


def _geen(self: Any, ctx: Any = None) -> None:
    return None


def _argumentnaam_hulp(self: Any) -> str:
    naam = self.display_name_raw
    return naam + ("..." if self.nargs != 1 and not naam.endswith("...") else "")


def _argumentnaam(self: Any) -> str:
    naam = _argumentnaam_hulp(self)
    return naam if self.required else f"[{naam}]"


_GEINSTALLEERD = False


def installeer() -> None:
    """Dutch texts for Typer and Click (idempotent; imports no module of its own)."""
    global _GEINSTALLEERD
    if _GEINSTALLEERD:
        return
    _GEINSTALLEERD = True
    import typer.core as tc
    from typer._click import core as cc
    from typer._click import formatting

    tc._ = _vertaal  # type: ignore[attr-defined]
    tc.TyperOption.display_type_rich = _optietype  # type: ignore[method-assign]
    tc._TyperParameter.display_type_rich = _geen  # type: ignore[method-assign]
    # The range is part of our placeholder ("GETAL (minstens 1)"), not a second "[x>=1]".
    tc.TyperOption._get_number_range_help_str = _geen  # type: ignore[method-assign]
    tc._TyperParameter._get_number_range_help_str = _geen  # type: ignore[method-assign]
    tc._TyperParameter.get_missing_message = _geen  # type: ignore[method-assign]

    # "PATH..." in help and usage alike (Typer writes "{PATH}..." for a required argument).
    tc.TyperArgument._usage_display_name = _argumentnaam  # type: ignore[method-assign]
    tc.TyperArgument._rich_display_name = _argumentnaam_hulp  # type: ignore[method-assign]

    help_option = cc.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        opt = help_option(self, ctx)
        if opt is not None:
            opt.help = HULP
        return opt

    cc.Command.get_help_option = get_help_option  # type: ignore[method-assign]

    stukken = cc.Command.collect_usage_pieces

    def collect_usage_pieces(self: Any, ctx: Any) -> list[str]:
        vertaald = {"[OPTIONS]": "[OPTIES]", "COMMAND [ARGS]...": "COMMANDO [ARGUMENTEN]..."}
        return [vertaald.get(s, s) for s in stukken(self, ctx)]

    cc.Command.collect_usage_pieces = collect_usage_pieces  # type: ignore[method-assign]
    for cls in (tc.TyperCommand, tc.TyperGroup):
        eigen = cls.__dict__.get("collect_usage_pieces")
        if eigen is not None:
            def dutch(self: Any, ctx: Any, _eigen: Any = eigen) -> list[str]:
                vertaald = {"[OPTIONS]": "[OPTIES]",
                            "COMMAND [ARGS]...": "COMMANDO [ARGUMENTEN]..."}
                return [vertaald.get(s, s) for s in _eigen(self, ctx)]

            cls.collect_usage_pieces = dutch  # type: ignore[method-assign]

    schrijf = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        schrijf(self, prog, args, GEBRUIK if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    for cls in (tc.TyperCommand, tc.TyperGroup):
        opmaak = cls.format_help

        def format_help(self: Any, ctx: Any, formatter: Any, _opmaak: Any = opmaak) -> None:
            _rich()
            return _opmaak(self, ctx, formatter)

        cls.format_help = format_help  # type: ignore[method-assign]


def _rich() -> None:
    """The constants of typer.rich_utils (imported only when help is printed)."""
    from typer import rich_utils

    for naam, tekst in _RICH.items():
        setattr(rich_utils, naam, tekst)
    hl = rich_utils.OptionHighlighter
    hl.highlights = [h.replace("Usage: ", GEBRUIK) for h in hl.highlights]
