"""The screen in front of the rule layer: may any in-message rule fire on this message?

Walking a message into Python for the rules costs more than parsing and schema validation
together, and almost every message is valid. The screen answers the question in libxml2:
per message type, one compiled XPath built from the message model, the OR of one condition
per rule that is a sound over-approximation of "this rule might report something". When the
schema passes and the screen finds nothing, the message is valid without walking it; when
the screen finds anything, the rules run unchanged and report as always. The screen only
ever decides "run the rules or not": it never produces a finding itself.

Each rule's condition (:data:`ZEEF`) names *anchors*, element paths written with local names
(``"Contact/Adres"``: every Adres whose parent is a Contact), and an XPath predicate on such
an element in which bare names (``Postcode``, ``Omvang/Frequentie``) are child steps and
``{Naam}`` stands for every element of that name in the message. Both are qualified from the
message model of each type, so one condition serves every message type the rule applies to.
Where the rules keep their facts as data (TR134's date pairs, the begin/end names of the
product classes), the conditions read that same data.

Sound by construction where it cannot be checked:

- a rule without a condition here switches the screen off for every type it applies to;
- TR381 with a product code list configured switches it off;
- so does anything the conditions do not model: a comment, CDATA, processing instruction or
  character reference in the bytes (``<!``, ``<?`` past the declaration, ``&#``) and white
  space beyond ASCII (Python's ``strip()`` removes it, XPath's ``normalize-space()`` does
  not); white space at the ends of a value is read past with ``normalize-space()``;
- RS033 (an empty element) is looked for only where the model lets one pass the schema:
  values of a type without a pattern that refuses blanks, classes whose children are all
  optional.

``tests/test_zeef.py`` holds the screen to the rules on random schema-valid mutants of every
message type (fast path and full rules give the same findings); the benchmark runs more.

>>> from pathlib import Path
>>> from ijwcli.bericht import read_tree
>>> data = Path("samples/jw301_toewijzing.xml").read_bytes()
>>> import datetime as dt
>>> vindt_iets(read_tree(data), data, "JW301", dt.date(2026, 3, 2))
False
>>> kapot = data.replace(b">999900018<", b">123456789<")
>>> vindt_iets(read_tree(kapot), kapot, "JW301", dt.date(2026, 3, 2))
True
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from lxml import etree

from ijwcli.model.berichten import BASIS_NS, BERICHTEN
from ijwcli.model.datatypes import Datatype, Klasse
from ijwcli.validatie.regels import CHECKS, TABEL, productcodes
from ijwcli.validatie.regels.datatypen import elfproef
from ijwcli.validatie.regels.header import _SLEUTELS, _TR134
from ijwcli.validatie.regels.toewijzing import _ALLE, _MET_PRODUCT, _PERIODE

SETS = "http://exslt.org/sets"

# --- conditions ------------------------------------------------------------------------------
# A condition: (anchor, predicate). Anchor None: the predicate is a whole expression on the
# message. Predicate "": the anchor's existence is enough.
Voorwaarde = tuple[str | None, str]


def d(pad: str) -> str:
    """An xs:date as the number YYYYMMDD (NaN when absent or not a date)."""
    return f"number(translate({pad},'-',''))"


def g(pad: str) -> str:
    """An xs:integer as a number; XPath 1.0 reads no leading '+', Python's int() does."""
    return f"number(translate({pad},'+',''))"


def g_of_nan(pad: str) -> str:
    """An xs:integer as a number, NaN for one with a leading '+': only where NaN makes the
    condition hold (``x != …``, ``not(x = …)``), so that such a value lets the rules judge
    it. One translate() less per value than :func:`g`."""
    return f"number({pad})"


def een_van(pad: str, *codes: str) -> str:
    """The element has one of these values: one step, then the comparisons on ``.``
    (``pad='a' or pad='b'`` walks the step again for every code)."""
    return f"{pad}[" + " or ".join(f".='{c}'" for c in codes) + "]"


def dubbel(paden: str, eerst_twee: bool = True) -> str:
    """Two of these elements might have the same stripped value (the rules compare values
    after ``strip()``): two equal values (EXSLT set:distinct, one hash pass) or any value
    with white space at an end, which set:distinct does not see past.

    Each mention of ``paden`` walks them again. ``eerst_twee`` first counts them, which ends
    it there when there are fewer than two (most VorigReferentieNummers); without, one walk
    less where there are always two or more (one element alone cannot repeat; with white
    space, it only lets the rules run)."""
    test = (f"(count(set:distinct({paden})) != count({paden}) or "
            f"({paden})[. != normalize-space(.)])")
    return f"(count({paden}) > 1 and {test})" if eerst_twee else test


def n(pad: str) -> str:
    """A value without white space at its ends (xs:date and xs:integer allow it there)."""
    return f"normalize-space({pad})"


# Values the conditions compare many elements with (the Dagtekening, the end of the
# DeclaratiePeriode): read once per message into a variable (see _CONSTANTEN) rather than
# walked from the root again inside the predicate of every element that compares with them
# (in a declaratie of 100,000 prestaties: a million absolute paths). The variable holds the
# date as its number already (what d() of the element gives), computed in Python once.
DAG = "$dag"


def _na_2020(einde: str) -> str:
    # The rules' "einde is None or einde > 31-12-2020": None also when the date does not
    # parse, which a schema-valid date of another length than YYYY-MM-DD may not.
    return (f"(not({einde}) or {d(einde + '[1]')} > 20201231 or "
            f"string-length({n(einde + '[1]')}) != 10)")


def _klassen(klassen: Iterable[str], predicaat: Callable[[str], str]) -> tuple[Voorwaarde, ...]:
    return tuple((k, predicaat(_PERIODE[k][1])) for k in klassen if k in _PERIODE) + tuple(
        (k, predicaat("")) for k in klassen if k not in _PERIODE)


def _frequentie(klassen: tuple[str, ...]) -> tuple[Voorwaarde, ...]:
    return _klassen(klassen, lambda einde: (
        f"{een_van('Omvang[1]/Eenheid[1]', '14', '16', '83', '84')} and {_na_2020(einde)} "
        "and Omvang[1]/Frequentie[1] and "
        f"not({een_van('Omvang[1]/Frequentie[1]', '2', '4', '6')})"))


def _omvang_zonder_code(klasse: str) -> tuple[Voorwaarde, ...]:
    return _klassen((klasse,), lambda einde: (
        f"Omvang and not({n('Product[1]/Code[1]')} != '') and {_na_2020(einde)}"))


def _overlap(klasse: str) -> tuple[Voorwaarde, ...]:
    # The same product twice: two lines with the same Code, or a line without a Code (it
    # stands for every code of its Categorie, without Product for every product).
    lijnen = f"{{{klasse}}}[{_PERIODE[klasse][0]}]"
    return ((None, f"count({lijnen}) > 1 and ({lijnen}[not(Product[1]/Code)] or "
                   f"{dubbel(lijnen + '/Product[1]/Code[1]', eerst_twee=False)})"),)


_DEBET = "IngediendBedrag[1]/DebetCredit[1]='D'"
_AFGEWEZEN = "RetourCodes[1]/RetourCode[. != '0200' and . != '8001']"


def _getekend(klasse: str) -> str:
    return (f"({g(klasse + '[1]/TotaalBedrag[1]')} * "
            f"(1 - 2 * ({klasse}[1]/DebetCredit[1]='C')))")

