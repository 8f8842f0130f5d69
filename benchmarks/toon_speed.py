"""Speed of ``ijwcli toon`` (issue 16): a folder of 1,000 messages in each form, target ≤ 10 s.

The folder holds N messages (default 1,000): the 14 samples in turn, each copy with its own
Identificatie, so that every message type is drawn and retourberichten are shown beside
their heen-berichten. Each form runs as a user runs it, ``ijwcli toon DIR …`` as a
subprocess, and is timed whole (start-up, reading, validating, drawing, writing):

- terminal: ``ijwcli toon DIR`` with stdout to a file (Rich, 80 columns);
- html-map: ``--html OUT/`` (index plus one page per message);
- html: ``--html OUT.html`` (one file);
- pdf: ``--pdf OUT.pdf`` (one file; needs the extra ``ijwcli[pdf]``);
- alles: ``--html OUT/ --pdf OUT/`` (both folders in one run).

Wall time and CPU time (user + system of the child) are printed side by side: the machine
may be shared, and CPU time shows the work apart from waiting for a core. The best of
``--repeat`` runs counts.

Run: .venv/bin/python benchmarks/toon_speed.py [--n 1000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DOEL = 10.0
_IDENTIFICATIE = re.compile(rb"(<(?:\w+:)?(?:Identificatie|IdentificatieRetour)>)([^<]*)(</)")


def maak_map(map_: Path, n: int) -> None:
    samples = sorted((ROOT / "samples").glob("*.xml"))
    for i in range(n):
        bron = samples[i % len(samples)]
        ronde = i // len(samples)
        # Every pair (heen and retour) gets the same new Identificatie, so pairs stay pairs.
        data = _IDENTIFICATIE.sub(
            lambda m, r=ronde: m.group(1) + f"B{r:05d}".encode() + m.group(2)[-6:] + m.group(3),
            bron.read_bytes())
        (map_ / f"{i:05d}_{bron.name}").write_bytes(data)


def meet(args: list[str], stdout: Path) -> tuple[float, float, int]:
    voor = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    with open(stdout, "wb") as fh:
        r = subprocess.run([str(BIN / "ijwcli"), "toon", *args], stdout=fh,
                           stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "80"})
    wand = time.perf_counter() - t
    na = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (na.ru_utime - voor.ru_utime) + (na.ru_stime - voor.ru_stime)
    if r.returncode not in (0, 1):
        sys.exit(f"ijwcli toon {' '.join(args)}: exit {r.returncode}\n{r.stderr.decode()}")
    return wand, cpu, r.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        invoer = t / "in"
        invoer.mkdir()
        maak_map(invoer, a.n)
        vormen = {
            "terminal": [],
            "html-map": ["--html", str(t / "html")],
            "html": ["--html", str(t / "alles.html")],
            "pdf": ["--pdf", str(t / "alles.pdf")],
            "alles": ["--html", str(t / "html2"), "--pdf", str(t / "pdf2")],
        }
        meet(["--html", str(t / "opwarmen.html"), str(invoer / os.listdir(invoer)[0])],
             t / "opwarmen.txt")
        print(f"ijwcli toon, {a.n} berichten, load {os.getloadavg()[0]:.2f} "
              f"({os.cpu_count()} cores), best of {a.repeat}")
        slecht = []
        for naam, opties in vormen.items():
            beste = None
            for _ in range(a.repeat):
                w, c, _rc = meet([str(invoer), *opties, "--force"], t / f"{naam}.txt")
                beste = (w, c) if beste is None or w < beste[0] else beste
            assert beste is not None
            w, c = beste
            ok = w <= DOEL
            slecht += [] if ok else [naam]
            print(f"  {naam:9s} wall {w:6.2f} s  cpu {c:6.2f} s  "
                  f"{a.n / w:6.0f} berichten/s  {'ok' if ok else 'TE TRAAG'} (doel ≤ {DOEL:.0f} s)")
        grootte = (t / "alles.pdf").stat().st_size / 1e6
        print(f"  alles.pdf {grootte:.1f} MB, alles.html "
              f"{(t / 'alles.html').stat().st_size / 1e6:.1f} MB")
    sys.exit(1 if slecht else 0)


if __name__ == "__main__":
    main()
