"""Compile the message model into XML Schema, so that libxml2 checks structure at C speed.

The model (:mod:`ijwcli.model.datatypes`, :mod:`ijwcli.model.berichten`) is the source; the
XSD text is generated from it on demand and never stored. :func:`schema` gives a compiled,
cached :class:`lxml.etree.XMLSchema` per message type.

>>> xsd = berichtschema_xsd("JW319")
>>> b'name="Woonplaatsbeginsel"' in xsd
True
>>> schema("JW319").validate(etree.fromstring(b"<Bericht/>"))
False
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from ijwcli.model.berichten import BASIS_NS, get
from ijwcli.model.datatypes import CDT, LDT, Datatype, Element, Klasse

XS = "http://www.w3.org/2001/XMLSchema"
_BASIS_LOCATION = "ijwcli-basisschema.xsd"
# What a double-quoted attribute value must escape (xml.sax.saxutils.quoteattr does the same,
# but importing it pulls in urllib and http, a third of a one-file validation's start-up).
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                       "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def quoteattr(value: str) -> str:
    """``value`` as a double-quoted XML attribute value.

    >>> quoteattr('[^"<]&x')
    '"[^&quot;&lt;]&amp;x"'
    """
    return f'"{value.translate(_ATTR)}"'


# Patterns of the standard that libxml2 runs slowly (an automaton that may have to try
# several ways), each with one that accepts exactly the same values in XSD's regular
# expressions and reads every value in one way (tests/test_model_schema.py holds each pair to
# the same verdicts). In XSD ``.`` is any character but \n and \r, and ``\s`` is
# [ \t\n\r]. A schema validation takes 10 % (JW301) to 3 % (JW323) fewer instructions.
_SNELLER = {
    # "a non-space character, and no line break": spaces and tabs, then that character
    # (the first that is neither can only be it), then anything but a line break (the
    # dot: libxml2 tests it faster than the class that says the same).
    ".*[^\\s].*": "[ \\t]*[^\\s].*",
    # Groups of non-space characters with dots and white space around them, repeated:
    # every character is one or the other, so this is "some non-space character".
    "([.\\s]*\\S+[.\\s]*)+": "\\s*\\S[\\s\\S]*",
    # A group of one character, repeated: the class repeated.
    "([a-zA-Z\u00c0-\u1ef3])+": "[a-zA-Z\u00c0-\u1ef3]+",
}


def _facets(t: Datatype, out: list[str]) -> None:
    if t.min_length is not None:
        out.append(f'<xs:minLength value="{t.min_length}"/>')
    if t.max_length is not None:
        out.append(f'<xs:maxLength value="{t.max_length}"/>')
    for p in t.patterns:
        out.append(f"<xs:pattern value={quoteattr(_SNELLER.get(p, p))}/>")
    if t.min_value is not None:
        out.append(f'<xs:minInclusive value="{t.min_value}"/>')
    if t.max_value is not None:
        out.append(f'<xs:maxInclusive value="{t.max_value}"/>')
    for code in t.codes:
        out.append(f"<xs:enumeration value={quoteattr(code)}/>")


def _simple_type(t: Datatype, out: list[str]) -> None:
    name = f" name={quoteattr(t.name)}" if t.name else ""
    base = f"ijw:{t.parent.name}" if t.parent else f"xs:{t.base}"
    out.append(f'<xs:simpleType{name}><xs:restriction base="{base}">')
    _facets(t, out)
    out.append("</xs:restriction></xs:simpleType>")


def _type_ref(t: Datatype | Klasse, prefix: str) -> str:
    if isinstance(t, Klasse):
        return f"ijw:{t.name}" if t.basis else f"{prefix}:{t.name}"
    return f"ijw:{t.name}"


def _occurs(e: Element) -> str:
    s = "" if e.min == 1 else f' minOccurs="{e.min}"'
    if e.max != 1:
        s += ' maxOccurs="unbounded"' if e.max is None else f' maxOccurs="{e.max}"'
    return s


def _complex_type(k: Klasse, prefix: str, out: list[str]) -> None:
    out.append(f"<xs:complexType name={quoteattr(k.name)}><xs:sequence>")
    for e in k.elements:
        if isinstance(e.type, Datatype) and not e.type.name:
            out.append(f"<xs:element name={quoteattr(e.name)}{_occurs(e)}>")
            _simple_type(e.type, out)
            out.append("</xs:element>")
        else:
            out.append(f'<xs:element name={quoteattr(e.name)} type="{_type_ref(e.type, prefix)}"'
                       f"{_occurs(e)}/>")
    out.append("</xs:sequence></xs:complexType>")


def basisschema_xsd() -> bytes:
    out = [f'<xs:schema xmlns:xs="{XS}" xmlns:ijw="{BASIS_NS}" targetNamespace="{BASIS_NS}"'
           ' elementFormDefault="qualified">']
    for t in LDT.values():
        _simple_type(t, out)
    for k in CDT.values():
        _complex_type(k, "ijw", out)
    out.append("</xs:schema>")
    return "".join(out).encode("utf-8")


def berichtschema_xsd(code: str) -> bytes:
    d = get(code)
    out = [f'<xs:schema xmlns:xs="{XS}" xmlns:ijw="{BASIS_NS}" xmlns:{d.prefix}="{d.namespace}"'
           f' targetNamespace="{d.namespace}" elementFormDefault="qualified">'
           f'<xs:import namespace="{BASIS_NS}" schemaLocation="{_BASIS_LOCATION}"/>'
           f'<xs:element name="Bericht" type="{d.prefix}:Root"/>']
    for k in d.klassen():
        _complex_type(k, d.prefix, out)
    out.append("</xs:schema>")
    return "".join(out).encode("utf-8")


class _BasisResolver(etree.Resolver):
    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if url and url.endswith(_BASIS_LOCATION):
            return self.resolve_string(basisschema_xsd(), context)
        return None


@cache
def schema(code: str) -> etree.XMLSchema:
    """The compiled XML Schema of one message type (``JW301`` …), built once per process."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_BasisResolver())
    doc = etree.fromstring(berichtschema_xsd(get(code).code), parser,
                           base_url=f"ijwcli:/{code.lower()}.xsd")
    return etree.XMLSchema(etree.ElementTree(doc))
