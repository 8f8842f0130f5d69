"""A ZilliZ-style workbook → messages (the inverse of :mod:`ijwcli.excel.schrijven`).

:func:`lees_werkboek` reads every sheet set (``JW315 Bericht``, ``JW315 AangevraagdeProducten``
…) in openpyxl's read-only mode and builds one :class:`~ijwcli.bericht.Bericht` per message
key. Every problem becomes a :class:`Fout` that names sheet, cell (with its column) and reason in
Dutch (``cel F2 (Geslachtsnaam Achternaam) is verplicht``); a message with a cell error is left
out of the result, so the caller decides what to write, and kept in ``onvolledig`` (built
without the bad cells) so that the caller can still check the rest: one run, every problem.

Rows of one message repeat the client's fields; they must agree. On the data sheet rows that
share the values of an upper level (the Client of a declaratie) form one item of that level.
"""

from __future__ import annotations

import gc
import io
import os
import re
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ijwcli.bericht import Bericht, Node, new
from ijwcli.errors import FileError, InvalidInput
from ijwcli.excel.cellen import CelFout, van_cel
from ijwcli.excel.layout import (
    BETEKENIS,
    CODELIJSTEN,
    SLEUTEL,
    SOORT,
    Kolom,
    Layout,
    Sheet,
    layout,
    sheet_prefix,
)
from ijwcli.model.datatypes import Klasse


@dataclass
class Fout:
    """One problem: where (sheet, cell) and why. ``bericht`` is the message key it spoils."""

    reden: str
    sheet: str | None = None
    cel: str | None = None
    bericht: str | None = None
    code: str | None = None
    bestand: str | None = None
    regel: int | None = None  # line in an XML input
    rule: str | None = None  # the iStandaarden rule (CS002, TR301, XSD) of a validation finding
    retourcode: str | None = None
    pad: str | None = None  # element path in the message
    kolom: str | None = None  # the column header of ``cel``

    def __str__(self) -> str:
        """``Sheet S, cel F2 (Geslachtsnaam Achternaam) is verplicht`` and the like."""
        bestand = f"{self.bestand}:{self.regel}" if self.bestand and self.regel else self.bestand
        waar = []
        if self.sheet:
            waar.append(f"Sheet {self.sheet}")
        if self.cel:
            cel = self.cel if self.cel.startswith("rij ") else f"cel {self.cel}"
            waar.append(f"{cel} ({self.kolom})" if self.kolom else cel)
        plaats = ", ".join(waar)
        if plaats and self.reden.startswith(("is ", "wijkt ")):
            return ": ".join(x for x in (bestand, f"{plaats} {self.reden}") if x)
        return ": ".join(x for x in (bestand, plaats, self.reden) if x)

    def to_dict(self) -> dict[str, Any]:
        """As a finding of ``--format json`` (:mod:`ijwcli.cli.uitvoer`): validate's keys
        (``rule`` EXCEL for a problem of the workbook itself) plus where in the workbook."""
        return {"rule": self.rule or "EXCEL", "retourcode": self.retourcode, "path": self.pad,
                "line": self.regel, "message": self.reden, "file": self.bestand,
                "sheet": self.sheet, "cel": self.cel, "kolom": self.kolom,
                "bericht": self.bericht, "berichttype": self.code}


def _herkomst(blad: int, rij: int, kolom: int = -1) -> int:
    """Where a node comes from as one number: sheet (its index in the layout), row and
    column (-1: the whole row). A tuple of sheet name and cell text per node was a third of
    the memory of a large workbook.

    A node built from a workbook has no line of an XML input, so its ``line`` holds this
    number (``None``: no cell of its own, its parent's origin applies). A dict from node id
    to origin cost some 300 MB for a declaratie of 200,000 prestaties.

    >>> _plaats(("A", "B"), _herkomst(1, 12, 27)), _plaats(("A", "B"), _herkomst(0, 3))
    (('B', 'AB12'), ('A', 'rij 3'))
    """
    return (blad << 52) | (rij << 16) | (kolom + 1)


def _plaats(bladen: tuple[str, ...], code: int) -> tuple[str, str]:
    from openpyxl.utils import get_column_letter

    rij, kolom = (code >> 16) & ((1 << 36) - 1), code & 0xFFFF
    return bladen[code >> 52], f"{get_column_letter(kolom)}{rij}" if kolom else f"rij {rij}"


