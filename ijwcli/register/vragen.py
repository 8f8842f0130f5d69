"""Queries: the berichtenoverzicht, one client's timeline, one message with its chain, counts.

Each answer is plain data (dicts and lists, dates as :class:`datetime.date`), ready for the
CLI to render as text or JSON. All lookups go through indexes (``sleutel``, ``regel``,
``bericht.heen_identificatie``), so their cost follows the size of the answer, not of the
register.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, or_, select

from ijwcli.errors import UsageError
from ijwcli.register import schema as s
from ijwcli.register.ketens import ids_met_sleutels, stukken
from ijwcli.register.koppelingen import koppelingen
from ijwcli.register.toestand import RETOUR_VAN, VERZOEKEN, status_van, verzoek_status

B = s.bericht
_LIJST = (B.c.id, B.c.code, B.c.identificatie, B.c.afzender, B.c.ontvanger, B.c.dagtekening,
          B.c.richting, B.c.geldig, B.c.heen_identificatie, B.c.oordeel, B.c.bron,
          B.c.retourcodes)


@dataclass
class Filter:
    """The filters of ``register list`` and ``register export``; all optional."""

    bsn: str | None = None
    bericht: str | None = None
    status: str | None = None
    van: dt.date | None = None
    tot: dt.date | None = None
    gemeente: str | None = None
    aanbieder: str | None = None
    limit: int | None = None


def _bsns(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    uit: dict[int, list[str]] = defaultdict(list)
    for deel in stukken(ids):
        # By bericht_id alone (the primary key's first column): with soort = 'bsn' in the
        # WHERE, SQLite walks the (soort, waarde) index through every BSN in the register.
        for bid, soort, w in conn.execute(select(
                s.sleutel.c.bericht_id, s.sleutel.c.soort, s.sleutel.c.waarde).where(
                s.sleutel.c.bericht_id.in_(deel))):
            if soort == "bsn":
                uit[bid].append(w)
    for lijst_ in uit.values():
        lijst_.sort()
    return uit


def statussen(conn: Connection, rijen: list[Any]) -> dict[int, str]:
    """The status of each message row (see :mod:`ijwcli.register.toestand`)."""
    heen = [r for r in rijen if r.code in RETOUR_VAN and r.identificatie]
    # Retourberichten and JW325s, by the Identificatie of what they answer.
    retour: dict[tuple[str, str, str], str] = {}
    for deel in stukken(sorted({r.identificatie for r in heen})):
        for a in conn.execute(select(B.c.code, B.c.heen_identificatie, B.c.afzender,
                                     B.c.ontvanger, B.c.oordeel, B.c.id)
                              .where(B.c.heen_identificatie.in_(deel), B.c.geldig.is_(True))
                              .order_by(B.c.id)):
            # A retourbericht copies the heen's header; a JW325 has its own (sender swapped).
            zender = a.ontvanger if a.code == "JW325" else a.afzender
            retour[(a.code, a.heen_identificatie, zender)] = a.oordeel
    # Verzoeken: the JW319s and JW301s that carry their ReferentieAanbieder.
    verzoek_ids = [r.id for r in heen if r.code in VERZOEKEN and r.geldig]
    referenties: dict[int, set[str]] = defaultdict(set)
    for deel in stukken(verzoek_ids):
        for bid, ref in conn.execute(select(s.regel.c.bericht_id, s.regel.c.referentie).where(
                s.regel.c.bericht_id.in_(deel), s.regel.c.referentie.is_not(None))):
            referenties[bid].add(ref)
    antwoorden: dict[str, list[str]] = defaultdict(list)
    toegewezen: dict[str, list[str]] = defaultdict(list)
    alle_refs = sorted({x for v in referenties.values() for x in v})
    for deel in stukken(alle_refs):
        for ref, soort, reden, ident in conn.execute(
                select(s.regel.c.referentie, s.regel.c.soort, s.regel.c.reden, B.c.identificatie)
                .join(B, B.c.id == s.regel.c.bericht_id)
                .where(s.regel.c.referentie.in_(deel),
                       s.regel.c.soort.in_(("antwoord", "toegewezen")))
                .order_by(B.c.dagtekening, B.c.id)):
            (antwoorden if soort == "antwoord" else toegewezen)[ref].append(
                reden if soort == "antwoord" else ident)
    uit: dict[int, str] = {}
    for r in rijen:
        oordeel = None
        if r.code in RETOUR_VAN:
            oordeel = retour.get((RETOUR_VAN[r.code], r.identificatie, r.afzender))
        refs = referenties.get(r.id, ())
        uit[r.id] = status_van(r.code, r.geldig, r.richting, oordeel,
                               [a for ref in refs for a in antwoorden.get(ref, ())],
                               [t for ref in refs for t in toegewezen.get(ref, ())])
    return uit


def _rij(r: Any, status: str, bsns: list[str]) -> dict[str, Any]:
    return {"id": r.id, "bericht": r.code, "identificatie": r.identificatie,
            "dagtekening": r.dagtekening, "afzender": r.afzender, "ontvanger": r.ontvanger,
            "richting": r.richting, "status": status, "geldig": bool(r.geldig), "bsn": bsns,
            "bron": r.bron}


def lijst(engine: Engine, f: Filter) -> list[dict[str, Any]]:
    """The berichtenoverzicht: messages matching ``f``, oldest first, each with its status."""
    q = select(*_LIJST)
    if f.bsn:
        q = q.where(B.c.id.in_(select(s.sleutel.c.bericht_id).where(
            s.sleutel.c.soort == "bsn", s.sleutel.c.waarde == f.bsn)))
    if f.bericht:
        q = q.where(B.c.code == f.bericht.upper())
    if f.van:
        q = q.where(B.c.dagtekening >= f.van)
    if f.tot:
        q = q.where(B.c.dagtekening <= f.tot)
    for partij in (f.gemeente, f.aanbieder):
        if partij:
            q = q.where(or_(B.c.afzender == partij, B.c.ontvanger == partij))
    q = q.order_by(B.c.dagtekening, B.c.id)
    if f.limit and not f.status:
        q = q.limit(f.limit)
    with engine.connect() as conn:
        rijen = list(conn.execute(q))
        st = statussen(conn, rijen)
        if f.status:
            gezocht = f.status.casefold()
            rijen = [r for r in rijen if st[r.id].casefold() == gezocht]
            if f.limit:
                rijen = rijen[:f.limit]
        bsns = _bsns(conn, [r.id for r in rijen])
    return [_rij(r, st[r.id], bsns.get(r.id, [])) for r in rijen]


def inhoud(engine: Engine, ids: Iterable[int]) -> dict[int, bytes]:
    uit: dict[int, bytes] = {}
    with engine.connect() as conn:
        for deel in stukken(sorted(set(ids))):
            for bid, data in conn.execute(select(B.c.id, B.c.inhoud).where(B.c.id.in_(deel))):
                uit[bid] = bytes(data)
    return uit


def zoek(engine: Engine, sleutel: str) -> int:
    """The register id of a message named by its id or its Identificatie."""
    with engine.connect() as conn:
        ids = list(conn.execute(select(B.c.id).where(B.c.identificatie == sleutel)
                                .order_by(B.c.id)).scalars())
        if not ids and sleutel.isdigit():
            ids = list(conn.execute(select(B.c.id).where(B.c.id == int(sleutel))).scalars())
    if not ids:
        raise UsageError(f"geen bericht met id of Identificatie {sleutel!r} in het register")
    if len(ids) > 1:
        raise UsageError(f"{len(ids)} berichten met Identificatie {sleutel!r} (ids "
                         f"{', '.join(map(str, ids))}): geef het id")
    return ids[0]


def toon(engine: Engine, sleutel: str) -> dict[str, Any]:
    """One message: its facts, findings, status, lines and the chain it belongs to."""
    bid = zoek(engine, sleutel)
    with engine.connect() as conn:
        r = conn.execute(select(*_LIJST, B.c.bevindingen, B.c.geimporteerd, B.c.hash)
                         .where(B.c.id == bid)).one()
        sleutels = [(k.soort, k.waarde) for k in conn.execute(
            select(s.sleutel.c.soort, s.sleutel.c.waarde).where(s.sleutel.c.bericht_id == bid))]
        # The chain: what shares a key other than the BSN (a client's other care is not
        # this message's chain; `register client` shows that).
        keten = ids_met_sleutels(conn, [k for k in sleutels if k[0] != "bsn"])
        keten.add(bid)
        rijen = list(conn.execute(select(*_LIJST).where(B.c.id.in_(sorted(keten)))
                                  .order_by(B.c.dagtekening, B.c.id)))
        st = statussen(conn, rijen)
        bsns = _bsns(conn, [x.id for x in rijen])
        regels = [dict(x._mapping) for x in conn.execute(
            select(*[c for c in s.regel.c if c.name not in ("id", "bericht_id")])
            .where(s.regel.c.bericht_id == bid).order_by(s.regel.c.id))]
        links = koppelingen(conn, r, regels) if r.geldig else []
        # What a link names belongs to the chain, even where no key is shared.
        extra = {k["id"] for k in links} - {x.id for x in rijen}
        if extra:
            rijen = sorted([*rijen, *conn.execute(select(*_LIJST).where(
                B.c.id.in_(sorted(extra))))], key=lambda x: (x.dagtekening is None,
                                                             x.dagtekening, x.id))
            st = statussen(conn, rijen)
            bsns = _bsns(conn, [x.id for x in rijen])
    d = _rij(r, st[bid], bsns.get(bid, []))
    d.update({"geimporteerd": r.geimporteerd, "hash": r.hash,
              "bevindingen": json.loads(r.bevindingen), "regels": regels,
              "retourcodes": (r.retourcodes or "").split(), "koppelingen": links,
              "keten": [_rij(x, st[x.id], bsns.get(x.id, [])) for x in rijen]})
    return d


def _verzoek_producten(eigen: list[Any]) -> list[dict[str, Any]]:
    return [{"soort": g.soort, "productcode": g.productcode,
             "toewijzingnummer": g.toewijzingnummer, "begindatum": g.begindatum,
             "einddatum": g.einddatum, "volume": g.volume} for g in eigen]


def client(engine: Engine, bsn: str) -> dict[str, Any]:
    """One client's timeline: messages, verzoeken with their answers, toewijzingen (current and
    history), start/stop, declared against toegewezen per period, and what is still open."""
    from ijwcli.register.declaraties import beoordeel, saldo

    with engine.connect() as conn:
        ids = ids_met_sleutels(conn, [("bsn", bsn)])
        # JW319s carry no BSN: they come in through the ReferentieAanbieder of a verzoek
        # (one statement: every round trip counts on a PostgreSQL server).
        verzoek_refs = select(s.regel.c.referentie).where(
            s.regel.c.bsn == bsn, s.regel.c.soort.in_(("aangevraagd", "tewijzigen", "nieuw")),
            s.regel.c.referentie.is_not(None))
        ids |= set(conn.execute(select(s.regel.c.bericht_id).where(
            s.regel.c.referentie.in_(verzoek_refs.scalar_subquery()),
            s.regel.c.soort == "antwoord")).scalars())
        rijen = list(conn.execute(select(*_LIJST).where(B.c.id.in_(sorted(ids))))) \
            if ids else []
        # A JW325 that approves everything names no client: it comes in through its JW323.
        # The message type is filtered here, not in SQL: a condition on code makes SQLite
        # walk the (code, dagtekening) index through every message of that type.
        declaraties = sorted({r.identificatie for r in rijen
                              if r.code == "JW323" and r.identificatie})
        for deel in stukken(declaraties):
            rijen += [r for r in conn.execute(select(*_LIJST).where(
                B.c.heen_identificatie.in_(deel))) if r.code == "JW325" and r.id not in ids]
        ids |= {r.id for r in rijen}
        rijen.sort(key=lambda r: (r.dagtekening is None, r.dagtekening, r.id))
        st = statussen(conn, rijen)
        regels = list(conn.execute(
            select(s.regel, B.c.code, B.c.identificatie, B.c.afzender, B.c.ontvanger,
                   B.c.dagtekening.label("dag"))
            .join(B, B.c.id == s.regel.c.bericht_id)
            .where(s.regel.c.bericht_id.in_(sorted(ids)) if ids else s.regel.c.id < 0)
            .order_by(B.c.dagtekening, s.regel.c.moment, B.c.id, s.regel.c.id)))
    berichten = [_rij(r, st[r.id], [bsn]) for r in rijen]
    open_: list[str] = []

    # The JW301 lines that honour a verzoek, by its ReferentieAanbieder (TR379).
    toegewezen_op: dict[str, list[Any]] = defaultdict(list)
    for g in regels:
        if g.soort == "toegewezen" and g.referentie:
            toegewezen_op[g.referentie].append(g)
    verzoek_van: dict[str, str] = {}
    verzoeken = []
    for r in rijen:
        if r.code in VERZOEKEN:
            eigen = [g for g in regels if g.bericht_id == r.id]
            ref = next((g.referentie for g in eigen if g.referentie), None)
            if ref:
                verzoek_van.setdefault(ref, r.identificatie)
            verzoeken.append({
                "id": r.id, "bericht": r.code, "identificatie": r.identificatie,
                "dagtekening": r.dagtekening, "status": verzoek_status(st[r.id]),
                "referentie": ref, "producten": _verzoek_producten(eigen),
                # A JW317 names the toewijzingen it asks to change (TeWijzigenProduct).
                "te_wijzigen": list(dict.fromkeys(
                    g.toewijzingnummer for g in eigen
                    if g.soort == "tewijzigen" and g.toewijzingnummer)),
                "toegewezen_door": [
                    {"id": g.bericht_id, "identificatie": g.identificatie,
                     "dagtekening": g.dag, "toewijzingnummer": g.toewijzingnummer}
                    for g in toegewezen_op.get(ref or "", ())]})

    prestaties, meldingen = beoordeel(
        [g for g in regels if g.soort == "prestatie"],
        [r for r in rijen if r.code == "JW325" and r.geldig],
        [g for g in regels if g.soort == "afgewezen"])
    open_.extend(meldingen)
    per_nummer: dict[str, list[Any]] = defaultdict(list)
    for pr in prestaties:
        per_nummer[pr.regel.toewijzingnummer or ""].append(pr)

    toewijzingen = []
    nummers = list(dict.fromkeys(g.toewijzingnummer for g in regels
                                 if g.soort == "toegewezen" and g.toewijzingnummer))
    for n in nummers:
        versies = sorted([g for g in regels if g.soort == "toegewezen"
                          and g.toewijzingnummer == n],
                         key=lambda g: (g.dag, g.moment or "", g.bericht_id))
        nu = versies[-1]
        starts = [g for g in regels if g.soort == "start" and g.toewijzingnummer == n]
        stops = [g for g in regels if g.soort == "stop" and g.toewijzingnummer == n]
        ingetrokken = nu.reden == "13"
        if ingetrokken:
            zorg = "ingetrokken"
        elif stops:
            zorg = "gestopt"
        elif starts:
            zorg = "gestart"
        else:
            zorg = "niet gestart"
        cijfers, meldingen = saldo(nu, per_nummer.get(n, []))
        t = {
            "toewijzingnummer": n, "productcode": nu.productcode, "categorie": nu.categorie,
            "actueel": {"identificatie": nu.identificatie, "dagtekening": nu.dag,
                        "ingangsdatum": nu.begindatum, "einddatum": nu.einddatum,
                        "volume": nu.volume, "eenheid": nu.eenheid,
                        "frequentie": nu.frequentie, "budget": nu.budget,
                        "reden_wijziging": nu.reden, "referentie": nu.referentie,
                        "verzoek": verzoek_van.get(nu.referentie or "")},
            "historie": [{"identificatie": v.identificatie, "dagtekening": v.dag,
                          "ingangsdatum": v.begindatum, "einddatum": v.einddatum,
                          "volume": v.volume, "reden_wijziging": v.reden,
                          "referentie": v.referentie,
                          "verzoek": verzoek_van.get(v.referentie or "")} for v in versies],
            "zorg": zorg,
            "begindatum": starts[-1].begindatum if starts else None,
            "einddatum_zorg": stops[-1].einddatum if stops else None,
            "reden_beeindiging": stops[-1].reden if stops else None,
            **cijfers,
        }
        toewijzingen.append(t)
        open_.extend(f"toewijzing {n}: {m}" for m in meldingen)
        if zorg == "niet gestart":
            open_.append(f"toewijzing {n}: nog geen startbericht (JW305)")
        if ingetrokken and t["gedeclareerd_volume"]:
            open_.append(f"toewijzing {n}: gedeclareerd op een ingetrokken toewijzing "
                         "(RedenWijziging 13, TR384)")
        if t["resterend_volume"] is not None and t["resterend_volume"] < 0:
            open_.append(f"toewijzing {n}: {-t['resterend_volume']} meer gedeclareerd dan "
                         "toegewezen")
        if t["resterend_budget"] is not None and t["resterend_budget"] < 0:
            open_.append(f"toewijzing {n}: {-t['resterend_budget'] / 100:.2f} euro meer "
                         "gedeclareerd dan het budget")
        for p in t["gedeclareerd"]:
            if p["periode"] in t["boven_omvang"]:
                open_.append(f"toewijzing {n}: in {p['periode']} "
                             f"{p['volume'] - p['afgewezen_volume']} gedeclareerd, meer dan "
                             f"de {p['toegestaan_volume']} die de omvang toestaat")
    for v in verzoeken:
        if v["status"] in ("verzonden", "ontvangen", "in onderzoek"):
            open_.append(f"{v['bericht']} {v['identificatie']}: {v['status']}, nog geen "
                         "toewijzing of afwijzing")
    for r in rijen:
        if r.code in RETOUR_VAN and r.geldig and st[r.id] in ("Verzonden", "Ontvangen"):
            wat = "declaratie-antwoord (JW325)" if r.code == "JW323" else \
                f"retourbericht ({RETOUR_VAN[r.code]})"
            if r.code not in VERZOEKEN:
                open_.append(f"{r.code} {r.identificatie}: nog geen {wat}")
    return {"bsn": bsn, "berichten": berichten, "verzoeken": verzoeken,
            "toewijzingen": toewijzingen, "open": open_}


def info(engine: Engine) -> dict[str, Any]:
    """Counts: messages (per type, valid/invalid), clients, toewijzingen, schema version."""
    with engine.connect() as conn:
        per_code = dict(conn.execute(select(B.c.code, func.count()).group_by(B.c.code)).all())
        ongeldig = conn.execute(select(func.count()).where(B.c.geldig.is_(False))
                                .select_from(B)).scalar_one()
        clienten = conn.execute(select(func.count(func.distinct(s.sleutel.c.waarde)))
                                .where(s.sleutel.c.soort == "bsn")).scalar_one()
        nummers = conn.execute(select(func.count(func.distinct(s.regel.c.toewijzingnummer)))
                               .where(s.regel.c.soort == "toegewezen")).scalar_one()
        versie = s.versie(conn)
    totaal = sum(per_code.values())
    return {"schema_versie": versie, "berichten": totaal, "geldig": totaal - ongeldig,
            "ongeldig": ongeldig, "clienten": clienten, "toewijzingen": nummers,
            "per_bericht": {(k or "onleesbaar"): v for k, v in sorted(
                per_code.items(), key=lambda kv: kv[0] or "~")}}
