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
