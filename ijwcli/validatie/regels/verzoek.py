"""Rules of the verzoeken and the antwoord: JW315, JW317, JW319.

TR383, CD043, CD066, CD067, CD068, TR352, TR353, TR380, TR377, TR409, CD085, CD086.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ijwcli.validatie.regels import Bevinding, Context, regel
from ijwcli.validatie.regels.header import dagtekening
from ijwcli.validatie.regels.hulp import datum, kinderen, waarde

# Verwijzer types that are care providers with an AGB code: huisarts, jeugdarts,
# gecertificeerde instelling, medisch specialist.
_ZORGVERLENERS = ("02", "03", "04", "05")


@regel("TR383")
def referentie_aanbieder_uniek(ctx: Context) -> Iterator[Bevinding]:
    gezien: dict[str, etree._Element] = {}
    for p in ctx.iter("AangevraagdProduct"):
        ref = kinderen(p).get("ReferentieAanbieder")
        # A string keeps its white space in the schema: " R1" is another reference than "R1".
        v = None if ref is None else (ref.text if not len(ref) else "".join(ref.itertext()))
        if v is None or not v.strip():
            continue
        if v in gezien:
            yield ctx.bevinding("TR383", ref, f"ReferentieAanbieder {v} komt al voor op regel "
                                f"{gezien[v].sourceline}")
        else:
            gezien[v] = ref


@regel("CD043")
def beschikking_ingangsdatum(ctx: Context) -> Iterator[Bevinding]:
    for p in ctx.iter("AangevraagdProduct"):
        k = kinderen(p)
        if "BeschikkingNummer" in k and "BeschikkingIngangsdatum" not in k:
            yield ctx.bevinding("CD043", k["BeschikkingNummer"], "BeschikkingNummer zonder "
                                "BeschikkingIngangsdatum")
        elif "BeschikkingIngangsdatum" in k and "BeschikkingNummer" not in k:
            yield ctx.bevinding("CD043", k["BeschikkingIngangsdatum"], "BeschikkingIngangsdatum "
                                "zonder BeschikkingNummer")


def _verwijzers(ctx: Context) -> Iterator[tuple[etree._Element, dict, str | None]]:
    for v in ctx.iter("Verwijzer"):
        k = kinderen(v)
        yield v, k, waarde(k.get("Type"))


@regel("CD066")
def geen_naam_bij_zorgverlenercode(ctx: Context) -> Iterator[Bevinding]:
    for _v, k, t in _verwijzers(ctx):
        if t in _ZORGVERLENERS and "ZorgverlenerCode" in k and "Naam" in k:
            yield ctx.bevinding("CD066", k["Naam"], f"verwijzer van type {t} met ZorgverlenerCode "
                                "krijgt geen Naam")


@regel("CD067")
def naam_zonder_zorgverlenercode(ctx: Context) -> Iterator[Bevinding]:
    for v, k, t in _verwijzers(ctx):
        if t in _ZORGVERLENERS and "ZorgverlenerCode" not in k and "Naam" not in k:
            yield ctx.bevinding("CD067", v, f"verwijzer van type {t} zonder ZorgverlenerCode "
                                "moet een Naam hebben")


@regel("CD068")
def zorgverlenercode_alleen_bij_zorgverlener(ctx: Context) -> Iterator[Bevinding]:
    for _v, k, t in _verwijzers(ctx):
        if t is not None and t not in _ZORGVERLENERS and "ZorgverlenerCode" in k:
            yield ctx.bevinding("CD068", k["ZorgverlenerCode"], f"verwijzer van type {t} krijgt "
                                "geen ZorgverlenerCode (alleen types 02 t/m 05)")


def _verzoek(ctx: Context) -> Iterator[tuple[etree._Element, dict]]:
    for v in ctx.iter("Verzoek"):
        yield v, kinderen(v)


@regel("TR352")
def bestaand_product_genoemd(ctx: Context) -> Iterator[Bevinding]:
    for v, k in _verzoek(ctx):
        if "OngewijzigdeProducten" not in k and "TeWijzigenProducten" not in k:
            yield ctx.bevinding("TR352", v, "het verzoek noemt geen OngewijzigdProduct en geen "
                                "TeWijzigenProduct")


@regel("TR353")
def iets_te_wijzigen(ctx: Context) -> Iterator[Bevinding]:
    for v, k in _verzoek(ctx):
        if "TeWijzigenProducten" not in k and "NieuweProducten" not in k:
            yield ctx.bevinding("TR353", v, "het verzoek bevat geen TeWijzigenProduct en geen "
                                "NieuwProduct: er valt niets te wijzigen")


@regel("TR380")
def nieuw_product_na_dagtekening(ctx: Context) -> Iterator[Bevinding]:
    # A new product is asked for from a day after the request (the GewensteIngangsdatum of a
    # NieuwProduct, as the official validation reads the rule).
    dag = dagtekening(ctx)
    if dag is None:
        return
    for p in ctx.iter("NieuwProduct"):
        el = kinderen(p).get("GewensteIngangsdatum")
        d = datum(el)
        if d is not None and d <= dag:
            yield ctx.bevinding("TR380", el, f"de GewensteIngangsdatum {d} van het nieuwe "
                                f"product ligt niet na de Dagtekening {dag}")


def _antwoord(ctx: Context) -> Iterator[tuple[etree._Element, dict]]:
    for a in ctx.iter("Antwoord"):
        yield a, kinderen(a)


@regel("TR377")
def woonplaatsbeginsel_bij_reden_8(ctx: Context) -> Iterator[Bevinding]:
    for a, k in _antwoord(ctx):
        if waarde(k.get("RedenAfwijzingVerzoek")) == "8" and "Woonplaatsbeginsel" not in k:
            yield ctx.bevinding("TR377", a, "afwijzing om het woonplaatsbeginsel (8) mist de "
                                "klasse Woonplaatsbeginsel")


@regel("TR409")
def woonplaatsbeginsel_alleen_bij_reden_8(ctx: Context) -> Iterator[Bevinding]:
    for _a, k in _antwoord(ctx):
        # Only when a RedenAfwijzingVerzoek is given (CD085/CD086 judge whether one must be).
        reden = waarde(k.get("RedenAfwijzingVerzoek"))
        if "Woonplaatsbeginsel" in k and reden is not None and reden != "8":
            yield ctx.bevinding("TR409", k["Woonplaatsbeginsel"], "Woonplaatsbeginsel hoort "
                                f"alleen bij RedenAfwijzingVerzoek 8, niet bij {reden or 'geen'}")


@regel("CD085")
def reden_bij_afwijzing(ctx: Context) -> Iterator[Bevinding]:
    for a, k in _antwoord(ctx):
        if waarde(k.get("VerzoekAntwoord")) == "1" and "RedenAfwijzingVerzoek" not in k:
            yield ctx.bevinding("CD085", a, "een afgewezen verzoek (VerzoekAntwoord 1) mist de "
                                "RedenAfwijzingVerzoek")


@regel("CD086")
def geen_reden_in_onderzoek(ctx: Context) -> Iterator[Bevinding]:
    for _a, k in _antwoord(ctx):
        if waarde(k.get("VerzoekAntwoord")) == "2" and "RedenAfwijzingVerzoek" in k:
            yield ctx.bevinding("CD086", k["RedenAfwijzingVerzoek"], "bij een aanvraag in "
                                "onderzoek (VerzoekAntwoord 2) geen RedenAfwijzingVerzoek")
