"""Messages → a ZilliZ-style workbook (see :mod:`ijwcli.excel.layout` for the sheets).

:func:`rijen` flattens one message into rows per sheet; :func:`schrijf_werkboek` writes
rows of any number of messages into an ``.xlsx`` (openpyxl's write-only mode for the
header rows and sheet set-up, the data rows as SpreadsheetML text), with date
and euro formats, dropdowns from the code lists, an input hint per column, required columns
marked and a frozen header. Without messages it is the blank template.

>>> from ijwcli import bericht
>>> b = bericht.from_dict("JW319", {"Header": {"Afzender": "0384"},
...                                 "Antwoord": {"ReferentieAanbieder": "R1",
...                                              "VerzoekAntwoord": "1"}})
>>> r = rijen(b, 7)
>>> r["JW319 Antwoord"]
[[7, 'R1', '1', None, None]]
>>> r["JW319 Bericht"][0][:5]
[7, '488', 3, 2, '0384']
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ijwcli.bericht import Bericht, Node
from ijwcli.excel.cellen import betekenis, naar_cel
from ijwcli.excel.layout import CODELIJSTEN, SLEUTEL, SOORT, Kolom, Layout, Sheet, layout
from ijwcli.model.datatypes import Klasse

Rij = list[Any]


def _waarde(node: Node, k: Kolom) -> str | list[str] | None:
    # Node.find / findall semantics, without building and splitting a path string per cell.
    if k.soort == "lijst":
        nodes = [node]
        for deel in k.pad:
            nodes = [c for n in nodes for c in n.children if c.name == deel]
        return [n.text or "" for n in nodes] or None
    for deel in k.pad:
        for c in node.children:
            if c.name == deel:
                node = c
                break
        else:
            return None
    return node.text


def _cellen(node: Node | None, kolommen: list[Kolom], soort: str | None = None) -> Rij:
    out: Rij = []
    for k in kolommen:
        v = None
        if node is not None and (not k.soorten or soort in k.soorten):
            v = _waarde(node, k)
        out.append(naar_cel(k, v))
        if k.soort == "lijst" and k.codes:
            out.append(betekenis(k, v) if isinstance(v, list) else None)
    return out


def _data_rijen(lay: Layout, body: Node, nr: object) -> list[Rij]:
    sheet = lay.data
    niveaus = sheet.niveaus
    per_niveau = [[k for k in sheet.kolommen if k.niveau == i] for i in range(len(niveaus))]
    leeg = [_cellen(None, ks) for ks in per_niveau]
    out: list[Rij] = []

    def rec(niveau: int, node: Node, soort: str | None, acc: Rij) -> None:
        vals = acc + _cellen(node, per_niveau[niveau], soort)
        if niveau + 1 == len(niveaus):
            out.append(_rij(sheet, nr, soort if niveau > 0 else None, vals))
            return
        kinderen = [(s, n) for s, pad in niveaus[niveau + 1].paden.items()
                    for n in node.findall("/".join(pad))]
        if not kinderen:
            rest = [c for ks in leeg[niveau + 1:] for c in ks]
            out.append(_rij(sheet, nr, None, vals + rest))
        for s, n in kinderen:
            rec(niveau + 1, n, s, vals)

    rec(0, body, None, [])
    return out


def _rij(sheet: Sheet, nr: object, soort: str | None, vals: Rij) -> Rij:
    return [nr, soort, *vals] if sheet.heeft_soort else [nr, *vals]


def rijen(b: Bericht, nr: object) -> dict[str, list[Rij]]:
    """The rows of one message per sheet name, keyed by message key ``nr``."""
    lay = layout(b.code)
    header = b.root.child("Header")
    out: dict[str, list[Rij]] = {lay.bericht.naam: [[nr, *_cellen(header, lay.bericht.kolommen)]]}
    body_naam = lay.data.niveaus[0].soorten[0]
    body = b.root.child(body_naam)
    out[lay.data.naam] = _data_rijen(lay, body, nr) if body is not None else []
    for z in lay.zij:
        items = body.findall("/".join(z.pad)) if body is not None else []
        out[z.naam] = [[nr, *_cellen(item, z.kolommen)] for item in items]
    return out


def bericht_uit_boom(tree: Any) -> Bericht:
    """:func:`ijwcli.bericht.from_tree`, built straight from the lxml elements.

    The same tree of nodes (names, model classes, texts, source lines) at a third of the cost:
    the child classes per model class are looked up once, not per element.

    >>> from ijwcli import bericht
    >>> from lxml import etree
    >>> xml = b"<Bericht xmlns='http://www.istandaarden.nl/ijw/3_2/jw319/schema'/>"
    >>> bericht_uit_boom(etree.ElementTree(etree.fromstring(xml))).code
    'JW319'
    """
    from ijwcli.bericht import definitie_van

    d = definitie_van(tree)
    return Bericht(d, _node(tree.getroot(), d.root))


# id(model class) → {element name: its class, or None for a value element}
_KINDKLASSEN: dict[int, tuple[Klasse, dict[str, Klasse | None]]] = {}


def _kindklassen(klasse: Klasse) -> dict[str, Klasse | None]:
    hit = _KINDKLASSEN.get(id(klasse))
    if hit is None or hit[0] is not klasse:
        hit = _KINDKLASSEN[id(klasse)] = (klasse, {
            e.name: e.type if isinstance(e.type, Klasse) else None for e in klasse.elements})
    return hit[1]


def _node(el: Any, klasse: Klasse | None) -> Node:
    tag = el.tag
    node = Node(tag[tag.rfind("}") + 1:], klasse, None, el.sourceline)
    if klasse is None:
        node.text = el.text or ""
        return node
    kinderen = _kindklassen(klasse)
    for c in el:
        tag = c.tag
        if tag.__class__ is not str:
            continue  # comments and processing instructions carry no data
        node.children.append(_node(c, kinderen.get(tag[tag.rfind("}") + 1:])))
    return node


class Werkboek:
    """Rows collected per message type, written as one workbook by :meth:`opslaan`."""

    def __init__(self) -> None:
        self.rijen: dict[str, dict[str, list[Rij]]] = {}
        self.tellers: dict[str, int] = {}

    def leeg(self, code: str) -> None:
        """Make sure the sheets of ``code`` exist, also without messages (the template)."""
        lay = layout(code)
        self.rijen.setdefault(lay.code, {s.naam: [] for s in lay.sheets})

    def voeg_toe(self, b: Bericht) -> None:
        self.leeg(b.code)
        nr = self.tellers.get(b.code, 0) + 1
        self.tellers[b.code] = nr
        per_sheet = self.rijen[b.code]
        for naam, rs in rijen(b, nr).items():
            per_sheet[naam].extend(rs)

    def opslaan(self, path: str | os.PathLike[str], force: bool = False) -> Path:
        return schrijf_werkboek(self.rijen, path, force)


def _stijlen() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "kop": Font(bold=True),
        "verplicht": PatternFill("solid", fgColor="F4B183"),
        "optioneel": PatternFill("solid", fgColor="DDEBF7"),
        "afgeleid": PatternFill("solid", fgColor="E7E6E6"),
        "uitlijning": Alignment(wrap_text=False, vertical="top"),
    }


_FORMATEN = {"datum": "YYYY-MM-DD", "bedrag": "#,##0.00", "tijd": "@", "tekst": "@",
             "code": "@", "lijst": "@"}


def _codelijst_kolommen(codes_gebruikt: list[str]) -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {naam: get_column_letter(2 * i + 1) for i, naam in enumerate(codes_gebruikt)}


def _schrijf_sheet(wb: Any, sheet: Sheet, rows: list[Rij], stijl: dict[str, Any],
                   lijstkolom: dict[str, str], lengtes: dict[str, int]) -> _Deel:
    """The sheet with its header row, column widths, dropdowns and hints, by openpyxl."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(sheet.naam)
    koppen = sheet.koppen()
    # Per header position: the column (None for the key, Soort and derived meanings).
    posities: list[Kolom | None] = [None] * (2 if sheet.heeft_soort else 1)
    for k in sheet.kolommen:
        posities.append(k)
        if k.soort == "lijst" and k.codes:
            posities.append(None)
    for i, (kop, k) in enumerate(zip(koppen, posities, strict=True), start=1):
        letter = get_column_letter(i)
        dim = ws.column_dimensions[letter]
        dim.width = max(10, min(40, len(kop) + 2))
        if k is not None:
            dim.number_format = _FORMATEN.get(k.soort, "General")
        bereik = f"{letter}2:{letter}1048576"
        if k is not None and k.type.codelijst and k.soort == "code":
            lc = lijstkolom[k.type.codelijst]
            n = lengtes[k.type.codelijst]
            dv = DataValidation(type="list", formula1=f"'{CODELIJSTEN}'!${lc}$2:${lc}${n + 1}",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Onbekende code",
                                error="Kies een code uit de lijst (zie sheet Codelijsten).")
        elif k is None and kop == SOORT:
            # The product kinds are few and fixed by the model: an inline list, no sheet needed.
            dv = DataValidation(type="list", formula1=f'"{",".join(sheet.niveaus[-1].soorten)}"',
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Onbekende soort",
                                error="Kies de soort regel uit de lijst.")
        else:
            dv = DataValidation(allow_blank=True)
        dv.showInputMessage = True
        dv.promptTitle = kop[:32]
        dv.prompt = _prompt(sheet, kop, k)
        dv.add(bereik)
        ws.data_validations.append(dv)
    ws.freeze_panes = "B2"

    kopcellen = []
    for kop, k in zip(koppen, posities, strict=True):
        c = WriteOnlyCell(ws, kop)
        c.font = stijl["kop"]
        # Key and Soort are input like the model's columns; only the meanings are derived.
        c.fill = (stijl["afgeleid"] if k is None and kop not in (SLEUTEL, SOORT) else
                  stijl["verplicht"] if (k is None or k.verplicht) else stijl["optioneel"])
        if (k.verplicht if k is not None else kop == SOORT):
            c.comment = Comment("Verplicht", "ijwcli")
        kopcellen.append(c)
    ws.append(kopcellen)

    # Only dates and amounts need a cell format to show right; the other cells go unstyled.
    stijlen: list[str | None] = []
    for k in posities:
        if k is not None and k.soort in ("datum", "bedrag"):
            c = WriteOnlyCell(ws, None)
            c.number_format = _FORMATEN[k.soort]
            stijlen.append(str(c.style_id))  # its index in the cell formats of the package
        else:
            stijlen.append(None)
    return _Deel(ws, rows, stijlen)


