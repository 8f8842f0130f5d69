"""Toewijzing, start and stop: JW301, JW305 and JW307 against the earlier traffic.

Keys: a toewijzing by (gemeente, ToewijzingNummer); a start or stop by the client's Bsn,
ToewijzingNummer and Begindatum (the logical key of a StartProduct, which the stop carries
unchanged, TR382). StatusAanlevering 1 is a first delivery, 2 a change of it, 3 its removal.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ijwcli.validatie.overstijgend import Beoordeling, regel
from ijwcli.validatie.overstijgend.verkeer import Levering, kinderen, plat
from ijwcli.validatie.regels import Bevinding


def producten(b: Beoordeling, klasse: str,
              ) -> Iterator[tuple[etree._Element, str, dict[str, str]]]:
    """(element, Bsn of its client, its fields) of every product line of class ``klasse``."""
    for client in kinderen(b.root, "Client"):
        bsn = plat(client, diepte=1).get("Bsn", "")
        for p in kinderen(client, klasse + "en", klasse):
            yield p, bsn, plat(p)


def _leveringen(b: Beoordeling) -> Iterator[tuple[etree._Element, str, dict[str, str]]]:
    return producten(b, "StartProduct" if b.code == "JW305" else "StopProduct")


def _sleutel(b: Beoordeling, bsn: str, v: dict[str, str]) -> tuple[str, str, str, str]:
    return (b.ontvanger, bsn, v.get("ToewijzingNummer", ""), v.get("Begindatum", ""))


@regel("TR019")
def start_stop_bij_toewijzing(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v in _leveringen(b):
        nummer = v.get("ToewijzingNummer", "")
        t = b.verkeer.toewijzing(b.ontvanger, nummer)
        if t is None:
            yield b.bevinding("TR019", p, f"er is geen toewijzing {nummer} van gemeente "
                              f"{b.ontvanger} bekend")
        elif t.bsn != bsn or t.aanbieder != b.afzender:
            wie = f"client {t.bsn}" if t.bsn != bsn else f"aanbieder {t.aanbieder}"
            yield b.bevinding("TR019", p, f"toewijzing {nummer} hoort bij {wie}, niet bij "
                              "dit bericht", t.bericht)


@regel("TR063")
def verwijderen_na_aanlevering(b: Beoordeling) -> Iterator[Bevinding]:
    eerder = b.verkeer.eerder_gestart if b.code == "JW305" else b.verkeer.eerder_gestopt
    for p, bsn, v in _leveringen(b):
        if v.get("StatusAanlevering") == "3" and _sleutel(b, bsn, v) not in eerder:
            yield b.bevinding("TR063", p, "StatusAanlevering 3 (verwijderen), maar er is geen "
                              f"eerdere {'start' if b.code == 'JW305' else 'stop'} met "
                              f"ToewijzingNummer {v.get('ToewijzingNummer')} en Begindatum "
                              f"{v.get('Begindatum')} voor deze client")


@regel("TR071")
def start_niet_verwijderen_na_stop(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v in _leveringen(b):
        stops = b.verkeer.stops.get(_sleutel(b, bsn, v))
        if v.get("StatusAanlevering") == "3" and stops:
            yield b.bevinding("TR071", p, "de start kan niet verwijderd worden: er is al een "
                              f"stop (Einddatum {stops[-1].velden.get('Einddatum')})",
                              stops[-1].bericht)


@regel("TR074")
def eerste_aanlevering_uniek(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v in _leveringen(b):
        if v.get("StatusAanlevering") != "1":
            continue
        sleutel = _sleutel(b, bsn, v)
        if b.code == "JW305":
            eerder = b.verkeer.starts.get(sleutel)
        else:
            eerder = next((s for s in b.verkeer.stops.get(sleutel, ())
                           if s.velden.get("Einddatum") == v.get("Einddatum")), None)
        if eerder is not None:
            yield b.bevinding("TR074", p, "StatusAanlevering 1, maar er is al een aanlevering "
                              f"met ToewijzingNummer {sleutel[2]} en Begindatum {sleutel[3]}; "
                              "een wijziging heeft StatusAanlevering 2", eerder.bericht)


@regel("TR326")
def geen_tweede_start(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW305":
        return
    for p, bsn, v in _leveringen(b):
        if v.get("StatusAanlevering") != "1":
            continue
        sleutel = (bsn, v.get("ToewijzingNummer", ""), v.get("Begindatum", ""))
        for start in b.verkeer.actuele_start(b.ontvanger, sleutel[1]):
            if start.sleutel != sleutel:
                yield b.bevinding("TR326", p, f"toewijzing {sleutel[1]} heeft al een actuele "
                                  f"start (Begindatum {start.velden.get('Begindatum')}) "
                                  "zonder stopbericht", start.bericht)
                break


_STARTSLEUTEL = ("ToewijzingNummer", "Product/Categorie", "Product/Code",
                 "ToewijzingIngangsdatum", "Begindatum")


@regel("TR382")
def stop_met_sleutel_van_start(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW307":
        return
    for p, bsn, v in _leveringen(b):
        start = b.verkeer.starts.get(_sleutel(b, bsn, v))
        if start is None:
            nummer = v.get("ToewijzingNummer", "")
            andere = b.verkeer.actuele_start(b.ontvanger, nummer)
            waarom = (f"de actuele start heeft Begindatum {andere[0].velden.get('Begindatum')}"
                      if andere else f"toewijzing {nummer} heeft geen startbericht")
            yield b.bevinding("TR382", p, f"geen start met Begindatum {v.get('Begindatum')} "
                              f"voor deze client: {waarom}",
                              andere[0].bericht if andere else None)
            continue
        anders = [k for k in _STARTSLEUTEL if start.velden.get(k) != v.get(k)]
        if anders:
            k = anders[0]
            yield b.bevinding("TR382", p, f"{k} is {v.get(k) or 'leeg'}, in de start "
                              f"{start.velden.get(k) or 'leeg'}: de sleutel van de start moet "
                              "ongewijzigd in de stop staan", start.bericht)


def _andere_stops(b: Beoordeling, bsn: str, v: dict[str, str]) -> list[Levering]:
    """The stops of the same start, less the current one when this stop changes it (2)."""
    lijst = b.verkeer.stops.get(_sleutel(b, bsn, v), [])
    return lijst[:-1] if v.get("StatusAanlevering") == "2" else list(lijst)


@regel("TR413")
def niet_twee_keer_tijdelijk(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v in _leveringen(b):
        if v.get("StatusAanlevering") not in ("1", "2") or v.get("RedenBeeindiging") != "20":
            continue
        eerder = next((s for s in _andere_stops(b, bsn, v) if s.reden == "20"), None)
        if eerder is not None:
            yield b.bevinding("TR413", p, "er is al een tijdelijke stop (RedenBeeindiging 20) "
                              "voor deze start; een volgende stop heeft een andere reden",
                              eerder.bericht)


@regel("TR414")
def einddatum_niet_eerder_dan_stop(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v in _leveringen(b):
        if v.get("StatusAanlevering") == "3":
            continue
        eind = v.get("Einddatum", "")
        stops = b.verkeer.stops.get(_sleutel(b, bsn, v), [])
        if stops and eind and eind < (stops[-1].velden.get("Einddatum") or ""):
            yield b.bevinding("TR414", p, f"Einddatum {eind} ligt vóór de Einddatum "
                              f"{stops[-1].velden.get('Einddatum')} van de actuele stop",
                              stops[-1].bericht)


@regel("TR415")
def geen_stop_na_definitieve_stop(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v in _leveringen(b):
        if v.get("StatusAanlevering") not in ("1", "2"):
            continue
        eerder = next((s for s in _andere_stops(b, bsn, v) if s.reden != "20"), None)
        if eerder is not None:
            yield b.bevinding("TR415", p, "er is al een stop met RedenBeeindiging "
                              f"{eerder.reden} (niet tijdelijk) voor deze start; wijzig die "
                              "met StatusAanlevering 2 of verwijder hem eerst", eerder.bericht)


@regel("TR332")
def toewijzingnummer_uniek(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v in producten(b, "ToegewezenProduct"):
        nummer = v.get("ToewijzingNummer", "")
        t = b.verkeer.toewijzing(b.afzender, nummer)
        if t is None:
            continue
        verschil = [(n, a, c) for n, a, c in (
            ("Bsn", t.bsn, bsn), ("Product/Categorie", t.categorie, v.get("Product/Categorie")),
            ("Product/Code", t.code, v.get("Product/Code")),
            ("Ingangsdatum", t.velden.get("Ingangsdatum"), v.get("Ingangsdatum")))
            if a != c]
        if t.aanbieder != b.ontvanger:
            verschil.insert(0, ("aanbieder", t.aanbieder, b.ontvanger))
        if verschil:
            n, a, c = verschil[0]
            yield b.bevinding("TR332", p, f"ToewijzingNummer {nummer} is al gebruikt voor een "
                              f"andere toewijzing ({n} {a or 'leeg'}, hier {c or 'leeg'})",
                              t.bericht)


@regel("TR379")
def referentie_uit_verzoek(b: Beoordeling) -> Iterator[Bevinding]:
    for p, bsn, v in producten(b, "ToegewezenProduct"):
        ref = v.get("ReferentieAanbieder")
        if not ref:
            continue
        vz = b.verkeer.verzoeken.get((b.ontvanger, ref))
        if vz is None:
            eerder = b.verkeer.toewijzing(b.afzender, v.get("ToewijzingNummer", ""))
            if eerder is not None and eerder.referentie == ref:
                continue  # a new version of a toewijzing keeps the reference it was given
            yield b.bevinding("TR379", p, f"ReferentieAanbieder {ref} komt in geen eerder "
                              f"verzoek (JW315/JW317) van aanbieder {b.ontvanger} voor")
        elif vz.bsn != bsn:
            yield b.bevinding("TR379", p, f"ReferentieAanbieder {ref} hoort bij een verzoek "
                              f"voor client {vz.bsn}", vz.bericht)


@regel("TR385")
def niet_verwijderen_met_declaraties(b: Beoordeling) -> Iterator[Bevinding]:
    for p, _bsn, v in producten(b, "ToegewezenProduct"):
        if v.get("RedenWijziging") != "13":
            continue
        nummer = v.get("ToewijzingNummer", "")
        bedrag = b.verkeer.gedeclareerd_bedrag.get((b.afzender, nummer))
        if bedrag is not None and b.verkeer.gedeclareerd_volume.get((b.afzender, nummer), 0) \
                + bedrag > 0:
            debet = next(d for d in b.verkeer.actieve_debet.values()
                         if d.gemeente == b.afzender and d.nummer == nummer)
            yield b.bevinding("TR385", p, f"toewijzing {nummer} heeft goedgekeurde, niet "
                              f"gecrediteerde prestaties (o.a. {debet.referentie}); "
                              "verwijderen (RedenWijziging 13) mag niet", debet.bericht)
