"""The berichtoverstijgende rules: a message judged against the traffic that came before it.

A rule here is a pure function of the message tree, the earlier traffic (a sequence of
:class:`~ijwcli.validatie.historie.EerderBericht`, oldest first: from the register or from
files), the own role (``gemeente`` or ``aanbieder``) and the reference date. It yields the
same :class:`~ijwcli.validatie.regels.Bevinding` as the rules inside one message, with
``betreft`` naming the earlier message it concerns.

A gemeente judges the incoming JW305, JW307, JW315, JW317 and JW323 against the JW301s it sent
and the messages it received, and its own JW301, JW319 and JW325 before sending; an aanbieder
judges its own JW305 … JW323 before sending and the incoming JW301, JW319 and JW325 against
what it sent. The rules are the same either way: what differs is which side of the history
is "sent". The history is read once into indexes (:class:`verkeer.Verkeer`); each rule then
looks its facts up, so the cost stays linear in message and history.

The rule metadata (who judges it, how ijwcli reads it) is in ``tabel.toml`` beside this
module; retourcode and text come from the rule table of :mod:`ijwcli.validatie.regels`.

>>> from pathlib import Path
>>> from ijwcli.bericht import read_tree
>>> from ijwcli.validatie.historie import EerderBericht
>>> start = read_tree(Path("samples/jw305_start.xml").read_bytes())
>>> [(b.rule, b.retourcode) for b in controleer(start, [], "gemeente")]
[('TR019', '9019')]
>>> jw301 = EerderBericht.uit_bytes(Path("samples/jw301_toewijzing.xml").read_bytes(), "uit")
>>> controleer(start, [jw301], "gemeente")
[]
>>> eerder = EerderBericht.uit_bytes(Path("samples/jw305_start.xml").read_bytes(), "in")
>>> [b.rule for b in controleer(start, [jw301, eerder], "gemeente")]  # the same file again
[]
>>> tweede = read_tree(Path("samples/jw305_start.xml").read_bytes().replace(
...     b"S2026031001", b"S2026031002"))
>>> b = controleer(tweede, [jw301, eerder], "gemeente")[0]
>>> b.rule, b.retourcode, b.path, b.betreft
('TR074', '9074', 'Client/StartProducten/StartProduct', 'JW305 S2026031001 van 2026-03-10')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from ijwcli.pakketdata import laad_toml
from ijwcli.validatie.historie import EerderBericht
from ijwcli.validatie.overstijgend.verkeer import Verkeer, header
from ijwcli.validatie.regels import TABEL, Bevinding, pad

Rol = Literal["gemeente", "aanbieder"]
ROLLEN: tuple[Rol, ...] = ("gemeente", "aanbieder")


@dataclass(frozen=True)
class Metadata:
    code: str
    rollen: tuple[str, ...]
    hoe: str


METADATA: dict[str, Metadata] = {
    code: Metadata(code, tuple(r.get("rollen", ROLLEN)), r["hoe"])
    for code, r in laad_toml("ijwcli.validatie.overstijgend", "tabel.toml").items()}


@dataclass
class Beoordeling:
    """One message being judged: its tree and header, the earlier traffic, role and date."""

    tree: etree._ElementTree
    code: str
    verkeer: Verkeer
    rol: Rol
    today: dt.date
    tarieven: object | None = None      # a tarieven.Tarieven for TR418, when configured
    _posities: dict = field(default_factory=dict, init=False, repr=False)  # type: ignore[type-arg]

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def kop(self) -> dict[str, str]:
        if "_kop" not in self.__dict__:
            self.__dict__["_kop"] = header(self.root)
        return self.__dict__["_kop"]  # type: ignore[no-any-return]

    @property
    def afzender(self) -> str:
        return self.kop.get("Afzender", "")

    @property
    def ontvanger(self) -> str:
        return self.kop.get("Ontvanger", "")

    @property
    def identificatie(self) -> str:
        return self.kop.get("BerichtIdentificatie/Identificatie", "")

    @property
    def dagtekening(self) -> dt.date:
        try:
            return dt.date.fromisoformat(self.kop.get("BerichtIdentificatie/Dagtekening", ""))
        except ValueError:
            return self.today

    def bevinding(self, code: str, el: etree._Element | None, message: str,
                  betreft: EerderBericht | None = None) -> Bevinding:
        r = TABEL[code]
        return Bevinding(code, r.retourcode,
                         pad(el, self._posities) if el is not None else None,
                         el.sourceline if el is not None else None, message,
                         betreft=betreft.omschrijving if betreft is not None else None)


Check = Callable[[Beoordeling], Iterable[Bevinding]]
CHECKS: dict[str, Check] = {}


def regel(code: str) -> Callable[[Check], Check]:
    """Register ``fn`` as the cross-message check of rule ``code``."""
    # The table's niveau may say "bericht" where a rule also has an in-message side (TR319);
    # this package's tabel.toml keeps the niveau of the iStandaarden table.
    if code not in TABEL or code not in METADATA:
        raise KeyError(f"{code} staat niet in overstijgend/tabel.toml")

    def register(fn: Check) -> Check:
        CHECKS[code] = fn
        return fn

    return register


def _is_zelf(e: EerderBericht, code: str, afzender: str, ident: str,
             tree: etree._ElementTree, inhoud: bytes | None) -> bool:
    if (e.code, e.afzender, e.identificatie) != (code, afzender, ident):
        return False
    if inhoud is not None:
        return e.inhoud == inhoud
    return etree.tostring(e.tree, method="c14n") == etree.tostring(tree, method="c14n")


def controleer(tree: etree._ElementTree, historie: Sequence[EerderBericht], rol: Rol,
               today: dt.date | None = None, *, tarieven: object | None = None,
               inhoud: bytes | None = None, verkeer: Verkeer | None = None,
               ) -> list[Bevinding]:
    """Every finding of the cross-message rules for the message ``tree``.

    ``historie`` is the earlier traffic, oldest first. The message itself, should it be in
    the history (a folder of earlier files that holds it too), is left out: a message is
    judged against what came before it. ``verkeer`` reuses indexes already built from the
    same history (a batch against one fixed history).
    """
    from ijwcli.bericht import definitie_van

    if rol not in ROLLEN:
        raise ValueError(f"rol {rol!r}: kies gemeente of aanbieder")
    code = definitie_van(tree).code
    if verkeer is None:
        kop = header(tree.getroot())
        afzender = kop.get("Afzender", "")
        ident = kop.get("BerichtIdentificatie/Identificatie", "")
        verkeer = Verkeer(e for e in historie
                          if not _is_zelf(e, code, afzender, ident, tree, inhoud))
    b = Beoordeling(tree, code, verkeer, rol, today or dt.date.today(), tarieven)
    uit: list[Bevinding] = []
    for regelcode, check in CHECKS.items():
        if TABEL[regelcode].geldt_voor(code):
            uit.extend(check(b))
    uit.sort(key=lambda f: f.line or 0)
    return uit


def geimplementeerd() -> dict[str, str]:
    """Rule code → how ijwcli checks it, for every cross-message rule with a check."""
    return {c: METADATA[c].hoe for c in CHECKS}


# Importing the theme modules registers their checks.
from ijwcli.validatie.overstijgend import algemeen  # noqa: E402, F401, I001
from ijwcli.validatie.overstijgend import declaraties  # noqa: E402, F401
from ijwcli.validatie.overstijgend import toewijzing  # noqa: E402, F401
from ijwcli.validatie.overstijgend import verzoeken  # noqa: E402, F401
