"""ijwcli.generatie and ijwcli.generatie.sjabloon: content carried over, file rules, templates,
data rows.

Sources are the reference messages in ../shared/ijw-3.2/voorbeelden (skipped when absent) and the
project's samples/. Every file a test writes into the session folder is checked at the end by
../shared/tools/ijw-xsd-check (see ``test_every_generated_file_passes_the_reference_xsds``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ijwcli import generatie as generate
from ijwcli.bericht import Bericht
from ijwcli.errors import FileError, InvalidInput, UsageError
from ijwcli.generatie import sjabloon
from tests.conftest import ROOT, SAMPLES, SHARED, needs_shared

XSD_CHECK = SHARED / "tools" / "ijw-xsd-check"
ADRES = {"postcode": "5038EA", "huisnummer": "12", "straatnaam": "Stationsstraat",
         "plaatsnaam": "Tilburg"}


@pytest.fixture(scope="module")
def uitmap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every generated message lands here, for one run of the reference XSD check."""
    return tmp_path_factory.mktemp("gegenereerd")


def bewaar(uitmap: Path, b: Bericht, today: dt.date, naam: str) -> bytes:
    """Validate with the project's validator (as the CLI does) and keep the file for the oracle."""
    xml = generate.controleer(b, today)
    (uitmap / f"{naam}.xml").write_bytes(xml)
    return xml


def ref(naam: str) -> Bericht:
    return generate.lees_bericht(needs_shared() / "voorbeelden" / f"{naam}.xml")


def sample(naam: str) -> Bericht:
    p = SAMPLES / naam
    if not p.exists():
        pytest.skip(f"samples/{naam} is not there")
    return generate.lees_bericht(p)


def producten(b: Bericht, klasse: str) -> list[dict]:
    return [p.to_dict() for p in b.producten if p.name == klasse]


# --- JW301 from a JW315 -----------------------------------------------------------------------
def test_jw301_from_reference_jw315_carries_every_requested_product(uitmap: Path) -> None:
    jw315 = ref("JW315")
    today = dt.date(2026, 4, 2)
    b = generate.jw301_uit_verzoek(jw315, nummers=generate.Nummerreeks(start=300201),
                                   today=today, nu=dt.time(9, 30), waarden=ADRES)
    xml = bewaar(uitmap, b, today, "jw301_uit_ref_jw315")
    h = b.root
    # Afzender is the gemeente that received the JW315, Ontvanger the aanbieder that sent it.
    assert h.value("Header/Afzender") == jw315.root.value("Header/Ontvanger") == "0384"
    assert h.value("Header/Ontvanger") == jw315.root.value("Header/Afzender")
    assert h.value("Header/BerichtIdentificatie/Dagtekening") == "2026-04-02"
    ident = b.identificatie or ""
    assert 1 <= len(ident) <= 12 and ident != jw315.identificatie
    for naam in ("Bsn", "Geboortedatum/Datum", "Geslacht", "Naam/Geslachtsnaam/Achternaam",
                 "Naam/Geslachtsnaam/Voorvoegsel", "Naam/Voornamen", "Naam/Voorletters"):
        assert h.value(f"Client/{naam}") == jw315.root.value(f"Client/{naam}"), naam
    gevraagd = jw315.root.findall("Client/AangevraagdeProducten/AangevraagdProduct")
    toegewezen = h.findall("Client/ToegewezenProducten/ToegewezenProduct")
    assert len(toegewezen) == len(gevraagd) == 2
    for a, t in zip(gevraagd, toegewezen, strict=True):
        assert t.value("ReferentieAanbieder") == a.value("ReferentieAanbieder")  # TR379
        assert t.child("Product").to_dict() == a.child("Product").to_dict()
        assert t.value("Ingangsdatum") == a.value("ToewijzingIngangsdatum")
        assert t.value("Einddatum") == a.value("ToewijzingEinddatum")
        assert t.child("Omvang").to_dict() == a.child("Omvang").to_dict()
        assert t.value("Toewijzingsdatum") == "2026-04-02"
        assert t.value("Toewijzingstijd") == "09:30:00"
    assert [t.value("ToewijzingNummer") for t in toegewezen] == ["300201", "300202"]
    # The template supplies what a JW315 lacks: NaamGebruik and a BRP address (TR061).
    assert h.value("Client/Naam/NaamGebruik") == "1"
    assert h.value("Client/Contactgegevens/Contact/Soort") == "01"
    assert h.value("Client/Contactgegevens/Contact/Adres/Postcode") == "5038EA"
    assert b"\r\n" in xml


