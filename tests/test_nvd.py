"""CVE counts from the NVD feeds: parse rules, coverage, and the processed table, checked against the raw feeds
and the item counts stated in data/raw/incidents/PROVENANCE.md."""
import gzip
import json

import pytest

from analysis import manifest, nvd
from analysis.errors import DataSchemaError
from conftest import require_raw


def node(*uris, children=()):
    return {"cpe_match": [{"cpe23Uri": u} for u in uris], "children": list(children)}


def test_cpe_vendors_walks_children_and_keeps_a_o_h_parts_only():
    config = {"nodes": [node("cpe:2.3:o:huawei:vrp:-:*:*:*:*:*:*:*",
                             children=[node("cpe:2.3:h:cisco:asr:-:*:*:*:*:*:*:*",
                                            children=[node("cpe:2.3:a:apple:safari:1:*:*:*:*:*:*:*")])]),
                        node("cpe:2.3:x:notapart:thing:-:*:*:*:*:*:*:*")]}
    assert nvd.cpe_vendors(config) == {"huawei", "cisco", "apple"}
    assert nvd.cpe_vendors({"nodes": []}) == frozenset()


def test_severity_rule_prefers_v3_then_v2_then_unscored():
    both = {"baseMetricV3": {"cvssV3": {"baseSeverity": "CRITICAL"}}, "baseMetricV2": {"severity": "HIGH"}}
    assert nvd.severity_of(both) == "CRITICAL"
    assert nvd.severity_of({"baseMetricV2": {"severity": "MEDIUM"}}) == "MEDIUM"
    assert nvd.severity_of({}) == nvd.UNSCORED


def test_a_cve_counts_once_per_vendor_across_its_cpe_spellings():
    record = nvd.CveRecord("CVE-X", "2019-01-01", False, "HIGH",
                           frozenset({"alcatel", "alcatel-lucent", "huawei", "huaweidevice", "sony_ericsson"}))
    assert nvd.vendors_of(record) == ["Alcatel-Lucent", "Huawei"]


def test_severity_threshold_and_coverage_rules():
    assert nvd.at_or_above("CRITICAL") == ["CRITICAL"]
    assert nvd.at_or_above("LOW") == list(nvd.SEVERITIES)
    with pytest.raises(ValueError, match="unknown severity 'SEVERE'"):
        nvd.at_or_above("SEVERE")
    table = nvd.coverage_table(2016, 2021)
    assert dict(zip(table["published_year"], table["coverage"])) == {
        2016: "complete", 2017: "complete", 2018: "complete", 2019: "near-complete", 2020: "missing",
        2021: "partial"}
    assert nvd.published_year_coverage(1999) == "complete"


def test_coverage_table_matches_the_provenance_item_counts():
    coverage = nvd.load_cve_coverage()
    assert coverage["feed_year"].tolist() == list(nvd.FEED_YEARS)
    items = dict(zip(coverage["feed_year"], coverage["cves_total"]))
    # PROVENANCE.md: 2002: 6768 … 2018: 16591; 2021: 10660; 2019 (zip): 14480; 150,260 CVEs in all
    assert (items[2002], items[2018], items[2021], items[2019]) == (6768, 16591, 10660, 14480)
    assert coverage["cves_total"].sum() == 150260
    assert coverage["rejected"].sum() == 8902
    row = coverage[coverage["feed_year"] == 2019].iloc[0]
    assert (row["feed_timestamp"], row["published_last"]) == ("2020-03-01T08:00Z", "2020-02-28")


def test_processed_counts_cover_the_vendor_set_and_years():
    counts = nvd.load_cve_counts()
    assert sorted(counts["vendor"].unique()) == sorted(nvd.VENDORS)
    assert set(counts["severity"]) <= {*nvd.SEVERITIES, nvd.UNSCORED}
    assert (counts["cves"] > 0).all()
    assert not counts.duplicated(["vendor", "year", "severity"]).any()
    per_year = nvd.cves_per_year(["Huawei", "Cisco"], 2015, 2019)
    assert per_year["Huawei"].tolist() == [14, 100, 252, 226, 96]
    mix = nvd.severity_mix(["Huawei"], 1999, 2019)
    assert mix.loc["Huawei"].to_dict() == {"CRITICAL": 26, "HIGH": 289, "MEDIUM": 364, "LOW": 49, "UNSCORED": 0}
    assert nvd.count_at_or_above("Huawei", "HIGH", 1999, 2019) == 315
    with pytest.raises(ValueError, match=r"no CVE counts for vendor\(s\) \['Nokla'\]"):
        nvd.cves_per_year(["Nokla"], 2015, 2019)


def test_parse_2019_zip_feed_and_a_known_cve():
    raw = require_raw("nvd_cve_2019", "nvd_cve_2017")
    timestamp, records = nvd.parse_feed(raw / manifest.get("nvd_cve_2019").file)
    assert (timestamp, len(records), sum(r.rejected for r in records)) == ("2020-03-01T08:00Z", 14480, 808)
    path = raw / manifest.get("nvd_cve_2017").file
    _, records = nvd.parse_feed(path)
    cve = next(r for r in records if r.cve_id == "CVE-2017-17215")  # Huawei HG532 router flaw
    with gzip.open(path) as fh:
        item = next(i for i in json.load(fh)["CVE_Items"] if i["cve"]["CVE_data_meta"]["ID"] == "CVE-2017-17215")
    assert item["impact"]["baseMetricV2"]["severity"] == "MEDIUM"  # v2 says MEDIUM, v3 HIGH: v3 wins
    assert (cve.published, cve.severity, cve.cpe_vendors, cve.rejected) == ("2018-03-20", "HIGH", {"huawei"}, False)
    rejected = next(r for r in records if r.cve_id == "CVE-2017-0605")
    assert rejected.rejected and rejected.cpe_vendors == frozenset()


def test_feed_counts_agree_with_a_plain_count_of_the_raw_feed():
    raw = require_raw("nvd_cve_2019")
    with_zip = raw / manifest.get("nvd_cve_2019").file
    document = nvd.read_feed_json(with_zip)
    plain = 0
    for item in document["CVE_Items"]:
        text = json.dumps(item["configurations"])
        rejected = item["cve"]["description"]["description_data"][0]["value"].startswith("** REJECT **")
        if not rejected and (":huawei:" in text or ":huaweidevice:" in text or ":huawei_firmware:" in text):
            plain += 1
    summary = nvd.summarise_feed(2019, raw)
    assert sum(n for v, _, _, n in summary.vendor_counts if v == "Huawei") == plain == 98


def test_malformed_feed_names_the_file_and_field(tmp_path):
    bad = tmp_path / "nvdcve-1.1-2099.json.gz"
    with gzip.open(bad, "wt") as fh:
        json.dump({"CVE_Items": [{"cve": {"CVE_data_meta": {"ID": "CVE-2099-1"}}, "impact": {}}]}, fh)
    with pytest.raises(DataSchemaError, match=r"nvdcve-1.1-2099.json.gz: CVE-2099-1 has no field 'publishedDate'"):
        nvd.parse_feed(bad)
    with gzip.open(bad, "wt") as fh:
        json.dump({"items": []}, fh)
    with pytest.raises(DataSchemaError, match=r"nvdcve-1.1-2099.json.gz: no 'CVE_Items' field"):
        nvd.parse_feed(bad)
