"""Fast streaming reads of an xlsx: openpyxl for the workbook parts, lxml for the cells.

openpyxl's read-only mode builds an object per shared string and per cell; for a 10,000-row
workbook that alone costs seconds. Here openpyxl still reads the workbook structure and the
styles (which cell formats are dates), while the shared strings and the sheet rows are parsed
with lxml's ``iterparse``, clearing each row once read so memory stays flat.

A formula cell comes back as a :class:`Formule`, its formula text starting with ``=`` (never
a cached value), so the caller can refuse it; a text cell that merely starts with ``=`` is
plain text. An error value comes back as a :class:`Foutwaarde` for the same reason.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

# What a workbook may hold beyond the package limits (:func:`ijwcli.bestanden.controleer_pakket`);
# beyond it the workbook is refused with a clear message rather than read into gigabytes.
MAX_STRINGS = 2_000_000  # shared strings (a 200,000-row workbook has well under 1 million)
MAX_CELLEN = 20_000_000  # filled cells per sheet
MAX_KOLOM = 16_383  # XFD, Excel's last column (0-based)
MAX_RIJ = 1_048_576

_REF = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")


class XlsxFout(ValueError):
    """A workbook part that cannot be read; ``sheet`` and ``cel`` say where when known."""

    def __init__(self, reden: str, sheet: str | None = None, cel: str | None = None) -> None:
        super().__init__(reden)
        self.reden, self.sheet, self.cel = reden, sheet, cel


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R, _RPH = f"{_NS}si", f"{_NS}t", f"{_NS}r", f"{_NS}rPh"
_ROW, _C, _V, _F, _IS = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}f", f"{_NS}is"


class Formule(str):
    """The formula of a formula cell (``=SOM(A1:A3)``), told apart from text starting with '='."""


class Foutwaarde(str):
    """An error value (``#N/A``, ``#WAARDE!``) left by pasting a failed formula as values.

    Told apart from text, so that it is refused instead of becoming, say, a surname.
    """


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
        if len(out) >= MAX_STRINGS:
            raise XlsxFout(f"meer dan {MAX_STRINGS:,} gedeelde teksten (sharedStrings)"
                           .replace(",", "."))
        out.append(_tekst(si))
        si.clear()
        while si.getprevious() is not None:
            del si.getparent()[0]
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
    """0-based column index of a cell reference (``AB12`` → 27); :class:`XlsxFout` for a
    reference that is none or lies beyond XFD1048576.

    >>> _kolom("AB12"), _kolom("XFD1")
    (27, 16383)
    >>> _kolom("AAAAAAA2")
    Traceback (most recent call last):
        ...
    ijwcli.excel.xlsx.XlsxFout: 'AAAAAAA2' is geen celverwijzing binnen A1:XFD1048576
    """
    letters = ref.rstrip("0123456789")
    i = _KOLOM.get(letters)
    if i is None:
        m = _REF.match(ref)
        i = 0
        for ch in letters:
            i = i * 26 + (ord(ch) - 64)
        i -= 1
        if m is None or i > MAX_KOLOM or int(m.group(2)) > MAX_RIJ:
            raise XlsxFout(f"{ref!r} is geen celverwijzing binnen A1:XFD1048576", cel=ref[:20])
        if len(_KOLOM) < 20_000:
            _KOLOM[letters] = i
    return i


def rijen(wb: Any, ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) for every row present in the sheet, values from column A."""
    import zipfile
    import zlib

    from lxml import etree
    from openpyxl.utils.datetime import from_excel

    naam = getattr(ws, "title", None)
    try:
        yield from _rijen(wb, ws, etree, from_excel)
    except XlsxFout as exc:
        exc.sheet = exc.sheet or naam
        raise
    except (etree.XMLSyntaxError, zlib.error, zipfile.BadZipFile, EOFError, OSError,
            KeyError) as exc:
        raise XlsxFout(f"het werkblad is beschadigd of afgebroken ({type(exc).__name__}: "
                       f"{str(exc)[:200]})", naam) from None


def _rijen(wb: Any, ws: Any, etree: Any, from_excel: Any
           ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    strings = wb.shared_strings
    datums = wb._date_formats
    epoch = wb.epoch
    vorige = 0
    cellen_totaal = 0
    with wb._archive.open(ws._worksheet_path) as f:
        for _, row in etree.iterparse(f, tag=_ROW, **_parser_opties()):
            r = row.get("r")
            if r:
                if not r.isdigit() or not 0 < int(r) <= MAX_RIJ:
                    raise XlsxFout(f"rijnummer {r[:20]!r} is geen rij van 1 tot {MAX_RIJ}",
                                   cel=f"rij {vorige + 1}")
                nr = int(r)
            else:
                nr = vorige + 1
            vorige = nr
            waarden: list[Any] = []
            n = 0
            for i, c in enumerate(row.iterchildren(_C)):
                # The common inline string (<is><t>…</t></is>) read here; the rest by _waarde.
                waarde = None
                if len(c) == 1:
                    ch = c[0]
                    if ch.tag == _IS and len(ch) == 1:
                        t = ch[0]
                        if t.tag == _T:
                            waarde = t.text or ""
                            if "x005F_" in waarde:
                                waarde = waarde.replace("x005F_", "")
                if waarde is None:
                    try:
                        waarde = _waarde(c, strings, datums, epoch, from_excel)
                    except (ValueError, IndexError, OverflowError, TypeError) as exc:
                        cel = c.get("r") or f"rij {nr}"
                        raise XlsxFout(_onleesbaar(c, exc), cel=cel[:20]) from None
                    if waarde is None:
                        continue
                cellen_totaal += 1
                if cellen_totaal > MAX_CELLEN:
                    raise XlsxFout(f"meer dan {MAX_CELLEN:,} gevulde cellen".replace(",", "."),
                                   cel=f"rij {nr}")
                ref = c.get("r")
                col = _kolom(ref) if ref else i
                if col > MAX_KOLOM:
                    raise XlsxFout("meer dan 16.384 kolommen (na kolom XFD)", cel=f"rij {nr}")
                if col >= n:
                    waarden.extend([None] * (col + 1 - n))
                    n = col + 1
                waarden[col] = waarde
            row.clear()
            parent = row.getparent()
            if parent is not None:
                while row.getprevious() is not None:
                    del parent[0]
            yield nr, tuple(waarden)


def _onleesbaar(c: Any, exc: Exception) -> str:
    t = c.get("t") or "n"
    v = c.find(_V)
    tekst = (v.text or "")[:40] if v is not None else ""
    if isinstance(exc, IndexError):
        return f"verwijst naar gedeelde tekst {tekst!r}, die niet bestaat"
    soort = {"n": "getal", "d": "datum", "s": "tekstverwijzing"}.get(t, t)
    return f"{tekst!r} is geen geldige waarde voor een {soort}cel"


def _waarde(c: Any, strings: list[str], datums: Any, epoch: Any, from_excel: Any) -> Any:
    tekst = None
    for ch in c:
        tag = ch.tag
        if tag == _V:
            tekst = ch.text
        elif tag == _F:
            return Formule(f"={ch.text or ''}")
        elif tag == _IS:
            return _tekst(ch)
    if tekst is None:
        return None
    t = c.get("t")
    if t == "s":
        i = int(tekst)
        if i < 0:
            raise IndexError(i)
        return strings[i]
    if t is None or t == "n":
        getal: int | float = (float(tekst) if "." in tekst or "E" in tekst or "e" in tekst
                              else int(tekst))
        if isinstance(getal, float) and not math.isfinite(getal):
            raise ValueError(tekst)
        s = c.get("s")
        if s is not None and int(s) in datums:
            try:
                return from_excel(getal, epoch)
            except (OverflowError, ValueError):
                pass  # no date Python can hold (Excel shows #####): the number, refused later
        return getal
    if t == "e":
        return Foutwaarde(tekst)
    if t in ("str", "inlineStr"):
        return tekst
    if t == "b":
        return tekst == "1"
    if t == "d":
        return dt.datetime.fromisoformat(tekst.rstrip("Z"))
    return tekst


# --- writing ---------------------------------------------------------------------------------
# openpyxl builds a cell object and an element per value; for 10,000 rows that is most of the
# time of a conversion. The data rows are therefore written as SpreadsheetML text here and put
# into the package openpyxl wrote with the header rows (see :func:`vul_sheets`).

_ILLEGAAL = re.compile(r"[\000-\010\013\014\016-\037]")
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_EXCEL_BEGIN = dt.date(1899, 12, 30)
_MAART_1900 = dt.date(1900, 3, 1)
_TEKENS_PER_STUK = 1 << 20
# Deflate level 1: sheet XML is repetitive and still shrinks about tenfold, several times
# faster than the default level.
ZIP_NIVEAU = 1


def excel_datum(d: dt.date) -> int:
    """The serial number Excel (1900 date system) shows as ``d``.

    Excel counts a 29-02-1900 that never was, so dates before March 1900 are one lower.

    >>> excel_datum(dt.date(2026, 3, 1)), excel_datum(dt.date(1900, 1, 1))
    (46082, 1)
    """
    n = (d - _EXCEL_BEGIN).days
    return n - 1 if d < _MAART_1900 and n > 0 else n


def _tekst_cel(ref: str, v: str) -> str:
    v = v[:32767]  # Excel's limit per cell; openpyxl truncates the same way
    if _ILLEGAAL.search(v):
        from openpyxl.utils.exceptions import IllegalCharacterError

        raise IllegalCharacterError(f"{v!r} kan niet in een werkblad")
    ruimte = ' xml:space="preserve"' if v != v.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{ruimte}>{v.translate(_ESCAPE)}</t></is></c>'


def rijen_xml(rows: Iterable[Sequence[Any]], stijlen: Sequence[str | None], eerste: int = 2
              ) -> Iterator[bytes]:
    """SpreadsheetML ``<row>`` elements for ``rows`` from row number ``eerste`` on, in chunks.

    Text becomes an inline string (leading zeros stay), ``int`` and ``Decimal`` numbers, a
    date its serial number; ``stijlen`` gives per column the cell format index (``s``) for
    numbers and dates, or ``None``. An empty value (``None``, ``""``) writes no cell.

    >>> xml = b"".join(rijen_xml([[1, "04 & 05", None, dt.date(2026, 3, 1)]],
    ...                          [None, None, None, "2"])).decode()
    >>> print(xml.replace("<c ", "\\n<c "))
    <row r="2">
    <c r="A2" t="n"><v>1</v></c>
    <c r="B2" t="inlineStr"><is><t>04 &amp; 05</t></is></c>
    <c r="D2" s="2" t="n"><v>46082</v></c></row>
    """
    from openpyxl.utils import get_column_letter

    letters: list[str] = []
    stijl = [f' s="{s}"' if s is not None else "" for s in stijlen]
    datums: dict[dt.date, int] = {}
    stuk: list[str] = []
    lengte = 0
    for nr, rij in enumerate(rows, start=eerste):
        r = str(nr)
        if len(rij) > len(letters):
            letters.extend(get_column_letter(i + 1) for i in range(len(letters), len(rij)))
            stijl.extend([""] * (len(rij) - len(stijl)))
        cellen = [f'<row r="{r}">']
        for i, v in enumerate(rij):
            if v is None or v == "":
                continue
            t = type(v)
            if t is str:
                cellen.append(_tekst_cel(letters[i] + r, v))
            elif t is int:
                cellen.append(f'<c r="{letters[i]}{r}"{stijl[i]} t="n"><v>{v}</v></c>')
            elif t is Decimal:
                cellen.append(f'<c r="{letters[i]}{r}"{stijl[i]} t="n"><v>{v:f}</v></c>')
            elif t is dt.date:
                serie = datums.get(v)
                if serie is None:
                    serie = datums[v] = excel_datum(v)
                cellen.append(f'<c r="{letters[i]}{r}"{stijl[i]} t="n"><v>{serie}</v></c>')
            elif t is float and math.isfinite(v):
                cellen.append(f'<c r="{letters[i]}{r}"{stijl[i]} t="n"><v>{v!r}</v></c>')
            elif t is bool:
                cellen.append(f'<c r="{letters[i]}{r}" t="b"><v>{int(v)}</v></c>')
            else:
                raise TypeError(f"celwaarde {v!r} ({t.__name__}) kan niet in een werkblad")
        cellen.append("</row>")
        regel = "".join(cellen)
        stuk.append(regel)
        lengte += len(regel)
        if lengte >= _TEKENS_PER_STUK:
            yield "".join(stuk).encode()
            stuk = []
            lengte = 0
    if stuk:
        yield "".join(stuk).encode()


def vul_sheets(pakket: bytes, rijen_per_part: dict[str, Iterable[bytes]], doel: Any) -> None:
    """Copy the xlsx package ``pakket`` to ``doel``, adding row XML to sheet parts.

    ``rijen_per_part`` maps a sheet's part name (``xl/worksheets/sheet2.xml``) to ``<row>``
    chunks; they go at the end of that sheet's ``<sheetData>``, after the rows already there.
    """
    import io
    import zipfile

    rest = dict(rijen_per_part)
    with zipfile.ZipFile(io.BytesIO(pakket)) as zin, zipfile.ZipFile(
            doel, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=ZIP_NIVEAU) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            stukken = rest.pop(info.filename, None)
            if stukken is None:
                zout.writestr(info, data)
                continue
            eind = data.rfind(b"</sheetData>")
            if eind < 0:  # an empty <sheetData/>
                eind = data.index(b"<sheetData/>")
                data = data[:eind] + b"<sheetData></sheetData>" + data[eind + 12:]
                eind += len(b"<sheetData>")
            with zout.open(info.filename, "w") as f:
                f.write(data[:eind])
                for stuk in stukken:
                    f.write(stuk)
                f.write(data[eind:])
    if rest:
        raise ValueError(f"sheet-onderdelen niet in het pakket: {sorted(rest)}")
