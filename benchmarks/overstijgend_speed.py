"""Speed of the cross-message rules: a JW323 of N prestaties against 100,000 toewijzingen.

The history is 1,000 JW301s of 100 toegewezen producten each (100,000 toewijzingen) plus the
JW323 under test. Two times per size: ``totaal`` covers reading the history into indexes and
judging every prestatie (what one ``controleer`` call costs; target: 10,000 prestaties in at
most 5 s), ``oordeel`` only the judging against indexes built once (``verkeer=``). The cost
per prestatie of the judging and its ratio to the smallest size show whether the growth is
linear (a ratio near 1.0 at every size). Run: .venv/bin/python benchmarks/overstijgend_speed.py
[N ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ijwcli.bericht import read_tree  # noqa: E402
from ijwcli.validatie import overstijgend  # noqa: E402
from ijwcli.validatie.overstijgend.verkeer import Verkeer  # noqa: E402
from tests import bouw  # noqa: E402


def historie(toewijzingen: int = 100_000, per_bericht: int = 100) -> list:
    berichten = []
    for m in range(toewijzingen // per_bericht):
        berichten.append(bouw.jw301(*(bouw.toegewezen(str(100000 + m * per_bericht + i))
                                      for i in range(per_bericht))))
    return bouw.eerder(*berichten)


def declaratie(n: int) -> bytes:
    return bouw.jw323(*(bouw.prestatie(f"P{i}", str(100000 + i * 7 % 100_000))
                        for i in range(n)))


def main() -> None:
    aantallen = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    t0 = time.perf_counter()
    h = historie()
    print(f"history of 100,000 toewijzingen built in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    verkeer = Verkeer(h)
    print(f"indexes over the history: {time.perf_counter() - t0:.2f} s (fixed cost per call)")
    eerste: float | None = None
    for n in aantallen:
        tree = read_tree(declaratie(n))
        t0 = time.perf_counter()
        found = overstijgend.controleer(tree, h, "gemeente")
        totaal = time.perf_counter() - t0
        t0 = time.perf_counter()
        overstijgend.controleer(tree, h, "gemeente", verkeer=verkeer)
        oordeel = time.perf_counter() - t0
        per = oordeel / n * 1e6
        eerste = eerste or per
        print(f"{n:>7} prestaties: totaal {totaal:6.2f} s, oordeel {oordeel:6.2f} s "
              f"({per:.0f} µs/prestatie, x{per / eerste:.2f} of the first size), "
              f"{len(found)} findings")


if __name__ == "__main__":
    main()
