"""Security measures on small inputs made in the test: timeline counter-examples under a definition,
government requests on record under a scope, CVE counts; and the judge's absence policy on them."""
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from analysis import measures
from analysis.claims.judge import judge
from analysis.claims.verdicts import Verdict
from analysis.data import nvd, security
from analysis.measures import MeasureError, cves, incidents

NEVER = NS(id="fixture-never", stated=NS(value=0, comparator="none_exists", tolerance=None), caveats=(), limits=())


def verdict(m):
    return judge(NEVER, m).verdict


def _event(line, date, category, status, what="an event"):
    return {"line": line, "date": date, "when": pd.Timestamp(date), "event": f"event {line}", "category": category,
            "response_status": status, "what_was_claimed": what, "source_url": f"https://example.org/{line}"}


@pytest.fixture
def tiny_timeline(monkeypatch):
    """Four made-up events: two breach allegations in 2018 (one denied, one acknowledged), one in 2019
    with no response recorded, and a government review in 2019."""
    table = pd.DataFrame([_event(2, "2018-01-10", "breach allegation", "denied"),
                          _event(3, "2018-06-01", "breach allegation", "acknowledged"),
                          _event(4, "2019-03-05", "breach allegation", "no denial recorded"),
                          _event(5, "2019-07-01", "government review", "no denial recorded")])
    monkeypatch.setattr(security, "load_timeline", lambda: table)
    return table


def test_counter_examples_count_the_definition_in_the_years(tiny_timeline):
    alleged = incidents.counter_examples("alleged_breach", 2018, 2019)
    assert (alleged.value, alleged.details["disputed"], alleged.kind) == (3, 2, "cases")
    assert [s.ref.rsplit("#", 1)[1] for s in alleged.sources] == ["L2", "L3", "L4"]
    confirmed = incidents.counter_examples("confirmed_breach", 2018, 2019)
    assert (confirmed.value, confirmed.details["disputed"]) == (1, 0)
    # the definition in words, not its parameter value
    assert (alleged.unit, confirmed.unit) == ("breach allegations (denied or not)", "breach allegations (acknowledged)")
    assert confirmed.description.startswith("Definition: a breach allegation in the timeline that Huawei acknowledged")
    assert "confirmed_breach" not in confirmed.description + confirmed.unit


def test_the_absence_policy_on_timeline_counter_examples(tiny_timeline):
    # an acknowledged counter-example refutes the claim; allegations none of which is acknowledged conflict
    assert verdict(incidents.counter_examples("alleged_breach", 2018, 2019)) is Verdict.NOT_SUPPORTED
    assert verdict(incidents.counter_examples("confirmed_breach", 2018, 2018)) is Verdict.NOT_SUPPORTED
    only_2019 = incidents.counter_examples("alleged_breach", 2019, 2019)  # no response recorded: not acknowledged
    assert (only_2019.value, only_2019.details["disputed"], verdict(only_2019)) == (1, 1, Verdict.CONFLICTING)
    none = incidents.counter_examples("confirmed_breach", 2019, 2019)
    assert (none.value, verdict(none)) == (0, Verdict.NOT_CHECKABLE)


def test_counter_examples_of_an_empty_span_unknown_definition_or_reversed_years(tiny_timeline):
    empty = incidents.counter_examples("alleged_breach", 2020, 2021)
    assert (empty.value, empty.sources, verdict(empty)) == (0, (), Verdict.NOT_CHECKABLE)
    with pytest.raises(MeasureError, match="unknown definition 'hack'"):
        measures.measure({"measure": "incidents.counter_examples",
                          "args": {"definition": "hack", "first_year": 2018, "last_year": 2019}})
    with pytest.raises(ValueError, match="first_year 2019 is after last_year 2018"):
        incidents.counter_examples("alleged_breach", 2019, 2018)


@pytest.fixture
def tiny_counts(monkeypatch):
    """Made-up CVE counts: Acme 2018 (2 CRITICAL, 3 HIGH, 1 UNSCORED), 2019 (4 LOW); Other 2018 (9 HIGH)."""
    counts = pd.DataFrame({"vendor": ["Acme", "Acme", "Acme", "Acme", "Other"],
                           "year": [2018, 2018, 2018, 2019, 2018],
                           "severity": ["CRITICAL", "HIGH", "UNSCORED", "LOW", "HIGH"],
                           "cves": [2, 3, 1, 4, 9]})
    monkeypatch.setattr(nvd, "load_cve_counts", lambda: counts)
    measures.clear_cache()
    yield counts
    measures.clear_cache()


