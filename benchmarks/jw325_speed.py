"""Speed of the declaratie-antwoord: ``jw325.maak`` for a JW323 of N prestaties against 100,000
toewijzingen (the history of benchmarks/overstijgend_speed.py).

The time covers everything ``generate jw325`` does besides the register query: the JW323's
own validation, the history read into indexes, every prestatie judged, the JW325 built and
checked by the validator and against the declaratie. Half the prestaties are on a toewijzing
that does not exist, so half are rejected and the answer lists N/2 prestaties.
Run: .venv/bin/python benchmarks/jw325_speed.py [N ...]
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.overstijgend_speed import historie  # noqa: E402
from ijwcli.bericht import read_tree  # noqa: E402
from ijwcli.generatie import jw325  # noqa: E402
from ijwcli.validatie import overstijgend  # noqa: E402
from tests import bouw  # noqa: E402


def declaratie(n: int) -> bytes:
    # Even i: a known toewijzing (approved); odd i: a number above the history (TR338).
    return bouw.jw323(*(bouw.prestatie(f"P{i}", str(100000 + i * 7 % 100_000) if i % 2 == 0
                                       else str(900000 + i)) for i in range(n)))


def main() -> None:
    aantallen = [int(a) for a in sys.argv[1:]] or [1_000, 10_000]
    t0 = time.perf_counter()
    h = historie()
    print(f"history of 100,000 toewijzingen built in {time.perf_counter() - t0:.1f} s")
    for n in aantallen:
        data = declaratie(n)
        t0 = time.perf_counter()
        a = jw325.maak(data, historie=h, today=dt.date(2027, 1, 1))
        dt_ = time.perf_counter() - t0
        # The same judgement alone (history into indexes + the rules), to show what the
        # answer itself adds: reading and validating the JW323, building and checking the JW325.
        t0 = time.perf_counter()
        overstijgend.controleer(read_tree(data), h, "gemeente", dt.date(2027, 1, 1))
        regels = time.perf_counter() - t0
        piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>7} prestaties: maak {dt_:6.2f} s, of which the rules with the history "
              f"{regels:6.2f} s; the answer adds {dt_ - regels:5.2f} s "
              f"({(dt_ - regels) / n * 1e6:.0f} µs/prestatie); {a.status}, "
              f"{len(a.afgewezen)} afgewezen, JW325 {len(a.xml) / 1e6:.1f} MB; "
              f"peak RSS so far {piek:.0f} MB")


if __name__ == "__main__":
    main()
