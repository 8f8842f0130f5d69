"""Excel → XML with bad input: every problem names sheet, cell and reason; nothing half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ijwcli.cli import app
from ijwcli.errors import FileError, InvalidInput
from ijwcli.excel import excel_naar_xml, xml_naar_excel
from ijwcli.excel.lezen import lees_werkboek
from tests.conftest import SAMPLES

SRC = SAMPLES / "jw315_verzoek_om_toewijzing.xml"
DATA = "JW315 AangevraagdeProducten"
TODAY = dt.date(2026, 2, 25)
runner = CliRunner()


@pytest.fixture
def werkboek(tmp_path: Path) -> Path:
    p = tmp_path / "in.xlsx"
    xml_naar_excel([SRC], p)
    return p


def _wijzig(p: Path, sheet: str, kolom: str, waarde: object, rij: int = 2) -> str:
    wb = load_workbook(p)
    ws = wb[sheet]
    kop = [c.value for c in ws[1]]
    cel = ws.cell(rij, kop.index(kolom) + 1)
    cel.value = waarde
    wb.save(p)
    return cel.coordinate


def _tweede_bericht(p: Path) -> None:
    """Copy message 1 as message 2 with its own Identificatie."""
    wb = load_workbook(p)
    for ws in (wb["JW315 Bericht"], wb[DATA]):
        waarden = [c.value for c in ws[2]]
        waarden[0] = 2
        ws.append(waarden)
    kop = [c.value for c in wb["JW315 Bericht"][1]]
    wb["JW315 Bericht"].cell(3, kop.index("BerichtIdentificatie Identificatie") + 1, "TWEEDE")
    wb.save(p)


def test_non_existing_date_names_sheet_and_cell(werkboek: Path, tmp_path: Path) -> None:
    cel = _wijzig(werkboek, DATA, "ToewijzingIngangsdatum", "31-06-2026")
    v = excel_naar_xml([werkboek], tmp_path / "uit", today=TODAY)
    assert [str(f).split(": ", 1)[1] for f in v.fouten] == [
        f"Sheet {DATA}, cel {cel} (ToewijzingIngangsdatum): '31-06-2026' is geen bestaande datum"]
    assert v.geschreven == [] and not (tmp_path / "uit").exists()


def test_cli_exit_1_and_nothing_written_on_any_error(werkboek: Path, tmp_path: Path) -> None:
    _tweede_bericht(werkboek)
    cel = _wijzig(werkboek, DATA, "Omvang Volume", "veel", rij=3)
    r = runner.invoke(app, ["convert", str(werkboek), "-o", str(tmp_path / "uit"),
                            "--today", "2026-02-25"])
    assert r.exit_code == 1
    assert f"cel {cel}" in r.output and "'veel' is geen geheel getal" in r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / "uit").exists()


def test_skip_invalid_writes_the_valid_messages(werkboek: Path, tmp_path: Path) -> None:
    _tweede_bericht(werkboek)
    _wijzig(werkboek, DATA, "Omvang Volume", "veel", rij=3)
    r = runner.invoke(app, ["convert", str(werkboek), "-o", str(tmp_path / "uit"),
                            "--today", "2026-02-25", "--skip-invalid", "--format", "json"])
    assert r.exit_code == 1
    import json

    out = json.loads(r.stdout)
    assert [Path(f["path"]).name for f in out["files"]] == ["JW315_446_V2026022501.xml"]
    assert out["files"][0]["bericht"] == "JW315" and out["files"][0]["bron"] == str(werkboek)
    assert out["findings"][0]["bericht"] == "2" and out["findings"][0]["cel"].endswith("3")
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == ["JW315_446_V2026022501.xml"]


def test_validation_errors_point_at_the_cell(werkboek: Path, tmp_path: Path) -> None:
    cel = _wijzig(werkboek, DATA, "ToewijzingEinddatum", dt.datetime(2020, 1, 1))
    v = excel_naar_xml([werkboek], tmp_path / "uit", today=TODAY)
    assert v.fouten and v.geschreven == []
    assert any(f.sheet == DATA and f.cel == cel for f in v.fouten), [str(f) for f in v.fouten]


def test_formula_is_refused(werkboek: Path, tmp_path: Path) -> None:
    cel = _wijzig(werkboek, DATA, "ReferentieAanbieder", '=CONCAT("A","B")')
    res = lees_werkboek(werkboek)
    assert res.berichten == []
    assert res.fouten[0].cel == cel and "formule" in res.fouten[0].reden


def test_merged_cells_are_refused(werkboek: Path) -> None:
    wb = load_workbook(werkboek)
    wb[DATA].merge_cells("B2:C2")
    wb.save(werkboek)
    res = lees_werkboek(werkboek)
    assert res.berichten == []
    assert res.fouten[0].sheet == DATA and "samengevoegde cellen B2:C2" in res.fouten[0].reden


def test_missing_required_column_is_named(werkboek: Path) -> None:
    wb = load_workbook(werkboek)
    ws = wb[DATA]
    kop = [c.value for c in ws[1]]
    ws.delete_cols(kop.index("Bsn") + 1)
    wb.save(werkboek)
    res = lees_werkboek(werkboek)
    assert res.berichten == []
    assert [str(f) for f in res.fouten] == [f"Sheet {DATA}: verplichte kolom 'Bsn' ontbreekt"]


def test_unknown_column_is_a_warning(werkboek: Path, tmp_path: Path) -> None:
    wb = load_workbook(werkboek)
    ws = wb[DATA]
    n = ws.max_column + 1
    ws.cell(1, n, "Opmerking intern")
    ws.cell(2, n, "bellen")
    wb.save(werkboek)
    v = excel_naar_xml([werkboek], tmp_path / "uit", today=TODAY)
    assert v.fouten == [] and len(v.geschreven) == 1
    assert any("onbekende kolom 'Opmerking intern'" in w for w in v.waarschuwingen)


def test_client_fields_must_agree_within_a_message(werkboek: Path) -> None:
    wb = load_workbook(werkboek)
    ws = wb[DATA]
    ws.append([c.value for c in ws[2]])
    wb.save(werkboek)
    cel = _wijzig(werkboek, DATA, "Geslachtsnaam Achternaam", "Anders", rij=3)
    res = lees_werkboek(werkboek)
    assert res.berichten == []
    assert res.fouten[0].cel == cel and "wijkt af van rij 2" in res.fouten[0].reden


def test_amount_with_three_decimals_is_refused(werkboek: Path) -> None:
    cel = _wijzig(werkboek, DATA, "Budget", 12.345)
    res = lees_werkboek(werkboek)
    assert res.fouten[0].cel == cel and "meer dan twee decimalen" in res.fouten[0].reden


def test_unknown_message_key_on_data_sheet(werkboek: Path) -> None:
    _wijzig(werkboek, DATA, "BerichtNr", 99)
    res = lees_werkboek(werkboek)
    assert res.fouten[0].cel == "A2" and "'99' staat niet in sheet" in res.fouten[0].reden


@pytest.mark.parametrize("inhoud, melding", [
    (b"BSN;naam\n999900006;Jan\n", "geen xlsx-bestand"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64,
     "met een wachtwoord beveiligd"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "oud Excel-bestand (.xls)"),
    (b"PK\x03\x04kapot", "geen geldig xlsx-bestand"),
])
def test_not_a_workbook(tmp_path: Path, inhoud: bytes, melding: str) -> None:
    p = tmp_path / "in.xlsx"
    p.write_bytes(inhoud)
    with pytest.raises(InvalidInput, match=melding.replace("(", r"\(").replace(")", r"\)")):
        lees_werkboek(p)
    r = runner.invoke(app, ["convert", str(p), "-o", str(tmp_path / "uit")])
    assert r.exit_code == 1 and melding in r.output and "Traceback" not in r.output


def test_existing_output_needs_force(werkboek: Path, tmp_path: Path) -> None:
    (tmp_path / "uit").mkdir()
    bestaand = tmp_path / "uit" / "JW315_446_V2026022501.xml"
    bestaand.write_bytes(b"oud")
    r = runner.invoke(app, ["convert", str(werkboek), "-o", str(tmp_path / "uit"),
                            "--today", "2026-02-25"])
    assert r.exit_code == 2 and bestaand.read_bytes() == b"oud"
    r = runner.invoke(app, ["convert", str(werkboek), "-o", str(tmp_path / "uit"),
                            "--today", "2026-02-25", "--force"])
    assert r.exit_code == 0 and bestaand.read_bytes().startswith(b"<?xml")


def test_xml_to_excel_reports_bad_files_and_writes_nothing(tmp_path: Path) -> None:
    kapot = tmp_path / "kapot.xml"
    kapot.write_bytes(b"<a")
    r = runner.invoke(app, ["convert", str(SRC), str(kapot), "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 1 and "kapot.xml" in r.output and "geen goedgevormde XML" in r.output
    assert not (tmp_path / "x.xlsx").exists()
    r = runner.invoke(app, ["convert", str(SRC), str(kapot), "-o", str(tmp_path / "x.xlsx"),
                            "--skip-invalid"])
    assert r.exit_code == 1 and (tmp_path / "x.xlsx").exists()


def test_cli_template_and_mixed_inputs(tmp_path: Path) -> None:
    r = runner.invoke(app, ["template", "JW305", "-o", str(tmp_path / "start.xlsx")])
    assert r.exit_code == 0 and (tmp_path / "start.xlsx").exists()
    r = runner.invoke(app, ["template", "JW999", "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "onbekend berichttype" in r.output
    r = runner.invoke(app, ["convert", str(tmp_path / "start.xlsx"), str(SRC), "-o",
                            str(tmp_path / "uit")])
    assert r.exit_code == 2


def test_cli_does_not_import_openpyxl() -> None:
    import subprocess
    import sys

    code = ("import sys, ijwcli.cli, ijwcli.validatie, ijwcli.excel; "
            "print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_invalid_later_message_leaves_no_output_and_no_staging(werkboek: Path,
                                                               tmp_path: Path) -> None:
    # Message 1 is valid and staged before message 2 fails validation: nothing may remain.
    _tweede_bericht(werkboek)
    cel = _wijzig(werkboek, DATA, "ToewijzingEinddatum", dt.datetime(2020, 1, 1), rij=3)
    v = excel_naar_xml([werkboek], tmp_path / "uit", today=TODAY)
    assert v.geschreven == [] and any(f.cel == cel for f in v.fouten)
    assert not (tmp_path / "uit").exists()
    (tmp_path / "bestaand").mkdir()
    v = excel_naar_xml([werkboek], tmp_path / "bestaand", today=TODAY)
    assert v.geschreven == [] and list((tmp_path / "bestaand").iterdir()) == []


def test_existing_output_stops_before_anything_is_written(werkboek: Path, tmp_path: Path) -> None:
    _tweede_bericht(werkboek)
    uit = tmp_path / "uit"
    uit.mkdir()
    (uit / "JW315_446_TWEEDE.xml").write_bytes(b"oud")
    with pytest.raises(FileError, match="JW315_446_TWEEDE.xml: bestaat al"):
        excel_naar_xml([werkboek], uit, today=TODAY)
    assert [p.name for p in uit.iterdir()] == ["JW315_446_TWEEDE.xml"]
    assert (uit / "JW315_446_TWEEDE.xml").read_bytes() == b"oud"


def test_staging_reports_a_file_it_cannot_write_and_cleans_up(tmp_path: Path) -> None:
    from ijwcli.excel.uitvoer import Staging

    s = Staging(tmp_path / "uit")
    with pytest.raises(FileError, match="map.xml: kan niet schrijven"):
        s.schrijf("goed.xml", b"<a/>")
        s.schrijf("geen/map.xml", b"<b/>")  # a directory that does not exist
        s.plaats()
    s.opruimen()
    assert not (tmp_path / "uit").exists()


def test_staging_without_writer_process_writes_in_process(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from ijwcli.excel.uitvoer import Staging

    monkeypatch.setattr(sys, "frozen", True, raising=False)  # as in a bundled executable
    s = Staging(tmp_path / "uit")
    s.schrijf("a.xml", b"<a/>")
    assert s._proces is None and [p.name for p in (tmp_path / "uit").iterdir()] != ["a.xml"]
    s.plaats()
    s.opruimen()
    assert [p.name for p in (tmp_path / "uit").iterdir()] == ["a.xml"]
    s = Staging(tmp_path / "uit2")
    with pytest.raises(FileError, match="niet schrijven"):
        s.schrijf("geen/map.xml", b"<b/>")
    s.opruimen()
    assert not (tmp_path / "uit2").exists()


def test_column_of_another_product_kind_is_an_error_not_a_crash(tmp_path: Path) -> None:
    # JW317: a row switched to OngewijzigdProduct keeps the dates of a TeWijzigenProduct;
    # an OngewijzigdProduct has no such elements, so each filled cell is named.
    p = tmp_path / "w.xlsx"
    xml_naar_excel([SAMPLES / "jw317_verzoek_om_wijziging.xml"], p)
    sheet = "JW317 Producten"
    soort = _wijzig(p, sheet, "Soort", "OngewijzigdProduct")
    kop = [c.value for c in load_workbook(p)[sheet][1]]
    datum = load_workbook(p)[sheet].cell(2, kop.index("GewensteIngangsdatum") + 1).coordinate
    res = lees_werkboek(p)
    assert res.berichten == [] and soort == "B2"
    assert any(f.cel == datum and "GewensteIngangsdatum hoort niet bij OngewijzigdProduct"
               in f.reden for f in res.fouten), [str(f) for f in res.fouten]
    r = runner.invoke(app, ["convert", str(p), "-o", str(tmp_path / "uit"),
                            "--today", "2026-12-31"])
    assert r.exit_code == 1 and f"cel {datum}" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize("getal", [1e300, 1e20, 3_000_000, -700_000])
def test_number_beyond_any_date_in_a_date_cell(werkboek: Path,
                                               getal: float) -> None:
    # The cell keeps its date format: openpyxl's conversion overflows, the reader must not.
    cel = _wijzig(werkboek, DATA, "ToewijzingIngangsdatum", getal)
    with pytest.warns(UserWarning, match="outside the limits for dates"):
        assert load_workbook(werkboek)[DATA][cel].number_format == "YYYY-MM-DD"
    res = lees_werkboek(werkboek)
    assert res.berichten == []
    assert [(f.cel, f.reden) for f in res.fouten] == [
        (cel, f"'{getal}' is geen datum (gebruik JJJJ-MM-DD)")]


@pytest.mark.parametrize("naam, inhoud, melding", [
    ("oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "oud Excel-bestand (.xls)"),
    ("nieuw.xls", None, "oud Excel-bestand (.xls); open het in Excel en sla het op als .xlsx"),
    ("map.xlsb", b"PK\x03\x04" + b"\0" * 64, "binaire Excel-werkmap (.xlsb)"),
    ("blad.ods", b"PK\x03\x04" + b"\0" * 64, "OpenDocument-rekenblad (.ods)"),
    ("lijst.csv", b"BSN;naam\n999900006;Jan\n", "een CSV-bestand"),
], ids=["xls", "xlsx-als-xls", "xlsb", "ods", "csv"])
def test_other_spreadsheet_formats_are_named(werkboek: Path, tmp_path: Path, naam: str,
                                             inhoud: bytes | None, melding: str) -> None:
    # By extension these are spreadsheets: not "no well-formed XML", not a demand for .xlsx
    # output, but what the file is and what to do. None: an xlsx saved under the wrong name.
    p = tmp_path / naam
    p.write_bytes(werkboek.read_bytes() if inhoud is None else inhoud)
    for uit in ("uit", "uit.xlsx"):
        r = runner.invoke(app, ["convert", str(p), "-o", str(tmp_path / uit)])
        assert r.exit_code == 1 and melding in r.output, r.output
        assert not isinstance(r.exception, Exception) or isinstance(r.exception, SystemExit)
        assert not (tmp_path / uit).exists()


def test_macro_workbook_is_read_like_xlsx(werkboek: Path, tmp_path: Path) -> None:
    p = tmp_path / "met_macros.xlsm"
    p.write_bytes(werkboek.read_bytes())
    r = runner.invoke(app, ["convert", str(p), "-o", str(tmp_path / "uit"),
                            "--today", "2026-02-25"])
    assert r.exit_code == 0, r.output
    assert [f.name for f in (tmp_path / "uit").iterdir()] == ["JW315_446_V2026022501.xml"]


@pytest.mark.parametrize("kolom", ["Geslachtsnaam Achternaam", "Omvang Volume",
                                   "ToewijzingIngangsdatum"])
def test_error_value_pasted_from_a_formula_is_refused(werkboek: Path, kolom: str) -> None:
    # openpyxl, like Excel, stores '#N/A' as an error cell: it must not become a surname.
    cel = _wijzig(werkboek, DATA, kolom, "#N/A")
    assert load_workbook(werkboek)[DATA][cel].data_type == "e"
    res = lees_werkboek(werkboek)
    assert res.berichten == []
    assert [(f.cel, f.reden) for f in res.fouten] == [
        (cel, "'#N/A': bevat een foutwaarde van een formule; vul de juiste waarde in")]


def test_no_messages_no_workbook(tmp_path: Path) -> None:
    # An empty folder, or only invalid files with --skip-invalid: saying so beats an empty
    # workbook that looks like a result.
    (tmp_path / "leeg").mkdir()
    r = runner.invoke(app, ["convert", str(tmp_path / "leeg"), "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 0 and "geen berichten gevonden; niets geschreven" in r.output
    kapot = tmp_path / "kapot.xml"
    kapot.write_bytes(b"<a")
    r = runner.invoke(app, ["convert", str(kapot), "-o", str(tmp_path / "x.xlsx"),
                            "--skip-invalid"])
    assert r.exit_code == 1 and "niets geschreven: geen geldig bericht" in r.output
    assert not (tmp_path / "x.xlsx").exists()
