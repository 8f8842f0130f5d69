"""Every regional rule of ``ijwcli verlenging``, each with (a short piece of) its source sentence.

Seeds: 000 = Hart van Brabant "Wijziging jeugdhulp 2024"; 002 = Hart van Brabant "Aanvraag en
toewijzing"; 004 = Flevoland "Regionaal Handelingskader". ``test_quotes_come_from_the_seeds``
checks every quote below against ../shared/seeds when it is present.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from ijwcli.errors import UsageError
from ijwcli.verlenging import Toewijzing, Verzoek, bereken, overlap_toets, profiel
from tests.conftest import SHARED

HVB = profiel.load("hart-van-brabant")
FLE = profiel.load("flevoland")
JAN1, DEC31 = date(2026, 1, 1), date(2026, 12, 31)

QUOTES: dict[str, list[str]] = {
    "000": [
        "Gewijzigde of nieuwe resultaten",
        "Aanbieder levert FOA aan bij de lokale toegang.",
        "de looptijd van de aangevraagde verlenging is niet langer dan 6 maanden",
        "het volume van de aangevraagde verlenging is niet meer dan 40% van het oorspronkelijke "
        "volume",
        "De oorspronkelijke toewijzing is 100 uur voor de duur van 12 maanden.",
        "corrigeert de oorspronkelijke toewijzing naar een looptijd van 17 maanden met een "
        "omvang van 130 uur",
        "De toetser medisch domein beoordeelt de casus.",
        "Bij akkoord GI mailt aanbieder naar lokale backoffice.",
        "Alleen de einddatum moet verlengd worden",
        "Deze wijziging kun je tijdens én na de looptijd aanvragen.",
        "het volume in etmalen en dagdelen aan naar wat maximaal mogelijk is",
        "Als het volume al lager is dan het maximale, dan hoeft dit niet aangepast te worden.",
        "Segment 3 of 4 of dat Segment 1 beter past",
        "Deze wijziging kan alleen worden aangevraagd als de jeugdhulp al loopt.",
    ],
    "002": [
        "Arrangementen A, B, C, D, E, F, G: variabel, met als richtlijn een maximum van 2 jaar.",
        "Doorlooptijd t/m 8 maanden > 1 stuks",
        "Doorlooptijd 9 maanden tot een 1 jaar en 2 maanden > 2 stuks",
        "Doorlooptijd 1 jaar en 3 maanden tot 1 jaar en 7 maanden > 3 stuks",
        "Doorlooptijd 1 jaar en 8 maanden tot 2 jaar > 4 stuks",
        "Verblijf primair gericht op behandeling: 1 jaar",
        "Verblijf behandeling of verblijf anderszins: 2 jaar",
        "Pleegzorg: 5 jaar",
        "Dagcentrum Vroegtijdige Interventie: 1 jaar",
        "ADHD+: 2 jaar",
        "Dyslexie: 1,5 jaar",
        "Eventueel verlengd met 0,5 jaar",
        "Crisiszorg: 4 weken (eventueel verlengd met 4 weken)",
        "eindigt het traject dat al loopt dan maximaal 2 maanden na de startdatum van het nieuwe "
        "traject?",
        "Is de aanbieder die de meest recente hulp aanvraagt een andere aanbieder",
        "Productcode: 43A12",
        "Eenheid: 14 (etmaal)",
        "Frequentie: 2 (per week)",
        "Blijkt dat minder inzet op een product nodig is? Dan hoeft de jeugdhulpaanbieder niets "
        "te doen.",
    ],
    "004": [
        "éénmalig een verzoek om wijziging (JW317- bericht) indienen waarbij alleen om een nieuwe "
        "einddatum kan worden verzocht",
        "‘06 (zelf verwijzer/ geen verwijzer)’",
        "Dit kan ook in de situaties waarbij de gemeentelijke toegang de verwijzer is.",
        "50% van de oorspronkelijke afgegeven periode met een maximum van 6 maanden",
        "Bij een eerste toewijzing met een duur van 6 maanden",
        "maximaal 3 maanden verder ligt dan de oorspronkelijke einddatum",
        "Bij een eerste toewijzing met een duur van 15 maanden",
        "maximaal 6 maanden verder ligt dan de oorspronkelijke einddatum",
        "dan moet de jeugdhulpaanbieder geen JW317 indienen maar bij de GI een nieuwe jeugdhulp "
        "bepaling verzoeken",
        "Toewijzing van het Groepsproduct duurt maximaal tot einddatum van het Individuele "
        "product.",
        "wijziging aangevraagd van 3000 naar 2250 minuten",
        "Zodat totaal op beide producten 3000 blijft.",
        "binnen vier maanden na beëindiging van hulpverlening",
        "1000 minuten voor een periode van 3 maanden",
        "Als een GI op moment van verzoeken nog betrokken is",
        "nieuwe JW301 met aangepaste einddatum",
        "Wanneer de gemeente zelf de verwijzer is wordt een wijziging bij de lokale toegang "
        "aangevraagd",
        "afwijzen (via een Antwoordbericht)",
        "30 uur 6 maanden",
        "60 uur 12 maanden",
        "A 2 96 12 maand",
        "B 4 192 12 maand",
        "A 5 104 uur 12 maand",
        "B 6 145 uur 12 maand",
        "A 3 144 12 maand",
        "A 4 192 12 maand",
        "B 12 576 12 maand",
        "behandelduur van 9 maanden",
        "behandelduur van 12 maanden",
        "begeleidingsduur van 12 maanden",
        "De maximale trajectduur is 12 maanden.",
        "Behandeling – Groep 45F32",
        "Begeleiding – Groep 45F22",
    ],
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_quotes_come_from_the_seeds() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    for prefix, quotes in QUOTES.items():
        (path,) = seeds.glob(f"{prefix}_*.txt")
        text = _norm(path.read_text("utf-8"))
        for q in quotes:
            assert _norm(q) in text, (prefix, q)


def t(volume: int = 100, eenheid: str = "04", frequentie: str = "6",
      ingang: date = JAN1, eind: date = DEC31) -> Toewijzing:
    return Toewijzing(ingang, eind, volume, eenheid, frequentie)


def toets(u, regel):  # noqa: ANN001, ANN201
    (c,) = [c for c in u.toetsen if c.regel == regel]
    return c


# ---------------------------------------------------------------- Hart van Brabant, toegang

def test_seed_example_100_uur_12_maanden_plus_5_maanden_30_uur() -> None:
    # 000: "De oorspronkelijke toewijzing is 100 uur voor de duur van 12 maanden." … "corrigeert
    # de oorspronkelijke toewijzing naar een looptijd van 17 maanden met een omvang van 130 uur"
    u = bereken(Verzoek(t(), "toegang", nieuwe_einddatum=date(2027, 5, 31), extra_volume=30), HVB)
    assert (u.binnen_richtlijn, u.route, u.berichten) == (True, "backoffice", ["JW301"])
    assert u.toewijzing == t(130, eind=date(2027, 5, 31))
    assert u.toewijzing.ingangsdatum == JAN1  # same ingangsdatum
    assert u.exit_code == 0


def test_gewijzigde_resultaten_go_to_the_toegang_with_foa() -> None:
    # 000: "Gewijzigde of nieuwe resultaten" … "Aanbieder levert FOA aan bij de lokale toegang."
    v = Verzoek(t(), "toegang", nieuwe_einddatum=date(2027, 3, 31), extra_volume=10,
                gewijzigde_resultaten=True)
    u = bereken(v, HVB)
    assert (u.binnen_richtlijn, u.route, u.berichten) == (False, "toegang", [])
    assert u.toewijzing == t() and "FOA" in u.toelichting
    assert u.exit_code == 1


def test_looptijd_limit_6_months_inclusive() -> None:
    # 000: "de looptijd van de aangevraagde verlenging is niet langer dan 6 maanden"
    ok = bereken(Verzoek(t(), "toegang", nieuwe_einddatum=date(2027, 6, 30), extra_volume=10), HVB)
    assert ok.binnen_richtlijn and toets(ok, "looptijd_verlenging").waarde == 6
    te_lang = bereken(Verzoek(t(), "toegang", nieuwe_einddatum=date(2027, 7, 1), extra_volume=10),
                      HVB)
    assert not te_lang.binnen_richtlijn and te_lang.route == "toegang"
    assert toets(te_lang, "looptijd_verlenging").waarde == 7  # a started month counts whole
    assert te_lang.toewijzing == t()  # unchanged when not approved


def test_volume_limit_40_percent_inclusive() -> None:
    # 000: "het volume van de aangevraagde verlenging is niet meer dan 40% van het
    # oorspronkelijke volume"
    ok = bereken(Verzoek(t(), "toegang", extra_volume=40), HVB)
    assert ok.binnen_richtlijn and ok.toewijzing.volume == 140
    assert toets(ok, "volume_verlenging").grens == 40
    te_veel = bereken(Verzoek(t(), "toegang", extra_volume=41), HVB)
    assert not te_veel.binnen_richtlijn and te_veel.toewijzing.volume == 100


def test_every_requested_component_must_meet_its_limit() -> None:
    # 000: "… niet langer dan 6 maanden, en/of; … niet meer dan 40%": the issue reads it as
    # "every component that is requested must meet its limit".
    u = bereken(Verzoek(t(), "toegang", nieuwe_einddatum=date(2027, 3, 31), extra_volume=50), HVB)
    assert toets(u, "looptijd_verlenging").voldaan and not toets(u, "volume_verlenging").voldaan
    assert not u.binnen_richtlijn
    # Only volume requested: no looptijd test at all.
    u = bereken(Verzoek(t(), "toegang", extra_volume=20), HVB)
    assert [c.regel for c in u.toetsen] == ["volume_verlenging"]


def test_per_week_volume_of_extension_is_volume_over_extension_period() -> None:
    # Issue: "When the frequency is per week or per month, the volume of the extension is the
    # volume over the extension period." 10 uur per maand for 12 months (120 uur); 2 months
    # longer at 12 uur per maand = 168 uur: +48 = 40 % exactly (inclusive).
    base = t(10, frequentie="4")
    u = bereken(Verzoek(base, "toegang", nieuwe_einddatum=date(2027, 2, 28), extra_volume=2), HVB)
    c = toets(u, "volume_verlenging")
    assert (c.waarde, c.grens, c.voldaan) == (48, 48, True)
    assert u.toewijzing.volume == 12 and u.toewijzing.frequentie == "4"
    u = bereken(Verzoek(base, "toegang", nieuwe_einddatum=date(2027, 3, 31), extra_volume=2), HVB)
    assert toets(u, "volume_verlenging").waarde == 60 and not u.binnen_richtlijn
    # Per week: 2 uur/week for 4 weeks (8 uur); +1 uur/week over 4 more weeks: 24 - 8 = 16 > 3.2.
    week = t(2, frequentie="2", eind=date(2026, 1, 28))
    u = bereken(Verzoek(week, "toegang", nieuwe_einddatum=date(2026, 2, 25), extra_volume=1), HVB)
    assert toets(u, "volume_verlenging").waarde == 16 and not u.binnen_richtlijn


def test_volume_change_only_while_jeugdhulp_runs() -> None:
    # 000: "Deze wijziging kan alleen worden aangevraagd als de jeugdhulp al loopt."
    v = Verzoek(t(), "toegang", extra_volume=10, peildatum=date(2027, 1, 15))
    u = bereken(v, HVB)
    assert not toets(u, "jeugdhulp_loopt").voldaan and not u.binnen_richtlijn
    v = Verzoek(t(), "toegang", extra_volume=10, peildatum=date(2026, 6, 1))
    assert bereken(v, HVB).binnen_richtlijn


# ---------------------------------------------------------------- Hart van Brabant, medisch / gi

def test_medisch_same_guideline_outside_goes_to_toetser() -> None:
    # 000: "De toetser medisch domein beoordeelt de casus."
    ok = bereken(Verzoek(t(), "medisch", nieuwe_einddatum=date(2027, 5, 31), extra_volume=30), HVB)
    assert ok.binnen_richtlijn and ok.berichten == ["JW301"]
    u = bereken(Verzoek(t(), "medisch", extra_volume=45), HVB)
    assert (u.binnen_richtlijn, u.route, u.berichten) == (False, "toetser-medisch-domein", [])


def test_gi_no_guideline_test_backoffice_adjusts() -> None:
    # 000: "Bij akkoord GI mailt aanbieder naar lokale backoffice."
    u = bereken(Verzoek(t(), "gi", nieuwe_einddatum=date(2028, 6, 30), extra_volume=90), HVB)
    assert (u.binnen_richtlijn, u.route, u.berichten) == (True, "backoffice", ["JW301"])
    assert u.toewijzing == t(190, eind=date(2028, 6, 30))
    assert not [c for c in u.toetsen if c.regel in ("looptijd_verlenging", "volume_verlenging")]
    assert "GI" in u.toelichting


def test_only_later_einddatum_backoffice_during_and_after_looptijd() -> None:
    # 000: "Alleen de einddatum moet verlengd worden" … "Deze wijziging kun je tijdens én na de
    # looptijd aanvragen."
    for verwijzer in ("toegang", "medisch"):
        v = Verzoek(t(), verwijzer, nieuwe_einddatum=date(2028, 12, 31),
                    peildatum=date(2027, 3, 1))  # after the looptijd, 24 months longer
        u = bereken(v, HVB)
        assert (u.binnen_richtlijn, u.route, u.berichten) == (True, "backoffice", ["JW301"])
        assert u.toewijzing == t(eind=date(2028, 12, 31)) and not u.toetsen


# ---------------------------------------------------------------- verkorting

def test_verkorting_etmalen_capped_at_days_in_shorter_period() -> None:
    # 000: "het volume in etmalen en dagdelen aan naar wat maximaal mogelijk is"; 004: "nieuwe
    # JW301 met aangepaste einddatum"
    base = t(200, eenheid="14")
    for verwijzer in ("toegang", "medisch", "gi"):
        u = bereken(Verzoek(base, verwijzer, nieuwe_einddatum=date(2026, 3, 31)), HVB)
        assert (u.binnen_richtlijn, u.route, u.berichten) == (True, "backoffice",
                                                              ["JW307", "JW301"])
        assert u.toewijzing == t(90, eenheid="14", eind=date(2026, 3, 31))  # 31+28+31 days


def test_verkorting_dagdelen_per_day_from_profile_and_lower_volume_stays() -> None:
    # 000: "Als het volume al lager is dan het maximale, dan hoeft dit niet aangepast te worden."
    per_dag = HVB.get("afronding.dagdelen_per_dag")
    u = bereken(Verzoek(t(1000, eenheid="16"), "toegang", nieuwe_einddatum=date(2026, 1, 10)), HVB)
    assert u.toewijzing.volume == 10 * per_dag
    u = bereken(Verzoek(t(20, eenheid="16"), "toegang", nieuwe_einddatum=date(2026, 1, 10)), HVB)
    assert u.toewijzing.volume == 20
    # Only frequentie 6 and eenheden 14/16 are capped.
    u = bereken(Verzoek(t(1000, eenheid="04"), "toegang", nieuwe_einddatum=date(2026, 1, 10)), HVB)
    assert u.toewijzing.volume == 1000
    u = bereken(Verzoek(t(5, "14", "2"), "toegang", nieuwe_einddatum=date(2026, 1, 10)), HVB)
    assert u.toewijzing.volume == 5


def test_flevoland_verkorting_sends_jw301_with_new_einddatum_without_capping() -> None:
    # 004: "nieuwe JW301 met aangepaste einddatum"
    u = bereken(Verzoek(t(200, "14"), "medisch", nieuwe_einddatum=date(2026, 1, 31)), FLE)
    assert u.berichten == ["JW307", "JW301"]
    assert u.toewijzing == t(200, "14", eind=date(2026, 1, 31))


# ---------------------------------------------------------------- warnings

def test_warning_whenever_volume_goes_up() -> None:
    # 000: "Segment 3 of 4 of dat Segment 1 beter past"
    for v in (Verzoek(t(), "toegang", extra_volume=10),
              Verzoek(t(), "gi", extra_volume=100),
              Verzoek(t(), "toegang", extra_volume=90),  # outside: still warned
              Verzoek(t(2, frequentie="2"), "toegang", nieuwe_einddatum=date(2027, 1, 31))):
        assert any("segment 1" in w for w in bereken(v, HVB).waarschuwingen), v
    u = bereken(Verzoek(t(), "toegang", nieuwe_einddatum=date(2027, 1, 31)), HVB)
    assert not any("segment" in w for w in u.waarschuwingen)  # total volume unchanged


@pytest.mark.parametrize(("groep", "ok_eind", "te_lang_eind"), [
    # 002: "Arrangementen A, B, C, D, E, F, G: variabel, met als richtlijn een maximum van 2 jaar."
    ("arrangementen-a-g", date(2027, 12, 31), date(2028, 1, 1)),
    # 002: "Verblijf primair gericht op behandeling: 1 jaar"
    ("verblijf-behandeling", date(2026, 12, 31), date(2027, 1, 1)),
    # 002: "Verblijf behandeling of verblijf anderszins: 2 jaar"
    ("verblijf-anderszins", date(2027, 12, 31), date(2028, 1, 1)),
    # 002: "Pleegzorg: 5 jaar"
    ("pleegzorg", date(2030, 12, 31), date(2031, 1, 1)),
    # 002: "Dagcentrum Vroegtijdige Interventie: 1 jaar"
    ("dvi", date(2026, 12, 31), date(2027, 1, 1)),
    # 002: "ADHD+: 2 jaar"
    ("adhd-plus", date(2027, 12, 31), date(2028, 1, 1)),
])
def test_maximum_termijnen_warn_beyond(groep: str, ok_eind: date, te_lang_eind: date) -> None:
    base = t(eind=date(2026, 6, 30))
    ok = bereken(Verzoek(base, "toegang", nieuwe_einddatum=ok_eind, termijngroep=groep), HVB)
    assert not any("Maximale termijn" in w for w in ok.waarschuwingen)
    lang = bereken(Verzoek(base, "toegang", nieuwe_einddatum=te_lang_eind, termijngroep=groep),
                   HVB)
    assert any("Maximale termijn" in w for w in lang.waarschuwingen)


def test_dyslexie_and_crisis_have_an_optional_extension() -> None:
    # 002: "Dyslexie: 1,5 jaar" … "Eventueel verlengd met 0,5 jaar"; "Crisiszorg: 4 weken
    # (eventueel verlengd met 4 weken)"
    base = t(eind=date(2026, 6, 30))
    u = bereken(Verzoek(base, "toegang", nieuwe_einddatum=date(2027, 8, 31),
                        termijngroep="dyslexie"), HVB)
    assert any("eventuele verlenging" in w for w in u.waarschuwingen)
    u = bereken(Verzoek(base, "toegang", nieuwe_einddatum=date(2028, 1, 1),
                        termijngroep="dyslexie"), HVB)
    assert any("ligt daarna" in w for w in u.waarschuwingen)
    crisis = t(eind=date(2026, 1, 14))
    assert not bereken(Verzoek(crisis, "toegang", nieuwe_einddatum=date(2026, 1, 28),
                               product="1708"), HVB).waarschuwingen
    u = bereken(Verzoek(crisis, "toegang", nieuwe_einddatum=date(2026, 2, 25), product="1708"),
                HVB)
    assert any("eventuele verlenging van 4 weken" in w for w in u.waarschuwingen)
    u = bereken(Verzoek(crisis, "toegang", nieuwe_einddatum=date(2026, 2, 26), product="1708"),
                HVB)
    assert any("ligt daarna" in w for w in u.waarschuwingen)


@pytest.mark.parametrize(("eind", "stuks"), [
    # 002: "Doorlooptijd t/m 8 maanden > 1 stuks" … "1 jaar en 8 maanden tot 2 jaar > 4 stuks"
    (date(2026, 8, 31), 1), (date(2026, 9, 1), 2), (date(2027, 2, 28), 2),
    (date(2027, 3, 31), 3), (date(2027, 7, 31), 3), (date(2027, 8, 31), 4),
    (date(2027, 12, 31), 4),
])
def test_arrangementen_h_i_stuks_by_doorlooptijd(eind: date, stuks: int) -> None:
    base = Toewijzing(JAN1, date(2026, 6, 30), stuks, "82", "6")
    u = bereken(Verzoek(base, "gi", nieuwe_einddatum=eind, termijngroep="arrangementen-h-i"),
                HVB)
    assert not any("stuks" in w for w in u.waarschuwingen), u.waarschuwingen
    other = Toewijzing(JAN1, date(2026, 6, 30), stuks + 1, "82", "6")
    u = bereken(Verzoek(other, "gi", nieuwe_einddatum=eind, termijngroep="arrangementen-h-i"),
                HVB)
    assert any(f"hoort bij {stuks} stuks" in w for w in u.waarschuwingen)


def test_overlap_at_most_two_months_at_another_aanbieder() -> None:
    # 002: "eindigt het traject dat al loopt dan maximaal 2 maanden na de startdatum van het
    # nieuwe traject?" and "Is de aanbieder die de meest recente hulp aanvraagt een andere
    # aanbieder"
    start = date(2026, 3, 1)
    assert overlap_toets(date(2026, 5, 1), start, True, HVB).voldaan
    assert not overlap_toets(date(2026, 5, 2), start, True, HVB).voldaan
    assert not overlap_toets(date(2026, 3, 15), start, False, HVB).voldaan
    assert overlap_toets(date(2026, 2, 28), start, False, HVB).voldaan
    u = bereken(Verzoek(t(), "toegang", nieuwe_einddatum=date(2027, 3, 31),
                        nieuw_traject=date(2027, 1, 1)), HVB)
    assert not toets(u, "overlap_trajecten").voldaan and u.waarschuwingen
    with pytest.raises(UsageError, match="overlap"):
        overlap_toets(date(2026, 5, 1), start, True, FLE)


# ---------------------------------------------------------------- Flevoland

@pytest.mark.parametrize(("maanden", "ruimte"), [
    # 004: "Bij een eerste toewijzing met een duur van 6 maanden" … "maximaal 3 maanden verder"
    (6, 3),
    # 004: "Bij een eerste toewijzing met een duur van 15 maanden" … "maximaal 6 maanden verder"
    (15, 6),
    # Odd months: the half is rounded down (profile: afronding.halve_periode = "omlaag").
    (7, 3), (12, 6), (13, 6), (1, 0),
])
def test_flevoland_shift_at_most_half_capped_at_six(maanden: int, ruimte: int) -> None:
    # 004: "50% van de oorspronkelijke afgegeven periode met een maximum van 6 maanden"
    from ijwcli.verlenging import einde_na, plus_maanden

    base = t(3000, "01", ingang=JAN1, eind=einde_na(JAN1, maanden))
    grens = plus_maanden(base.einddatum, ruimte)
    ok = bereken(Verzoek(base, "medisch", nieuwe_einddatum=grens), FLE) if ruimte else None
    if ok is not None:
        assert (ok.binnen_richtlijn, ok.route, ok.berichten) == (True, "backoffice",
                                                                 ["JW317", "JW301"])
        assert ok.toewijzing.einddatum == grens and ok.toewijzing.volume == 3000
    te_ver = bereken(Verzoek(base, "medisch", nieuwe_einddatum=grens + timedelta(days=1)), FLE)
    assert not te_ver.binnen_richtlijn and te_ver.berichten == ["JW317", "JW319"]
    assert toets(te_ver, "verschuiving_einddatum").grens == ruimte


def test_flevoland_shift_also_when_toegang_is_verwijzer_with_type_06() -> None:
    # 004: "Dit kan ook in de situaties waarbij de gemeentelijke toegang de verwijzer is." and
    # "‘06 (zelf verwijzer/ geen verwijzer)’"
    u = bereken(Verzoek(t(3000, "01"), "toegang", nieuwe_einddatum=date(2027, 6, 30)), FLE)
    assert u.binnen_richtlijn and u.berichten == ["JW317", "JW301"]
    assert "type verwijzer 06" in u.toelichting
    assert FLE.get("einddatum_verschuiven.type_verwijzer") == "06"


def test_flevoland_shift_only_once() -> None:
    # 004: "éénmalig een verzoek om wijziging (JW317- bericht) indienen waarbij alleen om een
    # nieuwe einddatum kan worden verzocht"
    v = Verzoek(t(3000, "01"), "medisch", nieuwe_einddatum=date(2027, 2, 28),
                eerder_verschoven=True)
    u = bereken(v, FLE)
    assert not u.binnen_richtlijn and not toets(u, "eenmalig_verschuiven").voldaan
    assert u.toewijzing == t(3000, "01") and u.exit_code == 1


def test_flevoland_gi_gets_no_jw317_but_a_new_bepaling() -> None:
    # 004: "dan moet de jeugdhulpaanbieder geen JW317 indienen maar bij de GI een nieuwe
    # jeugdhulp bepaling verzoeken"
    u = bereken(Verzoek(t(3000, "01"), "gi", nieuwe_einddatum=date(2027, 1, 31)), FLE)
    assert (u.binnen_richtlijn, u.route, u.berichten) == (False, "gi", [])
    assert u.toewijzing == t(3000, "01")


def test_flevoland_more_volume_via_toegang_goes_to_the_toegang() -> None:
    # 004: "Wanneer de gemeente zelf de verwijzer is wordt een wijziging bij de lokale toegang
    # aangevraagd"
    u = bereken(Verzoek(t(3000, "01"), "toegang", extra_volume=600), FLE)
    assert (u.binnen_richtlijn, u.route) == (False, "toegang")


def test_flevoland_more_volume_medisch_checked_against_product_maximum() -> None:
    # 004: Behandeling – Individueel "A 2 96 12 maand" / "B 4 192 12 maand"; a refusal is
    # "afwijzen (via een Antwoordbericht)"
    base = t(150, "04")
    ok = bereken(Verzoek(base, "medisch", extra_volume=42, product="45F31"), FLE)
    assert ok.binnen_richtlijn and ok.berichten == ["JW317", "JW301"]
    assert toets(ok, "max_uren_45F31").grens == 192 and ok.toewijzing.volume == 192
    te_veel = bereken(Verzoek(base, "medisch", extra_volume=43, product="45F31"), FLE)
    assert not te_veel.binnen_richtlijn and te_veel.berichten == ["JW317", "JW319"]
    minuten = bereken(Verzoek(t(11000, "01"), "medisch", extra_volume=600, product="45F31"), FLE)
    assert toets(minuten, "max_uren_45F31").waarde == 193.33 and not minuten.binnen_richtlijn


# Product, duration (months) and per category (uren per week, maximaal aantal uren, duur), as the
# seed's tables state them; a variant has no uren per week.
RICHTLIJNEN: dict[str, tuple[int, dict[str, tuple[int | None, int, int]]]] = {
    # 004 Basis Begeleiding – Individueel: "A 2 96 12 maand", "B 4 192 12 maand"
    "45F01": (12, {"A": (2, 96, 12), "B": (4, 192, 12)}),
    # 004 Basis Begeleiding – Groep: "A 4 192 12 maand", "B 12 576 12 maand"
    "45F02": (12, {"A": (4, 192, 12), "B": (12, 576, 12)}),
    # 004 Diagnostiek: "30 uur 6 maanden", "60 uur 12 maanden"; "De maximale trajectduur is 12
    # maanden."
    "45F11": (12, {"0": (None, 30, 6), "1": (None, 60, 12)}),
    # 004 Specialistische Begeleiding – Individueel: "A 2 96 12 maand", "B 4 192 12 maand"
    "45F21": (12, {"A": (2, 96, 12), "B": (4, 192, 12)}),
    # 004 "Begeleiding – Groep 45F22": no table; "begeleidingsduur van 12 maanden"
    "45F22": (12, {}),
    # 004 Specialistische Begeleiding – Gezin: "A 3 144 12 maand", "B 4 192 12 maand"
    "45F23": (12, {"A": (3, 144, 12), "B": (4, 192, 12)}),
    # 004 Behandeling – Individueel: "A 2 96 12 maand", "B 4 192 12 maand"
    "45F31": (12, {"A": (2, 96, 12), "B": (4, 192, 12)}),
    # 004 "Behandeling – Groep 45F32": no table; "behandelduur van 12 maanden"
    "45F32": (12, {}),
    # 004 Behandeling – Gezin regulier: "A 5 104 uur 12 maand", "B 6 145 uur 12 maand"
    "45F33": (12, {"A": (5, 104, 12), "B": (6, 145, 12)}),
    # 004 Behandeling – Gezin intensief: "behandelduur van 9 maanden"
    "45F34": (9, {}),
}


@pytest.mark.parametrize("product", sorted(RICHTLIJNEN))
def test_flevoland_product_richtlijnen_in_profile(product: str) -> None:
    duur, tabel = RICHTLIJNEN[product]
    r = FLE.get(f"productrichtlijnen.producten.{product}")
    assert r is not None and r["duur_maanden"] == duur
    if "varianten" in r:
        profiel_tabel = {str(i): (None, o["max_uren"], o["duur_maanden"])
                         for i, o in enumerate(r["varianten"])}
    else:
        profiel_tabel = {k: (o["uren_per_week"], o["max_uren"], o["duur_maanden"])
                         for k, o in (r.get("categorieen") or {}).items()}
    assert profiel_tabel == tabel
    assert set(FLE.get("productrichtlijnen.producten")) == set(RICHTLIJNEN)


def test_flevoland_diagnostiek_hours_belong_to_the_variant_duration() -> None:
    # 004 Diagnostiek: "30 uur 6 maanden", "60 uur 12 maanden": a 6-month toewijzing may have
    # 30 uur, a longer one (up to 12 months) 60.
    zes = t(20, ingang=JAN1, eind=date(2026, 6, 30))
    ok = bereken(Verzoek(zes, "medisch", extra_volume=10, product="45F11"), FLE)
    assert ok.binnen_richtlijn and toets(ok, "max_uren_45F11").grens == 30
    te_veel = bereken(Verzoek(zes, "medisch", extra_volume=11, product="45F11"), FLE)
    assert not te_veel.binnen_richtlijn and te_veel.toewijzing == zes
    twaalf = bereken(Verzoek(t(20), "medisch", extra_volume=40, product="45F11"), FLE)
    assert twaalf.binnen_richtlijn and toets(twaalf, "max_uren_45F11").grens == 60
    # Extending the 6-month toewijzing by 3 months moves it into the 12-month variant.
    langer = bereken(Verzoek(zes, "medisch", extra_volume=20, nieuwe_einddatum=date(2026, 9, 30),
                             product="45F11"), FLE)
    assert langer.binnen_richtlijn and toets(langer, "max_uren_45F11").grens == 60


def test_flevoland_45f34_nine_months_warns_beyond() -> None:
    # 004: "behandelduur van 9 maanden"
    assert FLE.get("productrichtlijnen.producten.45F34.duur_maanden") == 9
    base = t(100, ingang=JAN1, eind=date(2026, 8, 31))  # 8 months: 4 months of room
    u = bereken(Verzoek(base, "medisch", nieuwe_einddatum=date(2026, 9, 30), product="45F34"), FLE)
    assert u.binnen_richtlijn and not u.waarschuwingen
    u = bereken(Verzoek(base, "medisch", nieuwe_einddatum=date(2026, 10, 31), product="45F34"),
                FLE)
    assert u.binnen_richtlijn and any("9 maanden" in w for w in u.waarschuwingen)


def test_flevoland_individueel_naar_groep_keeps_the_total() -> None:
    # 004: "wijziging aangevraagd van 3000 naar 2250 minuten" … "Zodat totaal op beide producten
    # 3000 blijft." and "Toewijzing van het Groepsproduct duurt maximaal tot einddatum van het
    # Individuele product."
    u = bereken(Verzoek(t(3000, "01"), "medisch", naar_groep=750), FLE)
    assert (u.binnen_richtlijn, u.berichten) == (True, ["JW317", "JW301"])
    assert u.toewijzing.volume == 2250 and toets(u, "totaal_gelijk").voldaan
    assert "750" in u.toelichting and "2026-12-31" in u.toelichting
    later = bereken(Verzoek(t(3000, "01"), "medisch", naar_groep=750,
                            nieuwe_einddatum=date(2027, 3, 31)), FLE)
    assert "2026-12-31" in later.toelichting and later.waarschuwingen
    with pytest.raises(UsageError):
        bereken(Verzoek(t(3000, "01"), "medisch", naar_groep=3001), FLE)


def test_flevoland_terugval_within_four_months() -> None:
    # 004: "binnen vier maanden na beëindiging van hulpverlening" … "1000 minuten voor een
    # periode van 3 maanden"
    u = bereken(Verzoek(t(3000, "01"), "medisch", hervatting=date(2027, 4, 30)), FLE)
    assert (u.binnen_richtlijn, u.route, u.berichten) == (True, "backoffice", ["JW315", "JW301"])
    assert u.toewijzing == Toewijzing(date(2027, 4, 30), date(2027, 7, 29), 1000, "01", "6")
    te_laat = bereken(Verzoek(t(3000, "01"), "medisch", hervatting=date(2027, 5, 1)), FLE)
    assert not te_laat.binnen_richtlijn and te_laat.toewijzing == t(3000, "01")


def test_flevoland_terugval_with_gi_asks_the_gi() -> None:
    # 004: "Als een GI op moment van verzoeken nog betrokken is"
    u = bereken(Verzoek(t(3000, "01"), "gi", hervatting=date(2027, 2, 1)), FLE)
    assert (u.binnen_richtlijn, u.route) == (False, "gi")


# ---------------------------------------------------------------- usage errors

@pytest.mark.parametrize(("verzoek", "message"), [
    (Verzoek(t(eind=date(2025, 12, 31)), "toegang", extra_volume=1), "vóór ingangsdatum"),
    (Verzoek(t(-5), "toegang", extra_volume=1), "negatief"),
    # 002: "Blijkt dat minder inzet op een product nodig is? Dan hoeft de jeugdhulpaanbieder
    # niets te doen."
    (Verzoek(t(), "toegang", extra_volume=-10), "minder inzet"),
    (Verzoek(t(), "huisarts", extra_volume=1), "onbekende verwijzer"),
    (Verzoek(t(eenheid="99"), "toegang", extra_volume=1), "onbekende eenheid"),
    (Verzoek(t(frequentie="3"), "toegang", extra_volume=1), "onbekende frequentie"),
    (Verzoek(t(), "toegang"), "geen wijziging"),
    (Verzoek(t(), "toegang", nieuwe_einddatum=date(2026, 6, 30), extra_volume=5), "verkorting"),
    (Verzoek(t(), "toegang", nieuwe_einddatum=date(2025, 6, 30)), "vóór ingangsdatum"),
])
def test_usage_errors(verzoek: Verzoek, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        bereken(verzoek, HVB)


def test_to_dict_has_exactly_the_issue_keys() -> None:
    u = bereken(Verzoek(t(), "toegang", extra_volume=10), HVB)
    d = u.to_dict()
    assert list(d) == ["regio", "binnen_richtlijn", "route", "berichten", "toewijzing",
                       "toetsen", "waarschuwingen", "toelichting"]
    assert list(d["toewijzing"]) == ["ingangsdatum", "einddatum", "volume", "eenheid",
                                     "frequentie"]
    assert list(d["toetsen"][0]) == ["regel", "grens", "waarde", "voldaan", "bron"]


# ---------------------------------------------------------------- rounding choices in the profile

def _eigen_profiel(tmp_path: Path, regio: str, *vervangingen: tuple[str, str]
                   ) -> profiel.Profiel:
    """A copy of a shipped profile with some lines replaced, loaded as a user's own profile."""
    tekst = (Path(profiel.__file__).parent / "profielen" / f"{regio}.toml").read_text("utf-8")
    for oud, nieuw in vervangingen:
        assert oud in tekst, oud
        tekst = tekst.replace(oud, nieuw)
    pad = tmp_path / f"eigen-{regio}.toml"
    pad.write_text(tekst, "utf-8")
    return profiel.load(pad)


