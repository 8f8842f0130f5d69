"""Small builders of iJw messages for the cross-message tests: a history, message by message.

Every builder returns the message as bytes (``bericht.to_xml``), valid against the schema
and the in-message rules unless a test asks otherwise, with the parties of the samples:
gemeente 0855, aanbieder 12345678, client 999900018.
"""

from __future__ import annotations

import itertools
from typing import Any

from ijwcli import bericht
from ijwcli.validatie.historie import EerderBericht

GEMEENTE, AANBIEDER, BSN, BSN2 = "0855", "12345678", "999900018", "999900006"
_teller = itertools.count(1)


def _ident(prefix: str) -> str:
    return f"{prefix}{next(_teller):06d}"


def _header(afzender: str, ontvanger: str, ident: str | None, dag: str, prefix: str,
            ) -> dict[str, Any]:
    return {"Afzender": afzender, "Ontvanger": ontvanger,
            "BerichtIdentificatie": {"Identificatie": ident or _ident(prefix),
                                     "Dagtekening": dag}}


def _client(bsn: str, volledig: bool = False) -> dict[str, Any]:
    naam: dict[str, Any] = {"Geslachtsnaam": {"Achternaam": "Dijk"}, "Voorletters": "S"}
    if volledig:
        naam["NaamGebruik"] = "1"
    return {"Bsn": bsn, "Geboortedatum": {"Datum": "2014-05-09"}, "Geslacht": "2",
            "Naam": naam}


def _contact() -> dict[str, Any]:
    return {"Contact": [{"Soort": "01", "Adres": {
        "Huis": {"Huisnummer": "12"}, "Postcode": "5038EA", "Straatnaam": "Stationsstraat",
        "Plaatsnaam": "Tilburg", "LandCode": "NL"}}]}


def toegewezen(nummer: str, ingang: str = "2026-01-01", eind: str | None = "2026-12-31", *,
               code: str | None = "45A05", categorie: str | None = "45",
               volume: int | None = 100, eenheid: str = "04", frequentie: str = "6",
               budget: int | None = None, ref: str | None = None,
               reden: str | None = None) -> dict[str, Any]:
    p: dict[str, Any] = {"ToewijzingNummer": nummer, "Toewijzingsdatum": "2025-12-20",
                         "Toewijzingstijd": "09:00:00", "Ingangsdatum": ingang}
    if categorie:
        p["Product"] = {"Categorie": categorie, **({"Code": code} if code else {})}
    if ref:
        p["ReferentieAanbieder"] = ref
    if eind:
        p["Einddatum"] = eind
    if volume is not None:
        p["Omvang"] = {"Volume": str(volume), "Eenheid": eenheid, "Frequentie": frequentie}
    if budget is not None:
        p["Budget"] = str(budget)
    if reden:
        p["RedenWijziging"] = reden
    return p


def jw301(*producten: dict[str, Any], bsn: str = BSN, dag: str = "2025-12-20",
          ident: str | None = None, gemeente: str = GEMEENTE,
          aanbieder: str = AANBIEDER) -> bytes:
    c = _client(bsn, volledig=True)
    c["JuridischeStatus"] = "01"
    c["Contactgegevens"] = _contact()
    c["ToegewezenProducten"] = {"ToegewezenProduct": list(producten)}
    return bericht.to_xml(bericht.from_dict("JW301", {
        "Header": _header(gemeente, aanbieder, ident, dag, "T"), "Client": c}))


def levering(nummer: str, begindatum: str = "2026-01-05", *, status: str = "1",
             ingang: str = "2026-01-01", code: str = "45A05", einddatum: str | None = None,
             reden: str | None = None) -> dict[str, Any]:
    p: dict[str, Any] = {"ToewijzingNummer": nummer, "Product": {"Categorie": code[:2],
                                                                 "Code": code},
                         "ToewijzingIngangsdatum": ingang, "Begindatum": begindatum,
                         "StatusAanlevering": status}
    if einddatum:
        p["Einddatum"] = einddatum
        p["RedenBeeindiging"] = reden or "31"
    return p


def jw305(*starts: dict[str, Any], bsn: str = BSN, dag: str = "2026-01-06",
          ident: str | None = None) -> bytes:
    c = _client(bsn)
    c["StartProducten"] = {"StartProduct": list(starts)}
    return bericht.to_xml(bericht.from_dict("JW305", {
        "Header": _header(AANBIEDER, GEMEENTE, ident, dag, "S"), "Client": c}))


def jw307(*stops: dict[str, Any], bsn: str = BSN, dag: str = "2026-12-31",
          ident: str | None = None) -> bytes:
    c = _client(bsn)
    c["StopProducten"] = {"StopProduct": list(stops)}
    return bericht.to_xml(bericht.from_dict("JW307", {
        "Header": _header(AANBIEDER, GEMEENTE, ident, dag, "E"), "Client": c}))


