"""Every in-message rule: one failing message (a mutated sample) and one passing message.

The passing message is the sample itself (made rule-clean where the sample is not); the
failing one changes only what the rule is about and breaks that rule alone, schema-valid.
GEVALLEN adds each rule's edges (dates equal at the boundary, the 31-12-2020 cut-off, open
ends, the other half of 'anders leeg laten'), so an inverted or off-by-one check fails a test.
The rule table must cover every rule code of the reference tables, with their message types
(read from ../shared at run time).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
from collections.abc import Callable

import pytest
from lxml import etree

from ijwcli.bericht import read_tree
from ijwcli.model.berichten import BASIS_NS
from ijwcli.validatie import validate_tree
from ijwcli.validatie.regels import CHECKS, TABEL, productcodes
from ijwcli.validatie.regels.overzicht import GEIMPLEMENTEERD, aandeel, overzicht
from tests.conftest import SAMPLES, needs_shared

TODAY = dt.date(2026, 12, 31)
Tree = etree._ElementTree


def sample(code: str) -> Tree:
    f = next(SAMPLES.glob(f"{code.lower()}_*.xml"))
    tree = read_tree(f.read_bytes())
    return tree


def f_all(t: Tree, name: str) -> list[etree._Element]:
    return list(t.getroot().iter(f"{{*}}{name}"))


def f_opt(t: Tree, name: str) -> etree._Element | None:
    found = f_all(t, name)
    return found[0] if found else None


def f(t: Tree, name: str, i: int = 0) -> etree._Element:
    return f_all(t, name)[i]


def val(t: Tree, name: str) -> str | None:
    el = f_opt(t, name)
    return el.text if el is not None else None


def zet(t: Tree, name: str, text: str, i: int = 0) -> None:
    f(t, name, i).text = text


def weg(t: Tree, name: str, i: int = 0) -> None:
    el = f(t, name, i)
    el.getparent().remove(el)


def add(parent: etree._Element, name: str, text: str | None = None, basis: bool = False
        ) -> etree._Element:
    ns = BASIS_NS if basis else etree.QName(parent).namespace
    el = etree.SubElement(parent, f"{{{ns}}}{name}")
    el.text = text
    return el


def dubbel(t: Tree, name: str, **wijzig: str) -> etree._Element:
    el = f(t, name)
    kopie = copy.deepcopy(el)
    for naam_, waarde in wijzig.items():
        next(kopie.iter(f"{{*}}{naam_}")).text = waarde
    el.addnext(kopie)
    return kopie


def na(anker: etree._Element, name: str, text: str | None = None) -> etree._Element:
    """A new element right after ``anker``, in its namespace (siblings share one).

    Mutations put what they add where the schema wants it, so that the failing message
    breaks the rule under test and nothing else (no XSD finding beside it).
    """
    el = etree.Element(f"{{{etree.QName(anker).namespace}}}{name}")
    el.text = text
    anker.addnext(el)
    return el


def voor(anker: etree._Element, name: str, text: str | None = None) -> etree._Element:
    """A new element right before ``anker``, in its namespace."""
    el = etree.Element(f"{{{etree.QName(anker).namespace}}}{name}")
    el.text = text
    anker.addprevious(el)
    return el


# --- the mutations: rule code → (message type, function that breaks the rule) ---------------
# JW301 sample: the first Contact is the Relatie's (no Telefoon), the second the client's (with
# Telefoon); the Soort elements are Relatie, Relatie-contact, client-contact (index 0, 1, 2).
def _communicatie(t: Tree, vorm: str, taal: str | None = None) -> None:
    c = na(f(t, "Naam"), "Communicatie")
    add(c, "Vorm", vorm, basis=True)
    if taal:
        add(c, "Taal", taal, basis=True)


def _periode_bij_contact(t: Tree, soort: str) -> None:
    zet(t, "Soort", soort, i=1)
    p = add(f(t, "Contact"), "Periode")
    add(p, "Begindatum", "2026-01-01", basis=True)


def _partnernaam(t: Tree, naamgebruik: str) -> None:
    p = na(f(t, "Geslachtsnaam"), "Partnernaam")
    add(p, "Achternaam", "Jansen", basis=True)
    zet(t, "NaamGebruik", naamgebruik)


def _geboren(t: Tree, datum: str, gebruik: str) -> None:
    zet(t, "Datum", datum)
    add(f(t, "Geboortedatum"), "DatumGebruik", gebruik, basis=True)


def _budget(t: Tree) -> None:
    na(f(t, "Omvang"), "Budget", "100000")


def _budget_zonder_product(t: Tree) -> None:
    """A budget toewijzing: Budget instead of Omvang, no Product; the Einddatum stays."""
    _budget(t)
    weg(t, "Omvang")
    weg(t, "Product")


def _toewijzing_periode(t: Tree, begin: str, eind: str | None) -> None:
    zet(t, "Ingangsdatum", begin)
    if eind is None:
        weg(t, "Einddatum")
    else:
        zet(t, "Einddatum", eind)


def _reden_wijziging(t: Tree, reden: str) -> None:
    na(f(t, "Einddatum"), "RedenWijziging", reden)


def _tweede_toewijzing(t: Tree, begin: str, eind: str, code: str = "45A05") -> None:
    dubbel(t, "ToegewezenProduct", ToewijzingNummer="700002", Code=code, Ingangsdatum=begin,
           Einddatum=eind)


def _nieuwe_producten(t: Tree, *producten: tuple[str | None, str, str, bool]) -> None:
    verzoek = f(t, "Verzoek")
    np = add(verzoek, "NieuweProducten")
    for code, begin, eind, omvang in producten:
        p = add(np, "NieuwProduct")
        prod = add(p, "Product")
        add(prod, "Categorie", "45", basis=True)
        if code:
            add(prod, "Code", code, basis=True)
        add(p, "GewensteIngangsdatum", begin)
        add(p, "Einddatum", eind)
        if omvang:
            o = add(p, "Omvang")
            add(o, "Volume", "10", basis=True)
            add(o, "Eenheid", "04", basis=True)
            add(o, "Frequentie", "6", basis=True)


def _ongewijzigd(t: Tree) -> None:
    og = voor(f(t, "TeWijzigenProducten"), "OngewijzigdeProducten")
    add(add(og, "OngewijzigdProduct"), "ToewijzingNummer", "700002")


def _verzoek(t: Tree, ongewijzigd: bool, te_wijzigen: bool, nieuw: bool) -> None:
    """The JW317 sample with just the chosen kinds of product lines."""
    if ongewijzigd:
        _ongewijzigd(t)
    if nieuw:
        _nieuwe_producten(t, ("45A07", "2026-10-01", "2027-03-31", True))
    if not te_wijzigen:
        weg(t, "TeWijzigenProducten")


def _verwijzer(t: Tree, type_: str, naam: str | None, code: bool) -> None:
    zet(t, "Type", type_)
    if naam:
        na(f(t, "Type"), "Naam", naam)
    if not code:
        weg(t, "ZorgverlenerCode")


def _product_periode(t: Tree, begin: str, eind: str) -> None:
    zet(t, "Begindatum", begin, i=1)
    zet(t, "Einddatum", eind, i=1)


def _declaratie_periode(t: Tree, begin: str, eind: str) -> None:
    zet(t, "Begindatum", begin)
    zet(t, "Einddatum", eind)


def _periodes(t: Tree, begin: str, eind: str) -> None:
    """DeclaratiePeriode and the ProductPeriode both this period (TR319 keeps them together)."""
    _declaratie_periode(t, begin, eind)
    _product_periode(t, begin, eind)


def _oude_prestatie(t: Tree, dag: str) -> None:
    """A one-day prestatie on ``dag``, declared just under 5 years later (TR335 stays quiet)."""
    d = dt.date.fromisoformat(dag)
    zet(t, "DeclaratieDagtekening", d.replace(year=d.year + 5).isoformat())
    _product_periode(t, dag, dag)


def _prestatie_credit(t: Tree, vorig: str, ref: str = "PR-C-1") -> etree._Element:
    p = dubbel(t, "Prestatie", ReferentieNummer=ref)
    add(next(p.iter("{*}ProductReferentie")), "VorigReferentieNummer", vorig, basis=True)
    next(next(p.iter("{*}IngediendBedrag")).iter("{*}DebetCredit")).text = "C"
    return p


def _totaal_bijwerken(t: Tree) -> None:
    """Set TotaalIngediendBedrag to the signed sum of the prestaties, so TR358 stays quiet."""
    som = 0
    for bedrag in f_all(t, "IngediendBedrag"):
        k = {etree.QName(c).localname: c.text for c in bedrag}
        som += -int(k["Bedrag"]) if k["DebetCredit"] == "C" else int(k["Bedrag"])
    zet(t, "TotaalBedrag", str(abs(som)))
    f(t, "TotaalIngediendBedrag")[1].text = "C" if som < 0 else "D"


def _credits(t: Tree, *vorige: str, referenties: tuple[str, ...] = ("C1", "C2")) -> None:
    """Credit lines (copies of the sample's prestatie) crediting ``vorige``; totals kept right."""
    for vorig, ref in zip(vorige, referenties, strict=False):
        _prestatie_credit(t, vorig, ref)
    _totaal_bijwerken(t)


def _tweede_debet(t: Tree, **wijzig: str) -> None:
    dubbel(t, "Prestatie", ReferentieNummer="PR-2026-03-002", **wijzig)
    _totaal_bijwerken(t)


def _enige_prestatie_credit(t: Tree, vorig: str | None) -> None:
    zet(t, "DebetCredit", "C", i=1)  # index 0 is the total's
    if vorig:
        add(f(t, "ProductReferentie"), "VorigReferentieNummer", vorig, basis=True)
    _totaal_bijwerken(t)


def _nul_prestatie(t: Tree, dc: str) -> None:
    """The sample's prestatie with volume and amount 0 (a correction line)."""
    zet(t, "GeleverdVolume", "0")
    zet(t, "Bedrag", "0")
    if dc == "C":
        _enige_prestatie_credit(t, "OUD-1")
    _totaal_bijwerken(t)


def _in_euro(t: Tree, tarief: bool) -> None:
    """Eenheid 83 (euro's): the volume is the amount itself."""
    zet(t, "Eenheid", "83")
    zet(t, "GeleverdVolume", val(t, "Bedrag") or "")
    if not tarief:
        weg(t, "ProductTarief")


def _naar_325(el: etree._Element) -> etree._Element:
    """A copy of a JW323 subtree with its message elements in the JW325 namespace."""
    kopie = copy.deepcopy(el)
    for e in kopie.iter(etree.Element):
        q = etree.QName(e)
        if q.namespace.endswith("/jw323/schema"):
            e.tag = f"{{{q.namespace.replace('jw323', 'jw325')}}}{q.localname}"
    return kopie


def _prestatie_325(t: Tree, *retourcodes: str) -> None:
    """The JW323 sample's client and prestatie in the declaratie-antwoord, with these codes."""
    client = _naar_325(f(sample("JW323"), "Client"))
    f(t, "RetourCodes", 1).addprevious(clienten := etree.Element(
        f"{{{etree.QName(f(t, 'DeclaratieAntwoord')).namespace}}}Clienten"))
    clienten.append(client)
    for el in (f(t, "Prestatie"), client):
        rc = add(el, "RetourCodes")
        for code in retourcodes:
            add(rc, "RetourCode", code)


def _jw301_afzender(t: Tree) -> None:
    zet(t, "Afzender", "0999")


MUTATIES: dict[str, tuple[str, Callable[[Tree], object]]] = {
    # header and client
    "TR135": ("JW301", lambda t: zet(t, "Dagtekening", "2027-01-05")),
    "TR378": ("JW301", _jw301_afzender),
    "TR002": ("JW301", lambda t: zet(t, "Datum", "1900-06-01")),
    "TR134": ("JW301", lambda t: zet(t, "Toewijzingsdatum", "2026-04-01")),
    "CS139": ("JW301", lambda t: add(f(t, "Geboortedatum"), "DatumGebruik", "1", basis=True)),
    "CS050": ("JW301", lambda t: zet(t, "NaamGebruik", "2")),
    "CS318": ("JW301", lambda t: zet(t, "NaamGebruik", "6")),
    "CD007": ("JW301", lambda t: _communicatie(t, "1")),
    "TR101": ("JW317", lambda t: dubbel(t, "TeWijzigenProduct")),
    # contacts and addresses
    # (The client's contact made a correspondentieadres: CD034 asks a BRP-adres for a Postcode.)
    "TR006": ("JW301", lambda t: (zet(t, "Soort", "02", i=2), weg(t, "Telefoon"),
                                  weg(t, "Postcode", i=1), weg(t, "LandCode", i=1))),
    "TR061": ("JW301", lambda t: zet(t, "Soort", "04", i=2)),
    "CD005": ("JW301", lambda t: weg(t, "LandCode")),
    "CD009": ("JW301", lambda t: _periode_bij_contact(t, "01")),
    "CD025": ("JW301", lambda t: weg(t, "Huis", i=1)),
    "CD034": ("JW301", lambda t: (weg(t, "Postcode", i=1), weg(t, "LandCode", i=1))),
    # toewijzing and product lines
    "CS335": ("JW301", lambda t: _reden_wijziging(t, "13")),
    "CS336": ("JW301", lambda t: _reden_wijziging(t, "01")),
    "CD079": ("JW301", lambda t: (weg(t, "Product"), weg(t, "Omvang"))),
    "CD075": ("JW301", lambda t: (_budget_zonder_product(t), weg(t, "Einddatum"))),
    "CD076": ("JW301", lambda t: (zet(t, "Frequentie", "2"), weg(t, "Einddatum"))),
    "CD041": ("JW301", lambda t: weg(t, "Omvang")),
    "CD077": ("JW301", _budget),
    "CD078": ("JW301", _budget),
    "CD080": ("JW301", lambda t: weg(t, "Code")),
    "CS338": ("JW301", lambda t: (zet(t, "Eenheid", "14"), zet(t, "Frequentie", "1"))),
    "TR302": ("JW301", lambda t: _tweede_toewijzing(t, "2027-01-01", "2027-06-30")),
    "TR018": ("JW307", lambda t: zet(t, "Einddatum", "2026-03-01")),
    "CS058": ("JW305", lambda t: zet(t, "StatusAanlevering", "2")),
    # verzoek om toewijzing
    "CD066": ("JW315", lambda t: _verwijzer(t, "02", "Dr. Jansen", code=True)),
    "CD067": ("JW315", lambda t: weg(t, "ZorgverlenerCode")),
    "CD068": ("JW315", lambda t: zet(t, "Type", "01")),
    "CD043": ("JW315", lambda t: na(f(t, "ReferentieAanbieder"), "BeschikkingNummer", "12")),
    "TR383": ("JW315", lambda t: dubbel(t, "AangevraagdProduct", Code="45A06")),
    "TR319": ("JW323", lambda t: _product_periode(t, "2026-04-01", "2026-04-02")),
    "TR386": ("JW315", lambda t: dubbel(t, "AangevraagdProduct", ReferentieAanbieder="VZ-2")),
    "CD095": ("JW315", lambda t: weg(t, "Code")),
    "CS343": ("JW315", lambda t: (zet(t, "Eenheid", "16"), zet(t, "Frequentie", "1"))),
    # verzoek om wijziging
    "TR352": ("JW317", lambda t: _verzoek(t, ongewijzigd=False, te_wijzigen=False, nieuw=True)),
    "TR353": ("JW317", lambda t: _verzoek(t, ongewijzigd=True, te_wijzigen=False, nieuw=False)),
    "TR380": ("JW317", lambda t: _nieuwe_producten(t, ("45A07", "2026-08-01", "2027-03-31", True))),
    "TR410": ("JW317", lambda t: _nieuwe_producten(t, ("45A07", "2026-10-01", "2027-03-31", True),
                                                   ("45A07", "2027-03-01", "2027-09-30", True))),
    "CD096": ("JW317", lambda t: _nieuwe_producten(t, (None, "2026-10-01", "2027-03-31", True))),
    # antwoord
    "CD085": ("JW319", lambda t: weg(t, "RedenAfwijzingVerzoek")),
    "CD086": ("JW319", lambda t: zet(t, "VerzoekAntwoord", "2")),
    "TR377": ("JW319", lambda t: zet(t, "RedenAfwijzingVerzoek", "8")),
    "TR409": ("JW319", lambda t: add(add(f(t, "Antwoord"), "Woonplaatsbeginsel"), "Gemeente",
                                     "0855")),  # the sample's RedenAfwijzingVerzoek is not 8
    # declaratie
    "TR137": ("JW323", lambda t: _product_periode(t, "2026-03-10", "2026-03-09")),
    "TR335": ("JW323", lambda t: _product_periode(t, "2021-01-01", "2021-01-31")),
    "CS100": ("JW323", lambda t: _oude_prestatie(t, "2020-12-31")),
    "CS340": ("JW323", lambda t: _periodes(t, "2026-03-01", "2026-03-30")),
    "CS337": ("JW323", lambda t: zet(t, "Begindatum", "2026-02-27", i=1)),
    "CS325": ("JW325", lambda t: (zet(t, "TotaalBedrag", "0"), zet(t, "TotaalBedrag", "0", i=1),
                                  zet(t, "DebetCredit", "C", i=1))),
    "CD060": ("JW323", lambda t: add(f(t, "ProductReferentie"), "VorigReferentieNummer", "X",
                                     basis=True)),
    "TR315": ("JW323", lambda t: _credits(t, "OUD-1", "OUD-1")),
    "TR316": ("JW323", lambda t: _credits(t, "PR-2026-03-001")),
    "TR416": ("JW323", _tweede_debet),
    "TR358": ("JW323", lambda t: zet(t, "TotaalBedrag", "1")),
    "CD087": ("JW323", lambda t: weg(t, "ProductTarief")),
    "CS339": ("JW323", lambda t: (zet(t, "Eenheid", "83"), weg(t, "ProductTarief"))),
    "TR346": ("JW323", lambda t: zet(t, "ProductTarief", "7000")),
    # A prestatie that was granted in full is sent back: granted + returned > declared.
    "TR342": ("JW325", lambda t: _prestatie_325(t, "0200")),
}

# Rules that cannot fail alone: two conditions about one fact (Omvang and Budget together
# break "no Omvang with a Budget" and "no Budget with an Omvang" at once).
# A second AangevraagdProduct with the same ReferentieAanbieder is a duplicate line by that
# key as well (TR101).
SAMEN: dict[str, set[str]] = {"CD077": {"CD078"}, "CD078": {"CD077"}, "TR383": {"TR101"}}

# Each rule's edges: (rule, message, change, whether the rule fails). A passing case must leave
# the message clean, a failing one must break this rule only. Together with MUTATIES they catch
# an inverted condition, a '<' that should be '<=', a date cut-off one day off, a forgotten
# 'anders leeg laten' half and a code list one value short or long.
GEVALLEN: list[tuple[str, str, Callable[[Tree], object], bool]] = [
    # dates against today and the Dagtekening (JW301 Dagtekening 2026-03-02, today 2026-12-31)
    ("TR135", "JW301", lambda t: zet(t, "Dagtekening", "2026-12-31"), False),
    ("TR135", "JW301", lambda t: zet(t, "Dagtekening", "2027-01-01"), True),
    ("TR002", "JW301", lambda t: zet(t, "Datum", "1906-03-02"), False),
    ("TR002", "JW301", lambda t: zet(t, "Datum", "1906-03-01"), True),
    ("TR002", "JW301", lambda t: _geboren(t, "1900-01-01", "3"), False),
    ("TR002", "JW301", lambda t: _geboren(t, "1900-01-01", "2"), True),
    ("TR134", "JW301", lambda t: zet(t, "Toewijzingsdatum", "2026-03-02"), False),
    ("TR134", "JW301", lambda t: zet(t, "Toewijzingsdatum", "2026-03-03"), True),
    ("TR134", "JW301", lambda t: zet(t, "Datum", "2026-03-03"), True),
    ("TR134", "JW323", lambda t: zet(t, "DeclaratieDagtekening", "2026-04-03"), False),
    ("TR134", "JW305", lambda t: zet(t, "Begindatum", "2026-03-10"), False),
    ("TR134", "JW305", lambda t: zet(t, "Begindatum", "2026-03-11"), True),
    ("TR134", "JW307", lambda t: zet(t, "Einddatum", "2026-10-30"), False),
    ("TR134", "JW307", lambda t: zet(t, "Einddatum", "2026-10-31"), True),
    ("TR134", "JW325", lambda t: zet(t, "Dagtekening", "2026-04-09", i=1), False),
    # geboortedatum and naam
    ("CS139", "JW301", lambda t: _geboren(t, "2014-05-01", "1"), False),
    ("CS139", "JW301", lambda t: _geboren(t, "2014-05-01", "2"), True),
    ("CS139", "JW301", lambda t: _geboren(t, "2014-01-01", "2"), False),
    ("CS139", "JW301", lambda t: _geboren(t, "2014-01-01", "3"), True),
    ("CS050", "JW301", lambda t: _partnernaam(t, "2"), False),
    ("CS050", "JW301", lambda t: _partnernaam(t, "5"), True),
    ("CS050", "JW301", lambda t: zet(t, "NaamGebruik", "6", i=1), False),  # the Relatie
    ("CS050", "JW301", lambda t: zet(t, "NaamGebruik", "3", i=1), True),
    ("CS318", "JW301", lambda t: zet(t, "NaamGebruik", "6", i=1), False),
    ("CD007", "JW301", lambda t: _communicatie(t, "1", "Pools"), False),
    ("CD007", "JW301", lambda t: _communicatie(t, "2", "Pools"), True),
    ("CD007", "JW301", lambda t: _communicatie(t, "2"), False),
    # TR101 by key: a TeWijzigenProduct by its ToewijzingNummer, whatever else differs.
    ("TR101", "JW317", lambda t: dubbel(t, "TeWijzigenProduct", Einddatum="2027-08-31"), True),
    ("TR101", "JW317", lambda t: dubbel(t, "TeWijzigenProduct", ToewijzingNummer="700009"),
     False),
    ("TR101", "JW301", lambda t: f(t, "Contact", 1).addnext(copy.deepcopy(f(t, "Contact", 1))),
     True),  # the client's Contact of Soort 01 twice
    # contacts and addresses
    ("TR006", "JW301", lambda t: (zet(t, "Soort", "02", i=2), weg(t, "Huis", i=1),
                                  weg(t, "Postcode", i=1), weg(t, "LandCode", i=1)),
     False),  # Telefoon is enough
    ("TR061", "JW301", lambda t: zet(t, "Soort", "02", i=2), False),
    ("TR061", "JW301", lambda t: zet(t, "Soort", "03", i=2), False),
    ("TR061", "JW301", lambda t: (zet(t, "Soort", "02", i=2), weg(t, "Adres", i=1)), True),
    ("CD005", "JW301", lambda t: (zet(t, "Soort", "02", i=2), weg(t, "Postcode", i=1),
                                  zet(t, "LandCode", "BE", i=1)), True),
    ("CD005", "JW301", lambda t: zet(t, "LandCode", "BE", i=1), False),
    ("CD009", "JW301", lambda t: _periode_bij_contact(t, "04"), False),
    ("CD009", "JW301", lambda t: _periode_bij_contact(t, "02"), True),
    ("CD025", "JW301", lambda t: (weg(t, "Huis", i=1), zet(t, "LandCode", "BE", i=1)), False),
    ("CD034", "JW301", lambda t: weg(t, "Plaatsnaam"), False),  # the Postcode is what counts
    ("CD034", "JW301", lambda t: (zet(t, "Soort", "03", i=2), weg(t, "Postcode", i=1),
                                  weg(t, "LandCode", i=1)), True),
    ("CD034", "JW301", lambda t: (zet(t, "Soort", "02", i=2), weg(t, "Postcode", i=1),
                                  weg(t, "LandCode", i=1)), False),
    # CS089: a Dutch address needs a Dutch postcode, in either case; none at all is not one
    ("CS089", "JW301", lambda t: zet(t, "Postcode", "5038ea", i=1), False),
    ("CS089", "JW301", lambda t: zet(t, "Postcode", "0538EA", i=1), True),
    ("CS089", "JW301", lambda t: zet(t, "Postcode", "5038 EA", i=1), True),
    # start and stop
    ("TR018", "JW307", lambda t: zet(t, "Einddatum", "2026-03-09"), False),
    ("TR018", "JW307", lambda t: zet(t, "Einddatum", "2026-03-08"), True),
    ("CS058", "JW305", lambda t: zet(t, "StatusAanlevering", "3"), False),
    # toewijzing
    ("CS335", "JW301", lambda t: (_reden_wijziging(t, "13"), zet(t, "Einddatum", "2026-03-01")),
     False),
    ("CS335", "JW301", lambda t: (_reden_wijziging(t, "13"), weg(t, "Einddatum")), True),
    ("CS336", "JW301", lambda t: _reden_wijziging(t, "14"), False),
    ("CD079", "JW301", _budget_zonder_product, False),
    ("CD075", "JW301", _budget_zonder_product, False),
    ("CD076", "JW301", lambda t: (zet(t, "Frequentie", "4"), weg(t, "Einddatum")), False),
    ("CD076", "JW317", lambda t: (zet(t, "Frequentie", "2"), weg(t, "Einddatum")), True),
    ("CD041", "JW301", lambda t: (weg(t, "Code"), weg(t, "Omvang")), False),
    ("CD080", "JW301", lambda t: (_toewijzing_periode(t, "2020-01-01", "2020-12-31"),
                                  weg(t, "Code")), False),
    ("CD080", "JW301", lambda t: (_toewijzing_periode(t, "2020-01-01", "2021-01-01"),
                                  weg(t, "Code")), True),
    ("CD080", "JW301", lambda t: (_toewijzing_periode(t, "2020-01-01", None),
                                  weg(t, "Code")), True),
    ("CS338", "JW301", lambda t: (_toewijzing_periode(t, "2020-01-01", "2020-12-31"),
                                  zet(t, "Eenheid", "14"), zet(t, "Frequentie", "1")), False),
    ("CS338", "JW301", lambda t: (_toewijzing_periode(t, "2020-01-01", "2021-01-01"),
                                  zet(t, "Eenheid", "14"), zet(t, "Frequentie", "1")), True),
    ("CS338", "JW301", lambda t: (_toewijzing_periode(t, "2020-01-01", None),
                                  zet(t, "Eenheid", "84"), zet(t, "Frequentie", "1")), True),
    ("CS338", "JW301", lambda t: (zet(t, "Eenheid", "14"), zet(t, "Frequentie", "4")), False),
    ("CS338", "JW301", lambda t: (zet(t, "Eenheid", "04"), zet(t, "Frequentie", "1")), False),
    ("CS338", "JW317", lambda t: (zet(t, "Eenheid", "83"), zet(t, "Frequentie", "1")), True),
    ("TR302", "JW301", lambda t: _tweede_toewijzing(t, "2027-03-01", "2027-06-30"), False),
    ("TR302", "JW301", lambda t: _tweede_toewijzing(t, "2027-02-28", "2027-06-30"), True),
    ("TR302", "JW301", lambda t: _tweede_toewijzing(t, "2026-03-01", "2027-02-28", "45A06"),
     False),
    ("TR302", "JW301", lambda t: (_tweede_toewijzing(t, "2027-06-01", "2027-12-31"),
                                  weg(t, "Einddatum")), True),  # the first one is open
    # verzoek om toewijzing (JW315)
    ("CD066", "JW315", lambda t: _verwijzer(t, "02", "Dr. Jansen", code=False), False),
    ("CD067", "JW315", lambda t: _verwijzer(t, "05", None, code=False), True),
    ("CD067", "JW315", lambda t: _verwijzer(t, "06", None, code=False), False),
    ("CD068", "JW315", lambda t: _verwijzer(t, "06", None, code=True), True),
    ("CD068", "JW315", lambda t: _verwijzer(t, "05", None, code=True), False),
    ("CD068", "JW315", lambda t: _verwijzer(t, "01", "Gemeente Tilburg", code=True), True),
    ("CD043", "JW315", lambda t: voor(f(t, "ToewijzingIngangsdatum"), "BeschikkingIngangsdatum",
                                      "2026-02-20"), True),
    ("CD043", "JW315", lambda t: (na(f(t, "ReferentieAanbieder"), "BeschikkingNummer", "12"),
                                  voor(f(t, "ToewijzingIngangsdatum"), "BeschikkingIngangsdatum",
                                       "2026-02-20")), False),
    ("TR383", "JW315", lambda t: dubbel(t, "AangevraagdProduct", Code="45A06",
                                        ReferentieAanbieder="VZ-2"), False),
    ("TR386", "JW315", lambda t: dubbel(t, "AangevraagdProduct", ReferentieAanbieder="VZ-2",
                                        ToewijzingIngangsdatum="2027-03-01",
                                        ToewijzingEinddatum="2027-06-30"), False),
    ("TR386", "JW315", lambda t: dubbel(t, "AangevraagdProduct", ReferentieAanbieder="VZ-2",
                                        ToewijzingIngangsdatum="2027-02-28",
                                        ToewijzingEinddatum="2027-06-30"), True),
    ("CD095", "JW315", lambda t: (zet(t, "ToewijzingIngangsdatum", "2020-01-01"),
                                  zet(t, "ToewijzingEinddatum", "2020-12-31"),
                                  weg(t, "Code")), False),
    ("CD095", "JW315", lambda t: (zet(t, "ToewijzingIngangsdatum", "2020-01-01"),
                                  zet(t, "ToewijzingEinddatum", "2021-01-01"),
                                  weg(t, "Code")), True),
    ("CS343", "JW315", lambda t: (zet(t, "ToewijzingIngangsdatum", "2020-01-01"),
                                  zet(t, "ToewijzingEinddatum", "2020-12-31"),
                                  zet(t, "Eenheid", "16"), zet(t, "Frequentie", "1")), False),
    ("CS343", "JW315", lambda t: (zet(t, "ToewijzingIngangsdatum", "2020-01-01"),
                                  zet(t, "ToewijzingEinddatum", "2021-01-01"),
                                  zet(t, "Eenheid", "16"), zet(t, "Frequentie", "1")), True),
    # verzoek om wijziging (JW317, Dagtekening 2026-09-01)
    ("TR352", "JW317", lambda t: _verzoek(t, ongewijzigd=True, te_wijzigen=False, nieuw=True),
     False),
    ("TR353", "JW317", lambda t: _verzoek(t, ongewijzigd=True, te_wijzigen=False, nieuw=True),
     False),
    ("TR380", "JW317", lambda t: _nieuwe_producten(t, ("45A07", "2026-09-01", "2027-03-31", True)),
     True),
    ("TR380", "JW317", lambda t: _nieuwe_producten(t, ("45A07", "2026-09-02", "2027-03-31", True)),
     False),
    ("TR380", "JW317", lambda t: zet(t, "Einddatum", "2026-09-01"), False),  # not a new product
    ("TR410", "JW317", lambda t: _nieuwe_producten(t, ("45A07", "2026-10-01", "2027-02-28", True),
                                                   ("45A07", "2027-03-01", "2027-09-30", True)),
     False),
    # antwoord (JW319)
    ("TR377", "JW319", lambda t: (zet(t, "RedenAfwijzingVerzoek", "8"),
                                  add(add(f(t, "Antwoord"), "Woonplaatsbeginsel"), "Gemeente",
                                      "0855")), False),
    # Without a RedenAfwijzingVerzoek, TR409 has no reden to hold the class against.
    ("TR409", "JW319", lambda t: (zet(t, "VerzoekAntwoord", "2"), weg(t, "RedenAfwijzingVerzoek"),
                                  add(add(f(t, "Antwoord"), "Woonplaatsbeginsel"), "Gemeente",
                                      "0855")), False),
    ("CD085", "JW319", lambda t: (zet(t, "VerzoekAntwoord", "2"), weg(t, "RedenAfwijzingVerzoek")),
     False),
    # declaratie (JW323: Dagtekening and DeclaratieDagtekening 2026-04-02, maart 2026)
    ("TR319", "JW323", lambda t: _product_periode(t, "2026-03-31", "2026-03-31"), False),
    ("TR319", "JW323", lambda t: _periodes(t, "2026-02-01", "2026-02-28"), False),
    ("TR319", "JW323", lambda t: (_declaratie_periode(t, "2026-02-01", "2026-02-28"),
                                  _product_periode(t, "2026-03-01", "2026-03-01")), True),
    ("TR137", "JW323", lambda t: _product_periode(t, "2026-03-10", "2026-03-10"), False),
    ("TR137", "JW323", lambda t: _product_periode(t, "2026-03-10", "2026-03-09"), True),
    ("TR335", "JW323", lambda t: _product_periode(t, "2021-04-02", "2021-04-02"), False),
    ("TR335", "JW323", lambda t: _product_periode(t, "2021-04-01", "2021-04-01"), True),
    ("CS100", "JW323", lambda t: _oude_prestatie(t, "2021-01-01"), False),
    ("CS340", "JW323", lambda t: _periodes(t, "2026-03-02", "2026-03-31"), True),
    ("CS340", "JW323", lambda t: _periodes(t, "2024-02-01", "2024-02-29"), False),
    ("CS340", "JW323", lambda t: _periodes(t, "2024-02-01", "2024-02-28"), True),
    ("CS337", "JW323", lambda t: _product_periode(t, "2025-03-01", "2026-03-31"), True),
    ("CS337", "JW323", lambda t: _product_periode(t, "2026-03-31", "2026-03-31"), False),
    ("CS325", "JW323", lambda t: _nul_prestatie(t, "C"), True),
    ("CS325", "JW323", lambda t: _nul_prestatie(t, "D"), False),
    ("CD060", "JW323", lambda t: _enige_prestatie_credit(t, None), True),
    ("CD060", "JW323", lambda t: _enige_prestatie_credit(t, "OUD-1"), False),
    ("TR315", "JW323", lambda t: _credits(t, "OUD-1", "OUD-2"), False),
    ("TR316", "JW323", lambda t: _credits(t, "OUD-1"), False),
    ("TR416", "JW323", lambda t: _tweede_debet(t, ProductCode="45A06"), False),
    ("TR416", "JW323", lambda t: _tweede_debet(t, Einddatum="2026-03-15"), False),
    ("TR416", "JW323", lambda t: _credits(t, "OUD-1", referenties=("PR-2026-03-002",)), False),
    ("TR358", "JW323", lambda t: zet(t, "DebetCredit", "C"), True),  # the total's sign
    ("TR358", "JW323", lambda t: _credits(t, "OUD-1", "OUD-2"), False),
    ("CD087", "JW323", lambda t: _in_euro(t, tarief=True), True),
    ("CD087", "JW323", lambda t: _in_euro(t, tarief=False), False),
    ("CS339", "JW323", lambda t: _in_euro(t, tarief=False), False),
    # TR342: declared − granted is the sum of the prestaties sent back (the rejected ones)
    ("TR342", "JW325", lambda t: (_prestatie_325(t, "0611"), zet(t, "TotaalBedrag", "0", i=1)),
     False),
    ("TR342", "JW325", lambda t: (_prestatie_325(t, "0200", "0611"),
                                  zet(t, "TotaalBedrag", "0", i=1)), False),
    ("TR342", "JW325", lambda t: zet(t, "TotaalBedrag", "57999", i=1), True),
    # … and a declaratie rejected as a whole grants nothing
    ("TR342", "JW325", lambda t: zet(t, "RetourCode", "0611", i=1), True),
    ("TR342", "JW325", lambda t: (zet(t, "RetourCode", "0611", i=1),
                                  zet(t, "TotaalBedrag", "0", i=1)), False),
    ("TR342", "JW325", lambda t: zet(t, "RetourCode", "8001", i=1), False),
    # periods inside one product line (CS003, a constraint with its own check)
    ("CS003", "JW301", lambda t: zet(t, "Einddatum", "2026-03-01"), False),
    ("CS003", "JW301", lambda t: zet(t, "Einddatum", "2026-02-28"), True),
    ("CS003", "JW317", lambda t: _nieuwe_producten(t, ("45A07", "2026-10-01", "2026-09-30", True)),
     True),
]


def regels_van(tree: Tree) -> set[str]:
    return {e.rule for e in validate_tree(tree, "test.xml", TODAY).errors}


@pytest.mark.parametrize("code", sorted(MUTATIES))
def test_regel_faalt_op_gemuteerd_bericht(code: str) -> None:
    bericht, muteer = MUTATIES[code]
    tree = sample(bericht)
    assert code not in regels_van(tree), f"{code} faalt al op het schone {bericht}-voorbeeld"
    muteer(tree)
    gevonden = validate_tree(tree, "test.xml", TODAY).errors
    treffers = [e for e in gevonden if e.rule == code]
    assert treffers, f"{code} niet gevonden; wel: {[e.rule for e in gevonden]}"
    # The failing message fails for this rule's condition only (and no schema error).
    assert {e.rule for e in gevonden} == {code} | SAMEN.get(code, set())
    assert treffers[0].retourcode == TABEL[code].retourcode
    assert treffers[0].message and (treffers[0].path or treffers[0].line)


@pytest.mark.parametrize(("code", "bericht", "muteer", "faalt"), GEVALLEN,
                         ids=[f"{c}-{b}-{i}" for i, (c, b, _, _) in enumerate(GEVALLEN)])
def test_regel_op_de_grens(code: str, bericht: str, muteer: Callable[[Tree], object],
                           faalt: bool) -> None:
    tree = sample(bericht)
    muteer(tree)
    verwacht = {code} | SAMEN.get(code, set()) if faalt else set()
    assert regels_van(tree) == verwacht


def test_meldingen_noemen_waarden_niet_none() -> None:
    """A finding tells the element's value in Dutch; an absent value is said, not 'None'."""
    for code, bericht, muteer in [(c, b, m) for c, (b, m) in MUTATIES.items()] + [
            (c, b, m) for c, b, m, faalt in GEVALLEN if faalt]:
        tree = sample(bericht)
        muteer(tree)
        for e in validate_tree(tree, "test.xml", TODAY).errors:
            # (regel None: the line of an element the test added; parsed files have one.)
            assert "None" not in e.message.replace("regel None", ""), (code, e.message)


@pytest.mark.parametrize("code", ["JW301", "JW305", "JW307", "JW315", "JW317", "JW319",
                                  "JW323", "JW325"])
def test_schone_voorbeelden_zijn_geldig(code: str) -> None:
    assert validate_tree(sample(code), "test.xml", TODAY).errors == []


def test_elke_regel_met_controle_heeft_een_mutatietest() -> None:
    eigen = {c for c in CHECKS if TABEL[c].niveau in ("bericht", "extern")}
    zonder = eigen - set(MUTATIES) - {"TR381"}  # TR381: see its own test below
    assert not zonder


def test_tr381_alleen_met_productcodelijst(tmp_path) -> None:
    tree = sample("JW301")
    assert "TR381" not in regels_van(tree)  # no list configured: skipped
    lijst = tmp_path / "codes.csv"
    lijst.write_text("categorie,code\n45,45A99\n", "utf-8")
    try:
        productcodes.configureer(lijst)
        assert "TR381" in regels_van(tree)
        lijst.write_text("categorie;code\n45;45A05\n", "utf-8")
        productcodes.configureer(lijst)
        assert "TR381" not in regels_van(tree)
    finally:
        productcodes.configureer(None)


def test_tr381_lijst_fouten_worden_gemeld(tmp_path) -> None:
    from ijwcli.errors import FileError, InvalidInput

    slecht = tmp_path / "codes.csv"
    slecht.write_text("omschrijving\nx\n", "utf-8")
    with pytest.raises(InvalidInput, match="categorie"):
        productcodes.laad(slecht)
    with pytest.raises(FileError):
        productcodes.laad(tmp_path / "bestaat-niet.csv")


def test_tr378_woonplaatsbeginsel_met_onbekende_gemeente() -> None:
    tree = sample("JW319")
    zet(tree, "RedenAfwijzingVerzoek", "8")
    add(add(f(tree, "Antwoord"), "Woonplaatsbeginsel"), "Gemeente", "0999")
    assert {"TR378"} <= regels_van(tree)


def test_tr416_per_client_zoals_het_referentiebericht() -> None:
    # The reference JW323 declares one ToewijzingNummer for two clients in the same month and
    # product, and is valid: TR416 looks at the debets of one client.
    tree = sample("JW323")
    client = f(tree, "Client")
    tweede = copy.deepcopy(client)
    f(tree, "Clienten").append(tweede)
    next(tweede.iter("{*}Bsn")).text = "999900031"
    next(tweede.iter("{*}ReferentieNummer")).text = "PR-2026-03-002"
    _totaal_bijwerken(tree)
    assert regels_van(tree) == set()
    _tweede_debet(tree)  # a second debet for the first client: that one is TR416
    assert regels_van(tree) == {"TR416"}


def test_tr101_ziet_een_dubbele_regel_ook_met_andere_inspringing() -> None:
    tree = sample("JW317")
    regel = f(tree, "TeWijzigenProduct")
    kopie = copy.deepcopy(regel)
    for el in kopie.iter():  # the same line, written without any layout
        if len(el):
            el.text = None
        if el is not kopie:
            el.tail = None
    regel.addnext(kopie)
    assert regels_van(tree) == {"TR101"}


def test_tr101_per_klasse_sleutel() -> None:
    # A second ToegewezenProduct with another ToewijzingNummer is no duplicate line, however
    # alike (TR302 does fail: the same product in the same period) …
    tree = sample("JW301")
    dubbel(tree, "ToegewezenProduct", ToewijzingNummer="700002")
    assert regels_van(tree) == {"TR302"}
    # … and one with the same number is, whatever else differs.
    tree = sample("JW301")
    dubbel(tree, "ToegewezenProduct", Commentaar="anders", Ingangsdatum="2028-01-01",
           Einddatum="2028-06-30")
    assert regels_van(tree) == {"TR101"}


def test_tr101_per_ouder() -> None:
    # The same key under two clients is two clients' lines, not a duplicate.
    tree = sample("JW323")
    tweede = copy.deepcopy(f(tree, "Client"))
    f(tree, "Clienten").append(tweede)
    next(tweede.iter("{*}Bsn")).text = "999900031"
    _totaal_bijwerken(tree)
    assert "TR101" not in regels_van(tree)
    next(tweede.iter("{*}Bsn")).text = val(tree, "Bsn") or ""
    assert "TR101" in regels_van(tree)  # two Clients with one Bsn


def test_referentie_jw323_breekt_tr101() -> None:
    """The reference JW323 declares ReferentieNummer RN004 twice under its second client."""
    ijw = needs_shared()
    tree = read_tree((ijw / "voorbeelden" / "JW323.xml").read_bytes())
    fouten = [e for e in validate_tree(tree, "JW323.xml", TODAY).errors]
    assert {e.rule for e in fouten} == {"TR101"} and "RN004" in fouten[0].message


@pytest.mark.parametrize(("bericht", "dagtekening", "faalt"), [
    ("JW323", "2026-03-01", False), ("JW323", "2026-02-28", True),
    ("JW325", "2026-03-01", False), ("JW325", "2026-02-28", True)])
def test_tr134_begin_van_de_periode_tegen_de_dagtekening(bericht: str, dagtekening: str,
                                                          faalt: bool) -> None:
    # A period that begins after the Dagtekening ends after it too: TR137 comes with TR134
    # (the periods begin 2026-03-01; the JW325 gets the declaratie's prestatie, rejected).
    tree = sample(bericht)
    if bericht == "JW325":
        _prestatie_325(tree, "0611")
        zet(tree, "TotaalBedrag", "0", i=1)
    zet(tree, "Dagtekening", dagtekening)
    assert ("TR134" in regels_van(tree)) is faalt
    assert not faalt or "TR137" in regels_van(tree)


@pytest.mark.parametrize(("begin", "eind", "cd096"), [("2020-01-01", "2020-12-31", False),
                                                      ("2020-01-01", "2021-01-01", True)])
def test_cd096_grens_2020(begin: str, eind: str, cd096: bool) -> None:
    # A new product from 2020 begins before the request's Dagtekening: TR380 comes with it.
    tree = sample("JW317")
    _nieuwe_producten(tree, (None, begin, eind, True))
    assert regels_van(tree) == {"TR380"} | ({"CD096"} if cd096 else set())


# --- the table against the reference tables ---------------------------------------------------
def _referentiecodes() -> set[str]:
    ijw = needs_shared()
    codes = set()
    with open(ijw / "technische-regels.tsv", encoding="utf-8") as fh:
        codes |= {r["regel"] for r in csv.DictReader(fh, delimiter="\t")}
    with open(ijw / "element-regels.tsv", encoding="utf-8") as fh:
        codes |= {r["regel"] for r in csv.DictReader(fh, delimiter="\t")}
    return codes


def test_tabel_dekt_elke_referentieregel() -> None:
    ontbreekt = _referentiecodes() - set(TABEL)
    assert not ontbreekt, sorted(ontbreekt)


def test_berichttypen_per_regel_zoals_in_de_referentie() -> None:
    """A rule's check runs for the message types of the table: those must be the reference's."""
    ijw = needs_shared()
    with open(ijw / "technische-regels.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            assert set(TABEL[r["regel"]].berichten) == set(r["berichten"].split(",")), r["regel"]
    per_regel: dict[str, set[str]] = {}
    with open(ijw / "element-regels.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["regel"][:2] in ("CD", "CS") and r["bericht"].startswith("JW3"):
                per_regel.setdefault(r["regel"], set()).add(r["bericht"])
    for code, berichten in per_regel.items():
        if "*" not in TABEL[code].berichten:
            assert set(TABEL[code].berichten) == berichten, code


# Cross-message in the reference table, but the official validation XSLT checks them inside
# the message, and so does ijwcli (issue 10).
NAAR_BINNEN_BERICHT = {"TR319"}


def test_berichtoverstijgende_regels_staan_als_zodanig_in_de_tabel() -> None:
    ijw = needs_shared()
    with open(ijw / "technische-regels.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for r in rows:
        niveau = {"binnen bericht": "bericht", "externe bron": "extern",
                  "berichtoverstijgend": "berichtoverstijgend"}[r["controleniveau"]]
        if r["regel"] in NAAR_BINNEN_BERICHT:
            assert TABEL[r["regel"]].niveau == "bericht", r["regel"]
        else:
            assert TABEL[r["regel"]].niveau == niveau, r["regel"]
        assert TABEL[r["regel"]].retourcode == r["retourcode"], r["regel"]


def test_aandeel_binnen_bericht_minstens_95_procent() -> None:
    rijen = overzicht()
    assert aandeel(rijen) >= 0.95
    technisch = [r for r in rijen if r.niveau == "bericht" and r.code.startswith("TR")]
    assert len(technisch) == 22 + len(NAAR_BINNEN_BERICHT)
    assert all(r.status == GEIMPLEMENTEERD for r in technisch)


def test_tabeltekst_is_eigen_woorden() -> None:
    """No rule text of the reference table is pasted into ours."""
    ijw = needs_shared()
    with open(ijw / "technische-regels.tsv", encoding="utf-8") as fh:
        hun = {r["regel"]: r["regel_tekst"] for r in csv.DictReader(fh, delimiter="\t")}
    for code, tekst in hun.items():
        assert TABEL[code].tekst.strip() != tekst.strip(), code
