"""The facts of a toewijzing, read from the messages themselves instead of typed again.

A verlenging request is about a toewijzing the gemeente already sent: its JW301 holds the
ingangsdatum, einddatum, volume, eenheid, frequentie and product; the JW315 it honoured (same
ReferentieAanbieder) holds the verwijzer; earlier JW301s for the same ToewijzingNummer show
whether the einddatum was already shifted (Flevoland allows that once).

This module reads those facts from messages given as bytes or :class:`ijwcli.bericht.Bericht`
(from files, or fetched from the register by the caller: this layer does not know the register)
and merges them with what the user typed (:func:`aanvullen`): a value typed explicitly wins, and
every value says where it came from.

>>> from pathlib import Path
>>> f = lees([(Path("samples/jw301_toewijzing.xml").read_bytes(), "jw301.xml"),
...           (Path("samples/jw315_verzoek_om_toewijzing.xml").read_bytes(), "jw315.xml")])
>>> t = kies(f, "700001")
>>> t.toewijzing.einddatum, t.toewijzing.volume, t.product, t.type_verwijzer
(datetime.date(2027, 2, 28), 100, '45A05', '02')
>>> t.bron
'JW301 T2026030201 van 2026-03-02 (jw301.xml)'
>>> from ijwcli.verlenging import profiel
>>> waarden, herkomst = aanvullen(t, profiel.load("hart-van-brabant"), volume=120)
>>> waarden["verwijzer"], waarden["volume"], herkomst["volume"]
('medisch', 120, '--volume')
>>> herkomst["verwijzer"]
'JW315 V2026022501 van 2026-02-25 (jw315.xml): TypeVerwijzer 02 (Huisarts)'

Without the JW315 the verwijzer is not known, and the message names the option that gives it:

>>> aanvullen(lees([(Path("samples/jw301_toewijzing.xml").read_bytes(), "jw301.xml")])
...           ["700001"], profiel.load("flevoland"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
ijwcli.errors.UsageError: verwijzer van toewijzing 700001 onbekend: ... geef --verwijzer toegang, \
medisch of gi
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ijwcli.errors import FileError, IjwError, InvalidInput, UsageError
from ijwcli.verlenging import Toewijzing
from ijwcli.verlenging.profiel import VERWIJZERS, Profiel

if TYPE_CHECKING:
    from ijwcli import bericht as bm

# The values a toewijzing supplies, in the order the output lists them.
WAARDEN = ("ingangsdatum", "einddatum", "volume", "eenheid", "frequentie", "product",
           "verwijzer", "eerder_verschoven")


@dataclass
class Versie:
    """One JW301's version of a toewijzing (a ToegewezenProduct)."""

    nummer: str
    ingangsdatum: dt.date
    einddatum: dt.date | None
    volume: int | None
    eenheid: str | None
    frequentie: str | None
    product: str | None
    referentie: str | None
    reden_wijziging: str | None
    volgorde: tuple[Any, ...]
    bron: str
    gemeente: str = ""
    aanbieder: str = ""
    bsn: str = ""


@dataclass
class ToewijzingFeiten:
    """The actuele version of one toewijzing, with its verwijzer and shift history."""

    nummer: str
    toewijzing: Toewijzing | None      # None: not usable for a verlenging (see ``fout``)
    product: str | None
    referentie: str | None
    bron: str
    versies: list[Versie] = field(default_factory=list)
    fout: str | None = None
    type_verwijzer: str | None = None
    verwijzer_bron: str | None = None
    verschuiving: str | None = None    # the earlier JW301 that shifted the einddatum
    gemeente: str = ""
    aanbieder: str = ""
    bsn: str = ""

    def zeker(self) -> Toewijzing:
        """The toewijzing, or :class:`InvalidInput` saying why this one has none to extend."""
        if self.toewijzing is None:
            raise InvalidInput(str(self.fout), where=self.bron)
        return self.toewijzing

    @property
    def eerder_verschoven(self) -> bool:
        return self.verschuiving is not None

    def verschoven_bron(self) -> str:
        if self.verschuiving:
            return self.verschuiving
        n = len(self.versies)
        return (f"{n} versie(s) van toewijzing {self.nummer}, geen eerdere verschuiving van de "
                "einddatum")


