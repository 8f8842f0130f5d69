"""The links the standard makes between one message and others, named, for ``register toon``.

Where the chain (:func:`ijwcli.register.vragen.toon`) lists every message that shares a key,
a link says how they relate, from the indexed lines, parties included:

- a verzoek (JW315, JW317) is ``toegewezen door`` each JW301 that carries its
  ReferentieAanbieder (TR379) and ``beantwoord door`` a JW319; a JW317 ``wijzigt toewijzing``
  each ToewijzingNummer of its TeWijzigenProducten (and names those it leaves ``ongewijzigd``),
  linked to the version of that toewijzing current on its Dagtekening;
- a JW301 ``honoreert verzoek`` the JW315 or JW317 with its ReferentieAanbieder;
- a JW305, JW307 or JW323 line belongs to its ``toewijzing`` (the current JW301);
- a JW323 is ``beantwoord door`` its JW325, each prestatie judged (toegekend, afgewezen with
  RetourCodes, onbeantwoord); a credit ``crediteert`` its debet (VorigReferentieNummer) and a
  debet is ``gecrediteerd door`` its credit, within one aanbieder;
- a JW325 is the ``antwoord op`` its JW323, a JW319 on its verzoek, a retourbericht
  ``retour op`` its heen-bericht.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from ijwcli.register import schema as s
from ijwcli.register.ketens import stukken
from ijwcli.register.toestand import RETOUR_VAN, VERZOEKEN, prestatie_status

B, R = s.bericht, s.regel
_BERICHT = (B.c.id, B.c.code, B.c.identificatie, B.c.dagtekening, B.c.afzender, B.c.ontvanger)


def _link(relatie: str, sleutel: str | None, b: Any, toelichting: str | None = None
          ) -> dict[str, Any]:
    return {"relatie": relatie, "sleutel": sleutel, "id": b.id, "bericht": b.code,
            "identificatie": b.identificatie, "dagtekening": b.dagtekening,
            "toelichting": toelichting}


def _regels(conn: Connection, kolom: Any, waarden: Iterable[str], soorten: Sequence[str]
            ) -> list[Any]:
    """Valid messages' lines whose ``kolom`` is one of ``waarden``, with their message."""
    uit: list[Any] = []
    for deel in stukken(sorted(set(waarden))):
        uit.extend(conn.execute(
            select(R, *[c.label(f"b_{c.name}") for c in _BERICHT])
            .join(B, B.c.id == R.c.bericht_id)
            .where(kolom.in_(deel), R.c.soort.in_(soorten), B.c.geldig.is_(True))
            .order_by(B.c.dagtekening, R.c.moment, B.c.id)))
    return uit


class _Bericht:
    def __init__(self, g: Any) -> None:
        self.id, self.code, self.identificatie = g.b_id, g.b_code, g.b_identificatie
        self.dagtekening, self.afzender, self.ontvanger = g.b_dagtekening, g.b_afzender, \
            g.b_ontvanger


