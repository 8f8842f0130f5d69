"""Shared fixtures: where the reference material is, and skipping cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
IJW = SHARED / "ijw-3.2"
SAMPLES = ROOT / "samples"


def needs_shared() -> Path:
    """The ../shared/ijw-3.2 folder, or skip the calling test with the reason."""
    if not (IJW / "xsd").is_dir():
        pytest.skip("../shared/ijw-3.2 (reference XSDs and messages) is not beside the checkout")
    return IJW


@pytest.fixture
def ijw() -> Path:
    return needs_shared()


@pytest.fixture(scope="session")
def reference_schema():
    """A function code → compiled reference XSD (lxml), for oracle checks."""
    if not (IJW / "xsd").is_dir():
        pytest.skip("../shared/ijw-3.2 (reference XSDs) is not beside the checkout")
    from lxml import etree

    cache: dict = {}

    def get(code: str):
        if code not in cache:
            cache[code] = etree.XMLSchema(etree.parse(str(IJW / "xsd" / f"{code.lower()}.xsd")))
        return cache[code]

    return get


# --- the register on both backends -----------------------------------------------------------
# Every register test runs on SQLite and on PostgreSQL. .ci/run starts a PostgreSQL server and
# points IJWCLI_TEST_PG at it; each test gets its own schema there (search_path), dropped after.
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def register_db(request, tmp_path):
    """A register location (SQLite file or PostgreSQL URL) for one test, empty."""
    if request.param == "sqlite":
        yield str(tmp_path / "register.db")
        return
    import os
    import uuid

    basis = os.environ.get("IJWCLI_TEST_PG")
    if not basis:
        pytest.skip("geen PostgreSQL-server ingesteld (IJWCLI_TEST_PG; .ci/run start er een)")
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(basis)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in basis else "?"
    try:
        yield f"{basis}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()
