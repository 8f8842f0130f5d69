"""Declaraties and declaratie-antwoorden: JW323 and JW325 against the earlier traffic.

A prestatie is related to its toegewezen product by (gemeente, ToewijzingNummer) (TR338) and
known by (aanbieder, ReferentieNummer) (TR314). Only approved prestaties count: a debet that
a JW325 rejected, or that a later credit cancelled, no longer fills the toegewezen omvang or
budget and no longer blocks a new debet for its period (TR389).

Volumes are compared in the unit of the toewijzing; minutes and hours convert (60 to 1),
other units only compare with themselves (TR341 reports the mismatch). A per-period
frequentie allows the volume once per day, week or calendar month the ProductPeriode
touches (TR321); the sum over all prestaties (TR322) is held against the whole toewijzing
period, so an open-ended toewijzing with a per-period omvang is only held per prestatie.
TR369 compares the declared amounts (IngediendBedrag, in cents) with the Budget (cents).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ijwcli.validatie.overstijgend import Beoordeling, regel
from ijwcli.validatie.overstijgend.verkeer import (
    TIJD as _TIJD,
)
from ijwcli.validatie.overstijgend.verkeer import (
    Declaratie,
    Toewijzing,
    datum,
    getal,
    header,
    kinderen,
    plat,
)
from ijwcli.validatie.regels import Bevinding


@dataclass
class Regel:
    el: etree._Element
    bsn: str
    v: dict[str, str]
    t: Toewijzing | None

    @property
    def debet(self) -> bool:
        return self.v.get("IngediendBedrag/DebetCredit") == "D"

    @property
    def ref(self) -> str:
        return self.v.get("ProductReferentie/ReferentieNummer", "")

    @property
    def vorige(self) -> str | None:
        return self.v.get("ProductReferentie/VorigReferentieNummer")

    @property
    def begin(self) -> dt.date | None:
        return datum(self.v.get("ProductPeriode/Begindatum"))

    @property
    def eind(self) -> dt.date | None:
        return datum(self.v.get("ProductPeriode/Einddatum"))


def regels(b: Beoordeling) -> list[Regel]:
    """The prestaties of the JW323 or JW325 with their toewijzing, read once per message."""
    if "_regels" not in b.__dict__:
        uit = []
        gemeente = b.ontvanger if b.code == "JW323" else b.afzender
        for client in kinderen(b.root, "Declaratie" if b.code == "JW323" else
                               "DeclaratieAntwoord", "Clienten", "Client"):
            bsn = plat(client, diepte=1).get("Bsn", "")
            for p in kinderen(client, "Prestaties", "Prestatie"):
                v = plat(p)
                uit.append(Regel(p, bsn, v, b.verkeer.toewijzing(gemeente,
                                                                  v.get("ToewijzingNummer", ""))))
        b.__dict__["_regels"] = uit
    return b.__dict__["_regels"]  # type: ignore[no-any-return]


def _declaratie(b: Beoordeling) -> etree._Element | None:
    d = kinderen(b.root, "Declaratie")
    return d[0] if d else None


def _gekoppeld(b: Beoordeling) -> Iterator[tuple[Regel, Toewijzing]]:
    """The prestaties whose toewijzing is known and theirs (TR338 reports the others)."""
    for r in regels(b):
        if r.t is not None and r.t.bsn == r.bsn and r.t.aanbieder == b.afzender:
            yield r, r.t


@regel("TR338")
def prestatie_bij_toewijzing(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW323":
        return
    for r in regels(b):
        nummer = r.v.get("ToewijzingNummer", "")
        if r.t is None:
            yield b.bevinding("TR338", r.el, f"er is geen toewijzing {nummer} van gemeente "
                              f"{b.ontvanger} bekend")
        elif r.t.aanbieder != b.afzender:
            yield b.bevinding("TR338", r.el, f"toewijzing {nummer} is aan aanbieder "
                              f"{r.t.aanbieder} gegeven, niet aan {b.afzender}", r.t.bericht)


@regel("TR307")
def begin_na_ingangsdatum(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if r.begin and t.ingangsdatum and r.begin < t.ingangsdatum:
            yield b.bevinding("TR307", r.el, f"ProductPeriode begint op {r.begin.isoformat()}, "
                              f"vóór de Ingangsdatum {t.velden['Ingangsdatum']} van toewijzing "
                              f"{t.nummer}", t.bericht)


@regel("TR308")
def eind_voor_einddatum(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if r.eind and t.einddatum and r.eind > t.einddatum:
            yield b.bevinding("TR308", r.el, f"ProductPeriode eindigt op {r.eind.isoformat()}, "
                              f"na de Einddatum {t.velden['Einddatum']} van toewijzing "
                              f"{t.nummer}", t.bericht)


@regel("TR339")
def zelfde_categorie(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if t.categorie and r.v.get("ProductCategorie") != t.categorie:
            yield b.bevinding("TR339", r.el, f"ProductCategorie {r.v.get('ProductCategorie')}, "
                              f"de toewijzing {t.nummer} heeft {t.categorie}", t.bericht)


@regel("TR340")
def zelfde_code(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if t.code and r.v.get("ProductCode") != t.code:
            yield b.bevinding("TR340", r.el, f"ProductCode {r.v.get('ProductCode') or 'leeg'}, "
                              f"de toewijzing {t.nummer} heeft {t.code}", t.bericht)


def _passend(eenheid: str | None, toegewezen: str | None) -> bool:
    return eenheid == toegewezen or (eenheid in _TIJD and toegewezen in _TIJD)


@regel("TR341")
def passende_eenheid(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if t.eenheid and not _passend(r.v.get("Eenheid"), t.eenheid):
            yield b.bevinding("TR341", r.el, f"Eenheid {r.v.get('Eenheid')} past niet bij "
                              f"Eenheid {t.eenheid} van toewijzing {t.nummer}", t.bericht)


def _in_eenheid_van(volume: int, eenheid: str | None, t: Toewijzing) -> float:
    if eenheid in _TIJD and t.eenheid in _TIJD:
        return volume * _TIJD[eenheid] / _TIJD[t.eenheid]  # type: ignore[index]
    return volume


def _maanden(begin: dt.date, eind: dt.date) -> int:
    return (eind.year - begin.year) * 12 + eind.month - begin.month + 1


def toegestaan(t: Toewijzing, begin: dt.date, eind: dt.date) -> int | None:
    """The volume the toewijzing allows over [begin, eind], in its own unit; None: unknown."""
    volume, freq = t.volume, t.frequentie
    if volume is None or eind < begin:
        return None
    if freq == "1":
        return volume * ((eind - begin).days + 1)
    if freq == "2":
        return volume * -(-((eind - begin).days + 1) // 7)
    if freq == "4":
        return volume * _maanden(begin, eind)
    if freq == "6":
        return volume
    return None


@regel("TR321")
def volume_binnen_omvang(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if not r.debet or r.begin is None or r.eind is None:
            continue
        if not _passend(r.v.get("Eenheid"), t.eenheid):
            continue
        grens = toegestaan(t, r.begin, r.eind)
        volume = getal(r.v.get("GeleverdVolume")) or 0
        if grens is not None and _in_eenheid_van(volume, r.v.get("Eenheid"), t) > grens:
            yield b.bevinding("TR321", r.el, f"GeleverdVolume {volume} (eenheid "
                              f"{r.v.get('Eenheid')}) past niet in de toegewezen omvang van "
                              f"{grens} (eenheid {t.eenheid}) voor deze periode",
                              t.bericht)


def _saldo(b: Beoordeling) -> tuple[dict[str, float], dict[str, int], dict[str, Regel]]:
    """This message's net volume and amount per ToewijzingNummer, and its last line each."""
    volume: dict[str, float] = defaultdict(float)
    bedrag: dict[str, int] = defaultdict(int)
    laatste: dict[str, Regel] = {}
    for r, t in _gekoppeld(b):
        teken = 1 if r.debet else -1
        volume[t.nummer] += teken * _in_eenheid_van(getal(r.v.get("GeleverdVolume")) or 0,
                                                     r.v.get("Eenheid"), t)
        bedrag[t.nummer] += teken * (getal(r.v.get("IngediendBedrag/Bedrag")) or 0)
        if r.debet:
            laatste[t.nummer] = r
    return volume, bedrag, laatste


