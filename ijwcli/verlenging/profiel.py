"""Regional profiles: the regional agreements as data, one TOML file per regio.

A profile holds the numbers of a region's working agreements (limits for a verlenging, routes per
verwijzer, maximum termijnen, product richtlijnen …) and, in comments, the rounding choices where
the source documents are silent. ijwcli ships two: ``hart-van-brabant`` and ``flevoland``
(``ijwcli/verlenging/profielen/*.toml``). A user's own region is a copy with
other numbers, loaded by path.

API:

- :data:`REGIOS`: the names of the shipped profiles;
- :func:`load` ``(regio_or_path) -> Profiel``: a shipped name or a path to a TOML file; a bad
  profile raises :class:`ijwcli.errors.UsageError` naming the file and the key;
- :class:`Profiel`: ``naam``, ``titel``, ``werkwijze``, ``data`` (the whole parsed TOML) and
  :meth:`Profiel.get` (a dotted key, or a default).

Tables other commands read (e.g. regional checks in ``validate --regio``); every one optional:

- ``maximum_termijnen.groepen.<groep>``: ``omschrijving``, ``maanden`` or ``weken``, optional
  ``verlenging_maanden``/``verlenging_weken``, ``producten`` (codes), ``arrangementen``
  (intensities), ``stuks_per_doorlooptijd`` (``[[t/m maanden, stuks], …]``);
- ``jeugdzorgplus``: ``product``, ``eenheid``, ``frequentie``, ``type_verwijzers``, ``aanbieders``
  (AGB codes);
- ``type_verwijzer``: per iJw TypeVerwijzer (``"02"``) the verwijzer of the agreements
  (``toegang``, ``medisch``, ``gi``), used when the verwijzer is read from the JW315;
- ``beeindigd``: ``gedrag`` (``waarschuwing`` or ``weigering``) and ``bron``: a request about a
  toewijzing whose einddatum has passed on the peildatum;
- ``naar_groep.producten``: per individueel product code its groep product (a JW317 moving
  volume to a groep product is checked against it); ``jw319``: ``reden_gi``, ``reden_buiten``
  (the RedenAfwijzingVerzoek suggested for a refused JW317);
- ``productrichtlijnen.producten.<code>``: ``naam``, ``duur_maanden``, ``categorieen.<A|B>``
  (``uren_per_week``, ``max_uren``, ``duur_maanden``) or ``varianten`` (``max_uren``,
  ``duur_maanden``).

Rounding choices where the source documents are silent, in ``afronding`` (all optional):
``einde_maand_volgt`` (a month-end date stays on the month end), ``begonnen_maand_telt_heel``
(a started month counts as a whole one when a period is measured against a limit in months;
default true), ``halve_periode`` (``omlaag``/``omhoog``: half of an odd number of months),
``dagdelen_per_dag`` (cap for dagdelen at a verkorting).

Every table with rules has a ``bron`` string: a short reference to the source agreement, in the
project's own words.

>>> sorted(REGIOS)
['flevoland', 'hart-van-brabant']
>>> p = load("hart-van-brabant")
>>> p.werkwijze, p.get("richtlijn.max_verlenging_maanden"), p.get("jeugdzorgplus.eenheid")
('backoffice-richtlijn', 6, '14')
>>> load("flevoland").get("productrichtlijnen.producten.45F31.categorieen.B.max_uren")
192
>>> load("utrecht")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
ijwcli.errors.UsageError: onbekende regio 'utrecht' (kies uit: flevoland, hart-van-brabant, ...)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ijwcli.errors import FileError, UsageError

REGIOS: tuple[str, ...] = ("hart-van-brabant", "flevoland")

WERKWIJZEN = ("backoffice-richtlijn", "verzoek-om-wijziging")
ROUTES = ("backoffice", "toegang", "toetser-medisch-domein", "gi")
VERWIJZERS = ("toegang", "medisch", "gi")
# How half of an odd number of months is rounded (Flevoland: 50 % of the period).
HALVE_PERIODE = ("omlaag", "omhoog")
# What a request about a toewijzing whose einddatum has passed gets (``beeindigd.gedrag``).
BEEINDIGD = ("waarschuwing", "weigering")

_MISSING = object()


@dataclass(frozen=True)
class Profiel:
    """One region's agreements; ``bestand`` says where they were read from."""

    naam: str
    titel: str
    werkwijze: str
    data: dict[str, Any] = field(repr=False)
    bestand: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        """The value at a dotted key (``"richtlijn.max_verlenging_maanden"``), or ``default``."""
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def has(self, key: str) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def route_buiten(self, verwijzer: str) -> str:
        return str(self.get(f"verwijzer.{verwijzer}.route_buiten", "toegang"))


