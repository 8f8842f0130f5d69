"""Write samples/: one valid sample message per iJw 3.2 type, built with ijwcli's own writer.

The cases tell one story: gemeente Tilburg (0855) and aanbieder 12345678 (fictitious AGB) for
client Sanne van Dijk, test BSN 999900018; a verzoek, the toewijzing, start, stop, a wijziging,
the antwoord, a declaratie, and the retourberichten for each.

Run: .venv/bin/python scripts/make_samples.py   (tests/test_samples.py checks it is in sync)
"""

from __future__ import annotations

import sys
from pathlib import Path

from ijwcli.bericht import Bericht, from_dict, to_xml

GEMEENTE, AANBIEDER, BSN = "0855", "12345678", "999900018"
XSD = {"BasisschemaXsdVersie": "1.0.0", "BerichtXsdVersie": "1.0.0"}


def header(ident: str, dag: str, gemeente_afzender: bool, **retour: object) -> dict:
    afz, ontv = (GEMEENTE, AANBIEDER) if gemeente_afzender else (AANBIEDER, GEMEENTE)
    return {"Afzender": afz, "Ontvanger": ontv,
            "BerichtIdentificatie": {"Identificatie": ident, "Dagtekening": dag},
            "XsdVersie": XSD, **retour}


def retour_header(ident: str, dag: str, gemeente_afzender: bool, codes: list[str] | None = None
                  ) -> dict:
    extra: dict[str, object] = {"IdentificatieRetour": f"R{ident}"[:12],
                                "DagtekeningRetour": "2026-03-03", "XsdVersieRetour": XSD}
    if codes:
        extra["RetourCodes"] = {"RetourCode": codes}
    return header(ident, dag, gemeente_afzender, **extra)


NAAM_KORT = {"Geslachtsnaam": {"Achternaam": "Dijk", "Voorvoegsel": "van"},
             "Voornamen": "Sanne", "Voorletters": "S"}
CLIENT_KORT = {"Bsn": BSN, "Geboortedatum": {"Datum": "2014-05-09"}, "Geslacht": "2",
               "Naam": NAAM_KORT}
OMVANG = {"Volume": "100", "Eenheid": "04", "Frequentie": "6"}
ADRES = {"Huis": {"Huisnummer": "12", "Huisletter": "A"}, "Postcode": "5038EA",
         "Straatnaam": "Stationsstraat", "Plaatsnaam": "Tilburg", "LandCode": "NL"}
OK = {"RetourCode": ["0200"]}


def _client_301(retour: bool) -> dict:
    rc = {"RetourCodes": OK} if retour else {}
    contact = {"Soort": "01", "Adres": ADRES,
               "Telefoon": {"Telefoon01": {"Telefoonnummer": "0131234567", "Landnummer": "0031"}},
               **rc}
    return {
        "Bsn": BSN, "Geboortedatum": {"Datum": "2014-05-09"}, "Geslacht": "2",
        "Naam": {**NAAM_KORT, "NaamGebruik": "1"},
        "JuridischeStatus": "01",
        "Relaties": {"Relatie": [{
            "Nummer": "1", "Volgorde": "1", "Soort": "10",
            "Naam": {"Geslachtsnaam": {"Achternaam": "Dijk", "Voorvoegsel": "van"},
                     "Voorletters": "M", "NaamGebruik": "1"},
            "Contact": {"Soort": "01", "Adres": ADRES, "Emailadres": "m.vandijk@example.nl",
                        **rc},
            **rc}]},
        "Contactgegevens": {"Contact": [contact]},
        "ToegewezenProducten": {"ToegewezenProduct": [{
            "ToewijzingNummer": "700001", "ReferentieAanbieder": "VZ-2026-0042",
            "Product": {"Categorie": "45", "Code": "45A05"},
            "Toewijzingsdatum": "2026-03-02", "Toewijzingstijd": "09:30:00",
            "Ingangsdatum": "2026-03-01", "Einddatum": "2027-02-28", "Omvang": OMVANG,
            "Commentaar": "Ambulante begeleiding thuis", **rc}]},
        **rc,
    }


def _client_305(retour: bool, stop: bool) -> dict:
    rc = {"RetourCodes": OK} if retour else {}
    product = {"ToewijzingNummer": "700001", "Product": {"Categorie": "45", "Code": "45A05"},
               "ToewijzingIngangsdatum": "2026-03-01", "Begindatum": "2026-03-09"}
    if stop:
        product |= {"RedenBeeindiging": "31", "Einddatum": "2026-10-23"}
    product |= {"StatusAanlevering": "1", **rc}
    name = "StopProduct" if stop else "StartProduct"
    return {**CLIENT_KORT, f"{name}en": {name: [product]}, **rc}


def _client_315(retour: bool) -> dict:
    rc = {"RetourCodes": OK} if retour else {}
    return {**CLIENT_KORT, "GezagsdragerBekend": "1", "AangevraagdeProducten": {
        "AangevraagdProduct": [{
            "ReferentieAanbieder": "VZ-2026-0042", "Product": {"Categorie": "45",
                                                               "Code": "45A05"},
            "ToewijzingIngangsdatum": "2026-03-01", "ToewijzingEinddatum": "2027-02-28",
            "Omvang": OMVANG,
            "Verwijzer": {"Type": "02", "ZorgverlenerCode": "01123456"},
            "Commentaar": "Verwijzing huisarts", **rc}]}, **rc}


