"""The product code list that rule TR381 checks against, when one is configured.

There is no national list of product codes: every regio keeps its own. TR381 (a ProductCode
fits its ProductCategorie) is therefore only checked with a list, given as a CSV file with a
column for the category and one for the code (headers ``categorie``/``productcategorie`` and
``code``/``productcode``; delimiter ``,``, ``;`` or tab; more columns are ignored). Configure
it with :func:`configureer` (``validate --productcodes FILE``) or the environment variable
``IJWCLI_PRODUCTCODES``. Without a list TR381 is skipped; ``ijwcli regels`` says so.

>>> lijst = lees("productcategorie;productcode;omschrijving\\n45;45A05;Ambulant\\n")
>>> lijst.past("45", "45A05"), lijst.past("43", "45A05")
(True, False)
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ijwcli.errors import FileError, InvalidInput

OMGEVING = "IJWCLI_PRODUCTCODES"


class Productcodelijst:
    """A product code list and where it came from. A plain class, not a dataclass: this
    module is imported by every validating call, and a dataclass is compiled from generated
    source at import; a list is never compared or printed."""

    def __init__(self, bron: str, codes: dict[str, set[str]] | None = None) -> None:
        self.bron = bron
        self.codes: dict[str, set[str]] = {} if codes is None else codes  # categorie → codes

    def past(self, categorie: str, code: str) -> bool:
        return code in self.codes.get(categorie, ())

    def __len__(self) -> int:
        return sum(map(len, self.codes.values()))


def _kolom(kop: list[str], namen: tuple[str, ...], bron: str) -> int:
    low = [k.strip().lower() for k in kop]
    for n in namen:
        if n in low:
            return low.index(n)
    raise InvalidInput(f"kolom {' of '.join(namen)} ontbreekt in de kop", where=f"{bron}:1")


def lees(tekst: str, bron: str = "<productcodes>") -> Productcodelijst:
    eerste = tekst.splitlines()[0] if tekst.strip() else ""
    delim = max((",", ";", "\t"), key=eerste.count)
    rows = list(csv.reader(io.StringIO(tekst), delimiter=delim))
    if not rows:
        raise InvalidInput("de productcodelijst is leeg", where=bron)
    kop, *data = rows
    i_cat = _kolom(kop, ("productcategorie", "categorie"), bron)
    i_code = _kolom(kop, ("productcode", "code"), bron)
    lijst = Productcodelijst(bron)
    for n, row in enumerate(data, start=2):
        if not any(c.strip() for c in row):
            continue
        try:
            cat, code = row[i_cat].strip().zfill(2), row[i_code].strip()
        except IndexError:
            raise InvalidInput("te weinig kolommen", where=f"{bron}:{n}") from None
        if not cat.isdigit() or len(cat) != 2 or not code:
            raise InvalidInput(f"geen geldige categorie/code: {row[i_cat]!r}/{row[i_code]!r}",
                               where=f"{bron}:{n}")
        lijst.codes.setdefault(cat, set()).add(code)
    return lijst


def laad(pad: str | os.PathLike[str]) -> Productcodelijst:
    p = Path(pad)
    try:
        return lees(p.read_text("utf-8-sig"), str(p))
    except OSError as exc:
        raise FileError(f"kan productcodelijst {p} niet lezen: {exc.strerror}") from None


_actief: Productcodelijst | None = None
_uit_omgeving: str | None = None


def configureer(pad: str | os.PathLike[str] | None) -> Productcodelijst | None:
    """Use the list at ``pad`` for TR381 from now on (``None`` switches TR381 off)."""
    global _actief, _uit_omgeving
    _actief = laad(pad) if pad is not None else None
    _uit_omgeving = None
    return _actief


def actief() -> Productcodelijst | None:
    """The configured list, else the one named by ``IJWCLI_PRODUCTCODES``, else ``None``."""
    global _actief, _uit_omgeving
    if _actief is not None:  # once set, a later environment does not change it
        return _actief
    env = os.environ.get(OMGEVING)
    if _actief is None and env and env != _uit_omgeving:
        _actief, _uit_omgeving = laad(env), env
    return _actief
