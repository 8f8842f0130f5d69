"""Validate iJw 3.2 messages: file rules, structure and datatypes, and the rule layer.

>>> from ijwcli import bericht
>>> r = validate_bytes(b"\\xef\\xbb\\xbf<x/>", "bom.xml")
>>> r.valid, r.errors[0].rule
(False, 'OP192')
>>> validate_bytes(b"<x", "kapot.xml").errors[0].message.startswith("geen goedgevormde XML")
True

One bad file never stops a batch: every failure becomes a :class:`Resultaat` with findings.
A batch (:func:`validate_files`, :func:`validate_many`) reads its files a few dozen at a time
and takes small messages through each step together; each file gets what
:func:`validate_file` gives it alone.

>>> [(r.bericht, r.valid) for r in validate_files(["samples/jw305_start.xml", "nergens.xml"])]
[('JW305', True), (None, False)]
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import gc
import os
import re
import signal
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ijwcli.bericht import Bericht, definitie_van, from_tree, read_tree
from ijwcli.errors import FileError, IjwError, InvalidMessage
from ijwcli.model.berichten import Berichtdefinitie, bericht_voor_namespace
from ijwcli.model.schema import schema
from ijwcli.validatie import regels
from ijwcli.validatie.regels import TABEL, Bevinding, Context
from ijwcli.validatie.regels.xsd import bevindingen


@dataclass
class Resultaat:
    file: str
    bericht: str | None = None
    errors: list[Bevinding] = field(default_factory=list)
    warnings: list[Bevinding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "bericht": self.bericht, "valid": self.valid,
                "errors": [e.to_dict() for e in self.errors],
                "warnings": [e.to_dict() for e in self.warnings]}


def _from_exception(name: str, exc: InvalidMessage, bericht: str | None = None) -> Resultaat:
    return Resultaat(name, bericht, [Bevinding(exc.rule, TABEL[exc.rule].retourcode, None,
                                               exc.line, exc.message)])


# From this size on (bytes) the rule walk trades a second pass over the tree for memory
# (Context.groot); ordinary messages are a few KB.
_GROOT = 8_000_000


def validate_tree(tree: etree._ElementTree, name: str, today: dt.date | None = None,
                  regio: str | None = None, data: bytes | None = None) -> Resultaat:
    """Schema and rules; with ``data`` (the bytes ``tree`` was parsed from) a schema-valid
    message that :mod:`ijwcli.validatie.zeef` finds nothing in skips the rule walk (from the
    second message of its type on, or a large one: see :func:`_zeef_loont`)."""
    return _validate_tree(tree, name, today, regio, [] if data is None else [data])


# The message types this process has met. The screen's set-up for a type (its XPath built
# and compiled from the model) costs more than the rule walk over one message, so the first
# message of each type is walked and the screen serves from the second on: a one-file call
# (shell scripts call ijwcli once per file) never pays for it, a batch pays one walk more.
# A large message is screened at once.
_GEZIEN: set[str] = set()
# A message this large (bytes) is screened even as the first of its type: its rule walk
# costs more than the set-up (a declaratie of 300 lines, 250 KB: walk 9 ms, set-up 4 ms; of
# 200,000 lines the walk takes 14 s and the screen 4).
_ZEEF_VANAF = 64_000


@functools.cache
def _zeef() -> types.ModuleType:
    # Imported when first needed (the first file of each type is not screened), and then not
    # looked up again by an import statement for every file of a batch.
    from ijwcli.validatie import zeef

    return zeef


def _zeef_loont(code: str, grootte: int) -> bool:
    if code in _GEZIEN:
        return True
    _GEZIEN.add(code)
    return grootte > _ZEEF_VANAF


def _validate_tree(tree: etree._ElementTree, name: str, today: dt.date | None,
                   regio: str | None, houder: list[bytes]) -> Resultaat:
    # ``houder`` holds the only reference to the bytes (see validate_file): they are let go
    # once the screen has read them, before the rule walk builds its index. In a declaratie
    # of 200,000 prestaties that is 160 MB less at the peak.
    data = houder.pop() if houder else None
    today = today or dt.date.today()
    uitslag = _schemafase(tree, name)
    if isinstance(uitslag, Resultaat):
        return uitslag
    d, errors = uitslag
    if _zeef_zegt_geldig(tree, d, errors, data, today, regio):
        return Resultaat(name, d.code)
    groot = data is not None and len(data) > _GROOT
    del data
    return _regelfase(tree, name, d, errors, today, regio, groot)


def _schemafase(tree: etree._ElementTree, name: str
                ) -> Resultaat | tuple[Berichtdefinitie, list[Bevinding] | None]:
    """The message type and the schema's findings (``None``: valid); a :class:`Resultaat`
    when the message ends there."""
    try:
        d = definitie_van(tree)
    except InvalidMessage as exc:
        return _from_exception(name, exc)
    s = schema(d.code)
    try:
        geldig = s.validate(tree)
    except etree.XMLSchemaValidateError as exc:
        # libxml2 gives up on some trees (entity nodes left by a DTD): the message is
        # invalid, not the run.
        return Resultaat(name, d.code, [Bevinding("XSD", TABEL["XSD"].retourcode, None, None,
                                                  f"het schema kan het bericht niet lezen: "
                                                  f"{exc}")])
    # Read now: the schema's error log is that of its last validation.
    return d, None if geldig else bevindingen(s)


def _zeef_zegt_geldig(tree: etree._ElementTree, d: Berichtdefinitie,
                      errors: list[Bevinding] | None, data: bytes | None, today: dt.date,
                      regio: str | None, aan: dict[str, bool] | None = None) -> bool:
    """Whether the screen finds the message valid; ``aan``: whether it is on, per type, as
    seen for this burst."""
    if errors is not None or data is None or regio or not _zeef_loont(d.code, len(data)):
        return False
    zeef = _zeef()
    if aan is None:
        return not zeef.vindt_iets(tree, data, d.code, today)
    if (aan_nu := aan.get(d.code)) is None:
        aan_nu = aan[d.code] = zeef.aan(d.code)
    return aan_nu and not zeef.vindt_iets(tree, data, d.code, today, aan_gezien=True)


def _regelfase(tree: etree._ElementTree, name: str, d: Berichtdefinitie,
               errors: list[Bevinding] | None, today: dt.date, regio: str | None,
               groot: bool) -> Resultaat:
    errors = errors or []
    ctx = Context(tree, d, today)
    ctx.groot = groot
    # The walk makes an object per element and keeps them all: in a declaratie of 100,000
    # prestaties the cyclic collector would go over the growing heap again and again (the
    # cost per element doubled from 10,000 to 40,000). Nothing here makes cycles.
    aan = gc.isenabled()
    gc.disable()
    try:
        found = regels.run(ctx)
    finally:
        if aan:
            gc.enable()
    if regio:
        from ijwcli.validatie.regio import controleer_regio

        found.extend(controleer_regio(ctx, regio))
    warnings: list[Bevinding] = []
    if found:
        if errors:
            # An empty element fails both the schema and RS033: report it once, as RS033.
            empty = {(f.line, f.path) for f in found if f.rule == "RS033"}
            errors = [e for e in errors if (e.line, e.path) not in empty]
        for f in found:
            (warnings if f.waarschuwing else errors).append(f)
    if errors:
        errors.sort(key=lambda e: (e.line or 0))
    return Resultaat(name, d.code, errors, warnings)


def validate_bytes(data: bytes, name: str, today: dt.date | None = None,
                   regio: str | None = None) -> Resultaat:
    return _validate_houder([data], name, today, regio)


def _validate_houder(houder: list[bytes], name: str, today: dt.date | None,
                     regio: str | None) -> Resultaat:
    try:
        tree = read_tree(houder[0])
    except InvalidMessage as exc:
        return _from_exception(name, exc)
    return _validate_tree(tree, name, today, regio, houder)


def parse(data: bytes, name: str | None = None, today: dt.date | None = None) -> Bericht:
    """Read a message that must pass the schema and every in-message rule.

    >>> from pathlib import Path
    >>> data = Path("samples/jw305_start.xml").read_bytes()
    >>> parse(data).code
    'JW305'
    >>> parse(data.replace(b">999900018<", b">123456789<"), "start.xml")
    Traceback (most recent call last):
    ijwcli.errors.InvalidMessage: ...
    """
    tree = read_tree(data)
    result = validate_tree(tree, name or "<bericht>", today)
    if not result.valid:
        f = result.errors[0]
        raise InvalidMessage(f.message, rule=f.rule, line=f.line, where=name)
    return from_tree(tree)


def parse_file(path: str | os.PathLike[str], today: dt.date | None = None) -> Bericht:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileError(f"kan {p} niet lezen: {exc.strerror}") from None
    return parse(data, str(p), today)


def _lees_bestand(path: str | os.PathLike[str]) -> bytes:
    """The whole file, read without a Python file object (a batch reads thousands of small
    messages: open() and read() on one cost 9 µs, these calls 7)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        grootte = os.fstat(fd).st_size
        data = os.read(fd, grootte + 1)
        if len(data) <= grootte:
            return data
        # Grown since, or no regular file (its size says nothing): the rest in pieces.
        stukken = [data]
        while stuk := os.read(fd, 1 << 20):
            stukken.append(stuk)
        return b"".join(stukken)
    finally:
        os.close(fd)


