"""An incoming JW317 (verzoek om wijziging) judged as a backoffice does under its agreements.

The JW317 asks for the complete new situation of a client's toewijzingen; the gemeente judges it
as a whole and honours it with one JW301, or sends a JW319 when any part does not fit the
agreements (Flevoland: "wanneer een deel niet gehonoreerd wordt, geen JW301"). Each part is
judged by :func:`ijwcli.verlenging.bereken` against the toewijzing it changes
(:class:`~ijwcli.verlenging.feiten.ToewijzingFeiten`, read from the actuele JW301 and its
history by the caller):

- a TeWijzigenProduct with a later Einddatum and the same Omvang: the once-only end-date shift
  (50 % of the period, at most 6 months, once; an einddatum already passed per the profile);
- more volume: the medische route only, tested against the product richtlijn;
- less volume on an individueel product together with a NieuwProduct of exactly that volume:
  individueel → groep, the total kept, the groep product not past the individueel einddatum;
- an earlier Einddatum: a verkorting;
- a toewijzing from a GI: never through a JW317, a new bepaling (JW319);
- anything else (a change from a later date, another eenheid, a Budget, a NieuwProduct): via
  the medische route only, as far as a richtlijn can be tested.

Seed example of Flevoland: 3000 minuten individueel, 750 of them to a groep product:

>>> from pathlib import Path
>>> from ijwcli.verlenging import Toewijzing, profiel
>>> from ijwcli.verlenging.feiten import ToewijzingFeiten
>>> t = Toewijzing(dt.date(2026, 1, 1), dt.date(2026, 12, 31), 3000, "01", "6")
>>> f = {"1": ToewijzingFeiten("1", t, "45F01", "R1", "jw301.xml", type_verwijzer="02",
...                            verwijzer_bron="JW315")}
>>> jw317 = maak_jw317("999900006", "12345678", "0034", "R2", [
...     ("1", "2026-01-01", "2026-12-31", 2250)], [("45F02", "2026-05-01", "2026-12-31", 750)])
>>> b = beoordeel(jw317, f, profiel.load("flevoland"), peildatum=dt.date(2026, 4, 1))
>>> b.volgt, [(o.soort, o.uitkomst.toewijzing.volume) for o in b.onderdelen]
('JW301', [('naar-groep', 2250)])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from ijwcli import bericht as bm
from ijwcli.errors import IjwError, InvalidInput, UsageError
from ijwcli.verlenging import (
    _UREN_PER_EENHEID,
    FREQ_TOTAAL,
    Toets,
    Toewijzing,
    Uitkomst,
    Verzoek,
    _getal,
    _richtlijn,
    bereken,
    doorlooptijd_volgens,
    max_uren_richtlijn,
)
from ijwcli.verlenging.feiten import ToewijzingFeiten, aanvullen, herkomst
from ijwcli.verlenging.profiel import Profiel


@dataclass
class Onderdeel:
    """One part of the JW317 and its outcome."""

    soort: str                      # verschuiven/wijziging/verkorting/naar-groep/nieuw/anders
    toewijzingnummer: str | None
    uitkomst: Uitkomst
    bronnen: dict[str, str] = field(default_factory=dict)
    waarden: dict[str, Any] = field(default_factory=dict)

    @property
    def herkomst(self) -> dict[str, dict[str, Any]]:
        """Per value: ``{"waarde", "bron"}`` (:func:`ijwcli.verlenging.feiten.herkomst`)."""
        return herkomst(self.waarden, self.bronnen)

    def to_dict(self) -> dict[str, Any]:
        return {"soort": self.soort, "toewijzingnummer": self.toewijzingnummer,
                "uitkomst": self.uitkomst.to_dict(), "herkomst": self.herkomst}


@dataclass
class Beoordeling:
    """The verdict on a whole JW317: which message follows (``JW301`` or ``JW319``)."""

    regio: str
    referentie: str | None
    identificatie: str | None
    onderdelen: list[Onderdeel]
    volgt: str
    toelichting: str
    reden_afwijzing: str | None = None   # LDT_RedenAfwijzingVerzoek for the JW319
    waarschuwingen: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if self.volgt == "JW301" else 1

    def to_dict(self) -> dict[str, Any]:
        return {"regio": self.regio, "referentie_aanbieder": self.referentie,
                "identificatie": self.identificatie, "volgt": self.volgt,
                "reden_afwijzing": self.reden_afwijzing, "toelichting": self.toelichting,
                "waarschuwingen": list(self.waarschuwingen),
                "onderdelen": [o.to_dict() for o in self.onderdelen]}


def _lees(jw317: bm.Bericht | bytes, bron: str) -> bm.Bericht:
    if isinstance(jw317, bm.Bericht):
        b = jw317
    else:
        try:
            b = bm.parse(jw317, validate=True, name=bron)
        except IjwError as exc:
            raise InvalidInput(exc.message, where=exc.where or bron) from None
    if b.code != "JW317":
        raise UsageError(f"--from moet een JW317 zijn, niet een {b.code}", where=bron)
    return b


def _omvang(n: bm.Node) -> tuple[int | None, str | None, str | None]:
    return n.getal("Omvang/Volume"), n.value("Omvang/Eenheid"), n.value("Omvang/Frequentie")


def beoordeel(jw317: bm.Bericht | bytes, feiten: dict[str, ToewijzingFeiten], p: Profiel, *,
              peildatum: dt.date | None = None, gegeven: dict[str, Any] | None = None,
              bron: str = "JW317") -> Beoordeling:
    """Judge ``jw317`` against the toewijzingen ``feiten`` (by ToewijzingNummer) under ``p``.

    ``gegeven``: values typed by the user that override the messages (``verwijzer``,
    ``eerder_verschoven``, ``product``), as for :func:`ijwcli.verlenging.feiten.aanvullen`.
    """
    b = _lees(jw317, bron)
    gegeven = {k: v for k, v in (gegeven or {}).items() if v is not None}
    verzoek = b.root.find("Client/Verzoek")
    assert verzoek is not None  # required by the schema
    _zelfde_partijen(b, feiten, bron)
    genoemd = [n.value("ToewijzingNummer") or "" for n in verzoek.findall(
        "OngewijzigdeProducten/OngewijzigdProduct")]
    wijzig = verzoek.findall("TeWijzigenProducten/TeWijzigenProduct")
    nieuw = list(verzoek.findall("NieuweProducten/NieuwProduct"))
    onbekend = [nr for nr in genoemd + [w.value("ToewijzingNummer") or "" for w in wijzig]
                if nr not in feiten]
    if onbekend:
        raise InvalidInput(f"ToewijzingNummer {', '.join(onbekend)} staat niet in de actuele "
                           f"toewijzing ({', '.join(sorted(feiten)) or 'geen'}) (TR350/TR351)",
                           where=bron)
    # The verzoek's verwijzer: that of the toewijzingen it names (a NieuwProduct has none).
    eerste = next((feiten[nr] for nr in [w.value("ToewijzingNummer") or "" for w in wijzig]
                   + genoemd), None)
    onderdelen: list[Onderdeel] = []
    waarschuwingen: list[str] = []
    for w in wijzig:
        f = feiten[w.value("ToewijzingNummer") or ""]
        o = _te_wijzigen(w, f, nieuw, p, peildatum, gegeven, bron)
        if o is None:
            waarschuwingen.append(f"TeWijzigenProduct {f.nummer} verandert niets aan de "
                                  "toewijzing; behandeld als ongewijzigd.")
        else:
            onderdelen.append(o)
    for n in nieuw:
        onderdelen.append(_nieuw_product(n, eerste, p, peildatum, gegeven, bron))
    if not onderdelen:
        raise InvalidInput("de JW317 vraagt geen wijziging (alleen OngewijzigdProduct)",
                           where=bron)
    afgewezen = [o for o in onderdelen if not o.uitkomst.binnen_richtlijn]
    ident = b.root.value("Header/BerichtIdentificatie/Identificatie")
    ref = verzoek.value("ReferentieAanbieder")
    if not afgewezen:
        return Beoordeling(
            p.naam, ref, ident, onderdelen, "JW301",
            "Het verzoek past als geheel in de afspraken: de gemeente honoreert met één JW301 "
            "(ijwcli generate jw301 --from JW317 --actueel JW301).", None, waarschuwingen)
    gi = any(o.uitkomst.route == "gi" for o in afgewezen)
    reden = str(p.get("jw319.reden_gi" if gi else "jw319.reden_buiten", "1" if gi else "4"))
    delen = "; ".join(f"{o.soort} {o.toewijzingnummer or '(nieuw product)'}: "
                      + (", ".join(c.regel for c in o.uitkomst.toetsen if not c.voldaan)
                         or o.uitkomst.route) for o in afgewezen)
    tekst = (f"Niet (als geheel) te honoreren ({delen}): de gemeente stuurt geen JW301 maar een "
             f"JW319 (VerzoekAntwoord 1, verzoek afgewezen; RedenAfwijzingVerzoek {reden}).")
    if gi:
        tekst += " De toewijzing komt van een GI: de aanbieder vraagt de GI om een nieuwe bepaling."
    else:
        tekst += " De aanbieder zoekt contact met de procesregisseur (route " \
                 f"{afgewezen[0].uitkomst.route})."
    return Beoordeling(p.naam, ref, ident, onderdelen, "JW319", tekst, reden, waarschuwingen)


def _zelfde_partijen(b: bm.Bericht, feiten: dict[str, ToewijzingFeiten], bron: str) -> None:
    bsn = b.root.value("Client/Bsn")
    for f in feiten.values():
        if f.bsn and f.bsn != bsn:
            raise InvalidInput(f"de JW317 gaat over BSN {bsn}, toewijzing {f.nummer} over "
                               f"{f.bsn}", where=bron)
        if (f.gemeente and f.gemeente != b.root.value("Header/Ontvanger")) or (
                f.aanbieder and f.aanbieder != b.root.value("Header/Afzender")):
            raise InvalidInput(f"de JW317 en toewijzing {f.nummer} zijn niet tussen dezelfde "
                               "gemeente en aanbieder", where=bron)


def _waarden(f: ToewijzingFeiten, p: Profiel, gegeven: dict[str, Any]
             ) -> tuple[dict[str, Any], dict[str, str]]:
    return aanvullen(f, p, **{k: gegeven.get(k) for k in
                              ("verwijzer", "eerder_verschoven", "product")})


def _te_wijzigen(w: bm.Node, f: ToewijzingFeiten, nieuw: list[bm.Node], p: Profiel,
                 peildatum: dt.date | None, gegeven: dict[str, Any], bron: str
                 ) -> Onderdeel | None:
    t = f.zeker()
    waarden, bronnen = _waarden(f, p, gegeven)
    verwijzer = waarden["verwijzer"]
    gewenst = w.datum("GewensteIngangsdatum")
    eind = w.datum("Einddatum")
    volume, eenheid, freq = _omvang(w)
    bronnen["wijziging"] = f"{bron}: TeWijzigenProduct {f.nummer}"
    waarden["wijziging"] = (f"vanaf {gewenst}, einddatum {eind or 'geen'}, "
                            f"{w.value('Budget') and 'budget ' + w.value('Budget') or volume}")
    if w.child("Omvang") is None and w.value("Budget") is None:
        volume, eenheid, freq = t.volume, t.eenheid, t.frequentie
    basis = dict(peildatum=peildatum, product=waarden.get("product"),
                 eerder_verschoven=bool(waarden["eerder_verschoven"]))
    anders = None
    if gewenst != t.ingangsdatum:
        anders = f"wijziging vanaf {gewenst} (de toewijzing begint {t.ingangsdatum})"
    elif eind is None:
        anders = "geen einddatum meer"
    elif volume is None:
        anders = "een Budget in plaats van een Omvang"
    elif (eenheid, freq) != (t.eenheid, t.frequentie):
        anders = f"andere eenheid of frequentie ({eenheid}/{freq})"
    if anders:
        return Onderdeel("anders", f.nummer, _anders(t, verwijzer, p, anders), bronnen, waarden)
    assert eind is not None and volume is not None
    extra = volume - t.volume
    if extra == 0 and eind == t.einddatum:
        return None
    if extra < 0:
        groep = next((n for n in nieuw if _omvang(n) == (-extra, t.eenheid, FREQ_TOTAAL)), None)
        if groep is None or eind != t.einddatum or t.frequentie != FREQ_TOTAAL:
            return Onderdeel("anders", f.nummer, _anders(
                t, verwijzer, p, f"minder volume ({t.volume} → {volume})"), bronnen, waarden)
        nieuw.remove(groep)
        return _naar_groep(f, groep, -extra, verwijzer, p, basis, bronnen, waarden, bron)
    if eind < t.einddatum:
        if extra:
            return Onderdeel("anders", f.nummer, _anders(
                t, verwijzer, p, "een eerdere einddatum met meer volume"), bronnen, waarden)
        u = bereken(Verzoek(t, verwijzer, nieuwe_einddatum=eind, **basis), p)
        u.berichten = [b for b in u.berichten if b != "JW307"] or ["JW301"]
        return Onderdeel("verkorting", f.nummer, u, bronnen, waarden)
    u = bereken(Verzoek(t, verwijzer, nieuwe_einddatum=eind, extra_volume=extra, **basis), p)
    return Onderdeel("verschuiven" if not extra else "wijziging", f.nummer, u, bronnen, waarden)


def _naar_groep(f: ToewijzingFeiten, groep: bm.Node, n: int, verwijzer: str, p: Profiel,
                basis: dict[str, Any], bronnen: dict[str, str], waarden: dict[str, Any],
                bron: str) -> Onderdeel:
    t = f.zeker()
    eind = groep.datum("Einddatum")
    u = bereken(Verzoek(t, verwijzer, naar_groep=n, nieuwe_einddatum=eind, **basis), p)
    bronnen["groepsproduct"] = f"{bron}: NieuwProduct"
    waarden["groepsproduct"] = (f"{groep.value('Product/Code') or '?'}, {n}, "
                                f"t/m {eind or 'geen einddatum'}")
    if u.route != "backoffice" and not u.binnen_richtlijn:
        return Onderdeel("naar-groep", f.nummer, u, bronnen, waarden)
    bron_g = str(p.get("naar_groep.bron", ""))
    # The aanbieder's question gets the groep end cut to the individueel end; an incoming
    # JW317 that asks for a later end does not fit.
    u.toetsen = [c for c in u.toetsen if c.regel != "einde_groep_uiterlijk"]
    u.toetsen.append(Toets("einde_groep_uiterlijk", t.einddatum.isoformat(),
                           (eind or t.einddatum).isoformat(),
                           eind is not None and eind <= t.einddatum, bron_g))
    u.waarschuwingen = [x for x in u.waarschuwingen if "is ingekort" not in x]
    hoort = (p.get("naar_groep.producten") or {}).get((f.product or "").upper())
    code = (groep.value("Product/Code") or "").upper()
    if hoort:
        u.toetsen.append(Toets("groepsproduct", hoort, code or "?", code == hoort.upper(),
                               bron_g))
    elif f.product:
        u.waarschuwingen.append(f"Product {f.product} staat niet in naar_groep.producten van "
                                f"het profiel: het groepsproduct {code or '?'} is niet getoetst.")
    if not all(c.voldaan for c in u.toetsen):
        u.binnen_richtlijn = False
        u.route = p.route_buiten(verwijzer)
        u.berichten = list(p.get("naar_groep.afwijzing", ["JW317", "JW319"]))
        u.toewijzing = t
        mislukt = ", ".join(c.regel for c in u.toetsen if not c.voldaan)
        u.toelichting = (f"Individueel naar groep buiten de afspraken ({mislukt}): de gemeente "
                         "wijst de JW317 af met een JW319. De toewijzing blijft ongewijzigd.")
    return Onderdeel("naar-groep", f.nummer, u, bronnen, waarden)


def _anders(t: Toewijzing, verwijzer: str, p: Profiel, wat: str) -> Uitkomst:
    """A change the agreements have no limits for: via a JW317 only on the medische route."""
    toegestaan = p.get("wijziging_volume.verwijzers_jw317", ["medisch"])
    bron = str(p.get("wijziging_volume.bron", ""))
    if verwijzer in toegestaan:
        return Uitkomst(p.naam, True, "backoffice", ["JW317", "JW301"], t,
                        [Toets("verwijzer_jw317", "medisch", verwijzer, True, bron)],
                        [f"Niet aan een grens getoetst ({wat}): controleer de "
                         "contractafspraken (product, omvang, duur, stapeling)."],
                        f"Wijziging via JW317 op de medische route ({wat}): de gemeente "
                        "honoreert met een JW301 als het verzoek aan de contractafspraken "
                        "voldoet.")
    route = "gi" if verwijzer == "gi" else p.route_buiten(verwijzer)
    return Uitkomst(p.naam, False, route, ["JW317", "JW319"], t,
                    [Toets("verwijzer_jw317", "medisch", verwijzer, False,
                           str(p.get(f"verwijzer.{verwijzer}.bron", bron)))], [],
                    f"{wat[0].upper()}{wat[1:]} bij verwijzer {verwijzer}: niet via een JW317 "
                    f"maar via route {route}; de gemeente wijst af met een JW319.")


def _nieuw_product(n: bm.Node, eerste: ToewijzingFeiten | None, p: Profiel,
                   peildatum: dt.date | None, gegeven: dict[str, Any], bron: str) -> Onderdeel:
    code = n.value("Product/Code")
    bronnen = {"wijziging": f"{bron}: NieuwProduct"}
    if gegeven.get("verwijzer"):
        verwijzer, bronnen["verwijzer"] = gegeven["verwijzer"], "--verwijzer"
    elif eerste is not None:
        w_eerste, h = _waarden(eerste, p, gegeven)
        verwijzer, bronnen["verwijzer"] = w_eerste["verwijzer"], h["verwijzer"]
    else:
        raise UsageError("verwijzer van de JW317 onbekend: het verzoek noemt geen lopende "
                         "toewijzing; geef --verwijzer toegang, medisch of gi")
    ingang, eind = n.datum("GewensteIngangsdatum"), n.datum("Einddatum")
    volume, eenheid, freq = _omvang(n)
    assert ingang is not None
    omvang = volume if volume is not None else "budget"
    waarden = {"verwijzer": verwijzer, "wijziging": f"{code or '(geen productcode)'} vanaf "
               f"{ingang} t/m {eind or 'geen einddatum'}, {omvang}"}
    t = Toewijzing(ingang, eind or ingang, volume or 0, eenheid or "", freq or "")
    if eind is None or volume is None:
        return Onderdeel("nieuw", None, _anders(t, verwijzer, p, "een nieuw product zonder "
                                                "einddatum of omvang"), bronnen, waarden)
    if eind < ingang:
        raise InvalidInput(f"NieuwProduct {code}: Einddatum {eind} ligt vóór "
                           f"GewensteIngangsdatum {ingang} (CS003)", where=bron)
    u = _anders(t, verwijzer, p, f"nieuw product {code or ''}".strip())
    r = _richtlijn(p, code)
    factor = _UREN_PER_EENHEID.get(t.eenheid)
    if u.binnen_richtlijn and r and factor is not None and t.frequentie == FREQ_TOTAAL:
        duur = doorlooptijd_volgens(p, ingang, eind)
        grens = max_uren_richtlijn(r, duur)
        if grens is not None:
            uren = t.totaal() * factor
            u.toetsen.append(Toets(f"max_uren_{(code or '').upper()}", grens, _getal(uren),
                                   uren <= grens, str(p.get("productrichtlijnen.bron", ""))))
            u.waarschuwingen = []
            if uren > grens:
                u = replace(u, binnen_richtlijn=False, route=p.route_buiten(verwijzer),
                            berichten=["JW317", "JW319"],
                            toelichting=f"Nieuw product {code}: {_getal(uren)} uur is meer "
                            f"dan de richtlijn ({grens} uur); de gemeente wijst af met een JW319.")
            else:
                u.toelichting = (f"Nieuw product {code} binnen de productrichtlijn ({grens} uur "
                                 "voor deze duur): te honoreren met de JW301.")
    return Onderdeel("nieuw", None, u, bronnen, waarden)


def maak_jw317(bsn: str, aanbieder: str, gemeente: str, referentie: str,
               te_wijzigen: list[tuple[str, str, str, int]],
               nieuw: list[tuple[str, str, str, int]] = (),  # type: ignore[assignment]
               eenheid: str = "01", frequentie: str = "6", ident: str = "W1",
               dagtekening: str = "2026-04-01") -> bm.Bericht:
    """A small JW317 for examples and tests: TeWijzigenProducten ``(nummer, gewenste
    ingangsdatum, einddatum, volume)`` and NieuweProducten ``(productcode, …)``."""
    b = bm.new("JW317")
    h = b.root.child("Header") or b.root.add("Header")
    h.set("Afzender", aanbieder)
    h.set("Ontvanger", gemeente)
    h.set("BerichtIdentificatie/Identificatie", ident)
    h.set("BerichtIdentificatie/Dagtekening", dagtekening)
    c = b.root.add("Client")
    c.add("Bsn", bsn)
    v = c.add("Verzoek")
    v.add("ReferentieAanbieder", referentie)
    v.add("RedenVerzoek", "2")
    if te_wijzigen:
        lijst = v.add("TeWijzigenProducten")
        for nummer, ingang, eind, volume in te_wijzigen:
            w = lijst.add("TeWijzigenProduct")
            w.add("ToewijzingNummer", nummer)
            w.add("GewensteIngangsdatum", ingang)
            w.add("Einddatum", eind)
            w.set("Omvang/Volume", str(volume))
            w.set("Omvang/Eenheid", eenheid)
            w.set("Omvang/Frequentie", frequentie)
    if nieuw:
        lijst = v.add("NieuweProducten")
        for code, ingang, eind, volume in nieuw:
            n = lijst.add("NieuwProduct")
            n.set("Product/Categorie", code[:2])
            n.set("Product/Code", code)
            n.add("GewensteIngangsdatum", ingang)
            n.add("Einddatum", eind)
            n.set("Omvang/Volume", str(volume))
            n.set("Omvang/Eenheid", eenheid)
            n.set("Omvang/Frequentie", frequentie)
    return b