def test_jw301_from_sample_jw315_matches_the_sample_toewijzing(uitmap: Path) -> None:
    jw315 = sample("jw315_verzoek_om_toewijzing.xml")
    verwacht = sample("jw301_toewijzing.xml")
    today = dt.date(2026, 3, 1)
    b = generate.jw301_uit_verzoek(jw315, nummers=generate.Nummerreeks(start=700001),
                                   today=today, waarden=ADRES)
    bewaar(uitmap, b, today, "jw301_uit_sample_jw315")
    sleutels = ("ToewijzingNummer", "ReferentieAanbieder", "Product", "Ingangsdatum",
                "Einddatum", "Omvang")
    [nieuw] = producten(b, "ToegewezenProduct")
    [oud] = producten(verwacht, "ToegewezenProduct")
    assert {k: nieuw.get(k) for k in sleutels} == {k: oud.get(k) for k in sleutels}


def test_two_messages_never_share_a_berichtidentificatie() -> None:
    jw315 = ref("JW315")
    ids = {generate.jw301_uit_verzoek(jw315, nummers=generate.Nummerreeks(start=1),
                                      today=dt.date(2026, 4, 2), waarden=ADRES).identificatie
           for _ in range(50)}
    assert len(ids) == 50


def test_template_gemeentecode_must_match_the_gemeente_the_jw315_was_sent_to() -> None:
    s = sjabloon.laad_tekst('bericht = "JW301"\n[afzender]\ngemeentecode = "0855"\n',
                            "eigen.toml", "JW301")
    with pytest.raises(InvalidInput, match="gemeentecode 0384.*eigen.toml.*0855"):
        generate.jw301_uit_verzoek(ref("JW315"), s, nummers=generate.Nummerreeks(start=1),
                                   today=dt.date(2026, 4, 2))


def test_missing_placeholder_value_is_named() -> None:
    with pytest.raises(UsageError, match=r"\{postcode\}"):
        generate.jw301_uit_verzoek(ref("JW315"), nummers=generate.Nummerreeks(start=1),
                                   today=dt.date(2026, 4, 2),
                                   waarden={k: v for k, v in ADRES.items() if k != "postcode"})


# --- JW301 from a JW317 -----------------------------------------------------------------------
def test_jw301_from_sample_jw317_changes_the_toewijzing_in_place(uitmap: Path) -> None:
    jw317, huidig = sample("jw317_verzoek_om_wijziging.xml"), sample("jw301_toewijzing.xml")
    today = dt.date(2026, 9, 2)
    b = generate.jw301_uit_wijziging(jw317, huidig, nummers=generate.Nummerreeks(start=700500),
                                     today=today)
    bewaar(uitmap, b, today, "jw301_uit_sample_jw317")
    w = jw317.root.find("Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct")
    [t] = b.root.findall("Client/ToegewezenProducten/ToegewezenProduct")
    # Same start date as the toewijzing: same ToewijzingNummer, new end and volume.
    assert t.value("ToewijzingNummer") == w.value("ToewijzingNummer")
    assert t.value("Einddatum") == w.value("Einddatum") == "2027-07-31"
    assert t.child("Omvang").to_dict() == w.child("Omvang").to_dict()
    assert t.value("RedenWijziging") == "04"  # later einddatum: herbeoordeling verlenging
    assert t.value("ReferentieAanbieder") == jw317.root.value("Client/Verzoek/ReferentieAanbieder")
    assert t.value("Toewijzingsdatum") == "2026-09-02"
    # Client data comes from the actuele toewijzing, untouched.
    assert b.root.find("Client/Contactgegevens").to_dict() == \
        huidig.root.find("Client/Contactgegevens").to_dict()


def _huidig_voor_ref_jw317() -> Bericht:
    """The reference JW301 as the actuele toewijzing the reference JW317 refers to (10071)."""
    b = ref("JW301")
    eerste = b.root.findall("Client/ToegewezenProducten/ToegewezenProduct")[0]
    eerste.set("ToewijzingNummer", "10071")
    b.header.set("Afzender", "0384")
    b.header.set("Ontvanger", "65656055")
    return b


def test_reference_jw317_with_end_before_start_is_refused_with_the_rule() -> None:
    # The reference JW317 asks for a NieuwProduct ending (2024-02-28) before it starts.
    b = generate.jw301_uit_wijziging(ref("JW317"), _huidig_voor_ref_jw317(),
                                     nummers=generate.Nummerreeks(start=20000),
                                     today=dt.date(2026, 4, 2))
    with pytest.raises(InvalidInput, match="CS003"):
        generate.controleer(b, dt.date(2026, 4, 2))


