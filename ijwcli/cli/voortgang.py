"""Progress on long work: a Rich progress bar on stderr, only when stderr is a terminal.

Scripts and cron jobs (stderr a file or a pipe) get nothing extra; a person at a terminal sees
how far a run over thousands of files is. The bar disappears when the work is done, so the
report that follows stands alone.

Usage in a command (any loop over many items; the register commands can use it the same way)::

    from ijwcli.cli.voortgang import voortgang

    with voortgang(len(files), "valideren") as stap:
        for f in files:
            ...
            stap()          # one item done (stap(5): five)

Or wrap an iterable: ``for r in volg(results, len(files), "valideren"): ...``.

>>> import io
>>> from rich.console import Console
>>> stil = Console(file=io.StringIO())             # not a terminal: nothing is drawn
>>> with voortgang(3, "test", console=stil) as stap:
...     stap(); stap(2)
>>> stil.file.getvalue()
''
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

# Fewer items than this finish before a bar would be worth drawing.
MINIMUM = 20


def _niets(n: int = 1) -> None:
    return None


@contextmanager
def voortgang(totaal: int | None, omschrijving: str, *, console: Any = None,
              minimum: int = MINIMUM) -> Iterator[Callable[..., None]]:
    """A step function that advances a progress bar of ``totaal`` items on stderr."""
    if console is None:
        from ijwcli.cli import err_console as console
    if not console.is_terminal or (totaal is not None and totaal < minimum):
        yield _niets
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    kolommen = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TextColumn("nog"), TimeRemainingColumn())
    with Progress(*kolommen, console=console, transient=True) as p:
        taak = p.add_task(omschrijving, total=totaal)

        def stap(n: int = 1) -> None:
            p.advance(taak, n)

        yield stap


def volg(items: Iterable[T], totaal: int | None, omschrijving: str, *,
         console: Any = None) -> Iterator[T]:
    """``items`` one by one, with a progress bar while they come."""
    with voortgang(totaal, omschrijving, console=console) as stap:
        for item in items:
            yield item
            stap()
