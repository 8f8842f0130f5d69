"""Outcomes of extension and change requests (verlenging, verkorting, wijziging) under a region's
working agreements.

A :class:`Verzoek` describes the current toewijzing and what the aanbieder asks for;
:func:`bereken` applies the region's :class:`ijwcli.verlenging.profiel.Profiel` and returns an
:class:`Uitkomst`: whether the request is within the guideline, which route it takes, which iJw
messages follow (in order), the resulting toewijzing (unchanged when not approved), every limit
that was tested, warnings and an explanation in Dutch.

Seed example of Hart van Brabant: 100 uur for 12 months, extension of 5 months and 30 uur:

>>> from datetime import date
>>> from ijwcli.verlenging import profiel
>>> t = Toewijzing(date(2026, 1, 1), date(2026, 12, 31), 100, "04", "6")
>>> u = bereken(Verzoek(t, "toegang", nieuwe_einddatum=date(2027, 5, 31), extra_volume=30),
...             profiel.load("hart-van-brabant"))
>>> u.binnen_richtlijn, u.route, u.berichten, u.toewijzing.einddatum, u.toewijzing.volume
(True, 'backoffice', ['JW301'], datetime.date(2027, 5, 31), 130)
>>> [(c.regel, c.waarde, c.grens, c.voldaan) for c in u.toetsen]
[('looptijd_verlenging', 5, 6, True), ('volume_verlenging', 30, 40, True)]

Month arithmetic (relativedelta, end-of-month safe; the rounding choices are in the profiles):

>>> plus_maanden(date(2026, 2, 28), 6), plus_maanden(date(2026, 3, 31), 1)
(datetime.date(2026, 8, 31), datetime.date(2026, 4, 30))
>>> eind = date(2026, 12, 31)
>>> maanden_tot(eind, date(2027, 6, 30)), maanden_tot(eind, date(2027, 7, 1))
(6, 7)
>>> looptijd_maanden(date(2026, 1, 1), date(2026, 12, 31))
12

Library errors: :class:`ijwcli.errors.UsageError` for impossible requests (end before start,
negative volume, unknown code).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from dateutil.relativedelta import relativedelta

from ijwcli.errors import UsageError
from ijwcli.verlenging.profiel import VERWIJZERS, Profiel

EENHEID_ETMAAL = "14"
EENHEID_DAGDEEL = "16"
FREQ_TOTAAL = "6"
_UREN_PER_EENHEID = {"01": Fraction(1, 60), "04": Fraction(1)}


# --------------------------------------------------------------------------- month arithmetic

def laatste_dag(d: dt.date) -> dt.date:
    """The last day of ``d``'s month."""
    return d + relativedelta(day=31)


def plus_maanden(d: dt.date, n: int, einde_maand_volgt: bool = True) -> dt.date:
    """``d`` plus ``n`` calendar months; a month-end date stays on the month end.

    >>> plus_maanden(dt.date(2026, 1, 30), 1), plus_maanden(dt.date(2026, 2, 28), 1, False)
    (datetime.date(2026, 2, 28), datetime.date(2026, 3, 28))
    """
    if einde_maand_volgt and d == laatste_dag(d):
        return laatste_dag(d + relativedelta(months=n))
    return d + relativedelta(months=n)


def maanden_tot(van: dt.date, tot: dt.date, einde_maand_volgt: bool = True,
                begonnen_telt_heel: bool = True) -> int:
    """Months from ``van`` to ``tot``. A started month counts as a whole one (the smallest
    ``n >= 0`` with ``tot <= plus_maanden(van, n)``), or with ``begonnen_telt_heel=False`` only
    whole months count (the largest ``n`` with ``plus_maanden(van, n) <= tot``).

    >>> eind, juli15 = dt.date(2026, 12, 31), dt.date(2027, 7, 15)
    >>> maanden_tot(eind, juli15), maanden_tot(eind, juli15, begonnen_telt_heel=False)
    (7, 6)
    """
    if tot <= van:
        return 0
    n = max(0, (tot.year - van.year) * 12 + tot.month - van.month - 1)
    while n > 0 and plus_maanden(van, n, einde_maand_volgt) >= tot:
        n -= 1
    while plus_maanden(van, n, einde_maand_volgt) < tot:
        n += 1
    if not begonnen_telt_heel and plus_maanden(van, n, einde_maand_volgt) > tot:
        n -= 1
    return n


def einde_na(ingang: dt.date, maanden: int = 0, weken: int = 0) -> dt.date:
    """The last day of a term of ``maanden`` months (or ``weken`` weeks) from ``ingang``."""
    return ingang + relativedelta(months=maanden, weeks=weken) - dt.timedelta(days=1)


def looptijd_maanden(ingang: dt.date, eind: dt.date) -> int:
    """Whole months in the period ``ingang`` .. ``eind`` (both included); leftover days dropped."""
    n = max(0, (eind.year - ingang.year) * 12 + eind.month - ingang.month - 1)
    while n > 0 and einde_na(ingang, n) > eind:
        n -= 1
    while einde_na(ingang, n + 1) <= eind:
        n += 1
    return n


def doorlooptijd_maanden(ingang: dt.date, eind: dt.date) -> int:
    """Months in ``ingang`` .. ``eind``, a started month counting as a whole one."""
    n = looptijd_maanden(ingang, eind)
    return n if einde_na(ingang, n) == eind else n + 1


