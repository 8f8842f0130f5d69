"""The daily job: every new message in an inbox imported, judged, answered and archived.

:func:`verwerk` takes each message of an inbox folder in the order of the traffic
(Dagtekening, then file name) and, one message at a time:

1. judges it with every rule: those inside the message (as ``ijwcli validate``) and the
   berichtoverstijgende rules against the register *as it was before this message*
   (:func:`beoordeel`; :mod:`ijwcli.validatie.overstijgend`);
2. imports it with that verdict (a message the cross-message rules reject is remembered
   but changes no state: a refused start is no start);
3. writes its answer to the outbox, if it is an incoming message that gets one: the
   retourbericht (JW302/306/308/316/318/320) with the retourcodes of every finding, and
   for a declaratie the JW325 (:mod:`ijwcli.generatie.jw325`: each prestatie approved or
   refused with its retourcodes) unless the caller says no; then records the answer in
   the register;
4. moves the file to the archive folder (or leaves it, without one).

**Exactly once.** The register is the memory: a message whose answer is already in the
register is not answered again (run twice: nothing answered twice). Each step is atomic and
the answer is written before it is recorded, so a run killed anywhere leaves at worst an
answer written but not yet recorded; the rerun makes the same answer again (the
IdentificatieRetour follows from the message's bytes) and puts it on the same file. One bad
file never stops the rest. :func:`vergrendel` keeps two runs off the same inbox.

>>> import shutil, tempfile, datetime as dt
>>> from pathlib import Path
>>> from ijwcli.config import Config
>>> from ijwcli.register import open_register
>>> d = Path(tempfile.mkdtemp())
>>> inbox = d / "inbox"; inbox.mkdir()
>>> _ = shutil.copy("samples/jw305_start.xml", inbox)
>>> reg = open_register(str(d / "reg.db"), Config(rol="gemeente", code="0855"))
>>> v = verwerk(inbox, d / "uit", reg, "gemeente", today=dt.date(2026, 3, 11))
>>> u = v.uitkomsten[0]
>>> u.status, u.bericht, [(b.rule, b.retourcode) for b in u.bevindingen]
('beantwoord', 'JW305', [('TR019', '9019')])
>>> u.antwoord.name
'JW306_439_S2026031001.xml'
>>> verwerk(inbox, d / "uit", reg, "gemeente", today=dt.date(2026, 3, 11)).uitkomsten[0].status
'al beantwoord'
>>> reg.close()
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from ijwcli.config import Config, laad_config, register_locatie
from ijwcli.errors import FileError, IjwError, InvalidInput, InvalidMessage, UsageError
from ijwcli.validatie.regels import Bevinding

if TYPE_CHECKING:
    from ijwcli.register import Register
    from ijwcli.validatie.overstijgend import Rol

SLOT = ".ijwcli-verwerk.lock"
# Findings after which the cross-message rules have no reliable tree to read.
_ONLEESBAAR = ("XSD", "OP192", "MARKUP")
# What each role answers: a gemeente the aanbieder's messages, an aanbieder the gemeente's.
ANTWOORDT = {"gemeente": ("JW305", "JW307", "JW315", "JW317", "JW323"),
             "aanbieder": ("JW301", "JW319")}


# --- the register and the role, for validate, retour and verwerk ------------------------
def open_bestaand(db: str | None = None, config: Config | None = None) -> Register:
    """Open a configured register that must already exist (a SQLite file that is not there
    is an error, never created empty: judging only reads)."""
    from ijwcli.register import open_register

    config = config if config is not None else laad_config()
    locatie, bron = register_locatie(db, config)
    if "://" not in locatie and not Path(locatie.removeprefix("sqlite:")).exists():
        raise FileError(f"het register bestaat niet (uit {bron}); importeer eerst berichten "
                        "(ijwcli register add) of gebruik --zonder-register", where=locatie)
    return open_register(db, config)


def rol_van(config: Config, rol: str | None = None) -> Rol:
    """The own role: ``rol`` (an option), else ``rol`` in ijwcli.toml; a usage error without.
    """
    gekozen = rol or config.rol
    if gekozen not in ("gemeente", "aanbieder"):
        waar = f" ({config.bestand})" if config.bestand else ""
        raise UsageError("de berichtoverstijgende regels hebben de eigen rol nodig: zet "
                         f'rol = "gemeente" of rol = "aanbieder" in ijwcli.toml{waar}, '
                         "of gebruik --zonder-register")
    return gekozen  # type: ignore[return-value]


def beoordeel(reg: Register, tree: etree._ElementTree, data: bytes, rol: Rol,
              today: dt.date | None = None, tarieven: object | None = None) -> list[Bevinding]:
    """The findings of the cross-message rules for one message, judged against the
    register as it was before it (a message already in the register against the messages
    imported before it)."""
    from ijwcli.validatie import overstijgend

    return overstijgend.controleer(tree, reg.historie(data), rol, today, tarieven=tarieven,
                                   inhoud=data)


def beoordelaar(reg: Register, rol: Rol, today: dt.date | None = None,
                tarieven: object | None = None,
                ) -> Callable[[etree._ElementTree, bytes], list[Bevinding]]:
    """:func:`beoordeel` bound to one register, role and date (for ``retour``)."""
    def oordeel(tree: etree._ElementTree, data: bytes) -> list[Bevinding]:
        return beoordeel(reg, tree, data, rol, today, tarieven)

    return oordeel


def laad_tarieven(pad: str | None) -> object | None:
    """The contract tariffs of TR418 (a CSV: productcode, tarief, …), or ``None``."""
    if not pad:
        return None
    from ijwcli.validatie.overstijgend.tarieven import Tarieven

    try:
        return Tarieven.laad(pad)
    except InvalidInput as exc:
        raise UsageError(exc.message, where=exc.where) from None


def aanvullen(resultaat: Any, reg: Register, rol: Rol, today: dt.date | None,
              tarieven: object | None = None, data: bytes | None = None) -> None:
    """Add the cross-message findings to a :class:`ijwcli.validatie.Resultaat` in place
    (``validate`` with a register); a message the schema refuses is left as it is."""
    from ijwcli.bericht import read_tree

    if resultaat.bericht is None or any(e.rule in _ONLEESBAAR for e in resultaat.errors):
        return
    if data is None:
        try:
            with open(resultaat.file, "rb") as fh:
                data = fh.read()
        except OSError:
            return
    try:
        tree = read_tree(data)
    except InvalidMessage:
        return
    extra = beoordeel(reg, tree, data, rol, today, tarieven)
    if extra:
        resultaat.errors = sorted(resultaat.errors + extra, key=lambda e: e.line or 0)


# --- the lock ---------------------------------------------------------------------------
@contextmanager
def vergrendel(inbox: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the inbox's lock (``.ijwcli-verwerk.lock``, an flock) for the ``with`` block;
    a second run on the same inbox meanwhile gets a :class:`FileError` at once. The lock
    goes with the process: a killed run leaves no lock behind."""
    import fcntl

    pad = Path(inbox) / SLOT
    try:
        fd = os.open(pad, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise FileError(f"kan het slot niet maken: {exc.strerror}", where=str(pad)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FileError("er loopt al een verwerk op deze inbox (slot bezet); probeer het "
                            "later opnieuw", where=str(pad)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield pad
    finally:
        os.close(fd)


# --- the job ----------------------------------------------------------------------------
@dataclass
class Uitkomst:
    """What happened to one inbox file.

    ``status``: ``beantwoord`` (answer written), ``al beantwoord`` (answered by an earlier
    run), ``ingelezen`` (imported; nothing to answer: a retourbericht, a JW325, …),
    ``geweigerd`` (no answer possible: ``reden`` says why; the file stays in the inbox).
    """

    bron: str
    status: str
    bericht: str | None = None
    identificatie: str | None = None
    richting: str | None = None
    bevindingen: list[Bevinding] = field(default_factory=list)
    antwoord: Path | None = None
    antwoord_bericht: str | None = None
    retourcodes: list[str] = field(default_factory=list)
    archief: Path | None = None
    reden: str | None = None

    @property
    def goed(self) -> bool:
        return self.status != "geweigerd" and not self.bevindingen

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.bron, "bericht": self.bericht, "identificatie": self.identificatie,
                "richting": self.richting, "status": self.status,
                "antwoord": str(self.antwoord) if self.antwoord else None,
                "antwoord_bericht": self.antwoord_bericht, "retourcodes": self.retourcodes,
                "archief": str(self.archief) if self.archief else None,
                "bevindingen": [b.to_dict() for b in self.bevindingen], "reden": self.reden}


@dataclass
class Verslag:
    """The report of one run."""

    uitkomsten: list[Uitkomst] = field(default_factory=list)

    def telling(self) -> dict[str, int]:
        n = {s: sum(u.status == s for u in self.uitkomsten)
             for s in ("beantwoord", "al beantwoord", "ingelezen", "geweigerd")}
        return {"berichten": len(self.uitkomsten), "beantwoord": n["beantwoord"],
                "al_beantwoord": n["al beantwoord"], "ingelezen": n["ingelezen"],
                "geweigerd": n["geweigerd"],
                "met_bevindingen": sum(bool(u.bevindingen) for u in self.uitkomsten),
                "geschreven": sum(u.antwoord is not None and u.status == "beantwoord"
                                  for u in self.uitkomsten)}

    @property
    def alles_goed(self) -> bool:
        return all(u.goed for u in self.uitkomsten)


_DAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Dagtekening>\s*(\d{4}-\d{2}-\d{2})\s*<")


def volgorde(bestanden: Sequence[Path]) -> list[Path]:
    """The inbox in the order of the traffic: by the header's Dagtekening (the first one
    in the file), then by name; a file without one first (it is refused at once)."""
    def sleutel(p: Path) -> tuple[str, str]:
        try:
            with open(p, "rb") as fh:
                m = _DAG.search(fh.read(8192))
        except OSError:
            m = None
        return (m.group(1).decode() if m else "", str(p))

    return sorted(bestanden, key=sleutel)


def identificatie_retour(data: bytes) -> str:
    """The IdentificatieRetour of the answer to ``data``: from its bytes, so a rerun after
    an interruption makes the very same retourbericht (and never a second one)."""
    import hashlib  # here: validate and retour import this module to ask for a register

    return "R" + hashlib.sha256(data).hexdigest()[:11].upper()


def _archiveer(pad: Path, inbox: Path, archief: Path | None) -> Path | None:
    if archief is None:
        return None
    try:
        rel = pad.resolve().relative_to(inbox.resolve())
    except ValueError:
        rel = Path(pad.name)
    doel = archief / rel
    n = 1
    while doel.exists():
        # The same name again on another day (a resent message): keep both.
        n += 1
        doel = doel.with_name(f"{Path(rel.name).stem}.{n}{pad.suffix}")
    doel.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(pad, doel)
    except OSError:
        import shutil

        shutil.move(str(pad), str(doel))
    return doel


def _schrijf_antwoord(uit: Path, naam: str, xml: bytes, eigen_id: str) -> Path:
    """Put the answer in the outbox. The file of an earlier, interrupted run for the same
    message (same IdentificatieRetour) is replaced; another message's answer with the same
    name (two senders, one Identificatie) is kept and this one gets a suffix."""
    from ijwcli import bestanden

    doel = uit / naam
    n = 1
    while doel.exists():
        try:
            oud = doel.read_bytes()
        except OSError:
            oud = b""
        if f">{eigen_id}<".encode() in oud:
            break
        n += 1
        doel = uit / f"{Path(naam).stem}.{n}.xml"
    if doel.parent.is_dir():
        import glob

        # A run killed while writing this very answer left its temporary file (never a
        # half-written .xml); this rerun writes the answer, so the leftover goes.
        for oud in doel.parent.glob(f".{glob.escape(doel.name[:100])}.*.tmp"):
            with contextlib.suppress(OSError):
                oud.unlink()
    bestanden.schrijf_atomair(doel, xml, force=True)
    return doel


def verwerk(inbox: str | os.PathLike[str], uit: str | os.PathLike[str], reg: Register,
            rol: Rol, *, today: dt.date | None = None, archief: str | os.PathLike[str] | None
            = None, jw325: bool = True, tarieven: object | None = None,
            stap: Callable[[], object] | None = None) -> Verslag:
    """Process every message in folder ``inbox`` (see the module docstring); answers go to
    folder ``uit``, processed files to ``archief`` (``None``: they stay). Hold
    :func:`vergrendel` around it when runs may overlap."""
    from ijwcli.validatie import expand

    inbox, uit = Path(inbox), Path(uit)
    if not inbox.is_dir():
        raise FileError("de inbox is geen map", where=str(inbox))
    arch = Path(archief) if archief is not None else None
    today = today or dt.date.today()
    weg = [p.resolve() for p in (uit, arch) if p is not None]
    bestanden = [p for p in expand([inbox])
                 if not any(q == p.resolve().parent or q in p.resolve().parents for q in weg)]
    verslag = Verslag()
    for pad in volgorde(bestanden):
        try:
            u = _een(pad, inbox, uit, arch, reg, rol, today, tarieven, jw325)
        except (IjwError, OSError) as exc:
            reden = exc.message if isinstance(exc, IjwError) else (exc.strerror or str(exc))
            u = Uitkomst(str(pad), "geweigerd", reden=reden)
        verslag.uitkomsten.append(u)
        if stap is not None:
            stap()
    return verslag


def _een(pad: Path, inbox: Path, uit: Path, archief: Path | None, reg: Register, rol: Rol,
         today: dt.date, tarieven: object | None, jw325: bool) -> Uitkomst:
    from ijwcli import validatie
    from ijwcli.bericht import definitie_van, read_tree
    from ijwcli.validatie import retour as rt

    naam = str(pad)
    try:
        data = pad.read_bytes()
    except OSError as exc:
        return Uitkomst(naam, "geweigerd", reden=f"kan het bestand niet lezen: {exc.strerror}")
    try:
        tree = read_tree(data)
        code = definitie_van(tree).code
    except InvalidMessage as exc:
        reg.add(data)  # remembered with its findings, for the register's overview
        return Uitkomst(naam, "geweigerd", bevindingen=[Bevinding(
            exc.rule, "0001", None, exc.line, exc.message)],
            reden="geen iJw-bericht: geen retourbericht mogelijk")
    # 0. Already answered by an earlier run (the same bytes, their answer recorded): nothing
    # to judge or write again, only the archiving that run did not get to.
    bekend = reg.bekend(data)
    if bekend is not None and code in ANTWOORDT[rol] and reg.antwoord(bekend) is not None:
        u = Uitkomst(naam, "al beantwoord", code, _ident(tree),
                     _richting(tree, code, reg.config.code))
        if u.richting == "in":
            u.archief = _archiveer(pad, inbox, archief)
            return u
    # 1. Judged: in-message rules, then against the register before this message.
    resultaat = validatie.validate_tree(tree, naam, today, data=data)
    eigen = resultaat.errors
    kruis: list[Bevinding] = []
    if not any(e.rule in _ONLEESBAAR for e in eigen):
        kruis = beoordeel(reg, tree, data, rol, today, tarieven)
    # 2. Imported with that verdict.
    imp = reg.add(data, today=today, bevindingen=[b.to_dict() for b in kruis],
                  eigen=[b.to_dict() for b in eigen])[0]
    richting = imp.richting or _richting(tree, code, reg.config.code)
    u = Uitkomst(naam, "ingelezen", code, imp.identificatie or _ident(tree), richting,
                 sorted(eigen + kruis, key=lambda e: e.line or 0))
    if imp.status == "geweigerd" or imp.sleutel is None:
        u.status, u.reden = "geweigerd", imp.reden
        return u
    # 3. Answered, when it is ours to answer and not answered yet.
    if richting == "in" and code in ANTWOORDT[rol]:
        if reg.antwoord(imp.sleutel) is not None:
            u.status = "al beantwoord"
        elif code == "JW323":
            if jw325:
                _jw325(u, data, naam, uit, reg, today, tarieven)
        else:
            try:
                r = rt.maak_bytes(data, naam, today, identificatie=identificatie_retour(data),
                                  beoordelaar=lambda _t, _d: kruis, resultaat=resultaat)
            except InvalidInput as exc:
                u.status, u.reden = "geweigerd", exc.message
                return u
            u.antwoord = _schrijf_antwoord(uit, r.bestandsnaam, r.xml,
                                           identificatie_retour(data))
            reg.registreer_antwoord(imp.sleutel, r.xml)
            u.status, u.antwoord_bericht, u.retourcodes = "beantwoord", r.bericht.code, \
                list(dict.fromkeys(r.retourcodes()))
    elif richting is None:
        u.status = "geweigerd"
        eigen = reg.config.code or "geen code in ijwcli.toml"
        u.reden = f"{code} is niet van of aan de eigen code ({eigen}): niet beantwoord"
        return u
    # 4. Archived.
    u.archief = _archiveer(pad, inbox, archief)
    return u


def _richting(tree: Any, code: str, eigen: str | None) -> str | None:
    """``in`` or ``uit`` seen from the own code (a known message's import does not say)."""
    from ijwcli.model.berichten import BERICHTEN
    from ijwcli.validatie.overstijgend.verkeer import header

    kop = header(tree.getroot())
    van, naar = kop.get("Afzender"), kop.get("Ontvanger")
    if BERICHTEN[code].heen:  # a retourbericht carries its heen-bericht's header
        van, naar = naar, van
    return "uit" if eigen and van == eigen else "in" if eigen and naar == eigen else None


def _ident(tree: Any) -> str | None:
    from ijwcli.validatie.overstijgend.verkeer import header

    kop = header(tree.getroot())
    return kop.get("IdentificatieRetour") or kop.get("BerichtIdentificatie/Identificatie")


def _jw325(u: Uitkomst, data: bytes, naam: str, uit: Path, reg: Register, today: dt.date,
           tarieven: object | None) -> None:
    """The declaratie-antwoord (:mod:`ijwcli.generatie.jw325`), written, then recorded. Its
    Identificatie follows from the declaratie, so a rerun makes the very same file."""
    from ijwcli.errors import AlBeantwoord
    from ijwcli.generatie import jw325

    try:
        a = jw325.maak(data, register=reg, tarieven=tarieven, today=today,  # type: ignore[arg-type]
                       bron=naam)
    except AlBeantwoord:
        u.status = "al beantwoord"
        return
    u.antwoord = _schrijf_antwoord(uit, a.bestandsnaam, a.xml, a.identificatie)
    try:
        jw325.registreer(a, reg)
    except AlBeantwoord:
        pass  # recorded by a run that was cut off between its record and its archiving
    u.status, u.antwoord_bericht = "beantwoord", "JW325"
    u.retourcodes = list(dict.fromkeys(
        e.text or "" for e in etree.fromstring(a.xml).iter("{*}RetourCode")))
