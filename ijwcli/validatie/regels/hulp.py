"""Small, fast helpers for the check functions: children by local name, typed values.

The checks run on every validated file, so these avoid XPath and namespace lookups: an
element's children are read once into a dict keyed by local name.

>>> from lxml import etree
>>> el = etree.fromstring('<a xmlns:i="urn:i"><i:Begindatum>2026-01-31</i:Begindatum>'
...                       '<Volume>12</Volume><Leeg/></a>')
>>> sorted(kinderen(el))
['Begindatum', 'Leeg', 'Volume']
>>> datum(kinderen(el).get("Begindatum")), getal(kinderen(el).get("Volume"))
(datetime.date(2026, 1, 31), 12)
>>> waarde(kinderen(el).get("Leeg")), waarde(None)
(None, None)
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

# A date after 31-12-2020 switches on the rules about Omvang and Frequentie (the "nieuwe
# bekostigingssystematiek" of iJw 3.x); older toewijzingen keep the old rules.
GRENS_2020 = dt.date(2020, 12, 31)


def naam(el: etree._Element) -> str:
    """The local name of an element (no namespace)."""
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


# While regels.run checks one message, kinderen() and waarde() answer from what its one walk
# over the tree read (Context._lees): many checks ask for the children of the same Contact or
# product and for the same values, and reading them from libxml2 again is most of a check's
# cost. Keys are the elements themselves (the caches keep their proxies alive, so a node
# keeps its key); run() drops them afterwards. Callers must not change the dict they get.
_kinderen_cache: dict[etree._Element, dict[str, etree._Element]] | None = None
_waarde_cache: dict[etree._Element, str | None] | None = None


def kinderen(el: etree._Element | None) -> dict[str, etree._Element]:
    """The child elements by local name; a repeated name keeps its first occurrence."""
    if el is None:
        return {}
    cache = _kinderen_cache
    if cache is not None:
        hit = cache.get(el)
        if hit is not None:
            return hit
    out: dict[str, etree._Element] = {}
    for c in el:
        if isinstance(c.tag, str):
            out.setdefault(c.tag.rpartition("}")[2], c)
    if cache is not None:
        cache[el] = out
    return out


def waarde(el: etree._Element | None) -> str | None:
    """The stripped text of an element; ``None`` when absent or blank."""
    if el is None:
        return None
    cache = _waarde_cache
    if cache is not None and el in cache:
        return cache[el]
    text = (el.text or "").strip()
    return text or None


def datum(el: etree._Element | None) -> dt.date | None:
    """The element's date; ``None`` when absent or not a date (the schema reports that)."""
    v = waarde(el)
    if v is None:
        return None
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        return None


def getal(el: etree._Element | None) -> int | None:
    v = waarde(el)
    if v is None:
        return None
    try:
        return int(v)
    except ValueError:
        return None


def pad_waarde(el: etree._Element | None, *namen: str) -> str | None:
    """The value found by following child names: ``pad_waarde(product, "Product", "Code")``."""
    for n in namen:
        if el is None:
            return None
        el = kinderen(el).get(n)
    return waarde(el)


def overlapt(a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]) -> bool:
    """Whether two periods (end inclusive, ``None`` = open) share at least one day.

    >>> d = dt.date
    >>> overlapt((d(2026, 1, 1), d(2026, 1, 31)), (d(2026, 1, 31), None))
    True
    >>> overlapt((d(2026, 1, 1), d(2026, 1, 30)), (d(2026, 1, 31), None))
    False
    """
    (b1, e1), (b2, e2) = a, b
    return (e2 is None or b1 <= e2) and (e1 is None or b2 <= e1)