def validate_file(path: str | os.PathLike[str], today: dt.date | None = None,
                  regio: str | None = None) -> Resultaat:
    try:
        # Held only by the list, so the validation can let the bytes go after the parse.
        houder = [_lees_bestand(path)]
    except OSError as exc:
        return _onleesbaar(str(path), exc)
    return _validate_houder(houder, str(path), today, regio)


def _onleesbaar(naam: str, exc: OSError) -> Resultaat:
    reden = f"kan het bestand niet lezen: {exc.strerror}"
    return Resultaat(naam, None, [Bevinding("XSD", "0001", None, None, reden)])


# Read-ahead of a batch: at most this many files, and no more files once this many bytes are
# held (a larger file is still read, alone).
_VOORUIT_AANTAL = 64
_VOORUIT_BYTES = 1 << 20
# Files up to this size (bytes) are validated a burst at a time, step by step (see
# validate_files); a larger one alone, letting its bytes go early (see _validate_tree).
_IN_FASEN_TOT = 256_000


def _vooruit(files: list[str]) -> Iterator[collections.deque[tuple[str, bytes | OSError]]]:
    """The files' bytes (or why one could not be read), a few dozen at a time.

    Reading a file between the validations of two others cost more than the read: on this
    project's machines the rest of a small message's validation took 10 µs (a sixth) longer
    after each read, as if every system call left the caches and branch predictors cold."""
    i = 0
    while i < len(files):
        vooruit: collections.deque[tuple[str, bytes | OSError]] = collections.deque()
        binnen = 0
        while i < len(files) and len(vooruit) < _VOORUIT_AANTAL and binnen < _VOORUIT_BYTES:
            try:
                vooruit.append((files[i], _lees_bestand(files[i])))
                binnen += len(vooruit[-1][1])  # type: ignore[arg-type]
            except OSError as exc:
                vooruit.append((files[i], exc))
            i += 1
        yield vooruit  # the caller takes every file out: its own names hold the bytes


