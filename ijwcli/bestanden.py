"""Writing output files safely: all or nothing, never over an input, never over without force.

Every command that writes goes through here, so the promises hold everywhere:

- :func:`controleer_doelen` refuses *before anything is written*: an output that is an input
  file, two outputs with the same name, an existing file without ``force``;
- :func:`atomair` gives a temporary path beside the target and renames it into place only
  when the block succeeds, so a reader never sees half a file;
- :func:`schrijf_alles` writes a batch that way: every file to a temporary name first, then
  all renamed, so an error leaves none of them behind.

Missing output folders are made (as ``mkdir -p`` would).

Every message file ijwcli writes is named by :func:`berichtnaam`, one scheme for ``convert``,
``retour`` and ``generate``: ``<JWnnn>_<BerichtCode>_<Identificatie>.xml``.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> schrijf_alles([(d / "uit" / "a.xml", b"<a/>"), (d / "uit" / "b.xml", b"<b/>")])
>>> sorted(p.name for p in (d / "uit").iterdir())
['a.xml', 'b.xml']
>>> schrijf_alles([(d / "uit" / "a.xml", b"<c/>")])
Traceback (most recent call last):
    ...
ijwcli.errors.FileError: ...a.xml: bestaat al (gebruik --force om te overschrijven)
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ijwcli.errors import FileError

_ONVEILIG = re.compile(r"[^A-Za-z0-9._-]")


def berichtnaam(code: str, berichtcode: str, identificatie: str | None) -> str:
    """The file name of a message: type, BerichtCode and Identificatie (characters outside
    ``A-Z a-z 0-9 . _ -`` become ``_``). No BSN: a file name is no place for one.

    >>> berichtnaam("JW315", "446", "2026/04 01"), berichtnaam("JW316", "447", None)
    ('JW315_446_2026_04_01.xml', 'JW316_447_zonder-id.xml')
    """
    return f"{code.upper()}_{berichtcode}_{_ONVEILIG.sub('_', identificatie or 'zonder-id')}.xml"


def controleer_doelen(doelen: Iterable[Path], force: bool = False,
                      invoer: Iterable[Path] = ()) -> None:
    """Raise :class:`FileError` for the first target that may not be written."""
    invoer_echt = {p.resolve() for p in invoer if p.exists()}
    gezien: set[Path] = set()
    for d in doelen:
        echt = d.resolve()
        if echt in invoer_echt:
            raise FileError("uitvoer zou een invoerbestand overschrijven; dat gebeurt nooit",
                            where=str(d))
        if echt in gezien:
            raise FileError("twee uitvoerbestanden zouden dezelfde naam krijgen", where=str(d))
        gezien.add(echt)
        if d.is_dir():
            raise FileError("is een map, geen bestand", where=str(d))
        if d.exists() and not force:
            raise FileError("bestaat al (gebruik --force om te overschrijven)", where=str(d))


def _maak_map(map_: Path) -> None:
    try:
        map_.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileError(f"kan de map niet maken ({exc.strerror})", where=str(map_)) from None


def _tijdelijk(doel: Path) -> Path:
    # Same folder as the target, so the final rename stays on one file system (atomic).
    return doel.with_name(f".{doel.name}.{os.getpid()}.tmp")


@contextmanager
def atomair(doel: Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``doel``, on failure it is removed."""
    _maak_map(doel.parent)
    tmp = _tijdelijk(doel)
    try:
        yield tmp
        os.replace(tmp, doel)
    except OSError as exc:
        raise FileError(f"kan niet schrijven ({exc.strerror})", where=str(doel)) from None
    finally:
        tmp.unlink(missing_ok=True)


def schrijf_atomair(doel: Path, data: bytes) -> None:
    with atomair(doel) as tmp:
        tmp.write_bytes(data)


def schrijf_alles(bestanden: list[tuple[Path, bytes]], force: bool = False,
                  invoer: Iterable[Path] = (),
                  voor_vervangen: Callable[[], None] | None = None) -> None:
    """Write every file or none. ``voor_vervangen`` runs after all temporary files are
    written and before the first rename (e.g. to save a counter that the files use)."""
    controleer_doelen([p for p, _ in bestanden], force, invoer)
    tijdelijk: list[tuple[Path, Path]] = []
    try:
        for pad, data in bestanden:
            _maak_map(pad.parent)
            tmp = _tijdelijk(pad)
            tijdelijk.append((tmp, pad))
            tmp.write_bytes(data)
        if voor_vervangen is not None:
            voor_vervangen()
        for tmp, pad in tijdelijk:
            os.replace(tmp, pad)
    except OSError as exc:
        raise FileError(f"kan niet schrijven ({exc.strerror})",
                        where=str(exc.filename or "")) from None
    finally:
        for tmp, _ in tijdelijk:
            tmp.unlink(missing_ok=True)
