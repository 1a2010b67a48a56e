"""Measures on small inputs made in the test (fixture tables), and the registry."""
import pandas as pd
import pytest

from analysis import measures
from analysis.data import rd
from analysis.measures import MeasureError, Measurement, derived, money, scoreboard


def test_the_registry_finds_measures_and_names_the_known_ones_for_an_unknown_one():
    assert measures.find("scoreboard.rank").kind == "rank"
    assert "entity" in measures.find("scoreboard.rank").required
    with pytest.raises(MeasureError, match="unknown measure 'nope'; known measures: .*scoreboard.rank"):
        measures.find("nope")


def test_argument_problems_cover_nested_specs():
    spec = {"measure": "derived.share", "args": {"part": {"measure": "fact.value", "args": {}},
                                                  "whole": {"measure": "population.world", "args": {"x": 1}}}}
    problems = measures.argument_problems(spec)
    assert ("args.part", "measure 'fact.value' needs argument(s) fact") in problems
    assert any(field == "args.whole" and "'population.world' takes no argument(s) x" in why for field, why in problems)


@pytest.fixture
def tiny_board(monkeypatch):
    """A fixture Scoreboard: five companies, two tied at 2nd, in one made-up edition 2019."""
    board = pd.DataFrame({"edition": 2019, "company": ["ALPHA", "BETA CORP", "GAMMA", "DELTA", "HUAWEI X"],
                          "rd_eur_m": [100.0, 90.0, 90.0, 50.0, 40.0], "line": [2, 3, 4, 5, 6]})
    board["rank"] = board["rd_eur_m"].rank(ascending=False, method="min").astype(int)
    board["world_rank"] = [1, 2, 3, 4, 5]
    monkeypatch.setattr(rd, "load_scoreboard", lambda: board)
    scoreboard._row.cache_clear()
    yield board
    scoreboard._row.cache_clear()


def test_scoreboard_rank_shares_ties_and_keeps_the_published_rank(tiny_board):
    gamma = scoreboard.scoreboard_rank("Gamma", 2019)
    assert (gamma.value, gamma.details["world_rank"], gamma.kind) == (2, 3, "rank")
    assert "published World rank is 3" in gamma.description
    assert scoreboard.scoreboard_rank("Huawei", 2019).value == 5  # matched as a whole word at the start
    assert scoreboard.scoreboard_rd("Delta", 2019).value == 50.0


def test_scoreboard_rank_of_an_unknown_company_or_edition_is_an_error(tiny_board):
    with pytest.raises(LookupError, match="no company matches 'Omega'"):
        scoreboard.scoreboard_rank("Omega", 2019)
    with pytest.raises(ValueError, match="edition 1999 is not in the data"):
        scoreboard.scoreboard_rank("Alpha", 1999)


def test_currency_conversion_uses_the_chosen_rate(monkeypatch):
    rates = pd.DataFrame({"source": ["fed_g5a"], "year": [2019], "currency": ["CNY"], "per_usd": [7.0],
                          "published_as": ["7.0 CNY per USD"], "ref": ["fixture#L2"], "url": ["https://example.org"]})
    monkeypatch.setattr(rd, "load_fx", lambda: rates)
    m = money.to_usd_billion(Measurement(14000.0, "CNY million", "number", "fixture amount.", "v",
                                         self_reported=True), "fed_g5a", 2019)
    assert (m.value, m.self_reported, m.sources[-1].ref) == (2.0, True, "fixture#L2")
    assert m.description == "fixture amount. At 7.0 CNY per USD (Federal Reserve G.5A annual averages, 2019) that is US$2.00bn."
    with pytest.raises(LookupError, match="no CNY rate for 2018"):
        money.to_usd_billion(Measurement(1.0, "CNY million", "number", "", ""), "fed_g5a", 2018)
    with pytest.raises(LookupError, match="cannot convert unit 'GBP million'"):
        money.to_usd_billion(Measurement(1.0, "GBP million", "number", "", ""), "fed_g5a", 2019)


def test_share_and_years_since_inherit_self_reporting_and_missing_data():
    part = Measurement(3e9, "users", "number", "", "", self_reported=True)
    whole = Measurement(7.5e9, "persons", "number", "", "")
    assert (derived.share(part, whole).value, derived.share(part, whole).self_reported) == (40.0, True)
    gap = Measurement(None, "persons", "unavailable", "", "", missing="no 2019 figure")
    assert derived.share(part, gap).kind == "unavailable"
    assert derived.years_since(Measurement("1987-09-15", "date", "date", "", ""), 2019).value == 32


