"""Import: every message validated as ``validate`` does, stored whole or not at all.

- the same bytes again (content hash) is ``al bekend`` and changes nothing;
- the same sender, message type and Identificatie with other content is refused (TR056);
- an invalid message is stored with its findings, but gets no lines, so it changes no state;
- messages are written in batches, each batch one transaction: killed mid-way, the register
  holds every message completely or not at all, and a rerun adds only the rest. Two imports
  at once are serialised per batch by the database (SQLite's write lock, PostgreSQL's unique
  indexes with ``ON CONFLICT DO NOTHING``), so nothing is lost or doubled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError

from ijwcli.errors import InvalidMessage, UsageError
from ijwcli.register import schema as s
from ijwcli.register.feiten import Feiten, feiten, oordeel, retourcodes_tekst

BATCH = 200


@dataclass
class ImportResultaat:
    """What happened to one message: ``nieuw``, ``al bekend`` or ``geweigerd``."""

    bron: str
    status: str
    code: str | None = None
    identificatie: str | None = None
    geldig: bool = False
    richting: str | None = None
    bevindingen: list[dict[str, Any]] = field(default_factory=list)
    sleutel: str | None = None          # the register's id of the message
    reden: str | None = None            # why it was refused

    def to_dict(self) -> dict[str, object]:
        return {"file": self.bron, "status": self.status, "bericht": self.code,
                "identificatie": self.identificatie, "valid": self.geldig,
                "richting": self.richting, "sleutel": self.sleutel, "reden": self.reden,
                "errors": self.bevindingen}


@dataclass
class _Klaar:
    naam: str
    inhoud: bytes
    hash: str
    feiten: Feiten | None
    geldig: bool
    bevindingen: list[dict[str, Any]]
    richting: str | None


def invoer(bronnen: Any) -> Iterator[tuple[str, bytes | None]]:
    """``(name, bytes)`` for a path, a folder (its ``*.xml``), bytes, or a list of those.

    The bytes of a path are read later (``None`` here), so a folder of 10,000 files is not
    held in memory at once.
    """
    from ijwcli.validatie import expand

    if isinstance(bronnen, (bytes, bytearray, str, os.PathLike)):
        bronnen = [bronnen]
    for b in bronnen:
        if isinstance(b, (bytes, bytearray)):
            yield "<bytes>", bytes(b)
        else:
            for p in expand([b]):
                yield str(p), None


def richting_van(f: Feiten | None, eigen_code: str | None) -> str | None:
    """``uit`` when we sent the message, ``in`` when we received it, else ``None``.

    A retourbericht carries its heen-bericht's header: it is sent by that header's Ontvanger.
    """
    if f is None or not eigen_code:
        return None
    van, naar = f.afzender, f.ontvanger
    if f.heen_identificatie and f.code != "JW325":
        van, naar = naar, van
    if van == eigen_code:
        return "uit"
    if naar == eigen_code:
        return "in"
    return None


def _zender(f: Feiten) -> str | None:
    return f.ontvanger if f.heen_identificatie and f.code != "JW325" else f.afzender


def uniek_van(f: Feiten) -> str | None:
    """The identity TR056 holds unique: message type, sender and Identificatie."""
    return f"{f.code}|{_zender(f)}|{f.identificatie}" if f.identificatie else None


def _bereid(naam: str, inhoud: bytes, richting: str | None, eigen_code: str | None,
            today: dt.date, extra: list[dict[str, Any]] | None = None,
            eigen: list[dict[str, Any]] | None = None) -> _Klaar:
    from ijwcli import validatie
    from ijwcli.bericht import read_tree

    h = hashlib.sha256(inhoud).hexdigest()
    try:
        tree = read_tree(inhoud)
    except InvalidMessage:
        r = validatie.validate_bytes(inhoud, naam, today)
        return _Klaar(naam, inhoud, h, None, False, [e.to_dict() for e in r.errors], richting)
    if eigen is None:
        r = validatie.validate_tree(tree, naam, today)
        eigen = [e.to_dict() for e in r.errors]
    try:
        f = feiten(tree)
    except InvalidMessage:
        f = None
    geldig = not eigen and f is not None
    fouten = list(eigen)
    if extra:
        # The verdict of the cross-message rules, judged before the import: a message they
        # reject changes no state (a refused start is no start). A declaratie stays: its
        # prestaties are approved or refused one by one in its JW325.
        fouten += extra
        geldig = geldig and f is not None and f.code == "JW323"
    return _Klaar(naam, inhoud, h, f, geldig, fouten, richting or richting_van(f, eigen_code))


_INSERTS: dict[str, Any] = {}


def _insert_bericht(conn: Connection) -> Any:
    naam = conn.dialect.name
    if naam not in _INSERTS:
        if naam == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        _INSERTS[naam] = insert(s.bericht).on_conflict_do_nothing().returning(s.bericht.c.id)
    return _INSERTS[naam]


def _schrijf(conn: Connection, k: _Klaar, nu: dt.datetime,
             later: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> ImportResultaat:
    """Insert the message; its keys and lines go into ``later`` (one insert per batch)."""
    f = k.feiten
    res = ImportResultaat(k.naam, "nieuw", f.code if f else None,
                          f.identificatie if f else None, k.geldig, k.richting, k.bevindingen)
    uniek = uniek_van(f) if f is not None and k.geldig else None
    rij = {
        "hash": k.hash, "uniek": uniek, "code": res.code, "identificatie": res.identificatie,
        "afzender": f.afzender if f else None, "ontvanger": f.ontvanger if f else None,
        "dagtekening": f.dagtekening if f else None,
        "heen_identificatie": f.heen_identificatie if f else None,
        "richting": k.richting, "geldig": k.geldig,
        "oordeel": oordeel(f) if f is not None and k.geldig else None,
        "retourcodes": retourcodes_tekst(f) if f is not None and k.geldig else None,
        "bevindingen": json.dumps(k.bevindingen, ensure_ascii=False),
        "bron": k.naam, "geimporteerd": nu, "inhoud": k.inhoud,
    }
    # One statement with parameters, not .values(**rij): SQLAlchemy then compiles it once
    # for the whole import instead of building a cache key from every row's literals.
    nieuw = conn.execute(_insert_bericht(conn), rij).scalar_one_or_none()
    if nieuw is None:
        bekend = conn.execute(select(s.bericht.c.id).where(s.bericht.c.hash == k.hash)
                              ).scalar_one_or_none()
        if bekend is not None:
            res.status, res.sleutel = "al bekend", str(bekend)
            return res
        ander = conn.execute(select(s.bericht.c.id, s.bericht.c.bron)
                             .where(s.bericht.c.uniek == uniek)).first()
        res.status = "geweigerd"
        res.reden = (f"TR056: {res.code} {res.identificatie} van {_zender(f)} staat al in het "  # type: ignore[arg-type]
                     f"register met andere inhoud (id {ander.id if ander else '?'}, "
                     f"{ander.bron if ander else '?'}); Identificatie moet per berichtsoort "
                     "uniek zijn voor de verzender")
        return res
    res.sleutel = str(nieuw)
    if f is not None:
        later[0].extend({"bericht_id": nieuw, "soort": so, "waarde": w[:64]}
                        for so, w in sorted(f.sleutels))
        if k.geldig:
            later[1].extend({"bericht_id": nieuw, **_regelrij(r)} for r in f.regels)
    return res


_REGELKOLOMMEN = [c.name for c in s.regel.columns if c.name not in ("id", "bericht_id")]


def _regelrij(r: dict[str, Any]) -> dict[str, Any]:
    return {k: r.get(k) for k in _REGELKOLOMMEN}


def _bekend(engine: Engine, hashes: list[str]) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(select(s.bericht.c.hash, s.bericht.c.id)
                                 .where(s.bericht.c.hash.in_(hashes))).all())


def _bereid_stuk(args: tuple[list[tuple[str, bytes]], str | None, str | None, dt.date,
                             list[dict[str, Any]] | None, list[dict[str, Any]] | None],
                 ) -> list[_Klaar]:
    stuk, richting, eigen_code, today, extra, eigen = args
    return [_bereid(naam, data, richting, eigen_code, today, extra, eigen)
            for naam, data in stuk]


def _lees(engine: Engine, deel: list[tuple[str, bytes | None]]
          ) -> tuple[list[_Klaar | ImportResultaat | None], list[tuple[int, str, bytes]]]:
    """The batch's slots (known or unreadable already filled) and what must be validated."""
    slots: list[_Klaar | ImportResultaat | None] = []
    gelezen: list[tuple[int, str, bytes, str]] = []
    for naam, data in deel:
        if data is None:
            try:
                data = Path(naam).read_bytes()
            except OSError as exc:
                slots.append(ImportResultaat(naam, "geweigerd",
                                             reden=f"kan het bestand niet lezen: {exc.strerror}"))
                continue
        gelezen.append((len(slots), naam, data, hashlib.sha256(data).hexdigest()))
        slots.append(None)
    bekend = _bekend(engine, [h for *_, h in gelezen])
    te_doen = []
    for i, naam, data, h in gelezen:
        if h in bekend:
            # Known bytes are not validated again: a rerun after an interruption is quick.
            slots[i] = ImportResultaat(naam, "al bekend", sleutel=str(bekend[h]))
        else:
            te_doen.append((i, naam, data))
    return slots, te_doen