def test_reference_jw317_new_product_gets_a_new_number_and_the_rest_is_kept(uitmap: Path) -> None:
    jw317 = ref("JW317")
    jw317.root.find("Client/Verzoek/NieuweProducten/NieuwProduct").set("Einddatum",
                                                                      "2027-02-28")
    huidig = _huidig_voor_ref_jw317()
    today = dt.date(2026, 4, 2)
    b = generate.jw301_uit_wijziging(jw317, huidig, nummers=generate.Nummerreeks(start=20000),
                                     today=today)
    bewaar(uitmap, b, today, "jw301_uit_ref_jw317")
    oud = {p["ToewijzingNummer"]: p for p in producten(huidig, "ToegewezenProduct")}
    nieuw = {p["ToewijzingNummer"]: p for p in producten(b, "ToegewezenProduct")}
    assert set(nieuw) == {"10071", "300202", "20000"}
    assert nieuw["10071"] == oud["10071"] and nieuw["300202"] == oud["300202"]
    n = nieuw["20000"]
    assert n["Product"] == {"Categorie": "45", "Code": "45A03"}
    assert (n["Ingangsdatum"], n["Einddatum"]) == ("2026-11-01", "2027-02-28")
    assert n["Omvang"] == {"Volume": "4", "Eenheid": "04", "Frequentie": "4"}
    assert n["ReferentieAanbieder"] == "9003"


def test_change_from_a_later_date_ends_the_old_toewijzing_and_starts_a_new_one(
        uitmap: Path) -> None:
    jw317 = sample("jw317_verzoek_om_wijziging.xml")
    huidig = sample("jw301_toewijzing.xml")
    jw317.root.find("Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct").set(
        "GewensteIngangsdatum", "2026-10-01")
    today = dt.date(2026, 9, 2)
    b = generate.jw301_uit_wijziging(jw317, huidig, nummers=generate.Nummerreeks(start=700500),
                                     today=today)
    bewaar(uitmap, b, today, "jw301_wijziging_later")
    oud, nieuw = b.root.findall("Client/ToegewezenProducten/ToegewezenProduct")
    assert (oud.value("ToewijzingNummer"), oud.value("Einddatum"),
            oud.value("RedenWijziging")) == ("700001", "2026-09-30", "12")
    assert oud.value("Omvang/Volume") == "100"
    assert (nieuw.value("ToewijzingNummer"), nieuw.value("Ingangsdatum"),
            nieuw.value("Einddatum"), nieuw.value("Omvang/Volume")) == (
        "700500", "2026-10-01", "2027-07-31", "130")
    assert nieuw.child("Product").to_dict() == oud.child("Product").to_dict()


def test_jw317_naming_an_unknown_toewijzing_is_refused() -> None:
    huidig = ref("JW301")  # holds 300201 and 300202, not the 10071 the JW317 keeps
    huidig.header.set("Ontvanger", "65656055")
    with pytest.raises(InvalidInput, match="10071.*TR350"):
        generate.jw301_uit_wijziging(ref("JW317"), huidig, nummers=generate.Nummerreeks(start=1),
                                     today=dt.date(2026, 4, 2))


# --- verlenging and intrekking ----------------------------------------------------------------
def _uitkomst(nieuwe_einddatum: dt.date, extra: int, verwijzer: str = "toegang") -> dict:
    """A real outcome of the verlenging library, as `ijwcli verlenging --json` prints it."""
    from ijwcli.verlenging import Toewijzing, Verzoek, bereken, profiel

    t = Toewijzing(dt.date(2026, 3, 1), dt.date(2027, 2, 28), 100, "04", "6")
    u = bereken(Verzoek(t, verwijzer, nieuwe_einddatum=nieuwe_einddatum, extra_volume=extra,
                        peildatum=dt.date(2026, 9, 1)), profiel.load("hart-van-brabant"))
    return json.loads(json.dumps(u.to_dict(), default=str))


def test_verlenging_outcome_becomes_a_changed_toewijzing(uitmap: Path) -> None:
    huidig = sample("jw301_toewijzing.xml")
    uitkomst = _uitkomst(dt.date(2027, 7, 31), 30)
    assert uitkomst["route"] == "backoffice" and "JW301" in uitkomst["berichten"]
    today = dt.date(2026, 9, 5)
    b = generate.jw301_verlenging(huidig, uitkomst, today=today)
    bewaar(uitmap, b, today, "jw301_verlenging")
    [t] = b.root.findall("Client/ToegewezenProducten/ToegewezenProduct")
    assert t.value("ToewijzingNummer") == "700001"
    assert t.value("Ingangsdatum") == "2026-03-01"
    assert t.value("Einddatum") == uitkomst["toewijzing"]["einddatum"] == "2027-07-31"
    assert t.value("Omvang/Volume") == str(uitkomst["toewijzing"]["volume"]) == "130"
    assert t.value("RedenWijziging") == "04"
    assert t.value("ReferentieAanbieder") is None  # answers no VOT/VOW (TR379)


def test_verkorting_outcome_gets_reden_05(uitmap: Path) -> None:
    uitkomst = _uitkomst(dt.date(2026, 12, 31), 0)
    assert "JW301" in uitkomst["berichten"]
    today = dt.date(2026, 9, 5)
    b = generate.jw301_verlenging(sample("jw301_toewijzing.xml"), uitkomst, today=today)
    bewaar(uitmap, b, today, "jw301_verkorting")
    assert b.producten[0].value("RedenWijziging") == "05"
    assert b.producten[0].value("Einddatum") == "2026-12-31"


