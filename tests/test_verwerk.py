"""The cross-message rules wired into validate and retour, and the daily job ``verwerk``:
answers exactly once (rerun, SIGKILL, SIGINT), one bad file never stops the rest, a lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from lxml import etree
from typer.testing import CliRunner

from ijwcli.cli import app, uitvoer
from ijwcli.config import Config
from ijwcli.register import open_register
from tests import bouw as b
from tests.registerhulp import bsn

runner = CliRunner()
GEMEENTE = Config(rol="gemeente", code=b.GEMEENTE)
T = b.jw301(b.toegewezen("700001"), ident="T1")
START = b.jw305(b.levering("700001"), ident="S1")


def _toml(map_: Path, rol: str = "gemeente", code: str = b.GEMEENTE, db: str | None = None,
          ) -> Path:
    regels = [f'rol = "{rol}"', f'code = "{code}"'] + ([f'db = "{db}"'] if db else [])
    (map_ / "ijwcli.toml").write_text("\n".join(regels) + "\n")
    return map_ / "ijwcli.toml"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # No configuration or register of the machine's user may leak into a test.
    return {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
            "IJWCLI_DB": "", "IJWCLI_CONFIG": "", **extra}


def _bestand(map_: Path, naam: str, data: bytes) -> Path:
    map_.mkdir(parents=True, exist_ok=True)
    (map_ / naam).write_bytes(data)
    return map_ / naam


def _register(db: str, *berichten: bytes, config: Config = GEMEENTE) -> None:
    with open_register(db, config) as reg:
        for data in berichten:
            r = reg.add(data)[0]
            assert r.status == "nieuw" and r.geldig, r.bevindingen


def _json(r) -> dict:  # type: ignore[no-untyped-def]
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, uitvoer.schema(doc["command"]))
    return doc


def _codes(pad: Path) -> list[str]:
    return [e.text for e in etree.parse(str(pad)).iter("{*}RetourCode")]


# --- validate -------------------------------------------------------------------------
def test_validate_judges_each_message_against_the_register(tmp_path, register_db,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    _toml(tmp_path)
    _register(register_db, T, START)
    zonder = _bestand(tmp_path / "in", "a.xml", b.jw305(b.levering("700099")))
    tweede = _bestand(tmp_path / "in", "b.xml", b.jw305(b.levering("700001", "2026-03-01"),
                                                          dag="2026-03-02"))
    goed = _bestand(tmp_path / "in", "c.xml", b.jw307(b.levering("700001",
                                                                  einddatum="2026-06-30")))
    r = runner.invoke(app, ["validate", str(zonder), str(tweede), str(goed), "--db",
                            register_db, "-f", "json", "--today", "2026-12-31"],
                      env=_env(tmp_path))
    doc = _json(r)
    assert r.exit_code == 1
    per = {Path(x["file"]).name: x for x in doc["results"]}
    (f,) = per["a.xml"]["errors"]
    assert (f["rule"], f["retourcode"], f["path"]) == ("TR019", "9019",
                                                         "Client/StartProducten/StartProduct")
    assert f["line"] and "700099" in f["message"]
    (f,) = per["b.xml"]["errors"]
    assert (f["rule"], f["retourcode"]) == ("TR326", "9326")
    assert f["betreft"] == "JW305 S1 van 2026-01-06"  # the earlier start: type, id, date
    assert per["c.xml"]["valid"]
    assert {x["rule"] for x in doc["findings"]} == {"TR019", "TR326"}
    # Nothing was imported: validate only reads.
    with open_register(register_db, GEMEENTE) as reg:
        assert reg.info()["berichten"] == 2
    # Text names the earlier message too; --zonder-register skips the rules.
    r = runner.invoke(app, ["validate", str(tweede), "--db", register_db, "--today",
                            "2026-12-31"], env=_env(tmp_path, COLUMNS="200"))
    assert r.exit_code == 1 and "betreft JW305 S1 van 2026-01-06" in r.stdout
    r = runner.invoke(app, ["validate", str(zonder), "--db", register_db, "--zonder-register",
                            "--today", "2026-12-31"], env=_env(tmp_path))
    assert r.exit_code == 0, r.stdout


def test_validate_without_a_register_is_as_before_and_makes_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    start = _bestand(tmp_path, "s.xml", b.jw305(b.levering("700099")))
    r = runner.invoke(app, ["validate", str(start), "--today", "2026-12-31"],
                      env=_env(tmp_path))
    assert r.exit_code == 0, r.stdout
    assert not (tmp_path / "data").exists()  # the default register was not made
    # A register that is configured but not there: an error, and still none is made.
    _toml(tmp_path, db="weg.db")
    r = runner.invoke(app, ["validate", str(start)], env=_env(tmp_path))
    assert r.exit_code == 2 and "bestaat niet" in r.stderr and not (tmp_path / "weg.db").exists()
    # A register without a role to judge from: a usage error naming the fix.
    _register(str(tmp_path / "reg.db"), T)
    (tmp_path / "ijwcli.toml").write_text('code = "0855"\ndb = "reg.db"\n')
    r = runner.invoke(app, ["validate", str(start)], env=_env(tmp_path))
    assert r.exit_code == 2 and "rol" in r.stderr
    # IJWCLI_DB configures one as well.
    (tmp_path / "ijwcli.toml").write_text('rol = "gemeente"\ncode = "0855"\n')
    r = runner.invoke(app, ["validate", str(start), "--today", "2026-12-31"],
                      env=_env(tmp_path, IJWCLI_DB=str(tmp_path / "reg.db")))
    assert r.exit_code == 1 and "TR019" in r.stdout


# --- retour ---------------------------------------------------------------------------
def test_retour_writes_the_retourcodes_of_the_cross_message_rules(tmp_path, register_db,
                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    _toml(tmp_path)
    _register(register_db, T, START)
    inbox = tmp_path / "in"
    _bestand(inbox, "a.xml", b.jw305(b.levering("700099"), ident="S7"))
    _bestand(inbox, "b.xml", b.jw305(b.levering("700001", "2026-03-01"), ident="S8",
                                        dag="2026-03-02"))
    _bestand(inbox, "c.xml", b.jw307(b.levering("700001", ingang="2026-01-02",
                                                einddatum="2026-06-30"), ident="E9"))
    r = runner.invoke(app, ["retour", str(inbox), "-o", str(tmp_path / "uit"), "--db",
                            register_db, "--today", "2026-12-31", "-f", "json"],
                      env=_env(tmp_path))
    doc = _json(r)
    assert r.exit_code == 1
    uit = tmp_path / "uit"
    assert "9019" in _codes(uit / "JW306_439_S7.xml")
    assert "9326" in _codes(uit / "JW306_439_S8.xml")
    assert "9069" in _codes(uit / "JW308_441_E9.xml")
    assert {f["rule"] for f in doc["findings"]} == {"TR019", "TR326", "TR382"}
    # Without the register the same messages are fine inside themselves.
    r = runner.invoke(app, ["retour", str(inbox), "-o", str(tmp_path / "uit2"),
                            "--zonder-register", "--today", "2026-12-31"], env=_env(tmp_path))
    assert r.exit_code == 0, r.stdout


# --- verwerk --------------------------------------------------------------------------
def _verwerk(tmp_path: Path, *extra: str) -> tuple[int, dict]:
    r = runner.invoke(app, ["verwerk", str(tmp_path / "inbox"), "-o", str(tmp_path / "uit"),
                            "--config", str(tmp_path / "ijwcli.toml"), "--today", "2026-12-31",
                            "-f", "json", *extra], env=_env(tmp_path))
    return r.exit_code, _json(r)


def test_verwerk_answers_each_message_once_and_archives_it(tmp_path, register_db):
    _toml(tmp_path, db=register_db)
    _register(register_db, T)
    inbox = tmp_path / "inbox"
    _bestand(inbox, "1.xml", b.jw305(b.levering("700001"), ident="S1"))       # fine
    _bestand(inbox, "2.xml", b.jw305(b.levering("700001"), ident="S2"))       # the same start
    _bestand(inbox / "sub", "3.xml", b"<kapot")                                # no message
    _bestand(inbox, "4.xml", b.jw305(b.levering("700099"), ident="S4"))       # no toewijzing
    _bestand(inbox, "5.xml", b.jw323(b.prestatie("P1"), nummer="DEC1"))       # a declaratie
    code, doc = _verwerk(tmp_path, "--archief", str(tmp_path / "archief"), "--overzicht",
                         str(tmp_path / "verslag.xlsx"))
    assert code == 1
    per = {Path(u["file"]).name: u for u in doc["results"]}
    assert per["1.xml"]["status"] == "beantwoord" and per["1.xml"]["retourcodes"] == ["0200"]
    assert per["2.xml"]["status"] == "beantwoord" and "9074" in per["2.xml"]["retourcodes"]
    assert per["4.xml"]["retourcodes"] == ["0200", "9019"]
    assert per["3.xml"]["status"] == "geweigerd" and per["3.xml"]["archief"] is None
    assert per["5.xml"]["bericht"] == "JW323"
    assert (tmp_path / "inbox" / "sub" / "3.xml").exists()       # stays for a person
    assert sorted(p.name for p in (tmp_path / "archief").rglob("*.xml")) == [
        "1.xml", "2.xml", "4.xml", "5.xml"]
    assert sorted(p.name for p in (tmp_path / "uit").iterdir())[:3] == [
        "JW306_439_S1.xml", "JW306_439_S2.xml", "JW306_439_S4.xml"]
    assert doc["summary"]["geweigerd"] == 1 and doc["summary"]["berichten"] == 5
    assert str(tmp_path / "verslag.xlsx") in {f["path"] for f in doc["files"]}
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "verslag.xlsx")
    assert wb["Verwerkt"].max_row == 6 and wb["Bevindingen"]["B2"].value
    # The verdict is recorded: the refused second start changed no state, and its
    # retourbericht is in the register.
    with open_register(register_db, GEMEENTE) as reg:
        rijen = {r["identificatie"]: r for r in reg.lijst()}
        assert rijen["S1"]["status"] == "Goedgekeurd" and rijen["S2"]["geldig"] is False
        assert rijen["S4"]["status"] == "Ongeldig"
    # Again, with the files back in the inbox: nothing is answered twice.
    for p in (tmp_path / "archief").rglob("*.xml"):
        p.rename(inbox / p.name)
    voor = {p.name: p.read_bytes() for p in (tmp_path / "uit").iterdir()}
    code, doc = _verwerk(tmp_path, "--overzicht", str(tmp_path / "verslag.xlsx"), "--force")
    assert {u["status"] for u in doc["results"] if u["bericht"] == "JW305"} == {"al beantwoord"}
    assert {p.name: p.read_bytes() for p in (tmp_path / "uit").iterdir()} == voor
    with open_register(register_db, GEMEENTE) as reg:
        assert len(reg.lijst(bericht="JW306")) == 3


def test_verwerk_needs_role_code_and_a_free_lock(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "ijwcli.toml").write_text('rol = "gemeente"\n')
    code, doc = _verwerk(tmp_path)
    assert code == 2 and "code" in doc["findings"][0]["message"]
    _toml(tmp_path, db=str(tmp_path / "reg.db"))
    from ijwcli import verwerk as vw

    with vw.vergrendel(tmp_path / "inbox"):
        code, doc = _verwerk(tmp_path)
    assert code == 2 and "slot bezet" in doc["findings"][0]["message"]
    code, doc = _verwerk(tmp_path)
    assert code == 0 and doc["results"] == []
    code, doc = _verwerk(tmp_path, "--overzicht", str(tmp_path / "x.csv"))
    assert code == 2


def _inbox_van(tmp_path: Path, n: int) -> list[str]:
    inbox = tmp_path / "inbox"
    idents = []
    for i in range(n):
        ident = f"V{i:04d}"
        _bestand(inbox, f"{ident}.xml", b.jw315(b.aangevraagd(f"R{i}"), bsn=bsn(i), ident=ident))
        idents.append(ident)
    return idents


def _antwoorden(db: str) -> dict[str, int]:
    with open_register(db, GEMEENTE) as reg:
        uit: dict[str, int] = {}
        for r in reg.lijst(bericht="JW316"):
            heen = etree.fromstring(reg.inhoud(r["id"])).find(
                "{*}Header/{*}BerichtIdentificatie/{*}Identificatie").text
            uit[heen] = uit.get(heen, 0) + 1
        return uit


@pytest.mark.parametrize("sein", [signal.SIGKILL, signal.SIGINT])
def test_verwerk_interrupted_and_rerun_answers_every_message_exactly_once(tmp_path, sein):
    db = str(tmp_path / "reg.db")
    _toml(tmp_path, db=db)
    idents = _inbox_van(tmp_path, 60)
    uit = tmp_path / "uit"
    cmd = [sys.executable, "-m", "ijwcli", "verwerk", str(tmp_path / "inbox"), "-o", str(uit),
           "--archief", str(tmp_path / "archief"), "--config", str(tmp_path / "ijwcli.toml"),
           "--today", "2026-01-31", "-q"]
    env = {**os.environ, **_env(tmp_path)}
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    eind = time.monotonic() + 60
    while time.monotonic() < eind and p.poll() is None:
        if uit.is_dir() and len(list(uit.iterdir())) >= 5:
            break
        time.sleep(0.005)
    p.send_signal(sein)
    _, fout = p.communicate(timeout=60)
    assert p.returncode != 0, "de run was al klaar: niets onderbroken"
    if sein == signal.SIGINT:
        assert p.returncode == 130 and b"afgebroken" in fout
    gedaan = len(_antwoorden(db))
    assert 0 < gedaan < 60
    r = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    antwoorden = _antwoorden(db)
    assert antwoorden == dict.fromkeys(idents, 1)            # each exactly once, none lost
    assert sorted(p.name for p in uit.iterdir()) == [f"JW316_447_{i}.xml" for i in idents]
    assert not list((tmp_path / "inbox").glob("*.xml"))
    assert len(list((tmp_path / "archief").glob("*.xml"))) == 60


def test_readme_working_day_runs_as_written(tmp_path, monkeypatch):
    """The README's two blocks (the gemeente's day, the aanbieder's check), line by line, with
    the exit code each line states: ijwcli in-process, the shell lines in bash."""
    import shlex
    import shutil

    root = Path(__file__).resolve().parent.parent
    tekst = (root / "README.md").read_text("utf-8")
    sectie = tekst.split("## A working day: verwerk", 1)[1].split("\n## ", 1)[0]
    blokken = [d.split("```", 1)[0] for d in sectie.split("```sh\n")[1:]]
    assert len(blokken) == 2
    shutil.copytree(root / "samples", tmp_path / "samples")
    for k, v in _env(tmp_path).items():
        monkeypatch.setenv(k, v)
    gedraaid = 0
    for blok in blokken:
        hier = tmp_path           # from the project's root, as the README is read
        for regel in blok.splitlines():
            opdracht = regel.split("  #", 1)[0].strip()
            if not opdracht:
                continue
            if opdracht.startswith("ijwcli "):
                monkeypatch.chdir(hier)
                r = runner.invoke(app, shlex.split(opdracht)[1:], env={"COLUMNS": "120"})
                verwacht = 1 if "# exit 1" in regel else 0
                assert r.exit_code == verwacht, (regel, r.output)
                gedraaid += 1
                continue
            opdracht, _, naar = opdracht.partition(" && cd ")
            subprocess.run(["bash", "-c", opdracht], cwd=hier, check=True)
            hier = hier / naar if naar else hier
    assert gedraaid == 8
    # The day's answers are there to send, and the second start was refused with 9074.
    verzonden = tmp_path / "dag" / "verzending"
    assert sorted(p.name[:9] for p in verzonden.iterdir()) == ["JW306_439", "JW306_439",
                                                               "JW325_491"]
    assert "9074" in _codes(verzonden / "JW306_439_S2026031002.xml")