def importeer(engine: Engine, bronnen: Any, richting: str | None = None,
              eigen_code: str | None = None, today: dt.date | None = None,
              voortgang: Callable[[int, int], None] | None = None,
              jobs: int | None = None, extra: list[dict[str, Any]] | None = None,
              eigen: list[dict[str, Any]] | None = None) -> list[ImportResultaat]:
    """Import ``bronnen`` (paths, folders, bytes); one :class:`ImportResultaat` per message.

    ``extra``: findings judged before the import (the cross-message rules, as dicts of
    :meth:`~ijwcli.validatie.regels.Bevinding.to_dict`), stored with one message's own;
    ``eigen``: that message's in-message findings when the caller has just validated it as
    ``validate`` does (then it is not validated twice).

    With many messages the validation runs in ``jobs`` worker processes (default: the cores
    this process may use) while this process writes the batch before.
    """
    if richting not in (None, "in", "uit"):
        raise UsageError(f"richting {richting!r} is geen van 'in', 'uit'")
    today = today or dt.date.today()
    items = list(invoer(bronnen))
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    pool = None
    if jobs > 1 and len(items) >= 4 * BATCH:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        from ijwcli.model.berichten import BERICHTEN
        from ijwcli.model.schema import schema

        for code in BERICHTEN:
            schema(code)  # compiled once, before the workers fork
        pool = ProcessPoolExecutor(jobs, mp_context=get_context("fork"))
    uit: list[ImportResultaat] = []
    vorige: tuple[list[Any], list[tuple[int, Any]], int] | None = None
    try:
        for start in range(0, len(items) + BATCH, BATCH):
            nieuw = None
            if start < len(items):
                slots, te_doen = _lees(engine, items[start:start + BATCH])
                if pool is not None and te_doen:
                    n = max(1, -(-len(te_doen) // jobs))
                    taken = [(te_doen[j:j + n], pool.submit(
                        _bereid_stuk, ([(naam, d) for _, naam, d in te_doen[j:j + n]],
                                       richting, eigen_code, today, extra, eigen)))
                        for j in range(0, len(te_doen), n)]
                else:
                    taken = [(te_doen, _bereid_stuk(([(naam, d) for _, naam, d in te_doen],
                                                    richting, eigen_code, today, extra, eigen)))]
                nieuw = (slots, taken, min(start + BATCH, len(items)))
            if vorige is not None:
                slots_v, taken_v, klaar_tot = vorige
                for stuk, f in taken_v:
                    for (i, *_), k in zip(stuk, f if isinstance(f, list) else f.result(),
                                          strict=True):
                        slots_v[i] = k
                uit.extend(_schrijf_batch(engine, slots_v))
                if voortgang:
                    voortgang(klaar_tot, len(items))
            vorige = nieuw
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return uit


def _schrijf_batch(engine: Engine, klaar: Iterable[_Klaar | ImportResultaat]
                   ) -> list[ImportResultaat]:
    klaar = list(klaar)
    nu = dt.datetime.now(dt.UTC)
    try:
        with engine.connect().execution_options(schrijven=True) as conn, conn.begin():
            later: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
            uit = [k if isinstance(k, ImportResultaat) else _schrijf(conn, k, nu, later)
                   for k in klaar]
            if later[0]:
                conn.execute(s.sleutel.insert(), later[0])
            if later[1]:
                conn.execute(s.regel.insert(), later[1])
            return uit
    except DBAPIError as exc:
        # Two imports inserting the same messages in another order can deadlock on
        # PostgreSQL; the database rolls one batch back. Then one message per transaction.
        if len(klaar) == 1 or "deadlock" not in str(exc).lower():
            raise
    out: list[ImportResultaat] = []
    for k in klaar:
        out.extend(_schrijf_batch(engine, [k]))
    return out
