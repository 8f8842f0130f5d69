"""The declaratie-antwoord (JW325): a gemeente's answer to a declaratie (JW323), line by line.

:func:`maak` judges every prestatie of a JW323 against the earlier traffic (the register, or
a history of :class:`~ijwcli.validatie.historie.EerderBericht`) and builds the JW325;
:func:`registreer` records it in the register, linked to the declaratie; :func:`schrijf`
does both and writes the file, all or nothing. ``ijwcli generate jw325 --from`` and the daily
``ijwcli verwerk`` call these three.

The library contract (names and signatures stay)::

    maak(jw323, *, register=None, historie=None, tarieven=None, today=None,
         identificatie=None, bron=None) -> Declaratieantwoord
    registreer(antwoord, register) -> str                # the JW325's id in the register
    schrijf(antwoord, uit, *, register=None, force=False) -> Path

``jw323`` is a path or the message's bytes. With ``register`` the declaratie is judged
against ``register.historie(jw323)`` (the traffic before it) and a declaratie that already
has a JW325 there raises :class:`~ijwcli.errors.AlBeantwoord`; ``historie`` replaces the
register's history (a caller that keeps its own); ``tarieven`` is a
:class:`~ijwcli.validatie.overstijgend.tarieven.Tarieven` or the path of its CSV file (the
contract tariffs of TR418, retourcode 0611).

How a declaratie is answered (iJw 3.2 knows no partial amount per prestatie: each prestatie is
approved or rejected whole; partial approval is some prestaties approved, others not):

1. *Technisch afgekeurd* (``status`` ``afgekeurd``): the JW323 breaks its schema or a rule
   inside the message whose retourcode is 0001 (TR101, TR416, CD…, CS…): the header carries
   RetourCode 0001 and there is no DeclaratieAntwoord, as a retourbericht does it. The
   findings (each naming its prestatie) are in :attr:`Declaratieantwoord.bevindingen`.
2. *Afgewezen als geheel* (``afgewezen``) when a rule inside the message with a retourcode of
   its own fails (TR346 9346, TR319 9319, TR381 S329, TR135 8848, TR378 S300): the register
   keeps such a declaratie as invalid, so it counts for nothing; the answer says the same.
   The DeclaratieAntwoord carries those codes, the prestaties they concern are listed with
   theirs, and TotaalToegekendBedrag is 0.
3. Otherwise every prestatie is judged with the cross-message rules of
   :mod:`ijwcli.validatie.overstijgend` (TR307, TR308, TR314, TR318, TR319, TR321–TR323,
   TR333, TR338–TR341, TR369, TR384, TR387–TR390, TR418 with ``tarieven``). A rejected
   prestatie is listed with the retourcode of each rule it breaks; a finding on a client
   rejects that client's prestaties (listed with the client's codes), one on the declaratie
   itself (TR318 8214, TR333 9333) or its header (TR056 9056) the whole declaratie: every
   prestatie listed, those without a finding of their own with the declaratie's codes (a
   listed prestatie always carries a refusing code). Only rejected prestaties are in the
   answer (TR342): all approved is DeclaratieAntwoord RetourCode 8001 without Clienten;
   otherwise 0200, or the codes that refuse the declaratie whole.

TotaalIngediendBedrag is the declaratie's; TotaalToegekendBedrag is that minus the rejected
prestaties (credits count negative; a negative total is C, zero is D: CS325). Every answer is
checked by the project's own validator (schema, TR342 …) and against the declaratie it
answers (TR337, TR366, TR367, TR371, TR376) before it is returned.

The BerichtIdentificatie is derived from the declaratie (its aanbieder and Identificatie):
a second answer to the same declaratie gets the same Identificatie, so even two runs at the
same moment cannot both record one: the register refuses the second (TR056).

>>> import datetime as dt
>>> from pathlib import Path
>>> from ijwcli.validatie.historie import EerderBericht
>>> jw301 = EerderBericht.uit_bytes(Path("samples/jw301_toewijzing.xml").read_bytes(), "uit")
>>> a = maak("samples/jw323_declaratie.xml", historie=[jw301], today=dt.date(2026, 4, 8))
>>> a.status, a.ingediend, a.toegekend, len(a.identificatie)
('goedgekeurd', 58000, 58000, 12)
>>> a.bericht.root.value("DeclaratieAntwoord/RetourCodes/RetourCode")
'8001'
>>> b = maak("samples/jw323_declaratie.xml", historie=[], today=dt.date(2026, 4, 8))
>>> b.status, b.toegekend, [(p.referentie, p.retourcodes) for p in b.afgewezen][:1]
('afgewezen', 0, [('PR-2026-03-001', ['9338'])])
>>> b.identificatie == a.identificatie, b.bestandsnaam == f"JW325_491_{a.identificatie}.xml"
(True, True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ijwcli import bericht as bm
from ijwcli.errors import AlBeantwoord, FileError, InvalidInput, InvalidMessage, UsageError
from ijwcli.validatie.historie import EerderBericht
from ijwcli.validatie.regels import Bevinding

if TYPE_CHECKING:
    from lxml import etree

    from ijwcli.register import Register
    from ijwcli.validatie.overstijgend.tarieven import Tarieven

AFGEKEURD, GEEN_OPMERKING, VOLLEDIG = "0001", "0200", "8001"
# Where a finding's element path lies: which client, which prestatie.
_PLEK = re.compile(r"^Declaratie/Clienten/Client(?:\[(\d+)\])?"
                   r"(?:/Prestaties/Prestatie(?:\[(\d+)\])?)?")
_TEKENS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class Prestatieoordeel:
    """One prestatie of the declaratie and what became of it."""

    referentie: str                 # ProductReferentie/ReferentieNummer
    bsn: str
    toewijzingnummer: str
    bedrag: int                     # IngediendBedrag in cents, a credit negative
    pad: str                        # element path in the JW323
    retourcodes: list[str] = field(default_factory=list)  # as in the JW325; [] = not listed
    bevindingen: list[Bevinding] = field(default_factory=list)
    toegekend: bool = False         # approved; a declaratie refused whole approves nothing

    @property
    def afgewezen(self) -> bool:
        return not self.toegekend

    def to_dict(self) -> dict[str, object]:
        return {"referentie": self.referentie, "bsn": self.bsn,
                "toewijzingnummer": self.toewijzingnummer, "bedrag": self.bedrag,
                "afgewezen": self.afgewezen, "retourcodes": self.retourcodes,
                "regels": sorted({b.rule for b in self.bevindingen})}


@dataclass
class Declaratieantwoord:
    """The JW325 made by :func:`maak`, with the verdict in plain data."""

    bron: str                       # the JW323's file (or "<bytes>")
    inhoud: bytes = field(repr=False)   # the JW323's bytes, for the register
    bericht: bm.Bericht = field(repr=False)
    xml: bytes = field(repr=False)
    status: str                     # goedgekeurd, gedeeltelijk, afgewezen or afgekeurd
    declaratie: str                 # the JW323's Identificatie
    declaratienummer: str | None
    gemeente: str
    aanbieder: str
    ingediend: int                  # TotaalIngediendBedrag, signed cents
    toegekend: int                  # TotaalToegekendBedrag, signed cents
    prestaties: list[Prestatieoordeel] = field(default_factory=list)
    bevindingen: list[Bevinding] = field(default_factory=list)
    retourcodes: list[str] = field(default_factory=list)  # of the header and the declaratie
    today: dt.date = field(default_factory=dt.date.today)  # the reference date it was judged on

    @property
    def identificatie(self) -> str:
        return self.bericht.identificatie or ""

    @property
    def afgewezen(self) -> list[Prestatieoordeel]:
        return [p for p in self.prestaties if p.afgewezen]

    @property
    def bestandsnaam(self) -> str:
        from ijwcli.bestanden import berichtnaam

        return berichtnaam("JW325", "491", self.identificatie)

    def to_dict(self) -> dict[str, object]:
        return {"file": self.bron, "bericht": "JW325", "identificatie": self.identificatie,
                "declaratie": self.declaratie, "declaratienummer": self.declaratienummer,
                "gemeente": self.gemeente, "aanbieder": self.aanbieder, "status": self.status,
                "ingediend": self.ingediend, "toegekend": self.toegekend,
                "prestaties": len(self.prestaties), "afgewezen": len(self.afgewezen),
                "retourcodes": self.retourcodes,
                "afgewezen_prestaties": [p.to_dict() for p in self.afgewezen]}


def identificatie_voor(gemeente: str, aanbieder: str, declaratie: str) -> str:
    """The JW325's BerichtIdentificatie for a declaratie: ``DA`` and 10 characters of a hash.

    >>> identificatie_voor("0855", "12345678", "D2026040201")
    'DA...'
    """
    n = int.from_bytes(hashlib.sha256(f"JW325|{gemeente}|{aanbieder}|{declaratie}".encode())
                       .digest()[:8], "big")
    tekens = []
    for _ in range(10):
        n, r = divmod(n, 36)
        tekens.append(_TEKENS[r])
    return "DA" + "".join(tekens)


# --- reading the declaratie ----------------------------------------------------------------
def _lees(jw323: bytes | str | os.PathLike[str], bron: str | None) -> tuple[bytes, str]:
    if isinstance(jw323, (bytes, bytearray)):
        return bytes(jw323), bron or "<bytes>"
    p = Path(jw323)
    try:
        return p.read_bytes(), bron or str(p)
    except OSError as exc:
        from ijwcli.bestanden import reden

        raise FileError(f"kan de declaratie niet lezen ({reden(exc)})", where=str(p)) from None


def _tarieven(tarieven: Tarieven | str | os.PathLike[str] | None) -> Tarieven | None:
    if tarieven is None or not isinstance(tarieven, (str, os.PathLike)):
        return tarieven
    from ijwcli.validatie.overstijgend.tarieven import Tarieven

    return Tarieven.laad(tarieven)


def _kop(tree: etree._ElementTree, naam: str) -> dict[str, str]:
    from ijwcli.validatie.overstijgend.verkeer import header

    kop = header(tree.getroot())
    nodig = ("Afzender", "Ontvanger", "BerichtIdentificatie/Identificatie",
             "BerichtIdentificatie/Dagtekening", "XsdVersie/BasisschemaXsdVersie",
             "XsdVersie/BerichtXsdVersie")
    mist = [k for k in nodig if not kop.get(k)]
    if mist:
        raise InvalidInput(f"de Header van de declaratie mist {', '.join(mist)}: geen "
                           "declaratie-antwoord mogelijk", where=naam)
    return kop


@dataclass
class _Regel:
    """A prestatie as read from the JW323: its node to copy and where it sits."""

    node: bm.Node
    oordeel: Prestatieoordeel
    client: int                     # 1-based position of its Client


def _prestaties(jw323: bm.Bericht) -> tuple[list[bm.Node], list[_Regel]]:
    clienten = jw323.root.findall("Declaratie/Clienten/Client")
    regels: list[_Regel] = []
    for i, c in enumerate(clienten, 1):
        cpad = "Declaratie/Clienten/Client" + (f"[{i}]" if len(clienten) > 1 else "")
        ps = c.findall("Prestaties/Prestatie")
        bsn = c.value("Bsn") or ""
        for j, p in enumerate(ps, 1):
            bedrag = int(p.value("IngediendBedrag/Bedrag") or 0)
            if p.value("IngediendBedrag/DebetCredit") == "C":
                bedrag = -bedrag
            pad = f"{cpad}/Prestaties/Prestatie" + (f"[{j}]" if len(ps) > 1 else "")
            regels.append(_Regel(p, Prestatieoordeel(
                p.value("ProductReferentie/ReferentieNummer") or "", bsn,
                p.value("ToewijzingNummer") or "", bedrag, pad), i))
    return clienten, regels


@dataclass
class _Indeling:
    """The findings sorted by the class they belong to."""

    kop: list[Bevinding] = field(default_factory=list)
    declaratie: list[Bevinding] = field(default_factory=list)
    client: dict[int, list[Bevinding]] = field(default_factory=dict)
    prestatie: dict[tuple[int, int], list[Bevinding]] = field(default_factory=dict)


def _deel_in(bevindingen: list[Bevinding]) -> _Indeling:
    uit = _Indeling()
    for b in bevindingen:
        pad = b.path or ""
        m = _PLEK.match(pad)
        if pad.startswith("Header"):
            uit.kop.append(b)
        elif m is None:
            uit.declaratie.append(b)
        elif "/Prestaties/Prestatie" in m.group(0):
            uit.prestatie.setdefault((int(m.group(1) or 1), int(m.group(2) or 1)), []).append(b)
        else:
            uit.client.setdefault(int(m.group(1) or 1), []).append(b)
    return uit


def _codes(bevindingen: list[Bevinding]) -> list[str]:
    return list(dict.fromkeys(b.retourcode for b in bevindingen))


# --- building the answer -------------------------------------------------------------------
def _nieuw(kop: dict[str, str], today: dt.date, identificatie: str) -> bm.Bericht:
    b = bm.new("JW325")
    h = b.header
    h.add("Afzender", kop["Ontvanger"])
    h.add("Ontvanger", kop["Afzender"])
    h.set("BerichtIdentificatie/Identificatie", identificatie)
    h.set("BerichtIdentificatie/Dagtekening", today.isoformat())
    h.set("DeclaratieIdentificatie/Identificatie", kop["BerichtIdentificatie/Identificatie"])
    h.set("DeclaratieIdentificatie/Dagtekening", kop["BerichtIdentificatie/Dagtekening"])
    h.set("XsdVersieDeclaratie/BasisschemaXsdVersie", kop["XsdVersie/BasisschemaXsdVersie"])
    h.set("XsdVersieDeclaratie/BerichtXsdVersie", kop["XsdVersie/BerichtXsdVersie"])
    return b


def _zet_codes(node: bm.Node, codes: list[str]) -> None:
    rc = node.add("RetourCodes")
    for c in dict.fromkeys(codes or [GEEN_OPMERKING]):
        rc.add("RetourCode", c)


def _totaal(node: bm.Node, naam: str, bedrag: int) -> None:
    t = node.add(naam)
    t.add("TotaalBedrag", str(abs(bedrag)))
    t.add("DebetCredit", "C" if bedrag < 0 else "D")


def _kopieer(bron: bm.Node, doel: bm.Node) -> None:
    """Copy the children of a JW323 Prestatie into a JW325 Prestatie (same elements)."""
    for c in bron.children:
        if c.klasse is None:
            doel.add(c.name, c.text)
        else:
            _kopieer(c, doel.add(c.name))


def _ingediend(jw323: bm.Bericht) -> int:
    t = jw323.root.find("Declaratie/TotaalIngediendBedrag")
    if t is None:
        return 0
    bedrag = int(t.value("TotaalBedrag") or 0)
    return -bedrag if t.value("DebetCredit") == "C" else bedrag


def _bouw(jw323: bm.Bericht, kop: dict[str, str], today: dt.date, identificatie: str,
          clienten: list[bm.Node], regels: list[_Regel], kopcodes: list[str],
          declaratiecodes: list[str], clientcodes: dict[int, list[str]], geheel: bool
          ) -> bm.Bericht:
    b = _nieuw(kop, today, identificatie)
    _zet_codes(b.header, kopcodes)
    da = b.root.add("DeclaratieAntwoord")
    da.add("DeclaratieNummer", jw323.root.value("Declaratie/DeclaratieNummer"))
    ingediend = _ingediend(jw323)
    afgewezen = [r for r in regels if r.oordeel.retourcodes]
    _totaal(da, "TotaalIngediendBedrag", ingediend)
    _totaal(da, "TotaalToegekendBedrag",
            0 if geheel else ingediend - sum(r.oordeel.bedrag for r in afgewezen))
    if afgewezen:
        lijst = da.add("Clienten")
        per_client: dict[int, list[_Regel]] = {}
        for r in afgewezen:
            per_client.setdefault(r.client, []).append(r)
        for i, rs in per_client.items():
            c = lijst.add("Client")
            c.add("Bsn", clienten[i - 1].value("Bsn"))
            ps = c.add("Prestaties")
            for r in rs:
                p = ps.add("Prestatie")
                _kopieer(r.node, p)
                _zet_codes(p, r.oordeel.retourcodes)
            _zet_codes(c, clientcodes.get(i, []))
    _zet_codes(da, declaratiecodes or ([GEEN_OPMERKING] if afgewezen or geheel else [VOLLEDIG]))
    return b


def _technisch(kop: dict[str, str], today: dt.date, identificatie: str) -> bm.Bericht:
    b = _nieuw(kop, today, identificatie)
    _zet_codes(b.header, [AFGEKEURD])
    return b


# --- judging -------------------------------------------------------------------------------
def _al_beantwoord(kop: dict[str, str], register: Register | None,
                   historie: Sequence[EerderBericht] | None, naam: str) -> None:
    ident = kop["BerichtIdentificatie/Identificatie"]
    aanbieder = kop["Afzender"]
    eerder: list[EerderBericht] = []
    if register is not None:
        eerder = register.antwoorden("JW323", aanbieder, ident)
    elif historie is not None:
        from ijwcli.validatie.overstijgend.verkeer import header

        for e in historie:
            if e.code == "JW325" and e.ontvanger == aanbieder and e.geldig and header(
                    e.tree.getroot()).get("DeclaratieIdentificatie/Identificatie") == ident:
                eerder.append(e)
    if eerder:
        a = eerder[0]
        raise AlBeantwoord(f"declaratie {ident} van aanbieder {aanbieder} is al beantwoord "
                           f"met {a.omschrijving}; er komt geen tweede declaratie-antwoord",
                           where=naam, antwoord=a.omschrijving, sleutel=a.sleutel)


def controleer_rol(register: Register | None, gemeente: str, wat: str, naam: str) -> None:
    """Refuse an answer the configuration of ``register`` does not send: an aanbieder never
    sends ``wat``, and a gemeente only answers what is addressed to its own code."""
    config = getattr(register, "config", None)
    if config is None:
        return
    if config.rol == "aanbieder":
        raise UsageError(f"{wat} verstuurt alleen een gemeente; de configuratie "
                         f"({config.bron('rol')}) zegt rol = aanbieder")
    if config.code and config.rol == "gemeente" and config.code != gemeente:
        raise InvalidInput(f"het bericht is gericht aan gemeente {gemeente}, niet aan de eigen "
                           f"gemeente {config.code} ({config.bron('code')})", where=naam)


def maak(jw323: bytes | str | os.PathLike[str], *, register: Register | None = None,
         historie: Sequence[EerderBericht] | None = None,
         tarieven: Tarieven | str | os.PathLike[str] | None = None,
         today: dt.date | None = None, identificatie: str | None = None,
         bron: str | None = None) -> Declaratieantwoord:
    """The JW325 that answers the declaratie ``jw323`` (a path or bytes); see the module.

    Raises :class:`AlBeantwoord` when the register (or ``historie``) already holds a JW325
    for this declaratie, :class:`InvalidInput` when the file is no JW323 whose header can be
    answered, :class:`FileError` when it cannot be read. Nothing is recorded: that is
    :func:`registreer`.
    """
    from ijwcli.validatie import overstijgend, validate_tree

    today = today or dt.date.today()
    data, naam = _lees(jw323, bron)
    try:
        tree = bm.read_tree(data)
        d = bm.definitie_van(tree)
    except InvalidMessage as exc:
        raise InvalidInput(f"geen declaratie-antwoord mogelijk: {exc.message}",
                           where=naam) from None
    if d.code != "JW323":
        raise InvalidInput(f"een declaratie-antwoord (JW325) beantwoordt een declaratie "
                           f"(JW323), geen {d.code}", where=naam)
    kop = _kop(tree, naam)
    controleer_rol(register, kop["Ontvanger"], "een declaratie-antwoord (JW325)", naam)
    if kop["BerichtIdentificatie/Dagtekening"] > today.isoformat():
        raise UsageError(f"het antwoord kan niet vóór de declaratie liggen: Dagtekening {today} "
                         "(--today) is eerder dan die van de declaratie, "
                         f"{kop['BerichtIdentificatie/Dagtekening']}", where=naam)
    _al_beantwoord(kop, register, historie, naam)
    ident = identificatie or identificatie_voor(kop["Ontvanger"], kop["Afzender"],
                                                kop["BerichtIdentificatie/Identificatie"])
    tarievenlijst = _tarieven(tarieven)

    binnen = validate_tree(tree, naam, today, data=data).errors
    technisch = [b for b in binnen if b.retourcode == AFGEKEURD]
    a = Declaratieantwoord(naam, data, bm.new("JW325"), b"", "afgekeurd",
                           kop["BerichtIdentificatie/Identificatie"], None, kop["Ontvanger"],
                           kop["Afzender"], 0, 0, bevindingen=list(binnen), today=today)
    if technisch:
        a.bericht = _technisch(kop, today, ident)
        a.retourcodes = [AFGEKEURD]
        return _af(a, today, None)

    jw323_bericht = bm.from_tree(tree)
    clienten, regels = _prestaties(jw323_bericht)
    a.declaratienummer = jw323_bericht.root.value("Declaratie/DeclaratieNummer")
    a.prestaties = [r.oordeel for r in regels]
    a.ingediend = _ingediend(jw323_bericht)
    if binnen:
        # Valid for the schema but not for the register (2. in the module docstring): refused
        # whole with the codes found; only the prestaties with a finding are listed.
        indeling, geheel = _deel_in(binnen), True
        declaratiecodes = _codes([f for f in binnen if not (f.path or "").startswith("Header")]
                                 ) or _codes(indeling.kop)
        reden_geheel: list[str] = []
    else:
        if historie is None:
            historie = register.historie(data) if register is not None else []
        over = overstijgend.controleer(tree, historie, "gemeente", today,
                                       tarieven=tarievenlijst, inhoud=data)
        a.bevindingen = over
        indeling = _deel_in(over)
        geheel = bool(indeling.kop or indeling.declaratie)
        declaratiecodes = _codes(indeling.declaratie)
        # Refused whole, every prestatie is listed with a refusing code: its own, else the
        # declaratie's (or header's). A listed prestatie with 0200 alone would read as
        # granted to whoever keeps the books, and the listing links the answer to the
        # client and toewijzing, so the register finds it when the next declaratie comes.
        reden_geheel = declaratiecodes or _codes(indeling.kop)
    clientcodes = {i: _codes(bs) for i, bs in indeling.client.items()}
    for r in regels:
        eigen = indeling.prestatie.get((r.client, _positie(r.oordeel.pad)), [])
        van_client = indeling.client.get(r.client, [])
        r.oordeel.bevindingen = eigen + van_client
        r.oordeel.toegekend = not (eigen or van_client or geheel)
        r.oordeel.retourcodes = (_codes(eigen) or clientcodes.get(r.client, [])
                                 or reden_geheel)
    kopcodes = _codes(indeling.kop)
    a.bericht = _bouw(jw323_bericht, kop, today, ident, clienten, regels, kopcodes,
                      declaratiecodes, clientcodes, geheel)
    a.retourcodes = list(dict.fromkeys(kopcodes + declaratiecodes))
    n_af = len(a.afgewezen)
    a.toegekend = 0 if geheel else a.ingediend - sum(p.bedrag for p in a.afgewezen)
    a.status = ("afgewezen" if geheel or (n_af and n_af == len(regels)) else
                "gedeeltelijk" if n_af else "goedgekeurd")
    return _af(a, today, data)


def _positie(pad: str) -> int:
    m = _PLEK.match(pad)
    return int(m.group(2) or 1) if m else 1


def _af(a: Declaratieantwoord, today: dt.date, jw323: bytes | None) -> Declaratieantwoord:
    """Serialise and check the answer: the project's validator, and (with a readable
    declaratie) the cross-message rules of a JW325 against the JW323 it answers."""
    from ijwcli.validatie import overstijgend, validate_bytes

    a.xml = bm.to_xml(a.bericht)
    r = validate_bytes(a.xml, a.bestandsnaam, today)
    fouten = list(r.errors)
    if jw323 is not None and not fouten:
        heen = EerderBericht.uit_bytes(jw323, "in")
        fouten = [f for f in overstijgend.controleer(bm.read_tree(a.xml), [heen], "gemeente",
                                                     today)
                  if f.rule != "TR056"]
    if fouten:
        tekst = "; ".join(f"{f.rule} {f.path or ''} {f.message}".strip() for f in fouten[:5])
        raise InvalidInput(f"geen geldig declaratie-antwoord mogelijk: {tekst}", where=a.bron)
    return a


# --- recording and writing -----------------------------------------------------------------
def registreer(antwoord: Declaratieantwoord, register: Register) -> str:
    """Record the JW325 in the register, linked to its declaratie (imported first when it is
    not there yet); returns the JW325's id. Raises :class:`AlBeantwoord` when the register
    already holds this answer or another one with the same Identificatie (a run at the same
    moment), :class:`InvalidInput` when the register refuses the declaratie (TR056)."""
    heen = register.add(antwoord.inhoud, richting="in", today=antwoord.today)[0]
    if heen.sleutel is None:
        raise InvalidInput(f"het register weigert de declaratie: {heen.reden}",
                           where=antwoord.bron)
    res = register.add(antwoord.xml, richting="uit", today=antwoord.today)[0]
    if res.status != "nieuw":
        raise AlBeantwoord(f"declaratie {antwoord.declaratie} van aanbieder "
                           f"{antwoord.aanbieder} is al beantwoord (JW325 "
                           f"{antwoord.identificatie} staat in het register); er komt geen "
                           "tweede declaratie-antwoord", where=antwoord.bron,
                           antwoord=f"JW325 {antwoord.identificatie}", sleutel=res.sleutel)
    register.registreer_antwoord(heen.sleutel, antwoord.xml)
    assert res.sleutel is not None
    return res.sleutel


def doelpad(antwoord: Declaratieantwoord, uit: str | os.PathLike[str] | None) -> Path:
    """``uit`` itself if it ends in .xml, else the standard file name in folder ``uit``."""
    doel = Path(uit) if uit else Path(".")
    return doel if doel.suffix.lower() == ".xml" else doel / antwoord.bestandsnaam


def schrijf(antwoord: Declaratieantwoord, uit: str | os.PathLike[str] | None = None, *,
            register: Register | None = None, force: bool = False) -> Path:
    """Write the JW325 to ``uit`` (a file ending in .xml, or a folder), recording it in
    ``register`` between writing the temporary file and renaming it into place: a refused
    record (already answered) leaves no file, a failed write no record."""
    from ijwcli import bestanden

    doel = doelpad(antwoord, uit)
    invoer = [Path(antwoord.bron)] if antwoord.bron != "<bytes>" else []
    bestanden.schrijf_alles([(doel, antwoord.xml)], force, invoer,
                            voor_vervangen=(lambda: registreer(antwoord, register))
                            if register is not None else None)
    return doel


def samenvatting(a: Declaratieantwoord) -> dict[str, Any]:
    """Counts for a report: prestaties, afgewezen, bedragen."""
    return {"prestaties": len(a.prestaties), "afgewezen": len(a.afgewezen),
            "goedgekeurd": len(a.prestaties) - len(a.afgewezen),
            "ingediend": a.ingediend, "toegekend": a.toegekend}


__all__ = ["Declaratieantwoord", "Prestatieoordeel", "controleer_rol", "doelpad",
           "identificatie_voor", "maak", "registreer", "samenvatting", "schrijf"]
