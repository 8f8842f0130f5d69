"""Issue 10: ijwcli reports each of the 61 rules the official validation XSLT implements exactly
when that XSLT does, on thousands of generated XSD-valid messages.

The messages come from tests/regelmutanten.py (all 14 types; one rule broken, a value at a
boundary, or several changes at once). Each is checked by ../shared/tools/ijw-xslt-check (its
check(), in-process, on the written file) and by ijwcli. The deviations of
ijwcli/validatie/regels/afwijkingen.toml — where the XSLT is demonstrably wrong against the
rule text — leave out exactly their messages (their XPath) for exactly their rules.

Run with ``pytest -s`` to see the table per rule; scripts/xslt_differential.py runs more.
"""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from ijwcli.validatie.regels.overzicht import afwijkingen

from .conftest import IJW, SAMPLES, SHARED, needs_shared
from .regelmutanten import Generator, bases, vergelijk, xslt_tool

SEED = 20261202
AANTAL = 5000
TODAY = dt.date(2026, 12, 31)
CODES = ["JW301", "JW302", "JW305", "JW306", "JW307", "JW308", "JW315", "JW316", "JW317",
         "JW318", "JW319", "JW320", "JW323", "JW325"]


@pytest.fixture(scope="module")
def uitkomst(tmp_path_factory):
    needs_shared()
    if not (SHARED / "tools" / "ijw-xslt-check").is_file():
        pytest.skip("../shared/tools/ijw-xslt-check is not beside the checkout")
    tool = xslt_tool(SHARED)
    xsd = {c: etree.XMLSchema(etree.parse(str(IJW / "xsd" / f"{c.lower()}.xsd"))) for c in CODES}
    gen = Generator(bases([IJW / "voorbeelden", SAMPLES]), SEED)
    mutanten = list(gen.geldige(AANTAL, xsd))
    map_ = tmp_path_factory.mktemp("xslt-differential")
    v = vergelijk(mutanten, map_, tool, afwijkingen(), TODAY)
    print(f"\n{len(mutanten)} XSD-geldige berichten, per type: {v.per_type}")
    print(v.tabel())
    return tool, mutanten, v


def test_genoeg_berichten_van_elk_type(uitkomst):
    _tool, mutanten, v = uitkomst
    assert len(mutanten) >= 5000
    assert set(v.per_type) == set(CODES) and min(v.per_type.values()) >= 100


def test_de_61_regels_van_de_xslt(uitkomst):
    tool, _m, v = uitkomst
    assert len(tool.rules()) == 61 and set(v.per_regel) == set(tool.rules())


def test_ijwcli_meldt_elke_regel_precies_als_de_xslt(uitkomst):
    _tool, _m, v = uitkomst
    assert not v.oneens, "\n".join(f"{c} alleen door {wie}: {naam}"
                                   for naam, c, wie in v.oneens[:20])


def test_de_vergelijking_zegt_iets(uitkomst):
    # Agreement on rules that never fire would prove nothing: most fire, both ways.
    _tool, _m, v = uitkomst
    stil = sorted(c for c, u in v.per_regel.items() if u.xslt == 0)
    assert len(stil) <= 6, stil
    assert sum(u.xslt for u in v.per_regel.values()) >= 2000


def test_afwijkingen_noemen_bestaande_regels_van_de_xslt(uitkomst):
    tool, _m, _v = uitkomst
    for a in afwijkingen().values():
        assert set(a.regels) <= set(tool.rules()), a.naam
        etree.XPath(a.geval)  # compiles


@pytest.mark.parametrize(("bron", "element", "voor", "regel"), [
    ("jw323_declaratie.xml", "TotaalBedrag", "+", "TR358"),
    ("jw323_declaratie.xml", "TotaalBedrag", "00", "TR358"),
    ("jw323_declaratie.xml", "Bedrag", "+", "TR358"),
    ("jw325_declaratie_antwoord.xml", "TotaalBedrag", "+", "TR342"),
])
def test_opmaak_van_bedragen_is_een_gedocumenteerde_afwijking(tmp_path, bron, element, voor,
                                                               regel):
    # '+58000' or '0058000' is 58000 to the schema and to ijwcli; the XSLT reads text or NaN
    # and reports the sum as wrong (afwijkingen.toml, opmaak-van-bedragen).
    import re

    from ijwcli import validatie

    needs_shared()
    if not (SHARED / "tools" / "ijw-xslt-check").is_file():
        pytest.skip("../shared/tools/ijw-xslt-check is not beside the checkout")
    tekst = (SAMPLES / bron).read_text("utf-8")
    f = tmp_path / bron
    f.write_text(re.sub(rf"<ijw:{element}>(\d+)</", rf"<ijw:{element}>{voor}\1</", tekst,
                        count=1), "utf-8")
    code = bron[:5].upper()
    assert etree.XMLSchema(etree.parse(str(IJW / "xsd" / f"{code.lower()}.xsd"))).validate(
        etree.parse(str(f)))
    tool = xslt_tool(SHARED)
    transform = etree.XSLT(etree.parse(str(tool.XSL)))
    assert regel in {x["code"] for x in tool.check(transform, f)}
    assert validatie.validate_file(f, TODAY).valid
    a = afwijkingen()["opmaak-van-bedragen"]
    assert regel in a.regels and etree.parse(str(f)).xpath(a.geval)
    assert not etree.parse(str(SAMPLES / bron)).xpath(a.geval)
