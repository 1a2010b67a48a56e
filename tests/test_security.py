"""Security record: timeline categories, response rule, and the two absence claims checked on the real data
(ledger → measure → judge)."""
import pytest

from analysis.claims import audit
from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Verdict
from analysis.data import security
from analysis.errors import DataSchemaError
from analysis.measures import MeasureError, incidents


@pytest.fixture(scope="module")
def ledger():
    return load_ledger()


@pytest.fixture(scope="module")
def timeline():
    return security.load_timeline()


def test_every_type_in_the_file_maps_to_one_of_the_four_categories(timeline):
    assert set(timeline["type"]) == set(security.CATEGORY_OF_TYPE)
    assert set(timeline["category"]) == set(security.CATEGORIES)
    assert timeline["category"].value_counts().to_dict() == {
        "government review": 8, "vulnerability finding": 3, "policy action": 3, "breach allegation": 2}
    hannigan = timeline[timeline["type"] == "expert statement"].iloc[0]
    assert (hannigan["line"], hannigan["category"]) == (9, "government review")


def test_timeline_dates_and_lines(timeline):
    assert len(timeline) == 16
    assert timeline["when"].min().strftime("%Y-%m-%d") == "2012-10-08"
    hcsec = timeline[timeline["line"] == 3].iloc[0]  # month precision: plotted on the 1st
    assert (hcsec["date"], hcsec["when"].strftime("%Y-%m-%d")) == ("2015-03", "2015-03-01")


def test_unknown_type_or_bad_date_is_a_schema_error_naming_file_and_column(tmp_path):
    text = security._manifest.get("incident_timeline").path.read_text(encoding="utf-8")
    bad = tmp_path / "timeline.csv"
    bad.write_text(text.replace(",breach allegation,", ",data leak,", 1), encoding="utf-8")
    with pytest.raises(DataSchemaError, match=r"timeline.csv: column 'type' has 'data leak'"):
        security.read_timeline(bad)
    bad.write_text(text.replace("2018-01-26,day", "2018-13-26,day", 1), encoding="utf-8")
    with pytest.raises(DataSchemaError, match=r"timeline.csv, line 6: column 'date' has '2018-13-26'"):
        security.read_timeline(bad)


def test_response_status_rule_on_the_real_rows(timeline):
    status = dict(zip(timeline["line"], timeline["response_status"]))
    assert status[6] == "denied"     # African Union: "completely unsubstantiated ... reject"
    assert status[15] == "denied"    # WSJ Uganda/Zambia: "rejected the allegations"
    assert status[12] == "denied"    # Vodafone: "report misleading"
    assert status[3] == "no denial recorded"  # HCSEC 2015: "Huawei welcomed the report"
    assert security.response_status("Huawei confirmed the intrusion") == "acknowledged"
    assert security.response_status("Huawei denied it but confirmed a test") == "denied"


def test_breach_allegations_by_year(timeline):
    assert security.breach_allegations(1999, 2019, timeline)["line"].tolist() == [6, 15]
    assert security.breach_allegations(2019, 2019, timeline)["line"].tolist() == [15]
    assert security.breach_allegations(2020, 2021, timeline).empty
    with pytest.raises(ValueError, match="first_year 2019 is after last_year 2018"):
        security.breach_allegations(2019, 2018, timeline)
    hacking = security.hacking_mentions(1999, 2019, timeline)
    assert hacking["line"].tolist() == [10]  # Huawei's own lawsuit: "US hacked its servers"


def test_sources_table_links_every_event(timeline):
    table = security.timeline_sources(timeline)
    assert len(table) == 16 and table["source_url"].str.startswith("http").all()


def assess(ledger, claim_id, **choices):
    claim = ledger.claim(claim_id)
    return audit.assess_claim(claim, {**claim.parameters, **choices})


