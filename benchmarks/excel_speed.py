"""Speed and memory of ``ijwcli convert`` (issue 5).

Targets: a 10,000-row workbook → XML in ≤ 10 s and ≤ 300 MB peak; 10,000 XML files → one
workbook in ≤ 10 s. Each conversion runs in a fresh subprocess, so the peak resident size
(the child's own VmHWM) and the wall time are those of the conversion alone, Python
start-up and imports included. Workbook → XML hands the file creation to a small writer
process (:mod:`ijwcli.excel.uitvoer`): its CPU time is counted in, its memory is not (a
child's ``ru_maxrss`` includes the parent's pages at the moment it starts; on its own the
writer stays under 15 MB).

Run: .venv/bin/python benchmarks/excel_speed.py [--rijen 10000] [--per-bericht 2]

The "sys" CPU time is the kernel's share. On ext4 without a journal, creating a file within
about 30 s after many files were deleted on the same file system makes the kernel step over
each recently freed inode: creating the 5,000 XML files then costs seconds of sys time
instead of a tenth of one (in the writer process, so mostly alongside the conversion). Leave
half a minute between runs (this script deletes its files at the end) for figures that show
ijwcli and not that.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KIND = """
import json, os, sys, time, resource, datetime as dt
from pathlib import Path
t = time.perf_counter()
from ijwcli import excel
richting, invoer, uit = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
today = dt.date.fromisoformat(sys.argv[4] if len(sys.argv) > 4 else "2026-02-25")
from ijwcli.errors import IjwError
try:
    if richting == "xlsx":
        v = excel.excel_naar_xml([invoer], uit, today=today)
    else:
        v = excel.xml_naar_excel([invoer], uit)
except IjwError as exc:  # the whole workbook refused (a limit): one finding
    v = excel.Verslag(fouten=[str(exc)])
sec = time.perf_counter() - t
def piek():
    # VmHWM is this process's own peak; ru_maxrss would also count the parent's pages at fork.
    try:
        for regel in open("/proc/self/status"):
            if regel.startswith("VmHWM:"):
                return int(regel.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
rss = piek()
cpu = os.times()
print(json.dumps({"seconden": sec, "piek_mb": rss, "berichten": v.berichten,
                  "geschreven": len(v.geschreven), "fouten": len(v.fouten),
                  "user": cpu.user + cpu.children_user,
                  "sys": cpu.system + cpu.children_system}))
"""


def _berichten(rijen: int, per_bericht: int) -> list:
    from ijwcli import bericht

    basis = bericht.parse_file(ROOT / "samples" / "jw315_verzoek_om_toewijzing.xml")
    data = basis.root.to_dict()
    assert isinstance(data, dict)
    product = data["Client"]["AangevraagdeProducten"]["AangevraagdProduct"][0]
    out = []
    for i in range(rijen // per_bericht):
        d = json.loads(json.dumps(data))
        d["Header"]["BerichtIdentificatie"]["Identificatie"] = f"B{i:09d}"
        d["Client"]["Naam"]["Geslachtsnaam"]["Achternaam"] = f"Client{i}"
        producten = []
        for j in range(per_bericht):
            p = json.loads(json.dumps(product))
            p["ReferentieAanbieder"] = f"REF-{i}-{j}"
            # One period per product line: the same product twice may not overlap (TR386).
            p["ToewijzingIngangsdatum"] = f"{2026 + j}-03-01"
            p["ToewijzingEinddatum"] = f"{2027 + j}-02-28"
            producten.append(p)
        d["Client"]["AangevraagdeProducten"]["AangevraagdProduct"] = producten
        out.append(bericht.from_dict("JW315", d))
    return out


def _draai(richting: str, invoer: Path, uit: Path, today: str = "2026-02-25") -> dict:
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", KIND, richting, str(invoer), str(uit), today],
                       capture_output=True, text=True, cwd=ROOT)
    if p.returncode:
        raise SystemExit(p.stderr)
    r = json.loads(p.stdout)
    r["wand_seconden"] = time.perf_counter() - t
    r["piek_mb_kind"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rijen", type=int, default=10_000)
    ap.add_argument("--per-bericht", type=int, default=2,
                    help="producten (rijen) per bericht in het werkboek")
    ap.add_argument("--bestanden", type=int, default=10_000)
    args = ap.parse_args()

    from ijwcli.bericht import to_xml
    from ijwcli.excel.schrijven import werkboek_van

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        werkboek = d / "invoer.xlsx"
        werkboek_van(_berichten(args.rijen, args.per_bericht), werkboek)
        a = _draai("xlsx", werkboek, d / "uit")
        print(f"werkboek → XML: {args.rijen} rijen, {a['berichten']} berichten, "
              f"{a['geschreven']} bestanden, {a['fouten']} fouten: {a['wand_seconden']:.2f} s "
              f"(in het proces {a['seconden']:.2f} s; cpu {a['user']:.2f} user + "
              f"{a['sys']:.2f} sys), piek {a['piek_mb']:.0f} MB [doel ≤ 10 s, ≤ 300 MB]")

        xmlmap = d / "xml"
        xmlmap.mkdir()
        for i, b in enumerate(_berichten(args.bestanden, 1)):
            (xmlmap / f"{i:05d}.xml").write_bytes(to_xml(b))
        b = _draai("xml", xmlmap, d / "uit.xlsx")
        print(f"XML → werkboek: {args.bestanden} bestanden, {b['berichten']} berichten: "
              f"{b['wand_seconden']:.2f} s (in het proces {b['seconden']:.2f} s; cpu "
              f"{b['user']:.2f} user + {b['sys']:.2f} sys), piek {b['piek_mb']:.0f} MB "
              "[doel ≤ 10 s]")


if __name__ == "__main__":
    main()
