"""Footprint and users: denominators, self-reported bounds, years since founding, share of the planet."""
import pytest

from analysis.claims import audit, judge
from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Verdict
from analysis.data import facts, footprint, population
from analysis.measures import MeasureError


@pytest.fixture(scope="module")
def ledger():
    return load_ledger()


def test_denominators_match_the_cited_rows():
    assert footprint.country_denominator("un_members")["count"] == 193 == footprint.un_member_fact().number()
    assert footprint.iso3166_count() == 249 == footprint.iso3166_fact().number()
    with pytest.raises(ValueError, match="unknown country definition 'g20'"):
        footprint.country_denominator("g20")


def test_reported_bounds():
    assert footprint.reported_bound("170+") == (170.0, True)
    assert footprint.reported_bound("3000000000", "people (more than)") == (3e9, True)
    assert footprint.reported_bound("1987", "year") == (1987.0, False)
    with pytest.raises(ValueError, match="not a lower bound"):
        footprint.reported_bound("3000000000", "people (nearly)")
    with pytest.raises(ValueError, match="not a number"):
        footprint.reported_bound("one-third of world population", "share (over)")


def test_every_annual_report_says_170_plus_countries_and_regions():
    table = footprint.self_reported_countries()
    assert table["period"].tolist() == ["2017", "2018", "2019", "2020"]
    assert set(table["unit"]) == {"countries and regions"}
    assert all("170 countries and regions" in q for q in table["quote"])


def assess(ledger, claim_id, **choices):
    claim = ledger.claim(claim_id)
    return audit.assess_claim(claim, {**claim.parameters, **choices})


@pytest.mark.parametrize("claim_id", ["countries-170-plus-operate", "countries-170-products-used"])
def test_country_claims_are_supported_with_caveats_under_every_choice(ledger, claim_id):
    for year in (2017, 2018, 2019, 2020):
        for definition in footprint.COUNTRY_DEFINITIONS:
            a = assess(ledger, claim_id, report_year=year, countries_definition=definition)
            assert a.verdict is Verdict.SELF_REPORTED
            assert a.policies == ["lower_bound", "ceiling", "self_reported"]
    a = assess(ledger, claim_id)
    assert a.measured_value == "170+"  # shown as published (the judge compares the bound, 170)
    assert [s.ref for s in a.sources] == ["data/raw/rd_spending/facts.csv#L79", "data/raw/population/facts.csv#L39"]


def test_a_count_above_the_denominator_is_not_supported(ledger):
    from dataclasses import replace

    claim = ledger.claim("countries-170-plus-operate")
    impossible = replace(claim, stated=replace(claim.stated, value=200))
    # above the 193 UN members: impossible, so refuted; within the 249 ISO 3166-1 entries: "170+" cannot settle it
    expected = {"un_members": Verdict.NOT_SUPPORTED, "iso3166": Verdict.NOT_CHECKABLE}
    for definition in footprint.COUNTRY_DEFINITIONS:
        a = audit.assess_claim(impossible, {**claim.parameters, "countries_definition": definition})
        assert a.verdict is expected[definition]
    below = replace(claim, stated=replace(claim.stated, value=169, comparator="more_than"))
    assert audit.assess_claim(below, claim.parameters).verdict is Verdict.SELF_REPORTED
    above = replace(claim, stated=replace(claim.stated, value=180))  # possible, but "170+" cannot settle it
    assert audit.assess_claim(above, claim.parameters).verdict is Verdict.NOT_CHECKABLE


def test_the_product_claim_reads_170_plus_as_more_than_170(ledger):
    a = assess(ledger, "countries-170-products-used")
    assert a.rule.startswith("reported > 170 implies > 170")
    assert a.verdict is Verdict.SELF_REPORTED


def test_an_unknown_country_definition_is_an_error(ledger):
    with pytest.raises(MeasureError, match="measure .countries.count. with .*unknown country definition 'g20'"):
        assess(ledger, "countries-170-plus-operate", countries_definition="g20")


def test_years_since_founding_and_tolerance(ledger):
    assert footprint.founding_fact().value == "1987"
    assert footprint.years_since_founding(2019) == 32
    assert judge.accepted_band(30, 0.0) == 5.0 and judge.accepted_band(30, 2) == 2.0
    for claim_id in ("track-record-30-years", "products-three-decades"):
        a = assess(ledger, claim_id, years_tolerance=0.0)
        assert (a.measured_value, a.verdict) == (32, Verdict.SELF_REPORTED)
        assert assess(ledger, claim_id, years_tolerance=2.0).verdict is Verdict.SELF_REPORTED
        assert assess(ledger, claim_id, years_tolerance=1.0).verdict is Verdict.NOT_SUPPORTED


