"""Reproducible bytes: two builds of one commit with the same data write identical pages and exports.

The report's dates come from the commit (:func:`analysis.report.site.build_info`), never from the clock,
and nothing random reaches a page (papermill's injected cell gets a fixed id).  The test article
(a fixture, tests/fixtures/articles/rd-and-population-fixture) is built twice from scratch, without the
execution cache, into two folders (the first is the session's shared build, tests/conftest.py); every HTML, CSV and JSON-LD file must be the same byte for byte.
(The run records beside them, ``notebooks/*.cache.json``, keep timings and are not compared.)
"""
import json

from analysis import paths
from analysis.report import site
from analysis.report.runner import run

FIXTURE = paths.ROOT / "tests" / "fixtures" / "articles" / "rd-and-population-fixture"
EXPORTS = ("*.html", "*.csv", "*.jsonld")


def _files(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for pattern in EXPORTS for p in folder.rglob(pattern)}


def test_two_builds_of_one_commit_are_identical_byte_for_byte(fixture_article_report, tmp_path, monkeypatch):
    # the first build is the session's cold build of the test article (tests/conftest.py: the same
    # arguments, no SOURCE_DATE_EPOCH either), made earlier in another process or this one; the second is
    # made here, from scratch
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    result = run(article=FIXTURE, reports_dir=tmp_path / "second", use_cache=False, jobs=2, progress=False)
    assert result.ok, result.failures
    first, second = _files(fixture_article_report), _files(tmp_path / "second")
    assert {"index.html", "article.html", "sources.html", "scorecard.csv", "claimreview.jsonld"} <= set(first)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"these files differ between two builds of one commit: {differ}"
    date = site.build_info().date  # the commit's date, on the pages and in the ClaimReview records
    assert date in first["index.html"].decode("utf-8")
    reviews = json.loads(first["claimreview.jsonld"])
    assert reviews["@graph"] and all(r["datePublished"] == date[:10] or r["datePublished"] == date
                                     for r in reviews["@graph"])
