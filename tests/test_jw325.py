"""The declaratie-antwoord (JW325): every rejection route of a JW323 against a replayed register
history (SQLite and PostgreSQL), partial approval with consistent totals (TR342), the answer
recorded so a second run refuses, and every JW325 written here checked by ../shared's
ijw-xsd-check and ijw-xslt-check (the last test of the module)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pytest

from ijwcli.bericht import read_tree
from ijwcli.config import Config
from ijwcli.errors import AlBeantwoord, InvalidInput, UsageError
from ijwcli.generatie import jw325
from ijwcli.register import open_register
from ijwcli.validatie.overstijgend.tarieven import Tarieven
from tests import bouw as b
from tests.conftest import IJW, SHARED
from tests.test_overstijgend import GEVALLEN

GEMEENTE = Config(rol="gemeente", code="0855")
VANDAAG = dt.date(2027, 1, 1)
UIT: list[tuple[str, bytes]] = []     # every JW325 made here, for the oracle test at the end
XSD_CHECK = SHARED / "tools" / "ijw-xsd-check"
XSLT_CHECK = SHARED / "tools" / "ijw-xslt-check"

# The JW323 rules with a retourcode a JW325 carries, from the cases of test_overstijgend; the
# register keeps an invalid message out of the state, so three cases get a history of valid
# messages here (a budget without a productcode, CD041; an intrekking ending on its first day,
# CS335; a declaratie whose prestatie lies in its own period, TR319 in-message).
_T, _P1 = b.jw301(b.toegewezen("700001")), b.jw323(b.prestatie("P1"), nummer="DEC1")
_BUDGET = b.jw301(b.toegewezen("700001", volume=None, budget=100000, code=None))
_FEB = ("2026-02-01", "2026-02-28")
_EIGEN = {
    "TR369": ("TR369", [_BUDGET, _P1],
              b.jw323(b.prestatie("P2", begin=_FEB[0], eind=_FEB[1]), periode=_FEB),
              [_BUDGET, _P1],
              b.jw323(b.prestatie("P2", begin=_FEB[0], eind=_FEB[1], volume=5), periode=_FEB)),
    "TR318": ("TR318", [_T, _P1], b.jw323(b.prestatie("P2")), [_T, _P1],
              b.jw323(b.prestatie("P2", begin=_FEB[0], eind=_FEB[1]), periode=_FEB)),
    "TR384": ("TR384", [_T, b.jw301(b.toegewezen("700001", eind="2026-01-01", reden="13"))],
              _P1, [_T], _P1),
}
DECLARATIE = [_EIGEN.get(g[0], g) for g in GEVALLEN if b"<jw323:" in g[2]]
RETOURCODE = {"TR304": "8187", "TR307": "9307", "TR308": "9308", "TR314": "8021",
              "TR318": "8214", "TR321": "9321", "TR322": "9322", "TR323": "8017",
              "TR333": "9333", "TR338": "9338", "TR339": "9339", "TR340": "9340",
              "TR341": "9341", "TR369": "9369", "TR384": "9384", "TR387": "9387",
              "TR388": "9388", "TR389": "9389", "TR390": "9390"}
OP_DECLARATIE = {"TR318", "TR333"}  # a finding on the declaratie itself: rejected whole


def _maak(reg, data: bytes, **kw) -> jw325.Declaratieantwoord:
    a = jw325.maak(data, register=reg, today=VANDAAG, **kw)
    UIT.append((a.identificatie, a.xml))
    return a


def _replay(reg, historie: list[bytes]) -> None:
    for data in historie:
        [r] = reg.add(data, today=VANDAAG)
        assert r.status == "nieuw", r


def _codes(a: jw325.Declaratieantwoord) -> set[str]:
    return {c for p in a.prestaties for c in p.retourcodes} | set(a.retourcodes)


def _tr342(a: jw325.Declaratieantwoord) -> None:
    """TR342 as the XSLT reads it: ingediend − toegekend = the listed prestaties, or nothing
    granted when the declaratie is refused as a whole."""
    root = a.bericht.root
    def getal(pad: str) -> int:
        n = root.find(pad)
        assert n is not None
        v = int(n.value("TotaalBedrag") or n.value("Bedrag") or 0)
        return -v if n.value("DebetCredit") == "C" else v
    listed = sum(getal_p(p) for p in root.findall(
        "DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie"))
    ingediend = getal("DeclaratieAntwoord/TotaalIngediendBedrag")
    toegekend = getal("DeclaratieAntwoord/TotaalToegekendBedrag")
    codes = [n.text for n in root.findall("DeclaratieAntwoord/RetourCodes/RetourCode")]
    if set(codes) <= {"0200", "8001"}:
        assert ingediend - toegekend == listed
    else:
        assert toegekend == 0
    assert (ingediend, toegekend) == (a.ingediend, a.toegekend)


def getal_p(p) -> int:
    v = int(p.value("IngediendBedrag/Bedrag"))
    return -v if p.value("IngediendBedrag/DebetCredit") == "C" else v


@pytest.mark.parametrize("regel, h_fout, fout, h_goed, goed", DECLARATIE,
                         ids=[g[0] for g in DECLARATIE])
def test_afwijzing_per_regel_tegen_het_register(register_db, regel, h_fout, fout, h_goed,
                                                goed) -> None:
    with open_register(register_db, GEMEENTE) as reg:
        _replay(reg, h_fout)
        a = _maak(reg, fout)
    assert RETOURCODE[regel] in _codes(a), (regel, a.to_dict())
    assert a.status == "afgewezen" if regel in OP_DECLARATIE else a.afgewezen
    # Every listed prestatie carries a refusing code (0200 alone would read as granted).
    for p in a.bericht.root.findall("DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie"):
        assert {c.text for c in p.findall("RetourCodes/RetourCode")} - {"0200", "0233", "8001"}
    _tr342(a)


@pytest.mark.parametrize("regel, h_fout, fout, h_goed, goed", DECLARATIE,
                         ids=[g[0] for g in DECLARATIE])
def test_grensgeval_per_regel_tegen_het_register(register_db, regel, h_fout, fout, h_goed,
                                                 goed) -> None:
    with open_register(register_db, GEMEENTE) as reg:
        _replay(reg, h_goed)
        a = _maak(reg, goed)
    assert RETOURCODE[regel] not in _codes(a), (regel, a.to_dict())
    _tr342(a)


def test_gedeeltelijk_toegekend_en_totalen(register_db) -> None:
    """Three prestaties, one on an unknown toewijzing, one credit of an approved debet."""
    t = b.jw301(b.toegewezen("700001"))
    jan = b.jw323(b.prestatie("P1"), nummer="DEC1")
    feb = ("2026-02-01", "2026-02-28")
    decl = b.jw323(b.prestatie("P2", begin=feb[0], eind=feb[1], volume=4),
                   b.prestatie("P3", "700099", begin=feb[0], eind=feb[1], volume=2),
                   b.prestatie("P4", credit_van="P1"), periode=feb, nummer="DEC2")
    with open_register(register_db, GEMEENTE) as reg:
        _replay(reg, [t, jan])
        a = _maak(reg, decl)
        assert a.status == "gedeeltelijk"
        assert [(p.referentie, p.retourcodes) for p in a.afgewezen] == [("P3", ["9338"])]
        assert a.ingediend == 4 * 7250 + 2 * 7250 - 8 * 7250
        assert a.toegekend == a.ingediend - 2 * 7250 and a.toegekend < 0
        root = a.bericht.root
        assert root.value("DeclaratieAntwoord/TotaalToegekendBedrag/DebetCredit") == "C"
        assert root.value("DeclaratieAntwoord/RetourCodes/RetourCode") == "0200"
        _tr342(a)


def test_alles_goed_is_8001_zonder_clienten(register_db) -> None:
    with open_register(register_db, GEMEENTE) as reg:
        _replay(reg, [b.jw301(b.toegewezen("700001"))])
        a = _maak(reg, b.jw323(b.prestatie("P1"), nummer="DEC1"))
    assert a.status == "goedgekeurd" and a.toegekend == a.ingediend == 8 * 7250
    assert a.bericht.root.find("DeclaratieAntwoord/Clienten") is None
    assert a.bericht.root.value("DeclaratieAntwoord/RetourCodes/RetourCode") == "8001"
    _tr342(a)


def test_tweede_keer_al_beantwoord_en_de_volgende_declaratie_telt_de_afwijzing(
        register_db, tmp_path) -> None:
    t = b.jw301(b.toegewezen("700001", volume=10, frequentie="4"))
    decl = b.jw323(b.prestatie("P1", volume=11), nummer="DEC1")  # above the omvang: TR321
    with open_register(register_db, GEMEENTE) as reg:
        _replay(reg, [t])
        a = _maak(reg, decl)
        assert a.afgewezen[0].retourcodes == ["9321"]
        pad = jw325.schrijf(a, tmp_path, register=reg)
        assert pad.name == a.bestandsnaam and pad.read_bytes() == a.xml
        with pytest.raises(AlBeantwoord) as exc:
            jw325.maak(decl, register=reg, today=VANDAAG)
        assert "al beantwoord" in exc.value.message and exc.value.sleutel
        assert reg.inhoud(exc.value.sleutel) == a.xml
        # The register knows P1 was refused: a new debet for January is no second one (TR389).
        opnieuw = _maak(reg, b.jw323(b.prestatie("P2", volume=10), nummer="DEC2",
                                     periode=("2026-02-01", "2026-02-28")))
        assert opnieuw.status == "goedgekeurd", opnieuw.to_dict()


def test_geheel_afgewezen_telt_niet_mee_voor_de_volgende_declaratie(register_db) -> None:
    """A declaratie refused whole (TR333, its DeclaratieNummer used before): the register's
    books and the next declaratie both read every prestatie of it as refused."""
    feb, mrt = ("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-31")
    with open_register(register_db, GEMEENTE) as reg:
        _replay(reg, [b.jw301(b.toegewezen("700001"), b.toegewezen("700002", code="45A06"))])
        jw325.registreer(_maak(reg, b.jw323(b.prestatie("P1"), nummer="DEC1")), reg)
        dubbel = _maak(reg, b.jw323(b.prestatie("P2", begin=feb[0], eind=feb[1]),
                                    b.prestatie("P3", "700002", begin=feb[0], eind=feb[1],
                                                code="45A06", volume=2),
                                    periode=feb, nummer="DEC1"))
        assert dubbel.status == "afgewezen" and dubbel.retourcodes == ["9333"]
        assert [p.retourcodes for p in dubbel.prestaties] == [["9333"], ["9333"]]
        _tr342(dubbel)
        jw325.registreer(dubbel, reg)
        status = {p["referentie"]: p["status"] for t in reg.client(b.BSN)["toewijzingen"]
                  for p in t["prestaties"]}
        assert status == {"P1": "toegekend", "P2": "afgewezen", "P3": "afgewezen"}, status
        # February again, in the March declaratie: no second debet for it (TR389), since the
        # February one was refused.
        opnieuw = _maak(reg, b.jw323(b.prestatie("P4", begin=feb[0], eind=feb[1]),
                                     periode=mrt, nummer="DEC3"))
        assert opnieuw.status == "goedgekeurd", opnieuw.to_dict()


def test_twee_runs_tegelijk_registreren_er_maar_een(register_db) -> None:
    """The Identificatie comes from the declaratie, so the register refuses a second answer
    made before the first was recorded (two runs at the same moment)."""
    decl = b.jw323(b.prestatie("P1"), nummer="DEC1")
    with open_register(register_db, GEMEENTE) as reg:
        _replay(reg, [b.jw301(b.toegewezen("700001"))])
        a1 = _maak(reg, decl)
        a2 = jw325.maak(decl, register=reg, today=VANDAAG + dt.timedelta(days=1))
        assert a1.identificatie == a2.identificatie
        jw325.registreer(a1, reg)
        with pytest.raises(AlBeantwoord):
            jw325.registreer(a2, reg)
        assert len(reg.antwoorden("JW323", b.AANBIEDER, a1.declaratie)) == 1


def test_technisch_afgekeurd_referentiebericht(ijw) -> None:
    """The reference JW323 breaks TR101 (RN004 twice under the second client): 0001 in the
    header and no DeclaratieAntwoord, as the retourberichten do it."""
    a = jw325.maak(ijw / "voorbeelden" / "JW323.xml", historie=[], today=dt.date(2026, 5, 8))
    UIT.append((a.identificatie, a.xml))
    assert a.status == "afgekeurd" and a.retourcodes == ["0001"]
    assert [f.rule for f in a.bevindingen] == ["TR101"]
    assert a.bericht.root.find("DeclaratieAntwoord") is None
    assert a.bericht.root.value("Header/RetourCodes/RetourCode") == "0001"


def test_tr416_dubbele_debet_in_een_bericht() -> None:
    decl = b.jw323(b.prestatie("P1"), b.prestatie("P2"), nummer="DEC1")
    a = jw325.maak(decl, historie=b.eerder(b.jw301(b.toegewezen("700001"))), today=VANDAAG)
    UIT.append((a.identificatie, a.xml))
    assert a.status == "afgekeurd" and "TR416" in {f.rule for f in a.bevindingen}
    assert any("Prestatie[2]" in (f.path or "") for f in a.bevindingen if f.rule == "TR416")


def test_eigen_retourcode_binnen_bericht_wijst_het_geheel_af() -> None:
    """TR346 (IngediendBedrag not volume × tarief, 9346) makes the JW323 invalid for the
    register; the answer refuses it whole with 9346, listing the prestatie it concerns."""
    goed = b.prestatie("P1")
    fout = b.prestatie("P2", "700002")
    fout["IngediendBedrag"]["Bedrag"] = "1"
    a = jw325.maak(b.jw323(goed, fout, nummer="DEC1"), historie=b.eerder(
        b.jw301(b.toegewezen("700001"), b.toegewezen("700002", code="45A06"))), today=VANDAAG)
    UIT.append((a.identificatie, a.xml))
    assert a.status == "afgewezen" and a.toegekend == 0 and a.retourcodes == ["9346"]
    assert [(p.referentie, p.retourcodes, p.afgewezen) for p in a.prestaties] == [
        ("P1", [], True), ("P2", ["9346"], True)]
    assert a.bericht.root.value("DeclaratieAntwoord/RetourCodes/RetourCode") == "9346"
    _tr342(a)


def test_contracttarief_uit_de_tarievenlijst(tmp_path) -> None:
    lijst = tmp_path / "tarieven.csv"
    lijst.write_text("productcode,tarief\n45A05,7000\n", encoding="utf-8")
    historie = b.eerder(b.jw301(b.toegewezen("700001")))
    a = jw325.maak(b.jw323(b.prestatie("P1"), nummer="DEC1"), historie=historie,
                   tarieven=lijst, today=VANDAAG)
    UIT.append((a.identificatie, a.xml))
    assert a.afgewezen[0].retourcodes == ["0611"]
    ok = jw325.maak(b.jw323(b.prestatie("P1", tarief=7000), nummer="DEC1"), historie=historie,
                    tarieven=Tarieven.lees(io.StringIO("productcode,tarief\n45A05,7000\n"),
                                           "t.csv"), today=VANDAAG)
    assert ok.status == "goedgekeurd"


def test_historie_zonder_register_kent_ook_al_beantwoord() -> None:
    t = b.jw301(b.toegewezen("700001"))
    decl = b.jw323(b.prestatie("P1"), nummer="DEC1")
    a = jw325.maak(decl, historie=b.eerder(t), today=VANDAAG)
    with pytest.raises(AlBeantwoord):
        jw325.maak(decl, historie=b.eerder(t, decl, a.xml), today=VANDAAG)


def test_geen_declaratie_of_verkeerde_rol(register_db, tmp_path) -> None:
    with pytest.raises(InvalidInput, match="geen JW305"):
        jw325.maak(b.jw305(b.levering("700001")), historie=[])
    with pytest.raises(InvalidInput, match="geen declaratie-antwoord mogelijk"):
        jw325.maak(b"<kapot", historie=[])
    with open_register(register_db, Config(rol="aanbieder", code="12345678")) as reg, \
            pytest.raises(UsageError, match="alleen een gemeente"):
        jw325.maak(b.jw323(b.prestatie("P1")), register=reg)
    with open_register(register_db, Config(rol="gemeente", code="0363")) as reg, \
            pytest.raises(InvalidInput, match="gericht aan gemeente 0855"):
        jw325.maak(b.jw323(b.prestatie("P1")), register=reg)


# --- the oracle -------------------------------------------------------------------------------
def test_elk_jw325_hier_door_de_referentie_xsd_en_xslt(tmp_path) -> None:
    """Runs last in this module: every JW325 made above, through ../shared's tools."""
    if not (XSD_CHECK.exists() and XSLT_CHECK.exists() and (IJW / "xsd").is_dir()):
        pytest.skip("../shared/tools (ijw-xsd-check, ijw-xslt-check) is not beside the checkout")
    if len(UIT) < 10:
        pytest.skip("the JW325s come from the tests above; run the whole module")
    for i, (ident, xml) in enumerate(UIT):
        (tmp_path / f"{i:03d}_{ident}.xml").write_bytes(xml)
    for tool in (XSD_CHECK, XSLT_CHECK):
        r = subprocess.run([sys.executable, str(tool), str(tmp_path)], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert read_tree(UIT[0][1]) is not None