_CREDIT = "IngediendBedrag[1]/DebetCredit[1]='C'"


_CIJFERS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BLANCO = (" ", "\t", "\n", "  ")


def _kan_blanco(t: Datatype, blanco: tuple[str, ...] = _BLANCO) -> bool:
    """Whether the schema may let a value of nothing but white space pass for this type
    (with ``""`` among ``blanco``: or an empty one).

    Dates and numbers collapse white space (then empty fails); a code list has no blank
    code; a pattern that matches no blank string (read with Python's re, which agrees with
    XSD on these; one it cannot read counts as 'may') keeps blanks out.
    """
    keten = []
    while t is not None:
        keten.append(t)
        t = t.parent
    if keten[-1].base != "string" or any(x.codelijst for x in keten):
        return False
    for x in keten:
        for patroon in x.patterns:
            try:
                if not any(re.fullmatch(patroon, b) for b in blanco):
                    return False
            except re.error:
                pass
    return True


@cache
def _leeg_mogelijk(code: str) -> tuple[Voorwaarde, ...]:
    """RS033's condition, from the model: the values whose type may be blank, and the
    classes whose children are all optional (``<Adres/>`` is schema-valid)."""
    namen: dict[str, str] = {}

    def walk(k: Klasse, ouder: str) -> None:
        for e in k.elements:
            if isinstance(e.type, Klasse):
                if all(c.min == 0 for c in e.type.elements):
                    namen[f"{ouder}/{e.name}"] = "not(*)"
                walk(e.type, e.name)
            elif _kan_blanco(e.type):
                namen[f"{ouder}/{e.name}"] = "normalize-space(.)=''"

    walk(BERICHTEN[code].root, "Bericht")
    return tuple((anker, pred) for anker, pred in namen.items())


_DECL_EINDE = "$decl_einde"

# Variable → (the element its string value is read from, which of them: the first or the
# last in document order). The string value of a node-set is that of its first node; the
# variable holds exactly that string ("" when there is none), so ``number(translate($dag,
# '-',''))`` is the number the absolute path gave.
_CONSTANTEN: dict[str, tuple[str, str]] = {
    "dag": ("Header/BerichtIdentificatie/Dagtekening", "1"),
    "decl_begin": ("Declaratie/DeclaratiePeriode/Begindatum", "1"),
    "decl_einde": ("Declaratie/DeclaratiePeriode/Einddatum", "1"),
    "decl_dagtekening": ("DeclaratieDagtekening", "last()"),
}


# A ProductPeriode in a declaratie is judged by five rules, each of which walked to its two
# dates again (TR137, TR319, TR335, CS100, CS337: in a declaratie of 100,000 prestaties a
# third of the screen). Where all five apply they share one condition: "all is well" when
# 0 <= E - B <= 30 (the dates as YYYYMMDD numbers: E not before B and in the same month; a
# month boundary adds at least 70) and $pp_laag <= E <= $pp_laag + $pp_breedte - 1, the
# bounds computed in Python once per message (_AFGELEID). That implies each rule's own
# condition is false: B >= E - 30 >= 2021-01-01 (CS100), E <= the Dagtekening (TR137) and the
# end of the DeclaratiePeriode (TR319, and B <= E), E >= DeclaratieDagtekening - 5 years
# (TR335). A date that is not YYYY-MM-DD gives NaN: not well, the rules run.
_PRODUCTPERIODE = ("TR137", "TR319", "TR335", "CS100", "CS337")


def _pp_samen(code: str) -> bool:
    return all(TABEL[r].geldt_voor(code) for r in _PRODUCTPERIODE)


def _pp(code: str, eigen: tuple[Voorwaarde, ...]) -> tuple[Voorwaarde, ...]:
    """One rule's ProductPeriode condition: its own, or the one all five share."""
    if not _pp_samen(code):
        return eigen
    e, b = d("Einddatum[1]"), d("Begindatum[1]")
    return (("ProductPeriode", f"not(floor(({e} - {b}) div 31) = 0 and "
                               f"floor(({e} - $pp_laag) div $pp_breedte) = 0)"),)


def _pp_laag(decl_dagtekening: float) -> float:
    # 2021-01-31, not 2021-01-01: with E - B <= 30 that keeps B in 2021 or later (CS100).
    vijf_jaar = decl_dagtekening - 50000 if decl_dagtekening == decl_dagtekening else 0
    return max(vijf_jaar, 20210131)


def _pp_breedte(dag: float, decl_einde: float, decl_dagtekening: float) -> float:
    # An absent or unreadable date bounds nothing, as in the rules; NaN when no day fits.
    hoog = 99991231.0
    if dag == dag:
        hoog = dag
    if decl_einde == decl_einde and decl_einde < hoog:
        hoog = decl_einde
    laag = _pp_laag(decl_dagtekening)
    return hoog - laag + 1 if hoog >= laag else math.nan


# The amount of a prestatie, judged by three rules (CD087, CS339, TR346) that each walked to
# its Eenheid, Bedrag and GeleverdVolume again. Where all three apply they share one
# condition: "all is well" when there is a ProductTarief exactly when the Eenheid is not 83
# (euro's), and Bedrag = GeleverdVolume × (the ProductTarief, or 1 where there is none).
_BEDRAG = ("CD087", "CS339", "TR346")


def _bedrag(code: str, eigen: tuple[Voorwaarde, ...]) -> tuple[Voorwaarde, ...]:
    """One rule's condition on a prestatie's amount: its own, or the one all three share."""
    if not all(TABEL[r].geldt_voor(code) for r in _BEDRAG):
        return eigen
    # concat(tarief, '1' only without one): the tarief, or 1.
    # Inside not(… = …): a NaN (a '+' before a number) makes the condition hold.
    factor = g_of_nan("concat(ProductTarief[1], substring('1', 1 + boolean(ProductTarief)))")
    return (("Prestatie", f"not((Eenheid[1]='83') != boolean(ProductTarief) and "
                          f"{g_of_nan('IngediendBedrag[1]/Bedrag[1]')} = "
                          f"{g_of_nan('GeleverdVolume[1]')} * {factor})"),)


# Variables computed in Python from others, once per message: name → (its sources, how).
_AFGELEID: dict[str, tuple[tuple[str, ...], Callable[..., float]]] = {
    "pp_laag": (("decl_dagtekening",), _pp_laag),
    "pp_breedte": (("dag", "decl_einde", "decl_dagtekening"), _pp_breedte),
}


# TR101 keys lines by some paths (sleutels.toml); where one of them is required and another
# rule's condition already holds whenever two lines anywhere share its value, two lines of
# one parent with the same key make that condition hold too, and TR101 needs none of its
# own. Key path → the rule whose condition covers it (its dubbel() includes these values).
_TR101_GEDEKT: dict[tuple[str, str], str] = {
    ("Prestatie", "ProductReferentie/ReferentieNummer"): "TR316",
}


def _verplicht(code: str, klasse: str, pad: tuple[str, ...]) -> bool:
    """Whether every element ``klasse`` in this type has the path below it (min 1 all the way)."""
    gevonden = False

    def walk(k: Klasse) -> bool:
        nonlocal gevonden
        for e in k.elements:
            if e.name == klasse and isinstance(e.type, Klasse):
                gevonden = True
                t: Klasse | None = e.type
                for stap in pad:
                    kind = next((x for x in t.elements if x.name == stap), None) if t else None
                    if kind is None or kind.min < 1:
                        return False
                    t = kind.type if isinstance(kind.type, Klasse) else None
            if isinstance(e.type, Klasse) and not walk(e.type):
                return False
        return True

    return walk(BERICHTEN[code].root) and gevonden