def periodes(ingang: dt.date, eind: dt.date, frequentie: str) -> Fraction:
    """How many periods of ``frequentie`` fit in ``ingang`` .. ``eind`` (both included), exactly.

    Per maand: whole calendar months plus the leftover days as a fraction of the next month.

    >>> jan = dt.date(2026, 1, 1)
    >>> periodes(jan, dt.date(2026, 12, 31), "4"), periodes(jan, dt.date(2026, 1, 14), "2")
    (Fraction(12, 1), Fraction(2, 1))
    >>> periodes(jan, dt.date(2026, 2, 14), "4")
    Fraction(3, 2)
    """
    if eind < ingang:
        return Fraction(0)
    dagen = (eind - ingang).days + 1
    if frequentie == "1":
        return Fraction(dagen)
    if frequentie == "2":
        return Fraction(dagen, 7)
    if frequentie == "4":
        n = looptijd_maanden(ingang, eind)
        begin = ingang + relativedelta(months=n)
        rest = (eind - begin).days + 1
        if rest <= 0:
            return Fraction(n)
        maand = (ingang + relativedelta(months=n + 1) - begin).days
        return n + Fraction(rest, maand)
    return Fraction(1)


def maanden_volgens(p: Profiel, van: dt.date, tot: dt.date) -> int:
    """:func:`maanden_tot` with the rounding choices of profile ``p`` (``afronding.*``); every
    limit in months (verlenging, verschuiving, terugval) is measured this way."""
    return maanden_tot(van, tot, bool(p.get("afronding.einde_maand_volgt", True)),
                       bool(p.get("afronding.begonnen_maand_telt_heel", True)))


def doorlooptijd_volgens(p: Profiel, ingang: dt.date, eind: dt.date) -> int:
    """The months of ``ingang`` .. ``eind``, a started month counting as whole unless the profile
    says otherwise (``afronding.begonnen_maand_telt_heel = false``: leftover days dropped)."""
    if p.get("afronding.begonnen_maand_telt_heel", True):
        return doorlooptijd_maanden(ingang, eind)
    return looptijd_maanden(ingang, eind)


# --------------------------------------------------------------------------- data

@dataclass(frozen=True)
class Toewijzing:
    """A toewijzing as far as the agreements look at it (eenheid and frequentie as iJw codes)."""

    ingangsdatum: dt.date
    einddatum: dt.date
    volume: int
    eenheid: str
    frequentie: str

    def totaal(self) -> Fraction:
        """The total volume in ``eenheid`` over the whole period."""
        return self.volume * periodes(self.ingangsdatum, self.einddatum, self.frequentie)

    def to_dict(self) -> dict[str, Any]:
        return {"ingangsdatum": self.ingangsdatum.isoformat(),
                "einddatum": self.einddatum.isoformat(), "volume": self.volume,
                "eenheid": self.eenheid, "frequentie": self.frequentie}


@dataclass(frozen=True)
class Verzoek:
    """What the aanbieder asks for on a current toewijzing.

    ``nieuwe_einddatum`` later: verlenging; earlier: verkorting. ``extra_volume`` is in the
    toewijzing's eenheid and frequentie. Region-specific requests: ``termijngroep`` (maximum
    termijn group), ``nieuw_traject`` (start of a new traject, for the overlap rule),
    ``naar_groep`` (minutes moved from individueel to a groep product) and ``hervatting`` (restart
    after a terugval; the toewijzing is then the one that ended).
    """

    toewijzing: Toewijzing
    verwijzer: str
    nieuwe_einddatum: dt.date | None = None
    extra_volume: int = 0
    gewijzigde_resultaten: bool = False
    eerder_verschoven: bool = False
    product: str | None = None
    termijngroep: str | None = None
    peildatum: dt.date | None = None
    nieuw_traject: dt.date | None = None
    zelfde_aanbieder: bool = False
    naar_groep: int | None = None
    hervatting: dt.date | None = None


@dataclass
class Toets:
    """One limit that was tested: ``waarde`` against ``grens`` (inclusive)."""

    regel: str
    grens: Any
    waarde: Any
    voldaan: bool
    bron: str

    def to_dict(self) -> dict[str, Any]:
        return {"regel": self.regel, "grens": self.grens, "waarde": self.waarde,
                "voldaan": self.voldaan, "bron": self.bron}


@dataclass
class Uitkomst:
    regio: str
    binnen_richtlijn: bool
    route: str
    berichten: list[str]
    toewijzing: Toewijzing
    toetsen: list[Toets] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    toelichting: str = ""

    @property
    def exit_code(self) -> int:
        return 0 if self.binnen_richtlijn else 1

    def to_dict(self) -> dict[str, Any]:
        return {"regio": self.regio, "binnen_richtlijn": self.binnen_richtlijn,
                "route": self.route, "berichten": list(self.berichten),
                "toewijzing": self.toewijzing.to_dict(),
                "toetsen": [t.to_dict() for t in self.toetsen],
                "waarschuwingen": list(self.waarschuwingen), "toelichting": self.toelichting}


# --------------------------------------------------------------------------- checks

