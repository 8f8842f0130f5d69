"""Which rule of the table ijwcli checks, and how: the data behind ``ijwcli regels``.

Every rule gets one status:

- ``geïmplementeerd``: a check function is registered, or the message schema enforces it
  (restrictions and schema-level constraints);
- ``geïmplementeerd (met register)``: a rule across messages (berichtoverstijgend) with a
  check in :mod:`ijwcli.validatie.overstijgend`, applied when the earlier traffic is known
  (a register, or ``--eerder`` files);
- ``niet binnen één bericht``: a rule across messages without such a check;
- ``niet geïmplementeerd``: with the reason.

The share counts the rules that can be checked inside one message (everything except the
berichtoverstijgende rules and the file/schema bookkeeping rows XSD and OP192).

>>> o = overzicht()
>>> next(r for r in o if r.code == "TR056").status
'geïmplementeerd (met register)'
>>> aandeel_overstijgend(o) >= 0.9
True
>>> next(r for r in o if r.code == "CD066").status
'geïmplementeerd'
>>> aandeel(o) >= 0.95
True
>>> {r.code for r in overzicht("JW319")} >= {"TR377", "CD085"}
True
>>> a = afwijkingen()["cs335-zonder-einddatum"]
>>> a.regels
('CS335',)

:func:`afwijkingen` lists where ijwcli deliberately differs from the official validation
XSLT (``afwijkingen.toml``), each with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ijwcli.pakketdata import laad_toml
from ijwcli.validatie.regels import CHECKS, TABEL, Regel

GEIMPLEMENTEERD = "geïmplementeerd"
NIET_BINNEN_BERICHT = "niet binnen één bericht"
MET_REGISTER = "geïmplementeerd (met register)"
NIET_GEIMPLEMENTEERD = "niet geïmplementeerd"
_BOEKHOUDING = ("XSD", "OP192")


@dataclass(frozen=True)
class RegelStatus:
    code: str
    retourcode: str
    berichten: tuple[str, ...]
    niveau: str
    tekst: str
    status: str
    toelichting: str

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "retourcode": self.retourcode,
                "berichten": list(self.berichten), "niveau": self.niveau, "tekst": self.tekst,
                "status": self.status, "toelichting": self.toelichting}


def status_van(r: Regel) -> tuple[str, str]:
    """(status, toelichting) of one rule."""
    if r.niveau == "berichtoverstijgend":
        hoe = met_register().get(r.code)
        if hoe:
            return MET_REGISTER, hoe
        return NIET_BINNEN_BERICHT, r.toelichting or "vergelijkt met eerdere berichten"
    if r.code in CHECKS:
        return GEIMPLEMENTEERD, r.toelichting or "eigen controle"
    if r.niveau in ("schema", "bestand"):
        return GEIMPLEMENTEERD, r.toelichting or ("berichtschema (XSD)" if r.niveau == "schema"
                                                  else "bestandscontrole")
    return NIET_GEIMPLEMENTEERD, r.toelichting or "nog geen controle geschreven"


@cache
def met_register() -> dict[str, str]:
    """Rule code → how ijwcli checks it, for every cross-message rule with a check: what
    :func:`ijwcli.validatie.overstijgend.geimplementeerd` answers, read from that package's
    table without importing its checks (tests/test_overstijgend.py holds the two equal: every
    row of the table has its check)."""
    tabel = laad_toml("ijwcli.validatie.overstijgend", "tabel.toml")
    return {code: rij["hoe"] for code, rij in tabel.items()}


def overzicht(bericht: str | None = None) -> list[RegelStatus]:
    """Every rule of the table (for one message type when ``bericht`` is given)."""
    out = []
    for r in TABEL.values():
        if bericht and not r.geldt_voor(bericht.upper()):
            continue
        status, toelichting = status_van(r)
        out.append(RegelStatus(r.code, r.retourcode, r.berichten, r.niveau, r.tekst, status,
                               toelichting))
    return out


@dataclass(frozen=True)
class Afwijking:
    """One deliberate difference from the official validation XSLT, and why."""

    naam: str
    regels: tuple[str, ...]
    xslt: str
    ijwcli: str
    reden: str
    geval: str  # XPath: the messages it concerns

    def to_dict(self) -> dict[str, object]:
        return {"naam": self.naam, "regels": list(self.regels), "xslt": self.xslt,
                "ijwcli": self.ijwcli, "reden": self.reden}


def afwijkingen(bericht: str | None = None) -> dict[str, Afwijking]:
    """The deviations from the official XSLT (those with a rule of ``bericht`` when given)."""
    out = {}
    for naam, a in laad_toml("ijwcli.validatie.regels", "afwijkingen.toml").items():
        regels = tuple(a["regels"])
        if bericht and not any(TABEL[c].geldt_voor(bericht.upper()) for c in regels):
            continue
        out[naam] = Afwijking(naam, regels, a["xslt"], a["ijwcli"], a["reden"], a["geval"])
    return out


def binnen_bericht(regels: list[RegelStatus]) -> list[RegelStatus]:
    return [r for r in regels
            if r.niveau != "berichtoverstijgend" and r.code not in _BOEKHOUDING]


def overstijgend(regels: list[RegelStatus]) -> list[RegelStatus]:
    return [r for r in regels if r.niveau == "berichtoverstijgend"]


def aandeel_overstijgend(regels: list[RegelStatus]) -> float:
    """The share of the berichtoverstijgende rules checked against the earlier traffic."""
    over = overstijgend(regels)
    return sum(r.status == MET_REGISTER for r in over) / len(over) if over else 1.0


def aandeel(regels: list[RegelStatus]) -> float:
    """The implemented share of the rules checkable inside one message."""
    binnen = binnen_bericht(regels)
    if not binnen:
        return 1.0
    return sum(r.status == GEIMPLEMENTEERD for r in binnen) / len(binnen)