def test_outcome_without_jw301_is_refused() -> None:
    uitkomst = _uitkomst(dt.date(2027, 12, 31), 90)  # far outside the guideline
    assert "JW301" not in uitkomst["berichten"]
    with pytest.raises(InvalidInput, match="leidt niet tot een JW301.*route toegang"):
        generate.jw301_verlenging(sample("jw301_toewijzing.xml"), uitkomst,
                                  today=dt.date(2026, 9, 5))


def test_outcome_with_missing_key_names_it() -> None:
    uitkomst = _uitkomst(dt.date(2027, 7, 31), 30)
    del uitkomst["toewijzing"]["frequentie"]
    with pytest.raises(InvalidInput, match="toewijzing.frequentie ontbreekt"):
        generate.jw301_verlenging(sample("jw301_toewijzing.xml"), uitkomst)


def test_outcome_for_another_toewijzing_asks_which_one() -> None:
    huidig = ref("JW301")  # two toewijzingen, both starting 2026-04-01
    uitkomst = {"route": "backoffice", "berichten": ["JW301"], "toewijzing": {
        "ingangsdatum": "2026-04-01", "einddatum": "2026-09-30", "volume": 3, "eenheid": "04",
        "frequentie": "2"}}
    b = generate.jw301_verlenging(huidig, uitkomst, today=dt.date(2026, 4, 2))
    assert [p.value("RedenWijziging") for p in b.producten] == ["04", None]
    uitkomst["toewijzing"]["eenheid"] = "14"
    with pytest.raises(UsageError, match="--toewijzingnummer"):
        generate.jw301_verlenging(huidig, uitkomst, today=dt.date(2026, 4, 2))


def test_intrekken_sets_einddatum_to_ingangsdatum_and_reden_13(uitmap: Path) -> None:
    huidig = ref("JW301")
    today = dt.date(2026, 4, 2)
    b = generate.jw301_intrekken(huidig, "300202", today=today)
    bewaar(uitmap, b, today, "jw301_intrekken")
    eerste, tweede = b.producten
    assert eerste.to_dict() == huidig.producten[0].to_dict()
    assert tweede.value("Einddatum") == tweede.value("Ingangsdatum") == "2026-04-01"  # CS335
    assert tweede.value("RedenWijziging") == "13"
    assert b.identificatie != huidig.identificatie
    with pytest.raises(UsageError, match="999.*kies uit 300201, 300202"):
        generate.jw301_intrekken(huidig, "999", today=today)


def test_jw301_from_a_file_follows_its_type_and_refuses_options_that_do_not_fit() -> None:
    v = needs_shared() / "voorbeelden"
    today = dt.date(2026, 4, 2)
    b = generate.jw301_uit_bestand(v / "JW315.xml", nummers=generate.Nummerreeks(start=1),
                                   today=today, waarden=ADRES)
    assert [p.value("ToewijzingNummer") for p in b.producten] == ["1", "2"]
    b = generate.jw301_uit_bestand(v / "JW301.xml", intrekken="300202", today=today)
    assert [p.value("RedenWijziging") for p in b.producten] == [None, "13"]
    fout = [({"bron": v / "JW315.xml", "actueel": v / "JW301.xml"}, "JW315 horen geen"),
            ({"bron": v / "JW317.xml"}, "--actueel"),
            ({"bron": v / "JW317.xml", "actueel": v / "JW301.xml", "intrekken": "300202"},
             "JW317 horen geen"),
            ({"bron": v / "JW301.xml"}, "precies één"),
            ({"bron": v / "JW301.xml", "intrekken": "300202", "actueel": v / "JW301.xml"},
             "precies één"),
            ({"bron": v / "JW305.xml"}, "niet een JW305")]
    for kwargs, verwacht in fout:
        with pytest.raises(UsageError, match=verwacht):
            generate.jw301_uit_bestand(**kwargs, nummers=generate.Nummerreeks(start=1),
                                       today=today, waarden=ADRES)


# --- JW307 ------------------------------------------------------------------------------------
def test_jw307_from_reference_jw305_equals_the_reference_stopproducten(uitmap: Path) -> None:
    jw305, jw307 = ref("JW305"), ref("JW307")
    today = dt.date(2026, 7, 20)
    b = generate.jw307_uit_start(jw305, dt.date(2026, 7, 17), "31", today=today)
    bewaar(uitmap, b, today, "jw307_uit_ref_jw305")
    # The reference JW307 stops the reference JW305 on 2026-07-17 with reden 31: same content.
    assert producten(b, "StopProduct") == producten(jw307, "StopProduct")
    for naam in ("Afzender", "Ontvanger"):
        assert b.root.value(f"Header/{naam}") == jw305.root.value(f"Header/{naam}")
    for naam in ("Bsn", "Geboortedatum", "Geslacht", "Naam"):
        assert b.root.find(f"Client/{naam}").to_dict() == \
            jw305.root.find(f"Client/{naam}").to_dict()


