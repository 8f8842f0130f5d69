"""Declared against toegewezen: each prestatie with its answer, credits netted against debets.

From the register's lines (``regel`` rows joined with their message), never from XML:

- a prestatie's standing follows from the JW325 on its JW323 (same DeclaratieIdentificatie,
  sent to the JW323's sender): ``toegekend``, ``afgewezen`` (listed in the JW325 with a
  refusing RetourCode, or the declaratie refused as a whole) or ``onbeantwoord`` (no JW325
  yet), with the RetourCodes that say why (:func:`~ijwcli.register.toestand.prestatie_status`);
- a credit (DebetCredit C) is linked to its debet by VorigReferentieNummer = the debet's
  ReferentieNummer, both of one aanbieder (TR314): the credit's volume and amount are netted
  in the debet's period, and the debet shows which credit cancelled it; a credit whose
  debet the register does not hold is reported (RetourCode 8017);
- per toewijzing and per month: declared (ingediend, net of credits), approved (toegekend)
  and refused (afgewezen) volume and amount; the volume in the toewijzing's unit (minutes and
  hours convert), held against what the Omvang allows in that month for a Frequentie per
  dag, week or maand, and over the whole toewijzing for Frequentie 6 (or a per-period
  frequentie with an Einddatum); what counts against the Omvang or the Budget is what was
  declared and not refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ijwcli.register.toestand import (
    in_eenheid,
    periode,
    prestatie_status,
    toegestaan_in_periode,
    toegestaan_volume,
)


@dataclass
class Prestatie:
    """One declared prestatie with its standing (see the module docstring)."""

    regel: Any
    aanbieder: str | None
    periode: str
    status: str = "onbeantwoord"
    retourcodes: list[str] = field(default_factory=list)
    antwoord: str | None = None               # the JW325's Identificatie
    crediteert: str | None = None             # the debet's ReferentieNummer (a credit)
    gecrediteerd_door: list[str] = field(default_factory=list)   # credits not refused

    @property
    def debet(self) -> bool:
        return self.regel.debetcredit != "C"

    @property
    def referentie(self) -> str | None:
        return self.regel.referentie

    def to_dict(self) -> dict[str, Any]:
        g = self.regel
        return {"referentie": g.referentie, "vorig_referentie": g.vorig_referentie,
                "declaratie": g.identificatie, "declaratie_id": g.bericht_id,
                "periode": self.periode, "begindatum": g.begindatum, "einddatum": g.einddatum,
                "volume": g.volume, "eenheid": g.eenheid, "bedrag": g.bedrag,
                "debetcredit": g.debetcredit or "D", "status": self.status,
                "retourcodes": self.retourcodes, "antwoord": self.antwoord,
                "crediteert": self.crediteert, "gecrediteerd_door": self.gecrediteerd_door}


def beoordeel(prestaties: Iterable[Any], antwoorden: Iterable[Any],
              afwijzingen: Iterable[Any]) -> tuple[list[Prestatie], list[str]]:
    """Each prestatie line with its standing, and remarks (credits without a known debet).

    ``prestaties``: lines of soort ``prestatie`` with their JW323 (``identificatie``,
    ``afzender``, ``bericht_id``); ``antwoorden``: valid JW325 message rows (``id``,
    ``identificatie``, ``ontvanger``, ``heen_identificatie``, ``oordeel``, ``retourcodes``),
    oldest first, the latest per declaratie wins; ``afwijzingen``: the JW325s' lines
    (``bericht_id``, ``referentie``, ``retourcodes``).
    """
    per_decl: dict[tuple[Any, Any], Any] = {}
    for a in antwoorden:
        per_decl[(a.ontvanger, a.heen_identificatie)] = a
    codes: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for g in afwijzingen:
        if g.referentie:
            codes[g.bericht_id][g.referentie] = (g.retourcodes or "").split()
    uit: list[Prestatie] = []
    for g in prestaties:
        p = Prestatie(g, g.afzender, periode(g.begindatum))
        a = per_decl.get((g.afzender, g.identificatie))
        if a is not None:
            p.antwoord = a.identificatie
            p.status, p.retourcodes = prestatie_status(
                a.oordeel, (a.retourcodes or "").split(), codes[a.id].get(g.referentie or ""))
        uit.append(p)
    # Credits to their debets: ReferentieNummer is unique per aanbieder (TR314).
    debets = {}
    for p in uit:
        if p.debet and p.referentie:
            debets.setdefault((p.aanbieder, p.referentie), p)
    meldingen = []
    for p in uit:
        vorig = p.regel.vorig_referentie
        if p.debet or not vorig:
            continue
        d = debets.get((p.aanbieder, vorig))
        if d is None:
            meldingen.append(f"credit {p.referentie} ({p.regel.identificatie}) crediteert "
                             f"{vorig}, maar die debet staat niet in het register (8017)")
            continue
        p.crediteert, p.periode = vorig, d.periode
        if p.status != "afgewezen":
            d.gecrediteerd_door.append(p.referentie or "?")
    return uit, meldingen


def _nul() -> dict[str, Any]:
    return {"volume": 0, "bedrag": 0, "toegekend_volume": 0, "toegekend_bedrag": 0,
            "afgewezen_volume": 0, "afgewezen_bedrag": 0}


def _netjes(v: float) -> int | float:
    return int(v) if v == int(v) else round(v, 4)


def saldo(nu: Any, prestaties: list[Prestatie]) -> tuple[dict[str, Any], list[str]]:
    """The declared-against-toegewezen figures of one toewijzing (current version ``nu``)
    from its prestaties, and remarks for what is still open."""
    per: dict[str, dict[str, Any]] = defaultdict(_nul)
    meldingen: list[str] = []
    for p in prestaties:
        g = p.regel
        teken = 1 if p.debet else -1
        volume = in_eenheid(g.volume or 0, g.eenheid, nu.eenheid)
        if volume is None:
            meldingen.append(f"prestatie {g.referentie} ({g.identificatie}): Eenheid "
                             f"{g.eenheid} past niet bij Eenheid {nu.eenheid} van de "
                             "toewijzing (TR341); niet meegeteld in het volume")
            volume = 0
        rij = per[p.periode]
        rij["volume"] += teken * volume
        rij["bedrag"] += g.bedrag or 0
        if p.status in ("toegekend", "afgewezen"):
            rij[f"{p.status}_volume"] += teken * volume
            rij[f"{p.status}_bedrag"] += g.bedrag or 0
    ingetrokken = nu.reden == "13"
    gedeclareerd, boven = [], []
    for k in sorted(per):
        rij = {key: _netjes(v) for key, v in per[k].items()}
        mag = 0 if ingetrokken else toegestaan_in_periode(
            nu.volume, nu.frequentie, k, nu.begindatum, nu.einddatum)
        rij["toegestaan_volume"] = mag
        if mag is not None and rij["volume"] - rij["afgewezen_volume"] > mag:
            boven.append(k)
        gedeclareerd.append({"periode": k, **rij})

    def som(key: str) -> int | float:
        return _netjes(sum(r[key] for r in gedeclareerd))

    # Over the whole toewijzing: a total (Frequentie 6), or a per-period omvang over a
    # closed validity (TR322 holds the sum the same way).
    totaal = None
    if not ingetrokken and nu.volume is not None and (
            nu.frequentie == "6" or nu.einddatum is not None):
        totaal = toegestaan_volume(nu.volume, nu.frequentie, nu.begindatum,
                                   nu.einddatum or nu.begindatum)
    telt_volume = som("volume") - som("afgewezen_volume")
    telt_bedrag = som("bedrag") - som("afgewezen_bedrag")
    return {
        "gedeclareerd": gedeclareerd,
        "prestaties": [p.to_dict() for p in prestaties],
        "gedeclareerd_volume": som("volume"), "gedeclareerd_bedrag": som("bedrag"),
        "toegekend_volume": som("toegekend_volume"), "toegekend_bedrag": som("toegekend_bedrag"),
        "afgewezen_volume": som("afgewezen_volume"), "afgewezen_bedrag": som("afgewezen_bedrag"),
        "toegestaan_volume": totaal,
        "resterend_volume": _netjes(totaal - telt_volume) if totaal is not None else None,
        "resterend_budget": nu.budget - telt_bedrag if nu.budget is not None else None,
        "boven_omvang": boven,
    }, meldingen
