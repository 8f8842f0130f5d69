"""The register's library: open and migrate, import, the chains, the counter; both backends."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ijwcli.config import Config
from ijwcli.register import open_register
from tests.registerhulp import bericht, bsn

GEMEENTE = Config(rol="gemeente", code="0855")
AANBIEDER = Config(rol="aanbieder", code="12345678")
ROOT = Path(__file__).resolve().parent.parent


def test_open_creates_schema_and_reopens(register_db):
    with open_register(register_db, GEMEENTE) as reg:
        assert reg.schema_was == 0
    with open_register(register_db, GEMEENTE) as reg:
        from ijwcli.register.schema import VERSIE

        assert reg.schema_was == VERSIE


def test_sqlite_file_is_private(tmp_path):
    pad = tmp_path / "sub" / "reg.db"
    open_register(str(pad), GEMEENTE).close()
    assert stat.S_IMODE(pad.stat().st_mode) == 0o600
    import sqlite3

    assert sqlite3.connect(pad).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _schrijf_als_oud(conn, data: bytes, richting: str) -> None:
    """Write a message with the columns the register on ``conn`` has, as the ijwcli of that
    schema version did (no column a later version added)."""
    import datetime as dt
    import hashlib

    from sqlalchemy import inspect

    from ijwcli.bericht import read_tree
    from ijwcli.register import schema as s
    from ijwcli.register.feiten import feiten, oordeel
    from ijwcli.register.importeren import _regelrij, uniek_van

    kolommen = {t: {c["name"] for c in inspect(conn).get_columns(t)} for t in ("bericht", "regel")}
    f = feiten(read_tree(data))
    rij = dict(hash=hashlib.sha256(data).hexdigest(), uniek=uniek_van(f), code=f.code,
               identificatie=f.identificatie, afzender=f.afzender, ontvanger=f.ontvanger,
               dagtekening=f.dagtekening, heen_identificatie=f.heen_identificatie,
               richting=richting, geldig=True, bevindingen="[]", bron="oud.xml",
               geimporteerd=dt.datetime.now(dt.UTC), inhoud=data, oordeel=oordeel(f))
    nieuw = conn.execute(s.bericht.insert().values(
        **{k: v for k, v in rij.items() if k in kolommen["bericht"]}
    ).returning(s.bericht.c.id)).scalar_one()
    conn.execute(s.sleutel.insert(), [{"bericht_id": nieuw, "soort": so, "waarde": w}
                                      for so, w in f.sleutels])
    if f.regels:
        conn.execute(s.regel.insert(), [
            {"bericht_id": nieuw, **{k: v for k, v in _regelrij(r).items()
                                     if k in kolommen["regel"]}} for r in f.regels])


def test_previous_schema_version_is_migrated_with_data_intact(register_db):
    from sqlalchemy import inspect, select

    from ijwcli.register import schema as s
    from ijwcli.register.verbinding import maak_engine

    # A register as schema version 1 left it (no counter, no answer links, no oordeel),
    # with a toewijzing and its retourbericht in it.
    engine = maak_engine(register_db)
    with engine.begin() as conn:
        s.migreer(conn, tot=1)
        _schrijf_als_oud(conn, bericht("JW301", "OUD1"), "uit")
        _schrijf_als_oud(conn, bericht("JW302", "ROUD1", heen="OUD1",
                                      vervang={"0200": "0611"}), "in")
    with engine.connect() as conn:
        assert conn.execute(select(s.schema_versie.c.versie)).scalar_one() == 1
        assert not inspect(conn).has_table("teller")
        assert "oordeel" not in {c["name"] for c in inspect(conn).get_columns("bericht")}
    engine.dispose()
    with open_register(register_db, GEMEENTE) as reg:
        assert reg.schema_was == 1
        assert reg.toewijzing("700001").identificatie == "OUD1"
        assert reg.add(bericht("JW301", "OUD1"))[0].status == "al bekend"
        assert reg.volgend_toewijzingnummer("0855") == 700002
        with reg.engine.connect() as conn:
            assert conn.execute(select(s.bericht.c.code, s.bericht.c.oordeel)
                                .order_by(s.bericht.c.id)).all() == [
                ("JW301", None), ("JW302", "afgekeurd")]


def test_register_of_version_4_gains_the_retourcodes_of_its_answers(register_db):
    """Version 4 kept no RetourCodes per JW325 prestatie: version 5 reads them from the
    answers already in the register; nothing else changes."""
    from sqlalchemy import func, inspect, select

    from ijwcli.register import schema as s
    from ijwcli.register.verbinding import maak_engine
    from tests.registerhulp import declaratie, declaratie_antwoord, toewijzing

    b = bsn(3)
    p1 = {"ref": "P1", "nummer": "800001", "begin": "2026-03-01", "eind": "2026-03-31",
          "volume": 8}
    p2 = {**p1, "ref": "P2", "nummer": "800002", "volume": 2}
    berichten = [toewijzing("T1", bsn_=b, nummer="800001"),
                 toewijzing("T2", bsn_=b, nummer="800002"),
                 declaratie("D1", bsn_=b, prestaties=[p1, p2], nummer="N1"),
                 declaratie_antwoord("A1", heen="D1", nummer="N1", bsn_=b, ingediend=[p1, p2],
                                     afgewezen=[(p2, ["0611"])])]
    engine = maak_engine(register_db)
    with engine.begin() as conn:
        s.migreer(conn, tot=4)
        for data in berichten:
            _schrijf_als_oud(conn, data, "in")
    with engine.connect() as conn:
        assert "retourcodes" not in {c["name"] for c in inspect(conn).get_columns("regel")}
        voor = [tuple(r) for r in conn.execute(select(
            s.bericht.c.id, s.bericht.c.code, s.bericht.c.identificatie, s.bericht.c.hash)
            .order_by(s.bericht.c.id))]
        regels_voor = conn.execute(select(func.count()).select_from(s.regel)).scalar_one()
    engine.dispose()
    with open_register(register_db, GEMEENTE) as reg:
        assert reg.schema_was == 4
        with reg.engine.connect() as conn:
            assert [tuple(r) for r in conn.execute(select(
                s.bericht.c.id, s.bericht.c.code, s.bericht.c.identificatie, s.bericht.c.hash)
                .order_by(s.bericht.c.id))] == voor
            assert conn.execute(select(func.count()).select_from(s.regel)).scalar_one() == \
                regels_voor
        ts = {t["toewijzingnummer"]: t for t in reg.client(b)["toewijzingen"]}
        assert [(p["referentie"], p["status"], p["retourcodes"]) for n in ("800001", "800002")
                for p in ts[n]["prestaties"]] == [("P1", "toegekend", []),
                                                   ("P2", "afgewezen", ["0611"])]
        assert reg.toon("A1")["retourcodes"] == ["0200", "0200"]
        assert reg.toon("T1")["regels"][0]["volume"] == 100


def test_add_is_idempotent_and_refuses_other_content_with_same_identity(register_db):
    with open_register(register_db, GEMEENTE) as reg:
        eerste = reg.add(bericht("JW301", "T1"))
        assert [(r.status, r.richting, r.geldig) for r in eerste] == [("nieuw", "uit", True)]
        assert reg.add(bericht("JW301", "T1"))[0].status == "al bekend"
        ander = reg.add(bericht("JW301", "T1", nummer="700002"))[0]
        assert ander.status == "geweigerd" and ander.reden.startswith("TR056")
        assert [e.identificatie for e in reg.toewijzing_historie("700001")] == ["T1"]
        assert reg.toewijzing("700002") is None


def test_direction_from_own_code_retour_is_sent_by_the_receiver(register_db):
    with open_register(register_db, AANBIEDER) as reg:
        r = reg.add([bericht("JW301"), bericht("JW302"), bericht("JW305")])
        assert [(x.code, x.richting) for x in r] == [("JW301", "in"), ("JW302", "uit"),
                                                      ("JW305", "uit")]
        assert reg.add(bericht("JW315"), richting="in")[0].richting == "in"


def test_invalid_message_is_stored_with_findings_and_changes_no_state(register_db):
    kapot = bericht("JW301", "T9", vervang={"2027-02-28": "2025-02-28"})
    with open_register(register_db, GEMEENTE) as reg:
        r = reg.add(kapot)[0]
        assert r.status == "nieuw" and not r.geldig and r.bevindingen
        assert reg.toewijzing("700001") is None
        niet_xml = reg.add(b"dit is geen xml")[0]
        assert niet_xml.status == "nieuw" and not niet_xml.geldig
        assert niet_xml.bevindingen[0]["rule"] == "XSD"


def test_folder_with_a_bad_file_does_not_stop(register_db, tmp_path):
    map_ = tmp_path / "in"
    map_.mkdir()
    for i in range(5):
        (map_ / f"m{i}.xml").write_bytes(bericht("JW301", f"T{i}", nummer=str(700010 + i)))
    (map_ / "m2.xml").write_bytes(b"\xef\xbb\xbf<kapot")
    with open_register(register_db, GEMEENTE) as reg:
        r = reg.add(map_)
        assert [x.status for x in r] == ["nieuw"] * 5
        assert [x.geldig for x in r] == [True, True, False, True, True]
        assert r[2].bevindingen[0]["rule"] == "OP192"


def test_historie_links_by_keys_and_only_what_came_before(register_db):
    from ijwcli.bericht import read_tree

    b1, b2 = bsn(1), bsn(2)
    with open_register(register_db, GEMEENTE) as reg:
        reg.add([bericht("JW315", "V1", bsn_=b1, referentie="REF1"),
                 bericht("JW301", "T1", bsn_=b1, nummer="800001", referentie="REF1"),
                 bericht("JW301", "T2", bsn_=b2, nummer="800002", referentie="REF2")])
        start = bericht("JW305", "S1", bsn_=b1, nummer="800001")
        assert [e.identificatie for e in reg.historie(read_tree(start))] == ["V1", "T1"]
        reg.add(start)
        reg.add(bericht("JW307", "E1", bsn_=b1, nummer="800001"))
        # Judged as it was before: the stored start does not see the later stop, nor itself.
        assert [e.identificatie for e in reg.historie(start)] == ["V1", "T1"]
        e = reg.historie(bericht("JW306", "RS1", heen="S1", bsn_=b1, nummer="800001"))
        assert [x.code for x in e] == ["JW315", "JW301", "JW305", "JW307"]
        assert e[1].sleutel and e[1].tree.getroot() is not None and e[1].geldig
        # A JW325 finds its JW323 by DeclaratieIdentificatie.
        reg.add(bericht("JW323", "D1", bsn_=b2, nummer="800002"))
        antw = reg.historie(bericht("JW325", "DA1", heen="D1"))
        assert [x.identificatie for x in antw] == ["D1"]


def test_toewijzing_versions_latest_wins(register_db):
    with open_register(register_db, GEMEENTE) as reg:
        reg.add(bericht("JW301", "T1"))
        reg.add(bericht("JW301", "T2", vervang={"2026-03-02": "2026-09-05",
                                                "09:30:00": "10:00:00",
                                                "2027-02-28": "2027-07-31"}))
        assert [e.identificatie for e in reg.toewijzing_historie("700001")] == ["T1", "T2"]
        assert reg.toewijzing("700001").identificatie == "T2"
        assert reg.toewijzing("700001", gemeente="0363") is None
        assert reg.laatste_jw301("999900018").identificatie == "T2"


def test_counter_starts_above_known_numbers_and_never_repeats(register_db):
    with open_register(register_db, GEMEENTE) as reg:
        assert reg.volgend_toewijzingnummer("0363") == 1
        reg.add(bericht("JW301", "T1", nummer="800000"))
        assert reg.volgend_toewijzingnummer("0855") == 800001
        assert reg.volgend_toewijzingnummer("0855") == 800002
        reg.add(bericht("JW301", "T2", nummer="900000"))
        assert reg.volgend_toewijzingnummer("0855") == 900001
        assert reg.volgend_toewijzingnummer("0363") == 2


def _kind(register_db: str, code: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), register_db],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_counter_is_safe_for_two_processes(register_db):
    open_register(register_db, GEMEENTE).close()
    code = """
        import sys
        from ijwcli.register import open_register
        from ijwcli.config import Config
        reg = open_register(sys.argv[1], Config())
        print(" ".join(str(reg.volgend_toewijzingnummer("0855")) for _ in range(60)))
    """
    procs = [_kind(register_db, code) for _ in range(2)]
    uit = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    nummers = [int(n) for u in uit for n in u.split()]
    assert sorted(nummers) == list(range(1, 121))


def _wal_op_het_sein(db: str, sein, uit) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from ijwcli.register.verbinding import BUSY_MS, _naar_wal

    verbinding = sqlite3.connect(db, timeout=BUSY_MS / 1000, isolation_level=None)
    sein.wait()
    try:
        _naar_wal(verbinding.cursor())
        uit.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        uit.put(repr(exc))
    finally:
        verbinding.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork nodig")
def test_four_processes_turning_a_new_register_to_wal_at_once(tmp_path):
    # What every connection to a new register does first (maak_engine). Processes doing it
    # at the same moment: SQLite refused the losers at once with "database is locked" (four
    # at once, 18 of 100 rounds) until the change was tried again.
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    for ronde in range(25):
        db = tmp_path / f"r{ronde}.db"
        db.touch()
        sein, uit = ctx.Barrier(4), ctx.Queue()
        procs = [ctx.Process(target=_wal_op_het_sein, args=(str(db), sein, uit))
                 for _ in range(4)]
        for p in procs:
            p.start()
        uitkomsten = [uit.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=120)
        assert uitkomsten == ["ok"] * 4, (ronde, uitkomsten)


def test_two_imports_at_once_lose_and_double_nothing(register_db, tmp_path):
    from sqlalchemy import func, select

    from ijwcli.register import schema as s

    map_ = tmp_path / "in"
    map_.mkdir()
    for i in range(300):
        (map_ / f"m{i:03d}.xml").write_bytes(
            bericht("JW301", f"T{i}", bsn_=bsn(i), nummer=str(800000 + i)))
    open_register(register_db, GEMEENTE).close()
    code = """
        import sys
        from ijwcli.register import open_register
        from ijwcli.config import Config
        reg = open_register(sys.argv[1], Config(code="0855"))
        r = reg.add(sys.argv[2] if len(sys.argv) > 2 else "MAP")
        print(sum(x.status == "nieuw" for x in r))
    """.replace('"MAP"', repr(str(map_)))
    procs = [_kind(register_db, code) for _ in range(2)]
    uit = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), uit
    assert sum(int(u) for u in uit) == 300
    with open_register(register_db, GEMEENTE) as reg, reg.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.bericht)).scalar_one() == 300
        assert conn.execute(select(func.count()).select_from(s.regel)).scalar_one() == 300


def test_killed_import_leaves_whole_messages_and_rerun_completes(register_db, tmp_path):
    from sqlalchemy import func, select

    from ijwcli.register import schema as s

    map_ = tmp_path / "in"
    map_.mkdir()
    for i in range(1500):
        (map_ / f"m{i:04d}.xml").write_bytes(
            bericht("JW301", f"T{i}", bsn_=bsn(i), nummer=str(800000 + i)))
    open_register(register_db, GEMEENTE).close()
    code = f"""
        import sys
        from ijwcli.register import open_register
        from ijwcli.config import Config
        reg = open_register(sys.argv[1], Config(code="0855"))
        def voort(n, totaal):
            print(n, flush=True)
        reg.add({str(map_)!r}, voortgang=voort)
    """
    p = _kind(register_db, code)
    assert p.stdout is not None
    p.stdout.readline()          # one batch is in: kill it in the middle of the next ones
    p.kill()
    p.wait()

    def tellen() -> tuple[int, int, int]:
        with open_register(register_db, GEMEENTE) as reg, reg.engine.connect() as conn:
            return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                         for t in (s.bericht, s.regel, s.sleutel))  # type: ignore[return-value]

    b, r, k = tellen()
    assert 0 < b < 1500 and r == b and k == 4 * b  # whole messages only
    with open_register(register_db, GEMEENTE) as reg:
        statussen = [x.status for x in reg.add(map_)]
    assert statussen.count("al bekend") == b and statussen.count("nieuw") == 1500 - b
    assert tellen() == (1500, 1500, 6000)


def test_registreer_antwoord_links_the_answer(register_db):
    from sqlalchemy import select

    from ijwcli.register import schema as s

    with open_register(register_db, GEMEENTE) as reg:
        heen = reg.add(bericht("JW323", "D1"), richting="in")[0]
        antw = reg.registreer_antwoord(heen.sleutel, bericht("JW325", "DA1", heen="D1"))
        assert antw.status == "nieuw" and antw.richting == "uit"
        with reg.engine.connect() as conn:
            assert conn.execute(select(s.antwoord.c.heen_id, s.antwoord.c.antwoord_id)
                                ).all() == [(int(heen.sleutel), int(antw.sleutel))]


def test_postgres_url_password_is_masked():
    from ijwcli.register.verbinding import toon_url

    assert "geheim" not in toon_url("postgresql://a:geheim@h/db")
    from ijwcli.errors import UsageError

    with pytest.raises(UsageError, match="alleen SQLite en PostgreSQL"):
        open_register("mysql://a@h/db", GEMEENTE)