_GELEZEN = ("JW301", "JW315")


def _bericht(item: Any) -> tuple[bm.Bericht | None, str]:
    """The message of ``item``, schema-checked; None for a type this module does not read."""
    # Here, not at the top: a verlenging from typed values reads no message and need not
    # load the message model.
    from ijwcli import bericht as bm

    data, bron = item if isinstance(item, tuple) else (item, "")
    if isinstance(data, bm.Bericht):
        return (data if data.code in _GELEZEN else None), bron
    try:
        tree = bm.read_tree(bytes(data))
        if bm.definitie_van(tree).code not in _GELEZEN:
            return None, bron
        return bm.parse(bytes(data), validate=True, name=bron or None), bron
    except IjwError as exc:
        raise InvalidInput(exc.message, where=exc.where or bron or None) from None


def uit_paden(paden: Iterable[str | os.PathLike[str]]) -> list[tuple[bytes, str]]:
    """The bytes of every ``*.xml`` in ``paden`` (files, or folders searched recursively),
    each with its path, for :func:`lees`."""
    uit: list[tuple[bytes, str]] = []
    for pad in paden:
        p = Path(pad)
        if p.is_dir():
            bestanden = sorted(q for q in p.rglob("*") if q.suffix.lower() == ".xml"
                               and q.is_file())
        elif p.is_file():
            bestanden = [p]
        else:
            raise FileError("bestand of map bestaat niet", where=str(p))
        for q in bestanden:
            try:
                uit.append((q.read_bytes(), str(q)))
            except OSError as exc:
                raise FileError(f"niet te lezen ({exc.strerror})", where=str(q)) from None
    return uit


def _omschrijving(b: bm.Bericht, bron: str) -> str:
    h = b.root
    ident = h.value("Header/BerichtIdentificatie/Identificatie") or "?"
    dag = h.value("Header/BerichtIdentificatie/Dagtekening") or "?"
    tekst = f"{b.code} {ident} van {dag}"
    return f"{tekst} ({bron})" if bron else tekst


def versies(b: bm.Bericht, bron: str = "") -> list[Versie]:
    """Every ToegewezenProduct of JW301 ``b`` as a :class:`Versie`."""
    oms = _omschrijving(b, bron)
    dag = b.root.value("Header/BerichtIdentificatie/Dagtekening") or ""
    uit = []
    for p in b.root.findall("Client/ToegewezenProducten/ToegewezenProduct"):
        ingang = p.datum("Ingangsdatum")
        assert ingang is not None  # required by the schema the JW301 passed
        uit.append(Versie(
            p.value("ToewijzingNummer") or "", ingang, p.datum("Einddatum"),
            p.getal("Omvang/Volume"), p.value("Omvang/Eenheid"), p.value("Omvang/Frequentie"),
            p.value("Product/Code"), p.value("ReferentieAanbieder"), p.value("RedenWijziging"),
            (dag, p.value("Toewijzingsdatum") or "", p.value("Toewijzingstijd") or ""), oms,
            b.root.value("Header/Afzender") or "", b.root.value("Header/Ontvanger") or "",
            b.root.value("Client/Bsn") or ""))
    return uit


def verwijzers(b: bm.Bericht, bron: str = "") -> dict[str, tuple[str, str]]:
    """Per ReferentieAanbieder of JW315 ``b``: (TypeVerwijzer, where that was read)."""
    from ijwcli.model import codelijsten

    namen = codelijsten().get("LDT_TypeVerwijzer", {})
    oms = _omschrijving(b, bron)
    uit = {}
    for ap in b.root.findall("Client/AangevraagdeProducten/AangevraagdProduct"):
        ref, typ = ap.value("ReferentieAanbieder"), ap.value("Verwijzer/Type")
        if ref and typ:
            uit[ref] = (typ, f"{oms}: TypeVerwijzer {typ} ({namen.get(typ, '?')})")
    return uit


