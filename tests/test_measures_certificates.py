"""Certificate measures on tiny registries made in the test: counts, highest levels, and the comparison
with a reference level (scale maximum, industry best, peer best)."""
import pandas as pd
import pytest

from analysis.data import certifications
from analysis.measures import certificates

CLAIMED_EAL5 = "facts_certifications/Huawei/cc_claims_in_huawei_annual_report/as of 2019-12-31 (report period)"


@pytest.fixture
def tiny_registries(monkeypatch):
    """Made-up registries: CMVP (Huawei levels 1 and 2, Cisco two level-3 certificates on different
    days, Apple level 1), two CC reports (Huawei EAL3 in 2016, EAL4 in 2020), one active-list
    certificate (Samsung EAL5, 2015), and the per-year level table of every vendor (a level 4 in 2010)."""
    cmvp = pd.DataFrame({
        "certificate_number": [10, 11, 12, 13, 14],
        "vendor": ["Huawei", "Huawei", "Cisco", "Cisco", "Apple"],
        "overall_level": [1, 2, 3, 3, 1],
        "first_validation_date": ["2015-01-10", "2017-05-01", "2012-03-01", "2011-07-01", "2016-02-02"],
        "initial_lab": ["LAB A", "LAB B", "LAB A", "LAB C", "LAB A"],
        "line": [20, 21, 22, 23, 24]})
    reports = pd.DataFrame({
        "vendor": ["Huawei", "Huawei"], "eal": pd.array([3, 4], dtype="Int64"),
        "document_date": ["2016-06-01", "2020-01-01"], "line": [2, 3],
        "certification_body": ["SERTIT", "CCN"], "report_id": ["R-1", "R-2"],
        "source_url": ["https://example.org/r1", "https://example.org/r2"]})
    active = pd.DataFrame({
        "vendor": ["Samsung"], "eal": pd.array([5], dtype="Int64"), "certification_date": ["2015-09-09"],
        "line": [7], "scheme": ["KR"], "product": ["chip"]})
    levels = pd.DataFrame({"registry": ["cmvp", "cmvp", "cc_active"], "year": [2010, 2011, 2015],
                           "level": [4, 3, 5], "certificates": [1, 1, 1],
                           "first_date": ["2010-04-04", "2011-07-01", "2015-09-09"]})
    monkeypatch.setattr(certifications, "load_cmvp", lambda: cmvp)
    monkeypatch.setattr(certifications, "load_cc_reports", lambda: reports)
    monkeypatch.setattr(certifications, "load_cc_active", lambda: active)
    monkeypatch.setattr(certifications, "load_levels", lambda: levels)
    monkeypatch.setattr(certifications, "CMVP_MISSING", {})  # the made-up CMVP misses no number
    monkeypatch.setattr(certifications, "fips_scale_maximum", lambda: 4)
    certificates._certificates.cache_clear()
    yield
    certificates._certificates.cache_clear()


def test_count_adds_registries_and_marks_a_subset_as_a_lower_bound(tiny_registries):
    m = certificates.certificate_count("Huawei", ["cmvp", "cc_reports"], "2018-12-31")
    assert (m.value, m.details["by_registry"], m.details["lower_bound"]) == (3, {"cmvp": 2, "cc_reports": 1}, True)
    assert m.details["labs"] == ["LAB A", "LAB B", "SERTIT"]
    # the complete registry is cited as a file, the subset by the rows counted
    assert [s.ref.rsplit("/", 1)[-1] for s in m.sources] == ["nist_cmvp_validated_modules_2026-04-15.csv",
                                                             "cc_certification_reports_seen.csv#L2"]
    complete = certificates.certificate_count("Huawei", "cmvp", "2018-12-31")
    assert complete.value == 2 and "lower_bound" not in complete.details


def test_count_is_zero_before_the_first_certificate_and_for_a_vendor_without_any(tiny_registries):
    assert certificates.certificate_count("Huawei", ["cmvp", "cc_reports"], "2014-12-31").value == 0
    assert certificates.certificate_count("ZTE", ["cmvp"], "2018-12-31").value == 0


def test_count_rejects_unknown_registries_vendors_and_dates(tiny_registries):
    with pytest.raises(LookupError, match="unknown or no registry \\['fips'\\]"):
        certificates.certificate_count("Huawei", ["fips"], "2018-12-31")
    with pytest.raises(LookupError, match="unknown vendor 'Nokla'"):
        certificates.certificate_count("Nokla", ["cmvp"], "2018-12-31")
    with pytest.raises(ValueError, match="cutoff_date must be an ISO date"):
        certificates.certificate_count("Huawei", ["cmvp"], "2018")


def test_highest_level_cites_the_earliest_certificate_of_a_tied_top_level(tiny_registries):
    cisco = certificates.highest_level("Cisco", ["cmvp"], "2018-12-31")
    assert (cisco.value, cisco.sources[0].ref.rsplit("#", 1)[-1]) == (3, "L23")  # 2011 before 2012
    assert certificates.highest_level("Huawei", ["cmvp"], "2016-12-31").value == 1  # level 2 came in 2017
    assert certificates.highest_level("Huawei", ["cmvp"], "2014-12-31").value == 0
    cc = certificates.highest_level("Huawei", ["cc_reports", "cc_active"], "2018-12-31")
    assert (cc.value, cc.details) == (3, {"lower_bound": True})


