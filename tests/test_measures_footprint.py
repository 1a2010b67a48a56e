"""Footprint measures on small inputs made in the test: a figure from an annual report of a year, and
the number of countries under a definition; and the judge's lower-bound and ceiling policies on them."""
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from analysis.claims.judge import judge
from analysis.claims.verdicts import Verdict
from analysis.data import facts, footprint
from analysis.measures import countries

_COLUMNS = ["claim_id", "entity", "metric", "period", "value", "unit", "source_title", "source_url", "quote",
            "notes"]


def _row(entity, period, value, unit, title="Acme 2018 Annual Report", url="https://acme.example/ar"):
    return [("x", entity, "countries", period, value, unit, title, url, f"we say {value}", "")]


@pytest.fixture
def tiny_reports(monkeypatch):
    """Made-up annual-report rows of 'countries' in the facts_events table: Acme 2017 "170+",
    2018 "175" (exact), 2019 "nearly 180" (no lower bound), 2020 twice (ambiguous), a row whose period
    is not a report year, and one of another company from a third-party source."""
    rows = (_row("Acme", "2017", "170+", "countries and regions")
            + _row("Acme", "2018 (annual report)", "175", "countries")
            + _row("Acme", "2019", "180", "countries (nearly)")
            + _row("Acme", "2020", "170+", "countries") + _row("Acme", "2020 (annual report)", "171", "countries")
            + _row("Acme", "2018-2019", "170", "countries")
            + _row("Bolt", "2018", "12", "countries", title="Trade press", url="https://press.example/bolt"))
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table["line"] = range(2, len(table) + 2)
    real = facts.load_facts
    monkeypatch.setattr(facts, "load_facts", lambda name: table if name == "facts_events" else real(name))
    countries._reports.cache_clear()
    yield table
    countries._reports.cache_clear()


def figure(entity, year):
    return countries.annual_report_figure("facts_events", entity, "countries", year)


def test_a_lower_bound_an_exact_figure_and_the_claimants_own_source(tiny_reports):
    bound = figure("Acme", 2017)
    assert (bound.value, bound.details, bound.kind, bound.self_reported) == (170.0, {"strict": True, "reported": "170+"}, "number", True)
    assert bound.sources[0].ref == "data/raw/events/facts.csv#L2"
    exact = figure("Acme", 2018)  # period "2018 (annual report)"
    assert (exact.value, exact.details) == (175.0, {})
    other = figure("Bolt", 2018)
    assert (other.value, other.self_reported) == (12.0, False)


def test_no_row_or_no_number_is_unavailable(tiny_reports):
    missing = figure("Acme", 2016)
    assert (missing.kind, missing.value, missing.sources) == ("unavailable", None, ())
    assert "2017, 2018, 2019, 2020" in missing.missing
    nearly = figure("Acme", 2019)
    assert (nearly.kind, nearly.value, nearly.sources[0].ref) == ("unavailable", "180",
                                                                  "data/raw/events/facts.csv#L4")
    assert figure("Nobody", 2018).kind == "unavailable"  # no row of the entity at all


def test_two_rows_for_one_report_year_are_an_error(tiny_reports):
    with pytest.raises(LookupError, match="2 'countries' rows of Acme for 2020"):
        figure("Acme", 2020)


def _claim(value, comparator):
    return NS(id="fixture", stated=NS(value=value, comparator=comparator, tolerance=None), caveats=(), limits=())


def test_the_judge_on_a_reported_lower_bound_and_a_ceiling(tiny_reports):
    bound, exact = figure("Acme", 2017), figure("Acme", 2018)
    un = countries.country_count("un_members")
    assert judge(_claim(170, "more_than"), bound, ceiling=un).verdict is Verdict.SELF_REPORTED
    assert judge(_claim(171, "at_least"), bound, ceiling=un).verdict is Verdict.NOT_CHECKABLE  # a bound cannot refute
    assert judge(_claim(175, "more_than"), exact, ceiling=un).verdict is Verdict.NOT_SUPPORTED
    assert judge(_claim(175, "at_least"), exact, ceiling=un).verdict is Verdict.SELF_REPORTED
    over = judge(_claim(200, "at_least"), bound.with_(value=250.0), ceiling=un)
    assert over.verdict is Verdict.NOT_SUPPORTED  # 250+ implies "at least 200", but 200 > 193 UN members
    assert judge(_claim(170, "at_least"), figure("Acme", 2019)).verdict is Verdict.NOT_CHECKABLE


def test_country_count_under_each_definition():
    un, iso = countries.country_count("un_members"), countries.country_count("iso3166")
    assert (un.value, un.unit, un.kind) == (193, "UN member states", "number")
    assert un.sources[0].ref == facts.lookup("facts_population", entity="UN", metric="member_states").ref
    assert iso.value == 249 and iso.unit.startswith("ISO 3166-1 entries")
    with pytest.raises(ValueError, match="unknown country definition 'g20'"):
        countries.country_count("g20")


def test_country_count_reads_the_cited_row(monkeypatch):
    made_up = facts.Fact("facts_population", 39, "UN", "member_states", "since 2030-01-01", "200", "states",
                         "fixture", "https://example.org", "")
    monkeypatch.setattr(footprint, "un_member_fact", lambda: made_up)
    countries._denominator.cache_clear()
    try:
        assert countries.country_count("un_members").value == 200
    finally:
        countries._denominator.cache_clear()
