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

import datetime as dt
from collections.abc import Sequence

from ijwcli.model.berichten import BERICHTEN
from ijwcli.register.feiten import GOED

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


# --- declared against toegewezen ------------------------------------------------------------

# Minutes per unit, for the units that convert into each other (Eenheid 01 minuut, 04 uur);
# the same convention as the cross-message rules (TR321, TR322).
TIJD = {"01": 1, "04": 60}


def in_eenheid(volume: int, van: str | None, naar: str | None) -> int | float | None:
    """``volume`` in unit ``van`` expressed in unit ``naar``; ``None``: they do not compare.

    >>> in_eenheid(90, "01", "04"), in_eenheid(2, "04", "01"), in_eenheid(3, "14", "14")
    (1.5, 120, 3)
    >>> in_eenheid(3, "14", "04") is None, in_eenheid(3, None, "04")
    (True, 3)
    """
    if van == naar or not van or not naar:
        return volume
    if van in TIJD and naar in TIJD:
        v = volume * TIJD[van] / TIJD[naar]
        return int(v) if v == int(v) else round(v, 4)
    return None


def _maanden(begin: dt.date, eind: dt.date) -> int:
    return (eind.year - begin.year) * 12 + eind.month - begin.month + 1


def toegestaan_volume(volume: int | None, frequentie: str | None, begin: dt.date | None,
                      eind: dt.date | None) -> int | None:
    """The volume an Omvang of ``volume`` per ``frequentie`` allows over [begin, eind].

    Frequentie (LDT_Frequentie): 1 per dag (each day counts), 2 per week (each started
    week of seven days counts), 4 per maand (each calendar month touched counts), 6 totaal
    binnen de geldigheidsduur (the volume once, whatever the period). The same counting as
    the cross-message rule TR321, so the register and ``validate`` agree. ``None``: no
    volume, no period or an unknown frequentie; an empty period allows nothing.

    >>> begin, eind = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    >>> [toegestaan_volume(2, f, begin, eind) for f in ("1", "2", "4", "6")]
    [62, 10, 2, 2]
    >>> feb = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    >>> toegestaan_volume(2, "1", *feb), toegestaan_volume(2, "2", *feb)
    (56, 8)
    >>> toegestaan_volume(3, "2", dt.date(2026, 3, 1), dt.date(2026, 3, 8))  # 8 days: 2 weeks
    6
    >>> toegestaan_volume(3, "1", eind, begin), toegestaan_volume(None, "1", begin, eind)
    (0, None)
    """
    if volume is None or begin is None or eind is None:
        return None
    if eind < begin:
        return 0
    dagen = (eind - begin).days + 1
    if frequentie == "1":
        return volume * dagen
    if frequentie == "2":
        return volume * -(-dagen // 7)
    if frequentie == "4":
        return volume * _maanden(begin, eind)
    if frequentie == "6":
        return volume
    return None


def maand(p: str) -> tuple[dt.date, dt.date]:
    """The first and last day of period ``p`` (``2026-02``).

    >>> [str(d) for d in maand("2028-02")]
    ['2028-02-01', '2028-02-29']
    """
    import calendar

    jaar, m = int(p[:4]), int(p[5:7])
    return dt.date(jaar, m, 1), dt.date(jaar, m, calendar.monthrange(jaar, m)[1])


def toegestaan_in_periode(volume: int | None, frequentie: str | None, p: str,
                          ingang: dt.date | None, einde: dt.date | None) -> int | None:
    """What a toewijzing valid from ``ingang`` to ``einde`` (``None``: open) allows in
    month ``p``, for a per-period frequentie (1, 2, 4); ``None`` for a total (6): that is
    held against the whole toewijzing, not per month.

    >>> toegestaan_in_periode(4, "2", "2026-03", dt.date(2026, 3, 16), None)  # 16 days
    12
    >>> toegestaan_in_periode(1, "1", "2026-03", dt.date(2026, 1, 1), dt.date(2026, 3, 10))
    10
    >>> toegestaan_in_periode(5, "4", "2026-05", dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    0
    >>> toegestaan_in_periode(100, "6", "2026-03", dt.date(2026, 3, 1), None) is None
    True
    """
    if frequentie not in ("1", "2", "4") or volume is None or len(p) != 7:
        return None
    begin, eind = maand(p)
    if ingang is not None:
        begin = max(begin, ingang)
    if einde is not None:
        eind = min(eind, einde)
    return toegestaan_volume(volume, frequentie, begin, eind)


def prestatie_status(oordeel: str | None, geheel: Sequence[str] | None,
                     eigen: Sequence[str] | None) -> tuple[str, list[str]]:
    """A declared prestatie's standing from its JW325, with the RetourCodes that say why.

    ``oordeel``: the JW325's judgement (``None``: no JW325 yet); ``geheel``: its RetourCodes
    on the declaratie as a whole; ``eigen``: the codes of this prestatie in it (``None``: the
    JW325 does not list it). A JW325 lists only refused prestaties (TR342): one it does not
    list is toegekend, unless the declaratie was refused as a whole.

    >>> prestatie_status(None, None, None)
    ('onbeantwoord', [])
    >>> prestatie_status("gedeeltelijk", ["0200"], ["8017"])
    ('afgewezen', ['8017'])
    >>> prestatie_status("gedeeltelijk", ["0200"], None)
    ('toegekend', [])
    >>> prestatie_status("afgekeurd", ["0001", "0001"], None)
    ('afgewezen', ['0001'])
    """
    if oordeel is None:
        return "onbeantwoord", []
    if eigen is not None and any(c not in GOED for c in eigen):
        return "afgewezen", list(eigen)
    if eigen is None and oordeel == "afgekeurd":
        codes = list(dict.fromkeys(geheel or ()))
        return "afgewezen", [c for c in codes if c not in GOED] or codes
    return "toegekend", []