def code(value: str, lengte: int) -> str:
    """An iJw code as typed by people or Excel: 4 → 04 for eenheid, 06 → 6 for frequentie.

    >>> code("4", 2), code(" 14 ", 2), code("06", 1), code("6", 1), code("x", 2)
    ('04', '14', '6', '6', 'x')
    """
    value = value.strip()
    return str(int(value)).zfill(lengte) if value.isascii() and value.isdigit() else value


def controleer(v: Verzoek) -> None:
    """Raise :class:`UsageError` for a request that cannot be computed at all."""
    from ijwcli.model import codelijsten

    t = v.toewijzing
    lijsten = codelijsten()
    if v.verwijzer not in VERWIJZERS:
        raise UsageError(f"onbekende verwijzer {v.verwijzer!r} (kies uit: {', '.join(VERWIJZERS)})")
    if t.einddatum < t.ingangsdatum:
        raise UsageError(f"einddatum {t.einddatum.isoformat()} ligt vóór ingangsdatum "
                         f"{t.ingangsdatum.isoformat()}")
    if t.volume < 0:
        raise UsageError(f"volume mag niet negatief zijn ({t.volume})")
    if v.extra_volume < 0:
        raise UsageError(f"extra volume mag niet negatief zijn ({v.extra_volume}); minder inzet "
                         "vraagt geen wijziging, de aanbieder declareert wat geleverd is")
    if t.eenheid not in lijsten["LDT_Eenheid"]:
        raise UsageError(f"onbekende eenheid {t.eenheid!r} (iJw-codes: "
                         f"{', '.join(lijsten['LDT_Eenheid'])})")
    if t.frequentie not in lijsten["LDT_Frequentie"]:
        raise UsageError(f"onbekende frequentie {t.frequentie!r} (iJw-codes: "
                         f"{', '.join(lijsten['LDT_Frequentie'])})")
    if v.nieuwe_einddatum is not None and v.nieuwe_einddatum < t.ingangsdatum:
        raise UsageError(f"nieuwe einddatum {v.nieuwe_einddatum.isoformat()} ligt vóór "
                         f"ingangsdatum {t.ingangsdatum.isoformat()}")
    if (v.nieuwe_einddatum is not None and v.nieuwe_einddatum < t.einddatum
            and v.extra_volume):
        raise UsageError("een verkorting (eerdere einddatum) kan niet samen met extra volume")
    if v.naar_groep is not None and not 0 < v.naar_groep <= t.volume:
        raise UsageError(f"naar groep ({v.naar_groep}) moet tussen 1 en het volume "
                         f"({t.volume}) liggen")
    if v.hervatting is not None and v.hervatting <= t.einddatum:
        raise UsageError(f"hervatting {v.hervatting.isoformat()} moet na de einddatum "
                         f"{t.einddatum.isoformat()} van de beëindigde toewijzing liggen")


def _getal(x: Fraction | int) -> int | float:
    x = Fraction(x)
    return int(x) if x.denominator == 1 else round(float(x), 2)


def _d(d: dt.date) -> str:
    return d.isoformat()


def _eenheid(code: str) -> str:
    from ijwcli.model import codelijsten

    return codelijsten()["LDT_Eenheid"].get(code, code).lower()


# --------------------------------------------------------------------------- the computation

def bereken(v: Verzoek, p: Profiel) -> Uitkomst:
    """Apply profile ``p`` to request ``v``."""
    controleer(v)
    if v.hervatting is not None:
        u = _terugval(v, p)
    elif v.naar_groep is not None:
        u = _naar_groep(v, p)
    else:
        t = v.toewijzing
        nieuw = v.nieuwe_einddatum or t.einddatum
        if nieuw < t.einddatum:
            u = _verkorting(v, p)
        elif nieuw == t.einddatum and not v.extra_volume:
            raise UsageError("geen wijziging gevraagd: geef een nieuwe einddatum of extra volume")
        elif p.werkwijze == "verzoek-om-wijziging":
            u = _verzoek_om_wijziging(v, p)
        else:
            u = _backoffice_richtlijn(v, p)
    _beeindigd(v, p, u)
    _maximum_termijn(v, p, u)
    _productduur(v, p, u)
    _overlap(v, p, u)
    return u


def _beeindigd(v: Verzoek, p: Profiel, u: Uitkomst) -> None:
    """A verlenging or wijziging of a toewijzing whose einddatum passed before the peildatum is
    never approved silently: the profile's ``beeindigd.gedrag`` warns or refuses, with its
    source. A verkorting and a hervatting (which is about an ended toewijzing) are left alone."""
    t = v.toewijzing
    if (v.peildatum is None or v.peildatum <= t.einddatum or v.hervatting is not None
            or (v.nieuwe_einddatum is not None and v.nieuwe_einddatum < t.einddatum)):
        return
    gedrag = str(p.get("beeindigd.gedrag", "waarschuwing"))
    bron = str(p.get("beeindigd.bron", ""))
    tekst = (f"De toewijzing is op {_d(v.peildatum)} al beëindigd (einddatum "
             f"{_d(t.einddatum)})")
    if gedrag != "weigering":
        u.waarschuwingen.append(f"{tekst}; controleer of het verzoek nog past"
                                + (f" ({bron})." if bron else "."))
        return
    u.toetsen.insert(0, Toets("einddatum_niet_verstreken", _d(t.einddatum), _d(v.peildatum),
                              False, bron))
    if not u.binnen_richtlijn:
        return
    if p.werkwijze == "verzoek-om-wijziging":
        _afgewezen(v, p, u, "einddatum_verschuiven.afwijzing")
    else:
        u.binnen_richtlijn = False
        u.route = p.route_buiten(v.verwijzer)
        u.berichten = []
        u.toewijzing = t
    u.toelichting = (f"{tekst}: het verzoek past niet in de afspraken ({bron}). "
                     + u.toelichting)


