"""A whole chain replayed into the register, the derived state asserted at each step, for a
gemeente and for an aanbieder, on both backends.

JW315 → JW316 → JW301 → JW302 → JW305 → JW323 ×3 → JW325 → JW317 → JW301 → JW307
"""

from __future__ import annotations

import pytest

from ijwcli.config import Config
from ijwcli.register import open_register
from tests.registerhulp import bericht, bsn

BSN = bsn(42)
NUMMER = "700042"
ROLLEN = {"gemeente": Config(rol="gemeente", code="0855"),
          "aanbieder": Config(rol="aanbieder", code="12345678")}


def _declaratie(maand: int, ident: str) -> bytes:
    eind = {3: "31", 4: "30", 5: "31"}[maand]
    return bericht("JW323", ident, bsn_=BSN, nummer=NUMMER, vervang={
        "2026-03-01": f"2026-{maand:02d}-01", "2026-03-31": f"2026-{maand:02d}-{eind}",
        "2026-04-02": f"2026-{maand + 1:02d}-02", "DEC202603": f"DEC20260{maand}",
        "PR-2026-03-001": f"PR-2026-0{maand}-001"})


def _stap(reg, data: bytes) -> None:
    r = reg.add(data)[0]
    assert r.status == "nieuw" and r.geldig, r.bevindingen


def _status(reg, ident: str) -> str:
    return next(r["status"] for r in reg.lijst(bsn=BSN) if r["identificatie"] == ident)