def test_no_major_breach_defaults_to_not_checkable_and_cites_the_allegations(ledger):
    a = assess(ledger, "no-major-breach")
    assert (a.verdict, a.measured_value) == (Verdict.NOT_CHECKABLE, 0)
    # up to the end of 2018, the last full year before the op-ed: the WSJ allegation of August 2019 (line 15)
    # came after it was written
    assert [s.ref for s in a.sources] == ["data/raw/incidents/incident_timeline.csv#L6"]
    assert a.policies == ["absence"]


def test_no_major_breach_moves_with_the_definition(ledger):
    alleged = assess(ledger, "no-major-breach", major_breach_definition="alleged_breach")
    assert (alleged.verdict, alleged.measured_value) == (Verdict.CONFLICTING, 1)
    assert assess(ledger, "no-major-breach", major_breach_definition="alleged_breach", first_year=2020,
                  last_year=2021).verdict is Verdict.NOT_CHECKABLE
    cves = assess(ledger, "no-major-breach", major_breach_definition="critical_vulnerability")
    assert (cves.verdict, cves.measured_value) == (Verdict.NOT_SUPPORTED, 280)
    assert assess(ledger, "no-major-breach", major_breach_definition="critical_vulnerability",
                  severity_threshold="CRITICAL").measured_value == 24
    with pytest.raises(MeasureError, match="unknown definition 'hack'"):
        assess(ledger, "no-major-breach", major_breach_definition="hack")


def test_an_acknowledged_breach_makes_the_claim_not_supported(ledger, timeline, monkeypatch):
    edited = timeline.copy()
    edited.loc[edited["line"] == 6, "response_status"] = security.response_status("Huawei acknowledged the breach")
    monkeypatch.setattr(security, "load_timeline", lambda: edited)
    a = assess(ledger, "no-major-breach")
    assert (a.verdict, a.measured_value) == (Verdict.NOT_SUPPORTED, 1)
    assert assess(ledger, "no-major-breach", major_breach_definition="alleged_breach").verdict is \
        Verdict.NOT_SUPPORTED  # one of the two allegations is now acknowledged


def test_no_government_request_is_not_checkable_on_the_record(ledger):
    record = security.government_request_record(1999, 2019)
    assert record["kind"].tolist() == ["denial", "denial", "acknowledgement"]
    assert record["ref"].tolist() == [f"data/raw/incidents/facts.csv#L{n}" for n in (5, 6, 7)]
    assert security.transparency_report_citations() == []
    a = assess(ledger, "no-government-request")
    assert (a.verdict, a.measured_value) == (Verdict.NOT_CHECKABLE, 0)
    assert [s.ref for s in a.sources] == record["ref"].tolist()


def test_no_government_request_moves_with_the_request_scope(ledger, timeline, monkeypatch):
    a = assess(ledger, "no-government-request", request_scope="including_lawful")
    assert (a.verdict, a.measured_value) == (Verdict.CONFLICTING, 1)
    edited = timeline.copy()
    edited.loc[edited["line"] == 2, "what_was_claimed"] = "A government asked Huawei for customer records"
    monkeypatch.setattr(security, "load_timeline", lambda: edited)
    incidents._request_record.cache_clear()
    try:
        b = assess(ledger, "no-government-request")
        assert (b.verdict, b.measured_value) == (Verdict.NOT_SUPPORTED, 1)
    finally:
        incidents._request_record.cache_clear()


def test_notebook_defaults_reproduce_the_ledger_and_overrides_apply(ledger):
    verdicts = [a.verdict for a in audit.assess_notebook("03_security_record", {}, ledger)]
    assert verdicts == [Verdict.NOT_CHECKABLE, Verdict.NOT_CHECKABLE]
    changed = audit.assess_notebook("03_security_record", {"major_breach_definition": "alleged_breach",
                                                           "request_scope": "including_lawful"}, ledger)
    assert [a.verdict for a in changed] == [Verdict.CONFLICTING, Verdict.CONFLICTING]
