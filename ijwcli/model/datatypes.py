"""The basisschema datatypes of iJw 3.2: simple types (LDT) and composite types (CDT).

A simple type is a lexical base (``string``, ``integer``, ``date``, ``time``) narrowed by
facets; a composite type is an ordered list of elements in the basisschema namespace.

>>> LDT["LDT_AgbCode"].max_length
8
>>> LDT["LDT_Eenheid"].codes["04"]
'Uur'
>>> [e.name for e in CDT["CDT_Omvang"].elements]
['Volume', 'Eenheid', 'Frequentie']
>>> LDT["LDT_Bedrag"].max_value
99999999
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ijwcli.model import codelijsten

# Letters in Dutch initials may carry diacritics: the standard allows the Latin-1/Latin
# Extended block from À up to ỳ.
_VOORLETTERS = "([a-zA-Z\u00c0-\u1ef3])+"
# "at least one non-space character somewhere": the usual guard against blank values.
_NIET_LEEG = ".*[^\\s].*"


@dataclass(frozen=True)
class Datatype:
    """A simple type: lexical base plus facets (all optional)."""

    name: str
    base: str = "string"
    min_length: int | None = None
    max_length: int | None = None
    patterns: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    codelijst: str | None = None
    # For an anonymous narrowing: the named type it narrows.
    parent: Datatype | None = None

    @property
    def codes(self) -> dict[str, str]:
        """The code list (code → betekenis) of this type, empty when it has none."""
        return codelijsten()[self.codelijst] if self.codelijst else {}

    def restrict(self, pattern: str) -> Datatype:
        """An anonymous narrowing of this type by one more pattern (e.g. BerichtCode 436)."""
        return replace(self, name="", patterns=(pattern,), parent=self)


@dataclass(frozen=True)
class Element:
    """One element in a sequence: its name, type and cardinality (max ``None`` = unbounded)."""

    name: str
    type: Datatype | Klasse
    min: int = 1
    max: int | None = 1

    @property
    def optional(self) -> bool:
        return self.min == 0

    @property
    def repeats(self) -> bool:
        return self.max is None or self.max > 1


@dataclass(frozen=True)
class Klasse:
    """A composite type: an ordered sequence of elements.

    ``basis`` is true for the shared CDT types (their child elements live in the basisschema
    namespace); message classes put their children in the message namespace.
    """

    name: str
    elements: tuple[Element, ...]
    basis: bool = False
    doc: str = field(default="", compare=False)

    def element(self, name: str) -> Element:
        for e in self.elements:
            if e.name == name:
                return e
        raise KeyError(f"{self.name} has no element {name}")

    @property
    def is_container(self) -> bool:
        """A wrapper whose only child is one repeating element (Relaties, StartProducten …)."""
        return len(self.elements) == 1 and self.elements[0].repeats


def E(name: str, t: Datatype | Klasse, min: int = 1, max: int | None = 1) -> Element:  # noqa: A002
    return Element(name, t, min, max)


def opt(name: str, t: Datatype | Klasse) -> Element:
    return Element(name, t, 0, 1)


def many(name: str, t: Datatype | Klasse) -> Element:
    return Element(name, t, 1, None)


def _code(name: str, max_length: int) -> Datatype:
    return Datatype(name, max_length=max_length, codelijst=name)


def _tekst(name: str, max_length: int | None, pattern: str = _NIET_LEEG) -> Datatype:
    return Datatype(name, min_length=1, max_length=max_length, patterns=(pattern,))


def _getal(name: str, maximum: int) -> Datatype:
    return Datatype(name, base="integer", min_value=0, max_value=maximum)


_simple = [
    _code("LDT_AanduidingWoonadres", 2),
    _code("LDT_AdresSoort", 2),
    Datatype("LDT_AgbCode", min_length=1, max_length=8, patterns=("[0-9]{8}",)),
    _getal("LDT_Bedrag", 99_999_999),
    Datatype("LDT_BerichtCode", min_length=1, max_length=3),
    _getal("LDT_BerichtSubversie", 99),
    _getal("LDT_BerichtVersie", 99),
    _getal("LDT_Budget", 99_999_999),
    Datatype("LDT_BurgerServicenummer", min_length=1, max_length=9, patterns=("[0-9]{9}",)),
    # Free text: at least one non-blank run, newlines allowed.
    Datatype("LDT_Commentaar", min_length=1, patterns=("([.\\s]*\\S+[.\\s]*)+",)),
    _code("LDT_Communicatievorm", 1),
    # A date without time zone.
    Datatype("LDT_Datum", base="date", patterns=("[^:Z]*",)),
    _code("LDT_DatumGebruik", 1),
    _code("LDT_DebetCredit", 1),
    _code("LDT_Eenheid", 2),
    _tekst("LDT_Emailadres", 80),
    _code("LDT_Frequentie", 1),
    Datatype("LDT_Gemeente", min_length=1, patterns=("[0-9]{4}",)),
    _code("LDT_Geslacht", 1),
    _tekst("LDT_Huisletter", 1),
    _getal("LDT_Huisnummer", 99_999),
    _tekst("LDT_HuisnummerToevoeging", 4),
    _tekst("LDT_IdentificatieBericht", 12),
    Datatype("LDT_IdentificatieDeclaratie", min_length=1, max_length=12),
    _code("LDT_JaNee", 1),
    _code("LDT_JuridischeStatus", 2),
    _code("LDT_LandCode", 2),
    _tekst("LDT_Landnummer", 4),
    _tekst("LDT_Naam", 200),
    _code("LDT_NaamGebruik", 1),
    _tekst("LDT_NaamVerwijzer", 64),
    _getal("LDT_Nummer", 999_999_999),
    _tekst("LDT_Organisatienaam", 35),
    _tekst("LDT_Persoonsid", 20),
    _tekst("LDT_Plaatsnaam", 80),
    _tekst("LDT_Postcode", 8),
    _code("LDT_ProductCategorie", 2),
    _tekst("LDT_ProductCode", 5),
    _code("LDT_RedenAfwijzingVerzoek", 2),
    _code("LDT_RedenBeeindiging", 2),
    _code("LDT_RedenVerzoek", 1),
    _code("LDT_RedenWijziging", 2),
    _tekst("LDT_Referentie", 36),
    Datatype("LDT_ReferentieNummer", min_length=1, max_length=20),
    _getal("LDT_RelatieVolgorde", 99),
    _code("LDT_RetourCode", 4),
    _code("LDT_SoortRelatie", 2),
    _code("LDT_StatusAanlevering", 1),
    _tekst("LDT_Straatnaam", 24),
    _tekst("LDT_Taal", 25),
    Datatype("LDT_Telefoonnummer", min_length=1, max_length=15, patterns=("[0-9]*",)),
    # A time of day without zone or offset.
    Datatype("LDT_Tijd", base="time", patterns=("[^Z+-]+",)),
    _getal("LDT_TotaalBedrag", 999_999_999_999),
    _code("LDT_TypeVerwijzer", 2),
    # Three dot-separated whole numbers without leading zeros, e.g. 1.0.0.
    Datatype("LDT_Versie", min_length=1,
             patterns=("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)",)),
    _code("LDT_VerzoekAntwoord", 1),
    _getal("LDT_Volume", 99_999_999),
    Datatype("LDT_Voorletters", min_length=1, max_length=6, patterns=(_VOORLETTERS,)),
    _tekst("LDT_Voorvoegsel", 10),
    _code("LDT_WettelijkeVertegenwoordiging", 2),
]

LDT: dict[str, Datatype] = {t.name: t for t in _simple}
L = LDT  # short alias for the tables below


def _cdt(name: str, *elements: Element, doc: str = "") -> Klasse:
    return Klasse(name, tuple(elements), basis=True, doc=doc)


_achternaam = _cdt("CDT_Achternaam", E("Achternaam", L["LDT_Naam"]),
                   opt("Voorvoegsel", L["LDT_Voorvoegsel"]))
_huis = _cdt("CDT_Huis", E("Huisnummer", L["LDT_Huisnummer"]),
             opt("Huisletter", L["LDT_Huisletter"]),
             opt("HuisnummerToevoeging", L["LDT_HuisnummerToevoeging"]),
             opt("AanduidingWoonadres", L["LDT_AanduidingWoonadres"]))
_telefoon = _cdt("CDT_Telefoon", E("Telefoonnummer", L["LDT_Telefoonnummer"]),
                 E("Landnummer", L["LDT_Landnummer"]))

_composite = [
    _achternaam,
    _cdt("CDT_Adres", opt("Huis", _huis), opt("Postcode", L["LDT_Postcode"]),
         opt("Straatnaam", L["LDT_Straatnaam"]), opt("Plaatsnaam", L["LDT_Plaatsnaam"]),
         opt("LandCode", L["LDT_LandCode"]), doc="Adres van een contact."),
    _cdt("CDT_BedragMetDC", E("Bedrag", L["LDT_Bedrag"]), E("DebetCredit", L["LDT_DebetCredit"])),
    _cdt("CDT_BerichtIdentificatie", E("Identificatie", L["LDT_IdentificatieBericht"]),
         E("Dagtekening", L["LDT_Datum"])),
    _cdt("CDT_Communicatie", E("Vorm", L["LDT_Communicatievorm"]), opt("Taal", L["LDT_Taal"])),
    _cdt("CDT_Geboortedatum", E("Datum", L["LDT_Datum"]),
         opt("DatumGebruik", L["LDT_DatumGebruik"])),
    _cdt("CDT_GeslotenPeriode", E("Begindatum", L["LDT_Datum"]), E("Einddatum", L["LDT_Datum"])),
    _huis,
    _cdt("CDT_Omvang", E("Volume", L["LDT_Volume"]), E("Eenheid", L["LDT_Eenheid"]),
         E("Frequentie", L["LDT_Frequentie"])),
    _cdt("CDT_OpenPeriode", opt("Begindatum", L["LDT_Datum"]), opt("Einddatum", L["LDT_Datum"])),
    _cdt("CDT_Product", E("Categorie", L["LDT_ProductCategorie"]),
         opt("Code", L["LDT_ProductCode"])),
    _cdt("CDT_Referentie", E("ReferentieNummer", L["LDT_ReferentieNummer"]),
         opt("VorigReferentieNummer", L["LDT_ReferentieNummer"])),
    _telefoon,
    _cdt("CDT_Telefoonnummers", E("Telefoon01", _telefoon), opt("Telefoon02", _telefoon)),
    _cdt("CDT_TotaalBedragMetDC", E("TotaalBedrag", L["LDT_TotaalBedrag"]),
         E("DebetCredit", L["LDT_DebetCredit"])),
    _cdt("CDT_VerkorteNaam", E("Geslachtsnaam", _achternaam), opt("Voornamen", L["LDT_Naam"]),
         opt("Voorletters", L["LDT_Voorletters"])),
    _cdt("CDT_Verwijzer", E("Type", L["LDT_TypeVerwijzer"]), opt("Naam", L["LDT_NaamVerwijzer"]),
         opt("ZorgverlenerCode", L["LDT_AgbCode"])),
    _cdt("CDT_VolledigeNaam", E("Geslachtsnaam", _achternaam),
         opt("Partnernaam", _achternaam), opt("Voornamen", L["LDT_Naam"]),
         opt("Voorletters", L["LDT_Voorletters"]), E("NaamGebruik", L["LDT_NaamGebruik"])),
    _cdt("CDT_XsdVersie", E("BasisschemaXsdVersie", L["LDT_Versie"]),
         E("BerichtXsdVersie", L["LDT_Versie"])),
]

CDT: dict[str, Klasse] = {k.name: k for k in _composite}
