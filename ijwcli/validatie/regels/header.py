"""Rules about the message as a whole and about the client: dates against the Dagtekening,
gemeentecodes, birth dates, names, duplicate lines.

TR135, TR378, TR002, TR134, CS139, CS050, CS318, CD007, TR101.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache

from lxml import etree

from ijwcli.model import gemeenten
from ijwcli.model.berichten import BERICHTEN
from ijwcli.model.datatypes import Datatype, Klasse
from ijwcli.pakketdata import laad_toml
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
    for el, gebruik in _geboortedata(ctx):
        d = datum(el)
        # "Onbekend" is DatumGebruik 3 with the date 1900-01-01 (CS139 holds the pair).
        if d is None or (waarde(gebruik) == "3" and d == dt.date(1900, 1, 1)):
            continue
        # Years counted on the calendar (month and day kept): 120 years after 29-02-1900,
        # which does not exist, is after 28-02-2020 and before 29-02-2020.
        if (d.year + 120, d.month, d.day) < (dag.year, dag.month, dag.day):
            yield ctx.bevinding("TR002", el, f"geboortedatum {d} ligt meer dan 120 jaar vóór "
                                f"de Dagtekening {dag}")


# Per message type: the date elements TR134 holds against the Dagtekening, as (parent, name).
# A start or stop is reported once it has happened: its Begindatum (JW305) or Einddatum
# (JW307) cannot lie after the day the message is dated (ijwcli generate jw307 holds to it).
# In a declaratie the period begins (a prestatie is declared once it has begun).
_TR134 = {
    "JW301": (("Geboortedatum", "Datum"), ("ToegewezenProduct", "Toewijzingsdatum"),
              ("Beschikking", "Afgiftedatum")),
    "JW305": (("Geboortedatum", "Datum"), ("StartProduct", "Begindatum")),
    "JW307": (("Geboortedatum", "Datum"), ("StopProduct", "Einddatum")),
    "JW315": (("Geboortedatum", "Datum"),),
    "JW323": (("DeclaratiePeriode", "Begindatum"), ("ProductPeriode", "Begindatum")),
    "JW325": (("ProductPeriode", "Begindatum"),),
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


# TR101: per message type, the classes and the key elements that identify a line (data).
_SLEUTELS: dict[str, dict[str, list[tuple[str, ...]]]] = {
    bericht: {klasse: [tuple(p.split("/")) for p in paden] for klasse, paden in klassen.items()}
    for bericht, klassen in laad_toml("ijwcli.validatie.regels", "sleutels.toml").items()}
# Datatypes whose value the schema reads without surrounding white space (whiteSpace
# collapse); a string keeps it ("preserve"), so " R1" and "R1" are two references.
_GETRIMD = frozenset({"date", "integer", "decimal", "boolean", "dateTime", "time"})


@cache
def _sleutel_getrimd(bericht: str, klasse: str, pad: tuple[str, ...]) -> bool:
    """Whether the schema collapses white space in this key element (from the model)."""
    te_doen = [BERICHTEN[bericht].root]
    gezien: set[int] = set()
    while te_doen:
        k = te_doen.pop()
        if id(k) in gezien:
            continue
        gezien.add(id(k))
        for e in k.elements:
            if e.name == klasse and isinstance(e.type, Klasse):
                t: object = e.type
                for naam_ in pad:
                    assert isinstance(t, Klasse)
                    t = t.element(naam_).type
                assert isinstance(t, Datatype)
                basis = t.parent if t.parent is not None and not t.name else t
                return basis.base in _GETRIMD
            if isinstance(e.type, Klasse):
                te_doen.append(e.type)
    raise KeyError(f"{bericht} heeft geen klasse {klasse}")


def _sleutelwaarde(el: etree._Element, pad: tuple[str, ...], getrimd: bool) -> str | None:
    for n in pad:
        el = kinderen(el).get(n)  # type: ignore[assignment]
        if el is None:
            return None
    if getrimd:
        return waarde(el)
    return el.text if not len(el) else "".join(el.itertext())


@regel("TR101")
def geen_dubbele_regels(ctx: Context) -> Iterator[Bevinding]:
    for klasse, paden in _SLEUTELS.get(ctx.definitie.code, {}).items():
        lijnen = list(ctx.iter(klasse))
        if len(lijnen) < 2:
            continue  # one line cannot repeat; most messages stop here
        gezien: dict[tuple[object, ...], etree._Element] = {}
        for el in lijnen:
            sleutel = (el.getparent(), *(_sleutelwaarde(el, p, _sleutel_getrimd(
                ctx.definitie.code, klasse, p)) for p in paden))
            eerder = gezien.get(sleutel)
            if eerder is None:
                gezien[sleutel] = el
                continue
            wat = ", ".join(f"{'/'.join(p)} {v if v is not None else '(leeg)'}"
                            for p, v in zip(paden, sleutel[1:], strict=True))
            yield ctx.bevinding("TR101", el, f"{klasse} met dezelfde sleutel ({wat}) als op "
                                f"regel {eerder.sourceline}: dubbele regels zijn niet "
                                "toegestaan")
