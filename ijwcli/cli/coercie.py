"""Command-line values to Python values without Pydantic, so one call starts fast.

Typer (0.2x) turns every parameter value into its annotated type with a Pydantic
``TypeAdapter``; importing Pydantic and building the adapters costs more than Typer, Rich and
lxml together, on every call. Shell scripts call ``ijwcli validate FILE`` once per file, so
that cost counts. :class:`Groep` is the Typer group of the app: when a command is chosen it
gives each parameter of a plain type (``str``, ``bool``, ``int`` with ``min``/``max``, an
``Enum`` of choices, or a list of those) a small converter of our own. Any other parameter
(paths, files, custom parsers) keeps Typer's own conversion, and so does everything on a
Typer version without these internals: then the app is only slower, never different.

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

import enum
from collections.abc import Callable, Iterable
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

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        meer = param.multiple or param.nargs == -1
        if value is None:
            return () if meer else None
        try:
            if meer:
                return [self.een(v) for v in value]
            return self.een(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), ctx=ctx, param=param) from None


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


class Groep(TyperGroup):
    """The app's Typer group: chosen commands convert plain values without Pydantic."""

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
