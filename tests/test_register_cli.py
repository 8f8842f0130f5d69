"""``ijwcli register …`` and ``ijwcli config show``: the walk-through, JSON shapes, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ijwcli.cli import app
from tests.registerhulp import bericht
from tests.test_uitvoer import check

from .conftest import SAMPLES

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def run(*args, env: dict[str, str] | None = None):
    r = runner.invoke(app, [str(a) for a in args], env=env)
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    return r


def jrun(*args, env: dict[str, str] | None = None) -> dict:
    r = run(*args, "--format", "json", env=env)
    doc = json.loads(r.stdout)
    assert doc["exit_code"] == r.exit_code
    return check(doc)


def test_walk_through(register_db, tmp_path):
    db = ["--db", register_db]
    cfg = tmp_path / "ijwcli.toml"
    cfg.write_text('rol = "gemeente"\ncode = "0855"\n')
    env = {"IJWCLI_CONFIG": str(cfg)}
    doc = jrun("register", "add", SAMPLES, *db, env=env)
    assert doc["summary"] == {"berichten": 14, "nieuw": 14, "al_bekend": 0, "geweigerd": 0,
                              "ongeldig": 0}
    assert {r["richting"] for r in doc["results"]} == {"in", "uit"}
    again = run("register", "add", SAMPLES, *db, env=env)
    assert again.exit_code == 0 and "14 al bekend" in again.stdout

    lijst = jrun("register", "list", "--bsn", "999900018", "--mask-bsn", *db)
    assert lijst["summary"]["berichten"] == 11
    assert {b for r in lijst["results"] for b in r["bsn"]} == {"******018"}
    assert "999900018" not in json.dumps(lijst)
    jw301 = jrun("register", "list", "--bericht", "JW301", *db)["results"]
    assert [(r["identificatie"], r["status"]) for r in jw301] == [("T2026030201", "Goedgekeurd")]
    tekst = run("register", "list", "--status", "Afgewezen", *db)
    assert tekst.exit_code == 0 and "JW317" in tekst.stdout

    client = jrun("register", "client", "999900018", *db)["results"][0]
    assert client["toewijzingen"][0]["zorg"] == "gestopt"
    tekst = run("register", "client", "999900018", "--mask-bsn", *db)
    assert tekst.exit_code == 0 and "Toewijzing 700001" in tekst.stdout
    assert "999900018" not in tekst.stdout

    toon = jrun("register", "toon", "T2026030201", "--xml", *db)["results"][0]
    assert toon["bericht"] == "JW301" and "JW302" in {k["bericht"] for k in toon["keten"]}
    assert toon["xml"].startswith("<?xml")

    uit = tmp_path / "uit"
    exp = jrun("register", "export", "--bsn", "999900018", "-o", uit, *db)
    assert exp["summary"] == {"berichten": 11, "geschreven": 11}
    assert (uit / "JW301_T2026030201.xml").read_bytes() == (
        SAMPLES / "jw301_toewijzing.xml").read_bytes()
    assert run("register", "export", "--bsn", "999900018", "-o", uit, *db).exit_code == 2
    wb = tmp_path / "overzicht.xlsx"
    assert jrun("register", "export", "--bericht", "JW301", "-o", wb, *db)["files"]
    assert wb.stat().st_size > 0

    from ijwcli.register.schema import VERSIE

    info = jrun("register", "info", *db)
    assert info["summary"]["berichten"] == 14 and info["summary"]["schema_versie"] == VERSIE


def test_add_exit_codes_invalid_and_refused(register_db, tmp_path):
    db = ["--db", register_db]
    (tmp_path / "a.xml").write_bytes(bericht("JW301", "T1"))
    (tmp_path / "b.xml").write_bytes(b"\xef\xbb\xbf<x/>")
    doc = jrun("register", "add", tmp_path / "a.xml", tmp_path / "b.xml", "--richting", "uit",
               *db)
    assert doc["exit_code"] == 1 and doc["summary"]["ongeldig"] == 1
    assert doc["findings"][0]["rule"] == "OP192"
    (tmp_path / "c.xml").write_bytes(bericht("JW301", "T1", nummer="700002"))
    doc = jrun("register", "add", tmp_path / "c.xml", *db)
    assert doc["exit_code"] == 1 and doc["summary"]["geweigerd"] == 1
    assert doc["findings"][0]["rule"] == "TR056"
    assert run("register", "add", tmp_path / "a.xml", "--richting", "op", *db).exit_code == 2
    assert run("register", "add", tmp_path / "nergens.xml", *db).exit_code == 2


def test_client_and_toon_show_answers_per_prestatie_and_links(register_db, tmp_path):
    from tests.registerhulp import bsn, declaratie, declaratie_antwoord, toewijzing

    db = ["--db", register_db]
    b = bsn(9)
    p1 = {"ref": "P1", "nummer": "800001", "begin": "2026-03-01", "eind": "2026-03-31",
          "volume": 21}
    p2 = {**p1, "ref": "P2", "nummer": "800002", "volume": 2}
    berichten = [toewijzing("T1", bsn_=b, nummer="800001", volume=4, frequentie="2",
                            einde="2026-12-31"),
                 toewijzing("T2", bsn_=b, nummer="800002"),
                 declaratie("D1", bsn_=b, prestaties=[p1, p2], nummer="N1"),
                 declaratie_antwoord("A1", heen="D1", nummer="N1", bsn_=b, ingediend=[p1, p2],
                                     afgewezen=[(p2, ["0611"])])]
    for i, data in enumerate(berichten):
        (tmp_path / f"{i}.xml").write_bytes(data)
    assert run("register", "add", tmp_path, "--richting", "in", "--today", "2026-12-01",
               *db).exit_code == 0
    doc = jrun("register", "client", b, *db)
    t = {x["toewijzingnummer"]: x for x in doc["results"][0]["toewijzingen"]}
    assert t["800001"]["boven_omvang"] == ["2026-03"]
    assert t["800001"]["gedeclareerd"][0]["toegestaan_volume"] == 20
    assert t["800002"]["prestaties"][0]["retourcodes"] == ["0611"]
    tekst = " ".join(run("register", "client", b, *db).stdout.split())  # as wrapped
    assert "van toegestaan 20" in tekst and "(boven de omvang)" in tekst
    assert "afgewezen (0611 Het ingediende tarief" in tekst
    toon = jrun("register", "toon", "D1", *db)["results"][0]
    assert {k["relatie"] for k in toon["koppelingen"]} == {"toewijzing", "beantwoord door"}
    tekst = " ".join(run("register", "toon", "D1", *db).stdout.split())
    assert "beantwoord door D1 → JW325 A1" in tekst and "1 toegekend, 1 afgewezen" in tekst


def test_db_location_order_and_masked_password(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ijwcli.toml").write_text('db = "uit-config.db"\n')
    info = jrun("register", "info", env={"IJWCLI_DB": ""})["results"][0]
    assert info["locatie"].endswith("uit-config.db") and info["bron"].endswith("ijwcli.toml")
    info = jrun("register", "info", env={"IJWCLI_DB": str(tmp_path / "env.db")})["results"][0]
    assert info["bron"] == "IJWCLI_DB"
    info = jrun("register", "info", "--db", tmp_path / "optie.db",
                env={"IJWCLI_DB": str(tmp_path / "env.db")})["results"][0]
    assert info["bron"] == "--db"
    show = jrun("config", "show", env={"IJWCLI_DB": "postgresql://ijw:geheim@127.0.0.1:1/x"})
    assert "geheim" not in json.dumps(show)
    reg = {r["sleutel"]: r for r in show["results"]}["register"]
    assert reg["bron"] == "IJWCLI_DB" and "***" in reg["waarde"]


def test_config_show_and_bad_file(tmp_path):
    cfg = tmp_path / "ijwcli.toml"
    cfg.write_text('rol = "aanbieder"\ncode = "12345678"\nregio = "flevoland"\n')
    doc = jrun("config", "show", "--config", cfg)
    waarden = {r["sleutel"]: (r["waarde"], r["bron"]) for r in doc["results"]}
    assert waarden["rol"] == ("aanbieder", str(cfg)) and waarden["sjabloon"] == (None,
                                                                                "standaard")
    cfg.write_text('rol = "aanbieder"\n\ncode = "0855"\n')
    r = run("config", "show", "--config", cfg)
    assert r.exit_code == 2 and "regel 3" in r.stderr and "AGB-code" in r.stderr
    cfg.write_text('rol = "gemeente"\nregoi = "x"\n')
    r = run("config", "show", "--config", cfg)
    assert r.exit_code == 2 and "regel 2" in r.stderr and "regio?" in r.stderr
    cfg.write_text('rol = gemeente\n')
    r = run("config", "show", "--config", cfg)
    assert r.exit_code == 2 and "regel 1" in r.stderr
    r = run("config", "show", "--config", tmp_path / "weg.toml")
    assert r.exit_code == 2 and "bestaat niet" in r.stderr


def test_validate_does_not_import_the_register_libraries(tmp_path):
    code = ("import sys; sys.argv = ['ijwcli', 'validate', sys.argv[1]]\n"
            "from ijwcli.cli import app\n"
            "try:\n    app(prog_name='ijwcli')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'psycopg', 'platformdirs') or m.startswith('ijwcli.register')))")
    r = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "jw301_toewijzing.xml")],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout + r.stderr