def _tr101_gedekt(code: str, klasse: str, paden: list[tuple[str, ...]]) -> bool:
    return any((regel := _TR101_GEDEKT.get((klasse, "/".join(p)))) is not None
               and TABEL[regel].geldt_voor(code) and _verplicht(code, klasse, p)
               for p in paden)


def _referenties(code: str) -> str:
    """Every prestatie's ReferentieNummer and VorigReferentieNummer (TR316): as the children
    of its ProductReferentie where the model gives it no others (one walk over the lines
    instead of two)."""
    kinderen = {p.split("/", 1)[1] for p in _paden(code) if p.startswith("ProductReferentie/")}
    if kinderen == {"ReferentieNummer", "VorigReferentieNummer"}:
        return "{Prestatie}/ProductReferentie[1]/*"
    return ("{Prestatie}/ProductReferentie[1]/ReferentieNummer[1] | "
            "{Prestatie}/ProductReferentie[1]/VorigReferentieNummer[1]")


def _nulbedrag(code: str, klasse: str) -> str:
    """CS325's amount of 0: the TotaalBedrag, or else the Bedrag, as the rule reads it; only
    the one the model gives this class (a step to a child that never exists still walks)."""
    kinderen = {p.split("/")[1] for p in _paden(code) if p.startswith(f"{klasse}/")}
    if "Bedrag" not in kinderen:
        return f"{g('TotaalBedrag[1]')} = 0"
    if "TotaalBedrag" not in kinderen:
        return f"{g('Bedrag[1]')} = 0"
    return f"({g('TotaalBedrag[1]')} = 0 or not(TotaalBedrag) and {g('Bedrag[1]')} = 0)"


def _declaratieperiode(decl_begin: float, decl_einde: float, dag: float) -> bool:
    """Whether TR137, CS100, CS340 or TR134 might fire on the DeclaratiePeriode (one per
    declaratie, read into variables): in Python, where XPath needed a dozen substrings.

    >>> _declaratieperiode(20260301.0, 20260331.0, 20260402.0)
    False
    >>> _declaratieperiode(20260301.0, 20260330.0, 20260402.0)  # CS340: not the whole month
    True
    >>> _declaratieperiode(20260301.0, 20260331.0, 20260330.0)  # TR137: after the Dagtekening
    True
    """
    # On the YYYYMMDD numbers: a date's number orders as the date does.
    if _als_datum(decl_begin) is None or _als_datum(decl_einde) is None:
        return True  # absent or not a plain date: the rules judge it
    jaar, rest = divmod(int(decl_begin), 10000)
    maand, dag_b = divmod(rest, 100)
    laatste = jaar * 10000 + maand * 100 + _maandlengte(jaar, maand)
    if decl_einde < decl_begin or decl_begin < 20210101 or dag_b != 1 or decl_einde != laatste:
        return True
    # No Dagtekening, or not a date: those rules do not judge.
    return _als_datum(dag) is not None and (decl_einde > dag or decl_begin > dag)


def _maandlengte(jaar: int, maand: int) -> int:
    if maand == 2:
        return 29 if jaar % 4 == 0 and (jaar % 100 != 0 or jaar % 400 == 0) else 28
    return 30 if maand in (4, 6, 9, 11) else 31


def _als_datum(getal: float) -> tuple[int, int, int] | None:
    """A YYYYMMDD number as (year, month, day) when it is a date (``dt.date`` would take).

    >>> _als_datum(20240229.0), _als_datum(20230229.0), _als_datum(math.nan)
    ((2024, 2, 29), None, None)
    """
    if getal != getal or not 10000101 <= getal <= 99991231:
        return None
    jaar, rest = divmod(int(getal), 10000)
    maand, dag = divmod(rest, 100)
    if not 1 <= maand <= 12 or not 1 <= dag <= _maandlengte(jaar, maand):
        return None
    return jaar, maand, dag


# Checks in Python on variables alone: name → (the rules they stand in for, their variables,
# whether something might fire).
_OP_VARIABELEN: dict[str, tuple[tuple[str, ...], tuple[str, ...], Callable[..., bool]]] = {
    "declaratieperiode": (("TR137", "CS100", "CS340", "TR134"),
                          ("decl_begin", "decl_einde", "dag"), _declaratieperiode),
}


def _ouders(code: str, klasse: str) -> list[str]:
    """The names of the elements that hold elements of this name, in this message type."""
    return sorted({pad[-2][1] for pad in _paden(code).get(klasse, ()) if len(pad) > 1})


def _tr134(code: str) -> tuple[Voorwaarde, ...]:
    # The DeclaratiePeriode's Begindatum is judged in Python (_declaratieperiode); where the
    # ProductPeriode rules share their test, it holds B <= E <= the Dagtekening too.
    elders = {("DeclaratiePeriode", "Begindatum")}
    if _pp_samen(code):
        elders.add(("ProductPeriode", "Begindatum"))
    return tuple((f"{ouder}/{veld}", f"{d('.')} > {DAG}") for ouder, veld in _TR134.get(code, ())
                 if (ouder, veld) not in elders)


