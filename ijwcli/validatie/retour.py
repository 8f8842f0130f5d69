"""Retourberichten: the answer to an incoming JW301, JW305, JW307, JW315, JW317 or JW319.

:func:`maak` validates the message (file rules, schema, the rule layer, optionally a regio)
and builds the matching retourbericht (JW302, JW306, JW308, JW316, JW318, JW320):

- the header of the original (Afzender, Ontvanger, BerichtIdentificatie, XsdVersie) with a
  new IdentificatieRetour, DagtekeningRetour (``today``) and XsdVersieRetour;
- when a rule with retourcode 0001 fails, the message is rejected for technical reasons:
  the header carries RetourCode 0001 and the body is left out;
- otherwise the body is copied and every class that the standard gives RetourCodes gets
  them: the retourcode of each failing rule at the deepest class that holds the element,
  0200 where a class is fine. Header findings (TR135, TR378 on a header party) go in the
  header's RetourCodes, else the header carries 0200;
- a retourbericht that the schema would refuse is never made: when a copied header value is
  itself invalid (an Afzender with a letter, a 13-character Identificatie), :func:`maak`
  raises :class:`InvalidInput` instead.

Regional findings (``regio``) are reported beside the retourbericht, not in it: WJ001 has no
retourcode for a regional agreement; a gemeente answers those with a JW319 antwoordbericht.

>>> voorbeeld = Path(__file__).parents[2] / "samples" / "jw301_toewijzing.xml"
>>> r = maak(voorbeeld, today=dt.date(2026, 3, 3), identificatie="R1")
>>> r.bericht.code, r.bericht.root.value("Header/IdentificatieRetour"), r.afgekeurd
('JW302', 'R1', False)
>>> r.bericht.root.findall("Client/RetourCodes/RetourCode")[0].text
'0200'
>>> r.bestandsnaam
'JW302_437_T2026030201.xml'
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ijwcli import bericht as bm
from ijwcli import bestanden
from ijwcli.errors import FileError, InvalidInput, InvalidMessage, UsageError
from ijwcli.model.berichten import BERICHTEN
from ijwcli.validatie.regels import Bevinding

if TYPE_CHECKING:
    from ijwcli.validatie import Resultaat

AFGEKEURD = "0001"
GEEN_OPMERKING = "0200"
HEEN = ("JW301", "JW305", "JW307", "JW315", "JW317", "JW319")
_HEADER_KOPIE = ("Afzender", "Ontvanger", "BerichtIdentificatie", "XsdVersie")
# Findings after which the cross-message rules have no reliable tree to read.
_ONLEESBAAR = ("XSD", "OP192", "MARKUP")


@dataclass
class Retour:
    bron: str
    origineel: str  # message code of the incoming message
    bericht: bm.Bericht
    bevindingen: list[Bevinding] = field(default_factory=list)
    regio: list[Bevinding] = field(default_factory=list)

    @property
    def afgekeurd(self) -> bool:
        return any(b.retourcode == AFGEKEURD for b in self.bevindingen)

    @property
    def bestandsnaam(self) -> str:
        ident = self.bericht.root.value("Header/BerichtIdentificatie/Identificatie")
        d = self.bericht.definitie
        return bestanden.berichtnaam(d.code, d.berichtcode, ident)

    @cached_property
    def xml(self) -> bytes:
        """The retourbericht as file content (built once: :func:`maak` checks it, and
        :func:`schrijf` writes the same bytes)."""
        return bm.to_xml(self.bericht)

    def retourcodes(self) -> list[str]:
        """Every RetourCode in the message, in document order."""
        return [n.text or "" for n in self.bericht.root.iter() if n.name == "RetourCode"]

    def to_dict(self) -> dict[str, object]:
        return {"file": self.bron, "bericht": self.origineel, "retour": self.bericht.code,
                "afgekeurd": self.afgekeurd, "retourcodes": self.retourcodes(),
                "bevindingen": [b.to_dict() for b in self.bevindingen],
                "regio": [{**b.to_dict(), "waarschuwing": b.waarschuwing} for b in self.regio]}


def _paden(node: bm.Node, prefix: str, out: list[tuple[str, bm.Node]]) -> None:
    """(path, node) of every class node below ``node``, paths as
    :func:`ijwcli.validatie.regels.pad`."""
    namen = [c.name for c in node.children]
    teller: dict[str, int] = {}
    for c in node.children:
        if c.klasse is None:
            continue
        teller[c.name] = teller.get(c.name, 0) + 1
        deel = f"{c.name}[{teller[c.name]}]" if namen.count(c.name) > 1 else c.name
        pad = f"{prefix}/{deel}" if prefix else deel
        out.append((pad, c))
        _paden(c, pad, out)


def _met_retourcodes(node: bm.Node) -> bool:
    try:
        node.klasse.element("RetourCodes")  # type: ignore[union-attr]
    except KeyError:
        return False
    return True


def _zet_codes(node: bm.Node, codes: list[str]) -> None:
    rc = node.add("RetourCodes")
    for code in dict.fromkeys(codes or [GEEN_OPMERKING]):
        rc.add("RetourCode", code)


def _lees(bron: Path) -> tuple[bytes, str]:
    try:
        return bron.read_bytes(), str(bron)
    except OSError as exc:
        raise FileError(f"kan {bron} niet lezen: {exc.strerror}") from None


# Judges a message across messages: (tree, bytes) → findings (see
# ijwcli.validatie.overstijgend; the register that supplies the history sits above this layer).
Beoordelaar = Callable[[etree._ElementTree, bytes], list[Bevinding]]


def maak(bron: str | os.PathLike[str], today: dt.date | None = None, regio: str | None = None,
         identificatie: str | None = None, beoordelaar: Beoordelaar | None = None) -> Retour:
    """The retourbericht for the message in file ``bron``; raises :class:`InvalidInput` when
    the file is no readable JW301/305/307/315/317/319 (then there is no header to answer).

    ``beoordelaar`` adds the findings of the cross-message rules (a start without toewijzing:
    9019) to those of the message itself; it runs only on a message the schema accepts."""
    data, naam = _lees(Path(bron))
    return maak_bytes(data, naam, today, regio, identificatie, beoordelaar)


def maak_bytes(data: bytes, naam: str, today: dt.date | None = None, regio: str | None = None,
               identificatie: str | None = None, beoordelaar: Beoordelaar | None = None,
               resultaat: Resultaat | None = None) -> Retour:
    """:func:`maak` for a message already read: ``data`` its bytes, ``naam`` its source;
    ``resultaat`` its validation when the caller has just made it (without ``regio``)."""
    from ijwcli.validatie import validate_tree

    today = today or dt.date.today()
    try:
        tree = bm.read_tree(data)
        d = bm.definitie_van(tree)
    except InvalidMessage as exc:
        raise InvalidInput(f"geen retourbericht mogelijk: {exc.message}", where=naam) from None
    if d.code not in HEEN:
        raise InvalidInput(f"{d.code} krijgt geen retourbericht van ijwcli (alleen "
                           f"{', '.join(HEEN)})", where=naam)
    if resultaat is None or regio:
        resultaat = validate_tree(tree, naam, today, **({"regio": regio} if regio else {}))
    standaard = [b for b in resultaat.errors if not _is_regio(b)]
    if beoordelaar is not None and not any(b.rule in _ONLEESBAAR for b in standaard):
        standaard += beoordelaar(tree, data)
    regionaal = [b for b in resultaat.errors + resultaat.warnings if _is_regio(b)]
    origineel = bm.from_tree(tree)
    retour = bm.new(BERICHTEN[d.code].retour or "")
    header = retour.header
    for veld in _HEADER_KOPIE:
        bron_node = origineel.root.find(f"Header/{veld}")
        if bron_node is None:
            raise InvalidInput(f"de Header mist {veld}: geen retourbericht mogelijk", where=naam)
        header.children = [c for c in header.children if c.name != veld]
        kopie = header.add(veld, None if bron_node.klasse else bron_node.text)
        if bron_node.klasse is not None:
            try:
                kopie.fill(bron_node.to_dict())  # type: ignore[arg-type]
            except KeyError as exc:
                # An element the model does not know (the schema finding says which): there
                # is no valid header to copy, so no answer, and the other inputs go on.
                raise InvalidInput(f"de Header/{veld} bevat een onbekend element "
                                   f"({exc.args[0] if exc.args else exc}): geen retourbericht "
                                   "mogelijk", where=naam) from None
    header.set("IdentificatieRetour", identificatie or str(uuid.uuid4())[:12])
    header.set("DagtekeningRetour", today.isoformat())
    header.set("XsdVersieRetour/BasisschemaXsdVersie", bm.XSD_VERSIE)
    header.set("XsdVersieRetour/BerichtXsdVersie", bm.XSD_VERSIE)
    r = Retour(naam, d.code, retour, standaard, regionaal)
    if r.afgekeurd:
        _zet_codes(header, [AFGEKEURD])
    else:
        _vul_body(r, origineel)
    _controleer_schema(r)
    return r


def _controleer_schema(r: Retour) -> None:
    """Refuse a retourbericht the schema would refuse. The header (and the body of an
    accepted message) is copied from the original, so an invalid value there, which the
    original's own 0001 does not repair, would make the answer invalid too."""
    from ijwcli.model.schema import schema
    from ijwcli.validatie.regels.xsd import bevindingen

    s = schema(r.bericht.code)
    if not s.validate(etree.fromstring(r.xml)):
        fout = bevindingen(s)[0]
        raise InvalidInput(f"geen geldig retourbericht mogelijk: {fout.path} "
                           f"({fout.message.rstrip('.')}; "
                           "overgenomen uit het bericht)", where=r.bron)


