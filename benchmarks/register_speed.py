"""Register speed: import rate and memory, and query cost from 10,000 to 100,000 messages.

    .venv/bin/python benchmarks/register_speed.py                 # SQLite
    .venv/bin/python benchmarks/register_speed.py --pg URL        # and PostgreSQL
    .venv/bin/python benchmarks/register_speed.py --groot 30000   # a smaller large register

Messages are the samples with keys of their own: per client the chain JW315, JW316, JW301,
JW302, JW305, JW306, JW323, JW325, JW317, JW307 (10 messages), so 10,000 messages are 1,000
clients. The import is measured in a child process (wall time; CPU time of it and of its
validation workers together; peak RSS of it and of its largest worker), validation included,
as ``ijwcli register add MAP`` does it. The queries
(``Register.client`` and ``Register.lijst(bsn=…)``, what ``register client`` and ``register
list --bsn`` run) are timed as the median of 50 random clients, at 10,000 messages and again
after the register has grown to the large size.

Targets (issue 12): import >= 1,000 messages/s on SQLite, peak <= 300 MB; each query <= 50 ms
and flat from 10,000 to 100,000 messages. The machine is shared: compare CPU with wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.registerhulp import bericht, bsn  # noqa: E402

KETEN = ("JW315", "JW316", "JW301", "JW302", "JW305", "JW306", "JW323", "JW325", "JW317",
         "JW307")


def keten(i: int) -> list[tuple[str, bytes]]:
    """The ten messages of client ``i``, every key its own."""
    b, nr, ref = bsn(i), str(1_000_000 + i), f"VZ-{i}"
    extra = {"PR-2026-03-001": f"PR-{i}", "DEC202603": f"DEC{i}"}
    uit = []
    for code in KETEN:
        heen = {"JW316": f"V{i}", "JW302": f"T{i}", "JW306": f"S{i}", "JW325": f"D{i}"}.get(code)
        ident = {"JW315": f"V{i}", "JW301": f"T{i}", "JW305": f"S{i}", "JW323": f"D{i}",
                 "JW317": f"W{i}", "JW307": f"E{i}"}.get(code, f"R{code[2:]}{i}")
        uit.append((f"{code}_{i}.xml", bericht(code, ident, heen=heen, bsn_=b, nummer=nr,
                                               referentie=ref if code != "JW317" else f"VW-{i}",
                                               vervang=extra)))
    return uit


def schrijf(map_: Path, van: int, tot: int) -> int:
    n = 0
    map_.mkdir(parents=True, exist_ok=True)
    for i in range(van, tot):
        for naam, data in keten(i):
            (map_ / naam).write_bytes(data)
            n += 1
    return n


KIND = """
import json, resource, sys, time
t0, c0 = time.perf_counter(), time.process_time()
from ijwcli.config import Config
from ijwcli.register import open_register
reg = open_register(sys.argv[1], Config(rol="gemeente", code="0855"))
r = reg.add(sys.argv[2])
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
kind = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"n": len(r), "nieuw": sum(x.status == "nieuw" for x in r),
                  "ongeldig": sum(not x.geldig for x in r), "wall": wall,
                  "cpu": cpu + kind.ru_utime + kind.ru_stime,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_werker_mb": kind.ru_maxrss / 1024}))
"""


def importeer(db: str, map_: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", KIND, db, str(map_)], capture_output=True,
                       text=True, env=env, cwd=ROOT, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def vragen(db: str, clienten: int) -> dict[str, float]:
    from ijwcli.config import Config
    from ijwcli.register import open_register

    rnd = random.Random(7)
    with open_register(db, Config(rol="gemeente", code="0855")) as reg:
        uit: dict[str, float] = {}
        for naam, vraag in (("client", reg.client), ("list --bsn",
                                                     lambda b: reg.lijst(bsn=b))):
            vraag(bsn(0))  # warm up: connection, statement cache
            tijden, cpu = [], []
            for _ in range(50):
                b = bsn(rnd.randrange(clienten))
                t0, c0 = time.perf_counter(), time.process_time()
                antwoord = vraag(b)
                tijden.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                assert antwoord, b
            uit[naam] = statistics.median(tijden) * 1000
            uit[naam + " cpu"] = statistics.median(cpu) * 1000
    return uit


def backend(naam: str, db: str, tmp: Path, klein: int, groot: int) -> None:
    print(f"\n== {naam}")
    eerste = tmp / f"{naam}-a"
    n = schrijf(eerste, 0, klein // 10)
    r = importeer(db, eerste)
    assert r["nieuw"] == n and r["ongeldig"] == 0, r
    print(f"import {n} messages: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU → "
          f"{n / r['wall']:.0f} msg/s wall ({n / r['cpu']:.0f} msg/s per CPU second); "
          f"peak RSS {r['rss_mb']:.0f} MB (largest validation worker {r['rss_werker_mb']:.0f} MB)")
    q = vragen(db, klein // 10)
    print(f"queries at {klein:>7} messages: " + ", ".join(
        f"{k} {v:.1f} ms" for k, v in q.items()))
    if groot > klein:
        stap = 20_000
        for van in range(klein, groot, stap):
            tot = min(groot, van + stap)
            m = tmp / f"{naam}-{van}"
            schrijf(m, van // 10, tot // 10)
            r = importeer(db, m)
            print(f"  grown to {tot} messages ({r['nieuw'] / r['wall']:.0f} msg/s)", flush=True)
            subprocess.run(["rm", "-rf", str(m)], check=True)
        q = vragen(db, groot // 10)
        print(f"queries at {groot:>7} messages: " + ", ".join(
            f"{k} {v:.1f} ms" for k, v in q.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--klein", type=int, default=10_000)
    ap.add_argument("--groot", type=int, default=100_000)
    ap.add_argument("--pg", help="PostgreSQL URL (an empty database or schema)")
    ap.add_argument("--pg-groot", type=int, default=None,
                    help="large size on PostgreSQL (default: same as --groot)")
    a = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        backend("sqlite", str(tmp / "bench.db"), tmp, a.klein, a.groot)
        if a.pg:
            backend("postgresql", a.pg, tmp, a.klein,
                    a.pg_groot if a.pg_groot is not None else a.groot)
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"benchmark process peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
