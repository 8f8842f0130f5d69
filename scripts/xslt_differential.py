"""The differential test of tests/test_xslt_differential.py, longer: ijwcli against the
official validation XSLT (../shared/tools/ijw-xslt-check) on N generated XSD-valid messages.

Usage: python scripts/xslt_differential.py [N] [SEED]     (default 50000, 1)
Prints the count per message type, the table per rule (compared, agreeing, fired by the XSLT
and by ijwcli, left out as a listed deviation) and every disagreement; exit 1 if any.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ijwcli.validatie.regels.overzicht import afwijkingen  # noqa: E402
from tests.regelmutanten import Generator, bases, vergelijk, xslt_tool  # noqa: E402

SHARED = ROOT.parent / "shared"
IJW = SHARED / "ijw-3.2"


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 50000
    seed = int(argv[1]) if len(argv) > 1 else 1
    tool = xslt_tool(SHARED)
    xsd = {f.stem.upper(): etree.XMLSchema(etree.parse(str(f)))
           for f in (IJW / "xsd").glob("jw3*.xsd")}
    begin = time.perf_counter()
    gen = Generator(bases([IJW / "voorbeelden", ROOT / "samples"]), seed)
    mutanten = list(gen.geldige(n, xsd))
    with tempfile.TemporaryDirectory() as map_:
        v = vergelijk(mutanten, Path(map_), tool, afwijkingen(), dt.date(2026, 12, 31))
    print(f"{len(mutanten)} XSD-geldige berichten (seed {seed}) in "
          f"{time.perf_counter() - begin:.0f} s; per type: {dict(sorted(v.per_type.items()))}")
    print(v.tabel())
    for naam, code, wie in v.oneens:
        print(f"ONEENS {code} alleen door {wie}: {naam}")
    print(f"{len(v.oneens)} keer oneens")
    return 1 if v.oneens else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
