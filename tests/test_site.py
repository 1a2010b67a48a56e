"""The reviewer's site: provenance of each number, the ClaimReview export, escaping, page structure.

The browser checks (rendering, filters, links, console) are in test_browser.py.
"""
import json
import re

import pandas as pd
import pytest

from analysis import paths
from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Assessment, Source, Verdict
from analysis.data import facts, provenance
from analysis.report import claimreview, site
from analysis.report.scorecard import build_scorecard

MARKUP = "<script>alert(1)</script> <b>bold</b>"
INFO = site.BuildInfo(date="2026-01-02T03:04:05Z", commit="0123456789abcdef0123456789abcdef01234567")


@pytest.fixture(scope="module")
def ledger():
    return load_ledger()


# --- provenance ---------------------------------------------------------------------------------

def test_ref_maps_to_its_dataset_and_row_anchor():
    assert provenance.parse_ref("data/raw/rd_spending/SB2019_World2500.csv#L6") == ("rd_spending/SB2019_World2500.csv", 6)
    assert provenance.anchor("data/raw/rd_spending/SB2019_World2500.csv#L6") == "scoreboard_2019-L6"
    assert provenance.anchor("data/raw/certifications/facts.csv#L3") == "facts_certifications-L3"
    assert provenance.anchor("data/raw/elsewhere/x y.csv#L2") == "ref-elsewhere-x-y-csv-L2"
    with pytest.raises(ValueError, match="not a data reference 'reports/x.csv'"):
        provenance.parse_ref("reports/x.csv")


def test_read_row_gives_the_row_that_facts_lookup_cites():
    fact = facts.lookup("facts_rd_spending", entity="Huawei", metric="Research and development expenses",
                        period="2019")
    file, line = provenance.parse_ref(fact.ref)
    header, cells = provenance.read_row(paths.RAW / file, line)
    row = dict(zip(header, cells))
    assert (row["value"], row["unit"], row["source_url"]) == (fact.value, fact.unit, fact.source_url)
    assert provenance.read_row(paths.RAW / file, 10_000) is None
    assert provenance.read_row(paths.RAW / "nowhere.csv", 2) is None


def test_read_row_of_a_text_file_is_its_line():
    assert provenance.read_row(paths.DEFAULT_ARTICLE / "article.txt", 3) == (
        None, ["Huawei is not spying on customers, Mrs Joy Tan assures."])


def test_cited_rows_are_distinct_ordered_and_say_who_cites_them(tmp_path):
    (tmp_path / "rd_spending").mkdir()
    (tmp_path / "rd_spending" / "facts.csv").write_text(
        "entity,value,quote,source_url\nA,1,q1,http://a\nB,2,q2,http://b\n", encoding="utf-8")
    fact2 = Source("fact two", "http://b", "data/raw/rd_spending/facts.csv#L3")
    absent = Source("board", "http://board", "data/raw/rd_spending/SB2019_World2500.csv#L6")
    one = _assessment("c1", sources=[fact2, absent])
    two = _assessment("c2", sources=[fact2, Source("fact one", "http://a", "data/raw/rd_spending/facts.csv#L2")])
    rows = provenance.cited_rows([one, two], raw_dir=tmp_path, table={})  # no committed copy of the board's row
    # manifest order: the Scoreboard editions come before the fact tables
    assert [r.anchor for r in rows] == ["scoreboard_2019-L6", "facts_rd_spending-L2", "facts_rd_spending-L3"]
    board, first, second = rows
    assert not board.available and board.dataset.key == "scoreboard_2019"
    assert second.cited_by == ["c1", "c2"] and second.is_fact and second.fields["quote"] == "q2"
    assert [d.key for d in provenance.datasets_cited([one, two])] == ["scoreboard_2019", "facts_rd_spending"]


# --- helpers ------------------------------------------------------------------------------------

def _assessment(claim_id, verdict=Verdict.SUPPORTED, reason="It holds.", sources=()):
    return Assessment(claim_id=claim_id, verdict=verdict, measured_value=5, stated_value=5, unit="rank",
                      rule="rank 5 ≤ 5", reason=reason, vintage="v", sources=list(sources), parameters={})


def test_badges_pair_every_verdict_with_an_icon_and_a_label():
    looks = [site.badge(v.value) for v in Verdict] + [site.badge(site.FAILED)]
    assert len({b["icon"] for b in looks}) == len(looks)
    assert len({b["colour"] for b in looks}) == len(looks)
    assert site.badge("supported with caveats")["slug"] == "supported-with-caveats"


