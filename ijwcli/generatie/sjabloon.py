"""Templates for generated messages: the sender's fixed values plus placeholders for case data.

A template is a TOML file (``templates/jw301.toml``, ``templates/jw307.toml`` are the shipped
ones; users copy and adapt them). It holds:

- ``bericht``: the message type it is for (``"JW301"`` or ``"JW307"``);
- ``[afzender]``: ``gemeentecode`` (JW301) or ``agb`` (JW307) of the sender;
- ``[standaard]``: defaults such as ``commentaar``, ``tijd`` (Toewijzingstijd), ``teller`` (a
  counter file for ToewijzingNummers), ``reden`` (RedenBeeindiging), ``status``;
- ``[client]`` and ``[product]``: extra elements by their path in the message model
  (``"Contactgegevens/Contact/Adres/Postcode"``), filled only where the case data leaves
  them empty.

Values in ``[afzender]``, ``[client]`` and ``[product]`` may hold placeholders: ``{postcode}``
must get a value from the case data (a data column or ``--waarde postcode=…``),
``{huisletter?}`` may stay empty, and then the element is left out. ``[standaard]`` holds fixed
values only, and a brace outside a valid placeholder (``{Postcode}``) is refused.
Every key, path and fixed value is checked against the message model when the template is
loaded; a mistake gives :class:`SjabloonFout` naming the file, line and key.

>>> s = laad_tekst('''
... bericht = "JW301"
... [afzender]
... gemeentecode = "0384"
... [client]
... "Naam/NaamGebruik" = "1"
... "Contactgegevens/Contact/Adres/Postcode" = "{postcode}"
... ''', "voorbeeld.toml")
>>> s.afzender, s.placeholders()
('0384', ['postcode'])
>>> laad_tekst('bericht = "JW301"\\n[client]\\n"Naam/Roepnaam" = "x"\\n', "fout.toml")
... # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
ijwcli.generatie.sjabloon.SjabloonFout: fout.toml regel 3 tabel client, sleutel 'Naam/Roepnaam': ...
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ijwcli.errors import FileError, UsageError
from ijwcli.model.berichten import BERICHTEN
from ijwcli.model.datatypes import Datatype, Klasse

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(\?)?\}")

# What the generator itself fills: a template may not overrule the case's key data.
_BEHEERD: dict[str, dict[str, frozenset[str]]] = {
    "JW301": {
        "client": frozenset({"Bsn", "Geboortedatum", "Geslacht", "ToegewezenProducten"}),
        "product": frozenset({"ToewijzingNummer", "ReferentieAanbieder", "Product",
                              "Toewijzingsdatum", "Toewijzingstijd", "Ingangsdatum",
                              "Einddatum", "RedenWijziging", "Omvang", "Budget"}),
    },
    "JW307": {
        "client": frozenset({"Bsn", "Geboortedatum", "Geslacht", "StopProducten"}),
        "product": frozenset({"ToewijzingNummer", "Product", "ToewijzingIngangsdatum",
                              "Begindatum", "RedenBeeindiging", "Einddatum",
                              "StatusAanlevering"}),
    },
}
_PRODUCTKLASSE = {"JW301": "ToegewezenProduct", "JW307": "StopProduct"}
_AFZENDER = {"JW301": ("gemeentecode", "LDT_Gemeente"), "JW307": ("agb", "LDT_AgbCode")}
# Keys of [standaard] per message type, with the datatype that checks a fixed value (None: any
# text that is checked elsewhere, such as a file name).
_STANDAARD: dict[str, dict[str, str | None]] = {
    "JW301": {"commentaar": "LDT_Commentaar", "tijd": "LDT_Tijd", "teller": None},
    "JW307": {"reden": "LDT_RedenBeeindiging", "status": "LDT_StatusAanlevering"},
}


class SjabloonFout(UsageError):
    """A template that does not fit the message model; ``where`` names file, line and key."""


def controleer_waarde(t: Datatype, waarde: str) -> str | None:
    """Why ``waarde`` is not a valid value of datatype ``t``, or ``None`` when it is.

    >>> from ijwcli.model.datatypes import LDT
    >>> controleer_waarde(LDT["LDT_Eenheid"], "04") is None
    True
    >>> controleer_waarde(LDT["LDT_Gemeente"], "384")
    "'384' past niet in LDT_Gemeente (patroon [0-9]{4})"
    >>> controleer_waarde(LDT["LDT_Tijd"], "25:00:00")
    "'25:00:00' is geen geldige tijd (UU:MM:SS)"
    """
    naam = t.name or (t.parent.name if t.parent else "waarde")
    if t.codes and waarde not in t.codes:
        return f"{waarde!r} is geen code van {naam} (kies uit {', '.join(t.codes)})"
    if t.base == "date":
        try:
            dt.date.fromisoformat(waarde)
        except ValueError:
            return f"{waarde!r} is geen geldige datum (JJJJ-MM-DD)"
    if t.base == "time":
        try:
            dt.time.fromisoformat(waarde)
        except ValueError:
            return f"{waarde!r} is geen geldige tijd (UU:MM:SS)"
    if t.base == "integer":
        if not re.fullmatch(r"[0-9]+", waarde):
            return f"{waarde!r} is geen geheel getal"
        if t.max_value is not None and int(waarde) > t.max_value:
            return f"{waarde} is groter dan {t.max_value}"
    if t.max_length is not None and len(waarde) > t.max_length:
        return f"{waarde!r} is langer dan {t.max_length} tekens"
    soort: Datatype | None = t
    while soort is not None:
        for p in soort.patterns:
            if not re.fullmatch(p, waarde, re.DOTALL):
                return f"{waarde!r} past niet in {naam} (patroon {p})"
        soort = soort.parent
    return None


@dataclass
class Sjabloon:
    """A loaded, checked template."""

    bericht: str
    bron: str
    afzender: str | None = None
    standaard: dict[str, str] = field(default_factory=dict)
    client: dict[str, str] = field(default_factory=dict)
    product: dict[str, str] = field(default_factory=dict)

    @property
    def map(self) -> Path | None:
        """The folder of the template file (relative paths such as ``teller`` start there)."""
        p = Path(self.bron)
        return p.parent if p.suffix == ".toml" else None

    def placeholders(self) -> list[str]:
        """The names of all placeholders, in order of appearance, each once."""
        namen: list[str] = []
        waarden = [self.afzender or "", *self.standaard.values(), *self.client.values(),
                   *self.product.values()]
        for w in waarden:
            for m in _PLACEHOLDER.finditer(w):
                if m.group(1) not in namen:
                    namen.append(m.group(1))
        return namen

    def verplichte_placeholders(self) -> list[str]:
        vrij = {m.group(1) for w in self._alle() for m in _PLACEHOLDER.finditer(w) if m.group(2)}
        return [n for n in self.placeholders() if n not in vrij]

    def _alle(self) -> list[str]:
        return [self.afzender or "", *self.standaard.values(), *self.client.values(),
                *self.product.values()]


def enkele_placeholder(waarde: str | None) -> str | None:
    """The name of the placeholder ``waarde`` consists of, if it is exactly one.

    >>> [enkele_placeholder(w) for w in ("{postcode}", "{huisletter?}", "NL", "{a}{b}")]
    ['postcode', 'huisletter', None, None]
    """
    m = _PLACEHOLDER.fullmatch(waarde or "")
    return m.group(1) if m else None


def plaatshouders_in(waarde: str) -> list[str]:
    """The placeholder names in ``waarde``, in order.

    >>> plaatshouders_in("{straatnaam} {huisnummer?}"), plaatshouders_in("NL")
    (['straatnaam', 'huisnummer'], [])
    """
    return [m.group(1) for m in _PLACEHOLDER.finditer(waarde)]


def invullen(waarde: str, gegevens: dict[str, str], waar: str) -> str | None:
    """``waarde`` with its placeholders replaced; ``None`` when an optional one is empty.

    >>> invullen("{postcode}", {"postcode": "5038EA"}, "x")
    '5038EA'
    >>> invullen("{huisletter?}", {}, "x") is None
    True
    >>> invullen("{postcode}", {}, "rij 3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ijwcli.generatie.sjabloon.WaardenOntbreken: rij 3: 1 waarde ontbreekt...
    """
    inv = Invulling([Bron("--waarde", gegevens)])
    uit = inv.vul(waarde, None)
    inv.controleer(waar)
    return uit


# --- where placeholder values come from -------------------------------------------------------
# The sources, in the order they are asked (the first with a value wins). "bronbericht" holds
# only the parties and the BSN of the message answered: they name who the case is between.
BRONNEN = ("bronbericht", "--waarde", "datarij", "register", "configuratie")


@dataclass(frozen=True)
class Bron:
    """One source of placeholder values: its kind (one of :data:`BRONNEN`), the values, and
    where they are (a file, a row; ``plek`` may be a function of the placeholder's name, for a
    data row: its cell)."""

    soort: str
    waarden: Mapping[str, str]
    plek: str | Callable[[str], str] | None = None

    def waar(self, naam: str) -> str | None:
        return self.plek(naam) if callable(self.plek) else self.plek


@dataclass(frozen=True)
class Herkomst:
    """One value that went into a message and where it came from."""

    plaatshouder: str | None   # the template's placeholder, if it was one
    element: str | None        # where in the message (``Client/Contactgegevens/…``)
    waarde: str
    bron: str                  # one of BRONNEN
    plek: str | None = None    # file, row and column, register message, configuration file

    def to_dict(self) -> dict[str, str | None]:
        return {"plaatshouder": self.plaatshouder, "element": self.element,
                "waarde": self.waarde, "bron": self.bron, "plek": self.plek}


@dataclass
class Ontbreekt:
    """A required placeholder no source gave a value for, and what would fill it."""

    plaatshouder: str
    elementen: list[str]
    hoe: str                   # "--waarde postcode=…", "kolom postcode of --waarde postcode=…"

    def tekst(self) -> str:
        voor = f" ({', '.join(self.elementen)})" if self.elementen else ""
        return f"geen waarde voor {{{self.plaatshouder}}}{voor}: geef {self.hoe}"


class WaardenOntbreken(UsageError):
    """Required placeholders without a value, every one of them (``ontbrekend``)."""

    def __init__(self, ontbrekend: list[Ontbreekt], where: str | None = None,
                 opmerkingen: list[str] | None = None) -> None:
        self.ontbrekend = ontbrekend
        self.opmerkingen = list(dict.fromkeys(opmerkingen or []))
        n = len(ontbrekend)
        kop = "1 waarde ontbreekt" if n == 1 else f"{n} waarden ontbreken"
        regels = "".join(f"\n  - {o.tekst()}" for o in ontbrekend)
        regels += "".join(f"\n  ({m})" for m in self.opmerkingen)
        super().__init__(f"{kop}, er is niets geschreven:{regels}", where=where)

    @property
    def meldingen(self) -> list[str]:
        return [o.tekst() for o in self.ontbrekend] + self.opmerkingen


def _waarde_hoe(naam: str) -> str:
    return f"--waarde {naam}=…"


class Invulling:
    """Fills placeholders from sources in order, remembering what came from where and every
    required value that none of them has, so one run reports all that is missing.

    >>> inv = Invulling([Bron("--waarde", {"postcode": "5038EA"}),
    ...                  Bron("configuratie", {"plaatsnaam": "Tilburg"}, "ijwcli.toml")])
    >>> inv.vul("{postcode}", "Adres/Postcode"), inv.vul("{plaatsnaam}", "Adres/Plaatsnaam")
    ('5038EA', 'Tilburg')
    >>> [(h.plaatshouder, h.bron, h.plek) for h in inv.herkomst]
    [('postcode', '--waarde', None), ('plaatsnaam', 'configuratie', 'ijwcli.toml')]
    >>> inv.vul("{huisnummer}", "Adres/Huisnummer"), inv.vul("{straatnaam}", "Adres/Straatnaam")
    (None, None)
    >>> inv.controleer("jw315.xml")  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
        ...
    ijwcli.generatie.sjabloon.WaardenOntbreken: jw315.xml: 2 waarden ontbreken, er is niets
    geschreven:
      - geen waarde voor {huisnummer} (Adres/Huisnummer): geef --waarde huisnummer=…
      - geen waarde voor {straatnaam} (Adres/Straatnaam): geef --waarde straatnaam=…
    """

    def __init__(self, bronnen: list[Bron], hoe: Callable[[str], str] = _waarde_hoe) -> None:
        self.bronnen = bronnen
        self.hoe = hoe
        self.herkomst: list[Herkomst] = []
        self.ontbrekend: dict[str, Ontbreekt] = {}
        self.opmerkingen: list[str] = []   # why a source was not used, told with the gaps

    def zoek(self, naam: str, soorten: Iterable[str] | None = None) -> tuple[str, Bron] | None:
        """The first value for ``naam`` and its source (only of kinds ``soorten`` if given)."""
        for b in self.bronnen:
            if soorten is not None and b.soort not in soorten:
                continue
            v = (b.waarden.get(naam) or "").strip()
            if v:
                return v, b
        return None

    def vul(self, waarde: str, element: str | None) -> str | None:
        """``waarde`` with its placeholders filled; ``None`` when an optional one is empty
        or a required one is missing (then recorded; :meth:`controleer` raises)."""
        leeg = ontbreekt = False

        def vervang(m: re.Match[str]) -> str:
            nonlocal leeg, ontbreekt
            naam = m.group(1)
            gevonden = self.zoek(naam)
            if gevonden is None:
                if m.group(2):
                    leeg = True
                else:
                    ontbreekt = True
                    o = self.ontbrekend.setdefault(naam, Ontbreekt(naam, [], self.hoe(naam)))
                    if element and element not in o.elementen:
                        o.elementen.append(element)
                return ""
            v, bron = gevonden
            self.herkomst.append(Herkomst(naam, element, v, bron.soort, bron.waar(naam)))
            return v

        uit = _PLACEHOLDER.sub(vervang, waarde)
        if ontbreekt:
            return None
        return None if leeg and not uit.strip() else uit

    def controleer(self, waar: str | None) -> None:
        """Raise :class:`WaardenOntbreken` with every missing value, if any."""
        if self.ontbrekend:
            raise WaardenOntbreken(list(self.ontbrekend.values()), where=waar,
                                   opmerkingen=self.opmerkingen)


def _regel(tekst: str, sleutel: str) -> int | None:
    for i, line in enumerate(tekst.splitlines(), start=1):
        if sleutel in line.split("=", 1)[0] and "=" in line:
            return i
    return None


def _klasse_pad(k: Klasse, pad: str) -> Datatype:
    """The datatype at ``pad`` below class ``k``; ``KeyError`` with a Dutch reason otherwise."""
    delen = pad.split("/")
    huidig = k
    for i, deel in enumerate(delen):
        try:
            el = huidig.element(deel)
        except KeyError:
            raise KeyError(f"{huidig.name} kent geen element {deel!r}") from None
        laatste = i == len(delen) - 1
        if isinstance(el.type, Klasse):
            if laatste:
                raise KeyError(f"{deel} is een klasse; geef het pad naar een waarde-element "
                               f"({', '.join(e.name for e in el.type.elements)})")
            huidig = el.type
        elif not laatste:
            raise KeyError(f"{deel} is een waarde-element en heeft geen onderdelen")
        else:
            return el.type
    raise KeyError("leeg pad")  # pragma: no cover - split always gives one part


def laad_tekst(tekst: str, bron: str, bericht: str | None = None) -> Sjabloon:
    """Parse and check template text; ``bericht`` is the type the caller expects."""
    try:
        data = tomllib.loads(tekst)
    except tomllib.TOMLDecodeError as exc:
        raise SjabloonFout(f"geen geldige TOML: {exc}", where=bron) from None

    def fout(sleutel: str, reden: str, sectie: str | None = None) -> SjabloonFout:
        nr = _regel(tekst, sleutel)
        plek = f"{bron} regel {nr}" if nr else bron
        # No [brackets] in messages: the CLI prints them through Rich, which reads them as markup.
        sleutelnaam = f"tabel {sectie}, sleutel {sleutel!r}" if sectie else repr(sleutel)
        return SjabloonFout(reden, where=f"{plek} {sleutelnaam}")

    code = str(data.get("bericht", "")).upper()
    if code not in _BEHEERD:
        raise fout("bericht", f"bericht moet \"JW301\" of \"JW307\" zijn, niet {code or 'leeg'!r}")
    if bericht and code != bericht.upper():
        raise fout("bericht", f"dit sjabloon is voor {code}, niet voor {bericht.upper()}")
    for sleutel in data:
        if sleutel not in ("bericht", "afzender", "standaard", "client", "product"):
            raise fout(sleutel, "onbekende sleutel (bekend: bericht en de tabellen afzender, "
                       "standaard, client, product)")
    from ijwcli.model.datatypes import LDT

    s = Sjabloon(code, bron)
    afz_sleutel, afz_type = _AFZENDER[code]
    afzender = data.get("afzender", {})
    if not isinstance(afzender, dict):
        raise fout("afzender", "moet een tabel zijn")
    for sleutel, waarde in afzender.items():
        if sleutel != afz_sleutel:
            raise fout(sleutel, f"onbekende sleutel; {code} kent alleen {afz_sleutel}",
                       "afzender")
        s.afzender = _tekst(waarde, lambda r, k=sleutel: fout(k, r, "afzender"))
        _check(LDT[afz_type], s.afzender, lambda r, k=sleutel: fout(k, r, "afzender"))

    standaard = data.get("standaard", {})
    if not isinstance(standaard, dict):
        raise fout("standaard", "moet een tabel zijn")
    for sleutel, waarde in standaard.items():
        if sleutel not in _STANDAARD[code]:
            raise fout(sleutel, f"onbekende sleutel; {code} kent "
                       f"{', '.join(_STANDAARD[code])}", "standaard")
        tekstwaarde = _tekst(waarde, lambda r, k=sleutel: fout(k, r, "standaard"))
        if not tekstwaarde:
            continue  # an empty default means: no default
        if "{" in tekstwaarde or "}" in tekstwaarde:
            # Defaults are used as they are; a placeholder here would land in the message as
            # the literal text "{naam}" (or, for tijd and reden, fail only at validation).
            raise fout(sleutel, "plaatshouders ({naam}) kunnen alleen in de tabellen afzender, "
                       "client en product; hier staat een vaste waarde", "standaard")
        type_naam = _STANDAARD[code][sleutel]
        if type_naam:
            _check(LDT[type_naam], tekstwaarde, lambda r, k=sleutel: fout(k, r, "standaard"))
        s.standaard[sleutel] = tekstwaarde

    d = BERICHTEN[code]
    client_klasse = d.root.element("Client").type
    assert isinstance(client_klasse, Klasse)
    product_klasse = d.klasse(_PRODUCTKLASSE[code])
    for sectie, klasse in (("client", client_klasse), ("product", product_klasse)):
        tabel = data.get(sectie, {})
        if not isinstance(tabel, dict):
            raise fout(sectie, "moet een tabel zijn")
        doel: dict[str, str] = getattr(s, sectie)
        for pad, waarde in tabel.items():
            def f(r: str, k: str = pad, sec: str = sectie) -> SjabloonFout:
                return fout(k, r, sec)
            if pad.split("/")[0] in _BEHEERD[code][sectie]:
                raise f(f"{pad.split('/')[0]} vult ijwcli zelf uit de invoer; "
                        "het sjabloon mag het niet zetten")
            try:
                t = _klasse_pad(klasse, pad)
            except KeyError as exc:
                raise f(str(exc.args[0])) from None
            tekstwaarde = _tekst(waarde, f)
            if tekstwaarde:
                _check(t, tekstwaarde, f)
                doel[pad] = tekstwaarde
    return s


def _tekst(waarde: object, fout: object) -> str:
    if isinstance(waarde, bool) or not isinstance(waarde, str | int):
        raise fout(f"waarde moet tekst tussen aanhalingstekens zijn, niet {waarde!r}")  # type: ignore[operator]
    tekst = str(waarde)
    # A brace that is not part of a valid placeholder is a typo ({Postcode}, {post code},
    # {postcode): left alone it would be written into the message as literal text.
    rest = _PLACEHOLDER.sub("", tekst)
    if "{" in rest or "}" in rest:
        raise fout(f"ongeldige plaatshouder in {tekst!r}: schrijf {{naam}} of {{naam?}} met "  # type: ignore[operator]
                   "kleine letters, cijfers en _")
    return tekst


def _check(t: Datatype, waarde: str, fout: object) -> None:
    """Check a fixed value (placeholders are checked when they are filled in)."""
    if _PLACEHOLDER.search(waarde):
        return
    reden = controleer_waarde(t, waarde)
    if reden:
        raise fout(reden)  # type: ignore[operator]


def laad(pad: str | Path | None, bericht: str) -> Sjabloon:
    """The template at ``pad``, or the shipped one for ``bericht`` when ``pad`` is ``None``."""
    if pad is None:
        tekst = standaard_tekst(bericht)
        return laad_tekst(tekst, f"standaardsjabloon {bericht.lower()}.toml", bericht)
    p = Path(pad)
    try:
        tekst = p.read_text("utf-8")
    except FileNotFoundError:
        raise FileError("sjabloon bestaat niet", where=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileError(f"sjabloon niet te lezen ({exc})", where=str(p)) from None
    return laad_tekst(tekst, str(p), bericht)


def standaard_tekst(bericht: str) -> str:
    """The text of the shipped template for ``bericht`` (the copy in the package)."""
    naam = f"{bericht.lower()}.toml"
    return resources.files("ijwcli.generatie.sjablonen").joinpath(naam).read_text("utf-8")
