"""Batch outcomes for verlenging requests: one request per row of an .xlsx or .csv file.

The first row names the columns (case and spaces do not matter). Required: ``verwijzer``,
``ingangsdatum``, ``einddatum``, ``volume``, ``eenheid``, ``frequentie``, and ``regio`` unless a
default profile is given. Optional: ``nieuwe_einddatum``, ``extra_volume``,
``gewijzigde_resultaten``, ``eerder_verschoven``, ``product``, ``termijn``, ``peildatum``,
``nieuw_traject``, ``zelfde_aanbieder``, ``naar_groep``, ``hervatting`` (or ``terugval``, the
name of the command-line option; likewise ``today`` for ``peildatum``). Dates as JJJJ-MM-DD or
DD-MM-JJJJ (or real Excel dates); yes/no as ja/nee, j/n, x, 1/0, true/false.

Every row gets the outcome columns (:data:`UITKOMST_KOLOMMEN`) appended; an invalid row gets its
message in ``fout`` (naming the cell or line) and the other rows are still computed.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "in.csv").write_text(
...     "regio;verwijzer;ingangsdatum;einddatum;volume;eenheid;frequentie;"
...     "nieuwe_einddatum;extra_volume\\n"
...     "hart-van-brabant;toegang;2026-01-01;2026-12-31;100;04;6;2027-05-31;30\\n"
...     "hart-van-brabant;toegang;2026-01-01;2026-13-31;100;04;6;;\\n", "utf-8")
>>> r = verwerk(d / "in.csv")
>>> [(x.nummer, x.uitkomst.route if x.uitkomst else x.fout) for x in r.rijen]
[(2, 'backoffice'), (3, "in.csv:3 kolom einddatum: '2026-13-31' is geen geldige datum")]
>>> schrijf(r, d / "uit.csv")
>>> (d / "uit.csv").read_text("utf-8").splitlines()[1].split(";")[9:12]
['True', 'backoffice', 'JW301']
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ijwcli import bestanden
from ijwcli.errors import FileError, IjwError, UsageError
from ijwcli.verlenging import Toewijzing, Uitkomst, Verzoek, bereken, code, profiel
from ijwcli.verlenging.feiten import ToewijzingFeiten, aanvullen, herkomst

VEREIST = ("verwijzer", "ingangsdatum", "einddatum", "volume", "eenheid", "frequentie")
OPTIONEEL = ("regio", "toewijzingnummer", "nieuwe_einddatum", "extra_volume",
             "gewijzigde_resultaten", "eerder_verschoven", "product", "termijn", "peildatum",
             "nieuw_traject", "zelfde_aanbieder", "naar_groep", "hervatting")
UITKOMST_KOLOMMEN = ("binnen_richtlijn", "route", "berichten", "uitkomst_ingangsdatum",
                     "uitkomst_einddatum", "uitkomst_volume", "uitkomst_eenheid",
                     "uitkomst_frequentie", "toetsen", "waarschuwingen", "toelichting", "herkomst",
                     "fout")
# Columns named after the command-line option where that differs from the column name; without
# this a "terugval" column (as in --terugval) would be ignored and the row computed as a verlenging,
# and a "today" column (as in --today) ignored for the run's peildatum.
_ALIASSEN = {"terugval": "hervatting", "today": "peildatum"}
_JA = {"ja", "j", "x", "1", "true", "waar", "yes", "y"}
_NEE = {"nee", "n", "0", "false", "onwaar", "no", ""}


@dataclass
class RijUitkomst:
    nummer: int
    invoer: list[Any]
    uitkomst: Uitkomst | None = None
    fout: str | None = None
    herkomst: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def melding(self) -> str | None:
        """The error as one line that names the row once (``fout`` may already start with it)."""
        if self.fout is None:
            return None
        rij = f"rij {self.nummer}: "
        return self.fout if self.fout.startswith(rij) else rij + self.fout

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"rij": self.nummer,
                             "uitkomst": self.uitkomst.to_dict() if self.uitkomst else None,
                             "fout": self.fout}
        if self.herkomst:
            d["herkomst"] = dict(self.herkomst)
        return d


@dataclass
class BatchResultaat:
    bestand: str
    kolommen: list[str]
    rijen: list[RijUitkomst] = field(default_factory=list)
    scheiding: str = ","
    waarschuwingen: list[str] = field(default_factory=list)

    @property
    def samenvatting(self) -> dict[str, int]:
        binnen = sum(1 for r in self.rijen if r.uitkomst and r.uitkomst.binnen_richtlijn)
        fout = sum(1 for r in self.rijen if r.fout)
        return {"rijen": len(self.rijen), "binnen": binnen,
                "buiten": len(self.rijen) - binnen - fout, "fout": fout}

    @property
    def exit_code(self) -> int:
        s = self.samenvatting
        return 1 if s["buiten"] or s["fout"] else 0


def _sleutel(kop: Any) -> str:
    return str(kop or "").strip().lower().replace(" ", "_").replace("-", "_")


def _kolomletter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def lees(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]], str, str]:
    """Header, numbered data rows, CSV delimiter and sheet name (xlsx) of an input file."""
    if not path.is_file():
        raise FileError("bestand bestaat niet", where=str(path))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _lees_xlsx(path)
    if suffix == ".csv":
        return _lees_csv(path)
    raise UsageError(f"batchbestand moet .xlsx of .csv zijn, niet {suffix or 'zonder extensie'}",
                     where=str(path))


def _lees_csv(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]], str, str]:
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileError(f"niet te lezen als UTF-8-tekst ({exc})", where=str(path)) from None
    eerste = text.split("\n", 1)[0]
    scheiding = max(";,\t", key=eerste.count) if eerste else ","
    # No field limit of its own: a long cell is the row's problem, not the file's (the csv
    # module stops at 131,072 characters by default).
    oud = csv.field_size_limit()
    csv.field_size_limit(max(oud, len(text) + 1))
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=scheiding))
    except csv.Error as exc:
        raise FileError(f"geen leesbaar CSV-bestand ({exc})", where=str(path)) from None
    finally:
        csv.field_size_limit(oud)
    if not rows:
        raise UsageError("leeg bestand: geen kopregel", where=str(path))
    data = [(i, r) for i, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    return [str(c) for c in rows[0]], data, scheiding, ""


def _lees_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]], str, str]:

    from openpyxl import load_workbook

    try:
        bestanden.controleer_pakket(path)  # a zip bomb is refused before anything is inflated
        wb = load_workbook(path, read_only=True, data_only=True)
    except bestanden.PakketTeGroot as exc:
        raise FileError(f"werkboek geweigerd: {exc.reden}", where=str(path)) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise FileError(f"geen leesbaar Excel-bestand ({type(exc).__name__}: {exc})",
                        where=str(path)) from None
    try:
        ws = wb["Verzoeken"] if "Verzoeken" in wb.sheetnames else wb.worksheets[0]
        title = ws.title
        # The <dimension> a file claims is not trusted: a stale one would drop rows, a
        # huge one (A1:XFD1048576) pad every row to 16,384 cells.
        ws.reset_dimensions()
        rows = []
        for r in ws.iter_rows(values_only=True):
            rows.append(list(r))
            if len(rows) > 1_048_576:
                raise FileError("meer dan 1.048.576 rijen", where=str(path))
    except FileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a corrupt sheet (deflate, XML, cell values)
        raise FileError(f"het werkblad is beschadigd ({type(exc).__name__}: "
                        f"{str(exc)[:200]})", where=str(path)) from None
    finally:
        wb.close()
    if not rows:
        raise UsageError("leeg werkblad: geen kopregel", where=f"{path}!{title}")
    data = [(i, r) for i, r in enumerate(rows[1:], start=2)
            if any(c is not None and str(c).strip() for c in r)]
    return ["" if c is None else str(c) for c in rows[0]], data, ",", title


class _Rij:
    """Typed access to one row's cells, with errors naming the cell (xlsx) or line (csv)."""

    def __init__(self, naam: str, blad: str, kolommen: dict[str, int], nummer: int,
                 cellen: list[Any]) -> None:
        self.naam, self.blad, self.kolommen, self.nummer, self.cellen = (
            naam, blad, kolommen, nummer, cellen)

    def waar(self, kolom: str) -> str:
        if kolom not in self.kolommen:
            return f"{self.naam}:{self.nummer} kolom {kolom} (niet in de kopregel)"
        i = self.kolommen[kolom]
        if self.blad:
            return f"{self.blad}!{_kolomletter(i)}{self.nummer}"
        return f"{self.naam}:{self.nummer} kolom {kolom}"

    def ruw(self, kolom: str) -> Any:
        i = self.kolommen.get(kolom)
        if i is None or i >= len(self.cellen):
            return None
        v = self.cellen[i]
        return None if v is None or (isinstance(v, str) and not v.strip()) else v

    def tekst(self, kolom: str, vereist: bool = False) -> str | None:
        v = self.ruw(kolom)
        if v is None:
            if vereist:
                raise UsageError("ontbreekt", where=self.waar(kolom))
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).strip()

    def datum(self, kolom: str, vereist: bool = False) -> dt.date | None:
        v = self.ruw(kolom)
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        s = self.tekst(kolom, vereist)
        if s is None:
            return None
        for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
        raise UsageError(f"{s!r} is geen geldige datum", where=self.waar(kolom))

    def getal(self, kolom: str, vereist: bool = False) -> int | None:
        v = self.ruw(kolom)
        if isinstance(v, bool):
            raise UsageError(f"{v!r} is geen geheel getal", where=self.waar(kolom))
        s = self.tekst(kolom, vereist)
        if s is None:
            return None
        try:
            return int(s)
        except ValueError:
            raise UsageError(f"{s!r} is geen geheel getal", where=self.waar(kolom)) from None

    def ja_nee_of_leeg(self, kolom: str) -> bool | None:
        """:meth:`ja_nee`, or None for an empty cell (the value then comes from elsewhere)."""
        return None if self.ruw(kolom) is None else self.ja_nee(kolom)

    def ja_nee(self, kolom: str) -> bool:
        v = self.ruw(kolom)
        if isinstance(v, bool):
            return v
        s = (self.tekst(kolom) or "").lower()
        if s in _JA:
            return True
        if s in _NEE:
            return False
        raise UsageError(f"{s!r} is geen ja/nee", where=self.waar(kolom))