@dataclass
class Gelezen:
    """One message built from the workbook, with where it came from."""

    bericht: Bericht
    sleutel: str
    sheet: str
    rij: int
    # The sheets the origins in the nodes' ``line`` (:func:`_herkomst`) number.
    bladen: tuple[str, ...] = ()
    # Cells already reported (a bad or an empty required cell): the message is built without
    # them so that the rest is still checked, is never written, and the validator's findings
    # about those cells (or the elements they leave out) are not reported twice.
    onvolledig: bool = False
    gemeld: set[tuple[str, str]] = field(default_factory=set, repr=False)
    ontbrekend: set[str] = field(default_factory=set, repr=False)

    # After :meth:`naar_bytes`: per line of the XML, where it comes from (``kaart[regel]``),
    # and what is still needed of the message itself.
    kaart: array[int] | None = field(default=None, repr=False)
    code: str = field(default="", init=False)
    identificatie: str | None = field(default=None, init=False)
    berichtcode: str = field(default="", init=False)

    def naar_bytes(self) -> bytes:
        """The message as :func:`naar_xml` writes it. From then on :meth:`waar` answers
        from a line map and the nodes are let go: in a declaratie of 200,000 prestaties
        they are most of the memory, which the validation of the bytes needs next."""
        self.code = self.bericht.code
        self.identificatie = self.bericht.identificatie
        self.berichtcode = self.bericht.definitie.berichtcode
        kaart = array("q")
        root = self.bericht.root
        self.bericht.root = Node(root.name, root.klasse)
        xml = naar_xml(Bericht(self.bericht.definitie, root), kaart, loslaten=True)
        self.kaart = kaart
        return xml

    def waar(self, regel: int | None) -> tuple[str, str]:
        """Sheet and cell behind line ``regel`` of the message written by ``to_xml``.

        ``to_xml`` puts every start tag, value element and end tag on its own line after
        the XML declaration; a node built without a cell of its own (a wrapper, the parent of a
        missing element) answers with its nearest ancestor's row.
        """
        if regel is None or regel < 2:
            return self.sheet, f"rij {self.rij}"
        if self.kaart is not None:
            code = self.kaart[regel] if regel < len(self.kaart) else -1
            return (self.sheet, f"rij {self.rij}") if code < 0 else _plaats(self.bladen, code)
        pad: list[Node] = []
        teller = 1

        def zoek(node: Node, diepte: int) -> bool:
            nonlocal teller
            del pad[diepte:]
            pad.append(node)
            teller += 1
            if teller == regel:
                return True
            if node.children:
                if any(zoek(c, diepte + 1) for c in node.children):
                    return True
                del pad[diepte + 1:]
                teller += 1  # the end tag
                return teller == regel
            return False

        if zoek(self.bericht.root, 0):
            for node in reversed(pad):
                if node.line is not None:
                    return _plaats(self.bladen, node.line)
        return self.sheet, f"rij {self.rij}"


_XML_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# Lines written before they are encoded into the output: a few MB of text at a time, so
# that a large message never exists as lines, as one text and as bytes at once.
_STUK = 8192


def naar_xml(b: Bericht, kaart: array[int] | None = None, loslaten: bool = False) -> bytes:
    """The bytes :func:`ijwcli.bericht.to_xml` writes for ``b``, written as text directly.

    Same layout (UTF-8, CR/LF, a tab per level, one element a line: :meth:`Gelezen.waar`
    counts on it), without building an lxml tree, indenting it and serializing it. With
    ``kaart`` the origin of every line (:func:`_herkomst`, in the nodes' ``line``) goes into
    that array at the line's number: the node's own or its nearest ancestor's, -1 for none.
    With ``loslaten`` the message is emptied while it is written (each class node's
    children): in a declaratie of 200,000 prestaties the nodes are freed as the bytes grow,
    instead of all coexisting with them.

    >>> from ijwcli import bericht
    >>> b = bericht.from_dict("JW319", {"Antwoord": {"ReferentieAanbieder": "R&D <1>"}})
    >>> naar_xml(b) == bericht.to_xml(b)
    True
    """
    from ijwcli.model.berichten import BASIS_NS

    d = b.definitie
    eigen, basis = f"{d.prefix}:", "ijw:"
    buf = io.BytesIO()
    uit: list[str] = []
    add = uit.append
    regels = kaart if kaart is not None else array("q")
    regel = regels.append
    root = b.root
    # Origins only with a map: the nodes of a parsed message hold their line there.
    met_kaart = kaart is not None
    wortel = root.line if met_kaart and root.line is not None else -1
    regels.extend((wortel, wortel))  # line 0 (none) and the XML declaration
    escape = _XML_ESCAPE

    def schrijf(node: Node, prefix: str, inspring: str, ouder: int) -> None:
        tag = prefix + node.name
        code = node.line
        if code is None or not met_kaart:
            code = ouder
        regel(code)
        if node.klasse is None:
            tekst = node.text
            if tekst is None:
                add(f"{inspring}<{tag}/>\r\n")
            else:
                # translate() looks up every character in a dict; most values need nothing.
                if "&" in tekst or "<" in tekst or ">" in tekst or "\r" in tekst:
                    tekst = tekst.translate(escape)
                if "\n" in tekst:  # a line break in a value: more lines, the same origin
                    regels.extend([code] * tekst.count("\n"))
                    tekst = tekst.replace("\n", "\r\n")
                add(f"{inspring}<{tag}>{tekst}</{tag}>\r\n")
        elif node.children:
            add(f"{inspring}<{tag}>\r\n")
            kind = basis if node.klasse.basis else eigen
            dieper = inspring + "\t"
            for c in node.children:
                tekst = c.text
                # A plain value (most nodes) is written here: a call per value cost a tenth
                # of a large declaratie's conversion.
                if c.klasse is None and tekst is not None and "\n" not in tekst:
                    regel(code if c.line is None or not met_kaart else c.line)
                    if "&" in tekst or "<" in tekst or ">" in tekst or "\r" in tekst:
                        tekst = tekst.translate(escape)
                    add(f"{dieper}<{kind}{c.name}>{tekst}</{kind}{c.name}>\r\n")
                else:
                    schrijf(c, kind, dieper, code)
            add(f"{inspring}</{tag}>\r\n")
            regel(code)
            if loslaten:
                node.children = []
            if len(uit) > _STUK:
                buf.write("".join(uit).encode())
                del uit[:]
        else:
            add(f"{inspring}<{tag}/>\r\n")

    tag = eigen + root.name
    kop = (f'<?xml version="1.0" encoding="UTF-8"?>\r\n<{tag} xmlns:{d.prefix}="{d.namespace}" '
           f'xmlns:ijw="{BASIS_NS}"')
    code = wortel
    regel(code)
    try:
        if root.children:
            add(f"{kop}>\r\n")
            kind = basis if root.klasse is not None and root.klasse.basis else eigen
            for c in root.children:
                schrijf(c, kind, "\t", code)
            add(f"</{tag}>\r\n")
            regel(code)
            if loslaten:
                root.children = []
        else:
            add(f"{kop}/>\r\n")
    finally:
        # ``schrijf`` refers to itself: without this the function, and through it the
        # buffer, would live until the cyclic collector runs, and convert runs without it.
        schrijf = None  # type: ignore[assignment]  # noqa: F841
    buf.write("".join(uit).encode())
    del uit[:]
    # getvalue() hands over the buffer's own bytes object: no copy of the message.
    return buf.getvalue()


