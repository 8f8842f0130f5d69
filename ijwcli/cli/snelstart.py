"""A fast start for every ``ijwcli`` call: shell scripts call ``ijwcli validate FILE`` once
per file, so what Typer does before the command runs counts.

Two things Typer (0.2x) does on every call cost more than the command itself:

- It turns each parameter value into its annotated type with a Pydantic ``TypeAdapter``;
  importing Pydantic and building the adapters costs more than Typer, Rich and lxml together.
  :class:`Groep`, the app's Typer group, gives each parameter of a plain type (``str``,
  ``bool``, ``int`` with ``min``/``max``, an ``Enum`` of choices, or a list of those) a small
  converter of our own when its command is chosen. Any other parameter (paths, files, custom
  parsers) keeps Typer's conversion, and so does everything on a Typer without these
  internals: then the app is only slower, never different.
  A ``Path`` parameter gets ``Path(value)`` and then Typer's own checks (``exists``,
  ``dir_okay`` …), which need no Pydantic once the value is a ``Path``.
- Its Rich help (``--help``) imports ``rich.markdown`` (markdown-it, ~40 ms) for the
  ``markdown`` markup mode, which ijwcli does not use, and ``rich.traceback`` (Pygments) for
  tracebacks: :func:`rich_help_zonder_markdown` loads Typer's help module with placeholders
  that import those only when used.
- It builds every command (reading the annotations of every parameter) to run one.
  :class:`App` builds only the command named on the command line (in a group, only the
  group's command named); without one (``ijwcli``, ``ijwcli --help``, ``ijwcli generate``,
  a misspelt name) it builds each command of that level as a sketch, its name and help
  over no parameters: help and suggestions are whole, and as Typer prints them.

>>> import enum
>>> class Kleur(enum.StrEnum):
...     rood = "rood"
>>> omzetter(Kleur, case_sensitive=True)("rood") is Kleur.rood
True
>>> omzetter(int, minimum=1)("3")
3
>>> omzetter(int, minimum=1)("0")
Traceback (most recent call last):
    ...
ValueError: 0 is kleiner dan het minimum 1
"""

from __future__ import annotations

import copy
import enum
import gc
import inspect
import os
import sys
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, get_args, get_origin

import typer
from typer.core import TyperGroup

Omzetter = Callable[[Any], Any]


def omzetter(annotation: Any, *, case_sensitive: bool = True, minimum: float | None = None,
             maximum: float | None = None) -> Omzetter | None:
    """A converter for one value of a plain type, or ``None`` when Typer should do it."""
    if annotation is str:
        return str
    if annotation is bool:
        return bool
    if annotation is int or annotation is float:
        def getal(value: Any) -> Any:
            try:
                n = annotation(value)
            except (TypeError, ValueError):
                soort = "geheel getal" if annotation is int else "getal"
                raise ValueError(f"{value!r} is geen {soort}") from None
            if minimum is not None and n < minimum:
                raise ValueError(f"{n} is kleiner dan het minimum {minimum}")
            if maximum is not None and n > maximum:
                raise ValueError(f"{n} is groter dan het maximum {maximum}")
            return n

        return getal
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        keuzes = list(annotation)

        def norm(v: Any) -> str:
            s = str(v.value if isinstance(v, enum.Enum) else v)
            return s if case_sensitive else s.casefold()

        def keuze(value: Any) -> Any:
            if isinstance(value, annotation):
                return value
            for k in keuzes:
                if norm(k) == norm(value):
                    return k
            namen = ", ".join(repr(str(k.value)) for k in keuzes)
            raise ValueError(f"{value!r} is geen van {namen}")

        return keuze
    return None


class _Waarde:
    """Duck-types Typer's runtime parameter: ``coerce(value, param, ctx)``."""

    def __init__(self, een: Omzetter) -> None:
        self.een = een

    def omzet(self, value: Any, param: Any, ctx: Any) -> Any:
        return self.een(value)

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        meer = param.multiple or param.nargs == -1
        if value is None:
            return () if meer else None
        try:
            if meer:
                return [self.omzet(v, param, ctx) for v in value]
            return self.omzet(value, param, ctx)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), ctx=ctx, param=param) from None


class _Pad(_Waarde):
    """A ``Path`` parameter: Typer's path checks, on a value that is already a ``Path``."""

    def __init__(self, soort: type, info: Any, controle: Callable[..., Any]) -> None:
        super().__init__(soort)
        self.info, self.controle = info, controle

    def omzet(self, value: Any, param: Any, ctx: Any) -> Any:
        return self.controle(self.een(value), self.info, path_type=self.een, param=param,
                             ctx=ctx)


