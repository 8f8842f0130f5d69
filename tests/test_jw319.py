"""The antwoordbericht (JW319): afgewezen and in onderzoek against a replayed register history
(SQLite and PostgreSQL), TR355/TR359/TR360/TR365 kept through the register, the reden and
woonplaatsbeginsel checked, and every JW319 written here checked by ../shared's
ijw-xsd-check and ijw-xslt-check (the last test of the module)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from ijwcli.config import Config
from ijwcli.errors import InvalidInput, UsageError
from ijwcli.generatie import jw319
from ijwcli.register import open_register
from tests import bouw as b
from tests.conftest import IJW, SAMPLES, SHARED

GEMEENTE = Config(rol="gemeente", code="0855")
VANDAAG = dt.date(2026, 1, 10)
UIT: list[tuple[str, bytes]] = []
XSD_CHECK = SHARED / "tools" / "ijw-xsd-check"
XSLT_CHECK = SHARED / "tools" / "ijw-xslt-check"


def _maak(verzoek, antwoord, reg=None, **kw) -> list[jw319.Antwoordbericht]:
    uit = jw319.maak(verzoek, antwoord, register=reg, today=VANDAAG, **kw)
    UIT.extend((a.identificatie, a.xml) for a in uit)
    return uit


def _verstuur(reg, antwoorden) -> None:
    for a in antwoorden:
        jw319.registreer(a, reg)


def test_afgewezen_en_daarna_niets_meer_tr365(register_db) -> None:
    verzoek = b.jw315(b.aangevraagd("R1"))
    with open_register(register_db, GEMEENTE) as reg:
        [a] = _maak(verzoek, "afgewezen", reg, reden="4")
        assert (a.referentie, a.verzoekantwoord, a.reden) == ("R1", "1", "4")
        _verstuur(reg, [a])  # the verzoek was not in the register: imported on the way
        assert [r["bericht"] for r in reg.lijst()] == ["JW315", "JW319"]
        with pytest.raises(InvalidInput, match=r"TR365 \[9365\].*JW319 "):
            _maak(verzoek, "afgewezen", reg, reden="3")
        with pytest.raises(InvalidInput, match="TR360"):
            _maak(verzoek, "in-onderzoek", reg)


def test_eenmaal_in_onderzoek_dan_afgewezen_tr360(register_db) -> None:
    verzoek = b.jw315(b.aangevraagd("R1"))
    with open_register(register_db, GEMEENTE) as reg:
        reg.add(verzoek, today=VANDAAG)
        [a] = _maak(verzoek, "in-onderzoek", reg)
        assert a.verzoekantwoord == "2" and a.bericht.root.find("Antwoord/RedenAfwijzingVerzoek") \
            is None
        _verstuur(reg, [a])
        with pytest.raises(InvalidInput, match=r"TR360 \[9360\]"):
            _maak(verzoek, "in onderzoek", reg)
        [c] = _maak(verzoek, "1", reg, reden="7")  # the rejection after it: allowed (TR365)
        _verstuur(reg, [c])
        st = {r["bericht"]: r["status"] for r in reg.lijst()}
        assert st["JW315"] != "Ontvangen"


def test_geen_antwoord_na_toewijzing_tr359(register_db) -> None:
    verzoek = b.jw315(b.aangevraagd("R1"))
    with open_register(register_db, GEMEENTE) as reg:
        reg.add([verzoek, b.jw301(b.toegewezen("700001", ref="R1"))], today=VANDAAG)
        with pytest.raises(InvalidInput, match=r"TR359 \[9359\].*JW301 "):
            _maak(verzoek, "afgewezen", reg, reden="2")


def test_woonplaatsbeginsel_en_jw317(register_db, tmp_path) -> None:
    with open_register(register_db, GEMEENTE) as reg:
        jw317 = SAMPLES / "jw317_verzoek_om_wijziging.xml"
        with pytest.raises(UsageError, match="niet vóór het verzoek"):
            _maak(jw317, "afgewezen", reg, reden="3")  # VANDAAG lies before its Dagtekening
        [a] = jw319.maak(jw317, "afgewezen", register=reg, reden="08",
                         woonplaatsbeginsel="363", today=dt.date(2026, 9, 3))
        UIT.append((a.identificatie, a.xml))
        assert a.verzoek == "JW317" and a.referentie == "VW-2026-0007"
        assert (a.reden, a.bericht.root.value("Antwoord/Woonplaatsbeginsel/Gemeente")) == (
            "8", "0363")
        [pad] = jw319.schrijf([a], tmp_path / "antwoord.xml", register=reg)
        assert pad.read_bytes() == a.xml
        assert [r["bericht"] for r in reg.lijst()] == ["JW317", "JW319"]


def test_twee_referenties_twee_antwoorden(tmp_path) -> None:
    verzoek = b.jw315(b.aangevraagd("R1"), b.aangevraagd("R2", code="45A06"))
    alle = _maak(verzoek, "afgewezen", historie=[], reden="6")
    assert [a.referentie for a in alle] == ["R1", "R2"]
    assert len({a.identificatie for a in alle}) == 2
    with pytest.raises(UsageError, match="één per ReferentieAanbieder"):
        jw319.doelen(alle, tmp_path / "een.xml")
    [r2] = _maak(verzoek, "afgewezen", historie=[], reden="6", referentie="R2")
    assert r2.referentie == "R2"
    paden = jw319.schrijf(alle, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(a.bestandsnaam for a in alle)
    assert all(p.exists() for p in paden)


@pytest.mark.parametrize("antwoord, kw, fout", [
    ("afgewezen", {}, "vraagt een RedenAfwijzingVerzoek"),
    ("afgewezen", {"reden": "10"}, "staat niet in de codelijst"),
    ("afgewezen", {"reden": "8"}, "TR377"),
    ("afgewezen", {"reden": "4", "woonplaatsbeginsel": "0363"}, "TR409"),
    ("afgewezen", {"reden": "8", "woonplaatsbeginsel": "0855"}, "andere gemeente"),
    ("afgewezen", {"reden": "8", "woonplaatsbeginsel": "AB12"}, "4 cijfers"),
    ("in-onderzoek", {"reden": "4"}, "CD086"),
    ("misschien", {}, "kies afgewezen of in-onderzoek"),
    ("afgewezen", {"reden": "4", "referentie": "R9"}, "staat niet in het verzoek"),
])
def test_verkeerde_keuzes(antwoord, kw, fout) -> None:
    with pytest.raises(UsageError, match=fout):
        jw319.maak(b.jw315(b.aangevraagd("R1")), antwoord, historie=[], **kw)


def test_ongeldig_verzoek_krijgt_een_retourbericht(ijw, register_db) -> None:
    """The reference JW317 breaks CS003 (NieuwProduct Einddatum before its
    GewensteIngangsdatum): it is answered with a JW318, not a JW319."""
    with pytest.raises(InvalidInput, match=r"niet geldig \(CS003.*ijwcli retour"):
        jw319.maak(ijw / "voorbeelden" / "JW317.xml", "afgewezen", reden="4", historie=[],
                   today=dt.date(2026, 12, 1))
    verzoek = b.jw315(b.aangevraagd("R1"), dag="2026-01-05")
    with open_register(register_db, GEMEENTE) as reg:
        reg.add(verzoek, today=dt.date(2026, 1, 1))  # imported "before" its date: TR135
        with pytest.raises(InvalidInput, match="in het register als ongeldig"):
            _maak(verzoek, "afgewezen", reg, reden="4")


def test_geen_verzoek(register_db) -> None:
    with pytest.raises(InvalidInput, match="geen JW323"):
        jw319.maak(b.jw323(b.prestatie("P1")), "afgewezen", reden="4", historie=[])
    with open_register(register_db, Config(rol="aanbieder", code="12345678")) as reg, \
            pytest.raises(UsageError, match="alleen een gemeente"):
        jw319.maak(b.jw315(b.aangevraagd("R1")), "afgewezen", reden="4", register=reg)


# --- the oracle -------------------------------------------------------------------------------
def test_elk_jw319_hier_door_de_referentie_xsd_en_xslt(tmp_path) -> None:
    """Runs last in this module: every JW319 made above, through ../shared's tools."""
    if not (XSD_CHECK.exists() and XSLT_CHECK.exists() and (IJW / "xsd").is_dir()):
        pytest.skip("../shared/tools (ijw-xsd-check, ijw-xslt-check) is not beside the checkout")
    if len(UIT) < 5:
        pytest.skip("the JW319s come from the tests above; run the whole module")
    for i, (ident, xml) in enumerate(UIT):
        (tmp_path / f"{i:03d}_{ident}.xml").write_bytes(xml)
    for tool in (XSD_CHECK, XSLT_CHECK):
        r = subprocess.run([sys.executable, str(tool), str(tmp_path)], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
