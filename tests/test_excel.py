"""Excel ↔ XML (issue 5): lossless round trips, the model-derived layout, the template."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ijwcli import bericht
from ijwcli.excel import excel_naar_xml, xml_naar_excel
from ijwcli.excel.layout import layout
from ijwcli.excel.lezen import lees_werkboek
from ijwcli.excel.template import maak_template
from ijwcli.model.berichten import BERICHTEN
from ijwcli.model.datatypes import Klasse
from tests.conftest import SAMPLES, needs_shared


def _round_trip(files: list[Path], tmp_path: Path) -> None:
    v = xml_naar_excel(files, tmp_path / "alles.xlsx")
    assert v.fouten == [] and v.berichten == len(files)
    res = lees_werkboek(tmp_path / "alles.xlsx")
    assert res.fouten == [] and res.waarschuwingen == []
    verwacht: dict[str, list] = defaultdict(list)
    for f in files:
        b = bericht.parse_file(f, validate=False)
        verwacht[b.code].append((f.name, b.root.to_dict()))
    gekregen: dict[str, list] = defaultdict(list)
    for g in res.berichten:
        gekregen[g.bericht.code].append(g.bericht.root.to_dict())
    assert set(gekregen) == set(verwacht)
    for code, items in verwacht.items():
        assert len(gekregen[code]) == len(items), code
        for (naam, voor), na in zip(items, gekregen[code], strict=True):
            assert na == voor, naam


def test_round_trip_reference_messages(tmp_path: Path) -> None:
    ijw = needs_shared()
    files = sorted((ijw / "voorbeelden").glob("*.xml"))
    assert len(files) == 14
    _round_trip(files, tmp_path)


def test_round_trip_samples(tmp_path: Path) -> None:
    files = sorted(SAMPLES.glob("*.xml"))
    assert files
    _round_trip(files, tmp_path)


def test_round_trip_through_xml_files_is_valid_against_reference_xsd(
        tmp_path: Path, reference_schema) -> None:  # type: ignore[no-untyped-def]
    from lxml import etree

    src = SAMPLES / "jw315_verzoek_om_toewijzing.xml"
    xml_naar_excel([src], tmp_path / "v.xlsx")
    v = excel_naar_xml([tmp_path / "v.xlsx"], tmp_path / "uit", today=dt.date(2026, 2, 25))
    assert v.fouten == [] and len(v.geschreven) == 1
    out = Path(v.geschreven[0])
    assert out.name == "JW315_446_V2026022501.xml"
    assert reference_schema("JW315").validate(etree.parse(str(out)))
    assert bericht.parse_file(out).root.to_dict() == bericht.parse_file(src).root.to_dict()


def _model_leaves(k: Klasse, pad: tuple[str, ...], out: set[tuple[str, ...]]) -> None:
    for e in k.elements:
        if isinstance(e.type, Klasse):
            _model_leaves(e.type, (*pad, e.name), out)
        else:
            out.add((*pad, e.name))


@pytest.mark.parametrize("code", list(BERICHTEN))
def test_layout_covers_every_element_of_the_model(code: str) -> None:
    # Every leaf of the model is a column somewhere: no field can be lost on the way.
    d = BERICHTEN[code]
    model: set[tuple[str, ...]] = set()
    _model_leaves(d.root, (), model)
    lay = layout(code)
    kolommen: set[tuple[str, ...]] = {("Header", *k.pad) for k in lay.bericht.kolommen}
    niveaus = lay.data.niveaus
    for k in lay.data.kolommen:
        prefixen = [()]
        for n in niveaus[:k.niveau + 1]:
            prefixen = [(*p, *pad) for p in prefixen for s, pad in n.paden.items()
                        if n is not niveaus[k.niveau] or not k.soorten or s in k.soorten]
        kolommen.update((*p, *k.pad) for p in prefixen)
    body = niveaus[0].paden[niveaus[0].soorten[0]]
    for z in lay.zij:
        kolommen.update((*body, *z.pad, *k.pad) for k in z.kolommen)
    assert model == kolommen


def test_layout_names_and_kinds_come_from_the_model() -> None:
    lay = layout("JW301")
    assert lay.data.naam == "JW301 ToegewezenProducten"
    assert [z.naam for z in lay.zij] == ["JW301 Relaties", "JW301 Contactgegevens"]
    eenheid = lay.data.kolom("Omvang Eenheid")
    assert eenheid.soort == "code" and eenheid.codes["04"] == "Uur"
    assert lay.data.kolom("Ingangsdatum").verplicht
    assert not lay.data.kolom("Einddatum").verplicht
    assert lay.data.kolom("Budget").soort == "bedrag"
    assert layout("JW323").data.kolom("ProductTarief").soort == "bedrag"
    assert layout("JW323").data.kolom("TotaalIngediendBedrag TotaalBedrag").soort == "bedrag"
    assert layout("JW302").data.kolom("ToegewezenProduct RetourCodes").soort == "lijst"
    assert layout("JW317").data.heeft_soort


def test_retourcodes_are_decoded_next_to_the_code(tmp_path: Path) -> None:
    src = SAMPLES / "jw302_retour_toewijzing.xml"
    xml_naar_excel([src], tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx", read_only=True)
    ws = wb["JW302 Bericht"]
    rows = list(ws.iter_rows(values_only=True))
    kop = list(rows[0])
    i = kop.index("RetourCodes")
    assert kop[i + 1] == "RetourCodes betekenis"
    codes = bericht.parse_file(src).root.findall("Header/RetourCodes/RetourCode")
    if codes:
        assert rows[1][i] == ", ".join(c.text for c in codes)
        assert codes[0].text in rows[1][i + 1] and ":" in rows[1][i + 1]


def test_cells_are_typed_dates_euros_and_text_with_leading_zeros(tmp_path: Path) -> None:
    src = SAMPLES / "jw323_declaratie.xml"
    xml_naar_excel([src], tmp_path / "d.xlsx")
    wb = load_workbook(tmp_path / "d.xlsx")
    ws = wb["JW323 Prestaties"]
    kop = [c.value for c in ws[1]]
    b = bericht.parse_file(src)
    prestatie = b.root.findall("Declaratie/Clienten/Client/Prestaties/Prestatie")[0]
    begin = ws.cell(2, kop.index("ProductPeriode Begindatum") + 1)
    assert isinstance(begin.value, dt.datetime)
    assert begin.number_format == "YYYY-MM-DD"
    assert begin.value.date().isoformat() == prestatie.value("ProductPeriode/Begindatum")
    bedrag = ws.cell(2, kop.index("IngediendBedrag Bedrag") + 1)
    assert bedrag.number_format == "#,##0.00"
    assert round(bedrag.value * 100) == int(prestatie.value("IngediendBedrag/Bedrag"))
    eenheid = ws.cell(2, kop.index("Eenheid") + 1).value
    assert eenheid == prestatie.value("Eenheid") and isinstance(eenheid, str)


def test_template_has_dropdowns_hints_required_marks_and_frozen_header(tmp_path: Path) -> None:
    p = maak_template("JW315", tmp_path / "verzoek.xlsx")
    wb = load_workbook(p)
    assert wb.sheetnames == ["JW315 Bericht", "JW315 AangevraagdeProducten", "Codelijsten"]
    ws = wb["JW315 AangevraagdeProducten"]
    assert ws.freeze_panes == "B2"
    assert ws.max_row == 1
    kop = [c.value for c in ws[1]]
    letter = {naam: ws.cell(1, i + 1).column_letter for i, naam in enumerate(kop)}
    lijsten = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation
               if dv.type == "list"}
    eenheid = lijsten[f"{letter['Omvang Eenheid']}2:{letter['Omvang Eenheid']}1048576"]
    assert "Codelijsten" in eenheid.formula1
    assert f"{letter['Verwijzer Type']}2:{letter['Verwijzer Type']}1048576" in lijsten
    hints = {str(dv.sqref): dv.prompt for dv in ws.data_validations.dataValidation}
    assert "JJJJ-MM-DD" in hints[f"{letter['ToewijzingIngangsdatum']}2:"
                                 f"{letter['ToewijzingIngangsdatum']}1048576"]
    verplicht = ws.cell(1, kop.index("Bsn") + 1).fill.fgColor.rgb
    optioneel = ws.cell(1, kop.index("Budget") + 1).fill.fgColor.rgb
    assert verplicht != optioneel
    lijsten_kop = [c.value for c in wb["Codelijsten"][1]]
    kol = lijsten_kop.index("Eenheid") + 1
    codes = [r[0] for r in wb["Codelijsten"].iter_rows(min_row=2, min_col=kol, max_col=kol,
                                                        values_only=True) if r[0]]
    assert "04" in codes and f"${ws.cell(1, kol).column_letter}$2" in eenheid.formula1
    res = lees_werkboek(p)
    assert res.berichten == [] and res.fouten == []


def test_template_for_every_message_type_reads_back_empty(tmp_path: Path) -> None:
    for code in BERICHTEN:
        p = maak_template(code, tmp_path / f"{code}.xlsx")
        res = lees_werkboek(p)
        assert (res.berichten, res.fouten) == ([], []), code


def test_typed_in_workbook_becomes_a_valid_message(tmp_path: Path) -> None:
    # A user fills the template by hand: numbers for codes, dates as text, euros with a comma.
    from openpyxl import load_workbook as lw

    p = maak_template("JW315", tmp_path / "in.xlsx")
    wb = lw(p)
    h = wb["JW315 Bericht"]
    kop = {c.value: c.column for c in h[1]}
    for naam, waarde in {"BerichtNr": 1, "Afzender": 12345678, "Ontvanger": 855,
                         "BerichtIdentificatie Identificatie": "HAND1",
                         "BerichtIdentificatie Dagtekening": "25-02-2026"}.items():
        h.cell(2, kop[naam], waarde)
    d = wb["JW315 AangevraagdeProducten"]
    kop = {c.value: c.column for c in d[1]}
    rij = {"BerichtNr": 1, "Bsn": 999900018, "Geboortedatum Datum": dt.date(2014, 5, 9),
           "Geslacht": 2, "Geslachtsnaam Achternaam": "Dijk", "ReferentieAanbieder": "R-1",
           "Product Categorie": 45, "Product Code": "45A05",
           "ToewijzingIngangsdatum": "01-03-2026", "ToewijzingEinddatum": "28-02-2027",
           "Omvang Volume": 10, "Omvang Eenheid": 4, "Omvang Frequentie": 2,
           "Verwijzer Type": 2, "Verwijzer ZorgverlenerCode": 1123456}
    for naam, waarde in rij.items():
        d.cell(2, kop[naam], waarde)
    # A second product with a budget instead of an omvang (CD078), so with an end date (CD075)
    # and without product code (CD041); an omvang needs a product code (CD095).
    rij |= {"ReferentieAanbieder": "R-2", "Product Code": None,
            "ToewijzingIngangsdatum": "01-03-2027", "ToewijzingEinddatum": "29-02-2028",
            "Budget": "1.250,50", "Omvang Volume": None,
            "Omvang Eenheid": None, "Omvang Frequentie": None}
    for naam, waarde in rij.items():
        d.cell(3, kop[naam], waarde)
    wb.save(p)
    v = excel_naar_xml([p], tmp_path / "uit", today=dt.date(2026, 2, 25))
    assert v.fouten == [], [str(f) for f in v.fouten]
    b = bericht.parse_file(tmp_path / "uit" / "JW315_446_HAND1.xml")
    assert b.root.value("Header/Ontvanger") == "0855"
    product, budget = b.producten
    assert product.value("Omvang/Eenheid") == "04"
    assert budget.value("Budget") == "125050" and product.value("Budget") is None
    assert product.value("Verwijzer/ZorgverlenerCode") == "01123456"
    assert product.value("ToewijzingIngangsdatum") == "2026-03-01"
    assert budget.value("ToewijzingEinddatum") == "2028-02-29"


def _alle_berichten() -> list[Path]:
    files = sorted(SAMPLES.glob("*.xml"))
    from tests.conftest import IJW

    files += sorted((IJW / "voorbeelden").glob("*.xml"))  # none when ../shared is absent
    return files


def test_written_workbook_has_the_rows_values_and_formats_in_openpyxl(tmp_path: Path) -> None:
    # The data rows are streamed by XlsxWriter: openpyxl (normal mode) must read back
    # every value the rows hold, typed, with the date and euro formats.
    from decimal import Decimal

    from ijwcli.excel.schrijven import Werkboek

    files = sorted(SAMPLES.glob("*.xml"))
    xml_naar_excel(files, tmp_path / "alles.xlsx")
    wb = Werkboek()
    for f in files:
        wb.voeg_toe(bericht.parse_file(f, validate=False))
    boek = load_workbook(tmp_path / "alles.xlsx")
    gezien = {"datum": 0, "bedrag": 0, "tekst": 0, "@": 0}
    for per_sheet in wb.rijen.values():
        for naam, rows in per_sheet.items():
            ws = boek[naam]
            assert ws.max_row == len(rows) + 1, naam
            for r, rij in enumerate(rows, start=2):
                for c, v in enumerate(rij, start=1):
                    cel = ws.cell(r, c)
                    if v is None or v == "":
                        assert cel.value is None, cel.coordinate
                    elif isinstance(v, dt.date):
                        assert cel.value == dt.datetime.combine(v, dt.time()), cel.coordinate
                        assert cel.number_format == "YYYY-MM-DD"
                        gezien["datum"] += 1
                    elif isinstance(v, Decimal):
                        assert Decimal(repr(cel.value)) == v and cel.number_format == "#,##0.00"
                        gezien["bedrag"] += 1
                    else:
                        assert cel.value == v and type(cel.value) is type(v), cel.coordinate
                        if isinstance(v, str):
                            # Text keeps its column's text format (@, so an edit stays
                            # text); a derived meaning has none.
                            assert cel.data_type == "s" and cel.number_format in ("@",
                                                                                  "General")
                            gezien["tekst"] += 1
                            gezien["@"] += cel.number_format == "@"
                        else:
                            assert cel.number_format == "General", cel.coordinate
    assert all(gezien.values()), gezien


ODD = [" spatie voor en na ", "a & b <c> \"d\" 'e'", "=SOM(A1:A3)", "#N/A", "regel 1\nregel 2",
       "cr\rlf", "€ ë 𝄞 ☃", "x" * 40000, "tab\tin"]


def test_odd_text_is_written_as_text_and_read_back_unchanged(tmp_path: Path) -> None:
    from ijwcli.excel.schrijven import schrijf_werkboek
    from ijwcli.excel.xlsx import Formule, open_werkboek, rijen

    kop = layout("JW319").sheets[1].naam
    rows = [[i + 1, tekst, "1", None, None] for i, tekst in enumerate(ODD)]
    p = schrijf_werkboek({"JW319": {kop: rows}}, tmp_path / "odd.xlsx")
    verwacht = [t[:32767] for t in ODD]  # Excel's limit per cell
    ws = load_workbook(p)[kop]
    # openpyxl does not undo Excel's _xHHHH_ escape, which XlsxWriter (like Excel) uses for a
    # CR: that one cell is left to our reader below.
    assert [ws.cell(r, 2).value for r in range(2, len(ODD) + 2)] == [
        t if "\r" not in t else t.replace("\r", "_x000D_") for t in verwacht]
    assert ws.cell(4, 2).data_type == "s"  # '=SOM(…)' is text, not a formula
    wb = open_werkboek(p)
    gelezen = [row[1] for nr, row in rijen(wb, wb[kop]) if nr > 1]
    assert gelezen == verwacht and not any(isinstance(v, Formule) for v in gelezen)


def test_text_starting_with_equals_survives_the_round_trip(tmp_path: Path) -> None:
    b = bericht.parse_file(SAMPLES / "jw315_verzoek_om_toewijzing.xml")
    b.producten[0].set("Commentaar", "=ok & <goed>")
    src = tmp_path / "in.xml"
    src.write_bytes(bericht.to_xml(b))
    assert xml_naar_excel([src], tmp_path / "v.xlsx").fouten == []
    v = excel_naar_xml([tmp_path / "v.xlsx"], tmp_path / "uit", today=dt.date(2026, 2, 25))
    assert v.fouten == [] and len(v.geschreven) == 1
    terug = bericht.parse_file(v.geschreven[0])
    assert terug.producten[0].value("Commentaar") == "=ok & <goed>"
    assert terug.root.to_dict() == b.root.to_dict()


def test_fast_paths_match_the_bericht_api_exactly() -> None:
    # naar_xml and bericht_uit_boom replace to_xml and from_tree in batch conversions.
    from ijwcli.excel.lezen import naar_xml
    from ijwcli.excel.schrijven import bericht_uit_boom

    def gelijk(a: bericht.Node, b: bericht.Node) -> None:
        assert (a.name, a.klasse, a.text, a.line) == (b.name, b.klasse, b.text, b.line)
        assert len(a.children) == len(b.children)
        for x, y in zip(a.children, b.children, strict=True):
            gelijk(x, y)

    files = _alle_berichten()
    assert files
    for f in files:
        tree = bericht.read_tree(f.read_bytes())
        b = bericht.from_tree(tree)
        gelijk(bericht_uit_boom(tree).root, b.root)
        assert naar_xml(b) == bericht.to_xml(b), f.name
    b = bericht.parse_file(SAMPLES / "jw315_verzoek_om_toewijzing.xml")
    for tekst in [*ODD, "", " "]:
        b.producten[0].set("Commentaar", tekst)
        assert naar_xml(b) == bericht.to_xml(b), repr(tekst)
    b.producten[0].add("Omvang")  # an empty class element
    assert naar_xml(b) == bericht.to_xml(b)


def test_excel_escapes_and_big_numbers_survive_writer_and_readers(tmp_path: Path) -> None:
    # XlsxWriter stores a control character as _xHHHH_ and a literal _xHHHH_ as _x005F_xHHHH_
    # (as Excel does); our reader must give back the text as it was. Numbers beyond Excel's 15
    # digits and dates before 1900 (which Excel cannot show) are written as text, exactly.
    from decimal import Decimal

    from ijwcli.excel.schrijven import schrijf_werkboek
    from ijwcli.excel.xlsx import open_werkboek, rijen

    kop = layout("JW319").sheets[1].naam
    teksten = ["_x0041_", "a_x000D_b", "cr\rlf", "_x005F_", "_xD800_"]
    rows: list[list[object]] = [[i + 1, t, "1", None, None] for i, t in enumerate(teksten)]
    rows += [[10**16, "x", None, None, None], [Decimal("12345678901234567.89"), None, None,
                                              None, None],
             [dt.date(1899, 12, 31), dt.date(1900, 1, 1), None, None, None]]
    p = schrijf_werkboek({"JW319": {kop: rows}}, tmp_path / "esc.xlsx")
    wb = open_werkboek(p)
    gelezen = [row for nr, row in rijen(wb, wb[kop]) if nr > 1]
    assert [r[1] for r in gelezen[:len(teksten)]] == teksten
    assert gelezen[len(teksten)][0] == str(10**16)
    assert gelezen[len(teksten) + 1][0] == "12345678901234567.89"
    # (these two columns have no date format, so the 1900 date reads as its serial number)
    assert gelezen[len(teksten) + 2][:2] == ("1899-12-31", 1)


def test_template_soort_column_is_a_required_dropdown(tmp_path: Path) -> None:
    # JW317: every data row needs its Soort (which product list), so the column is input,
    # marked required with a dropdown of the kinds, not grey like the derived meanings.
    p = maak_template("JW317", tmp_path / "wijziging.xlsx")
    ws = load_workbook(p)["JW317 Producten"]
    kop = [c.value for c in ws[1]]
    soort = ws.cell(1, kop.index("Soort") + 1)
    bsn = ws.cell(1, kop.index("Bsn") + 1)
    assert soort.fill.fgColor.rgb == bsn.fill.fgColor.rgb and soort.comment is not None
    bereik = f"{soort.column_letter}2:{soort.column_letter}1048576"
    dv = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == bereik)
    assert dv.type == "list"
    assert dv.formula1 == '"OngewijzigdProduct,TeWijzigenProduct,NieuwProduct"'
    retour = load_workbook(maak_template("JW302", tmp_path / "r.xlsx"))["JW302 Bericht"]
    kop = [c.value for c in retour[1]]
    afgeleid = retour.cell(1, kop.index("RetourCodes betekenis") + 1)
    assert afgeleid.fill.fgColor.rgb != bsn.fill.fgColor.rgb and afgeleid.comment is None


def test_every_message_round_trips_through_written_xml_files(
        tmp_path: Path, reference_schema) -> None:  # type: ignore[no-untyped-def]
    # The whole chain a user runs: XML → workbook → validated XML files on disk. Each file
    # written has the content of its source and passes the reference XSD. The two messages
    # not written are the reference JW317, whose own Einddatum lies before its
    # GewensteIngangsdatum (CS003), and the reference JW323, which declares ReferentieNummer
    # RN004 twice under one client (TR101): conversion validates before it writes.
    from lxml import etree

    ijw = needs_shared()
    files = [*sorted((ijw / "voorbeelden").glob("*.xml")), *sorted(SAMPLES.glob("*.xml"))]
    assert len(files) == 28
    assert xml_naar_excel(files, tmp_path / "alles.xlsx").fouten == []
    v = excel_naar_xml([tmp_path / "alles.xlsx"], tmp_path / "uit", today=dt.date(2026, 12, 31),
                       skip_invalid=True)
    assert {(f.sheet, f.bericht) for f in v.fouten} == {("JW317 Producten", "1"),
                                                        ("JW323 Prestaties", "1")}
    assert {f.sheet: f.reden.rpartition("(")[2].split(";")[0] for f in v.fouten} == {
        "JW317 Producten": "CS003", "JW323 Prestaties": "TR101"}, [str(f) for f in v.fouten]
    geschreven = {}
    for f in map(Path, v.geschreven):
        b = bericht.parse_file(f, validate=False)
        assert reference_schema(b.code).validate(etree.parse(str(f))), f.name
        geschreven[(b.code, b.identificatie)] = b.root.to_dict()
    assert len(geschreven) == len(files) - 2
    for f in files:
        b = bericht.parse_file(f, validate=False)
        if f.parent.name == "voorbeelden" and b.code in ("JW317", "JW323"):
            assert (b.code, b.identificatie) not in geschreven
            continue
        assert geschreven[(b.code, b.identificatie)] == b.root.to_dict(), f.name


def test_line_map_names_the_same_cells_as_the_node_walk(tmp_path: Path) -> None:
    """After ``naar_bytes`` the nodes are gone and ``waar`` answers from a line map: for
    every line of every sample message (and the end) the same sheet and cell as before."""
    from ijwcli.excel.lezen import naar_xml

    xml_naar_excel(sorted(SAMPLES.glob("*.xml")), tmp_path / "alle.xlsx")
    res = lees_werkboek(tmp_path / "alle.xlsx")
    assert len(res.berichten) == len(list(SAMPLES.glob("*.xml")))
    for g in res.berichten:
        verwacht_xml = naar_xml(g.bericht)
        regels = verwacht_xml.count(b"\n") + 2
        verwacht = [g.waar(i) for i in range(regels)]
        assert len({c for _, c in verwacht}) > 3  # cells, not just the message's row
        assert g.naar_bytes() == verwacht_xml
        assert not g.bericht.root.children
        assert [g.waar(i) for i in range(regels)] == verwacht, g.code


def _boom(node: bericht.Node) -> tuple:
    return (node.name, node.text, node.line, [_boom(c) for c in node.children])


def test_appending_in_model_order_builds_what_the_place_lookup_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A new item's values are appended without looking up their place among siblings when
    # the columns come in the model's order: the same nodes (and origins) as _add places.
    from ijwcli.excel import lezen

    files = _alle_berichten()
    xml_naar_excel(files, tmp_path / "alle.xlsx")
    aangeroepen: list[bool] = []
    echt = lezen._op_volgorde

    def volgorde(plan, klasse):  # type: ignore[no-untyped-def]
        aangeroepen.append(echt(plan, klasse))
        return aangeroepen[-1]

    monkeypatch.setattr(lezen, "_op_volgorde", volgorde)
    snel = lees_werkboek(tmp_path / "alle.xlsx")
    # Most layouts list their columns in model order; JW317's TeWijzigenProduct does not
    # (its Product columns follow Budget), so both ways are taken.
    assert True in aangeroepen and False in aangeroepen
    monkeypatch.setattr(lezen, "_op_volgorde", lambda plan, klasse: False)
    traag = lees_werkboek(tmp_path / "alle.xlsx")
    assert snel.fouten == traag.fouten == []
    assert len(snel.berichten) == len(traag.berichten) == len(files)
    for a, b in zip(snel.berichten, traag.berichten, strict=True):
        assert _boom(a.bericht.root) == _boom(b.bericht.root), a.sleutel


def _klasse(k: Klasse, naam: str) -> Klasse | None:
    for e in k.elements:
        if isinstance(e.type, Klasse):
            if e.name == naam:
                return e.type
            gevonden = _klasse(e.type, naam)
            if gevonden is not None:
                return gevonden
    return None


def test_steps_out_of_model_order_take_the_place_lookup() -> None:
    from ijwcli.excel import lezen

    _, plannen, _ = lezen._niveaus(layout("JW323").data)
    prestatie = _klasse(BERICHTEN["JW323"].root, "Prestatie")
    assert prestatie is not None
    plan = plannen[-1]
    assert len(plan.stappen) > 5 and lezen._op_volgorde(plan, prestatie)
    omgekeerd = lezen._Plan(plan.kolommen, plan.stappen[::-1], plan.verplicht, plan.lijst)
    assert not lezen._op_volgorde(omgekeerd, prestatie)
    # Below another class the element names are unknown: no appending either.
    assert not lezen._op_volgorde(plan, BERICHTEN["JW323"].root)


def test_sheet_reader_gives_the_values_openpyxl_gives(tmp_path: Path) -> None:
    # The reader's own paths for numbers, amounts and dates against openpyxl's reading.
    from openpyxl import Workbook

    from ijwcli.excel.xlsx import open_werkboek, rijen

    wb = Workbook()
    ws = wb.active
    waarden = [12.5, -3.25, 1500.0, 1e300, 0.1, 7, -7, 10**14, "12.50", "tekst", True,
               dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 1, 12, 30), 2.5e-7]
    ws.append(waarden)
    ws.cell(row=2, column=1, value=46082).number_format = "yyyy-mm-dd"
    ws.cell(row=2, column=2, value=46082.25).number_format = "yyyy-mm-dd"
    ws.cell(row=2, column=3, value=12.5).number_format = "0.00"
    wb.save(tmp_path / "w.xlsx")
    verwacht = [tuple(c.value for c in r) for r in
                load_workbook(tmp_path / "w.xlsx", read_only=True).active.iter_rows()]
    eigen = open_werkboek(tmp_path / "w.xlsx")
    gelezen = [w for _, w in rijen(eigen, eigen.worksheets[0])]
    assert gelezen[0] == verwacht[0]
    assert [type(v) for v in gelezen[0]] == [type(v) for v in verwacht[0]]
    assert gelezen[1] == tuple(v for v in verwacht[1] if v is not None)
    assert gelezen[1][:2] == (dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 1, 6, 0))
