"""The fuzz tests of tests/test_fuzz.py with more cases than CI's budget allows.

Usage: python scripts/fuzz.py [FACTOR]   (default 10: 70,000 + 30,000 hypothesis cases)
Runs pytest on tests/test_fuzz.py with IJWCLI_FUZZ_VOORBEELDEN=FACTOR and prints the
hypothesis statistics; exit code is pytest's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    factor = argv[0] if argv else "10"
    env = {**os.environ, "IJWCLI_FUZZ_VOORBEELDEN": factor}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "--hypothesis-show-statistics",
                           "-p", "no:cacheprovider", str(ROOT / "tests" / "test_fuzz.py")],
                          cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
