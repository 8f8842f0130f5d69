"""``ijwcli verlenging`` from the toewijzing itself (issue 14 part 1): the seven values from a
JW301 (file or register), the verwijzer from the JW315 it honoured, an earlier end-date shift
from older JW301s, an incoming JW317 judged (JW301 or JW319), an ended toewijzing never approved
silently, batch rows by toewijzingnummer and the blank batch sheet.

The seed examples are driven from JW301 files here, not typed values; every JW301 written from
an outcome passes ../shared/tools/ijw-xsd-check and ijw-xslt-check (skipped when absent)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ijwcli import bericht as bm
from ijwcli.cli import app
from ijwcli.verlenging.jw317 import maak_jw317

from .conftest import SAMPLES
from .test_uitvoer import check

runner = CliRunner()
SHARED = Path(__file__).resolve().parents[2] / "shared"
XSD_CHECK = SHARED / "tools" / "ijw-xsd-check"
XSLT_CHECK = SHARED / "tools" / "ijw-xslt-check"
GEMEENTE, AANBIEDER, BSN = "0855", "12345678", "999900018"


def jw301(pad: Path, *, nummer: str = "700001", ingang: str = "2026-01-01",
          eind: str = "2026-12-31", volume: int = 100, eenheid: str = "04",
          product: str = "45A05", ident: str = "T1", dag: str = "2026-01-01",
          referentie: str | None = "VZ-1") -> Path:
    """The sample JW301 with one toewijzing of these values."""
    b = bm.parse((SAMPLES / "jw301_toewijzing.xml").read_bytes())
    b.root.set("Header/BerichtIdentificatie/Identificatie", ident)
    b.root.set("Header/BerichtIdentificatie/Dagtekening", dag)
    p = b.root.find("Client/ToegewezenProducten/ToegewezenProduct")
    assert p is not None
    p.set("ToewijzingNummer", nummer)
    p.set("ReferentieAanbieder", referentie)
    p.set("Product/Code", product)
    p.set("Product/Categorie", product[:2])
    p.set("Toewijzingsdatum", dag)
    p.set("Ingangsdatum", ingang)
    p.set("Einddatum", eind)
    p.set("Omvang/Volume", str(volume))
    p.set("Omvang/Eenheid", eenheid)
    pad.write_bytes(bm.to_xml(b))
    return pad


def jw315(pad: Path, type_verwijzer: str, referentie: str = "VZ-1") -> Path:
    """The sample JW315 with this ReferentieAanbieder and TypeVerwijzer."""
    b = bm.parse((SAMPLES / "jw315_verzoek_om_toewijzing.xml").read_bytes())
    ap = b.root.find("Client/AangevraagdeProducten/AangevraagdProduct")
    assert ap is not None
    ap.set("ReferentieAanbieder", referentie)
    ap.set("Verwijzer/Type", type_verwijzer)
    if type_verwijzer not in ("02", "03", "05"):  # a ZorgverlenerCode only for a medical one
        ap.set("Verwijzer/ZorgverlenerCode", None)
        ap.set("Verwijzer/Naam", "Toegang" if type_verwijzer == "01" else None)
    pad.write_bytes(bm.to_xml(b))
    return pad


def schrijf_jw317(pad: Path, te_wijzigen, nieuw=(), eenheid: str = "01") -> Path:  # noqa: ANN001
    pad.write_bytes(bm.to_xml(maak_jw317(BSN, AANBIEDER, GEMEENTE, "VW-9", list(te_wijzigen),
                                         list(nieuw), eenheid=eenheid)))
    return pad


def run(*args: object):  # noqa: ANN201
    r = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    return r


def doc(r) -> dict:  # noqa: ANN001
    d = check(json.loads(r.stdout))
    assert d["exit_code"] == r.exit_code
    return d


def oracle(*bestanden: Path) -> None:
    """Both reference tools accept the files (the test is skipped where they are absent)."""
    for tool in (XSD_CHECK, XSLT_CHECK):
        if not tool.is_file():
            pytest.skip(f"{tool} is not beside the checkout")
        r = subprocess.run([sys.executable, str(tool), *map(str, bestanden)],
                           capture_output=True, text=True, check=False)
        assert r.returncode == 0, r.stdout + r.stderr


def generate(tmp_path: Path, *args: object) -> bm.Bericht:
    uit = tmp_path / "uit.xml"
    r = run("generate", "jw301", *args, "--today", "2026-10-01", "-o", uit, "--force")
    assert r.exit_code == 0, r.output
    oracle(uit)
    return bm.parse(uit.read_bytes())


def toewijzingen(b: bm.Bericht) -> dict[str, tuple]:
    return {p.value("ToewijzingNummer"): (p.value("Product/Code"), p.value("Einddatum"),
                                         p.getal("Omvang/Volume"))
            for p in b.root.findall("Client/ToegewezenProducten/ToegewezenProduct")}


# ---------------------------------------------------------------- seed: Hart van Brabant


def test_hvb_seed_100_uur_12_maanden_plus_5_en_30_from_jw301(tmp_path: Path) -> None:
    """100 uur for 12 months, 5 months and 30 uur more: 17 months and 130 uur; the verwijzer
    (toegang) from the JW315; the JW301 written from the outcome passes both oracles."""
    a = jw301(tmp_path / "jw301.xml")
    v = jw315(tmp_path / "jw315.xml", "01")
    r = run("verlenging", "--regio", "hart-van-brabant", "--actueel", a, "--actueel", v,
            "--nieuwe-einddatum", "2027-05-31", "--extra-volume", "30", "--today", "2026-10-01",
            "--json")
    assert r.exit_code == 0, r.output
    d = doc(r)
    res = d["results"][0]
    assert res["uitkomst"]["toewijzing"] == {"ingangsdatum": "2026-01-01",
                                             "einddatum": "2027-05-31", "volume": 130,
                                             "eenheid": "04", "frequentie": "6"}
    assert res["toewijzingnummer"] == "700001"
    h = res["herkomst"]
    assert h["volume"] == {"waarde": 100, "bron": f"JW301 T1 van 2026-01-01 ({a})"}
    assert h["verwijzer"]["waarde"] == "toegang" and "TypeVerwijzer 01" in h["verwijzer"]["bron"]
    import datetime as dt

    from ijwcli.verlenging import looptijd_maanden

    assert looptijd_maanden(dt.date(2026, 1, 1), dt.date(2027, 5, 31)) == 17
    (tmp_path / "uitkomst.json").write_text(r.stdout, "utf-8")
    b = generate(tmp_path, "--from", a, "--verlenging", tmp_path / "uitkomst.json")
    assert toewijzingen(b) == {"700001": ("45A05", "2027-05-31", 130)}


def test_explicit_option_overrides_the_jw301_and_says_so(tmp_path: Path) -> None:
    a = jw301(tmp_path / "jw301.xml")
    jw315(tmp_path / "jw315.xml", "01")
    r = run("verlenging", "--regio", "hart-van-brabant", "--actueel", tmp_path, "--volume", "200",
            "--verwijzer", "medisch", "--extra-volume", "80", "--today", "2026-10-01", "-f",
            "json")
    d = doc(r)
    h = d["results"][0]["herkomst"]
    assert h["volume"] == {"waarde": 200, "bron": "--volume"}
    assert h["verwijzer"] == {"waarde": "medisch", "bron": "--verwijzer"}
    assert h["einddatum"]["bron"].endswith(f"({a})")
    # 80 of 200 is 40 %: within (with 100 from the file it would be 80 %, outside).
    assert r.exit_code == 0 and d["results"][0]["uitkomst"]["toewijzing"]["volume"] == 280
    tekst = run("verlenging", "--regio", "hart-van-brabant", "--actueel", tmp_path,
                "--volume", "200", "--extra-volume", "80", "--today", "2026-10-01")
    assert "gegevens van toewijzing 700001" in tekst.stdout and "--volume" in tekst.stdout


def test_unknown_verwijzer_is_asked_for_by_option(tmp_path: Path) -> None:
    a = jw301(tmp_path / "jw301.xml")
    r = run("verlenging", "--regio", "flevoland", "--actueel", a, "--nieuwe-einddatum",
            "2027-03-31", "--today", "2026-10-01")
    assert r.exit_code == 2 and "--verwijzer" in r.stderr and "700001" in r.stderr
    # TypeVerwijzer 06 (zelfverwijzer) maps to no route: asked for as well, with the code.
    jw315(tmp_path / "jw315.xml", "06")
    r = run("verlenging", "--regio", "flevoland", "--actueel", tmp_path, "--nieuwe-einddatum",
            "2027-03-31", "--today", "2026-10-01", "--json")
    assert r.exit_code == 2 and "TypeVerwijzer 06" in r.stderr
    assert doc(r)["findings"][0]["rule"] == "GEBRUIK"
    r = run("verlenging", "--regio", "flevoland", "--actueel", tmp_path, "--verwijzer", "medisch",
            "--nieuwe-einddatum", "2027-03-31", "--today", "2026-10-01")
    assert r.exit_code == 0, r.output


def test_a_budget_toewijzing_in_the_folder_matters_only_when_asked_for(tmp_path: Path) -> None:
    jw301(tmp_path / "a.xml", nummer="1", ident="A")
    b = bm.parse(jw301(tmp_path / "b.xml", nummer="2", ident="B").read_bytes())
    p = b.root.find("Client/ToegewezenProducten/ToegewezenProduct")
    assert p is not None
    p.set("Omvang", None)
    p.set("Budget", "150000")
    (tmp_path / "b.xml").write_bytes(bm.to_xml(b))
    jw315(tmp_path / "v.xml", "01")
    basis = ["verlenging", "--regio", "hart-van-brabant", "--actueel", tmp_path,
             "--nieuwe-einddatum", "2027-03-31", "--today", "2026-10-01", "--toewijzingnummer"]
    assert run(*basis, "1").exit_code == 0
    r = run(*basis, "2")
    assert r.exit_code == 1 and "geen einddatum of geen Omvang" in r.stderr


def test_which_toewijzing_is_asked_when_several(tmp_path: Path) -> None:
    jw301(tmp_path / "a.xml", nummer="1", ident="A")
    jw301(tmp_path / "b.xml", nummer="2", ident="B")
    jw315(tmp_path / "v.xml", "01")
    basis = ["verlenging", "--regio", "hart-van-brabant", "--actueel", tmp_path,
             "--nieuwe-einddatum", "2027-03-31", "--today", "2026-10-01"]
    r = run(*basis)
    assert r.exit_code == 2 and "--toewijzingnummer" in r.stderr and "1, 2" in r.stderr
    assert run(*basis, "--toewijzingnummer", "2").exit_code == 0
    r = run(*basis, "--toewijzingnummer", "3")
    assert r.exit_code == 2 and "3" in r.stderr


# ---------------------------------------------------------------- seed: Flevoland


@pytest.mark.parametrize(("eind", "binnen", "buiten", "grens"), [
    ("2026-06-30", "2026-09-30", "2026-10-31", 3),    # 6 months -> at most 3 more
    ("2027-03-31", "2027-09-30", "2027-10-31", 6),    # 15 months -> at most 6 more
])
def test_flevoland_seed_shift_from_jw301(tmp_path: Path, eind: str, binnen: str, buiten: str,
                                         grens: int) -> None:
    a = jw301(tmp_path / "jw301.xml", eind=eind, volume=3000, eenheid="01", product="45F01")
    jw315(tmp_path / "jw315.xml", "03")
    basis = ["verlenging", "--regio", "flevoland", "--actueel", tmp_path, "--today", "2026-06-01",
             "--json"]
    r = run(*basis, "--nieuwe-einddatum", binnen)
    d = doc(r)
    u = d["results"][0]["uitkomst"]
    assert r.exit_code == 0 and u["berichten"] == ["JW317", "JW301"]
    toets = {c["regel"]: c for c in u["toetsen"]}
    assert toets["verschuiving_einddatum"]["grens"] == grens
    assert d["results"][0]["herkomst"]["eerder_verschoven"]["waarde"] is False
    r = run(*basis, "--nieuwe-einddatum", buiten)
    u = doc(r)["results"][0]["uitkomst"]
    assert r.exit_code == 1 and u["berichten"] == ["JW317", "JW319"]
    assert u["toewijzing"]["einddatum"] == eind
    (tmp_path / "u.json").write_text(run(*basis[:-1], "--nieuwe-einddatum", binnen,
                                         "--json").stdout, "utf-8")
    b = generate(tmp_path, "--from", a, "--verlenging", tmp_path / "u.json")
    assert toewijzingen(b) == {"700001": ("45F01", binnen, 3000)}


def test_flevoland_once_only_shift_from_the_history(tmp_path: Path) -> None:
    """An earlier JW301 for the number moved the einddatum (same volume): a second shift is
    refused, and the output names that JW301; --niet-eerder-verschoven overrides."""
    jw301(tmp_path / "v1.xml", eind="2026-06-30", volume=3000, eenheid="01", ident="V1",
          dag="2026-01-01")
    jw301(tmp_path / "v2.xml", eind="2026-09-30", volume=3000, eenheid="01", ident="V2",
          dag="2026-06-15", referentie=None)
    jw315(tmp_path / "jw315.xml", "02")
    basis = ["verlenging", "--regio", "flevoland", "--actueel", tmp_path, "--today", "2026-09-01",
             "--nieuwe-einddatum", "2026-11-30", "--json"]
    r = run(*basis)
    d = doc(r)
    res = d["results"][0]
    assert r.exit_code == 1
    assert res["herkomst"]["einddatum"]["waarde"] == "2026-09-30"  # the latest version
    assert res["herkomst"]["verwijzer"]["waarde"] == "medisch"     # referentie of version 1
    vv = res["herkomst"]["eerder_verschoven"]
    assert vv["waarde"] is True and "JW301 V2" in vv["bron"] and "2026-06-30 → 2026-09-30" in \
        vv["bron"]
    assert {c["regel"]: c["voldaan"] for c in res["uitkomst"]["toetsen"]}[
        "eenmalig_verschuiven"] is False
    r = run(*basis, "--niet-eerder-verschoven")
    assert r.exit_code == 0, r.output
    assert doc(r)["results"][0]["herkomst"]["eerder_verschoven"] == {
        "waarde": False, "bron": "--niet-eerder-verschoven"}


def test_flevoland_seed_individueel_naar_groep_from_jw301(tmp_path: Path) -> None:
    jw301(tmp_path / "jw301.xml", volume=3000, eenheid="01", product="45F01")
    jw315(tmp_path / "jw315.xml", "02")
    r = run("verlenging", "--regio", "flevoland", "--actueel", tmp_path, "--naar-groep", "750",
            "--today", "2026-04-01", "--json")
    u = doc(r)["results"][0]["uitkomst"]
    assert r.exit_code == 0 and u["toewijzing"]["volume"] == 2250
    assert {c["regel"]: (c["waarde"], c["grens"]) for c in u["toetsen"]}["totaal_gelijk"] == \
        (3000, 3000)


# ---------------------------------------------------------------- an ended toewijzing


def test_ended_toewijzing_flevoland_refuses_with_source(tmp_path: Path) -> None:
    jw301(tmp_path / "jw301.xml", eind="2026-06-30", volume=3000, eenheid="01")
    jw315(tmp_path / "jw315.xml", "02")
    r = run("verlenging", "--regio", "flevoland", "--actueel", tmp_path, "--today", "2026-07-15",
            "--nieuwe-einddatum", "2026-08-31", "--json")
    u = doc(r)["results"][0]["uitkomst"]
    assert r.exit_code == 1 and u["berichten"] == ["JW317", "JW319"]
    toets = u["toetsen"][0]
    assert toets["regel"] == "einddatum_niet_verstreken" and toets["voldaan"] is False
    assert "naderend" in toets["bron"] and "naderend" in u["toelichting"]
    tekst = run("verlenging", "--regio", "flevoland", "--actueel", tmp_path, "--today",
                "2026-07-15", "--nieuwe-einddatum", "2026-08-31")
    assert "al beëindigd" in tekst.stdout and "einddatum nog niet voorbij" in tekst.stdout


def test_ended_toewijzing_hvb_warns_but_allows_a_later_end(tmp_path: Path) -> None:
    jw301(tmp_path / "jw301.xml", eind="2026-06-30")
    jw315(tmp_path / "jw315.xml", "01")
    r = run("verlenging", "--regio", "hart-van-brabant", "--actueel", tmp_path, "--today",
            "2026-07-15", "--nieuwe-einddatum", "2026-09-30", "--json")
    u = doc(r)["results"][0]["uitkomst"]
    assert r.exit_code == 0 and u["binnen_richtlijn"] is True
    assert any("al beëindigd" in w and "na de looptijd" in w for w in u["waarschuwingen"])


# ---------------------------------------------------------------- an incoming JW317


def _flevoland(tmp_path: Path, volume: int = 3000, product: str = "45F01",
               type_verwijzer: str = "02", eind: str = "2026-12-31") -> Path:
    d = tmp_path / "actueel"
    d.mkdir(parents=True, exist_ok=True)
    jw301(d / "jw301.xml", volume=volume, eenheid="01", product=product, eind=eind)
    jw315(d / "jw315.xml", type_verwijzer)
    return d


def test_jw317_seed_3000_to_2250_plus_750_groep_then_generate(tmp_path: Path) -> None:
    d = _flevoland(tmp_path)
    j = schrijf_jw317(tmp_path / "jw317.xml", [("700001", "2026-01-01", "2026-12-31", 2250)],
                      [("45F02", "2026-05-01", "2026-12-31", 750)])
    oracle(j)
    r = run("verlenging", "--regio", "flevoland", "--from", j, "--actueel", d, "--today",
            "2026-04-15", "--json")
    res = doc(r)["results"]
    assert r.exit_code == 0, r.output
    assert [(x["soort"], x["uitkomst"]["toewijzing"]["volume"]) for x in res] == \
        [("naar-groep", 2250)]
    assert res[0]["jw317"]["volgt"] == "JW301"
    toets = {c["regel"]: c["voldaan"] for c in res[0]["uitkomst"]["toetsen"]}
    assert toets == {"totaal_gelijk": True, "einde_groep_uiterlijk": True, "groepsproduct": True}
    b = generate(tmp_path, "--from", j, "--actueel", d / "jw301.xml",
                 "--toewijzingnummer-start", "800000")
    assert sorted(toewijzingen(b).values()) == [("45F01", "2026-12-31", 2250),
                                                ("45F02", "2026-12-31", 750)]


@pytest.mark.parametrize(("wijzig", "nieuw", "reden"), [
    ([("700001", "2026-01-01", "2026-12-31", 2250)], [("45F02", "2026-05-01", "2027-01-31", 750)],
     "einde_groep_uiterlijk"),                    # groep past the individueel end
    ([("700001", "2026-01-01", "2026-12-31", 2250)], [("45F32", "2026-05-01", "2026-12-31", 750)],
     "groepsproduct"),                            # not the groep product of 45F01
    ([("700001", "2026-01-01", "2026-12-31", 2000)], [("45F02", "2026-05-01", "2026-12-31", 750)],
     "verwijzer_jw317"),                          # total not kept: no pair, less volume
])
def test_jw317_groep_outside_gives_jw319(tmp_path: Path, wijzig, nieuw, reden) -> None:  # noqa: ANN001
    # Less volume without its groep pair is no agreement of its own: refused for toegang.
    d = _flevoland(tmp_path, type_verwijzer="01" if reden == "verwijzer_jw317" else "02")
    j = schrijf_jw317(tmp_path / "jw317.xml", wijzig, nieuw)
    r = run("verlenging", "--regio", "flevoland", "--from", j, "--actueel", d, "--today",
            "2026-04-15", "--json")
    res = doc(r)["results"]
    assert r.exit_code == 1 and res[0]["jw317"]["volgt"] == "JW319"
    mislukt = {c["regel"] for x in res for c in x["uitkomst"]["toetsen"] if not c["voldaan"]}
    assert reden in mislukt


def test_jw317_shift_once_then_jw319_from_history(tmp_path: Path) -> None:
    """Einddatum verschuiven without extra minuten: 12 months → at most 6 more; a second
    shift (the history holds the first) is a JW319."""
    d = _flevoland(tmp_path)
    j = schrijf_jw317(tmp_path / "jw317.xml", [("700001", "2026-01-01", "2027-06-30", 3000)])
    basis = ["verlenging", "--regio", "flevoland", "--from", j, "--today", "2026-11-15", "--json"]
    r = run(*basis, "--actueel", d)
    res = doc(r)["results"]
    assert r.exit_code == 0 and res[0]["soort"] == "verschuiven"
    assert res[0]["jw317"]["volgt"] == "JW301"
    jw301(d / "jw301-verschoven.xml", eind="2027-03-31", volume=3000, eenheid="01",
          product="45F01", ident="T2", dag="2026-11-01", referentie=None)
    j2 = schrijf_jw317(tmp_path / "jw317b.xml", [("700001", "2026-01-01", "2027-06-30", 3000)])
    r = run(*basis[:4], j2, *basis[5:], "--actueel", d)
    res = doc(r)["results"]
    assert r.exit_code == 1 and res[0]["jw317"]["volgt"] == "JW319"
    assert res[0]["jw317"]["reden_afwijzing"] == "4"
    assert res[0]["herkomst"]["eerder_verschoven"]["waarde"] is True


def test_jw317_from_a_gi_toewijzing_asks_a_new_bepaling(tmp_path: Path) -> None:
    d = _flevoland(tmp_path, type_verwijzer="04")
    j = schrijf_jw317(tmp_path / "jw317.xml", [("700001", "2026-01-01", "2027-03-31", 3000)])
    r = run("verlenging", "--regio", "flevoland", "--from", j, "--actueel", d, "--today",
            "2026-11-15")
    assert r.exit_code == 1
    assert "volgt: JW319" in r.stdout and "nieuwe bepaling" in r.stdout


def test_jw317_more_minutes_medisch_richtlijn_and_toegang(tmp_path: Path) -> None:
    # 45F01 categorie B: at most 192 uur = 11520 minuten in 12 months.
    d = _flevoland(tmp_path)
    binnen = schrijf_jw317(tmp_path / "a.xml", [("700001", "2026-01-01", "2026-12-31", 11520)])
    buiten = schrijf_jw317(tmp_path / "b.xml", [("700001", "2026-01-01", "2026-12-31", 11580)])
    basis = ["verlenging", "--regio", "flevoland", "--actueel", d, "--today", "2026-06-01",
             "--json", "--from"]
    assert run(*basis, binnen).exit_code == 0
    r = run(*basis, buiten)
    assert r.exit_code == 1 and doc(r)["results"][0]["jw317"]["volgt"] == "JW319"
    t = _flevoland(tmp_path / "t", type_verwijzer="01")
    r = run("verlenging", "--regio", "flevoland", "--actueel", t, "--today", "2026-06-01",
            "--json", "--from", binnen)
    res = doc(r)["results"][0]
    assert r.exit_code == 1 and res["uitkomst"]["route"] == "toegang"


def test_jw317_reference_sample_judged_and_checked(tmp_path: Path) -> None:
    """The project's own JW317 sample against its JW301 and JW315: 5 months and 30 uur more
    on the medische route (Flevoland); no productrichtlijn for 45A05, so a warning."""
    r = run("verlenging", "--regio", "flevoland", "--from", SAMPLES /
            "jw317_verzoek_om_wijziging.xml", "--actueel", SAMPLES / "jw301_toewijzing.xml",
            "--actueel", SAMPLES / "jw315_verzoek_om_toewijzing.xml", "--today", "2026-09-01",
            "--json")
    res = doc(r)["results"][0]
    assert r.exit_code == 0 and res["soort"] == "wijziging"
    assert res["uitkomst"]["toewijzing"]["volume"] == 130
    assert any("productrichtlijn" in w for w in res["uitkomst"]["waarschuwingen"])


def test_jw317_other_bsn_or_unknown_number_is_invalid(tmp_path: Path) -> None:
    d = _flevoland(tmp_path)
    j = schrijf_jw317(tmp_path / "jw317.xml", [("700002", "2026-01-01", "2027-03-31", 3000)])
    r = run("verlenging", "--regio", "flevoland", "--from", j, "--actueel", d)
    assert r.exit_code == 1 and "700002" in r.stderr and "TR350" in r.stderr
    r = run("verlenging", "--regio", "flevoland", "--from", d / "jw301.xml", "--actueel", d)
    assert r.exit_code == 2 and "JW317" in r.stderr


# ---------------------------------------------------------------- batch by toewijzingnummer


def test_batch_toewijzingnummer_column_with_actueel_folder(tmp_path: Path) -> None:
    jw301(tmp_path / "a.xml", nummer="1", ident="A")
    jw301(tmp_path / "b.xml", nummer="2", ident="B", eind="2026-06-30", volume=3000,
          eenheid="01", product="45F01", referentie="VZ-2")
    jw315(tmp_path / "v1.xml", "01")
    jw315(tmp_path / "v2.xml", "02", referentie="VZ-2")
    src = tmp_path / "verzoeken.csv"
    src.write_text("regio;toewijzingnummer;verwijzer;ingangsdatum;einddatum;volume;eenheid;"
                   "frequentie;nieuwe_einddatum;extra_volume\n"
                   "hart-van-brabant;1;;;;;;;2027-05-31;30\n"
                   "flevoland;2;;;;;;;2026-09-30;\n"
                   "flevoland;9;;;;;;;2026-09-30;\n"
                   "hart-van-brabant;;toegang;2026-01-01;2026-12-31;100;04;6;;50\n", "utf-8")
    r = run("verlenging", "--batch", src, "--actueel", tmp_path, "--today", "2026-06-01", "-f",
            "json")
    d = doc(r)
    rijen = {x["rij"]: x for x in d["results"]}
    assert rijen[2]["uitkomst"]["toewijzing"]["volume"] == 130
    assert rijen[2]["herkomst"]["verwijzer"]["waarde"] == "toegang"
    assert rijen[3]["uitkomst"]["berichten"] == ["JW317", "JW301"]
    assert rijen[3]["herkomst"]["verwijzer"]["waarde"] == "medisch"
    assert "toewijzing 9 niet gevonden" in rijen[4]["fout"]
    assert rijen[5]["uitkomst"]["route"] == "toegang" and "herkomst" not in rijen[5]
    out = tmp_path / "uit.xlsx"
    assert run("verlenging", "--batch", src, "--actueel", tmp_path, "--today", "2026-06-01",
               "-o", out).exit_code == 1
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    kolom = list(rows[0]).index("herkomst")
    assert "JW301 A" in rows[1][kolom] and rows[4][kolom] is None


# ---------------------------------------------------------------- the register


def _register(db: str, *paden: Path) -> None:
    from ijwcli.register import open_register

    with open_register(db) as reg:
        for p in paden:
            richting = "uit" if "jw301" in p.name else "in"
            assert reg.add(str(p), richting=richting)[0].status == "nieuw", p


@pytest.mark.usefixtures("register_db")
def test_register_toewijzing_history_and_jw317(tmp_path: Path, register_db: str) -> None:
    v = jw315(tmp_path / "jw315.xml", "02")
    a = jw301(tmp_path / "jw301-1.xml", eind="2026-06-30", volume=3000, eenheid="01",
              product="45F01", ident="R1", dag="2026-01-05")
    b = jw301(tmp_path / "jw301-2.xml", eind="2026-09-30", volume=3000, eenheid="01",
              product="45F01", ident="R2", dag="2026-06-20", referentie=None)
    _register(register_db, v, a)
    basis = ["verlenging", "--regio", "flevoland", "--db", register_db, "--today", "2026-06-01",
             "--json"]
    r = run(*basis, "--toewijzing", "700001", "--nieuwe-einddatum", "2026-09-30")
    res = doc(r)["results"][0]
    assert r.exit_code == 0, r.output
    assert res["herkomst"]["einddatum"]["waarde"] == "2026-06-30"
    assert res["herkomst"]["einddatum"]["bron"].startswith("JW301 R1 van 2026-01-05 (register id")
    assert res["herkomst"]["verwijzer"]["waarde"] == "medisch"
    _register(register_db, b)  # the shift was honoured: a second one is refused
    r = run(*basis[:-2], "2026-09-01", "--json", "--toewijzing", "700001", "--nieuwe-einddatum",
            "2026-11-30")
    res = doc(r)["results"][0]
    assert r.exit_code == 1 and res["herkomst"]["eerder_verschoven"]["waarde"] is True
    assert "JW301 R2" in res["herkomst"]["eerder_verschoven"]["bron"]
    j = schrijf_jw317(tmp_path / "jw317.xml", [("700001", "2026-01-01", "2026-11-30", 3000)])
    r = run(*basis[:-2], "2026-09-01", "--json", "--from", j)
    res = doc(r)["results"]
    assert r.exit_code == 1 and res[0]["jw317"]["volgt"] == "JW319"
    r = run(*basis, "--toewijzing", "123")
    assert r.exit_code == 2 and "niet in het register" in r.stderr


@pytest.mark.usefixtures("register_db")
def test_register_batch_by_toewijzingnummer(tmp_path: Path, register_db: str) -> None:
    _register(register_db, jw315(tmp_path / "jw315.xml", "01"), jw301(tmp_path / "jw301.xml"))
    src = tmp_path / "verzoeken.csv"
    src.write_text("toewijzingnummer;nieuwe_einddatum;extra_volume\n700001;2027-05-31;30\n"
                   "700009;2027-05-31;30\n", "utf-8")
    r = run("verlenging", "--regio", "hart-van-brabant", "--batch", src, "--db", register_db,
            "--today", "2026-10-01", "--json")
    d = doc(r)
    assert d["results"][0]["uitkomst"]["toewijzing"]["volume"] == 130
    assert "register id" in d["results"][0]["herkomst"]["volume"]["bron"]
    assert "700009 niet gevonden" in d["results"][1]["fout"]


def test_usage_errors_name_the_options(tmp_path: Path) -> None:
    a = jw301(tmp_path / "jw301.xml")
    for args, woord in [
        (["--actueel", a, "--toewijzing", "1"], "niet allebei"),
        (["--toewijzingnummer", "1"], "--actueel"),
        (["--actueel", tmp_path / "nee.xml"], "bestaat niet"),
        (["--from", tmp_path / "jw317.xml", "--toewijzingnummer", "1"], "--from"),
        # A file that holds no JW301 is named as such, not answered with an empty choice.
        (["--actueel", SAMPLES / "jw315_verzoek_om_toewijzing.xml"], "geen JW301"),
    ]:
        r = run("verlenging", "--regio", "hart-van-brabant", *args, "--extra-volume", "1")
        assert r.exit_code == 2 and woord in r.stderr, (args, r.stderr)


# ---------------------------------------------------------------- the blank batch sheet


def test_template_verlenging_is_a_batch_sheet_with_dropdowns(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "verzoeken.xlsx"
    d = doc(run("template", "verlenging", "-o", out, "-f", "json"))
    assert d["files"][0]["path"] == str(out) and d["results"][0]["sheet"] == "Verzoeken"
    assert run("template", "verlenging", "-o", out).exit_code == 2  # never overwritten
    wb = load_workbook(out)
    ws = wb["Verzoeken"]
    kop = [c.value for c in ws[1]]
    assert kop[:3] == ["regio", "toewijzingnummer", "verwijzer"]
    lijsten = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert lijsten["A2"].type == "list" and lijsten["C2"].type == "list"
    assert lijsten["D2"].type == "date" and lijsten["F2"].type == "whole"
    bron = lijsten[f"{'ABCDEFGH'[kop.index('eenheid')]}2"].formula1
    kolom = bron.split("!")[1].split(":")[0].replace("$", "")[0]
    codes = [c.value for c in wb["Codelijsten"][kolom][1:] if c.value]
    assert "04" in codes and "01" in codes
    # Filled in (by toewijzingnummer) it is a batch that runs.
    jw301(tmp_path / "jw301.xml")
    jw315(tmp_path / "jw315.xml", "01")
    ws.append(["hart-van-brabant", "700001", None, None, None, None, None, None, "2027-05-31", 30])
    wb.save(out)
    r = run("verlenging", "--batch", out, "--actueel", tmp_path, "--today", "2026-10-01", "--json")
    assert r.exit_code == 0, r.output
    assert doc(r)["results"][0]["uitkomst"]["toewijzing"]["volume"] == 130


def test_help_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex
    import shutil

    from .test_generate_cli import _voorbeelden

    for naam, bestand in (("jw301.xml", "jw301_toewijzing.xml"),
                          ("jw315.xml", "jw315_verzoek_om_toewijzing.xml"),
                          ("jw317.xml", "jw317_verzoek_om_wijziging.xml")):
        shutil.copy(SAMPLES / bestand, tmp_path / naam)
    _register(str(tmp_path / "register.db"), tmp_path / "jw315.xml", tmp_path / "jw301.xml")
    monkeypatch.chdir(tmp_path)
    r = run("verlenging", "--help")
    commandos = _voorbeelden(r.stdout)
    assert len(commandos) == 3 and any("--from jw317.xml" in c for c in commandos)
    for c in commandos:
        uit = run(*shlex.split(c)[1:], "--today", "2026-10-01")
        assert uit.exit_code == 0, (c, uit.output)
    r = run("template", "--help")
    (c,) = re.findall(r"(ijwcli template verlenging .+?)\s*$", r.stdout, re.MULTILINE)
    assert run(*shlex.split(c)[1:]).exit_code == 0 and (tmp_path / "verzoeken.xlsx").is_file()
