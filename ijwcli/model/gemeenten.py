"""The CBS gemeentecodes, per year, for rule TR378 (a gemeentecode must exist on the date).

The lists are project files ``ijwcli/model/gemeenten_<jaar>.toml`` (code = [naam, provincie]).
A date is judged against the list of its own year; for a year without a list the nearest
older list is used (and the oldest one for dates before every list).

>>> bestaat("0855", dt.date(2026, 3, 1))   # Tilburg
True
>>> bestaat("0000", dt.date(2026, 3, 1))
False
>>> naam("0034")
'Almere'
>>> 2026 in jaren()
True

Refreshing the list (CBS publishes "Gemeenten alfabetisch <jaar>" every January, as CSV or
Excel; save it as CSV or TSV). The file needs a column with the four-digit gemeentecode, one
with the gemeentenaam and one with the provincie(naam); headers are matched by name, the
delimiter (``;``, ``,`` or tab) is detected::

    .venv/bin/python -m ijwcli.model.gemeenten gemeenten-alfabetisch-2027.csv --jaar 2027

This writes ``ijwcli/model/gemeenten_2027.toml`` next to this module (atomically; an
existing list is only replaced with ``--force``). Keep the older lists: messages about past
periods are judged against the list of their own year. Commit the new file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from functools import cache
from pathlib import Path

from ijwcli.errors import FileError, InvalidInput
from ijwcli.pakketdata import laad_toml, pakketmap

_BESTAND = re.compile(r"gemeenten_(\d{4})\.toml")


@cache
def jaren() -> tuple[int, ...]:
    """The years with an embedded list, oldest first."""
    found = []
    for f in os.listdir(pakketmap("ijwcli.model")):
        m = _BESTAND.fullmatch(f)
        if m:
            found.append(int(m.group(1)))
    return tuple(sorted(found))


@cache
def lijst(jaar: int) -> dict[str, tuple[str, str]]:
    """Code → (naam, provincie) of the list of ``jaar``; raises :class:`KeyError` if none."""
    if jaar not in jaren():
        raise KeyError(f"geen gemeentelijst voor {jaar}")
    data = laad_toml("ijwcli.model", f"gemeenten_{jaar}.toml")
    return {code: (v[0], v[1]) for code, v in data["gemeenten"].items()}


def lijst_op(datum: dt.date) -> dict[str, tuple[str, str]]:
    """The list that is in force on ``datum`` (see the module docstring for missing years)."""
    beschikbaar = jaren()
    if not beschikbaar:
        raise KeyError("geen enkele gemeentelijst aanwezig")
    ouder = [j for j in beschikbaar if j <= datum.year]
    return lijst(ouder[-1] if ouder else beschikbaar[0])


def bestaat(code: str, datum: dt.date) -> bool:
    return code in lijst_op(datum)


def naam(code: str, datum: dt.date | None = None) -> str | None:
    g = lijst_op(datum or dt.date.today()).get(code)
    return g[0] if g else None


def _kolom(header: list[str], *namen: str, niet: str | None = None) -> int:
    low = [h.strip().lower() for h in header]
    for n in namen:
        for i, h in enumerate(low):
            if n in h and (niet is None or niet not in h):
                return i
    raise InvalidInput(f"kolom {namen[0]!r} niet gevonden in de kop: {', '.join(header)}")


def lees_cbs(tekst: str) -> dict[str, tuple[str, str]]:
    """Code → (naam, provincie) from the text of a CBS CSV/TSV file.

    >>> lees_cbs("Gemeentecode;GemeentecodeGM;Gemeentenaam;Provincienaam\\n"
    ...          "34;GM0034;Almere;Flevoland\\n")
    {'0034': ('Almere', 'Flevoland')}
    """
    eerste = tekst.splitlines()[0] if tekst.strip() else ""
    delim = max(("\t", ";", ","), key=eerste.count)
    # Imported here, like tempfile and argparse below: validation only reads the lists.
    import csv
    import io

    rows = list(csv.reader(io.StringIO(tekst), delimiter=delim))
    if not rows:
        raise InvalidInput("het CBS-bestand is leeg")
    header, *data = rows
    i_code = _kolom(header, "gemeentecode", niet="gm")
    i_naam = _kolom(header, "gemeentenaam")
    i_prov = _kolom(header, "provincienaam", "provincie", niet="code")
    out: dict[str, tuple[str, str]] = {}
    for n, row in enumerate(data, start=2):
        if not any(c.strip() for c in row):
            continue
        try:
            code = row[i_code].strip().removeprefix("GM").zfill(4)
            out[code] = (row[i_naam].strip(), row[i_prov].strip())
        except IndexError:
            raise InvalidInput("te weinig kolommen", where=f"regel {n}") from None
        if not code.isdigit() or len(code) != 4:
            raise InvalidInput(f"{row[i_code]!r} is geen gemeentecode", where=f"regel {n}")
    return out


def naar_toml(gemeenten: dict[str, tuple[str, str]], jaar: int) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    regels = [f"# CBS gemeentecodes in force in {jaar} (code = name, province); used by TR378.",
              "# Refresh: see `ijwcli/model/gemeenten.py`.", "", "[gemeenten]"]
    regels += [f"{q(c)} = [{q(n)}, {q(p)}]" for c, (n, p) in sorted(gemeenten.items())]
    return "\n".join(regels) + "\n"


def ververs(bron: Path, jaar: int, force: bool = False, map_: Path | None = None) -> Path:
    """Write ``gemeenten_<jaar>.toml`` from a CBS file; returns the path written."""
    try:
        tekst = bron.read_text("utf-8-sig")
    except OSError as exc:
        raise FileError(f"kan {bron} niet lezen: {exc.strerror}") from None
    doel = (map_ or Path(__file__).parent) / f"gemeenten_{jaar}.toml"
    if doel.exists() and not force:
        raise FileError(f"{doel} bestaat al (gebruik --force om te vervangen)")
    inhoud = naar_toml(lees_cbs(tekst), jaar)
    from ijwcli.bestanden import atomair

    with atomair(doel, force) as f:
        f.write(inhoud.encode("utf-8"))
    jaren.cache_clear()
    lijst.cache_clear()
    return doel


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(description="Ververs de CBS-gemeentelijst voor TR378.")
    p.add_argument("bron", type=Path, help="CBS-bestand (CSV of TSV)")
    p.add_argument("--jaar", type=int, required=True)
    p.add_argument("--force", action="store_true")
    args = p.parse_args(argv)
    try:
        doel = ververs(args.bron, args.jaar, args.force)
    except (FileError, InvalidInput) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"{doel} geschreven ({len(lijst(args.jaar))} gemeenten)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
