"""The antwoordbericht (JW319): a gemeente's answer to a verzoek (JW315, JW317) it does not honour.

A verzoek is honoured with a JW301 (``ijwcli generate jw301``); otherwise the gemeente answers
it with a JW319: *afgewezen* (VerzoekAntwoord 1, with a RedenAfwijzingVerzoek; reden 8,
Woonplaatsbeginsel, names the gemeente where the client lives: TR377, TR409) or *in onderzoek*
(VerzoekAntwoord 2, without a reden: CD086). One JW319 answers one ReferentieAanbieder: a
JW315 with several gets one for each (or only the one asked for, ``referentie``).

The library contract::

    maak(verzoek, antwoord, *, reden=None, woonplaatsbeginsel=None, referentie=None,
         register=None, historie=None, today=None, bron=None) -> list[Antwoordbericht]
    registreer(antwoord, register) -> str                # the JW319's id in the register
    schrijf(antwoorden, uit, *, register=None, force=False) -> list[Path]

``antwoord`` is ``afgewezen`` or ``in-onderzoek`` (or the codes 1 and 2). Every JW319 is
checked by the project's validator and against the traffic (``register.historie`` of the
answer, or ``historie``), from the gemeente's side:

- TR355: the ReferentieAanbieder is that of an earlier verzoek (the one answered here);
- TR359: no JW319 once a JW301 with that ReferentieAanbieder was sent;
- TR360: "in onderzoek" at most once, and only as the first answer;
- TR365: after a rejection no further answer.

A JW319 that would break one of them is not made: :class:`~ijwcli.errors.InvalidInput`
names the rule and the earlier message. :func:`registreer` records the answer (and the
verzoek, when the register does not have it yet), so the next answer is judged against it.

>>> import datetime as dt
>>> [a] = maak("samples/jw315_verzoek_om_toewijzing.xml", "afgewezen", reden="8",
...            woonplaatsbeginsel="0363", historie=[], today=dt.date(2026, 3, 1))
>>> a.referentie, a.verzoekantwoord, a.bericht.root.value("Antwoord/Woonplaatsbeginsel/Gemeente")
('VZ-2026-0042', '1', '0363')
>>> a.bericht.root.value("Header/Afzender"), a.bericht.root.value("Header/Ontvanger")
('0855', '12345678')
>>> maak("samples/jw315_verzoek_om_toewijzing.xml", "afgewezen", reden="8", historie=[])
Traceback (most recent call last):
    ...
ijwcli.errors.UsageError: reden 8 (Woonplaatsbeginsel) vraagt de gemeentecode van de ...
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ijwcli import bericht as bm
from ijwcli.errors import AlBeantwoord, FileError, InvalidInput, InvalidMessage, UsageError
from ijwcli.validatie.historie import EerderBericht

if TYPE_CHECKING:
    from ijwcli.register import Register

AFGEWEZEN, IN_ONDERZOEK, WOONPLAATSBEGINSEL = "1", "2", "8"
_ANTWOORDEN = {"afgewezen": AFGEWEZEN, "1": AFGEWEZEN, "in-onderzoek": IN_ONDERZOEK,
               "in onderzoek": IN_ONDERZOEK, "2": IN_ONDERZOEK}
VERZOEKEN = ("JW315", "JW317")
# The rules of the traffic a JW319 must keep; TR056 is the register's own business.
_VERKEER = ("TR355", "TR359", "TR360", "TR365")


@dataclass
class Antwoordbericht:
    """One JW319 made by :func:`maak`."""

    bron: str                       # the verzoek's file (or "<bytes>")
    inhoud: bytes = field(repr=False)   # the verzoek's bytes, for the register
    verzoek: str                    # JW315 or JW317
    verzoek_identificatie: str
    referentie: str                 # ReferentieAanbieder
    verzoekantwoord: str            # 1 afgewezen, 2 in onderzoek
    reden: str | None
    woonplaatsbeginsel: str | None
    bericht: bm.Bericht = field(repr=False)
    xml: bytes = field(repr=False)
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def identificatie(self) -> str:
        return self.bericht.identificatie or ""

    @property
    def bestandsnaam(self) -> str:
        from ijwcli.bestanden import berichtnaam

        return berichtnaam("JW319", "488", self.identificatie)

    def to_dict(self) -> dict[str, object]:
        return {"file": self.bron, "bericht": "JW319", "identificatie": self.identificatie,
                "verzoek": self.verzoek, "verzoek_identificatie": self.verzoek_identificatie,
                "referentie": self.referentie, "verzoekantwoord": self.verzoekantwoord,
                "antwoord": "afgewezen" if self.verzoekantwoord == AFGEWEZEN else
                "in onderzoek", "reden": self.reden,
                "woonplaatsbeginsel": self.woonplaatsbeginsel,
                "gemeente": self.bericht.root.value("Header/Afzender"),
                "aanbieder": self.bericht.root.value("Header/Ontvanger")}


def _antwoordcode(antwoord: str) -> str:
    code = _ANTWOORDEN.get(antwoord.strip().lower())
    if code is None:
        raise UsageError(f"antwoord {antwoord!r}: kies afgewezen of in-onderzoek")
    return code


def _reden(code: str, reden: str | None, woonplaats: str | None) -> tuple[str | None, str | None]:
    from ijwcli.model.datatypes import LDT

    if code == IN_ONDERZOEK:
        if reden or woonplaats:
            raise UsageError("bij in-onderzoek hoort geen reden en geen woonplaatsbeginsel "
                             "(CD086); die volgen bij de afwijzing")
        return None, None
    codes = LDT["LDT_RedenAfwijzingVerzoek"].codes
    keuze = ", ".join(f"{k} {v}" for k, v in codes.items())
    if not reden:
        raise UsageError(f"een afwijzing vraagt een RedenAfwijzingVerzoek (--reden CODE, CD085); "
                         f"codes: {keuze}")
    reden = reden.strip().lstrip("0") or reden.strip()
    if reden not in codes:
        raise UsageError(f"RedenAfwijzingVerzoek {reden!r} staat niet in de codelijst; kies uit "
                         f"{keuze}")
    if reden == WOONPLAATSBEGINSEL:
        if not woonplaats:
            raise UsageError("reden 8 (Woonplaatsbeginsel) vraagt de gemeentecode van de "
                             "woonplaats (--woonplaatsbeginsel GEMEENTECODE, TR377)")
        woonplaats = woonplaats.strip()
        if woonplaats.isdigit() and len(woonplaats) < 4:
            woonplaats = woonplaats.zfill(4)
        if not (woonplaats.isdigit() and len(woonplaats) == 4):
            raise UsageError(f"--woonplaatsbeginsel {woonplaats!r} is geen gemeentecode van 4 "
                             "cijfers")
    elif woonplaats:
        raise UsageError(f"--woonplaatsbeginsel hoort alleen bij reden 8 (Woonplaatsbeginsel), "
                         f"niet bij reden {reden} (TR409)")
    return reden, woonplaats


def _lees(verzoek: bytes | str | os.PathLike[str], bron: str | None, today: dt.date
          ) -> tuple[bytes, str, bm.Bericht]:
    from ijwcli.validatie import validate_tree

    if isinstance(verzoek, (bytes, bytearray)):
        data, naam = bytes(verzoek), bron or "<bytes>"
    else:
        p = Path(verzoek)
        try:
            data, naam = p.read_bytes(), bron or str(p)
        except OSError as exc:
            from ijwcli.bestanden import reden

            raise FileError(f"kan het verzoek niet lezen ({reden(exc)})", where=str(p)) from None
    try:
        tree = bm.read_tree(data)
        d = bm.definitie_van(tree)
    except InvalidMessage as exc:
        raise InvalidInput(f"geen antwoordbericht mogelijk: {exc.message}", where=naam) from None
    if d.code not in VERZOEKEN:
        raise InvalidInput(f"een antwoordbericht (JW319) beantwoordt een verzoek (JW315 of "
                           f"JW317), geen {d.code}", where=naam)
    dag = (bm.from_tree(tree).root.value("Header/BerichtIdentificatie/Dagtekening") or "")
    if dag > today.isoformat():
        raise UsageError(f"het antwoord kan niet vóór het verzoek liggen: Dagtekening {today} "
                         f"(--today) is eerder dan die van het verzoek, {dag}", where=naam)
    # An invalid verzoek changes no state in the register: it is answered with its
    # retourbericht (JW316/JW318), not with a JW319 that the register could not link.
    fouten = validate_tree(tree, naam, today, data=data).errors
    if fouten:
        f = fouten[0]
        regel = f" regel {f.line}" if f.line else ""
        raise InvalidInput(f"het verzoek is niet geldig ({f.rule} {f.message}); beantwoord het "
                           "met een retourbericht (ijwcli retour), niet met een JW319",
                           where=f"{naam}{regel}")
    return data, naam, bm.from_tree(tree)


def _referenties(v: bm.Bericht) -> list[str]:
    pad = ("Client/AangevraagdeProducten/AangevraagdProduct/ReferentieAanbieder"
           if v.code == "JW315" else "Client/Verzoek/ReferentieAanbieder")
    return list(dict.fromkeys(n.text for n in v.root.findall(pad) if n.text))


def maak(verzoek: bytes | str | os.PathLike[str], antwoord: str, *, reden: str | None = None,
         woonplaatsbeginsel: str | None = None, referentie: str | None = None,
         register: Register | None = None, historie: Sequence[EerderBericht] | None = None,
         today: dt.date | None = None, bron: str | None = None) -> list[Antwoordbericht]:
    """The JW319(s) answering ``verzoek`` (a path or bytes); see the module docstring.

    Raises :class:`UsageError` for an answer, reden or woonplaatsbeginsel that does not fit,
    :class:`InvalidInput` when the verzoek is none or a rule of the traffic forbids the answer.
    Nothing is recorded: that is :func:`registreer`.
    """
    from ijwcli.generatie import nieuwe_identificatie
    from ijwcli.generatie.jw325 import controleer_rol

    today = today or dt.date.today()
    code = _antwoordcode(antwoord)
    reden_, woonplaats = _reden(code, reden, woonplaatsbeginsel)
    data, naam, v = _lees(verzoek, bron, today)
    gemeente = v.root.value("Header/Ontvanger") or ""
    aanbieder = v.root.value("Header/Afzender") or ""
    controleer_rol(register, gemeente, "een antwoordbericht (JW319)", naam)
    if woonplaats == gemeente:
        raise UsageError(f"reden 8 (Woonplaatsbeginsel) verwijst naar een andere gemeente, niet "
                         f"naar de eigen {gemeente}")
    refs = _referenties(v)
    if referentie is not None:
        if referentie not in refs:
            raise UsageError(f"ReferentieAanbieder {referentie!r} staat niet in het verzoek "
                             f"({', '.join(refs)})", where=naam)
        refs = [referentie]
    if not refs:
        raise InvalidInput("het verzoek heeft geen ReferentieAanbieder om te beantwoorden",
                           where=naam)
    heen = EerderBericht.uit_bytes(data, "in")
    uit = []
    for ref in refs:
        b = bm.new("JW319")
        b.header.add("Afzender", gemeente)
        b.header.add("Ontvanger", aanbieder)
        b.header.set("BerichtIdentificatie/Identificatie", nieuwe_identificatie(today))
        b.header.set("BerichtIdentificatie/Dagtekening", today.isoformat())
        a = b.root.add("Antwoord")
        a.add("ReferentieAanbieder", ref)
        a.add("VerzoekAntwoord", code)
        if reden_:
            a.add("RedenAfwijzingVerzoek", reden_)
        if woonplaats:
            a.set("Woonplaatsbeginsel/Gemeente", woonplaats)
        ab = Antwoordbericht(naam, data, v.code, v.identificatie or "", ref, code, reden_,
                             woonplaats, b, bm.to_xml(b), today)
        _controleer(ab, heen, register, historie)
        uit.append(ab)
    return uit


def _controleer(a: Antwoordbericht, heen: EerderBericht, register: Register | None,
                historie: Sequence[EerderBericht] | None) -> None:
    from ijwcli.validatie import overstijgend, validate_bytes

    r = validate_bytes(a.xml, a.bestandsnaam, a.today)
    if not r.valid:
        tekst = "; ".join(f"{f.rule} {f.path or ''} {f.message}".strip() for f in r.errors[:5])
        raise InvalidInput(f"geen geldig antwoordbericht mogelijk: {tekst}", where=a.bron)
    if historie is None:
        historie = register.historie(a.xml) if register is not None else []
    historie = list(historie)
    sleutel = (heen.code, heen.afzender, heen.identificatie)
    bekend = [e for e in historie if (e.code, e.afzender, e.identificatie) == sleutel]
    if bekend and not any(e.geldig for e in bekend):
        raise InvalidInput(f"het verzoek staat in het register als ongeldig "
                           f"({bekend[0].omschrijving}); beantwoord het met een retourbericht "
                           "(ijwcli retour), niet met een JW319", where=a.bron)
    if not bekend:
        historie.insert(0, heen)  # the verzoek answered here is earlier traffic by definition
    fout = [f for f in overstijgend.controleer(bm.read_tree(a.xml), historie, "gemeente",
                                               a.today) if f.rule in _VERKEER]
    if fout:
        f = fout[0]
        eerder = f" ({f.betreft})" if f.betreft else ""
        raise InvalidInput(f"geen antwoordbericht voor ReferentieAanbieder {a.referentie}: "
                           f"{f.rule} [{f.retourcode}] {f.message}{eerder}", where=a.bron)


def registreer(antwoord: Antwoordbericht, register: Register) -> str:
    """Record the JW319 in the register, linked to its verzoek (imported first when it is not
    there yet); returns the JW319's id."""
    heen = register.add(antwoord.inhoud, richting="in", today=antwoord.today)[0]
    if heen.sleutel is None:
        raise InvalidInput(f"het register weigert het verzoek: {heen.reden}", where=antwoord.bron)
    res = register.add(antwoord.xml, richting="uit", today=antwoord.today)[0]
    if res.status != "nieuw":
        raise AlBeantwoord(f"antwoordbericht {antwoord.identificatie} staat al in het register",
                           where=antwoord.bron, antwoord=f"JW319 {antwoord.identificatie}",
                           sleutel=res.sleutel)
    register.registreer_antwoord(heen.sleutel, antwoord.xml)
    assert res.sleutel is not None
    return res.sleutel


