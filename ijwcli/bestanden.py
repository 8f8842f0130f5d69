"""Writing output files safely: all or nothing, never over an input, never over without force.

Every command that writes goes through here, so the promises hold everywhere:

- :func:`controleer_doelen` refuses *before anything is written*: an output that is an input
  file, two outputs with the same name, an existing file without ``force``, and anything at
  an output name that is not a regular file (a folder, a device such as ``/dev/null``, a
  fifo, a symbolic link: ijwcli never writes through a link);
- :func:`atomair` gives an open temporary file beside the target, created exclusively
  (``O_EXCL | O_NOFOLLOW``, an unpredictable name), and renames it into place only when the
  block succeeds, so a reader never sees half a file and a link planted at a temporary name
  is never followed;
- :func:`schrijf_alles` writes a batch that way: every file to a temporary file first, then
  all renamed with Ctrl-C held back, so an error or an interrupt leaves none or all of them.

Output files get the mode the user's umask gives (0644 under umask 022), as a file saved by
any other program would. Missing output folders are made (as ``mkdir -p`` would). A failure
is one :class:`FileError` naming the file and the reason in Dutch (``de schijf is vol``).
:data:`GESCHREVEN` lists every file placed in this process, so an interrupted command can
say what it wrote.

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
>>> reden(OSError(28, "No space left on device"))
'de schijf is vol'
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ijwcli.errors import FileError

_ONVEILIG = re.compile(r"[^A-Za-z0-9._-]")


def berichtnaam(code: str, berichtcode: str, identificatie: str | None) -> str:
    """The file name of a message: type, BerichtCode and Identificatie (characters outside
    ``A-Z a-z 0-9 . _ -`` become ``_``). No BSN: a file name is no place for one.

    >>> berichtnaam("JW315", "446", "2026/04 01"), berichtnaam("JW316", "447", None)
    ('JW315_446_2026_04_01.xml', 'JW316_447_zonder-id.xml')
    """
    return f"{code.upper()}_{berichtcode}_{_ONVEILIG.sub('_', identificatie or 'zonder-id')}.xml"


def _soort(mode: int) -> str | None:
    """Why a non-regular file at an output name is refused, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is een map, geen bestand"
    if stat.S_ISLNK(mode):
        return ("is een symbolische koppeling; ijwcli schrijft nooit door een koppeling "
                "(geef het echte pad op)")
    return "is geen gewoon bestand (apparaat, fifo of socket); ijwcli vervangt dat nooit"


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
        controleer_doel(d, force)


def controleer_doel(d: Path, force: bool = False) -> None:
    """Raise :class:`FileError` unless ``d`` is absent, or a regular file and ``force``."""
    try:
        st = os.lstat(d)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileError(f"kan niet schrijven ({reden(exc)})", where=str(d)) from None
    waarom = _soort(st.st_mode)
    if waarom is not None:
        raise FileError(waarom, where=str(d))
    if not force:
        raise FileError("bestaat al (gebruik --force om te overschrijven)", where=str(d))


# Dutch reasons for the failures a user can do something about; others keep libc's text.
_REDENEN = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "het schijfquotum is op",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "geen toestemming",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EISDIR: "is een map",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ELOOP: "een symbolische koppeling op de plek van het bestand",
    errno.EEXIST: "bestaat al",
    errno.EIO: "invoer/uitvoerfout van het apparaat",
}


def reden(exc: OSError) -> str:
    """The reason of an I/O failure in plain Dutch."""
    return _REDENEN.get(exc.errno or 0) or exc.strerror or str(exc)


def _maak_map(map_: Path) -> None:
    try:
        map_.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileError(f"kan de map niet maken ({reden(exc)})", where=str(map_)) from None


@functools.cache
def bestandsmodus() -> int:
    """The mode a new file gets under the process umask (0o644 under umask 022)."""
    masker = os.umask(0o022)
    os.umask(masker)
    return 0o666 & ~masker


#: Every file placed by this process, in order (for the message after Ctrl-C).
GESCHREVEN: list[Path] = []


class _Tijdelijk:
    """An exclusively created temporary file beside ``doel``, open for writing."""

    def __init__(self, doel: Path) -> None:
        self.doel = doel
        # mkstemp: O_CREAT | O_EXCL | O_NOFOLLOW and a random name, in the target folder so
        # the final rename stays on one file system (atomic).
        fd, naam = tempfile.mkstemp(prefix=f".{doel.name[:100]}.", suffix=".tmp",
                                    dir=doel.parent)
        self.pad = Path(naam)
        try:
            os.fchmod(fd, bestandsmodus())
        except OSError:
            pass  # a file system without modes (FAT): it keeps what it gives
        self.bestand: BinaryIO = os.fdopen(fd, "wb")
        self._st = os.fstat(fd)

    def plaats(self) -> None:
        """Rename into place, after making sure nothing swapped the name meanwhile."""
        if not self.bestand.closed:
            self.bestand.close()
        st = os.lstat(self.pad)
        if not stat.S_ISREG(st.st_mode) or (st.st_ino, st.st_dev) != (self._st.st_ino,
                                                                        self._st.st_dev):
            raise FileError("het tijdelijke bestand is onderweg vervangen; niets geschreven",
                            where=str(self.doel))
        try:
            st_doel = os.lstat(self.doel)
        except FileNotFoundError:
            pass
        else:  # a link or device put there after the check: never replaced
            waarom = _soort(st_doel.st_mode)
            if waarom is not None:
                raise FileError(waarom, where=str(self.doel))
        os.replace(self.pad, self.doel)
        GESCHREVEN.append(self.doel)

    def opruimen(self) -> None:
        if not self.bestand.closed:
            with contextlib.suppress(OSError):
                self.bestand.close()
        with contextlib.suppress(OSError):
            os.unlink(self.pad)


