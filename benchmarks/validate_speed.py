"""Speed of ``ijwcli validate`` (issues 2 and 10), four figures in one run.

1. Throughput of ``ijwcli validate DIR --jobs 1 --quiet`` against bare lxml: the reference
   XSD compiled once, then a plain Python loop that parses and validates each file. Target
   ≥ 0.5× (at most twice the cost of libxml2 alone).
2. Throughput of ``--jobs 2`` against ``--jobs 1`` on the same directory. Target ≥ 1.5×
   (needs 2 cores).
3. One ``ijwcli validate FILE`` call against ``python -c "import typer, rich.console,
   lxml.etree"``, the median of several runs each. Target ≤ 1.5× (shell scripts call the tool
   once per file, so start-up counts).
4. Throughput of ``--jobs 1`` against the official validation XSLT (issue 10), as its tools
   in ../shared/tools run it on the same folder (``--xslt-n`` files): ``ijw-xsd-check DIR``
   then ``ijw-xslt-check --json DIR``, one process each, minus their one-file start-up (the
   footing of ijwcli's figure). Target ≥ 20×. Printed beside it: the XSLT at its cheapest, in
   this process, XSD and XSLT compiled before the clock starts, parse + validate + transform
   per file.

Throughput is files per second of the batch itself: ``ijwcli`` runs as a subprocess, so its
wall time minus the start-up of a one-file call (figure 3, which has its own target), the
same footing as the lxml loop, whose imports and schema compilation happen before its clock
starts. The raw wall-time ratios are printed too; they approach the throughput ratios as
``--n`` grows. The files are N copies of a JW301 (samples/jw301*.xml, else the reference
JW301), each with its own Identificatie. Throughput runs take the best of ``--repeat`` runs;
the two start-up commands run in turns, so that a busy machine slows both alike.

The subprocesses run as an installed tool does: with bytecode (and the table caches of
:mod:`ijwcli.pakketdata`) written, even when this shell sets PYTHONDONTWRITEBYTECODE. A
warm-up call before the clocks start writes them.

Run: .venv/bin/python benchmarks/validate_speed.py [--n 2000] [--repeat 3] [--calls 10]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IJW = ROOT.parent / "shared" / "ijw-3.2"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
_IDENTIFICATIE = re.compile(rb"(<(?:\w+:)?Identificatie>)[^<]*(</)")


def bron() -> Path:
    samples = sorted((ROOT / "samples").glob("jw301*.xml"))
    if samples:
        return samples[0]
    ref = IJW / "voorbeelden" / "JW301.xml"
    if not ref.exists():
        sys.exit("geen JW301 gevonden: samples/jw301*.xml noch ../shared/ijw-3.2/voorbeelden")
    return ref


def bouw(map_: Path, n: int) -> list[Path]:
    data = bron().read_bytes()
    if not _IDENTIFICATIE.search(data):
        sys.exit(f"{bron()}: geen Identificatie gevonden")
    files = []
    for i in range(n):
        f = map_ / f"jw301_{i:06d}.xml"
        f.write_bytes(_IDENTIFICATIE.sub(rb"\g<1>B%010d\g<2>" % i, data, count=1))
        files.append(f)
    return files


def ijwcli(*args: str) -> list[str]:
    exe = BIN / "ijwcli"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "ijwcli"]


# As installed: Python writes and reads bytecode (pip compiles it at install time).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def tijd(cmd: list[str], verwacht: int = 0) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, cwd=ROOT, env=ENV)
    sec = time.perf_counter() - t
    if r.returncode != verwacht:
        sys.exit(f"{' '.join(cmd)} gaf exit {r.returncode}:\n{r.stdout.decode()}"
                 f"{r.stderr.decode()}")
    return sec


def beste(n: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(n))


def lxml_lus(files: list[Path]) -> float:
    """Parse and validate every file with the reference XSD, schema compiled beforehand."""
    from lxml import etree

    xsd = IJW / "xsd" / "jw301.xsd"
    if not xsd.exists():
        sys.exit(f"{xsd} ontbreekt: de referentie-XSD's zijn nodig voor de vergelijking")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    t = time.perf_counter()
    ongeldig = 0
    for f in files:
        if not schema.validate(etree.parse(str(f))):
            ongeldig += 1
    sec = time.perf_counter() - t
    if ongeldig:
        sys.exit(f"lxml vindt {ongeldig} ongeldige bestanden; de kopieën horen geldig te zijn")
    return sec


def xslt_lus(files: list[Path]) -> float:
    """The official rule check as aanbieders run it: XSD, then the validation XSLT."""
    from lxml import etree

    xsl = IJW / "validatie" / "ijw-3.2-regels.xsl"
    if not xsl.exists():
        sys.exit(f"{xsl} ontbreekt: de validatie-XSLT is nodig voor de vergelijking")
    schema = etree.XMLSchema(etree.parse(str(IJW / "xsd" / "jw301.xsd")))
    transform = etree.XSLT(etree.parse(str(xsl)))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    t = time.perf_counter()
    fout = 0
    for f in files:
        doc = etree.parse(str(f), parser)
        if not schema.validate(doc):
            fout += 1
        rapport = transform(doc)
        fout += sum(1 for _ in rapport.iter("{*}Fout"))
    sec = time.perf_counter() - t
    if fout:
        sys.exit(f"de XSLT vindt {fout} fouten; de kopieën horen geldig te zijn")
    return sec


def xslt_tools(map_: Path, files: list[Path]) -> float:
    """Seconds for ijw-xsd-check and ijw-xslt-check --json over a folder of ``files``."""
    tools = ROOT.parent / "shared" / "tools"
    sub = map_ / "xslt"
    if not sub.exists():
        sub.mkdir()
        for f in files:
            (sub / f.name).write_bytes(f.read_bytes())
    een = sub / files[0].name
    totaal = 0.0
    for tool, extra in (("ijw-xsd-check", []), ("ijw-xslt-check", ["--json"])):
        cmd = [sys.executable, str(tools / tool), *extra]
        totaal += tijd([*cmd, str(sub)]) - tijd([*cmd, str(een)])
    return totaal


def uitsplitsing(files: list[Path]) -> dict[str, float]:
    """Microseconds per file, in this process, for each step of ``validate_file``."""
    import datetime as dt

    from ijwcli.bericht import definitie_van, read_tree
    from ijwcli.model.schema import schema
    from ijwcli.validatie import regels, validate_file

    dag = dt.date(2026, 3, 2)
    validate_file(files[0], dag)  # schema compiled, tables loaded
    stap = dict.fromkeys(["lezen", "parsen", "schema", "regels", "totaal"], 0.0)
    for f in files:
        t0 = time.perf_counter()
        with open(f, "rb") as fh:  # as validate_file reads
            data = fh.read()
        t1 = time.perf_counter()
        tree = read_tree(data)
        t2 = time.perf_counter()
        d = definitie_van(tree)
        schema(d.code).validate(tree)
        t3 = time.perf_counter()
        regels.run(regels.Context(tree, d, dag))
        t4 = time.perf_counter()
        validate_file(f, dag)
        t5 = time.perf_counter()
        for k, dt_ in zip(stap, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            stap[k] += dt_
    return {k: v / len(files) * 1e6 for k, v in stap.items()}


def regel(naam: str, waarde: float, eenheid: str, doel: str, ok: bool) -> None:
    print(f"{naam:58} {waarde:8.2f}{eenheid:3} doel {doel:7} {'PASS' if ok else 'FAIL'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="aantal JW301-kopieën (2000)")
    ap.add_argument("--repeat", type=int, default=3, help="herhalingen per doorvoermeting (3)")
    ap.add_argument("--calls", type=int, default=11, help="aanroepen voor de mediaan (11)")
    ap.add_argument("--xslt-n", type=int, default=500,
                    help="bestanden voor de XSLT-meting (500; de XSLT is traag)")
    a = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="ijw-bench-") as tmp:
        map_ = Path(tmp)
        files = bouw(map_, a.n)
        print(f"{a.n} kopieën van {bron().relative_to(ROOT.parent)} in {map_}; "
              f"{os.cpu_count()} cores\n")
        dag = ["--today", "2026-03-02"]
        cmd1 = [*ijwcli(), "validate", str(map_), "--quiet", "--jobs", "1", *dag]
        cmd2 = [*ijwcli(), "validate", str(map_), "--quiet", "--jobs", "2", *dag]

        een = [*ijwcli(), "validate", str(files[0]), *dag]
        kaal = [sys.executable, "-c", "import typer, rich.console, lxml.etree"]
        tijd(een), tijd(kaal)  # warm-up: bytecode, table caches, file cache

        t_lxml = beste(a.repeat, lambda: lxml_lus(files))
        # --jobs 1 and the XSLT in turns, so that a busy machine slows both alike.
        n_xslt = min(a.n, a.xslt_n)
        paren_x = [(tijd(cmd1), xslt_lus(files[:n_xslt]), xslt_tools(map_, files[:n_xslt]))
                   for _ in range(a.repeat)]
        t_j1 = min(p[0] for p in paren_x)
        t_xslt = min(p[1] for p in paren_x)
        t_tools = min(p[2] for p in paren_x)
        t_j2 = beste(a.repeat, lambda: tijd(cmd2))

        paren = [(tijd(een), tijd(kaal)) for _ in range(a.calls)]
        t_een = statistics.median(p[0] for p in paren)
        t_kaal = statistics.median(p[1] for p in paren)
        per = uitsplitsing(files[:500])

    start = t_een  # imports, schema compilation and one file: the fixed cost of a call
    b1, b2 = t_j1 - start, t_j2 - start
    print(f"lxml-lus (parse + validate, referentie-XSD): {a.n / t_lxml:7.0f} bestanden/s "
          f"({t_lxml:.2f} s)")
    print(f"ijwcli validate --jobs 1:                    {a.n / b1:7.0f} bestanden/s "
          f"({t_j1:.2f} s, waarvan start {start:.2f} s)")
    print(f"ijwcli validate --jobs 2:                    {a.n / b2:7.0f} bestanden/s "
          f"({t_j2:.2f} s, waarvan start {start:.2f} s)")
    print(f"officiële XSLT + XSD, tools (ijw-xsd-check, ijw-xslt-check), {n_xslt} best.: "
          f"{n_xslt / t_tools:7.0f} bestanden/s ({t_tools:.2f} s)")
    print(f"officiële XSLT + XSD, kale lxml-lus in dit proces, {n_xslt} best.:   "
          f"{n_xslt / t_xslt:7.0f} bestanden/s ({t_xslt:.2f} s)")
    print(f"ijwcli validate FILE (mediaan):              {t_een * 1000:7.0f} ms")
    print(f"python -c 'import typer, rich.console, lxml.etree': {t_kaal * 1000:.0f} ms")
    print(f"ter informatie, ruwe wandkloktijd: lxml / --jobs 1 = {t_lxml / t_j1:.2f}×, "
          f"--jobs 1 / --jobs 2 = {t_j1 / t_j2:.2f}×\n")

    print("per bestand in één proces (µs): " + ", ".join(f"{k} {v:.0f}" for k, v in per.items())
          + f"; kale lxml {t_lxml / a.n * 1e6:.0f}\n")

    r1, r2, r3 = t_lxml / b1, b1 / b2, t_een / t_kaal
    r4 = (a.n / b1) / (n_xslt / t_tools)
    r4_lus = (a.n / b1) / (n_xslt / t_xslt)
    regel("doorvoer --jobs 1 / kale lxml", r1, "×", "≥ 0.5", r1 >= 0.5)
    regel("doorvoer --jobs 2 / --jobs 1", r2, "×", "≥ 1.5", r2 >= 1.5)
    regel("één bestand / import typer+rich+lxml", r3, "×", "≤ 1.5", r3 <= 1.5)
    regel("doorvoer --jobs 1 / officiële XSLT met XSD (tools)", r4, "×", "≥ 20", r4 >= 20)
    print(f"ter informatie: doorvoer --jobs 1 / XSLT met XSD als kale lxml-lus: {r4_lus:.2f}×")
    return 0 if (r1 >= 0.5 and r2 >= 1.5 and r3 <= 1.5 and r4 >= 20) else 1


if __name__ == "__main__":
    sys.exit(main())
