"""A year of one client, month by month, between a gemeente and an aanbieder that each run
``verwerk`` on their own register: the one's outbox is the other's inbox. On SQLite and on
PostgreSQL.

verzoek (JW315) → toewijzing (JW301) → start (JW305) → twelve declaraties (JW323, one with a
credit) → a wijziging (JW317, new JW301) → a second start by mistake → stop (JW307) → a
declaratie after the end. The aanbieder checks each message against its register before it
sends it; the gemeente judges it again on arrival and answers every declaratie with its
JW325.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from ijwcli import verwerk as vw
from ijwcli.bericht import read_tree
from ijwcli.config import Config
from ijwcli.register import open_register
from tests import bouw as b
from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def twee_registers(request, tmp_path):
    """Two empty registers (gemeente, aanbieder) on one backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "gemeente.db"), str(tmp_path / "aanbieder.db")
        return
    import os
    import uuid

    basis = os.environ.get("IJWCLI_TEST_PG")
    if not basis:
        pytest.skip("geen PostgreSQL-server ingesteld (IJWCLI_TEST_PG; .ci/run start er een)")
    import sqlalchemy as sa

    schemas = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    engine = sa.create_engine(basis)
    with engine.begin() as conn:
        for s in schemas:
            conn.exec_driver_sql(f"CREATE SCHEMA {s}")
    sep = "&" if "?" in basis else "?"
    try:
        yield tuple(f"{basis}{sep}options=-csearch_path%3D{s}" for s in schemas)
    finally:
        with engine.begin() as conn:
            for s in schemas:
                conn.exec_driver_sql(f"DROP SCHEMA {s} CASCADE")
        engine.dispose()


class Kant:
    """One side of the traffic: its register, its inbox, its archive."""

    def __init__(self, rol: str, code: str, db: str, map_: Path) -> None:
        self.rol = rol
        self.reg = open_register(db, Config(rol=rol, code=code))
        self.inbox, self.archief = map_ / "inbox", map_ / "archief"
        self.inbox.mkdir(parents=True)
        self.ander: Kant | None = None

    def controleer(self, data: bytes, today: str) -> set[str]:
        """The check before sending: the cross-message rules against the own register."""
        return {f.rule for f in vw.beoordeel(self.reg, read_tree(data), data, self.rol,
                                             dt.date.fromisoformat(today))}

    def stuur(self, data: bytes, naam: str) -> None:
        """Send: remember it as sent (on its Dagtekening), and put it in the other side's
        inbox."""
        dag = dt.date.fromisoformat(etree.fromstring(data).findtext(
            "{*}Header/{*}BerichtIdentificatie/{*}Dagtekening"))
        r = self.reg.add(data, today=dag)[0]
        assert r.status == "nieuw" and r.richting == "uit" and r.geldig, r
        assert self.ander is not None
        (self.ander.inbox / naam).write_bytes(data)

    def verwerk(self, today: str) -> dict[str, tuple[str, list[str], set[str]]]:
        """The daily job: file name → (status, retourcodes, rules found)."""
        assert self.ander is not None
        v = vw.verwerk(self.inbox, self.ander.inbox, self.reg, self.rol,  # type: ignore[arg-type]
                       today=dt.date.fromisoformat(today), archief=self.archief)
        assert not list(self.inbox.glob("*.xml")), "alles verwerkt en gearchiveerd"
        return {Path(u.bron).name: (u.status, u.retourcodes, {f.rule for f in u.bevindingen})
                for u in v.uitkomsten}


def _maand(jaar: int, m: int) -> tuple[str, str]:
    return f"{jaar}-{m:02d}-01", f"{jaar}-{m:02d}-{calendar.monthrange(jaar, m)[1]:02d}"


