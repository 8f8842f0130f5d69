"""Every in-message rule: one failing message (a mutated sample) and one passing message.

The passing message is the sample itself (made rule-clean where the sample is not); the
failing one changes only what the rule is about. The rule table must cover every rule code of
the reference tables (read from ../shared at run time).
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
from ijwcli.regels import CHECKS, TABEL, productcodes
from ijwcli.regels.overzicht import GEIMPLEMENTEERD, aandeel, overzicht
from ijwcli.validate import validate_tree
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


def hernoem(el: etree._Element, name: str) -> None:
    el.tag = f"{{{etree.QName(el).namespace}}}{name}"


def dubbel(t: Tree, name: str, **wijzig: str) -> etree._Element:
    el = f(t, name)
    kopie = copy.deepcopy(el)
    for naam_, waarde in wijzig.items():
        next(kopie.iter(f"{{*}}{naam_}")).text = waarde
    el.addnext(kopie)
    return kopie


# --- the mutations: rule code → (message type, function that breaks the rule) ---------------
def _communicatie(t: Tree) -> None:
    c = add(f(t, "Client"), "Communicatie")
    add(c, "Vorm", "1", basis=True)


def _periode_bij_contact(t: Tree) -> None:
    p = add(f(t, "Contactgegevens")[0], "Periode")
    add(p, "Begindatum", "2026-01-01", basis=True)


def _budget(t: Tree) -> None:
    add(f(t, "ToegewezenProduct"), "Budget", "100000")


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


def _prestatie_325(t: Tree) -> None:
    da = f(t, "DeclaratieAntwoord")
    rc = f(t, "RetourCodes", 1)  # the DeclaratieAntwoord's own RetourCodes
    clienten = add(da, "Clienten")
    rc.addprevious(clienten)
    client = add(clienten, "Client")
    add(client, "Bsn", "999900018")
    p = add(add(client, "Prestaties"), "Prestatie")
    add(add(p, "RetourCodes"), "RetourCode", "0200")


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
    "CD007": ("JW301", _communicatie),
    "TR101": ("JW301", lambda t: dubbel(t, "ToegewezenProduct")),
    # contacts and addresses
    "TR006": ("JW301", lambda t: (weg(t, "Telefoon"), weg(t, "Huis"), weg(t, "Huis"))),
    "TR061": ("JW301", lambda t: zet(t, "Soort", "04", i=2)),
    "CD005": ("JW301", lambda t: weg(t, "LandCode")),
    "CD009": ("JW301", lambda t: add(f(t, "Contact"), "Periode")),
    "CD025": ("JW301", lambda t: weg(t, "Postcode")),
    "CD034": ("JW301", lambda t: weg(t, "Straatnaam")),
    # toewijzing and product lines
    "CS335": ("JW301", lambda t: add(f(t, "ToegewezenProduct"), "RedenWijziging", "13")),
    "CS336": ("JW301", lambda t: add(f(t, "ToegewezenProduct"), "RedenWijziging", "01")),
    "CD079": ("JW301", lambda t: weg(t, "Product")),
    "CD075": ("JW301", lambda t: (_budget(t), weg(t, "Omvang"), weg(t, "Einddatum"))),
    "CD076": ("JW301", lambda t: (zet(t, "Frequentie", "2"), weg(t, "Einddatum"))),
    "CD041": ("JW301", lambda t: weg(t, "Omvang")),
    "CD077": ("JW301", _budget),
    "CD078": ("JW301", _budget),
    "CD080": ("JW301", lambda t: weg(t, "Code")),
    "CS338": ("JW301", lambda t: (zet(t, "Eenheid", "14"), zet(t, "Frequentie", "1"))),
    "TR302": ("JW301", lambda t: dubbel(t, "ToegewezenProduct", ToewijzingNummer="700002",
                                        Ingangsdatum="2027-01-01", Einddatum="2027-06-30")),
    "TR018": ("JW307", lambda t: zet(t, "Einddatum", "2026-03-01")),
    "CS058": ("JW305", lambda t: zet(t, "StatusAanlevering", "2")),
    # verzoek om toewijzing
    "CD066": ("JW315", lambda t: add(f(t, "Verwijzer"), "Naam", "Dr. Jansen", basis=True)),
    "CD067": ("JW315", lambda t: weg(t, "ZorgverlenerCode")),
    "CD068": ("JW315", lambda t: zet(t, "Type", "01")),
    "CD043": ("JW315", lambda t: add(f(t, "AangevraagdProduct"), "BeschikkingNummer", "12")),
    "TR383": ("JW315", lambda t: dubbel(t, "AangevraagdProduct", Code="45A06")),
    "TR386": ("JW315", lambda t: dubbel(t, "AangevraagdProduct", ReferentieAanbieder="VZ-2")),
    "CD095": ("JW315", lambda t: weg(t, "Code")),
    "CS343": ("JW315", lambda t: (zet(t, "Eenheid", "16"), zet(t, "Frequentie", "1"))),
    # verzoek om wijziging
    "TR352": ("JW317", lambda t: hernoem(f(t, "TeWijzigenProducten"), "NieuweProducten")),
    "TR353": ("JW317", lambda t: hernoem(f(t, "TeWijzigenProducten"), "OngewijzigdeProducten")),
    "TR380": ("JW317", lambda t: zet(t, "Einddatum", "2026-08-01")),
    "TR410": ("JW317", lambda t: _nieuwe_producten(t, ("45A07", "2026-10-01", "2027-03-31", True),
                                                   ("45A07", "2027-03-01", "2027-09-30", True))),
    "CD096": ("JW317", lambda t: _nieuwe_producten(t, (None, "2026-10-01", "2027-03-31", True))),
    # antwoord
    "CD085": ("JW319", lambda t: weg(t, "RedenAfwijzingVerzoek")),
    "CD086": ("JW319", lambda t: zet(t, "VerzoekAntwoord", "2")),
    "TR377": ("JW319", lambda t: zet(t, "RedenAfwijzingVerzoek", "8")),
    "TR409": ("JW319", lambda t: add(add(f(t, "Antwoord"), "Woonplaatsbeginsel"), "Gemeente",
                                     "0855")),
    # declaratie
    "TR137": ("JW323", lambda t: zet(t, "Einddatum", "2026-04-03", i=1)),
    "TR335": ("JW323", lambda t: (zet(t, "Begindatum", "2021-01-01", i=1),
                                  zet(t, "Einddatum", "2021-01-31", i=1))),
    "CS100": ("JW323", lambda t: (zet(t, "Begindatum", "2020-12-01", i=1),
                                  zet(t, "Einddatum", "2020-12-31", i=1))),
    "CS340": ("JW323", lambda t: zet(t, "Einddatum", "2026-03-30")),
    "CS337": ("JW323", lambda t: zet(t, "Begindatum", "2026-02-27", i=1)),
    "CS325": ("JW323", lambda t: (zet(t, "TotaalBedrag", "0"), zet(t, "DebetCredit", "C"))),
    "CD060": ("JW323", lambda t: add(f(t, "ProductReferentie"), "VorigReferentieNummer", "X",
                                     basis=True)),
    "TR315": ("JW323", lambda t: (_prestatie_credit(t, "OUD-1", "C1"),
                                  _prestatie_credit(t, "OUD-1", "C2"))),
    "TR316": ("JW323", lambda t: _prestatie_credit(t, "PR-2026-03-001")),
    "TR416": ("JW323", lambda t: dubbel(t, "Prestatie", ReferentieNummer="PR-2026-03-002")),
    "TR358": ("JW323", lambda t: zet(t, "TotaalBedrag", "1")),
    "CD087": ("JW323", lambda t: weg(t, "ProductTarief")),
    "CS339": ("JW323", lambda t: (zet(t, "Eenheid", "83"), weg(t, "ProductTarief"))),
    "TR346": ("JW323", lambda t: zet(t, "ProductTarief", "7000")),
    "TR342": ("JW325", _prestatie_325),
}


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
    assert treffers[0].retourcode == TABEL[code].retourcode
    assert treffers[0].message and (treffers[0].path or treffers[0].line)


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


def test_tr416_ook_als_het_toewijzingnummer_onder_een_andere_client_staat() -> None:
    # A ToewijzingNummer is unique within the gemeente (TR332): the same number under a second
    # client is the same toewijzing, and a second debet for its period and product is TR416.
    tree = sample("JW323")
    client = f(tree, "Client")
    tweede = copy.deepcopy(client)
    f(tree, "Clienten").append(tweede)
    next(tweede.iter("{*}Bsn")).text = "999900031"
    next(tweede.iter("{*}ReferentieNummer")).text = "PR-2026-03-002"
    _totaal_bijwerken(tree)
    assert regels_van(tree) == {"TR416"}
    next(tweede.iter("{*}ToewijzingNummer")).text = "700002"  # another toewijzing: fine
    assert regels_van(tree) == set()


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


def test_berichtoverstijgende_regels_staan_als_zodanig_in_de_tabel() -> None:
    ijw = needs_shared()
    with open(ijw / "technische-regels.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for r in rows:
        niveau = {"binnen bericht": "bericht", "externe bron": "extern",
                  "berichtoverstijgend": "berichtoverstijgend"}[r["controleniveau"]]
        assert TABEL[r["regel"]].niveau == niveau, r["regel"]
        assert TABEL[r["regel"]].retourcode == r["retourcode"], r["regel"]


def test_aandeel_binnen_bericht_minstens_95_procent() -> None:
    rijen = overzicht()
    assert aandeel(rijen) >= 0.95
    technisch = [r for r in rijen if r.niveau == "bericht" and r.code.startswith("TR")]
    assert len(technisch) == 22 and all(r.status == GEIMPLEMENTEERD for r in technisch)


def test_tabeltekst_is_eigen_woorden() -> None:
    """No rule text of the reference table is pasted into ours."""
    ijw = needs_shared()
    with open(ijw / "technische-regels.tsv", encoding="utf-8") as fh:
        hun = {r["regel"]: r["regel_tekst"] for r in csv.DictReader(fh, delimiter="\t")}
    for code, tekst in hun.items():
        assert TABEL[code].tekst.strip() != tekst.strip(), code