def doelen(antwoorden: list[Antwoordbericht], uit: str | os.PathLike[str] | None) -> list[Path]:
    """Where each JW319 goes: ``uit`` itself for one answer and a name ending in .xml, else
    the standard file name in folder ``uit``."""
    doel = Path(uit) if uit else Path(".")
    if doel.suffix.lower() == ".xml":
        if len(antwoorden) != 1:
            raise UsageError(f"het verzoek krijgt {len(antwoorden)} antwoordberichten (één per "
                             "ReferentieAanbieder): geef met -o een map, of kies er één met "
                             "--referentie")
        return [doel]
    return [doel / a.bestandsnaam for a in antwoorden]


def schrijf(antwoorden: list[Antwoordbericht], uit: str | os.PathLike[str] | None = None, *,
            register: Register | None = None, force: bool = False) -> list[Path]:
    """Write the JW319s all or none, recording them in ``register`` after the temporary files
    are written and before they are renamed into place."""
    from ijwcli import bestanden

    paden = doelen(antwoorden, uit)
    invoer = [Path(a.bron) for a in antwoorden if a.bron != "<bytes>"]

    def vastleggen() -> None:
        for a in antwoorden:
            registreer(a, register)  # type: ignore[arg-type]

    bestanden.schrijf_alles(list(zip(paden, [a.xml for a in antwoorden], strict=True)), force,
                            invoer, voor_vervangen=vastleggen if register is not None else None)
    return paden


__all__ = ["Antwoordbericht", "doelen", "maak", "registreer", "schrijf"]
