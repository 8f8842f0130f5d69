"""`ijwcli generate jw301|jw307`: exit codes, JSON, --force, counter file, nothing half-written."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
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
    doc = json.loads(stdout)
    assert doc["command"] == "generate jw301" and doc["files"] == [
        {"path": str(out), "bericht": "JW301", "identificatie": doc["results"][0]["identificatie"],
         "bron": doc["results"][0]["bron"]}]
    [r] = doc["results"]
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
    assert json.loads(stdout)["results"][0]["toewijzingnummers"] == ["42", "43"]
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
    geschreven = json.loads(stdout)["results"]
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
    code, _, stderr = run("generate", "jw307", "--from", SAMPLES / "jw305_start.xml",
                          "--einddatum", "2026-06-31", "--reden", "31")
    assert code == 2 and "--einddatum: '2026-06-31' is geen geldige datum" in stderr
    code, _, stderr = run("generate", "jw301", "--from", jw315(), "-w", "postcode")
    assert code == 2 and "NAAM=WAARDE" in stderr


# --- every route, as a user runs it, through the reference oracle ----------------------------
def _kopie(doel: Path, naam: str, *vervang: tuple[str, str]) -> Path:
    """A reference message in ``doel`` (with text replaced, to make a consistent pair)."""
    tekst = (needs_shared() / "voorbeelden" / f"{naam}.xml").read_text("utf-8")
    for oud, nieuw in vervang:
        assert oud in tekst, oud
        tekst = tekst.replace(oud, nieuw, 1)
    p = doel / f"{naam.lower()}.xml"
    p.write_text(tekst, "utf-8", newline="")
    return p


JW301_RIJEN = ("gemeente,aanbieder,bsn,geboortedatum,geslacht,achternaam,categorie,productcode,"
               "ingangsdatum,einddatum,volume,eenheid,frequentie,postcode,huisnummer,"
               "straatnaam,plaatsnaam\n"
               "0855,12345678,999900018,2014-05-09,2,Dijk,45,45A05,2026-03-01,2027-02-28,100,04,"
               "6,5038EA,12,Stationsstraat,Tilburg\n"
               "0855,12345678,999900006,2010-02-14,1,Wit,55,55A11,2026-03-01,2026-12-31,2,16,4,"
               "5038EA,3,Kerkweg,Goirle\n")
JW307_RIJEN = ("aanbieder,gemeente,bsn,geboortedatum,geslacht,achternaam,toewijzingnummer,"
               "categorie,productcode,toewijzing_ingangsdatum,begindatum,einddatum,reden\n"
               "12345678,0855,999900018,2014-05-09,2,Dijk,700001,45,45A05,2026-03-01,2026-03-09,"
               "2026-06-30,31\n"
               "12345678,0855,999900006,2010-02-14,1,Wit,700002,55,55A11,2026-03-01,2026-03-09,"
               "2026-07-17,34\n")


def _xlsx(csv_tekst: str, pad: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for regel in csv_tekst.splitlines():
        wb.active.append(regel.split(","))
    wb.save(pad)
    return pad


def test_every_route_of_the_issue_writes_files_the_reference_xsds_accept(tmp_path: Path) -> None:
    """JW315, JW317 + actueel, verlenging JSON, intrekking, JW305, --data .csv and .xlsx."""
    if not XSD_CHECK.exists():
        pytest.skip("../shared/tools/ijw-xsd-check is not beside the checkout")
    bron, uit = tmp_path / "bron", tmp_path / "uit"
    bron.mkdir()
    today = "2026-07-20"
    jw315, jw305 = _kopie(bron, "JW315"), _kopie(bron, "JW305")
    jw301 = _kopie(bron, "JW301")
    # The reference JW317 refers to toewijzing 10071 of aanbieder 65656055 and asks for a new
    # product that ends before it starts: a matching actuele JW301 and a sane end date.
    jw317 = _kopie(bron, "JW317", ("2024-02-28", "2027-02-28"))
    actueel = bron / "actueel.xml"
    actueel.write_text(jw301.read_text("utf-8").replace("42420001", "65656055", 1)
                       .replace(">300201<", ">10071<", 1), "utf-8", newline="")
    code, stdout, _ = run("verlenging", "--regio", "hart-van-brabant", "--verwijzer", "toegang",
                          "--ingangsdatum", "2026-04-01", "--einddatum", "2026-07-14",
                          "--volume", "2", "--eenheid", "04", "--frequentie", "2",
                          "--nieuwe-einddatum", "2026-08-31", "--extra-volume", "0", "--json",
                          "--today", "2026-06-01")
    assert code in (0, 1), stdout
    uitkomst = bron / "uitkomst.json"
    uitkomst.write_text(stdout, "utf-8")
    csv301, csv307 = bron / "cases.csv", bron / "stops.csv"
    csv301.write_text(JW301_RIJEN, "utf-8")
    csv307.write_text(JW307_RIJEN, "utf-8")
    routes = {
        "jw315": ["jw301", "--from", jw315, "--toewijzingnummer-start", "700100", *ADRES],
        "jw317": ["jw301", "--from", jw317, "--actueel", actueel, "--toewijzingnummer-start",
                  "20000"],
        "verlenging": ["jw301", "--from", jw301, "--verlenging", uitkomst,
                       "--toewijzingnummer", "300201"],
        "intrekking": ["jw301", "--from", jw301, "--intrekken", "300202"],
        "jw305": ["jw307", "--from", jw305, "--einddatum", "2026-07-17", "--reden", "31"],
        "csv301": ["jw301", "--data", csv301, "--toewijzingnummer-start", "800000"],
        "xlsx301": ["jw301", "--data", _xlsx(JW301_RIJEN, bron / "cases.xlsx"),
                    "--toewijzingnummer-start", "810000"],
        "csv307": ["jw307", "--data", csv307],
        "xlsx307": ["jw307", "--data", _xlsx(JW307_RIJEN, bron / "stops.xlsx")],
    }
    for naam, args in routes.items():
        doel = uit / naam if "--data" in args else uit / f"{naam}.xml"
        code, _, stderr = run("generate", *args, "-o", doel, "--today", today)
        assert code == 0, (naam, stderr)
    bestanden = sorted(uit.rglob("*.xml"))
    assert len(bestanden) == 5 + 4 * 2
    r = subprocess.run([sys.executable, str(XSD_CHECK), *map(str, bestanden)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("ok ") == len(bestanden)
    idents = set()
    for p in bestanden:
        data = p.read_bytes()
        assert data.startswith(b"<?xml") and not data.startswith(b"\xef\xbb\xbf"), p
        assert data.count(b"\n") == data.count(b"\r\n") and data.endswith(b"\r\n"), p
        tekst = data.decode("utf-8")
        for regel in tekst.split("\r\n"):
            assert len(re.findall(r"<[^/?!]", regel)) <= 1, (p, regel)
        assert f"<ijw:Dagtekening>{today}</ijw:Dagtekening>" in tekst, p
        idents.add(re.search(r"<ijw:Identificatie>(\w+)<", tekst).group(1))
    assert len(idents) == len(bestanden)  # a new, unique BerichtIdentificatie each


def _voorbeelden(help_tekst: str) -> list[str]:
    """The commands under "Example" in a help text, continuation lines joined."""
    commandos: list[str] = []
    regels = [r.strip() for r in help_tekst.splitlines()]
    for i, r in enumerate(regels):
        if r.startswith("ijwcli "):
            c = r
            while c.endswith("\\"):
                i += 1
                c = c[:-1] + " " + regels[i]
            commandos.append(c)
    return commandos


@pytest.mark.parametrize("sub", ["jw301", "jw307"])
def test_help_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      sub: str) -> None:
    for naam in ("JW315", "JW301", "JW305"):
        _kopie(tmp_path, naam)
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = run("generate", sub, "--help")
    assert code == 0 and "Example" in stdout
    commandos = _voorbeelden(stdout)
    assert commandos and all(c.startswith(f"ijwcli generate {sub} ") for c in commandos)
    for c in commandos:
        assert "..." not in c and "…" not in c, c
        code, _, stderr = run(*shlex.split(c)[1:], "--today", str(dt.date(2026, 7, 20)))
        assert code == 0, (c, stderr)
