"""Datatype-level constraints that XML Schema cannot express: CS002, CS003, CS089, RS033,
and MARKUP (a comment or processing instruction inside a value).

(CS015 and CS025, the fixed BerichtSubversie and BerichtVersie, are enforced by the schema
itself; :mod:`ijwcli.validatie.regels.xsd` names those schema failures by their rule code.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ijwcli.validatie.regels import Bevinding, Context, regel
from ijwcli.validatie.regels.hulp import datum, kinderen, waarde

# The pairs (begin, end) that CS003 compares, by the class that holds them.
_PERIODES = {
    "Periode": ("Begindatum", "Einddatum"),
    "ToegewezenProduct": ("Ingangsdatum", "Einddatum"),
    "AangevraagdProduct": ("ToewijzingIngangsdatum", "ToewijzingEinddatum"),
    "TeWijzigenProduct": ("GewensteIngangsdatum", "Einddatum"),
    "NieuwProduct": ("GewensteIngangsdatum", "Einddatum"),
}
_POSTCODE_NL = re.compile(r"[1-9][0-9]{3}[A-Za-z]{2}")


def elfproef(bsn: str) -> bool:
    """The BSN 11-proef: nine digits, not all zero, weighted sum 9…2 minus the last ≡ 0 mod 11.

    (Our own few lines rather than python-stdnum, whose import costs more than a whole
    one-file ``ijwcli validate``; the tests hold it equal to stdnum.)

    >>> elfproef("999900006"), elfproef("123456789"), elfproef("000000000")
    (True, False, False)
    """
    if len(bsn) != 9 or not (bsn.isascii() and bsn.isdigit()) or bsn == "000000000":
        return False
    # On the ASCII codes, written out: the weights sum to 43, so 43 × ord("0") comes off.
    # A third of the time of a sum over map() (the screen judges a BSN in every message).
    b = bsn.encode()
    return (9 * b[0] + 8 * b[1] + 7 * b[2] + 6 * b[3] + 5 * b[4] + 4 * b[5] + 3 * b[6]
            + 2 * b[7] - b[8] - 43 * 48) % 11 == 0


@regel("CS002")
def bsn_elfproef(ctx: Context) -> Iterator[Bevinding]:
    for el in ctx.iter("Bsn"):
        value = waarde(el) or ""
        # A value that is not 9 digits is already a schema error; only judge the 11-proef.
        if len(value) == 9 and value.isdigit() and not elfproef(value):
            yield ctx.bevinding("CS002", el, f"BSN {value} voldoet niet aan de elfproef")


@regel("CS003")
def einddatum_na_begindatum(ctx: Context) -> Iterator[Bevinding]:
    for klasse, (begin_naam, eind_naam) in _PERIODES.items():
        for parent in ctx.iter(klasse):
            k = kinderen(parent)
            eind = k.get(eind_naam)
            if eind is None:
                continue
            if begin_naam not in k:
                # An end without a begin (a Periode may omit either) lies after no begin.
                yield ctx.bevinding("CS003", eind, f"{eind_naam} zonder {begin_naam}")
                continue
            # An impossible date is a schema error, reported there: datum() gives None.
            b, e = datum(k.get(begin_naam)), datum(eind)
            if b and e and e < b:
                yield ctx.bevinding("CS003", eind, f"{eind_naam} {e} ligt vóór {begin_naam} {b}")


@regel("CS089")
def postcode_nl(ctx: Context) -> Iterator[Bevinding]:
    # A Dutch address (LandCode NL) has a postcode of the form 1234AB: four digits, the first
    # not 0, two letters (either case, as the official validation accepts), nothing around
    # them. A missing postcode does not have that form either.
    for adres in ctx.iter("Adres"):
        k = kinderen(adres)
        if waarde(k.get("LandCode")) != "NL":
            continue
        postcode = k.get("Postcode")
        if postcode is None:
            yield ctx.bevinding("CS089", k["LandCode"], "Nederlands adres (LandCode NL) zonder "
                                "postcode; verwacht de vorm 1234AB")
            continue
        value = "".join(postcode.itertext())
        if not _POSTCODE_NL.fullmatch(value):
            yield ctx.bevinding("CS089", postcode, f"postcode {value!r} heeft niet de "
                                "Nederlandse vorm 1234AB (LandCode is NL)")


@regel("MARKUP")
def geen_markup_in_waarden(ctx: Context) -> Iterator[Bevinding]:
    for el in ctx.markup():
        yield ctx.bevinding("MARKUP", el, f"de waarde van {el.tag.rpartition('}')[2]} bevat "
                            "commentaar of een processing instruction; schrijf de waarde "
                            "aaneengesloten (gelezen als "
                            f"{''.join(el.itertext()).strip()!r})")


@regel("RS033")
def geen_lege_elementen(ctx: Context) -> Iterator[Bevinding]:
    for el in ctx.leeg():
        yield ctx.bevinding("RS033", el, f"element {el.tag.rpartition('}')[2]} is leeg")