def _uitkomst(v: Verzoek, p: Profiel, **kw: Any) -> Uitkomst:
    kw.setdefault("toewijzing", v.toewijzing)
    return Uitkomst(regio=p.naam, **kw)


def _gevraagd(v: Verzoek) -> Toewijzing:
    t = v.toewijzing
    return replace(t, einddatum=v.nieuwe_einddatum or t.einddatum,
                   volume=t.volume + v.extra_volume)


def _volume_omhoog(v: Verzoek, p: Profiel, u: Uitkomst) -> None:
    tekst = p.get("waarschuwingen.volume_omhoog")
    if tekst and _gevraagd(v).totaal() > v.toewijzing.totaal() and tekst not in u.waarschuwingen:
        u.waarschuwingen.append(tekst)


def _toets_loopt(v: Verzoek, bron: str) -> Toets | None:
    """Volume changes only while the jeugdhulp runs (when a peildatum is known)."""
    if v.peildatum is None or not v.extra_volume:
        return None
    t = v.toewijzing
    loopt = t.ingangsdatum <= v.peildatum <= t.einddatum
    # An ISO 8601 interval, as every date in the JSON; the text report reads "t/m".
    return Toets("jeugdhulp_loopt", f"{_d(t.ingangsdatum)}/{_d(t.einddatum)}",
                 _d(v.peildatum), loopt, bron)


def _toets_looptijd(v: Verzoek, p: Profiel) -> Toets:
    t = v.toewijzing
    grens = int(p.get("richtlijn.max_verlenging_maanden"))
    maanden = maanden_volgens(p, t.einddatum, v.nieuwe_einddatum or t.einddatum)
    return Toets("looptijd_verlenging", grens, maanden, maanden <= grens,
                 str(p.get("richtlijn.bron_looptijd", "")))


def _toets_volume(v: Verzoek, p: Profiel) -> Toets:
    t = v.toewijzing
    pct = Fraction(str(p.get("richtlijn.max_extra_volume_procent")))
    oud = t.totaal()
    extra = _gevraagd(v).totaal() - oud
    grens = oud * pct / 100
    return Toets("volume_verlenging", _getal(grens), _getal(extra), extra <= grens,
                 str(p.get("richtlijn.bron_volume", "")))


def _backoffice_richtlijn(v: Verzoek, p: Profiel) -> Uitkomst:
    """Hart van Brabant: the backoffice tests a verlenging against limits in time and volume."""
    t = v.toewijzing
    nieuw = v.nieuwe_einddatum or t.einddatum
    bron_v = str(p.get(f"verwijzer.{v.verwijzer}.bron", ""))
    gewenst = _gevraagd(v)
    route_res = p.get(f"verwijzer.{v.verwijzer}.route_gewijzigde_resultaten")
    if v.gewijzigde_resultaten and route_res:
        u = _uitkomst(v, p, binnen_richtlijn=False, route=str(route_res), berichten=[],
                      toelichting="Gewijzigde of nieuwe resultaten: de aanbieder verwijst naar de "
                      "toegang en levert een FOA aan; de backoffice wijzigt niets.")
        _volume_omhoog(v, p, u)
        return u
    u = _uitkomst(v, p, binnen_richtlijn=True, route="backoffice", berichten=["JW301"])
    if v.gewijzigde_resultaten:
        u.waarschuwingen.append(f"Gewijzigde resultaten spelen bij verwijzer {v.verwijzer} "
                                "geen rol in deze afspraken; genegeerd.")
    if v.eerder_verschoven:
        u.waarschuwingen.append("Eerder verschoven speelt in deze regio geen rol; genegeerd.")
    if not v.extra_volume:
        # Only a later einddatum: allowed during and after the looptijd, no guideline test.
        u.toewijzing = gewenst
        u.toelichting = (f"Alleen de einddatum wordt verlengd ({_d(t.einddatum)} → {_d(nieuw)}): "
                         "de backoffice past de toewijzing aan en stuurt een nieuwe JW301.")
        if v.verwijzer == "gi":
            u.toelichting += " Alleen na akkoord van de GI."
        _volume_omhoog(v, p, u)
        return u
    loopt = _toets_loopt(v, str(p.get("richtlijn.bron_loopt", bron_v)))
    if loopt:
        u.toetsen.append(loopt)
    if p.get(f"verwijzer.{v.verwijzer}.toets", True):
        if nieuw > t.einddatum:
            u.toetsen.append(_toets_looptijd(v, p))
        u.toetsen.append(_toets_volume(v, p))
    _volume_omhoog(v, p, u)
    if all(c.voldaan for c in u.toetsen):
        u.toewijzing = gewenst
        u.toelichting = (f"Binnen de regionale richtlijn: de backoffice past de toewijzing aan "
                         f"(einddatum {_d(gewenst.einddatum)}, volume {gewenst.volume} "
                         f"{_eenheid(t.eenheid)}) en stuurt een nieuwe JW301.")
        if v.verwijzer == "gi":
            u.toelichting = ("Verwijzer GI: geen toets aan de richtlijn; na akkoord van de GI past "
                             f"de backoffice de toewijzing aan (einddatum {_d(gewenst.einddatum)}, "
                             f"volume {gewenst.volume}) en stuurt een nieuwe JW301.")
        return u
    u.binnen_richtlijn = False
    u.route = p.route_buiten(v.verwijzer)
    u.berichten = []
    wie = {"toegang": "de lokale toegang pakt de casus op (eventueel een verkorte route)",
           "toetser-medisch-domein": "de toetser medisch domein beoordeelt de casus",
           "gi": "de GI beoordeelt de casus"}.get(u.route, f"route {u.route}")
    u.toelichting = ("Buiten de regionale richtlijn: de backoffice mailt de aanbieder dat de "
                     f"richtlijn wordt overschreden en {wie}. De toewijzing blijft ongewijzigd.")
    return u


