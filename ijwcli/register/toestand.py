"""Derived state: the status of each message, of each verzoek, of each toewijzing.

Nothing here is stored; it follows from the messages in the register each time, so a message
imported late (a retourbericht before its heen-bericht, an old JW301) is always counted.

Status of a message, as the berichtenapp shows it:

- ``Ongeldig``: the message failed validation (stored with its findings, no state);
- a retourbericht or JW325 has ``Retour`` / ``Antwoord`` with its judgement;
- a heen-bericht with a retourbericht: ``Goedgekeurd``, ``Gedeeltelijk afgekeurd`` or
  ``Afgekeurd`` (a JW323 with its JW325: ``Goedgekeurd``, ``Gedeeltelijk goedgekeurd``,
  ``Afgekeurd``);
- a verzoek (JW315, JW317) beyond that: ``Toegewezen`` (a JW301 carries its
  ReferentieAanbieder), ``Afgewezen`` or ``In onderzoek`` (a JW319 with VerzoekAntwoord 1
  or 2);
- otherwise ``Verzonden`` (we sent it), ``Ontvangen`` (we received it) or ``Geregistreerd``
  (direction unknown).

>>> status_van("JW315", True, "uit", None, [], [])
'Verzonden'
>>> status_van("JW315", True, "uit", "goedgekeurd", ["2"], [])
'In onderzoek'
>>> status_van("JW315", True, "uit", "goedgekeurd", ["2"], ["T1"])
'Toegewezen'
>>> status_van("JW323", True, "in", "gedeeltelijk", [], [])
'Gedeeltelijk goedgekeurd'
"""

from __future__ import annotations

from collections.abc import Sequence

from ijwcli.model.berichten import BERICHTEN

STATUSSEN = ("Ongeldig", "Retour", "Antwoord", "Goedgekeurd", "Gedeeltelijk afgekeurd",
             "Gedeeltelijk goedgekeurd", "Afgekeurd", "Toegewezen", "Afgewezen",
             "In onderzoek", "Verzonden", "Ontvangen", "Geregistreerd")
VERZOEKEN = ("JW315", "JW317")
RETOUR_VAN = {code: d.retour for code, d in BERICHTEN.items() if d.retour}
ANTWOORDEN = frozenset(d.code for d in BERICHTEN.values() if d.heen)

_OORDEEL = {"goedgekeurd": "Goedgekeurd", "gedeeltelijk": "Gedeeltelijk afgekeurd",
            "afgekeurd": "Afgekeurd"}


def status_van(code: str | None, geldig: bool, richting: str | None, retour: str | None,
               antwoorden: Sequence[str], toewijzingen: Sequence[str]) -> str:
    """The status of one message from what answers it.

    ``retour``: the judgement of its latest retourbericht/JW325; ``antwoorden``: the
    VerzoekAntwoord of each JW319 on it, oldest first; ``toewijzingen``: JW301s honouring it.
    """
    if not geldig or code is None:
        return "Ongeldig"
    if code in ANTWOORDEN:
        return "Antwoord" if code == "JW325" else "Retour"
    if retour == "afgekeurd":
        return "Afgekeurd"
    if code in VERZOEKEN:
        if toewijzingen:
            return "Toegewezen"
        if antwoorden:
            return "Afgewezen" if antwoorden[-1] == "1" else "In onderzoek"
    if retour == "gedeeltelijk" and code == "JW323":
        return "Gedeeltelijk goedgekeurd"
    if retour and code not in VERZOEKEN:
        return _OORDEEL[retour]
    return {"uit": "Verzonden", "in": "Ontvangen"}.get(richting or "", "Geregistreerd")


def verzoek_status(status: str) -> str:
    """A verzoek's status in the words of the issue: verzonden, afgekeurd, in onderzoek,
    toegewezen, afgewezen (a received verzoek not yet answered: ontvangen)."""
    return {"Goedgekeurd": "verzonden", "Gedeeltelijk afgekeurd": "afgekeurd"}.get(
        status, status.lower())


def periode(d: object) -> str:
    """The month a prestatie belongs to: ``2026-03``."""
    return str(d)[:7]
