"""``ijwcli generate jw325`` and ``generate jw319`` on the command line: JSON against the
published schema, the answer recorded so a second run exits 1 and writes nothing, stdout,
the tariff list from the option and from ijwcli.toml, and the help examples as written."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from ijwcli.cli import app, uitvoer
from tests import bouw as b
from tests.conftest import IJW, SAMPLES, SHARED
from tests.test_generate_cli import _voorbeelden

runner = CliRunner()
JW323 = SAMPLES / "jw323_declaratie.xml"
JW301 = SAMPLES / "jw301_toewijzing.xml"
GESCHREVEN: list[Path] = []


@pytest.fixture(scope="module")
def verzameld(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests of this module keep a copy of every JW319/JW325 they had written."""
    return tmp_path_factory.mktemp("antwoorden")


@pytest.fixture
def werk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "ijwcli.toml").write_text('rol = "gemeente"\ncode = "0855"\n', "utf-8")
    monkeypatch.setenv("IJWCLI_CONFIG", str(tmp_path / "ijwcli.toml"))
    monkeypatch.delenv("IJWCLI_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: object) -> tuple[int, dict]:
    r = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in r.output, r.output
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, uitvoer.schema(doc["command"]))
    assert doc["exit_code"] == r.exit_code
    GESCHREVEN.extend(Path(f["path"]) for f in doc["files"])
    return r.exit_code, doc


def _bewaar(paden: list[Path], naar: Path) -> None:
    naar.mkdir(exist_ok=True)
    for p in paden:
        shutil.copy(p, naar / f"{len(list(naar.iterdir())):03d}_{p.name}")


def test_jw325_json_en_tweede_keer_al_beantwoord(verzameld: Path, werk: Path) -> None:
    assert runner.invoke(app, ["register", "add", str(JW301), "--db", "r.db", "--today",
                               "2026-04-08"]).exit_code == 0
    code, doc = run("generate", "jw325", "--from", JW323, "--db", "r.db", "-o", "uit",
                    "--today", "2026-04-08", "-f", "json")
    assert code == 0 and doc["results"][0]["status"] == "goedgekeurd"
    assert doc["summary"]["toegekend"] == doc["summary"]["ingediend"] == 58000
    [f] = doc["files"]
    assert f["bericht"] == "JW325" and Path(f["path"]).parent.name == "uit"
    _bewaar([Path(f["path"])], verzameld)
    code, doc = run("generate", "jw325", "--from", JW323, "--db", "r.db", "-o", "uit2",
                    "--today", "2026-04-09", "-f", "json")
    assert code == 1 and doc["files"] == [] and not (werk / "uit2").exists()
    assert "al beantwoord" in doc["findings"][0]["message"]
    r = runner.invoke(app, ["generate", "jw325", "--from", str(JW323), "--db", "r.db"])
    assert r.exit_code == 1 and "al beantwoord" in r.stderr


def test_jw325_afwijzing_naar_stdout_en_vastgelegd(verzameld: Path, werk: Path) -> None:
    r = runner.invoke(app, ["generate", "jw325", "--from", str(JW323), "--db", "r.db", "-o",
                            "-", "--today", "2026-04-08"])
    assert r.exit_code == 0 and r.stdout.startswith("<?xml")
    assert "<jw325:RetourCode>9338</jw325:RetourCode>" in r.stdout
    (werk / "stdout.xml").write_bytes(r.stdout_bytes)
    _bewaar([werk / "stdout.xml"], verzameld)
    r = runner.invoke(app, ["register", "list", "--db", "r.db", "-f", "json"])
    assert [x["bericht"] for x in json.loads(r.stdout)["results"]] == ["JW323", "JW325"]


def test_jw325_tarieven_uit_optie_en_config(verzameld: Path, werk: Path) -> None:
    (werk / "tarieven.csv").write_text("productcode,tarief\n45A05,7000\n", "utf-8")
    runner.invoke(app, ["register", "add", str(JW301), "--db", "a.db", "--today", "2026-04-08"])
    code, doc = run("generate", "jw325", "--from", JW323, "--db", "a.db", "--tarieven",
                    "tarieven.csv", "--today", "2026-04-08", "-f", "json")
    assert code == 0 and doc["results"][0]["afgewezen_prestaties"][0]["retourcodes"] == ["0611"]
    (werk / "ijwcli.toml").write_text('rol = "gemeente"\ncode = "0855"\n'
                                      'tarieven = "tarieven.csv"\n', "utf-8")
    runner.invoke(app, ["register", "add", str(JW301), "--db", "b.db", "--today", "2026-04-08"])
    code, doc = run("generate", "jw325", "--from", JW323, "--db", "b.db", "-o", "b",
                    "--today", "2026-04-08", "-f", "json")
    assert doc["results"][0]["retourcodes"] == [] and doc["summary"]["afgewezen"] == 1


