"""Excel ↔ iJw XML, the ZilliZ way: a workbook of clients and products in, coded messages out.

The workbook layout follows from the message model (:mod:`ijwcli.excel.layout`): a
``JWnnn Bericht`` sheet with the header, a data sheet with one row per client × product and
side sheets for relaties and contactgegevens. Dates are real dates (shown JJJJ-MM-DD), codes text
with their leading zeros, amounts euros with two decimals, an empty cell an absent element.

- :func:`excel_naar_xml`: every message in a workbook, each validated, to one XML file each;
  with any error nothing is written unless ``skip_invalid``. The files are staged inside the
  output directory while the conversion runs and renamed into place at the end
  (:mod:`ijwcli.excel.uitvoer`).
- :func:`xml_naar_excel`: message files to one workbook, a sheet set per message type, the
  retourcodes with their meaning next to them.
- :func:`ijwcli.excel.template.maak_template`: a blank workbook for one message type.

XML → Excel → XML gives the same message:

>>> import tempfile, pathlib
>>> from ijwcli import bericht
>>> b = bericht.from_dict("JW319", {
...     "Header": {"Afzender": "0384", "Ontvanger": "12345678",
...                "BerichtIdentificatie": {"Identificatie": "A1", "Dagtekening": "2026-04-01"}},
...     "Antwoord": {"ReferentieAanbieder": "R1", "VerzoekAntwoord": "2"}})
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.xml").write_bytes(bericht.to_xml(b))
>>> [pathlib.Path(f).name for f in xml_naar_excel([d / "a.xml"], d / "a.xlsx").geschreven]
['a.xlsx']
>>> v = excel_naar_xml([d / "a.xlsx"], d / "uit", today=dt.date(2026, 4, 1))
>>> v.fouten, [pathlib.Path(f).name for f in v.geschreven]
([], ['JW319_488_A1.xml'])
>>> bericht.parse_file(d / "uit" / "JW319_488_A1.xml").root.to_dict() == b.root.to_dict()
True
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ijwcli import bestanden as _bestanden
from ijwcli.errors import FileError, InvalidMessage
from ijwcli.excel.lezen import Fout, Gelezen, is_werkboek
from ijwcli.excel.uitvoer import Staging

__all__ = ["Fout", "Verslag", "excel_naar_xml", "xml_naar_excel", "bestandsnaam",
           "is_werkboek"]



@dataclass
class Verslag:
    """What a conversion did: files written, messages left out and why, warnings."""

    geschreven: list[str] = field(default_factory=list)
    # Per written file: (message type, Identificatie, the rows it comes from, the input).
    herkomst: dict[str, tuple[str | None, str | None, str, str]] = field(default_factory=dict)
    fouten: list[Fout] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    berichten: int = 0

    @property
    def ok(self) -> bool:
        return not self.fouten

    def to_dict(self) -> dict[str, object]:
        return {"berichten": self.berichten, "geschreven": self.geschreven,
                "fouten": [f.to_dict() for f in self.fouten],
                "waarschuwingen": self.waarschuwingen}


def bestandsnaam(code: str, berichtcode: str, identificatie: str | None) -> str:
    """The output name of a message: :func:`ijwcli.bestanden.berichtnaam`.

    >>> bestandsnaam("JW315", "446", "2026/04 01")
    'JW315_446_2026_04_01.xml'
    """
    from ijwcli.bestanden import berichtnaam

    return berichtnaam(code, berichtcode, identificatie)


def excel_naar_xml(invoer: list[Path], uitmap: str | os.PathLike[str],
                   today: dt.date | None = None, skip_invalid: bool = False,
                   force: bool = False, stap: Callable[[], object] | None = None) -> Verslag:
    """Workbooks → one validated XML file per message in ``uitmap`` (``stap()`` after each
    message: a progress bar's hook)."""
    out = Path(uitmap)
    if out.exists() and not out.is_dir():
        raise FileError(f"{out} is geen map; geef met -o een map op voor de XML-bestanden")
    with _zonder_gc():
        return _excel_naar_xml(invoer, out, today, skip_invalid, force, stap)


def _excel_naar_xml(invoer: list[Path], out: Path, today: dt.date | None, skip_invalid: bool,
                    force: bool, stap: Callable[[], object] | None = None) -> Verslag:
    verslag = Verslag()
    # output file → (message type, Identificatie, the rows it comes from, the input)
    herkomst: dict[Path, tuple[str | None, str | None, str, str]] = {}
    staging = Staging(out)
    try:
        _lees_en_schrijf(invoer, out, today, skip_invalid, force, verslag, herkomst, staging,
                         stap or (lambda: None))
        if verslag.fouten and not skip_invalid:
            return verslag
        staging.plaats()
    finally:
        staging.opruimen()
    for doel, waar in herkomst.items():
        verslag.geschreven.append(str(doel))
        verslag.herkomst[str(doel)] = waar
    return verslag


def _lees_en_schrijf(invoer: list[Path], out: Path, today: dt.date | None, skip_invalid: bool,
                     force: bool, verslag: Verslag,
                     herkomst: dict[Path, tuple[str | None, str | None, str, str]],
                     staging: Staging, stap: Callable[[], object]) -> None:
    from ijwcli.excel.lezen import lees_werkboek
    from ijwcli.validatie import validate_bytes

    for pad in invoer:
        res = lees_werkboek(pad)
        verslag.fouten.extend(_met_bestand(f, pad) for f in res.fouten)
        verslag.waarschuwingen.extend(f"{pad}: {w}" for w in res.waarschuwingen)
        verslag.berichten += len(res.berichten)
        # Each message is let go once it is XML, so the bytes replace the nodes in memory.
        berichten, res.berichten = (res.berichten + res.onvolledig)[::-1], []
        while berichten:
            stap()
            g = berichten.pop()
            waar = f"{g.sheet} rij {g.rij}"
            # The nodes are let go here (a line map says where each line comes from).
            xml = g.naar_bytes()
            code, ident = g.code, g.identificatie
            naam = bestandsnaam(code, g.berichtcode, ident)
            r = validate_bytes(xml, naam, today)
            if g.onvolledig or not r.valid:
                for e in r.errors:
                    sheet, cel = g.waar(e.line)
                    if g.onvolledig and _al_gemeld(g, sheet, cel, e.message):
                        continue
                    verslag.fouten.append(Fout(
                        f"{e.message} ({e.rule}; bericht {g.sleutel or '-'})", sheet, cel,
                        g.sleutel, code, str(pad), rule=e.rule,
                        retourcode=e.retourcode, pad=e.path))
                continue
            doel = out / naam
            if doel in herkomst:
                verslag.fouten.append(Fout(
                    f"zelfde bestandsnaam {naam} als {herkomst[doel][2]}: Identificatie moet per "
                    "bericht uniek zijn", g.sheet, f"rij {g.rij}", g.sleutel, code,
                    str(pad)))
                continue
            _bestanden.controleer_doel(doel, force)
            herkomst[doel] = (code, ident, waar, str(pad))
            if not verslag.fouten or skip_invalid:
                staging.schrijf(naam, xml)  # nothing is staged in vain once it cannot be written


def _al_gemeld(g: Gelezen, sheet: str, cel: str, melding: str) -> bool:
    """A validator finding that follows from a cell already reported: at that cell, or the
    schema missing (or expecting) an element whose required cell was empty."""
    if (sheet, cel) in g.gemeld:
        return True
    return any(re.search(rf"\b(?:verwacht(?: een van)?: .*\b{re.escape(e)}\b|"
                         rf"zonder {re.escape(e)}\b|{re.escape(e)}\b.*ontbreekt)", melding)
               for e in g.ontbrekend)


def _met_bestand(f: Fout, pad: Path) -> Fout:
    f.bestand = f.bestand or str(pad)
    return f


def xml_naar_excel(invoer: list[Path], uit: str | os.PathLike[str], skip_invalid: bool = False,
                   force: bool = False, stap: Callable[[], object] | None = None) -> Verslag:
    """Message files (or directories of them) → one workbook at ``uit`` (``stap()`` after
    each file)."""
    from ijwcli.validatie import expand

    out = Path(uit)
    with _zonder_gc():
        return _xml_naar_excel(expand(invoer), out, skip_invalid, force, stap or (lambda: None))


@contextmanager
def _zonder_gc() -> Iterator[None]:
    """Batch conversions keep every row alive until the end: the cyclic collector would
    re-scan that growing heap over and over without finding garbage."""
    aan = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if aan:
            gc.enable()


def _xml_naar_excel(bestanden: list[Path], out: Path, skip_invalid: bool, force: bool,
                    stap: Callable[[], object]) -> Verslag:
    from ijwcli.bericht import definitie_van, read_tree
    from ijwcli.excel.schrijven import Werkboek, bericht_uit_boom
    from ijwcli.model.schema import schema
    from ijwcli.validatie.regels.xsd import bevindingen

    if out.resolve() in {b.resolve() for b in bestanden}:
        raise FileError(f"{out} is ook invoer; kies een andere uitvoer")
    _bestanden.controleer_doel(out, force)
    verslag = Verslag()
    wb = Werkboek()
    for pad in bestanden:
        stap()
        try:
            data = pad.read_bytes()
        except OSError as exc:
            raise FileError(f"kan {pad} niet lezen: {exc.strerror}") from None
        try:
            tree = read_tree(data)
            d = definitie_van(tree)
        except InvalidMessage as exc:
            verslag.fouten.append(Fout(exc.message, bestand=str(pad), regel=exc.line,
                                       rule=exc.rule))
            continue
        s = schema(d.code)
        if not s.validate(tree):
            # Only the structure matters here: a field the model lacks would be lost.
            e = bevindingen(s)[0]
            verslag.fouten.append(Fout(f"past niet in het model van {d.code}: {e.message}",
                                       bestand=str(pad), regel=e.line, code=d.code,
                                       rule=e.rule, retourcode=e.retourcode, pad=e.path))
            continue
        wb.voeg_toe(bericht_uit_boom(tree))
        verslag.berichten += 1
    if (verslag.fouten and not skip_invalid) or not verslag.berichten:
        return verslag  # no workbook of nothing but code lists for an empty or wrong folder
    wb.opslaan(out, force)
    verslag.geschreven.append(str(out))
    return verslag
