"""Messages → a ZilliZ-style workbook (see :mod:`ijwcli.excel.layout` for the sheets).

:func:`rijen` flattens one message into rows per sheet; :func:`schrijf_werkboek` writes
rows of any number of messages into an ``.xlsx`` by XlsxWriter (rows streamed to disk,
every text a text cell: nothing a message holds becomes a formula), with date and euro
formats, dropdowns from the code lists, an input hint per column, required columns marked
and a frozen header. Without messages it is the blank template.

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

import datetime as dt
import errno
import math
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal
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


_KLEUREN = {"verplicht": "#F4B183", "optioneel": "#DDEBF7", "afgeleid": "#E7E6E6"}
_FORMATEN = {"datum": "YYYY-MM-DD", "bedrag": "#,##0.00", "tijd": "@", "tekst": "@",
             "code": "@", "lijst": "@"}
_EXCEL_BEGIN = dt.date(1899, 12, 30)
_MAART_1900 = dt.date(1900, 3, 1)
_JAAR_1900 = dt.date(1900, 1, 1)
# Excel keeps 15 significant digits of a number; a longer one is written as text (exact).
_GROOTSTE = 10 ** 15
MAX_TEKENS = 32_767  # Excel's limit per cell
MAX_RIJ = 1_048_576


def excel_datum(d: dt.date) -> int:
    """The serial number Excel (1900 date system) shows as ``d``.

    Excel counts a 29-02-1900 that never was, so dates before March 1900 are one lower.

    >>> excel_datum(dt.date(2026, 3, 1)), excel_datum(dt.date(1900, 1, 1))
    (46082, 1)
    """
    n = (d - _EXCEL_BEGIN).days
    return n - 1 if d < _MAART_1900 and n > 0 else n


def _codelijst_kolommen(codes_gebruikt: list[str]) -> dict[str, str]:
    from xlsxwriter.utility import xl_col_to_name

    return {naam: xl_col_to_name(2 * i) for i, naam in enumerate(codes_gebruikt)}


def _schrijf_sheet(wb: Any, sheet: Sheet, rows: list[Rij], stijl: dict[str, Any],
                   lijstkolom: dict[str, str], lengtes: dict[str, int]) -> None:
    """The sheet: header row, column widths and formats, dropdowns, hints, then the rows."""
    ws = wb.add_worksheet(sheet.naam)
    koppen = sheet.koppen()
    # Per header position: the column (None for the key, Soort and derived meanings).
    posities: list[Kolom | None] = [None] * (2 if sheet.heeft_soort else 1)
    for k in sheet.kolommen:
        posities.append(k)
        if k.soort == "lijst" and k.codes:
            posities.append(None)
    for i, (kop, k) in enumerate(zip(koppen, posities, strict=True)):
        formaat = stijl.get(k.soort) if k is not None else None
        ws.set_column(i, i, max(10, min(40, len(kop) + 2)), formaat)
        # Excel's limits: a prompt title of 32 characters, a message of 255.
        opties: dict[str, Any] = {"input_title": kop[:32],
                                  "input_message": _prompt(sheet, kop, k)[:255]}
        if k is not None and k.type.codelijst and k.soort == "code":
            lc = lijstkolom[k.type.codelijst]
            n = lengtes[k.type.codelijst]
            opties.update(validate="list", source=f"='{CODELIJSTEN}'!${lc}$2:${lc}${n + 1}",
                          error_title="Onbekende code",
                          error_message="Kies een code uit de lijst (zie sheet Codelijsten).")
        elif k is None and kop == SOORT:
            # The product kinds are few and fixed by the model: an inline list, no sheet needed.
            opties.update(validate="list", source=list(sheet.niveaus[-1].soorten),
                          error_title="Onbekende soort",
                          error_message="Kies de soort regel uit de lijst.")
        else:
            opties["validate"] = "any"
        ws.data_validation(1, i, MAX_RIJ - 1, i, opties)
    ws.freeze_panes(1, 1)

    for i, (kop, k) in enumerate(zip(koppen, posities, strict=True)):
        # Key and Soort are input like the model's columns; only the meanings are derived.
        soort = ("afgeleid" if k is None and kop not in (SLEUTEL, SOORT) else
                 "verplicht" if (k is None or k.verplicht) else "optioneel")
        ws.write_string(0, i, kop, stijl[soort])
        if (k.verplicht if k is not None else kop == SOORT):
            ws.write_comment(0, i, "Verplicht", {"author": "ijwcli"})
    _schrijf_rijen(ws, rows)


def _schrijf_rijen(ws: Any, rows: list[Rij], eerste: int = 1) -> None:
    """The rows from row index ``eerste`` (0-based) on, each cell typed by its value.

    Text is always a text cell (never a formula, a number or a link, whatever it looks like);
    a cell takes its column's format (date, euros, text). An empty value writes no cell.
    """
    tekst, getal, waar = ws.write_string, ws.write_number, ws.write_boolean
    datums: dict[dt.date, int | str] = {}
    for r, rij in enumerate(rows, start=eerste):
        for c, v in enumerate(rij):
            if v is None or v == "":
                continue
            t = type(v)
            if t is str:
                tekst(r, c, v if len(v) <= MAX_TEKENS else v[:MAX_TEKENS])
            elif t is dt.date:
                serie = datums.get(v)
                if serie is None:
                    # Excel has no date before 1900: such a date stays readable as text.
                    serie = datums[v] = excel_datum(v) if v >= _JAAR_1900 else v.isoformat()
                if serie.__class__ is int:
                    getal(r, c, serie)
                else:
                    tekst(r, c, serie)
            elif t is int or t is Decimal:
                if -_GROOTSTE < v < _GROOTSTE:
                    getal(r, c, v)
                else:
                    tekst(r, c, str(v) if t is int else f"{v:f}")
            elif t is bool:
                waar(r, c, v)
            elif t is float and math.isfinite(v):
                getal(r, c, v)
            else:
                raise TypeError(f"celwaarde {v!r} ({t.__name__}) kan niet in een werkblad")


def _prompt(sheet: Sheet, kop: str, k: Kolom | None) -> str:
    if k is not None:
        return k.hint
    if kop == "BerichtNr":
        return ("Berichtsleutel: rijen met dezelfde waarde in alle sheets vormen samen één "
                "bericht.")
    if kop == "Soort":
        return "Soort regel: " + ", ".join(sheet.niveaus[-1].soorten) + "."
    return "Afgeleid: de betekenis van de codes; wordt bij het inlezen genegeerd."


def nieuw_werkboek(f: Any, tmpdir: str | None = None) -> Any:
    """An XlsxWriter workbook on the open binary file ``f`` that writes text as text.

    Rows go straight to a temporary file per sheet in ``tmpdir`` (``constant_memory``):
    memory stays flat however many rows, and strings are stored inline. XlsxWriter itself
    escapes control characters and ``_xHHHH_`` look-alikes the way Excel does. On failure
    the workbook is simply not closed: nothing is written, and removing ``tmpdir`` removes
    its temporary files.
    """
    import xlsxwriter

    return xlsxwriter.Workbook(f, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False,
                                   "tmpdir": tmpdir})


def schrijf_werkboek(per_type: dict[str, dict[str, list[Rij]]], path: str | os.PathLike[str],
                     force: bool = False) -> Path:
    """Write the sheets of every message type in ``per_type`` atomically to ``path``."""
    from ijwcli import bestanden
    from ijwcli.model.datatypes import codelijsten

    out = Path(path)
    bestanden.controleer_doel(out, force)
    lays = [layout(code) for code in per_type]
    gebruikt: list[str] = []
    for lay in lays:
        for s in lay.sheets:
            for k in s.kolommen:
                if k.type.codelijst and k.soort == "code" and k.type.codelijst not in gebruikt:
                    gebruikt.append(k.type.codelijst)
    lijstkolom = _codelijst_kolommen(gebruikt)
    alle = codelijsten()
    lengtes = {n: len(alle[n]) for n in gebruikt}
    with bestanden.atomair(out, force) as f, tempfile.TemporaryDirectory(
            prefix="ijwcli-xlsx-") as tmp:
        wb = nieuw_werkboek(f, tmp)
        stijl = _stijlen(wb)
        for lay in lays:
            for s in lay.sheets:
                _schrijf_sheet(wb, s, per_type[lay.code].get(s.naam, []), stijl,
                               lijstkolom, lengtes)
        _schrijf_codelijsten(wb, gebruikt, alle, stijl)
        sluit(wb)
    return out


def sluit(wb: Any) -> None:
    """Close ``wb`` (the package is written); an I/O failure comes out as the ``OSError``."""
    from xlsxwriter.exceptions import FileCreateError, FileSizeError

    try:
        wb.close()
    except FileCreateError as exc:
        err = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        raise err if err is not None else OSError(str(exc)) from None
    except FileSizeError:
        raise OSError(errno.EFBIG, "het werkboek wordt groter dan 4 GB") from None


def _stijlen(wb: Any) -> dict[str, Any]:
    stijl = {naam: wb.add_format({"bold": True, "pattern": 1, "bg_color": kleur})
             for naam, kleur in _KLEUREN.items()}
    stijl["kop"] = wb.add_format({"bold": True})
    for soort, formaat in _FORMATEN.items():
        stijl[soort] = wb.add_format({"num_format": formaat})
    return stijl


def _schrijf_codelijsten(wb: Any, gebruikt: list[str], alle: dict[str, dict[str, str]],
                         stijl: dict[str, Any]) -> None:
    ws = wb.add_worksheet(CODELIJSTEN)
    for i, naam in enumerate(gebruikt):
        ws.write_string(0, 2 * i, naam.removeprefix("LDT_"), stijl["kop"])
        ws.write_string(0, 2 * i + 1, "betekenis", stijl["kop"])
    lijsten = [list(alle[n].items()) for n in gebruikt]
    rows: list[Rij] = []
    for i in range(max((len(x) for x in lijsten), default=0)):
        rij: Rij = []
        for lijst in lijsten:
            rij.extend(lijst[i] if i < len(lijst) else (None, None))
        rows.append(rij)
    _schrijf_rijen(ws, rows)


def werkboek_van(berichten: Iterable[Bericht], path: str | os.PathLike[str],
                 force: bool = False) -> Path:
    """One workbook with a sheet set per message type for ``berichten``."""
    wb = Werkboek()
    for b in berichten:
        wb.voeg_toe(b)
    return wb.opslaan(path, force)