def _client_317(retour: bool) -> dict:
    rc = {"RetourCodes": OK} if retour else {}
    return {"Bsn": BSN, "Verzoek": {
        "ReferentieAanbieder": "VW-2026-0007", "RedenVerzoek": "1",
        "TeWijzigenProducten": {"TeWijzigenProduct": [{
            "ToewijzingNummer": "700001", "GewensteIngangsdatum": "2026-03-01",
            "Einddatum": "2027-07-31",
            "Omvang": {"Volume": "130", "Eenheid": "04", "Frequentie": "6"}, **rc}]},
        **rc}, **rc}


def _antwoord(retour: bool) -> dict:
    rc = {"RetourCodes": OK} if retour else {}
    return {"ReferentieAanbieder": "VW-2026-0007", "VerzoekAntwoord": "1",
            "RedenAfwijzingVerzoek": "3", **rc}


_PRESTATIE = {"ProductReferentie": {"ReferentieNummer": "PR-2026-03-001"},
              "ToewijzingNummer": "700001", "ProductCategorie": "45", "ProductCode": "45A05",
              "ProductPeriode": {"Begindatum": "2026-03-01", "Einddatum": "2026-03-31"},
              "GeleverdVolume": "8", "Eenheid": "04", "ProductTarief": "7250",
              "IngediendBedrag": {"Bedrag": "58000", "DebetCredit": "D"}}
_TOTAAL = {"TotaalBedrag": "58000", "DebetCredit": "D"}

SAMPLES: dict[str, tuple[str, dict]] = {
    "jw301_toewijzing": ("JW301", {
        "Header": header("T2026030201", "2026-03-02", True), "Client": _client_301(False)}),
    "jw302_retour_toewijzing": ("JW302", {
        "Header": retour_header("T2026030201", "2026-03-02", True),
        "Client": _client_301(True)}),
    "jw305_start": ("JW305", {
        "Header": header("S2026031001", "2026-03-10", False),
        "Client": _client_305(False, False)}),
    "jw306_retour_start": ("JW306", {
        "Header": retour_header("S2026031001", "2026-03-10", False),
        "Client": _client_305(True, False)}),
    "jw307_stop": ("JW307", {
        "Header": header("E2026103001", "2026-10-30", False),
        "Client": _client_305(False, True)}),
    "jw308_retour_stop": ("JW308", {
        "Header": retour_header("E2026103001", "2026-10-30", False),
        "Client": _client_305(True, True)}),
    "jw315_verzoek_om_toewijzing": ("JW315", {
        "Header": header("V2026022501", "2026-02-25", False), "Client": _client_315(False)}),
    "jw316_retour_verzoek": ("JW316", {
        "Header": retour_header("V2026022501", "2026-02-25", False),
        "Client": _client_315(True)}),
    "jw317_verzoek_om_wijziging": ("JW317", {
        "Header": header("W2026090101", "2026-09-01", False), "Client": _client_317(False)}),
    "jw318_retour_wijziging": ("JW318", {
        "Header": retour_header("W2026090101", "2026-09-01", False),
        "Client": _client_317(True)}),
    "jw319_antwoord": ("JW319", {
        "Header": header("A2026090301", "2026-09-03", True), "Antwoord": _antwoord(False)}),
    "jw320_retour_antwoord": ("JW320", {
        "Header": retour_header("A2026090301", "2026-09-03", True),
        "Antwoord": _antwoord(True)}),
    "jw323_declaratie": ("JW323", {
        "Header": header("D2026040201", "2026-04-02", False),
        "Declaratie": {"DeclaratieNummer": "DEC202603", "DeclaratiePeriode": {
            "Begindatum": "2026-03-01", "Einddatum": "2026-03-31"},
            "DeclaratieDagtekening": "2026-04-02", "TotaalIngediendBedrag": _TOTAAL,
            "Clienten": {"Client": [{"Bsn": BSN, "Prestaties": {"Prestatie": [_PRESTATIE]}}]}}}),
    "jw325_declaratie_antwoord": ("JW325", {
        "Header": header("DA2026040801", "2026-04-08", True,
                         DeclaratieIdentificatie={"Identificatie": "D2026040201",
                                                  "Dagtekening": "2026-04-02"},
                         XsdVersieDeclaratie=XSD, RetourCodes={"RetourCode": ["0200"]}),
        "DeclaratieAntwoord": {"DeclaratieNummer": "DEC202603", "TotaalIngediendBedrag": _TOTAAL,
                               "TotaalToegekendBedrag": _TOTAAL, "RetourCodes": OK}}),
}


def build() -> dict[str, Bericht]:
    return {name: from_dict(code, data) for name, (code, data) in SAMPLES.items()}


def main(out: Path) -> int:
    out.mkdir(exist_ok=True)
    for name, b in build().items():
        (out / f"{name}.xml").write_bytes(to_xml(b))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parent.parent / "samples"))