def _verkorting(v: Verzoek, p: Profiel) -> Uitkomst:
    t = v.toewijzing
    nieuw = v.nieuwe_einddatum or t.einddatum
    berichten = list(p.get("verkorting.berichten", ["JW307", "JW301"]))
    bron = str(p.get("verkorting.bron", ""))
    u = _uitkomst(v, p, binnen_richtlijn=True, route="backoffice", berichten=berichten)
    volume = t.volume
    if p.get("verkorting.aftoppen", False) and t.frequentie == FREQ_TOTAAL and t.eenheid in (
            EENHEID_ETMAAL, EENHEID_DAGDEEL):
        dagen = (nieuw - t.ingangsdatum).days + 1
        per_dag = 1 if t.eenheid == EENHEID_ETMAAL else int(p.get("afronding.dagdelen_per_dag", 3))
        maximum = dagen * per_dag
        u.toetsen.append(Toets("maximaal_volume_na_verkorting", maximum, t.volume,
                               t.volume <= maximum, bron))
        volume = min(t.volume, maximum)
    u.toewijzing = replace(t, einddatum=nieuw, volume=volume)
    u.toelichting = (f"Verkorting ({_d(t.einddatum)} → {_d(nieuw)}): de aanbieder stuurt een "
                     "JW307 (stop zorg); de gemeente stuurt een nieuwe JW301 met de aangepaste "
                     "einddatum (reden wijziging 05, verkorting).")
    if volume < t.volume:
        u.toelichting += (f" Het volume gaat van {t.volume} naar {volume} "
                          f"{_eenheid(t.eenheid)}, het maximum in de kortere periode.")
    return u


def _max_verschuiving(t: Toewijzing, p: Profiel) -> int:
    pct = Fraction(str(p.get("einddatum_verschuiven.max_procent")))
    helft = looptijd_maanden(t.ingangsdatum, t.einddatum) * pct / 100
    omhoog = p.get("afronding.halve_periode") == "omhoog"
    afgerond = math.ceil(helft) if omhoog else math.floor(helft)
    return min(afgerond, int(p.get("einddatum_verschuiven.max_maanden")))


def _toets_verschuiving(v: Verzoek, p: Profiel) -> Toets:
    t = v.toewijzing
    grens = _max_verschuiving(t, p)
    maanden = maanden_volgens(p, t.einddatum, v.nieuwe_einddatum or t.einddatum)
    return Toets("verschuiving_einddatum", grens, maanden, maanden <= grens,
                 str(p.get("einddatum_verschuiven.bron", "")))


def _richtlijn(p: Profiel, product: str | None) -> dict[str, Any] | None:
    if not product:
        return None
    r = p.get(f"productrichtlijnen.producten.{product.upper()}")
    return r if isinstance(r, dict) else None


def max_uren_richtlijn(r: dict[str, Any], duur: int) -> int | None:
    """The most hours product richtlijn ``r`` allows for a toewijzing of ``duur`` months.

    The hours of a category or variant belong to its duration (Diagnostiek: 30 uur for 6
    months, 60 uur for 12), so only the options of the shortest duration that still covers
    ``duur`` count; the highest of those (category B) is the limit. Longer than every option:
    all options count, and the product duration warning says the rest.

    >>> diag = {"varianten": [{"max_uren": 30, "duur_maanden": 6},
    ...                       {"max_uren": 60, "duur_maanden": 12}]}
    >>> max_uren_richtlijn(diag, 6), max_uren_richtlijn(diag, 7), max_uren_richtlijn(diag, 13)
    (30, 60, 60)
    """
    opties = [o for o in list((r.get("categorieen") or {}).values())
              + list(r.get("varianten") or []) if isinstance(o, dict) and "max_uren" in o]
    dekkend = [o for o in opties if int(o.get("duur_maanden", duur)) >= duur]
    if dekkend:
        kortste = min(int(o.get("duur_maanden", duur)) for o in dekkend)
        opties = [o for o in dekkend if int(o.get("duur_maanden", duur)) == kortste]
    return max((int(o["max_uren"]) for o in opties), default=None)