@dataclass
class _Deel:
    """The data rows of one sheet, written into the package after openpyxl saved it."""

    ws: Any
    rows: list[Rij]
    stijlen: list[str | None]


def _prompt(sheet: Sheet, kop: str, k: Kolom | None) -> str:
    if k is not None:
        return k.hint
    if kop == "BerichtNr":
        return ("Berichtsleutel: rijen met dezelfde waarde in alle sheets vormen samen één "
                "bericht.")
    if kop == "Soort":
        return "Soort regel: " + ", ".join(sheet.niveaus[-1].soorten) + "."
    return "Afgeleid: de betekenis van de codes; wordt bij het inlezen genegeerd."


def schrijf_werkboek(per_type: dict[str, dict[str, list[Rij]]], path: str | os.PathLike[str],
                     force: bool = False) -> Path:
    """Write the sheets of every message type in ``per_type`` atomically to ``path``."""
    from openpyxl import Workbook

    out = Path(path)
    from ijwcli import bestanden

    bestanden.controleer_doel(out, force)
    wb = Workbook(write_only=True)
    stijl = _stijlen()
    lays = [layout(code) for code in per_type]
    gebruikt: list[str] = []
    for lay in lays:
        for s in lay.sheets:
            for k in s.kolommen:
                if k.type.codelijst and k.soort == "code" and k.type.codelijst not in gebruikt:
                    gebruikt.append(k.type.codelijst)
    lijstkolom = _codelijst_kolommen(gebruikt)
    from ijwcli.model.datatypes import codelijsten

    alle = codelijsten()
    lengtes = {n: len(alle[n]) for n in gebruikt}
    delen = [_schrijf_sheet(wb, s, per_type[lay.code].get(s.naam, []), stijl, lijstkolom,
                            lengtes)
             for lay in lays for s in lay.sheets]
    _schrijf_codelijsten(wb, gebruikt, alle, stijl)
    with bestanden.atomair(out, force) as f:
        _bewaar(wb, [d for d in delen if d.rows], f)
    return out