# Per rule: its conditions, or a function of the message type giving them.
ZEEF: dict[str, tuple[Voorwaarde, ...] | Callable[[str], tuple[Voorwaarde, ...]]] = {
    # Comments and PIs switch the screen off (see bytes_in_orde): MARKUP cannot fire.
    "MARKUP": (),
    # An empty element: only where the model lets one pass the schema (see _leeg_mogelijk).
    "RS033": lambda code: _leeg_mogelijk(code),
    "CS003": tuple((k, f"{e} and (not({b}) or {d(e + '[1]')} < {d(b + '[1]')})") for k, (b, e) in {
        "Periode": ("Begindatum", "Einddatum"), **_PERIODE}.items()),
    # 1234AB: every digit read as 9 and every (ASCII) letter as A gives 9999AA, and no 0
    # first. One translate instead of three substrings and three.
    "CS089": (("Adres", f"LandCode[1]='NL' and not(translate(Postcode,'{_CIJFERS}{_LETTERS}',"
                        f"'{'9' * 10}{'A' * 52}')='9999AA' and not(starts-with(Postcode,'0')))"),),
    # The schema allows one Dagtekening there, and requires it: $dag is its date.
    # In Python (_NA_VANDAAG): the schema allows one Dagtekening there, and requires it.
    "TR135": (),
    "TR002": (("Geboortedatum", f"Datum and {d('Datum[1]')} + 1200000 < {DAG} and "
                                f"not(DatumGebruik[1]='3' and {n('Datum[1]')}='1900-01-01')"),),
    "TR134": _tr134,
    "CS139": (("Geboortedatum", f"DatumGebruik[1]='1' and substring({n('Datum[1]')},9,2)!='01'"
                                f" or DatumGebruik[1]='2' and substring({n('Datum[1]')},6,5)!="
                                f"'01-01' or DatumGebruik[1]='3' and {n('Datum[1]')}!="
                                "'1900-01-01'"),),
    "CS050": tuple((f"{o}/Naam", "NaamGebruik and (Partnernaam and not("
                                 f"{een_van('NaamGebruik[1]', '1', '2', '3', '4')}) or "
                                 "not(Partnernaam) and "
                                 f"not({een_van('NaamGebruik[1]', '1', '6')}))")
                   for o in ("Client", "Relatie")),
    "CS318": (("Client/Naam", "NaamGebruik[1]='6'"),),
    # A != B on booleans: one of the two without the other, each side evaluated once.
    "CD007": (("Communicatie", "Vorm and (Vorm[1]='1') != boolean(Taal)"),),
    # Duplicates by key (the rule's own table), among the lines of one parent: equal on
    # every key path, an absent key equal only to an absent one.
    # Two lines first: one ``k[2]`` step, where the key comparisons count every line.
    "TR101": lambda code: tuple(
        (ouder, f"{k}[2] and " + " and ".join(
            f"({dubbel(f'{k}/' + '/'.join(p), eerst_twee=False)}" + (
                "" if _verplicht(code, k, p) else f" or count({k}[not({'/'.join(p)})]) > 1")
            + ")" for p in paden))
        for k, paden in _SLEUTELS.get(code, {}).items() if not _tr101_gedekt(code, k, paden)
        for ouder in _ouders(code, k)),
    # The DeclaratiePeriode of TR137, CS100, CS340 and TR134: in Python (_declaratieperiode).
    "TR137": lambda code: _pp(code, ((
        "ProductPeriode", f"{d('Einddatum[1]')} < {d('Begindatum[1]')} or "
                          f"{d('Einddatum[1]')} > {DAG}"),)),
    "TR319": lambda code: _pp(code, (("ProductPeriode", f"{d('Begindatum[1]')} > {_DECL_EINDE} "
                                                        f"or {d('Einddatum[1]')} > "
                                                        f"{_DECL_EINDE}"),)),
    "TR335": lambda code: _pp(code, (("ProductPeriode", f"{d('Einddatum[1]')} < "
                                                        "$decl_dagtekening - 50000"),)),
    "CS100": lambda code: _pp(code, (("ProductPeriode", f"{d('Begindatum[1]')} < 20210101 or "
                                                        f"{d('Einddatum[1]')} < 20210101"),)),
    "CS340": (),
    "CS337": lambda code: _pp(code, (("ProductPeriode", "Begindatum and Einddatum and "
                                                        f"substring({n('Begindatum[1]')},1,7) "
                                                        f"!= substring({n('Einddatum[1]')},"
                                                        "1,7)"),)),
    # The sign first: nearly every amount is debet, and then its number is not read.
    "CS325": lambda code: tuple(
        (k, f"DebetCredit[1] != 'D' and {_nulbedrag(code, k)}")
        for k in ("TotaalIngediendBedrag", "TotaalToegekendBedrag", "IngediendBedrag")),
    "CD060": (("Prestatie", f"({_CREDIT}) != "
                            "boolean(ProductReferentie[1]/VorigReferentieNummer)"),),
    "TR315": ((None, dubbel("{VorigReferentieNummer}")),),
    # The count first: a declaratie of one prestatie (many are) has one value.
    "TR316": lambda code: ((None, dubbel(_referenties(code))),),
    # Two prestaties under one client, then the Python check (NADER) decides. A condition
    # on the ToewijzingNummers (two debet lines with one) holds in nearly every declaratie
    # with more than one line per client, so it cost a walk over every line for nothing.
    "TR416": (("Prestaties", "Prestatie[2]"),),
    # Debet minus credit as all minus twice credit: the lines walked once for the amounts
    # and once for their sign, not twice each.
    # A NaN on either side of != (a '+' before a number; sum() reads each amount as number()
    # does) makes the condition hold.
    "TR358": (("Declaratie", f"{g_of_nan('TotaalIngediendBedrag[1]/TotaalBedrag[1]')} * "
                             "(1 - 2 * (TotaalIngediendBedrag[1]/DebetCredit[1]='C')) != "
                             "sum({Prestatie}/IngediendBedrag[1]/Bedrag[1]) - 2 * "
                             "sum({Prestatie}/IngediendBedrag[1][DebetCredit[1]='C']/Bedrag[1])"),),
    "CD087": lambda code: _bedrag(code, (
        ("Prestatie", "Eenheid and (Eenheid[1]='83') = boolean(ProductTarief)"),)),
    "CS339": lambda code: _bedrag(code, (
        ("Prestatie", f"Eenheid[1]='83' and {g('IngediendBedrag[1]/Bedrag[1]')} != "
                      f"{g('GeleverdVolume[1]')}"),)),
    "TR346": lambda code: _bedrag(code, (
        ("Prestatie", f"Eenheid and Eenheid[1] != '83' and "
                      f"{g('IngediendBedrag[1]/Bedrag[1]')} != "
                      f"{g('GeleverdVolume[1]')} * {g('ProductTarief[1]')}"),)),
    "TR342": (("DeclaratieAntwoord", f"{_AFGEWEZEN} and {_getekend('TotaalToegekendBedrag')} "
                                     f"!= 0 or not({_AFGEWEZEN}) and "
                                     f"{_getekend('TotaalIngediendBedrag')} - "
                                     f"{_getekend('TotaalToegekendBedrag')} != "
                                     f"sum({{Prestatie}}[{_DEBET}]/IngediendBedrag[1]/Bedrag[1]) - "
                                     f"sum({{Prestatie}}[{_CREDIT}]/IngediendBedrag[1]/Bedrag[1])"),),
    "TR006": (("Contact", "not(Telefoon) and not(Adres[1]/Huis and Adres[1]/Postcode)"),),
    "TR061": (("Client", "Contactgegevens and not(Contactgegevens[1]/Contact["
                         f"{een_van('Soort[1]', '01', '02', '03')} and Adres])"),),
    "CD005": (("Contact/Adres", "boolean(Postcode) != boolean(LandCode)"),),
    "CD009": (("Contact", "Periode and not(Soort[1]='04')"),),
    "CD025": (("Contact/Adres", f"LandCode[1]='NL' and not({n('Huis[1]/Huisnummer[1]')} != '')"),),
    "CD034": (("Contact", f"{een_van('Soort[1]', '01', '03')} and "
                          f"not({n('Adres[1]/Postcode[1]')} != '')"),),
    "TR018": (("StopProduct", f"{d('Einddatum[1]')} < {d('Begindatum[1]')}"),),
    "CS058": (("StatusAanlevering", ". != '1' and . != '3'"),),
    "CS335": (("ToegewezenProduct", f"RedenWijziging[1]='13' and ({n('Ingangsdatum[1]')} != "
                                    f"{n('Einddatum[1]')} or string-length("
                                    f"{n('Ingangsdatum[1]')}) != 10)"),),
    "CS336": (("RedenWijziging", ". = '01'"),),
    "CD079": _klassen(_MET_PRODUCT, lambda _e: "not(Budget) and not(Product)"),
    "CD075": _klassen(_ALLE, lambda e: f"Budget and not({e})"),
    "CD076": _klassen(_ALLE, lambda e: f"Omvang[1]/Frequentie[1]='2' and not({e})"),
    "CD041": _klassen(_MET_PRODUCT, lambda _e: f"{n('Product[1]/Code[1]')} != '' and not(Omvang)"),
    "CD077": _klassen(_ALLE, lambda _e: "Budget and Omvang"),
    "CD078": _klassen(_ALLE, lambda _e: "Budget and Omvang"),
    "CD080": _omvang_zonder_code("ToegewezenProduct"),
    "CD095": _omvang_zonder_code("AangevraagdProduct"),
    "CD096": _omvang_zonder_code("NieuwProduct"),
    "CS338": _frequentie(("ToegewezenProduct", "NieuwProduct", "TeWijzigenProduct")),
    "CS343": _frequentie(("AangevraagdProduct",)),
    "TR302": _overlap("ToegewezenProduct"),
    "TR386": _overlap("AangevraagdProduct"),
    "TR410": _overlap("NieuwProduct"),
    # TR381 needs the configured list: without one it never fires (with one: no screen).
    "TR381": (),
    "TR383": ((None, dubbel("{AangevraagdProduct}/ReferentieAanbieder[1]")),),
    "CD043": (("AangevraagdProduct", "boolean(BeschikkingNummer) != "
                                     "boolean(BeschikkingIngangsdatum)"),),
    "CD066": (("Verwijzer", f"{een_van('Type[1]', '02', '03', '04', '05')} and "
                            "ZorgverlenerCode and Naam"),),
    "CD067": (("Verwijzer", f"{een_van('Type[1]', '02', '03', '04', '05')} and "
                            "not(ZorgverlenerCode) and not(Naam)"),),
    "CD068": (("Verwijzer", f"Type and not({een_van('Type[1]', '02', '03', '04', '05')}) and "
                            "ZorgverlenerCode"),),
    "TR352": (("Verzoek", "not(OngewijzigdeProducten) and not(TeWijzigenProducten)"),),
    "TR353": (("Verzoek", "not(TeWijzigenProducten) and not(NieuweProducten)"),),
    "TR380": (("NieuwProduct", f"{d('GewensteIngangsdatum[1]')} <= {DAG}"),),
    "TR377": (("Antwoord", "RedenAfwijzingVerzoek[1]='8' and not(Woonplaatsbeginsel)"),),
    "TR409": (("Antwoord", "Woonplaatsbeginsel and RedenAfwijzingVerzoek and "
                           "not(RedenAfwijzingVerzoek[1]='8')"),),
    "CD085": (("Antwoord", "VerzoekAntwoord[1]='1' and not(RedenAfwijzingVerzoek)"),),
    "CD086": (("Antwoord", "VerzoekAntwoord[1]='2' and RedenAfwijzingVerzoek"),),
}

