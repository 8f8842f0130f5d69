"""A message as a person reads it: pages of blocks of labelled fields, every code explained.

:func:`lees_bytes` turns the bytes of any of the 14 message types into a :class:`Pagina`: the
findings of the validator on top, the header (afzender and ontvanger with the gemeentenaam
where the CBS list knows it), then one :class:`Blok` per client, product, relatie, contact or
prestatie, with dates as DD-MM-JJJJ, amounts in euros, periods with their length and each
code beside its meaning from the project's code lists. A retourbericht carries each
RetourCode at the class it judges. A message that breaks the rules is still shown as far as it
can be read; one that is no XML at all gives a page with only its findings.

>>> from pathlib import Path
>>> p = lees_bytes(Path("samples/jw301_toewijzing.xml").read_bytes(), "jw301.xml")
>>> p.titel, p.geldig
('JW301 Toewijzing Jeugdhulp', True)
>>> [(v.label, v.waarde, v.betekenis) for v in p.kop.velden][:2]
[('Afzender', '0855', 'Tilburg'), ('Ontvanger', '12345678', 'aanbieder (AGB-code)')]
>>> product = p.blokken[0].blokken[-1]
>>> product.titel
'ToegewezenProduct 700001 · 45A05'
>>> [(v.waarde, v.betekenis) for v in product.velden if v.label in ("Omvang", "Looptijd")]
[('100 Uur', 'Eenheid 04 = Uur; Frequentie 6 = Totaal binnen geldigheidsduur toewijzing'), \
('12 maanden', '01-03-2026 t/m 28-02-2027')]
>>> lees_bytes(b"<kapot", "x.xml").meldingen[0].tekst.startswith("geen goedgevormde XML")
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ijwcli.bericht import PRODUCT_KLASSEN, Node, definitie_van, from_tree, read_tree
from ijwcli.errors import InvalidMessage
from ijwcli.model import gemeenten
from ijwcli.model.berichten import BERICHTEN
from ijwcli.model.datatypes import Datatype, Klasse, codelijsten
from ijwcli.toon import opmaak

GOED = "0200"  # "geen opmerking": the RetourCode of a class without findings
# Header elements a reader does not need: they are fixed by the message type.
_TECHNISCH = frozenset({"BerichtCode", "BerichtVersie", "BerichtSubversie", "XsdVersie",
                        "XsdVersieRetour"})
_BEDRAGEN = frozenset({"LDT_Bedrag", "LDT_Budget", "LDT_TotaalBedrag"})
# Begin and end of the period a product line covers, per product class.
_PERIODES = (("Ingangsdatum", "Einddatum"), ("ToewijzingIngangsdatum", "ToewijzingEinddatum"),
             ("GewensteIngangsdatum", "Einddatum"), ("Begindatum", "Einddatum"))


@dataclass
class Veld:
    label: str
    waarde: str
    betekenis: str = ""


@dataclass
class Retourcode:
    code: str
    betekenis: str

    @property
    def goed(self) -> bool:
        return self.code == GOED


@dataclass
class Blok:
    """One class of the message (a client, a product …) with its fields and inner blocks."""

    titel: str
    soort: str  # client, product, relatie, contact, kop, … (a CSS class in the page)
    velden: list[Veld] = field(default_factory=list)
    retourcodes: list[Retourcode] = field(default_factory=list)
    blokken: list[Blok] = field(default_factory=list)

    def alle(self) -> Iterable[Blok]:
        yield self
        for b in self.blokken:
            yield from b.alle()


@dataclass
class Melding:
    """A finding of the validator, as shown on top of the page."""

    regel: str
    retourcode: str
    regelnummer: int | None
    element: str | None
    tekst: str
    waarschuwing: bool = False


@dataclass
class Pagina:
    bestand: str
    code: str | None = None
    naam: str = "onleesbaar bericht"
    identificatie: str | None = None
    dagtekening: str | None = None
    afzender: str | None = None
    ontvanger: str | None = None
    kop: Blok | None = None
    blokken: list[Blok] = field(default_factory=list)
    meldingen: list[Melding] = field(default_factory=list)
    # For a retourbericht: the message type it answers and that message's identificatie.
    heen_code: str | None = None
    heen_identificatie: str | None = None
    # The heen-bericht, when it is known (given as a file too, or from the register).
    heen: Pagina | None = None
    volgnummer: int = 0  # place in the run: anchors and file names of the pages
    # The bytes read: the register looks a heen-bericht up by them.
    inhoud: bytes = field(default=b"", repr=False, compare=False)

    @property
    def anker(self) -> str:
        return f"bericht-{self.volgnummer}"

    @property
    def slug(self) -> str:
        """A file name stem that names the message and holds no personal data."""
        ident = re.sub(r"[^A-Za-z0-9._-]", "_", self.identificatie or "")
        return "_".join(x for x in (f"{self.volgnummer:04d}", self.code or "onleesbaar", ident)
                        if x)

    @property
    def titel(self) -> str:
        return f"{self.code} {self.naam}" if self.code else self.naam

    @property
    def geldig(self) -> bool:
        return not any(not m.waarschuwing for m in self.meldingen)

    @property
    def clienten(self) -> list[str]:
        return [b.titel.removeprefix("Cliënt ") for blok in self.blokken for b in blok.alle()
                if b.soort == "client"]

    def alle_blokken(self) -> Iterable[Blok]:
        if self.kop:
            yield self.kop
        for b in self.blokken:
            yield from b.alle()


class _Ctx:
    # A plain class, not a dataclass: one is compiled from generated source at import, a cost
    # of every one-file toon; this one is never compared or printed.
    __slots__ = ("peildatum", "masker", "bsns")

    def __init__(self, peildatum: dt.date, masker: bool) -> None:
        self.peildatum, self.masker = peildatum, masker
        self.bsns: set[str] = set()


def _code(t: Datatype | None, code: str) -> str:
    if t is None or not t.codelijst:
        return ""
    return t.codes.get(code.strip(), "onbekende code")


def _lijst(naam: str, code: str | None) -> str:
    if not code:
        return ""
    return codelijsten().get(naam, {}).get(code.strip(), "onbekende code")


def _enkel(label: str, node: Node, t: Datatype | None, ctx: _Ctx) -> Veld:
    w = (node.text or "").strip()
    naam = t.parent.name if t is not None and t.parent is not None else (t.name if t else "")
    if naam == "LDT_BurgerServicenummer":
        ctx.bsns.add(w)
        return Veld(label, opmaak.maskeer(w) if ctx.masker else w)
    if naam == "LDT_Gemeente":
        g = gemeenten.naam(w, ctx.peildatum) if w else None
        return Veld(label, w, g or "gemeentecode niet in de CBS-lijst")
    if naam == "LDT_AgbCode" and label in ("Afzender", "Ontvanger"):
        return Veld(label, w, "aanbieder (AGB-code)")
    if naam in _BEDRAGEN:
        return Veld(label, opmaak.euro(w))
    if t is not None and t.base == "date":
        return Veld(label, opmaak.datum(w))
    if t is not None and t.base == "time":
        return Veld(label, opmaak.tijd(w))
    if t is not None and t.codelijst:
        return Veld(label, w, _code(t, w))
    return Veld(label, node.text or "")


def _naam(n: Node) -> str:
    voor = n.value("Voornamen") or " ".join(f"{c}." for c in (n.value("Voorletters") or ""))
    delen = [voor, n.value("Geslachtsnaam/Voorvoegsel"), n.value("Geslachtsnaam/Achternaam")]
    naam = " ".join(d.strip() for d in delen if d and d.strip())
    partner = " ".join(d for d in (n.value("Partnernaam/Voorvoegsel"),
                                   n.value("Partnernaam/Achternaam")) if d)
    return f"{naam} – {partner}" if partner else naam


def _periode(n: Node, label: str) -> Veld:
    b, e = n.value("Begindatum"), n.value("Einddatum")
    tekst = f"{opmaak.datum(b) if b else '…'} t/m {opmaak.datum(e) if e else '…'}"
    begin, eind = opmaak.iso(b), opmaak.iso(e)
    return Veld(label, tekst, opmaak.looptijd(begin, eind) if begin and eind else "")


def _samengesteld(label: str, n: Node, k: Klasse, ctx: _Ctx) -> list[Veld]:
    v = n.value
    match k.name:
        case "CDT_XsdVersie":
            return []
        case "CDT_VolledigeNaam" | "CDT_VerkorteNaam":
            extra = [f"voorletters {v('Voorletters')}"] if v("Voorletters") else []
            if v("NaamGebruik"):
                extra.append(f"NaamGebruik {v('NaamGebruik')} = "
                             f"{_lijst('LDT_NaamGebruik', v('NaamGebruik'))}")
            return [Veld(label, _naam(n), "; ".join(extra))]
        case "CDT_Geboortedatum":
            g = v("DatumGebruik")
            uitleg = f"DatumGebruik {g} = {_lijst('LDT_DatumGebruik', g)}" if g else ""
            return [Veld(label, opmaak.datum(v("Datum") or ""), uitleg)]
        case "CDT_Adres":
            huis = "".join(x for x in (v("Huis/Huisnummer"), v("Huis/Huisletter")) if x)
            if v("Huis/HuisnummerToevoeging"):
                huis += f"-{v('Huis/HuisnummerToevoeging')}"
            straat = " ".join(x for x in (v("Straatnaam"), huis) if x)
            plaats = " ".join(x for x in (v("Postcode"), v("Plaatsnaam")) if x)
            land = v("LandCode")
            uitleg = [f"{land} = {_lijst('LDT_LandCode', land)}"] if land else []
            if v("Huis/AanduidingWoonadres"):
                a = v("Huis/AanduidingWoonadres")
                uitleg.append(f"{a} = {_lijst('LDT_AanduidingWoonadres', a)}")
            return [Veld(label, ", ".join(x for x in (straat, plaats) if x), "; ".join(uitleg))]
        case "CDT_Product":
            cat = v("Categorie")
            return [Veld(label, v("Code") or "(alleen categorie)",
                         f"categorie {cat} = {_lijst('LDT_ProductCategorie', cat)}" if cat else "")]
        case "CDT_Omvang":
            e, f = v("Eenheid"), v("Frequentie")
            eenheid = _lijst("LDT_Eenheid", e)
            return [Veld(label, f"{v('Volume') or '?'} {eenheid}",
                         f"Eenheid {e} = {eenheid}; Frequentie {f} = "
                         f"{_lijst('LDT_Frequentie', f)}")]
        case "CDT_GeslotenPeriode" | "CDT_OpenPeriode":
            return [_periode(n, label)]
        case "CDT_BedragMetDC" | "CDT_TotaalBedragMetDC":
            bedrag = v("Bedrag") or v("TotaalBedrag") or ""
            dc = v("DebetCredit")
            return [Veld(label, opmaak.euro(bedrag),
                         f"{dc} = {_lijst('LDT_DebetCredit', dc)}" if dc else "")]
        case "CDT_Verwijzer":
            t = v("Type")
            uitleg = [_lijst("LDT_TypeVerwijzer", t)]
            if v("Naam"):
                uitleg.append(v("Naam") or "")
            if v("ZorgverlenerCode"):
                uitleg.append(f"AGB {v('ZorgverlenerCode')}")
            return [Veld(label, t or "", "; ".join(uitleg))]
        case "CDT_Telefoonnummers":
            nummers = [x for x in (v("Telefoon01/Telefoonnummer"),
                                   v("Telefoon02/Telefoonnummer")) if x]
            land = v("Telefoon01/Landnummer")
            return [Veld(label, " / ".join(nummers), f"landnummer {land}" if land else "")]
        case "CDT_BerichtIdentificatie":
            if label == "BerichtIdentificatie":
                return [Veld("Identificatie", v("Identificatie") or ""),
                        Veld("Dagtekening", opmaak.datum(v("Dagtekening") or ""))]
            return [Veld(label, v("Identificatie") or "",
                         f"dagtekening {opmaak.datum(v('Dagtekening') or '')}")]
        case "CDT_Referentie":
            vorig = v("VorigReferentieNummer")
            return [Veld(label, v("ReferentieNummer") or "",
                         f"vorig referentienummer {vorig}" if vorig else "")]
        case "CDT_Communicatie":
            vorm, taal = v("Vorm"), v("Taal")
            uitleg = _lijst("LDT_Communicatievorm", vorm) + (f"; taal {taal}" if taal else "")
            return [Veld(label, vorm or "", uitleg)]
    velden = []
    for c in n.children:  # a composite without its own reading: one field per part
        sub = _type(k, c.name)
        if isinstance(sub, Klasse) and c.klasse is not None:
            velden.extend(_samengesteld(f"{label} {c.name}", c, sub, ctx))
        else:
            velden.append(_enkel(f"{label} {c.name}", c, sub if isinstance(sub, Datatype)
                                 else None, ctx))
    return velden


def _type(k: Klasse | None, naam: str) -> Datatype | Klasse | None:
    if k is None:
        return None
    try:
        return k.element(naam).type
    except KeyError:
        return None  # an element the model does not know (an invalid message)


def _retourcodes(n: Node) -> list[Retourcode]:
    return [Retourcode((c.text or "").strip(), _lijst("LDT_RetourCode", c.text))
            for c in n.children if c.name == "RetourCode"]


def _titel(n: Node, ctx: _Ctx) -> tuple[str, str]:
    v = n.value
    if n.name == "Client":
        naam = n.find("Naam")
        if naam is not None:
            return f"Cliënt {_naam(naam)}", "client"
        bsn = (v("Bsn") or "").strip()
        if ctx.masker:
            bsn = opmaak.maskeer(bsn)
        return (f"Cliënt BSN {bsn}" if bsn else "Cliënt"), "client"
    if n.name == "Prestatie":
        b, e = v("ProductPeriode/Begindatum"), v("ProductPeriode/Einddatum")
        periode = f" · {opmaak.datum(b or '')} t/m {opmaak.datum(e or '')}" if b else ""
        return f"Prestatie {v('ProductCode') or v('ProductCategorie') or ''}{periode}", "product"
    if n.name in PRODUCT_KLASSEN:
        delen = [n.name, v("ToewijzingNummer") or v("ReferentieAanbieder")]
        titel = " ".join(d for d in delen if d)
        code = v("Product/Code") or v("Product/Categorie")
        return (f"{titel} · {code}" if code else titel), "product"
    if n.name == "Relatie":
        naam = n.find("Naam")
        return f"Relatie {v('Nummer') or ''}: {_naam(naam) if naam else ''}".strip(), "relatie"
    if n.name == "Contact":
        soort = v("Soort")
        return (f"Contact ({_lijst('LDT_AdresSoort', soort)})" if soort else "Contact"), "contact"
    return n.name, n.name.lower()


def _looptijd(blok: Blok, n: Node, k: Klasse) -> None:
    for begin, eind in _PERIODES:
        if n.child(begin) is None:
            continue
        b = opmaak.iso(n.value(begin))
        if n.child(eind) is not None:
            e = opmaak.iso(n.value(eind))
            if b and e:
                blok.velden.append(Veld("Looptijd", opmaak.looptijd(b, e),
                                        f"{opmaak.datum(b.isoformat())} t/m "
                                        f"{opmaak.datum(e.isoformat())}"))
        elif _type(k, eind) is not None:
            blok.velden.append(Veld("Looptijd", "open einde", "geen einddatum"))
        return


def _blok(n: Node, k: Klasse | None, ctx: _Ctx) -> Blok:
    titel, soort = _titel(n, ctx)
    blok = Blok(titel, soort)
    for c in n.children:
        if c.name == "RetourCodes":
            blok.retourcodes = _retourcodes(c)
            continue
        t = _type(k, c.name)
        if isinstance(t, Klasse) and c.klasse is not None:
            if t.basis:
                blok.velden.extend(_samengesteld(c.name, c, t, ctx))
            elif t.is_container:  # Relaties, ToegewezenProducten …: their items, in order
                blok.blokken.extend(_blok(i, i.klasse, ctx) for i in c.children
                                    if i.klasse is not None)
            else:
                blok.blokken.append(_blok(c, t, ctx))
        elif c.klasse is None and c.children:
            blok.blokken.append(_blok(c, None, ctx))
        else:
            blok.velden.append(_enkel(c.name, c, t if isinstance(t, Datatype) else None, ctx))
    if k is not None and soort == "product":
        _looptijd(blok, n, k)
    return blok


def _meldingen(fouten: Iterable, waarschuwing: bool = False) -> list[Melding]:
    return [Melding(f.rule, f.retourcode, f.line, f.path, f.message, waarschuwing)
            for f in fouten]


def _verberg(tekst: str, bsns: set[str]) -> str:
    for b in bsns:
        if b:
            tekst = tekst.replace(b, opmaak.maskeer(b))
    return tekst


def lees_bytes(data: bytes, naam: str, today: dt.date | None = None,
               masker: bool = False) -> Pagina:
    """The page for one message file (``naam`` is how it is called on the page)."""
    from ijwcli.validatie import validate_tree
    from ijwcli.validatie.regels import TABEL

    pagina = Pagina(naam, inhoud=data)
    try:
        tree = read_tree(data)
        d = definitie_van(tree)
    except InvalidMessage as exc:
        pagina.meldingen = [Melding(exc.rule, TABEL[exc.rule].retourcode, exc.line, None,
                                    exc.message)]
        return pagina
    resultaat = validate_tree(tree, naam, today)
    b = from_tree(tree)
    dagtekening = opmaak.iso(b.root.value("Header/BerichtIdentificatie/Dagtekening"))
    ctx = _Ctx(dagtekening or today or dt.date.today(), masker)
    pagina.code, pagina.naam = d.code, d.naam
    pagina.identificatie = b.root.value("Header/BerichtIdentificatie/Identificatie")
    pagina.dagtekening = b.root.value("Header/BerichtIdentificatie/Dagtekening")
    pagina.afzender = b.root.value("Header/Afzender")
    pagina.ontvanger = b.root.value("Header/Ontvanger")
    if d.heen:
        pagina.heen_code = d.heen
        pagina.heen_identificatie = (
            b.root.value("Header/DeclaratieIdentificatie/Identificatie") if d.code == "JW325"
            else pagina.identificatie)
    for c in b.root.children:
        t = _type(d.root, c.name)
        k = t if isinstance(t, Klasse) else None
        if c.name == "Header":
            kop = _blok(c, k, ctx)
            kop.titel, kop.soort = "Header", "kop"
            kop.velden = [v for v in kop.velden if v.label not in _TECHNISCH]
            pagina.kop = kop
        elif c.klasse is not None or c.children:
            pagina.blokken.append(_blok(c, k, ctx))
        else:
            pagina.blokken.append(Blok(c.name, "overig", [Veld(c.name, c.text or "")]))
    pagina.meldingen = (_meldingen(resultaat.errors)
                        + _meldingen(resultaat.warnings, waarschuwing=True))
    if masker and ctx.bsns:
        pagina.bestand = _verberg(pagina.bestand, ctx.bsns)
        for m in pagina.meldingen:
            m.tekst = _verberg(m.tekst, ctx.bsns)
    return pagina


def lees_bestand(pad: str, today: dt.date | None = None, masker: bool = False) -> Pagina:
    try:
        with open(pad, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Pagina(pad, meldingen=[Melding("XSD", "0001", None, None,
                                              f"kan het bestand niet lezen: {exc.strerror}")])
    return lees_bytes(data, pad, today, masker)


def _sleutel(p: Pagina) -> tuple[str | None, ...]:
    return (p.code, p.identificatie, p.afzender, p.ontvanger)


def heen_sleutel(p: Pagina) -> tuple[str | None, ...]:
    """Type, identificatie, afzender and ontvanger of the heen-bericht a retourbericht answers."""
    # A JW325 answers a declaratie sent the other way round: sender and receiver swap.
    partijen = (p.ontvanger, p.afzender) if p.code == "JW325" else (p.afzender, p.ontvanger)
    return (p.heen_code, p.heen_identificatie, *partijen)


def past_bij(retour: Pagina, heen: Pagina) -> bool:
    """Whether ``heen`` is the message ``retour`` answers."""
    return retour.heen_code is not None and _sleutel(heen) == heen_sleutel(retour)


def koppel(paginas: list[Pagina],
           zoek: Callable[[Pagina], Pagina | None] | None = None) -> list[Pagina]:
    """Put each retourbericht beside its heen-bericht: a heen-bericht given too is taken out
    of the list and hung on its retourbericht; ``zoek`` may find the others (the register).

    A heen-bericht is matched on message type, identificatie, afzender and ontvanger.
    """
    heen = {_sleutel(p): p for p in paginas if p.code and not BERICHTEN[p.code].heen}
    gebruikt: set[int] = set()
    for p in paginas:
        if not p.heen_code:
            continue
        h = heen.get(heen_sleutel(p))
        if h is None and zoek is not None:
            h = zoek(p)
        if h is not None:
            p.heen = h
            gebruikt.add(id(h))
    return [p for p in paginas if id(p) not in gebruikt]
