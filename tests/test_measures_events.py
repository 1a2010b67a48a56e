"""Event measures on small inputs made in the test: an outbreak's date range under chosen definitions,
and the evidence on each part of a qualitative claim from cited rows."""
from types import SimpleNamespace

import pytest

from analysis.claims.judge import evidence_verdict
from analysis.claims.verdicts import Source
from analysis.data import facts
from analysis.measures import events as event_measures
from analysis.measures import evidence


def _dated(date):
    return date, Source(label=f"row dated {date}", url="https://example.org", ref=f"fixture#{date}")


@pytest.fixture
def tiny_outbreak(monkeypatch):
    """A made-up outbreak: starts "a" (2014-05-26) and "b" (2014-03-25), a series start per series
    ("x": 2014-05-27, "y": 2013-12-30), ends "early" (2015-11-07) and "late" (2016-03-17); "a" and "late"
    have names in words, the others not."""
    series_start = {"x": "2014-05-27", "y": "2013-12-30"}
    module = SimpleNamespace(
        START_DEFINITIONS=("a", "b", "series"), END_DEFINITIONS=("early", "late"),
        SERIES={"x": ("", "series x"), "y": ("", "series y")},
        DEFINITION_NAMES={"a": "the first case", "late": "the late end"},
        outbreak_start=lambda d, s: _dated({"a": "2014-05-26", "b": "2014-03-25", "series": series_start[s]}[d]),
        outbreak_end=lambda d: _dated({"early": "2015-11-07", "late": "2016-03-17"}[d]))
    monkeypatch.setitem(event_measures.OUTBREAKS, "fixture", ("A fixture outbreak", module))
    event_measures._outbreak_dates.cache_clear()
    yield module
    event_measures._outbreak_dates.cache_clear()


def test_outbreak_range_under_the_chosen_definitions(tiny_outbreak):
    m = event_measures.outbreak_range("fixture", "a", "late", "x")
    assert (m.value, m.kind, m.vintage) == ("2014-05-26/2016-03-17", "range", "cited rows; series x")
    assert [s.ref for s in m.sources] == ["fixture#2014-05-26", "fixture#2016-03-17"]
    assert m.details == {"start_dates": {"a": "2014-05-26", "b": "2014-03-25", "series": "2014-05-27"},
                         "end_dates": {"early": "2015-11-07", "late": "2016-03-17"}}
    # definitions in words where the module names them, else as their parameter value
    assert m.description == ("A fixture outbreak: first date 2014-05-26 (the first case), "
                             "last date 2016-03-17 (the late end).")
    # only a definition that moves a year is a caveat (the other starts are in 2014 too)
    assert m.caveats == ("another definition gives another year: early as the end (2015-11-07)",)


def test_outbreak_range_names_every_definition_that_moves_a_year(tiny_outbreak):
    m = event_measures.outbreak_range("fixture", "a", "early", "y")
    assert m.value == "2014-05-26/2015-11-07"
    assert m.caveats == ("another definition gives another year: series as the start (2013-12-30), "
                         "the late end as the end (2016-03-17)",)


def test_outbreak_range_errors_name_the_known_choices(tiny_outbreak):
    with pytest.raises(LookupError, match="unknown start definition 'c'; known: a, b, series"):
        event_measures.outbreak_range("fixture", "c", "late", "x")
    with pytest.raises(LookupError, match="unknown series 'z'; known: x, y"):
        event_measures.outbreak_range("fixture", "a", "late", "z")
    with pytest.raises(LookupError, match="unknown outbreak 'flu'"):
        event_measures.outbreak_range("flu", "a", "late")


def _fact(entity, metric, url, title="A page"):
    return facts.Fact(table="facts_events", line=len(metric), entity=entity, metric=metric, period="2018",
                      value=f"{entity} did {metric}", unit="qualitative", source_title=title, source_url=url,
                      quote="…")


@pytest.fixture
def tiny_rows(monkeypatch):
    """Cited rows by id: the company's own account, an independent report crediting it, an independent
    report crediting another provider, the company's own row about another provider, and a context row."""
    rows = {
        "own": _fact("Acme", "own_account", "https://www.acme.com/story"),
        "press": _fact("Acme", "press_report", "https://news.example.org/acme"),
        "other": _fact("Telco", "other_provider", "https://news.example.org/telco"),
        "own-other": _fact("Telco", "acme_says_telco", "https://acme.com/partners"),
        "annual": _fact("Acme", "annual_report_claim", "https://mirror.example.org/p66", "Acme annual report 2019"),
        "context": _fact("Rival", "left_country", "https://news.example.org/rival"),
    }
    monkeypatch.setattr(facts, "by_id", lambda fact_id: rows[fact_id])
    return rows


def test_each_part_gets_its_status_from_who_credits_whom(tiny_rows):
    m = evidence.evidence_parts("Acme", [
        {"part": "independent", "facts": ["own", "press"]},
        {"part": "contested", "facts": ["own", "other"]},
        {"part": "self-reported", "facts": ["own", "annual"]},   # an annual report is the claimant's own too
        {"part": "others", "facts": ["other"]},
        {"part": "none", "facts": []},
        {"part": "own rows on others only", "facts": ["own-other"]},
    ])
    assert m.value == (("independent", "independent"), ("contested", "contested"),
                       ("self-reported", "self-reported only"), ("others", "others only"),
                       ("none", "undocumented"), ("own rows on others only", "undocumented"))
    assert evidence_verdict(s for _, s in m.value).value == "conflicting"


def test_context_rows_are_cited_and_shown_but_not_counted(tiny_rows):
    m = evidence.evidence_parts("Acme", [{"part": "stayed", "facts": ["own"]}], context=["context"])
    assert m.value == (("stayed", "self-reported only"),)
    assert [r["part"] for r in m.details["rows"]] == ["stayed", "context"]
    assert [s.url for s in m.sources] == ["https://www.acme.com/story", "https://news.example.org/rival"]
    assert m.vintage == "cited rows in data/raw/events/facts.csv"


def test_a_part_without_rows_is_shown_as_such(tiny_rows):
    m = evidence.evidence_parts("Acme", [{"part": "stayed behind"}])
    assert m.value == (("stayed behind", "undocumented"),)
    assert m.details["rows"][0]["what"] == "(no cited row)" and m.sources == () and m.vintage == "no cited row"


def test_the_claimant_decides_whose_sources_are_own(tiny_rows):
    # a claim about Telco made by Acme: Acme's page crediting Telco is Acme's own, not independent
    m = evidence.evidence_parts("Telco", [{"part": "p", "facts": ["own-other"]}], claimant="Acme")
    assert m.value == (("p", "self-reported only"),)
    assert evidence.evidence_parts("Telco", [{"part": "p", "facts": ["own-other"]}]).value == (("p", "independent"),)


def test_part_status_rules():
    assert evidence.part_status([(True, False)]) == "independent"
    assert evidence.part_status([(True, True), (False, False)]) == "contested"
    assert evidence.part_status([(True, True)]) == "self-reported only"
    assert evidence.part_status([(False, False)]) == "others only"
    assert evidence.part_status([]) == "undocumented"
