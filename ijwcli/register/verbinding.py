"""Connecting to the register: a SQLite file (the default) or a PostgreSQL server.

A value without ``://`` is a file path and becomes SQLite; ``postgresql://…`` gets the
psycopg 3 driver. The SQLite file is created with mode 0600 (it holds BSNs and care data)
and used in WAL mode with a busy timeout, so two processes can work on it at once; a write
transaction takes the write lock at its start (``BEGIN IMMEDIATE``) so that a check and the
insert that follows it cannot be overtaken by another process.

>>> str(maak_url("/tmp/x/reg.db"))
'sqlite:////tmp/x/reg.db'
>>> maak_url("postgresql://ijw:geheim@db.local/ijw").render_as_string(hide_password=True)
'postgresql+psycopg://ijw:***@db.local/ijw'
>>> toon_url("postgresql://ijw:geheim@db.local/ijw")
'postgresql+psycopg://ijw:***@db.local/ijw'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url

from ijwcli.errors import FileError, UsageError

BUSY_MS = 60_000


def maak_url(db: str) -> URL:
    if "://" not in db:
        return URL.create("sqlite", database=str(Path(db).expanduser().resolve()))
    try:
        url = make_url(db)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises ArgumentError and ValueError
        raise UsageError(f"geen bruikbare register-URL: {exc}") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise UsageError(f"register-URL {toon_url(db)}: alleen SQLite en PostgreSQL worden "
                         "ondersteund")
    return url


def toon_url(db: str) -> str:
    """The register's location for people: a path as given, a URL with its password masked."""
    if "://" not in db:
        return db
    try:
        url = make_url(db)
    except Exception:  # noqa: BLE001
        return "(onleesbare URL)"
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=True)


def _maak_sqlite_bestand(pad: str) -> None:
    p = Path(pad)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        # Created here, before SQLite opens it, so it never exists with wider permissions.
        fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
    except OSError as exc:
        raise FileError(f"kan het register niet maken: {exc.strerror}", where=pad) from None


def _naar_wal(cur: Any) -> None:
    """``PRAGMA journal_mode=WAL``, tried again while another process holds the lock.

    Processes that open a new register at the same moment all change its journal mode;
    SQLite refuses the losers at once with "database is locked" instead of making them wait
    (the busy timeout does not cover it): four at once failed in 18 of 100 rounds.
    """
    import sqlite3
    import time

    eind = time.monotonic() + BUSY_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > eind:
                raise
            time.sleep(0.005)


def maak_engine(db: str) -> Engine:
    url = maak_url(db)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            nieuw = not Path(url.database).exists()
            _maak_sqlite_bestand(url.database)
            if nieuw:
                os.chmod(url.database, 0o600)
        engine = create_engine(url, connect_args={"timeout": BUSY_MS / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_verbinding(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # pysqlite's own transaction handling would start transactions late and never
            # IMMEDIATE; SQLAlchemy's "begin" event below does it instead.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            _naar_wal(cur)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            if conn.get_execution_options().get("schrijven"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise UsageError("PostgreSQL vraagt psycopg 3: pip install 'psycopg[binary]'") from None
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