def test_jw319_json_en_de_regels_van_het_verkeer(verzameld: Path, werk: Path) -> None:
    (werk / "jw315.xml").write_bytes(b.jw315(b.aangevraagd("R1")))
    code, doc = run("generate", "jw319", "--from", "jw315.xml", "--antwoord", "in-onderzoek",
                    "--db", "r.db", "-o", "uit", "--today", "2026-01-10", "-f", "json")
    assert code == 0 and doc["results"][0]["antwoord"] == "in onderzoek"
    code, doc = run("generate", "jw319", "--from", "jw315.xml", "--antwoord", "in-onderzoek",
                    "--db", "r.db", "-o", "uit", "--today", "2026-01-11", "-f", "json")
    assert code == 1 and "TR360" in doc["findings"][0]["message"]
    code, doc = run("generate", "jw319", "--from", "jw315.xml", "--antwoord", "afgewezen",
                    "--reden", "8", "--woonplaatsbeginsel", "0363", "--db", "r.db", "-o", "uit",
                    "--today", "2026-01-12", "-f", "json")
    assert code == 0 and doc["results"][0]["woonplaatsbeginsel"] == "0363"
    code, doc = run("generate", "jw319", "--from", "jw315.xml", "--antwoord", "afgewezen",
                    "--reden", "4", "--db", "r.db", "--today", "2026-01-13", "-f", "json")
    assert code == 1 and "TR365" in doc["findings"][0]["message"]
    code, doc = run("generate", "jw319", "--from", "jw315.xml", "--antwoord", "afgewezen",
                    "--db", "r.db", "-f", "json")
    assert code == 2 and doc["findings"][0]["rule"] == "GEBRUIK"
    _bewaar(sorted((werk / "uit").glob("*.xml")), verzameld)


@pytest.mark.parametrize("sub, bron", [("jw325", "jw323_declaratie.xml"),
                                       ("jw319", "jw315_verzoek_om_toewijzing.xml")])
def test_help_examples_run_as_written(verzameld: Path, werk: Path, sub: str, bron: str) -> None:
    naam = {"jw325": "jw323.xml", "jw319": "jw315.xml"}[sub]
    shutil.copy(SAMPLES / bron, werk / naam)
    r = runner.invoke(app, ["generate", sub, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "Example" in r.stdout
    commandos = _voorbeelden(r.stdout)
    assert commandos and all(c.startswith(f"ijwcli generate {sub} ") for c in commandos)
    for c in commandos:
        r = runner.invoke(app, [*shlex.split(c)[1:], "--today", "2026-04-08"])
        assert r.exit_code == 0, (c, r.output)
    _bewaar(sorted((werk / "uitbox").glob("*.xml")), verzameld)


def test_readme_sectie_werkt_zoals_geschreven(verzameld: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's block for these commands, line by line: exit 1 where it says so."""
    import re

    tekst = (SAMPLES.parent / "README.md").read_text("utf-8")
    blok = tekst.split("## generate jw325, jw319", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    regels = blok.replace("\\\n", " ").splitlines()
    shutil.copytree(SAMPLES, tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IJWCLI_CONFIG", raising=False)
    monkeypatch.delenv("IJWCLI_DB", raising=False)
    gedraaid = 0
    for regel in regels:
        if regel.startswith("printf "):
            subprocess.run(regel, shell=True, check=True)
        elif regel.startswith("ijwcli "):
            verwacht = 1 if re.search(r"#\s*exit 1", regel) else 0
            r = runner.invoke(app, shlex.split(regel, comments=True)[1:])
            assert r.exit_code == verwacht, (regel, r.output)
            gedraaid += 1
    assert gedraaid >= 9
    _bewaar(sorted((tmp_path / "uitbox").glob("*.xml")), verzameld)


# --- the oracle -------------------------------------------------------------------------------
def test_alles_wat_de_cli_schreef_door_de_referentie_xsd_en_xslt(verzameld: Path) -> None:
    """Runs last in this module: every JW319/JW325 written above, through ../shared's tools."""
    tools = [SHARED / "tools" / "ijw-xsd-check", SHARED / "tools" / "ijw-xslt-check"]
    if not (all(t.exists() for t in tools) and (IJW / "xsd").is_dir()):
        pytest.skip("../shared/tools (ijw-xsd-check, ijw-xslt-check) is not beside the checkout")
    if len(list(verzameld.glob("*.xml"))) < 5:
        pytest.skip("the files come from the tests above; run the whole module")
    for tool in tools:
        r = subprocess.run([sys.executable, str(tool), str(verzameld)], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
