"""Hostile inputs for every command that reads files or writes them (issue 11).

Mutates good inputs (workbooks made by ijwcli itself, batch sheets, the sample messages) the
way an attacker or a careless colleague would, runs the command in this process (Typer's
CliRunner) and counts per command:

- inputs tried;
- tracebacks: any exception other than a clean exit;
- hangs: a run over the time limit (``--timeout``, SIGALRM);
- partial writes: a failed run (exit 2, or convert with exit 1) that left a file behind, or a
  leftover temporary file after any run;
- overwrites: an input changed, or a file that existed before the run changed without --force;
- peak memory (the process's ru_maxrss, children included).

The test suite runs a small, fixed-seed share (tests/test_fuzz_bestanden.py); the longer run is:

    .venv/bin/python scripts/fuzz_bestanden.py --n 300 --seed 1

Exit code 0 when every count except "inputs" is zero.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

HOSTILE = ["", " ", "=HYPERLINK(\"http://x\";\"klik\")", "=1+1", "+SOM(A1)", "@A1", "[/]",
           "[bold]x[/bold]", "a\x01b", "\x0b", "x" * 40_000, "9999-12-31", "0001-01-01",
           "10000-01-01", "31-02-2026", "1e999", "-1", "99999999999999999999999", "NaN",
           "inf", "abc", "\u202e", "€", "é" * 10, "0", "1.5", "ja", "nee", "2026-13-01",
           "r" * 300, "../../etc/passwd", "%s%n", "\ufeff", "<x/>", "&amp;", "]]>"]


@dataclass
class Telling:
    pogingen: int = 0
    tracebacks: int = 0
    hangs: int = 0
    half: int = 0
    overschreven: int = 0
    voorbeelden: list[str] = field(default_factory=list)

    def fout(self, soort: str, wat: str) -> None:
        setattr(self, soort, getattr(self, soort) + 1)
        if len(self.voorbeelden) < 5:
            self.voorbeelden.append(f"{soort}: {wat}"[:300])


class _Hang(Exception):
    pass


@contextmanager
def _limiet(seconden: float) -> Iterator[None]:
    def alarm(*_: object) -> None:
        raise _Hang

    oud = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconden)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, oud)


def _hash(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "-"


def _staat(d: Path) -> dict[str, str]:
    return {str(p.relative_to(d)): _hash(p) for p in sorted(d.rglob("*"))
            if p.is_file() or p.is_symlink()}


# --- mutations ----------------------------------------------------------------------------

def _zip_delen(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip(delen: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in delen.items():
            z.writestr(n, d)
    return buf.getvalue()


def _cel_mutatie(rnd: random.Random, xml: bytes) -> bytes:
    keuze = rnd.randrange(14)
    v = rnd.choice(HOSTILE).replace("&", "&amp;").replace("<", "&lt;").encode("utf-8",
                                                                              "replace")
    if keuze == 0:
        return xml.replace(b'<row r="2"', b'<row r="abc"', 1)
    if keuze == 1:
        return xml.replace(b'r="B2"', rnd.choice([b'r="AAAAAAA2"', b'r="2B"', b'r="XFE2"',
                                                  b'r="A99999999"', b'r=""']), 1)
    if keuze == 2:
        return xml.replace(b"</sheetData>", b'<row r="3"><c r="A3" t="s"><v>999999</v></c>'
                                            b"</row></sheetData>", 1)
    if keuze == 3:
        return xml.replace(b"</sheetData>", b'<row r="3"><c r="A3"><v>' + v + b"</v></c>"
                                            b"</row></sheetData>", 1)
    if keuze == 4:
        return xml.replace(b"</sheetData>", b'<row r="3"><c r="A3" t="d"><v>' + v +
                           b"</v></c></row></sheetData>", 1)
    if keuze == 5:
        return xml[:rnd.randrange(len(xml))]
    if keuze == 6:
        i = rnd.randrange(len(xml))
        return xml[:i] + bytes([rnd.randrange(256)]) + xml[i + 1:]
    if keuze == 7:
        return xml.replace(b"<dimension ref=", b'<dimension ref="A1:XFD1048576" x=', 1)
    if keuze == 8:
        return xml.replace(b"<t>", b"<t>" + v, 1)
    if keuze == 9:
        return xml.replace(b"</sheetData>", b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
                           + v + b"</t></is></c><c r=\"C2\"><f>SUM(A1)</f></c></row>"
                           b"</sheetData>", 1)
    if keuze == 10:
        return xml.replace(b"</sheetData>", b'<row r="4"><c r="A4" t="e"><v>#N/A</v></c>'
                                            b'<c r="B4" t="b"><v>' + v + b"</v></c></row>"
                                            b"</sheetData>", 1)
    if keuze == 11:
        return xml.replace(b"<sheetData>", b"<sheetData>" + b"<row/>" * rnd.randrange(100),
                           1)
    if keuze == 12:
        return xml.replace(b"</worksheet>", b'<mergeCells><mergeCell ref="A2:B2"/>'
                                            b"</mergeCells></worksheet>", 1)
    return xml.replace(b'<c r="A2"', b'<c r="A2" s="99999"', 1)


def werkboek_mutatie(rnd: random.Random, goed: bytes) -> bytes:
    """A mutated workbook package (zip level or sheet XML level)."""
    soort = rnd.randrange(10)
    if soort == 0:
        return goed[:rnd.randrange(len(goed))]
    if soort == 1:
        b = bytearray(goed)
        for _ in range(rnd.randrange(1, 20)):
            b[rnd.randrange(30, len(b))] = rnd.randrange(256)
        return bytes(b)
    delen = _zip_delen(goed)
    bladen = [n for n in delen if n.startswith("xl/worksheets/sheet")]
    if soort == 2 and "xl/workbook.xml" in delen:
        delen["xl/workbook.xml"] = delen["xl/workbook.xml"].replace(
            b"<sheet ", b'<sheet state="hidden" ', 1)
    elif soort == 3 and "xl/sharedStrings.xml" in delen:
        delen["xl/sharedStrings.xml"] = delen["xl/sharedStrings.xml"][:50]
    elif soort == 4:
        delen[rnd.choice(list(delen))] = b"\x00garbage"
    else:
        for _ in range(rnd.randrange(1, 4)):
            n = rnd.choice(bladen)
            delen[n] = _cel_mutatie(rnd, delen[n])
    return _zip(delen)


def xml_mutatie(rnd: random.Random, goed: bytes) -> bytes:
    tekst = goed
    soort = rnd.randrange(8)
    if soort == 0:
        return tekst[:rnd.randrange(len(tekst))]
    if soort == 1:
        i = rnd.randrange(len(tekst))
        return tekst[:i] + bytes([rnd.randrange(256)]) + tekst[i + 1:]
    if soort in (2, 3):
        for veld in (b"BerichtIdentificatie>", b"XsdVersie>", b"Header>", b"Client>"):
            i = tekst.find(b"</", tekst.find(veld) + 1)
            if i > 0 and rnd.random() < 0.5:
                pre = tekst[i + 2:tekst.index(b":", i)]
                tekst = tekst[:i] + b"<" + pre + b":Onbekend>1</" + pre + b":Onbekend>" + \
                    tekst[i:]
        return tekst
    if soort == 4:
        v = rnd.choice(HOSTILE).replace("&", "&amp;").replace("<", "&lt;").encode()
        i = tekst.find(b">", tekst.find(b"Identificatie")) + 1
        j = tekst.find(b"<", i)
        return tekst[:i] + v + tekst[j:]
    if soort == 5:
        return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + tekst[tekst.find(
            b"?>") + 2:]
    if soort == 6:
        lijnen = tekst.split(b"\n")
        del lijnen[rnd.randrange(1, len(lijnen))]
        return b"\n".join(lijnen)
    return tekst.replace(b"2026", str(rnd.choice([9999, 1, 10000, 0])).encode(), 1)


BATCH_KOP = ["regio", "verwijzer", "ingangsdatum", "einddatum", "volume", "eenheid",
             "frequentie", "nieuwe_einddatum", "extra_volume", "opmerking"]
BATCH_RIJ = ["hart-van-brabant", "toegang", "2026-01-01", "2026-12-31", "100", "04", "6",
             "2027-05-31", "30", ""]


def batch_rijen(rnd: random.Random) -> list[list[str]]:
    rijen = []
    for _ in range(rnd.randrange(1, 6)):
        r = list(BATCH_RIJ)
        for _ in range(rnd.randrange(0, 4)):
            r[rnd.randrange(len(r))] = rnd.choice(HOSTILE)
        rijen.append(r)
    if rnd.random() < 0.1:
        rijen[0][9] = "y" * 200_000
    return rijen


def batch_csv(rnd: random.Random) -> bytes:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=rnd.choice(";,\t"))
    w.writerow(BATCH_KOP)
    w.writerows(batch_rijen(rnd))
    data = buf.getvalue().encode("utf-8")
    if rnd.random() < 0.15:
        data = data[:rnd.randrange(len(data))] + rnd.choice([b"\xff\xfe", b'"', b"\x00"])
    return data


def batch_xlsx(rnd: random.Random) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_formulas": rnd.random() < 0.5,
                                   "strings_to_numbers": rnd.random() < 0.5})
    ws = wb.add_worksheet("Verzoeken")
    ws.write_row(0, 0, BATCH_KOP)
    for i, r in enumerate(batch_rijen(rnd), start=1):
        ws.write_row(i, 0, [c[:32767] for c in r])
    wb.close()
    goed = buf.getvalue()
    return werkboek_mutatie(rnd, goed) if rnd.random() < 0.5 else goed


# --- runs -----------------------------------------------------------------------------------

def _draai(t: Telling, args: list[str], werk: Path, invoer: list[Path], faalt_leeg: set[int],
           timeout: float, wat: str) -> int | None:
    from typer.testing import CliRunner

    from ijwcli.cli import app

    voor = _staat(werk)
    invoer_hash = {p: _hash(p) for p in invoer}
    t.pogingen += 1
    try:
        with _limiet(timeout):
            r = CliRunner().invoke(app, args, catch_exceptions=True)
    except _Hang:
        t.fout("hangs", wat)
        return None
    if isinstance(r.exception, _Hang):
        t.fout("hangs", wat)
        return None
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        t.fout("tracebacks", f"{wat}: {type(r.exception).__name__}: {r.exception}")
        return None
    na = _staat(werk)
    for p, h in invoer_hash.items():
        if _hash(p) != h:
            t.fout("overschreven", f"{wat}: invoer {p.name}")
    if "--force" not in args:
        for naam, h in voor.items():
            if na.get(naam) != h:
                t.fout("overschreven", f"{wat}: {naam}")
    nieuw = set(na) - set(voor)
    if any(Path(n).name.endswith(".tmp") or "ijwcli-convert" in n for n in nieuw):
        t.fout("half", f"{wat}: tijdelijk bestand over: {sorted(nieuw)}")
    elif r.exit_code in faalt_leeg and nieuw:
        t.fout("half", f"{wat}: exit {r.exit_code} en toch geschreven: {sorted(nieuw)[:3]}")
    return r.exit_code


def _goede_werkboeken(d: Path) -> list[bytes]:
    from ijwcli import excel

    uit = []
    for naam in ("jw315_verzoek_om_toewijzing.xml", "jw323_declaratie.xml",
                 "jw301_toewijzing.xml", "jw317_verzoek_om_wijziging.xml"):
        p = d / f"{naam}.xlsx"
        excel.xml_naar_excel([SAMPLES / naam], p)
        uit.append(p.read_bytes())
    # ijwcli writes inline strings; Excel saves shared strings: one such workbook too, so that
    # the sharedStrings part is fuzzed as well.
    q = d / "gedeeld.xlsx"
    met_gedeelde_teksten(d / "jw315_verzoek_om_toewijzing.xml.xlsx", q)
    uit.append(q.read_bytes())
    return uit


def met_gedeelde_teksten(bron: Path, doel: Path) -> None:
    """``bron`` rewritten with its texts in a shared-strings table, as Excel saves a workbook
    (XlsxWriter's default mode; openpyxl keeps inline strings inline)."""
    import datetime as dt

    import xlsxwriter
    from openpyxl import load_workbook

    wb = load_workbook(bron)
    uit = xlsxwriter.Workbook(doel, {"strings_to_formulas": False, "strings_to_numbers": False,
                                     "strings_to_urls": False})
    datum = uit.add_format({"num_format": "yyyy-mm-dd"})
    for ws in wb.worksheets:
        blad = uit.add_worksheet(ws.title)
        for rij in ws.iter_rows():
            for c in rij:
                if isinstance(c.value, dt.datetime):
                    blad.write_datetime(c.row - 1, c.column - 1, c.value, datum)
                elif c.value is not None:
                    blad.write(c.row - 1, c.column - 1, c.value)
    uit.close()


def fuzz_convert(n: int, rnd: random.Random, timeout: float) -> Telling:
    t = Telling()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        goed = _goede_werkboeken(d)
        for i in range(n):
            werk = d / f"w{i}"
            werk.mkdir()
            wb = werk / "in.xlsx"
            wb.write_bytes(werkboek_mutatie(rnd, rnd.choice(goed)))
            uit = werk / "uit"
            if rnd.random() < 0.3:
                uit.mkdir()
                (uit / "bestaand.xml").write_bytes(b"oud")
            _draai(t, ["convert", str(wb), "-o", str(uit), "--today", "2026-03-01"], werk,
                   [wb], {1, 2}, timeout, f"convert #{i}")
            shutil.rmtree(werk)
    return t


def fuzz_batch(n: int, rnd: random.Random, timeout: float) -> Telling:
    t = Telling()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for i in range(n):
            werk = d / f"b{i}"
            werk.mkdir()
            xlsx = rnd.random() < 0.5
            inn = werk / ("in.xlsx" if xlsx else "in.csv")
            inn.write_bytes(batch_xlsx(rnd) if xlsx else batch_csv(rnd))
            uit = werk / rnd.choice(["uit.xlsx", "uit.csv"])
            code = _draai(t, ["verlenging", "--batch", str(inn), "-o", str(uit), "--today",
                              "2026-10-01"], werk, [inn], {2}, timeout, f"batch #{i}")
            if code in (0, 1) and not uit.is_file():
                t.fout("half", f"batch #{i}: exit {code} zonder uitvoer")
            shutil.rmtree(werk)
    return t


def fuzz_xml(n: int, rnd: random.Random, timeout: float, commando: str) -> Telling:
    t = Telling()
    bronnen = {"retour": ["jw301_toewijzing.xml", "jw315_verzoek_om_toewijzing.xml",
                          "jw305_start.xml", "jw317_verzoek_om_wijziging.xml",
                          "jw319_antwoord.xml", "jw307_stop.xml"],
               "generate": ["jw305_start.xml"]}[commando]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for i in range(n):
            werk = d / f"x{i}"
            werk.mkdir()
            inn = []
            for j in range(rnd.randrange(1, 4) if commando == "retour" else 1):
                p = werk / f"in{j}.xml"
                goed = (SAMPLES / rnd.choice(bronnen)).read_bytes()
                p.write_bytes(xml_mutatie(rnd, goed) if rnd.random() < 0.8 else goed)
                inn.append(p)
            uit = werk / "uit"
            if commando == "retour":
                args = ["retour", *map(str, inn), "-o", str(uit), "--today", "2026-03-03"]
            else:
                args = ["generate", "jw307", "--from", str(inn[0]), "--einddatum",
                        rnd.choice(["2026-07-17", "9999-12-31", "0001-01-01"]), "--reden",
                        "31", "-o", str(uit / "jw307.xml"), "--today", "2026-08-01"]
            _draai(t, args, werk, inn, {2}, timeout, f"{commando} #{i}")
            shutil.rmtree(werk)
    return t


COMMANDOS: dict[str, Callable[[int, random.Random, float], Telling]] = {
    "convert": fuzz_convert,
    "verlenging --batch": fuzz_batch,
    "retour": lambda n, r, s: fuzz_xml(n, r, s, "retour"),
    "generate jw307": lambda n, r, s: fuzz_xml(n, r, s, "generate"),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=300, help="inputs per command")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a hang")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    slecht = 0
    print(f"{'commando':<20} {'invoer':>7} {'traceb.':>8} {'hangs':>6} {'half':>5} "
          f"{'overschr.':>9} {'wand s':>7} {'cpu s':>7} {'piek MB':>8}")
    for naam, f in COMMANDOS.items():
        rnd = random.Random(f"{args.seed}-{naam}")
        t0, c0 = time.perf_counter(), time.process_time()
        t = f(args.n, rnd, args.timeout)
        wand, cpu = time.perf_counter() - t0, time.process_time() - c0
        piek = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        print(f"{naam:<20} {t.pogingen:>7} {t.tracebacks:>8} {t.hangs:>6} {t.half:>5} "
              f"{t.overschreven:>9} {wand:>7.1f} {cpu:>7.1f} {piek:>8.0f}")
        for v in t.voorbeelden:
            print(f"    {v}")
        slecht += t.tracebacks + t.hangs + t.half + t.overschreven
    return 1 if slecht else 0


if __name__ == "__main__":
    raise SystemExit(main())