def verzoek_uit_rij(r: _Rij, peildatum: dt.date | None, p: profiel.Profiel | None = None,
                    feiten: ToewijzingFeiten | None = None
                    ) -> tuple[Verzoek, str | None, dict[str, str]]:
    """The request of one row, its regio column (or None) and where each value came from.

    With ``feiten`` (the toewijzing of the row's toewijzingnummer) an empty cell of the seven
    values is filled from the toewijzing; a filled cell still wins."""
    if feiten is None:
        ingang, eind = r.datum("ingangsdatum", True), r.datum("einddatum", True)
        volume = r.getal("volume", True)
        r.tekst("eenheid", True), r.tekst("frequentie", True), r.tekst("verwijzer", True)
    eenheid, freq = r.tekst("eenheid"), r.tekst("frequentie")
    gegeven = {"ingangsdatum": r.datum("ingangsdatum"), "einddatum": r.datum("einddatum"),
               "volume": r.getal("volume"),
               "eenheid": code(eenheid, 2) if eenheid is not None else None,
               "frequentie": code(freq, 1) if freq is not None else None,
               "product": r.tekst("product"),
               "verwijzer": (r.tekst("verwijzer") or "").lower() or None,
               "eerder_verschoven": r.ja_nee_of_leeg("eerder_verschoven")}
    opties = {k: f"kolom {k}" for k in gegeven}
    if feiten is not None and p is None:
        raise UsageError("ontbreekt", where=r.waar("regio"))
    w, herkomst = aanvullen(feiten, p, opties, **gegeven) if feiten is not None and p \
        else (gegeven, {k: opties[k] for k, v in gegeven.items() if v is not None})
    ingang, eind, volume = w["ingangsdatum"], w["einddatum"], w["volume"]
    assert ingang is not None and eind is not None and volume is not None
    t = Toewijzing(ingang, eind, int(volume), str(w["eenheid"]), str(w["frequentie"]))
    v = Verzoek(t, str(w["verwijzer"]),
                nieuwe_einddatum=r.datum("nieuwe_einddatum"),
                extra_volume=r.getal("extra_volume") or 0,
                gewijzigde_resultaten=r.ja_nee("gewijzigde_resultaten"),
                eerder_verschoven=bool(w.get("eerder_verschoven")), product=w.get("product"),
                termijngroep=r.tekst("termijn"), peildatum=r.datum("peildatum") or peildatum,
                nieuw_traject=r.datum("nieuw_traject"),
                zelfde_aanbieder=r.ja_nee("zelfde_aanbieder"),
                naar_groep=r.getal("naar_groep"), hervatting=r.datum("hervatting"))
    return v, r.tekst("regio"), herkomst