def lees(berichten: Iterable[Any]) -> dict[str, ToewijzingFeiten]:
    """The facts per ToewijzingNummer in ``berichten`` (bytes, ``(bytes, bron)`` pairs or
    :class:`Bericht` objects; JW301s and JW315s are read, other types are skipped).

    The latest version of a number (Dagtekening, Toewijzingsdatum, Toewijzingstijd; on a tie
    the later in ``berichten``) is the actuele toewijzing; the ReferentieAanbieder of its
    earliest version names the JW315 it honoured; a later version with a later einddatum and
    the same volume is an earlier shift of the einddatum.
    """
    per_nummer: dict[str, list[tuple[tuple[Any, ...], int, Versie]]] = {}
    refs: dict[str, tuple[str, str]] = {}
    for i, item in enumerate(berichten):
        b, bron = _bericht(item)
        if b is None:
            continue
        if b.code == "JW315":
            refs.update(verwijzers(b, bron))
        elif b.code == "JW301":
            for v in versies(b, bron):
                per_nummer.setdefault(v.nummer, []).append((v.volgorde, i, v))
    uit = {}
    for nummer, lijst in per_nummer.items():
        reeks = [v for _, _, v in sorted(lijst, key=lambda x: (x[0], x[1]))]
        uit[nummer] = _feiten(reeks, refs)
    return uit


def _feiten(reeks: list[Versie], refs: dict[str, tuple[str, str]]) -> ToewijzingFeiten:
    laatst = reeks[-1]
    t, fout = None, None
    if laatst.einddatum is None or laatst.volume is None or not laatst.eenheid \
            or not laatst.frequentie:
        # Said when this toewijzing is asked for, not when a folder merely holds it.
        fout = (f"toewijzing {laatst.nummer} heeft geen einddatum of geen Omvang (Volume, "
                "Eenheid, Frequentie); een verlenging gaat over een toewijzing met einddatum "
                "en volume")
    else:
        t = Toewijzing(laatst.ingangsdatum, laatst.einddatum, laatst.volume, laatst.eenheid,
                       laatst.frequentie)
    referentie = next((v.referentie for v in reeks if v.referentie), None)
    f = ToewijzingFeiten(laatst.nummer, t, laatst.product, referentie, laatst.bron, reeks,
                         fout, gemeente=laatst.gemeente, aanbieder=laatst.aanbieder,
                         bsn=laatst.bsn)
    if referentie and referentie in refs:
        f.type_verwijzer, f.verwijzer_bron = refs[referentie]
    for oud, nieuw in zip(reeks, reeks[1:], strict=False):
        if (oud.einddatum and nieuw.einddatum and nieuw.einddatum > oud.einddatum
                and nieuw.ingangsdatum == oud.ingangsdatum and nieuw.volume == oud.volume):
            f.verschuiving = (f"{nieuw.bron}: einddatum {oud.einddatum.isoformat()} → "
                              f"{nieuw.einddatum.isoformat()} zonder extra volume")
    return f


def kies(feiten: dict[str, ToewijzingFeiten], nummer: str | None,
         optie: str = "--toewijzingnummer", waar: str | None = None) -> ToewijzingFeiten:
    """The toewijzing ``nummer``; without a number the only one there is.

    >>> kies({}, None, waar="jw315.xml")
    Traceback (most recent call last):
    ijwcli.errors.UsageError: jw315.xml: geen JW301 (toewijzing) gevonden; ...
    """
    if not feiten:
        raise UsageError("geen JW301 (toewijzing) gevonden; geef een JW301 of een map met "
                         "JW301's", where=waar)
    if nummer is not None:
        nummer = str(nummer).strip()
        if nummer not in feiten:
            raise UsageError(f"toewijzing {nummer} staat niet in de gegeven JW301's (wel: "
                             f"{', '.join(sorted(feiten))})", where=waar)
        return feiten[nummer]
    if len(feiten) == 1:
        return next(iter(feiten.values()))
    raise UsageError(f"welke toewijzing? geef {optie} (kies uit: "
                     f"{', '.join(sorted(feiten))})", where=waar)


