"""Datatype-level constraints that XML Schema cannot express: CS002, CS003, CS089, RS033.

(CS015 and CS025, the fixed BerichtSubversie and BerichtVersie, are enforced by the schema
itself; :mod:`ijwcli.regels.xsd` names those schema failures by their rule code.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from lxml import etree

from ijwcli.regels import Bevinding, Context, regel

# The pairs (begin, end) that CS003 compares, by the class that holds them.
_PERIODES = {
    "Periode": ("Begindatum", "Einddatum"),
    "ToegewezenProduct": ("Ingangsdatum", "Einddatum"),
    "AangevraagdProduct": ("ToewijzingIngangsdatum", "ToewijzingEinddatum"),
    "TeWijzigenProduct": ("GewensteIngangsdatum", "Einddatum"),
    "NieuwProduct": ("GewensteIngangsdatum", "Einddatum"),
}
_POSTCODE_NL = re.compile(r"[1-9][0-9]{3}[A-Z]{2}")


def elfproef(bsn: str) -> bool:
    """The BSN 11-proef: nine digits, not all zero, weighted sum 9…2 minus the last ≡ 0 mod 11.

    (Our own few lines rather than python-stdnum, whose import costs more than a whole
    one-file ``ijwcli validate``; the tests hold it equal to stdnum.)

    >>> elfproef("999900006"), elfproef("123456789"), elfproef("000000000")
    (True, False, False)
    """
    if len(bsn) != 9 or not (bsn.isascii() and bsn.isdigit()) or int(bsn) == 0:
        return False
    return (sum((9 - i) * int(c) for i, c in enumerate(bsn[:8])) - int(bsn[8])) % 11 == 0


@regel("CS002")
def bsn_elfproef(ctx: Context) -> Iterator[Bevinding]:
    for el in ctx.iter("Bsn"):
        value = (el.text or "").strip()
        # A value that is not 9 digits is already a schema error; only judge the 11-proef.
        if len(value) == 9 and value.isdigit() and not elfproef(value):
            yield ctx.bevinding("CS002", el, f"BSN {value} voldoet niet aan de elfproef")


def _datum(el) -> dt.date | None:  # type: ignore[no-untyped-def]
    try:
        return dt.date.fromisoformat((el.text or "").strip())
    except ValueError:
        return None  # an impossible date is a schema error, reported there


@regel("CS003")
def einddatum_na_begindatum(ctx: Context) -> Iterator[Bevinding]:
    for klasse, (begin_naam, eind_naam) in _PERIODES.items():
        for parent in ctx.iter(klasse):
            begin = eind = None
            for c in parent:
                if not isinstance(c.tag, str):
                    continue
                local = c.tag.rpartition("}")[2]
                if local == begin_naam:
                    begin = c
                elif local == eind_naam:
                    eind = c
            if begin is None or eind is None:
                continue
            b, e = _datum(begin), _datum(eind)
            if b and e and e < b:
                yield ctx.bevinding("CS003", eind, f"{eind_naam} {e} ligt vóór {begin_naam} {b}")


@regel("CS089")
def postcode_nl(ctx: Context) -> Iterator[Bevinding]:
    for adres in ctx.iter("Adres"):
        land = postcode = None
        for c in adres:
            if isinstance(c.tag, str):
                local = c.tag.rpartition("}")[2]
                if local == "LandCode":
                    land = c
                elif local == "Postcode":
                    postcode = c
        if land is not None and (land.text or "").strip() == "NL" and postcode is not None:
            value = postcode.text or ""
            if not _POSTCODE_NL.fullmatch(value):
                yield ctx.bevinding("CS089", postcode, f"postcode {value!r} heeft niet de "
                                    "Nederlandse vorm 1234AB (LandCode is NL)")


@regel("RS033")
def geen_lege_elementen(ctx: Context) -> Iterator[Bevinding]:
    # iter(etree.Element) skips comments and processing instructions in C: this check visits
    # every element of every file, so the Python per element is kept to a minimum.
    for el in ctx.root.iter(etree.Element):
        if not len(el) and not (el.text or "").strip():
            local = el.tag.rpartition("}")[2]
            yield ctx.bevinding("RS033", el, f"element {local} is leeg")
