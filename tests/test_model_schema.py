"""The schemas ijwcli compiles from its model (``ijwcli.model.schema``): where a pattern of the
standard is written in a form libxml2 runs faster (``_SNELLER``), both forms give every value
the same verdict, under libxml2's own XSD regular expressions."""

from __future__ import annotations

import itertools
import random

import pytest
from lxml import etree

from ijwcli.model import schema

XS = "http://www.w3.org/2001/XMLSchema"
# Every kind of character the patterns tell apart: XSD's white space, the other Unicode
# space, the dot, letters inside and outside the initials' range, a digit.
TEKENS = [" ", "\t", "\n", "\r", "\u00a0", ".", "a", "Z", "\u00c0", "\u1ef3", "\u1ef9", "7", "-"]


def _schema(patroon: str) -> etree.XMLSchema:
    xsd = (f'<xs:schema xmlns:xs="{XS}"><xs:element name="v"><xs:simpleType>'
           f'<xs:restriction base="xs:string"><xs:pattern value="{patroon}"/>'
           "</xs:restriction></xs:simpleType></xs:element></xs:schema>")
    return etree.XMLSchema(etree.fromstring(xsd.replace("\t", "&#9;").encode()))


def _waarde(tekst: str) -> etree._Element:
    # As character references: a raw carriage return would not survive the parser.
    inhoud = "".join(f"&#{ord(c)};" if c in "\t\n\r<&" else c for c in tekst)
    return etree.fromstring(f"<v>{inhoud}</v>".encode())


def _waarden() -> list[str]:
    alle = ["".join(p) for n in range(4) for p in itertools.product(TEKENS, repeat=n)]
    rnd = random.Random(17)
    alle += ["".join(rnd.choices(TEKENS, k=rnd.randint(4, 14))) for _ in range(1500)]
    return alle


@pytest.mark.parametrize(("standaard", "sneller"), sorted(schema._SNELLER.items()))
def test_sneller_patroon_zelfde_oordeel(standaard: str, sneller: str) -> None:
    assert standaard != sneller
    oud, nieuw = _schema(standaard), _schema(sneller)
    verschillen = [w for w in _waarden() if oud.validate(_waarde(w)) != nieuw.validate(_waarde(w))]
    assert not verschillen, [repr(w) for w in verschillen[:5]]
    # Both verdicts occur: the values tell the pattern something.
    uitslagen = {oud.validate(_waarde(w)) for w in _waarden()[:200]}
    assert uitslagen == {True, False}


def test_het_model_gebruikt_elk_patroon_en_het_schema_de_snellere() -> None:
    # A pattern the model no longer has would be a dead entry; the compiled schema text
    # holds the faster forms only.
    basis = schema.basisschema_xsd().decode()
    from ijwcli.model import datatypes

    gebruikt = {p for t in vars(datatypes).values() if isinstance(t, dict)
                for d in t.values() if isinstance(d, datatypes.Datatype) for p in d.patterns}
    for standaard, sneller in schema._SNELLER.items():
        assert standaard in gebruikt, standaard
        assert f'value="{standaard}"' not in basis
        assert f'value="{sneller}"' in basis or sneller.replace("\t", "&#9;") in basis
