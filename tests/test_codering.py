"""Issue 10: every encoding other than UTF-8 is refused (OP192) before any XML or DTD work,
and a comment or processing instruction inside a value neither hides it from the rules nor
passes unremarked."""

from __future__ import annotations

import datetime as dt

import pytest

from ijwcli.validatie import validate_bytes

from .conftest import SAMPLES

JW301 = (SAMPLES / "jw301_toewijzing.xml").read_text("utf-8")
JW305 = (SAMPLES / "jw305_start.xml").read_text("utf-8")
GEEN_DECL = JW301.split("?>", 1)[1].lstrip()
# An external entity and an entity that expands: refused, never resolved, never a traceback.
DTD = '<!DOCTYPE Bericht [<!ENTITY e SYSTEM "file:///etc/passwd"><!ENTITY x "xx">]>'
_KOP, _SLOT = JW301.rsplit("</", 1)
MET_DTD = (_KOP + "&e;&x;</" + _SLOT).replace("?>", "?>" + DTD, 1)


def _varianten() -> dict[str, str]:
    return {"decl": JW301, "zonder-decl": GEEN_DECL, "dtd": MET_DTD,
            "witruimte": "\n  " + GEEN_DECL}


ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
             "cp500", "cp037", "cp1140"]


@pytest.mark.parametrize("variant", sorted(_varianten()))
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_other_encodings_are_op192(encoding, variant):
    text = _varianten()[variant]
    for t in (text, text.replace('encoding="UTF-8"', f'encoding="{encoding}"')):
        r = validate_bytes(t.encode(encoding), "x.xml")
        assert not r.valid and [e.rule for e in r.errors] == ["OP192"], r.errors


@pytest.mark.parametrize("encoding", ["utf-32", "utf-16"])
def test_bom_variants_name_the_encoding(encoding):
    r = validate_bytes(JW301.encode(encoding), "x.xml")
    assert encoding.upper() in r.errors[0].message and "met BOM" in r.errors[0].message


@pytest.mark.parametrize("decl", ["ISO-8859-1", "UTF-16", "us-ascii", "utf-8 ", "windows-1252"])
@pytest.mark.parametrize("quote", ['"', "'"])
def test_declared_encoding_other_than_utf8_is_op192(decl, quote):
    # The bytes are plain ASCII (valid UTF-8); the declaration alone says otherwise.
    text = JW301.replace('encoding="UTF-8"', f"encoding = {quote}{decl}{quote}")
    r = validate_bytes(text.encode("ascii", "xmlcharrefreplace"), "x.xml")
    assert [e.rule for e in r.errors] == ["OP192"] and repr(decl) in r.errors[0].message


@pytest.mark.parametrize("decl", ["UTF-8", "utf-8", "Utf-8"])
def test_declared_utf8_in_any_case_is_fine(decl):
    r = validate_bytes(JW301.replace('encoding="UTF-8"', f'encoding="{decl}"').encode(),
                       "x.xml", dt.date(2026, 12, 31))
    assert r.valid, r.errors


def test_nul_byte_anywhere_is_op192():
    r = validate_bytes((_KOP + "\x00</" + _SLOT).encode(), "x.xml")
    assert [e.rule for e in r.errors] == ["OP192"]


def test_dtd_in_utf8_is_refused_without_expansion():
    r = validate_bytes(MET_DTD.encode(), "x.xml")
    assert not r.valid and "DOCTYPE" in r.errors[0].message


# --- comments and processing instructions inside values -----------------------------------
BEGIN = "<jw305:Begindatum>2026-03-09</jw305:Begindatum>"


def _start(waarde: str) -> bytes:
    assert BEGIN in JW305
    return JW305.replace(BEGIN, f"<jw305:Begindatum>{waarde}</jw305:Begindatum>", 1).encode()


@pytest.mark.parametrize("waarde", ["209<!---->9-03-02", "2099<?x y?>-03-02",
                                    "<!-- a -->2099-03-02", "2099-03-02<?pi?>"])
def test_a_comment_does_not_hide_the_value(waarde):
    # 2099 to the schema, so 2099 to TR134 (after the Dagtekening); the markup is a finding.
    plain = validate_bytes(_start("2099-03-02"), "x.xml", dt.date(2026, 12, 31))
    split = validate_bytes(_start(waarde), "x.xml", dt.date(2026, 12, 31))
    assert "TR134" in {e.rule for e in plain.errors}
    assert {e.rule for e in split.errors} == {e.rule for e in plain.errors} | {"MARKUP"}
    (m,) = [e for e in split.errors if e.rule == "MARKUP"]
    assert m.path.endswith("Begindatum") and "2099-03-02" in m.message