@dataclass
class Resultaat:
    berichten: list[Gelezen] = field(default_factory=list)
    fouten: list[Fout] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    # Messages with a reported cell, built without it: only to be checked for the rest.
    onvolledig: list[Gelezen] = field(default_factory=list)
    # (sheet, cell) of every cell already reported; per message key the elements left empty.
    gemeld: set[tuple[str, str]] = field(default_factory=set, repr=False)
    ontbrekend: dict[str, set[str]] = field(default_factory=dict, repr=False)


class _Rij:
    """One row: its values by column, and every column's cell reference (empty cells too),
    made when asked from the row number and the sheet's column letters; a string per cell
    of every row would outweigh the values."""

    __slots__ = ("rij", "sleutel", "soort", "waarden", "kolommen", "basis")

    def __init__(self, rij: int, sleutel: str, soort: str | None, waarden: dict[Kolom, Any],
                 kolommen: dict[Kolom, tuple[int, str]], blad: int = 0) -> None:
        self.rij, self.sleutel, self.soort, self.waarden = rij, sleutel, soort, waarden
        self.kolommen = kolommen  # column → (0-based index, letters), shared by the sheet
        self.basis = _herkomst(blad, rij)

    def cel(self, k: Kolom) -> str:
        return f"{self.kolommen[k][1]}{self.rij}"


_MERGE = re.compile(rb'<mergeCell\s+ref="([^"]+)"')

# Workbooks openpyxl reads (a macro workbook too: its macros are left alone).
WERKBOEK_EXTENSIES = frozenset({".xlsx", ".xlsm"})
# Spreadsheets in other formats. They count as workbook input, so that the user hears what to
# do with them rather than being told they are not well-formed XML.
ANDERE_REKENBLADEN = {
    ".xls": "een oud Excel-bestand (.xls)",
    ".xlsb": "een binaire Excel-werkmap (.xlsb)",
    ".ods": "een OpenDocument-rekenblad (.ods)",
    ".csv": "een CSV-bestand",
}


