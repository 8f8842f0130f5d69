"""`ijwcli generate jw301|jw307`: exit codes, JSON, --force, counter file, nothing half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ijwcli.cli import app
from tests.conftest import SAMPLES, SHARED, needs_shared

runner = CliRunner()
ADRES = ["-w", "postcode=5038EA", "-w", "huisnummer=12", "-w", "straatnaam=Stationsstraat",
         "-w", "plaatsnaam=Tilburg"]
XSD_CHECK = SHARED / "tools" / "ijw-xsd-check"


def run(*args: str | Path) -> tuple[int, str, str]:
    r = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in r.stdout + r.stderr
    return r.exit_code, r.stdout, r.stderr


def jw315() -> Path:
    return needs_shared() / "voorbeelden" / "JW315.xml"


def test_jw301_from_jw315_writes_a_valid_file_and_reports_json(tmp_path: Path) -> None:
    out = tmp_path / "jw301.xml"
    code, stdout, _ = run("generate", "jw301", "--from", jw315(), "--toewijzingnummer-start",
                          "700100", *ADRES, "--today", "2026-04-02", "-o", out,
                          "--format", "json")
    assert code == 0
    [r] = json.loads(stdout)["geschreven"]
    assert r["bestand"] == str(out) and r["bericht"] == "JW301"
    assert r["toewijzingnummers"] == ["700100", "700101"]
    assert r["dagtekening"] == "2026-04-02" and len(r["identificatie"]) == 12
    data = out.read_bytes()
    assert data.startswith(b"<?xml") and b"\r\n" in data
    code, stdout, _ = run("validate", out, "--today", "2026-04-02")
    assert code == 0


def test_existing_output_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "jw307.xml"
    args = ["generate", "jw307", "--from", needs_shared() / "voorbeelden" / "JW305.xml",
            "--einddatum", "2026-07-17", "--reden", "31", "--today", "2026-07-20", "-o", out]
    assert run(*args)[0] == 0
    eerst = out.read_bytes()
    code, _, stderr = run(*args)
    assert code == 2 and "--force" in stderr
    assert out.read_bytes() == eerst
    assert run(*args, "--force")[0] == 0
    assert out.read_bytes() != eerst  # a new BerichtIdentificatie
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jw307.xml"]


def test_input_file_is_never_overwritten(tmp_path: Path) -> None:
    bron = tmp_path / "jw305.xml"
    bron.write_bytes((needs_shared() / "voorbeelden" / "JW305.xml").read_bytes())
    code, _, stderr = run("generate", "jw307", "--from", bron, "--einddatum", "2026-07-17",
                          "--reden", "31", "--today", "2026-07-20", "-o", bron, "--force")
    assert code == 2 and "invoerbestand" in stderr
    assert bron.read_bytes() == (needs_shared() / "voorbeelden" / "JW305.xml").read_bytes()


@pytest.mark.parametrize("bestaat", [True, False])
def test_counter_file_is_never_the_output(tmp_path: Path, bestaat: bool) -> None:
    teller = tmp_path / "nummers.txt"
    if bestaat:
        teller.write_text("41\n")
    code, _, stderr = run("generate", "jw301", "--from", jw315(), "--teller", teller,
                          "--toewijzingnummer-start", "42", *ADRES, "-o", teller, "--force",
                          "--today", "2026-04-02")
    assert code == 2 and "tellerbestand" in stderr
    assert (teller.read_text() == "41\n") if bestaat else not teller.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == \
        (["nummers.txt"] if bestaat else [])


def test_bad_reden_lists_the_valid_codes(tmp_path: Path) -> None:
    code, _, stderr = run("generate", "jw307", "--from",
                          needs_shared() / "voorbeelden" / "JW305.xml", "--einddatum",
                          "2026-07-17", "--reden", "30", "--today", "2026-07-20", "-o",
                          tmp_path / "x.xml")
    assert code == 2
    assert "kies uit 02, 20, 31" in stderr
    assert not (tmp_path / "x.xml").exists()


def test_bad_template_exit_2_naming_the_key(tmp_path: Path) -> None:
    t = tmp_path / "mijn.toml"
    t.write_text('bericht = "JW301"\n[afzender]\ngemeentecode = "0384"\n[product]\n'
                 '"Omvang/Volume" = "3"\n', "utf-8")
    code, _, stderr = run("generate", "jw301", "--from", jw315(), "--template", t,
                          "--toewijzingnummer-start", "1", "-o", tmp_path / "x.xml")
    assert code == 2
    assert "mijn.toml regel 5 tabel product, sleutel 'Omvang/Volume'" in stderr.replace("\n", " ")


def test_counter_file_in_template_advances_only_after_success(tmp_path: Path) -> None:
    tekst = (Path(__file__).parent.parent / "templates" / "jw301.toml").read_text("utf-8")
    t = tmp_path / "gemeente.toml"
    t.write_text(tekst.replace('teller = ""', 'teller = "nummers.txt"'), "utf-8")
    (tmp_path / "nummers.txt").write_text("41\n")
    # Missing placeholder values: the run fails and the counter stays where it was.
    code, _, stderr = run("generate", "jw301", "--from", jw315(), "--template", t,
                          "-o", tmp_path / "a.xml", "--today", "2026-04-02")
    assert code == 2 and "geen waarde voor {huisnummer}" in stderr
    assert (tmp_path / "nummers.txt").read_text().strip() == "41"
    code, stdout, _ = run("generate", "jw301", "--from", jw315(), "--template", t, *ADRES,
                          "-o", tmp_path / "a.xml", "--today", "2026-04-02", "-f", "json")
    assert code == 0
    assert json.loads(stdout)["geschreven"][0]["toewijzingnummers"] == ["42", "43"]
    assert (tmp_path / "nummers.txt").read_text().strip() == "43"


def test_data_with_bad_rows_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    p = tmp_path / "stops.csv"
    p.write_text(
        "aanbieder,gemeente,bsn,geboortedatum,geslacht,achternaam,begindatum,einddatum,reden\n"
        "12345678,0855,999900018,2014-05-09,2,Dijk,2026-03-09,2026-06-30,31\n"
        "12345678,0855,999900006,2010-02-14,1,Wit,2026-04-03,2026-06-31,31\n", "utf-8")
    uit = tmp_path / "uit"
    code, _, stderr = run("generate", "jw307", "--data", p, "-o", uit, "--today", "2026-07-01")
    assert code == 1
    assert "stops.csv rij 3 kolom einddatum" in stderr and "2026-06-31" in stderr
    assert not uit.exists() or not any(uit.iterdir())
    p.write_text(p.read_text().replace("2026-06-31", "2026-06-30"), "utf-8")
    code, stdout, _ = run("generate", "jw307", "--data", p, "-o", uit, "--today", "2026-07-01",
                          "-f", "json")
    assert code == 0
    geschreven = json.loads(stdout)["geschreven"]
    assert [g["bsn"] for g in geschreven] == ["999900018", "999900006"]
    assert all(Path(g["bestand"]).parent == uit for g in geschreven)
    if XSD_CHECK.exists():
        r = subprocess.run([sys.executable, str(XSD_CHECK), str(uit)], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0, r.stdout


def test_data_the_validator_refuses_names_rows_of_every_message(tmp_path: Path) -> None:
    p = tmp_path / "cases.csv"
    p.write_text(
        "gemeente,aanbieder,bsn,geboortedatum,geslacht,achternaam,categorie,productcode,"
        "ingangsdatum,einddatum,volume,eenheid,frequentie,postcode,huisnummer,straatnaam,"
        "plaatsnaam\n"
        "0855,12345678,999900018,2014-05-09,2,Dijk,45,45A05,2026-03-01,,10,04,2,5038EA,12,"
        "Stationsstraat,Tilburg\n"
        "0855,12345678,999900006,2010-02-14,1,Wit,55,55A11,2026-03-01,2026-12-31,2,16,1,5038EA,"
        "3,Kerkweg,Goirle\n", "utf-8")
    uit = tmp_path / "uit"
    code, _, stderr = run("generate", "jw301", "--data", p, "-o", uit, "--today", "2026-03-01",
                          "--toewijzingnummer-start", "1")
    tekst = stderr.replace("\n", " ")
    assert code == 1
    assert "cases.csv rij 2 kolom einddatum: CD076" in tekst
    assert "cases.csv rij 3 kolom frequentie: CS338" in tekst
    assert not uit.exists() or not any(uit.iterdir())


def test_intrekken_and_verlenging_from_the_sample_toewijzing(tmp_path: Path) -> None:
    huidig = SAMPLES / "jw301_toewijzing.xml"
    if not huidig.exists():
        pytest.skip("samples/jw301_toewijzing.xml is not there")
    code, stdout, _ = run("generate", "jw301", "--from", huidig, "--intrekken", "700001",
                          "-o", "-", "--today", "2026-03-05")
    assert code == 0
    assert "<jw301:RedenWijziging>13</jw301:RedenWijziging>" in stdout
    code, stdout, _ = run("verlenging", "--regio", "hart-van-brabant", "--verwijzer", "toegang",
                          "--ingangsdatum", "2026-03-01", "--einddatum", "2027-02-28",
                          "--volume", "100", "--eenheid", "04", "--frequentie", "6",
                          "--nieuwe-einddatum", "2027-07-31", "--extra-volume", "30", "--json",
                          "--today", "2026-09-01")
    assert code == 0
    uitkomst = tmp_path / "uitkomst.json"
    uitkomst.write_text(stdout, "utf-8")
    code, stdout, _ = run("generate", "jw301", "--from", huidig, "--verlenging", uitkomst,
                          "-o", "-", "--today", "2026-09-05")
    assert code == 0
    assert "<jw301:Einddatum>2027-07-31</jw301:Einddatum>" in stdout
    assert "<ijw:Volume>130</ijw:Volume>" in stdout


def test_usage_errors(tmp_path: Path) -> None:
    code, _, stderr = run("generate", "jw301", "-o", tmp_path / "x.xml")
    assert code == 2 and "--from" in stderr
    code, _, stderr = run("generate", "jw301", "--from",
                          needs_shared() / "voorbeelden" / "JW317.xml", "-o", tmp_path / "x.xml")
    assert code == 2 and "--actueel" in stderr
    code, _, stderr = run("generate", "jw307", "--from",
                          needs_shared() / "voorbeelden" / "JW305.xml", "--reden", "31")
    assert code == 2 and "--einddatum" in stderr
    code, _, stderr = run("generate", "jw301", "--from", jw315(), "-w", "postcode")
    assert code == 2 and "NAAM=WAARDE" in stderr