def test_users_rest_on_the_annual_report(ledger):
    a = assess(ledger, "users-over-3bn")
    assert (a.verdict, a.measured_value) == (Verdict.SELF_REPORTED, 3_000_000_000)
    assert a.policies == ["lower_bound", "ceiling", "self_reported"]
    assert [s.ref for s in a.sources] == [
        "data/raw/population/facts.csv#L5",
        "data/raw/population/wb_sp_pop_totl__datasets-population__2020-04-14.csv#L2715"]
    assert assess(ledger, "users-over-3bn", report_year=2019, population_source="un_wpp2022",
                  population_year=2019).verdict is Verdict.SELF_REPORTED
    share = assess(ledger, "users-over-3bn", report_year=2017)  # a share in words, not a count
    assert (share.verdict, share.measured_value) == (Verdict.NOT_CHECKABLE, "one-third of world population")
    none = assess(ledger, "users-over-3bn", report_year=2020)  # no row
    assert (none.verdict, none.measured_value) == (Verdict.NOT_CHECKABLE, None)


def test_users_without_a_world_population_are_not_checkable(ledger):
    missing = assess(ledger, "users-over-3bn", population_year=2019)
    assert missing.verdict is Verdict.NOT_CHECKABLE


def test_comparators_are_cited_rows():
    table = footprint.comparators_table()
    gsma = table[table["metric"] == "unique_mobile_subscribers_GSMA"]
    assert gsma["value"].tolist() == [5.1e9, 5.2e9]
    assert set(table["metric"]) == {"unique_mobile_subscribers_GSMA", "internet_users_ITU",
                                    "active_mobile_broadband_subscriptions_ITU"}


@pytest.mark.parametrize("source, vintage, year, derived", [
    ("world_bank", "2020-04-14", 2018, "derived: 3e9 / WB vintage 2020-04"),
    ("world_bank", "2023-05-04", 2018, "derived: 3e9 / WB vintage 2023-05"),
    ("world_bank", "2023-05-04", 2019, "derived: 3e9 / WB vintage 2023-05"),
    ("world_bank", "2026-03-06", 2018, "derived: 3e9 / WB vintage 2026-03"),
    ("world_bank", "2026-03-06", 2019, "derived: 3e9 / WB vintage 2026-03"),
    ("un_wpp2022", "WPP2022", 2018, "derived: 3e9 / WPP2022 (OpenClimate)"),
    ("un_wpp2022", "WPP2022", 2019, "derived: 3e9 / WPP2022 (OpenClimate)"),
    ("un_wpp2019", "WPP2019", 2019, "derived: 3e9 / WPP2019 rounded 7.7bn"),
])
def test_shares_match_the_derived_check_rows(source, vintage, year, derived):
    shares = footprint.share_table()
    row = shares[(shares["source"] == source) & (shares["vintage"] == vintage) & (shares["year"] == year)]
    check = facts.lookup("facts_population", metric="share_3e9_of_population_DERIVED", period=str(year),
                         source_title=derived)
    assert row["share_pct"].iloc[0] == pytest.approx(check.number() * 100, abs=0.006)


def test_share_verdict_moves_with_tolerance_source_and_year(ledger):
    a = assess(ledger, "users-share-40pct")
    assert (a.measured_value, a.verdict) == (39.5, Verdict.SELF_REPORTED)
    assert assess(ledger, "users-share-40pct", share_tolerance=1.0).verdict is Verdict.SELF_REPORTED
    tight = assess(ledger, "users-share-40pct", population_vintage="2026-03-06", population_year=2019,
                   share_tolerance=1.0)
    assert (tight.measured_value, tight.verdict) == (38.57, Verdict.NOT_SUPPORTED)
    jan = assess(ledger, "users-share-40pct", population_source="un_wpp2022", population_vintage="2026-03-06",
                 population_year=2019)  # the vintage is ignored for the UN sources
    assert (jan.measured_value, jan.verdict) == (38.84, Verdict.SELF_REPORTED)
    assert assess(ledger, "users-share-40pct", population_source="un_wpp2019",
                  population_year=2018).verdict is Verdict.NOT_CHECKABLE


def test_notebook_defaults_and_overrides(ledger):
    assert not hasattr(footprint, "METHODS")
    found = {a.claim_id: a for a in audit.assess_notebook("02_footprint_users", {}, ledger)}
    assert list(found) == ["countries-170-plus-operate", "track-record-30-years", "products-three-decades",
                           "countries-170-products-used", "users-over-3bn", "users-share-40pct"]
    assert {a.verdict for a in found.values()} == {Verdict.SELF_REPORTED}
    moved = {a.claim_id: a.verdict for a in audit.assess_notebook(
        "02_footprint_users", {"years_tolerance": 1.0, "share_tolerance": 1.0, "population_year": 2019,
                               "population_vintage": "2026-03-06"}, ledger)}
    assert moved["track-record-30-years"] is moved["users-share-40pct"] is Verdict.NOT_SUPPORTED
    assert moved["users-over-3bn"] is Verdict.SELF_REPORTED
    assert population.load_world_population() is population.load_world_population()  # cached
