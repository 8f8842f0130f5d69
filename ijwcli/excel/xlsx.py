"""Fast streaming reads of an xlsx: openpyxl for the workbook parts, lxml for the cells.

openpyxl's read-only mode builds an object per shared string and per cell; for a 10,000-row
workbook that alone costs seconds. Here openpyxl still reads the workbook structure and the
styles (which cell formats are dates), while the shared strings and the sheet rows are parsed
with lxml's ``iterparse``, clearing each row once read so memory stays flat.

A formula cell comes back as a :class:`Formule`, its formula text starting with ``=`` (never
a cached value), so the caller can refuse it; a text cell that merely starts with ``=`` is
plain text. An error value comes back as a :class:`Foutwaarde` for the same reason.

Why the cells are not read by a library (issue 11; ``benchmarks/excel_lezers.py``, every
reader after :func:`ijwcli.bestanden.controleer_pakket`, CPU seconds on a shared machine):

- python-calamine is 3-4x faster (10,000 JW315 rows: 0.37 s against 1.22 s here; 20,000
  prestaties 0.43 against 1.76) but cannot serve ``convert``: it returns a formula cell as its
  cached value (``=1+1`` reads as ``2.0``) and a formula's error as ``''``, so formulas and
  error values could no longer be refused, and text ``#N/A`` is indistinguishable from one. It
  also kills the process (abort, exit -6) on one cell at ``XFD1048576`` and on a reference
  ``AAAAAAA2``, and reads 20 million shared strings into 1.1 GB: the package check bounds
  part sizes, not where cells lie or how many strings a part holds. Making it safe would take
  a pass of our own over every sheet's XML for formulas, error values and cell extent, the
  very parsing it was to replace.
- openpyxl's read-only mode tells formulas and errors apart, but is 4x slower than this
  reader (5.19 s for the 10,000 rows, 5.71 s for 20,000 prestaties) and took over 240 s on
  20 million shared strings; this reader refuses those at 2 million (``MAX_STRINGS``).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterator
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
    return ontsnap(s) if "_x" in s else s


_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _teken(m: re.Match[str]) -> str:
    n = int(m.group(1), 16)
    # Only a character XML can carry: a control character or a lone surrogate would make the
    # message unwritable, so that escape stays as the text it is.
    if n in (9, 10, 13) or 0x20 <= n < 0xD800 or 0xE000 <= n < 0xFFFE:
        return chr(n)
    return m.group(0)


def ontsnap(s: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes (as XlsxWriter and Excel write them).

    >>> ontsnap("cr_x000D_lf"), ontsnap("_x005F_x0041_ blijft"), ontsnap("_x0000_")
    ('cr\\rlf', '_x0041_ blijft', '_x0000_')
    """
    return _X_ESCAPE.sub(_teken, s)


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


def _deel(archief: Any, naam: str) -> Any:
    """A part of the package to stream from, unpacked a megabyte at a time: lxml asks for
    32 KB at a time, and zipfile inflating such small pieces between the parser's work took
    2 to 4 s of a 200,000-row sheet, against 0.6 s this way."""
    return io.BufferedReader(archief.open(naam), buffer_size=1 << 20)


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
                with _deel(self.archive, ct.PartName[1:]) as src:
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
    # openpyxl hands the strings to each sheet, not to the workbook; :func:`rijen` reads them
    # from the workbook (a workbook saved by Excel has every text in this table).
    lezer.wb.shared_strings = lezer.shared_strings
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
            KeyError, NotImplementedError) as exc:
        raise XlsxFout(f"het werkblad is beschadigd of afgebroken ({type(exc).__name__}: "
                       f"{str(exc)[:200]})", naam) from None


def _rijen(wb: Any, ws: Any, etree: Any, from_excel: Any
           ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    strings = wb.shared_strings
    datums = wb._date_formats
    epoch = wb.epoch
    # Per style id as written (``s="3"``): whether it is a date format. A style id that is
    # no number is left to _waarde, which says so.
    datum_stijl: dict[str, bool] = {}
    datum_cache: dict[str, Any] = {}
    isfinite = math.isfinite
    vorige = 0
    cellen_totaal = 0
    with _deel(wb._archive, ws._worksheet_path) as f:
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
                # The common cells are read here: an inline string (<is><t>…</t></is>), a
                # number and a date (<v>…</v>); the rest by _waarde.
                waarde = None
                if len(c) == 1:
                    ch = c[0]
                    tag = ch.tag
                    if tag == _IS:
                        if len(ch) == 1:
                            t = ch[0]
                            if t.tag == _T:
                                waarde = t.text or ""
                                if "_x" in waarde:
                                    waarde = ontsnap(waarde)
                    elif tag == _V:
                        tekst = ch.text
                        soort = c.get("t")
                        if (soort is None or soort == "n") and tekst and len(tekst) < 16 \
                                and tekst.isascii():
                            s = c.get("s")
                            datum: bool | None = False
                            if s is not None:
                                datum = datum_stijl.get(s)
                                if datum is None and s.isdigit() and len(datum_stijl) < 1000:
                                    datum = datum_stijl[s] = int(s) in datums
                            if datum:
                                if tekst.isdigit():
                                    # A date: the same few days on many rows, converted once.
                                    waarde = datum_cache.get(tekst)
                                    if waarde is None:
                                        waarde = _waarde(c, strings, datums, epoch, from_excel)
                                        if len(datum_cache) < 100_000:
                                            datum_cache[tekst] = waarde
                            elif datum is None:
                                pass  # a style id _waarde judges
                            elif tekst.isdigit():
                                waarde = int(tekst)
                            elif "." in tekst and "e" not in tekst and "E" not in tekst:
                                # An amount (12.50): what _waarde makes of it, without its
                                # checks of the cell's other children.
                                try:
                                    waarde = float(tekst)
                                except ValueError:
                                    pass  # _waarde says what is wrong
                                else:
                                    if not isfinite(waarde):
                                        waarde = None
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
                if ref:
                    col = _KOLOM.get(ref.rstrip("0123456789"))  # known letters: no call
                    if col is None:
                        col = _kolom(ref)
                else:
                    col = i
                if col > MAX_KOLOM:
                    raise XlsxFout("meer dan 16.384 kolommen (na kolom XFD)", cel=f"rij {nr}")
                if col == n:  # the next column: the common case, without a list to extend by
                    waarden.append(waarde)
                    n += 1
                elif col > n:
                    waarden.extend([None] * (col - n))
                    waarden.append(waarde)
                    n = col + 1
                else:
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
