"""Which xlsx reader for ``convert`` (issue 11 item 9): ijwcli's own lxml reader against
python-calamine and openpyxl's read-only mode, on speed, memory and hostile workbooks.

Every reader gets the same start: :func:`ijwcli.bestanden.controleer_pakket` first (the zip
directory checked before anything is inflated), as in ``convert``. Each run is a fresh
subprocess with a 4 GB address-space limit and a time limit, so a reader that blows up shows
as ``afgebroken`` instead of taking the machine down. Printed per workbook and reader: wall
and CPU seconds, peak resident size, and the outcome (cells read, refused with a reason,
or how it died). Last, what each reader tells of a formula cell and an error value: the
reader must let ``convert`` refuse both.

python-calamine is not a dependency; install it in the venv to measure it (otherwise it is
skipped). Run: .venv/bin/python benchmarks/excel_lezers.py [--rijen 10000] [--prestaties 200000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

KIND = r"""
import json, os, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
lezer, pad = sys.argv[1], sys.argv[2]
t = time.perf_counter()
cellen = 0
uitkomst = "gelezen"
try:
    from ijwcli.bestanden import controleer_pakket
    controleer_pakket(pad)
    if lezer == "eigen":
        from ijwcli.excel.xlsx import open_werkboek, rijen
        wb = open_werkboek(pad)
        for ws in wb.worksheets:
            for _, rij in rijen(wb, ws):
                cellen += sum(v is not None for v in rij)
    elif lezer == "calamine":
        from python_calamine import CalamineWorkbook
        wb = CalamineWorkbook.from_path(pad)
        for naam in wb.sheet_names:
            for rij in wb.get_sheet_by_name(naam).to_python(skip_empty_area=False):
                cellen += sum(v != "" for v in rij)
    else:
        from openpyxl import load_workbook
        wb = load_workbook(pad, read_only=True, data_only=False)
        for ws in wb.worksheets:
            ws.reset_dimensions()  # the <dimension> a file claims is not to be trusted
            for rij in ws.iter_rows():
                cellen += sum(c.value is not None for c in rij)
except MemoryError:
    uitkomst = "MemoryError"
except Exception as exc:
    uitkomst = f"geweigerd: {type(exc).__name__}: {str(exc)[:70]}"
