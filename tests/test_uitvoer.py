"""One command line: every command's ``--format json`` against its published JSON Schema, usage
errors as JSON, and Typer's/Click's texts in Dutch (issue 15)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from ijwcli.cli import app, uitvoer
from ijwcli.cli.snelstart import commandonaam

from .conftest import SAMPLES

runner = CliRunner()
ADRES = ["-w", "postcode=5038EA", "-w", "huisnummer=12", "-w", "straatnaam=Stationsstraat",
         "-w", "plaatsnaam=Tilburg"]
HVB = ["--regio", "hart-van-brabant", "--verwijzer", "toegang", "--ingangsdatum", "2026-01-01",
       "--einddatum", "2026-12-31", "--volume", "100", "--eenheid", "04", "--frequentie", "6",
       "--nieuwe-einddatum", "2027-05-31", "--today", "2026-10-01"]
ISO_DATUM = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NL_DATUM = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")


def commandos() -> list[str]:
    """Every command of the app, as typed: ``validate``, ``generate jw301`` …"""
    namen = [commandonaam(c) for c in app.registered_commands]
    for g in app.registered_groups:
        namen += [f"{g.name} {commandonaam(c)}" for c in g.typer_instance.registered_commands]
    return sorted(n for n in namen if n)


def json_run(*args: str | Path) -> dict:
    r = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["exit_code"] == r.exit_code, r.stderr
    return doc


def check(doc: dict, datums: bool = True) -> dict:
    """The document fits the schema of its command, and its dates are ISO 8601 (``datums``:
    off where a message quotes a wrong date as the user typed it)."""
    jsonschema.validate(doc, uitvoer.schema(doc["command"]))
    assert list(doc) == list(uitvoer.SLEUTELS)
    tekst = json.dumps(doc, ensure_ascii=False)
    assert not (datums and NL_DATUM.search(tekst)), NL_DATUM.search(tekst)
    return doc


def test_every_command_has_a_schema() -> None:
    assert set(commandos()) <= set(uitvoer.schemas()), set(commandos()) - set(uitvoer.schemas())
    for naam in uitvoer.schemas():
        jsonschema.Draft202012Validator.check_schema(uitvoer.schema(naam))


def _workbook(tmp_path: Path) -> Path:
    doc = check(json_run("convert", SAMPLES / "jw315_verzoek_om_toewijzing.xml", "-o",
                         tmp_path / "jw315.xlsx", "-f", "json"))
    assert doc["files"] == [uitvoer.bestand(tmp_path / "jw315.xlsx")]
    return tmp_path / "jw315.xlsx"


def test_each_command_fits_its_schema(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes((SAMPLES / "jw301_toewijzing.xml").read_bytes().replace(
        b"<jw301:Bsn>", b"<jw301:Bsn>1", 1))
    doc = check(json_run("validate", SAMPLES, bad, "-f", "json"))
    assert doc["summary"]["invalid"] == 1 and doc["findings"]
    assert {f["file"] for f in doc["findings"]} == {str(bad)}
    check(json_run("regels", "--bericht", "JW315", "-f", "json"))
    doc = check(json_run("retour", SAMPLES / "jw315_verzoek_om_toewijzing.xml", "-o",
                         tmp_path / "retour", "--today", "2026-03-03", "-f", "json"))
    assert [Path(f["path"]).parent for f in doc["files"]] == [tmp_path / "retour"]
    assert doc["files"][0]["bericht"] == "JW316"
    werkboek = _workbook(tmp_path)
    doc = check(json_run("convert", werkboek, "-o", tmp_path / "xml", "-f", "json",
                         "--today", "2026-03-03"))
    assert doc["exit_code"] == 0 and doc["files"][0]["bericht"] == "JW315"
    assert doc["files"][0]["bron"] == str(werkboek)
    doc = check(json_run("template", "JW301", "-o", tmp_path / "t.xlsx", "-f", "json"))
    assert doc["files"] == [uitvoer.bestand(tmp_path / "t.xlsx", "JW301")]
    doc = check(json_run("verlenging", *HVB, "--extra-volume", "30", "--json"))
    assert doc["results"][0]["uitkomst"]["route"] == "backoffice"
    csv = tmp_path / "verzoeken.csv"
    csv.write_text("regio;verwijzer;ingangsdatum;einddatum;volume;eenheid;frequentie;"
                   "nieuwe_einddatum;extra_volume\n"
                   "hart-van-brabant;toegang;2026-01-01;2026-12-31;100;04;6;2027-05-31;30\n"
                   "hart-van-brabant;toegang;2026-01-01;2026-13-31;100;04;6;2027-05-31;30\n",
                   "utf-8")
    doc = check(json_run("verlenging", "--batch", csv, "-o", tmp_path / "uit.csv", "-f", "json",
                         "--today", "2026-10-01"))
    assert doc["summary"]["fout"] == 1 and doc["findings"][0]["rij"] == 3
    assert doc["files"] == [uitvoer.bestand(tmp_path / "uit.csv", bron=csv)]
    doc = check(json_run("generate", "jw301", "--from", SAMPLES / "jw315_verzoek_om_toewijzing.xml",
                         "--toewijzingnummer-start", "700100", *ADRES, "--today", "2026-04-02",
                         "-o", tmp_path / "a.xml", "-f", "json"))
    assert doc["files"][0]["path"] == str(tmp_path / "a.xml")
    check(json_run("generate", "jw307", "--from", SAMPLES / "jw305_start.xml", "--einddatum",
                   "2026-06-30", "--reden", "31", "--today", "2026-07-01", "-o",
                   tmp_path / "b.xml", "-f", "json"))


def test_verlenging_json_dates_are_iso() -> None:
    # The toets 'jeugdhulp loopt' gave "01-01-2026 t/m 31-12-2026" next to ISO dates.
    doc = check(json_run("verlenging", *HVB, "--extra-volume", "30", "--json"))
    (t,) = [t for t in doc["results"][0]["uitkomst"]["toetsen"] if t["regel"] == "jeugdhulp_loopt"]
    assert t["grens"] == "2026-01-01/2026-12-31" and t["waarde"] == "2026-10-01"


@pytest.mark.parametrize("args", [
    ["validate", "--jobs", "0", "x.xml", "--format", "json"],
    ["validate", "--format", "json", "--bestaat-niet", "x.xml"],
    ["convert", "x.xlsx", "-f", "json"],
    ["retour", "-f", "json"],
    ["regels", "--bericht", "JW999", "-f", "json"],
    ["verlenging", "--regio", "nergens", "--json"],
    ["generate", "jw307", "--from", "x.xml", "-f", "json"],
    ["template", "JW999", "-o", "x.xlsx", "-f", "json"],
])
def test_usage_errors_are_json_on_stdout_with_exit_2(args: list[str]) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    doc = check(json.loads(r.stdout))
    assert doc["exit_code"] == 2 and doc["results"] == [] and doc["summary"] == {}
    (f,) = doc["findings"]
    assert f["rule"] in {"GEBRUIK", "BESTAND"} and f["message"]
    assert f["message"] in r.stderr


def test_usage_error_without_json_is_text_only() -> None:
    r = runner.invoke(app, ["validate", "--jobs", "0", "x.xml"])
    assert r.exit_code == 2 and r.stdout == ""
    assert "fout: ongeldige waarde voor '--jobs' / '-j': 0 is kleiner dan het minimum 1" in r.stderr


ENGELS = ["Show this message", "No such command", "[default", "Usage:", "Options", "Arguments",
          "Commands", "Missing option", "Missing argument", "Invalid value", "Try '",
          "<bool>", "<str>", "<int", "list[", "int range", "x>=", "{PATH", "......", "YYYY",
          "required]",
          "No such option", "unexpected extra", "Did you mean"]


def _engels(tekst: str) -> list[str]:
    return [w for w in ENGELS if w in tekst]


def test_help_of_every_command_is_dutch() -> None:
    for naam in ["", *commandos(), *{c.split()[0] for c in commandos() if " " in c}]:
        r = runner.invoke(app, [*naam.split(), "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0, (naam, r.output)
        assert not _engels(r.output), (naam, _engels(r.output))
        assert "Opties" in r.output and "Toon deze hulp en stop." in r.output


@pytest.mark.parametrize("args, dutch", [
    (["valideer"], "onbekend commando 'valideer'"),
    (["valdate"], "bedoelt u 'validate'?"),
    (["validate"], "argument ontbreekt: 'PATH"),
    (["convert", "x.xlsx"], "optie ontbreekt: '--output' / '-o'"),
    (["validate", "--jobs"], "optie '--jobs' heeft een waarde nodig"),
    (["validate", "--jbos", "2", "x"], "onbekende optie --jbos"),
    (["regels", "extra"], "onverwacht extra argument: extra"),
    (["validate", "-f", "xml", "x"], "ongeldige waarde voor '--format' / '-f'"),
])
def test_usage_errors_are_dutch(args: list[str], dutch: str) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    assert dutch in r.stderr, r.stderr
    assert not _engels(r.stderr), r.stderr
    assert "Gebruik: ijwcli" in r.stderr or "--jobs" in args


def test_shell_completion_shows_installs_and_completes(tmp_path: Path) -> None:
    r = runner.invoke(app, ["--show-completion"], prog_name="ijwcli",
                      env={"SHELL": "/bin/bash"})
    assert r.exit_code == 0 and "_ijwcli_completion" in r.stdout
    r = runner.invoke(app, ["--install-completion"], prog_name="ijwcli",
                      env={"SHELL": "/bin/bash", "HOME": str(tmp_path)})
    assert r.exit_code == 0 and "geïnstalleerd" in r.stdout
    assert "_ijwcli_completion" in (tmp_path / ".bash_completions" / "ijwcli.sh").read_text()
    for woorden, cword, verwacht in (("ijwcli val", "1", "validate"),
                                     ("ijwcli validate --format ", "3", "json"),
                                     ("ijwcli generate j", "2", "jw307")):
        r = runner.invoke(app, [], prog_name="ijwcli", env={
            "_IJWCLI_COMPLETE": "complete_bash", "COMP_WORDS": woorden, "COMP_CWORD": cword})
        assert verwacht in r.stdout.split(), (woorden, r.stdout)


def test_tables_read_at_80_columns(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    bad = tmp_path / "bad.xml"
    bad.write_bytes((SAMPLES / "jw301_toewijzing.xml").read_bytes().replace(
        b"<jw301:Bsn>", b"<jw301:Bsn>1", 1))
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    for args in (["regels"], ["validate", str(bad)]):
        r = subprocess.run([sys.executable, "-m", "ijwcli", *args], capture_output=True,
                           text=True, env=env, timeout=60)
        regels = r.stdout.splitlines()
        assert max(len(x) for x in regels) <= 80
        # No word broken over two lines: every status is whole where it starts.
        assert not [x for x in regels if "geïmplemente" in x and "geïmplementeerd" not in x]
    kop = next(x for x in regels if "melding" in x)
    assert re.findall(r"\w+", kop) == ["code", "retour", "lijn", "element", "melding"]


def _veel(tmp_path: Path, n: int = 25) -> Path:
    map_ = tmp_path / "veel"
    map_.mkdir()
    for i in range(n):
        (map_ / f"f{i:02}.xml").write_bytes((SAMPLES / "jw301_toewijzing.xml").read_bytes()
                                            .replace(b"T2026030201", f"T20260302{i:02}".encode()))
    (map_ / "kapot.xml").write_bytes(b"<a")
    return map_


@pytest.mark.parametrize("args, tekst", [
    (["validate", "-j", "1"], "valideren"),
    (["retour", "--today", "2026-03-03", "-o", "{uit}"], "retourberichten"),
])
def test_progress_bar_on_a_terminal_only(tmp_path: Path, args: list[str], tekst: str) -> None:
    import os
    import subprocess
    import sys

    map_ = _veel(tmp_path)
    for terminal in (True, False):
        uit = tmp_path / f"uit{terminal}"
        env = {**os.environ, "COLUMNS": "100"}
        env.pop("TTY_COMPATIBLE", None)
        if terminal:
            env["TTY_COMPATIBLE"] = "1"  # Rich: treat stderr as a terminal
        cmd = [a.format(uit=uit) for a in args]
        r = subprocess.run([sys.executable, "-m", "ijwcli", cmd[0], str(map_), *cmd[1:]],
                           capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 1
        assert (tekst in r.stderr and "26/26" in r.stderr) is terminal, r.stderr[-300:]
        assert tekst not in r.stdout  # the bar is on stderr only


def test_quiet_still_lists_failed_files_and_retour_ends_with_a_summary(tmp_path: Path) -> None:
    map_ = _veel(tmp_path, 3)
    r = runner.invoke(app, ["validate", "-q", str(map_)])
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [f"ongeldig: {map_ / 'kapot.xml'} (1 fout(en): XSD)",
                                     "4 bestand(en): 3 geldig, 1 ongeldig"]
    r = runner.invoke(app, ["retour", str(map_), "-o", str(tmp_path / "uit"), "-q",
                            "--today", "2026-03-03"], env={"COLUMNS": "300"})
    assert r.exit_code == 1
    regels = r.stdout.splitlines()
    assert not [x for x in regels if "goedgekeurd" in x and "→" in x]  # quiet: the good ones not
    assert "kapot.xml" in r.stdout
    assert regels[-1] == (f"4 bericht(en): 3 goedgekeurd, 0 met retourcodes, 0 afgekeurd, "
                          f"1 zonder retourbericht; 3 retourbericht(en) in {tmp_path / 'uit'}")


def test_one_naming_scheme_for_written_messages(tmp_path: Path) -> None:
    werkboek = _workbook(tmp_path)
    namen = [Path(f["path"]).name for f in json_run(
        "convert", werkboek, "-o", tmp_path / "xml", "-f", "json",
        "--today", "2026-03-03")["files"]]
    namen += [Path(f["path"]).name for f in json_run(
        "retour", SAMPLES / "jw315_verzoek_om_toewijzing.xml", "-o", tmp_path / "retour",
        "--today", "2026-03-03", "-f", "json")["files"]]
    ident = "V2026022501"
    assert namen == [f"JW315_446_{ident}.xml", f"JW316_447_{ident}.xml"]
    import os

    oud = Path.cwd()
    os.chdir(tmp_path)
    try:
        doc = json_run("generate", "jw301", "--from", SAMPLES / "jw315_verzoek_om_toewijzing.xml",
                       "--toewijzingnummer-start", "700100", *ADRES, "--today", "2026-04-02",
                       "-f", "json")
    finally:
        os.chdir(oud)
    (f,) = doc["files"]
    assert f["path"] == f"JW301_436_{f['identificatie']}.xml"
    assert doc["results"][0]["bsn"] not in f["path"]  # no BSN in a file name


def test_convert_reports_every_problem_of_a_workbook_in_one_run(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    werkboek = _workbook(tmp_path)
    wb = load_workbook(werkboek)
    data, kop = wb["JW315 AangevraagdeProducten"], wb["JW315 Bericht"]
    namen = [c.value for c in data[1]]
    koppen = [c.value for c in kop[1]]

    def cel(naam: str) -> Any:
        return data.cell(2, namen.index(naam) + 1)

    cel("Geslachtsnaam Achternaam").value = None                     # F2: empty, required
    cel("Bsn").value = "123456789"                                   # B2: elfproef (CS002)
    cel("ToewijzingIngangsdatum").value = "31-06-2026"               # Q2: no such date
    kop.cell(2, koppen.index("BerichtIdentificatie Identificatie") + 1).value = None
    wb.save(werkboek)
    doc = check(json_run("convert", werkboek, "-o", tmp_path / "uit", "-f", "json",
                         "--today", "2026-03-03"), datums=False)
    assert doc["exit_code"] == 1 and doc["files"] == []
    gevonden = [(f["sheet"].split()[-1], f["cel"], f["kolom"], f["rule"], f["message"])
                for f in doc["findings"]]
    assert gevonden == [
        ("AangevraagdeProducten", "Q2", "ToewijzingIngangsdatum", "EXCEL",
         "'31-06-2026' is geen bestaande datum"),
        ("Bericht", "G2", "BerichtIdentificatie Identificatie", "EXCEL", "is verplicht"),
        ("AangevraagdeProducten", "F2", "Geslachtsnaam Achternaam", "EXCEL", "is verplicht"),
        ("AangevraagdeProducten", "B2", None, "CS002",
         "BSN 123456789 voldoet niet aan de elfproef (CS002; bericht 1)")]
    r = runner.invoke(app, ["convert", str(werkboek), "-o", str(tmp_path / "uit"),
                            "--today", "2026-03-03"], env={"COLUMNS": "300"})
    assert "cel F2 (Geslachtsnaam Achternaam) is verplicht" in r.stderr


def test_convert_names_an_empty_cell_that_differs_from_the_first_row(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    werkboek = _workbook(tmp_path)
    wb = load_workbook(werkboek)
    data = wb["JW315 AangevraagdeProducten"]
    namen = [c.value for c in data[1]]
    for c in data[2]:
        data.cell(3, c.column).value = c.value
    data.cell(3, namen.index("ReferentieAanbieder") + 1).value = "ANDER-1"
    data.cell(3, namen.index("Geslachtsnaam Achternaam") + 1).value = "  "
    wb.save(werkboek)
    r = runner.invoke(app, ["convert", str(werkboek), "-o", str(tmp_path / "uit"),
                            "--today", "2026-03-03"], env={"COLUMNS": "300"})
    assert r.exit_code == 1
    assert ("cel F3 (Geslachtsnaam Achternaam) is leeg, anders dan rij 2 van hetzelfde bericht "
            "('Dijk'; moet per bericht gelijk zijn)") in r.stderr


def test_convert_of_a_workbook_without_messages_exits_1(tmp_path: Path) -> None:
    leeg = tmp_path / "leeg.xlsx"
    check(json_run("template", "JW315", "-o", leeg, "-f", "json"))
    r = runner.invoke(app, ["convert", str(leeg), "-o", str(tmp_path / "uit")])
    assert r.exit_code == 1
    assert "geen berichten gevonden: het werkboek heeft geen ingevulde rij" in r.stderr
    doc = check(json_run("convert", leeg, "-o", tmp_path / "uit", "-f", "json"))
    assert doc["exit_code"] == 1 and doc["files"] == [] and doc["findings"][0]["rule"] == "EXCEL"
    assert not (tmp_path / "uit").exists()


def test_register_and_config_fit_their_schemas(tmp_path: Path) -> None:
    db = str(tmp_path / "register.db")
    env = {"IJWCLI_CONFIG": str(tmp_path / "geen.toml")}
    doc = check(json_run("register", "add", SAMPLES / "jw301_toewijzing.xml", "--db", db,
                         "--today", "2026-03-02", "-f", "json"))
    assert doc["exit_code"] == 0
    for args in (["register", "list"], ["register", "info"],
                 ["register", "client", "999900018"], ["register", "toon", "T2026030201"],
                 ["register", "export", "-o", str(tmp_path / "uit")]):
        r = runner.invoke(app, [*args, "--db", db, "-f", "json"], env=env)
        assert "Traceback" not in r.output, r.output
        doc = check(json.loads(r.stdout), datums=False)
        assert doc["exit_code"] == r.exit_code
    r = runner.invoke(app, ["config", "show", "-f", "json"], env=env)
    check(json.loads(r.stdout))
    # A usage error of a register command is the same JSON shape.
    r = runner.invoke(app, ["register", "toon", "--db", db, "-f", "json"])
    assert r.exit_code == 2 and check(json.loads(r.stdout))["findings"][0]["rule"] == "GEBRUIK"