def _vul_body(r: Retour, origineel: bm.Bericht) -> None:
    """Copy the body and give every class that has them its RetourCodes."""
    retour, header, standaard = r.bericht, r.bericht.header, r.bevindingen
    body = origineel.root.children[1:]  # everything after the Header
    for b in body:
        nieuw = retour.root.add(b.name)
        try:
            nieuw.fill(b.to_dict())  # type: ignore[arg-type]
        except KeyError as exc:
            raise InvalidInput(f"{b.name} bevat een onbekend element "
                               f"({exc.args[0] if exc.args else exc}): geen retourbericht "
                               "mogelijk", where=r.bron) from None
    klassen: list[tuple[str, bm.Node]] = []
    _paden(retour.root, "", klassen)
    codes: dict[int, list[str]] = {}
    header_codes: list[str] = []
    for f in standaard:
        doel = None
        for pad, node in klassen:
            if (f.path == pad or (f.path or "").startswith(pad + "/")) and _met_retourcodes(node):
                doel = node  # later entries are deeper: the last match is the deepest class
        if doel is None or doel is header:
            header_codes.append(f.retourcode)
        else:
            codes.setdefault(id(doel), []).append(f.retourcode)
    _zet_codes(header, header_codes)
    for _pad, node in klassen:
        if node is not header and _met_retourcodes(node):
            _zet_codes(node, codes.get(id(node), []))


