"""Issue 10: byte- and markup-level fuzzing of every reference message (hypothesis).

Properties, for 7,000 + 3,000 cases in CI (set IJWCLI_FUZZ_VOORBEELDEN to run more, as
scripts/fuzz.py does):

- validate never raises, whatever the bytes (encodings, BOMs, NUL, DOCTYPE, entities,
  truncation, flipped bytes, comments, PIs and CDATA anywhere);
- a file ijwcli calls valid is valid for ../shared/tools/ijw-xsd-check too;
- the rules give the same verdict whether a value is written plainly or split by a comment or
  processing instruction, and the split itself is a finding (MARKUP);
- the CLI, run over a folder of such files, exits 0 or 1 (never 2, never a traceback).
"""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import importlib.util
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ijwcli.validatie import validate_bytes

from .conftest import IJW, SHARED

TODAY = dt.date(2026, 12, 31)
FACTOR = int(os.environ.get("IJWCLI_FUZZ_VOORBEELDEN", "1"))
VOORBEELDEN = sorted((IJW / "voorbeelden").glob("*.xml")) if IJW.is_dir() else []
BRONNEN = [f.read_bytes() for f in VOORBEELDEN]

pytestmark = pytest.mark.skipif(
    not VOORBEELDEN or not (SHARED / "tools" / "ijw-xsd-check").is_file(),
    reason="../shared (reference messages and ijw-xsd-check) is not beside the checkout")


def _xsd_tool():
    pad = SHARED / "tools" / "ijw-xsd-check"
    loader = importlib.machinery.SourceFileLoader("ijw_xsd_check", str(pad))
    spec = importlib.util.spec_from_loader("ijw_xsd_check", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


# --- byte- and markup-level mutations ------------------------------------------------------
TOKENS = [b"<!---->", b"<!-- x -->", b"<?pi x?>", b"<![CDATA[1]]>", b"&#x32;", b"&#50;",
          b"&amp;", b"&e;", b"&#0;", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"<!DOCTYPE x>",
          b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', b"<!ENTITY e 'x'>",
          b"<", b">", b"</", b"/>", b"\r\n", b"\r", b" ", b"\t", b"\xc3", b"\xc3\xa9",
          b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x0c", b"]]>", b"<?xml version='1.0'?>",
          b"xmlns=''", b'xmlns:x="urn:x"', b"0", b"-", b"9999"]
ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "cp500",
             "latin-1"]


def _pos(data: bytes, n: int) -> int:
    return n % (len(data) + 1)


@st.composite
def mutatie(draw: st.DrawFn) -> tuple:
    soort = draw(st.sampled_from(["flip", "voeg", "weg", "kap", "codeer", "tekst"]))
    n = draw(st.integers(0, 10**6))
    if soort == "flip":
        return soort, n, draw(st.integers(0, 255))
    if soort == "voeg":
        return soort, n, draw(st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=4)))
    if soort == "weg":
        return soort, n, draw(st.integers(1, 40))
    if soort == "kap":
        return soort, n, 0
    if soort == "codeer":
        return soort, n, draw(st.sampled_from(ENCODINGS))
    return soort, n, draw(st.sampled_from(TOKENS[:9]))


