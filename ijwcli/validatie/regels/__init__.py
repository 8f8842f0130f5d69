"""The rule layer: a table of rule codes and a registry of small check functions.

Every rule has one row in ``tabel.toml`` (retourcode, message types, level, Dutch text) and,
where it can be checked, one function registered with :func:`regel`. A check receives a
:class:`Context` (the parsed message, its type, the reference date) and yields
:class:`Bevinding` objects. :func:`run` runs every check that applies to the message type.

>>> TABEL["CS002"].retourcode
'0001'
>>> "CS002" in CHECKS
True
>>> sorted(c for c in CHECKS if TABEL[c].niveau == "schema")[:3]
['CS002', 'CS003', 'CS089']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from ijwcli.model.berichten import BERICHTEN, Berichtdefinitie
from ijwcli.pakketdata import laad_toml


@dataclass(frozen=True)
class Regel:
    code: str
    retourcode: str
    berichten: tuple[str, ...]
    niveau: str
    tekst: str
    toelichting: str = ""
    # Also checked in the retourberichten of those types, which carry the same classes (the
    # official validation matches these rules on basisschema elements, in any message).
    ook_retour: bool = False

    def geldt_voor(self, bericht: str) -> bool:
        if "*" in self.berichten or bericht in self.berichten:
            return True
        if self.ook_retour:
            d = BERICHTEN.get(bericht)
            return d is not None and d.heen is not None and d.heen in self.berichten
        return False


@dataclass
class Bevinding:
    """One finding: which rule, which retourcode, where (element path and line), and why."""

    rule: str
    retourcode: str
    path: str | None
    line: int | None
    message: str
    # A warning reports without making the message invalid (a regional agreement that asks
    # for a look, such as a maximum termijn); it is listed apart, never as an error.
    waarschuwing: bool = False
    # A cross-message rule names the earlier message the finding concerns
    # ("JW301 T-0042 van 2026-01-05"); None for a rule inside one message.
    betreft: str | None = None

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"rule": self.rule, "retourcode": self.retourcode,
                                "path": self.path, "line": self.line, "message": self.message}
        if self.betreft is not None:
            d["betreft"] = self.betreft
        return d


def _laad_tabel() -> dict[str, Regel]:
    return {code: Regel(code, r["retourcode"], tuple(r["berichten"]), r["niveau"], r["tekst"],
                        r.get("toelichting", ""), r.get("ook_retour", False))
            for code, r in laad_toml("ijwcli.validatie.regels", "tabel.toml").items()}


TABEL: dict[str, Regel] = _laad_tabel()


# Local names by Clark tag ("{ns}Bsn" → "Bsn"): a message has a few dozen distinct tags, and
# a dict lookup is cheaper than splitting every tag string again. Bounded, so that a batch of
# files full of made-up tags cannot grow it without end.
_LOCAL: dict[str, str] = {}
_LOCAL_MAX = 5000


class Context:
    """The message being checked: its tree, type and reference date, and the index the rule
    walk builds (:meth:`_lees`) that every check reads.

    A plain class rather than a dataclass: making a dataclass runs its generated methods
    through the compiler at import, a cost of every one-file call, and a Context is never
    compared or printed.
    """

    def __init__(self, tree: etree._ElementTree, definitie: Berichtdefinitie,
                 today: dt.date | None = None) -> None:
        self.tree = tree
        self.definitie = definitie
        self.today = dt.date.today() if today is None else today
        self._index: dict[str, list[etree._Element]] | None = None
        self._kinderen: dict[etree._Element, dict[str, etree._Element]] | None = None
        self._waarden: dict[etree._Element, str | None] | None = None
        self._leeg: list[etree._Element] | None = None
        self._markup: list[etree._Element] = []
        self._posities: dict[tuple[etree._Element, str], dict[etree._Element, int]] = {}
        # A very large message (ijwcli.validatie sets it): the walk reads the tag names on
        # proxies it lets go and keeps fresh ones, because lxml caches each element's tag
        # string on its proxy: ~110 bytes per kept element, 300 MB in a declaratie of 200,000
        # prestaties.
        self.groot = False

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def _lees(self) -> None:
        # One walk over the tree serves every check: it files each element under its local
        # name and under its parent (the answers of hulp.kinderen() while run() checks),
        # and notes the empty leaves
        # for RS033. Crossing from libxml2 into Python per element is most of the rule
        # layer's cost, so the walk does it once; the index keeps the proxies alive, so
        # later reads of the same elements are cheap.
        index: dict[str, list[etree._Element]] = {}
        kinderen: dict[etree._Element, dict[str, etree._Element]] = {}
        waarden: dict[etree._Element, str | None] = {}
        leeg: list[etree._Element] = []
        local = _LOCAL
        root = self.root
        namen = iter(self._namen()) if self.groot else None
        for el in root.iter(etree.Element):
            if namen is None:
                tag = el.tag
                name = local.get(tag)
                if name is None:
                    name = tag.rpartition("}")[2]
                    if len(local) < _LOCAL_MAX:
                        local[tag] = name
            else:
                name = next(namen)
            same = index.get(name)
            if same is None:
                index[name] = [el]
            else:
                same.append(el)
            if not len(el):
                # Only the empty leaves are noted; a value is read when a check asks for it
                # (hulp.waarde): holding every value as well cost a declaratie of 200,000
                # prestaties hundreds of MB.
                text = el.text
                if text is None or not text.strip():
                    leeg.append(el)
            if el is root:
                continue
            ouder = el.getparent()
            k = kinderen.get(ouder)
            if k is None:
                kinderen[ouder] = {name: el}
            elif name not in k:
                k[name] = el  # a repeated name keeps its first occurrence, as kinderen() does
        # A comment or processing instruction inside a value splits its text: el.text is
        # only the part before it, while the schema reads the whole string value
        # ("209<!---->9-04-03" is 2099-04-03). Such elements have children, so the walk
        # above took them for classes; give them their whole value, and note them (a
        # finding of their own). Rare: one pass in C finds whether there is any at all.
        for c in root.iter(etree.Comment, etree.ProcessingInstruction):
            ouder = c.getparent()
            if ouder is None or ouder in waarden:
                continue
            if any(isinstance(x.tag, str) for x in ouder):
                continue  # between the children of a class: harmless
            self._markup.append(ouder)
            text = "".join(ouder.itertext()).strip()
            waarden[ouder] = text or None
            if not text:
                leeg.append(ouder)
            kinderen[ouder] = {}
        self._index, self._kinderen, self._waarden, self._leeg = index, kinderen, waarden, leeg

    def _namen(self) -> list[str]:
        """The local name of every element in document order, read on proxies that die at
        once (the root's stays: the tree holds it), so no tag string outlives this pass."""
        local = _LOCAL
        namen: list[str] = []
        for el in self.root.iter(etree.Element):
            tag = el.tag
            name = local.get(tag)
            if name is None:
                name = tag.rpartition("}")[2]
                if len(local) < _LOCAL_MAX:
                    local[tag] = name
            namen.append(name)
        return namen

    def markup(self) -> list[etree._Element]:
        """The values (elements without child elements) that hold a comment or PI."""
        if self._leeg is None:
            self._lees()
        return self._markup

    def leeg(self) -> list[etree._Element]:
        """The elements without children and without text (or only white space)."""
        if self._leeg is None:
            self._lees()
        return self._leeg  # type: ignore[return-value]

    def iter(self, localname: str) -> Iterator[etree._Element]:
        """Every element with this local name, in document order, whatever its namespace."""
        if self._index is None:
            self._lees()
        return iter(self._index.get(localname, ()))  # type: ignore[union-attr]

    def bevinding(self, code: str, el: etree._Element | None, message: str) -> Bevinding:
        r = TABEL[code]
        return Bevinding(code, r.retourcode, pad(el, self._posities) if el is not None else None,
                         el.sourceline if el is not None else None, message)


Check = Callable[[Context], Iterable[Bevinding]]
CHECKS: dict[str, Check] = {}
# The checks per message type, in CHECKS order; emptied whenever a check is registered.
_PER_BERICHT: dict[str, list[Check]] = {}


def regel(code: str) -> Callable[[Check], Check]:
    """Register ``fn`` as the check of rule ``code`` (which must be in the table)."""
    if code not in TABEL:
        raise KeyError(f"regel {code} staat niet in tabel.toml")

    def register(fn: Check) -> Check:
        CHECKS[code] = fn
        _PER_BERICHT.clear()
        return fn

    return register


def pad(el: etree._Element,
        posities: dict[tuple[etree._Element, str], dict[etree._Element, int]] | None = None,
        ) -> str:
    """A readable path below the root, e.g. ``Client/ToegewezenProducten/ToegewezenProduct[2]``.

    ``posities`` keeps the numbering of the siblings of each parent and tag between calls
    on the same (unchanged) tree: a declaratie with thousands of Prestaties and a finding on
    each stays linear instead of counting the siblings again for every finding.
    """
    cache: dict[tuple[etree._Element, str], dict[etree._Element, int]] = (
        {} if posities is None else posities)
    parts: list[str] = []
    parent = el.getparent()
    while parent is not None:
        tag = el.tag
        nummers = cache.get((parent, tag))
        if nummers is None:
            nummers = cache[(parent, tag)] = {
                c: i for i, c in enumerate(parent.iterchildren(tag), 1)}
        name = tag.rpartition("}")[2]
        parts.append(f"{name}[{nummers[el]}]" if len(nummers) > 1 else name)
        el, parent = parent, parent.getparent()
    return "/".join(reversed(parts))


def _checks_voor(bericht: str) -> list[Check]:
    """The checks that apply to a message type, worked out once per type."""
    checks = _PER_BERICHT.get(bericht)
    if checks is None:
        checks = [c for code, c in CHECKS.items() if TABEL[code].geldt_voor(bericht)]
        _PER_BERICHT[bericht] = checks
    return checks


def run(ctx: Context) -> list[Bevinding]:
    out: list[Bevinding] = []
    if ctx._kinderen is None:
        ctx._lees()
    hulp._kinderen_cache, hulp._waarde_cache = ctx._kinderen, ctx._waarden
    try:
        for check in _checks_voor(ctx.definitie.code):
            out.extend(check(ctx))
    finally:
        hulp._kinderen_cache = hulp._waarde_cache = None
    return out


# Importing the check modules registers their functions; they need the names above.
from ijwcli.validatie.regels import hulp  # noqa: E402, I001
from ijwcli.validatie.regels import datatypen  # noqa: E402, F401, I001
from ijwcli.validatie.regels import declaratie  # noqa: E402, F401
from ijwcli.validatie.regels import header  # noqa: E402, F401
from ijwcli.validatie.regels import toewijzing  # noqa: E402, F401
from ijwcli.validatie.regels import verzoek  # noqa: E402, F401
