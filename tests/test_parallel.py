"""``validate_many`` with several jobs: forked workers that get chunk numbers from the parent
through one pipe and send results back through another (issue 17 §4). The same results in the
same order as one job, whatever the mix of types; a free worker takes the next chunk; a
worker's failure reaches the caller; stopping early leaves no worker behind."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from ijwcli import validatie
from ijwcli.errors import IjwError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TODAY = dt.date(2026, 12, 31)
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="alleen waar os.fork bestaat")


def _map(tmp_path: Path, n: int = 40) -> list[Path]:
    # Every type mixed, so most chunks start with a type the parent did not compile.
    bronnen = sorted(SAMPLES.glob("jw3*.xml"))
    for i in range(n):
        (tmp_path / f"m{i:03}.xml").write_bytes(bronnen[i % len(bronnen)].read_bytes())
    (tmp_path / "m999.xml").write_bytes(b"<kapot")
    return validatie.expand([tmp_path])


def test_zelfde_uitkomst_en_volgorde_als_een_job(tmp_path: Path) -> None:
    files = _map(tmp_path)
    een = [r.to_dict() for r in validatie.validate_many(files, TODAY, jobs=1)]
    for jobs in (2, 3):
        assert [r.to_dict() for r in validatie.validate_many(files, TODAY, jobs=jobs)] == een
    assert any(not r["valid"] for r in een) and any(r["valid"] for r in een)


def _kapotte_chunk(args: object) -> list[object]:
    raise ValueError("stuk in de werker")


def test_fout_in_een_werker_bereikt_de_aanroeper(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    files = _map(tmp_path)
    monkeypatch.setattr(validatie, "_chunk", _kapotte_chunk)
    with pytest.raises(ValueError, match="stuk in de werker"):
        list(validatie.validate_many(files, TODAY, jobs=2))


def test_gestopte_werker_is_een_nette_fout(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    files = _map(tmp_path)
    monkeypatch.setattr(validatie, "_chunk", lambda args: os._exit(3))
    with pytest.raises(IjwError, match="onverwacht gestopt"):
        list(validatie.validate_many(files, TODAY, jobs=2))


def test_vroeg_stoppen_laat_geen_werkers_achter(tmp_path: Path) -> None:
    files = _map(tmp_path, 200)
    uitkomsten = validatie.validate_many(files, TODAY, jobs=2)
    next(uitkomsten)
    uitkomsten.close()  # the generator's finally ends and reaps its workers
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def _traag_eerst(args: tuple[list[str], dt.date, str | None]) -> list[validatie.Resultaat]:
    files = args[0]
    if files[0].endswith("m000.xml"):
        time.sleep(1.0)
    return [validatie.Resultaat(f"{os.getpid()} {f}") for f in files]


def test_een_vrije_werker_neemt_het_volgende_deel(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks are taken, not dealt: while one worker is held up by its first chunk (a large
    # file, a shared core), the other takes the rest, and the order stays that of the files.
    files = _map(tmp_path)
    monkeypatch.setattr(validatie, "_chunk", _traag_eerst)
    uit = [r.file.split(" ", 1) for r in validatie.validate_many(files, TODAY, jobs=2)]
    assert [f for _, f in uit] == [str(f) for f in files]
    traag = uit[0][0]
    assert sum(pid == traag for pid, _ in uit) < len(files) // 4


def test_naast_een_andere_thread_geen_fork(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # A forked copy of a threaded program keeps the locks its other threads held; with a
    # second thread running, the workers are started fresh (forkserver) and give the same.
    import threading

    files = _map(tmp_path, 8)
    een = [r.to_dict() for r in validatie.validate_many(files, TODAY, jobs=1)]
    monkeypatch.setattr(validatie, "_parallel", lambda *a: pytest.fail("geforkt naast een thread"))
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert [r.to_dict() for r in validatie.validate_many(files, TODAY, jobs=2)] == een
    finally:
        stop.set()
        t.join()
