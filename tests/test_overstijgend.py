"""The berichtoverstijgende rules, each against a history built from files (no database):
a message that breaks the rule and a boundary case that keeps it."""

from __future__ import annotations

import datetime as dt

import pytest

from ijwcli.bericht import read_tree
from ijwcli.validatie import overstijgend
from ijwcli.validatie.overstijgend.tarieven import Tarieven
from tests import bouw as b

T = b.jw301(b.toegewezen("700001"))
START = b.jw305(b.levering("700001"))
MAAND = b.jw301(b.toegewezen("700001", volume=10, frequentie="4"))
BUDGET = b.jw301(b.toegewezen("700001", volume=None, budget=100000))
P1 = b.jw323(b.prestatie("P1"), nummer="DEC1")
FEB = ("2026-02-01", "2026-02-28")


def regels(historie: list[bytes], bericht: bytes, **kw: object) -> set[str]:
    found = overstijgend.controleer(read_tree(bericht), b.eerder(*historie), "gemeente",
                                    dt.date(2027, 1, 1), **kw)  # type: ignore[arg-type]
    return {f.rule for f in found}


# (rule, history, message that breaks it, history, message that keeps it)
GEVALLEN = [
    ("TR019", [T], b.jw305(b.levering("700099")), [T], START),
    ("TR056", [b.jw305(b.levering("700001"), ident="S1")],
     b.jw305(b.levering("700001", "2026-02-01"), ident="S1"),
     [b.jw305(b.levering("700001"), ident="S1")],
     b.jw305(b.levering("700001", "2026-02-01"), ident="S2")),
    ("TR063", [T], b.jw305(b.levering("700001", status="3")),
     [T, START], b.jw305(b.levering("700001", status="3"))),
    ("TR071", [T, START, b.jw307(b.levering("700001", einddatum="2026-06-30"))],
     b.jw305(b.levering("700001", status="3")),
     [T, START], b.jw305(b.levering("700001", status="3"))),
    ("TR074", [T, START], b.jw305(b.levering("700001")),
     [T, START], b.jw305(b.levering("700001", status="2"))),
    ("TR326", [T, START], b.jw305(b.levering("700001", "2026-03-01")),
     [T, START, b.jw307(b.levering("700001", einddatum="2026-02-28"))],
     b.jw305(b.levering("700001", "2026-03-01"))),
    ("TR382", [T, START], b.jw307(b.levering("700001", ingang="2026-01-02",
                                             einddatum="2026-06-30")),
     [T, START], b.jw307(b.levering("700001", einddatum="2026-06-30"))),
    ("TR413", [T, START, b.jw307(b.levering("700001", einddatum="2026-03-31", reden="20"))],
     b.jw307(b.levering("700001", einddatum="2026-04-30", reden="20")),
     [T, START, b.jw307(b.levering("700001", einddatum="2026-03-31", reden="20"))],
     b.jw307(b.levering("700001", einddatum="2026-04-30", reden="31"))),
    ("TR414", [T, START, b.jw307(b.levering("700001", einddatum="2026-06-30"))],
     b.jw307(b.levering("700001", einddatum="2026-05-31", status="2")),
     [T, START, b.jw307(b.levering("700001", einddatum="2026-06-30"))],
     b.jw307(b.levering("700001", einddatum="2026-06-30", status="2"))),
    ("TR415", [T, START, b.jw307(b.levering("700001", einddatum="2026-06-30"))],
     b.jw307(b.levering("700001", einddatum="2026-07-31")),
     [T, START, b.jw307(b.levering("700001", einddatum="2026-06-30", reden="20"))],
     b.jw307(b.levering("700001", einddatum="2026-07-31"))),
    ("TR332", [T], b.jw301(b.toegewezen("700001"), bsn=b.BSN2),
     [T], b.jw301(b.toegewezen("700001", eind="2027-06-30"))),
    ("TR379", [], b.jw301(b.toegewezen("700005", ref="R9")),
     [b.jw315(b.aangevraagd("R9"))], b.jw301(b.toegewezen("700005", ref="R9"))),
    ("TR385", [T, P1], b.jw301(b.toegewezen("700001", eind="2026-01-01", reden="13")),
     [T], b.jw301(b.toegewezen("700001", eind="2026-01-01", reden="13"))),
    ("TR347", [b.jw315(b.aangevraagd("R1"))], b.jw315(b.aangevraagd("R1"), bsn=b.BSN2),
     [b.jw315(b.aangevraagd("R1"))], b.jw315(b.aangevraagd("R2"), bsn=b.BSN2)),
    ("TR374", [b.jw315(b.aangevraagd("R1"))], b.jw315(b.aangevraagd("R2")),
     [b.jw315(b.aangevraagd("R1")), b.jw301(b.toegewezen("700001", ref="R1"))],
     b.jw315(b.aangevraagd("R2"))),
    ("TR349", [b.jw301(b.toegewezen("700001"), b.toegewezen("700002", code="45A06"))],
     b.jw317("R5", ongewijzigd=("700001",)),
     [b.jw301(b.toegewezen("700001"), b.toegewezen("700002", code="45A06"))],
     b.jw317("R5", ongewijzigd=("700001", "700002"))),
    ("TR350", [T], b.jw317("R5", ongewijzigd=("700099",)),
     [T], b.jw317("R5", ongewijzigd=("700001",))),
    ("TR351", [T], b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700099",
                                              "GewensteIngangsdatum": "2026-06-01"},)),
     [T], b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700001",
                                     "GewensteIngangsdatum": "2026-06-01"},))),
    ("TR357", [T], b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700001",
                                              "GewensteIngangsdatum": "2026-04-01"},)),
     [T], b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700001",
                                     "GewensteIngangsdatum": "2026-01-01"},))),
    ("TR361", [T], b.jw317("R5", ongewijzigd=("700001",), nieuw=(
        {"Product": {"Categorie": "45", "Code": "45A05"}, "GewensteIngangsdatum": "2026-06-01",
         "Einddatum": "2026-12-31"},)),
     [T], b.jw317("R5", ongewijzigd=("700001",), nieuw=(
         {"Product": {"Categorie": "45", "Code": "45A05"}, "GewensteIngangsdatum": "2027-01-01",
          "Einddatum": "2027-12-31"},))),
    ("TR411", [T], b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700001",
                                              "GewensteIngangsdatum": "2026-01-01",
                                              "Budget": "5000"},)),
     [T], b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700001",
                                     "GewensteIngangsdatum": "2026-01-01", "Omvang": {
                                         "Volume": "120", "Eenheid": "04",
                                         "Frequentie": "6"}},))),
    ("TR373", [BUDGET], b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700001",
                                                   "GewensteIngangsdatum": "2026-06-01",
                                                   "Budget": "200000"},)),
     [BUDGET], b.jw317("R5", tewijzigen=({"ToewijzingNummer": "700001",
                                          "GewensteIngangsdatum": "2026-01-01",
                                          "Budget": "200000"},))),
    ("TR355", [], b.jw319("R9"), [b.jw315(b.aangevraagd("R9"))], b.jw319("R9")),
    ("TR359", [b.jw315(b.aangevraagd("R1")), b.jw301(b.toegewezen("700001", ref="R1"))],
     b.jw319("R1"), [b.jw315(b.aangevraagd("R1"))], b.jw319("R1")),
    ("TR360", [b.jw315(b.aangevraagd("R1")), b.jw319("R1", "2")], b.jw319("R1", "2"),
     [b.jw315(b.aangevraagd("R1"))], b.jw319("R1", "2")),
    ("TR365", [b.jw315(b.aangevraagd("R1")), b.jw319("R1", "1")], b.jw319("R1", "1"),
     [b.jw315(b.aangevraagd("R1")), b.jw319("R1", "2")], b.jw319("R1", "1")),
    ("TR338", [T], b.jw323(b.prestatie("P1", "700099")), [T], P1),
    ("TR304", [T], b.jw323(b.prestatie("P1"), bsn=b.BSN2), [T], P1),
    ("TR307", [b.jw301(b.toegewezen("700001", ingang="2026-02-01"))], P1,
     [b.jw301(b.toegewezen("700001", ingang="2026-02-01"))],
     b.jw323(b.prestatie("P1", begin=FEB[0], eind=FEB[1]), periode=FEB)),
    ("TR308", [b.jw301(b.toegewezen("700001", eind="2026-01-31"))],
     b.jw323(b.prestatie("P1", begin=FEB[0], eind=FEB[1]), periode=FEB),
     [b.jw301(b.toegewezen("700001", eind="2026-01-31"))], P1),
    ("TR339", [T], b.jw323(b.prestatie("P1", categorie="43")), [T], P1),
    ("TR340", [T], b.jw323(b.prestatie("P1", code="45A06")), [T], P1),
    ("TR341", [T], b.jw323(b.prestatie("P1", eenheid="14")), [T],
     b.jw323(b.prestatie("P1", eenheid="01", volume=480, tarief=120))),
    ("TR321", [MAAND], b.jw323(b.prestatie("P1", volume=11)), [MAAND],
     b.jw323(b.prestatie("P1", volume=10))),
    ("TR322", [T, b.jw323(b.prestatie("P1", volume=60))],
     b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1], volume=41), periode=FEB),
     [T, b.jw323(b.prestatie("P1", volume=60))],
     b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1], volume=40), periode=FEB)),
    ("TR369", [BUDGET, P1], b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1]), periode=FEB),
     [BUDGET, P1], b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1], volume=5),
                           periode=FEB)),
    ("TR314", [T, P1], b.jw323(b.prestatie("P1", begin=FEB[0], eind=FEB[1]), periode=FEB),
     [T, P1], b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1]), periode=FEB)),
    ("TR333", [T, P1], b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1]), periode=FEB,
                               nummer="DEC1"),
     [T, P1], b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1]), periode=FEB,
                      nummer="DEC2")),
    ("TR318", [T, P1], b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1])),
     [T, P1], b.jw323(b.prestatie("P2", begin=FEB[0], eind=FEB[1]), periode=FEB)),
    ("TR323", [T], b.jw323(b.prestatie("P2", credit_van="P1"), periode=FEB),
     [T, P1], b.jw323(b.prestatie("P2", credit_van="P1"), periode=FEB)),
    ("TR390", [T, P1, b.jw323(b.prestatie("P2", credit_van="P1"), periode=FEB)],
     b.jw323(b.prestatie("P3", credit_van="P1"), periode=("2026-03-01", "2026-03-31")),
     [T, P1], b.jw323(b.prestatie("P3", credit_van="P1"), periode=FEB)),
    ("TR389", [T, P1], b.jw323(b.prestatie("P2"), periode=FEB),
     [T, P1], b.jw323(b.prestatie("P3", credit_van="P1"), b.prestatie("P2"), periode=FEB)),
    ("TR384", [T, b.jw301(b.toegewezen("700001", reden="13"))], P1, [T], P1),
    ("TR387", [T], b.jw323(b.prestatie("P1", begin="2026-01-10")),
     [b.jw301(b.toegewezen("700001", ingang="2026-01-10"))],
     b.jw323(b.prestatie("P1", begin="2026-01-10"))),
    ("TR388", [T], b.jw323(b.prestatie("P1", eind="2026-01-20")),
     [b.jw301(b.toegewezen("700001", eind="2026-01-20"))],
     b.jw323(b.prestatie("P1", eind="2026-01-20"))),
]