@regel("TR322")
def som_binnen_omvang(b: Beoordeling) -> Iterator[Bevinding]:
    volume, _bedrag, laatste = _saldo(b)
    for nummer, r in laatste.items():
        t = r.t
        assert t is not None
        if t.ingangsdatum is None or t.volume is None:
            continue
        if t.frequentie != "6" and t.einddatum is None:
            continue
        grens = toegestaan(t, t.ingangsdatum, t.einddatum or t.ingangsdatum)
        eerder = b.verkeer.gedeclareerd_volume.get((b.ontvanger, nummer), 0)
        totaal = eerder + volume[nummer]
        if grens is not None and totaal > grens:
            yield b.bevinding("TR322", r.el, f"de ingediende volumes op toewijzing {nummer} "
                              f"komen samen op {totaal:g} (waarvan {eerder:g} eerder), meer dan "
                              f"de toegewezen {grens} (eenheid {t.eenheid})", t.bericht)


@regel("TR369")
def som_binnen_budget(b: Beoordeling) -> Iterator[Bevinding]:
    _volume, bedrag, laatste = _saldo(b)
    for nummer, r in laatste.items():
        t = r.t
        assert t is not None
        if t.budget is None:
            continue
        eerder = b.verkeer.gedeclareerd_bedrag.get((b.ontvanger, nummer), 0)
        if eerder + bedrag[nummer] > t.budget:
            yield b.bevinding("TR369", r.el, f"de ingediende bedragen op toewijzing {nummer} "
                              f"komen samen op {(eerder + bedrag[nummer]) / 100:.2f} euro, meer "
                              f"dan het Budget van {t.budget / 100:.2f} euro", t.bericht)