def is_werkboek(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is spreadsheet input by its extension (the direction of a conversion).

    >>> is_werkboek("in.XLSX"), is_werkboek("oud.xls"), is_werkboek("bericht.xml")
    (True, True, False)
    """
    suffix = Path(path).suffix.lower()
    return suffix in WERKBOEK_EXTENSIES or suffix in ANDERE_REKENBLADEN


def _controleer_bestand(p: Path) -> None:
    """Say plainly what a non-xlsx file is, before openpyxl says it less plainly."""
    try:
        with p.open("rb") as f:
            kop = f.read(8)
    except OSError as exc:
        raise FileError(f"kan {p} niet lezen: {exc.strerror}") from None
    if kop.startswith(b"\xd0\xcf\x11\xe0"):
        data = p.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise InvalidInput("het werkboek is met een wachtwoord beveiligd; sla het op "
                               "zonder wachtwoord en probeer opnieuw", where=str(p))
        raise InvalidInput("dit is een oud Excel-bestand (.xls); sla het op als .xlsx",
                           where=str(p))
    soort = ANDERE_REKENBLADEN.get(p.suffix.lower())
    if soort is not None:
        raise InvalidInput(f"dit is {soort}; open het in Excel en sla het op als .xlsx "
                           "(Excel-werkmap)", where=str(p))
    if not kop.startswith(b"PK\x03\x04"):
        raise InvalidInput("geen xlsx-bestand (Excel-werkmap)", where=str(p))
    from ijwcli.bestanden import PakketTeGroot, controleer_pakket

    try:
        controleer_pakket(p)
    except PakketTeGroot as exc:
        raise InvalidInput(f"werkboek geweigerd: {exc.reden}", where=str(p)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        # NotImplementedError: a zip version or compression method Python cannot unpack.
        raise InvalidInput(f"geen geldig xlsx-bestand ({type(exc).__name__}: {exc})",
                           where=str(p)) from None


def _open(p: Path) -> Any:
    from ijwcli.excel.xlsx import open_werkboek

    _controleer_bestand(p)
    from ijwcli.excel.xlsx import XlsxFout

    try:
        return open_werkboek(p)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        oorzaak = exc if isinstance(exc, XlsxFout) else exc.__cause__
        if isinstance(oorzaak, XlsxFout):  # beyond a limit (openpyxl wraps it in ValueError)
            raise InvalidInput(f"werkboek geweigerd: {oorzaak.reden}", where=str(p)) from None
        raise InvalidInput(f"geen geldig xlsx-bestand ({type(exc).__name__}: {exc})",
                           where=str(p)) from None


def _samengevoegd(wb: Any, ws: Any) -> list[str]:
    """The merged ranges of a sheet (``<mergeCell ref="A1:B2"/>``), read in pieces: a large
    sheet is never held whole for this."""
    refs: list[str] = []
    rest = b""
    try:
        with wb._archive.open(ws._worksheet_path) as f:
            while stuk := f.read(1 << 20):
                data = rest + stuk
                # A match starts at a '<' and holds no other: one cut at the last '<' leaves
                # every match whole on one side.
                knip = data.rfind(b"<")
                if knip < 0:
                    knip = len(data)
                refs.extend(m.decode() for m in _MERGE.findall(data, 0, knip))
                rest = data[knip:]
                if len(rest) > 1 << 20:
                    rest = b""  # no tag is this long
            refs.extend(m.decode() for m in _MERGE.findall(rest))
    except (KeyError, AttributeError, zipfile.BadZipFile):
        return []
    return refs


def _sleutel(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v).strip()


_GEEN = object()
_CACHE = 4096  # converted values kept per column


def _lees_sheet(wb: Any, sheet: Sheet, res: Resultaat, code: str, enkel: bool,
                rows: Iterator[tuple[int, tuple[Any, ...]]] | None = None, blad: int = 0
                ) -> Iterator[_Rij]:
    """The rows of one sheet; header problems go to ``res`` (and stop the sheet if fatal)."""
    from openpyxl.utils import get_column_letter

    from ijwcli.excel.xlsx import rijen

    if rows is None:
        rows = rijen(wb, wb[sheet.naam])
    eerste = next(rows, None)
    if eerste is None or eerste[0] != 1:
        res.fouten.append(Fout("de kopregel (rij 1) ontbreekt", sheet.naam, code=code))
        return
    kop = eerste[1]
    per_naam = {k.naam: k for k in sheet.kolommen}
    afgeleid = {f"{k.naam} {BETEKENIS}" for k in sheet.kolommen}
    kolommen: list[tuple[int, Kolom]] = []
    sleutel_i: int | None = None
    soort_i: int | None = None
    gezien: set[str] = set()
    fataal = False
    for i, naam in enumerate(kop):
        if naam is None:
            continue
        naam = str(naam).strip()
        letter = get_column_letter(i + 1)
        if naam in gezien:
            res.fouten.append(Fout(f"kolom '{naam}' staat er twee keer in", sheet.naam,
                                   f"{letter}1", code=code))
            fataal = True
        gezien.add(naam)
        if naam == SLEUTEL:
            sleutel_i = i
        elif naam == SOORT and sheet.heeft_soort:
            soort_i = i
        elif naam in per_naam:
            kolommen.append((i, per_naam[naam]))
        elif naam not in afgeleid:
            res.waarschuwingen.append(f"Sheet {sheet.naam}, cel {letter}1: onbekende kolom "
                                      f"'{naam}' wordt genegeerd")
    for k in sheet.kolommen:
        if k.verplicht and k.naam not in gezien:
            res.fouten.append(Fout(f"verplichte kolom '{k.naam}' ontbreekt", sheet.naam,
                                   code=code))
            fataal = True
    if sheet.heeft_soort and soort_i is None:
        res.fouten.append(Fout(f"kolom '{SOORT}' ontbreekt (welke productlijst per rij)",
                               sheet.naam, code=code))
        fataal = True
    if sleutel_i is None and not enkel:
        res.fouten.append(Fout(f"kolom '{SLEUTEL}' ontbreekt; nodig bij meer dan één bericht",
                               sheet.naam, code=code))
        fataal = True
    if fataal:
        return
    letters = {i: get_column_letter(i + 1) for i, _ in kolommen}
    per_kolom = {k: (i, letters[i]) for i, k in kolommen}
    # The same value recurs down a column (the declaratie's fields on every row, a few dates
    # and codes): converted once per column. A list value is left out, being mutable.
    # Per column, in sheet order: index, column, converted plain texts, other values by type
    # (True and 1, or a formula and its text, are not the same cell); None: not cached.
    plan: list[tuple[int, Kolom, dict[str, Any] | None, dict[tuple[type, Any], Any] | None]] = [
        (i, k, None, None) if k.soort == "lijst" else (i, k, {}, {}) for i, k in kolommen]
    soorten = sheet.niveaus[-1].soorten if sheet.heeft_soort else ()
    for r, row in rows:
        if not any(v is not None and v != "" for v in row):
            continue
        n = len(row)
        sleutel = _sleutel(row[sleutel_i]) if sleutel_i is not None and sleutel_i < n else ""
        soort = None
        if soort_i is not None and soort_i < n and row[soort_i] not in (None, ""):
            soort = str(row[soort_i]).strip()
            if soort not in soorten:
                res.fouten.append(Fout(f"'{soort}' is geen soort; kies uit {', '.join(soorten)}",
                                       sheet.naam, f"{get_column_letter(soort_i + 1)}{r}",
                                       sleutel, code))
                soort = "?"
        waarden: dict[Kolom, Any] = {}
        for i, k, teksten, anders in plan:
            if i >= n:
                break  # the columns come in sheet order
            ruw = row[i]
            if ruw is None:
                continue
            sleutel_cel: Any
            cache: dict[Any, Any] | None
            if ruw.__class__ is str:
                cache, sleutel_cel = teksten, ruw
            else:
                cache, sleutel_cel = anders, (ruw.__class__, ruw)
            v = cache.get(sleutel_cel, _GEEN) if cache is not None else _GEEN
            if v is _GEEN:
                try:
                    v = van_cel(k, ruw)
                except CelFout as exc:
                    cel = f"{letters[i]}{r}"
                    res.fouten.append(Fout(f"'{ruw}': {exc}" if str(exc)[:1] != "'" else
                                           str(exc), sheet.naam, cel, sleutel, code,
                                           kolom=k.naam))
                    res.gemeld.add((sheet.naam, cel))
                    res.ontbrekend.setdefault(sleutel, set()).add(k.pad[-1])
                    continue
                if cache is not None and len(cache) < _CACHE:
                    cache[sleutel_cel] = v
            if v is not None:
                waarden[k] = v
        yield _Rij(r, sleutel, soort, waarden, per_kolom, blad)


# id(model class) → (the class, {element name: (position, child class or None)})
_VOLGORDE: dict[int, tuple[Klasse, dict[str, tuple[int, Klasse | None]]]] = {}


def _volgorde(klasse: Klasse) -> dict[str, tuple[int, Klasse | None]]:
    hit = _VOLGORDE.get(id(klasse))
    if hit is None or hit[0] is not klasse:
        hit = _VOLGORDE[id(klasse)] = (klasse, {
            e.name: (i, e.type if isinstance(e.type, Klasse) else None)
            for i, e in enumerate(klasse.elements)})
    return hit[1]


_GEEN_KINDEREN: tuple[Node, ...] = ()


def _add(ouder: Node, naam: str, tekst: str | None = None) -> Node:
    """:meth:`Node.add` with the model order looked up once per class instead of per call."""
    klasse = ouder.klasse
    if klasse is None:
        raise KeyError(f"{ouder.name} is geen klasse")
    hit = _VOLGORDE.get(id(klasse))
    volgorde = hit[1] if hit is not None and hit[0] is klasse else _volgorde(klasse)
    plek = volgorde.get(naam)
    if plek is None:
        ouder.klasse.element(naam)  # raises the KeyError naming class and element
        raise KeyError(naam)
    idx, klasse = plek
    node = Node(naam, klasse, None if klasse else tekst)
    if klasse is None:
        # A value has no children: one shared empty tuple instead of an empty list per
        # value (some 170 MB in a declaratie of 200,000 prestaties).
        node.children = _GEEN_KINDEREN  # type: ignore[assignment]
    kinderen = ouder.children
    pos = len(kinderen)
    if not pos or volgorde[kinderen[-1].name][0] <= idx:
        kinderen.append(node)  # the common case: columns come in the model's order
        return node
    while pos > 0 and volgorde[kinderen[pos - 1].name][0] > idx:
        pos -= 1
    kinderen.insert(pos, node)
    return node


def _pad(node: Node, pad: tuple[str, ...]) -> Node:
    for deel in pad:
        node = node.child(deel) or _add(node, deel)
    return node


def _leeg_verplicht(k: Kolom, rij: _Rij) -> bool:
    """An empty cell the model requires whenever its row's item is there (a column for some
    product kinds only, or with a value the model fixes, is left to the validator)."""
    return (k.verplicht and k.vast is None and not k.soorten and k not in rij.waarden
            and k in rij.kolommen)


# One column of a plan (:func:`_plan`): the column, its parent path below the row's item,
# and its element name.
_Stap = tuple[Kolom, tuple[str, ...], str]


@dataclass(frozen=True)
class _Plan:
    """What building items from rows needs of a list of columns, worked out once per sheet
    instead of once per row."""

    kolommen: list[Kolom]
    stappen: tuple[_Stap, ...]
    # The columns :func:`_leeg_verplicht` may find empty (required, no fixed value, for
    # every product kind), in the same order.
    verplicht: tuple[Kolom, ...]
    lijst: bool  # any column of repeating values (a list, not hashable)


# id(column list) → (the list, its plan); the lists are those of the cached layouts.
_PLANNEN: dict[int, tuple[list[Kolom], _Plan]] = {}


def _plan(kolommen: list[Kolom]) -> _Plan:
    hit = _PLANNEN.get(id(kolommen))
    if hit is not None and hit[0] is kolommen:
        return hit[1]
    plan = _Plan(kolommen, tuple((k, k.pad[:-1], k.pad[-1]) for k in kolommen),
                 tuple(k for k in kolommen if k.verplicht and k.vast is None
                       and not k.soorten), any(k.soort == "lijst" for k in kolommen))
    _PLANNEN[id(kolommen)] = (kolommen, plan)
    return plan


def _verplicht(rij: _Rij, kolommen: list[Kolom] | _Plan, sheet: str, res: Resultaat,
               code: str) -> None:
    """Every empty required cell of the row, by cell reference: ``cel F2 (…) is verplicht``."""
    if isinstance(kolommen, _Plan):
        waarden, per_kolom = rij.waarden, rij.kolommen
        if all(k in waarden or k not in per_kolom for k in kolommen.verplicht):
            return
        kolommen = list(kolommen.verplicht)
    for k in kolommen:
        if _leeg_verplicht(k, rij) and (sheet, rij.cel(k)) not in res.gemeld:
            res.fouten.append(Fout("is verplicht", sheet, rij.cel(k), rij.sleutel, code,
                                   kolom=k.naam))
            res.gemeld.add((sheet, rij.cel(k)))
            res.ontbrekend.setdefault(rij.sleutel, set()).add(k.pad[-1])


# (id(plan), id(item class)) → (the plan, the class, whether its steps come in the model's
# order below that class, each value element with its parents' children then appended).
_OP_VOLGORDE: dict[tuple[int, int], tuple[_Plan, Klasse, bool]] = {}


def _op_volgorde(plan: _Plan, klasse: Klasse | None) -> bool:
    """Whether the plan's steps, taken in turn on a new item of ``klasse``, each add an
    element after all its siblings (the model's order) and only value elements at their
    ends: then appending is what :func:`_add` would do."""
    if klasse is None:
        return False
    hit = _OP_VOLGORDE.get((id(plan), id(klasse)))
    if hit is not None and hit[0] is plan and hit[1] is klasse:
        return hit[2]
    posities: list[tuple[int, ...]] = []
    goed = True
    for _kolom, ouderpad, naam in plan.stappen:
        klas: Klasse | None = klasse
        pos: list[int] = []
        for deel in (*ouderpad, naam):
            plek = _volgorde(klas).get(deel) if klas is not None else None
            if plek is None:
                goed = False
                break
            pos.append(plek[0])
            klas = plek[1]
        if not goed or klas is not None:
            goed = False  # an unknown element (the error _add raises) or a class at the end
            break
        posities.append(tuple(pos))
    goed = goed and posities == sorted(posities)
    _OP_VOLGORDE[(id(plan), id(klasse))] = (plan, klasse, goed)
    return goed


def _zet(item: Node, rij: _Rij, plan: _Plan) -> None:
    if item.line is None:
        item.line = rij.basis
    waarden, basis, per_kolom = rij.waarden, rij.basis + 1, rij.kolommen
    # Parents by path: adding children never changes which child _pad finds first.
    ouders: dict[tuple[str, ...], Node] = {(): item}
    # A new item, its columns in the model's order (the common case): every value is
    # appended, without looking up its place among its siblings.
    achteraan = not item.children and _op_volgorde(plan, item.klasse)
    for k, ouderpad, naam in plan.stappen:
        v = waarden.get(k)
        if v is None:
            continue
        ouder = ouders.get(ouderpad)
        if ouder is None:
            ouder = ouders[ouderpad] = _pad(item, ouderpad)
        waar = basis + per_kolom[k][0]
        if achteraan:
            kinderen = ouder.children
            for w in v if v.__class__ is list else (v,):
                node = Node(naam, None, w, waar)
                node.children = _GEEN_KINDEREN  # type: ignore[assignment]
                kinderen.append(node)
        else:
            for w in v if v.__class__ is list else (v,):
                _add(ouder, naam, w).line = waar


def _bouw_data(lay: Layout, body: Node, rijen: list[_Rij], res: Resultaat,
               slechte: set[str]) -> None:
    sheet = lay.data
    niveaus = sheet.niveaus
    per_niveau, plannen, hoger = _niveaus(sheet)
    eerste = rijen[0]
    # Level 0 (the client of a toewijzing …) is repeated on every row and must agree.
    for r in rijen[1:]:
        for k in per_niveau[0]:
            hier, daar = r.waarden.get(k), eerste.waarden.get(k)
            if hier != daar and (sheet.naam, r.cel(k) if k in r.kolommen else None
                                 ) not in res.gemeld:
                cel = r.cel(k) if k in r.kolommen else f"rij {r.rij}"
                wat = "is leeg, anders dan" if hier is None else "wijkt af van"
                eerder = "leeg" if daar is None else f"'{_tekst(daar)}'"
                res.fouten.append(Fout(
                    f"{wat} rij {eerste.rij} van hetzelfde bericht ({eerder}; moet per bericht "
                    "gelijk zijn)", sheet.naam, cel, r.sleutel, lay.code, kolom=k.naam))
                # The message is built from the first row and checked, never written.
                res.gemeld.add((sheet.naam, cel))
    _verplicht(eerste, plannen[0], sheet.naam, res, lay.code)
    _zet(body, eerste, plannen[0])

    def leeg_vanaf(r: _Rij, niveau: int) -> bool:
        return r.soort is None and hoger[niveau].isdisjoint(r.waarden)

    def bouw(ouder: Node, niveau: int, rs: list[_Rij]) -> None:
        nv = niveaus[niveau]
        laatste = niveau + 1 == len(niveaus)
        groepen: dict[tuple[Any, ...], list[_Rij]] = {}
        for r in rs:
            if leeg_vanaf(r, niveau):
                continue
            if laatste:
                groepen[(r.rij,)] = [r]
            else:
                waarde = r.waarden.get
                sleutel = tuple([waarde(k) for k in per_niveau[niveau]])
                if plannen[niveau].lijst:
                    sleutel = tuple(_hashbaar(v) for v in sleutel)
                groepen.setdefault(sleutel, []).append(r)
        for groep in groepen.values():
            r = groep[0]
            soort = r.soort if sheet.heeft_soort and laatste else nv.soorten[0]
            if soort is None:
                res.fouten.append(Fout(f"kolom '{SOORT}' is leeg; kies uit "
                                       f"{', '.join(nv.soorten)}", sheet.naam,
                                       f"rij {r.rij}", r.sleutel, lay.code))
                slechte.add(r.sleutel)
                continue
            if soort == "?":
                slechte.add(r.sleutel)
                continue
            kolommen = per_niveau[niveau]
            vreemd = [k for k in kolommen if k.soorten and soort not in k.soorten
                      and k in r.waarden]
            for k in vreemd:
                res.fouten.append(Fout(f"{k.naam} hoort niet bij {soort}; laat leeg",
                                       sheet.naam, r.cel(k), r.sleutel, lay.code))
            if vreemd:
                # The model has no place for these values under this kind of product, so the
                # item cannot be built; the message is already left out.
                slechte.add(r.sleutel)
                continue
            pad = nv.paden[soort]
            item = _add(_pad(ouder, pad[:-1]), pad[-1])
            _verplicht(r, plannen[niveau], sheet.naam, res, lay.code)
            _zet(item, r, plannen[niveau])
            if not laatste:
                bouw(item, niveau + 1, groep)

    if len(niveaus) > 1:
        try:
            bouw(body, 1, rijen)
        finally:
            # ``bouw`` refers to itself: without this it (and the origins it holds) would
            # live until the cyclic collector runs, which is off while a workbook is read.
            bouw = None  # type: ignore[assignment]  # noqa: F841


# id(sheet) → (the sheet, its columns per level, their plans, per level the columns of that
# level and below); the sheets are those of the cached layouts.
_NIVEAUS: dict[int, tuple[Sheet, list[list[Kolom]], list[_Plan], list[frozenset[Kolom]]]] = {}


def _niveaus(sheet: Sheet) -> tuple[list[list[Kolom]], list[_Plan], list[frozenset[Kolom]]]:
    hit = _NIVEAUS.get(id(sheet))
    if hit is None or hit[0] is not sheet:
        n = len(sheet.niveaus)
        per_niveau = [[k for k in sheet.kolommen if k.niveau == i] for i in range(n)]
        hit = _NIVEAUS[id(sheet)] = (
            sheet, per_niveau, [_plan(ks) for ks in per_niveau],
            [frozenset(k for k in sheet.kolommen if k.niveau >= i) for i in range(n)])
    return hit[1], hit[2], hit[3]


def _tekst(v: Any) -> str:
    return ", ".join(v) if isinstance(v, list) else str(v)


def _hashbaar(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def lees_werkboek(path: str | os.PathLike[str]) -> Resultaat:
    """Every message in the workbook at ``path``; raises only for an unreadable file."""
    p = Path(path)
    if not p.is_file():
        raise FileError(f"{p} bestaat niet" if not p.exists() else f"{p} is geen bestand")
    wb = _open(p)
    # The reader allocates a few objects per cell and keeps them all (the messages): the
    # cyclic collector would re-scan that growing heap again and again for nothing.
    gc_aan = gc.isenabled()
    gc.disable()
    from ijwcli.excel.xlsx import XlsxFout

    try:
        return _lees(wb)
    except XlsxFout as exc:
        # A broken or oversized sheet: one finding naming the place, nothing converted.
        return Resultaat(fouten=[Fout(exc.reden, exc.sheet, exc.cel, bestand=str(p))])
    except (zlib.error, zipfile.BadZipFile, EOFError, KeyError, NotImplementedError) as exc:
        # A damaged part outside the sheet rows (merged cells, a lazily read part).
        return Resultaat(fouten=[Fout(f"het werkboek is beschadigd ({type(exc).__name__}: "
                                      f"{str(exc)[:200]})", bestand=str(p))])
    finally:
        if gc_aan:
            gc.enable()
        wb.close()


def _lees(wb: Any) -> Resultaat:
    res = Resultaat()
    per_type: dict[str, list[str]] = {}
    for naam in wb.sheetnames:
        code = sheet_prefix(naam)
        if code is None:
            if naam != CODELIJSTEN:
                res.waarschuwingen.append(f"Sheet {naam}: geen sheet van een berichttype "
                                          "(verwacht bijv. 'JW315 Bericht'); genegeerd")
            continue
        per_type.setdefault(code, []).append(naam)
        if getattr(wb[naam], "sheet_state", "visible") != "visible":
            res.waarschuwingen.append(f"Sheet {naam}: is verborgen en wordt toch omgezet; "
                                      "controleer of dat de bedoeling is")
        for ref in _samengevoegd(wb, wb[naam]):
            res.fouten.append(Fout(f"samengevoegde cellen {ref}; hef het samenvoegen op en "
                                   "vul elke cel", naam, ref.split(":")[0], code=code))
    if not per_type:
        res.fouten.append(Fout("geen sheets van een berichttype gevonden (verwacht bijv. "
                               "'JW315 Bericht' en 'JW315 AangevraagdeProducten')"))
    if res.fouten:
        return res
    for code, namen in per_type.items():
        _lees_type(wb, layout(code), namen, res)
    return res


def _lees_type(wb: Any, lay: Layout, namen: list[str], res: Resultaat) -> None:
    bekend = {s.naam for s in lay.sheets}
    for naam in namen:
        if naam not in bekend:
            res.waarschuwingen.append(f"Sheet {naam}: onbekende sheet voor {lay.code}; "
                                      f"verwacht {', '.join(sorted(bekend))}; genegeerd")
    if lay.bericht.naam not in namen:
        res.fouten.append(Fout(f"sheet '{lay.bericht.naam}' ontbreekt", code=lay.code))
        return
    body_el = lay.definitie.root.element(lay.data.niveaus[0].soorten[0])
    if lay.data.naam not in namen and not body_el.optional:
        res.fouten.append(Fout(f"sheet '{lay.data.naam}' ontbreekt", code=lay.code))
        return
    voor = len(res.fouten)
    from ijwcli.excel.xlsx import rijen as xlsx_rijen

    kopregels = list(xlsx_rijen(wb, wb[lay.bericht.naam]))
    aantal = sum(1 for nr, row in kopregels
                 if nr > 1 and any(v is not None and v != "" for v in row))
    enkel = aantal <= 1
    bladen = tuple(s.naam for s in lay.sheets)
    koppen = list(_lees_sheet(wb, lay.bericht, res, lay.code, enkel, iter(kopregels),
                              bladen.index(lay.bericht.naam)))
    del kopregels
    data = list(_lees_sheet(wb, lay.data, res, lay.code, enkel,
                            blad=bladen.index(lay.data.naam))
                ) if lay.data.naam in namen else []
    zij = {z.naam: list(_lees_sheet(wb, z, res, lay.code, enkel, blad=bladen.index(z.naam)))
           for z in lay.zij if z.naam in namen}
    if any(f.cel is None and f.sheet for f in res.fouten[voor:]):
        return  # a missing column: no message of this type can be built

    # A message whose only problems are cells is still built (without those cells) and
    # checked, so that one run reports everything; it is never written.
    met_celfout = {f.bericht for f in res.fouten[voor:] if f.bericht is not None}
    slechte: set[str] = set()
    volgorde: dict[str, _Rij] = {}
    for r in koppen:
        if r.sleutel in volgorde:
            res.fouten.append(Fout(f"{SLEUTEL} '{r.sleutel}' staat ook op rij "
                                   f"{volgorde[r.sleutel].rij}", lay.bericht.naam,
                                   f"A{r.rij}", r.sleutel, lay.code))
            slechte.add(r.sleutel)
        else:
            volgorde[r.sleutel] = r
    per_sleutel: dict[str, list[_Rij]] = {}
    for naam, rijen in [(lay.data.naam, data), *zij.items()]:
        for r in rijen:
            if r.sleutel not in volgorde:
                res.fouten.append(Fout(f"{SLEUTEL} '{r.sleutel}' staat niet in sheet "
                                       f"{lay.bericht.naam}", naam, f"A{r.rij}", None,
                                       lay.code))
                continue
            per_sleutel.setdefault(f"{naam}\0{r.sleutel}", []).append(r)

    for sleutel, kop in volgorde.items():
        if sleutel in slechte:
            continue
        b = new(lay.code)
        voor_bericht = len(res.fouten)
        _verplicht(kop, [k for k in lay.bericht.kolommen if k.pad[-1] != SLEUTEL],
                   lay.bericht.naam, res, lay.code)
        _bouw_header(b, lay, kop)
        body_naam = lay.data.niveaus[0].soorten[0]
        rijen = per_sleutel.get(f"{lay.data.naam}\0{sleutel}", [])
        zijrijen = [(z, per_sleutel.get(f"{z.naam}\0{sleutel}", [])) for z in lay.zij]
        body = None
        if rijen or any(rs for _, rs in zijrijen):
            body = _add(b.root, body_naam)
        if rijen and body is not None:
            _bouw_data(lay, body, rijen, res, slechte)
        for z, rs in zijrijen:
            for r in rs:
                assert body is not None
                item = _add(_pad(body, z.pad[:-1]), z.pad[-1])
                _verplicht(r, _plan(z.kolommen), z.naam, res, lay.code)
                _zet(item, r, _plan(z.kolommen))
        if sleutel not in slechte:
            g = Gelezen(b, sleutel, lay.bericht.naam, kop.rij, bladen)
            if sleutel in met_celfout or len(res.fouten) > voor_bericht:
                g.onvolledig = True
                g.gemeld = res.gemeld
                g.ontbrekend = res.ontbrekend.get(sleutel, set())
                res.onvolledig.append(g)
            else:
                res.berichten.append(g)


def _bouw_header(b: Bericht, lay: Layout, kop: _Rij) -> None:
    h = b.header
    b.root.line = h.line = kop.basis
    for k in lay.bericht.kolommen:
        v = kop.waarden.get(k)
        if v is None:
            continue  # empty: keep the default new() gave, if any
        ouder = _pad(h, k.pad[:-1])
        bestaand = ouder.child(k.pad[-1])
        if bestaand is not None and not isinstance(v, list):
            bestaand.text = v
            bestaand.line = kop.basis + kop.kolommen[k][0] + 1
            continue
        for w in v if isinstance(v, list) else [v]:
            _add(ouder, k.pad[-1], w).line = kop.basis + kop.kolommen[k][0] + 1