def test_parameter_rows_show_labels_and_keep_the_value_to_type(ledger):
    """A notebook header names a parameter and its values by the ledger's labels; what a reader types stays exact."""
    rows = {r["name"]: r for r in site._parameter_rows(ledger.notebooks["01_rd_spending"], {"fx_source": "fred_datahub"})}
    fx = rows["fx_source"]
    assert (fx["label"], fx["shown"], fx["default_shown"], fx["typed"], fx["changed"]) == (
        "exchange-rate source", "FRED series (datahub.io copy)", "Federal Reserve G.5A release", "fred_datahub", True)
    assert (rows["fx_year"]["shown"], rows["edition"]["label"]) == ("2019", "Scoreboard edition")
    vendors = {r["name"]: r for r in site._parameter_rows(ledger.notebooks["03_security_record"], {})}["vendors"]
    assert vendors["typed"] == "Huawei,Cisco,Juniper,Nokia,Ericsson,ZTE,Samsung,Apple"


def test_one_line_reason_splits_at_the_first_sentence_only():
    assert site.one_line("Huawei's report gives CNY 131,659m; so it holds. Caveat: self-reported.") == (
        "Huawei's report gives CNY 131,659m; so it holds.", "Caveat: self-reported.")
    assert site.one_line("") == ("", "")


def test_build_info_names_a_commit_and_a_utc_date():
    info = site.build_info()
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", info.commit)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info.date)


def test_build_date_is_the_commit_date_unless_source_date_epoch_is_set(tmp_path):
    import subprocess

    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_COMMITTER_DATE": "2025-03-04T05:06:07Z", "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "x"], check=True, env=env)
    info = site.build_info(tmp_path, environ={})
    assert (info.date, info.dated_by, info.dirty) == ("2025-03-04T05:06:07Z", "the commit", False)
    assert site.build_info(tmp_path, environ={"SOURCE_DATE_EPOCH": "86400"}).date == "1970-01-02T00:00:00Z"
    assert site.build_info(tmp_path, environ={}) == info  # the same at every build
    assert site.build_info(tmp_path / "nowhere", environ={}).dated_by == "the build time"


# --- ClaimReview --------------------------------------------------------------------------------

def test_claimreview_has_one_review_per_checked_claim_with_its_rating(ledger):
    a = _assessment("rd-top-five-2018", sources=[Source("Scoreboard", "http://sb", "")])
    table = build_scorecard(ledger, [a])
    doc = claimreview.claim_reviews(table, [a], "2026-01-02")
    reviews = doc["@graph"]
    assert doc["@context"] == "https://schema.org"
    assert [r["identifier"] for r in reviews] == ["rd-top-five-2018"]  # a claim nothing checked gets no review
    top = next(r for r in reviews if r["identifier"] == "rd-top-five-2018")
    assert top["@type"] == "ClaimReview" and top["claimReviewed"] == ledger.claim("rd-top-five-2018").quote
    best = sum(1 for v in Verdict if v.value not in claimreview.UNRATED)  # the scale, read from Verdict
    assert top["reviewRating"] == {"@type": "Rating", "alternateName": "supported", "bestRating": best,
                                   "worstRating": 1, "ratingValue": best, "ratingExplanation": "It holds."}
    assert top["itemReviewed"]["author"] == {"@type": "Person", "name": "Joy Tan"}
    assert top["itemReviewed"]["firstAppearance"]["url"] == ledger.article.url
    assert "datePublished" not in top["itemReviewed"]  # the op-ed's date is not known: none is invented
    assert top["url"] == "article.html#card-rd-top-five-2018"  # relative without a base URL
    assert top["citation"] == [{"@type": "CreativeWork", "name": "Scoreboard", "url": "http://sb"}]
    assert json.loads(claimreview.to_jsonld(doc)) == doc


def test_every_verdict_has_a_rating_value_or_no_best_and_worst():
    values = claimreview.ratings()
    assert sorted(values.values()) == list(range(1, len(values) + 1))  # one step per verdict, none shared
    ordered = [v.value for v in Verdict if v.value in values]
    assert [values[v] for v in ordered] == sorted(values.values(), reverse=True)  # strongest support highest
    for verdict in Verdict:
        rating = claimreview.review({"claim_id": "x", "quote": "q", "verdict": verdict.value}, claimreview.Article(
            "https://example.org/a", "t", published="2019-03-01"), "2026-01-01")["reviewRating"]
        assert ("ratingValue" in rating) == ("bestRating" in rating) == ("worstRating" in rating), verdict
        assert ("ratingValue" in rating) == (verdict.value not in claimreview.UNRATED), verdict