def test_a_measure_returning_another_kind_than_registered_is_an_error():
    @measures.register("fixture.wrong_kind", "rank")
    def wrong_kind() -> Measurement:
        return Measurement(1.0, "", "number", "", "")

    try:
        with pytest.raises(MeasureError, match="returned a 'number' value; it is registered as 'rank'"):
            measures.measure({"measure": "fixture.wrong_kind"})
    finally:
        measures._REGISTRY.pop("fixture.wrong_kind")


# --- facts, population, tolls: on fixture tables made here ---------------------------------------

@pytest.fixture
def tiny_facts(monkeypatch):
    """A fixture fact table (two rows: a company figure from its own site, a dated event from a newspaper)."""
    from analysis.data import facts

    rows = pd.DataFrame({
        "claim_id": ["x", "y"], "entity": ["Acme", "Town"], "metric": ["Widgets sold", "flood_date"],
        "period": ["2019", "2019-06-14"], "value": ["170+", "2019-06-14"], "unit": ["widgets", "date"],
        "source_title": ["Acme 2019 Annual Report", "The Daily Fixture"],
        "source_url": ["https://www.acme.example/report", "https://news.example.org/flood"],
        "quote": ["more than 170 widgets", "the river burst its banks on 14 June"], "notes": ["", ""],
        "line": [2, 3]})
    monkeypatch.setattr(facts, "load_facts", lambda table: rows)
    facts._ids.cache_clear()
    facts.by_id.cache_clear()
    yield rows
    facts._ids.cache_clear()
    facts.by_id.cache_clear()


def test_fact_value_reads_a_lower_bound_and_flags_the_claimants_own_row(tiny_facts):
    from analysis.measures import facts as fact_measures

    m = fact_measures.fact_value("facts_rd_spending/Acme/Widgets sold/2019", claimant="Acme")
    assert (m.value, m.details, m.self_reported) == (170.0, {"strict": True}, True)
    assert not fact_measures.fact_value("facts_rd_spending/Acme/Widgets sold/2019", claimant="Other").self_reported
    with pytest.raises(Exception, match="matches no row"):
        fact_measures.fact_value("facts_rd_spending/Acme/Widgets sold/2020")


def test_fact_date_to_the_claims_precision(tiny_facts):
    from analysis.measures import facts as fact_measures

    fid = "facts_rd_spending/Town/flood_date/2019-06-14"
    assert [fact_measures.fact_date(fid, p).value for p in ("year", "month", "day")] == ["2019", "2019-06", "2019-06-14"]


def test_world_population_of_a_missing_year_is_unavailable(monkeypatch):
    from analysis.data import population as pop_data
    from analysis.measures import population as pop

    table = pd.DataFrame({"source": ["world_bank"], "vintage": ["2020-04-14"], "year": [2018], "population": [7_500],
                          "basis": ["mid-year"], "file": ["fixture.csv"], "line": [2]})
    monkeypatch.setattr(pop_data, "load_world_population", lambda: table)
    monkeypatch.setattr(pop, "_source", lambda *a: measures.source("fixture", "https://example.org", "fixture.csv#L2"))
    pop._row.cache_clear()
    try:
        assert pop.world_population("world_bank", "2020-04-14", 2018).value == 7_500
        gap = pop.world_population("world_bank", "2020-04-14", 2019)
        assert gap.kind == "unavailable" and "no world population for 2019" in gap.missing
    finally:
        pop._row.cache_clear()


def test_event_toll_of_an_unknown_series_or_date_is_an_error():
    from analysis.measures import events

    with pytest.raises(LookupError, match="unknown toll series 'flood'"):
        events.event_toll("flood", "2018-03-01")
    with pytest.raises(LookupError, match="no tohoku_2011 figure dated '1999-01-01'"):
        events.event_toll("tohoku_2011", "1999-01-01")


def test_change_is_later_minus_earlier_in_one_unit_and_inherits_self_reporting():
    # fixture figures
    later = Measurement(120.0, "CNY million", "number", "", "2019", self_reported=True)
    earlier = Measurement(100.0, "CNY million", "number", "", "2018")
    up = derived.change(later, earlier)
    assert (up.value, up.unit, up.self_reported) == (20, "CNY million", True)
    assert derived.change(earlier, later).value == -20  # a fall is below 0: "increase" is not met
    with pytest.raises(ValueError, match="same unit"):
        derived.change(later, Measurement(1.0, "USD billion", "number", "", "2018"))
    gap = Measurement(None, "CNY million", "unavailable", "", "", missing="the earlier year")
    assert derived.change(later, gap).kind == "unavailable"
