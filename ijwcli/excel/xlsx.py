"""Fast streaming reads of an xlsx: openpyxl for the workbook parts, lxml for the cells.

openpyxl's read-only mode builds an object per shared string and per cell; for a 10,000-row
workbook that alone costs seconds. Here openpyxl still reads the workbook structure and the
styles (which cell formats are dates), while the shared strings and the sheet rows are parsed
with lxml's ``iterparse``, clearing each row once read so memory stays flat.

A formula cell comes back as its formula text starting with ``=`` (never a cached value), so
the caller can refuse it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R, _RPH = f"{_NS}si", f"{_NS}t", f"{_NS}r", f"{_NS}rPh"
_ROW, _C, _V, _F, _IS = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}f", f"{_NS}is"


def _parser_opties() -> dict[str, Any]:
    # An xlsx is untrusted input: no DTD, no entities, no network.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False}


def _tekst(el: Any) -> str:
    """The text of a shared or inline string, phonetic runs left out (as Excel shows it)."""
    t = el.find(_T)
    if t is not None and len(el) == 1:
        s = t.text or ""
    else:
        s = "".join((x.text or "") for x in el.iter(_T) if x.getparent().tag != _RPH)
    return s.replace("x005F_", "") if "x005F_" in s else s


def _strings(src: Any) -> list[str]:
    from lxml import etree

    out: list[str] = []
    for _, si in etree.iterparse(src, tag=_SI, **_parser_opties()):
        out.append(_tekst(si))
        si.clear()
    return out


def open_werkboek(path: Any) -> Any:
    """``openpyxl.load_workbook(read_only=True)`` with the shared strings read fast."""
    import openpyxl.reader.excel as excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.constants import SHARED_STRINGS

    class _Blad(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            # The size is not needed here, and without a <dimension> element (write-only
            # openpyxl files) openpyxl would parse the whole sheet to look for it.
            pass

    class _Lezer(excel.ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            ct = self.package.find(SHARED_STRINGS)
            if ct is not None:
                with self.archive.open(ct.PartName[1:]) as src:
                    self.shared_strings = _strings(src)

        def read_worksheets(self) -> None:
            orig = excel.ReadOnlyWorksheet
            excel.ReadOnlyWorksheet = _Blad
            try:
                super().read_worksheets()
            finally:
                excel.ReadOnlyWorksheet = orig

    lezer = _Lezer(path, read_only=True, keep_vba=False, data_only=False, keep_links=False)
    lezer.read()
    return lezer.wb


_KOLOM: dict[str, int] = {}


def _kolom(ref: str) -> int:
    """0-based column index of a cell reference (``AB12`` → 27)."""
    letters = ref.rstrip("0123456789")
    i = _KOLOM.get(letters)
    if i is None:
        i = 0
        for ch in letters:
            i = i * 26 + (ord(ch) - 64)
        i -= 1
        _KOLOM[letters] = i
    return i


def rijen(wb: Any, ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) for every row present in the sheet, values from column A."""
    from lxml import etree
    from openpyxl.utils.datetime import from_excel

    strings = wb.shared_strings
    datums = wb._date_formats
    epoch = wb.epoch
    vorige = 0
    with wb._archive.open(ws._worksheet_path) as f:
        for _, row in etree.iterparse(f, tag=_ROW, **_parser_opties()):
            r = row.get("r")
            nr = int(r) if r else vorige + 1
            vorige = nr
            waarden: list[Any] = []
            for i, c in enumerate(row.iterchildren(_C)):
                ref = c.get("r")
                col = _kolom(ref) if ref else i
                waarde = _waarde(c, strings, datums, epoch, from_excel)
                if waarde is None:
                    continue
                if col >= len(waarden):
                    waarden.extend([None] * (col + 1 - len(waarden)))
                waarden[col] = waarde
            row.clear()
            parent = row.getparent()
            if parent is not None:
                while row.getprevious() is not None:
                    del parent[0]
            yield nr, tuple(waarden)


def _waarde(c: Any, strings: list[str], datums: Any, epoch: Any, from_excel: Any) -> Any:
    tekst = None
    for ch in c:
        tag = ch.tag
        if tag == _V:
            tekst = ch.text
        elif tag == _F:
            return f"={ch.text or ''}"
        elif tag == _IS:
            return _tekst(ch)
    if tekst is None:
        return None
    t = c.get("t")
    if t == "s":
        return strings[int(tekst)]
    if t is None or t == "n":
        getal: int | float = (float(tekst) if "." in tekst or "E" in tekst or "e" in tekst
                              else int(tekst))
        s = c.get("s")
        if s is not None and int(s) in datums:
            return from_excel(getal, epoch)
        return getal
    if t in ("str", "e", "inlineStr"):
        return tekst
    if t == "b":
        return tekst == "1"
    if t == "d":
        return dt.datetime.fromisoformat(tekst.rstrip("Z"))
    return tekst
