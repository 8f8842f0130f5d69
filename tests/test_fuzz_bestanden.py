"""The hostile-input fuzz of scripts/fuzz_bestanden.py at CI size (issue 11).

A fixed seed and a few dozen mutated inputs per command (convert, verlenging --batch, retour,
generate jw307): no traceback, no hang, no partial write, no overwrite. The longer run is
``python scripts/fuzz_bestanden.py --n 300``.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

_PAD = Path(__file__).resolve().parents[1] / "scripts" / "fuzz_bestanden.py"
_spec = importlib.util.spec_from_file_location("fuzz_bestanden", _PAD)
assert _spec is not None and _spec.loader is not None
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["fuzz_bestanden"] = fuzz  # dataclasses look their module up there
_spec.loader.exec_module(fuzz)

AANTAL = {"convert": 40, "verlenging --batch": 40, "retour": 40, "generate jw307": 15}


@pytest.mark.parametrize("commando", list(AANTAL))
def test_hostile_inputs(commando: str) -> None:
    t = fuzz.COMMANDOS[commando](AANTAL[commando], random.Random(f"ci-{commando}"), 30.0)
    assert t.pogingen == AANTAL[commando]
    assert (t.tracebacks, t.hangs, t.half, t.overschreven) == (0, 0, 0, 0), t.voorbeelden