def herkomst(waarden: dict[str, Any], bronnen: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per value of :func:`aanvullen`: ``{"waarde", "bron"}``, dates as JJJJ-MM-DD (the JSON
    shape of ``herkomst`` in the output of ``ijwcli verlenging``).

    >>> herkomst({"einddatum": dt.date(2026, 12, 31)}, {"einddatum": "jw301.xml"})
    {'einddatum': {'waarde': '2026-12-31', 'bron': 'jw301.xml'}}
    """
    def json(w: Any) -> Any:
        return w.isoformat() if isinstance(w, dt.date) else w

    return {k: {"waarde": json(waarden.get(k)), "bron": b} for k, b in bronnen.items()}


def verwijzer_voor(p: Profiel, type_verwijzer: str | None) -> str | None:
    """The verwijzer of the agreements (toegang, medisch, gi) for an iJw TypeVerwijzer, by the
    profile's ``type_verwijzer`` table; None when the profile does not map that code.

    >>> from ijwcli.verlenging import profiel
    >>> p = profiel.load("flevoland")
    >>> verwijzer_voor(p, "01"), verwijzer_voor(p, "03"), verwijzer_voor(p, "04")
    ('toegang', 'medisch', 'gi')
    >>> verwijzer_voor(p, "06") is None
    True
    """
    if not type_verwijzer:
        return None
    w = (p.get("type_verwijzer") or {}).get(type_verwijzer)
    return str(w) if w in VERWIJZERS else None


def aanvullen(f: ToewijzingFeiten | None, p: Profiel, opties: dict[str, str] | None = None,
              **gegeven: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The values of :data:`WAARDEN`: each one typed (``gegeven``, not None) or else from the
    toewijzing ``f``; and per value where it came from (the option name, or the message).

    ``opties`` names the option (or batch column) per value for messages and the herkomst;
    default ``--<naam>``. A verwijzer that neither the user nor the JW315 gives is asked for.
    """
    opties = opties or {}

    def optie(naam: str) -> str:
        return opties.get(naam, f"--{naam.replace('_', '-')}")

    waarden: dict[str, Any] = {}
    herkomst: dict[str, str] = {}
    for naam in WAARDEN:
        if gegeven.get(naam) is not None:
            waarden[naam], herkomst[naam] = gegeven[naam], optie(naam)
    if f is None:
        return waarden, herkomst
    t = f.zeker()
    uit_jw301 = {"ingangsdatum": t.ingangsdatum, "einddatum": t.einddatum, "volume": t.volume,
                 "eenheid": t.eenheid, "frequentie": t.frequentie, "product": f.product}
    for naam, waarde in uit_jw301.items():
        if naam not in waarden and waarde is not None:
            waarden[naam], herkomst[naam] = waarde, f.bron
    if "verwijzer" not in waarden:
        w = verwijzer_voor(p, f.type_verwijzer)
        if w is None:
            if f.type_verwijzer:
                reden = (f"TypeVerwijzer {f.type_verwijzer} ({f.verwijzer_bron}) hoort in "
                         f"profiel {p.naam} bij geen route;")
            elif f.referentie:
                reden = (f"de JW315 met ReferentieAanbieder {f.referentie} is niet gegeven of "
                         "niet gevonden;")
            else:
                reden = "de toewijzing noemt geen ReferentieAanbieder (geen JW315);"
            raise UsageError(f"verwijzer van toewijzing {f.nummer} onbekend: {reden} geef "
                             f"{optie('verwijzer')} {', '.join(VERWIJZERS[:-1])} of "
                             f"{VERWIJZERS[-1]}")
        waarden["verwijzer"], herkomst["verwijzer"] = w, str(f.verwijzer_bron)
    if "eerder_verschoven" not in waarden:
        waarden["eerder_verschoven"] = f.eerder_verschoven
        herkomst["eerder_verschoven"] = f.verschoven_bron()
    return waarden, herkomst