@contextmanager
def atomair(doel: Path, force: bool = True) -> Iterator[BinaryIO]:
    """Yield an open binary temporary file; on success it replaces ``doel``, on failure it is
    removed. ``doel`` must be absent or a regular file (and absent unless ``force``)."""
    doel = Path(doel)
    controleer_doel(doel, force)
    _maak_map(doel.parent)
    tmp: _Tijdelijk | None = None
    try:
        tmp = _Tijdelijk(doel)
        yield tmp.bestand
        with _zonder_onderbreking():
            tmp.plaats()
    except OSError as exc:
        raise FileError(f"kan niet schrijven ({reden(exc)})", where=str(doel)) from None
    finally:
        if tmp is not None:
            tmp.opruimen()


def schrijf_atomair(doel: Path, data: bytes, force: bool = True) -> None:
    with atomair(doel, force) as f:
        f.write(data)


@contextmanager
def _zonder_onderbreking() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back while files are renamed into place: all or none of a batch.
    The signal is delivered right after."""
    blok = (hasattr(signal, "pthread_sigmask")
            and threading.current_thread() is threading.main_thread())
    if blok:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if blok:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def schrijf_alles(bestanden: list[tuple[Path, bytes]], force: bool = False,
                  invoer: Iterable[Path] = (),
                  voor_vervangen: Callable[[], None] | None = None) -> None:
    """Write every file or none. ``voor_vervangen`` runs after all temporary files are
    written and before the first rename (e.g. to save a counter that the files use)."""
    controleer_doelen([p for p, _ in bestanden], force, invoer)
    tijdelijk: list[_Tijdelijk] = []
    huidig: Path | None = None
    try:
        for pad, data in bestanden:
            huidig = pad
            _maak_map(pad.parent)
            tmp = _Tijdelijk(pad)
            tijdelijk.append(tmp)
            tmp.bestand.write(data)
            tmp.bestand.close()
        huidig = None
        if voor_vervangen is not None:
            voor_vervangen()
        with _zonder_onderbreking():
            for tmp in tijdelijk:
                huidig = tmp.doel
                tmp.plaats()
    except OSError as exc:
        waar = huidig or exc.filename or ""
        raise FileError(f"kan niet schrijven ({reden(exc)})", where=str(waar)) from None
    finally:
        for tmp in tijdelijk:
            tmp.opruimen()


# What a workbook may hold; beyond it the workbook is refused with a clear message rather than
# read into gigabytes. Python's zipfile never inflates a part beyond the size its directory
# declares (it stops there and fails the CRC check), so checking the declared sizes bounds
# what openpyxl and this module read.
MAX_DEEL = 1 << 30  # uncompressed bytes of one part (a 200,000-row sheet is ~250 MB)
MAX_PAKKET = 2 << 30  # uncompressed bytes of all parts together
MAX_DELEN = 10_000


class PakketTeGroot(ValueError):
    """A zip package (xlsx) beyond the limits; ``reden`` says which, in Dutch."""

    def __init__(self, reden: str) -> None:
        super().__init__(reden)
        self.reden = reden


def controleer_pakket(path: str | os.PathLike[str]) -> None:
    """Refuse a zip package beyond the limits (a zip bomb) before anything is inflated.

    Raises :class:`PakketTeGroot` (or :class:`zipfile.BadZipFile` for no zip at all).
    """
    import zipfile

    with zipfile.ZipFile(path) as z:
        delen = z.infolist()
    if len(delen) > MAX_DELEN:
        raise PakketTeGroot(f"het pakket heeft {len(delen)} onderdelen (meer dan {MAX_DELEN})")
    totaal = 0
    for d in delen:
        if d.file_size > MAX_DEEL:
            raise PakketTeGroot(f"onderdeel {d.filename} is uitgepakt {d.file_size // 2**20} MB "
                           f"(meer dan {MAX_DEEL // 2**20} MB); splits het werkboek")
        totaal += d.file_size
    if totaal > MAX_PAKKET:
        raise PakketTeGroot(f"het werkboek is uitgepakt {totaal // 2**20} MB (meer dan "
                       f"{MAX_PAKKET // 2**20} MB); splits het werkboek")