def test_jw307_from_sample_keeps_the_key_elements_tr382(uitmap: Path) -> None:
    jw305 = sample("jw305_start.xml")
    today = dt.date(2026, 7, 1)
    b = generate.jw307_uit_start(jw305, dt.date(2026, 6, 30), "34", today=today)
    bewaar(uitmap, b, today, "jw307_uit_sample_jw305")
    for start, stop in zip(jw305.producten, b.producten, strict=True):
        for k in ("ToewijzingNummer", "Product", "ToewijzingIngangsdatum", "Begindatum"):
            assert (start.find(k) and start.find(k).to_dict()) == \
                (stop.find(k) and stop.find(k).to_dict())
        assert (stop.value("RedenBeeindiging"), stop.value("Einddatum")) == ("34", "2026-06-30")


def test_jw307_reden_outside_the_code_list_lists_the_valid_codes() -> None:
    from ijwcli.model.datatypes import LDT

    with pytest.raises(UsageError) as exc:
        generate.jw307_uit_start(ref("JW305"), dt.date(2026, 7, 17), "30",
                                 today=dt.date(2026, 7, 20))
    for code in LDT["LDT_RedenBeeindiging"].codes:
        assert code in str(exc.value)


def test_jw307_einddatum_checks() -> None:
    jw305 = ref("JW305")
    with pytest.raises(UsageError, match="TR134"):
        generate.jw307_uit_start(jw305, dt.date(2026, 7, 21), "31", today=dt.date(2026, 7, 20))
    with pytest.raises(InvalidInput, match="Begindatum 2026-04-15.*300202"):
        generate.jw307_uit_start(jw305, dt.date(2026, 4, 10), "31", today=dt.date(2026, 7, 20))


# --- file rules -------------------------------------------------------------------------------
def test_generated_xml_is_utf8_without_bom_crlf_one_element_per_line() -> None:
    b = generate.jw307_uit_start(ref("JW305"), dt.date(2026, 7, 17), "31",
                                 today=dt.date(2026, 7, 20))
    xml = generate.controleer(b, dt.date(2026, 7, 20))
    assert not xml.startswith(b"\xef\xbb\xbf")
    xml.decode("utf-8")
    assert xml.count(b"\n") == xml.count(b"\r\n") > 10
    for line in xml.decode().split("\r\n")[1:]:
        assert len(re.findall(r"<[^/?!]", line)) <= 1, line


def test_schrijf_alles_never_overwrites_without_force_nor_an_input(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    a.write_bytes(b"oud")
    with pytest.raises(FileError, match="--force"):
        generate.schrijf_alles([(b, b"nieuw"), (a, b"nieuw")])
    assert a.read_bytes() == b"oud" and not b.exists()  # nothing half-written
    with pytest.raises(FileError, match="invoerbestand"):
        generate.schrijf_alles([(a, b"nieuw")], force=True, invoer=[a])
    generate.schrijf_alles([(a, b"nieuw"), (b, b"ook")], force=True)
    assert a.read_bytes() == b"nieuw" and b.read_bytes() == b"ook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml", "b.xml"]  # no temp files


def test_counter_file_advances_only_when_saved(tmp_path: Path) -> None:
    teller = tmp_path / "teller.txt"
    with pytest.raises(FileError, match="--toewijzingnummer-start"):
        generate.Nummerreeks(teller=teller).volgende()
    r = generate.Nummerreeks(start=500, teller=teller)
    with r.vergrendeld():
        assert [r.volgende(), r.volgende()] == [500, 501]
    assert not teller.exists()
    r.bewaar()
    assert teller.read_text().strip() == "501"
    r2 = generate.Nummerreeks(start=10, teller=teller)  # the counter is past the start
    assert r2.volgende() == 502
    teller.write_text("kapot")
    with pytest.raises(FileError, match="één getal"):
        generate.Nummerreeks(teller=teller).volgende()


# --- templates --------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["JW301", "JW307"])
def test_shipped_templates_load_and_templates_folder_is_the_same(code: str) -> None:
    s = sjabloon.laad(ROOT / "templates" / f"{code.lower()}.toml", code)
    assert s.bericht == code
    assert (ROOT / "templates" / f"{code.lower()}.toml").read_text("utf-8") == \
        sjabloon.standaard_tekst(code)


def test_templates_folder_holds_exactly_the_shipped_templates() -> None:
    from importlib import resources

    pakket = {t.name for t in resources.files("ijwcli.generatie.sjablonen").iterdir()
              if t.name.endswith(".toml")}
    assert {p.name for p in (ROOT / "templates").glob("*.toml")} == pakket == \
        {"jw301.toml", "jw307.toml"}