def _verzoek_om_wijziging(v: Verzoek, p: Profiel) -> Uitkomst:
    """Flevoland: changes via a JW317 (verzoek om wijziging), honoured by JW301 or refused by
    JW319; a toewijzing from a GI changes only through a new bepaling."""
    t = v.toewijzing
    gewenst = _gevraagd(v)
    bron_gi = str(p.get("einddatum_verschuiven.bron_gi", ""))
    if v.verwijzer == "gi":
        u = _uitkomst(v, p, binnen_richtlijn=False, route="gi", berichten=[],
                      toelichting="De toewijzing komt van een GI: geen JW317; de aanbieder vraagt "
                      "de GI om een nieuwe bepaling, waarna de gemeente de toewijzing wijzigt.")
        u.toetsen.append(Toets("verwijzer_jw317", "niet gi", "gi", False, bron_gi))
        return u
    if v.gewijzigde_resultaten:
        u_w = "Gewijzigde resultaten spelen in deze afspraken geen aparte rol; genegeerd."
    else:
        u_w = ""
    if not v.extra_volume:
        u = _uitkomst(v, p, binnen_richtlijn=True, route="backoffice",
                      berichten=list(p.get("einddatum_verschuiven.berichten", ["JW317", "JW301"])))
        if p.get("einddatum_verschuiven.eenmalig", True):
            u.toetsen.append(Toets("eenmalig_verschuiven", "1 keer",
                                   "2e keer" if v.eerder_verschoven else "1e keer",
                                   not v.eerder_verschoven,
                                   str(p.get("einddatum_verschuiven.bron", ""))))
        u.toetsen.append(_toets_verschuiving(v, p))
        typ = p.get("einddatum_verschuiven.type_verwijzer", "06")
        if all(c.voldaan for c in u.toetsen):
            u.toewijzing = gewenst
            u.toelichting = (f"Einddatum verschuiven zonder extra volume ({_d(t.einddatum)} → "
                             f"{_d(gewenst.einddatum)}): de aanbieder stuurt eenmalig een JW317 "
                             f"(type verwijzer {typ}); de gemeente honoreert met een nieuwe JW301.")
        else:
            _afgewezen(v, p, u, "einddatum_verschuiven.afwijzing")
            if v.eerder_verschoven:
                u.berichten = []
                u.toelichting = ("De einddatum is al eens verschoven: een tweede JW317 kan niet. "
                                 + u.toelichting)
    else:
        if v.verwijzer not in p.get("wijziging_volume.verwijzers_jw317", ["medisch"]):
            u = _uitkomst(v, p, binnen_richtlijn=False, route=p.route_buiten(v.verwijzer),
                          berichten=[],
                          toelichting="Meer volume bij verwijzer toegang: de wijziging loopt via "
                          "de lokale toegang (procesregie), niet via een JW317. De toewijzing "
                          "blijft ongewijzigd.")
            u.toetsen.append(Toets("verwijzer_jw317", "medisch", v.verwijzer, False,
                                   str(p.get(f"verwijzer.{v.verwijzer}.bron", ""))))
        else:
            u = _uitkomst(v, p, binnen_richtlijn=True, route="backoffice",
                          berichten=list(p.get("wijziging_volume.berichten", ["JW317", "JW301"])))
            loopt = _toets_loopt(v, str(p.get("wijziging_volume.bron", "")))
            if loopt:
                u.toetsen.append(loopt)
            if gewenst.einddatum > t.einddatum:
                u.toetsen.append(_toets_verschuiving(v, p))
            r = _richtlijn(p, v.product)
            duur = doorlooptijd_volgens(p, gewenst.ingangsdatum, gewenst.einddatum)
            max_uren = max_uren_richtlijn(r, duur) if r else None
            factor = _UREN_PER_EENHEID.get(t.eenheid)
            if max_uren is not None and factor is not None:
                uren = gewenst.totaal() * factor
                u.toetsen.append(Toets(f"max_uren_{v.product.upper()}", max_uren, _getal(uren),
                                       uren <= max_uren,
                                       str(p.get("productrichtlijnen.bron", ""))))
            else:
                u.waarschuwingen.append(
                    "Geen productrichtlijn getoetst (geef --product met een code uit het "
                    "profiel en eenheid minuut of uur).")
            if all(c.voldaan for c in u.toetsen):
                u.toewijzing = gewenst
                u.toelichting = (f"Wijziging via JW317 (medische route): de gemeente honoreert "
                                 f"met een nieuwe JW301 (einddatum {_d(gewenst.einddatum)}, volume "
                                 f"{gewenst.volume} {_eenheid(t.eenheid)}).")
            else:
                _afgewezen(v, p, u, "wijziging_volume.afwijzing")
    if u_w:
        u.waarschuwingen.append(u_w)
    return u


def _afgewezen(v: Verzoek, p: Profiel, u: Uitkomst, afwijzing_key: str) -> None:
    u.binnen_richtlijn = False
    u.route = p.route_buiten(v.verwijzer)
    u.berichten = list(p.get(afwijzing_key, ["JW317", "JW319"]))
    u.toewijzing = v.toewijzing
    mislukt = ", ".join(c.regel for c in u.toetsen if not c.voldaan)
    u.toelichting = (f"Buiten de afspraken ({mislukt}): de gemeente wijst de JW317 af met een "
                     "JW319; de aanbieder zoekt contact met de procesregisseur (toegang), bij "
                     "de medische route zo nodig via een nieuwe verwijzing en JW315. De "
                     "toewijzing blijft ongewijzigd.")