@pytest.mark.parametrize("rol", list(ROLLEN))
def test_chain_from_verzoek_to_stop(register_db, rol):
    gemeente = rol == "gemeente"
    wachtend = "ontvangen" if gemeente else "verzonden"
    with open_register(register_db, ROLLEN[rol]) as reg:
        # JW315: the verzoek is waiting for an answer.
        _stap(reg, bericht("JW315", "V42", bsn_=BSN, referentie="VZ-42"))
        c = reg.client(BSN)
        assert [(v["identificatie"], v["status"]) for v in c["verzoeken"]] == [("V42", wachtend)]
        assert c["toewijzingen"] == [] and any("V42" in o for o in c["open"])
        assert reg.lijst(bsn=BSN)[0]["richting"] == ("in" if gemeente else "uit")

        # JW316 with no remarks: still waiting (a retour is no answer).
        _stap(reg, bericht("JW316", "RV42", heen="V42", bsn_=BSN, referentie="VZ-42"))
        assert reg.client(BSN)["verzoeken"][0]["status"] == wachtend
        assert _status(reg, "RV42") == "Retour"

        # JW301 honouring the verzoek (ReferentieAanbieder, TR379).
        _stap(reg, bericht("JW301", "T42", bsn_=BSN, nummer=NUMMER, referentie="VZ-42"))
        c = reg.client(BSN)
        assert c["verzoeken"][0]["status"] == "toegewezen"
        (t,) = c["toewijzingen"]
        assert (t["toewijzingnummer"], t["zorg"], t["actueel"]["identificatie"],
                t["actueel"]["volume"]) == (NUMMER, "niet gestart", "T42", 100)
        assert any("nog geen startbericht" in o for o in c["open"])
        assert _status(reg, "T42") == ("Verzonden" if gemeente else "Ontvangen")

        # JW302: the toewijzing is accepted.
        _stap(reg, bericht("JW302", "RT42", heen="T42", bsn_=BSN, nummer=NUMMER,
                           referentie="VZ-42"))
        assert _status(reg, "T42") == "Goedgekeurd"

        # JW305: care started.
        _stap(reg, bericht("JW305", "S42", bsn_=BSN, nummer=NUMMER))
        t = reg.client(BSN)["toewijzingen"][0]
        assert (t["zorg"], str(t["begindatum"])) == ("gestart", "2026-03-09")
        assert not any("startbericht" in o for o in reg.client(BSN)["open"])

        # JW323 × 3: declared per period against the toegewezen 100 uur in total.
        for maand, ident in ((3, "D42A"), (4, "D42B"), (5, "D42C")):
            _stap(reg, _declaratie(maand, ident))
        c = reg.client(BSN)
        t = c["toewijzingen"][0]
        assert [(p["periode"], p["volume"], p["bedrag"]) for p in t["gedeclareerd"]] == [
            ("2026-03", 8, 58000), ("2026-04", 8, 58000), ("2026-05", 8, 58000)]
        assert (t["gedeclareerd_volume"], t["resterend_volume"]) == (24, 76)
        assert sum("declaratie-antwoord" in o for o in c["open"]) == 3

        # JW325 on the first declaratie: approved in full.
        _stap(reg, bericht("JW325", "DA42", heen="D42A"))
        assert _status(reg, "D42A") == "Goedgekeurd"
        t = reg.client(BSN)["toewijzingen"][0]
        assert [(p["declaratie"], p["status"]) for p in t["prestaties"]] == [
            ("D42A", "toegekend"), ("D42B", "onbeantwoord"), ("D42C", "onbeantwoord")]
        assert [(p["periode"], p["toegekend_bedrag"]) for p in t["gedeclareerd"]] == [
            ("2026-03", 58000), ("2026-04", 0), ("2026-05", 0)]
        assert sum("declaratie-antwoord" in o for o in reg.client(BSN)["open"]) == 2
        # A second answer to it would see the declaratie and the first answer.
        assert [e.identificatie for e in reg.historie(bericht("JW325", "DA43", heen="D42A"))
                ] == ["D42A", "DA42"]

        # JW317: a request for change, waiting.
        _stap(reg, bericht("JW317", "W42", bsn_=BSN, nummer=NUMMER, referentie="VW-42"))
        c = reg.client(BSN)
        assert [(v["identificatie"], v["status"]) for v in c["verzoeken"]] == [
            ("V42", "toegewezen"), ("W42", wachtend)]
        assert c["verzoeken"][1]["te_wijzigen"] == [NUMMER]
        assert [(k["relatie"], k["identificatie"]) for k in reg.toon("W42")["koppelingen"]
                ] == [("wijzigt toewijzing", "T42")]

        # JW301, the new version of the same toewijzing: 130 uur until 2027-07-31.
        _stap(reg, bericht("JW301", "T42B", bsn_=BSN, nummer=NUMMER, referentie="VW-42",
                           vervang={"2026-03-02": "2026-09-05", "2027-02-28": "2027-07-31",
                                    "100": "130"}))
        c = reg.client(BSN)
        assert [v["status"] for v in c["verzoeken"]] == ["toegewezen", "toegewezen"]
        assert [d["identificatie"] for d in c["verzoeken"][1]["toegewezen_door"]] == ["T42B"]
        assert [(k["relatie"], k["identificatie"]) for k in reg.toon("W42")["koppelingen"]
                ] == [("toegewezen door", "T42B"), ("wijzigt toewijzing", "T42")]
        t = c["toewijzingen"][0]
        assert [h["identificatie"] for h in t["historie"]] == ["T42", "T42B"]
        assert (t["actueel"]["volume"], str(t["actueel"]["einddatum"]), t["resterend_volume"]
                ) == (130, "2027-07-31", 106)
        assert reg.toewijzing(NUMMER).identificatie == "T42B"
        assert [e.identificatie for e in reg.toewijzing_historie(NUMMER)] == ["T42", "T42B"]

        # JW307: care stopped.
        _stap(reg, bericht("JW307", "E42", bsn_=BSN, nummer=NUMMER))
        t = reg.client(BSN)["toewijzingen"][0]
        assert (t["zorg"], str(t["einddatum_zorg"]), t["reden_beeindiging"]) == (
            "gestopt", "2026-10-23", "31")
        # The JW325 approving all names no client: the timeline finds it through its JW323.
        assert len(reg.lijst(bsn=BSN)) == 11
        assert [r["bericht"] for r in reg.client(BSN)["berichten"]].count("JW325") == 1
        assert len(reg.client(BSN)["berichten"]) == 12


def test_rejected_retour_and_intrekking(register_db):
    with open_register(register_db, ROLLEN["gemeente"]) as reg:
        _stap(reg, bericht("JW301", "T50", bsn_=BSN, nummer=NUMMER))
        # A JW302 refusing the product: the JW301 is afgekeurd.
        _stap(reg, bericht("JW302", "RT50", heen="T50", bsn_=BSN, nummer=NUMMER,
                           vervang={"0200": "0611"}))
        assert _status(reg, "T50") == "Afgekeurd"
        assert reg.lijst(status="afgekeurd")[0]["identificatie"] == "T50"
        # An intrekking (RedenWijziging 13, Einddatum = Ingangsdatum) becomes the current one.
        ingetrokken = bericht("JW301", "T51", bsn_=BSN, nummer=NUMMER, vervang={
            "2026-03-02": "2026-03-20", "2027-02-28": "2026-03-01"}).replace(
            b"<jw301:Omvang>", b"<jw301:RedenWijziging>13</jw301:RedenWijziging>\r\n"
            b"\t\t\t\t<jw301:Omvang>")
        _stap(reg, ingetrokken)
        t = reg.client(BSN)["toewijzingen"][0]
        assert (t["zorg"], t["actueel"]["reden_wijziging"]) == ("ingetrokken", "13")
        assert reg.toewijzing(NUMMER).identificatie == "T51"
