"""The screen (ijwcli.validatie.zeef) is sound: where it lets a message skip the rules, the
rules would have found nothing.

On random schema-valid mutants of every message type (tests/mutanten.py) the fast path
(validate_bytes, screen first) and the full rule layer (validate_tree without the bytes,
which never screens) must give the same findings, on several reference dates. The run is
sized for CI; ``benchmarks/validate_speed.py`` runs a longer one. A rule whose semantics
change without its condition in ZEEF changing fails here as soon as a mutant shows it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from pathlib import Path

import pytest
from lxml import etree

from ijwcli.bericht import read_tree
from ijwcli.model.berichten import BERICHTEN
from ijwcli.validatie import validate_bytes, validate_tree, zeef
from ijwcli.validatie.regels import CHECKS, TABEL, productcodes
from tests.mutanten import CODES, bronnen, mutanten

PER_TYPE = 120


def _bevindingen(r: object) -> list[tuple]:
    return [(b.rule, b.path, b.line, b.message, b.waarschuwing)  # type: ignore[attr-defined]
            for b in r.errors + r.warnings]  # type: ignore[attr-defined]


def vergelijk(data: bytes, today: dt.date) -> tuple[list[tuple], list[tuple]]:
    """(fast path, full rules) findings of one message."""
    snel = validate_bytes(data, "m.xml", today)
    vol = validate_tree(read_tree(data), "m.xml", today)
    return _bevindingen(snel), _bevindingen(vol)


def _data(code: str) -> list[dt.date]:
    return [dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 12, 31)]


@pytest.mark.parametrize("code", CODES)
def test_snel_pad_gelijk_aan_alle_regels(code: str) -> None:
    if not bronnen(code):
        pytest.skip(f"geen sample of referentiebericht voor {code}")
    rng = random.Random(code)
    n = bevonden = overgeslagen = 0
    for data in mutanten(code, PER_TYPE):
        today = rng.choice(_data(code))
        snel, vol = vergelijk(data, today)
        assert snel == vol, (f"{code}: de zeef laat een bericht door waarin de regels iets "
                             f"vinden ({today}):\n{vol}\n{data.decode()}")
        n += 1
        bevonden += bool(vol)
        tree = read_tree(data)
        overgeslagen += not zeef.vindt_iets(tree, data, code, today)
    assert n >= PER_TYPE // 2, f"{code}: te weinig schema-geldige mutanten ({n})"
    # Not vacuous: the mutants reach the rules, and the screen lets many pass.
    # (A retourbericht gets only the few rules on the classes it repeats: no minimum.)
    heeft_regels = BERICHTEN[code].heen is None and any(
        TABEL[c].geldt_voor(code) and c not in ("RS033", "MARKUP") for c in CHECKS)
    if heeft_regels:
        assert bevonden >= 3, f"{code}: slechts {bevonden} van {n} mutanten met bevinding"
    assert overgeslagen >= 3, f"{code}: de zeef liet maar {overgeslagen} van {n} door"
    print(f"{code}: {n} mutanten, {bevonden} met bevinding, {overgeslagen} door de zeef")


def test_zeef_laat_de_samples_door() -> None:
    # The point of the screen: an ordinary valid message skips the rule walk.
    from tests.conftest import SAMPLES

    today = dt.date(2026, 12, 31)
    for f in sorted(SAMPLES.glob("*.xml")):
        data = f.read_bytes()
        tree = read_tree(data)
        code = f.name[:5].upper()
        assert not zeef.vindt_iets(tree, data, code, today), f.name


def test_elke_regel_heeft_een_voorwaarde() -> None:
    # A rule without one switches the screen off for its message types (sound, but slow):
    # a new rule needs its condition in zeef.ZEEF (or its Python test in zeef.WAARDEN).
    bekend = set(zeef.ZEEF) | set(zeef.WAARDEN)
    assert set(CHECKS) <= bekend, sorted(set(CHECKS) - bekend)
    assert not set(zeef.ZEEF) & set(zeef.WAARDEN)
    assert all(zeef.expressie(c) is not None for c in CODES)


def test_elk_type_leest_zijn_waarden_in_een_keer() -> None:
    # The values before the XPath come as the text nodes of one call, each for what its
    # place says (zeef._vooraf); a model where that cannot be told switches the screen off.
    for c in CODES:
        v = zeef._vooraf(c)
        assert v is not None, c
        if v.teksten is None:
            continue
        assert len(v.teksten.path.split(" | ")) >= len(v.voor) + len(v.na) + (v.vrij is not None)


@pytest.mark.parametrize(("code", "te_weinig", "te_veel"), [
    ("JW301", 1, 1),  # every element read occurs once: one text more or less is wrong
    ("JW319", 1, 2),  # Woonplaatsbeginsel/Gemeente may be absent: one more may be it
    ("JW323", 2, 0),  # a Bsn per client: any number more is right; two fewer is not
])
def test_een_tekst_te_veel_of_te_weinig_gaat_naar_de_regels(
        code: str, te_weinig: int, te_veel: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # The count of text nodes confirms what each is for (zeef._vooraf): with texts missing
    # or too many for the model, the rules judge the message.
    import dataclasses

    from tests.conftest import SAMPLES

    f = next(SAMPLES.glob(f"{code.lower()}_*.xml"))
    data = f.read_bytes()
    tree = read_tree(data)
    today = dt.date(2026, 12, 31)
    v = zeef._vooraf(code)
    assert v is not None and v.teksten is not None
    echt = v.teksten(tree)
    assert not zeef.vindt_iets(tree, data, code, today)
    varianten = [echt[:len(echt) - te_weinig]]
    if te_veel:
        varianten.append(echt + [echt[-1]] * te_veel)
    for anders in varianten:
        nep = dataclasses.replace(v, teksten=lambda _t, anders=anders: anders)
        monkeypatch.setattr(zeef, "_vooraf", lambda _c, nep=nep: nep)
        assert zeef.vindt_iets(tree, data, code, today), (len(anders), len(echt))


def test_zonder_voorwaarde_geen_zeef(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(zeef.ZEEF, "CS003")
    zeef.expressie.cache_clear()
    zeef._xpath.cache_clear()
    try:
        assert zeef.expressie("JW301") is None
        data = (bronnen("JW301")[0])
        assert zeef.vindt_iets(read_tree(data), data, "JW301", dt.date(2026, 12, 31))
    finally:
        monkeypatch.undo()
        zeef.expressie.cache_clear()
        zeef._xpath.cache_clear()


def test_met_productcodelijst_geen_zeef(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lijst = tmp_path / "codes.csv"
    lijst.write_text("categorie,code\n45,45A05\n")
    data = bronnen("JW301")[0]
    try:
        productcodes.configureer(lijst)
        assert zeef.vindt_iets(read_tree(data), data, "JW301", dt.date(2026, 12, 31))
    finally:
        productcodes.configureer(None)


@pytest.mark.parametrize("stuk", [b"<!-- x -->", b"<?pi x?>", b"&#32;", "\u00a0".encode()])
def test_niet_gemodelleerde_bytes_gaan_naar_de_regels(stuk: bytes) -> None:
    data = bronnen("JW305")[0].replace(b"</", stuk + b"</", 1)
    assert not zeef.bytes_in_orde(data)


def test_witruimte_lijst_is_die_van_strip() -> None:
    verwacht = {chr(i) for i in range(0x80, sys.maxunicode + 1) if chr(i).isspace()}
    assert set(zeef.WIT_UNICODE) == verwacht


def test_tr416_een_toewijzing_per_week_gaat_door_de_zeef() -> None:
    # A real monthly declaratie: one ToewijzingNummer per client, a line per week and
    # product. TR416's XPath condition (one number on two debet lines) holds; its Python
    # check sees that no two lines share period and product, so the rules are skipped.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from grote_berichten import declaratie

    data = declaratie(2, 12)
    tree = read_tree(data)
    today = dt.date(2026, 4, 2)
    assert validate_tree(tree, "d.xml", today).valid
    assert not zeef.vindt_iets(tree, data, "JW323", today)
    # The same period and product twice under one client: the screen lets the rules run.
    tweede = data.replace(b"<jw323:ProductCode>00001<", b"<jw323:ProductCode>00000<", 4)
    r = validate_tree(read_tree(tweede), "d.xml", today)
    assert [b.rule for b in r.errors] == ["TR416"] * 4
    assert zeef.vindt_iets(read_tree(tweede), tweede, "JW323", today)
    # One line credit: no second debet, whatever its key.
    assert not zeef._tr416(read_tree(tweede.replace(
        b"<ijw:DebetCredit>D</ijw:DebetCredit>\r\n\t\t\t\t\t\t</jw323:IngediendBedrag>",
        b"<ijw:DebetCredit>C</ijw:DebetCredit>\r\n\t\t\t\t\t\t</jw323:IngediendBedrag>")),
        "JW323")


@pytest.mark.parametrize("tekst", ["2026-03-02", " 2026-03-02\n", "\t-2026-03-02", "2026-03-02Z",
                                   "2026-03-02+01:00", "2026-03-02-01:00", "12026-03-02", "",
                                   " ", "0000-01-01", "2026-3-2"])
def test_datum_getal_is_dat_van_libxml2(tekst: str) -> None:
    # The variables hold what number(translate(., '-', '')) of the element gave in XPath.
    verwacht = etree.XPath("number(translate($t, '-', ''))")(etree.Element("x"), t=tekst)
    getal = zeef.datum_getal(tekst)
    assert getal is not None
    assert (math.isnan(getal) and math.isnan(verwacht)) or getal == verwacht


_PERIODE = (b"<ijw:Begindatum>2026-03-01</ijw:Begindatum>\r\n\t\t\t\t\t\t\t"
            b"<ijw:Einddatum>2026-03-31</ijw:Einddatum>")


@pytest.mark.parametrize(("begin", "einde", "dag"), [
    ("2026-03-01", "2026-03-31", None),  # the sample itself
    ("2026-03-02", "2026-03-01", None),  # TR137: einde before begin
    ("2026-03-31", "2026-04-01", None),  # CS337 and TR319: across a month, after the period
    ("2026-02-01", "2026-03-03", None),  # CS337: 30 days, yet two months
    ("2020-12-31", "2021-01-01", None),  # CS100 and CS337
    ("2021-01-01", "2021-01-31", None),  # TR335: more than five years before the dagtekening
    ("2021-04-03", "2021-04-30", None),  # just within five years
    ("2026-03-01", "2026-03-31", "2026-03-30"),  # TR137: after the Dagtekening
    ("2026-03-01", "2026-03-31Z", None),  # not YYYY-MM-DD: the rules judge it
])
def test_productperiode_een_toets_voor_vijf_regels(begin: str, einde: str,
                                                   dag: str | None) -> None:
    # The five ProductPeriode rules share one range test in the screen (zeef._pp): at and
    # just past each rule's edge, the fast path finds what all rules find.
    bron = (Path(__file__).resolve().parent.parent / "samples" / "jw323_declaratie.xml")
    data = bron.read_bytes()
    assert data.count(_PERIODE) >= 1
    data = data.replace(_PERIODE, _PERIODE.replace(b"2026-03-01<", begin.encode() + b"<")
                        .replace(b"2026-03-31<", einde.encode() + b"<"), 1)
    if dag:
        data = data.replace(b"<ijw:Dagtekening>2026-04-02<", f"<ijw:Dagtekening>{dag}<".encode())
    snel, vol = vergelijk(data, dt.date(2026, 12, 31))
    assert snel == vol
    if vol and not dag:
        assert zeef.vindt_iets(read_tree(data), data, "JW323", dt.date(2026, 12, 31))


@pytest.mark.parametrize(("eenheid", "volume", "tarief", "bedrag"), [
    ("04", "8", "7250", "58000"), ("04", "8", "7250", "58001"), ("04", "8", None, "58000"),
    ("83", "58000", None, "58000"), ("83", "58000", None, "58001"), ("83", "8", "7250", "58000"),
    ("04", "+8", "7250", "58000"), ("04", "8", "+7250", "58000"), ("04", "8", "7250", "+58000"),
    ("83", "+58000", None, "58000"),
])
def test_bedrag_een_toets_voor_drie_regels(eenheid: str, volume: str, tarief: str | None,
                                           bedrag: str) -> None:
    # CD087, CS339 and TR346 share one test on a prestatie's amount (zeef._bedrag).
    bron = (Path(__file__).resolve().parent.parent / "samples" / "jw323_declaratie.xml")
    data = bron.read_bytes()
    oud = (b"<jw323:GeleverdVolume>8</jw323:GeleverdVolume>\r\n\t\t\t\t\t\t"
           b"<jw323:Eenheid>04</jw323:Eenheid>\r\n\t\t\t\t\t\t"
           b"<jw323:ProductTarief>7250</jw323:ProductTarief>")
    assert oud in data
    nieuw = (f"<jw323:GeleverdVolume>{volume}</jw323:GeleverdVolume>\r\n\t\t\t\t\t\t"
             f"<jw323:Eenheid>{eenheid}</jw323:Eenheid>" + (
                 f"\r\n\t\t\t\t\t\t<jw323:ProductTarief>{tarief}</jw323:ProductTarief>"
                 if tarief else "")).encode()
    data = data.replace(oud, nieuw, 1)
    i = data.index(nieuw)
    j = data.index(b"<ijw:Bedrag>", i)
    k = data.index(b"</ijw:Bedrag>", j)
    data = data[:j] + f"<ijw:Bedrag>{bedrag}".encode() + data[k:]
    snel, vol = vergelijk(data, dt.date(2026, 12, 31))
    assert snel == vol


def test_tr416_op_positie_gelijk_aan_de_regel(monkeypatch: pytest.MonkeyPatch) -> None:
    # TR416's check reads a Prestatie's elements by index where the model fixes them; on
    # lines with the same key, credit lines, blank and padded values it finds a second debet
    # wherever the rule does. Where the model fixes no positions, the rules decide.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from grote_berichten import declaratie

    assert zeef._tr416_posities("JW323") is not None
    data = declaratie(2, 8)
    varianten = [
        data,
        data.replace(b"<jw323:ProductCode>00001<", b"<jw323:ProductCode>00000<", 4),
        data.replace(b"<jw323:ProductCode>00001<", b"<jw323:ProductCode> 00000 <", 4),
        data.replace(b"<jw323:ProductCode>00001<", b"<jw323:ProductCode> <", 8),
        data.replace(b"<ijw:DebetCredit>D<", b"<ijw:DebetCredit>C<", 3).replace(
            b"<jw323:ProductCode>00001<", b"<jw323:ProductCode>00000<", 4),
        data.replace(b"<jw323:ToewijzingNummer>700001<", b"<jw323:ToewijzingNummer>700000<"),
    ]
    uitkomsten = []
    for v in varianten:
        tree = read_tree(v)
        op_positie = zeef._tr416(tree, "JW323")
        regel = any(b.rule == "TR416" for b in validate_tree(tree, "d.xml",
                                                             dt.date(2026, 4, 2)).errors)
        assert op_positie or not regel
        with monkeypatch.context() as m:
            m.setattr(zeef, "_tr416_posities", lambda code: None)
            assert zeef._tr416(tree, "JW323")
        uitkomsten.append((op_positie, regel))
    assert uitkomsten[0] == (False, False) and uitkomsten[1] == (True, True)
    assert uitkomsten[2] == (True, True)


_DECL_PERIODE = (b"<jw323:DeclaratiePeriode>\r\n\t\t\t<ijw:Begindatum>2026-03-01</ijw:Begindatum>"
                 b"\r\n\t\t\t<ijw:Einddatum>2026-03-31</ijw:Einddatum>")


@pytest.mark.parametrize(("begin", "einde", "dag"), [
    ("2026-03-01", "2026-03-31", None), ("2026-03-02", "2026-03-31", None),
    ("2026-03-01", "2026-03-30", None), ("2026-02-01", "2026-02-28", None),
    ("2024-02-01", "2024-02-28", None), ("2024-02-01", "2024-02-29", None),
    ("2020-12-01", "2020-12-31", None), ("2026-04-01", "2026-03-31", None),
    ("2026-03-01", "2026-03-31", "2026-03-15"), ("2026-03-01", "2026-03-31", "2026-02-27"),
])
def test_declaratieperiode_in_python(begin: str, einde: str, dag: str | None) -> None:
    # TR137, CS100, CS340 and TR134 on the DeclaratiePeriode are decided in Python on the
    # screen's variables (zeef._declaratieperiode): the fast path finds what all rules find.
    data = (Path(__file__).resolve().parent.parent / "samples" / "jw323_declaratie.xml"
            ).read_bytes()
    assert _DECL_PERIODE in data
    data = data.replace(_DECL_PERIODE, _DECL_PERIODE.replace(
        b"2026-03-01<", begin.encode() + b"<").replace(b"2026-03-31<", einde.encode() + b"<"))
    if dag:
        data = data.replace(b"<ijw:Dagtekening>2026-04-02<", f"<ijw:Dagtekening>{dag}<".encode())
    for today in (dt.date(2026, 4, 2), dt.date(2026, 12, 31)):
        snel, vol = vergelijk(data, today)
        assert snel == vol


def test_zeef_vanaf_het_tweede_bericht_of_bij_een_groot(monkeypatch: pytest.MonkeyPatch) -> None:
    # The screen's set-up for a type costs more than the rule walk over one small message:
    # the first small message of a type is walked, the second screened; a large one (a
    # declaratie of hundreds of lines) is screened at once.
    import ijwcli.validatie as validatie

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from grote_berichten import declaratie

    monkeypatch.setattr(validatie, "_GEZIEN", set())
    geroepen: list[str] = []
    echt = zeef.vindt_iets
    monkeypatch.setattr(zeef, "vindt_iets",
                        lambda tree, data, code, today: geroepen.append(code) or echt(
                            tree, data, code, today))
    klein = (Path(__file__).resolve().parent.parent / "samples" / "jw319_antwoord.xml"
             ).read_bytes()
    assert validate_bytes(klein, "a.xml", dt.date(2026, 12, 31)).valid
    assert geroepen == []
    assert validate_bytes(klein, "b.xml", dt.date(2026, 12, 31)).valid
    assert geroepen == ["JW319"]
    groot = declaratie(1, 200)
    assert len(groot) > validatie._ZEEF_VANAF
    assert validate_bytes(groot, "c.xml", dt.date(2026, 4, 2)).valid
    assert geroepen == ["JW319", "JW323"]


@pytest.mark.parametrize("totaal", ["58000", "+58000", "58001", "+58001", "0058000"])
def test_totaalbedrag_tr358(totaal: str) -> None:
    # TR358 on the declaratie's total: a '+' before it gives XPath a NaN, which lets the
    # rules judge the message (zeef.g_of_nan).
    data = (Path(__file__).resolve().parent.parent / "samples" / "jw323_declaratie.xml"
            ).read_bytes()
    oud = b"<ijw:TotaalBedrag>58000</ijw:TotaalBedrag>"
    assert oud in data
    snel, vol = vergelijk(data.replace(oud, f"<ijw:TotaalBedrag>{totaal}</ijw:TotaalBedrag>"
                                       .encode()), dt.date(2026, 12, 31))
    assert snel == vol
