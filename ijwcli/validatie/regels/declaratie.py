"""Rules of the declaratie (JW323) and the declaratie-antwoord (JW325).

TR137, TR319, TR315, TR316, TR335, TR342, TR358, TR416, CS100, CS337, CS340, CS325, CD060, CD087,
CS339, TR346.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from lxml import etree

from ijwcli.validatie.regels import Bevinding, Context, regel
from ijwcli.validatie.regels.header import dagtekening
from ijwcli.validatie.regels.hulp import datum, getal, kinderen, naam, pad_waarde, waarde

_START_2021 = dt.date(2021, 1, 1)


def _prestaties(ctx: Context) -> Iterator[tuple[etree._Element, dict[str, etree._Element]]]:
    for p in ctx.iter("Prestatie"):
        yield p, kinderen(p)


def _periodes(ctx: Context, *namen: str
              ) -> Iterator[tuple[str, etree._Element, dict[str, etree._Element]]]:
    for n in namen:
        for el in ctx.iter(n):
            yield n, el, kinderen(el)


@regel("TR137")
def periode_einde_tot_dagtekening(ctx: Context) -> Iterator[Bevinding]:
    dag = dagtekening(ctx)
    for n, _el, k in _periodes(ctx, "ProductPeriode", "DeclaratiePeriode"):
        b, e = datum(k.get("Begindatum")), datum(k.get("Einddatum"))
        if e is None:
            continue
        if b and e < b:
            yield ctx.bevinding("TR137", k["Einddatum"], f"Einddatum {e} van de {n} ligt vóór "
                                f"de Begindatum {b}")
        elif dag and e > dag:
            yield ctx.bevinding("TR137", k["Einddatum"], f"Einddatum {e} van de {n} ligt na "
                                f"de Dagtekening {dag}")


@regel("TR319")
def prestatie_binnen_declaratieperiode(ctx: Context) -> Iterator[Bevinding]:
    for decl in ctx.iter("Declaratie"):
        einde = datum(kinderen(kinderen(decl).get("DeclaratiePeriode")).get("Einddatum"))
        if einde is None:
            continue  # the schema demands it
        for _p, k in _prestaties(ctx):
            periode = kinderen(k.get("ProductPeriode"))
            for veld in ("Begindatum", "Einddatum"):
                d = datum(periode.get(veld))
                if d is not None and d > einde:
                    yield ctx.bevinding("TR319", periode[veld], f"{veld} {d} van de "
                                        "ProductPeriode ligt na de DeclaratiePeriode (die eindigt "
                                        f"op {einde}): alleen prestaties uit de huidige of een "
                                        "eerdere declaratieperiode")
                    break


@regel("TR335")
def niet_ouder_dan_5_jaar(ctx: Context) -> Iterator[Bevinding]:
    dd = None
    for el in ctx.iter("DeclaratieDagtekening"):
        dd = datum(el)
    if dd is None:
        return
    try:
        grens = dd.replace(year=dd.year - 5)
    except ValueError:
        grens = dd.replace(year=dd.year - 5, day=28)
    for _n, _el, k in _periodes(ctx, "ProductPeriode"):
        e = datum(k.get("Einddatum"))
        if e and e < grens:
            yield ctx.bevinding("TR335", k["Einddatum"], f"Einddatum {e} ligt meer dan 5 jaar "
                                f"vóór de DeclaratieDagtekening {dd}")


@regel("CS100")
def niet_voor_2021(ctx: Context) -> Iterator[Bevinding]:
    # The Begindatum: a period that begins in 2021 or later cannot end before it (CS003 and
    # TR137 see to the end).
    for n, _el, k in _periodes(ctx, "ProductPeriode", "DeclaratiePeriode"):
        d = datum(k.get("Begindatum"))
        if d and d < _START_2021:
            yield ctx.bevinding("CS100", k["Begindatum"], f"Begindatum {d} van de {n} ligt "
                                "vóór 01-01-2021")


@regel("CS340")
def declaratieperiode_een_maand(ctx: Context) -> Iterator[Bevinding]:
    for _n, el, k in _periodes(ctx, "DeclaratiePeriode"):
        b, e = datum(k.get("Begindatum")), datum(k.get("Einddatum"))
        if b is None or e is None:
            continue
        laatste = calendar.monthrange(b.year, b.month)[1]
        if b.day != 1 or e != b.replace(day=laatste):
            yield ctx.bevinding("CS340", el, f"DeclaratiePeriode {b} t/m {e} is niet precies één "
                                "kalendermaand")


@regel("CS337")
def productperiode_binnen_maand(ctx: Context) -> Iterator[Bevinding]:
    for _n, _el, k in _periodes(ctx, "ProductPeriode"):
        b, e = datum(k.get("Begindatum")), datum(k.get("Einddatum"))
        if b and e and (b.year, b.month) != (e.year, e.month):
            yield ctx.bevinding("CS337", k["Einddatum"], f"ProductPeriode {b} t/m {e} loopt over "
                                "de grens van een kalendermaand")


@regel("CS325")
def nulbedrag_is_debet(ctx: Context) -> Iterator[Bevinding]:
    for n in ("TotaalIngediendBedrag", "TotaalToegekendBedrag", "IngediendBedrag"):
        for el in ctx.iter(n):
            k = kinderen(el)
            bedrag = getal(k.get("TotaalBedrag", k.get("Bedrag")))
            dc = waarde(k.get("DebetCredit"))
            if bedrag == 0 and dc is not None and dc != "D":
                yield ctx.bevinding("CS325", k["DebetCredit"], f"{n} is 0: DebetCredit moet D "
                                    f"zijn, niet {dc}")


def _dc(k: dict[str, etree._Element]) -> str | None:
    return pad_waarde(k.get("IngediendBedrag"), "DebetCredit")


@regel("CD060")
def vorig_referentienummer_bij_credit(ctx: Context) -> Iterator[Bevinding]:
    for p, k in _prestaties(ctx):
        ref = kinderen(k.get("ProductReferentie"))
        credit = _dc(k) == "C"
        if credit and "VorigReferentieNummer" not in ref:
            yield ctx.bevinding("CD060", k.get("ProductReferentie", p), "een creditprestatie "
                                "moet het VorigReferentieNummer van de gecrediteerde prestatie "
                                "noemen")
        elif not credit and "VorigReferentieNummer" in ref:
            yield ctx.bevinding("CD060", ref["VorigReferentieNummer"], "alleen een "
                                "creditprestatie heeft een VorigReferentieNummer")


@regel("TR315")
def vorig_referentienummer_uniek(ctx: Context) -> Iterator[Bevinding]:
    gezien: dict[str, etree._Element] = {}
    for el in ctx.iter("VorigReferentieNummer"):
        v = waarde(el)
        if v is None:
            continue
        if v in gezien:
            yield ctx.bevinding("TR315", el, f"VorigReferentieNummer {v} komt al voor op regel "
                                f"{gezien[v].sourceline}")
        else:
            gezien[v] = el


@regel("TR316")
def debet_niet_in_zelfde_bericht_gecrediteerd(ctx: Context) -> Iterator[Bevinding]:
    # A line that names another line of this message (or itself) as its VorigReferentieNummer
    # credits a line sent in the same message, whatever their DebetCredit says (as the
    # official validation reads it; whether a credit needs the number is CD060's matter).
    nummers: set[str] = set()
    vorige: list[tuple[etree._Element, str]] = []
    for _p, k in _prestaties(ctx):
        ref = kinderen(k.get("ProductReferentie"))
        nummer = waarde(ref.get("ReferentieNummer"))
        if nummer:
            nummers.add(nummer)
        vorig = waarde(ref.get("VorigReferentieNummer"))
        if vorig:
            vorige.append((ref["VorigReferentieNummer"], vorig))
    for el, vorig in vorige:
        if vorig in nummers:
            yield ctx.bevinding("TR316", el, f"de prestatie {vorig} wordt in hetzelfde bericht "
                                "gecrediteerd")


@regel("TR416")
def een_debet_per_periode_en_product(ctx: Context) -> Iterator[Bevinding]:
    gezien: dict[tuple[etree._Element | str | None, ...], etree._Element] = {}
    for p, k in _prestaties(ctx):
        if _dc(k) != "D":
            continue
        periode = kinderen(k.get("ProductPeriode"))
        # Per client (the Prestaties of one Client), as the reference JW323 reads the rule: it
        # declares one ToewijzingNummer for two clients in the same month and product and is
        # a valid message. Whether that number may be shared is TR332's matter, across
        # messages; within the message, the same number under another client is not a second
        # debet on the same toewijzing. The key holds the parent element itself (not its
        # id(), which another element may get once this proxy is gone).
        nummer = waarde(k.get("ToewijzingNummer"))
        sleutel = (p.getparent(), nummer, waarde(periode.get("Begindatum")),
                   waarde(periode.get("Einddatum")), waarde(k.get("ProductCategorie")),
                   waarde(k.get("ProductCode")))
        if None in sleutel:
            # A line without, say, a ProductCode is no second debet "for the same product".
            continue
        if sleutel in gezien:
            yield ctx.bevinding("TR416", p, "er is al een debetprestatie (regel "
                                f"{gezien[sleutel].sourceline}) voor ToewijzingNummer "
                                f"{nummer}, ProductPeriode {sleutel[2]} t/m {sleutel[3]} en "
                                f"product {sleutel[4]}/{sleutel[5]}")
        else:
            gezien[sleutel] = p


@regel("TR358")
def totaal_is_som(ctx: Context) -> Iterator[Bevinding]:
    for decl in ctx.iter("Declaratie"):
        totaal_el = kinderen(decl).get("TotaalIngediendBedrag")
        tk = kinderen(totaal_el)
        totaal = getal(tk.get("TotaalBedrag"))
        if totaal is None:
            continue
        if waarde(tk.get("DebetCredit")) == "C":
            totaal = -totaal
        som = 0
        for _p, k in _prestaties(ctx):
            bedrag = getal(kinderen(k.get("IngediendBedrag")).get("Bedrag"))
            if bedrag is not None:
                som += -bedrag if _dc(k) == "C" else bedrag
        if som != totaal:
            yield ctx.bevinding("TR358", totaal_el, f"TotaalIngediendBedrag {totaal} is niet de "
                                f"som van de ingediende bedragen ({som}, credit negatief)")


@regel("CD087")
def tarief_tenzij_euro(ctx: Context) -> Iterator[Bevinding]:
    for p, k in _prestaties(ctx):
        eenheid = waarde(k.get("Eenheid"))
        if eenheid is None:
            continue
        if eenheid != "83" and "ProductTarief" not in k:
            yield ctx.bevinding("CD087", p, f"Prestatie met Eenheid {eenheid} mist het "
                                "ProductTarief")
        elif eenheid == "83" and "ProductTarief" in k:
            yield ctx.bevinding("CD087", k["ProductTarief"], "bij Eenheid 83 (euro's) geen "
                                "ProductTarief")


@regel("CS339")
def euro_bedrag_is_volume(ctx: Context) -> Iterator[Bevinding]:
    for _p, k in _prestaties(ctx):
        if waarde(k.get("Eenheid")) != "83":
            continue
        bedrag_el = kinderen(k.get("IngediendBedrag")).get("Bedrag")
        bedrag, volume = getal(bedrag_el), getal(k.get("GeleverdVolume"))
        if bedrag is not None and volume is not None and bedrag != volume:
            yield ctx.bevinding("CS339", bedrag_el, f"bij Eenheid 83 (euro's) moet het bedrag "
                                f"{bedrag} gelijk zijn aan GeleverdVolume {volume}")


@regel("TR346")
def bedrag_is_volume_maal_tarief(ctx: Context) -> Iterator[Bevinding]:
    for _p, k in _prestaties(ctx):
        if waarde(k.get("Eenheid")) in ("83", None):
            continue
        bedrag_el = kinderen(k.get("IngediendBedrag")).get("Bedrag")
        bedrag, volume, tarief = (getal(bedrag_el), getal(k.get("GeleverdVolume")),
                                  getal(k.get("ProductTarief")))
        if None not in (bedrag, volume, tarief) and bedrag != volume * tarief:  # type: ignore
            yield ctx.bevinding("TR346", bedrag_el, f"IngediendBedrag {bedrag} is niet "
                                f"GeleverdVolume {volume} × ProductTarief {tarief} "
                                f"= {volume * tarief}")  # type: ignore[operator]


def _getekend(el: etree._Element | None) -> int | None:
    """A TotaalBedrag with its sign: credit negative."""
    k = kinderen(el)
    bedrag = getal(k.get("TotaalBedrag"))
    if bedrag is not None and waarde(k.get("DebetCredit")) == "C":
        return -bedrag
    return bedrag


@regel("TR342")
def alleen_afgewezen_prestaties(ctx: Context) -> Iterator[Bevinding]:
    # The Prestaties in a declaratie-antwoord are the rejected ones, so what was declared
    # minus what is granted is exactly their sum (debet minus credit). When the declaratie
    # as a whole is rejected (a RetourCode other than 0200/8001 on it), nothing is granted.
    for da in ctx.iter("DeclaratieAntwoord"):
        k = kinderen(da)
        codes = [waarde(c) for c in k.get("RetourCodes", ()) if naam(c) == "RetourCode"]
        toegekend_el = k.get("TotaalToegekendBedrag")
        toegekend = _getekend(toegekend_el)
        ingediend = _getekend(k.get("TotaalIngediendBedrag"))
        if any(c not in ("0200", "8001") for c in codes):
            if toegekend:
                yield ctx.bevinding("TR342", toegekend_el, "de declaratie is afgewezen "
                                    f"(RetourCode {', '.join(c or '' for c in codes)}): "
                                    f"TotaalToegekendBedrag moet 0 zijn, niet {toegekend}")
            continue
        if toegekend is None or ingediend is None:
            continue
        som = 0
        for _p, pk in _prestaties(ctx):
            bedrag = getal(kinderen(pk.get("IngediendBedrag")).get("Bedrag"))
            dc = _dc(pk)
            if bedrag is not None and dc in ("D", "C"):
                som += bedrag if dc == "D" else -bedrag
        if som != ingediend - toegekend:
            yield ctx.bevinding("TR342", toegekend_el, f"ingediend {ingediend} min toegekend "
                                f"{toegekend} is {ingediend - toegekend}, maar de meegestuurde "
                                f"(afgewezen) prestaties tellen op tot {som}: stuur alleen "
                                "afgewezen prestaties terug")