def _naar_groep(v: Verzoek, p: Profiel) -> Uitkomst:
    """Individueel → groep: the individueel volume drops by what the groep product gets."""
    t = v.toewijzing
    if not p.has("naar_groep"):
        raise UsageError(f"profiel {p.naam} kent geen overgang van individueel naar groep")
    if t.frequentie != FREQ_TOTAAL:
        raise UsageError("naar groep kan alleen bij frequentie 6 (totaal binnen geldigheidsduur)")
    n = int(v.naar_groep or 0)
    bron = str(p.get("naar_groep.bron", ""))
    if v.verwijzer not in p.get("naar_groep.verwijzers", ["medisch"]):
        u = _uitkomst(v, p, binnen_richtlijn=False, route=p.route_buiten(v.verwijzer),
                      berichten=[], toelichting="Een groepsproduct naast individueel vraagt bij "
                      "deze verwijzer geen JW317 maar de route van de verwijzer. De toewijzing "
                      "blijft ongewijzigd.")
        u.toetsen.append(Toets("verwijzer_jw317", "medisch", v.verwijzer, False, bron))
        return u
    eind = min(v.nieuwe_einddatum or t.einddatum, t.einddatum)
    individueel = replace(t, volume=t.volume - n)
    u = _uitkomst(v, p, binnen_richtlijn=True, route="backoffice",
                  berichten=list(p.get("naar_groep.berichten", ["JW317", "JW301"])),
                  toewijzing=individueel)
    u.toetsen.append(Toets("totaal_gelijk", t.volume, individueel.volume + n,
                           individueel.volume + n == t.volume, bron))
    u.toetsen.append(Toets("einde_groep_uiterlijk", _d(t.einddatum), _d(eind),
                           eind <= t.einddatum, bron))
    if v.nieuwe_einddatum and v.nieuwe_einddatum > t.einddatum:
        u.waarschuwingen.append(f"Het groepsproduct loopt uiterlijk tot {_d(t.einddatum)}, de "
                                "einddatum van het individuele product; de gevraagde latere "
                                "einddatum is ingekort.")
    u.toelichting = (f"Individueel naar groep via één JW317: individueel van {t.volume} naar "
                     f"{individueel.volume} {_eenheid(t.eenheid)}, nieuw groepsproduct {n} "
                     f"{_eenheid(t.eenheid)} van {_d(t.ingangsdatum)} t/m {_d(eind)}; het totaal "
                     f"blijft {t.volume}. De gemeente honoreert met één JW301.")
    return u


def _terugval(v: Verzoek, p: Profiel) -> Uitkomst:
    """Restart within N months of the end: a fixed toewijzing via JW315 → JW301."""
    t = v.toewijzing
    h = v.hervatting
    assert h is not None
    if not p.has("terugval"):
        raise UsageError(f"profiel {p.naam} kent geen afspraak over terugval")
    bron = str(p.get("terugval.bron", ""))
    if v.verwijzer == "gi":
        u = _uitkomst(v, p, binnen_richtlijn=False, route="gi", berichten=[],
                      toelichting="Een GI is nog betrokken: de aanbieder vraagt de GI om een "
                      "nieuwe bepaling.")
        u.toetsen.append(Toets("verwijzer_niet_gi", "niet gi", "gi", False, bron))
        return u
    grens = int(p.get("terugval.binnen_maanden"))
    maanden = maanden_volgens(p, t.einddatum, h)
    toets = Toets("terugval_binnen_maanden", grens, maanden, maanden <= grens, bron)
    if not toets.voldaan:
        return _uitkomst(v, p, binnen_richtlijn=False, route=str(p.get("terugval.route_buiten",
                                                                      "toegang")),
                         berichten=[], toetsen=[toets],
                         toelichting=f"Hervatting {_d(h)} ligt meer dan {grens} maanden na het "
                         "einde van de hulp: geen terugvalregeling; de aanbieder zoekt contact "
                         "met de procesregisseur.")
    nieuw = Toewijzing(h, einde_na(h, int(p.get("terugval.maanden"))),
                       int(p.get("terugval.volume")), str(p.get("terugval.eenheid")),
                       str(p.get("terugval.frequentie")))
    return _uitkomst(v, p, binnen_richtlijn=True, route="backoffice",
                     berichten=list(p.get("terugval.berichten", ["JW315", "JW301"])),
                     toewijzing=nieuw, toetsen=[toets],
                     toelichting=f"Terugval binnen {grens} maanden: de aanbieder vraagt met een "
                     f"JW315 om toewijzing; de gemeente wijst {nieuw.volume} "
                     f"{_eenheid(nieuw.eenheid)} toe van {_d(nieuw.ingangsdatum)} t/m "
                     f"{_d(nieuw.einddatum)} (JW301).")


# --------------------------------------------------------------------------- warnings

def termijngroep(p: Profiel, groep: str | None, product: str | None) -> tuple[str, dict] | None:
    """The maximum-termijn group named ``groep``, or the one listing ``product`` (or, for an
    arrangement code ending in its intensity letter, e.g. ``…H``, nothing: name it)."""
    groepen: dict[str, Any] = p.get("maximum_termijnen.groepen") or {}
    if groep:
        if groep not in groepen:
            raise UsageError(f"onbekende termijngroep {groep!r} in profiel {p.naam} (kies uit: "
                             f"{', '.join(groepen)})")
        return groep, groepen[groep]
    if product:
        for naam, g in groepen.items():
            if product.upper() in [str(c).upper() for c in g.get("producten", [])]:
                return naam, g
    return None


