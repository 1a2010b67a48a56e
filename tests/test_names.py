"""Plain names (analysis.report.names): each rule on small inputs made here, then every name the data hold."""
import csv
from dataclasses import replace

import pytest
from test_plain_words import IDENTIFIER

from analysis import paths
from analysis.data.manifest import load_manifest
from analysis.report import names


def _dataset(key, publisher="A Publisher", note="", origin=""):
    """A fixture manifest entry (only the fields the names read matter)."""
    return replace(next(iter(load_manifest().values())), key=key, publisher=publisher, note=note, origin=origin)


def test_a_dataset_is_titled_by_the_pattern_its_key_matches():
    assert names.dataset_title(_dataset("scoreboard_2031")) == "EU Industrial R&D Investment Scoreboard, 2031 edition"
    assert names.dataset_title(_dataset("nist_cmvp_2030_01_02")).endswith("snapshot of 2030-01-02")
    assert names.dataset_title(_dataset("facts_rd_spending")) == "Facts gathered by hand: R&D spending"
    assert names.dataset_title(_dataset("facts_weather")) == "Facts gathered by hand: weather"


def test_a_dataset_no_pattern_knows_is_titled_by_its_publisher_and_note():
    entry = _dataset("tide_tables_1999", publisher="Harbour Office tides_1999.csv", note="hourly")
    assert names.dataset_title(entry) == "Harbour Office, hourly"
    assert names.dataset_title(replace(entry, note="")) == "Harbour Office"


def test_a_dataset_is_found_by_its_key_too():
    assert names.dataset_title("scoreboard_2019") == names.dataset_title(load_manifest()["scoreboard_2019"])
    with pytest.raises(Exception, match="no_such_key"):
        names.dataset_title("no_such_key")


def test_code_words_read_as_words_with_dates_abbreviations_and_overrides():
    assert names.metric_words("first_case_2014_05_26_le_2015_01") == "first case 2014-05-26 on or before 2015-01"
    assert names.metric_words("population_wpp2019") == "population UN World Population Prospects 2019"
    assert names.metric_words("company_claim_no_backdoor") == "the company's claim: no backdoor"
    assert names.metric_words("deaths_NPA_DERIVED") == "deaths (National Police Agency) (derived)"
    assert names.metric_words("staff_stayed_claim_company_source") == names.OVERRIDES["staff_stayed_claim_company_source"]
    assert names.metric_words("Rank in 2019 EU Scoreboard") == "Rank in 2019 EU Scoreboard"  # already words


def test_a_column_header_is_capitalised_words():
    assert names.column_header("vendor_name") == "Vendor name"
    assert names.column_header("cve_id") == "CVE ID"
    assert names.column_header("World rank") == "World rank"
    assert names.column_header("huawei_response") == "Huawei response"


def test_a_fact_row_is_labelled_by_its_own_columns():
    row = {"entity": "Harbour", "metric": "high_tide_height", "period": "1999-01", "value": "4.2", "unit": "m"}
    assert names.fact_label(row) == "Harbour, high tide height, 1999-01"
    assert names.fact_label({**row, "period": ""}) == "Harbour, high tide height"
    assert names.fact_label({}) == ""


def test_a_url_slug_reads_as_a_title_with_its_site():
    assert names.url_title("https://www.news.example/2019/03/tide-rises-again_123456.html") == \
        "Tide rises again (news.example)"
    assert names.url_title("https://news.example/?p=19638") == "news.example"
    assert names.url_title("https://news.example/a/12345678") == "news.example"


def test_publisher_and_origin_lose_their_file_names():
    assert names.publisher_name(_dataset("x", publisher="Portal certified_items.csv")) == "Portal"
    assert names.origin_words("owner/repo_name@0123456789abcdef0123:dir/file_name.csv") == \
        "GitHub repository owner/repo_name, commit 01234567"
    assert names.origin_words("see the notes") == "see the notes"


def _shows_no_identifier(text):
    return not IDENTIFIER.search(text)


def test_every_dataset_in_the_manifest_has_a_plain_title_publisher_and_origin():
    for entry in load_manifest().values():
        for text in (names.dataset_title(entry), names.publisher_name(entry), names.origin_words(entry.origin)):
            assert _shows_no_identifier(text), (entry.key, text)


def test_every_fact_metric_and_every_raw_column_cited_reads_as_words():
    metrics = set()
    for table in paths.RAW.glob("*/facts.csv"):
        with open(table, newline="", encoding="utf-8") as fh:
            metrics |= {row["metric"] for row in csv.DictReader(fh)}
    assert len(metrics) > 100
    assert [m for m in metrics if not _shows_no_identifier(names.metric_words(m))] == []
    from analysis.data.provenance import load_cited_rows

    columns = {c for row in load_cited_rows().values() for c in row["header"] or ()}
    assert [c for c in columns if not _shows_no_identifier(names.column_header(c))] == []