def _bsn_fout(v: str) -> bool:
    # CS002 as the rule judges it.
    return len(v) == 9 and v.isdigit() and not elfproef(v)


def _gemeente_onbekend(v: str) -> bool:
    # TR378: a code of four that is not in every CBS list the rule may judge it by.
    return len(v) == 4 and v not in _gemeenten_altijd()


# Rules on a single value, decided in Python on the stripped text of their elements: the
# elements come with those of the variables, in one XPath call before the screen. A Python
# test on a few values is cheaper than the same test in XPath (CS002's 11-proef: eight
# substrings, each converted to a number; TR378: a search through 350 codes per value).
WAARDEN: dict[str, tuple[tuple[str, Callable[[str], bool]], ...]] = {
    "CS002": (("Bsn", _bsn_fout),),
    "TR378": tuple((a, _gemeente_onbekend) for a in (
        "Header/Afzender", "Header/Ontvanger", "Woonplaatsbeginsel/Gemeente")),
}

# Rules on a variable alone, in Python: it may not lie after today.
_NA_VANDAAG = {"TR135": "dag"}

# Rules whose condition depends on configuration: the screen is off while this says so.
UIT_ALS: dict[str, Callable[[], bool]] = {"TR381": lambda: productcodes.actief() is not None}


def _tr416(tree: etree._ElementTree, code: str) -> bool:
    """TR416 as the rule keys it: two debet prestaties under one client with the same
    ToewijzingNummer, ProductPeriode and product. XPath 1.0 cannot compare such composite
    keys in one pass, so this decides wherever a client has two prestaties; where the model
    does not fix the elements' positions (see :func:`_tr416_posities`), the rules do."""
    posities = _tr416_posities(code)
    if posities is None:
        return True
    xp, tags = _prestaties_ouders(code)
    return _tr416_op_positie(xp(tree), posities, tags)


_Posities = tuple[int, int, int, int, int, int, int, int]


@cache
def _tr416_posities(code: str) -> _Posities | None:
    """Where TR416's elements stand in a Prestatie, from the model: the child index of the
    ToewijzingNummer, ProductCategorie, ProductCode and ProductPeriode, the Begindatum and
    Einddatum in the ProductPeriode, and the DebetCredit in the IngediendBedrag, which comes
    last (-1); ``None`` unless every element before each (and each) occurs exactly once,
    so that in a schema-valid message the index finds it."""
    def vast(k: Klasse, naam: str) -> int | None:
        namen = [e.name for e in k.elements]
        if naam not in namen:
            return None
        i = namen.index(naam)
        return i if all(e.min == 1 and not e.repeats for e in k.elements[:i + 1]) else None

    prestatie = next((t for p in _paden(code).get("Prestatie", [])
                      if isinstance(t := _klasse(code, p), Klasse)), None)
    if prestatie is None:
        return None
    per = next((e.type for e in prestatie.elements if e.name == "ProductPeriode"), None)
    laatste = prestatie.elements[-1] if prestatie.elements else None
    if not isinstance(per, Klasse) or laatste is None or laatste.name != "IngediendBedrag" or \
            laatste.min != 1 or laatste.repeats or not isinstance(laatste.type, Klasse):
        return None
    uit = (vast(prestatie, "ToewijzingNummer"), vast(prestatie, "ProductCategorie"),
           vast(prestatie, "ProductCode"), vast(prestatie, "ProductPeriode"),
           vast(per, "Begindatum"), vast(per, "Einddatum"), -1,
           vast(laatste.type, "DebetCredit"))
    return None if None in uit else uit  # type: ignore[return-value]


def _klasse(code: str, pad: _Pad) -> Klasse | None:
    k: Klasse | None = BERICHTEN[code].root
    for _, naam in pad[1:]:
        e = next((x for x in k.elements if x.name == naam), None) if k else None
        k = e.type if e is not None and isinstance(e.type, Klasse) else None
    return k


def _tr416_op_positie(ouders: list[etree._Element], posities: _Posities,
                      tags: tuple[str, ...]) -> bool:
    # Each element by its index (a few proxies per line, no tag read): in a declaratie of
    # 100,000 prestaties a third of the screen went to reading every child's tag. The tags
    # of the first line of each client confirm the model's positions.
    num, cat, prod, per, begin, eind, bed, dc = posities
    try:
        for ouder in ouders:
            eerste = ouder[0]
            if (eerste[num].tag, eerste[cat].tag, eerste[prod].tag, eerste[per].tag,
                    eerste[bed].tag, eerste[bed][dc].tag) != tags:
                return True  # not as the model says: let the rules judge it
            gezien: set[tuple[str, ...]] = set()
            for p in ouder:
                if (p[bed][dc].text or "").strip() != "D":
                    continue
                pp = p[per]
                k = ((p[num].text or "").strip(), (pp[begin].text or "").strip(),
                     (pp[eind].text or "").strip(), (p[cat].text or "").strip(),
                     (p[prod].text or "").strip())
                if not all(k):
                    continue  # an empty key element: no second debet "for the same" one
                if k in gezien:
                    return True
                gezien.add(k)
    except IndexError:
        return True
    return False