def test_base_url_makes_review_urls_absolute_and_a_bad_one_is_refused():
    from analysis.errors import ParameterError

    article = claimreview.Article("https://example.org/a", "t", published="2019-03-01")
    one = claimreview.review({"claim_id": "x", "quote": "q", "verdict": "supported"}, article, "2026-01-01",
                             base_url=claimreview.base_url("https://example.org/r"))
    assert one["url"] == "https://example.org/r/article.html#card-x"
    assert one["itemReviewed"]["datePublished"] == "2019-03-01"
    assert one["itemReviewed"]["firstAppearance"] == {"@type": "OpinionNewsArticle", "url": "https://example.org/a",
                                                      "headline": "t", "datePublished": "2019-03-01"}
    for bad in ("example.org/r", "ftp://example.org/r", "https://example.org/r?x=1", "javascript:alert(1)"):
        with pytest.raises(ParameterError, match="--base-url .* is not an absolute http"):
            claimreview.base_url(bad)


def test_each_review_is_embedded_once_in_its_claim_card(tmp_path, ledger):
    a = _assessment("rd-top-five-2018", reason=f"Reason {MARKUP}")
    table = build_scorecard(ledger, [a])
    site.build_site(tmp_path, ledger, table, [a], info=INFO, base_url="https://example.org/r/")
    page = (tmp_path / "article.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<section class="card" id="card-([^"]+)".*?</section>', page, flags=re.S)
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
    assert len(scripts) == 1 and "</" not in scripts[0] and "<script" not in scripts[0]
    embedded = json.loads(scripts[0])
    assert embedded["@context"] == "https://schema.org" and embedded["identifier"] == "rd-top-five-2018"
    assert embedded["url"] == "https://example.org/r/article.html#card-rd-top-five-2018"
    assert embedded["reviewRating"]["ratingExplanation"] == f"Reason {MARKUP}"
    assert blocks and 'id="card-rd-top-five-2018"' in page
    card = re.search(r'<section class="card" id="card-rd-top-five-2018".*?</section>', page, flags=re.S).group(0)
    assert "application/ld+json" in card  # on its own anchor
    exported = json.loads((tmp_path / "claimreview.jsonld").read_text(encoding="utf-8"))["@graph"]
    assert [{"@context": "https://schema.org", **r} for r in exported] == [embedded]


# --- the built site, with markup in every kind of field -----------------------------------------

@pytest.fixture(scope="module")
def markup_site(tmp_path_factory, ledger):
    """A site built from fake assessments whose reason, source label, quote and cited fact row
    all carry markup."""
    out = tmp_path_factory.mktemp("markup-site")
    raw = out / "raw"
    (raw / "rd_spending").mkdir(parents=True)
    (raw / "rd_spending" / "facts.csv").write_text(
        f'entity,metric,value,unit,quote,source_title,source_url\n"{MARKUP}",m,1,u,"{MARKUP}",t,http://x\n',
        encoding="utf-8")
    a = _assessment("rd-top-five-2018", reason=f"Reason {MARKUP}. More {MARKUP}.",
                    sources=[Source(f"label {MARKUP}", "http://x", "data/raw/rd_spending/facts.csv#L2")])
    table = build_scorecard(ledger, [a])
    table.loc[table["claim_id"] == "rd-top-five-2018", "quote"] = f"quote {MARKUP}"
    site.build_site(out, ledger, table, [a], info=INFO, raw_dir=raw)
    return out


def test_text_from_data_is_escaped_everywhere(markup_site):
    for page in ("index.html", "sources.html"):
        text = (markup_site / page).read_text(encoding="utf-8")
        assert "<b>bold</b>" not in text and "<script>alert(1)</script>" not in text, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in text, page
    index = (markup_site / "index.html").read_text(encoding="utf-8")
    assert "quote &lt;script&gt;" in index and "label &lt;script&gt;" in index
    # the only scripts are the page's own
    assert index.count("<script>") == 1
    jsonld = json.loads((markup_site / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert any(r["claimReviewed"] == f"quote {MARKUP}" for r in jsonld["@graph"])


def test_index_has_every_claim_its_badge_and_provenance_links(markup_site, ledger):
    index = (markup_site / "index.html").read_text(encoding="utf-8")
    card = pd.read_csv(markup_site / "scorecard.csv", keep_default_na=False)
    rows = re.findall(r'<tr id="([^"]+)" class="claim-row" data-verdict="([^"]+)"', index)
    assert rows == list(zip(card["claim_id"], card["verdict"]))
    assert [r[0] for r in rows] == [c.id for c in ledger.claims]
    assert 'href="sources.html#facts_rd_spending-L2"' in index
    assert 'id="facts_rd_spending-L2"' in (markup_site / "sources.html").read_text(encoding="utf-8")
    assert INFO.date in index and INFO.commit[:12] in index


def test_sources_page_lists_every_dataset_with_checksum(markup_site):
    from analysis.data.manifest import load_manifest

    text = (markup_site / "sources.html").read_text(encoding="utf-8")
    for d in load_manifest().values():
        assert f'id="ds-{d.key}"' in text and d.sha256 in text


def test_no_page_loads_anything_from_the_network(markup_site):
    for page in markup_site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|img|link)[^>]+(src|href)="(https?:)?//', text), page


def test_a_failed_notebook_is_named_with_its_error(tmp_path, ledger):
    table = build_scorecard(ledger, [], failed={"01_rd_spending"})
    site.build_site(tmp_path, ledger, table, [], failures={"01_rd_spending": "cell 7: ValueError: no such edition"},
                    info=INFO)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count('data-verdict="notebook failed"') >= 3  # two claims and the notebook list
    assert "cell 7: ValueError: no such edition" in index
    assert 'href="01_rd_spending.html' not in index  # no page of this build to link to


def test_notebook_page_has_header_claim_anchors_hidden_code_and_no_network(tmp_path, ledger):
    spec = ledger.notebooks["01_rd_spending"]
    page = site.render_notebook_page(spec.path, tmp_path / "nb.html", '<header id="audit-header">H</header>',
                                     title=spec.title)
    text = page.read_text(encoding="utf-8")
    assert f"<title>{spec.title.replace('&', '&amp;')}</title>" in text
    assert text.index('id="audit-header"') < text.index("<main>")
    for claim in ledger.claims_for("01_rd_spending"):
        assert f'id="claim-{claim.id}"' in text
    assert "body:not(.show-code) .jp-CodeCell .jp-Cell-inputWrapper" in text
    assert not re.search(r'<(script|img|link)[^>]+(src|href)="(https?:)?//', text)
    images = re.findall(r"<img [^>]+>", text)
    assert len(images) == 3  # the three figures, embedded, each with real alt text
    assert all(re.search(r'src="data:image/svg\+xml;base64,[A-Za-z0-9+/]{100}', i) and re.search(r'alt="[^"]{40,}"', i)
               for i in images)  # SVG, sharp on any screen


def test_only_http_links_are_rendered_from_data(tmp_path):
    """A cited row whose URL is ``javascript:…`` (or any non-http scheme) is shown as text, never a link."""
    from analysis.report.urls import web_url

    assert web_url("javascript:alert(1)") == "" and web_url("data:text/html,x") == ""
    assert web_url("https://example.org/x") == "https://example.org/x"
    env = site._environment()
    html = env.get_template("_macros.html.j2").module.source_links(
        [{"label": "evil", "url": "javascript:alert(1)", "ref": "", "anchor": ""},
         {"label": "good", "url": "https://example.org/a", "ref": "", "anchor": ""}])
    assert "javascript:" not in str(html) and 'href="https://example.org/a"' in str(html) and "evil" in str(html)


def test_claimreview_publishes_no_review_for_a_claim_nothing_checked():
    table = pd.DataFrame([{"claim_id": "a", "quote": "q", "verdict": "supported", "reason": "r"},
                          {"claim_id": "b", "quote": "q", "verdict": "notebook failed", "reason": ""},
                          {"claim_id": "c", "quote": "q", "verdict": "not yet audited", "reason": ""}])
    graph = claimreview.claim_reviews(table, [], "2026-01-01", article=claimreview.Article("https://example.org", "t"))
    assert [r["identifier"] for r in graph["@graph"]] == ["a"]


def test_the_list_of_reports_names_an_article_audited_from_outside_articles(tmp_path, monkeypatch):
    from analysis.claims.articles import load_article

    fixture = paths.ROOT / "tests" / "fixtures" / "articles" / "rd-and-population-fixture"
    (tmp_path / fixture.name).mkdir()
    (tmp_path / fixture.name / "index.html").write_text("<html></html>", encoding="utf-8")
    page = site.write_landing(tmp_path, also=load_article(fixture)).read_text(encoding="utf-8")
    assert "Research money and people: a short test article" in page and f'href="{fixture.name}/index.html"' in page


def test_run_refuses_a_bad_base_url_before_anything_runs(tmp_path):
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "analysis", "run", "--base-url", "example.org/r", "--output",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=120, env=os.environ)
    assert done.returncode == 2
    assert "--base-url 'example.org/r' is not an absolute http(s) address" in done.stderr
    assert not (tmp_path / "out").exists()


def test_compile_templates_compiles_every_page_template_into_the_processs_environment():
    env = site._environment()
    env.cache.clear()
    site.compile_templates()
    compiled = {key[1] for key in env.cache.keys()}
    assert compiled == {p.name for p in site.SITE_TEMPLATES.glob("*.j2")} and "index.html.j2" in compiled
