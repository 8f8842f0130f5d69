"""``ijwcli retour`` and ``validate --regio``: retourberichten valid against the reference XSDs,
RetourCodes at the right class, regional findings with their own codes."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from ijwcli import bericht
from ijwcli.cli import app
from ijwcli.errors import FileError, InvalidInput
from ijwcli.validatie import retour, validate_file
from tests.conftest import ROOT, SAMPLES, SHARED

TODAY = dt.date(2026, 12, 31)
HEEN = ["jw301_toewijzing", "jw305_start", "jw307_stop", "jw315_verzoek_om_toewijzing",
        "jw317_verzoek_om_wijziging", "jw319_antwoord"]
runner = CliRunner()


def _schoon(tmp_path: Path, naam: str) -> Path:
    """A copy of a sample in a scratch directory."""
    data = (SAMPLES / f"{naam}.xml").read_text("utf-8")
    p = tmp_path / f"{naam}.xml"
    p.write_text(data, "utf-8")
    return p


@pytest.mark.parametrize("naam", HEEN)
def test_retour_is_geldig_tegen_referentie_xsd(tmp_path, naam, reference_schema) -> None:
    r = retour.maak(_schoon(tmp_path, naam), TODAY, identificatie="R0001")
    assert not r.afgekeurd and r.bevindingen == []
    xml = bericht.to_xml(r.bericht)
    schema = reference_schema(r.bericht.code)
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    codes = r.retourcodes()
    assert codes and set(codes) == {"0200"}
    kop = r.bericht.root.find("Header")
    origineel = bericht.parse_file(_schoon(tmp_path, naam), validate=False)
    for veld in ("BerichtIdentificatie/Identificatie", "BerichtIdentificatie/Dagtekening",
                 "Afzender", "Ontvanger"):
        assert kop.value(veld) == origineel.root.value(f"Header/{veld}")
    assert kop.value("IdentificatieRetour") == "R0001"
    assert kop.value("DagtekeningRetour") == TODAY.isoformat()


def test_afgekeurd_bericht_krijgt_0001_zonder_inhoud(tmp_path, reference_schema) -> None:
    p = _schoon(tmp_path, "jw315_verzoek_om_toewijzing")
    p.write_text(p.read_text("utf-8").replace("<ijw:Type>02</ijw:Type>",
                                              "<ijw:Type>01</ijw:Type>"), "utf-8")  # CD068
    r = retour.maak(p, TODAY)
    assert r.afgekeurd and [b.rule for b in r.bevindingen] == ["CD068"]
    assert r.retourcodes() == ["0001"]
    assert r.bericht.root.find("Client") is None
    assert reference_schema("JW316").validate(etree.fromstring(bericht.to_xml(r.bericht)))


def test_schemafout_geeft_0001(tmp_path) -> None:
    p = _schoon(tmp_path, "jw301_toewijzing")
    p.write_text(p.read_text("utf-8").replace("<jw301:Geslacht>2</jw301:Geslacht>", ""), "utf-8")
    r = retour.maak(p, TODAY)
    assert r.afgekeurd and r.retourcodes() == ["0001"]


def test_dagtekening_in_toekomst_8848_in_header(tmp_path, reference_schema) -> None:
    p = _schoon(tmp_path, "jw305_start")
    r = retour.maak(p, dt.date(2026, 3, 1))  # before the Dagtekening 2026-03-10
    assert not r.afgekeurd
    assert r.bericht.root.value("Header/RetourCodes/RetourCode") == "8848"
    assert r.bericht.root.value("Client/RetourCodes/RetourCode") == "0200"
    assert reference_schema("JW306").validate(etree.fromstring(bericht.to_xml(r.bericht)))


def test_productcode_fout_s329_bij_het_product(tmp_path, reference_schema) -> None:
    from ijwcli.validatie.regels import productcodes

    lijst = tmp_path / "codes.csv"
    lijst.write_text("categorie,code\n45,45A99\n", "utf-8")
    productcodes.configureer(lijst)
    try:
        r = retour.maak(_schoon(tmp_path, "jw301_toewijzing"), TODAY)
    finally:
        productcodes.configureer(None)
    root = r.bericht.root
    assert root.value("Client/ToegewezenProducten/ToegewezenProduct/RetourCodes/RetourCode") \
        == "S329"
    assert root.value("Client/RetourCodes/RetourCode") == "0200"
    assert root.value("Header/RetourCodes/RetourCode") == "0200"
    assert reference_schema("JW302").validate(etree.fromstring(bericht.to_xml(r.bericht)))


def test_geen_retour_voor_retourbericht_of_kapot_bestand(tmp_path) -> None:
    with pytest.raises(InvalidInput, match="JW302"):
        retour.maak(SAMPLES / "jw302_retour_toewijzing.xml", TODAY)
    kapot = tmp_path / "kapot.xml"
    kapot.write_bytes(b"<x")
    with pytest.raises(InvalidInput, match="geen retourbericht mogelijk"):
        retour.maak(kapot, TODAY)


def test_schrijf_atomair_en_niet_overschrijven(tmp_path) -> None:
    r = retour.maak(_schoon(tmp_path, "jw301_toewijzing"), TODAY, identificatie="R1")
    uit = tmp_path / "uit"
    uit.mkdir()
    doel = retour.schrijf(r, uit)
    assert doel.name == "JW302_437_T2026030201.xml"
    assert doel.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\r\n')
    with pytest.raises(FileError, match="--force"):
        retour.schrijf(r, uit)
    assert retour.schrijf(r, uit, force=True) == doel
    assert [p.name for p in uit.iterdir()] == [doel.name]  # no temp files left
    with pytest.raises(FileError, match="invoerbestand"):
        retour.schrijf(r, Path(r.bron), force=True)


def test_cli_retour(tmp_path) -> None:
    namen = ("jw301_toewijzing", "jw317_verzoek_om_wijziging")
    bronnen = [str(_schoon(tmp_path, n)) for n in namen]
    uit = tmp_path / "uit"
    uit.mkdir()
    res = runner.invoke(app, ["retour", *bronnen, "-o", str(uit), "--today", "2026-12-31",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["summary"] == {"files": 2, "geschreven": 2, "met_bevindingen": 0,
                               "geweigerd": 0}
    assert sorted(p.name for p in uit.iterdir()) == ["JW302_437_T2026030201.xml",
                                                     "JW318_487_W2026090101.xml"]
    again = runner.invoke(app, ["retour", bronnen[0], "-o", str(uit)])
    assert again.exit_code == 2 and "--force" in again.output


def test_cli_retour_afgekeurd_exit_1(tmp_path) -> None:
    uit = tmp_path / "uit"
    uit.mkdir()
    res = runner.invoke(app, ["retour", str(SAMPLES / "jw315_verzoek_om_toewijzing.xml"),
                              "-o", str(uit), "--today", "2026-12-31", "--force"])
    if (SAMPLES / "jw315_verzoek_om_toewijzing.xml").read_text("utf-8").count("Dr. Jansen"):
        assert res.exit_code == 1 and "0001" in res.output
    assert len(list(uit.iterdir())) == 1


@pytest.mark.skipif(not (SHARED / "tools" / "ijw-xsd-check").exists(),
                    reason="../shared/tools/ijw-xsd-check ontbreekt")
def test_xsd_check_tool_accepteert_retourberichten(tmp_path) -> None:
    uit = tmp_path / "uit"
    uit.mkdir()
    for naam in HEEN:
        retour.schrijf(retour.maak(_schoon(tmp_path, naam), TODAY), uit)
    tool = SHARED / "tools" / "ijw-xsd-check"
    res = subprocess.run([sys.executable, str(tool), str(uit)], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 0, res.stdout + res.stderr


# --- regional checks ------------------------------------------------------------------------
def _regio(tmp_path: Path, naam: str, regio: str, **vervang: str) -> set[str]:
    p = _schoon(tmp_path, naam)
    data = p.read_text("utf-8")
    for oud, nieuw in vervang.items():
        assert oud in data
        data = data.replace(oud, nieuw)
    p.write_text(data, "utf-8")
    res = validate_file(p, TODAY, regio)
    return {e.rule for e in res.errors + res.warnings}


EIND_315 = "<jw315:ToewijzingEinddatum>2027-02-28</jw315:ToewijzingEinddatum>"


def test_hvb_001_jw315_zonder_einddatum(tmp_path) -> None:
    assert "HVB-001" not in _regio(tmp_path, "jw315_verzoek_om_toewijzing", "hart-van-brabant")
    assert "HVB-001" in _regio(tmp_path, "jw315_verzoek_om_toewijzing", "hart-van-brabant",
                               **{EIND_315: ""})
    # the same message without --regio: no regional finding
    assert "HVB-001" not in {e.rule for e in validate_file(
        _schoon(tmp_path, "jw315_verzoek_om_toewijzing"), TODAY).errors}


def test_hvb_002_maximum_termijn(tmp_path) -> None:
    binnen = _regio(tmp_path, "jw315_verzoek_om_toewijzing", "hart-van-brabant",
                    **{"45A05": "1708",
                       EIND_315: EIND_315.replace("2027-02-28", "2026-03-28")})
    assert "HVB-002" not in binnen
    buiten = _regio(tmp_path, "jw315_verzoek_om_toewijzing", "hart-van-brabant",
                    **{"45A05": "1708"})  # crisis: 4 weeks, asked 12 months
    assert "HVB-002" in buiten


def test_hvb_jeugdzorgplus(tmp_path) -> None:
    fout = _regio(tmp_path, "jw315_verzoek_om_toewijzing", "hart-van-brabant",
                  **{"45A05": "43A12"})
    assert {"HVB-003", "HVB-004", "HVB-005"} <= fout
    goed = _regio(tmp_path, "jw315_verzoek_om_toewijzing", "hart-van-brabant",
                  **{"45A05": "43A12",
                     "<ijw:Eenheid>04</ijw:Eenheid>": "<ijw:Eenheid>14</ijw:Eenheid>",
                     "<ijw:Frequentie>6</ijw:Frequentie>": "<ijw:Frequentie>2</ijw:Frequentie>",
                     "<ijw:Type>02</ijw:Type>": "<ijw:Type>04</ijw:Type>",
                     "<ijw:ZorgverlenerCode>01123456</ijw:ZorgverlenerCode>": "",
                     "<jw315:Afzender>12345678": "<jw315:Afzender>73730723"})
    assert not {"HVB-003", "HVB-004", "HVB-005"} & goed


def test_fl_001_productrichtlijn(tmp_path) -> None:
    # 45F01 B: at most 192 uur and 12 months; the sample asks 100 uur for 12 months.
    goed = _regio(tmp_path, "jw315_verzoek_om_toewijzing", "flevoland", **{"45A05": "45F01"})
    assert "FL-001" not in goed
    uren = _regio(tmp_path, "jw315_verzoek_om_toewijzing", "flevoland",
                  **{"45A05": "45F01", "<ijw:Volume>100</ijw:Volume>":
                     "<ijw:Volume>200</ijw:Volume>"})
    assert "FL-001" in uren
    duur = _regio(tmp_path, "jw315_verzoek_om_toewijzing", "flevoland",
                  **{"45A05": "45F01", EIND_315: EIND_315.replace("2027-02-28", "2027-08-31")})
    assert "FL-001" in duur


def test_regio_bevinding_noemt_bron_en_eigen_code(tmp_path) -> None:
    p = _schoon(tmp_path, "jw315_verzoek_om_toewijzing")
    p.write_text(p.read_text("utf-8").replace(EIND_315, ""), "utf-8")
    res = runner.invoke(app, ["validate", str(p), "--regio", "hart-van-brabant", "--today",
                              "2026-12-31", "-f", "json"])
    assert res.exit_code == 1
    fout = [e for e in json.loads(res.stdout)["results"][0]["errors"] if e["rule"] == "HVB-001"]
    assert fout and re.search(r"\(bron: .+\)", fout[0]["message"]) and fout[0]["line"]


def test_onbekende_regio_is_gebruiksfout(tmp_path) -> None:
    res = runner.invoke(app, ["validate", str(SAMPLES / "jw301_toewijzing.xml"),
                              "--regio", "utrecht"])
    assert res.exit_code == 2 and "utrecht" in res.output


def test_cli_regels_json_en_filter() -> None:
    res = runner.invoke(app, ["regels", "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["summary"]["aandeel"] >= 0.95
    statussen = {r["code"]: r["status"] for r in data["results"]}
    assert statussen["TR056"] == "geïmplementeerd (met register)"
    assert data["summary"]["aandeel_berichtoverstijgend"] >= 0.9
    assert statussen["TR002"] == "geïmplementeerd"
    res = runner.invoke(app, ["regels", "--bericht", "jw319", "-f", "json"])
    codes = {r["code"] for r in json.loads(res.stdout)["results"]}
    assert "TR377" in codes and "TR302" not in codes
    assert runner.invoke(app, ["regels", "--bericht", "JW999"]).exit_code == 2


def test_fl_001_diagnostiek_uren_horen_bij_de_duur(tmp_path) -> None:
    # 45F11 Diagnostiek: 30 uur for 6 months or 60 uur for 12 (the same limit as verlenging).
    zes_maanden = {"45A05": "45F11", "<ijw:Volume>100</ijw:Volume>": "<ijw:Volume>40</ijw:Volume>",
                   EIND_315: EIND_315.replace("2027-02-28", "2026-08-31")}
    assert "FL-001" in _regio(tmp_path, "jw315_verzoek_om_toewijzing", "flevoland",
                              **zes_maanden)
    twaalf_maanden = {"45A05": "45F11",
                      "<ijw:Volume>100</ijw:Volume>": "<ijw:Volume>40</ijw:Volume>"}
    assert "FL-001" not in _regio(tmp_path, "jw315_verzoek_om_toewijzing", "flevoland",
                                  **twaalf_maanden)


@pytest.mark.parametrize("oud, nieuw", [
    ("<jw315:Afzender>12345678", "<jw315:Afzender>1234567X"),
    ("V2026022501", "V202602250199"),  # 13 tekens: te lang voor Identificatie
    ("<ijw:Dagtekening>2026-02-25", "<ijw:Dagtekening>2026-02-30"),
])
def test_ongeldige_header_geeft_geen_ongeldig_retourbericht(tmp_path, oud, nieuw) -> None:
    # The header is copied into the retourbericht: a header value the schema refuses would
    # make the answer itself invalid, so there is no retourbericht to send.
    p = _schoon(tmp_path, "jw315_verzoek_om_toewijzing")
    p.write_text(p.read_text("utf-8").replace(oud, nieuw), "utf-8")
    with pytest.raises(InvalidInput, match="geen geldig retourbericht mogelijk: Header/"):
        retour.maak(p, TODAY)


@pytest.mark.parametrize("force", [False, True])
def test_cli_twee_invoeren_zelfde_uitvoernaam(tmp_path, force) -> None:
    # Two senders may use the same Identificatie: both answers would get one file name. The
    # second must not replace the first (not even with --force); nothing is written.
    bronnen = []
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        bronnen.append(str(_schoon(tmp_path / sub, "jw301_toewijzing")))
    uit = tmp_path / "uit"
    res = runner.invoke(app, ["retour", *bronnen, "-o", str(uit), "--today", "2026-12-31",
                              *(["--force"] if force else [])])
    assert res.exit_code == 2, res.output
    assert "dezelfde" in res.output and bronnen[0] in res.output and bronnen[1] in res.output
    assert not uit.exists() or list(uit.iterdir()) == []


def test_cli_onleesbaar_bericht_stopt_de_rest_niet(tmp_path) -> None:
    kapot = tmp_path / "kapot.xml"
    kapot.write_text("dit is geen XML", "utf-8")
    goed = _schoon(tmp_path, "jw305_start")
    uit = tmp_path / "uit"
    res = runner.invoke(app, ["retour", str(kapot), str(goed), "-o", str(uit), "--today",
                              "2026-12-31", "--format", "json"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert data["summary"] == {"files": 2, "geschreven": 1, "met_bevindingen": 0,
                               "geweigerd": 1}
    geweigerd = [r for r in data["results"] if r["status"] == "geweigerd"]
    assert [g["file"] for g in geweigerd] == [str(kapot)]
    assert "geen goedgevormde XML" in geweigerd[0]["reden"]
    assert [f["file"] for f in data["findings"]] == [str(kapot)]
    assert [Path(f["path"]).name for f in data["files"]] == ["JW306_439_S2026031001.xml"]
    assert [p.name for p in uit.iterdir()] == ["JW306_439_S2026031001.xml"]
    tekst = runner.invoke(app, ["retour", str(kapot), "-o", str(uit)])
    assert tekst.exit_code == 1 and "geen goedgevormde XML" in tekst.output


@pytest.mark.parametrize("commando", ["regels", "retour"])
def test_help_regels_niet_gebroken(commando) -> None:
    # Typer keeps the docstring's line breaks and wraps at 80 columns: a longer line breaks
    # twice and leaves a stub line in --help.
    import inspect

    from ijwcli.cli import regels
    from ijwcli.cli import retour as cli_retour

    fn = {"regels": regels.regels, "retour": cli_retour.retour}[commando]
    lang = [r for r in inspect.getdoc(fn).splitlines() if len(r) > 78]
    assert lang == []


def test_hvb_jeugdzorgplus_bron_per_afspraak(tmp_path) -> None:
    # Each finding quotes the agreement it checks: the verwijzer and aanbieder findings name
    # the verwijzers and aanbieders of the seed, not only "eenheid 14, frequentie 2".
    p = _schoon(tmp_path, "jw315_verzoek_om_toewijzing")
    p.write_text(p.read_text("utf-8").replace("45A05", "43A12"), "utf-8")
    bron = {e.rule: e.message.split("(bron: ", 1)[1]
            for e in validate_file(p, TODAY, "hart-van-brabant").errors
            if e.rule.startswith("HVB-")}
    assert "eenheid 14" in bron["HVB-003"]
    assert "Raad voor de Kinderbescherming" in bron["HVB-004"]
    assert all(agb in bron["HVB-005"] for agb in ("73730723", "06291021", "22220535"))


def test_hvb_002_is_een_waarschuwing_die_het_bericht_geldig_laat(tmp_path) -> None:
    # "a requested period beyond the maximum termijn for its product group warns" (issue 4):
    # reported apart, the file stays valid (exit 0) and the retour run counts no finding.
    p = _schoon(tmp_path, "jw315_verzoek_om_toewijzing")
    p.write_text(p.read_text("utf-8").replace("45A05", "1708"), "utf-8")  # crisis: 4 weeks
    res = validate_file(p, TODAY, "hart-van-brabant")
    assert res.valid and [w.rule for w in res.warnings] == ["HVB-002"]
    cli = runner.invoke(app, ["validate", str(p), "--regio", "hart-van-brabant", "--today",
                              TODAY.isoformat(), "-f", "json"])
    assert cli.exit_code == 0, cli.output
    (uitslag,) = json.loads(cli.stdout)["results"]
    assert uitslag["valid"] and uitslag["errors"] == []
    assert [w["rule"] for w in uitslag["warnings"]] == ["HVB-002"]
    tekst = runner.invoke(app, ["validate", str(p), "--regio", "hart-van-brabant", "--today",
                                TODAY.isoformat()])
    assert tekst.exit_code == 0 and "waarschuwing" in tekst.stdout and "HVB-002" in tekst.stdout
    assert "1 geldig, 0 ongeldig, 1 met waarschuwing" in tekst.stdout
    uit = tmp_path / "uit"
    r = runner.invoke(app, ["retour", str(p), "-o", str(uit), "--regio", "hart-van-brabant",
                            "--today", TODAY.isoformat(), "-f", "json"])
    assert r.exit_code == 0, r.output
    (antwoord,) = json.loads(r.stdout)["results"]
    assert [(b["rule"], b["waarschuwing"]) for b in antwoord["regio"]] == [("HVB-002", True)]
