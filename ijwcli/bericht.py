"""Read and write iJw messages as typed trees that follow the message model.

A :class:`Bericht` is a message type plus a tree of :class:`Node` objects. Every node knows its
model class, so new elements land in the order the standard prescribes, whatever order the
caller adds them in. Values stay as their lexical text (``"04"`` keeps its leading zero);
:meth:`Node.datum` and :meth:`Node.getal` read them typed.

>>> b = new("JW319")
>>> a = b.root.add("Antwoord")
>>> _ = a.add("VerzoekAntwoord", "1")
>>> _ = a.add("ReferentieAanbieder", "REF-1")  # added later, written first
>>> [c.name for c in a.children]
['ReferentieAanbieder', 'VerzoekAntwoord']
>>> b.root.value("Header/BerichtCode")
'488'
>>> parse(to_xml(b), validate=False).root.value("Antwoord/ReferentieAanbieder")
'REF-1'

Reading is safe for untrusted files: no DTD, no entities, no network (see :func:`read_tree`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from ijwcli.errors import FileError, InvalidInput, InvalidMessage
from ijwcli.model.berichten import (
    BASIS_NS,
    BERICHTEN,
    NS_PREFIX,
    Berichtdefinitie,
    bericht_voor_namespace,
)
from ijwcli.model.datatypes import Klasse

XSD_VERSIE = "1.0.0"
# Classes that carry one product line (a toewijzing, a start, a prestatie …) per message type.
PRODUCT_KLASSEN = frozenset({
    "ToegewezenProduct", "StartProduct", "StopProduct", "AangevraagdProduct",
    "OngewijzigdProduct", "TeWijzigenProduct", "NieuwProduct", "Prestatie",
})

# remove_blank_text: nothing reads the layout between elements (TR101 compares lines without
# it, the writer indents afresh), and a tree without those text nodes is parsed in half the
# time and validated and walked faster. Whitespace inside a leaf (``<X> </X>``) stays.
# encoding: the bytes are read as UTF-8 whatever they declare (check_bytes refuses any other
# declaration first), so no byte pattern can switch libxml2 to another decoder.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, encoding="utf-8", remove_blank_text=True)


@cache
def _dtd() -> re.Pattern[bytes]:
    # Compiled when first needed: most messages hold no "<!" at all (see check_bytes).
    return re.compile(rb"<!(doctype|entity)", re.IGNORECASE)


_GEWONE_DECLARATIE = b'<?xml version="1.0" encoding="UTF-8"?>'
_DECL_ENCODING = re.compile(rb"""^<\?xml\s[^>]*?encoding\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Byte patterns by which an XML parser recognises an encoding other than UTF-8 (XML 1.0,
# appendix F), longest first: the UTF-32 marks begin like the UTF-16 ones.
_SIGNATUREN = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, met BOM)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, met BOM)"),
    (b"\x00\x00\xff\xfe", "UCS-4 (ongebruikelijke volgorde, met BOM)"),
    (b"\xfe\xff\x00\x00", "UCS-4 (ongebruikelijke volgorde, met BOM)"),
    (b"\xfe\xff", "UTF-16 (big-endian, met BOM)"),
    (b"\xff\xfe", "UTF-16 (little-endian, met BOM)"),
    (b"\x00\x00\x00<", "UTF-32 (big-endian, zonder BOM)"),
    (b"<\x00\x00\x00", "UTF-32 (little-endian, zonder BOM)"),
    (b"\x00\x00<\x00", "UCS-4 (ongebruikelijke volgorde)"),
    (b"\x00<\x00\x00", "UCS-4 (ongebruikelijke volgorde)"),
    (b"\x00<", "UTF-16 (big-endian, zonder BOM)"),
    (b"<\x00", "UTF-16 (little-endian, zonder BOM)"),
    (b"\x4c\x6f\xa7\x94", "EBCDIC"),
)
_SIGNATUUR_BEGIN = frozenset({b"\x00", b"\xfe", b"\xff", b"\x4c"})