def _pad_omzetter(annotation: Any, info: Any) -> _Pad | None:
    if not (isinstance(annotation, type) and issubclass(annotation, Path)):
        return None
    if getattr(info, "path_type", None) not in (None, annotation):
        return None
    try:
        from typer._param_types import coerce_cli_path
    except ImportError:  # another Typer: it converts the value itself
        return None
    return _Pad(annotation, info, coerce_cli_path)


def _voor(param: Any) -> _Waarde | None:
    descriptor = getattr(param, "type_descriptor", None)
    info = getattr(descriptor, "parameter_info", None)
    if descriptor is None or info is None:
        return None
    if (getattr(descriptor, "file_annotation", None) is not None
            or getattr(info, "parser", None) is not None or getattr(info, "clamp", False)):
        return None
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation) or (None,)
    pad = _pad_omzetter(annotation, info)
    if pad is not None:
        return pad
    een = omzetter(annotation, case_sensitive=getattr(info, "case_sensitive", True),
                   minimum=getattr(info, "min", None), maximum=getattr(info, "max", None))
    return _Waarde(een) if een is not None else None


def versnel(params: Iterable[Any]) -> None:
    """Give each plain-typed Typer parameter our converter (only where Typer has none yet)."""
    for p in params:
        if getattr(p, "_runtime_param", False) is None:
            w = _voor(p)
            if w is not None:
                p._runtime_param = w


class _Luie(type):
    """A placeholder class: the real one is imported on first use (a call or an attribute)."""

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls._echt(), name)  # type: ignore[attr-defined]


def _luie_klasse(module: str, naam: str) -> type:
    def echt() -> Any:
        import importlib

        return getattr(importlib.import_module(module), naam)

    return _Luie(naam, (), {"_echt": staticmethod(echt),
                            "__new__": lambda cls, *a, **k: echt()(*a, **k)})


# What typer.rich_utils imports at the top but uses only for Markdown help texts and for
# tracebacks: rich.markdown pulls in markdown-it, rich.traceback pulls in Pygments.
_UITGESTELD = (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))


def rich_help_zonder_markdown() -> None:
    """Import ``typer.rich_utils`` without ``rich.markdown`` and ``rich.traceback``.

    Only while Typer's module is imported do those resolve to placeholders; afterwards any
    ``import rich.markdown`` gets the real module, and so does the placeholder when used.
    """
    if "typer.rich_utils" in sys.modules:
        return
    geplaatst = {}
    for module, naam in _UITGESTELD:
        if module not in sys.modules:
            plaats = types.ModuleType(module)
            setattr(plaats, naam, _luie_klasse(module, naam))
            geplaatst[module] = sys.modules[module] = plaats
    try:
        import typer.rich_utils  # noqa: F401
    except ImportError:
        pass
    finally:
        for module, plaats in geplaatst.items():
            if sys.modules.get(module) is plaats:
                del sys.modules[module]


_HULP = frozenset({"--help", "-h"})


class App(typer.Typer):
    """The ``ijwcli`` Typer app: a call builds only the command it runs."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        argv = kwargs.get("args", args[0] if args else None)
        woorden = sys.argv[1:] if argv is None else list(argv)
        if not woorden or _HULP.intersection(woorden):
            rich_help_zonder_markdown()
        herstel: list[tuple[typer.Typer, list[Any], list[Any]]] = []
        # Shell completion reads its words from the environment, not from argv, and completes
        # any command's options: it gets every command whole.
        if not any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
            _beperk(self, woorden, herstel)
        # What is loaded by now (Typer, Rich, the command modules) lives as long as the
        # process: frozen, the cyclic collector no longer walks it each time the command's
        # own imports fill a generation (a verwerk run paid 50-80 ms for one full collection).
        gc.freeze()
        try:
            return super().__call__(*args, **kwargs)
        finally:
            for t, commandos, groepen in reversed(herstel):
                t.registered_commands, t.registered_groups = commandos, groepen


def _beperk(t: typer.Typer, woorden: list[str], herstel: list[Any]) -> None:
    """Leave on ``t`` only the command or group the words name, and below a group only its
    command the words name; where the words name none (help, no command, a misspelt one)
    every command there becomes a :func:`_schets`. ``herstel`` gets what to put back."""
    naam = gekozen_commando(woorden)
    voor = woorden[:woorden.index(naam)] if naam is not None else woorden
    commandos, groepen = t.registered_commands, t.registered_groups
    gekozen = [c for c in commandos if commandonaam(c) == naam]
    # A sub-app (ijwcli generate …) is matched by the name it was added under.
    gekozen_groepen = [g for g in groepen if isinstance(g.name, str) and g.name == naam]
    if len(gekozen) + len(gekozen_groepen) != 1 or _HULP.intersection(voor):
        # Help of this level (--help before any name counts for it, as in Click) or an error
        # naming the commands: only their names and help texts show.
        _schets(t, herstel)
        return
    herstel.append((t, commandos, groepen))
    t.registered_commands, t.registered_groups = gekozen, gekozen_groepen
    if gekozen_groepen:
        _beperk(gekozen_groepen[0].typer_instance, woorden[len(voor) + 1:], herstel)


def _niets() -> None:
    """A sketch's callback: never called (a sketch only shows in help and suggestions)."""