def test_cve_count_by_vendor_years_and_severity(tiny_counts):
    assert cves.cve_count("Acme", 2018, 2019, "CRITICAL").value == 2
    high = cves.cve_count("Acme", 2018, 2019, "HIGH")
    assert (high.value, high.kind, high.details["by_severity"]) == (5, "cases", {"CRITICAL": 2, "HIGH": 3})
    assert cves.cve_count("Acme", 2018, 2019).value == 9  # LOW: every scored CVE, not the unscored one
    assert cves.cve_count("Acme", 2019, 2019, "HIGH").value == 0  # a year with no CVE at that level
    assert cves.cve_count("Other", 2019, 2019).value == 0  # a vendor with no row in the years
    assert verdict(high) is Verdict.NOT_SUPPORTED  # a CVE is never disputed
    assert verdict(cves.cve_count("Acme", 2019, 2019, "HIGH")) is Verdict.NOT_CHECKABLE


def test_cve_count_names_the_feeds_and_the_incomplete_years(tiny_counts):
    m = cves.cve_count("Acme", 2018, 2019, "HIGH")
    assert m.sources[-1].ref.endswith("nvdcve-1.1-2019.json.zip") and len(m.sources) == 2019 - 2002 + 1
    assert m.caveats == ("published years not completely covered by the feeds: 2019 (near-complete)",)
    assert cves.cve_count("Acme", 2017, 2018).caveats == ()


def test_cve_count_errors(tiny_counts):
    with pytest.raises(LookupError, match="no CVE counts for vendor"):
        cves.cve_count("Nobody", 2018, 2019)
    with pytest.raises(ValueError, match="unknown severity 'SEVERE'"):
        cves.cve_count("Acme", 2018, 2019, "SEVERE")
    with pytest.raises(ValueError, match="first_year 2019 is after last_year 2018"):
        cves.cve_count("Acme", 2019, 2018)


def test_the_cve_definition_of_counter_examples_is_the_cve_count(tiny_counts):
    m = incidents.counter_examples("critical_vulnerability", 2018, 2019, "HIGH", vendor="Acme")
    assert (m.value, m.unit) == (5, "Acme CVEs ≥ HIGH")


def _record(*kinds):
    return pd.DataFrame([{"kind": k, "who": f"who {i}", "period": "2019", "what": f"{k} {i}",
                          "ref": f"fixture#L{i + 2}", "url": "https://example.org"} for i, k in enumerate(kinds)],
                        columns=["kind", "who", "period", "what", "ref", "url"])


@pytest.fixture
def request_record(monkeypatch):
    """Replace the request record with ``set(*kinds)`` (and no transparency report cited)."""
    def use(*kinds):
        monkeypatch.setattr(security, "government_request_record", lambda first, last: _record(*kinds))
        incidents._request_record.cache_clear()

    monkeypatch.setattr(security, "transparency_report_citations", lambda: [])
    incidents._transparency_citations.cache_clear()
    yield use
    incidents._request_record.cache_clear()
    incidents._transparency_citations.cache_clear()


def test_government_requests_under_each_scope(request_record):
    request_record("denial", "acknowledgement")
    narrow = incidents.government_requests("improper_only", 1999, 2019)
    assert (narrow.value, narrow.details["disputed"], verdict(narrow)) == (0, 0, Verdict.NOT_CHECKABLE)
    wide = incidents.government_requests("including_lawful", 1999, 2019)
    assert (wide.value, wide.details["disputed"], verdict(wide)) == (1, 1, Verdict.CONFLICTING)
    assert wide.self_reported and [s.ref for s in wide.sources] == ["fixture#L2", "fixture#L3"]
    assert wide.description.startswith("Reading: any government request for customer data counts, court-mandated")
    assert "facts_incidents" not in wide.vintage and "including_lawful" not in wide.description


def test_a_recorded_request_is_an_undisputed_counter_example(request_record):
    request_record("denial", "acknowledgement", "timeline request")
    for scope, found in (("improper_only", 1), ("including_lawful", 2)):
        m = incidents.government_requests(scope, 1999, 2019)
        assert (m.value, verdict(m)) == (found, Verdict.NOT_SUPPORTED)
        assert not m.self_reported


def test_government_requests_with_an_empty_record_or_unknown_scope(request_record):
    request_record()
    m = incidents.government_requests("including_lawful", 1999, 2019)
    assert (m.value, m.sources, verdict(m)) == (0, (), Verdict.NOT_CHECKABLE)
    with pytest.raises(LookupError, match="unknown scope 'all'"):
        incidents.government_requests("all", 1999, 2019)