@pytest.mark.parametrize(("tekst", "verwacht"), [
    ('bericht = "JW301"\n[client]\n"Naam/Roepnaam" = "x"\n',
     r"regel 3 tabel client, sleutel 'Naam/Roepnaam'.*kent geen element 'Roepnaam'"),
    ('bericht = "JW301"\n[afzender]\ngemeentecode = "384"\n',
     r"regel 3 tabel afzender, sleutel 'gemeentecode'.*patroon"),
    ('bericht = "JW301"\n[standaard]\ntijd = "25:61"\n', r"tabel standaard, sleutel 'tijd'.*tijd"),
    ('bericht = "JW301"\n[standaard]\nkleur = "rood"\n', r"'kleur'.*onbekende sleutel"),
    ('bericht = "JW301"\n[product]\n"Einddatum" = "2026-01-01"\n',
     r"'Einddatum'.*vult ijwcli zelf"),
    ('bericht = "JW301"\n[client]\n"Contactgegevens/Contact" = "x"\n', r"is een klasse"),
    ('bericht = "JW307"\n[standaard]\nreden = "99"\n', r"'reden'.*geen code.*kies uit 02"),
    ('bericht = "JW307"\n', r"voor JW307, niet voor JW301"),
    ('bericht = "JW301"\n[afzender\n', r"geen geldige TOML"),
    # A misspelt placeholder would otherwise be written into the message as literal text.
    ('bericht = "JW301"\n[client]\n"Contactgegevens/Contact/Adres/Straatnaam" = "{Straat}"\n',
     r"regel 3 tabel client.*ongeldige plaatshouder in '\{Straat\}'"),
    ('bericht = "JW301"\n[client]\n"Naam/Voornamen" = "{voornaam"\n',
     r"ongeldige plaatshouder"),
    # [standaard] values are used as they are: a placeholder there is refused, not copied.
    ('bericht = "JW301"\n[standaard]\ncommentaar = "Voor {achternaam}"\n',
     r"tabel standaard, sleutel 'commentaar'.*plaatshouders.*alleen in de tabellen"),
    ('bericht = "JW301"\n[standaard]\ntijd = "{tijd}"\n', r"sleutel 'tijd'.*plaatshouders"),
])
def test_bad_template_gives_a_clear_error_at_load(tmp_path: Path, tekst: str,
                                                  verwacht: str) -> None:
    p = tmp_path / "mijn.toml"
    p.write_text(tekst, "utf-8")
    code = "JW307" if "reden" in tekst else "JW301"
    with pytest.raises(sjabloon.SjabloonFout, match=verwacht) as exc:
        sjabloon.laad(p, code)
    assert str(p) in str(exc.value)
    assert exc.value.exit_code == 2


def test_template_values_fill_only_what_the_case_leaves_empty() -> None:
    s = sjabloon.laad_tekst(
        'bericht = "JW301"\n[standaard]\ncommentaar = "Toegewezen door de backoffice"\n'
        'tijd = "08:00:00"\n[client]\n"Naam/NaamGebruik" = "1"\n'
        '"Contactgegevens/Contact/Soort" = "02"\n'
        '"Contactgegevens/Contact/Telefoon/Telefoon01/Telefoonnummer" = "{telefoon}"\n'
        '"Contactgegevens/Contact/Telefoon/Telefoon01/Landnummer" = "0031"\n', "t.toml")
    b = generate.jw301_uit_verzoek(ref("JW315"), s, nummers=generate.Nummerreeks(start=1),
                                   today=dt.date(2026, 4, 2), waarden={"telefoon": "0131234567"})
    assert b.root.value("Client/Contactgegevens/Contact/Telefoon/Telefoon01/Telefoonnummer") \
        == "0131234567"
    assert {p.value("Commentaar") for p in b.producten} == {"Toegewezen door de backoffice"}
    assert {p.value("Toewijzingstijd") for p in b.producten} == {"08:00:00"}
    # From an actuele JW301 the client's own contactgegevens stay; nothing is added to them.
    huidig = ref("JW301")
    b2 = generate.jw301_intrekken(huidig, "300201", s, today=dt.date(2026, 4, 2))
    assert b2.root.find("Client/Contactgegevens").to_dict() == \
        huidig.root.find("Client/Contactgegevens").to_dict()


# --- data rows --------------------------------------------------------------------------------
KOP = ("gemeente;aanbieder;bsn;geboortedatum;geslacht;achternaam;voorvoegsel;voornamen;"
       "categorie;productcode;ingangsdatum;einddatum;volume;eenheid;frequentie;"
       "referentie_aanbieder;postcode;huisnummer;straatnaam;plaatsnaam\n")
