"""Schema and parser messages in plain Dutch: element, what was found, what is allowed
(issue 15 §5). Each case breaks the project's valid JW301 sample in one place."""

from __future__ import annotations

import re

import pytest

from ijwcli import validatie

from .conftest import SAMPLES

BRON = (SAMPLES / "jw301_toewijzing.xml").read_text("utf-8")
# Words of libxml2's English wording; none may reach a user.
ENGELS = re.compile(r"\b(?:the|is not|expected|Expected|facet|value|Couldn't|line|column|"
                    r"mismatch|Entity|allowed|Missing|Opening|parsing|Start Tag)\b")


def meldingen(tekst: str) -> list[str]:
    return [e.message for e in validatie.validate_bytes(tekst.encode(), "x.xml").errors]


@pytest.mark.parametrize("oud, nieuw, verwacht", [
    ("<jw301:Bsn>999900018", "<jw301:Bsn>1999900018",
     "Element Bsn: de waarde is 10 tekens lang, maximaal 9 toegestaan"),
    ("<jw301:Geslacht>2<", "<jw301:Geslacht>7<",
     "Element Geslacht: de waarde '7' staat niet in de codelijst; toegestaan: 0 (Onbekend), "
     "1 (Mannelijk), 2 (Vrouwelijk)"),
    ("<ijw:Datum>2014-05-09<", "<ijw:Datum>2014-13-09<",
     "Element Datum: '2014-13-09' is geen geldige datum (JJJJ-MM-DD)"),
    ("<ijw:Achternaam>Dijk</ijw:Achternaam>", "",
     "verwacht: Achternaam (ontbreekt Achternaam?)"),
    ("</jw301:Bsn>", "",
     "geen goedgevormde XML: begintag <Bsn> (regel 19) wordt afgesloten met </Client>"),
    ("Dijk", "Dijk & Zn", "losse '&' (schrijf &amp;), regel 26, kolom 27"),
    ("<jw301:Bsn>", "<jw301:Bsn a=1>", "een attribuutwaarde hoort tussen aanhalingstekens"),
    ("</jw301:Bericht>", "", "afgekapt?"),
])
def test_schema_and_parser_messages_are_dutch(oud: str, nieuw: str, verwacht: str) -> None:
    assert oud in BRON
    gevonden = meldingen(BRON.replace(oud, nieuw, 1))
    assert any(verwacht in m for m in gevonden), gevonden
    assert not [m for m in gevonden if ENGELS.search(m)], gevonden


def test_a_long_code_list_names_its_first_ten_and_where_the_rest_is() -> None:
    (m,) = [m for m in meldingen(BRON.replace("<jw301:Soort>10<", "<jw301:Soort>77<", 1))
            if "codelijst" in m]
    assert "SoortRelatie (23 codes); de eerste tien: 03 (Curator" in m and m.count(" (") >= 10
    assert "ijwcli/model/codelijsten.toml, tabel [LDT_" in m


def test_cut_off_after_a_prefix() -> None:
    # A file that ends inside a qualified name ("<ijw:"): libxml2 says "Failed to parse QName".
    (m,) = meldingen(BRON[:BRON.index("<ijw:") + 5])
    assert "onvolledige naam 'ijw:'" in m and "regel" in m and not ENGELS.search(m), m


def test_truncated_start_tag() -> None:
    (m,) = meldingen(BRON[:BRON.index("<jw301:Client>") + 6])
    assert not ENGELS.search(m) and "regel" in m
