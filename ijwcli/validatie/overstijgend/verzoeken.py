"""Verzoeken and their answers: JW315, JW317 and JW319 against the earlier traffic.

A verzoek is known by its ReferentieAanbieder (unique per aanbieder, TR347); it is answered
by a JW301 that carries the reference (honoured) or a JW319 (1 afgewezen, 2 in onderzoek).
A JW317 names the toewijzingen it leaves or changes by ToewijzingNummer; "actueel" is the
current version of the toewijzing, not withdrawn and not ended before the Dagtekening.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from lxml import etree

from ijwcli.validatie.overstijgend import Beoordeling, regel
from ijwcli.validatie.overstijgend.verkeer import LIJST, Toewijzing, datum, kinderen, plat
from ijwcli.validatie.regels import Bevinding

_VOOR_2021 = dt.date(2020, 12, 31)


def _verzoeken(b: Beoordeling) -> Iterator[tuple[etree._Element, str, str | None]]:
    """(element holding the reference, Bsn, ReferentieAanbieder) of a JW315 or JW317."""
    for client in kinderen(b.root, "Client"):
        bsn = plat(client, diepte=1).get("Bsn", "")
        klassen = (("AangevraagdeProducten", "AangevraagdProduct") if b.code == "JW315"
                   else ("Verzoek",))
        for el in kinderen(client, *klassen):
            yield el, bsn, plat(el, diepte=1).get("ReferentieAanbieder")


def _wijzigingen(b: Beoordeling, *klassen: str,
                 ) -> Iterator[tuple[etree._Element, str, dict[str, str], Toewijzing | None]]:
    """(element, Bsn, fields, current toewijzing) of each product line of a JW317."""
    for client in kinderen(b.root, "Client"):
        bsn = plat(client, diepte=1).get("Bsn", "")
        for klasse in klassen:
            for p in kinderen(client, "Verzoek", LIJST[klasse], klasse):
                v = plat(p)
                t = b.verkeer.toewijzing(b.ontvanger, v.get("ToewijzingNummer", ""))
                yield p, bsn, v, t


def _ongewijzigd_tewijzigen(b: Beoordeling):  # type: ignore[no-untyped-def]
    return _wijzigingen(b, "OngewijzigdProduct", "TeWijzigenProduct")


@regel("TR347")
def referentie_uniek(b: Beoordeling) -> Iterator[Bevinding]:
    for el, _bsn, ref in _verzoeken(b):
        vz = b.verkeer.verzoeken.get((b.afzender, ref or ""))
        if ref and vz is not None:
            yield b.bevinding("TR347", el, f"ReferentieAanbieder {ref} is al gebruikt in een "
                              "eerder verzoek van deze aanbieder", vz.bericht)


@regel("TR374")
def geen_onderhanden_verzoek(b: Beoordeling) -> Iterator[Bevinding]:
    gemeld: set[str] = set()
    for el, bsn, _ref in _verzoeken(b):
        if bsn in gemeld:
            continue
        open_ = b.verkeer.open_verzoeken(b.ontvanger, b.afzender, bsn)
        if open_:
            gemeld.add(bsn)
            yield b.bevinding("TR374", el, f"er is nog een verzoek onderhanden voor client "
                              f"{bsn} (ReferentieAanbieder {open_[0].referentie}, nog niet "
                              "toegewezen of afgewezen)", open_[0].bericht)


@regel("TR349")
def alle_actuele_producten(b: Beoordeling) -> Iterator[Bevinding]:
    for client in kinderen(b.root, "Client"):
        bsn = plat(client, diepte=1).get("Bsn", "")
        for vz in kinderen(client, "Verzoek"):
            genoemd = {plat(p, diepte=1).get("ToewijzingNummer")
                       for k in ("OngewijzigdProduct", "TeWijzigenProduct")
                       for p in kinderen(vz, LIJST[k], k)}
            for t in b.verkeer.actuele_toewijzingen(b.ontvanger, b.afzender, bsn,
                                                    b.dagtekening):
                if t.nummer not in genoemd:
                    yield b.bevinding("TR349", vz, f"de actuele toewijzing {t.nummer} "
                                      f"({t.code or t.categorie}) staat niet in het verzoek "
                                      "(OngewijzigdProduct of TeWijzigenProduct)", t.bericht)


def _actueel(b: Beoordeling, code: str, p: etree._Element, bsn: str, v: dict[str, str],
             t: Toewijzing | None) -> Iterator[Bevinding]:
    nummer = v.get("ToewijzingNummer", "")
    if t is None:
        yield b.bevinding(code, p, f"er is geen toewijzing {nummer} van gemeente "
                          f"{b.ontvanger} bekend")
    elif t.bsn != bsn or t.aanbieder != b.afzender:
        yield b.bevinding(code, p, f"toewijzing {nummer} hoort niet bij deze client en "
                          "aanbieder", t.bericht)
    elif not t.actueel_op(b.dagtekening):
        waarom = ("ingetrokken (RedenWijziging 13)" if t.ingetrokken
                  else f"beëindigd op {t.velden.get('Einddatum')}")
        yield b.bevinding(code, p, f"toewijzing {nummer} is niet meer actueel: {waarom}",
                          t.bericht)


@regel("TR350")
def ongewijzigd_is_actueel(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v, t in _wijzigingen(b, "OngewijzigdProduct"):
        yield from _actueel(b, "TR350", p, bsn, v, t)


@regel("TR351")
def tewijzigen_is_actueel(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v, t in _wijzigingen(b, "TeWijzigenProduct"):
        yield from _actueel(b, "TR351", p, bsn, v, t)


@regel("TR357")
def ingangsdatum_in_verleden(b: Beoordeling) -> Iterator[Bevinding]:
    for p, _bsn, v, t in _wijzigingen(b, "TeWijzigenProduct"):
        gewenst = datum(v.get("GewensteIngangsdatum"))
        if (t is not None and gewenst is not None and gewenst <= b.dagtekening
                and gewenst != t.ingangsdatum):
            yield b.bevinding("TR357", p, f"GewensteIngangsdatum {gewenst.isoformat()} ligt "
                              "niet na de Dagtekening en is niet de Ingangsdatum "
                              f"{t.velden.get('Ingangsdatum')} van toewijzing {t.nummer}",
                              t.bericht)


@regel("TR373")
def budget_wijzigen_vanaf_ingang(b: Beoordeling) -> Iterator[Bevinding]:
    for p, _bsn, v, t in _wijzigingen(b, "TeWijzigenProduct"):
        if t is None:
            continue
        budget = v.get("Budget") is not None and v.get("Budget") != t.velden.get("Budget")
        totaal = (v.get("Omvang/Frequentie") == "6"
                  and (v.get("Omvang/Volume"), v.get("Omvang/Eenheid"))
                  != (t.velden.get("Omvang/Volume"), t.velden.get("Omvang/Eenheid")))
        gewenst = v.get("GewensteIngangsdatum")
        if (budget or totaal) and gewenst != t.velden.get("Ingangsdatum"):
            wat = "Budget" if budget else "het totaal over de toewijzingsperiode"
            yield b.bevinding("TR373", p, f"{wat} wijzigt, dus GewensteIngangsdatum moet de "
                              f"Ingangsdatum {t.velden.get('Ingangsdatum')} van toewijzing "
                              f"{t.nummer} zijn (niet {gewenst})", t.bericht)


def _omvang_regel(b: Beoordeling, code: str, zonder_product: bool) -> Iterator[Bevinding]:
    for p, _bsn, v, t in _wijzigingen(b, "TeWijzigenProduct"):
        if t is None or "Omvang/Volume" not in v:
            continue
        eind = t.einddatum
        if eind is not None and eind <= _VOOR_2021:
            continue
        geen = (t.categorie is None) if zonder_product else (t.categorie is not None
                                                               and t.code is None)
        if geen:
            wat = "geen Product" if zonder_product else "een Product zonder Code"
            yield b.bevinding(code, p, f"toewijzing {t.nummer} heeft {wat} (Einddatum "
                              f"{t.velden.get('Einddatum') or 'leeg'}): Omvang leeg laten",
                              t.bericht)


@regel("TR375")
def geen_omvang_zonder_product(b: Beoordeling) -> Iterator[Bevinding]:
    return _omvang_regel(b, "TR375", zonder_product=True)


@regel("TR412")
def geen_omvang_zonder_productcode(b: Beoordeling) -> Iterator[Bevinding]:
    return _omvang_regel(b, "TR412", zonder_product=False)


@regel("TR411")
def omvang_bij_productcode(b: Beoordeling) -> Iterator[Bevinding]:
    for p, _bsn, v, t in _wijzigingen(b, "TeWijzigenProduct"):
        if t is not None and t.code and "Omvang/Volume" not in v:
            yield b.bevinding("TR411", p, f"toewijzing {t.nummer} heeft ProductCode {t.code}: "
                              "Omvang is verplicht", t.bericht)


@regel("TR361")
def product_niet_overlappend(b: Beoordeling) -> Iterator[Bevinding]:
    for vz in kinderen(b.root, "Client", "Verzoek"):
        regels: list[tuple[etree._Element, tuple[str | None, str | None], dt.date | None,
                           dt.date | None]] = []
        for klasse in ("OngewijzigdProduct", "TeWijzigenProduct", "NieuwProduct"):
            for p in kinderen(vz, LIJST[klasse], klasse):
                v = plat(p)
                if klasse == "NieuwProduct":
                    product = (v.get("Product/Categorie"), v.get("Product/Code"))
                    begin, eind = datum(v.get("GewensteIngangsdatum")), datum(v.get("Einddatum"))
                else:
                    t = b.verkeer.toewijzing(b.ontvanger, v.get("ToewijzingNummer", ""))
                    if t is None:
                        continue
                    product = (t.categorie, t.code)
                    if klasse == "OngewijzigdProduct":
                        begin, eind = t.ingangsdatum, t.einddatum
                    else:
                        begin = datum(v.get("GewensteIngangsdatum"))
                        eind = datum(v.get("Einddatum")) or t.einddatum
                if product[0] is None:
                    continue
                regels.append((p, product, begin, eind))
        for i, (p, product, begin, eind) in enumerate(regels):
            for q, ander, b2, e2 in regels[:i]:
                if ander == product and _overlapt(begin, eind, b2, e2):
                    yield b.bevinding("TR361", p, f"product {product[1] or product[0]} komt "
                                      f"vaker voor met overlappende periodes (ook regel "
                                      f"{q.sourceline})")
                    break


def _overlapt(b1: dt.date | None, e1: dt.date | None, b2: dt.date | None,
              e2: dt.date | None) -> bool:
    lo, hi = dt.date.min, dt.date.max
    return (b1 or lo) <= (e2 or hi) and (b2 or lo) <= (e1 or hi)


def _antwoorden(b: Beoordeling) -> Iterator[tuple[etree._Element, dict[str, str]]]:
    for a in kinderen(b.root, "Antwoord"):
        yield a, plat(a, diepte=1)


@regel("TR355")
def antwoord_op_verzoek(b: Beoordeling) -> Iterator[Bevinding]:
    for a, v in _antwoorden(b):
        ref = v.get("ReferentieAanbieder", "")
        if (b.ontvanger, ref) not in b.verkeer.verzoeken:
            yield b.bevinding("TR355", a, f"ReferentieAanbieder {ref} komt in geen eerder "
                              f"verzoek (JW315/JW317) van aanbieder {b.ontvanger} voor")


@regel("TR359")
def geen_antwoord_na_toewijzing(b: Beoordeling) -> Iterator[Bevinding]:
    for a, v in _antwoorden(b):
        ref = v.get("ReferentieAanbieder", "")
        jw301 = b.verkeer.toegewezen_refs.get((b.ontvanger, ref))
        if jw301 is not None:
            yield b.bevinding("TR359", a, f"er is al een toewijzing met ReferentieAanbieder "
                              f"{ref} gestuurd", jw301)


@regel("TR360")
def in_onderzoek_eenmaal(b: Beoordeling) -> Iterator[Bevinding]:
    for a, v in _antwoorden(b):
        ref = v.get("ReferentieAanbieder", "")
        eerder = b.verkeer.antwoorden.get((b.ontvanger, ref))
        if v.get("VerzoekAntwoord") == "2" and eerder:
            yield b.bevinding("TR360", a, f"er is al een antwoordbericht met "
                              f"ReferentieAanbieder {ref}; 'in onderzoek' kan maar één keer",
                              eerder[-1][1])


@regel("TR365")
def eerder_antwoord_in_onderzoek(b: Beoordeling) -> Iterator[Bevinding]:
    for a, v in _antwoorden(b):
        ref = v.get("ReferentieAanbieder", "")
        for antwoord, e in b.verkeer.antwoorden.get((b.ontvanger, ref), ()):
            if antwoord != "2":
                yield b.bevinding("TR365", a, f"het verzoek {ref} is al afgewezen "
                                  f"(VerzoekAntwoord {antwoord}); daarna volgt geen "
                                  "antwoordbericht meer", e)
                break