def validate_files(files: Iterable[str | os.PathLike[str]], today: dt.date | None = None,
                   regio: str | None = None) -> Iterator[Resultaat]:
    """:func:`validate_file` for each of ``files``, in order.

    Files are read a burst at a time, and a burst of small messages goes through each step
    for all its messages before the next step (parse, schema, screen, rules): each step's
    code then stays warm, which made a small message's validation 10-15 % faster."""
    today = today or dt.date.today()
    for burst in _vooruit([os.fspath(f) for f in files]):
        while burst:
            naam, data = burst.popleft()
            if isinstance(data, OSError):
                yield _onleesbaar(naam, data)
            elif len(data) > _IN_FASEN_TOT:
                houder = [data]
                del data  # the list holds the only reference (see _validate_tree)
                yield _validate_houder(houder, naam, today, regio)
            else:
                reeks = [(naam, data)]
                while burst and not isinstance(burst[0][1], OSError) and \
                        len(burst[0][1]) <= _IN_FASEN_TOT:
                    reeks.append(burst.popleft())  # type: ignore[arg-type]
                del data
                yield from _in_fasen(reeks, today, regio)


def _in_fasen(reeks: list[tuple[str, bytes]], today: dt.date,
              regio: str | None) -> list[Resultaat]:
    """:func:`_validate_houder` for each message of ``reeks``, one step for all at a time."""
    uit: list[Resultaat | None] = [None] * len(reeks)
    bomen: list[tuple[int, etree._ElementTree]] = []
    for i, (naam, data) in enumerate(reeks):
        try:
            bomen.append((i, read_tree(data)))
        except InvalidMessage as exc:
            uit[i] = _from_exception(naam, exc)
    verder: list[tuple[int, etree._ElementTree, Berichtdefinitie,
                       list[Bevinding] | None]] = []
    for i, tree in bomen:
        uitslag = _schemafase(tree, reeks[i][0])
        if isinstance(uitslag, Resultaat):
            uit[i] = uitslag
        else:
            verder.append((i, tree, *uitslag))
    del bomen
    regelen = []
    aan: dict[str, bool] = {}
    for i, tree, d, errors in verder:
        naam, data = reeks[i]
        if _zeef_zegt_geldig(tree, d, errors, data, today, regio, aan):
            uit[i] = Resultaat(naam, d.code)
        else:
            regelen.append((i, tree, d, errors))
    del verder
    for i, tree, d, errors in regelen:
        uit[i] = _regelfase(tree, reeks[i][0], d, errors, today, regio,
                            len(reeks[i][1]) > _GROOT)
    return uit  # type: ignore[return-value]