def koppelingen(conn: Connection, r: Any, regels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The named links of message ``r`` (a ``bericht`` row) whose lines are ``regels``;
    prestatie lines of a JW323 get their ``beoordeling`` (status, RetourCodes, JW325)."""
    uit: list[dict[str, Any]] = []
    if r.code in VERZOEKEN:
        uit += _verzoek(conn, r, regels)
    elif r.code == "JW301":
        refs = {g["referentie"] for g in regels if g["soort"] == "toegewezen" and g["referentie"]}
        for g in _regels(conn, R.c.referentie, refs, ("aangevraagd", "tewijzigen", "nieuw")):
            b = _Bericht(g)
            if b.code in VERZOEKEN and b.afzender == r.ontvanger:
                uit.append(_link("honoreert verzoek", g.referentie, b))
        uit = list({x["id"]: x for x in uit}.values())
    elif r.code == "JW319":
        refs = {g["referentie"] for g in regels if g["referentie"]}
        for g in _regels(conn, R.c.referentie, refs, ("aangevraagd", "tewijzigen", "nieuw")):
            b = _Bericht(g)
            if b.code in VERZOEKEN and b.afzender == r.ontvanger:
                uit.append(_link("antwoord op", g.referentie, b))
        uit = list({x["id"]: x for x in uit}.values())
    if r.code in ("JW305", "JW307", "JW323"):
        gemeente = r.ontvanger
        uit += _toewijzingen(conn, gemeente, [g["toewijzingnummer"] for g in regels
                                              if g["toewijzingnummer"]], "toewijzing", None)
    if r.code == "JW323":
        uit += _declaratie(conn, r, regels)
    elif r.code == "JW325":
        heen = conn.execute(select(*_BERICHT).where(
            B.c.identificatie == r.heen_identificatie, B.c.code == "JW323",
            B.c.afzender == r.ontvanger).order_by(B.c.id)).first()
        if heen is not None:
            geweigerd = sum(1 for g in regels if g["retourcodes"])
            uit.append(_link("antwoord op", r.heen_identificatie, heen,
                             f"{geweigerd} prestatie(s) afgewezen" if geweigerd else None))
    elif r.code in RETOUR_VAN.values() and r.code != "JW325":
        heen_code = next(k for k, v in RETOUR_VAN.items() if v == r.code)
        heen = conn.execute(select(*_BERICHT).where(
            B.c.identificatie == r.heen_identificatie, B.c.code == heen_code,
            B.c.afzender == r.afzender).order_by(B.c.id)).first()
        if heen is not None:
            uit.append(_link("retour op", r.heen_identificatie, heen))
    return uit


def _toewijzingen(conn: Connection, gemeente: str | None, nummers: Iterable[str],
                  relatie: str, op: Any) -> list[dict[str, Any]]:
    """Per number the JW301 version current on date ``op`` (``None``: the latest)."""
    versies: dict[str, list[Any]] = {}
    for g in _regels(conn, R.c.toewijzingnummer, nummers, ("toegewezen",)):
        if g.b_code == "JW301" and (gemeente is None or g.b_afzender == gemeente):
            versies.setdefault(g.toewijzingnummer, []).append(g)
    uit = []
    for nummer in dict.fromkeys(nummers):
        rij = versies.get(nummer)
        if not rij:
            continue
        eerder = [g for g in rij if op is None or g.b_dagtekening is None
                  or g.b_dagtekening <= op]
        g = (eerder or rij)[-1]
        uit.append(_link(relatie, nummer, _Bericht(g), f"versie van {g.b_dagtekening}"))
    return uit


def _verzoek(conn: Connection, r: Any, regels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    uit: list[dict[str, Any]] = []
    refs = {g["referentie"] for g in regels if g["referentie"]}
    for g in _regels(conn, R.c.referentie, refs, ("toegewezen", "antwoord")):
        b = _Bericht(g)
        # The answer comes from the party the verzoek went to.
        if b.afzender != r.ontvanger or b.code not in ("JW301", "JW319"):
            continue
        if b.code == "JW301":
            uit.append(_link("toegewezen door", g.referentie, b,
                             f"toewijzing {g.toewijzingnummer}"))
        else:
            uit.append(_link("beantwoord door", g.referentie, b, f"VerzoekAntwoord {g.reden}"))
    if r.code == "JW317":
        for soort, relatie in (("tewijzigen", "wijzigt toewijzing"),
                               ("ongewijzigd", "ongewijzigd")):
            nummers = [g["toewijzingnummer"] for g in regels
                       if g["soort"] == soort and g["toewijzingnummer"]]
            uit += _toewijzingen(conn, r.ontvanger, nummers, relatie, r.dagtekening)
    return uit


def _declaratie(conn: Connection, r: Any, regels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    uit: list[dict[str, Any]] = []
    antwoord = conn.execute(select(*_BERICHT, B.c.oordeel, B.c.retourcodes).where(
        B.c.heen_identificatie == r.identificatie, B.c.code == "JW325",
        B.c.ontvanger == r.afzender, B.c.geldig.is_(True)).order_by(B.c.dagtekening, B.c.id)
    ).all()
    a = antwoord[-1] if antwoord else None
    codes: dict[str, list[str]] = {}
    if a is not None:
        for ref, rc in conn.execute(select(R.c.referentie, R.c.retourcodes).where(
                R.c.bericht_id == a.id)):
            if ref:
                codes[ref] = (rc or "").split()
    telling = {"toegekend": 0, "afgewezen": 0, "onbeantwoord": 0}
    for g in regels:
        if g["soort"] != "prestatie":
            continue
        status, rc = prestatie_status(a.oordeel if a is not None else None,
                                      (a.retourcodes or "").split() if a is not None else None,
                                      codes.get(g["referentie"] or ""))
        g["beoordeling"] = {"status": status, "retourcodes": rc,
                            "antwoord": a.identificatie if a is not None else None}
        telling[status] += 1
    if a is not None:
        uit.append(_link("beantwoord door", r.identificatie, a, ", ".join(
            f"{n} {k}" for k, n in telling.items() if n)))
    # Credits and debets of the same aanbieder, by VorigReferentieNummer.
    op_debet = {g["vorig_referentie"]: g["referentie"] for g in regels
               if g["soort"] == "prestatie" and g["debetcredit"] == "C" and g["vorig_referentie"]}
    for g in _regels(conn, R.c.referentie, op_debet, ("prestatie",)):
        b = _Bericht(g)
        if b.afzender == r.afzender and g.debetcredit != "C":
            uit.append(_link("crediteert", g.referentie, b,
                             f"credit {op_debet[g.referentie]} op debet {g.referentie}"))
    debets = {g["referentie"] for g in regels
              if g["soort"] == "prestatie" and g["debetcredit"] != "C" and g["referentie"]}
    for g in _regels(conn, R.c.vorig_referentie, debets, ("prestatie",)):
        b = _Bericht(g)
        if b.afzender == r.afzender and g.debetcredit == "C":
            uit.append(_link("gecrediteerd door", g.referentie, b,
                             f"credit {g.referentie} op debet {g.vorig_referentie}"))
    return uit
