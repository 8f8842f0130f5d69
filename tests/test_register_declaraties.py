"""Declared against toegewezen in the register: the Frequentie per dag/week/maand held per
month at its boundaries, JW325 answers per prestatie, credits netted against their debet,
and the JW317 ↔ JW301 links; on both backends.

The messages are built by :mod:`tests.registerhulp` and are valid for ``validate`` (and the
reference XSDs and XSLT, checked in ``test_built_messages_pass_the_oracles``).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from ijwcli.config import Config
from ijwcli.register import open_register
from tests.registerhulp import bericht, bsn, declaratie, declaratie_antwoord, toewijzing

from .conftest import SHARED

GEMEENTE = Config(rol="gemeente", code="0855")
BSN = bsn(77)


def _stap(reg, data: bytes) -> None:
    r = reg.add(data, today=dt.date(2026, 12, 1))[0]
    assert r.status == "nieuw" and r.geldig, r.bevindingen


def _maand(jaar_maand: str) -> tuple[str, str]:
    import calendar

    j, m = int(jaar_maand[:4]), int(jaar_maand[5:])
    return f"{jaar_maand}-01", f"{jaar_maand}-{calendar.monthrange(j, m)[1]:02d}"


def _prestatie(ref: str, nummer: str, jaar_maand: str, volume: int, begin: str | None = None,
               **extra) -> dict:
    b, e = _maand(jaar_maand)
    return {"ref": ref, "nummer": nummer, "begin": begin or b, "eind": e, "volume": volume,
            **extra}


def _declareer(reg, ident: str, prestaties: list[dict]) -> None:
    begin = min(p["begin"] for p in prestaties)[:8] + "01"
    eind = _maand(begin[:7])[1]
    volgende = dt.date.fromisoformat(eind) + dt.timedelta(days=2)
    _stap(reg, declaratie(ident, bsn_=BSN, prestaties=prestaties, nummer=f"N{ident}",
                          begin=begin, eind=eind, dag=volgende.isoformat()))


def _per_periode(reg, nummer: str) -> dict[str, tuple]:
    t = next(t for t in reg.client(BSN)["toewijzingen"] if t["toewijzingnummer"] == nummer)
    return {p["periode"]: (p["volume"], p["toegestaan_volume"], p["periode"] in t["boven_omvang"])
            for p in t["gedeclareerd"]}


# (Frequentie, Omvang volume, Ingangsdatum, Einddatum, [(month, declared, allowed, over)])
GRENZEN = {
    # Per week: a started week of seven days counts; February 2026 has 28 days (4 weeks),
    # March 31 (5 weeks); the month the toewijzing starts in counts from its Ingangsdatum.
    "per week": ("2", 4, "2026-02-01", "2026-12-31", [
        ("2026-02", 16, 16, False), ("2026-03", 21, 20, True)]),
    "per week, half month": ("2", 4, "2026-03-16", "2026-12-31", [
        ("2026-03", 12, 12, False), ("2026-04", 21, 20, True)]),
    # Per dag: every day; from the 16th of March: 16 days; April 30 days.
    "per dag": ("1", 2, "2026-03-16", "2026-12-31", [
        ("2026-03", 32, 32, False), ("2026-04", 61, 60, True)]),
    # Per dag ending inside a month: only up to the Einddatum.
    "per dag, ends": ("1", 3, "2026-01-01", "2026-03-10", [("2026-03", 31, 30, True)]),
    # Per maand: once per calendar month, whatever its length.
    "per maand": ("4", 10, "2026-01-01", "2026-12-31", [
        ("2026-02", 10, 10, False), ("2026-03", 11, 10, True)]),
}


@pytest.mark.parametrize("geval", list(GRENZEN))
def test_volume_per_period_against_omvang_at_the_boundaries(register_db, geval):
    freq, volume, ingang, einde, maanden = GRENZEN[geval]
    with open_register(register_db, GEMEENTE) as reg:
        _stap(reg, toewijzing("T1", bsn_=BSN, nummer="800001", volume=volume,
                              frequentie=freq, ingang=ingang, einde=einde))
        for i, (m, gedeclareerd, _, _) in enumerate(maanden):
            begin = max(_maand(m)[0], ingang)
            eind = min(_maand(m)[1], einde)
            p = _prestatie(f"P{i}", "800001", m, gedeclareerd, begin=begin)
            p["eind"] = eind
            _declareer(reg, f"D{i}", [p])
        assert _per_periode(reg, "800001") == {m: (g, mag, boven) for m, g, mag, boven in maanden}
        c = reg.client(BSN)
        boven = [m for m, *_, b in maanden if b]
        assert [o for o in c["open"] if "omvang toestaat" in o] == [
            f"toewijzing 800001: in {m} {g} gedeclareerd, meer dan de {mag} die de omvang "
            "toestaat" for m, g, mag, b in maanden if b]
        assert boven


def test_total_omvang_and_minutes_against_hours(register_db):
    with open_register(register_db, GEMEENTE) as reg:
        _stap(reg, toewijzing("T1", bsn_=BSN, nummer="800001", volume=10))   # 10 uur totaal
        # 90 minuten is 1.5 uur: held in the unit of the toewijzing.
        _declareer(reg, "D1", [_prestatie("P1", "800001", "2026-03", 90, eenheid="01",
                                          tarief=125)])
        _declareer(reg, "D2", [_prestatie("P2", "800001", "2026-04", 9)])
        (t,) = reg.client(BSN)["toewijzingen"]
        assert [(p["periode"], p["volume"], p["toegestaan_volume"]) for p in t["gedeclareerd"]
                ] == [("2026-03", 1.5, None), ("2026-04", 9, None)]
        assert (t["gedeclareerd_volume"], t["toegestaan_volume"], t["resterend_volume"]) == (
            10.5, 10, -0.5)
        assert any("0.5 meer gedeclareerd dan toegewezen" in o for o in reg.client(BSN)["open"])


def test_jw325_per_prestatie_and_credit_netted_against_its_debet(register_db):
    p1 = _prestatie("P1", "800001", "2026-03", 8)
    p2 = _prestatie("P2", "800002", "2026-03", 2)
    with open_register(register_db, GEMEENTE) as reg:
        _stap(reg, toewijzing("T1", bsn_=BSN, nummer="800001"))
        _stap(reg, toewijzing("T2", bsn_=BSN, nummer="800002", volume=5))
        _declareer(reg, "D1", [p1, p2])

        def stand():
            ts = {t["toewijzingnummer"]: t for t in reg.client(BSN)["toewijzingen"]}
            return {n: [(p["referentie"], p["status"], p["retourcodes"], p["crediteert"],
                         p["gecrediteerd_door"]) for p in t["prestaties"]]
                    for n, t in ts.items()}, ts

        prest, ts = stand()
        assert prest == {"800001": [("P1", "onbeantwoord", [], None, [])],
                         "800002": [("P2", "onbeantwoord", [], None, [])]}
        assert ts["800002"]["resterend_volume"] == 3

        # The JW325 refuses P2 (tarief, 0611) and, by not listing it, approves P1 (TR342).
        _stap(reg, declaratie_antwoord("A1", heen="D1", nummer="ND1", bsn_=BSN,
                                       ingediend=[p1, p2], afgewezen=[(p2, ["0611"])]))
        prest, ts = stand()
        assert prest == {"800001": [("P1", "toegekend", [], None, [])],
                         "800002": [("P2", "afgewezen", ["0611"], None, [])]}
        (m1,), (m2,) = ts["800001"]["gedeclareerd"], ts["800002"]["gedeclareerd"]
        assert (m1["volume"], m1["bedrag"], m1["toegekend_volume"], m1["toegekend_bedrag"]) == (
            8, 58000, 8, 58000)
        assert (m2["bedrag"], m2["toegekend_bedrag"], m2["afgewezen_volume"],
                m2["afgewezen_bedrag"]) == (14500, 0, 2, 14500)
        # A refused prestatie does not use up the omvang.
        assert ts["800002"]["resterend_volume"] == 5
        assert (ts["800001"]["toegekend_bedrag"], ts["800002"]["afgewezen_bedrag"]) == (
            58000, 14500)

        # A credit on P1 (VorigReferentieNummer), sent in May: netted in March, P1's period.
        credit = _prestatie("P3", "800001", "2026-03", 8, dc="C", vorig="P1")
        _stap(reg, declaratie("D2", bsn_=BSN, prestaties=[credit], nummer="ND2",
                              dag="2026-05-02"))
        prest, ts = stand()
        assert prest["800001"] == [("P1", "toegekend", [], None, ["P3"]),
                                   ("P3", "onbeantwoord", [], "P1", [])]
        (m1,) = ts["800001"]["gedeclareerd"]
        assert (m1["volume"], m1["bedrag"], m1["toegekend_volume"]) == (0, 0, 8)
        assert ts["800001"]["resterend_volume"] == 100

        # A credit whose debet the register does not hold is reported (8017).
        _stap(reg, declaratie("D3", bsn_=BSN, prestaties=[_prestatie(
            "P9", "800001", "2026-04", 1, dc="C", vorig="ONBEKEND")], nummer="ND3",
            begin="2026-04-01", eind="2026-04-30", dag="2026-05-03"))
        assert any("credit P9 (D3) crediteert ONBEKEND" in o and "8017" in o
                   for o in reg.client(BSN)["open"])


def test_declaratie_refused_as_a_whole(register_db):
    p1 = _prestatie("P1", "800001", "2026-03", 8)
    with open_register(register_db, GEMEENTE) as reg:
        _stap(reg, toewijzing("T1", bsn_=BSN, nummer="800001"))
        _declareer(reg, "D1", [p1])
        _stap(reg, declaratie_antwoord("A1", heen="D1", nummer="ND1", bsn_=BSN,
                                       ingediend=[p1], header="0001", geheel="0001"))
        (t,) = reg.client(BSN)["toewijzingen"]
        assert [(p["status"], p["retourcodes"], p["antwoord"]) for p in t["prestaties"]] == [
            ("afgewezen", ["0001"], "A1")]
        assert (t["toegekend_bedrag"], t["afgewezen_bedrag"], t["resterend_volume"]) == (
            0, 58000, 100)
        d = reg.toon("D1")
        assert d["status"] == "Afgekeurd"
        assert [g["beoordeling"]["status"] for g in d["regels"]] == ["afgewezen"]
        assert reg.toon("A1")["retourcodes"] == ["0001", "0001"]


def test_toon_names_the_links_of_a_declaratie(register_db):
    p1 = _prestatie("P1", "800001", "2026-03", 8)
    p2 = _prestatie("P2", "800002", "2026-03", 2)
    with open_register(register_db, GEMEENTE) as reg:
        _stap(reg, toewijzing("T1", bsn_=BSN, nummer="800001"))
        _stap(reg, toewijzing("T2", bsn_=BSN, nummer="800002"))
        _declareer(reg, "D1", [p1, p2])
        _stap(reg, declaratie_antwoord("A1", heen="D1", nummer="ND1", bsn_=BSN,
                                       ingediend=[p1, p2], afgewezen=[(p2, ["0611"])]))
        _stap(reg, declaratie("D2", bsn_=BSN, nummer="ND2", dag="2026-05-02", prestaties=[
            _prestatie("P3", "800001", "2026-03", 8, dc="C", vorig="P1")]))
        d = reg.toon("D1")
        assert [(g["referentie"], g["beoordeling"]) for g in d["regels"]] == [
            ("P1", {"status": "toegekend", "retourcodes": [], "antwoord": "A1"}),
            ("P2", {"status": "afgewezen", "retourcodes": ["0611"], "antwoord": "A1"})]
        assert [(k["relatie"], k["sleutel"], k["identificatie"]) for k in d["koppelingen"]] == [
            ("toewijzing", "800001", "T1"), ("toewijzing", "800002", "T2"),
            ("beantwoord door", "D1", "A1"), ("gecrediteerd door", "P3", "D2")]
        assert [(k["relatie"], k["sleutel"], k["identificatie"])
                for k in reg.toon("D2")["koppelingen"]] == [
            ("toewijzing", "800001", "T1"), ("crediteert", "P1", "D1")]
        a = reg.toon("A1")
        assert [(g["referentie"], g["retourcodes"]) for g in a["regels"]] == [("P2", "0611")]
        assert [(k["relatie"], k["identificatie"]) for k in a["koppelingen"]] == [
            ("antwoord op", "D1")]


def test_jw317_linked_to_the_toewijzing_it_changes_and_the_jw301_that_honours_it(register_db):
    with open_register(register_db, GEMEENTE) as reg:
        _stap(reg, bericht("JW315", "V1", bsn_=BSN, referentie="VZ-1"))
        _stap(reg, bericht("JW301", "T1", bsn_=BSN, nummer="800001", referentie="VZ-1"))
        _stap(reg, bericht("JW317", "W1", bsn_=BSN, nummer="800001", referentie="VW-1"))
        c = reg.client(BSN)
        w = next(v for v in c["verzoeken"] if v["identificatie"] == "W1")
        assert (w["te_wijzigen"], w["toegewezen_door"], w["status"]) == (
            ["800001"], [], "ontvangen")
        assert [(k["relatie"], k["sleutel"], k["identificatie"])
                for k in reg.toon("W1")["koppelingen"]] == [
            ("wijzigt toewijzing", "800001", "T1")]

        _stap(reg, bericht("JW301", "T2", bsn_=BSN, nummer="800001", referentie="VW-1",
                           vervang={"2026-03-02": "2026-09-05", "2027-02-28": "2027-07-31",
                                    "100": "130"}))
        c = reg.client(BSN)
        v, w = c["verzoeken"]
        assert [(d["identificatie"], d["toewijzingnummer"]) for d in v["toegewezen_door"]] == [
            ("T1", "800001")]
        assert [(d["identificatie"], d["toewijzingnummer"]) for d in w["toegewezen_door"]] == [
            ("T2", "800001")]
        assert w["status"] == "toegewezen"
        (t,) = c["toewijzingen"]
        assert [(h["identificatie"], h["verzoek"]) for h in t["historie"]] == [
            ("T1", "V1"), ("T2", "W1")]
        assert t["actueel"]["verzoek"] == "W1"
        # The JW317 names the version it asked to change (current on its Dagtekening) and
        # the JW301 that honours it; that JW301 names the verzoek.
        assert [(k["relatie"], k["sleutel"], k["identificatie"])
                for k in reg.toon("W1")["koppelingen"]] == [
            ("toegewezen door", "VW-1", "T2"), ("wijzigt toewijzing", "800001", "T1")]
        assert [(k["relatie"], k["identificatie"]) for k in reg.toon("T2")["koppelingen"]] == [
            ("honoreert verzoek", "W1")]
        assert [(k["relatie"], k["identificatie"]) for k in reg.toon("T1")["koppelingen"]] == [
            ("honoreert verzoek", "V1")]
        assert "T2" in {k["identificatie"] for k in reg.toon("W1")["keten"]}


def test_register_and_cross_message_rule_count_the_omvang_alike():
    """The register's per-period allowance and TR321's are one convention."""
    from types import SimpleNamespace

    from ijwcli.register.toestand import toegestaan_volume
    from ijwcli.validatie.overstijgend.declaraties import toegestaan

    begin = dt.date(2026, 1, 1)
    for freq in ("1", "2", "4", "6"):
        for start in range(0, 70, 3):
            for lengte in (-1, 0, 1, 6, 7, 8, 13, 14, 15, 27, 28, 29, 30, 31, 59, 60, 61):
                b = begin + dt.timedelta(days=start)
                e = b + dt.timedelta(days=lengte)
                t = SimpleNamespace(volume=3, frequentie=freq)
                verwacht = toegestaan(t, b, e)  # type: ignore[arg-type]
                assert toegestaan_volume(3, freq, b, e) == (verwacht if verwacht is not None
                                                            else 0), (freq, b, e)


def test_built_messages_pass_the_oracles(tmp_path):
    tools = SHARED / "tools"
    if not (tools / "ijw-xsd-check").exists():
        pytest.skip("../shared/tools (reference XSD and XSLT checks) is not beside the checkout")
    p1 = _prestatie("P1", "800001", "2026-03", 8)
    p2 = _prestatie("P2", "800001", "2026-04", 2, dc="C", vorig="P0")
    berichten = {
        "jw301.xml": toewijzing("T1", bsn_=BSN, nummer="800001", frequentie="2",
                                einde="2026-12-31"),
        "jw323.xml": declaratie("D1", bsn_=BSN, prestaties=[p1], nummer="N1"),
        "jw323c.xml": declaratie("D2", bsn_=BSN, prestaties=[p2], nummer="N2",
                                 begin="2026-04-01", eind="2026-04-30", dag="2026-05-02"),
        "jw325.xml": declaratie_antwoord("A1", heen="D1", nummer="N1", bsn_=BSN,
                                         ingediend=[p1], afgewezen=[(p1, ["0611"])]),
        "jw325n.xml": declaratie_antwoord("A2", heen="D1", nummer="N1", bsn_=BSN,
                                          ingediend=[p1], header="0001", geheel="0001"),
    }
    for naam, data in berichten.items():
        (tmp_path / naam).write_bytes(data)
    for tool in ("ijw-xsd-check", "ijw-xslt-check"):
        r = subprocess.run([sys.executable, str(tools / tool), str(tmp_path)],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