def _maximum_termijn(v: Verzoek, p: Profiel, u: Uitkomst) -> None:
    gevonden = termijngroep(p, v.termijngroep, v.product)
    if gevonden is None:
        return
    naam, g = gevonden
    t = v.toewijzing
    eind = (v.nieuwe_einddatum or t.einddatum) if v.hervatting is None else u.toewijzing.einddatum
    ingang = t.ingangsdatum if v.hervatting is None else u.toewijzing.ingangsdatum
    maanden, weken = int(g.get("maanden", 0)), int(g.get("weken", 0))
    grens = einde_na(ingang, maanden, weken)
    duur = f"{maanden} maanden" if maanden else f"{weken} weken"
    oms = g.get("omschrijving", naam)
    if eind > grens:
        ext_m, ext_w = int(g.get("verlenging_maanden", 0)), int(g.get("verlenging_weken", 0))
        if (ext_m or ext_w) and eind <= einde_na(ingang, maanden + ext_m, weken + ext_w):
            extra = f"{ext_m} maanden" if ext_m else f"{ext_w} weken"
            u.waarschuwingen.append(f"Maximale termijn {oms}: {duur} (t/m {_d(grens)}); de "
                                    f"nieuwe einddatum {_d(eind)} valt in de eventuele "
                                    f"verlenging van {extra}.")
        else:
            u.waarschuwingen.append(f"Maximale termijn {oms}: {duur} (t/m {_d(grens)}); de nieuwe "
                                    f"einddatum {_d(eind)} ligt daarna. Langer alleen bij hoge "
                                    "uitzondering met advies.")
    tabel = g.get("stuks_per_doorlooptijd")
    if tabel:
        door = doorlooptijd_volgens(p, ingang, eind)
        stuks = next((int(s) for tm, s in tabel if door <= int(tm)), None)
        volume = u.toewijzing.volume if u.binnen_richtlijn else t.volume + v.extra_volume
        if stuks is not None and volume != stuks:
            u.waarschuwingen.append(f"{oms}: een doorlooptijd van {door} maanden hoort bij "
                                    f"{stuks} stuks, de toewijzing heeft er {volume}.")


def _productduur(v: Verzoek, p: Profiel, u: Uitkomst) -> None:
    r = _richtlijn(p, v.product)
    if not r or "duur_maanden" not in r or not u.binnen_richtlijn:
        return
    t = u.toewijzing
    duur = doorlooptijd_volgens(p, t.ingangsdatum, t.einddatum)
    if duur > int(r["duur_maanden"]) and not (r.get("verlengen_zonder_extra_uren")
                                              and not v.extra_volume):
        u.waarschuwingen.append(f"{r.get('naam', v.product)}: de richtlijn noemt een duur van "
                                f"{r['duur_maanden']} maanden, de toewijzing loopt {duur} maanden; "
                                "stem een vervolg af met de verwijzer.")


def overlap_toets(lopend_einddatum: dt.date, nieuw_ingangsdatum: dt.date, andere_aanbieder: bool,
                  p: Profiel) -> Toets:
    """May a running traject end on ``lopend_einddatum`` when a new one starts on
    ``nieuw_ingangsdatum``? Only at another aanbieder and at most N months after that start.

    >>> from ijwcli.verlenging import profiel
    >>> hvb = profiel.load("hart-van-brabant")
    >>> overlap_toets(dt.date(2026, 5, 1), dt.date(2026, 3, 1), True, hvb).voldaan
    True
    >>> overlap_toets(dt.date(2026, 5, 2), dt.date(2026, 3, 1), True, hvb).voldaan
    False
    """
    if not p.has("overlap"):
        raise UsageError(f"profiel {p.naam} kent geen overlapregel")
    n = int(p.get("overlap.max_maanden"))
    grens = nieuw_ingangsdatum + relativedelta(months=n)
    ok = lopend_einddatum <= grens
    if p.get("overlap.alleen_andere_aanbieder", True) and not andere_aanbieder:
        ok = lopend_einddatum < nieuw_ingangsdatum
    return Toets("overlap_trajecten", _d(grens) if andere_aanbieder else "geen overlap",
                 _d(lopend_einddatum), ok, str(p.get("overlap.bron", "")))


def _overlap(v: Verzoek, p: Profiel, u: Uitkomst) -> None:
    if v.nieuw_traject is None:
        return
    toets = overlap_toets(u.toewijzing.einddatum, v.nieuw_traject, not v.zelfde_aanbieder, p)
    u.toetsen.append(toets)
    if not toets.voldaan:
        if v.zelfde_aanbieder:
            u.waarschuwingen.append("Het nieuwe traject loopt bij dezelfde aanbieder: geen "
                                    "overlap toegestaan; voeg de hulp samen in één arrangement.")
        else:
            u.waarschuwingen.append(f"Het lopende traject eindigt {_d(u.toewijzing.einddatum)}, "
                                    f"meer dan {p.get('overlap.max_maanden')} maanden na de start "
                                    f"van het nieuwe traject ({_d(v.nieuw_traject)}).")

