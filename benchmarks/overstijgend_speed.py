"""Speed of the cross-message rules: a JW323 of N prestaties against 100,000 toewijzingen.

The history is 1,000 JW301s of 100 toegewezen producten each (100,000 toewijzingen) plus the
JW323 under test; the time covers reading the history into indexes and judging every
prestatie. Run: .venv/bin/python benchmarks/overstijgend_speed.py [N ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ijwcli.bericht import read_tree  # noqa: E402
from ijwcli.validatie import overstijgend  # noqa: E402
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
    for n in aantallen:
        tree = read_tree(declaratie(n))
        t0 = time.perf_counter()
        found = overstijgend.controleer(tree, h, "gemeente")
        dt_ = time.perf_counter() - t0
        print(f"{n:>7} prestaties: {dt_:6.2f} s ({dt_ / n * 1e6:.0f} µs/prestatie), "
              f"{len(found)} findings")


if __name__ == "__main__":
    main()
