"""The facts the register keeps of one message: identity, the keys that link it, its lines.

Read straight from the lxml tree by local name, in one pass, so an import of thousands of
messages pays little beyond the validation itself.

>>> from pathlib import Path
>>> from ijwcli.bericht import read_tree
>>> f = feiten(read_tree(Path("samples/jw301_toewijzing.xml").read_bytes()))
>>> f.code, f.identificatie, f.afzender, f.ontvanger, str(f.dagtekening)
('JW301', 'T2026030201', '0855', '12345678', '2026-03-02')
>>> sorted(f.sleutels)  # doctest: +NORMALIZE_WHITESPACE
[('bsn', '999900018'), ('ident', 'T2026030201'), ('referentie', 'VZ-2026-0042'),
 ('toewijzing', '700001')]
>>> r = f.regels[0]
>>> r["soort"], r["toewijzingnummer"], r["volume"], str(r["einddatum"])
('toegewezen', '700001', 100, '2027-02-28')
>>> g = feiten(read_tree(Path("samples/jw302_retour_toewijzing.xml").read_bytes()))
>>> g.code, g.identificatie, g.heen_identificatie, g.retourcodes[:1], g.regels
('JW302', 'RT2026030201', 'T2026030201', ['0200'], [])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ijwcli.bericht import definitie_van
from ijwcli.errors import InvalidMessage

# Element → the kind of line it is in the register.
REGELSOORTEN = {
    "ToegewezenProduct": "toegewezen",
    "AangevraagdProduct": "aangevraagd",
    "StartProduct": "start",
    "StopProduct": "stop",
    "OngewijzigdProduct": "ongewijzigd",
    "TeWijzigenProduct": "tewijzigen",
    "NieuwProduct": "nieuw",
    "Prestatie": "prestatie",
    "Antwoord": "antwoord",
}

# Path below the line element (local names) → column.
KOLOMMEN = {
    "ToewijzingNummer": "toewijzingnummer",
    "ReferentieAanbieder": "referentie",
    "ProductReferentie/ReferentieNummer": "referentie",
    "ProductReferentie/VorigReferentieNummer": "vorig_referentie",
    "Product/Categorie": "categorie",
    "ProductCategorie": "categorie",
    "Product/Code": "productcode",
    "ProductCode": "productcode",
    "Ingangsdatum": "begindatum",
    "ToewijzingIngangsdatum": "toewijzing_ingangsdatum",
    "GewensteIngangsdatum": "begindatum",
    "Begindatum": "begindatum",
    "ProductPeriode/Begindatum": "begindatum",
    "Einddatum": "einddatum",
    "ToewijzingEinddatum": "einddatum",
    "ProductPeriode/Einddatum": "einddatum",
    "Omvang/Volume": "volume",
    "GeleverdVolume": "volume",
    "Omvang/Eenheid": "eenheid",
    "Eenheid": "eenheid",
    "Omvang/Frequentie": "frequentie",
    "Budget": "budget",
    "IngediendBedrag/Bedrag": "bedrag",
    "IngediendBedrag/DebetCredit": "debetcredit",
    "RedenWijziging": "reden",
    "RedenBeeindiging": "reden",
    "VerzoekAntwoord": "reden",
    "Toewijzingsdatum": "datum",
    "Toewijzingstijd": "tijd",
}
DATUMS = {"begindatum", "einddatum", "toewijzing_ingangsdatum"}
GETALLEN = {"volume", "budget", "bedrag"}


@dataclass
class Feiten:
    code: str
    identificatie: str | None
    afzender: str | None
    ontvanger: str | None
    dagtekening: dt.date | None
    heen_identificatie: str | None = None
    sleutels: set[tuple[str, str]] = field(default_factory=set)
    regels: list[dict[str, Any]] = field(default_factory=list)
    retourcodes: list[str] = field(default_factory=list)   # every RetourCode, document order
    # Leaf classes of a retourbericht (or JW325): (element, its codes): how much was refused.
    retour_klassen: list[tuple[str, list[str]]] = field(default_factory=list)
    header_retourcodes: list[str] = field(default_factory=list)
    # A JW325's RetourCodes on the declaratie as a whole (DeclaratieAntwoord).
    declaratie_retourcodes: list[str] = field(default_factory=list)
    totalen: dict[str, int] = field(default_factory=dict)   # JW323/JW325 totals (signed cents)


def _naam(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _datum(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def _getal(s: str | None) -> int | None:
    if s is None:
        return None
    try:
        return int(s)
    except ValueError:
        return None


def _bladeren(el: etree._Element, prefix: str, out: dict[str, str]) -> None:
    for kind in el:
        n = _naam(kind)
        if not n or n == "RetourCodes":
            continue
        pad = f"{prefix}{n}"
        if len(kind):
            _bladeren(kind, pad + "/", out)
        elif kind.text is not None:
            out[pad] = kind.text.strip()


def _codes(el: etree._Element) -> list[str]:
    return [(c.text or "").strip() for c in el]


def _regel(el: etree._Element, soort: str, bsn: str | None) -> dict[str, Any]:
    waarden: dict[str, str] = {}
    _bladeren(el, "", waarden)
    r: dict[str, Any] = {"soort": soort, "bsn": bsn}
    # The RetourCodes of the line itself (a Prestatie of a JW325: why it was refused).
    codes = next((_codes(k) for k in el if _naam(k) == "RetourCodes"), None)
    if codes:
        r["retourcodes"] = " ".join(codes)[:60]
    for pad, kolom in KOLOMMEN.items():
        if pad in waarden and kolom not in r:
            r[kolom] = waarden[pad]
    datum, tijd = r.pop("datum", None), r.pop("tijd", None)
    r["moment"] = f"{datum}T{tijd}" if datum else None
    for k in DATUMS:
        if k in r:
            r[k] = _datum(r[k])
    for k in GETALLEN:
        if k in r:
            r[k] = _getal(r[k])
    if r.get("debetcredit") == "C" and r.get("bedrag") is not None:
        r["bedrag"] = -r["bedrag"]
    # On a verzoek the ToewijzingIngangsdatum is the period asked for; on a start or stop
    # line it is a key to the toewijzing (TR382), not the period of care.
    ingang = r.pop("toewijzing_ingangsdatum", None)
    if soort == "aangevraagd":
        r["begindatum"] = ingang
    return r


def _totaal(el: etree._Element | None) -> int | None:
    if el is None:
        return None
    bedrag = dc = None
    for kind in el:
        if _naam(kind) == "TotaalBedrag":
            bedrag = _getal((kind.text or "").strip())
        elif _naam(kind) == "DebetCredit":
            dc = (kind.text or "").strip()
    if bedrag is None:
        return None
    return -bedrag if dc == "C" else bedrag


def _kind(el: etree._Element | None, naam: str) -> etree._Element | None:
    if el is None:
        return None
    for k in el:
        if _naam(k) == naam:
            return k
    return None


def _tekst(el: etree._Element | None, *pad: str) -> str | None:
    for n in pad:
        el = _kind(el, n)
    if el is None or el.text is None:
        return None
    return el.text.strip() or None


def feiten(tree: etree._ElementTree) -> Feiten:
    """The facts of a message that has a known type; raises :class:`InvalidMessage` if not."""
    d = definitie_van(tree)
    root = tree.getroot()
    header = _kind(root, "Header")
    ident = _tekst(header, "BerichtIdentificatie", "Identificatie")
    f = Feiten(d.code, ident, _tekst(header, "Afzender"), _tekst(header, "Ontvanger"),
               _datum(_tekst(header, "BerichtIdentificatie", "Dagtekening")))
    if d.code == "JW325":
        f.heen_identificatie = _tekst(header, "DeclaratieIdentificatie", "Identificatie")
    elif d.is_retour:
        f.heen_identificatie = ident
        f.identificatie = _tekst(header, "IdentificatieRetour")
        f.dagtekening = _datum(_tekst(header, "DagtekeningRetour"))
    if f.heen_identificatie:
        f.sleutels.add(("ident", f.heen_identificatie))
    elif ident:
        f.sleutels.add(("ident", ident))
    rc = _kind(header, "RetourCodes")
    if rc is not None:
        f.header_retourcodes = [(c.text or "").strip() for c in rc]

    bsn: str | None = None
    referentie_verzoek: str | None = None
    for el in root.iter(etree.Element):
        n = _naam(el)
        if n == "Bsn":
            bsn = (el.text or "").strip() or None
            if bsn:
                f.sleutels.add(("bsn", bsn))
        elif n in ("ToewijzingNummer", "ReferentieAanbieder", "ReferentieNummer",
                   "VorigReferentieNummer"):
            waarde = (el.text or "").strip()
            if waarde:
                soort = {"ToewijzingNummer": "toewijzing", "ReferentieAanbieder": "referentie"
                         }.get(n, "prestatie")
                f.sleutels.add((soort, waarde))
                if n == "ReferentieAanbieder" and _naam(el.getparent()) == "Verzoek":
                    referentie_verzoek = waarde
        elif n == "RetourCode":
            f.retourcodes.append((el.text or "").strip())
        elif n == "RetourCodes" and el.getparent() is not header:
            ouder = el.getparent()
            if _naam(ouder) == "DeclaratieAntwoord":
                f.declaratie_retourcodes = _codes(el)
            if not any(_naam(x) == "RetourCodes" for x in ouder.iterdescendants()
                       if x.getparent() is not ouder):
                f.retour_klassen.append((_naam(ouder), [(c.text or "").strip() for c in el]))
        elif n == "DeclaratieNummer":
            f.sleutels.add(("declaratie", (el.text or "").strip()))
        if d.is_retour and d.code != "JW325":
            continue
        soort = REGELSOORTEN.get(n)
        if soort and not (n == "Antwoord" and d.code != "JW319"):
            r = _regel(el, soort, bsn)
            if referentie_verzoek and d.code == "JW317":
                r.setdefault("referentie", referentie_verzoek)
            f.regels.append(r)
    if d.code in ("JW323", "JW325"):
        body = _kind(root, "Declaratie" if d.code == "JW323" else "DeclaratieAntwoord")
        for naam in ("TotaalIngediendBedrag", "TotaalToegekendBedrag"):
            t = _totaal(_kind(body, naam))
            if t is not None:
                f.totalen[naam] = t
        if d.code == "JW325":
            # The JW325 repeats the refused prestaties: they are not lines of a declaratie.
            for r in f.regels:
                r["soort"] = "afgewezen"
    return f


# RetourCodes that do not refuse: no remark, not judged, fully granted.
GOED = frozenset({"0200", "0233", "8001"})


def oordeel(f: Feiten) -> str | None:
    """The judgement of a retourbericht or JW325: ``goedgekeurd``, ``gedeeltelijk`` or
    ``afgekeurd``; ``None`` for a heen-bericht.

    >>> from pathlib import Path
    >>> from ijwcli.bericht import read_tree
    >>> oordeel(feiten(read_tree(Path("samples/jw325_declaratie_antwoord.xml").read_bytes())))
    'goedgekeurd'
    """
    if not f.heen_identificatie:
        return None
    # A refusing code on the message or on the declaratie as a whole refuses all of it.
    if any(c not in GOED for c in f.header_retourcodes + f.declaratie_retourcodes):
        return "afgekeurd"
    if f.code == "JW325":
        ingediend = f.totalen.get("TotaalIngediendBedrag")
        toegekend = f.totalen.get("TotaalToegekendBedrag")
        if toegekend is None:
            return "afgekeurd"
        if toegekend == ingediend:
            return "goedgekeurd"
        return "afgekeurd" if toegekend == 0 else "gedeeltelijk"
    if not f.retour_klassen:
        return "goedgekeurd" if not f.header_retourcodes else "afgekeurd"
    fout = [any(c not in GOED for c in codes) for _, codes in f.retour_klassen]
    if not any(fout):
        return "goedgekeurd"
    return "afgekeurd" if all(fout) else "gedeeltelijk"


def retourcodes_tekst(f: Feiten) -> str | None:
    """The RetourCodes on a retourbericht or JW325 as a whole, as the register keeps them.

    >>> from pathlib import Path
    >>> from ijwcli.bericht import read_tree
    >>> retourcodes_tekst(feiten(read_tree(Path("samples/jw325_declaratie_antwoord.xml")
    ...                                    .read_bytes())))
    '0200 0200'
    """
    return " ".join(f.header_retourcodes + f.declaratie_retourcodes)[:60] or None


__all__ = ["Feiten", "InvalidMessage", "feiten", "oordeel", "retourcodes_tekst"]
