"""Random schema-valid mutants of iJw messages, to hold the screen to the rules.

:func:`mutanten` takes the samples (and the reference messages, when ../shared is there) of
one message type and changes each in a few random places, the way the rules care about:
values from the type's code list, dates near the other dates of the message (a day, a month,
a year, five or 120 years off, month ends, the 31-12-2020 cut-off), numbers equal to or the
product of other numbers, strings copied from elsewhere (duplicates), white space at a
value's ends; optional elements removed or added (with values of their type), repeating
elements duplicated. Only mutants that pass the message schema are kept: the screen only
ever judges schema-valid messages. ``tests/test_zeef.py`` runs a CI-sized number;
``benchmarks/validate_speed.py`` many more.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ijwcli.bericht import definitie_van
from ijwcli.model import gemeenten
from ijwcli.model.berichten import BASIS_NS, BERICHTEN
from ijwcli.model.datatypes import Datatype, Element, Klasse
from ijwcli.model.schema import schema

ROOT = Path(__file__).resolve().parent.parent
VOORBEELDEN = ROOT.parent / "shared" / "ijw-3.2" / "voorbeelden"
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
_VAST = ("2020-12-31", "2021-01-01", "1900-01-01", "2024-02-29", "2026-02-28", "2025-02-28",
         "2026-01-31", "2026-04-30", "2026-12-31", "2027-01-01", "1906-03-01")


def bronnen(code: str) -> list[bytes]:
    """The messages of this type to start from: the samples and the reference messages."""
    out = [f.read_bytes() for f in sorted((ROOT / "samples").glob(f"{code.lower()}_*.xml"))]
    ref = VOORBEELDEN / f"{code}.xml"
    if ref.exists():
        out.append(ref.read_bytes())
    return out


def _keten(t: Datatype) -> list[Datatype]:
    out = []
    while t is not None:
        out.append(t)
        t = t.parent  # type: ignore[assignment]
    return out


def _elfproef_bsn(rng: random.Random, geldig: bool) -> str:
    while True:
        cijfers = [rng.randrange(10) for _ in range(8)]
        s = sum(w * c for w, c in zip((9, 8, 7, 6, 5, 4, 3, 2), cijfers, strict=True))
        laatste = s % 11
        if geldig and laatste < 10:
            return "".join(map(str, cijfers)) + str(laatste)
        if not geldig:
            return "".join(map(str, cijfers)) + str((laatste + rng.randrange(1, 10)) % 10)


class _Mutant:
    def __init__(self, rng: random.Random, data: bytes) -> None:
        self.rng = rng
        self.root = etree.fromstring(data, _PARSER)
        self.d = definitie_van(etree.ElementTree(self.root))
        self.model: dict[etree._Element, Element] = {}
        self._annoteer(self.root, self.d.root)

    def _annoteer(self, el: etree._Element, k: Klasse) -> None:
        for c in el:
            if not isinstance(c.tag, str):
                continue
            try:
                e = k.element(etree.QName(c).localname)
            except KeyError:
                continue
            self.model[c] = e
            if isinstance(e.type, Klasse):
                self._annoteer(c, e.type)

    def _bladeren(self) -> list[etree._Element]:
        return [el for el, e in self.model.items() if isinstance(e.type, Datatype)
                and el.getparent() is not None]

    def _waarden(self, base: str) -> list[str]:
        return [(el.text or "").strip() for el, e in self.model.items()
                if isinstance(e.type, Datatype) and _keten(e.type)[-1].base == base
                and el.text]

    def _datum(self) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            return rng.choice(_VAST)
        basis = [v for v in self._waarden("date") if len(v) == 10]
        try:
            d = dt.date.fromisoformat(rng.choice(basis)) if basis else dt.date(2026, 3, 1)
        except ValueError:
            d = dt.date(2026, 3, 1)
        stap = rng.choice(("0", "+d", "-d", "+m", "-m", "+j", "-j", "-5j", "-120j", "eind",
                           "begin"))
        try:
            if stap == "+d":
                d += dt.timedelta(days=1)
            elif stap == "-d":
                d -= dt.timedelta(days=1)
            elif stap in ("+m", "-m"):
                m = d.month + (1 if stap == "+m" else -1)
                j, m = d.year + (m - 1) // 12, (m - 1) % 12 + 1
                d = d.replace(year=j, month=m, day=min(d.day, 28))
            elif stap in ("+j", "-j", "-5j", "-120j"):
                jaren = {"+j": 1, "-j": -1, "-5j": -5, "-120j": -120}[stap]
                d = d.replace(year=d.year + jaren, day=min(d.day, 28))
            elif stap == "eind":
                volgende = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                d = volgende - dt.timedelta(days=1)
            elif stap == "begin":
                d = d.replace(day=1)
        except (ValueError, OverflowError):
            pass
        return d.isoformat()

    def _getal(self) -> str:
        rng = self.rng
        getallen = []
        for v in self._waarden("integer"):
            try:
                getallen.append(int(v))
            except ValueError:
                pass
        keuzes = [0, 1, 2, 100, *getallen]
        if len(getallen) >= 2 and rng.random() < 0.3:
            a, b = rng.sample(getallen, 2)
            return str(a * b)
        n = rng.choice(keuzes)
        return rng.choice((str(n), str(n + 1), str(max(0, n - 1)), f"+{n}", f"0{n}"))

    def waarde(self, e: Element) -> str:
        """A value for a leaf of this model element, as a rule would care about."""
        rng = self.rng
        keten = _keten(e.type)  # type: ignore[arg-type]
        codes = [c for t in keten for c in t.codes]
        base = keten[-1].base
        namen = {t.name for t in keten}
        if codes and rng.random() < 0.9:
            v = rng.choice(codes)
        elif base == "date":
            v = self._datum()
        elif base == "integer":
            v = self._getal()
        elif "LDT_BurgerServicenummer" in namen:
            v = _elfproef_bsn(rng, rng.random() < 0.7) if rng.random() < 0.9 else "000000000"
        elif "LDT_Gemeente" in namen:
            lijst = sorted(gemeenten.lijst(gemeenten.jaren()[-1]))
            v = rng.choice(lijst) if rng.random() < 0.8 else rng.choice(("9999", "0000",
                                                                          "0001"))
        elif e.name == "Postcode":
            v = rng.choice(("1234AB", "1234 AB", "0123AB", "1234ab", "B-1000", "5038EA"))
        else:
            zelfde = [(el.text or "") for el, m in self.model.items() if m.name == e.name
                      and el.text]
            if zelfde and rng.random() < 0.6:
                v = rng.choice(zelfde)
            else:
                v = rng.choice(("A1", "RN001", "x", "Ab", "12345678", "T-1", "0855"))
        if rng.random() < 0.08:
            v = rng.choice((" ", "  ", "\t")) + v if rng.random() < 0.5 else v + " "
        return v

    def bouw(self, e: Element, tag: str) -> etree._Element:
        """A new element for model element ``e``: a value, or a class with its required
        children (and now and then an optional one)."""
        el = etree.Element(tag)
        self.model[el] = e
        if isinstance(e.type, Klasse):
            ns = BASIS_NS if e.type.basis else self.d.namespace
            for c in e.type.elements:
                if c.min > 0 or self.rng.random() < 0.2:
                    el.append(self.bouw(c, f"{{{ns}}}{c.name}"))
        else:
            el.text = self.waarde(e)
        return el

    # --- the mutations ------------------------------------------------------------------------
    def zet_waarde(self) -> None:
        el = self.rng.choice(self._bladeren())
        el.text = self.waarde(self.model[el])

    def kopieer_waarde(self) -> None:
        bladeren = self._bladeren()
        el = self.rng.choice(bladeren)
        keten = _keten(self.model[el].type)  # type: ignore[arg-type]
        # Mostly from a value of the same datatype (VorigReferentieNummer ← ReferentieNummer),
        # else of the same lexical base.
        if self.rng.random() < 0.7:
            soort = {t.name for t in keten if t.name}
            zelfde = [b for b in bladeren if b is not el and soort & {
                t.name for t in _keten(self.model[b].type)}]  # type: ignore[arg-type]
        else:
            zelfde = [b for b in bladeren if b is not el and _keten(
                self.model[b].type)[-1].base == keten[-1].base]  # type: ignore[arg-type]
        if zelfde:
            el.text = self.rng.choice(zelfde).text

    def verwijder(self) -> None:
        opties = [el for el, e in self.model.items() if e.min == 0 or e.repeats]
        if opties:
            el = self.rng.choice(opties)
            ouder = el.getparent()
            if ouder is not None:
                ouder.remove(el)
                for x in [el, *el.iterdescendants()]:
                    self.model.pop(x, None)

    def verdubbel(self) -> None:
        opties = [el for el, e in self.model.items() if e.repeats]
        if opties:
            el = self.rng.choice(opties)
            kopie = copy.deepcopy(el)
            self._kopieer_model(el, kopie)
            el.addnext(kopie)
            if self.rng.random() < 0.5:
                # the copy, changed a little: same product, another period or value
                bladeren = [x for x in kopie.iter() if x in self.model
                            and isinstance(self.model[x].type, Datatype)]
                if bladeren:
                    b = self.rng.choice(bladeren)
                    b.text = self.waarde(self.model[b])

    def _kopieer_model(self, bron: etree._Element, kopie: etree._Element) -> None:
        for a, b in zip(bron.iter(), kopie.iter(), strict=True):
            if a in self.model:
                self.model[b] = self.model[a]

    def voeg_toe(self) -> None:
        klassen = [(el, e.type) for el, e in self.model.items() if isinstance(e.type, Klasse)]
        klassen.append((self.root, self.d.root))
        el, k = self.rng.choice(klassen)
        aanwezig = {etree.QName(c).localname for c in el if isinstance(c.tag, str)}
        ontbrekend = [e for e in k.elements if e.name not in aanwezig]  # type: ignore[union-attr]
        if not ontbrekend:
            return
        e = self.rng.choice(ontbrekend)
        ns = BASIS_NS if k.basis else self.d.namespace  # type: ignore[union-attr]
        nieuw = self.bouw(e, f"{{{ns}}}{e.name}")
        volgorde = [x.name for x in k.elements]  # type: ignore[union-attr]
        plek = volgorde.index(e.name)
        for i, c in enumerate(el):
            if isinstance(c.tag, str) and etree.QName(c).localname in volgorde and \
                    volgorde.index(etree.QName(c).localname) > plek:
                el.insert(i, nieuw)
                return
        el.append(nieuw)

    def bytes(self) -> bytes:
        if self.rng.random() < 0.7:
            etree.indent(self.root, space="\t")
        body = etree.tostring(self.root, encoding="UTF-8")
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


_MUTATIES = (("zet_waarde", 6), ("kopieer_waarde", 2), ("verwijder", 2), ("verdubbel", 2),
             ("voeg_toe", 3))


def mutant(rng: random.Random, data: bytes) -> bytes:
    m = _Mutant(rng, data)
    namen = [n for n, w in _MUTATIES for _ in range(w)]
    for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 6, 8))):
        getattr(m, rng.choice(namen))()
    return m.bytes()


def mutanten(code: str, aantal: int, seed: int = 17, pogingen: int = 40) -> Iterator[bytes]:
    """``aantal`` schema-valid mutants of message type ``code`` (fewer if it cannot find
    them in ``pogingen`` tries each)."""
    rng = random.Random(f"{seed}-{code}")
    basis = bronnen(code)
    s = schema(code)
    gevonden = 0
    for _ in range(aantal * pogingen):
        if gevonden >= aantal:
            return
        data = mutant(rng, rng.choice(basis))
        try:
            tree = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            continue
        if s.validate(tree):
            gevonden += 1
            yield data


CODES = tuple(BERICHTEN)
