"""The register's tables and their versions: migrations applied when a register is opened.

A versioned scheme of our own rather than Alembic: the register is opened by a command-line
tool on a user's machine, not deployed, so the migrations must run on open, inside one
transaction, without an ``alembic.ini`` or a migration folder on disk. Each step in
:data:`MIGRATIES` takes the schema from version ``n - 1`` to ``n``; the version is kept in
the table ``schema_versie``. Steps are only ever added, never changed.

Tables (SQLAlchemy Core, the same on SQLite and PostgreSQL):

- ``bericht``: one row per message imported: its raw bytes and content hash, type, identity,
  direction, validity with its findings, source path and import time;
- ``sleutel``: the keys that link messages (``bsn``, ``toewijzing``, ``referentie``,
  ``ident`` …), indexed, so a chain or a client is found without reading any XML;
- ``regel``: one row per product line (toegewezen, aangevraagd, start, stop, prestatie, …)
  with the facts the derived state needs;
- ``teller`` (version 2): the ToewijzingNummer sequence per gemeente;
- ``antwoord`` (version 2): which heen-bericht an answer written by ijwcli (JW319, JW325,
  retourbericht) replies to;
- ``bericht.oordeel`` (version 3): the judgement of a retourbericht or JW325 (goedgekeurd,
  gedeeltelijk, afgekeurd), so the status of a message is known without reading XML;
- index ``ix_bericht_ident`` (version 4): a message found by its Identificatie;
- ``bericht.retourcodes`` and ``regel.retourcodes`` (version 5): the RetourCodes of a
  retourbericht or JW325 on the message as a whole (Header, DeclaratieAntwoord) and per line
  (each refused Prestatie of a JW325), so which prestaties were refused, and why, is known
  without reading XML; ``bericht.oordeel`` of a JW325 is judged again from them;
  index ``ix_regel_vorig`` finds the credit of a debet (VorigReferentieNummer).

>>> [n for n, _ in MIGRATIES]
[1, 2, 3, 4, 5]
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
)

metadata = MetaData()

schema_versie = Table("schema_versie", metadata, Column("versie", Integer, nullable=False))

bericht = Table(
    "bericht", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hash", String(64), nullable=False, unique=True),
    # code|afzender|identificatie of a valid message: TR056 (unique per sender and type).
    Column("uniek", String(120), unique=True),
    Column("code", String(5)),
    Column("identificatie", String(40)),
    Column("afzender", String(12)),
    Column("ontvanger", String(12)),
    Column("dagtekening", Date),
    # The heen-bericht's Identificatie for a retourbericht, the JW323's for a JW325.
    Column("heen_identificatie", String(40)),
    Column("richting", String(3)),
    Column("geldig", Boolean, nullable=False),
    Column("bevindingen", Text, nullable=False),   # JSON list of findings
    Column("bron", Text),
    Column("geimporteerd", DateTime(timezone=True), nullable=False),
    Column("inhoud", LargeBinary, nullable=False),
    Index("ix_bericht_heen", "heen_identificatie"),
    Index("ix_bericht_code_dag", "code", "dagtekening"),
)

sleutel = Table(
    "sleutel", metadata,
    Column("bericht_id", Integer, ForeignKey("bericht.id", ondelete="CASCADE"),
           primary_key=True),
    Column("soort", String(12), primary_key=True),
    Column("waarde", String(64), primary_key=True),
    Index("ix_sleutel_waarde", "soort", "waarde", "bericht_id"),
)

regel = Table(
    "regel", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bericht_id", Integer, ForeignKey("bericht.id", ondelete="CASCADE"),
           nullable=False),
    Column("soort", String(12), nullable=False),    # toegewezen, aangevraagd, start, …
    Column("bsn", String(9)),
    Column("toewijzingnummer", String(20)),
    Column("referentie", String(40)),      # ReferentieAanbieder or ReferentieNummer
    Column("vorig_referentie", String(40)),
    Column("categorie", String(4)),
    Column("productcode", String(8)),
    Column("begindatum", Date),
    Column("einddatum", Date),
    Column("volume", BigInteger),
    Column("eenheid", String(4)),
    Column("frequentie", String(4)),
    Column("budget", BigInteger),
    Column("bedrag", BigInteger),
    Column("debetcredit", String(1)),
    Column("reden", String(4)),            # RedenWijziging, RedenBeeindiging, VerzoekAntwoord
    Column("moment", String(20)),          # Toewijzingsdatum + tijd: orders JW301 versions
    Index("ix_regel_bericht", "bericht_id"),
    Index("ix_regel_toewijzing", "toewijzingnummer"),
    Index("ix_regel_bsn", "bsn"),
    Index("ix_regel_referentie", "referentie"),
)

teller = Table(
    "teller", metadata,
    Column("gemeente", String(12), primary_key=True),
    Column("laatste", BigInteger, nullable=False),
)

# Columns and indexes that a later version added, per table: version 1 had them not.
LATER = {"bericht": ("oordeel", "retourcodes"), "regel": ("retourcodes",)}
LATER_INDEXEN = ("ix_bericht_ident", "ix_regel_vorig")

antwoord = Table(
    "antwoord", metadata,
    Column("heen_id", Integer, ForeignKey("bericht.id", ondelete="CASCADE"), primary_key=True),
    Column("antwoord_id", Integer, ForeignKey("bericht.id", ondelete="CASCADE"),
           primary_key=True),
    Index("ix_antwoord_antwoord", "antwoord_id"),
)


def _v1(conn: Connection) -> None:
    # bericht and regel as version 1 had them: without the columns later versions add.
    oud = MetaData()
    Table("bericht", oud, *[c._copy() for c in bericht.columns
                            if c.name not in LATER["bericht"]],
          *[Index(i.name, *[c.name for c in i.columns]) for i in bericht.indexes
            if i.name not in LATER_INDEXEN])
    Table("regel", oud, *[c._copy() for c in regel.columns if c.name not in LATER["regel"]],
          *[Index(i.name, *[c.name for c in i.columns]) for i in regel.indexes
            if i.name not in LATER_INDEXEN])
    metadata.create_all(conn, tables=[schema_versie])
    oud.create_all(conn)
    # sleutel refers to bericht: created once bericht is there.
    metadata.create_all(conn, tables=[sleutel])


def _v2(conn: Connection) -> None:
    metadata.create_all(conn, tables=[teller, antwoord])


def _v3(conn: Connection) -> None:
    # The judgement of a retourbericht or JW325, kept so the berichtenoverzicht need not read
    # XML: filled in for the answers already in the register.
    from sqlalchemy import update

    from ijwcli.bericht import read_tree
    from ijwcli.register.feiten import feiten, oordeel

    conn.exec_driver_sql("ALTER TABLE bericht ADD COLUMN oordeel VARCHAR(24)")
    rijen = conn.execute(select(bericht.c.id, bericht.c.inhoud).where(
        bericht.c.heen_identificatie.is_not(None), bericht.c.geldig.is_(True))).all()
    for rij in rijen:
        conn.execute(update(bericht).where(bericht.c.id == rij.id).values(
            oordeel=oordeel(feiten(read_tree(bytes(rij.inhoud))))))


bericht.append_column(Column("oordeel", String(24)))

IX_IDENT = Index("ix_bericht_ident", bericht.c.identificatie)


def _v4(conn: Connection) -> None:
    # `register toon IDENTIFICATIE` looked a message up by scanning every row.
    IX_IDENT.create(conn)


bericht.append_column(Column("retourcodes", String(60)))
regel.append_column(Column("retourcodes", String(60)))
IX_VORIG = Index("ix_regel_vorig", regel.c.vorig_referentie)


def _v5(conn: Connection) -> None:
    # Which prestaties a JW325 refused and with which RetourCodes, and the codes of every
    # retourbericht as a whole: read once more from the answers already in the register.
    # A JW325's lines are written anew (same facts, now with their codes), its oordeel
    # judged again (a refusal in DeclaratieAntwoord now counts as a refusal of the whole).
    from sqlalchemy import delete, update

    from ijwcli.bericht import read_tree
    from ijwcli.register.feiten import feiten, oordeel, retourcodes_tekst
    from ijwcli.register.importeren import _regelrij

    conn.exec_driver_sql("ALTER TABLE bericht ADD COLUMN retourcodes VARCHAR(60)")
    conn.exec_driver_sql("ALTER TABLE regel ADD COLUMN retourcodes VARCHAR(60)")
    IX_VORIG.create(conn)
    kolommen = {c["name"] for c in inspect(conn).get_columns("regel")}
    rijen = conn.execute(select(bericht.c.id, bericht.c.code, bericht.c.inhoud).where(
        bericht.c.heen_identificatie.is_not(None), bericht.c.geldig.is_(True))).all()
    for rij in rijen:
        f = feiten(read_tree(bytes(rij.inhoud)))
        conn.execute(update(bericht).where(bericht.c.id == rij.id).values(
            retourcodes=retourcodes_tekst(f), oordeel=oordeel(f)))
        if rij.code == "JW325":
            conn.execute(delete(regel).where(regel.c.bericht_id == rij.id))
            if f.regels:
                # Only the columns regel has at this version: a later step may add more.
                conn.execute(regel.insert(), [
                    {"bericht_id": rij.id, **{k: v for k, v in _regelrij(r).items()
                                              if k in kolommen}} for r in f.regels])


MIGRATIES: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _v1), (2, _v2), (3, _v3), (4, _v4), (5, _v5)]
VERSIE = MIGRATIES[-1][0]


def versie(conn: Connection) -> int:
    """The schema version of the register on ``conn`` (0: empty, nothing created yet)."""
    if not inspect(conn).has_table("schema_versie"):
        return 0
    return conn.execute(select(schema_versie.c.versie)).scalar_one_or_none() or 0


def migreer(conn: Connection, tot: int = VERSIE) -> int:
    """Bring the schema on ``conn`` to version ``tot``; returns the version it had."""
    if conn.dialect.name == "postgresql":
        # Two processes opening a new register at once: one migrates, the other waits.
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7301632)")
    was = versie(conn)
    if was > VERSIE:
        from ijwcli.errors import UsageError

        raise UsageError(f"het register heeft schemaversie {was}; deze ijwcli kent tot "
                         f"{VERSIE} (werk ijwcli bij)")
    for n, stap in MIGRATIES:
        if was < n <= tot:
            stap(conn)
            if n == 1:
                conn.execute(schema_versie.insert().values(versie=1))
            else:
                conn.execute(schema_versie.update().values(versie=n))
    return was
