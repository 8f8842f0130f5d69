"""Property tests for the month arithmetic and the invariants of ``ijwcli.verlenging``."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from ijwcli.verlenging import (
    Toewijzing,
    Verzoek,
    bereken,
    doorlooptijd_maanden,
    einde_na,
    laatste_dag,
    looptijd_maanden,
    maanden_tot,
    periodes,
    plus_maanden,
    profiel,
)

HVB = profiel.load("hart-van-brabant")
FLE = profiel.load("flevoland")

datums = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
maanden = st.integers(min_value=0, max_value=60)
SNEL = settings(max_examples=150, deadline=None)


@SNEL
@given(datums, maanden)
def test_plus_maanden_lands_in_the_target_month_and_inverts(d: date, n: int) -> None:
    r = plus_maanden(d, n)
    doel = d + relativedelta(months=n)
    assert (r.year, r.month) == (doel.year, doel.month)
    assert doel <= r <= laatste_dag(doel)
    assert maanden_tot(d, r) == n


@SNEL
@given(datums, maanden)
def test_plus_maanden_strictly_increasing(d: date, n: int) -> None:
    assert plus_maanden(d, n) < plus_maanden(d, n + 1)


@SNEL
@given(datums, st.integers(min_value=0, max_value=2000))
def test_maanden_tot_is_the_smallest_covering_count(d: date, dagen: int) -> None:
    tot = d + timedelta(days=dagen)
    n = maanden_tot(d, tot)
    assert tot <= plus_maanden(d, n)
    assert n == 0 or tot > plus_maanden(d, n - 1)


@SNEL
@given(datums, st.integers(min_value=1, max_value=60))
def test_looptijd_of_a_whole_month_term(d: date, n: int) -> None:
    eind = einde_na(d, n)
    assert looptijd_maanden(d, eind) == n == doorlooptijd_maanden(d, eind)
    assert doorlooptijd_maanden(d, eind + timedelta(days=1)) == n + 1
    assert periodes(d, eind, "4") == n


@st.composite
def verzoeken(draw: st.DrawFn, verwijzers: tuple[str, ...] = ("toegang", "medisch", "gi")
              ) -> Verzoek:
    ingang = draw(datums)
    eind = ingang + timedelta(days=draw(st.integers(min_value=0, max_value=900)))
    t = Toewijzing(ingang, eind, draw(st.integers(min_value=0, max_value=5000)),
                   draw(st.sampled_from(["01", "04", "14", "16"])),
                   draw(st.sampled_from(["1", "2", "4", "6"])))
    nieuw = draw(st.one_of(st.none(), st.builds(
        lambda k: eind + timedelta(days=k), st.integers(min_value=-900, max_value=900))))
    if nieuw is not None and nieuw < ingang:
        nieuw = ingang
    extra = 0 if nieuw is not None and nieuw < eind else draw(st.integers(0, 3000))
    if (nieuw is None or nieuw == eind) and not extra:
        extra = 1
    return Verzoek(t, draw(st.sampled_from(verwijzers)), nieuwe_einddatum=nieuw,
                   extra_volume=extra, gewijzigde_resultaten=draw(st.booleans()),
                   eerder_verschoven=draw(st.booleans()))


@SNEL
@given(verzoeken(("toegang", "medisch")))
def test_hvb_approved_einddatum_never_beyond_six_months(v: Verzoek) -> None:
    u = bereken(v, HVB)
    t = v.toewijzing
    if u.binnen_richtlijn and v.extra_volume:
        # Volume changes pass the guideline: at most 6 months later (end of the 6th month).
        assert u.toewijzing.einddatum <= plus_maanden(t.einddatum, 6)
        assert u.toewijzing.einddatum <= laatste_dag(t.einddatum + relativedelta(months=6))


@SNEL
@given(verzoeken())
def test_volume_never_decreases_on_approval_except_verkorting(v: Verzoek) -> None:
    for p in (HVB, FLE):
        u = bereken(v, p)
        t = v.toewijzing
        assert u.toewijzing.ingangsdatum == t.ingangsdatum
        assert (u.toewijzing.eenheid, u.toewijzing.frequentie) == (t.eenheid, t.frequentie)
        if u.toewijzing.einddatum >= t.einddatum:
            assert u.toewijzing.volume >= t.volume
        else:
            assert u.toewijzing.volume <= t.volume
        if not u.binnen_richtlijn:
            assert u.toewijzing == t  # unchanged when not approved
        assert u.berichten == [] or u.berichten[-1] in ("JW301", "JW319")


@SNEL
@given(verzoeken(("toegang", "medisch")))
def test_flevoland_approved_shift_within_half_and_six_months(v: Verzoek) -> None:
    u = bereken(v, FLE)
    t = v.toewijzing
    if u.binnen_richtlijn and u.toewijzing.einddatum > t.einddatum:
        half = looptijd_maanden(t.ingangsdatum, t.einddatum) // 2
        assert u.toewijzing.einddatum <= plus_maanden(t.einddatum, min(half, 6))
        assert not v.eerder_verschoven or v.extra_volume


@SNEL
@given(verzoeken())
def test_verkorting_caps_etmalen_at_days(v: Verzoek) -> None:
    u = bereken(v, HVB)
    t = u.toewijzing
    if t.einddatum < v.toewijzing.einddatum and t.eenheid == "14" and t.frequentie == "6":
        assert t.volume <= (t.einddatum - t.ingangsdatum).days + 1
        assert u.berichten == ["JW307", "JW301"]


@SNEL
@given(datums, st.integers(min_value=0, max_value=2000))
def test_maanden_tot_whole_months_only_is_the_largest_count_within(d: date, dagen: int) -> None:
    # afronding.begonnen_maand_telt_heel = false: leftover days do not count.
    tot = d + timedelta(days=dagen)
    n = maanden_tot(d, tot, begonnen_telt_heel=False)
    assert plus_maanden(d, n) <= tot < plus_maanden(d, n + 1)
    assert n <= maanden_tot(d, tot) <= n + 1


@SNEL
@given(datums, st.integers(min_value=0, max_value=900), st.integers(min_value=1, max_value=200))
def test_flevoland_terugval_is_always_1000_minutes_for_three_months(eind: date, na: int,
                                                                  volume: int) -> None:
    t = Toewijzing(eind - timedelta(days=180), eind, volume, "01", "6")
    hervatting = eind + timedelta(days=na + 1)
    u = bereken(Verzoek(t, "medisch", hervatting=hervatting), FLE)
    if hervatting <= plus_maanden(eind, 4):
        assert u.binnen_richtlijn and u.berichten == ["JW315", "JW301"]
        n = u.toewijzing
        assert (n.ingangsdatum, n.volume, n.eenheid, n.frequentie) == (hervatting, 1000, "01", "6")
        assert looptijd_maanden(n.ingangsdatum, n.einddatum) == 3 == doorlooptijd_maanden(
            n.ingangsdatum, n.einddatum)
    else:
        assert not u.binnen_richtlijn and u.toewijzing == t and u.berichten == []


@SNEL
@given(datums, st.integers(min_value=1, max_value=20000), st.data())
def test_flevoland_naar_groep_keeps_the_total(ingang: date, volume: int, data: st.DataObject
                                              ) -> None:
    groep = data.draw(st.integers(min_value=1, max_value=volume))
    t = Toewijzing(ingang, ingang + timedelta(days=300), volume, "01", "6")
    u = bereken(Verzoek(t, "medisch", naar_groep=groep), FLE)
    assert u.binnen_richtlijn and u.toewijzing.volume + groep == volume
    assert u.toewijzing.einddatum == t.einddatum