def _schets(t: typer.Typer, herstel: list[Any]) -> None:
    """Every command of ``t`` (and of its groups) as a sketch: its name, help text and help
    settings over a callback without parameters. Typer reads every parameter's annotations
    to build a command, most of an overview's cost; the overview and the suggestions for a
    misspelt name show only names and the first lines of help."""
    herstel.append((t, t.registered_commands, t.registered_groups))
    schetsen = []
    for info in t.registered_commands:
        schets = copy.copy(info)
        schets.name = commandonaam(info)
        if info.help is None and info.callback is not None:
            # As Typer takes it: the docstring, cleaned (cleandoc again changes nothing).
            schets.help = inspect.getdoc(info.callback)
        schets.callback = _niets
        schetsen.append(schets)
    t.registered_commands = schetsen
    for g in t.registered_groups:
        if g.typer_instance is not None:
            _schets(g.typer_instance, herstel)


def commandonaam(info: Any) -> str | None:
    """The name Typer gives a registered command (its own, or its function's)."""
    if isinstance(info.name, str):
        return info.name
    callback = getattr(info, "callback", None)
    return callback.__name__.lower().replace("_", "-") if callback else None


def gekozen_commando(argv: list[str]) -> str | None:
    """The command named on a command line: the first word that is not an option.

    >>> gekozen_commando(["validate", "-q", "x.xml"]), gekozen_commando(["--help"])
    ('validate', None)
    """
    for arg in argv:
        if not arg.startswith("-"):
            return arg
        if arg == "--":
            return None
    return None


class Groep(TyperGroup):
    """The app's Typer group: chosen commands convert plain values without Pydantic; help
    and usage errors in Dutch (:mod:`ijwcli.cli.nederlands`), a usage error as the JSON
    shape of :mod:`ijwcli.cli.uitvoer` on stdout when JSON was asked for (exit 2).

    A command group of its own (``ijwcli generate …``) uses it too:
    ``typer.Typer(cls=Groep, …)``.
    """

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        from typer._click.exceptions import ClickException

        from ijwcli.cli import nederlands

        nederlands.installeer()
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as exc:
            if not standalone_mode:
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":
                print(exc.format_message(), file=sys.stderr)
                sys.exit(2)
            _gebruiksfout(exc, argv)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            print("Afgebroken.", file=sys.stderr)
            sys.exit(1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        versnel(params)
        return params

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[Any, Any, list[str]]:
        name, cmd, rest = super().resolve_command(ctx, args)
        if cmd is not None:
            # get_params includes --help, which Typer makes (and keeps) on first use.
            versnel(cmd.get_params(ctx))
        return name, cmd, rest


def _gebruiksfout(exc: Any, argv: list[str]) -> None:
    """A Click usage error: usage line, hint and one Dutch line on stderr; the JSON shape on
    stdout when the command line asked for JSON."""
    from ijwcli.cli import nederlands, uitvoer

    tekst = nederlands.melding(exc)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        print(ctx.get_usage(), file=sys.stderr)
        if ctx.help_option_names:
            print(f"Zie '{ctx.command_path} {ctx.help_option_names[0]}' voor hulp.",
                  file=sys.stderr)
    print(f"fout: {tekst}", file=sys.stderr)
    if uitvoer.json_gevraagd(argv):
        doc = uitvoer.fout_document(tekst, exc.exit_code, argv=argv)
        if ctx is not None:
            # The command Click was parsing ("ijwcli" itself for an unknown command name).
            doc["command"] = " ".join(ctx.command_path.split()[1:]) or "ijwcli"
        uitvoer.emit(doc)