@cache
def _prestaties_ouders(code: str) -> tuple[etree.XPath, tuple[str, ...]]:
    """The elements that hold this type's Prestatie elements (per client), and the tags
    :func:`_tr416_op_positie` confirms its positions with."""
    ns = _ns(code)

    def tag(naam: str) -> str:
        (prefix,) = _prefixen(code)[naam]  # one namespace each in a declaratie
        return f"{{{ns[prefix]}}}{naam}"

    # The parents' own paths, not ``…/Prestatie/..``: libxml2 merges the parent of every
    # line into the result one by one, checking each against all gathered so far (20,000
    # clients: 17 s, against 0.02 s this way).
    ouders = sorted({pad[:-1] for pad in _paden(code).get("Prestatie", [])})
    xp = etree.XPath(" | ".join("/" + "/".join(f"{p}:{n}" for p, n in pad) for pad in ouders)
                     or "/..", namespaces=ns)
    return xp, tuple(tag(n) for n in ("ToewijzingNummer", "ProductCategorie", "ProductCode",
                                      "ProductPeriode", "IngediendBedrag", "DebetCredit"))


# Rules whose XPath condition only says "maybe": when it holds, their Python check here
# decides (it must find whatever the rule would report, and may find more).
NADER: dict[str, Callable[[etree._ElementTree, str], bool]] = {"TR416": _tr416}


# --- from conditions to one XPath per message type --------------------------------------------
_Pad = tuple[tuple[str, str], ...]  # ((namespace prefix, local name), ...) from the root down


@cache
def _paden(code: str) -> dict[str, list[_Pad]]:
    """Every element path of the message model, filed under each of its name suffixes."""
    d_ = BERICHTEN[code]
    out: dict[str, list[_Pad]] = {}

    def walk(k: Klasse, pad: _Pad) -> None:
        prefix = "ijw" if k.basis else "m"
        for e in k.elements:
            p = (*pad, (prefix, e.name))
            namen = [n for _, n in p]
            for i in range(len(namen)):
                out.setdefault("/".join(namen[i:]), []).append(p)
            if isinstance(e.type, Klasse):
                walk(e.type, p)

    walk(d_.root, (("m", "Bericht"),))
    return out


@cache
def _prefixen(code: str) -> dict[str, set[str]]:
    """Local name → the namespace prefixes it occurs in, in this message type."""
    out: dict[str, set[str]] = {}
    for paden in _paden(code).values():
        for p in paden:
            prefix, naam = p[-1]
            out.setdefault(naam, set()).add(prefix)
    return out


_LITERAL = re.compile(r"('[^']*'|\"[^\"]*\")")
_MACRO = re.compile(r"\{([A-Z][\w/]*)\}")
_NAAM = re.compile(r"(?<![\w:$@.'-])([A-Z]\w*)(?![\w(:-])")


def _absoluut(code: str, anker: str) -> str:
    paden = _paden(code).get(anker, [])
    if not paden:
        return "/.."  # the empty node-set: no such element in this message type
    return "(" + " | ".join("/" + "/".join(f"{p}:{n}" for p, n in pad) for pad in paden) + ")"


def _onder(code: str, naam: str, anker: str | None) -> str:
    """A macro ``{naam}`` in a predicate on ``anker``: relative to it where the anchor
    occurs at most once in a message and every element of that name lies below it (the
    steps from the root are not walked again), else :func:`_absoluut`."""
    ankers = _paden(code).get(anker, []) if anker is not None else []
    paden = _paden(code).get(naam, [])
    # _plaats: whether a step on the anchor's path repeats.
    if len(ankers) != 1 or not paden or _plaats(code, ankers[0])[2]:
        return _absoluut(code, naam)
    a = ankers[0]
    if not all(len(p) > len(a) and p[:len(a)] == a for p in paden):
        return _absoluut(code, naam)
    return "(" + " | ".join("/".join(f"{p}:{n}" for p, n in pad[len(a):])
                            for pad in paden) + ")"


@cache
def _prefixen_onder(code: str, anker: str) -> dict[str, set[str]]:
    """Local name → its namespace prefixes among the descendants of the anchor's elements.

    Most names that occur in both namespaces somewhere in a message (Einddatum in JW301)
    occur in one below a given anchor; the qualified name test is several times cheaper
    than ``*[local-name()=…]``, which calls a function on every child."""
    ankers = _paden(code).get(anker, [])
    out: dict[str, set[str]] = {}
    for pad in {p for paden in _paden(code).values() for p in paden}:
        if any(len(pad) > len(a) and pad[:len(a)] == a for a in ankers):
            prefix, naam = pad[-1]
            out.setdefault(naam, set()).add(prefix)
    return out


def _kwalificeer(code: str, tekst: str, anker: str | None = None) -> str:
    # Relative names in a predicate on an anchor are steps below it; an absolute macro can
    # lead anywhere, so a predicate with one qualifies by the whole message.
    if anker is not None and "{" not in tekst and ".." not in tekst:
        prefixen = _prefixen_onder(code, anker)
    else:
        prefixen = _prefixen(code)

    def naam(m: re.Match[str]) -> str:
        n = m.group(1)
        p = prefixen.get(n, set())
        if len(p) == 1:
            return f"{next(iter(p))}:{n}"
        if not p:
            return "nergens:" + n  # not in this message type: matches nothing
        return f"*[local-name()='{n}']"

    delen = _LITERAL.split(tekst)
    for i in range(0, len(delen), 2):  # outside string literals
        deel = _MACRO.sub(lambda m: _onder(code, m.group(1), anker), delen[i])
        delen[i] = _NAAM.sub(naam, deel)
    return "".join(delen)


def _voorwaarden(regel: str, code: str) -> tuple[Voorwaarde, ...] | None:
    if regel in WAARDEN:
        return ()  # decided in Python (see _vooraf)
    spec = ZEEF.get(regel)
    if spec is None:
        return None
    return spec(code) if callable(spec) else spec


def _boom(paden: list[tuple[_Pad, str]]) -> str:
    """Conditions on absolute paths as one nested XPath: each path walked once.

    ``/m:Bericht[m:Client[p1 or m:Contact[p2]]]``: a step's predicate is its own conditions
    OR those of the steps below it; a bare existence condition makes the step enough.
    """
    boom: dict = {}
    for pad, pred in paden:
        knoop = boom
        for stap in pad:
            knoop = knoop.setdefault(stap, {})
        knoop.setdefault(None, []).append(pred)

    def uit(stap: tuple[str, str], knoop: dict) -> str:
        # Two rules may share a condition (CD077 and CD078): evaluated once.
        eigen = list(dict.fromkeys(knoop.get(None, [])))
        naam = f"{stap[0]}:{stap[1]}"
        if "" in eigen:
            return naam
        delen = [f"({p})" for p in eigen]
        delen += [uit(s, k) for s, k in knoop.items() if s is not None]
        return f"{naam}[{' or '.join(delen)}]"

    return " or ".join("/" + uit(s, k) for s, k in boom.items())


def _geldend(code: str) -> list[str]:
    return [r for r in CHECKS if TABEL[r].geldt_voor(code)]


