"""Hostile inputs and file systems (issue 11): no traceback, no overwrite, nothing half written.

Each test reproduces one finding of the issue through the command line or the library.
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ijwcli.cli import app

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KOP = ("regio;verwijzer;ingangsdatum;einddatum;volume;eenheid;frequentie;"
       "nieuwe_einddatum;extra_volume;opmerking\n")
RIJ = "hart-van-brabant;toegang;2026-01-01;2026-12-31;100;04;6;2027-05-31;30;{}\n"


def run(*args: str):  # noqa: ANN201
    return runner.invoke(app, [str(a) for a in args])


def test_retour_through_planted_links_never_overwrites_its_input(tmp_path: Path) -> None:
    inn, uit = tmp_path / "in", tmp_path / "out"
    inn.mkdir()
    uit.mkdir()
    bron = inn / "JW301.xml"
    shutil.copy(SAMPLES / "jw301_toewijzing.xml", bron)
    origineel = bron.read_bytes()
    naam = "JW302_437_T2026030201.xml"
    for pid in range(os.getpid() - 50, os.getpid() + 50):
        (uit / f".{naam}.{pid}.tmp").symlink_to(bron)
    r = run("retour", bron, "-o", uit, "--today", "2026-03-03")
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    assert bron.read_bytes() == origineel
    geschreven = [p for p in uit.iterdir() if not p.name.startswith(".")]
    assert [p.is_symlink() for p in geschreven] == [False]


def test_output_link_to_the_input_is_refused_even_with_force(tmp_path: Path) -> None:
    bron = tmp_path / "JW301.xml"
    shutil.copy(SAMPLES / "jw301_toewijzing.xml", bron)
    (tmp_path / "uit.xml").symlink_to(bron)
    r = run("retour", bron, "-o", tmp_path / "uit.xml", "--force", "--today", "2026-03-03")
    assert r.exit_code == 2
    assert bron.read_bytes() == (SAMPLES / "jw301_toewijzing.xml").read_bytes()


def test_template_to_a_device_node_is_refused(tmp_path: Path) -> None:
    r = run("template", "JW315", "-o", "/dev/null", "--force")
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_template_and_convert_workbooks_get_the_umask_mode(tmp_path: Path) -> None:
    from ijwcli import bestanden

    oud = os.umask(0o022)
    bestanden.bestandsmodus.cache_clear()
    try:
        assert run("template", "JW315", "-o", tmp_path / "t.xlsx").exit_code == 0
        r = run("convert", SAMPLES / "jw315_verzoek_om_toewijzing.xml", "-o", tmp_path / "c.xlsx")
        assert r.exit_code == 0, r.output
    finally:
        os.umask(oud)
        bestanden.bestandsmodus.cache_clear()
    for n in ("t.xlsx", "c.xlsx"):
        assert (tmp_path / n).stat().st_mode & 0o777 == 0o644


def test_batch_xlsx_never_writes_a_formula_and_keeps_control_characters(tmp_path: Path) -> None:
    inn = tmp_path / "in.csv"
    inn.write_text(KOP + RIJ.format('=HYPERLINK("http://x";"klik")') + RIJ.format("a\x01b"),
                   "utf-8")
    r = run("verlenging", "--batch", inn, "-o", tmp_path / "uit.xlsx", "--today", "2026-10-01")
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(tmp_path / "uit.xlsx") as z:
        blad = z.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in blad and b"<f " not in blad
    assert b"=HYPERLINK" in blad and b"a_x0001_b" in blad


def test_batch_csv_never_carries_a_live_formula(tmp_path: Path) -> None:
    # OWASP CSV injection: a cell starting with = + - @ (or a tab, CR, or their full-width
    # forms) would run as a formula when the CSV is opened in Excel; it gets a leading '.
    import csv

    gevaarlijk = ['=HYPERLINK("http://x","klik")', "+1+1", "-2+3", "@SUM(A1)", "\t=1",
                  "\uff1d1+1"]
    onschuldig = ["-5", "gewoon = tekst", ""]
    inn = tmp_path / "in.csv"
    inn.write_text(KOP + "".join(RIJ.format(t.replace('"', '""').join('""') if '"' in t
                                            else t) for t in gevaarlijk + onschuldig),
                   "utf-8")
    r = run("verlenging", "--batch", inn, "-o", tmp_path / "uit.csv", "--today", "2026-10-01")
    assert r.exit_code == 0, r.output
    with (tmp_path / "uit.csv").open(encoding="utf-8", newline="") as f:
        rijen = list(csv.reader(f, delimiter=";"))
    kolom = rijen[0].index("opmerking")
    waarden = [rij[kolom] for rij in rijen[1:]]
    assert waarden == ["'" + t for t in gevaarlijk] + onschuldig
    for rij in rijen[1:]:
        for cel in rij:
            assert not cel.startswith(("=", "+", "@", "\t", "\r", "\uff1d")), cel
            assert not cel.startswith("-") or cel.lstrip("-").replace(".", "").isdigit(), cel


def test_batch_row_errors_stay_on_their_row(tmp_path: Path) -> None:
    inn = tmp_path / "in.csv"
    rijen = [RIJ.format(""),
             RIJ.format("").replace("hart-van-brabant", "r" * 300),  # too long for a file name
             RIJ.format("").replace("2027-05-31", "9999-12-31"),  # beyond the year 9999
             "hart-van-brabant;toegang;9999-12-01;9999-12-31;100;04;6;;;\n",
             RIJ.format("x" * 200_000)]  # longer than the csv module's default field limit
    inn.write_text(KOP + "".join(rijen), "utf-8")
    r = run("verlenging", "--batch", inn, "-o", tmp_path / "uit.csv", "--today", "2026-10-01",
            "--format", "json")
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert (tmp_path / "uit.csv").exists()
    import json

    rijen_uit = json.loads(r.stdout)["results"] if "results" in r.stdout else None
    assert rijen_uit is not None


def test_verlenging_with_dates_near_9999_is_a_clean_answer() -> None:
    r = run("verlenging", "--regio", "hart-van-brabant", "--verwijzer", "toegang",
            "--ingangsdatum", "9999-01-01", "--einddatum", "9999-12-31", "--volume", "100",
            "--eenheid", "04", "--frequentie", "6", "--nieuwe-einddatum", "9999-12-31",
            "--today", "9999-06-01")
    assert r.exit_code in (0, 1, 2)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception


@pytest.mark.parametrize("veld", ["BerichtIdentificatie", "XsdVersie"])
def test_retour_unknown_header_child_is_refused_and_others_answered(tmp_path: Path,
                                                                     veld: str) -> None:
    slecht = tmp_path / "slecht.xml"
    tekst = (SAMPLES / "jw301_toewijzing.xml").read_text("utf-8")
    i = tekst.index(f"</jw301:{veld}>")
    slecht.write_text(tekst[:i] + "<ijw:Onbekend>1</ijw:Onbekend>" + tekst[i:], "utf-8")
    goed = tmp_path / "goed.xml"
    shutil.copy(SAMPLES / "jw315_verzoek_om_toewijzing.xml", goed)
    r = run("retour", slecht, goed, "-o", tmp_path / "uit", "--today", "2026-03-03")
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert len(list((tmp_path / "uit").glob("JW316_*.xml"))) == 1


def _werkboek(tmp_path: Path, wijzig) -> Path:  # noqa: ANN001
    """The sample JW315 as a workbook, with its data sheet XML changed by ``wijzig``."""
    from ijwcli import excel

    goed = tmp_path / "goed.xlsx"
    if not goed.exists():
        excel.xml_naar_excel([SAMPLES / "jw315_verzoek_om_toewijzing.xml"], goed)
    with zipfile.ZipFile(goed) as z:
        delen = {i.filename: z.read(i) for i in z.infolist()}
    wijzig(delen)
    uit = tmp_path / "in.xlsx"
    with zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in delen.items():
            z.writestr(n, d)
    return uit


def _blad(oud: bytes, nieuw: bytes, part: str = "xl/worksheets/sheet2.xml"):  # noqa: ANN202
    def wijzig(delen: dict[str, bytes]) -> None:
        assert oud in delen[part], oud
        delen[part] = delen[part].replace(oud, nieuw, 1)
    return wijzig


@pytest.mark.parametrize("oud,nieuw,reden", [
    (b'r="B2"', b'r="AAAAAAA2"', "geen celverwijzing"),
    (b'r="B2"', b'r="2B"', "geen celverwijzing"),
    (b'<row r="2"', b'<row r="abc"', "rijnummer"),
    (b"</sheetData>", b'<row r="3"><c r="A3"><v>abc</v></c></row></sheetData>', "'abc'"),
    (b"</sheetData>", b'<row r="3"><c r="A3"><v>1e999</v></c></row></sheetData>', "'1e999'"),
    (b"</sheetData>", b'<row r="3"><c r="A3" t="d"><v>gisteren</v></c></row></sheetData>',
     "gisteren"),
    (b"</sheetData>", b'<row r="3"><c r="A3" t="s"><v>99999</v></c></row></sheetData>',
     "gedeelde tekst"),
])
def test_hostile_cells_are_one_clean_finding(tmp_path: Path, oud: bytes, nieuw: bytes,
                                             reden: str) -> None:
    wb = _werkboek(tmp_path, _blad(oud, nieuw))
    r = run("convert", wb, "-o", tmp_path / "uit", "--format", "json")
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert reden in r.stdout
    assert not (tmp_path / "uit").exists()


def test_truncated_sheet_xml_is_a_finding(tmp_path: Path) -> None:
    def afbreken(delen: dict[str, bytes]) -> None:
        d = delen["xl/worksheets/sheet2.xml"]
        delen["xl/worksheets/sheet2.xml"] = d[:len(d) // 2]
    r = run("convert", _werkboek(tmp_path, afbreken), "-o", tmp_path / "uit")
    assert r.exit_code == 1 and "beschadigd" in r.output
    assert not (tmp_path / "uit").exists()


def test_markup_in_a_header_is_printed_not_interpreted(tmp_path: Path) -> None:
    wb = _werkboek(tmp_path, _blad(b"<t>BerichtNr</t>", b"<t>[/]</t>"))
    r = run("convert", wb, "-o", tmp_path / "uit")
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 1
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize("veld,waarde", [(6, 247), (10, 99)])  # zip version; compression
def test_a_zip_python_cannot_unpack_is_a_finding(tmp_path: Path, veld: int, waarde: int) -> None:
    # Found by scripts/fuzz_bestanden.py: zipfile raises NotImplementedError ("zip file
    # version 24.7", "compression method not supported"), which was a traceback.
    from ijwcli import excel

    goed = tmp_path / "goed.xlsx"
    excel.xml_naar_excel([SAMPLES / "jw315_verzoek_om_toewijzing.xml"], goed)
    data = bytearray(goed.read_bytes())
    i = data.index(b"PK\x01\x02", data.index(b"xl/worksheets/sheet2.xml") - 100)
    data[i + veld:i + veld + 2] = waarde.to_bytes(2, "little")
    slecht = tmp_path / "slecht.xlsx"
    slecht.write_bytes(bytes(data))
    r = run("convert", slecht, "-o", tmp_path / "uit")
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 1 and "xlsx" in r.output, r.output
    assert not (tmp_path / "uit").exists()


def test_shared_strings_beyond_the_cap_are_refused_by_name(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    import importlib.util

    from ijwcli import excel
    from ijwcli.excel import xlsx

    spec = importlib.util.spec_from_file_location(
        "fuzz_bestanden", Path(__file__).resolve().parent.parent / "scripts" / "fuzz_bestanden.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "fuzz_bestanden", fuzz)  # its dataclasses look it up
    spec.loader.exec_module(fuzz)
    goed = tmp_path / "goed.xlsx"
    excel.xml_naar_excel([SAMPLES / "jw315_verzoek_om_toewijzing.xml"], goed)
    gedeeld = tmp_path / "gedeeld.xlsx"
    fuzz.met_gedeelde_teksten(goed, gedeeld)
    with zipfile.ZipFile(gedeeld) as z:
        assert "xl/sharedStrings.xml" in z.namelist()
    monkeypatch.setattr(xlsx, "MAX_STRINGS", 3)
    r = run("convert", gedeeld, "-o", tmp_path / "uit")
    assert r.exit_code == 1, r.output
    assert "werkboek geweigerd" in r.output and "gedeelde teksten" in r.output, r.output


def test_a_hidden_data_sheet_is_converted_with_a_warning(tmp_path: Path) -> None:
    def verberg(delen: dict[str, bytes]) -> None:
        oud = b'name="JW315 AangevraagdeProducten" sheetId="2"'
        assert oud in delen["xl/workbook.xml"]
        delen["xl/workbook.xml"] = delen["xl/workbook.xml"].replace(
            oud, oud + b' state="hidden"', 1)
    r = run("convert", _werkboek(tmp_path, verberg), "-o", tmp_path / "uit",
            "--today", "2026-03-01")
    assert r.exit_code == 0, r.output
    assert "verborgen" in (r.stderr or r.output), r.output


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path, monkeypatch) -> None:
    from ijwcli import bestanden

    monkeypatch.setattr(bestanden, "MAX_DEEL", 5_000_000)  # the real limit is 1 GiB

    def bom(delen: dict[str, bytes]) -> None:
        delen["xl/worksheets/sheet2.xml"] += b" " * (bestanden.MAX_DEEL + 1)
    wb = _werkboek(tmp_path, bom)
    assert wb.stat().st_size < 100_000
    r = run("convert", wb, "-o", tmp_path / "uit")
    assert r.exit_code == 1 and "geweigerd" in r.output


def test_batch_sheet_with_a_huge_or_stale_dimension_reads_its_rows(tmp_path: Path) -> None:
    import xlsxwriter

    for dim in (b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="A1"/>'):
        goed = tmp_path / "g.xlsx"
        wb = xlsxwriter.Workbook(str(goed))
        ws = wb.add_worksheet("Verzoeken")
        ws.write_row(0, 0, KOP.strip().split(";"))
        ws.write_row(1, 0, RIJ.format("").strip().split(";"))
        wb.close()
        with zipfile.ZipFile(goed) as z:
            delen = {i.filename: z.read(i) for i in z.infolist()}
        blad = delen["xl/worksheets/sheet1.xml"]
        i, j = blad.index(b"<dimension"), blad.index(b"/>", blad.index(b"<dimension")) + 2
        delen["xl/worksheets/sheet1.xml"] = blad[:i] + dim + blad[j:]
        inn = tmp_path / "in.xlsx"
        with zipfile.ZipFile(inn, "w") as z:
            for n, d in delen.items():
                z.writestr(n, d)
        r = run("verlenging", "--batch", inn, "--today", "2026-10-01", "--format", "json")
        assert r.exit_code == 0, r.output
        assert '"verzoeken": 1' in r.stdout, r.stdout[:500]