def _is_regio(b: Bevinding) -> bool:
    return b.rule.startswith(("HVB-", "FL-"))


def doelpad(retour: Retour, uit: str | os.PathLike[str]) -> Path:
    """Where the retourbericht goes: ``uit`` itself if it ends in .xml, else a file in the
    directory ``uit`` named after BerichtCode and Identificatie."""
    doel = Path(uit)
    return doel if doel.suffix.lower() == ".xml" else doel / retour.bestandsnaam


def schrijf(retour: Retour, uit: str | os.PathLike[str], force: bool = False) -> Path:
    """Write the retourbericht into directory ``uit`` (or to file ``uit`` if it ends in .xml),
    atomically; an existing file is only replaced with ``force``, an input file never."""
    doel = doelpad(retour, uit)
    bestanden.controleer_doelen([doel], force, invoer=[Path(retour.bron)])
    bestanden.schrijf_atomair(doel, retour.xml)
    return doel


@dataclass
class Batch:
    """What :func:`beantwoord` did: the retourberichten written and the inputs refused."""

    geschreven: list[tuple[Retour, Path]] = field(default_factory=list)
    geweigerd: list[tuple[str, str]] = field(default_factory=list)  # (file, why not)

    @property
    def met_bevindingen(self) -> int:
        # A regional warning asks for a look; like validate, it does not count as a finding.
        return sum(bool(r.bevindingen or any(not b.waarschuwing for b in r.regio))
                   for r, _ in self.geschreven)

    @property
    def alles_goed(self) -> bool:
        """Every input answered, and every answer without findings."""
        return not self.geweigerd and not self.met_bevindingen

    def to_dict(self) -> dict[str, object]:
        return {"summary": {"files": len(self.geschreven) + len(self.geweigerd),
                            "geschreven": len(self.geschreven),
                            "met_bevindingen": self.met_bevindingen,
                            "geweigerd": len(self.geweigerd)},
                "results": [{**r.to_dict(), "output": str(d)} for r, d in self.geschreven],
                "geweigerd": [{"file": f, "fout": reden} for f, reden in self.geweigerd]}


def beantwoord(bronnen: list[str | os.PathLike[str]], uit: str | os.PathLike[str],
               today: dt.date | None = None, regio: str | None = None,
               force: bool = False, stap: Callable[[], object] | None = None,
               beoordelaar: Beoordelaar | None = None) -> Batch:
    """Make and write the retourbericht of every input file (``stap()`` after each: a
    progress bar's hook).

    An input that cannot be answered (no XML, no header to copy, not an incoming message
    type) is refused on its own and the others still get their answer: one bad file in an
    inbox must not hold up the rest. Writing is all or nothing, and every target is checked
    before the first is written: an existing file without ``force``, an input file, or two
    inputs that would get the same file name (two senders may use the same Identificatie)
    raise :class:`FileError` and leave no file behind.
    """
    if len(bronnen) > 1 and Path(uit).suffix.lower() == ".xml":
        raise UsageError("-o naar één .xml-bestand kan alleen bij één invoerbestand")
    today = today or dt.date.today()  # one DagtekeningRetour for the whole batch
    batch = Batch()
    retouren: list[Retour] = []
    for bron in bronnen:
        try:
            retouren.append(maak(bron, today, regio, beoordelaar=beoordelaar))
        except InvalidInput as exc:
            batch.geweigerd.append((str(bron), exc.message))
        if stap is not None:
            stap()
    doelen = [doelpad(r, uit) for r in retouren]
    eerder: dict[Path, str] = {}
    for r, doel in zip(retouren, doelen, strict=True):
        echt = doel.resolve()
        if echt in eerder:
            raise FileError(f"{eerder[echt]} en {r.bron} krijgen dezelfde bestandsnaam "
                            "(zelfde berichttype en Identificatie); niets geschreven",
                            where=str(doel))
        eerder[echt] = r.bron
    bestanden.schrijf_alles([(d, r.xml) for r, d in zip(retouren, doelen, strict=True)], force,
                            invoer=[Path(b) for b in bronnen])
    batch.geschreven = list(zip(retouren, doelen, strict=True))
    return batch