def _waarden_van(v: Verzoek) -> dict[str, Any]:
    t = v.toewijzing
    return {"ingangsdatum": t.ingangsdatum, "einddatum": t.einddatum, "volume": t.volume,
            "eenheid": t.eenheid, "frequentie": t.frequentie}


def _een_bewerking(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion or substitution.

    >>> _een_bewerking("extra_volum", "extra_volume"), _een_bewerking("volume", "volumes")
    (True, True)
    >>> _een_bewerking("regio", "route")
    False
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _onbekende_kolommen(kop: list[Any], negeer: Iterable[str] = (),
                        waar: str | None = None) -> list[str]:
    """A warning per header the batch does not read; other columns (a client name, a note)
    are allowed and only named. A header one edit away from a column the batch reads, while
    that column is absent, is an error naming both: a misspelt ``extra_volum`` would count as
    no extra volume and could approve what the real column refuses. ``negeer`` names columns
    kept on purpose (``--negeer-kolom``): neither warning nor error.

    >>> _onbekende_kolommen(["Regio", "extra_volum", "opmerking", "route"])
    Traceback (most recent call last):
        ...
    ijwcli.errors.UsageError: kolom 'extra_volum' wordt niet gelezen maar lijkt op kolom \
'extra_volume': hernoem de kolom, of geef --negeer-kolom extra_volum als ze bewust extra is
    >>> _onbekende_kolommen(["Regio", "extra_volum", "opmerking"], negeer=["Extra_Volum"])
    ["kolom 'opmerking' wordt niet gelezen"]
    """
    import difflib

    leesbaar = [*VEREIST, *OPTIONEEL, *_ALIASSEN]
    bekend = {*leesbaar, *UITKOMST_KOLOMMEN}
    genegeerd = {_sleutel(n) for n in negeer}
    aanwezig = {_ALIASSEN.get(_sleutel(k), _sleutel(k)) for k in kop}
    out = []
    for k in kop:
        s = _sleutel(k)
        if not s or s in bekend or s in genegeerd:
            continue
        naam = str(k).strip()
        bijna = [c for c in leesbaar if _een_bewerking(s, c)
                 and _ALIASSEN.get(c, c) not in aanwezig]
        if bijna:
            raise UsageError(f"kolom {naam!r} wordt niet gelezen maar lijkt op kolom "
                             f"{bijna[0]!r}: hernoem de kolom, of geef --negeer-kolom {naam} "
                             "als ze bewust extra is", where=waar)
        bedoeld = difflib.get_close_matches(s, leesbaar, n=1)
        hint = f" (bedoeld: {bedoeld[0]}?)" if bedoeld else ""
        out.append(f"kolom {naam!r} wordt niet gelezen{hint}")
    return out


def verwerk(path: Path | str, standaard: profiel.Profiel | None = None,
            peildatum: dt.date | None = None, negeer: Iterable[str] = (),
            zoek: Callable[[list[str]], dict[str, ToewijzingFeiten]] | None = None
            ) -> BatchResultaat:
    """Read ``path`` and compute every row; row errors are kept, file errors raise.
    ``negeer``: columns the file holds on purpose, not read and not warned about.

    A ``toewijzingnummer`` column replaces the seven values of a row that fills it: ``zoek``
    gets every number of the column and returns the toewijzingen it knows
    (:func:`ijwcli.verlenging.feiten.lees`; the caller reads files or a register)."""
    path = Path(path)
    kop, data, scheiding, blad = lees(path)
    kolommen: dict[str, int] = {}
    for i, k in enumerate(kop):
        s = _sleutel(k)
        s = _ALIASSEN.get(s, s)
        if s and s not in kolommen:
            kolommen[s] = i
    # A near-miss header first: "volum" is better named as such than as a missing "volume".
    waarschuwingen = _onbekende_kolommen(kop, negeer, f"{path}!{blad}" if blad else str(path))
    met_nummer = "toewijzingnummer" in kolommen
    ontbreekt = [] if met_nummer else [k for k in VEREIST if k not in kolommen]
    if standaard is None and "regio" not in kolommen:
        ontbreekt.append("regio")
    if ontbreekt:
        raise UsageError(f"kolom(men) ontbreken in de kopregel: {', '.join(ontbreekt)}",
                         where=f"{path}!{blad}" if blad else str(path))
    res = BatchResultaat(str(path), list(kop), scheiding=scheiding,
                         waarschuwingen=waarschuwingen)
    bekend: dict[str, ToewijzingFeiten] = {}
    if met_nummer:
        nummers = sorted({str(n) for _, c in data if (n := _Rij(
            path.name, blad, kolommen, 0, c).tekst("toewijzingnummer")) is not None})
        if nummers:
            if zoek is None:
                raise UsageError("kolom toewijzingnummer vraagt de toewijzingen: geef "
                                 "--actueel JW301.xml|MAP of gebruik het register")
            bekend = zoek(nummers)
    profielen: dict[str, profiel.Profiel] = {}
    for nummer, cellen in data:
        rij = _Rij(path.name, blad, kolommen, nummer, cellen)
        uit = RijUitkomst(nummer, list(cellen))
        try:
            regio = rij.tekst("regio")
            if regio:
                if regio not in profielen:
                    profielen[regio] = profiel.load(regio)
                p = profielen[regio]
            elif standaard is not None:
                p = standaard
            else:
                raise UsageError("ontbreekt", where=rij.waar("regio"))
            f = None
            nr = rij.tekst("toewijzingnummer") if met_nummer else None
            if nr is not None:
                f = bekend.get(nr)
                if f is None:
                    raise UsageError(f"toewijzing {nr} niet gevonden (in --actueel of het "
                                     "register)", where=rij.waar("toewijzingnummer"))
            v, _, bronnen = verzoek_uit_rij(rij, peildatum, p, f)
            if f is not None:
                uit.herkomst = herkomst({**_waarden_van(v), "verwijzer": v.verwijzer,
                                         "product": v.product,
                                         "eerder_verschoven": v.eerder_verschoven}, bronnen)
            uit.uitkomst = bereken(v, p)
        except IjwError as exc:
            uit.fout = str(exc) if exc.where else f"rij {nummer}: {exc}"
        res.rijen.append(uit)
    return res


def _uitkomst_cellen(r: RijUitkomst) -> list[Any]:
    u = r.uitkomst
    if u is None:
        return [None] * (len(UITKOMST_KOLOMMEN) - 1) + [r.fout]
    t = u.toewijzing
    toetsen = "; ".join(f"{c.regel} {c.waarde}/{c.grens} {'ja' if c.voldaan else 'nee'}"
                        for c in u.toetsen)
    bronnen = "; ".join(f"{k}: {v['bron']}" for k, v in r.herkomst.items())
    return [u.binnen_richtlijn, u.route, " ".join(u.berichten), t.ingangsdatum, t.einddatum,
            t.volume, t.eenheid, t.frequentie, toetsen, " | ".join(u.waarschuwingen),
            u.toelichting, bronnen or None, None]


def schrijf(res: BatchResultaat, out: Path | str, force: bool = False) -> None:
    """Write the input rows with outcome columns to ``out`` (.xlsx or .csv), atomically."""
    out = Path(out)
    bestanden.controleer_doelen([out], force, invoer=[Path(res.bestand)])
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"uitvoer moet .xlsx of .csv zijn, niet {suffix or 'zonder extensie'}",
                         where=str(out))
    breedte = len(res.kolommen)
    kop = list(res.kolommen) + list(UITKOMST_KOLOMMEN)
    regels = [(list(r.invoer) + [None] * breedte)[:breedte] + _uitkomst_cellen(r)
              for r in res.rijen]
    with bestanden.atomair(out, force) as f:
        if suffix == ".csv":
            tekst = io.TextIOWrapper(f, encoding="utf-8", newline="")
            w = csv.writer(tekst, delimiter=res.scheiding)
            w.writerow(kop)
            for regel in regels:
                w.writerow([_csv_cel(c) for c in regel])
            tekst.flush()
            tekst.detach()
        else:
            _schrijf_xlsx(f, kop, regels)