def _xml_in(map_: str, out: list[str]) -> None:
    # os.scandir rather than Path.rglob: the entry types come with the listing, so a folder
    # of thousands of messages costs no stat per file. Like rglob, symlinked folders are not
    # entered; like Path.is_file, a symlink to a file counts.
    with os.scandir(map_) as entries:
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                _xml_in(e.path, out)
            elif os.path.splitext(e.name)[1].lower() == ".xml" and _is_bestand(e):
                out.append(e.path)


def _is_bestand(e: os.DirEntry[str]) -> bool:
    # A symlink loop makes DirEntry.is_file raise; Path.is_file (and so rglob) answers False,
    # as for a link that leads nowhere.
    try:
        return e.is_file()
    except OSError:
        return False


def xml_bestanden(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """:func:`expand` as strings: a batch of thousands of files need not make a Path each.

    A folder's files come in the order of ``sorted(paths)``: part by part, case-insensitive
    where the OS is."""
    out: list[str] = []
    for p in map(os.fspath, paths):
        if os.path.isdir(p):
            found: list[str] = []
            _xml_in(str(Path(p)), found)
            found.sort(key=lambda f: os.path.normcase(f).split(os.sep))
            out.extend(found)
        elif os.path.exists(p):
            out.append(str(Path(p)))  # spelled as before: "./a.xml" reported as "a.xml"
        else:
            raise FileError(f"{Path(p)} bestaat niet")
    return out


def expand(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, directories as their ``*.xml`` files (recursively, sorted)."""
    return [Path(p) for p in xml_bestanden(paths)]


def beschikbare_cores() -> int:
    """The cores this process may run on (``taskset``, a container's cpuset), not the machine's.

    >>> beschikbare_cores() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on every platform (macOS, Windows)
        return os.cpu_count() or 1


def _chunk(args: tuple[list[str], dt.date, str | None]) -> list[Resultaat]:
    files, today, regio = args
    return list(validate_files(files, today, regio))


def validate_many(files: list[Path] | list[str], today: dt.date | None = None,
                  jobs: int | None = None, regio: str | None = None) -> Iterator[Resultaat]:
    """Results in the order of ``files``; with ``jobs`` > 1 spread over worker processes."""
    today = today or dt.date.today()
    jobs = max(1, jobs or beschikbare_cores())
    if jobs == 1 or len(files) < 2 * jobs:
        yield from validate_files(files, today, regio)
        return
    # Chunks amortise the cost of sending work to a process; many per worker keep the workers
    # evenly busy when files differ in size or a core is shared (a worker that is done gets
    # the next chunk).
    size = max(1, min(250, len(files) // (jobs * 8)))
    names = [str(f) for f in files]
    chunks = [(names[i:i + size], today, regio) for i in range(0, len(names), size)]
    # Compiled here, before the fork, so every worker inherits them: the schemas of the types
    # the batch holds (as its chunks' first files show); a type met only later is compiled by
    # the worker that meets it. Compiling all fourteen would be serial work as large as a
    # worker's share of a small batch.
    for code in _soorten(chunks):
        schema(code)
    import threading

    # A fork copies only the calling thread: a lock another thread held (in a program that
    # uses this library beside its own threads) would stay locked in the worker for good.
    if hasattr(os, "fork") and threading.active_count() == 1:
        yield from _parallel(chunks, jobs)
        return
    # Imported here: one-file calls from shell scripts should not pay for multiprocessing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methode = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(methode)) as pool:
        for results in pool.map(_chunk, chunks):
            yield from results


# The root's namespace declaration; compiled by _soorten (re keeps it), which only a batch for
# worker processes calls.
_NAMESPACE = (rb"xmlns(?::[\w.-]+)?\s*=\s*[\"'](http://www\.istandaarden\.nl/ijw/3_2/"
              rb"jw\d+/schema)[\"']")


def _soorten(chunks: list[tuple[list[str], dt.date, str | None]]) -> set[str]:
    """The message types of the first file of each chunk, from the root's namespace in the
    first bytes: what to compile before the workers fork."""
    soorten = set()
    for files, _, _ in chunks:
        try:
            with open(files[0], "rb") as fh:
                kop = fh.read(2048)
        except OSError:
            continue
        for ns in re.findall(_NAMESPACE, kop):
            d = bericht_voor_namespace(ns.decode("utf-8", "replace"))
            if d is not None:
                soorten.add(d.code)
    return soorten


def _parallel(chunks: list[tuple[list[str], dt.date, str | None]],
              jobs: int) -> Iterator[Resultaat]:
    """Every worker, a forked copy of this process, gets chunk numbers from the parent through
    its own pipe and sends (number, results) back pickled through another; the parent hands
    the next number to whichever worker answered, so a worker that is done (or has a core to
    itself) takes more, and the results come out here in chunk order.

    os.fork and pipes rather than concurrent.futures: its import, its second process start,
    its queue threads and its pickling of every call are serial work, and on a batch of a
    thousand small files that serial part, not the validation, set the speed of --jobs 2.
    """
    import pickle
    import selectors

    pids: dict[int, int] = {}  # read end of a worker's results → its pid
    taken: dict[int, int] = {}  # read end of a worker's results → write end of its tasks
    uitgedeeld = 0

    def geef(fd: int) -> None:
        # A worker holds at most two numbers it has not read yet (8 bytes), so this write
        # never waits on a full pipe; past the last chunk its pipe is closed, which ends it.
        nonlocal uitgedeeld
        if fd not in taken:
            return
        if uitgedeeld < len(chunks):
            try:
                os.write(taken[fd], uitgedeeld.to_bytes(4, "little"))
            except BrokenPipeError:  # the worker is gone; the end of its results says so
                os.close(taken.pop(fd))
                return
            uitgedeeld += 1
        else:
            os.close(taken.pop(fd))

    try:
        for _ in range(jobs):
            lees, schrijf = os.pipe()
            taak_lees, taak_schrijf = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                for fd in (lees, taak_schrijf, *pids, *taken.values()):
                    os.close(fd)
                _werker(chunks, taak_lees, schrijf)
            os.close(schrijf)
            os.close(taak_lees)
            pids[lees] = pid
            taken[lees] = taak_schrijf
        # Two numbers each: a worker starts its next chunk while the parent reads the last.
        for _ in range(2):
            for fd in pids:
                geef(fd)
        # Messages are length-prefixed and read with os.read, not pickle.load on a buffered
        # file: a buffer could hold a whole message that select() then no longer reports.
        ontvangen = {fd: bytearray() for fd in pids}
        klaar: dict[int, list[Resultaat]] = {}
        volgende = 0
        with selectors.DefaultSelector() as kiezer:
            for fd in pids:
                kiezer.register(fd, selectors.EVENT_READ)
            while True:
                while volgende in klaar:
                    yield from klaar.pop(volgende)
                    volgende += 1
                if volgende == len(chunks):
                    return
                if not kiezer.get_map():
                    eerste = chunks[volgende][0][0]
                    raise IjwError(f"een werkproces is onverwacht gestopt; {eerste} en de "
                                   "bestanden erna zijn niet gecontroleerd")
                for sleutel, _ in kiezer.select():
                    fd = sleutel.fd
                    deel = os.read(fd, 1 << 20)
                    if not deel:  # gone: a chunk that never comes tells which
                        kiezer.unregister(fd)
                        continue
                    buf = ontvangen[fd]
                    buf += deel
                    while len(buf) >= 8:
                        n = int.from_bytes(buf[:8], "little")
                        if len(buf) < 8 + n:
                            break
                        nummer, soort, inhoud = pickle.loads(buf[8:8 + n])
                        del buf[:8 + n]
                        if soort == "fout":
                            raise inhoud
                        klaar[nummer] = inhoud
                        geef(fd)
    finally:
        for fd in taken.values():
            os.close(fd)
        for fd, pid in pids.items():
            os.close(fd)
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)


def _werker(chunks: list[tuple[list[str], dt.date, str | None]], taken: int,
            schrijf: int) -> None:
    import pickle

    code = 0
    try:
        with os.fdopen(schrijf, "wb") as uit:
            while len(b := _lees_precies(taken, 4)) == 4:
                nummer = int.from_bytes(b, "little")
                try:
                    bericht: tuple[int, str, object] = (nummer, "ok", _chunk(chunks[nummer]))
                except Exception as exc:  # sent to the parent, raised there
                    bericht = (nummer, "fout", exc)
                data = pickle.dumps(bericht, pickle.HIGHEST_PROTOCOL)
                uit.write(len(data).to_bytes(8, "little"))
                uit.write(data)
                uit.flush()
    except BaseException:  # the parent went away (broken pipe), or Ctrl-C
        code = 1
    finally:
        os._exit(code)


def _lees_precies(fd: int, n: int) -> bytes:
    """``n`` bytes from ``fd``, fewer only at its end (a pipe may hand over part of a write)."""
    b = os.read(fd, n)
    while b and len(b) < n:
        if not (meer := os.read(fd, n - len(b))):
            break
        b += meer
    return b