RIJEN = [
    "0855;12345678;999900018;09-05-2014;2;Dijk;van;Sanne;45;45A05;2026-03-01;2027-02-28;100;4;6;"
    "VZ-1;5038EA;12;Stationsstraat;Tilburg\n",
    "0855;12345678;999900018;09-05-2014;2;Dijk;van;Sanne;45;45A06;2026-03-01;2027-02-28;10;4;2;"
    "VZ-2;5038EA;12;Stationsstraat;Tilburg\n",
    "0855;87654321;999900006;14-02-2010;1;Wit;de;Tom;55;55A11;2026-04-01;2026-12-31;2;16;4;;"
    "1234AB;3;Kerkweg;Goirle\n",
]


def test_jw301_from_csv_rows_one_message_per_client(tmp_path: Path, uitmap: Path) -> None:
    p = tmp_path / "cases.csv"
    p.write_text(KOP + "".join(RIJEN), "utf-8")
    today = dt.date(2026, 3, 1)
    uit = generate.jw301_uit_rijen(p, nummers=generate.Nummerreeks(start=800000), today=today)
    assert [r.rijen for r in uit] == [[2, 3], [4]]
    for i, r in enumerate(uit):
        bewaar(uitmap, r.bericht, today, f"jw301_csv_{i}")
    eerste = uit[0].bericht
    assert eerste.root.value("Header/Afzender") == "0855"
    assert eerste.root.value("Header/Ontvanger") == "12345678"
    assert [p.value("ToewijzingNummer") for p in eerste.producten] == ["800000", "800001"]
    assert eerste.producten[0].value("Omvang/Eenheid") == "04"  # "4" as typed, code 04
    assert eerste.producten[1].value("ReferentieAanbieder") == "VZ-2"
    assert uit[1].bericht.producten[0].value("ToewijzingNummer") == "800002"


def test_bad_csv_rows_are_all_reported_with_row_and_column(tmp_path: Path) -> None:
    p = tmp_path / "cases.csv"
    slecht = [RIJEN[0], RIJEN[1].replace("2027-02-28", "2025-02-28"),
              RIJEN[2].replace("999900006", "999900007").replace(";16;", ";99;")]
    p.write_text(KOP + "".join(slecht), "utf-8")
    with pytest.raises(InvalidInput) as exc:
        generate.jw301_uit_rijen(p, nummers=generate.Nummerreeks(start=1),
                                 today=dt.date(2026, 3, 1))
    tekst = str(exc.value)
    assert "cases.csv rij 3 kolom einddatum" in tekst
    assert "cases.csv rij 4 kolom bsn" in tekst and "elfproef" in tekst
    assert exc.value.exit_code == 1


def test_sender_column_works_with_a_template_that_fixes_the_sender(tmp_path: Path) -> None:
    eigen = sjabloon.laad_tekst(sjabloon.standaard_tekst("JW301").replace(
        'gemeentecode = "{gemeente}"', 'gemeentecode = "0855"'), "eigen.toml", "JW301")
    p = tmp_path / "cases.csv"
    # Excel drops the leading zero of a gemeentecode typed as a number: 855 is 0855.
    p.write_text(KOP + RIJEN[0].replace("0855;", "855;", 1) + RIJEN[2], "utf-8")
    uit = generate.jw301_uit_rijen(p, eigen, nummers=generate.Nummerreeks(start=1),
                                   today=dt.date(2026, 3, 1))
    assert [r.bericht.root.value("Header/Afzender") for r in uit] == ["0855", "0855"]
    # A row for another gemeente is refused, as a JW315 sent to another gemeente is.
    p.write_text(KOP + RIJEN[0] + RIJEN[2].replace("0855;", "0384;", 1), "utf-8")
    with pytest.raises(InvalidInput, match=r"rij 3 kolom gemeente: de rij hoort bij gemeentecode "
                       r"0384, het sjabloon \(eigen.toml\) is van 0855"):
        generate.jw301_uit_rijen(p, eigen, nummers=generate.Nummerreeks(start=1),
                                 today=dt.date(2026, 3, 1))
    # The same for the aanbieder of a JW307 row.
    stop = sjabloon.laad_tekst('bericht = "JW307"\n[afzender]\nagb = "12345678"\n', "s.toml")
    p.write_text("aanbieder,gemeente,bsn,geboortedatum,geslacht,achternaam,begindatum,"
                 "einddatum,reden\n"
                 "12345678,0855,999900018,2014-05-09,2,Dijk,2026-03-09,2026-06-30,31\n"
                 "87654321,0855,999900006,2010-02-14,1,Wit,2026-04-03,2026-06-30,31\n", "utf-8")
    with pytest.raises(InvalidInput, match=r"rij 3 kolom aanbieder: de rij hoort bij agb "
                       r"87654321") as exc:
        generate.jw307_uit_rijen(p, stop, today=dt.date(2026, 7, 1))
    assert "rij 2" not in str(exc.value)


