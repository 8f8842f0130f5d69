"""The 14 message types of iJw 3.2 as classes of elements.

Each :class:`Berichtdefinitie` names its code (``JW301``), BerichtCode (``436``), namespace and
root class. A retourbericht is derived from the message it answers: the header gains the
retour identification and every class (not the list wrappers) gains ``RetourCodes``.

>>> BERICHTEN["JW301"].berichtcode
'436'
>>> BERICHTEN["JW302"].root.element("Client").min
0
>>> [e.name for e in BERICHTEN["JW302"].klasse("ToegewezenProduct").elements][-1]
'RetourCodes'
>>> bericht_voor_namespace("http://www.istandaarden.nl/ijw/3_2/jw315/schema").code
'JW315'
>>> BERICHTEN["JW305"].retour
'JW306'
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ijwcli.model.datatypes import CDT, LDT, E, Element, Klasse, many, opt

BASIS_NS = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
NS_PREFIX = "http://www.istandaarden.nl/ijw/3_2/"


def namespace(code: str) -> str:
    return f"{NS_PREFIX}{code.lower()}/schema"


@dataclass(frozen=True)
class Berichtdefinitie:
    code: str  # JW301
    berichtcode: str  # 436
    naam: str
    root: Klasse
    retour: str | None = None  # the code of the retourbericht answering this one
    heen: str | None = None  # for a retourbericht: the message it answers

    @property
    def namespace(self) -> str:
        return namespace(self.code)

    @property
    def prefix(self) -> str:
        return self.code.lower()

    @property
    def is_retour(self) -> bool:
        return self.heen is not None

    def klassen(self) -> list[Klasse]:
        """Every message class, depth first from the root, each once."""
        seen: dict[str, Klasse] = {}

        def walk(k: Klasse) -> None:
            if k.name in seen:
                return
            seen[k.name] = k
            for e in k.elements:
                if isinstance(e.type, Klasse) and not e.type.basis:
                    walk(e.type)

        walk(self.root)
        return list(seen.values())

    def klasse(self, name: str) -> Klasse:
        for k in self.klassen():
            if k.name == name:
                return k
        raise KeyError(f"{self.code} has no class {name}")


def K(name: str, *elements: Element) -> Klasse:
    return Klasse(name, tuple(elements))


def lijst(wrapper: str, item: Klasse) -> Klasse:
    """A wrapper class holding one or more ``item`` (Relaties → Relatie)."""
    return K(wrapper, many(item.name, item))


def _header(berichtcode: str, afzender: str, ontvanger: str) -> Klasse:
    return K(
        "Header",
        E("BerichtCode", LDT["LDT_BerichtCode"].restrict(berichtcode)),
        E("BerichtVersie", LDT["LDT_BerichtVersie"].restrict("3")),
        E("BerichtSubversie", LDT["LDT_BerichtSubversie"].restrict("2")),
        E("Afzender", LDT[afzender]),
        E("Ontvanger", LDT[ontvanger]),
        E("BerichtIdentificatie", CDT["CDT_BerichtIdentificatie"]),
        E("XsdVersie", CDT["CDT_XsdVersie"]),
    )


GEMEENTE, AANBIEDER = "LDT_Gemeente", "LDT_AgbCode"
L, C = LDT, CDT


def _client_basis(naam: str) -> tuple[Element, ...]:
    return (
        E("Bsn", L["LDT_BurgerServicenummer"]),
        E("Geboortedatum", C["CDT_Geboortedatum"]),
        E("Geslacht", L["LDT_Geslacht"]),
        E("Naam", C[naam]),
    )


# --- JW301 toewijzing ------------------------------------------------------------------------
_contact = K(
    "Contact",
    E("Soort", L["LDT_AdresSoort"]),
    opt("Adres", C["CDT_Adres"]),
    opt("Organisatie", L["LDT_Organisatienaam"]),
    opt("Telefoon", C["CDT_Telefoonnummers"]),
    opt("Emailadres", L["LDT_Emailadres"]),
    opt("Periode", C["CDT_OpenPeriode"]),
)
_relatie = K(
    "Relatie",
    E("Nummer", L["LDT_Persoonsid"]),
    opt("Volgorde", L["LDT_RelatieVolgorde"]),
    E("Soort", L["LDT_SoortRelatie"]),
    opt("Geboortedatum", C["CDT_Geboortedatum"]),
    opt("Geslacht", L["LDT_Geslacht"]),
    E("Naam", C["CDT_VolledigeNaam"]),
    E("Contact", _contact),
)
_toegewezen_product = K(
    "ToegewezenProduct",
    E("ToewijzingNummer", L["LDT_Nummer"]),
    opt("ReferentieAanbieder", L["LDT_Referentie"]),
    opt("Product", C["CDT_Product"]),
    E("Toewijzingsdatum", L["LDT_Datum"]),
    E("Toewijzingstijd", L["LDT_Tijd"]),
    E("Ingangsdatum", L["LDT_Datum"]),
    opt("Einddatum", L["LDT_Datum"]),
    opt("RedenWijziging", L["LDT_RedenWijziging"]),
    opt("Omvang", C["CDT_Omvang"]),
    opt("Budget", L["LDT_Budget"]),
    opt("Commentaar", L["LDT_Commentaar"]),
)
JW301 = K(
    "Root",
    E("Header", _header("436", GEMEENTE, AANBIEDER)),
    E("Client", K(
        "Client",
        *_client_basis("CDT_VolledigeNaam"),
        opt("Communicatie", C["CDT_Communicatie"]),
        opt("JuridischeStatus", L["LDT_JuridischeStatus"]),
        opt("WettelijkeVertegenwoordiging", L["LDT_WettelijkeVertegenwoordiging"]),
        opt("Commentaar", L["LDT_Commentaar"]),
        opt("Relaties", lijst("Relaties", _relatie)),
        E("Contactgegevens", lijst("Contactgegevens", _contact)),
        E("ToegewezenProducten", lijst("ToegewezenProducten", _toegewezen_product)),
    )),
)


# --- JW305 start zorg, JW307 stop zorg --------------------------------------------------------
def _start_stop(berichtcode: str, product: str, *stop: Element) -> Klasse:
    item = K(
        product,
        opt("ToewijzingNummer", L["LDT_Nummer"]),
        opt("Product", C["CDT_Product"]),
        opt("ToewijzingIngangsdatum", L["LDT_Datum"]),
        E("Begindatum", L["LDT_Datum"]),
        *stop,
        E("StatusAanlevering", L["LDT_StatusAanlevering"]),
    )
    return K(
        "Root",
        E("Header", _header(berichtcode, AANBIEDER, GEMEENTE)),
        E("Client", K("Client", *_client_basis("CDT_VerkorteNaam"),
                      E(f"{product}en", lijst(f"{product}en", item)))),
    )


JW305 = _start_stop("438", "StartProduct")
JW307 = _start_stop("440", "StopProduct", E("RedenBeeindiging", L["LDT_RedenBeeindiging"]),
                    E("Einddatum", L["LDT_Datum"]))

# --- JW315 verzoek om toewijzing --------------------------------------------------------------
JW315 = K(
    "Root",
    E("Header", _header("446", AANBIEDER, GEMEENTE)),
    E("Client", K(
        "Client",
        *_client_basis("CDT_VerkorteNaam"),
        opt("GezagsdragerBekend", L["LDT_JaNee"]),
        opt("Commentaar", L["LDT_Commentaar"]),
        E("AangevraagdeProducten", lijst("AangevraagdeProducten", K(
            "AangevraagdProduct",
            E("ReferentieAanbieder", L["LDT_Referentie"]),
            opt("BeschikkingNummer", L["LDT_Nummer"]),
            opt("Product", C["CDT_Product"]),
            opt("BeschikkingIngangsdatum", L["LDT_Datum"]),
            E("ToewijzingIngangsdatum", L["LDT_Datum"]),
            opt("ToewijzingEinddatum", L["LDT_Datum"]),
            opt("Omvang", C["CDT_Omvang"]),
            opt("Budget", L["LDT_Budget"]),
            E("Verwijzer", C["CDT_Verwijzer"]),
            opt("Raamcontract", L["LDT_JaNee"]),
            opt("Commentaar", L["LDT_Commentaar"]),
        ))),
    )),
)

# --- JW317 verzoek om wijziging ---------------------------------------------------------------
_wijziging = (
    E("GewensteIngangsdatum", L["LDT_Datum"]),
    opt("Einddatum", L["LDT_Datum"]),
    opt("Omvang", C["CDT_Omvang"]),
    opt("Budget", L["LDT_Budget"]),
)
JW317 = K(
    "Root",
    E("Header", _header("486", AANBIEDER, GEMEENTE)),
    E("Client", K(
        "Client",
        E("Bsn", L["LDT_BurgerServicenummer"]),
        E("Verzoek", K(
            "Verzoek",
            E("ReferentieAanbieder", L["LDT_Referentie"]),
            E("RedenVerzoek", L["LDT_RedenVerzoek"]),
            opt("OngewijzigdeProducten", lijst("OngewijzigdeProducten", K(
                "OngewijzigdProduct", E("ToewijzingNummer", L["LDT_Nummer"])))),
            opt("TeWijzigenProducten", lijst("TeWijzigenProducten", K(
                "TeWijzigenProduct", E("ToewijzingNummer", L["LDT_Nummer"]), *_wijziging))),
            opt("NieuweProducten", lijst("NieuweProducten", K(
                "NieuwProduct", opt("Product", C["CDT_Product"]), *_wijziging))),
        )),
    )),
)

# --- JW319 antwoordbericht --------------------------------------------------------------------
JW319 = K(
    "Root",
    E("Header", _header("488", GEMEENTE, AANBIEDER)),
    E("Antwoord", K(
        "Antwoord",
        E("ReferentieAanbieder", L["LDT_Referentie"]),
        E("VerzoekAntwoord", L["LDT_VerzoekAntwoord"]),
        opt("RedenAfwijzingVerzoek", L["LDT_RedenAfwijzingVerzoek"]),
        opt("Woonplaatsbeginsel", K("Woonplaatsbeginsel", E("Gemeente", L["LDT_Gemeente"]))),
    )),
)

# --- JW323 declaratie, JW325 declaratie-antwoord ----------------------------------------------
_prestatie = (
    E("ProductReferentie", C["CDT_Referentie"]),
    E("ToewijzingNummer", L["LDT_Nummer"]),
    E("ProductCategorie", L["LDT_ProductCategorie"]),
    E("ProductCode", L["LDT_ProductCode"]),
    E("ProductPeriode", C["CDT_GeslotenPeriode"]),
    E("GeleverdVolume", L["LDT_Volume"]),
    E("Eenheid", L["LDT_Eenheid"]),
    opt("ProductTarief", L["LDT_Bedrag"]),
    E("IngediendBedrag", C["CDT_BedragMetDC"]),
)
JW323 = K(
    "Root",
    E("Header", _header("490", AANBIEDER, GEMEENTE)),
    E("Declaratie", K(
        "Declaratie",
        E("DeclaratieNummer", L["LDT_IdentificatieDeclaratie"].restrict("([a-zA-Z0-9])+")),
        E("DeclaratiePeriode", C["CDT_GeslotenPeriode"]),
        E("DeclaratieDagtekening", L["LDT_Datum"]),
        E("TotaalIngediendBedrag", C["CDT_TotaalBedragMetDC"]),
        E("Clienten", lijst("Clienten", K(
            "Client",
            E("Bsn", L["LDT_BurgerServicenummer"]),
            E("Prestaties", lijst("Prestaties", K("Prestatie", *_prestatie))),
        ))),
    )),
)

_retourcodes = K("RetourCodes", many("RetourCode", L["LDT_RetourCode"]))

_h325 = _header("491", GEMEENTE, AANBIEDER)
JW325 = K(
    "Root",
    E("Header", replace(_h325, elements=(
        *_h325.elements,
        E("DeclaratieIdentificatie", C["CDT_BerichtIdentificatie"]),
        opt("XsltVersie", L["LDT_Versie"]),
        E("XsdVersieDeclaratie", C["CDT_XsdVersie"]),
        E("RetourCodes", _retourcodes),
    ))),
    opt("DeclaratieAntwoord", K(
        "DeclaratieAntwoord",
        E("DeclaratieNummer", L["LDT_IdentificatieDeclaratie"]),
        E("TotaalIngediendBedrag", C["CDT_TotaalBedragMetDC"]),
        E("TotaalToegekendBedrag", C["CDT_TotaalBedragMetDC"]),
        opt("Clienten", lijst("Clienten", K(
            "Client",
            E("Bsn", L["LDT_BurgerServicenummer"]),
            E("Prestaties", lijst("Prestaties", K(
                "Prestatie", *_prestatie, E("RetourCodes", _retourcodes)))),
            E("RetourCodes", _retourcodes),
        ))),
        E("RetourCodes", _retourcodes),
    )),
)


def _met_retourcodes(k: Klasse, done: dict[str, Klasse]) -> Klasse:
    """``k`` with RetourCodes appended to it and to every class below it (wrappers excepted)."""
    if k.name in done:
        return done[k.name]
    elements = tuple(
        replace(e, type=_met_retourcodes(e.type, done))
        if isinstance(e.type, Klasse) and not e.type.basis else e
        for e in k.elements
    )
    if not k.is_container:
        elements = (*elements, E("RetourCodes", _retourcodes))
    done[k.name] = replace(k, elements=elements)
    return done[k.name]


def _retour(heen: Klasse, berichtcode: str) -> Klasse:
    header, body = heen.elements
    h = header.type
    assert isinstance(h, Klasse) and isinstance(body.type, Klasse)
    new_header = replace(h, elements=(
        E("BerichtCode", LDT["LDT_BerichtCode"].restrict(berichtcode)),
        *h.elements[1:],
        E("IdentificatieRetour", L["LDT_IdentificatieBericht"]),
        E("DagtekeningRetour", L["LDT_Datum"]),
        opt("XsltVersie", L["LDT_Versie"]),
        E("XsdVersieRetour", C["CDT_XsdVersie"]),
        opt("RetourCodes", _retourcodes),
    ))
    return K("Root", E("Header", new_header),
             opt(body.name, _met_retourcodes(body.type, {})))


_definities = [
    Berichtdefinitie("JW301", "436", "Toewijzing Jeugdhulp", JW301, retour="JW302"),
    Berichtdefinitie("JW302", "437", "Retourbericht toewijzing", _retour(JW301, "437"),
                     heen="JW301"),
    Berichtdefinitie("JW305", "438", "Start Jeugdhulp", JW305, retour="JW306"),
    Berichtdefinitie("JW306", "439", "Retourbericht start", _retour(JW305, "439"), heen="JW305"),
    Berichtdefinitie("JW307", "440", "Stop Jeugdhulp", JW307, retour="JW308"),
    Berichtdefinitie("JW308", "441", "Retourbericht stop", _retour(JW307, "441"), heen="JW307"),
    Berichtdefinitie("JW315", "446", "Verzoek om toewijzing", JW315, retour="JW316"),
    Berichtdefinitie("JW316", "447", "Retourbericht verzoek om toewijzing",
                     _retour(JW315, "447"), heen="JW315"),
    Berichtdefinitie("JW317", "486", "Verzoek om wijziging", JW317, retour="JW318"),
    Berichtdefinitie("JW318", "487", "Retourbericht verzoek om wijziging",
                     _retour(JW317, "487"), heen="JW317"),
    Berichtdefinitie("JW319", "488", "Antwoordbericht", JW319, retour="JW320"),
    Berichtdefinitie("JW320", "489", "Retourbericht antwoord", _retour(JW319, "489"),
                     heen="JW319"),
    Berichtdefinitie("JW323", "490", "Declaratie", JW323, retour="JW325"),
    Berichtdefinitie("JW325", "491", "Declaratie-antwoord", JW325, heen="JW323"),
]

BERICHTEN: dict[str, Berichtdefinitie] = {d.code: d for d in _definities}
_BY_NS = {d.namespace: d for d in _definities}
_BY_BERICHTCODE = {d.berichtcode: d for d in _definities}


def bericht_voor_namespace(ns: str) -> Berichtdefinitie | None:
    return _BY_NS.get(ns)


def bericht_voor_berichtcode(berichtcode: str) -> Berichtdefinitie | None:
    return _BY_BERICHTCODE.get(berichtcode)


def get(code: str) -> Berichtdefinitie:
    """The definition for ``JW301``/``jw301``/``436``; raises :class:`KeyError` otherwise."""
    d = BERICHTEN.get(code.upper()) or _BY_BERICHTCODE.get(code)
    if d is None:
        raise KeyError(f"onbekend berichttype {code!r} (kies uit {', '.join(BERICHTEN)})")
    return d
