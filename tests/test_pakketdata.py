"""The marshal cache of the project's TOML tables: fresh when the table changes, never wrong."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
import tomllib

import pytest

from ijwcli import pakketdata


@pytest.fixture
def pakket(tmp_path, monkeypatch):
    """An importable package ``ijwtestdata`` with one table, bytecode writing switched on."""
    pkg = tmp_path / "ijwtestdata"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "t.toml").write_text('[a]\nx = "1"\ny = [1, 2]\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    importlib.import_module("ijwtestdata")
    yield pkg
    sys.modules.pop("ijwtestdata", None)


def test_parsed_once_then_read_from_cache(pakket, monkeypatch):
    assert pakketdata.laad_toml("ijwtestdata", "t.toml") == {"a": {"x": "1", "y": [1, 2]}}
    assert (pakket / "__pycache__" / "t.toml.marshal").is_file()

    def geen_toml(*_a, **_k):
        raise AssertionError("parsed again although the cache is fresh")

    monkeypatch.setattr(tomllib, "load", geen_toml)
    assert pakketdata.laad_toml("ijwtestdata", "t.toml") == {"a": {"x": "1", "y": [1, 2]}}


def test_an_edited_table_is_parsed_again(pakket):
    pakketdata.laad_toml("ijwtestdata", "t.toml")
    tabel = pakket / "t.toml"
    st = tabel.stat()
    tabel.write_text('[a]\nx = "2"\ny = [3, 4]\n')  # same size
    os.utime(tabel, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert pakketdata.laad_toml("ijwtestdata", "t.toml") == {"a": {"x": "2", "y": [3, 4]}}


def test_a_broken_cache_is_ignored(pakket):
    pakketdata.laad_toml("ijwtestdata", "t.toml")
    (pakket / "__pycache__" / "t.toml.marshal").write_bytes(b"\x00kapot")
    assert pakketdata.laad_toml("ijwtestdata", "t.toml")["a"]["x"] == "1"


def test_no_cache_without_bytecode_writing_or_for_dates(pakket, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert pakketdata.laad_toml("ijwtestdata", "t.toml")["a"]["y"] == [1, 2]
    assert not (pakket / "__pycache__" / "t.toml.marshal").exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (pakket / "d.toml").write_text("dag = 2026-03-02\n")
    assert pakketdata.laad_toml("ijwtestdata", "d.toml") == {"dag": dt.date(2026, 3, 2)}
    cache = pakket / "__pycache__"
    assert not (cache / "d.toml.marshal").exists() and not list(cache.glob("*.tmp"))


def test_project_tables_equal_a_plain_parse():
    from ijwcli.model import datatypes

    for package, name in [("ijwcli.validatie.regels", "tabel.toml"),
                          ("ijwcli.model", "codelijsten.toml"),
                          ("ijwcli.model", "gemeenten_2026.toml")]:
        importlib.import_module(package)
        with open(pakketdata.pakketbestand(package, name), "rb") as fh:
            assert pakketdata.laad_toml(package, name) == tomllib.load(fh), name
    assert datatypes.codelijsten()["LDT_Eenheid"]["04"] == "Uur"