class Node:
    """One element: a class node has ``children``, a value node has ``text``."""

    __slots__ = ("name", "klasse", "children", "text", "line")

    def __init__(self, name: str, klasse: Klasse | None = None, text: str | None = None,
                 line: int | None = None) -> None:
        self.name = name
        self.klasse = klasse
        self.children: list[Node] = []
        self.text = text
        self.line = line

    def __repr__(self) -> str:
        inner = repr(self.text) if self.klasse is None else f"{len(self.children)} children"
        return f"<Node {self.name} {inner}>"

    def child(self, name: str) -> Node | None:
        for c in self.children:
            if c.name == name:
                return c
        return None

    def find(self, path: str) -> Node | None:
        """The first node at ``path`` (``"Header/BerichtIdentificatie/Dagtekening"``)."""
        node: Node | None = self
        for part in path.split("/"):
            node = node.child(part) if node else None
        return node

    def findall(self, path: str) -> list[Node]:
        """Every node at ``path``, following every repetition on the way."""
        nodes = [self]
        for part in path.split("/"):
            nodes = [c for n in nodes for c in n.children if c.name == part]
        return nodes

    def value(self, path: str) -> str | None:
        node = self.find(path)
        return node.text if node is not None else None

    def datum(self, path: str) -> dt.date | None:
        v = self.value(path)
        return dt.date.fromisoformat(v) if v else None

    def getal(self, path: str) -> int | None:
        v = self.value(path)
        return int(v) if v else None

    def iter(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.iter()

    def add(self, name: str, text: str | None = None) -> Node:
        """Add a child in model order; a value goes on a value element, nothing on a class."""
        if self.klasse is None:
            raise KeyError(f"{self.name} is geen klasse")
        element = self.klasse.element(name)  # KeyError names the class and element
        order = [e.name for e in self.klasse.elements]
        klasse = element.type if isinstance(element.type, Klasse) else None
        node = Node(name, klasse, None if klasse else text)
        pos = len(self.children)
        idx = order.index(name)
        while pos > 0 and order.index(self.children[pos - 1].name) > idx:
            pos -= 1
        self.children.insert(pos, node)
        return node

    def set(self, path: str, text: str | None) -> None:
        """Set the value at ``path``, creating missing parents; ``None`` removes the element."""
        *parents, last = path.split("/")
        node = self
        for part in parents:
            node = node.child(part) or node.add(part)
        existing = node.child(last)
        if text is None:
            if existing is not None:
                node.children.remove(existing)
        elif existing is not None:
            existing.text = text
        else:
            node.add(last, text)

    def fill(self, data: dict[str, object]) -> Node:
        """Add children from plain data, the inverse of :meth:`to_dict` (lists repeat)."""
        for name, value in data.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    self.add(name).fill(item)
                else:
                    self.add(name, str(item))
        return self

    def to_dict(self) -> dict | str | None:
        """Plain data: a class becomes ``{name: value-or-list}``, repeated names become lists."""
        if self.klasse is None and not self.children:
            return self.text
        out: dict[str, object] = {}
        for c in self.children:
            v = c.to_dict()
            if c.name in out:
                prev = out[c.name]
                out[c.name] = [*prev, v] if isinstance(prev, list) else [prev, v]
            elif self.klasse and self.klasse.element(c.name).repeats:
                out[c.name] = [v]
            else:
                out[c.name] = v
        return out


@dataclass
class Bericht:
    definitie: Berichtdefinitie
    root: Node

    @property
    def code(self) -> str:
        return self.definitie.code

    @property
    def header(self) -> Node:
        h = self.root.child("Header")
        if h is None:
            raise KeyError("bericht zonder Header")
        return h

    @property
    def identificatie(self) -> str | None:
        return self.root.value("Header/BerichtIdentificatie/Identificatie")

    @property
    def clienten(self) -> list[Node]:
        return [n for n in self.root.iter() if n.name == "Client" and n.klasse is not None]

    @property
    def producten(self) -> list[Node]:
        return [n for n in self.root.iter() if n.name in PRODUCT_KLASSEN]

    def to_dict(self) -> dict:
        return {"bericht": self.code, "inhoud": self.root.to_dict()}


def new(code: str) -> Bericht:
    """An empty message of type ``code`` with the fixed header values filled in."""
    d = BERICHTEN[code.upper()]
    root = Node("Bericht", d.root)
    h = root.add("Header")
    h.add("BerichtCode", d.berichtcode)
    h.add("BerichtVersie", "3")
    h.add("BerichtSubversie", "2")
    h.set("XsdVersie/BasisschemaXsdVersie", XSD_VERSIE)
    h.set("XsdVersie/BerichtXsdVersie", XSD_VERSIE)
    return Bericht(d, root)


def from_dict(code: str, data: dict[str, object]) -> Bericht:
    """A message of type ``code`` from plain data shaped like :meth:`Bericht.to_dict`'s inhoud.

    >>> b = from_dict("JW319", {"Antwoord": {"ReferentieAanbieder": "R1", "VerzoekAntwoord": "1"}})
    >>> from_dict("JW319", b.root.to_dict()).root.to_dict() == b.root.to_dict()
    True
    """
    b = new(code)
    header = data.get("Header")
    if isinstance(header, dict):
        # Given header values win over the defaults of new(), XsdVersie included.
        b.header.children = [c for c in b.header.children if c.name not in header]
        b.header.fill(header)
    b.root.fill({k: v for k, v in data.items() if k != "Header"})
    return b


def check_bytes(data: bytes) -> None:
    """The file rules that come before XML parsing; raises :class:`InvalidMessage`.

    >>> check_bytes(b"\\xef\\xbb\\xbf<a/>")
    Traceback (most recent call last):
        ...
    ijwcli.errors.InvalidMessage: byte-order mark (BOM) gevonden; gebruik UTF-8 zonder BOM
    """
    if not data or data.isspace():
        raise InvalidMessage("het bestand is leeg", line=1)
    if data.startswith(b"\xef\xbb\xbf"):
        raise InvalidMessage("byte-order mark (BOM) gevonden; gebruik UTF-8 zonder BOM",
                             rule="OP192", line=1)
    andere = _andere_codering(data)
    if andere:
        raise InvalidMessage(f"het bestand is {andere}; iJw-bestanden zijn UTF-8 (zonder BOM)",
                             rule="OP192", line=1)
    # The declaration nearly every message starts with needs no regular expression.
    m = None if data.startswith(_GEWONE_DECLARATIE) else _DECL_ENCODING.match(data[:300])
    genoemd = m and (m.group(1) if m.group(1) is not None else m.group(2))
    if m and genoemd.upper() not in (b"UTF-8", b"UTF8"):  # type: ignore[union-attr]
        naam = genoemd.decode("utf-8", "replace")  # type: ignore[union-attr]
        raise InvalidMessage(f"de XML-declaratie noemt encoding {naam!r}; "
                             "iJw-bestanden zijn UTF-8", rule="OP192", line=1)
    try:
        data.isascii() or data.decode("utf-8")  # isascii: one fast pass, most messages
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidMessage(f"ongeldige UTF-8-byte op positie {exc.start}", rule="OP192",
                             line=line) from None
    # Refuse before parsing: a DTD can pull in files (XXE) or expand entities without end.
    # "!" first, then "<!": a one-byte search (memchr) is cheaper still than the two-byte
    # find, which is far cheaper than the case-blind search; most messages have no "!" at
    # all (no DOCTYPE, comment or CDATA).
    m = _dtd().search(data) if b"!" in data and b"<!" in data else None
    if m:
        line = data[: m.start()].count(b"\n") + 1
        raise InvalidMessage("een DOCTYPE of ENTITY-declaratie is niet toegestaan in een "
                             "iJw-bericht", line=line)


def _andere_codering(data: bytes) -> str | None:
    """The encoding other than UTF-8 that the bytes are in, by their signature; else None.

    >>> _andere_codering("<a/>".encode("utf-32")), _andere_codering(b"<a/>")
    ('UTF-32 (little-endian, met BOM)', None)
    """
    # Every signature starts with NUL, 0xFE, 0xFF or "L", or has NUL second; a message that
    # starts "<?" (nearly all) skips the table.
    if data[:1] in _SIGNATUUR_BEGIN or data[1:2] == b"\x00":
        for teken, naam in _SIGNATUREN:
            if data.startswith(teken):
                return naam
    # Leading white space before the root hides the signature from the table above; a NUL
    # is no XML character in any encoding, so UTF-8 text never holds one.
    if b"\x00" in data:
        return "geen UTF-8 (het bevat nul-bytes: UTF-16 of UTF-32?)"
    return None


def read_tree(data: bytes) -> etree._ElementTree:
    """Parse bytes after :func:`check_bytes`; raises :class:`InvalidMessage` on bad XML."""
    check_bytes(data)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        from ijwcli.model.xsdtaal import parserfout

        line = exc.lineno if exc.lineno else None
        raise InvalidMessage(f"geen goedgevormde XML: {parserfout(exc.msg)}", line=line) from None
    return etree.ElementTree(root)


# Root tag → message definition: every file of a batch asks, and most ask with the same tag.
_ROOTS: dict[str, Berichtdefinitie] = {}


def definitie_van(tree: etree._ElementTree) -> Berichtdefinitie:
    root = tree.getroot()
    d = _ROOTS.get(root.tag)  # type: ignore[call-overload]
    if d is not None:
        return d
    qn = etree.QName(root)
    d = bericht_voor_namespace(qn.namespace or "")
    if d is None:
        waar = f"namespace {qn.namespace!r}" if qn.namespace else "geen namespace"
        raise InvalidMessage(f"rootelement {qn.localname!r} heeft {waar}; geen iJw 3.2-bericht "
                             f"(verwacht {NS_PREFIX}jwNNN/schema)",
                             line=root.sourceline)
    if qn.localname != "Bericht":
        raise InvalidMessage(f"rootelement is {qn.localname!r}, verwacht 'Bericht'",
                             line=root.sourceline)
    _ROOTS[root.tag] = d  # type: ignore[index]
    return d


def _to_node(el: etree._Element, klasse: Klasse | None) -> Node:
    name = etree.QName(el).localname
    node = Node(name, klasse, None, el.sourceline)
    if klasse is None:
        node.text = el.text or ""
        return node
    for c in el:
        if not isinstance(c.tag, str):
            continue  # comments and processing instructions carry no data
        cname = etree.QName(c).localname
        try:
            t = klasse.element(cname).type
        except KeyError:
            t = None
        node.children.append(_to_node(c, t if isinstance(t, Klasse) else None))
    return node


def from_tree(tree: etree._ElementTree) -> Bericht:
    d = definitie_van(tree)
    return Bericht(d, _to_node(tree.getroot(), d.root))


def parse(data: bytes, validate: bool = True, name: str | None = None) -> Bericht:
    """Read a message from bytes; with ``validate`` it must pass the model's schema.

    The rules (elfproef, dates, totals) are the validation layer's:
    :func:`ijwcli.validatie.parse` reads a message that must pass those as well.
    """
    tree = read_tree(data)
    if validate:
        from ijwcli.model.schema import schema
        from ijwcli.model.xsdtaal import vertaal

        s = schema(definitie_van(tree).code)
        if not s.validate(tree):
            err = s.error_log[0]
            raise InvalidMessage(vertaal(err.message), rule="XSD", line=err.line, where=name)
    return from_tree(tree)


def parse_file(path: str | os.PathLike[str], validate: bool = True) -> Bericht:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileError(f"kan {p} niet lezen: {exc.strerror}") from None
    return parse(data, validate=validate, name=str(p))


def _build(node: Node, parent: etree._Element | None, ns: str, d: Berichtdefinitie,
           path: str = "") -> etree._Element:
    tag = f"{{{ns}}}{node.name}"
    if parent is None:
        el = etree.Element(tag, nsmap={d.prefix: d.namespace, "ijw": BASIS_NS})
    else:
        el = etree.SubElement(parent, tag)
    if node.klasse is None:
        try:
            el.text = node.text
        except ValueError:
            # A control character or NUL (from a spreadsheet cell, a CSV row) has no place in
            # XML 1.0; name the element rather than surface lxml's ValueError.
            raise InvalidInput(f"{node.text!r} bevat een teken dat niet in XML kan "
                               "(stuurteken of NUL)", where=path) from None
        return el
    child_ns = BASIS_NS if node.klasse.basis else d.namespace
    for c in node.children:
        _build(c, el, child_ns, d, f"{path}/{c.name}" if path else c.name)
    return el


def to_xml(bericht: Bericht) -> bytes:
    """Serialize per the iStandaarden file rules: UTF-8 without BOM, CR/LF, one element a line.

    Raises :class:`InvalidInput` naming the element when a value holds a character XML 1.0
    cannot carry.
    """
    d = bericht.definitie
    root = _build(bericht.root, None, d.namespace, d)
    etree.indent(root, space="\t")
    body = etree.tostring(root, encoding="UTF-8")
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
    return xml.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