def pas_toe(data: bytes, m: tuple) -> bytes:
    soort, n, arg = m
    if soort == "flip":
        p = n % max(1, len(data))
        return data[:p] + bytes([arg]) + data[p + 1:]
    if soort == "voeg":
        p = _pos(data, n)
        return data[:p] + arg + data[p:]
    if soort == "weg":
        p = _pos(data, n)
        return data[:p] + data[p + arg:]
    if soort == "kap":
        return data[:_pos(data, n)]
    if soort == "codeer":
        try:
            return data.decode("utf-8").encode(arg)
        except (UnicodeDecodeError, UnicodeEncodeError):
            return data
    # "tekst": markup inside the text of an element (after a '>' that is followed by text)
    starts = [i + 1 for i in range(len(data) - 1) if data[i] == 0x3E and data[i + 1] != 0x3C
              and data[i + 1] not in b"\r\n\t "]
    if not starts:
        return data
    p = starts[n % len(starts)] + (n // 7) % 4
    return data[:p] + arg + data[p:]


@pytest.fixture(scope="module")
def xsd_check(tmp_path_factory):
    tool = _xsd_tool()
    pad = tmp_path_factory.mktemp("fuzz") / "m.xml"

    def check(data: bytes) -> bool:
        pad.write_bytes(data)
        return tool.check(pad)[0]

    return check


@settings(max_examples=7000 * FACTOR, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(bron=st.sampled_from(range(len(BRONNEN)) if BRONNEN else [0]),
       mutaties=st.lists(mutatie(), min_size=1, max_size=3))
def test_nooit_een_traceback_en_nooit_geldig_waar_de_xsd_nee_zegt(xsd_check, bron, mutaties):
    data = BRONNEN[bron]
    for m in mutaties:
        data = pas_toe(data, m)
    r = validate_bytes(data, "fuzz.xml", TODAY)  # raises nothing
    assert all(e.rule and e.message for e in r.errors)
    if r.valid:
        assert xsd_check(data), (mutaties, data[:300])


# --- a value written plainly or split by a comment / PI ------------------------------------
def _bladeren(tree: etree._ElementTree) -> list[etree._Element]:
    return [el for el in tree.getroot().iter(etree.Element)
            if not len(el) and el.text and el.text.strip()]


_WAARDEN = ["2026-01-01", "2026-12-31", "2020-12-31", "1900-01-01", "2099-04-03", "0", "1",
            "83", "13", "01", "999900006", "123456789", "C", "D", "NL", "1234AB", "99999999"]


@settings(max_examples=3000 * FACTOR, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(bron=st.sampled_from(range(len(BRONNEN)) if BRONNEN else [0]),
       keuze=st.integers(0, 10**6), wijzig=st.integers(0, 10**6),
       nieuw=st.one_of(st.none(), st.sampled_from(_WAARDEN)),
       knip=st.integers(0, 20), pi=st.booleans())
def test_zelfde_uitspraak_met_of_zonder_commentaar_in_een_waarde(bron, keuze, wijzig, nieuw,
                                                                 knip, pi):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.ElementTree(etree.fromstring(BRONNEN[bron], parser))
    bladeren = _bladeren(tree)
    if nieuw is not None:  # first a value that may break a rule
        bladeren[wijzig % len(bladeren)].text = nieuw
    el = bladeren[keuze % len(bladeren)]
    plat = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    tekst = el.text or ""
    k = knip % (len(tekst) + 1)
    el.text = tekst[:k]
    tussen = etree.ProcessingInstruction("x", "y") if pi else etree.Comment("c")
    tussen.tail = tekst[k:]
    el.append(tussen)
    gesplitst = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    a = sorted(e.rule for e in validate_bytes(plat, "plat.xml", TODAY).errors)
    b = [e.rule for e in validate_bytes(gesplitst, "gesplitst.xml", TODAY).errors]
    assert "MARKUP" in b
    assert sorted(c for c in b if c != "MARKUP") == a


def test_cli_over_een_map_met_gefuzzte_bestanden(tmp_path):
    rng = random.Random(10)
    for i in range(300):
        data = rng.choice(BRONNEN)
        for _ in range(rng.randint(1, 3)):
            soort = rng.choice(["flip", "voeg", "weg", "kap", "codeer", "tekst"])
            arg: object = {"flip": rng.randint(0, 255), "voeg": rng.choice(TOKENS),
                           "weg": rng.randint(1, 40), "kap": 0, "codeer": rng.choice(ENCODINGS),
                           "tekst": rng.choice(TOKENS[:9])}[soort]
            data = pas_toe(data, (soort, rng.randint(0, 10**6), arg))
        (tmp_path / f"{i:03d}.xml").write_bytes(data)
    res = subprocess.run([sys.executable, "-m", "ijwcli", "validate", str(tmp_path), "-q",
                          "--today", "2026-12-31"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert res.returncode in (0, 1), res.stderr
    assert "Traceback" not in res.stderr + res.stdout