def test_highest_level_of_any_vendor_reads_the_whole_registry(tiny_registries):
    assert certificates.highest_level("any", ["cmvp"], "2018-12-31").value == 4   # from the per-year table
    assert certificates.highest_level("any", ["cmvp"], "2009-12-31").value == 0
    assert certificates.highest_level("any", ["cc_reports", "cc_active"], "2018-12-31").value == 5


def test_comparison_with_the_scale_maximum(tiny_registries):
    m = certificates.reference_comparison("Huawei", "2018-12-31", "scale_maximum",
                                          claimed={"Common Criteria": CLAIMED_EAL5})
    assert m.value == (("FIPS 140 level 2 vs 4", "others only"),
                       ("CC EAL3 (best case EAL5) vs EAL7", "others only"))
    assert m.details["comparison"] == "FIPS 140 level 2 vs 4; CC EAL3 (best case EAL5) vs EAL7"
    assert m.caveats == ()


def test_comparison_with_the_best_of_the_peers(tiny_registries):
    m = certificates.reference_comparison("Huawei", "2018-12-31", "peer_best", ["Apple", "Samsung"],
                                          {"Common Criteria": CLAIMED_EAL5})
    # FIPS: Apple's level 1 (complete registry: exact) is reached; CC: Samsung's EAL5 is a lower bound
    # and Huawei's best case (its claimed EAL5) is not below it, so the scale is not decided
    assert m.value == (("FIPS 140 level 2 vs 1", "independent"),
                       ("CC EAL3 (best case EAL5) vs ≥ EAL5 (lower bound)", "undocumented"))
    assert m.caveats == ()
    below = certificates.reference_comparison("Apple", "2018-12-31", "peer_best", ["Apple", "ZTE", "Huawei"])
    assert below.value[0] == ("FIPS 140 level 1 vs 2", "others only")  # the vendor itself is not its own peer
    none = certificates.reference_comparison("Huawei", "2018-12-31", "peer_best", ["Juniper", "Ericsson"])
    assert none.value[0] == ("FIPS 140 level 2 vs no certificate seen", "independent")


def test_industry_best_reads_every_vendor(tiny_registries):
    assert certificates.reference_comparison("Cisco", "2018-12-31", "industry_best").value[0] == (
        "FIPS 140 level 3 vs 4", "others only")
    # before Cisco's first certificate: level 0 against the 2010 level 4
    assert certificates.reference_comparison("Cisco", "2010-12-31", "industry_best").value[0] == (
        "FIPS 140 level 0 vs 4", "others only")


def test_a_tie_with_the_reference_is_a_caveat(tiny_registries, monkeypatch):
    cmvp = certifications.load_cmvp()
    monkeypatch.setattr(certifications, "load_cmvp", lambda: cmvp.assign(overall_level=[1, 2, 2, 2, 1]))
    certificates._certificates.cache_clear()
    equal = certificates.reference_comparison("Huawei", "2018-12-31", "peer_best", ["Cisco"])
    assert equal.value[0] == ("FIPS 140 level 2 vs 2", "independent")
    assert equal.caveats == ("on FIPS 140 Huawei equals the reference level, it does not exceed it",)


def test_without_a_claimed_level_an_incomplete_scale_cannot_be_below(tiny_registries):
    m = certificates.reference_comparison("Huawei", "2018-12-31", "scale_maximum")
    # CC: EAL3 from a subset; without the vendor's own claim its best case is unknown, so EAL7 is not decided
    assert m.value[1] == ("CC EAL3 vs EAL7", "undocumented")
    assert m.details["scales"]["Common Criteria"]["best_case"] is None


def test_comparison_argument_errors(tiny_registries):
    with pytest.raises(ValueError, match="unknown reference 'best'"):
        certificates.reference_comparison("Huawei", "2018-12-31", "best")
    with pytest.raises(ValueError, match="peer_best needs at least one peer"):
        certificates.reference_comparison("Huawei", "2018-12-31", "peer_best", ["Huawei"])
    with pytest.raises(LookupError, match="unknown scale"):
        certificates.reference_comparison("Huawei", "2018-12-31", claimed={"ISO 27001": CLAIMED_EAL5})


def test_a_missing_cmvp_number_makes_fips_figures_lower_bounds(tiny_registries, monkeypatch):
    # made-up gap: one certificate number missing whose listed neighbour below dates from 2016-01-01
    monkeypatch.setattr(certifications, "CMVP_MISSING", {15: "2016-01-01"})
    before = certificates.reference_comparison("Huawei", "2015-12-31", "scale_maximum")
    assert before.value[0] == ("FIPS 140 level 1 vs 4", "others only") and before.caveats == ()
    after = certificates.reference_comparison("Huawei", "2018-12-31", "scale_maximum")
    # the missing certificate could be a Huawei level 4, so "below the top" is no longer decided
    assert after.value[0] == ("FIPS 140 level 2 vs 4", "undocumented")
    assert after.details["scales"]["FIPS 140"]["best_case"] is None
    assert any("15" in c and "lower bounds" in c for c in after.caveats)
    count = certificates.certificate_count("Huawei", ["cmvp"], "2018-12-31")
    assert count.value == 2 and count.details["lower_bound"] is True
