"""Rules on contacts, addresses and product lines: the toewijzing (JW301), start and stop
(JW305, JW307) and the product lines of the verzoeken (JW315, JW317).

TR006, TR061, CD005, CD009, CD025, CD034, TR018, CS058, CS335, CS336, CD041, CD075–CD080,
CD095, CD096, CS338, CS343, TR302, TR386, TR410, TR381.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from lxml import etree

from ijwcli.validatie.regels import Bevinding, Context, productcodes, regel
from ijwcli.validatie.regels.hulp import (
    GRENS_2020,
    datum,
    kinderen,
    naam,
    overlapt,
    pad_waarde,
    waarde,
)

# Per product class: the names of its begin and end date.
_PERIODE = {
    "ToegewezenProduct": ("Ingangsdatum", "Einddatum"),
    "AangevraagdProduct": ("ToewijzingIngangsdatum", "ToewijzingEinddatum"),
    "NieuwProduct": ("GewensteIngangsdatum", "Einddatum"),
    "TeWijzigenProduct": ("GewensteIngangsdatum", "Einddatum"),
}
_MET_PRODUCT = ("ToegewezenProduct", "AangevraagdProduct", "NieuwProduct")
_ALLE = (*_MET_PRODUCT, "TeWijzigenProduct")


def _producten(ctx: Context, klassen: tuple[str, ...]
               ) -> Iterator[tuple[str, etree._Element, dict[str, etree._Element]]]:
    for klasse in klassen:
        for el in ctx.iter(klasse):
            yield klasse, el, kinderen(el)


def _einde(klasse: str, k: dict[str, etree._Element]) -> tuple[etree._Element | None,
                                                               dt.date | None]:
    el = k.get(_PERIODE[klasse][1])
    return el, datum(el)


# --- contacts and addresses (JW301) ----------------------------------------------------------
@regel("TR006")
def contact_bereikbaar(ctx: Context) -> Iterator[Bevinding]:
    for c in ctx.iter("Contact"):
        k = kinderen(c)
        adres = kinderen(k.get("Adres"))
        if "Telefoon" not in k and not ("Huis" in adres and "Postcode" in adres):
            yield ctx.bevinding("TR006", c, "Contact heeft geen Telefoon en geen adres met Huis "
                                "en Postcode")


@regel("TR061")
def client_heeft_adres(ctx: Context) -> Iterator[Bevinding]:
    # An Adres of soort 01, 02 or 03: a Contact of that Soort that holds an Adres (the
    # official XSLT looks at the Soort alone; see afwijkingen.toml).
    for client in ctx.iter("Client"):
        gegevens = kinderen(client).get("Contactgegevens")
        if gegevens is None:
            continue  # a missing Contactgegevens is a schema error
        if not any(waarde(kinderen(c).get("Soort")) in ("01", "02", "03")
                   and "Adres" in kinderen(c) for c in gegevens):
            yield ctx.bevinding("TR061", gegevens, "de client heeft geen Contact met een Adres "
                                "van soort 01 (BRP), 02 (correspondentie) of 03 (verblijf)")


def _adressen(ctx: Context) -> Iterator[tuple[etree._Element, dict, etree._Element, dict]]:
    for c in ctx.iter("Contact"):
        k = kinderen(c)
        a = k.get("Adres")
        if a is not None:
            yield c, k, a, kinderen(a)


@regel("CD005")
def landcode_bij_postcode(ctx: Context) -> Iterator[Bevinding]:
    for _c, _k, a, ak in _adressen(ctx):
        if "Postcode" in ak and "LandCode" not in ak:
            yield ctx.bevinding("CD005", a, "Adres met Postcode mist de LandCode")
        elif "LandCode" in ak and "Postcode" not in ak:
            yield ctx.bevinding("CD005", ak["LandCode"], "LandCode hoort alleen bij een adres "
                                "met Postcode")


@regel("CD009")
def periode_alleen_tijdelijk(ctx: Context) -> Iterator[Bevinding]:
    for c in ctx.iter("Contact"):
        k = kinderen(c)
        soort = waarde(k.get("Soort"))
        if "Periode" in k and soort != "04":
            yield ctx.bevinding("CD009", k["Periode"], f"een Periode hoort alleen bij adressoort "
                                f"04 (tijdelijk verblijfadres), niet bij {soort}")


@regel("CD025")
def nl_adres_volledig(ctx: Context) -> Iterator[Bevinding]:
    for _c, _k, a, ak in _adressen(ctx):
        if waarde(ak.get("LandCode")) == "NL" and pad_waarde(ak.get("Huis"),
                                                             "Huisnummer") is None:
            yield ctx.bevinding("CD025", a, "Nederlands adres (LandCode NL) mist het "
                                "Huisnummer")


@regel("CD034")
def brp_en_verblijfadres_volledig(ctx: Context) -> Iterator[Bevinding]:
    # A BRP- or verblijfadres is a Dutch address with a Postcode (CS089 checks its form).
    for c in ctx.iter("Contact"):
        k = kinderen(c)
        soort = waarde(k.get("Soort"))
        if soort in ("01", "03") and pad_waarde(k.get("Adres"), "Postcode") is None:
            yield ctx.bevinding("CD034", k.get("Adres", c), f"Contact van soort {soort} mist "
                                "het Adres met Postcode")


# --- start and stop (JW305, JW307) -----------------------------------------------------------
@regel("TR018")
def stop_einddatum_na_begindatum(ctx: Context) -> Iterator[Bevinding]:
    for _kl, _el, k in _producten(ctx, ("StopProduct",)):
        b, e = datum(k.get("Begindatum")), datum(k.get("Einddatum"))
        if b and e and e < b:
            yield ctx.bevinding("TR018", k["Einddatum"], f"Einddatum {e} ligt vóór Begindatum {b}")


@regel("CS058")
def status_aanlevering_1_of_3(ctx: Context) -> Iterator[Bevinding]:
    for el in ctx.iter("StatusAanlevering"):
        v = waarde(el)
        if v is not None and v not in ("1", "3"):
            yield ctx.bevinding("CS058", el, f"StatusAanlevering {v} is hier niet toegestaan; "
                                "gebruik 1 (eerste aanlevering) of 3 (verwijderen)")


# --- the toewijzing (JW301) ------------------------------------------------------------------
@regel("CS335")
def verwijderd_alleen_zonder_looptijd(ctx: Context) -> Iterator[Bevinding]:
    for _kl, _el, k in _producten(ctx, ("ToegewezenProduct",)):
        if waarde(k.get("RedenWijziging")) == "13":
            # Also without an Einddatum: the rule asks for one equal to the Ingangsdatum (the
            # official XSLT checks only a present one; see afwijkingen.toml).
            b, e = datum(k.get("Ingangsdatum")), datum(k.get("Einddatum"))
            if b is None or e != b:
                nu = f"Einddatum is {e}" if e else "de Einddatum ontbreekt"
                yield ctx.bevinding("CS335", k["RedenWijziging"], "RedenWijziging 13 (verwijderd) "
                                    f"vraagt een Einddatum gelijk aan de Ingangsdatum ({b}); {nu}")


@regel("CS336")
def reden_wijziging_01_vervallen(ctx: Context) -> Iterator[Bevinding]:
    for el in ctx.iter("RedenWijziging"):
        if waarde(el) == "01":
            yield ctx.bevinding("CS336", el, "RedenWijziging 01 is vervallen; gebruik 14 "
                                "(administratieve correctie)")


# --- product lines: Product, Omvang, Budget, Einddatum ---------------------------------------
@regel("CD079")
def product_of_budget(ctx: Context) -> Iterator[Bevinding]:
    for kl, el, k in _producten(ctx, _MET_PRODUCT):
        if "Budget" not in k and "Product" not in k:
            yield ctx.bevinding("CD079", el, f"{kl} zonder Budget moet een Product hebben")


@regel("CD075")
def einddatum_bij_budget(ctx: Context) -> Iterator[Bevinding]:
    for kl, el, k in _producten(ctx, _ALLE):
        if "Budget" in k and _einde(kl, k)[0] is None:
            yield ctx.bevinding("CD075", el, f"{kl} met Budget moet een {_PERIODE[kl][1]} hebben")


@regel("CD076")
def einddatum_bij_per_week(ctx: Context) -> Iterator[Bevinding]:
    for kl, el, k in _producten(ctx, _ALLE):
        if pad_waarde(k.get("Omvang"), "Frequentie") == "2" and _einde(kl, k)[0] is None:
            yield ctx.bevinding("CD076", el, f"{kl} met Frequentie 2 (per week) moet een "
                                f"{_PERIODE[kl][1]} hebben")


@regel("CD041")
def omvang_bij_productcode(ctx: Context) -> Iterator[Bevinding]:
    for kl, el, k in _producten(ctx, _MET_PRODUCT):
        if pad_waarde(k.get("Product"), "Code") and "Omvang" not in k:
            yield ctx.bevinding("CD041", el, f"{kl} met een productcode moet een Omvang hebben")


@regel("CD077")
def geen_omvang_bij_budget(ctx: Context) -> Iterator[Bevinding]:
    for _kl, _el, k in _producten(ctx, _ALLE):
        if "Budget" in k and "Omvang" in k:
            yield ctx.bevinding("CD077", k["Omvang"], "Omvang en Budget sluiten elkaar uit: "
                                "laat Omvang weg als er een Budget is")


@regel("CD078")
def geen_budget_bij_omvang(ctx: Context) -> Iterator[Bevinding]:
    for _kl, _el, k in _producten(ctx, _ALLE):
        if "Budget" in k and "Omvang" in k:
            yield ctx.bevinding("CD078", k["Budget"], "Omvang en Budget sluiten elkaar uit: "
                                "laat Budget weg als er een Omvang is")


def _geen_omvang_zonder_code(ctx: Context, code: str, klasse: str) -> Iterator[Bevinding]:
    for kl, _el, k in _producten(ctx, (klasse,)):
        _, einde = _einde(kl, k)
        nieuw = einde is None or einde > GRENS_2020
        if nieuw and "Omvang" in k and not pad_waarde(k.get("Product"), "Code"):
            yield ctx.bevinding(code, k["Omvang"], f"{kl} zonder productcode met einde na "
                                "31-12-2020 (of open) heeft geen Omvang")


@regel("CD080")
def cd080(ctx: Context) -> Iterator[Bevinding]:
    return _geen_omvang_zonder_code(ctx, "CD080", "ToegewezenProduct")


@regel("CD095")
def cd095(ctx: Context) -> Iterator[Bevinding]:
    return _geen_omvang_zonder_code(ctx, "CD095", "AangevraagdProduct")


@regel("CD096")
def cd096(ctx: Context) -> Iterator[Bevinding]:
    return _geen_omvang_zonder_code(ctx, "CD096", "NieuwProduct")


def _frequentie_bij_etmaal(ctx: Context, code: str, klassen: tuple[str, ...]
                           ) -> Iterator[Bevinding]:
    for kl, _el, k in _producten(ctx, klassen):
        omvang = kinderen(k.get("Omvang"))
        if waarde(omvang.get("Eenheid")) not in ("14", "16", "83", "84"):
            continue
        _, einde = _einde(kl, k)
        freq = waarde(omvang.get("Frequentie"))
        if (einde is None or einde > GRENS_2020) and freq is not None and freq not in (
                "2", "4", "6"):
            yield ctx.bevinding(code, omvang["Frequentie"], f"bij Eenheid "
                                f"{waarde(omvang['Eenheid'])} is Frequentie {freq} niet toegestaan"
                                "; gebruik 2 (per week), 4 (per maand) of 6 (totaal)")


@regel("CS338")
def cs338(ctx: Context) -> Iterator[Bevinding]:
    return _frequentie_bij_etmaal(ctx, "CS338", ("ToegewezenProduct", "NieuwProduct",
                                                 "TeWijzigenProduct"))


@regel("CS343")
def cs343(ctx: Context) -> Iterator[Bevinding]:
    return _frequentie_bij_etmaal(ctx, "CS343", ("AangevraagdProduct",))


# --- the same product twice ------------------------------------------------------------------
_OPEN = dt.date.max  # an open end, for comparing


class _Regel:
    """One product line: a plain class, not a dataclass (making one at import runs generated
    source through the compiler, a cost of every one-file call; nothing compares or prints
    these)."""

    __slots__ = ("el", "begin", "einde", "categorie", "code")

    def __init__(self, el: etree._Element, begin: dt.date, einde: dt.date | None,
                 categorie: str | None, code: str | None) -> None:
        self.el, self.begin, self.einde = el, begin, einde
        self.categorie, self.code = categorie, code

    @property
    def tot(self) -> dt.date:
        return self.einde or _OPEN


def _zelfde_product(a: _Regel, b: _Regel) -> bool:
    # Lines of the same parent are "the same product" when Categorie and Code are equal; a
    # line without Code stands for every code of its Categorie, and a line without either
    # (no Product, as a budget toewijzing may be) for every product.
    if (a.categorie is None and a.code is None) or (b.categorie is None and b.code is None):
        return True
    if a.categorie is None or a.categorie != b.categorie:
        return False
    return a.code is None or b.code is None or a.code == b.code


def _botsingen(regels: list[_Regel]) -> Iterator[tuple[_Regel, _Regel]]:
    """(line, earlier line it overlaps with) for lines of one parent: sorted once, one sweep.

    Sorted by begin, a line overlaps an earlier-starting one exactly when that one ends on or
    after its begin; so per kind of match only the latest end so far matters.
    """
    omgekeerd = [r for r in regels if r.einde is not None and r.einde < r.begin]
    gewoon = sorted((r for r in regels if r.einde is None or r.einde >= r.begin),
                    key=lambda r: r.begin)
    alle: _Regel | None = None  # the latest-ending line so far, whatever its product
    zonder: _Regel | None = None  # … without Categorie and Code
    per_cat: dict[str, _Regel] = {}  # … of this Categorie
    cat_zonder_code: dict[str, _Regel] = {}  # … of this Categorie without Code
    per_product: dict[tuple[str, str], _Regel] = {}  # … of this Categorie and Code

    def later(x: _Regel | None, r: _Regel) -> _Regel:
        return r if x is None or r.tot > x.tot else x

    for r in gewoon:
        if r.categorie is None and r.code is None:
            kandidaten = [alle]
        else:
            kandidaten = [zonder]
            if r.categorie is not None and r.code is None:
                kandidaten.append(per_cat.get(r.categorie))
            elif r.categorie is not None:
                kandidaten += [cat_zonder_code.get(r.categorie),
                               per_product.get((r.categorie, r.code))]  # type: ignore[arg-type]
        botsing = next((x for x in kandidaten if x is not None and x.tot >= r.begin), None)
        if botsing is not None:
            yield r, botsing
        alle = later(alle, r)
        if r.categorie is None and r.code is None:
            zonder = later(zonder, r)
        if r.categorie is not None:
            per_cat[r.categorie] = later(per_cat.get(r.categorie), r)
            if r.code is None:
                cat_zonder_code[r.categorie] = later(cat_zonder_code.get(r.categorie), r)
            else:
                per_product[(r.categorie, r.code)] = later(
                    per_product.get((r.categorie, r.code)), r)
    # An end before the begin (CS003's matter) breaks the sweep's order; such lines are rare
    # and are compared with every line.
    for r in omgekeerd:
        for x in regels:
            if x is not r and _zelfde_product(r, x) and overlapt((r.begin, r.einde),
                                                                  (x.begin, x.einde)):
                yield r, x
                break


def _vervallen(k: dict[str, etree._Element], begin_naam: str, eind_naam: str) -> bool:
    # TR302 leaves out a toewijzing withdrawn or corrected (RedenWijziging 13 or 01) down to
    # a single day: it no longer claims that period.
    return (waarde(k.get("RedenWijziging")) in ("01", "13")
            and waarde(k.get(eind_naam)) is not None
            and waarde(k.get(eind_naam)) == waarde(k.get(begin_naam)))


def _geen_overlap(ctx: Context, code: str, klasse: str) -> Iterator[Bevinding]:
    begin_naam, eind_naam = _PERIODE[klasse]
    per_ouder: dict[etree._Element, list[_Regel]] = {}
    for _kl, el, k in _producten(ctx, (klasse,)):
        begin = datum(k.get(begin_naam))
        if begin is None or (klasse == "ToegewezenProduct"
                             and _vervallen(k, begin_naam, eind_naam)):
            continue
        product = k.get("Product")
        per_ouder.setdefault(el.getparent(), []).append(_Regel(
            el, begin, datum(k.get(eind_naam)), pad_waarde(product, "Categorie"),
            pad_waarde(product, "Code")))
    for regels in per_ouder.values():
        if len(regels) < 2:
            continue
        for r, x in _botsingen(regels):
            yield ctx.bevinding(code, r.el, f"product {_product(r)} van {r.begin} t/m "
                                f"{r.einde or 'open einde'} overlapt met product {_product(x)} "
                                f"op regel {x.el.sourceline} ({x.begin} t/m "
                                f"{x.einde or 'open einde'})")


def _product(r: _Regel) -> str:
    if r.categorie is None and r.code is None:
        return "(zonder Product)"
    return f"{r.categorie or '-'}/{r.code or '-'}"


@regel("TR302")
def tr302(ctx: Context) -> Iterator[Bevinding]:
    return _geen_overlap(ctx, "TR302", "ToegewezenProduct")


@regel("TR386")
def tr386(ctx: Context) -> Iterator[Bevinding]:
    return _geen_overlap(ctx, "TR386", "AangevraagdProduct")


@regel("TR410")
def tr410(ctx: Context) -> Iterator[Bevinding]:
    return _geen_overlap(ctx, "TR410", "NieuwProduct")


# --- product code list (only when configured) ------------------------------------------------
@regel("TR381")
def productcode_past_bij_categorie(ctx: Context) -> Iterator[Bevinding]:
    lijst = productcodes.actief()
    if lijst is None:
        return
    paren: list[tuple[etree._Element, str | None, str | None]] = []
    for p in ctx.iter("Product"):
        k = kinderen(p)
        if "Code" in k:
            paren.append((k["Code"], waarde(k.get("Categorie")), waarde(k["Code"])))
    for pc in ctx.iter("ProductCode"):
        if naam(pc.getparent()) == "Prestatie":
            cat = kinderen(pc.getparent()).get("ProductCategorie")
            paren.append((pc, waarde(cat), waarde(pc)))
    for el, cat, code in paren:
        if cat and code and not lijst.past(cat, code):
            yield ctx.bevinding("TR381", el, f"productcode {code} hoort volgens de "
                                f"productcodelijst niet bij categorie {cat}")