def _na(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def test_a_year_of_one_client_month_by_month(twee_registers, tmp_path):
    g = Kant("gemeente", b.GEMEENTE, twee_registers[0], tmp_path / "gemeente")
    a = Kant("aanbieder", b.AANBIEDER, twee_registers[1], tmp_path / "aanbieder")
    g.ander, a.ander = a, g
    try:
        _jaar(g, a)
    finally:
        g.reg.close()
        a.reg.close()


def _jaar(g: Kant, a: Kant) -> None:
    goed = ("beantwoord", ["0200"], set())
    # December: the verzoek, its retourbericht, the toewijzing, its retourbericht.
    jw315 = b.jw315(b.aangevraagd("R1"), ident="V1", dag="2025-12-01")
    assert a.controleer(jw315, "2025-12-01") == set()
    a.stuur(jw315, "jw315.xml")
    assert g.verwerk("2025-12-02") == {"jw315.xml": goed}
    g.stuur(b.jw301(b.toegewezen("700001", ref="R1"), ident="T1", dag="2025-12-20"),
            "jw301.xml")
    assert a.verwerk("2025-12-21") == {"JW316_447_V1.xml": ("ingelezen", [], set()),
                                       "jw301.xml": goed}
    assert g.reg.client(b.BSN)["verzoeken"][0]["status"] == "toegewezen"

    # January: the start.
    start = b.jw305(b.levering("700001"), ident="S1", dag="2026-01-06")
    assert a.controleer(start, "2026-01-06") == set()
    a.stuur(start, "jw305.xml")
    assert g.verwerk("2026-01-07") == {"JW302_437_T1.xml": ("ingelezen", [], set()),
                                       "jw305.xml": goed}

    # Twelve declaraties, the one in April with a credit and a new debet for March.
    for m in range(1, 13):
        begin, eind = _maand(2026, m)
        prestaties = [b.prestatie(f"P{m}", begin=begin, eind=eind)]
        if m == 4:
            mb, me = _maand(2026, 3)
            prestaties += [b.prestatie("P3C", begin=mb, eind=me, credit_van="P3"),
                           b.prestatie("P3B", begin=mb, eind=me, volume=7)]
        jw323 = b.jw323(*prestaties, periode=(begin, eind), nummer=f"DEC{m}", ident=f"D{m}")
        assert a.controleer(jw323, _na(eind)) == set(), m
        a.stuur(jw323, f"jw323_{m}.xml")
        if m == 5:
            # May: a wijziging (more hours), answered, and the new version of the toewijzing.
            jw317 = b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700001",
                                               "GewensteIngangsdatum": "2026-01-01",
                                               "Omvang": {"Volume": "120", "Eenheid": "04",
                                                          "Frequentie": "6"}},),
                            ident="W1", dag=_na(eind))
            assert a.controleer(jw317, _na(eind)) == set()
            a.stuur(jw317, "jw317.xml")
        if m == 7:
            # July: a second start for the running toewijzing, sent by mistake. The
            # aanbieder's own check already says so; the gemeente answers with 9326.
            tweede = b.jw305(b.levering("700001", "2026-07-01"), ident="S2", dag="2026-07-02")
            assert a.controleer(tweede, "2026-07-02") == {"TR326"}
            a.stuur(tweede, "jw305_tweede.xml")
        if m == 12:
            stop = b.jw307(b.levering("700001", einddatum="2026-12-31"), ident="E1",
                           dag="2026-12-31")
            assert a.controleer(stop, "2026-12-31") == set()
            a.stuur(stop, "jw307.xml")
        dag = g.verwerk(_na(eind))
        # Every declaratie fits: its JW325 approves it whole (8001).
        assert dag.pop(f"jw323_{m}.xml") == ("beantwoord", ["0200", "8001"], set()), m
        if m == 5:
            assert dag.pop("jw317.xml") == goed
            g.stuur(b.jw301(b.toegewezen("700001", volume=120, ref="R5", reden="04"),
                            ident="T2", dag="2026-06-02"), "jw301_2.xml")
        if m == 7:
            status, codes, regels = dag.pop("jw305_tweede.xml")
            assert (status, regels) == ("beantwoord", {"TR326"}) and "9326" in codes
        if m == 12:
            assert dag.pop("jw307.xml") == goed
        assert all(s in ("ingelezen", "beantwoord") and not r for s, _, r in dag.values()), dag
        # The aanbieder's day: the answers come in (retourberichten, the new JW301).
        antwoorden = a.verwerk(_na(_na(eind)))
        if m == 5:
            assert antwoorden.pop("jw301_2.xml") == goed
        assert all(s == "ingelezen" and not r for s, _, r in antwoorden.values()), antwoorden
    jw306 = sorted(a.archief.glob("JW306_439_S2.xml"))
    assert len(jw306) == 1 and "9326" in [e.text for e in etree.parse(str(jw306[0])).iter(
        "{*}RetourCode")]

    # January 2027: a declaratie after the end of the toewijzing and of the zorg.
    begin, eind = _maand(2027, 1)
    laat = b.jw323(b.prestatie("P13", begin=begin, eind=eind), periode=(begin, eind),
                   nummer="DEC13", ident="D13")
    voor = a.controleer(laat, "2027-02-01")
    assert "TR308" in voor, voor
    a.stuur(laat, "jw323_13.xml")
    status, codes, regels = g.verwerk("2027-02-01")["jw323_13.xml"]
    assert regels == voor            # the gemeente finds what the aanbieder's check found
    assert status == "beantwoord" and "9308" in codes       # the JW325 refuses the prestatie
    (jw325,) = g.ander.inbox.glob("JW325_491_*.xml") if g.ander else ()
    assert a.verwerk("2027-02-02") == {jw325.name: ("ingelezen", [], set())}

    # The register remembers it all: the toewijzing's current version, the stop, the months.
    (t,) = g.reg.client(b.BSN)["toewijzingen"]
    assert t["actueel"]["identificatie"] == "T2" and t["actueel"]["volume"] == 120
    statussen = {r["identificatie"]: r["status"] for r in g.reg.lijst(bsn=b.BSN)}
    assert statussen["S1"] == statussen["E1"] == "Goedgekeurd"
    assert statussen["V1"] == statussen["W1"] == "Toegewezen"
    assert statussen["S2"] == "Ongeldig"          # refused: it changed no state
    if g.reg.engine.dialect.name == "sqlite":   # the same files on either backend: once
        _orakel(g, a)


def _orakel(g: Kant, a: Kant) -> None:
    """Every answer written this year (retourberichten, JW325s) through ../shared's tools."""
    import subprocess
    import sys

    from tests.conftest import IJW, SHARED

    tools = [SHARED / "tools" / "ijw-xsd-check", SHARED / "tools" / "ijw-xslt-check"]
    if not (all(t.exists() for t in tools) and (IJW / "xsd").is_dir()):
        return  # the reference tools are not beside this checkout: the rest still holds
    antwoorden = [p for k in (g, a) for p in sorted(k.archief.glob("JW3*.xml"))]
    assert {p.name[:5] for p in antwoorden} >= {"JW302", "JW306", "JW308", "JW316", "JW318",
                                                 "JW325"}
    for tool in tools:
        r = subprocess.run([sys.executable, str(tool), *map(str, antwoorden)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