def piek():
    # VmHWM is this process's own peak; ru_maxrss would also count the parent's pages at fork.
    try:
        for regel in open("/proc/self/status"):
            if regel.startswith("VmHWM:"):
                return int(regel.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
cpu = os.times()
print(json.dumps({"s": time.perf_counter() - t, "cpu": cpu.user + cpu.system, "cellen": cellen,
                  "piek": piek(),
                  "uitkomst": uitkomst}))
"""

LEZERS = ("eigen", "calamine", "openpyxl-ro")


def _draai(lezer: str, pad: Path, limiet: float) -> str:
    t = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, "-c", KIND, lezer, str(pad)], capture_output=True,
                           text=True, cwd=ROOT, timeout=limiet)
    except subprocess.TimeoutExpired:
        return f"afgebroken na {limiet:.0f} s (hangt of te traag)"
    if p.returncode:
        fout = (p.stderr.strip().splitlines() or ["?"])[-1][:80]
        return (f"afgebroken: exit {p.returncode} na {time.perf_counter() - t:.1f} s "
                f"({fout})")
    r = json.loads(p.stdout)
    return (f"{r['s']:6.2f} s (cpu {r['cpu']:5.2f}), piek {r['piek']:5.0f} MB, "
            f"{r['cellen']:,} cellen, {r['uitkomst']}")


def _delen(pad: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pad) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip(pad: Path, delen: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(pad, "w", zipfile.ZIP_DEFLATED) as z:
        for naam, data in delen.items():
            z.writestr(naam, data)
    return pad


def _vijandig(d: Path, goed: Path) -> dict[str, Path]:
    """Small hostile workbooks from the issue, made from the sample JW315 workbook."""
    from excel_groot import _strings_werkboek

    uit: dict[str, Path] = {}
    delen = _delen(goed)
    blad = "xl/worksheets/sheet2.xml"
    ver = dict(delen)
    ver[blad] = delen[blad].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
        b"</c></row></sheetData>")
    uit["één cel op XFD1048576"] = _zip(d / "xfd.xlsx", ver)
    ver = dict(delen)
    ver[blad] = delen[blad].replace(b'r="B2"', b'r="AAAAAAA2"', 1)
    uit["celverwijzing AAAAAAA2"] = _zip(d / "aaaa.xlsx", ver)
    p = d / "strings.xlsx"
    _strings_werkboek(p, 20_000_000)
    uit["20 miljoen gedeelde teksten"] = p
    return uit


def _formule_en_fout(d: Path) -> Path:
    import xlsxwriter

    p = d / "formule.xlsx"
    wb = xlsxwriter.Workbook(p, {"strings_to_formulas": False})
    ws = wb.add_worksheet("S")
    ws.write_formula(0, 0, "=1+1", None, 2)
    ws.write_formula(0, 1, "=NA()", None, "#N/A")
    ws.write_string(0, 2, "#N/A")
    ws.write_string(0, 3, "=1+1")
    wb.close()
    return p


def _wat_ziet(lezer: str, p: Path) -> list[str]:
    if lezer == "eigen":
        from ijwcli.excel.xlsx import open_werkboek, rijen

        wb = open_werkboek(p)
        rij = next(rijen(wb, wb.worksheets[0]))[1]
        return [f"{type(v).__name__}({v!r})" for v in rij]
    if lezer == "calamine":
        from python_calamine import CalamineWorkbook

        rij = CalamineWorkbook.from_path(p).get_sheet_by_name("S").to_python()[0]
        return [f"{type(v).__name__}({v!r})" for v in rij]
    from openpyxl import load_workbook

    ws = load_workbook(p, read_only=True).worksheets[0]
    return [f"{c.data_type}:{c.value!r}" for c in next(ws.iter_rows())]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rijen", type=int, default=10_000)
    ap.add_argument("--prestaties", type=int, default=200_000)
    ap.add_argument("--limiet", type=float, default=300, help="seconden per run")
    args = ap.parse_args()
    try:
        import python_calamine  # noqa: F401
        lezers = LEZERS
    except ImportError:
        print("python-calamine niet geïnstalleerd: overgeslagen")
        lezers = ("eigen", "openpyxl-ro")

    from excel_speed import _berichten
    from grote_berichten import declaratie

    from ijwcli import excel
    from ijwcli.excel.schrijven import werkboek_van

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        werkboeken: dict[str, Path] = {}
        p = d / "jw315.xlsx"
        werkboek_van(_berichten(args.rijen, 1), p)
        werkboeken[f"JW315, {args.rijen} rijen ({p.stat().st_size / 2**20:.1f} MB)"] = p
        if args.prestaties:
            xml = d / "jw323.xml"
            xml.write_bytes(declaratie(args.prestaties // 10, 10))
            p = d / "jw323.xlsx"
            excel.xml_naar_excel([xml], p)
            xml.unlink()
            werkboeken[f"JW323, {args.prestaties} prestaties ({p.stat().st_size / 2**20:.1f} "
                       "MB)"] = p
        goed = d / "goed.xlsx"
        excel.xml_naar_excel([ROOT / "samples" / "jw315_verzoek_om_toewijzing.xml"], goed)
        werkboeken.update(_vijandig(d, goed))
        for naam, p in werkboeken.items():
            print(naam)
            for lezer in lezers:
                print(f"  {lezer:12} {_draai(lezer, p, args.limiet)}")
        f = _formule_en_fout(d)
        print("formule =1+1 | formule =NA() | tekst '#N/A' | tekst '=1+1':")
        for lezer in lezers:
            print(f"  {lezer:12} {' | '.join(_wat_ziet(lezer, f))}")


if __name__ == "__main__":
    main()
