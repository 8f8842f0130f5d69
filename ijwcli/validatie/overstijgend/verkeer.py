"""The earlier traffic as indexes: one pass over the history, then dictionary lookups.

The cross-message rules ask the same few questions of the history thousands of times (which
toewijzing has this number, is there a debet for this month, was this ReferentieNummer used):
:class:`Verkeer` reads every earlier message once, files its facts under the keys the rules
look up, and so keeps a declaratie of 10,000 prestaties against 100,000 toewijzingen linear.

What counts as earlier traffic:

- an invalid message (``geldig=False``) is remembered but changes no state;
- a message whose retourbericht rejected it (RetourCode 0001 in the header) changes no state;
- a declared prestatie that a JW325 rejected is not approved, and a declaratie that the JW325
  rejected as a whole has no approved prestaties at all;
- a toewijzing's current version is the latest JW301 for its number (an intrekking with
  RedenWijziging 13 included), in the order of the traffic.

Keys carry the parties: a ToewijzingNummer is unique per gemeente (TR332), a ReferentieNummer
and a DeclaratieNummer per aanbieder (TR314, TR333), a ReferentieAanbieder per aanbieder
(TR347).

>>> from pathlib import Path
>>> from ijwcli.validatie.historie import EerderBericht
>>> jw301 = EerderBericht.uit_bytes(Path("samples/jw301_toewijzing.xml").read_bytes(), "uit")
>>> v = Verkeer([jw301])
>>> t = v.toewijzing("0855", "700001")
>>> t.bsn, t.code, t.ingangsdatum.isoformat(), t.volume, t.bericht.identificatie
('999900018', '45A05', '2026-03-01', 100, 'T2026030201')
>>> v.toewijzing("0855", "700002") is None
True
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from ijwcli.validatie.historie import EerderBericht

# Minutes per unit, for the units that convert into each other.
TIJD = {"01": 1, "04": 60}
# The list element around each product class of a JW317.
LIJST = {"OngewijzigdProduct": "OngewijzigdeProducten", "TeWijzigenProduct": "TeWijzigenProducten",
         "NieuwProduct": "NieuweProducten"}
RETOUR = {"JW302": "JW301", "JW306": "JW305", "JW308": "JW307", "JW316": "JW315",
          "JW318": "JW317", "JW320": "JW319"}
_LOCAL: dict[str, str] = {}


def naam(el: etree._Element) -> str:
    tag = el.tag
    n = _LOCAL.get(tag)  # type: ignore[call-overload]
    if n is None:
        n = tag.rpartition("}")[2]  # type: ignore[union-attr]
        if len(_LOCAL) < 5000:
            _LOCAL[tag] = n  # type: ignore[index]
    return n


def plat(el: etree._Element, prefix: str = "", uit: dict[str, str] | None = None,
         diepte: int = 2) -> dict[str, str]:
    """The text of the leaves below ``el`` by path (``Product/Code``), ``diepte`` levels down.

    One pass over a product's children instead of a ``find`` per field.
    """
    uit = {} if uit is None else uit
    for c in el:
        if not isinstance(c.tag, str):
            continue
        n = prefix + naam(c)
        if len(c):
            if diepte > 1:
                plat(c, n + "/", uit, diepte - 1)
        else:
            t = c.text
            if t is not None and (t := t.strip()):
                uit.setdefault(n, t)
    return uit


def kinderen(el: etree._Element, *namen: str) -> list[etree._Element]:
    """The child elements of ``el`` (any namespace) along the path of local ``namen``."""
    laag = [el]
    for n in namen:
        laag = [c for e in laag for c in e if isinstance(c.tag, str) and naam(c) == n]
    return laag


def datum(tekst: str | None) -> dt.date | None:
    if not tekst:
        return None
    try:
        return dt.date.fromisoformat(tekst)
    except ValueError:
        return None


def getal(tekst: str | None) -> int | None:
    if tekst is None:
        return None
    try:
        return int(tekst)
    except ValueError:
        return None


def header(root: etree._Element) -> dict[str, str]:
    for c in root:
        if isinstance(c.tag, str) and naam(c) == "Header":
            return plat(c)
    return {}


@dataclass
class Toewijzing:
    """One version of a ToegewezenProduct, as a JW301 carried it."""

    nummer: str
    gemeente: str
    aanbieder: str
    bsn: str
    velden: dict[str, str]
    bericht: EerderBericht

    @property
    def categorie(self) -> str | None:
        return self.velden.get("Product/Categorie")

    @property
    def code(self) -> str | None:
        return self.velden.get("Product/Code")

    @property
    def ingangsdatum(self) -> dt.date | None:
        return datum(self.velden.get("Ingangsdatum"))

    @property
    def einddatum(self) -> dt.date | None:
        return datum(self.velden.get("Einddatum"))

    @property
    def volume(self) -> int | None:
        return getal(self.velden.get("Omvang/Volume"))

    @property
    def eenheid(self) -> str | None:
        return self.velden.get("Omvang/Eenheid")

    @property
    def frequentie(self) -> str | None:
        return self.velden.get("Omvang/Frequentie")

    @property
    def budget(self) -> int | None:
        return getal(self.velden.get("Budget"))

    @property
    def referentie(self) -> str | None:
        return self.velden.get("ReferentieAanbieder")

    @property
    def ingetrokken(self) -> bool:
        return self.velden.get("RedenWijziging") == "13"

    def actueel_op(self, dag: dt.date) -> bool:
        """Current on ``dag``: not withdrawn and not ended before it."""
        eind = self.einddatum
        return not self.ingetrokken and (eind is None or eind >= dag)


@dataclass
class Levering:
    """A StartProduct (JW305) or StopProduct (JW307) as it was sent."""

    bsn: str
    velden: dict[str, str]
    bericht: EerderBericht

    @property
    def sleutel(self) -> tuple[str, str, str]:
        return (self.bsn, self.velden.get("ToewijzingNummer", ""),
                self.velden.get("Begindatum", ""))

    @property
    def status(self) -> str | None:
        return self.velden.get("StatusAanlevering")

    @property
    def reden(self) -> str | None:
        return self.velden.get("RedenBeeindiging")

    @property
    def einddatum(self) -> dt.date | None:
        return datum(self.velden.get("Einddatum"))


@dataclass
class Prestatie:
    """A declared prestatie (JW323) with the declaratie it came in."""

    bsn: str
    velden: dict[str, str]
    bericht: EerderBericht
    gemeente: str
    aanbieder: str

    @property
    def referentie(self) -> str:
        return self.velden.get("ProductReferentie/ReferentieNummer", "")

    @property
    def vorige(self) -> str | None:
        return self.velden.get("ProductReferentie/VorigReferentieNummer")

    @property
    def debet(self) -> bool:
        return self.velden.get("IngediendBedrag/DebetCredit") == "D"

    @property
    def nummer(self) -> str:
        return self.velden.get("ToewijzingNummer", "")

    @property
    def periodesleutel(self) -> tuple[str, ...]:
        v = self.velden
        return (self.gemeente, self.aanbieder, self.nummer,
                v.get("ProductPeriode/Begindatum", ""), v.get("ProductPeriode/Einddatum", ""),
                v.get("ProductCategorie", ""), v.get("ProductCode", ""))

    @property
    def volume(self) -> int:
        return getal(self.velden.get("GeleverdVolume")) or 0

    @property
    def bedrag(self) -> int:
        return getal(self.velden.get("IngediendBedrag/Bedrag")) or 0


@dataclass
class Declaratie:
    """A JW323 as the JW325 rules compare with it."""

    bericht: EerderBericht
    velden: dict[str, str]          # Declaratie's own leaves (DeclaratieNummer, periode …)
    xsd: dict[str, str]             # the header's XsdVersie
    prestaties: dict[str, Prestatie] = field(default_factory=dict)  # by ReferentieNummer


@dataclass
class Verzoek:
    """A JW315 AangevraagdProduct or a JW317 Verzoek: one ReferentieAanbieder."""

    referentie: str
    bsn: str
    gemeente: str
    aanbieder: str
    bericht: EerderBericht


class Verkeer:
    """Indexes over the earlier traffic; see the module docstring."""

    def __init__(self, historie: Sequence[EerderBericht] | Iterable[EerderBericht]) -> None:
        historie = list(historie)
        self.identificaties: dict[tuple[str, str, str], EerderBericht] = {}
        self.toewijzingen: dict[tuple[str, str], list[Toewijzing]] = defaultdict(list)
        self.per_client: dict[tuple[str, str, str], dict[str, None]] = defaultdict(dict)
        self.starts: dict[tuple[str, str, str, str], Levering] = {}
        self.starts_per_nummer: dict[tuple[str, str], dict[tuple[str, str, str], None]] = (
            defaultdict(dict))
        self.eerder_gestart: set[tuple[str, str, str, str]] = set()
        self.stops: dict[tuple[str, str, str, str], list[Levering]] = defaultdict(list)
        self.eerder_gestopt: set[tuple[str, str, str, str]] = set()
        self.verzoeken: dict[tuple[str, str], Verzoek] = {}
        self.verzoeken_per_client: dict[tuple[str, str, str], list[Verzoek]] = defaultdict(list)
        self.toegewezen_refs: dict[tuple[str, str], EerderBericht] = {}
        self.antwoorden: dict[tuple[str, str], list[tuple[str, EerderBericht]]] = (
            defaultdict(list))
        self.prestaties: dict[tuple[str, str], Prestatie] = {}
        self.declaratienummers: dict[tuple[str, str], EerderBericht] = {}
        self.declaraties: dict[tuple[str, str], Declaratie] = {}
        self.periodes: dict[tuple[str, str], list[tuple[dt.date, dt.date, EerderBericht]]] = (
            defaultdict(list))
        self.afgewezen: set[tuple[str, str]] = set()    # (aanbieder, ReferentieNummer)
        self.beantwoord: dict[tuple[str, str], EerderBericht] = {}  # JW323 → its JW325
        self._afgekeurd = self._afgekeurde_berichten(historie)
        for e in historie:
            self._lees(e)
        self._afleiden()

    # --- reading -------------------------------------------------------------------------------
    @staticmethod
    def _afgekeurde_berichten(historie: list[EerderBericht]) -> set[tuple[str, str, str]]:
        """(code, afzender, identificatie) of every message a retourbericht rejected."""
        uit: set[tuple[str, str, str]] = set()
        for e in historie:
            heen = RETOUR.get(e.code)
            if heen is None or not e.geldig:
                continue
            root = e.tree.getroot()
            for h in kinderen(root, "Header"):
                codes = {c.text.strip() for c in kinderen(h, "RetourCodes", "RetourCode")
                         if c.text}
                if "0001" in codes:
                    v = plat(h)
                    uit.add((heen, v.get("Afzender", ""),
                             v.get("BerichtIdentificatie/Identificatie", "")))
        return uit

    def _lees(self, e: EerderBericht) -> None:
        self.identificaties.setdefault((e.code, e.afzender, e.identificatie), e)
        if not e.geldig or (e.code, e.afzender, e.identificatie) in self._afgekeurd:
            return
        lezer = getattr(self, f"_lees_{e.code.lower()}", None)
        if lezer is not None:
            lezer(e, e.tree.getroot())

    def _lees_jw301(self, e: EerderBericht, root: etree._Element) -> None:
        for client in kinderen(root, "Client"):
            bsn = plat(client, diepte=1).get("Bsn", "")
            for p in kinderen(client, "ToegewezenProducten", "ToegewezenProduct"):
                v = plat(p)
                nummer = v.get("ToewijzingNummer", "")
                t = Toewijzing(nummer, e.afzender, e.ontvanger, bsn, v, e)
                self.toewijzingen[(e.afzender, nummer)].append(t)
                self.per_client[(e.afzender, e.ontvanger, bsn)][nummer] = None
                if t.referentie:
                    self.toegewezen_refs.setdefault((e.ontvanger, t.referentie), e)

    def _leveringen(self, e: EerderBericht, root: etree._Element, klasse: str,
                    ) -> Iterable[Levering]:
        for client in kinderen(root, "Client"):
            bsn = plat(client, diepte=1).get("Bsn", "")
            for p in kinderen(client, klasse + "en", klasse):
                yield Levering(bsn, plat(p), e)

    def _lees_jw305(self, e: EerderBericht, root: etree._Element) -> None:
        for lev in self._leveringen(e, root, "StartProduct"):
            sleutel = (e.ontvanger, *lev.sleutel)
            per_nummer = self.starts_per_nummer[(e.ontvanger, lev.sleutel[1])]
            if lev.status == "3":
                self.starts.pop(sleutel, None)
                per_nummer.pop(lev.sleutel, None)
            else:
                self.starts[sleutel] = lev
                per_nummer[lev.sleutel] = None
            self.eerder_gestart.add(sleutel)

    def _lees_jw307(self, e: EerderBericht, root: etree._Element) -> None:
        for lev in self._leveringen(e, root, "StopProduct"):
            sleutel = (e.ontvanger, *lev.sleutel)
            lijst = self.stops[sleutel]
            if lev.status == "3":
                weg = [s for s in lijst if s.einddatum == lev.einddatum] or lijst[-1:]
                for s in weg:
                    lijst.remove(s)
            else:
                if lev.status == "2" and lijst:
                    lijst.pop()  # a changed stop replaces the current one
                lijst.append(lev)
            self.eerder_gestopt.add(sleutel)

    def _verzoek(self, ref: str | None, bsn: str, e: EerderBericht) -> None:
        if not ref:
            return
        v = Verzoek(ref, bsn, e.ontvanger, e.afzender, e)
        self.verzoeken.setdefault((e.afzender, ref), v)
        self.verzoeken_per_client[(e.ontvanger, e.afzender, bsn)].append(v)

    def _lees_jw315(self, e: EerderBericht, root: etree._Element) -> None:
        for client in kinderen(root, "Client"):
            bsn = plat(client, diepte=1).get("Bsn", "")
            for p in kinderen(client, "AangevraagdeProducten", "AangevraagdProduct"):
                self._verzoek(plat(p, diepte=1).get("ReferentieAanbieder"), bsn, e)

    def _lees_jw317(self, e: EerderBericht, root: etree._Element) -> None:
        for client in kinderen(root, "Client"):
            bsn = plat(client, diepte=1).get("Bsn", "")
            for vz in kinderen(client, "Verzoek"):
                self._verzoek(plat(vz, diepte=1).get("ReferentieAanbieder"), bsn, e)

    def _lees_jw319(self, e: EerderBericht, root: etree._Element) -> None:
        for a in kinderen(root, "Antwoord"):
            v = plat(a, diepte=1)
            ref = v.get("ReferentieAanbieder")
            if ref:
                self.antwoorden[(e.ontvanger, ref)].append((v.get("VerzoekAntwoord", ""), e))

    def _lees_jw323(self, e: EerderBericht, root: etree._Element) -> None:
        h = header(root)
        xsd = {k: v for k, v in h.items() if k.startswith("XsdVersie/")}
        for d in kinderen(root, "Declaratie"):
            velden = plat(d)
            decl = Declaratie(e, velden, xsd)
            self.declaraties[(e.afzender, e.identificatie)] = decl
            nummer = velden.get("DeclaratieNummer")
            if nummer:
                self.declaratienummers.setdefault((e.afzender, nummer), e)
            begin = datum(velden.get("DeclaratiePeriode/Begindatum"))
            eind = datum(velden.get("DeclaratiePeriode/Einddatum"))
            if begin and eind:
                self.periodes[(e.afzender, e.ontvanger)].append((begin, eind, e))
            for client in kinderen(d, "Clienten", "Client"):
                bsn = plat(client, diepte=1).get("Bsn", "")
                for p in kinderen(client, "Prestaties", "Prestatie"):
                    pr = Prestatie(bsn, plat(p), e, e.ontvanger, e.afzender)
                    decl.prestaties.setdefault(pr.referentie, pr)
                    self.prestaties.setdefault((e.afzender, pr.referentie), pr)

    def _lees_jw325(self, e: EerderBericht, root: etree._Element) -> None:
        h = header(root)
        decl_id = h.get("DeclaratieIdentificatie/Identificatie", "")
        self.beantwoord.setdefault((e.ontvanger, decl_id), e)
        codes = {c.text.strip() for c in root.iter("{*}RetourCode") if c.text
                 and naam(c.getparent().getparent()) in ("Header", "DeclaratieAntwoord")}
        decl = self.declaraties.get((e.ontvanger, decl_id))
        if codes - {"0200", "8001"} and decl is not None:
            # Rejected as a whole: none of its prestaties was approved.
            self.afgewezen.update((e.ontvanger, r) for r in decl.prestaties)
        for p in root.iter("{*}Prestatie"):
            ref = plat(p).get("ProductReferentie/ReferentieNummer")
            if ref:
                self.afgewezen.add((e.ontvanger, ref))

    # --- derived state ---------------------------------------------------------------------------
    def _afleiden(self) -> None:
        """Approved debets, what credits cancelled, and the declared totals per toewijzing."""
        self.gecrediteerd: dict[tuple[str, str], Prestatie] = {}  # debet ref → its credit
        for (aanbieder, _ref), p in self.prestaties.items():
            if not p.debet and p.vorige and (aanbieder, p.referentie) not in self.afgewezen:
                self.gecrediteerd.setdefault((aanbieder, p.vorige), p)
        self.actieve_debet: dict[tuple[str, ...], Prestatie] = {}
        self.gedeclareerd_volume: dict[tuple[str, str], float] = defaultdict(float)
        self.gedeclareerd_bedrag: dict[tuple[str, str], int] = defaultdict(int)
        for (aanbieder, ref), p in self.prestaties.items():
            if (not p.debet or (aanbieder, ref) in self.afgewezen
                    or (aanbieder, ref) in self.gecrediteerd):
                continue
            self.actieve_debet.setdefault(p.periodesleutel, p)
            volume: float = p.volume
            t = self.toewijzing(p.gemeente, p.nummer)
            eenheid = p.velden.get("Eenheid")
            if t is not None and eenheid in TIJD and t.eenheid in TIJD:
                volume = volume * TIJD[eenheid] / TIJD[t.eenheid]  # type: ignore[index]
            self.gedeclareerd_volume[(p.gemeente, p.nummer)] += volume
            self.gedeclareerd_bedrag[(p.gemeente, p.nummer)] += p.bedrag

    # --- questions -------------------------------------------------------------------------------
    def toewijzing(self, gemeente: str, nummer: str) -> Toewijzing | None:
        """The current version of toewijzing ``nummer`` of ``gemeente``, if it was sent."""
        versies = self.toewijzingen.get((gemeente, nummer))
        return versies[-1] if versies else None

    def actuele_toewijzingen(self, gemeente: str, aanbieder: str, bsn: str,
                             dag: dt.date) -> list[Toewijzing]:
        uit = []
        for nummer in self.per_client.get((gemeente, aanbieder, bsn), ()):
            t = self.toewijzing(gemeente, nummer)
            if t is not None and t.bsn == bsn and t.aanbieder == aanbieder and t.actueel_op(dag):
                uit.append(t)
        return uit

    def actuele_start(self, gemeente: str, nummer: str) -> list[Levering]:
        """The starts of toewijzing ``nummer`` that no stop has ended yet."""
        uit = []
        for sleutel in self.starts_per_nummer.get((gemeente, nummer), ()):
            if not self.stops.get((gemeente, *sleutel)):
                start = self.starts.get((gemeente, *sleutel))
                if start is not None:
                    uit.append(start)
        return uit

    def goedgekeurd(self, aanbieder: str, ref: str) -> bool:
        return (aanbieder, ref) in self.prestaties and (aanbieder, ref) not in self.afgewezen

    def open_verzoeken(self, gemeente: str, aanbieder: str, bsn: str) -> list[Verzoek]:
        """Verzoeken of the client not yet answered by a JW301 or a rejecting JW319."""
        uit = []
        for v in self.verzoeken_per_client.get((gemeente, aanbieder, bsn), ()):
            if (aanbieder, v.referentie) in self.toegewezen_refs:
                continue
            if any(a == "1" for a, _ in self.antwoorden.get((aanbieder, v.referentie), ())):
                continue
            uit.append(v)
        return uit