def _deel(code: str, regels: Iterable[str]) -> str | None:
    """The conditions of these rules as one XPath text; ``None`` when one has none."""
    geheel: list[str] = []
    verankerd: list[tuple[_Pad, str]] = []
    for regel in regels:
        voorwaarden = _voorwaarden(regel, code)
        if voorwaarden is None:
            return None
        for anker, predicaat in voorwaarden:
            pred = _kwalificeer(code, predicaat, anker) if predicaat else ""
            if anker is None:
                geheel.append(f"({pred})")
            else:
                verankerd.extend((pad, pred) for pad in _paden(code).get(anker, ()))
    delen = ([_boom(verankerd)] if verankerd else []) + geheel
    return " or ".join(delen) if delen else "false()"


@cache
def expressie(code: str) -> str | None:
    """The screen of one message type as XPath text; ``None`` when a rule has no condition."""
    return _deel(code, _geldend(code))


def _ns(code: str, tekst: str | None = None) -> dict[str, str]:
    """The namespace prefixes, only those ``tekst`` uses when given: lxml registers every
    one again at each call."""
    ns = {"m": BERICHTEN[code].namespace, "ijw": BASIS_NS, "set": SETS,
          "nergens": "urn:ijwcli:nergens"}
    if tekst is None:
        return ns
    return {p: u for p, u in ns.items() if f"{p}:" in tekst}


@cache
def _xpath(code: str) -> tuple[etree.XPath, tuple[str, ...]] | None:
    """The screen of one type as one compiled XPath, and the rules of :data:`NADER` in it.

    The XPath gives a number: bit 0 set when a rule outside NADER might fire, bit i + 1
    when the XPath condition of the i-th NADER rule holds (its Python check decides)."""
    if expressie(code) is None:
        return None
    regels = _geldend(code)
    nader = tuple(r for r in regels if r in NADER)
    delen = [f"number(boolean({_deel(code, [r for r in regels if r not in NADER])}))"]
    delen += [f"{2 ** (i + 1)} * number(boolean({_deel(code, [r])}))"
              for i, r in enumerate(nader)]
    tekst = " + ".join(delen)
    return etree.XPath(tekst, namespaces=_ns(code, tekst), smart_strings=False,
                       regexp=False), nader


_Doel = str | Callable[[str], bool]  # a variable's name, or a WAARDEN rule's test


@dataclass(frozen=True, slots=True, eq=False)
class _Vooraf:
    """What one type's screen reads before its XPath, and how (see :func:`_vooraf`). One
    per message type, known by its identity (a key of :func:`_afleiden`)."""

    # The text of every element to read, in document order, from one XPath call; each text
    # is for the _Doel at its place: first those of ``voor``, then any number for ``vrij``,
    # then those of ``na``.
    teksten: etree.XPath | None
    voor: tuple[_Doel, ...]
    vrij: _Doel | None
    vrij_hoogstens: float  # how many texts ``vrij`` may have: 0 (no vrij), 1 or inf
    na: tuple[_Doel, ...]
    waarden: dict[str, float]  # every variable, with its value when absent
    na_vandaag: tuple[str, ...]
    afgeleid: tuple[tuple[str, tuple[str, ...], Callable[..., float]], ...]
    op_variabelen: tuple[tuple[tuple[str, ...], Callable[..., bool]], ...]
    # The variables the screen's XPath refers to: only those are handed to it (each costs
    # the call a conversion and a registration).
    in_xpath: tuple[str, ...]


def _altijd_tekst(t: Datatype) -> bool:
    """Whether every schema-valid value of this type has a character that is not white
    space: then its element has exactly one text node in the parsed tree (a blank one the
    parser may leave out, and bytes_in_orde lets nothing through that splits one)."""
    return not _kan_blanco(t, ("", *_BLANCO))


def _plaats(code: str, pad: _Pad) -> tuple[tuple[int, ...], bool, bool, Datatype | None]:
    """A path's place in document order (the child index of each step in the model), and
    whether its element occurs exactly once, whether it may repeat, and its type."""
    k: Klasse = BERICHTEN[code].root
    plaats, precies_een, herhaalt, t = [], True, False, None
    for _, naam in pad[1:]:
        i = [e.name for e in k.elements].index(naam)
        e = k.elements[i]
        plaats.append(i)
        precies_een &= e.min == 1 and not e.repeats
        herhaalt |= e.repeats
        if isinstance(e.type, Klasse):
            k = e.type
        else:
            t = e.type
    return tuple(plaats), precies_een, herhaalt, t


@cache
def _vooraf(code: str) -> _Vooraf | None:
    """What this type's screen reads before its XPath: the elements of its variables and
    those of its :data:`WAARDEN` rules, as the text of each in one XPath call (a few text
    nodes come back as plain strings; an element walked to in Python costs an object per
    step). Which text is for what follows from the model: every element is read at one
    path, occurs exactly once there but for at most one, and always has text
    (:func:`_altijd_tekst`). ``None`` when the model does not allow that: then the screen is
    off for the type. Also every variable with its value when absent, the variables that
    may not lie after today (TR135), those computed from the others (:data:`_AFGELEID`),
    and the checks on variables alone (:data:`_OP_VARIABELEN`) of the rules that apply."""
    regels = _geldend(code)
    tekst = expressie(code) or ""
    na_vandaag = tuple(v for r, v in _NA_VANDAAG.items() if r in regels)
    afgeleid = tuple(a for a in _AFGELEID if f"${a}" in tekst)
    bronnen = {b for a in afgeleid for b in _AFGELEID[a][0]}
    # Only where the message type has the elements: without them the rules have nothing there.
    op_variabelen = tuple((namen_, hoe) for regels_, namen_, hoe in _OP_VARIABELEN.values()
                          if any(r in regels for r in regels_)
                          and all(_paden(code).get(_CONSTANTEN[n][0]) for n in namen_))
    bronnen |= {n for namen_, _ in op_variabelen for n in namen_}
    namen = [n for n in _CONSTANTEN if f"${n}" in tekst or n in na_vandaag or n in bronnen]
    te_lezen: list[tuple[str, _Doel]] = [(_CONSTANTEN[n][0], n) for n in namen]
    te_lezen += [(pad, test) for regel in regels for pad, test in WAARDEN.get(regel, ())]
    gelezen: list[tuple[tuple[int, ...], bool, bool, _Doel, str]] = []
    for pad, doel in te_lezen:
        paden = _paden(code).get(pad, [])
        if not paden:
            continue  # not in this message type: nothing to read, nothing to judge
        if len(paden) > 1:
            return None
        plaats, precies_een, herhaalt, t = _plaats(code, paden[0])
        if t is None or not _altijd_tekst(t):
            return None
        # The steps without parentheses: a filter expression costs the call a quarter more.
        gelezen.append((plaats, precies_een, herhaalt, doel,
                        "/" + "/".join(f"{p}:{n}" for p, n in paden[0])))
    gelezen.sort(key=lambda x: x[0])
    vrij = [i for i, x in enumerate(gelezen) if not x[1]]
    if len(vrij) > 1:
        return None
    # A variable read where its element may repeat: the rules take the first or the last.
    for _, _, herhaalt, doel, _ in gelezen:
        if herhaalt and isinstance(doel, str) and _CONSTANTEN[doel][1] != "1":
            return None
    delen = [f"{x[4]}/text()" for x in gelezen]
    xp = etree.XPath(" | ".join(delen), namespaces=_ns(code, " | ".join(delen)),
                     smart_strings=False, regexp=False) if delen else None
    grens = vrij[0] if vrij else len(gelezen)
    return _Vooraf(
        xp, tuple(x[3] for x in gelezen[:grens]),
        gelezen[grens][3] if vrij else None,
        0 if not vrij else math.inf if gelezen[grens][2] else 1,
        tuple(x[3] for x in gelezen[grens + 1:]), dict.fromkeys(namen, math.nan), na_vandaag,
        tuple((a, *_AFGELEID[a]) for a in afgeleid), op_variabelen,
        tuple(sorted(set(re.findall(r"\$(\w+)", tekst)))))


