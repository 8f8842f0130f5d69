"""Generate toewijzingen (JW301) and stopberichten (JW307) from messages, outcomes and data rows.

Each generator returns a :class:`ijwcli.bericht.Bericht`; :func:`controleer` turns it into
bytes that passed the project's own validator (:func:`controleer_rijen` does so for messages
from data rows and names each finding's row and column), and :func:`schrijf_alles` writes a batch of
files all-or-nothing (temporary files in the target folder, then ``os.replace``; an existing
file only with ``force``; an input file never).

- :func:`jw301_uit_verzoek`: a JW315 verzoek om toewijzing honoured: one ToegewezenProduct per
  AangevraagdProduct, ReferentieAanbieder copied (TR379), a new ToewijzingNummer each.
- :func:`jw301_uit_wijziging`: a JW317 verzoek om wijziging honoured on top of the actuele
  JW301: the complete new set of toewijzingen.
- :func:`jw301_verlenging`: the toewijzing of an ``ijwcli verlenging --json`` outcome.
- :func:`jw301_intrekken`: one toewijzing withdrawn: Einddatum = Ingangsdatum and
  RedenWijziging 13 (CS335).
- :func:`jw307_uit_start`: a JW305 stopped: one StopProduct per StartProduct with the key
  elements unchanged (TR382).
- :func:`jw301_uit_rijen`, :func:`jw307_uit_rijen`: the same from .xlsx/.csv rows; rows of one
  client (same sender, receiver and BSN) become one message.
- :func:`jw301_uit_bestand`: the fitting one of the first four for a message file (what
  ``ijwcli generate jw301 --from`` calls); :meth:`Nummerreeks.voor` the run's numbers.

Every message gets a new BerichtIdentificatie (12 characters) and Dagtekening = today.

>>> import datetime as dt
>>> from ijwcli import bericht
>>> from ijwcli.generatie import sjabloon
>>> jw305 = bericht.from_dict("JW305", {
...     "Header": {"Afzender": "12345678", "Ontvanger": "0855", "BerichtIdentificatie": {
...         "Identificatie": "S1", "Dagtekening": "2026-03-10"}},
...     "Client": {"Bsn": "999900006", "Geboortedatum": {"Datum": "2014-05-01"},
...         "Geslacht": "2", "Naam": {"Geslachtsnaam": {"Achternaam": "Jansen"}},
...         "StartProducten": {"StartProduct": [{"ToewijzingNummer": "700001",
...             "ToewijzingIngangsdatum": "2026-03-01", "Begindatum": "2026-03-09",
...             "StatusAanlevering": "1"}]}}})
>>> stop = jw307_uit_start(jw305, dt.date(2026, 6, 30), "31", today=dt.date(2026, 7, 1))
>>> p = stop.producten[0]
>>> p.value("ToewijzingNummer"), p.value("Begindatum"), p.value("Einddatum")
('700001', '2026-03-09', '2026-06-30')
>>> stop.root.value("Header/Afzender"), len(stop.identificatie or "")
('12345678', 12)
>>> controleer(stop, dt.date(2026, 7, 1))[:5]
b'<?xml'
>>> jw307_uit_start(jw305, dt.date(2026, 6, 30), "99", today=dt.date(2026, 7, 1))
... # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
ijwcli.errors.UsageError: RedenBeeindiging '99' staat niet in de codelijst; kies uit 02, 20, ...
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ijwcli import bericht as bm
from ijwcli import bestanden as _bestanden
from ijwcli.bericht import Bericht, Node
from ijwcli.bestanden import schrijf_atomair
from ijwcli.errors import FileError, IjwError, InvalidInput, InvalidMessage, UsageError
from ijwcli.generatie.sjabloon import (
    Bron,
    Herkomst,
    Invulling,
    Sjabloon,
    controleer_waarde,
    enkele_placeholder,
    plaatshouders_in,
)
from ijwcli.generatie.sjabloon import laad as laad_sjabloon
from ijwcli.model.datatypes import CDT, LDT, Datatype

# RedenWijziging codes this module chooses (LDT_RedenWijziging).
VERLENGING, VERKORTING, DOOR_AANBIEDER, VERWIJDERD = "04", "05", "12", "13"
# string.ascii_uppercase + string.digits, written out: importing string compiles the pattern
# of its Template class on every generate run.
_ID_TEKENS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# The operating system's randomness, as secrets.choice uses (secrets itself would import
# hmac, hashlib and base64 on every generate run for this one call).
_KANS = random.SystemRandom()
_uitgegeven: set[str] = set()


def nieuwe_identificatie(today: dt.date) -> str:
    """A new BerichtIdentificatie: ``JJMMDD`` plus 6 random characters (12 in all, TR056).

    Random rather than a counter, so two backoffice workstations never hand out the same one;
    36**6 values a day make a clash practically impossible, and within one run never.

    >>> a = nieuwe_identificatie(dt.date(2026, 4, 1))
    >>> len(a), a[:6], a != nieuwe_identificatie(dt.date(2026, 4, 1))
    (12, '260401', True)
    """
    while True:
        ident = today.strftime("%y%m%d") + "".join(_KANS.choice(_ID_TEKENS) for _ in range(6))
        if ident not in _uitgegeven:
            _uitgegeven.add(ident)
            return ident


class Nummerreeks:
    """Unique ToewijzingNummers (TR332) from the register, a start value or a counter file.

    With a register (``register=``, an open :class:`ijwcli.register.Register`) every number
    comes from its own sequence per gemeente (``reg.volgend_toewijzingnummer``): atomic in the
    database, so two runs at once never get the same one, and above every number that
    gemeente's JW301s in the register carry. A number is taken only once a message is complete
    (every placeholder filled); a run that fails after that leaves a gap, never a reuse.

    Without one, the counter file holds the last number handed out. Numbers are taken in memory
    and :meth:`bewaar` writes the last one back (atomically) once the messages are known to be
    valid: a failed run never advances the counter, a crash after writing never reuses one.

    >>> r = Nummerreeks(start=700100)
    >>> r.volgende(), r.volgende(), r.uitgegeven
    (700100, 700101, [700100, 700101])
    """

    MAX = 999_999_999

    def __init__(self, start: int | None = None, teller: str | os.PathLike[str] | None = None,
                 register: Any = None) -> None:
        if register is not None and (start is not None or teller):
            raise UsageError("met een register komen de ToewijzingNummers uit het register "
                             "(TR332); --toewijzingnummer-start en --teller zijn voor gebruik "
                             "zonder register (geef dan --geen-register)")
        self.register = register
        self.teller = Path(teller) if teller else None
        self.uitgegeven: list[int] = []
        if start is not None and start < 0:
            raise UsageError(f"--toewijzingnummer-start {start} is negatief")
        self.start = start
        # Read lazily: a run that hands out no numbers (intrekken) needs no counter file.
        self._volgende: int | None = None
        self._gelezen = False

    @classmethod
    def voor(cls, sjabloon: Sjabloon, start: int | None = None,
             teller: str | os.PathLike[str] | None = None, register: Any = None,
             standaard_teller: str | os.PathLike[str] | None = None) -> Nummerreeks:
        """The numbers of one run: the register if there is one, else ``teller`` if given,
        else the template's ``teller``, else ``standaard_teller`` (the configuration's).

        A template's counter file is relative to the template's folder, so a team that shares
        a template folder shares one counter. With a register a counter file of the template
        or the configuration is not used (the register's sequence is the one source).

        >>> s = Sjabloon("JW301", "/etc/ijw/gemeente.toml", standaard={"teller": "nrs.txt"})
        >>> str(Nummerreeks.voor(s).teller), str(Nummerreeks.voor(s, teller="t.txt").teller)
        ('/etc/ijw/nrs.txt', 't.txt')
        """
        if register is not None:
            return cls(start, teller, register)
        if teller is None and sjabloon.standaard.get("teller"):
            teller = (sjabloon.map or Path()) / sjabloon.standaard["teller"]
        return cls(start, teller or standaard_teller)

    def _begin(self) -> None:
        self._gelezen = True
        laatste = self._lees_teller(self.start is not None) if self.teller else None
        kandidaten = [x for x in (self.start, None if laatste is None else laatste + 1)
                      if x is not None]
        self._volgende = max(kandidaten) if kandidaten else None

    def _lees_teller(self, mag_ontbreken: bool) -> int | None:
        assert self.teller is not None
        try:
            tekst = self.teller.read_text("utf-8").strip()
        except FileNotFoundError:
            if mag_ontbreken:
                return None
            raise FileError("tellerbestand bestaat niet; maak het aan door ook "
                            "--toewijzingnummer-start N op te geven", where=str(self.teller)
                            ) from None
        except OSError as exc:
            raise FileError(f"tellerbestand niet te lezen ({exc.strerror})",
                            where=str(self.teller)) from None
        if not tekst.isdigit():
            raise FileError(f"tellerbestand moet één getal bevatten, niet {tekst[:20]!r}",
                            where=str(self.teller))
        return int(tekst)

    def volgende(self, gemeente: str | None = None) -> int:
        """The next number; ``gemeente`` (the JW301's sender) picks the register's sequence."""
        if self.register is not None:
            if not gemeente:
                raise UsageError("geen gemeentecode om een ToewijzingNummer uit het register "
                                 "te nemen")
            n = int(self.register.volgend_toewijzingnummer(gemeente))
            self.uitgegeven.append(n)
            return n
        if not self._gelezen:
            self._begin()
        if self._volgende is None:
            raise UsageError("geen bron voor nieuwe ToewijzingNummers: geef "
                             "--toewijzingnummer-start N of --teller BESTAND (of 'teller' in "
                             "het sjabloon)")
        n = self._volgende
        if n > self.MAX:
            raise UsageError(f"ToewijzingNummer {n} is groter dan {self.MAX}")
        self._volgende = n + 1
        self.uitgegeven.append(n)
        return n

    def bewaar(self) -> None:
        """Write the last number handed out to the counter file (no-op without one)."""
        if self.teller is None or not self.uitgegeven:
            return
        schrijf_atomair(self.teller, f"{max(self.uitgegeven)}\n".encode())

    @contextmanager
    def vergrendeld(self) -> Iterator[Nummerreeks]:
        """Hold an exclusive lock on the counter file from reading to :meth:`bewaar`."""
        if self.teller is None:
            yield self
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks, run one at a time
            yield self
            return
        slot = self.teller.with_name(self.teller.name + ".lock")
        try:
            fd = os.open(slot, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as exc:
            raise FileError(f"kan de teller niet vergrendelen ({exc.strerror})",
                            where=str(slot)) from None
        try:
            # Numbers are read only under the lock, so two runs never hand out the same one.
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield self
        finally:
            os.close(fd)


# Omgeving and Opties are plain classes rather than dataclasses: a dataclass is compiled from
# generated source when its module is imported, a cost of every one-file generate call, and
# neither is compared or printed.
class Omgeving:
    """What a run knows besides its input: the register and the configuration.

    - ``register``: an open :class:`ijwcli.register.Register` (or ``None``): the client's
      address and contact from the last JW301 for the BSN, the ToewijzingNummers, and the
      actuele toewijzing of a JW317 or a verlenging;
    - ``configuratie``: placeholder values from ``ijwcli.toml`` (its ``[waarden]`` table, and
      ``code`` as ``{gemeente}`` or ``{aanbieder}``), the last source asked; ``configuratie_plek``
      names the file;
    - ``herkomst``: filled by the generators that read a message file: where each value of the
      last message came from (data rows keep theirs in :attr:`Rijbericht.herkomst`).
    """

    def __init__(self, register: Any = None, configuratie: dict[str, str] | None = None,
                 configuratie_plek: str | None = None,
                 herkomst: list[Herkomst] | None = None) -> None:
        self.register = register
        self.configuratie: dict[str, str] = {} if configuratie is None else configuratie
        self.configuratie_plek = configuratie_plek
        self.herkomst: list[Herkomst] = [] if herkomst is None else herkomst


class Opties:
    """What every generator needs besides its input."""

    def __init__(self, sjabloon: Sjabloon, today: dt.date, tijd: str,
                 waarden: dict[str, str] | None = None, nummers: Nummerreeks | None = None,
                 omgeving: Omgeving | None = None) -> None:
        self.sjabloon = sjabloon
        self.today = today
        self.tijd = tijd  # Toewijzingstijd, HH:MM:SS
        self.waarden: dict[str, str] = {} if waarden is None else waarden
        self.nummers = nummers
        self.omgeving = Omgeving() if omgeving is None else omgeving


def opties(bericht: str, sjabloon: Sjabloon | None = None, today: dt.date | None = None,
           nu: dt.time | None = None, waarden: dict[str, str] | None = None,
           nummers: Nummerreeks | None = None, omgeving: Omgeving | None = None) -> Opties:
    s = sjabloon or laad_sjabloon(None, bericht)
    tijd = s.standaard.get("tijd") or (nu or dt.datetime.now().time()).strftime("%H:%M:%S")
    return Opties(s, today or dt.date.today(), tijd, dict(waarden or {}), nummers,
                  omgeving or Omgeving())


def _invulling(o: Opties, bronbericht: dict[str, str] | None = None, waar: str | None = None,
               rij: Any = None) -> Invulling:
    """The sources of one message's (or row's) placeholders, in order: the parties of the
    message answered, ``--waarde``, the data row, the configuration. (The register comes
    between the data row and the configuration, a client group at a time:
    :func:`_uit_register`.)"""
    bronnen = [Bron("bronbericht", {k: v for k, v in (bronbericht or {}).items() if v}, waar),
               Bron("--waarde", o.waarden)]
    hoe = None
    if rij is not None:
        bronnen.append(Bron("datarij", _rij_waarden(rij), rij.waar))
        def hoe(naam: str) -> str:
            return f"kolom {naam} of --waarde {naam}=…"
    bronnen.append(Bron("configuratie", o.omgeving.configuratie, o.omgeving.configuratie_plek))
    return Invulling(bronnen, hoe) if hoe else Invulling(bronnen)


def lees_bericht(pad: str | os.PathLike[str]) -> Bericht:
    """A source message, checked for structure and datatypes (the model's schema).

    The rule layer is left to the output: a source rule that does not touch what is carried
    over (say, a verwijzer's name) should not block the answer to it.
    """
    from ijwcli.model.schema import schema
    from ijwcli.validatie.regels.xsd import bevindingen

    p = Path(pad)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileError(f"kan niet lezen: {exc.strerror}", where=str(p)) from None
    try:
        tree = bm.read_tree(data)
        d = bm.definitie_van(tree)
    except InvalidMessage as exc:
        regel = f" regel {exc.line}" if exc.line else ""
        raise InvalidMessage(exc.message, exc.rule, exc.line, where=f"{p}{regel}") from None
    s = schema(d.code)
    if not s.validate(tree):
        f = bevindingen(s)[0]
        regel = f" regel {f.line}" if f.line else ""
        raise InvalidMessage(f"{f.rule}: {f.message}", f.rule, f.line, where=f"{p}{regel}")
    return bm.from_tree(tree)


# --- building blocks --------------------------------------------------------------------------
def _kopieer(bron: Node, doel: Node, naam: str | None = None) -> Node:
    """Copy ``bron`` (and everything below it) as a child ``naam`` of ``doel``."""
    nieuw = doel.add(naam or bron.name, bron.text if bron.klasse is None else None)
    if nieuw.klasse is not None:
        for c in bron.children:
            if c.name != "RetourCodes":
                _kopieer(c, nieuw)
    return nieuw


def _kopieer_client(bron: Node, doel: Node) -> None:
    for naam in ("Bsn", "Geboortedatum", "Geslacht", "Naam"):
        n = bron.child(naam)
        if n is not None:
            _kopieer(n, doel)


def _header(b: Bericht, afzender: str, ontvanger: str, today: dt.date) -> None:
    b.header.set("Afzender", afzender)
    b.header.set("Ontvanger", ontvanger)
    b.header.set("BerichtIdentificatie/Identificatie", nieuwe_identificatie(today))
    b.header.set("BerichtIdentificatie/Dagtekening", today.isoformat())


def _afzender(o: Opties, inv: Invulling, bron_afzender: str | None, soort: str,
              waar: str, bron_soort: str = "het bronbericht") -> str:
    """The sender from the template; with a source (message or row) it must be its party.

    A placeholder without a value is recorded in ``inv`` (reported with the others) and
    the source's party stands in meanwhile."""
    sjabloonwaarde = o.sjabloon.afzender
    if sjabloonwaarde is None:
        if bron_afzender is None:
            raise UsageError(f"het sjabloon geeft geen afzender (tabel afzender, {soort})",
                             where=waar)
        return bron_afzender
    waarde = inv.vul(sjabloonwaarde, "Header/Afzender")
    if waarde is None:
        if inv.ontbrekend:
            return bron_afzender or ""
        raise UsageError(f"geen afzender ({soort})", where=waar)
    reden = controleer_waarde(LDT["LDT_Gemeente" if soort == "gemeentecode" else "LDT_AgbCode"],
                              waarde)
    if reden:
        raise InvalidInput(f"afzender: {reden}", where=waar)
    if bron_afzender is not None and waarde != bron_afzender:
        raise InvalidInput(f"{bron_soort} hoort bij {soort} {bron_afzender}, het sjabloon "
                           f"({o.sjabloon.bron}) is van {waarde}", where=waar)
    return waarde


def _pas_sjabloon_toe(node: Node, paden: dict[str, str], inv: Invulling, waar: str,
                      register: tuple[Node, str] | None = None) -> None:
    """Template paths where the case left them empty; an existing list is never added to.

    ``register``: the Client of the last JW301 for this BSN in the register and how to name
    it; see :func:`_uit_register`. A missing required value is recorded in ``inv``."""
    if register is not None:
        _uit_register(node, paden, inv, *register)
    bestaand = {id(n) for n in node.iter()}
    for pad, sjabloonwaarde in paden.items():
        if node.find(pad) is not None or _in_bestaande_lijst(node, pad, bestaand):
            continue
        waarde = inv.vul(sjabloonwaarde, f"{node.name}/{pad}")
        if waarde is None:
            continue
        n = node
        *ouders, laatste = pad.split("/")
        for deel in ouders:
            n = n.child(deel) or n.add(deel)
        t = n.klasse.element(laatste).type if n.klasse else None
        if isinstance(t, Datatype):
            reden = controleer_waarde(t, waarde)
            if reden:
                raise InvalidInput(f"{pad}: {reden}", where=waar)
        n.add(laatste, waarde)


def _uit_register(client: Node, paden: dict[str, str], inv: Invulling, eerder: Node,
                  plek: str) -> None:
    """The client's groups (Contactgegevens, …) that the template fills with placeholders,
    copied whole from the last JW301 for the BSN in the register (``eerder``: its Client).

    A group comes from the register only when it is not in the message yet and none of its
    placeholders has a value from ``--waarde``, the data row or the message answered: a new
    address typed in is never mixed with parts (a huisletter) of the old one. The
    configuration comes after the register, so its defaults do not stop the lookup.
    """
    groepen: dict[str, list[str]] = {}
    for pad, w in paden.items():
        namen = plaatshouders_in(w)
        if namen:
            groepen.setdefault(pad.split("/")[0], []).extend(namen)
    naar_plaatshouder = {pad: enkele_placeholder(w) for pad, w in paden.items()}
    for groep, namen in groepen.items():
        if client.child(groep) is not None:
            continue
        bron = eerder.child(groep)
        if bron is None:
            continue
        if any(inv.zoek(n, ("bronbericht", "--waarde", "datarij")) for n in namen):
            inv.opmerkingen.append(f"het register heeft {groep} van {plek}, maar een deel "
                                   f"ervan is opgegeven; geef dan alle waarden van {groep} op")
            continue
        _kopieer(bron, client)
        for pad, tekst in _bladeren(bron, groep):
            inv.herkomst.append(Herkomst(naar_plaatshouder.get(pad), f"Client/{pad}", tekst,
                                         "register", plek))


def _bladeren(n: Node, pad: str) -> Iterator[tuple[str, str]]:
    if n.klasse is None:
        if n.text:
            yield pad, n.text
        return
    for c in n.children:
        yield from _bladeren(c, f"{pad}/{c.name}")


def _register_client(o: Opties, bsn: str | None) -> tuple[Node, str] | None:
    """The Client of the last valid JW301 for ``bsn`` in the register, and its name."""
    reg = o.omgeving.register
    if reg is None or not bsn or o.sjabloon.bericht != "JW301":
        return None
    eerder = reg.laatste_jw301(bsn)
    if eerder is None or not eerder.geldig:
        return None
    client = bm.from_tree(bm.read_tree(eerder.inhoud)).root.child("Client")
    return (client, eerder.omschrijving) if client is not None else None


def _in_bestaande_lijst(node: Node, pad: str, bestaand: set[int]) -> bool:
    n: Node | None = node
    for deel in pad.split("/")[:-1]:
        n = n.child(deel) if n else None
        if n is None:
            return False
        if id(n) in bestaand and n.klasse is not None and n.klasse.is_container:
            return True
    return False


def _reden_beeindiging(reden: str | None, o: Opties) -> str:
    codes = LDT["LDT_RedenBeeindiging"].codes
    reden = (reden or o.sjabloon.standaard.get("reden") or "").strip()
    if not reden:
        raise UsageError(f"geef een RedenBeeindiging (--reden); codes: {', '.join(codes)}")
    if reden.isdigit() and len(reden) == 1:
        reden = reden.zfill(2)
    if reden not in codes:
        raise UsageError(f"RedenBeeindiging {reden!r} staat niet in de codelijst; kies uit "
                         f"{', '.join(codes)}")
    return reden


def _datum(n: Node, pad: str) -> dt.date | None:
    try:
        return n.datum(pad)
    except ValueError:
        return None


# --- JW301 ------------------------------------------------------------------------------------
def _nieuw_jw301(bron_client: Node | None, o: Opties, afzender: str, ontvanger: str
                 ) -> tuple[Bericht, Node, Node]:
    b = bm.new("JW301")
    _header(b, afzender, ontvanger, o.today)
    client = b.root.add("Client")
    if bron_client is not None:
        _kopieer_client(bron_client, client)
    lijst = client.add("ToegewezenProducten")
    return b, client, lijst


def _toewijzing(lijst: Node, o: Opties, nummer: int | None, *, referentie: str | None,
                product: Node | None, ingang: str, eind: str | None, omvang: Node | None,
                budget: str | None, inv: Invulling, waar: str,
                commentaar: str | None = None) -> Node:
    """A new ToegewezenProduct; ``nummer`` ``None``: its ToewijzingNummer is given later
    (:func:`_nummer_toe`), once the whole message is known to be complete."""
    p = lijst.add("ToegewezenProduct")
    p.add("ToewijzingNummer", None if nummer is None else str(nummer))
    if referentie:
        p.add("ReferentieAanbieder", referentie)
    if product is not None:
        _kopieer(product, p, "Product")
    p.add("Toewijzingsdatum", o.today.isoformat())
    p.add("Toewijzingstijd", o.tijd)
    p.add("Ingangsdatum", ingang)
    if eind:
        p.add("Einddatum", eind)
    if omvang is not None:
        _kopieer(omvang, p, "Omvang")
    elif budget:
        p.add("Budget", budget)
    commentaar = commentaar or o.sjabloon.standaard.get("commentaar")
    if commentaar:
        p.add("Commentaar", commentaar)
    _pas_sjabloon_toe(p, o.sjabloon.product, inv, waar)
    return p


def _nummer_toe(producten: Iterable[Node], reeks: Nummerreeks, gemeente: str,
                bezet: dict[str, str] | None = None, waar: str | None = None) -> None:
    """Give each new toewijzing (a ToewijzingNummer without text) its number; ``bezet``:
    the numbers already used (number → where), which a new one may not repeat (TR332)."""
    bezet = dict(bezet or {})
    for p in producten:
        n = p.child("ToewijzingNummer")
        if n is None or n.text is not None:
            continue
        nummer = str(reeks.volgende(gemeente))
        if nummer in bezet:
            raise InvalidInput(f"nieuw ToewijzingNummer {nummer} bestaat al ({bezet[nummer]}); "
                               "zet de teller verder (TR332)", where=waar)
        n.text = nummer
        bezet[nummer] = "in dit bericht"


def _verwacht(b: Bericht, code: str, rol: str) -> None:
    if b.code != code:
        raise UsageError(f"{rol} moet een {code} zijn, niet een {b.code}")


def _klaar(o: Opties, inv: Invulling, waar: str) -> None:
    """Every missing value of the message at once; else the values' sources are kept."""
    inv.controleer(waar)
    o.omgeving.herkomst[:] = inv.herkomst


def jw301_uit_verzoek(jw315: Bericht, sjabloon: Sjabloon | None = None, *,
                      nummers: Nummerreeks | None = None, today: dt.date | None = None,
                      nu: dt.time | None = None, waarden: dict[str, str] | None = None,
                      bron: str = "JW315", omgeving: Omgeving | None = None) -> Bericht:
    """The JW301 that honours a JW315, every AangevraagdProduct as requested.

    The client's address and contact (the template's placeholders) come from ``waarden``
    (``--waarde``), else the last JW301 for the BSN in the register, else the configuration
    (see :class:`Omgeving`); every missing one is reported at once
    (:class:`~ijwcli.generatie.sjabloon.WaardenOntbreken`), before any number is taken.
    """
    _verwacht(jw315, "JW315", bron)
    o = opties("JW301", sjabloon, today, nu, waarden, nummers, omgeving)
    gemeente = jw315.root.value("Header/Ontvanger") or ""
    aanbieder = jw315.root.value("Header/Afzender") or ""
    bsn = jw315.root.value("Client/Bsn") or ""
    inv = _invulling(o, {"gemeente": gemeente, "aanbieder": aanbieder, "bsn": bsn}, bron)
    afzender = _afzender(o, inv, gemeente, "gemeentecode", bron)
    b, client, lijst = _nieuw_jw301(jw315.root.child("Client"), o, afzender, aanbieder)
    for ap in jw315.root.findall("Client/AangevraagdeProducten/AangevraagdProduct"):
        _toewijzing(lijst, o, None, referentie=ap.value("ReferentieAanbieder"),
                    product=ap.child("Product"), ingang=ap.value("ToewijzingIngangsdatum") or "",
                    eind=ap.value("ToewijzingEinddatum"), omvang=ap.child("Omvang"),
                    budget=ap.value("Budget"), inv=inv, waar=bron)
    _pas_sjabloon_toe(client, o.sjabloon.client, inv, bron, _register_client(o, bsn))
    _klaar(o, inv, bron)
    _nummer_toe(lijst.children, o.nummers or Nummerreeks(), afzender, waar=bron)
    return b


def _actuele(huidig: Bericht, bron: str) -> dict[str, Node]:
    _verwacht(huidig, "JW301", bron)
    return {p.value("ToewijzingNummer") or "": p
            for p in huidig.root.findall("Client/ToegewezenProducten/ToegewezenProduct")}


def _vervolg(huidig: Bericht, o: Opties, bron: str, inv: Invulling | None = None
             ) -> tuple[Bericht, Node]:
    """A new JW301 between the same parties as ``huidig``, with its client data copied."""
    gemeente = huidig.root.value("Header/Afzender") or ""
    aanbieder = huidig.root.value("Header/Ontvanger") or ""
    inv = inv or _invulling(o, {"gemeente": gemeente, "aanbieder": aanbieder}, bron)
    afzender = _afzender(o, inv, gemeente, "gemeentecode", bron)
    inv.controleer(bron)
    b = bm.new("JW301")
    _header(b, afzender, aanbieder, o.today)
    hc = huidig.root.child("Client")
    client = b.root.add("Client")
    if hc is not None:
        for c in hc.children:
            if c.name != "ToegewezenProducten":
                _kopieer(c, client)
    return b, client.add("ToegewezenProducten")


def _wijzig(p: Node, o: Opties, reden: str) -> None:
    p.set("Toewijzingsdatum", o.today.isoformat())
    p.set("Toewijzingstijd", o.tijd)
    p.set("RedenWijziging", reden)


def _reden_voor(oud_eind: dt.date | None, nieuw_eind: dt.date | None, oud_volume: int | None,
                nieuw_volume: int | None) -> str:
    """04 verlenging when the toewijzing grows (later end or more volume), 05 when it shrinks,
    12 (initiated by the aanbieder) when neither.

    >>> d = dt.date
    >>> _reden_voor(d(2026, 12, 31), d(2027, 5, 31), 100, 130)
    '04'
    >>> _reden_voor(d(2026, 12, 31), d(2026, 9, 30), 100, 100)
    '05'
    >>> _reden_voor(d(2026, 12, 31), d(2026, 12, 31), 100, 100)
    '12'
    """
    if oud_eind != nieuw_eind:
        if oud_eind is None:
            return VERKORTING  # an open toewijzing that gets an end
        if nieuw_eind is None or nieuw_eind > oud_eind:
            return VERLENGING
        return VERKORTING
    if oud_volume is not None and nieuw_volume is not None and oud_volume != nieuw_volume:
        return VERLENGING if nieuw_volume > oud_volume else VERKORTING
    return DOOR_AANBIEDER


def jw301_uit_wijziging(jw317: Bericht, huidig: Bericht, sjabloon: Sjabloon | None = None, *,
                        nummers: Nummerreeks | None = None, today: dt.date | None = None,
                        nu: dt.time | None = None, waarden: dict[str, str] | None = None,
                        bron: str = "JW317", bron_huidig: str = "JW301",
                        omgeving: Omgeving | None = None) -> Bericht:
    """The complete new set of toewijzingen a JW317 asks for, on top of the actuele JW301.

    - OngewijzigdProduct and toewijzingen the JW317 does not name: copied unchanged;
    - TeWijzigenProduct with GewensteIngangsdatum = Ingangsdatum: changed in place (same
      ToewijzingNummer, new Einddatum/Omvang, RedenWijziging 04/05/12);
    - TeWijzigenProduct from a later date: the toewijzing ends the day before (RedenWijziging
      12) and a new one with a new ToewijzingNummer starts on the GewensteIngangsdatum;
    - NieuwProduct: a new toewijzing.

    ReferentieAanbieder of every new or changed toewijzing is the JW317's (TR379).
    """
    _verwacht(jw317, "JW317", bron)
    actueel = _actuele(huidig, bron_huidig)
    o = opties("JW301", sjabloon, today, nu, waarden, nummers, omgeving)
    bsn, bsn_huidig = jw317.root.value("Client/Bsn"), huidig.root.value("Client/Bsn")
    if bsn != bsn_huidig:
        raise InvalidInput(f"de JW317 gaat over BSN {bsn}, de actuele toewijzing over "
                           f"{bsn_huidig}", where=bron)
    if jw317.root.value("Header/Ontvanger") != huidig.root.value("Header/Afzender") or \
            jw317.root.value("Header/Afzender") != huidig.root.value("Header/Ontvanger"):
        raise InvalidInput("de JW317 en de actuele JW301 zijn niet tussen dezelfde gemeente en "
                           "aanbieder", where=bron)
    inv = _invulling(o, {"gemeente": huidig.root.value("Header/Afzender") or "",
                         "aanbieder": huidig.root.value("Header/Ontvanger") or ""}, bron)
    b, lijst = _vervolg(huidig, o, bron_huidig, inv)
    verzoek = jw317.root.find("Client/Verzoek")
    assert verzoek is not None  # required by the schema the JW317 passed
    referentie = verzoek.value("ReferentieAanbieder")
    genoemd: dict[str, Node | None] = {}
    for n in verzoek.findall("OngewijzigdeProducten/OngewijzigdProduct"):
        genoemd[n.value("ToewijzingNummer") or ""] = None
    for n in verzoek.findall("TeWijzigenProducten/TeWijzigenProduct"):
        genoemd[n.value("ToewijzingNummer") or ""] = n
    onbekend = [nr for nr in genoemd if nr not in actueel]
    if onbekend:
        raise InvalidInput(f"ToewijzingNummer {', '.join(onbekend)} staat niet in de actuele "
                           f"toewijzing ({', '.join(actueel) or 'geen'}) (TR350/TR351)",
                           where=bron)
    nieuw: list[tuple[Node, str | None]] = []  # (wijziging, product source) after the copies
    for nummer, p in actueel.items():
        w = genoemd.get(nummer)
        if w is None:
            _kopieer(p, lijst)
            continue
        gewenst = w.datum("GewensteIngangsdatum")
        ingang = p.datum("Ingangsdatum")
        assert gewenst is not None and ingang is not None
        if gewenst < ingang:
            raise InvalidInput(f"TeWijzigenProduct {nummer}: GewensteIngangsdatum {gewenst} ligt "
                               f"vóór de Ingangsdatum {ingang} van de toewijzing", where=bron)
        q = _kopieer(p, lijst)
        if referentie:
            q.set("ReferentieAanbieder", referentie)
        if gewenst == ingang:
            oud_eind, oud_vol = _datum(p, "Einddatum"), p.getal("Omvang/Volume")
            _zet_inhoud(q, w)
            _wijzig(q, o, _reden_voor(oud_eind, _datum(q, "Einddatum"), oud_vol,
                                      q.getal("Omvang/Volume")))
        else:
            einde = gewenst - dt.timedelta(days=1)
            oud_eind = _datum(p, "Einddatum")
            if oud_eind is not None and oud_eind < einde:
                raise InvalidInput(f"TeWijzigenProduct {nummer}: GewensteIngangsdatum {gewenst} "
                                   f"ligt na het einde van de toewijzing ({oud_eind})",
                                   where=bron)
            q.set("Einddatum", einde.isoformat())
            _wijzig(q, o, DOOR_AANBIEDER)
            nieuw.append((w, nummer))
    for w in verzoek.findall("NieuweProducten/NieuwProduct"):
        nieuw.append((w, None))
    for w, van in nieuw:
        product = actueel[van].child("Product") if van else w.child("Product")
        omvang = w.child("Omvang")
        budget = w.value("Budget")
        if van and omvang is None and budget is None:
            omvang = actueel[van].child("Omvang")
            budget = actueel[van].value("Budget")
        _toewijzing(lijst, o, None, referentie=referentie, product=product,
                    ingang=w.value("GewensteIngangsdatum") or "", eind=w.value("Einddatum"),
                    omvang=omvang, budget=budget, inv=inv, waar=bron)
    _klaar(o, inv, bron)
    _nummer_toe(lijst.children, o.nummers or Nummerreeks(), b.root.value("Header/Afzender") or "",
                dict.fromkeys(actueel, "in de actuele toewijzing"), bron_huidig)
    return b


def jw301_uit_bestand(bron: str | os.PathLike[str] | None, sjabloon: Sjabloon | None = None, *,
                      nummers: Nummerreeks | None = None, today: dt.date | None = None,
                      nu: dt.time | None = None, waarden: dict[str, str] | None = None,
                      actueel: str | os.PathLike[str] | None = None,
                      verlenging: str | os.PathLike[str] | None = None,
                      intrekken: str | None = None, toewijzingnummer: str | None = None,
                      omgeving: Omgeving | None = None) -> Bericht:
    """The JW301 that answers the message in file ``bron``, whichever type it is.

    A JW315 is honoured (:func:`jw301_uit_verzoek`); a JW317 needs the ``actueel`` JW301
    (:func:`jw301_uit_wijziging`); the actuele JW301 itself needs exactly one of
    ``verlenging`` (the outcome JSON, :func:`jw301_verlenging`) or ``intrekken`` (a
    ToewijzingNummer, :func:`jw301_intrekken`). Options that do not fit the type are refused
    rather than ignored.

    With a register (``omgeving.register``) the actuele toewijzing may come from it instead:
    a JW317 without ``actueel``, and ``verlenging``/``intrekken`` without ``bron`` (the
    toewijzing by ``toewijzingnummer``, the outcome's or the withdrawn one), see
    :func:`actuele_uit_register`.
    """
    omgeving = omgeving or Omgeving()
    omgeving.herkomst.clear()
    kw: dict[str, Any] = {"today": today, "nu": nu, "waarden": waarden, "omgeving": omgeving}
    if bron is None:
        if (verlenging is None) == (intrekken is None) or actueel is not None:
            raise UsageError("zonder --from hoort precies één van --verlenging UITKOMST.json of "
                             "--intrekken TOEWIJZINGNUMMER")
        if omgeving.register is None:
            raise UsageError("geef --from JW301.xml (de actuele toewijzing), of stel een "
                             "register in (--db) waarin die staat")
        uitkomst = lees_uitkomst(verlenging) if verlenging is not None else None
        nummer = intrekken or toewijzingnummer or _uitkomst_nummer(uitkomst)
        if nummer is None:
            raise UsageError("welke toewijzing wordt verlengd? geef --toewijzingnummer N (of "
                             "--from JW301.xml)")
        o = opties("JW301", sjabloon, today, nu, waarden, None, omgeving)
        huidig, waar = actuele_uit_register(omgeving.register, [nummer], _eigen_gemeente(o))
        if uitkomst is not None:
            return jw301_verlenging(huidig, uitkomst, sjabloon, toewijzingnummer=nummer,
                                    bron=waar, bron_uitkomst=str(verlenging), **kw)
        return jw301_intrekken(huidig, nummer, sjabloon, bron=waar, **kw)
    b = lees_bericht(bron)
    waar = str(bron)
    extra = {"--actueel": actueel, "--verlenging": verlenging, "--intrekken": intrekken}
    if b.code == "JW315":
        if any(v is not None for v in extra.values()):
            raise UsageError("bij een JW315 horen geen --verlenging, --intrekken of --actueel")
        return jw301_uit_verzoek(b, sjabloon, nummers=nummers, bron=waar, **kw)
    if b.code == "JW317":
        if verlenging is not None or intrekken is not None:
            raise UsageError("bij een JW317 horen geen --verlenging of --intrekken")
        if actueel is not None:
            huidig, waar_huidig = lees_bericht(actueel), str(actueel)
        elif omgeving.register is not None:
            huidig, waar_huidig = actuele_voor_wijziging(omgeving.register, b)
        else:
            raise UsageError("een JW317 vraagt de actuele toewijzing: geef --actueel JW301.xml "
                             "(of stel een register in, --db, waarin die staat)")
        return jw301_uit_wijziging(b, huidig, sjabloon, nummers=nummers, bron=waar,
                                   bron_huidig=waar_huidig, **kw)
    if b.code == "JW301":
        if (verlenging is None) == (intrekken is None) or actueel is not None:
            raise UsageError("bij een JW301 hoort precies één van --verlenging UITKOMST.json of "
                             "--intrekken TOEWIJZINGNUMMER")
        if verlenging is not None:
            return jw301_verlenging(b, lees_uitkomst(verlenging), sjabloon,
                                    toewijzingnummer=toewijzingnummer, bron=waar,
                                    bron_uitkomst=str(verlenging), **kw)
        assert intrekken is not None
        return jw301_intrekken(b, intrekken, sjabloon, bron=waar, **kw)
    raise UsageError(f"--from moet een JW315, JW317 of JW301 zijn, niet een {b.code}",
                     where=waar)


def _uitkomst_nummer(uitkomst: dict[str, Any] | None) -> str | None:
    """The ToewijzingNummer an outcome of ``ijwcli verlenging`` names, if it names one."""
    if not uitkomst:
        return None
    for d in (uitkomst, uitkomst.get("toewijzing") or {}):
        v = d.get("toewijzingnummer") if isinstance(d, dict) else None
        if v not in (None, ""):
            return str(v)
    return None


def _eigen_gemeente(o: Opties) -> str | None:
    """The own gemeentecode as far as known: a fixed template sender, ``--waarde gemeente``,
    the configuration's code."""
    a = o.sjabloon.afzender
    if a and not plaatshouders_in(a):
        return a
    return o.waarden.get("gemeente") or o.omgeving.configuratie.get("gemeente") or None


def _als_bericht(e: Any) -> Bericht:
    return bm.from_tree(bm.read_tree(e.inhoud))


def actuele_uit_register(reg: Any, nummers: Iterable[str], gemeente: str | None = None
                         ) -> tuple[Bericht, str]:
    """The actuele JW301 that carries toewijzingen ``nummers``: the latest valid JW301 of
    the register with any of them (``reg.toewijzing``), and how to name it in messages.

    Numbers are unique per gemeente (TR332), not across gemeenten: without ``gemeente`` a
    number that two gemeenten gave out is refused rather than guessed.
    """
    gekozen: Any = None
    for nr in nummers:
        historie = reg.toewijzing_historie(nr, gemeente)
        if not historie:
            plek = f" van gemeente {gemeente}" if gemeente else ""
            raise InvalidInput(f"ToewijzingNummer {nr}{plek} staat niet in het register; geef "
                               "de actuele toewijzing met --actueel/--from JW301.xml",
                               where=reg.toon_locatie)
        gemeenten = sorted({e.afzender for e in historie})
        if len(gemeenten) > 1:
            raise UsageError(f"ToewijzingNummer {nr} komt in het register voor bij de gemeenten "
                             f"{', '.join(gemeenten)}; geef de eigen met --waarde gemeente=CODE "
                             "(of code in ijwcli.toml)")
        laatste = historie[-1]
        if gekozen is None or (laatste.dagtekening, int(laatste.sleutel or 0)) > (
                gekozen.dagtekening, int(gekozen.sleutel or 0)):
            gekozen = laatste
    if gekozen is None:
        raise UsageError("geen ToewijzingNummer om de actuele toewijzing mee te zoeken")
    return _als_bericht(gekozen), f"register: {gekozen.omschrijving}"


def actuele_voor_wijziging(reg: Any, jw317: Bericht) -> tuple[Bericht, str]:
    """The actuele JW301 a JW317 changes, from the register: by the ToewijzingNummers it names
    (TeWijzigenProduct, OngewijzigdProduct), else the last JW301 for the BSN between the same
    gemeente and aanbieder."""
    gemeente = jw317.root.value("Header/Ontvanger") or None
    nummers = [n.value("ToewijzingNummer") or "" for n in jw317.root.findall(
        "Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct")
        + jw317.root.findall("Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct")]
    nummers = [n for n in nummers if n]
    if nummers:
        return actuele_uit_register(reg, nummers, gemeente)
    bsn = jw317.root.value("Client/Bsn") or ""
    e = reg.laatste_jw301(bsn)
    if e is None or not e.geldig or e.afzender != gemeente or \
            e.ontvanger != jw317.root.value("Header/Afzender"):
        raise InvalidInput(f"het register heeft geen toewijzing van gemeente {gemeente} aan "
                           f"aanbieder {jw317.root.value('Header/Afzender')} voor BSN {bsn}; "
                           "geef --actueel JW301.xml", where=reg.toon_locatie)
    return _als_bericht(e), f"register: {e.omschrijving}"


def _zet_inhoud(q: Node, w: Node) -> None:
    """Einddatum and Omvang or Budget of a TeWijzigenProduct onto toewijzing ``q``."""
    q.set("Einddatum", w.value("Einddatum"))
    for naam in ("Omvang", "Budget"):
        if w.child("Omvang") is not None or w.child("Budget") is not None:
            oud = q.child(naam)
            if oud is not None:
                q.children.remove(oud)
    if w.child("Omvang") is not None:
        _kopieer(w.child("Omvang"), q)  # type: ignore[arg-type]
    elif w.value("Budget"):
        q.add("Budget", w.value("Budget"))


# --- verlenging and intrekking ----------------------------------------------------------------
UITKOMST_SLEUTELS = ("ingangsdatum", "einddatum", "volume", "eenheid", "frequentie")


def lees_uitkomst(pad: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON of ``ijwcli verlenging --json``; raises with the missing key named."""
    import json  # here: only this input is JSON

    p = Path(pad)
    try:
        data = json.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise FileError("bestand bestaat niet", where=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileError(f"niet te lezen ({exc})", where=str(p)) from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"geen geldige JSON: {exc.msg} (regel {exc.lineno})",
                           where=str(p)) from None
    return controleer_uitkomst(data, str(p))


def controleer_uitkomst(data: object, waar: str = "uitkomst") -> dict[str, Any]:
    """Check the keys this module uses: toewijzing.{…}, berichten, route.

    >>> controleer_uitkomst({"route": "toegang", "berichten": [], "toewijzing": {}})
    Traceback (most recent call last):
        ...
    ijwcli.errors.InvalidInput: uitkomst: sleutel toewijzing.ingangsdatum ontbreekt
    """
    if isinstance(data, dict) and data.get("command") == "verlenging":
        # The --format json document of ijwcli verlenging: its one outcome.
        uitkomsten = [r.get("uitkomst") for r in data.get("results") or []
                      if isinstance(r, dict) and r.get("uitkomst")]
        if len(uitkomsten) != 1:
            raise InvalidInput(f"verwacht de uitkomst van één verzoek, niet {len(uitkomsten)}",
                               where=waar)
        data = uitkomsten[0]
    if not isinstance(data, dict):
        raise InvalidInput("verwacht een JSON-object (de uitvoer van ijwcli verlenging --json)",
                           where=waar)
    t = data.get("toewijzing")
    if not isinstance(t, dict):
        raise InvalidInput("sleutel toewijzing ontbreekt", where=waar)
    for k in UITKOMST_SLEUTELS:
        if t.get(k) in (None, ""):
            raise InvalidInput(f"sleutel toewijzing.{k} ontbreekt", where=waar)
    for k in ("ingangsdatum", "einddatum"):
        try:
            dt.date.fromisoformat(str(t[k]))
        except ValueError:
            raise InvalidInput(f"toewijzing.{k} {t[k]!r} is geen datum (JJJJ-MM-DD)",
                               where=waar) from None
    v = t["volume"]
    if isinstance(v, bool) or not isinstance(v, int | float) or v < 0 or v != int(v):
        raise InvalidInput(f"toewijzing.volume {v!r} is geen geheel getal ≥ 0", where=waar)
    for k, ldt in (("eenheid", "LDT_Eenheid"), ("frequentie", "LDT_Frequentie")):
        reden = controleer_waarde(LDT[ldt], str(t[k]))
        if reden:
            raise InvalidInput(f"toewijzing.{k}: {reden}", where=waar)
    if not isinstance(data.get("berichten"), list):
        raise InvalidInput("sleutel berichten ontbreekt", where=waar)
    return data


def _kies(actueel: dict[str, Node], nummer: str | None, t: dict[str, Any] | None,
          bron: str) -> Node:
    if nummer is not None:
        if nummer not in actueel:
            raise UsageError(f"ToewijzingNummer {nummer} staat niet in de actuele toewijzing; "
                             f"kies uit {', '.join(actueel) or 'geen'}", where=bron)
        return actueel[nummer]
    kandidaten = [p for p in actueel.values() if p.value("RedenWijziging") != VERWIJDERD]
    if t is not None:
        kandidaten = [p for p in kandidaten
                      if p.value("Ingangsdatum") == str(t["ingangsdatum"])
                      and p.value("Omvang/Eenheid") in (None, str(t["eenheid"]))]
    if len(kandidaten) == 1:
        return kandidaten[0]
    nummers = ", ".join(p.value("ToewijzingNummer") or "?" for p in kandidaten) or "geen"
    raise UsageError(f"welke toewijzing? geef --toewijzingnummer (passend: {nummers})",
                     where=bron)


def jw301_verlenging(huidig: Bericht, uitkomst: dict[str, Any], sjabloon: Sjabloon | None = None,
                     *, toewijzingnummer: str | None = None, today: dt.date | None = None,
                     nu: dt.time | None = None, waarden: dict[str, str] | None = None,
                     bron: str = "JW301", bron_uitkomst: str = "uitkomst",
                     omgeving: Omgeving | None = None) -> Bericht:
    """The actuele JW301 with one toewijzing changed as a verlenging outcome decided.

    The toewijzing keeps its ToewijzingNummer and Ingangsdatum; Einddatum and Omvang become the
    outcome's, RedenWijziging 04 (verlenging) or 05 (verkorting). ReferentieAanbieder is left
    out of the changed toewijzing: it answers no JW315/JW317 (TR379).
    """
    uitkomst = controleer_uitkomst(uitkomst, bron_uitkomst)
    if "JW301" not in uitkomst["berichten"]:
        raise InvalidInput(f"de uitkomst leidt niet tot een JW301 (route "
                           f"{uitkomst.get('route', '?')}, berichten: "
                           f"{', '.join(uitkomst['berichten']) or 'geen'})", where=bron_uitkomst)
    t = uitkomst["toewijzing"]
    actueel = _actuele(huidig, bron)
    p = _kies(actueel, toewijzingnummer, t, bron)
    nummer = p.value("ToewijzingNummer")
    if p.value("Ingangsdatum") != str(t["ingangsdatum"]):
        raise InvalidInput(f"de uitkomst begint op {t['ingangsdatum']}, toewijzing {nummer} op "
                           f"{p.value('Ingangsdatum')}", where=bron_uitkomst)
    if p.child("Omvang") is None:
        raise InvalidInput(f"toewijzing {nummer} heeft een Budget, geen Omvang; een "
                           "verlenging-uitkomst gaat over volume", where=bron)
    o = opties("JW301", sjabloon, today, nu, waarden, None, omgeving)
    b, lijst = _vervolg(huidig, o, bron)
    nieuw_eind = dt.date.fromisoformat(str(t["einddatum"]))
    nieuw_volume = int(t["volume"])
    for nr, q0 in actueel.items():
        q = _kopieer(q0, lijst)
        if nr != nummer:
            continue
        oud_eind, oud_vol = _datum(q0, "Einddatum"), q0.getal("Omvang/Volume")
        nieuwe_omvang = (str(nieuw_volume), str(t["eenheid"]), str(t["frequentie"]))
        oude_omvang = tuple(q0.value(f"Omvang/{k}") for k in ("Volume", "Eenheid", "Frequentie"))
        if oud_eind == nieuw_eind and oude_omvang == nieuwe_omvang:
            raise InvalidInput(f"de uitkomst verandert toewijzing {nummer} niet "
                               f"(einddatum {nieuw_eind}, volume {nieuw_volume})",
                               where=bron_uitkomst)
        q.set("ReferentieAanbieder", None)
        q.set("Einddatum", nieuw_eind.isoformat())
        q.set("Omvang/Volume", nieuwe_omvang[0])
        q.set("Omvang/Eenheid", nieuwe_omvang[1])
        q.set("Omvang/Frequentie", nieuwe_omvang[2])
        _wijzig(q, o, _reden_voor(oud_eind, nieuw_eind, oud_vol, nieuw_volume))
        if o.sjabloon.standaard.get("commentaar"):
            q.set("Commentaar", o.sjabloon.standaard["commentaar"])
    return b


def jw301_intrekken(huidig: Bericht, toewijzingnummer: str, sjabloon: Sjabloon | None = None,
                    *, today: dt.date | None = None, nu: dt.time | None = None,
                    waarden: dict[str, str] | None = None, bron: str = "JW301",
                    omgeving: Omgeving | None = None) -> Bericht:
    """The actuele JW301 with one toewijzing withdrawn: Einddatum = Ingangsdatum, RedenWijziging
    13 (CS335). Not allowed once approved declarations exist (TR385): the gemeente knows that.
    """
    actueel = _actuele(huidig, bron)
    p = _kies(actueel, toewijzingnummer, None, bron)
    if p.value("RedenWijziging") == VERWIJDERD:
        raise InvalidInput(f"toewijzing {toewijzingnummer} is al ingetrokken (RedenWijziging 13)",
                           where=bron)
    o = opties("JW301", sjabloon, today, nu, waarden, None, omgeving)
    b, lijst = _vervolg(huidig, o, bron)
    for nr, q0 in actueel.items():
        q = _kopieer(q0, lijst)
        if nr == toewijzingnummer:
            q.set("ReferentieAanbieder", None)
            q.set("Einddatum", q0.value("Ingangsdatum"))
            _wijzig(q, o, VERWIJDERD)
    return b


# --- JW307 ------------------------------------------------------------------------------------
_SLEUTELS_TR382 = ("ToewijzingNummer", "Product", "ToewijzingIngangsdatum", "Begindatum")


def jw307_uit_start(jw305: Bericht, einddatum: dt.date, reden: str | None,
                    sjabloon: Sjabloon | None = None, *, today: dt.date | None = None,
                    waarden: dict[str, str] | None = None, bron: str = "JW305",
                    omgeving: Omgeving | None = None) -> Bericht:
    """The JW307 that stops every StartProduct of a JW305 on ``einddatum``.

    The key elements (ToewijzingNummer, Product, ToewijzingIngangsdatum, Begindatum) are
    carried over unchanged (TR382); a start that was withdrawn (StatusAanlevering 3) gets no
    stop. The einddatum may not lie after the dagtekening (TR134) nor before a begindatum.
    """
    _verwacht(jw305, "JW305", bron)
    o = opties("JW307", sjabloon, today, None, waarden, None, omgeving)
    o.omgeving.herkomst.clear()
    reden = _reden_beeindiging(reden, o)
    if einddatum > o.today:
        raise UsageError(f"einddatum {einddatum} ligt na de dagtekening {o.today}: een stop "
                         "meld je achteraf (TR134)")
    aanbieder = jw305.root.value("Header/Afzender") or ""
    gemeente = jw305.root.value("Header/Ontvanger") or ""
    inv = _invulling(o, {"gemeente": gemeente, "aanbieder": aanbieder}, bron)
    afzender = _afzender(o, inv, aanbieder, "agb", bron)
    b = bm.new("JW307")
    _header(b, afzender, gemeente, o.today)
    client = b.root.add("Client")
    bron_client = jw305.root.child("Client")
    if bron_client is not None:
        _kopieer_client(bron_client, client)
    lijst = client.add("StopProducten")
    status = o.sjabloon.standaard.get("status", "1")
    for sp in jw305.root.findall("Client/StartProducten/StartProduct"):
        if sp.value("StatusAanlevering") == "3":
            continue
        begin = sp.datum("Begindatum")
        if begin is not None and einddatum < begin:
            raise InvalidInput(f"einddatum {einddatum} ligt vóór de Begindatum {begin} van "
                               f"StartProduct {sp.value('ToewijzingNummer') or '?'}", where=bron)
        stop = lijst.add("StopProduct")
        for naam in _SLEUTELS_TR382:
            n = sp.child(naam)
            if n is not None:
                _kopieer(n, stop)
        stop.add("RedenBeeindiging", reden)
        stop.add("Einddatum", einddatum.isoformat())
        stop.add("StatusAanlevering", status)
        _pas_sjabloon_toe(stop, o.sjabloon.product, inv, bron)
    if not lijst.children:
        raise InvalidInput("het startbericht heeft geen StartProduct om te stoppen", where=bron)
    _pas_sjabloon_toe(client, o.sjabloon.client, inv, bron)
    _klaar(o, inv, bron)
    return b


# --- data rows --------------------------------------------------------------------------------
_CLIENT_KOLOMMEN = ("bsn", "geboortedatum", "geslacht", "achternaam", "voorvoegsel",
                    "voornamen", "voorletters")
# The sender's column (gemeente for JW301, aanbieder for JW307) is always known: a sheet made
# for the shipped template ({gemeente}) also works with a template that fixes the sender.
JW301_KOLOMMEN = ("gemeente", "aanbieder", *_CLIENT_KOLOMMEN, "categorie", "productcode",
                  "ingangsdatum", "einddatum", "volume", "eenheid", "frequentie", "budget",
                  "referentie_aanbieder", "toewijzingnummer", "commentaar")
JW307_KOLOMMEN = ("aanbieder", "gemeente", *_CLIENT_KOLOMMEN, "toewijzingnummer", "categorie",
                  "productcode", "toewijzing_ingangsdatum", "begindatum", "einddatum", "reden",
                  "status")


@dataclass
class Rijbericht:
    """A message built from data rows, with the rows it came from (for error messages)."""

    bericht: Bericht
    rijen: list[int]
    bron: str
    # The row objects (product i came from row i) and the template, to trace a validator
    # finding on an element back to the row and column it came from.
    rij_objecten: list[Any] = field(default_factory=list, repr=False)
    sjabloon: Sjabloon | None = field(default=None, repr=False)
    # Where each filled-in value came from (--waarde, a cell, the register, the configuration).
    herkomst: list[Herkomst] = field(default_factory=list, repr=False)

    @property
    def waar(self) -> str:
        nrs = self.rijen
        r = f"rij {nrs[0]}" if len(nrs) == 1 else f"rijen {', '.join(map(str, nrs))}"
        return f"{self.bron} {r}"

    def plek(self, pad: str | None, regel: str) -> str:
        """Where in the data a finding on element ``pad`` comes from: row and column.

        >>> from types import SimpleNamespace as NS
        >>> rij = lambda n: NS(nummer=n, kolommen={"einddatum": 3, "frequentie": 4},
        ...                    waar=lambda k, n=n: f"c.csv rij {n}" + (f" kolom {k}" if k in
        ...                    ("einddatum", "frequentie") else ""))
        >>> rb = Rijbericht(None, [2, 5], "c.csv", [rij(2), rij(5)])
        >>> rb.plek("Client/ToegewezenProducten/ToegewezenProduct[2]/Omvang/Frequentie", "CS338")
        'c.csv rij 5 kolom frequentie'
        >>> rb.plek("Client/ToegewezenProducten/ToegewezenProduct[2]", "CD076")
        'c.csv rij 5 kolom einddatum'
        >>> rb.plek("Client/Contactgegevens/Contact/Adres/Postcode", "XSD")
        'c.csv rij 2 (Client/Contactgegevens/Contact/Adres/Postcode)'
        >>> rb.plek(None, "TR101")
        'c.csv rijen 2, 5'
        """
        if not pad or not self.rij_objecten:
            return self.waar
        delen = pad.split("/")
        rij = self.rij_objecten[0]  # header and client data come from a group's first row
        kolom: str | None = None
        if delen[0] == "Header" and len(delen) > 1:
            kolom = _KOLOM_HEADER[self.bericht.code].get(delen[1])
        elif delen[0] == "Client" and len(delen) > 2 and delen[1] in _LIJSTEN:
            m = re.fullmatch(r"\w+(?:\[(\d+)\])?", delen[2])
            i = int(m.group(1)) - 1 if m and m.group(1) else 0
            if i < len(self.rij_objecten):
                rij = self.rij_objecten[i]
            binnen = "/".join(re.sub(r"\[\d+\]", "", d) for d in delen[3:])
            binnen = binnen or _REGEL_ELEMENT.get(regel, "")
            kolom = _KOLOM_PRODUCT.get(binnen) or self._placeholder("product", binnen)
        elif delen[0] == "Client":
            binnen = "/".join(re.sub(r"\[\d+\]", "", d) for d in delen[1:])
            kolom = _KOLOM_CLIENT.get(binnen) or self._placeholder("client", binnen)
        if kolom and kolom in rij.kolommen:
            return str(rij.waar(kolom))
        return f"{self.bron} rij {rij.nummer} ({pad})"

    def _placeholder(self, sectie: str, pad: str) -> str | None:
        """The data column a template path is filled from (``"{postcode}"`` → postcode)."""
        waarde = getattr(self.sjabloon, sectie, {}).get(pad) if self.sjabloon else None
        return enkele_placeholder(waarde)


# Element paths (below Client, a product or the Header) → the data column they came from.
_KOLOM_CLIENT = {"Bsn": "bsn", "Geboortedatum": "geboortedatum",
                 "Geboortedatum/Datum": "geboortedatum", "Geslacht": "geslacht",
                 "Naam/Geslachtsnaam/Achternaam": "achternaam",
                 "Naam/Geslachtsnaam/Voorvoegsel": "voorvoegsel", "Naam/Voornamen": "voornamen",
                 "Naam/Voorletters": "voorletters"}
_KOLOM_PRODUCT = {"ToewijzingNummer": "toewijzingnummer",
                  "ReferentieAanbieder": "referentie_aanbieder", "Product": "categorie",
                  "Product/Categorie": "categorie", "Product/Code": "productcode",
                  "Ingangsdatum": "ingangsdatum", "Einddatum": "einddatum", "Omvang": "volume",
                  "Omvang/Volume": "volume", "Omvang/Eenheid": "eenheid",
                  "Omvang/Frequentie": "frequentie", "Budget": "budget",
                  "Commentaar": "commentaar", "ToewijzingIngangsdatum": "toewijzing_ingangsdatum",
                  "Begindatum": "begindatum", "RedenBeeindiging": "reden",
                  "StatusAanlevering": "status"}
_KOLOM_HEADER = {"JW301": {"Afzender": "gemeente", "Ontvanger": "aanbieder"},
                 "JW307": {"Afzender": "aanbieder", "Ontvanger": "gemeente"}}
_LIJSTEN = ("ToegewezenProducten", "StopProducten")
# Rules the validator reports on a product as a whole, with the element they are about
# (the element each condition belongs to in the iJw 3.2 element rules).
_REGEL_ELEMENT = {"CD041": "Omvang", "CD075": "Einddatum", "CD076": "Einddatum",
                  "CD077": "Omvang", "CD078": "Budget", "CD079": "Product", "CD080": "Omvang"}


class RijFouten(InvalidInput):
    """Every problem of a data file (``meldingen``, one line each); nothing was made."""

    def __init__(self, meldingen: list[str], where: str | None = None) -> None:
        self.meldingen = meldingen
        n = len(meldingen)
        regels = "\n".join(f"  - {f}" for f in meldingen[:50])
        meer = f"\n  … en nog {n - 50}" if n > 50 else ""
        super().__init__(f"{n} fout(en) in de invoer, er is niets geschreven:\n{regels}{meer}",
                         where=where)


class _Fouten:
    """Collects every bad cell of a file, so the user fixes them all in one go."""

    def __init__(self) -> None:
        self.lijst: list[str] = []

    def probeer(self, fn: Any, *args: Any) -> tuple[bool, Any]:
        """``(True, fn(*args))``, or ``(False, None)`` with the error recorded."""
        try:
            return True, fn(*args)
        except IjwError as exc:
            self.lijst.append(str(exc))
            return False, None

    def melding(self, naam: str) -> RijFouten:
        return RijFouten(list(self.lijst), where=naam)


def _rijen(pad: Path, toegestaan: Iterable[str], vereist: Iterable[str]) -> tuple[
        list[Any], str]:
    """The rows of ``pad`` with typed, cell-naming access; header problems raise UsageError."""
    from ijwcli.verlenging import batch as vb

    kop, data, _scheiding, blad = vb.lees(pad)
    kolommen: dict[str, int] = {}
    toegestaan = list(dict.fromkeys(toegestaan))  # a placeholder may also be a fixed column
    waar_kop = f"{pad}!{blad}" if blad else str(pad)
    for i, k in enumerate(kop):
        s = vb._sleutel(k)
        if not s:
            continue
        if s not in toegestaan:
            raise UsageError(f"onbekende kolom {k!r} (kolom {vb._kolomletter(i)}); bekend: "
                             f"{', '.join(toegestaan)}", where=waar_kop)
        kolommen.setdefault(s, i)
    ontbreekt = [k for k in vereist if k not in kolommen]
    if ontbreekt:
        raise UsageError(f"kolom(men) ontbreken in de kopregel: {', '.join(ontbreekt)}",
                         where=waar_kop)

    class Rij(vb._Rij):  # type: ignore[misc,name-defined]
        def waar(self, kolom: str) -> str:
            i = self.kolommen.get(kolom)
            if i is None:
                return f"{self.naam} rij {self.nummer}"
            if self.blad:
                return f"{pad.name}!{self.blad}!{vb._kolomletter(i)}{self.nummer} (kolom {kolom})"
            return f"{self.naam} rij {self.nummer} kolom {kolom}"

    return [Rij(pad.name, blad, kolommen, nummer, cellen) for nummer, cellen in data], waar_kop


def _cel(r: Any, kolom: str, ldt: str | None = None, vereist: bool = False,
         lengte: int | None = None) -> str | None:
    """A cell as element text, checked against its datatype; errors name row and column."""
    from ijwcli.verlenging import code

    if ldt == "LDT_Datum":
        d = r.datum(kolom, vereist)
        return d.isoformat() if d else None
    v = r.tekst(kolom, vereist)
    if v is None:
        return None
    if lengte:
        v = code(v, lengte)
    if ldt:
        reden = controleer_waarde(LDT[ldt], v)
        if reden:
            raise UsageError(reden, where=r.waar(kolom))
    return v


_PARTIJ_KOLOMMEN = {"gemeente": 4, "aanbieder": 8}


def _rij_waarden(r: Any) -> dict[str, str]:
    """A row's cells by column name (a party's code with its leading zeros back)."""
    from ijwcli.verlenging import code

    uit: dict[str, str] = {}
    for kolom in r.kolommen:
        v = r.tekst(kolom)
        if v is not None:
            uit[kolom] = code(v, _PARTIJ_KOLOMMEN[kolom]) if kolom in _PARTIJ_KOLOMMEN else v
    return uit


def _rij_invulling(r: Any, o: Opties) -> Invulling:
    """The placeholder sources of one row. ``--waarde`` comes first, so a cell that says
    otherwise is an error rather than silently overruled (the parties' columns are checked
    against the template by :func:`_afzender`)."""
    cellen = _rij_waarden(r)
    for naam, waarde in o.waarden.items():
        cel = cellen.get(naam)
        if cel and naam not in _PARTIJ_KOLOMMEN and cel != waarde.strip():
            raise UsageError(f"{cel!r} spreekt --waarde {naam}={waarde} tegen; laat de cel leeg "
                             "of de --waarde weg", where=r.waar(naam))
    return _invulling(o, rij=r)


def _rij_afzender(r: Any, o: Opties, kolom: str, soort: str, inv: Invulling) -> str:
    """The sender of a row's message: the template's, checked against the row's own column.

    Like a source message, a row names its sender; a template that fixes another one refuses
    the row instead of sending on behalf of the wrong party.
    """
    ldt, lengte = ("LDT_Gemeente", 4) if soort == "gemeentecode" else ("LDT_AgbCode", 8)
    eigen = _cel(r, kolom, ldt, False, lengte)  # 855 → 0855 as Excel drops the zero
    return _afzender(o, inv, eigen, soort, r.waar(kolom), "de rij")


def _client_uit_rij(r: Any, client: Node) -> None:
    from ijwcli.validatie.regels.datatypen import elfproef

    bsn = _cel(r, "bsn", "LDT_BurgerServicenummer", True, 9)
    assert bsn is not None
    if not elfproef(bsn):
        raise UsageError(f"BSN {bsn} voldoet niet aan de elfproef (CS002)", where=r.waar("bsn"))
    client.add("Bsn", bsn)
    client.set("Geboortedatum/Datum", _cel(r, "geboortedatum", "LDT_Datum", True))
    client.add("Geslacht", _cel(r, "geslacht", "LDT_Geslacht", True, 1))
    client.set("Naam/Geslachtsnaam/Achternaam", _cel(r, "achternaam", "LDT_Naam", True))
    client.set("Naam/Geslachtsnaam/Voorvoegsel", _cel(r, "voorvoegsel", "LDT_Voorvoegsel"))
    client.set("Naam/Voornamen", _cel(r, "voornamen", "LDT_Naam"))
    client.set("Naam/Voorletters", _cel(r, "voorletters", "LDT_Voorletters"))


def _product_uit_rij(r: Any) -> Node | None:
    """A detached Product node from the categorie and productcode columns, if any."""
    categorie = _cel(r, "categorie", "LDT_ProductCategorie", False, 2)
    productcode = _cel(r, "productcode", "LDT_ProductCode")
    if productcode and not categorie:
        raise UsageError("productcode zonder categorie", where=r.waar("categorie"))
    if not categorie:
        return None
    product = Node("Product", CDT["CDT_Product"])
    product.add("Categorie", categorie)
    if productcode:
        product.add("Code", productcode)
    return product


def _groepeer(rijen: list[Any], sleutel: Any) -> list[list[Any]]:
    groepen: dict[tuple[str, ...], list[Any]] = {}
    for r in rijen:
        groepen.setdefault(sleutel(r), []).append(r)
    return list(groepen.values())


def _zelfde_client(eerste: Any, r: Any) -> None:
    for kolom in ("geboortedatum", "geslacht", "achternaam"):
        if kolom in r.kolommen and r.tekst(kolom) != eerste.tekst(kolom):
            raise UsageError(f"{r.tekst(kolom)!r} wijkt af van rij {eerste.nummer} voor dezelfde "
                             f"BSN ({eerste.tekst(kolom)!r})", where=r.waar(kolom))


def _rij_product(eerste: Any, r: Any, product: Any, lijst: Node, inv: Invulling) -> None:
    _zelfde_client(eerste, r)
    product(r, lijst, inv)


def _ontbrekend_in_rijen(p: Path, ontbrekend: list[tuple[Any, Any]]) -> list[str]:
    """The missing values of the rows as lines: per empty cell, and once per absent column
    (with the rows that needed it) instead of once per row."""
    regels: list[str] = []
    zonder_kolom: dict[str, tuple[list[int], list[str]]] = {}
    for r, o in ontbrekend:
        naam = o.plaatshouder
        if naam in r.kolommen:
            voor = f" ({', '.join(o.elementen)})" if o.elementen else ""
            regels.append(f"{r.waar(naam)}: leeg, maar {{{naam}}}{voor} is verplicht; vul de "
                          f"cel of geef --waarde {naam}=…")
        else:
            rijen, elementen = zonder_kolom.setdefault(naam, ([], []))
            rijen.append(r.nummer)
            elementen.extend(e for e in o.elementen if e not in elementen)
    for naam, (rijen, elementen) in zonder_kolom.items():
        voor = f" ({', '.join(elementen)})" if elementen else ""
        regels.append(f"{p.name}: geen waarde voor {{{naam}}}{voor} in rij(en) "
                      f"{', '.join(map(str, rijen))}: voeg een kolom {naam} toe of geef "
                      f"--waarde {naam}=…")
    return regels


def _uit_rijen(p: Path, o: Opties, rijen: list[Any], sleutel: Any,
               kop: Any, product: Any) -> list[Rijbericht]:
    """Shared loop: a header per client group, a product per row, every error collected.

    Every missing placeholder value of every row is collected too (see
    :func:`_ontbrekend_in_rijen`); a group's client data may come from the register."""
    fouten = _Fouten()
    ontbrekend: list[tuple[Any, Any]] = []
    uit: list[Rijbericht] = []
    for groep in _groepeer(rijen, sleutel):
        eerste = groep[0]
        waar = f"{p.name} rij {eerste.nummer}"
        invs: dict[int, Invulling] = {}
        ok = True
        for r in groep:
            gelukt, inv = fouten.probeer(_rij_invulling, r, o)
            if gelukt:
                invs[r.nummer] = inv
            ok = ok and gelukt
        if not ok:
            continue
        ok, kern = fouten.probeer(kop, eerste, invs[eerste.nummer])
        if not ok:
            continue
        b, client, lijst = kern
        for r in groep:
            gelukt, _ = fouten.probeer(_rij_product, eerste, r, product, lijst, invs[r.nummer])
            ok = ok and gelukt
        if ok:
            ok, _ = fouten.probeer(_pas_sjabloon_toe, client, o.sjabloon.client,
                                   invs[eerste.nummer], waar,
                                   _register_client(o, client.value("Bsn")))
        for r in groep:
            inv = invs[r.nummer]
            ontbrekend.extend((r, m) for m in inv.ontbrekend.values())
            if inv.ontbrekend:
                fouten.lijst.extend(f"{p.name} rij {r.nummer}: {m}" for m in inv.opmerkingen)
            ok = ok and not inv.ontbrekend
        if ok:
            herkomst = [h for r in groep for h in invs[r.nummer].herkomst]
            uit.append(Rijbericht(b, [r.nummer for r in groep], p.name, groep, o.sjabloon,
                                  herkomst))
    fouten.lijst.extend(_ontbrekend_in_rijen(p, ontbrekend))
    if fouten.lijst:
        raise fouten.melding(str(p))
    return uit


def jw301_uit_rijen(pad: str | os.PathLike[str], sjabloon: Sjabloon | None = None, *,
                    nummers: Nummerreeks | None = None, today: dt.date | None = None,
                    nu: dt.time | None = None, waarden: dict[str, str] | None = None,
                    omgeving: Omgeving | None = None) -> list[Rijbericht]:
    """One JW301 per client (gemeente, aanbieder, BSN) from the rows of an .xlsx/.csv file.

    Columns: :data:`JW301_KOLOMMEN` plus the template's placeholders. Every bad cell and
    every missing value is reported (row and column); with any error no message is returned
    and no ToewijzingNummer is taken. A placeholder's value comes from ``--waarde``, else its
    column, else (the client's address) the register, else the configuration.
    """
    p = Path(pad)
    o = opties("JW301", sjabloon, today, nu, waarden, nummers, omgeving)
    rijen, waar_kop = _rijen(p, [*JW301_KOLOMMEN, *o.sjabloon.placeholders()],
                             ["aanbieder", "bsn", "geboortedatum", "geslacht", "achternaam",
                              "ingangsdatum"])
    if not rijen:
        raise UsageError("geen datarijen", where=waar_kop)
    reeks = o.nummers or Nummerreeks()
    gebruikt: dict[str, int] = {}

    def kop(r: Any, inv: Invulling) -> tuple[Bericht, Node, Node]:
        afzender = _rij_afzender(r, o, "gemeente", "gemeentecode", inv)
        b = bm.new("JW301")
        _header(b, afzender, _cel(r, "aanbieder", "LDT_AgbCode", True, 8) or "", o.today)
        client = b.root.add("Client")
        _client_uit_rij(r, client)
        return b, client, client.add("ToegewezenProducten")

    def sleutel(r: Any) -> tuple[str, ...]:
        return (r.tekst("gemeente") or "", r.tekst("aanbieder") or "", r.tekst("bsn") or "")

    uit = _uit_rijen(p, o, rijen, sleutel, kop,
                     lambda r, lijst, inv: _product_rij(r, o, lijst, gebruikt, inv))
    _eigen_nummers_in_register(o, uit, p)
    # Numbers only now that every row is complete; a row's own number is never handed out.
    bezet = {nr: f"rij {rij} van {p.name}" for nr, rij in gebruikt.items()}
    for rb in uit:
        _nummer_toe(rb.bericht.producten, reeks, rb.bericht.root.value("Header/Afzender") or "",
                    bezet, str(p))
    return uit


def _eigen_nummers_in_register(o: Opties, uit: list[Rijbericht], p: Path) -> None:
    """A row's own ToewijzingNummer that the register already gave to another client of the
    same gemeente is refused (TR332); the same client's is a new version of its toewijzing."""
    reg = o.omgeving.register
    if reg is None:
        return
    fouten: list[str] = []
    for rb in uit:
        gemeente = rb.bericht.root.value("Header/Afzender") or None
        bsn = rb.bericht.root.value("Client/Bsn")
        for i, prod in enumerate(rb.bericht.producten):
            nr = prod.value("ToewijzingNummer")
            if not nr:
                continue
            e = reg.toewijzing(nr, gemeente)
            if e is None:
                continue
            ander = _als_bericht(e).root.value("Client/Bsn")
            if ander != bsn:
                r = rb.rij_objecten[i] if i < len(rb.rij_objecten) else None
                waar = r.waar("toewijzingnummer") if r is not None else rb.waar
                fouten.append(f"{waar}: ToewijzingNummer {nr} heeft gemeente {gemeente} in het "
                              f"register al aan een andere cliënt gegeven ({e.omschrijving}); "
                              "laat de cel leeg voor een nieuw nummer (TR332)")
    if fouten:
        raise RijFouten(fouten, where=str(p))


def _product_rij(r: Any, o: Opties, lijst: Node, gebruikt: dict[str, int],
                 inv: Invulling) -> Node:
    ingang = _cel(r, "ingangsdatum", "LDT_Datum", True)
    eind = _cel(r, "einddatum", "LDT_Datum")
    if ingang and eind and eind < ingang:
        raise UsageError(f"einddatum {eind} ligt vóór ingangsdatum {ingang} (CS003)",
                         where=r.waar("einddatum"))
    delen = {"volume": _cel(r, "volume", "LDT_Volume"),
             "eenheid": _cel(r, "eenheid", "LDT_Eenheid", False, 2),
             "frequentie": _cel(r, "frequentie", "LDT_Frequentie", False, 1)}
    budget = _cel(r, "budget", "LDT_Budget")
    omvang = None
    if any(delen.values()):
        for k, v in delen.items():
            if not v:
                raise UsageError("ontbreekt (volume, eenheid en frequentie horen bij elkaar)",
                                 where=r.waar(k))
        if budget:
            raise UsageError("geef omvang óf budget, niet beide", where=r.waar("budget"))
        omvang = Node("Omvang", CDT["CDT_Omvang"])
        omvang.add("Volume", delen["volume"])
        omvang.add("Eenheid", delen["eenheid"])
        omvang.add("Frequentie", delen["frequentie"])
    nummer_tekst = _cel(r, "toewijzingnummer", "LDT_Nummer")
    nummer = int(nummer_tekst) if nummer_tekst else None
    if nummer is not None:
        if str(nummer) in gebruikt:
            raise UsageError(f"ToewijzingNummer {nummer} komt al voor in rij "
                             f"{gebruikt[str(nummer)]} (TR332)", where=r.waar("toewijzingnummer"))
        gebruikt[str(nummer)] = r.nummer
    return _toewijzing(lijst, o, nummer,
                       referentie=_cel(r, "referentie_aanbieder", "LDT_Referentie"),
                       product=_product_uit_rij(r), ingang=ingang or "", eind=eind,
                       omvang=omvang, budget=budget, inv=inv,
                       waar=f"{r.naam} rij {r.nummer}",
                       commentaar=_cel(r, "commentaar", "LDT_Commentaar"))


def jw307_uit_rijen(pad: str | os.PathLike[str], sjabloon: Sjabloon | None = None, *,
                    today: dt.date | None = None, waarden: dict[str, str] | None = None,
                    omgeving: Omgeving | None = None) -> list[Rijbericht]:
    """One JW307 per client (aanbieder, gemeente, BSN) from the rows of an .xlsx/.csv file.

    Columns: :data:`JW307_KOLOMMEN` plus the template's placeholders; ``reden`` may be left
    empty when the template has a default.
    """
    p = Path(pad)
    o = opties("JW307", sjabloon, today, None, waarden, None, omgeving)
    rijen, waar_kop = _rijen(p, [*JW307_KOLOMMEN, *o.sjabloon.placeholders()],
                             ["gemeente", "bsn", "geboortedatum", "geslacht", "achternaam",
                              "begindatum", "einddatum"])
    if not rijen:
        raise UsageError("geen datarijen", where=waar_kop)

    def kop(r: Any, inv: Invulling) -> tuple[Bericht, Node, Node]:
        afzender = _rij_afzender(r, o, "aanbieder", "agb", inv)
        b = bm.new("JW307")
        _header(b, afzender, _cel(r, "gemeente", "LDT_Gemeente", True, 4) or "", o.today)
        client = b.root.add("Client")
        _client_uit_rij(r, client)
        return b, client, client.add("StopProducten")

    def sleutel(r: Any) -> tuple[str, ...]:
        return (r.tekst("aanbieder") or "", r.tekst("gemeente") or "", r.tekst("bsn") or "")

    return _uit_rijen(p, o, rijen, sleutel, kop,
                      lambda r, lijst, inv: _stop_rij(r, o, lijst, inv))


def _stop_rij(r: Any, o: Opties, lijst: Node, inv: Invulling) -> Node:
    begin = _cel(r, "begindatum", "LDT_Datum", True)
    eind = _cel(r, "einddatum", "LDT_Datum", True)
    assert begin is not None and eind is not None
    if eind < begin:
        raise UsageError(f"einddatum {eind} ligt vóór begindatum {begin}",
                         where=r.waar("einddatum"))
    if dt.date.fromisoformat(eind) > o.today:
        raise UsageError(f"einddatum {eind} ligt na de dagtekening {o.today} (TR134)",
                         where=r.waar("einddatum"))
    try:
        reden = _reden_beeindiging(_cel(r, "reden", None, False, 2), o)
    except UsageError as exc:
        raise UsageError(exc.message, where=r.waar("reden")) from None
    nummer = _cel(r, "toewijzingnummer", "LDT_Nummer")
    product = _product_uit_rij(r)
    toewijzing_ingang = _cel(r, "toewijzing_ingangsdatum", "LDT_Datum")
    status = _cel(r, "status", "LDT_StatusAanlevering") or o.sjabloon.standaard.get("status", "1")
    stop = lijst.add("StopProduct")
    if nummer:
        stop.add("ToewijzingNummer", nummer)
    if product is not None:
        _kopieer(product, stop)
    if toewijzing_ingang:
        stop.add("ToewijzingIngangsdatum", toewijzing_ingang)
    stop.add("Begindatum", begin)
    stop.add("RedenBeeindiging", reden)
    stop.add("Einddatum", eind)
    stop.add("StatusAanlevering", status)
    _pas_sjabloon_toe(stop, o.sjabloon.product, inv, f"{r.naam} rij {r.nummer}")
    return stop


# --- checking and writing ---------------------------------------------------------------------
def controleer(b: Bericht, today: dt.date | None = None, waar: str | None = None) -> bytes:
    """The message as iJw XML after the project's validator accepted it; else InvalidInput."""
    from ijwcli.validatie import validate_bytes

    xml = bm.to_xml(b)
    r = validate_bytes(xml, waar or b.code, today)
    if not r.valid:
        fouten = "; ".join(f"{e.rule} {e.path or ''} {e.message}".strip() for e in r.errors[:5])
        raise InvalidInput(f"het gegenereerde {b.code}-bericht is niet geldig: {fouten}",
                           where=waar)
    return xml


def controleer_rijen(berichten: list[Rijbericht], today: dt.date | None = None) -> list[bytes]:
    """Every message as XML after the validator accepted it, in order.

    Otherwise one :class:`InvalidInput` lists every finding of every message by the row and
    column it came from, like the cell checks do, so the user fixes the sheet in one go; the
    caller then writes nothing.
    """
    from ijwcli.validatie import validate_bytes

    fouten = _Fouten()
    uit: list[bytes] = []
    for rb in berichten:
        xml = bm.to_xml(rb.bericht)
        r = validate_bytes(xml, rb.waar, today)
        fouten.lijst.extend(f"{rb.plek(e.path, e.rule)}: {e.rule} {e.message}"
                            for e in r.errors)
        uit.append(xml)
    if fouten.lijst:
        raise fouten.melding(berichten[0].bron)
    return uit


def bestandsnaam(b: Bericht) -> str:
    """``JW301_436_<identificatie>.xml``: :func:`ijwcli.bestanden.berichtnaam`, the one
    scheme of every message file ijwcli writes."""
    from ijwcli.bestanden import berichtnaam

    return berichtnaam(b.code, b.definitie.berichtcode, b.identificatie)


def schrijf_alles(bestanden: list[tuple[Path, bytes]], force: bool = False,
                  invoer: Iterable[Path] = (), nummers: Nummerreeks | None = None,
                  register: Any = None, today: dt.date | None = None) -> None:
    """Write every file or none (see :mod:`ijwcli.bestanden`).

    The counter file (``nummers``) is saved after the temporary files are written and before
    they are renamed into place, so a number that reached an output file is always recorded.
    It is an input too, and never an output, even before it exists: its save would take the
    same temporary name as the output and leave the run half done.

    With a ``register`` every message is recorded in it as sent (richting ``uit``, see
    :func:`registreer`) at that same moment: if the register refuses, nothing is placed.
    """
    if nummers is not None and nummers.teller is not None:
        teller = nummers.teller.resolve()
        for pad, _ in bestanden:
            if pad.resolve() == teller:
                raise FileError("uitvoer zou het tellerbestand overschrijven; dat gebeurt nooit",
                                where=str(pad))

    def voor_vervangen() -> None:
        if nummers is not None:
            nummers.bewaar()
        if register is not None:
            registreer(register, [data for _, data in bestanden], today)

    _bestanden.schrijf_alles(bestanden, force, invoer, voor_vervangen=voor_vervangen)


def registreer(register: Any, berichten: list[bytes], today: dt.date | None = None
               ) -> list[Any]:
    """Record generated messages in the register as sent (richting ``uit``).

    Recorded when they are made, not when a transport confirms them: the register is then
    the one memory of the ToewijzingNummers given out and of the client's last address, also
    for the next run. Raises when the register refuses one (it validated as ``validate``).
    """
    uit = register.add(berichten, richting="uit", today=today)
    geweigerd = [r for r in uit if r.status == "geweigerd"]
    if geweigerd:
        raise InvalidInput(f"het register weigert het gegenereerde bericht: {geweigerd[0].reden}",
                           where=register.toon_locatie)
    return uit
