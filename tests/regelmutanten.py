"""XSD-valid messages that test the rule layer: the reference messages and samples, mutated.

Each mutant starts from one base message (all 14 types) and gets one to four named mutations:
a value set to one that sits at a rule's boundary (dates one day either side of the other dates
in the message, the 31-12-2020 and 120-/5-year limits, month ends; codes from the list; sums
and totals ± 1; BSNs that pass and fail the 11-proef; key values copied from a sibling), an
optional element removed, a repeating element duplicated (same key, other key, overlapping
period), or an element grafted in from another message of the same type. Mutants the
reference XSD refuses are dropped: the rule layer is judged on XSD-valid messages only, as the
official XSLT assumes.

Used by tests/test_xslt_differential.py and, for longer runs, scripts/xslt_differential.py.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ijwcli.bericht import definitie_van
from ijwcli.model.berichten import BERICHTEN
from ijwcli.model.datatypes import Datatype, Element, Klasse

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
_DATUM = re.compile(r"\s*\d{4}-\d\d-\d\d\s*")
WITRUIMTE = "[witruimte]"
# Values a rule turns on, chosen more often than the code list would (RedenWijziging 01 and 13:
# CS335/CS336; DatumGebruik: CS139; DebetCredit: the credit rules; Frequentie/Eenheid: CD076,
# CS338, CS343).
_VOORKEUR = {"RedenWijziging": ["01", "13"], "DatumGebruik": ["1", "2", "3"],
             "DebetCredit": ["C", "D"], "Eenheid": ["14", "16", "83", "84"],
             "Frequentie": ["1", "2", "4", "6"]}


@dataclass
class Basis:
    code: str
    naam: str
    tree: etree._ElementTree
    elementen: dict[etree._Element, Element]


@dataclass
class Mutant:
    naam: str  # base and mutations, e.g. "voorbeelden/JW301.xml|zet Ingangsdatum=2026-01-01"
    code: str
    data: bytes


def model_elementen(tree: etree._ElementTree, code: str) -> dict[etree._Element, Element]:
    out: dict[etree._Element, Element] = {}

    def walk(el: etree._Element, k: Klasse) -> None:
        for c in el:
            if not isinstance(c.tag, str):
                continue
            try:
                e = k.element(etree.QName(c).localname)
            except KeyError:
                continue
            out[c] = e
            if isinstance(e.type, Klasse):
                walk(c, e.type)

    walk(tree.getroot(), BERICHTEN[code].root)
    return out


def bases(folders: list[Path]) -> list[Basis]:
    out = []
    for folder in folders:
        for f in sorted(folder.glob("*.xml")):
            tree = etree.parse(str(f), _PARSER)
            code = definitie_van(tree).code
            out.append(Basis(code, f"{folder.name}/{f.name}", tree, model_elementen(tree, code)))
            if code == "JW317" and tree.getroot().find(".//{*}NieuwProduct") is not None:
                # The reference JW317's NieuwProduct ends before it begins (CS003), so no copy
                # of it can overlap (TR410): a base with its Einddatum a year after the begin.
                t = copy.deepcopy(tree)
                for np_ in t.getroot().iter("{*}NieuwProduct"):
                    begin = _d(np_.findtext("{*}GewensteIngangsdatum") or "")
                    eind = np_.find("{*}Einddatum")
                    if begin and eind is not None:
                        eind.text = _plus_jaren(begin, 1).isoformat()
                out.append(Basis(code, f"{folder.name}/{f.name}+einddatum", t,
                                 model_elementen(t, code)))
    return out


def _datatype(e: Element) -> Datatype | None:
    t = e.type
    if not isinstance(t, Datatype):
        return None
    return t.parent if t.parent is not None and not t.name else t


def _d(s: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s.strip())
    except ValueError:
        return None


def _plus_jaren(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def _elfproef_ok(n: str) -> bool:
    s = sum(w * int(c) for w, c in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), n, strict=True))
    return s % 11 == 0 and int(n) != 0


class Generator:
    """Mutants of the bases, reproducible from the seed."""

    def __init__(self, basissen: list[Basis], seed: int) -> None:
        self.basissen = basissen
        self.rng = random.Random(seed)
        self.per_code: dict[str, list[Basis]] = {}
        for b in basissen:
            self.per_code.setdefault(b.code, []).append(b)

    # --- value pools ---------------------------------------------------------------------
    def _datums(self, root: etree._Element) -> list[dt.date]:
        out = []
        for el in root.iter(etree.Element):
            if not len(el) and el.text and _DATUM.fullmatch(el.text):
                d = _d(el.text)
                if d:
                    out.append(d)
        return out

    def _datum_waarde(self, root: etree._Element, el: etree._Element) -> str:
        rng = self.rng
        datums = self._datums(root) or [dt.date(2026, 1, 1)]
        d = rng.choice(datums)
        keuze = rng.random()
        if keuze < 0.45:
            d = d + dt.timedelta(days=rng.choice((-1, 0, 0, 1)))
        elif keuze < 0.6:
            d = d.replace(day=1) if rng.random() < 0.5 else d.replace(
                day=calendar.monthrange(d.year, d.month)[1])
        elif keuze < 0.7:
            d = _plus_jaren(d, rng.choice((-120, -5, -1, 1))) + dt.timedelta(
                days=rng.choice((-1, 0, 1)))
        elif keuze < 0.8:
            d = rng.choice((dt.date(2020, 12, 31), dt.date(2021, 1, 1), dt.date(2020, 12, 1)))
        elif keuze < 0.9:
            d = d + dt.timedelta(days=rng.randint(-400, 400))
        s = d.isoformat()
        if rng.random() < 0.05:
            s = rng.choice((f" {s}", f"{s} ", f"\n\t{s}\n"))
        return s

    def _getal_waarde(self, root: etree._Element, el: etree._Element, t: Datatype) -> str:
        rng = self.rng
        try:
            v = int((el.text or "0").strip())
        except ValueError:
            v = 0
        andere = [int(x.text) for x in root.iter(etree.Element)
                  if not len(x) and x.text and x.text.strip().isdigit() and len(x.text) < 9]
        keuzes = [0, 1, v - 1, v + 1, v * 2, v // 2]
        if andere:
            keuzes += [rng.choice(andere), sum(rng.sample(andere, min(2, len(andere))))]
        if t.max_value is not None:
            keuzes.append(t.max_value)
        return str(max(0, rng.choice(keuzes)))

    def _tekst_waarde(self, root: etree._Element, el: etree._Element, t: Datatype) -> str:
        rng = self.rng
        name = etree.QName(el).localname
        if name == "Bsn":
            if rng.random() < 0.03:
                return "000000000"
            goed = rng.random() < 0.5
            while True:
                n = "9999" + "".join(rng.choice("0123456789") for _ in range(5))
                if _elfproef_ok(n) == goed:
                    return n
        if name == "Postcode":
            return rng.choice(("1234AB", "1234 AB", "0123AB", "9999ZZ", "1234ab", "ABCDEF",
                               "12345", "B-1000"))
        if name.endswith("ReferentieNummer"):
            zelfde = [x.text for x in root.iter("{*}ReferentieNummer", "{*}VorigReferentieNummer")
                      if x is not el and x.text]
        else:
            zelfde = [x.text for x in root.iter(el.tag) if x is not el and x.text]
        if zelfde and rng.random() < 0.7:
            return rng.choice(zelfde)
        v = el.text or "x"
        return rng.choice((v + "1", v[:-1] or "1", f" {v} ", v.upper()))

    def _waarde(self, root: etree._Element, el: etree._Element, t: Datatype) -> str | None:
        rng = self.rng
        codes = t.codes if t.codelijst else {}
        voorkeur = _VOORKEUR.get(etree.QName(el).localname)
        if voorkeur and rng.random() < 0.5:
            return rng.choice(voorkeur)
        if codes:
            return rng.choice(sorted(codes))
        if t.base == "date" or (el.text and _DATUM.fullmatch(el.text)):
            return self._datum_waarde(root, el)
        if t.base == "integer":
            return self._getal_waarde(root, el, t)
        if t.base in ("string", "normalizedString", "token"):
            return self._tekst_waarde(root, el, t)
        return None

    # --- mutations -----------------------------------------------------------------------
    def _zet(self, tree: etree._ElementTree, els: dict[etree._Element, Element]) -> str | None:
        leaves = [(el, _datatype(e)) for el, e in els.items() if _datatype(e) is not None]
        if not leaves:
            return None
        el, t = self.rng.choice(leaves)
        v = self._waarde(tree.getroot(), el, t)  # type: ignore[arg-type]
        if v is None:
            return None
        el.text = v
        # The mark names the mutants where the official XSLT reads white space into a value
        # that the schema collapses (a deviation in afwijkingen.toml).
        teken = WITRUIMTE if v != v.strip() else ""
        return f"zet {etree.QName(el).localname}={v.strip()}{teken}"

    def _weg(self, tree: etree._ElementTree, els: dict[etree._Element, Element]) -> str | None:
        kandidaten = [el for el, e in els.items()
                      if e.optional or len(el.getparent().findall(el.tag)) > 1]
        if not kandidaten:
            return None
        el = self.rng.choice(kandidaten)
        el.getparent().remove(el)
        return f"weg {etree.QName(el).localname}"

    def _dubbel(self, tree: etree._ElementTree, els: dict[etree._Element, Element]) -> str | None:
        kandidaten = [el for el, e in els.items() if e.repeats and isinstance(e.type, Klasse)]
        if not kandidaten:
            return None
        el = self.rng.choice(kandidaten)
        kopie = copy.deepcopy(el)
        el.addnext(kopie)
        naam = f"dubbel {etree.QName(el).localname}"
        # Mostly change something inside the copy: a different key, another period.
        if self.rng.random() < 0.7:
            sub = model_elementen_onder(kopie, els[el])
            wijz = self._zet(tree, sub)
            if wijz:
                naam += f" ({wijz})"
        return naam

    def _ent(self, tree: etree._ElementTree, els: dict[etree._Element, Element],
             code: str) -> str | None:
        # An element another message of the same type has, where this one has none.
        donors = self.per_code.get(code, [])
        if not donors:
            return None
        donor = self.rng.choice(donors)
        paden: dict[tuple[str, ...], etree._Element] = {}
        for el in els:
            paden.setdefault(_pad(el), el)
        kandidaten = []
        for del_, e in donor.elementen.items():
            ouder_pad = _pad(del_.getparent())
            ouder = paden.get(ouder_pad) if del_.getparent() is not donor.tree.getroot() else \
                tree.getroot()
            if ouder is None:
                continue
            if ouder.find(del_.tag) is not None and not e.repeats:
                continue
            kandidaten.append((del_, e, ouder))
        if not kandidaten:
            return None
        del_, e, ouder = self.rng.choice(kandidaten)
        klasse = (BERICHTEN[code].root if ouder is tree.getroot()
                  else els[ouder].type)
        assert isinstance(klasse, Klasse)
        naam = etree.QName(del_).localname
        _invoegen(ouder, klasse, copy.deepcopy(del_))
        return f"ent {naam}"

    def _voeg(self, tree: etree._ElementTree, els: dict[etree._Element, Element]) -> str | None:
        """An absent optional simple element (RedenWijziging, DatumGebruik, Budget …) added."""
        kandidaten = []
        for el, e in els.items():
            if not isinstance(e.type, Klasse):
                continue
            aanwezig = {etree.QName(c).localname for c in el if isinstance(c.tag, str)}
            for sub in e.type.elements:
                if sub.optional and sub.name not in aanwezig and _datatype(sub) is not None:
                    kandidaten.append((el, e.type, sub))
        if not kandidaten:
            return None
        ouder, klasse, sub = self.rng.choice(kandidaten)
        ns = (etree.QName(ouder).namespace if not klasse.basis
              else "http://www.istandaarden.nl/ijw/3_2/basisschema/schema")
        nieuw = etree.Element(f"{{{ns}}}{sub.name}")
        nieuw.text = "x"
        _invoegen(ouder, klasse, nieuw)
        v = self._waarde(tree.getroot(), nieuw, _datatype(sub))  # type: ignore[arg-type]
        if v is None:
            ouder.remove(nieuw)
            return None
        nieuw.text = v
        return f"voeg {sub.name}={v.strip()}{WITRUIMTE if v != v.strip() else ''}"

    def _credit(self, tree: etree._ElementTree, els: dict[etree._Element, Element]) -> str | None:
        """A prestatie made a credit line for another line's ReferentieNummer (CD060, TR315,
        TR316, TR358, TR416 …), often on a copy of a prestatie."""
        prestaties = [el for el in els if etree.QName(el).localname == "Prestatie"]
        if not prestaties:
            return None
        p = self.rng.choice(prestaties)
        if self.rng.random() < 0.6:
            kopie = copy.deepcopy(p)
            p.addnext(kopie)
            ref = kopie.find("{*}ProductReferentie/{*}ReferentieNummer")
            if ref is not None:
                ref.text = f"{ref.text}-C{self.rng.randint(1, 3)}"
            p = kopie
        dc = p.find("{*}IngediendBedrag/{*}DebetCredit")
        productref = p.find("{*}ProductReferentie")
        if dc is None or productref is None:
            return None
        dc.text = "C"
        vorig = productref.find("{*}VorigReferentieNummer")
        if vorig is None:
            vorig = etree.SubElement(productref, f"{{{etree.QName(productref[0]).namespace}}}"
                                     "VorigReferentieNummer")
        refs = [x.text for x in tree.getroot().iter("{*}ReferentieNummer") if x.text]
        vorig.text = self.rng.choice([*refs, "OUD-1", "OUD-2"])
        return f"credit {vorig.text}"

    def mutant(self) -> Mutant:
        rng = self.rng
        basis = rng.choice(self.basissen)
        tree = copy.deepcopy(basis.tree)
        namen = []
        n = rng.choices((1, 2, 3, 4), weights=(55, 25, 12, 8))[0]
        for _ in range(n):
            els = model_elementen(tree, basis.code)
            soort = rng.choices(("zet", "weg", "dubbel", "ent", "voeg", "credit"),
                                weights=(55, 14, 14, 8, 12, 3))[0]
            if soort == "zet":
                naam = self._zet(tree, els)
            elif soort == "weg":
                naam = self._weg(tree, els)
            elif soort == "dubbel":
                naam = self._dubbel(tree, els)
            elif soort == "ent":
                naam = self._ent(tree, els, basis.code)
            elif soort == "voeg":
                naam = self._voeg(tree, els)
            else:
                naam = self._credit(tree, els)
            if naam:
                namen.append(naam)
        data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return Mutant("|".join([basis.naam, *namen]), basis.code, data)

    def geldige(self, aantal: int, xsd: dict[str, etree.XMLSchema],
                max_pogingen: int | None = None) -> Iterator[Mutant]:
        """``aantal`` mutants the reference XSD accepts."""
        gevonden = pogingen = 0
        while gevonden < aantal and (max_pogingen is None or pogingen < max_pogingen):
            pogingen += 1
            m = self.mutant()
            doc = etree.fromstring(m.data, _PARSER)
            if xsd[m.code].validate(doc):
                gevonden += 1
                yield m


def _invoegen(ouder: etree._Element, klasse: Klasse, nieuw: etree._Element) -> None:
    """``nieuw`` where the sequence of ``klasse`` puts it: after the last child before it."""
    volgorde = [x.name for x in klasse.elements]
    pos = volgorde.index(etree.QName(nieuw).localname)
    index = 0
    for i, c in enumerate(ouder):
        if isinstance(c.tag, str) and etree.QName(c).localname in volgorde[:pos + 1]:
            index = i + 1
    ouder.insert(index, nieuw)


def _pad(el: etree._Element) -> tuple[str, ...]:
    out = []
    while el is not None:
        out.append(etree.QName(el).localname)
        el = el.getparent()
    return tuple(reversed(out))


def model_elementen_onder(el: etree._Element, e: Element) -> dict[etree._Element, Element]:
    out: dict[etree._Element, Element] = {}

    def walk(x: etree._Element, k: Klasse) -> None:
        for c in x:
            if not isinstance(c.tag, str):
                continue
            try:
                ce = k.element(etree.QName(c).localname)
            except KeyError:
                continue
            out[c] = ce
            if isinstance(ce.type, Klasse):
                walk(c, ce.type)

    if isinstance(e.type, Klasse):
        walk(el, e.type)
    return out


# --- the comparison with the official XSLT ---------------------------------------------------
def xslt_tool(shared: Path):
    """The ijw-xslt-check tool of ../shared/tools, loaded as a module (its check() and rules())."""
    import importlib.machinery
    import importlib.util

    pad = shared / "tools" / "ijw-xslt-check"
    loader = importlib.machinery.SourceFileLoader("ijw_xslt_check", str(pad))
    spec = importlib.util.spec_from_loader("ijw_xslt_check", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@dataclass
class Uitkomst:
    """Per rule: messages compared, messages where both agree, where the XSLT / ijwcli fire."""

    vergeleken: int = 0
    eens: int = 0
    xslt: int = 0
    ijwcli: int = 0
    uitgesloten: int = 0


@dataclass
class Vergelijking:
    per_regel: dict[str, Uitkomst]
    per_type: dict[str, int]
    oneens: list[tuple[str, str, str]]  # (mutant, rule, who fires)

    def tabel(self) -> str:
        regels = ["regel  vergeleken  eens   XSLT  ijwcli  uitgesloten  overeenstemming"]
        for code, u in sorted(self.per_regel.items()):
            pct = 100 * u.eens / u.vergeleken if u.vergeleken else 100.0
            regels.append(f"{code}  {u.vergeleken:10}  {u.eens:5}  {u.xslt:5}  {u.ijwcli:6}  "
                          f"{u.uitgesloten:11}  {pct:7.2f} %")
        return "\n".join(regels)


def vergelijk(mutanten: list[Mutant], map_: Path, tool, afwijkingen: dict,
              today: dt.date) -> Vergelijking:
    """Write the mutants to ``map_``, check each with the tool's check() and with ijwcli."""
    from collections import Counter

    from ijwcli.validatie import validate_bytes

    codes = set(tool.rules())
    transform = etree.XSLT(etree.parse(str(tool.XSL)))
    gevallen = {naam: etree.XPath(a.geval) for naam, a in afwijkingen.items()}
    per_regel = {c: Uitkomst() for c in sorted(codes)}
    oneens: list[tuple[str, str, str]] = []
    for i, m in enumerate(mutanten):
        f = map_ / f"{i:05d}_{m.code}.xml"
        f.write_bytes(m.data)
        hun = {x["code"] for x in tool.check(transform, f)}
        ons = {e.rule for e in validate_bytes(m.data, str(f), today).errors} & codes
        doc = etree.fromstring(m.data, _PARSER)
        uit: set[str] = set()
        for naam, test in gevallen.items():
            if test(doc):
                uit |= set(afwijkingen[naam].regels)
        for c in codes:
            u = per_regel[c]
            if c in uit:
                u.uitgesloten += 1
                continue
            u.vergeleken += 1
            u.xslt += c in hun
            u.ijwcli += c in ons
            if (c in hun) == (c in ons):
                u.eens += 1
            else:
                oneens.append((m.naam, c, "XSLT" if c in hun else "ijwcli"))
    return Vergelijking(per_regel, dict(Counter(m.code for m in mutanten)), oneens)
