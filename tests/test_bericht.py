"""The typed message API: build in any order, write in model order, read back equal."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ijwcli import bericht, validatie
from ijwcli.errors import FileError, InvalidInput, InvalidMessage

from .conftest import IJW, SAMPLES


def test_sample_parses_into_typed_parts():
    b = bericht.parse_file(SAMPLES / "jw301_toewijzing.xml")
    assert b.code == "JW301"
    assert b.identificatie == "T2026030201"
    assert [c.value("Bsn") for c in b.clienten] == ["999900018"]
    (product,) = b.producten
    assert product.value("Product/Code") == "45A05"
    assert product.datum("Einddatum").isoformat() == "2027-02-28"
    assert product.getal("Omvang/Volume") == 100


def test_declaratie_clients_and_prestaties():
    b = bericht.parse_file(SAMPLES / "jw323_declaratie.xml")
    assert [c.value("Bsn") for c in b.clienten] == ["999900018"]
    assert [p.name for p in b.producten] == ["Prestatie"]


def test_add_keeps_model_order_and_set_replaces_or_removes():
    b = bericht.parse_file(SAMPLES / "jw301_toewijzing.xml")
    (p,) = b.producten
    p.set("Einddatum", None)
    assert p.child("Einddatum") is None
    p.set("Einddatum", "2027-01-31")
    names = [c.name for c in p.children]
    assert names.index("Einddatum") == names.index("Ingangsdatum") + 1
    p.set("Omvang/Volume", "120")
    again = bericht.parse(bericht.to_xml(b))
    assert again.producten[0].value("Einddatum") == "2027-01-31"
    assert again.producten[0].value("Omvang/Volume") == "120"


def test_unknown_element_is_refused_on_add():
    b = bericht.new("JW305")
    with pytest.raises(KeyError, match="Header has no element Foo"):
        b.header.add("Foo", "x")


def test_parse_with_validation_raises_on_schema_failure():
    data = (SAMPLES / "jw305_start.xml").read_bytes().replace(b">999900018<", b">12345678<")
    with pytest.raises(InvalidMessage) as exc:
        bericht.parse(data, name="start.xml")
    assert exc.value.rule == "XSD" and "Bsn" in exc.value.message
    assert exc.value.line is not None and exc.value.exit_code == 1


def test_validatie_parse_raises_on_a_broken_rule():
    # The rules are the validation layer's: bericht.parse checks the schema only.
    data = (SAMPLES / "jw305_start.xml").read_bytes().replace(b">999900018<", b">123456789<")
    assert bericht.parse(data).code == "JW305"
    with pytest.raises(InvalidMessage) as exc:
        validatie.parse(data, name="start.xml")
    assert exc.value.rule == "CS002"
    assert exc.value.line is not None and exc.value.exit_code == 1
    assert bericht.parse(data, validate=False).clienten[0].value("Bsn") == "123456789"


def test_parse_file_missing_is_file_error(tmp_path):
    with pytest.raises(FileError, match="kan .* niet lezen"):
        bericht.parse_file(tmp_path / "weg.xml")


def test_written_xml_keeps_leading_zeros_and_text_exactly():
    b = bericht.parse_file(SAMPLES / "jw315_verzoek_om_toewijzing.xml")
    xml = bericht.to_xml(b)
    assert b"<ijw:Eenheid>04</ijw:Eenheid>" in xml
    assert b"<ijw:ZorgverlenerCode>01123456</ijw:ZorgverlenerCode>" in xml


def _messages() -> list[Path]:
    refs = sorted((IJW / "voorbeelden").glob("*.xml")) if IJW.is_dir() else []
    return refs + sorted(SAMPLES.glob("*.xml"))


@pytest.mark.parametrize("path", _messages(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_typed_parts_of_every_message(path):
    # Counted with plain lxml: a product line is an item of a ...Producten or Prestaties list.
    doc = etree.parse(str(path)).getroot()
    local = etree.QName
    want_clients = [el for el in doc.iter(etree.Element) if local(el).localname == "Client"]
    want_products = [local(el).localname for el in doc.iter(etree.Element)
                     if el.getparent() is not None
                     and local(el.getparent()).localname.endswith(("Producten", "Prestaties"))]
    b = bericht.parse_file(path, validate=False)
    assert b.code == local(doc).namespace.split("/")[-2].upper()
    assert b.header.value("BerichtCode") == b.definitie.berichtcode
    assert b.identificatie == doc.findtext("{*}Header/{*}BerichtIdentificatie/{*}Identificatie")
    assert [c.value("Bsn") for c in b.clienten] == [c.findtext("{*}Bsn") for c in want_clients]
    assert [p.name for p in b.producten] == want_products


@pytest.mark.parametrize("text", ["Di\x01jk", "Dijk\x00", "Dijk\ufffe"],
                         ids=["ctrl", "nul", "fffe"])
def test_text_xml_cannot_carry_is_refused_with_the_element(text):
    # A value from a spreadsheet or CSV row can hold a control character; writing must name
    # the element, not end in lxml's ValueError.
    b = bericht.parse_file(SAMPLES / "jw307_stop.xml")
    b.clienten[0].set("Naam/Geslachtsnaam/Achternaam", text)
    with pytest.raises(InvalidInput) as exc:
        bericht.to_xml(b)
    assert exc.value.where == "Client/Naam/Geslachtsnaam/Achternaam"
    assert repr(text) in exc.value.message and exc.value.exit_code == 1


def test_readme_library_example_runs(monkeypatch, capsys):
    # The README's Library section is the typed API's front door: it must run as written.
    readme = (SAMPLES.parent / "README.md").read_text("utf-8")
    section = readme.split("\n## Library\n", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(SAMPLES.parent)
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == [
        "JW301 T2026030201 ['999900018']", "['700001']", "True"]