def aangevraagd(ref: str, code: str = "45A05", ingang: str = "2026-01-01",
                eind: str = "2026-12-31") -> dict[str, Any]:
    return {"ReferentieAanbieder": ref, "Product": {"Categorie": code[:2], "Code": code},
            "ToewijzingIngangsdatum": ingang, "ToewijzingEinddatum": eind,
            "Omvang": {"Volume": "100", "Eenheid": "04", "Frequentie": "6"},
            "Verwijzer": {"Type": "01"}}


def jw315(*producten: dict[str, Any], bsn: str = BSN, dag: str = "2025-12-01",
          ident: str | None = None) -> bytes:
    c = _client(bsn)
    c["GezagsdragerBekend"] = "1"
    c["AangevraagdeProducten"] = {"AangevraagdProduct": list(producten)}
    return bericht.to_xml(bericht.from_dict("JW315", {
        "Header": _header(AANBIEDER, GEMEENTE, ident, dag, "V"), "Client": c}))


def jw317(ref: str, *, ongewijzigd: tuple[str, ...] = (), tewijzigen: tuple[dict, ...] = (),
          nieuw: tuple[dict, ...] = (), bsn: str = BSN, dag: str = "2026-05-01",
          ident: str | None = None) -> bytes:
    vz: dict[str, Any] = {"ReferentieAanbieder": ref, "RedenVerzoek": "1"}
    if ongewijzigd:
        vz["OngewijzigdeProducten"] = {"OngewijzigdProduct": [
            {"ToewijzingNummer": n} for n in ongewijzigd]}
    if tewijzigen:
        vz["TeWijzigenProducten"] = {"TeWijzigenProduct": list(tewijzigen)}
    if nieuw:
        vz["NieuweProducten"] = {"NieuwProduct": list(nieuw)}
    c = {"Bsn": bsn, "Verzoek": vz}
    return bericht.to_xml(bericht.from_dict("JW317", {
        "Header": _header(AANBIEDER, GEMEENTE, ident, dag, "W"), "Client": c}))


def jw319(ref: str, antwoord: str = "1", reden: str | None = "4", *, dag: str = "2026-01-10",
          ident: str | None = None) -> bytes:
    a: dict[str, Any] = {"ReferentieAanbieder": ref, "VerzoekAntwoord": antwoord}
    if antwoord == "1" and reden:
        a["RedenAfwijzingVerzoek"] = reden
    return bericht.to_xml(bericht.from_dict("JW319", {
        "Header": _header(GEMEENTE, AANBIEDER, ident, dag, "A"), "Antwoord": a}))


def prestatie(ref: str, nummer: str = "700001", begin: str = "2026-01-01",
              eind: str = "2026-01-31", *, volume: int = 8, eenheid: str = "04",
              tarief: int = 7250, credit_van: str | None = None, code: str = "45A05",
              categorie: str = "45") -> dict[str, Any]:
    pr: dict[str, Any] = {"ReferentieNummer": ref}
    if credit_van:
        pr["VorigReferentieNummer"] = credit_van
    return {"ProductReferentie": pr, "ToewijzingNummer": nummer, "ProductCategorie": categorie,
            "ProductCode": code, "ProductPeriode": {"Begindatum": begin, "Einddatum": eind},
            "GeleverdVolume": str(volume), "Eenheid": eenheid, "ProductTarief": str(tarief),
            "IngediendBedrag": {"Bedrag": str(volume * tarief),
                                "DebetCredit": "C" if credit_van else "D"}}


def jw323(*prestaties: dict[str, Any], bsn: str = BSN, periode: tuple[str, str] = (
        "2026-01-01", "2026-01-31"), nummer: str | None = None, dag: str | None = None,
        ident: str | None = None, clienten: list[tuple[str, list[dict]]] | None = None) -> bytes:
    clienten = clienten or [(bsn, list(prestaties))]
    totaal = sum((1 if p["IngediendBedrag"]["DebetCredit"] == "D" else -1)
                 * int(p["IngediendBedrag"]["Bedrag"]) for _, ps in clienten for p in ps)
    dag = dag or _volgende_dag(periode[1])
    return bericht.to_xml(bericht.from_dict("JW323", {
        "Header": _header(AANBIEDER, GEMEENTE, ident, dag, "D"),
        "Declaratie": {
            "DeclaratieNummer": nummer or _ident("N"),
            "DeclaratiePeriode": {"Begindatum": periode[0], "Einddatum": periode[1]},
            "DeclaratieDagtekening": dag,
            "TotaalIngediendBedrag": {"TotaalBedrag": str(abs(totaal)),
                                      "DebetCredit": "D" if totaal >= 0 else "C"},
            "Clienten": {"Client": [{"Bsn": b, "Prestaties": {"Prestatie": ps}}
                                    for b, ps in clienten]}}}))


def _volgende_dag(iso: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def eerder(*berichten: bytes, richting: str = "in") -> list[EerderBericht]:
    """A history from message bytes, oldest first; the direction from the gemeente's side
    unless ``richting`` is forced."""
    uit = []
    for data in berichten:
        e = EerderBericht.uit_bytes(data, "in")
        e.richting = "uit" if e.afzender == GEMEENTE else "in"  # type: ignore[assignment]
        uit.append(e)
    return uit