def test_started_month_rounding_is_read_from_the_profile(tmp_path: Path) -> None:
    # The seeds say "niet langer dan 6 maanden" but not how a partial month counts. Shipped
    # choice: a started month counts whole (6 months and 15 days = 7: outside). A region that
    # counts whole months only sets afronding.begonnen_maand_telt_heel = false.
    v = Verzoek(t(), "toegang", nieuwe_einddatum=date(2027, 7, 15), extra_volume=10)
    assert HVB.get("afronding.begonnen_maand_telt_heel") is True
    u = bereken(v, HVB)
    assert toets(u, "looptijd_verlenging").waarde == 7 and not u.binnen_richtlijn
    heel = _eigen_profiel(tmp_path, "hart-van-brabant", ("begonnen_maand_telt_heel = true",
                                                         "begonnen_maand_telt_heel = false"))
    u = bereken(v, heel)
    assert toets(u, "looptijd_verlenging").waarde == 6 and u.binnen_richtlijn
    assert u.toewijzing.einddatum == date(2027, 7, 15)
    # Flevoland's shift and terugval are measured the same way.
    fle = _eigen_profiel(tmp_path, "flevoland", ("begonnen_maand_telt_heel = true",
                                                 "begonnen_maand_telt_heel = false"))
    shift = Verzoek(t(3000, "01", eind=date(2026, 6, 30)), "medisch",
                    nieuwe_einddatum=date(2026, 10, 15))  # 3 months and 15 days, room 3
    assert not bereken(shift, FLE).binnen_richtlijn and bereken(shift, fle).binnen_richtlijn
    terug = Verzoek(t(3000, "01"), "medisch", hervatting=date(2027, 5, 20))
    assert not bereken(terug, FLE).binnen_richtlijn and bereken(terug, fle).binnen_richtlijn


def test_profile_rounding_keys_are_validated(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="begonnen_maand_telt_heel"):
        _eigen_profiel(tmp_path, "hart-van-brabant", ("begonnen_maand_telt_heel = true",
                                                      'begonnen_maand_telt_heel = "ja"'))
    with pytest.raises(UsageError, match="halve_periode"):
        _eigen_profiel(tmp_path, "flevoland", ('halve_periode = "omlaag"',
                                               'halve_periode = "naar beneden"'))
