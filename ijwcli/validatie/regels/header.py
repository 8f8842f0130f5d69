"""Rules about the message as a whole and about the client: dates against the Dagtekening,
gemeentecodes, birth dates, names, duplicate lines.

TR135, TR378, TR002, TR134, CS139, CS050, CS318, CD007, TR101.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache

from lxml import etree

from ijwcli.bericht import PRODUCT_KLASSEN
from ijwcli.model import gemeenten
from ijwcli.model.berichten import BERICHTEN
from ijwcli.validatie.regels import Bevinding, Context, regel
from ijwcli.validatie.regels.hulp import datum, kinderen, naam, waarde

# Dates that TR378 takes as "the date the gemeentecode must be valid on", first found wins.
_INGANG = ("Ingangsdatum", "ToewijzingIngangsdatum", "GewensteIngangsdatum", "Begindatum")


def dagtekening(ctx: Context) -> dt.date | None:
    """The Dagtekening of the message (Header/BerichtIdentificatie/Dagtekening)."""
    header = kinderen(ctx.root).get("Header")
    return datum(kinderen(kinderen(header).get("BerichtIdentificatie")).get("Dagtekening"))


def _jaren_terug(d: dt.date, jaren: int) -> dt.date:
    """``d`` moved ``jaren`` years back; before year 1 (a Dagtekening in 0001): the first day.

    >>> _jaren_terug(dt.date(2020, 2, 29), 120), _jaren_terug(dt.date(1, 1, 1), 120)
    (datetime.date(1900, 2, 28), datetime.date(1, 1, 1))
    """
    if d.year <= jaren:
        return dt.date.min
    try:
        return d.replace(year=d.year - jaren)
    except ValueError:  # 29 February in a year that has none
        return d.replace(year=d.year - jaren, day=28)


@regel("TR135")
def dagtekening_niet_in_toekomst(ctx: Context) -> Iterator[Bevinding]:
    for el in ctx.iter("Dagtekening"):
        if naam(el.getparent()) != "BerichtIdentificatie" or naam(
                el.getparent().getparent()) != "Header":
            continue
        d = datum(el)
        if d and d > ctx.today:
            yield ctx.bevinding("TR135", el, f"Dagtekening {d} ligt na vandaag ({ctx.today})")


def _peildatum_gemeente(ctx: Context) -> dt.date:
    for n in _INGANG:
        for el in ctx.iter(n):
            d = datum(el)
            if d:
                return d
    return dagtekening(ctx) or ctx.today


@cache
def _gemeente_rollen(code: str) -> tuple[str, ...]:
    """Which header party is the gemeente: it depends on the direction of the message."""
    header = BERICHTEN[code].root.element("Header").type
    return tuple(rol for rol in ("Afzender", "Ontvanger")
                 if getattr(header.element(rol).type, "name", "") == "LDT_Gemeente")  # type: ignore[union-attr]


@regel("TR378")
def gemeentecode_bestaat(ctx: Context) -> Iterator[Bevinding]:
    velden = []
    header = kinderen(ctx.root).get("Header")
    for rol in _gemeente_rollen(ctx.definitie.code):
        el = kinderen(header).get(rol)
        if el is not None:
            velden.append(el)
    velden.extend(el for el in ctx.iter("Gemeente") if naam(el.getparent()) ==
                  "Woonplaatsbeginsel")
    if not velden:
        return
    peil = _peildatum_gemeente(ctx)
    for el in velden:
        code = waarde(el)
        if code and len(code) == 4 and code.isdigit() and not gemeenten.bestaat(code, peil):
            yield ctx.bevinding("TR378", el, f"gemeentecode {code} staat niet in de CBS-lijst "
                                f"die geldt op {peil}")


def _geboortedata(ctx: Context) -> Iterator[tuple[etree._Element, etree._Element | None]]:
    """(Datum, DatumGebruik) of every Geboortedatum in the message."""
    for g in ctx.iter("Geboortedatum"):
        k = kinderen(g)
        if "Datum" in k:
            yield k["Datum"], k.get("DatumGebruik")


@regel("TR002")
def geboortedatum_max_120_jaar(ctx: Context) -> Iterator[Bevinding]:
    dag = dagtekening(ctx)
    if dag is None:
        return
    grens = _jaren_terug(dag, 120)
    for el, gebruik in _geboortedata(ctx):
        d = datum(el)
        if d and d < grens and waarde(gebruik) != "3":
            yield ctx.bevinding("TR002", el, f"geboortedatum {d} ligt meer dan 120 jaar vóór "
                                f"de Dagtekening {dag}")


# Per message type: the date elements TR134 holds against the Dagtekening, as (parent, name).
# A start or stop is reported once it has happened: its Begindatum (JW305) or Einddatum
# (JW307) cannot lie after the day the message is dated (ijwcli generate jw307 holds to it).
_TR134 = {
    "JW301": (("Geboortedatum", "Datum"), ("ToegewezenProduct", "Toewijzingsdatum")),
    "JW305": (("Geboortedatum", "Datum"), ("StartProduct", "Begindatum")),
    "JW307": (("Geboortedatum", "Datum"), ("StopProduct", "Einddatum")),
    "JW315": (("Geboortedatum", "Datum"),),
    "JW323": (("Declaratie", "DeclaratieDagtekening"),),
    "JW325": (("DeclaratieIdentificatie", "Dagtekening"),),
}


@regel("TR134")
def datum_niet_na_dagtekening(ctx: Context) -> Iterator[Bevinding]:
    dag = dagtekening(ctx)
    if dag is None:
        return
    for ouder, veld in _TR134.get(ctx.definitie.code, ()):
        for el in ctx.iter(veld):
            if naam(el.getparent()) != ouder:
                continue
            d = datum(el)
            if d and d > dag:
                yield ctx.bevinding("TR134", el, f"{veld} {d} ligt na de Dagtekening {dag}")


@regel("CS139")
def geboortedatum_past_bij_datumgebruik(ctx: Context) -> Iterator[Bevinding]:
    for el, gebruik in _geboortedata(ctx):
        d, g = datum(el), waarde(gebruik)
        if d is None or g is None:
            continue
        fout = ((g == "1" and d.day != 1)
                or (g == "2" and (d.month, d.day) != (1, 1))
                or (g == "3" and d != dt.date(1900, 1, 1)))
        if fout:
            verwacht = {"1": "dag 01", "2": "01-01 van het jaar", "3": "1900-01-01"}[g]
            yield ctx.bevinding("CS139", el, f"geboortedatum {d} past niet bij DatumGebruik "
                                f"{g}: verwacht {verwacht}")


def _volledige_namen(ctx: Context) -> Iterator[tuple[str, etree._Element, dict]]:
    for n in ctx.iter("Naam"):
        ouder = naam(n.getparent())
        if ouder in ("Client", "Relatie"):
            k = kinderen(n)
            if "NaamGebruik" in k:
                yield ouder, n, k


@regel("CS050")
def naamgebruik_past_bij_partnernaam(ctx: Context) -> Iterator[Bevinding]:
    for _, _n, k in _volledige_namen(ctx):
        g = waarde(k["NaamGebruik"])
        toegestaan = ("1", "2", "3", "4") if "Partnernaam" in k else ("1", "6")
        if g is not None and g not in toegestaan:
            reden = "met" if "Partnernaam" in k else "zonder"
            yield ctx.bevinding("CS050", k["NaamGebruik"], f"NaamGebruik {g} past niet bij een "
                                f"naam {reden} Partnernaam (toegestaan: {', '.join(toegestaan)})")


@regel("CS318")
def client_geen_niet_natuurlijk_persoon(ctx: Context) -> Iterator[Bevinding]:
    for ouder, _n, k in _volledige_namen(ctx):
        if ouder == "Client" and waarde(k["NaamGebruik"]) == "6":
            yield ctx.bevinding("CS318", k["NaamGebruik"],
                                "NaamGebruik 6 (niet-natuurlijk persoon) kan niet voor een client")


@regel("CD007")
def taal_bij_tolk(ctx: Context) -> Iterator[Bevinding]:
    for c in ctx.iter("Communicatie"):
        k = kinderen(c)
        vorm = waarde(k.get("Vorm"))
        if vorm == "1" and "Taal" not in k:
            yield ctx.bevinding("CD007", c, "Communicatie met Vorm 1 (tolk taal) mist de Taal")
        elif vorm is not None and vorm != "1" and "Taal" in k:
            yield ctx.bevinding("CD007", k["Taal"], f"Taal hoort alleen bij Vorm 1 (tolk taal), "
                                f"niet bij Vorm {vorm}")


# Whitespace between elements is layout, not content: a line repeated with other indentation
# (or on one line) is still the same line. Text values are escaped when serialised, so no
# value contains a bare '>' or '<' that this could join.
_TUSSENRUIMTE = re.compile(rb">\s+<")
_WIT = b" \t\r\n"


@regel("TR101")
def geen_dubbele_regels(ctx: Context) -> Iterator[Bevinding]:
    for klasse in PRODUCT_KLASSEN:
        lijnen = list(ctx.iter(klasse))
        if len(lijnen) < 2:
            continue  # one line cannot repeat; most messages stop here, unserialised
        # Keyed by the parent element itself, not its id(): the dict keeps the proxy alive,
        # so the key stays that parent's for as long as it is compared.
        gezien: dict[tuple[etree._Element, bytes], list[tuple[etree._Element, bytes]]] = {}
        for el in lijnen:
            ruw = etree.tostring(el, with_tail=False)
            # First a cheap key with all whitespace dropped (bytes.translate, a third of the
            # regex's cost on a declaratie of thousands of lines): every duplicate shares it.
            # So do lines that differ only in the spaces inside a value, so a hit is
            # confirmed with just the layout between elements removed.
            kandidaten = gezien.setdefault((el.getparent(), ruw.translate(None, _WIT)), [])
            inhoud = _TUSSENRUIMTE.sub(b"><", ruw) if kandidaten else b""
            eerder = next((e for e, r in kandidaten if _TUSSENRUIMTE.sub(b"><", r) == inhoud),
                          None)
            if eerder is None:
                kandidaten.append((el, ruw))
            else:
                yield ctx.bevinding("TR101", el, f"{klasse} is gelijk aan die op regel "
                                    f"{eerder.sourceline}: dubbele regels zijn niet toegestaan")