def _bewaar(wb: Any, delen: list[_Deel], tmp: Any) -> None:
    """openpyxl writes the package with the header rows; the data rows go in after it as
    SpreadsheetML text (:mod:`ijwcli.excel.xlsx`), a fraction of the cost of cell objects."""
    if not delen:
        wb.save(tmp)
        return
    import io

    from openpyxl.utils.datetime import WINDOWS_EPOCH

    from ijwcli.excel.xlsx import rijen_xml, vul_sheets

    assert wb.epoch == WINDOWS_EPOCH, "rijen_xml schrijft datums in de 1900-telling"
    buf = io.BytesIO()
    wb.save(buf)
    # The part names are known once openpyxl has numbered the sheets while saving.
    vul_sheets(buf.getvalue(), {d.ws.path.lstrip("/"): rijen_xml(d.rows, d.stijlen)
                                for d in delen}, tmp)


def _schrijf_codelijsten(wb: Any, gebruikt: list[str], alle: dict[str, dict[str, str]],
                         stijl: dict[str, Any]) -> None:
    from openpyxl.cell import WriteOnlyCell

    ws = wb.create_sheet(CODELIJSTEN)
    kop = []
    for naam in gebruikt:
        for tekst in (naam.removeprefix("LDT_"), "betekenis"):
            c = WriteOnlyCell(ws, tekst)
            c.font = stijl["kop"]
            kop.append(c)
    ws.append(kop)
    lijsten = [list(alle[n].items()) for n in gebruikt]
    for i in range(max((len(x) for x in lijsten), default=0)):
        rij: Rij = []
        for lijst in lijsten:
            rij.extend(lijst[i] if i < len(lijst) else (None, None))
        ws.append(rij)


def werkboek_van(berichten: Iterable[Bericht], path: str | os.PathLike[str],
                 force: bool = False) -> Path:
    """One workbook with a sheet set per message type for ``berichten``."""
    wb = Werkboek()
    for b in berichten:
        wb.voeg_toe(b)
    return wb.opslaan(path, force)
