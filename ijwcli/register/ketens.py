"""The chains: which earlier messages a message relates to, and the toewijzingen by number.

Every question here is answered from the indexed ``sleutel`` and ``regel`` tables; the
XML of a message is only read when a caller asks for its ``tree``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree
from sqlalchemy import Connection, Engine, Row, and_, func, select, text, tuple_

from ijwcli.register import schema as s
from ijwcli.register.feiten import feiten
from ijwcli.validatie.historie import EerderBericht

# SQLite allows 32766 parameters, older builds 999: stay well below both.
STUK = 900

_KOLOMMEN = (s.bericht.c.id, s.bericht.c.code, s.bericht.c.identificatie, s.bericht.c.afzender,
             s.bericht.c.ontvanger, s.bericht.c.dagtekening, s.bericht.c.richting,
             s.bericht.c.inhoud, s.bericht.c.geldig)


def eerder(rij: Row[Any]) -> EerderBericht:
    return EerderBericht(rij.code or "", rij.identificatie or "", rij.afzender or "",
                         rij.ontvanger or "", rij.dagtekening, rij.richting, bytes(rij.inhoud),
                         bool(rij.geldig), str(rij.id))


def stukken(waarden: Sequence[Any], n: int = STUK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(waarden), n):
        yield waarden[i:i + n]


def berichten(conn: Connection, ids: Iterable[int]) -> list[EerderBericht]:
    """The messages ``ids``, oldest first (Dagtekening, then order of import)."""
    rijen: list[Row[Any]] = []
    for deel in stukken(sorted(set(ids))):
        rijen.extend(conn.execute(select(*_KOLOMMEN).where(s.bericht.c.id.in_(deel))))
    rijen.sort(key=lambda r: (r.dagtekening is None, r.dagtekening, r.id))
    return [eerder(r) for r in rijen]


def ids_met_sleutels(conn: Connection, sleutels: Iterable[tuple[str, str]],
                     voor: int | None = None) -> set[int]:
    per_soort: dict[str, list[str]] = {}
    for soort, waarde in sleutels:
        per_soort.setdefault(soort, []).append(waarde[:64])
    ids: set[int] = set()
    for soort, waarden in per_soort.items():
        for deel in stukken(sorted(set(waarden))):
            q = select(s.sleutel.c.bericht_id).where(
                s.sleutel.c.soort == soort, s.sleutel.c.waarde.in_(deel))
            if voor is not None:
                q = q.where(s.sleutel.c.bericht_id < voor)
            ids.update(conn.execute(q).scalars())
    return ids


def historie(engine: Engine, bericht: etree._ElementTree | bytes) -> list[EerderBericht]:
    from ijwcli.bericht import read_tree
    from ijwcli.register.importeren import uniek_van

    inhoud = bericht if isinstance(bericht, bytes) else None
    tree = read_tree(bericht) if isinstance(bericht, bytes) else bericht
    f = feiten(tree)
    with engine.connect() as conn:
        # A message already in the register is judged against what came before it: found by
        # its identity (TR056), else by the hash of its bytes.
        zelf = None
        uniek = uniek_van(f)
        if uniek:
            zelf = conn.execute(select(s.bericht.c.id).where(s.bericht.c.uniek == uniek)
                                ).scalar_one_or_none()
        if zelf is None:
            zelf = conn.execute(select(s.bericht.c.id).where(
                s.bericht.c.hash == _hash_van(tree, inhoud))).scalar_one_or_none()
        ids = ids_met_sleutels(conn, f.sleutels, voor=zelf)
        return berichten(conn, ids)


def _hash_van(tree: etree._ElementTree, inhoud: bytes | None) -> str:
    # The register keys messages by the hash of their bytes as received; a tree parsed from
    # a file remembers nothing of those bytes, so read the file it came from.
    if inhoud is None and tree.docinfo.URL:
        try:
            with open(tree.docinfo.URL, "rb") as fh:
                inhoud = fh.read()
        except OSError:
            pass
    if inhoud is None:
        inhoud = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    return hashlib.sha256(inhoud).hexdigest()


def _toewijzing_query(nummer: str, gemeente: str | None):  # type: ignore[no-untyped-def]
    q = (select(*_KOLOMMEN, s.regel.c.moment)
         .join(s.regel, s.regel.c.bericht_id == s.bericht.c.id)
         .where(s.regel.c.toewijzingnummer == nummer, s.regel.c.soort == "toegewezen",
                s.bericht.c.code == "JW301", s.bericht.c.geldig.is_(True)))
    if gemeente:
        q = q.where(s.bericht.c.afzender == gemeente)
    return q


def _versievolgorde(r: Row[Any]) -> tuple[Any, ...]:
    return (r.dagtekening, r.moment or "", r.id)


def toewijzing_historie(engine: Engine, nummer: str, gemeente: str | None = None
                        ) -> list[EerderBericht]:
    with engine.connect() as conn:
        rijen = {r.id: r for r in conn.execute(_toewijzing_query(nummer, gemeente))}
    return [eerder(r) for r in sorted(rijen.values(), key=_versievolgorde)]


def toewijzing(engine: Engine, nummer: str, gemeente: str | None = None) -> EerderBericht | None:
    h = toewijzing_historie(engine, nummer, gemeente)
    return h[-1] if h else None


def laatste_jw301(engine: Engine, bsn: str) -> EerderBericht | None:
    with engine.connect() as conn:
        q = (select(*_KOLOMMEN, func.max(s.regel.c.moment).label("moment"))
             .join(s.regel, s.regel.c.bericht_id == s.bericht.c.id)
             .where(s.regel.c.bsn == bsn, s.regel.c.soort == "toegewezen",
                    s.bericht.c.code == "JW301")
             .group_by(*_KOLOMMEN))
        rijen = list(conn.execute(q))
    return eerder(max(rijen, key=_versievolgorde)) if rijen else None


def volgend_toewijzingnummer(engine: Engine, gemeente: str) -> int:
    """The next ToewijzingNummer for ``gemeente``: above the counter and above every number
    the gemeente's JW301s in the register already carry; one statement, so two processes at
    once never get the same number."""
    with engine.connect().execution_options(schrijven=True) as conn, conn.begin():
        grootste = "GREATEST" if conn.dialect.name == "postgresql" else "MAX"
        gezien = ("(SELECT COALESCE(MAX(CAST(r.toewijzingnummer AS BIGINT)), 0) FROM regel r "
                  "JOIN bericht b ON b.id = r.bericht_id WHERE r.soort = 'toegewezen' "
                  "AND b.afzender = CAST(:g AS VARCHAR(12)))")
        n = conn.execute(text(
            "INSERT INTO teller (gemeente, laatste) "
            f"VALUES (CAST(:g AS VARCHAR(12)), {gezien} + 1) "
            f"ON CONFLICT (gemeente) DO UPDATE SET laatste = {grootste}(teller.laatste, "
            f"{gezien}) + 1 RETURNING laatste"), {"g": gemeente}).scalar_one()
    return int(n)


def registreer_antwoord(engine: Engine, heen: int, antwoord: int) -> None:
    with engine.connect().execution_options(schrijven=True) as conn, conn.begin():
        bestaat = conn.execute(select(s.antwoord.c.heen_id).where(and_(
            tuple_(s.antwoord.c.heen_id, s.antwoord.c.antwoord_id) == tuple_(heen, antwoord))
        )).first()
        if bestaat is None:
            conn.execute(s.antwoord.insert().values(heen_id=heen, antwoord_id=antwoord))


def antwoord_van(engine: Engine, heen: int) -> str | None:
    """The id of the answer to message ``heen``: a retourbericht or JW325 that names it
    (as :func:`ijwcli.register.vragen.statussen` reads them), or one linked to it by
    :func:`registreer_antwoord`; ``None`` while it has none."""
    from ijwcli.register.toestand import RETOUR_VAN

    B = s.bericht
    with engine.connect() as conn:
        gekoppeld = conn.execute(select(s.antwoord.c.antwoord_id).where(
            s.antwoord.c.heen_id == heen).order_by(s.antwoord.c.antwoord_id)).first()
        if gekoppeld is not None:
            return str(gekoppeld[0])
        h = conn.execute(select(B.c.code, B.c.identificatie, B.c.afzender).where(
            B.c.id == heen)).first()
        if h is None or h.code not in RETOUR_VAN or not h.identificatie:
            return None
        code = RETOUR_VAN[h.code]
        # A retourbericht copies the heen's header; a JW325 has its own (sender swapped).
        zender = B.c.ontvanger if code == "JW325" else B.c.afzender
        a = conn.execute(select(B.c.id).where(
            B.c.code == code, B.c.heen_identificatie == h.identificatie, zender == h.afzender,
            B.c.geldig.is_(True)).order_by(B.c.id)).first()
        return None if a is None else str(a[0])


# The answer to each heen-bericht type: the retourbericht copies the heen's header (same
# Afzender), the JW325 has its own header (the declaratie's Afzender is its Ontvanger).
ANTWOORD_OP = {"JW301": "JW302", "JW305": "JW306", "JW307": "JW308", "JW315": "JW316",
               "JW317": "JW318", "JW319": "JW320", "JW323": "JW325"}


def antwoorden(engine: Engine, code: str, afzender: str, identificatie: str
               ) -> list[EerderBericht]:
    """The valid answers in the register (retourbericht, JW325) to the message ``code`` that
    ``afzender`` sent with ``identificatie``, oldest first; through the indexed
    ``heen_identificatie``, whether or not the heen-bericht itself is in the register."""
    soort = ANTWOORD_OP.get(code.upper())
    if soort is None:
        return []
    with engine.connect() as conn:
        rijen = list(conn.execute(select(*_KOLOMMEN).where(
            s.bericht.c.heen_identificatie == identificatie, s.bericht.c.geldig.is_(True))))
    rijen = [r for r in rijen if r.code == soort
             and (r.ontvanger if soort == "JW325" else r.afzender) == afzender]
    rijen.sort(key=lambda r: (r.dagtekening is None, r.dagtekening, r.id))
    return [eerder(r) for r in rijen]
