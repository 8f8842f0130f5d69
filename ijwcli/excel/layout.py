"""The workbook layout of a message type, derived from the message model.

Nothing here is written per message type: the sheets, Dutch column names, required columns,
code lists and hints all follow from :mod:`ijwcli.model.berichten`.

- ``JWnnn Bericht``: one row per message with the Header fields.
- the data sheet (``JW301 ToegewezenProducten``, ``JW323 Prestaties`` …): one row per product
  line. The path from the message body down to the product class is flattened into columns, so
  the client's fields repeat on every row of that client. Where one class holds several product
  lists (JW317: ongewijzigd, te wijzigen, nieuw) a ``Soort`` column says which list a row
  belongs to and the columns are the union of the lists.
- side sheets for the other repeating classes (``JW301 Relaties``, ``JW301 Contactgegevens``).
- a repeating value (the RetourCodes of a retourbericht) is one cell, codes separated by
  commas, followed by a derived column with their meaning.

Every sheet starts with the message key column ``BerichtNr``: rows with the same key form one
message.

>>> lay = layout("JW315")
>>> [s.naam for s in lay.sheets]
['JW315 Bericht', 'JW315 AangevraagdeProducten']
>>> k = lay.data.kolom("Omvang Eenheid")
>>> k.pad, k.soort, k.verplicht
(('Omvang', 'Eenheid'), 'code', False)
>>> lay.data.kolom("Bsn").verplicht, lay.data.kolom("Budget").soort
(True, 'bedrag')
>>> [s.naam for s in layout("JW301").sheets][2:]
['JW301 Relaties', 'JW301 Contactgegevens']
>>> layout("JW317").data.niveaus[-1].soorten
('OngewijzigdProduct', 'TeWijzigenProduct', 'NieuwProduct')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ijwcli.bericht import PRODUCT_KLASSEN
from ijwcli.model.berichten import BERICHTEN, Berichtdefinitie
from ijwcli.model.datatypes import Datatype, Element, Klasse

SLEUTEL = "BerichtNr"
SOORT = "Soort"
BETEKENIS = "betekenis"
CODELIJSTEN = "Codelijsten"

# Amounts the standard counts in cents; the workbook shows euros with two decimals.
BEDRAG_TYPES = frozenset({"LDT_Bedrag", "LDT_Budget", "LDT_TotaalBedrag"})


# Identity equality: a column is one object of a cached layout, used as a dict key per cell.
@dataclass(frozen=True, eq=False)
class Kolom:
    """One column: its header text, the element path below the row's item, and how to show it.

    ``soort`` is one of ``tekst``, ``code``, ``getal``, ``bedrag``, ``datum``, ``tijd`` or
    ``lijst`` (a repeating value in one cell). ``niveau`` is the level of the data sheet the
    path starts from; ``soorten`` the product kinds it applies to (empty: all).
    """

    naam: str
    pad: tuple[str, ...]
    type: Datatype
    soort: str
    verplicht: bool
    niveau: int = 0
    soorten: frozenset[str] = frozenset()
    vast: str | None = None  # a value the model fixes (BerichtCode 436 …)

    @property
    def codes(self) -> dict[str, str]:
        return self.type.codes

    @property
    def hint(self) -> str:
        return _hint(self)


@dataclass(frozen=True)
class Niveau:
    """One level of the data sheet: the item(s) reached from the level above.

    ``paden`` maps each product kind (element name) to its path below the item of the level
    above (below the message root for level 0).
    """

    paden: dict[str, tuple[str, ...]]
    klassen: dict[str, Klasse]

    @property
    def soorten(self) -> tuple[str, ...]:
        return tuple(self.paden)


@dataclass
class Sheet:
    naam: str
    kolommen: list[Kolom] = field(default_factory=list)
    # Data sheet: the levels; side sheet: its path below the level-0 item.
    niveaus: list[Niveau] = field(default_factory=list)
    pad: tuple[str, ...] = ()
    klasse: Klasse | None = None

    def kolom(self, naam: str) -> Kolom:
        for k in self.kolommen:
            if k.naam == naam:
                return k
        raise KeyError(naam)

    @property
    def heeft_soort(self) -> bool:
        return bool(self.niveaus) and len(self.niveaus[-1].soorten) > 1

    def koppen(self) -> list[str]:
        """The header row: key, Soort where needed, then columns with derived meanings."""
        out = [SLEUTEL]
        if self.heeft_soort:
            out.append(SOORT)
        for k in self.kolommen:
            out.append(k.naam)
            if k.soort == "lijst" and k.codes:
                out.append(f"{k.naam} {BETEKENIS}")
        return out


@dataclass
class Layout:
    definitie: Berichtdefinitie
    bericht: Sheet
    data: Sheet
    zij: list[Sheet]

    @property
    def code(self) -> str:
        return self.definitie.code

    @property
    def sheets(self) -> list[Sheet]:
        return [self.bericht, self.data, *self.zij]


def _soort(t: Datatype, repeats: bool) -> str:
    root = t
    while root.parent is not None:
        root = root.parent
    if repeats:
        return "lijst"
    if root.name in BEDRAG_TYPES:
        return "bedrag"
    if t.base == "date":
        return "datum"
    if t.base == "time":
        return "tijd"
    if t.base == "integer":
        return "getal"
    return "code" if t.codelijst else "tekst"


def _bevat_product(k: Klasse, seen: frozenset[str] = frozenset()) -> bool:
    if k.name in PRODUCT_KLASSEN:
        return True
    return any(isinstance(e.type, Klasse) and e.type.name not in seen
               and _bevat_product(e.type, seen | {k.name}) for e in k.elements)


@dataclass
class _Veld:
    pad: tuple[str, ...]
    element: Element
    verplicht: bool
    basis_ouder: bool  # the element sits in a basisschema composite (Omvang/Eenheid …)


def _walk(k: Klasse, pad: tuple[str, ...], verplicht: bool, velden: list[_Veld],
          herhalend: list[tuple[tuple[str, ...], Element]]) -> None:
    """Leaves reachable through single elements; repeating classes are collected apart."""
    for e in k.elements:
        p = (*pad, e.name)
        nodig = verplicht and not e.optional
        if isinstance(e.type, Klasse):
            if e.repeats:
                herhalend.append((p, e))
            elif e.type.is_container and not isinstance(e.type.elements[0].type, Klasse):
                # A wrapper of repeating values (RetourCodes): one cell for the lot.
                inner = e.type.elements[0]
                velden.append(_Veld((*p, inner.name), inner, nodig, False))
            else:
                _walk(e.type, p, nodig, velden, herhalend)
        else:
            velden.append(_Veld(p, e, nodig, k.basis))


def _namen(paden: list[tuple[tuple[str, ...], bool]]) -> list[str]:
    """Shortest unique path suffixes; a basisschema part keeps its parent (Omvang Eenheid)."""
    lengtes = [2 if basis and len(p) > 1 else 1 for p, basis in paden]
    while True:
        namen = [" ".join(p[-n:]) for (p, _), n in zip(paden, lengtes, strict=True)]
        dubbel = {n for n in namen if namen.count(n) > 1}
        if not dubbel:
            return namen
        changed = False
        for i, n in enumerate(namen):
            if n in dubbel and lengtes[i] < len(paden[i][0]):
                lengtes[i] += 1
                changed = True
        if not changed:
            raise ValueError(f"kolomnamen niet uniek te maken: {sorted(dubbel)}")


def _kolommen(velden: list[tuple[_Veld, tuple[str, ...], int, frozenset[str]]],
              vast: dict[tuple[str, ...], str] | None = None) -> list[Kolom]:
    """Columns for (veld, name path, level, kinds), merging equal paths of one level."""
    merged: dict[tuple[int, tuple[str, ...]], tuple[_Veld, tuple[str, ...], set[str]]] = {}
    for v, naampad, niveau, soorten in velden:
        key = (niveau, v.pad)
        if key in merged:
            old = merged[key]
            merged[key] = (old[0] if old[0].verplicht and v.verplicht else
                           _Veld(v.pad, v.element, False, v.basis_ouder), old[1],
                           old[2] | soorten)
        else:
            merged[key] = (v, naampad, set(soorten))
    # Within a level the repeating values (retourcodes) come last, after the fields they judge.
    items = sorted(merged.items(), key=lambda kv: (kv[0][0], kv[1][0].element.repeats))
    # A repeating value is named after its wrapper: "RetourCodes", not "RetourCodes RetourCode".
    namen = _namen([(naampad[:-1] if v.element.repeats else naampad, v.basis_ouder)
                    for _, (v, naampad, _) in items])
    out = []
    for ((niveau, pad), (v, _, soorten)), naam in zip(items, namen, strict=True):
        t = v.element.type
        assert isinstance(t, Datatype)
        fixed = (vast or {}).get(pad)
        out.append(Kolom(naam, pad, t, _soort(t, v.element.repeats),
                         v.verplicht and fixed is None, niveau, frozenset(soorten), fixed))
    return out


def _vaste_waarden(d: Berichtdefinitie) -> dict[tuple[str, ...], str]:
    from ijwcli.bericht import new

    h = new(d.code).header
    out: dict[tuple[str, ...], str] = {}
    for n in h.iter():
        if n.klasse is None and n.text is not None:
            out[tuple(x.name for x in _pad_naar(h, n))] = n.text
    return out


def _pad_naar(root: object, target: object) -> list:  # type: ignore[type-arg]
    def zoek(node, acc):  # type: ignore[no-untyped-def]
        if node is target:
            return acc
        for c in node.children:
            r = zoek(c, [*acc, c])
            if r is not None:
                return r
        return None

    return zoek(root, [])


@cache
def layout(code: str) -> Layout:
    """The layout for message type ``code`` (``JW301`` …); raises KeyError when unknown."""
    d = BERICHTEN[code.upper()]
    root = d.root
    header_el = root.element("Header")
    body_el = next(e for e in root.elements if e.name != "Header")
    assert isinstance(header_el.type, Klasse) and isinstance(body_el.type, Klasse)

    # Bericht sheet: the header fields.
    hv: list[_Veld] = []
    herhalend: list[tuple[tuple[str, ...], Element]] = []
    _walk(header_el.type, (), True, hv, herhalend)
    assert not herhalend, "herhalende klasse in de Header"
    bericht = Sheet(f"{d.code} Bericht", _kolommen(
        [(v, ("Header", *v.pad), 0, frozenset()) for v in hv], _vaste_waarden(d)))
    bericht.pad = ("Header",)
    bericht.klasse = header_el.type

    # Data sheet: follow the repeating classes that lead to a product class.
    niveaus = [Niveau({body_el.name: (body_el.name,)}, {body_el.name: body_el.type})]
    velden: list[tuple[_Veld, tuple[str, ...], int, frozenset[str]]] = []
    zij: list[Sheet] = []
    item_naam = body_el.name
    while True:
        niveau = len(niveaus) - 1
        meer = len(niveaus[-1].klassen) > 1
        lijsten: list[tuple[tuple[str, ...], Element]] = []
        for soort, k in niveaus[-1].klassen.items():
            lv: list[_Veld] = []
            _walk(k, (), True, lv, lijsten)
            prefix = ("Product",) if meer else (item_naam,)
            velden.extend((v, (*prefix, *v.pad), niveau,
                           frozenset({soort}) if meer else frozenset()) for v in lv)
        keten = [(p, e) for p, e in lijsten
                 if isinstance(e.type, Klasse) and _bevat_product(e.type)]
        for p, e in lijsten:
            if (p, e) in keten:
                continue
            assert niveau == 0, f"{d.code}: herhalende {e.name} onder niveau {niveau}"
            assert isinstance(e.type, Klasse)
            zij.append(_zijsheet(d, p, e.type))
        if not keten:
            break
        assert not meer, "productsoorten met een niveau eronder"
        niveaus.append(Niveau({e.name: p for p, e in keten},
                              {e.name: e.type for _, e in keten if isinstance(e.type, Klasse)}))
        item_naam = keten[0][1].name
    if len(niveaus) > 1 and len(niveaus[-1].soorten) == 1:
        naam = niveaus[-1].paden[niveaus[-1].soorten[0]][-2]
    elif len(niveaus) > 1:
        naam = "Producten"
    else:
        naam = body_el.name
    data = Sheet(f"{d.code} {naam}", _kolommen(velden), niveaus)
    return Layout(d, bericht, data, zij)


def _zijsheet(d: Berichtdefinitie, pad: tuple[str, ...], k: Klasse) -> Sheet:
    lv: list[_Veld] = []
    lijsten: list[tuple[tuple[str, ...], Element]] = []
    _walk(k, (), True, lv, lijsten)
    assert not lijsten, f"{d.code}: herhaling binnen {k.name}"
    naam = pad[-2] if len(pad) > 1 else pad[-1]
    return Sheet(f"{d.code} {naam}", _kolommen([(v, (k.name, *v.pad), 0, frozenset())
                                                for v in lv]), pad=pad, klasse=k)


def _hint(k: Kolom) -> str:
    t = k.type
    delen = ["Verplicht." if k.verplicht else "Optioneel: leeg = afwezig."]
    if k.vast is not None:
        delen = [f"Standaard {k.vast}."]
    if k.soort == "datum":
        delen.append("Datum (JJJJ-MM-DD).")
    elif k.soort == "tijd":
        delen.append("Tijd (UU:MM:SS).")
    elif k.soort == "bedrag":
        delen.append("Bedrag in euro's met twee decimalen (bijv. 12,50).")
    elif k.soort == "getal":
        maximum = t.max_value if t.max_value is not None else (
            t.parent.max_value if t.parent else None)
        delen.append(f"Geheel getal{f' tot en met {maximum}' if maximum else ''}.")
    elif k.soort == "lijst":
        delen.append("Een of meer codes, gescheiden door komma's.")
    elif k.soort == "code":
        codes = k.codes
        tekst = "; ".join(f"{c} {b}" for c, b in codes.items())
        delen.append(f"Code uit de lijst: {tekst}" if len(tekst) < 180 else
                     f"Code uit de lijst (zie sheet {CODELIJSTEN}).")
    else:
        lengte = t.max_length
        delen.append(f"Tekst{f', maximaal {lengte} tekens' if lengte else ''}.")
    if k.soorten:
        delen.append(f"Geldt voor {', '.join(sorted(k.soorten))}.")
    return " ".join(delen)[:255]


def sheet_prefix(naam: str) -> str | None:
    """The message code a sheet name starts with (``JW301 Relaties`` → ``JW301``).

    >>> sheet_prefix("JW301 Relaties"), sheet_prefix("Codelijsten")
    ('JW301', None)
    """
    code = naam.split(" ", 1)[0].upper()
    return code if code in BERICHTEN and " " in naam else None
