"""CVE counts from the NVD feeds: parse rules, coverage, and the processed table, checked against the raw feeds
and the item counts stated in data/raw/incidents/PROVENANCE.md."""
import gzip
import json

import pytest
from conftest import require_raw

from analysis.data import manifest, nvd
from analysis.errors import DataSchemaError


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
                           frozenset({"alcatel", "alcatel-lucent", "lucent", "huawei", "huaweidevice", "sony_ericsson"}))
    assert nvd.vendors_of(record) == ["Huawei", "Nokia"]  # Alcatel-Lucent and Lucent count as Nokia


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
    assert per_year["Huawei"].tolist() == [14, 100, 252, 226, 99]  # 2019: 3 CVEs name only HiSilicon
    mix = nvd.severity_mix(["Huawei"], 1999, 2019)
    assert mix.loc["Huawei"].to_dict() == {"CRITICAL": 27, "HIGH": 291, "MEDIUM": 364, "LOW": 49, "UNSCORED": 0}
    assert nvd.count_at_or_above("Huawei", "HIGH", 1999, 2019) == 318
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
        if not rejected and any(f":{s}:" in text for s in ("huawei", "huaweidevice", "huawei_firmware", "hisilicon")):
            plain += 1
    summary = nvd.summarise_feed(2019, raw)
    assert sum(n for v, _, _, n in summary.vendor_counts if v == "Huawei") == plain == 101  # 98 + 3 HiSilicon-only


@pytest.mark.parametrize("decoder", nvd.DECODERS)
def test_malformed_feed_names_the_file_and_field(tmp_path, decoder):
    bad = tmp_path / "nvdcve-1.1-2099.json.gz"
    with gzip.open(bad, "wt") as fh:
        json.dump({"CVE_Items": [{"cve": {"CVE_data_meta": {"ID": "CVE-2099-1"}}, "impact": {}}]}, fh)
    with pytest.raises(DataSchemaError, match=r"nvdcve-1.1-2099.json.gz: CVE-2099-1 has no field 'publishedDate'"):
        nvd.parse_feed(bad, decoder)
    with gzip.open(bad, "wt") as fh:
        json.dump({"CVE_Items": [{"cve": {"CVE_data_meta": {}}}]}, fh)
    with pytest.raises(DataSchemaError, match=r"nvdcve-1.1-2099.json.gz: CVE item 0 has no field 'ID'"):
        nvd.parse_feed(bad, decoder)
    with gzip.open(bad, "wt") as fh:
        json.dump({"items": []}, fh)
    with pytest.raises(DataSchemaError, match=r"nvdcve-1.1-2099.json.gz: no 'CVE_Items' field"):
        nvd.parse_feed(bad, decoder)


def test_the_fast_decoder_keeps_only_the_fields_the_rules_read():
    raw = require_raw("nvd_cve_2017")
    document = nvd.decode_feed(raw / manifest.get("nvd_cve_2017").file, "msgspec")
    item = document["CVE_Items"][0]
    assert set(item) == {"cve", "publishedDate", "configurations", "impact"}  # no lastModifiedDate
    assert set(item["cve"]) == {"CVE_data_meta", "description"}  # no references, problemtype
    with pytest.raises(ValueError, match=r"unknown decoder 'ujson'; choose one of \['msgspec', 'json'\]"):
        nvd.decode_feed(raw / manifest.get("nvd_cve_2017").file, "ujson")


def test_a_value_of_an_unexpected_type_falls_back_to_the_json_decoder(tmp_path):
    feed = tmp_path / "nvdcve-1.1-2099.json.gz"
    item = {"cve": {"CVE_data_meta": {"ID": "CVE-2099-1"}, "description": {"description_data": []}},
            "publishedDate": "2099-01-02T00:00Z", "configurations": {"nodes": []},
            "impact": {"baseMetricV2": {"severity": "LOW"}, "baseMetricV3": {"cvssV3": {"baseSeverity": 7}}}}
    with gzip.open(feed, "wt") as fh:
        json.dump({"CVE_data_timestamp": "2099-01-03T00:00Z", "CVE_Items": [item]}, fh)
    assert nvd.parse_feed(feed, "msgspec") == nvd.parse_feed(feed, "json")
    assert nvd.parse_feed(feed)[1][0].severity == 7  # not re-typed: the json path's answer


@pytest.mark.parametrize("key", ["nvd_cve_2019", "nvd_cve_2018"])  # the zip feed and the largest .gz
def test_fast_and_reference_decoders_give_the_same_records(key):
    path = require_raw(key) / manifest.get(key).file
    fast, reference = nvd.parse_feed(path, "msgspec"), nvd.parse_feed(path, "json")
    assert fast == reference
    assert len(fast[1]) == {"nvd_cve_2019": 14480, "nvd_cve_2018": 16591}[key]


def test_parallel_and_serial_summaries_agree_with_the_reference():
    raw = require_raw(*[nvd.feed_key(y) for y in nvd.FEED_YEARS])
    fast_parallel = nvd.summarise_feeds(raw, decoder="msgspec", workers=2)
    assert [s.year for s in fast_parallel] == list(nvd.FEED_YEARS)
    assert sum(s.total for s in fast_parallel) == 150260
    assert fast_parallel == nvd.summarise_feeds(raw, decoder="msgspec", workers=1)
    assert fast_parallel == nvd.summarise_feeds(raw, decoder="json", workers=2)
