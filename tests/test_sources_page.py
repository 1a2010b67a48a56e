"""The provenance page (analysis.report.sources_page) on rows made here: plain words in what a reader sees,
every file key, path and column name still there for a reviewer (attributes, typed commands, sources.csv)."""
import csv
import json
import re

import pytest
from test_plain_words import visible_identifiers

from analysis.claims.verdicts import Assessment, Source, Verdict
from analysis.data.manifest import load_manifest
from analysis.report import site
from analysis.report.sources_page import CSV_COLUMNS, write_sources_page

INFO = site.BuildInfo(date="2026-01-02T03:04:05Z", commit="0123456789abcdef0123456789abcdef01234567")
#: Fixture rows (not real data): a fact row with a snake_case metric and a source given only by its address, and
#: a Scoreboard row whose columns are code names and one of whose cells is an address.
FACTS = ("claim_id,entity,metric,period,value,unit,source_title,source_url,quote,notes\n"
         "a,Harbour,high_tide_height_NPA,1999-01,4.2,m,,https://news.example/tide-rises-again_1234567.html,"
         "The tide rose to 4.2 m,\n")
BOARD = "world_rank,company_name,report_url\n7,Harbour Ltd,https://reports.example/annual_report_1999.pdf\n"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("sources")
    raw = out / "raw"
    (raw / "rd_spending").mkdir(parents=True)
    (raw / "rd_spending" / "facts.csv").write_text(FACTS, encoding="utf-8")
    (raw / "rd_spending" / "SB2019_World2500.csv").write_text(BOARD, encoding="utf-8")
    cited = [Source("", "https://news.example/tide-rises-again_1234567.html", "data/raw/rd_spending/facts.csv#L2"),
             Source("board", "https://board.example", "data/raw/rd_spending/SB2019_World2500.csv#L2")]
    a = Assessment(claim_id="tide-claim", verdict=Verdict.SUPPORTED, measured_value=4.2, stated_value=4, unit="m",
                   rule="r", reason="r", vintage="v", sources=cited, parameters={})
    write_sources_page(out, site._environment(), info=INFO, variant=None, assessments=[a], manifest=load_manifest(),
                       raw_dir=raw, independence=lambda row: "")
    return out


def test_the_page_shows_no_identifier_to_a_reader(page):
    html = (page / "sources.html").read_text(encoding="utf-8")
    assert visible_identifiers(html) == []
    assert "Harbour, high tide height (National Police Agency), 1999-01" in html
    assert ">World rank</th>" in html and ">Company name</th>" in html
    assert ">Tide rises again (news.example)</a>" in html
    assert ">EU Industrial R&amp;D Investment Scoreboard, 2019 edition</a>" in html


def test_every_key_path_and_column_name_is_still_there_for_a_reviewer(page):
    html = (page / "sources.html").read_text(encoding="utf-8")
    assert 'id="facts_rd_spending-L2"' in html and 'id="scoreboard_2019-L2"' in html  # other pages link to these
    assert 'data-ref="data/raw/rd_spending/SB2019_World2500.csv#L2"' in html
    assert 'title="data/raw/rd_spending/SB2019_World2500.csv"' in html
    assert 'title="facts_rd_spending/Harbour/high_tide_height_NPA/1999-01"' in html
    assert all(f'title="{c}"' in html for c in ("world_rank", "company_name", "report_url"))
    assert 'href="https://reports.example/annual_report_1999.pdf"' in html
    for d in load_manifest().values():  # every dataset: its row, and the command that fetches it by key
        assert re.search(rf'<tr id="ds-{d.key}" data-key="{d.key}"', html)
        assert f"<kbd>python -m analysis fetch {d.key}</kbd>" in html


def test_the_table_of_cited_rows_names_files_lines_and_columns_as_the_files_do(page):
    html = (page / "sources.html").read_text(encoding="utf-8")
    assert 'href="sources.csv"' in html
    with open(page / "sources.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    board = next(r for r in rows if r["dataset"] == "scoreboard_2019")
    assert (board["anchor"], board["file"], board["line"]) == ("scoreboard_2019-L2", "rd_spending/SB2019_World2500.csv",
                                                               "2")
    assert json.loads(board["columns"]) == ["world_rank", "company_name", "report_url"]
    assert json.loads(board["cells"])[1] == "Harbour Ltd" and board["cited_by"] == "tide-claim"
    assert {r["anchor"] for r in rows} == {"scoreboard_2019-L2", "facts_rd_spending-L2"}
