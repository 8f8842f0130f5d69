"""The contract tariffs TR418 holds a declared ProductTarief against: a list the user keeps.

A gemeente knows its contracts; the register does not. The list is a CSV file (``,`` or
``;``) with a header row: ``productcode`` and ``tarief`` (in cents, as in the message), and
optionally ``categorie``, ``aanbieder`` (AGB code; empty = every aanbieder), ``van`` and ``tot``
(the dates the tariff holds, inclusive). The most specific matching row wins: own aanbieder
before everyone, a row with a period before one without.

>>> import io
>>> lijst = "productcode,tarief,aanbieder\\n45A05,7250,\\n45A05,7000,12345678\\n"
>>> t = Tarieven.lees(io.StringIO(lijst), "t.csv")
>>> t.tarief("12345678", "45", "45A05", None), t.tarief("87654321", "45", "45A05", None)
(7000, 7250)
>>> t.tarief("12345678", "45", "45A99", None) is None
True
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ijwcli.errors import InvalidInput


@dataclass(frozen=True)
class Tarief:
    code: str
    tarief: int
    categorie: str | None = None
    aanbieder: str | None = None
    van: dt.date | None = None
    tot: dt.date | None = None


@dataclass
class Tarieven:
    bron: str
    per_code: dict[str, list[Tarief]] = field(default_factory=dict)

    @classmethod
    def lees(cls, fh: TextIO, bron: str) -> Tarieven:
        tekst = fh.read()
        dialect = ";" if tekst.count(";") > tekst.count(",") else ","
        rijen = csv.DictReader(tekst.splitlines(), delimiter=dialect)
        kolommen = {(k or "").strip().lower() for k in rijen.fieldnames or ()}
        if not {"productcode", "tarief"} <= kolommen:
            raise InvalidInput("de tarievenlijst heeft de kolommen productcode en tarief nodig",
                               where=bron)
        t = cls(bron)
        for nr, rij in enumerate(rijen, 2):
            r = {(k or "").strip().lower(): (v or "").strip() for k, v in rij.items()}
            try:
                tarief = Tarief(r["productcode"], int(r["tarief"]), r.get("categorie") or None,
                                r.get("aanbieder") or None,
                                dt.date.fromisoformat(r["van"]) if r.get("van") else None,
                                dt.date.fromisoformat(r["tot"]) if r.get("tot") else None)
            except ValueError as exc:
                raise InvalidInput(f"rij {nr}: {exc}", where=bron) from None
            t.per_code.setdefault(tarief.code, []).append(tarief)
        return t

    @classmethod
    def laad(cls, pad: str | os.PathLike[str]) -> Tarieven:
        p = Path(pad)
        try:
            with p.open(encoding="utf-8-sig") as fh:
                return cls.lees(fh, str(p))
        except OSError as exc:
            raise InvalidInput(f"kan de tarievenlijst niet lezen: {exc.strerror}",
                               where=str(p)) from None

    def tarief(self, aanbieder: str, categorie: str | None, code: str | None,
               dag: dt.date | None) -> int | None:
        best: tuple[int, int] | None = None
        uit = None
        for t in self.per_code.get(code or "", ()):
            if t.categorie and t.categorie != categorie:
                continue
            if t.aanbieder and t.aanbieder != aanbieder:
                continue
            if dag is not None and ((t.van and dag < t.van) or (t.tot and dag > t.tot)):
                continue
            rang = (t.aanbieder is not None, t.van is not None or t.tot is not None)
            score = (int(rang[0]), int(rang[1]))
            if best is None or score > best:
                best, uit = score, t.tarief
        return uit