# A CSV cell Excel (or LibreOffice) would start as a formula: = + - @, a tab or a CR, and
# the full-width forms Excel also takes (OWASP, CSV injection).
_FORMULE_BEGIN = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_GETAL = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def _csv_cel(c: Any) -> Any:
    """A cell as CSV text: an Excel date (a datetime at midnight) as JJJJ-MM-DD, like the
    outcome dates, so the written CSV reads back as the same dates.

    Text that a spreadsheet would take for a formula gets a leading ``'`` (OWASP's advice
    against CSV injection): it shows as the text it is, never runs. A plain number such as
    ``-5`` is no formula and stays as it is.

    >>> _csv_cel("=HYPERLINK(A1)"), _csv_cel("-5"), _csv_cel("-1+1"), _csv_cel("a=b")
    ("'=HYPERLINK(A1)", '-5', "'-1+1", 'a=b')
    """
    if c is None:
        return ""
    if isinstance(c, dt.datetime) and c.time() == dt.time(0):
        return c.date().isoformat()
    if isinstance(c, dt.date):
        return c.isoformat()
    if isinstance(c, str) and c.startswith(_FORMULE_BEGIN) and not _GETAL.fullmatch(c):
        return "'" + c
    return c


def _schrijf_xlsx(f: Any, kop: list[str], regels: list[list[Any]]) -> None:
    """The outcome sheet, by XlsxWriter. Text is always written as text: a CSV cell such as
    ``=HYPERLINK(…)`` stays visible text, never a live formula (no formula injection), and a
    control character is stored in Excel's escaped form instead of breaking the file."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(f, {"strings_to_formulas": False, "strings_to_urls": False,
                                 "strings_to_numbers": False, "constant_memory": True})
    ws = wb.add_worksheet("Uitkomsten")
    vet = wb.add_format({"bold": True})
    datum = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, kop, vet)
    ws.freeze_panes(1, 0)
    for r, regel in enumerate(regels, start=1):
        for c, v in enumerate(regel):
            if v is None or v == "":
                continue
            if isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, dt.datetime | dt.date):
                try:
                    ws.write_datetime(r, c, v, datum)
                except (OverflowError, ValueError):
                    ws.write_string(r, c, v.isoformat())
            elif isinstance(v, int | float) and math.isfinite(v) and abs(v) < 1e15:
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v)[:32767])
    wb.close()


# --------------------------------------------------------------------------- blank sheet

# Per column of the blank sheet: kind and input hint (Dutch, at most 255 characters).
SJABLOON_KOLOMMEN: tuple[tuple[str, str, str], ...] = (
    ("regio", "regio", "Regioprofiel (leeg: --regio van de opdracht)."),
    ("toewijzingnummer", "tekst", "ToewijzingNummer van de actuele JW301: de zeven waarden "
     "hierna komen dan uit --actueel of het register; leeg laten of invullen om te overschrijven."),
    ("verwijzer", "verwijzer", "toegang, medisch of gi (leeg bij toewijzingnummer: uit de JW315)."),
    ("ingangsdatum", "datum", "Ingangsdatum van de huidige toewijzing (JJJJ-MM-DD)."),
    ("einddatum", "datum", "Einddatum van de huidige toewijzing (JJJJ-MM-DD)."),
    ("volume", "getal", "Volume van de huidige toewijzing (geheel getal)."),
    ("eenheid", "LDT_Eenheid", "iJw-code eenheid (zie blad Codelijsten)."),
    ("frequentie", "LDT_Frequentie", "iJw-code frequentie (zie blad Codelijsten)."),
    ("nieuwe_einddatum", "datum", "Gevraagde einddatum: later is verlenging, eerder verkorting."),
    ("extra_volume", "getal", "Gevraagd extra volume (zelfde eenheid en frequentie)."),
    ("gewijzigde_resultaten", "janee", "Gewijzigde of nieuwe resultaten (ja/nee)."),
    ("eerder_verschoven", "janee", "Einddatum al eens verschoven (Flevoland; leeg bij "
     "toewijzingnummer: uit de eerdere JW301's)."),
    ("product", "tekst", "Productcode (maximale termijn, productrichtlijn)."),
    ("termijn", "tekst", "Groep voor de maximale termijn (bijv. dyslexie, crisis)."),
    ("peildatum", "datum", "Peildatum van deze rij (leeg: --today)."),
    ("nieuw_traject", "datum", "Start van een nieuw traject: toets de overlap (Hart van Brabant)."),
    ("zelfde_aanbieder", "janee", "Het nieuwe traject loopt bij dezelfde aanbieder (ja/nee)."),
    ("naar_groep", "getal", "Volume van individueel naar een groepsproduct (Flevoland)."),
    ("hervatting", "datum", "Hervatting na terugval; einddatum is dan het einde van de hulp."),
)


def sjabloon(out: Path | str, force: bool = False) -> Path:
    """Write a blank batch sheet (``Verzoeken``, with dropdowns, hints and date and number
    checks) and a ``Codelijsten`` sheet to ``out`` (.xlsx), atomically; what :func:`verwerk`
    reads.

    >>> import tempfile, pathlib
    >>> p = sjabloon(pathlib.Path(tempfile.mkdtemp()) / "verzoeken.xlsx")
    >>> kop, rijen, _, blad = lees(p)
    >>> blad, kop[:3], rijen
    ('Verzoeken', ['regio', 'toewijzingnummer', 'verwijzer'], [])
    """
    import xlsxwriter

    from ijwcli.model import codelijsten

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"de uitvoer moet op .xlsx eindigen, niet {out.suffix or 'niets'}",
                         where=str(out))
    bestanden.controleer_doelen([out], force)
    lijsten = codelijsten()
    keuzes: dict[str, list[tuple[str, str]]] = {
        "regio": [(r, "") for r in profiel.REGIOS],
        "verwijzer": [(v, "") for v in profiel.VERWIJZERS],
        "janee": [("ja", ""), ("nee", "")],
        "LDT_Eenheid": list(lijsten["LDT_Eenheid"].items()),
        "LDT_Frequentie": list(lijsten["LDT_Frequentie"].items()),
    }
    with bestanden.atomair(out, force) as f:
        wb = xlsxwriter.Workbook(f, {"strings_to_numbers": False})
        ws = wb.add_worksheet("Verzoeken")
        cl = wb.add_worksheet("Codelijsten")
        vet = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        tekst = wb.add_format({"num_format": "@"})
        datum = wb.add_format({"num_format": "yyyy-mm-dd"})
        bereik: dict[str, str] = {}
        for i, (naam, waarden) in enumerate(keuzes.items()):
            cl.write(0, 2 * i, naam, vet)
            cl.write(0, 2 * i + 1, "betekenis", vet)
            for r, (c, betekenis) in enumerate(waarden, start=1):
                cl.write_string(r, 2 * i, c)
                if betekenis:
                    cl.write_string(r, 2 * i + 1, betekenis)
            kolom = xlsxwriter.utility.xl_col_to_name(2 * i)
            bereik[naam] = f"=Codelijsten!${kolom}$2:${kolom}${len(waarden) + 1}"
            cl.set_column(2 * i, 2 * i + 1, 14 if i else 18)
        laatste = 1_048_575
        for c, (naam, soort, hint) in enumerate(SJABLOON_KOLOMMEN):
            ws.write_string(0, c, naam, vet)
            ws.set_column(c, c, max(12, len(naam) + 2),
                          datum if soort == "datum" else None if soort == "getal" else tekst)
            regel: dict[str, Any] = {"input_title": naam[:32], "input_message": hint[:255]}
            if soort in bereik:
                regel.update(validate="list", source=bereik[soort],
                             error_message=f"Kies een waarde uit de lijst ({soort}).")
            elif soort == "datum":
                regel.update(validate="date", criteria=">=", minimum=dt.date(1900, 1, 1),
                             error_message="Een datum (JJJJ-MM-DD).")
            elif soort == "getal":
                regel.update(validate="integer", criteria=">=", minimum=0,
                             error_message="Een geheel getal, 0 of meer.")
            else:
                regel.update(validate="any")
            ws.data_validation(1, c, laatste, c, regel)
        ws.freeze_panes(1, 0)
        wb.close()
    return out