@cache
def _gemeenten_altijd() -> frozenset[str]:
    """The codes in every CBS list TR378 may judge a message by."""
    from ijwcli.model import gemeenten

    lijsten = [set(gemeenten.lijst(j)) for j in gemeenten.jaren()]
    return frozenset(set.intersection(*lijsten) if lijsten else ())


def datum_getal(tekst: str) -> float | None:
    """``number(translate(tekst, '-', ''))`` as libxml2 computes it, for the text of a
    schema-valid xs:date; ``None`` for anything else the screen then does not judge.

    >>> datum_getal("2026-03-02"), datum_getal(" 2026-03-02 "), datum_getal("2026-03-02Z")
    (20260302.0, 20260302.0, nan)
    >>> datum_getal("1.5") is None
    True
    """
    s = tekst.replace("-", "").strip(" \t\r\n")  # XPath's white space
    if s.isascii() and s.isdigit():
        # Exact as a double, as libxml2 reads it digit by digit: up to 15 digits.
        return float(s) if len(s) <= 15 else None
    # libxml2 reads "1.5", ".5" and "1e5" as numbers; a date has none of these.
    return None if any(c in s for c in ".eE") else math.nan


# --- the bytes ------------------------------------------------------------------------------
# White space Python's str.strip() removes beyond ASCII (every c with c.isspace(); the tests
# hold this list to that), as UTF-8.
WIT_UNICODE = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + \
    "\u2028\u2029\u202f\u205f\u3000"
_WIT_UNICODE = re.compile(b"|".join(re.escape(c.encode()) for c in WIT_UNICODE))


def bytes_in_orde(data: bytes) -> bool:
    """Whether the bytes hold nothing the conditions do not model.

    Not modelled: markup inside text (a comment, CDATA or processing instruction past the
    XML declaration), character references (``&#160;`` is white space Python strips), and
    white space beyond ASCII. One-byte searches first: most messages have none of ``!``,
    ``&`` or a ``?`` past the declaration.

    >>> bytes_in_orde(b'<?xml version="1.0"?><a>x</a>'), bytes_in_orde(b"<a>x<?p?></a>")
    (True, False)
    >>> bytes_in_orde(b'<?xml version="1.0"?><a>?</a>'), bytes_in_orde(b"<a>&#32;</a>")
    (True, False)
    """
    if b"!" in data and b"<!" in data:
        return False
    if b"&" in data and b"&#" in data:
        return False
    # A '?' past the declaration's '?>' (memchr, where count() read every byte).
    eind = data.find(b"?>") if data.startswith(b"<?") else -2
    if data.find(b"?", eind + 2) != -1 and data.find(b"<?", eind + 2) != -1:
        return False
    return data.isascii() or not _WIT_UNICODE.search(data)


@cache
def _uit_als(code: str) -> tuple[Callable[[], bool], ...]:
    return tuple(uit for regel, uit in UIT_ALS.items() if TABEL[regel].geldt_voor(code))


def _lees(tekst: str, doel: _Doel, waarden: dict[str, float]) -> bool:
    """Read one text into ``waarden`` as its variable, or apply its WAARDEN test: whether
    the screen may go on (``False``: let the rules run)."""
    # A schema-valid element of a simple type without markup inside (bytes_in_orde): its
    # one text node is its string value.
    if doel.__class__ is str:
        getal = _datum_getal(tekst)
        if getal is None:
            return False
        waarden[doel] = getal  # type: ignore[index]
        return True
    return not doel(tekst.strip())  # type: ignore[operator]


# datum_getal per text: the messages of a batch mostly share their dates.
_datum_getal = lru_cache(maxsize=4096)(datum_getal)


@lru_cache(maxsize=4096)
def _afleiden(v: _Vooraf, today: dt.date, *waarden: float) -> dict[str, float] | None:
    """From the variables' values (in the order of ``v.waarden``): the checks on them alone
    and the variables computed from them, as the XPath's variables; ``None`` when one of
    the checks says a rule might fire. Kept per value: the messages of a batch mostly
    share their dates (the Dagtekening, the DeclaratiePeriode)."""
    w = dict(zip(v.waarden, waarden, strict=True))
    if v.na_vandaag:
        vandaag = today.year * 10000 + today.month * 100 + today.day
        if any(w[naam] > vandaag for naam in v.na_vandaag):
            return None
    for namen, controle in v.op_variabelen:
        if controle(*[w[n] for n in namen]):
            return None
    for naam, bronnen, hoe in v.afgeleid:
        w[naam] = hoe(*[w[b] for b in bronnen])
    return {n: w[n] for n in v.in_xpath}


def aan(code: str) -> bool:
    """Whether the screen judges messages of this type now: no configuration switches it
    off (:data:`UIT_ALS`)."""
    return not any(uit() for uit in _uit_als(code))


def vindt_iets(tree: etree._ElementTree, data: bytes, code: str, today: dt.date,
               *, aan_gezien: bool = False) -> bool:
    """Whether some in-message rule might report on this (schema-valid) message.

    ``False`` means: no rule fires, the rule layer may be skipped. ``True`` means only that
    the rules must run. ``aan_gezien``: the caller has just seen :func:`aan` say so (a batch
    asks once, not for every message).
    """
    if not aan_gezien and not aan(code):
        return True
    screen = _xpath(code)
    v = _vooraf(code)
    if screen is None or v is None or not bytes_in_orde(data):
        return True
    xp, nader = screen
    if v.teksten is not None:
        waarden = v.waarden.copy()
        teksten = v.teksten(tree)
        voor = len(v.voor)
        eind = len(teksten) - len(v.na)
        # The count confirms what each text is for (the model's elements, each with text).
        if not voor <= eind <= voor + v.vrij_hoogstens:
            return True
        for tekst, doel in zip(teksten, v.voor, strict=False):
            if not _lees(tekst, doel, waarden):
                return True
        if eind > voor:
            if v.vrij.__class__ is str:  # a variable: the first (see _vooraf)
                if not _lees(teksten[voor], v.vrij, waarden):  # type: ignore[arg-type]
                    return True
            else:
                for tekst in teksten[voor:eind]:
                    if not _lees(tekst, v.vrij, waarden):  # type: ignore[arg-type]
                        return True
        for tekst, doel in zip(teksten[eind:], v.na, strict=True):
            if not _lees(tekst, doel, waarden):
                return True
        kw = _afleiden(v, today, *waarden.values())
        if kw is None:
            return True
        uitkomst = int(xp(tree, **kw) if kw else xp(tree))
    else:
        uitkomst = int(xp(tree))
    if not uitkomst:
        return False
    if uitkomst & 1:
        return True
    return any(uitkomst >> (i + 1) & 1 and NADER[regel](tree, code)
               for i, regel in enumerate(nader))