def test_rows_the_validator_refuses_are_named_by_row_and_column(tmp_path: Path) -> None:
    # Cells that pass their own checks but make a message the validator refuses, in two
    # messages: every finding is reported by the row and column it came from.
    p = tmp_path / "cases.csv"
    p.write_text(KOP + RIJEN[0] + RIJEN[1].replace("2027-02-28", "")  # CD076: per week, no end
                 + RIJEN[2].replace(";16;4;", ";16;1;")  # CS338: frequentie 1 with eenheid 16
                 .replace("14-02-2010", "14-02-2030"), "utf-8")  # TR134: born after today
    uit = generate.jw301_uit_rijen(p, nummers=generate.Nummerreeks(start=1),
                                   today=dt.date(2026, 3, 1))
    with pytest.raises(InvalidInput) as exc:
        generate.controleer_rijen(uit, dt.date(2026, 3, 1))
    tekst = str(exc.value)
    assert "3 fout(en) in de invoer, er is niets geschreven" in tekst
    assert "cases.csv rij 3 kolom einddatum: CD076" in tekst
    assert "cases.csv rij 4 kolom frequentie: CS338" in tekst
    assert "cases.csv rij 4 kolom geboortedatum: TR134" in tekst
    assert exc.value.exit_code == 1
    goed = tmp_path / "goed.csv"
    goed.write_text(KOP + "".join(RIJEN), "utf-8")
    uit = generate.jw301_uit_rijen(goed, nummers=generate.Nummerreeks(start=1),
                                   today=dt.date(2026, 3, 1))
    xml = generate.controleer_rijen(uit, dt.date(2026, 3, 1))
    assert [x[:5] for x in xml] == [b"<?xml"] * 2


def test_unknown_or_missing_column_is_named(tmp_path: Path) -> None:
    p = tmp_path / "cases.csv"
    p.write_text(KOP.replace("einddatum", "einddatun") + RIJEN[0], "utf-8")
    with pytest.raises(UsageError, match="onbekende kolom 'einddatun' \\(kolom L\\)"):
        generate.jw301_uit_rijen(p, nummers=generate.Nummerreeks(start=1))
    p.write_text(KOP.replace("bsn;", "") + RIJEN[0], "utf-8")
    with pytest.raises(UsageError, match="ontbreken.*bsn"):
        generate.jw301_uit_rijen(p, nummers=generate.Nummerreeks(start=1))


def test_jw307_from_xlsx_rows_and_bad_cell_named(tmp_path: Path, uitmap: Path) -> None:
    from openpyxl import Workbook

    kop = ["aanbieder", "gemeente", "bsn", "geboortedatum", "geslacht", "achternaam",
           "toewijzingnummer", "categorie", "productcode", "toewijzing_ingangsdatum",
           "begindatum", "einddatum", "reden"]
    goed = ["12345678", "0855", "999900018", dt.date(2014, 5, 9), 2, "Dijk", 700001, 45,
            "45A05", dt.date(2026, 3, 1), dt.date(2026, 3, 9), dt.date(2026, 6, 30), 31]
    wb = Workbook()
    ws = wb.active
    ws.title = "Stops"
    ws.append(kop)
    ws.append(goed)
    p = tmp_path / "stops.xlsx"
    wb.save(p)
    today = dt.date(2026, 7, 1)
    [r] = generate.jw307_uit_rijen(p, today=today)
    bewaar(uitmap, r.bericht, today, "jw307_xlsx")
    stop = r.bericht.producten[0]
    assert (stop.value("ToewijzingNummer"), stop.value("Begindatum"), stop.value("Einddatum"),
            stop.value("RedenBeeindiging"), stop.value("StatusAanlevering")) == (
        "700001", "2026-03-09", "2026-06-30", "31", "1")
    ws.append([*goed[:11], dt.date(2026, 3, 1), 31])  # row 3: einddatum before begindatum
    ws.append([*goed[:12], 77])  # row 4: reden outside the code list
    wb.save(p)
    with pytest.raises(InvalidInput) as exc:
        generate.jw307_uit_rijen(p, today=today)
    assert "stops.xlsx!Stops!L3 (kolom einddatum)" in str(exc.value)
    assert "stops.xlsx!Stops!M4 (kolom reden)" in str(exc.value)


# --- the oracle -------------------------------------------------------------------------------
def test_every_generated_file_passes_the_reference_xsds(uitmap: Path) -> None:
    """Runs last in this module: all files written above, checked by ../shared's tool."""
    if not XSD_CHECK.exists():
        pytest.skip("../shared/tools/ijw-xsd-check is not beside the checkout")
    bestanden = sorted(uitmap.glob("*.xml"))
    if len(bestanden) < 10:
        pytest.skip("the generated files come from the tests above; run the whole module")
    r = subprocess.run([sys.executable, str(XSD_CHECK), *map(str, bestanden)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("ok ") == len(bestanden)