@pytest.mark.parametrize("regel, h_fout, fout, h_goed, goed", GEVALLEN,
                         ids=[g[0] for g in GEVALLEN])
def test_regel_gebroken_en_grensgeval(regel, h_fout, fout, h_goed, goed) -> None:
    assert regel in regels(h_fout, fout)
    assert regel not in regels(h_goed, goed)


def test_tr418_contracttarief() -> None:
    import io

    lijst = Tarieven.lees(io.StringIO("productcode,tarief\n45A05,7000\n"), "t.csv")
    assert "TR418" in regels([T], P1, tarieven=lijst)
    assert "TR418" not in regels([T], b.jw323(b.prestatie("P1", tarief=7000)), tarieven=lijst)
    assert "TR418" not in regels([T], P1)  # without a list: not checked


def test_bevinding_noemt_het_eerdere_bericht() -> None:
    found = overstijgend.controleer(read_tree(b.jw305(b.levering("700001", "2026-03-01"))),
                                    b.eerder(T, START), "gemeente")
    tr326 = next(f for f in found if f.rule == "TR326")
    assert tr326.retourcode == "9326" and tr326.line and tr326.path.endswith("StartProduct")
    assert tr326.betreft and tr326.betreft.startswith("JW305 S")


def test_meer_dan_90_procent_geimplementeerd() -> None:
    alle = list(overstijgend.METADATA)
    assert len(alle) == 54
    assert sum(c in overstijgend.CHECKS for c in alle) / len(alle) >= 0.9


def test_regels_leest_de_tabel_zoals_de_checks() -> None:
    # ijwcli regels reads the cross-message rules' status from the table, without importing
    # their checks (a one-file call's start-up): so every row of the table has its check.
    from ijwcli.validatie.regels.overzicht import met_register

    assert met_register() == overstijgend.geimplementeerd(), (
        "overstijgend/tabel.toml heeft een rij zonder check (of omgekeerd): ijwcli regels zou "
        "die als geïmplementeerd tonen; zet de rij pas in de tabel met haar check")
