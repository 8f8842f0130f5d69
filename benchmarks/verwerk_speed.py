"""Speed and peak memory of ``ijwcli verwerk`` on an inbox of 5,000 mixed messages.

A gemeente's register holds the JW301 of each of N clients (imported first, not timed); the
inbox holds per client a verzoek (JW315), a start (JW305), a declaratie (JW323), a verzoek om
wijziging (JW317) and a stop (JW307), 5 × N messages, of which every 50th client's start has
no toewijzing (TR019, 9019). ``verwerk`` runs as the command a cron job runs, in a child
process: wall time and the child's peak resident memory (ru_maxrss). Then a second run over
the same files (left in place): everything already answered. Run:
.venv/bin/python benchmarks/verwerk_speed.py [CLIENTS] [--db URL]   (default 1,000 clients)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ijwcli.config import Config  # noqa: E402
from ijwcli.register import open_register  # noqa: E402
from tests import bouw as b  # noqa: E402
from tests.registerhulp import bsn  # noqa: E402


def inbox_van(map_: Path, n: int) -> list[bytes]:
    """Write the inbox; return the JW301s the gemeente sent."""
    map_.mkdir(parents=True)
    verzonden = []
    for i in range(n):
        nr, bs, ref = str(700000 + i), bsn(i), f"R{i}"
        if i % 50:
            verzonden.append(b.jw301(b.toegewezen(nr, ref=ref), bsn=bs, ident=f"T{i}"))
        berichten = {
            "JW315": b.jw315(b.aangevraagd(ref), bsn=bs, ident=f"V{i}"),
            "JW305": b.jw305(b.levering(nr), bsn=bs, ident=f"S{i}"),
            "JW323": b.jw323(b.prestatie(f"P{i}", nr), bsn=bs, nummer=f"N{i}", ident=f"D{i}"),
            "JW317": b.jw317(f"W{i}", ongewijzigd=(nr,), bsn=bs, ident=f"W{i}"),
            "JW307": b.jw307(b.levering(nr, einddatum="2026-12-31"), bsn=bs, ident=f"E{i}"),
        }
        for code, data in berichten.items():
            (map_ / f"{code}_{i:05d}.xml").write_bytes(data)
    return verzonden


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    voor = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    tijd = time.perf_counter() - t0
    piek = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if r.returncode not in (0, 1):
        raise SystemExit(r.stderr)
    # ru_maxrss of the children is the largest child so far: measure the big run first.
    return tijd, max(piek, voor), r.stdout.strip().splitlines()[-1]


def main() -> None:
    args = sys.argv[1:]
    db = None
    if "--db" in args:
        i = args.index("--db")
        db = args[i + 1]
        del args[i:i + 2]
    n = int(args[0]) if args else 1_000
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        db = db or str(d / "register.db")
        (d / "ijwcli.toml").write_text(f'rol = "gemeente"\ncode = "0855"\ndb = "{db}"\n')
        t0 = time.perf_counter()
        verzonden = inbox_van(d / "inbox", n)
        with open_register(db, Config(rol="gemeente", code="0855")) as reg:
            reg.add(verzonden)
        print(f"{5 * n} messages in the inbox, {len(verzonden)} JW301s in the register "
              f"({time.perf_counter() - t0:.1f} s to prepare)")
        cmd = [sys.executable, "-m", "ijwcli", "verwerk", str(d / "inbox"), "-o",
               str(d / "uitbox"), "--config", str(d / "ijwcli.toml"), "--today", "2027-01-31",
               "--laat-staan", "-q"]
        env = {**os.environ, "IJWCLI_DB": ""}
        tijd, piek, regel = run(cmd, env)
        print(f"verwerk: {tijd:.1f} s ({tijd / (5 * n) * 1000:.1f} ms/message), "
              f"peak memory {piek / 1024:.0f} MiB")
        print(f"   {regel}")
        tijd, _, regel = run(cmd, env)
        print(f"again (all already answered): {tijd:.1f} s")
        print(f"   {regel}")


if __name__ == "__main__":
    main()
