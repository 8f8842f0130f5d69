"""How a value reads for a person: dates, euros, period lengths, a masked BSN.

>>> datum("2026-03-01")
'01-03-2026'
>>> euro("123456")
'€ 1.234,56'
>>> euro("5")
'€ 0,05'
>>> looptijd(dt.date(2026, 3, 1), dt.date(2027, 2, 28))
'12 maanden'
>>> looptijd(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
'1 maand'
>>> looptijd(dt.date(2026, 1, 10), dt.date(2026, 3, 1))
'1 maand en 20 dagen'
>>> maskeer("999900018")
'9999*****'
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

_DATUM = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def datum(waarde: str) -> str:
    """An ISO date as DD-MM-JJJJ; anything that is not one stays as it was."""
    m = _DATUM.fullmatch(waarde.strip())
    return f"{m.group(3)}-{m.group(2)}-{m.group(1)}" if m else waarde


def tijd(waarde: str) -> str:
    """``09:30:00`` as ``09:30``; seconds are kept when they are not zero."""
    w = waarde.strip()
    return w[:5] if re.fullmatch(r"\d{2}:\d{2}:00(\.0+)?", w) else w


def euro(centen: str) -> str:
    """An amount in cents (how iJw counts) as euros, Dutch style; not a number: as it was."""
    w = centen.strip()
    if not re.fullmatch(r"-?\d+", w):
        return centen
    n = int(w)
    teken = "-" if n < 0 else ""
    hele, rest = divmod(abs(n), 100)
    return f"€ {teken}{hele:,}".replace(",", ".") + f",{rest:02d}"


def iso(waarde: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(waarde.strip()) if waarde else None
    except ValueError:
        return None


def looptijd(begin: dt.date, eind: dt.date) -> str:
    """The length of a period whose both ends count (1 January to 31 January is one month)."""
    if eind < begin:
        return "einde vóór begin"
    r = relativedelta(eind + dt.timedelta(days=1), begin)
    maanden = r.years * 12 + r.months
    delen = []
    if maanden:
        delen.append(f"{maanden} maand" if maanden == 1 else f"{maanden} maanden")
    if r.days or not maanden:
        delen.append(f"{r.days} dag" if r.days == 1 else f"{r.days} dagen")
    return " en ".join(delen)


def maskeer(bsn: str) -> str:
    """The first four digits of a BSN; the rest hidden."""
    return bsn[:4] + "*" * max(0, len(bsn) - 4)
