"""Cell values ↔ the lexical text of an element, per column kind.

Writing turns text into what Excel shows best: a real date, a whole number, euros (the
standard counts cents), or text that keeps its leading zeros. Reading reverses that exactly
and raises :class:`CelFout` with a Dutch reason when a cell cannot be read.

>>> from ijwcli.excel.layout import layout
>>> budget = layout("JW315").data.kolom("Budget")
>>> naar_cel(budget, "125050")
Decimal('1250.50')
>>> van_cel(budget, 1250.5), van_cel(budget, "1.250,50")
('125050', '125050')
>>> datum = layout("JW315").data.kolom("ToewijzingIngangsdatum")
>>> van_cel(datum, "31-06-2026")
Traceback (most recent call last):
    ...
ijwcli.excel.cellen.CelFout: '31-06-2026' is geen bestaande datum
>>> van_cel(layout("JW315").data.kolom("Omvang Eenheid"), 4)  # typed as a number
'04'
>>> van_cel(layout("JW315").data.kolom("Geslachtsnaam Achternaam"), "  Dijk ")
'Dijk'
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from ijwcli.excel.layout import Kolom
from ijwcli.excel.xlsx import Formule, Foutwaarde


class CelFout(ValueError):
    """A cell whose value cannot become element text; the message is the Dutch reason."""


_DATUM = re.compile(r"^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})\s*$")
_GETAL = re.compile(r"^[+-]?\d+$")
_CIJFERS = re.compile(r"^\[0-9\]\{(\d+)\}$")
_LIJST_SPLIT = re.compile(r"[,;\s]+")
_CENT = Decimal(100)


def naar_cel(k: Kolom, tekst: str | list[str] | None) -> object:
    """The cell value for element text (a list for a repeating value)."""
    if tekst is None:
        return None
    if isinstance(tekst, list):
        return ", ".join(tekst)
    soort = k.soort
    try:
        if soort == "datum":
            return dt.date.fromisoformat(tekst)
        if soort == "getal" and str(int(tekst)) == tekst:
            return int(tekst)
        if soort == "bedrag" and str(int(tekst)) == tekst:
            return Decimal(tekst).scaleb(-2)
    except ValueError:
        pass  # an odd lexical form stays text, so it comes back unchanged
    return tekst


def betekenis(k: Kolom, codes: list[str]) -> str:
    """The meanings of codes, for the derived column next to a code list cell."""
    lijst = k.codes
    return "; ".join(f"{c}: {lijst.get(c, '(onbekende code)')}" for c in codes)


def _geheel(v: float | int | Decimal) -> str | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return str(v)
    if v == int(v):
        return str(int(v))
    return None


def _code(k: Kolom, tekst: str) -> str:
    """A code typed as a number lost its leading zeros: restore them where the model says so."""
    t = k.type
    if t.codelijst and tekst not in k.codes and t.max_length:
        padded = tekst.zfill(t.max_length)
        if padded in k.codes:
            return padded
    for p in t.patterns:
        m = _CIJFERS.match(p)
        if m and tekst.isdigit():
            return tekst.zfill(int(m.group(1)))
    return tekst


def _datum(v: object) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        m = _DATUM.match(v)
        if m:
            a, b, c = m.groups()
            d, mnd, j = (a, b, c) if len(c) == 4 else (c, b, a)
            if len(j) == 4:
                try:
                    return dt.date(int(j), int(mnd), int(d)).isoformat()
                except ValueError:
                    raise CelFout(f"'{v.strip()}' is geen bestaande datum") from None
        raise CelFout(f"'{v.strip()}' is geen datum (gebruik JJJJ-MM-DD)")
    raise CelFout(f"'{v}' is geen datum (gebruik JJJJ-MM-DD)")


def _tijd(v: object) -> str:
    if isinstance(v, dt.datetime):
        v = v.time()
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, float) and 0 <= v < 1:  # a time typed into a cell without time format
        s = round(v * 86400)
        return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
    if isinstance(v, str):
        return v.strip()
    raise CelFout(f"'{v}' is geen tijd (gebruik UU:MM:SS)")


def _bedrag(v: object) -> str:
    if isinstance(v, bool) or isinstance(v, dt.date | dt.time):
        raise CelFout(f"'{v}' is geen bedrag")
    if isinstance(v, int | float | Decimal):
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    else:
        s = str(v).replace("€", "").replace(" ", "").replace("\u00a0", "")
        if "," in s:
            s = s.replace(".", "").replace(",", ".")
        try:
            d = Decimal(s)
        except InvalidOperation:
            raise CelFout(f"'{v}' is geen bedrag (gebruik euro's, bijv. 12,50)") from None
    centen = d * _CENT
    if centen != centen.to_integral_value():
        raise CelFout(f"'{v}' heeft meer dan twee decimalen")
    if centen < 0:
        raise CelFout(f"'{v}' is negatief; gebruik DebetCredit voor de richting")
    return str(int(centen))


def van_cel(k: Kolom, v: object) -> str | list[str] | None:
    """Element text for a cell value; ``None`` for an empty cell. Raises :class:`CelFout`."""
    if v is None:
        return None
    if isinstance(v, str):
        if isinstance(v, Formule):
            raise CelFout("bevat een formule; plak de waarden (Plakken speciaal → Waarden)")
        if isinstance(v, Foutwaarde):
            raise CelFout("bevat een foutwaarde van een formule; vul de juiste waarde in")
        if not v.strip():
            return None
    soort = k.soort
    if soort == "datum":
        return _datum(v)
    if soort == "tijd":
        return _tijd(v)
    if soort == "bedrag":
        return _bedrag(v)
    if isinstance(v, dt.date | dt.time):
        raise CelFout(f"'{v}' is een datum of tijd; verwacht {soort}")
    if soort == "getal":
        if isinstance(v, str):
            if _GETAL.match(v.strip()):
                return v.strip()
        else:
            g = _geheel(v)  # type: ignore[arg-type]
            if g is not None:
                return g
        raise CelFout(f"'{v}' is geen geheel getal")
    if soort == "lijst":
        delen = [_geheel(v) or str(v)] if not isinstance(v, str) else _LIJST_SPLIT.split(v.strip())
        return [_code(k, d) for d in delen if d]
    if not isinstance(v, str):
        g = _geheel(v)  # type: ignore[arg-type]
        v = g if g is not None else str(v)
        return _code(k, v)
    # Surrounding spaces (pasted from elsewhere) are trimmed, not an error: no iJw value
    # starts or ends with white space.
    return _code(k, v.strip()) if soort == "code" else v.strip()
