"""Regional checks for ``validate --regio``: the working agreements of a regio, as findings.

The numbers come from the regional profile (:mod:`ijwcli.verlenging.profiel`, the same files as
``ijwcli verlenging``); every finding names its own code (``HVB-…``, ``FL-…``) and the source
agreement (the profile's ``bron``). Regional findings carry retourcode ``-``: WJ001 has no
retourcode for a regional agreement (a gemeente answers those with a JW319).

======== ===================================================================================
HVB-001  JW315: every aangevraagd product has a ToewijzingEinddatum (else rejected)
HVB-002  JW315/JW317: the requested period stays within the maximum termijn of its group
         (warning)
HVB-003  Jeugdzorgplus 43A12: eenheid and frequentie as agreed (14, per week)
HVB-004  Jeugdzorgplus 43A12: verwijzer GI, gemeente or rechter (Raad via GI/rechter code)
HVB-005  Jeugdzorgplus 43A12: only the listed aanbieders may request it
FL-001   JW315/JW317: a 45Fxx request stays within its product richtlijn (hours, duration)
======== ===================================================================================

Not checked here: Flevoland's end-date shift of a JW317 (50 % / 6 months). A TeWijzigenProduct
carries only the ToewijzingNummer, GewensteIngangsdatum and the new Einddatum, neither the
original period nor its end date, so neither limit can be measured from the message (and the
agreed Type verwijzer 06 has no element in the JW317 of iJw 3.2); ``ijwcli verlenging``
computes it from the current toewijzing. HVB-002 knows a product group only by the product
codes the profile lists for it: groups the seed names without codes (arrangementen, pleegzorg,
DVI, ADHD+, dyslexie) cannot be recognised in a message and are not checked.

>>> from ijwcli.verlenging import profiel
>>> sorted(CODES)[:2]
['FL-001', 'HVB-001']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache

from lxml import etree

from ijwcli.validatie.regels import Bevinding, Context, pad
from ijwcli.validatie.regels.hulp import datum, getal, kinderen, pad_waarde, waarde
from ijwcli.verlenging.profiel import Profiel

CODES = {
    "HVB-001": "JW315 zonder ToewijzingEinddatum wordt afgewezen",
    "HVB-002": "gevraagde periode langer dan de maximale termijn van de productgroep",
    "HVB-003": "Jeugdzorgplus 43A12 met andere eenheid of frequentie dan afgesproken",
    "HVB-004": "Jeugdzorgplus 43A12 met een verwijzer die het niet mag aanvragen",
    "HVB-005": "Jeugdzorgplus 43A12 aangevraagd door een aanbieder die niet op de lijst staat",
    "FL-001": "45Fxx-aanvraag buiten de productrichtlijn (uren of duur)",
}
_UREN_PER_EENHEID = {"01": 1 / 60, "04": 1.0}


def _b(code: str, el: etree._Element | None, tekst: str, bron: str | None,
       waarschuwing: bool = False) -> Bevinding:
    bericht = f"{tekst} (bron: {bron})" if bron else tekst
    return Bevinding(code, "-", pad(el) if el is not None else None,
                     el.sourceline if el is not None else None, bericht, waarschuwing)


def _producten(ctx: Context) -> Iterator[tuple[etree._Element, dict, str, str]]:
    """Requested product lines with the names of their begin and end date."""
    if ctx.definitie.code == "JW315":
        for el in ctx.iter("AangevraagdProduct"):
            yield el, kinderen(el), "ToewijzingIngangsdatum", "ToewijzingEinddatum"
    elif ctx.definitie.code == "JW317":
        for el in ctx.iter("NieuwProduct"):
            yield el, kinderen(el), "GewensteIngangsdatum", "Einddatum"


def controleer(ctx: Context, p: Profiel) -> list[Bevinding]:
    """Every regional finding of the profile ``p`` for the message in ``ctx``."""
    # Every check is driven by its profile table: a regio without the table has no finding.
    out = list(_hart_van_brabant(ctx, p))
    out.extend(_productrichtlijnen(ctx, p))
    return out


def _hart_van_brabant(ctx: Context, p: Profiel) -> Iterator[Bevinding]:
    from ijwcli.verlenging import einde_na, termijngroep

    for el, k, begin, eind in _producten(ctx):
        if (ctx.definitie.code == "JW315" and p.get("aanvraag.einddatum_verplicht")
                and eind not in k):
            yield _b("HVB-001", el, "het aangevraagde product heeft geen ToewijzingEinddatum; "
                     "de regio wijst zo'n verzoek af", p.get("aanvraag.bron"))
        code = pad_waarde(k.get("Product"), "Code")
        ingang, einde = datum(k.get(begin)), datum(k.get(eind))
        groep = termijngroep(p, None, code) if code else None
        if groep and ingang and einde:
            naam, g = groep
            maanden, weken = int(g.get("maanden", 0)), int(g.get("weken", 0))
            grens = einde_na(ingang, maanden, weken)
            if einde > grens:
                duur = f"{maanden} maanden" if maanden else f"{weken} weken"
                yield _b("HVB-002", k[eind], f"{g.get('omschrijving', naam)} heeft een "
                         f"maximale termijn van {duur} (t/m {grens}); gevraagd t/m {einde}",
                         p.get("maximum_termijnen.bron"), waarschuwing=True)
        yield from _jeugdzorgplus(ctx, p, el, k, code)


def _jeugdzorgplus(ctx: Context, p: Profiel, el: etree._Element, k: dict,
                   code: str | None) -> Iterator[Bevinding]:
    jzp = p.get("jeugdzorgplus") or {}
    if not jzp or code != jzp.get("product"):
        return
    # One section of the seed, three agreements: a profile may name a source per check
    # (bron_verwijzer, bron_aanbieders), else the section's bron serves all three.
    bron = jzp.get("bron")
    omvang = kinderen(k.get("Omvang"))
    eenheid, freq = waarde(omvang.get("Eenheid")), waarde(omvang.get("Frequentie"))
    if (eenheid, freq) != (jzp.get("eenheid"), jzp.get("frequentie")):
        yield _b("HVB-003", k.get("Omvang", el), f"{code} vraagt eenheid {jzp.get('eenheid')} "
                 f"en frequentie {jzp.get('frequentie')}, niet {eenheid or '-'} en "
                 f"{freq or '-'}", bron)
    soorten = jzp.get("type_verwijzers")
    type_verwijzer = pad_waarde(k.get("Verwijzer"), "Type")
    if soorten and type_verwijzer is not None and type_verwijzer not in soorten:
        yield _b("HVB-004", k.get("Verwijzer", el), f"{code} mag niet worden aangevraagd met "
                 f"verwijzer type {type_verwijzer} (toegestaan: {', '.join(soorten)})",
                 jzp.get("bron_verwijzer", bron))
    aanbieders = jzp.get("aanbieders")
    afzender = waarde(kinderen(kinderen(ctx.root).get("Header")).get("Afzender"))
    if aanbieders and ctx.definitie.code == "JW315" and afzender not in aanbieders:
        yield _b("HVB-005", el, f"aanbieder {afzender} mag {code} niet aanvragen (alleen "
                 f"{', '.join(aanbieders)})", jzp.get("bron_aanbieders", bron))


def _uren(k: dict, ingang: dt.date | None, einde: dt.date | None) -> float | None:
    from ijwcli.verlenging import periodes

    omvang = kinderen(k.get("Omvang"))
    volume, eenheid = getal(omvang.get("Volume")), waarde(omvang.get("Eenheid"))
    freq = waarde(omvang.get("Frequentie"))
    if volume is None or eenheid not in _UREN_PER_EENHEID or freq is None:
        return None
    per = volume * _UREN_PER_EENHEID[eenheid]
    if freq == "6":
        return per
    if ingang is None or einde is None:
        return None
    return per * float(periodes(ingang, einde, freq))


def _productrichtlijnen(ctx: Context, p: Profiel) -> Iterator[Bevinding]:
    from ijwcli.verlenging import doorlooptijd_volgens, max_uren_richtlijn

    richtlijnen = p.get("productrichtlijnen.producten") or {}
    if not richtlijnen:
        return
    bron = p.get("productrichtlijnen.bron")
    for el, k, begin, eind in _producten(ctx):
        code = (pad_waarde(k.get("Product"), "Code") or "").upper()
        r = richtlijnen.get(code)
        if not isinstance(r, dict):
            continue
        opties = list((r.get("categorieen") or {}).values()) + list(r.get("varianten") or [])
        duren = [o["duur_maanden"] for o in opties if "duur_maanden" in o]
        max_duur = max(duren, default=r.get("duur_maanden"))
        ingang, einde = datum(k.get(begin)), datum(k.get(eind))
        duur = doorlooptijd_volgens(p, ingang, einde) if ingang and einde else None
        # The same limit as ijwcli verlenging: the hours belong to the duration of the
        # category or variant (45F11: 30 uur up to 6 months, 60 uur up to 12).
        max_uren = max_uren_richtlijn(r, duur) if duur is not None else max(
            (o["max_uren"] for o in opties if "max_uren" in o), default=None)
        uren = _uren(k, ingang, einde)
        if max_uren is not None and uren is not None and uren > max_uren:
            yield _b("FL-001", k.get("Omvang", el), f"{code} ({r.get('naam', '')}): "
                     f"{uren:g} uur gevraagd, de richtlijn gaat tot {max_uren} uur", bron)
        if max_duur and duur is not None and duur > max_duur:
            yield _b("FL-001", k[eind], f"{code} ({r.get('naam', '')}): looptijd "
                     f"{duur} maanden, de richtlijn gaat tot {max_duur} maanden", bron)


@cache
def _profiel(regio: str) -> Profiel:
    from ijwcli.verlenging.profiel import load

    return load(regio)


def controleer_regio(ctx: Context, regio: str) -> list[Bevinding]:
    """:func:`controleer` with the profile named ``regio`` (a shipped name or a TOML path)."""
    return controleer(ctx, _profiel(regio))