def load(regio_or_path: str | Path) -> Profiel:
    """A shipped profile by name, or a profile file by path (validated)."""
    text = str(regio_or_path)
    if text in REGIOS:
        ref = resources.files("ijwcli.verlenging.profielen").joinpath(f"{text}.toml")
        return _parse(ref.read_text("utf-8"), f"{text}.toml")
    path = Path(text)
    try:
        bestaat = path.exists()
    except OSError:  # a name too long for the file system, say: no profile file
        bestaat = False
    if path.suffix.lower() != ".toml" and not bestaat:
        raise UsageError(f"onbekende regio {text!r} (kies uit: {', '.join(sorted(REGIOS))}, "
                         "of geef een profielbestand)")
    try:
        data = path.read_text("utf-8")
    except FileNotFoundError:
        raise FileError("profielbestand bestaat niet", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileError(f"profielbestand is niet te lezen ({exc})", where=str(path)) from None
    return _parse(data, str(path))


# key -> (type(s), required); checked on every profile so a typo fails at load, not mid-run.
_SCHEMA: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "naam": (str, True),
    "titel": (str, True),
    "werkwijze": (str, True),
    "afronding.dagdelen_per_dag": (int, False),
    "afronding.einde_maand_volgt": (bool, False),
    "afronding.begonnen_maand_telt_heel": (bool, False),
    "afronding.halve_periode": (str, False),
    "richtlijn.max_verlenging_maanden": (int, False),
    "richtlijn.max_extra_volume_procent": ((int, float), False),
    "verkorting.aftoppen": (bool, False),
    "verkorting.berichten": (list, False),
    "overlap.max_maanden": (int, False),
    "einddatum_verschuiven.max_procent": ((int, float), False),
    "einddatum_verschuiven.max_maanden": (int, False),
    "einddatum_verschuiven.eenmalig": (bool, False),
    "einddatum_verschuiven.verwijzers": (list, False),
    "wijziging_volume.verwijzers_jw317": (list, False),
    "terugval.binnen_maanden": (int, False),
    "terugval.volume": (int, False),
    "terugval.maanden": (int, False),
    "terugval.eenheid": (str, False),
    "terugval.frequentie": (str, False),
    "naar_groep.verwijzers": (list, False),
    "maximum_termijnen.groepen": (dict, False),
    "jeugdzorgplus.type_verwijzers": (list, False),
    "jeugdzorgplus.aanbieders": (list, False),
    "productrichtlijnen.producten": (dict, False),
    "type_verwijzer": (dict, False),
    "beeindigd.gedrag": (str, False),
    "beeindigd.bron": (str, False),
    "naar_groep.producten": (dict, False),
    "jw319.reden_gi": (str, False),
    "jw319.reden_buiten": (str, False),
}

_TYPE_NL = {str: "tekst", int: "geheel getal", bool: "true/false", list: "lijst", dict: "tabel",
            float: "getal"}


def _parse(text: str, name: str) -> Profiel:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"profiel is geen geldige TOML ({exc})", where=name) from None
    p = Profiel(str(data.get("naam", "")), str(data.get("titel", "")),
                str(data.get("werkwijze", "")), data, name)
    for key, (types, required) in _SCHEMA.items():
        value = p.get(key, _MISSING)
        if value is _MISSING:
            if required:
                raise UsageError(f"sleutel '{key}' ontbreekt", where=f"profiel {name}")
            continue
        # bool is an int in Python; a count of true is a typo, not a number.
        wrong_bool = isinstance(value, bool) and types is not bool
        if wrong_bool or not isinstance(value, types):
            alle = types if isinstance(types, tuple) else (types,)
            want = " of ".join(_TYPE_NL[t] for t in alle)
            raise UsageError(f"sleutel '{key}' moet een {want} zijn, niet {value!r}",
                             where=f"profiel {name}")
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            raise UsageError(f"sleutel '{key}' mag niet negatief zijn ({value})",
                             where=f"profiel {name}")
    halve = p.get("afronding.halve_periode")
    if halve is not None and halve not in HALVE_PERIODE:
        raise UsageError(f"sleutel 'afronding.halve_periode' moet een van "
                         f"{', '.join(HALVE_PERIODE)} zijn, niet {halve!r}",
                         where=f"profiel {name}")
    gedrag = p.get("beeindigd.gedrag")
    if gedrag is not None and gedrag not in BEEINDIGD:
        raise UsageError(f"sleutel 'beeindigd.gedrag' moet een van {', '.join(BEEINDIGD)} "
                         f"zijn, niet {gedrag!r}", where=f"profiel {name}")
    for code, w in (p.get("type_verwijzer") or {}).items():
        if w not in VERWIJZERS:
            raise UsageError(f"sleutel 'type_verwijzer.{code}' moet een van "
                             f"{', '.join(VERWIJZERS)} zijn, niet {w!r}", where=f"profiel {name}")
    if p.werkwijze not in WERKWIJZEN:
        raise UsageError(f"sleutel 'werkwijze' moet een van {', '.join(WERKWIJZEN)} zijn, "
                         f"niet {p.werkwijze!r}", where=f"profiel {name}")
    for verwijzer in VERWIJZERS:
        route = p.get(f"verwijzer.{verwijzer}.route_buiten")
        if route is not None and route not in ROUTES:
            raise UsageError(f"sleutel 'verwijzer.{verwijzer}.route_buiten' moet een van "
                             f"{', '.join(ROUTES)} zijn, niet {route!r}", where=f"profiel {name}")
    if p.werkwijze == "backoffice-richtlijn":
        for key in ("richtlijn.max_verlenging_maanden", "richtlijn.max_extra_volume_procent"):
            if not p.has(key):
                raise UsageError(f"sleutel '{key}' ontbreekt (nodig bij werkwijze "
                                 "backoffice-richtlijn)", where=f"profiel {name}")
    if p.werkwijze == "verzoek-om-wijziging":
        for key in ("einddatum_verschuiven.max_procent", "einddatum_verschuiven.max_maanden"):
            if not p.has(key):
                raise UsageError(f"sleutel '{key}' ontbreekt (nodig bij werkwijze "
                                 "verzoek-om-wijziging)", where=f"profiel {name}")
    for groep, g in (p.get("maximum_termijnen.groepen") or {}).items():
        if not isinstance(g, dict) or not (isinstance(g.get("maanden"), int)
                                           or isinstance(g.get("weken"), int)):
            raise UsageError(f"sleutel 'maximum_termijnen.groepen.{groep}' heeft geen maanden "
                             "of weken (geheel getal)", where=f"profiel {name}")
    return p