@regel("TR384")
def niet_op_verwijderde_toewijzing(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if t.ingetrokken:
            yield b.bevinding("TR384", r.el, f"toewijzing {t.nummer} is verwijderd "
                              "(RedenWijziging 13)", t.bericht)


@regel("TR387")
def begin_eerste_van_maand(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if r.begin is None or r.begin.day == 1:
            continue
        ingang = t.ingangsdatum
        if ingang is None or ingang != r.begin:
            yield b.bevinding("TR387", r.el, f"ProductPeriode begint op {r.begin.isoformat()}: "
                              "dat is de eerste van de maand, of de Ingangsdatum van de "
                              f"toewijzing ({t.velden.get('Ingangsdatum')}) als die later in "
                              "de maand ligt", t.bericht)


@regel("TR388")
def eind_laatste_van_maand(b: Beoordeling) -> Iterator[Bevinding]:
    for r, t in _gekoppeld(b):
        if r.eind is None:
            continue
        if r.eind.day == calendar.monthrange(r.eind.year, r.eind.month)[1]:
            continue
        if t.einddatum is None or t.einddatum != r.eind:
            yield b.bevinding("TR388", r.el, f"ProductPeriode eindigt op {r.eind.isoformat()}: "
                              "dat is de laatste van de maand, of de Einddatum van de "
                              f"toewijzing ({t.velden.get('Einddatum') or 'leeg'}) als die "
                              "eerder in de maand ligt", t.bericht)


@regel("TR314")
def referentienummer_uniek(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW323":
        return
    for r in regels(b):
        eerder = b.verkeer.prestaties.get((b.afzender, r.ref))
        if eerder is not None:
            yield b.bevinding("TR314", r.el, f"ReferentieNummer {r.ref} is al aangeleverd",
                              eerder.bericht)


@regel("TR323")
def credit_bij_debet(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW323":
        return
    for r in regels(b):
        if r.debet or not r.vorige:
            continue
        debet = b.verkeer.prestaties.get((b.afzender, r.vorige))
        if debet is None or not debet.debet:
            yield b.bevinding("TR323", r.el, f"er is geen eerdere debetprestatie met "
                              f"ReferentieNummer {r.vorige}")
        elif not b.verkeer.goedgekeurd(b.afzender, r.vorige):
            yield b.bevinding("TR323", r.el, f"de debetprestatie {r.vorige} is afgewezen; er "
                              "valt niets te crediteren", debet.bericht)
        else:
            sleutel = ("ToewijzingNummer", "ProductCategorie", "ProductCode",
                       "ProductPeriode/Begindatum", "ProductPeriode/Einddatum")
            anders = [k for k in sleutel if debet.velden.get(k) != r.v.get(k)]
            if anders or debet.bsn != r.bsn:
                k = anders[0] if anders else "Bsn"
                yield b.bevinding("TR323", r.el, f"{k} verschilt van de debetprestatie "
                                  f"{r.vorige} ({debet.velden.get(k, debet.bsn)})",
                                  debet.bericht)


@regel("TR390")
def een_credit_per_debet(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW323":
        return
    hier: set[str] = set()
    for r in regels(b):
        if r.debet or not r.vorige:
            continue
        eerder = b.verkeer.gecrediteerd.get((b.afzender, r.vorige))
        if eerder is not None:
            yield b.bevinding("TR390", r.el, f"debetprestatie {r.vorige} is al gecrediteerd "
                              f"(ReferentieNummer {eerder.referentie})", eerder.bericht)
        elif r.vorige in hier:
            yield b.bevinding("TR390", r.el, f"debetprestatie {r.vorige} wordt in dit bericht "
                              "twee keer gecrediteerd")
        hier.add(r.vorige)


@regel("TR389")
def een_debet_per_periode(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW323":
        return
    gecrediteerd_hier = {r.vorige for r in regels(b) if not r.debet and r.vorige}
    for r in regels(b):
        if not r.debet:
            continue
        v = r.v
        sleutel = (b.ontvanger, b.afzender, v.get("ToewijzingNummer", ""),
                   v.get("ProductPeriode/Begindatum", ""), v.get("ProductPeriode/Einddatum", ""),
                   v.get("ProductCategorie", ""), v.get("ProductCode", ""))
        eerder = b.verkeer.actieve_debet.get(sleutel)
        if eerder is not None and eerder.referentie not in gecrediteerd_hier:
            yield b.bevinding("TR389", r.el, f"er is al een debetprestatie "
                              f"({eerder.referentie}) voor deze periode, dit product en "
                              "toewijzing, zonder creditprestatie", eerder.bericht)


@regel("TR333")
def declaratienummer_uniek(b: Beoordeling) -> Iterator[Bevinding]:
    d = _declaratie(b)
    if d is None:
        return
    el = kinderen(d, "DeclaratieNummer")
    nummer = plat(d, diepte=1).get("DeclaratieNummer", "")
    eerder = b.verkeer.declaratienummers.get((b.afzender, nummer))
    if eerder is not None:
        yield b.bevinding("TR333", el[0] if el else d, f"DeclaratieNummer {nummer} is al "
                          "gebruikt", eerder)


def _periode(d: etree._Element) -> tuple[dt.date | None, dt.date | None]:
    v = plat(d)
    return datum(v.get("DeclaratiePeriode/Begindatum")), datum(v.get("DeclaratiePeriode/Einddatum"))


@regel("TR318")
def periode_volgt_op_vorige(b: Beoordeling) -> Iterator[Bevinding]:
    d = _declaratie(b)
    if d is None:
        return
    begin, _eind = _periode(d)
    eerder = b.verkeer.periodes.get((b.afzender, b.ontvanger))
    if begin is None or not eerder:
        return
    laatste = max(eerder, key=lambda p: p[1])
    if begin <= laatste[1]:
        el = kinderen(d, "DeclaratiePeriode")[0]
        yield b.bevinding("TR318", el, f"DeclaratiePeriode begint op {begin.isoformat()}, niet "
                          f"na de vorige DeclaratiePeriode ({laatste[0].isoformat()} – "
                          f"{laatste[1].isoformat()})", laatste[2])


@regel("TR319")
def productperiode_in_een_declaratieperiode(b: Beoordeling) -> Iterator[Bevinding]:
    # The in-message side (ProductPeriode not after the current DeclaratiePeriode) is a rule
    # inside one message; here: a ProductPeriode before the current period lies within one
    # earlier DeclaratiePeriode of this aanbieder, not across two.
    d = _declaratie(b)
    if d is None:
        return
    begin, _eind = _periode(d)
    eerder = b.verkeer.periodes.get((b.afzender, b.ontvanger))
    if begin is None or not eerder:
        return
    for r in regels(b):
        if r.begin is None or r.eind is None or r.begin >= begin:
            continue
        raakt = [p for p in eerder if p[0] <= r.eind and r.begin <= p[1]]
        if raakt and not any(p[0] <= r.begin and r.eind <= p[1] for p in raakt):
            p = raakt[0]
            yield b.bevinding("TR319", r.el, f"ProductPeriode {r.begin.isoformat()} – "
                              f"{r.eind.isoformat()} valt niet geheel binnen een eerdere "
                              f"DeclaratiePeriode ({p[0].isoformat()} – {p[1].isoformat()})",
                              p[2])


@regel("TR418")
def contracttarief(b: Beoordeling) -> Iterator[Bevinding]:
    from ijwcli.validatie.overstijgend.tarieven import Tarieven

    tarieven = b.tarieven
    if not isinstance(tarieven, Tarieven) or b.code != "JW323":
        return
    for r in regels(b):
        if r.v.get("Eenheid") == "83":
            continue  # a euro product has no tariff per unit
        tarief = tarieven.tarief(b.afzender, r.v.get("ProductCategorie"),
                                 r.v.get("ProductCode"), r.begin)
        opgegeven = getal(r.v.get("ProductTarief"))
        if tarief is not None and opgegeven != tarief:
            yield b.bevinding("TR418", r.el, f"ProductTarief {r.v.get('ProductTarief')} is niet "
                              f"het contracttarief {tarief} van {r.v.get('ProductCode')} "
                              f"({tarieven.bron})")


# --- JW325: the declaratie-antwoord against the declaratie it answers -------------------------
def _heen(b: Beoordeling) -> Declaratie | None:
    ident = b.kop.get("DeclaratieIdentificatie/Identificatie", "")
    return b.verkeer.declaraties.get((b.ontvanger, ident))


def _header_el(b: Beoordeling, *namen: str) -> etree._Element | None:
    el = kinderen(b.root, "Header", *namen)
    return el[0] if el else None


@regel("TR337")
def antwoord_op_declaratie(b: Beoordeling) -> Iterator[Bevinding]:
    ident = b.kop.get("DeclaratieIdentificatie/Identificatie", "")
    decl = _heen(b)
    el = _header_el(b, "DeclaratieIdentificatie")
    if decl is None:
        yield b.bevinding("TR337", el, f"er is geen declaratie {ident} van aanbieder "
                          f"{b.ontvanger} bekend")
    elif b.kop.get("DeclaratieIdentificatie/Dagtekening") != decl.bericht.dagtekening.isoformat():
        yield b.bevinding("TR337", el, f"de declaratie {ident} heeft Dagtekening "
                          f"{decl.bericht.dagtekening.isoformat()}", decl.bericht)


@regel("TR371")
def xsdversie_van_declaratie(b: Beoordeling) -> Iterator[Bevinding]:
    decl = _heen(b)
    if decl is None:
        return
    for k, v in decl.xsd.items():
        eigen = b.kop.get(k.replace("XsdVersie/", "XsdVersieDeclaratie/"))
        if eigen != v:
            yield b.bevinding("TR371", _header_el(b, "XsdVersieDeclaratie"),
                              f"{k.split('/')[1]} {eigen} verschilt van de declaratie ({v})",
                              decl.bericht)


@regel("TR376")
def declaratienummer_van_declaratie(b: Beoordeling) -> Iterator[Bevinding]:
    decl = _heen(b)
    antwoord = kinderen(b.root, "DeclaratieAntwoord")
    if decl is None or not antwoord:
        return
    eigen = plat(antwoord[0], diepte=1).get("DeclaratieNummer")
    if eigen != decl.velden.get("DeclaratieNummer"):
        el = kinderen(antwoord[0], "DeclaratieNummer")
        yield b.bevinding("TR376", el[0] if el else antwoord[0], f"DeclaratieNummer {eigen}, de "
                          f"declaratie heeft {decl.velden.get('DeclaratieNummer')}",
                          decl.bericht)


@regel("TR366")
def prestatie_uit_declaratie(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW325":
        return
    decl = _heen(b)
    if decl is None:
        return
    for r in regels(b):
        if r.ref not in decl.prestaties:
            yield b.bevinding("TR366", r.el, f"ReferentieNummer {r.ref} komt niet voor in de "
                              "declaratie", decl.bericht)


_OVERGENOMEN = ("ProductReferentie/VorigReferentieNummer", "ToewijzingNummer",
                "ProductCategorie", "ProductCode", "ProductPeriode/Begindatum",
                "ProductPeriode/Einddatum", "GeleverdVolume", "Eenheid", "ProductTarief",
                "IngediendBedrag/Bedrag", "IngediendBedrag/DebetCredit")


@regel("TR367")
def waarden_uit_declaratie(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW325":
        return
    decl = _heen(b)
    if decl is None:
        return
    for r in regels(b):
        heen = decl.prestaties.get(r.ref)
        if heen is None:
            continue
        anders = [k for k in _OVERGENOMEN if heen.velden.get(k) != r.v.get(k)]
        if anders:
            k = anders[0]
            yield b.bevinding("TR367", r.el, f"{k} is {r.v.get(k) or 'leeg'}, in de declaratie "
                              f"{heen.velden.get(k) or 'leeg'}", decl.bericht)


def bsn_bevindingen(b: Beoordeling) -> Iterator[Bevinding]:
    """TR304 for a JW323 (the toewijzing's client) and a JW325 (the declared client)."""
    if b.code == "JW323":
        for r in regels(b):
            if r.t is not None and r.t.bsn != r.bsn:
                yield b.bevinding("TR304", r.el, f"toewijzing {r.t.nummer} hoort bij Bsn "
                                  f"{r.t.bsn}, niet bij {r.bsn}", r.t.bericht)
    elif b.code == "JW325":
        decl = _heen(b)
        if decl is None:
            return
        for r in regels(b):
            heen = decl.prestaties.get(r.ref)
            if heen is not None and heen.bsn != r.bsn:
                yield b.bevinding("TR304", r.el, f"prestatie {r.ref} is gedeclareerd voor Bsn "
                                  f"{heen.bsn}, niet {r.bsn}", decl.bericht)


__all__ = ["bsn_bevindingen", "header", "regels", "toegestaan"]
