"""Many output files at once, all or nothing: a staging directory and a writer process.

:class:`Staging` takes files one by one while the conversion goes on. A helper process
creates them in a staging directory inside the output directory (same file system, so the
final renames are atomic); :meth:`Staging.plaats` renames them into place once every message
is known to be valid, :meth:`Staging.opruimen` removes whatever is left. Until
:meth:`~Staging.plaats` the output directory holds nothing new but the hidden staging
directory, and that goes again in :meth:`~Staging.opruimen`.

Why a process: creating a file is kernel work that can cost far more than writing its bytes
(ext4 without a journal steps over every inode freed in the last half minute, so after a
large delete each new file costs a millisecond). In a second process that work runs on another
core alongside the conversion; a thread would wait for the interpreter lock after every
system call. Without a usable helper the files are written in this process. No fsync: these
files are as safe as any other the user saves.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "uit"
>>> s = Staging(out)
>>> s.schrijf("a.xml", b"<a/>")
>>> s.schrijf("b.xml", b"<b/>")
>>> [p.name[:16] for p in out.iterdir()]  # only the hidden staging directory so far
['.ijwcli-convert-']
>>> s.plaats()
>>> s.opruimen()
>>> sorted(p.name for p in out.iterdir()), (out / "a.xml").read_bytes()
(['a.xml', 'b.xml'], b'<a/>')
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import IO

from ijwcli.errors import FileError

_VLAG = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_KOP = struct.Struct("<II")

# The writer: records (name length, data length, name, data) on stdin → files in argv[1].
# On the first error it says which file and why on stderr and stops with exit code 1.
_SCHRIJVER = """
import os, struct, sys
d, kop, vlag = sys.argv[1], struct.Struct("<II"), int(sys.argv[2])
inp = sys.stdin.buffer
while True:
    k = inp.read(kop.size)
    if len(k) < kop.size:
        break
    n, m = kop.unpack(k)
    naam, data = inp.read(n).decode(), inp.read(m)
    try:
        fd = os.open(os.path.join(d, naam), vlag, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        sys.stderr.write(naam + "\\t" + str(exc.errno or 0) + "\\t" + (exc.strerror or str(exc)))
        sys.exit(1)
"""
_PIJP = 1 << 20  # room for a few hundred files when the writer falls behind


class Staging:
    """Files for directory ``out``, placed together by :meth:`plaats` (see the module)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.namen: list[str] = []
        self._map: Path | None = None
        self._gemaakt = False
        self._proces: subprocess.Popen[bytes] | None = None
        self._pijp: IO[bytes] | None = None

    def _begin(self) -> Path:
        self._gemaakt = not self.out.exists()
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            map_ = Path(tempfile.mkdtemp(prefix=".ijwcli-convert-", suffix=".tmp",
                                         dir=self.out))
        except OSError as exc:
            from ijwcli.bestanden import reden

            raise FileError(f"kan de map niet maken ({reden(exc)})", where=str(self.out)) from None
        self._map = map_
        if getattr(sys, "frozen", False) or not sys.executable:
            return map_  # no Python interpreter to start: write in this process
        try:
            self._proces = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _SCHRIJVER, str(map_), str(_VLAG)],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError:
            self._proces = None  # write in this process instead
        else:
            self._pijp = self._proces.stdin
            try:
                import fcntl

                assert self._pijp is not None
                fcntl.fcntl(self._pijp.fileno(), fcntl.F_SETPIPE_SZ, _PIJP)
            except (ImportError, AttributeError, OSError):
                pass  # a smaller pipe only means waiting sooner for a slow writer
        return map_

    def schrijf(self, naam: str, data: bytes) -> None:
        """Stage file ``naam`` (a plain file name) with contents ``data``."""
        map_ = self._map or self._begin()
        self.namen.append(naam)
        if self._pijp is not None:
            b = naam.encode()
            try:
                # Two writes into the buffered pipe: joining would copy the data first, and
                # a declaratie of 200,000 prestaties is 160 MB.
                self._pijp.write(_KOP.pack(len(b), len(data)) + b)
                self._pijp.write(data)
                return
            except BrokenPipeError:
                self._klaar()  # raises the writer's error
        pad = map_ / naam
        try:
            fd = os.open(pad, _VLAG, 0o666)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError as exc:
            from ijwcli.bestanden import reden

            raise FileError(f"kan niet schrijven ({reden(exc)})",
                            where=str(self.out / naam)) from None

    def _klaar(self) -> None:
        """Wait for the writer; raise :class:`FileError` with its complaint if it failed."""
        proces, self._proces = self._proces, None
        if proces is None:
            return
        self._pijp = None
        with suppress(BrokenPipeError):
            assert proces.stdin is not None
            proces.stdin.close()
        assert proces.stderr is not None
        fout = proces.stderr.read().decode(errors="replace")
        proces.stderr.close()
        if proces.wait() != 0:
            from ijwcli.bestanden import reden

            naam, _, rest = fout.partition("\t")
            nummer, _, tekst = rest.partition("\t")
            waarom = reden(OSError(int(nummer), tekst)) if nummer.isdigit() else fout
            raise FileError(f"kan niet schrijven ({waarom})", where=str(self.out / naam))

    def plaats(self) -> None:
        """Rename every staged file into ``out`` (replacing what is there)."""
        self._klaar()
        if self._map is None:
            return
        from ijwcli import bestanden

        for naam in self.namen:  # refused before any is placed: all or nothing
            bestanden.controleer_doel(self.out / naam, force=True)
        with bestanden._zonder_onderbreking():
            for naam in self.namen:
                try:
                    os.replace(self._map / naam, self.out / naam)
                except OSError as exc:
                    raise FileError(f"kan niet schrijven ({bestanden.reden(exc)})",
                                    where=str(self.out / naam)) from None
                bestanden.GESCHREVEN.append(self.out / naam)

    def opruimen(self) -> None:
        """Remove the staging directory and what is left in it; always safe to call."""
        proces, self._proces = self._proces, None
        if proces is not None:
            proces.kill()
            proces.wait()
            for f in (proces.stdin, proces.stderr):
                with suppress(OSError):
                    if f is not None:
                        f.close()
        self._pijp = None
        if self._map is not None:
            shutil.rmtree(self._map, ignore_errors=True)
            self._map = None
            if self._gemaakt:
                with suppress(OSError):
                    self.out.rmdir()  # only when nothing was placed in it
