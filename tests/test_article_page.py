"""The annotated article: the text cut at every quote, one mark and one card per claim.

The page in a browser (highlights open cards, keyboard, small screens) is checked in test_browser.py.
"""
import re

import pytest

from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Assessment, Verdict
from analysis.report import article_page, site
from analysis.report.article_page import Span, annotate
from analysis.report.scorecard import build_scorecard

INFO = site.BuildInfo(date="2026-01-02T03:04:05Z", commit="0123456789abcdef0123456789abcdef01234567")
FIXTURE = "tests/fixtures/articles/rd-and-population-fixture"


def _joined(paragraph):
    return "".join(p.text for p in paragraph)


def test_paragraphs_are_split_at_blank_lines_and_keep_their_own_line_breaks():
    text = "Title\n\nOne line\nwrapped.\n \u00a0\nLast."
    assert [text[a:b] for a, b in article_page.paragraphs(text)] == ["Title", "One line\nwrapped.", "Last."]


def test_overlapping_quotes_share_the_pieces_they_both_cover():
    text = "Ren owns just over 1% of the shares."
    outer, inner = Span(0, 21, "owner"), Span(9, 36, "share")
    [para] = annotate(text, [outer, inner])
    assert _joined(para) == text
    assert [(p.text, p.keys) for p in para] == [
        ("Ren owns ", ("owner",)), ("just over 1%", ("owner", "share")), (" of the shares.", ("share",))]
    assert [k for p in para for k in p.starts] == ["owner", "share"]
    assert [k for p in para for k in p.ends] == ["owner", "share"]


def test_a_quote_across_paragraphs_is_marked_in_each_and_ends_once():
    text = "First part\n\nsecond part. Rest."
    [one, two] = annotate(text, [Span(6, 24, "x")])
    assert (_joined(one), _joined(two)) == ("First part", "second part. Rest.")
    assert [p.keys for p in one] == [(), ("x",)] and [p.keys for p in two] == [("x",), ()]
    assert [k for para in (one, two) for p in para for k in p.starts] == ["x"]
    assert [(p.text, p.ends) for p in two if p.ends] == [("second part.", ("x",))]


def test_text_without_claims_is_one_plain_piece_per_paragraph():
    assert [[(p.text, p.keys) for p in para] for para in annotate("a\n\nb", [])] == [[("a", ())], [("b", ())]]


@pytest.mark.parametrize("folder", [None, FIXTURE])
def test_every_claim_of_an_article_is_marked_once_and_the_text_is_kept(folder):
    ledger = load_ledger(folder)
    text = ledger.article.text()
    paras = annotate(text, article_page.spans_of(ledger))
    assert [_joined(p) for p in paras] == [text[a:b] for a, b in article_page.paragraphs(text)]
    ends = [k for para in paras for p in para for k in p.ends]
    assert sorted(ends) == sorted(c.id for c in ledger.claims)
    for claim in ledger.claims:  # the marked pieces of a claim spell its quote (blank lines aside)
        marked = "".join(p.text for para in paras for p in para if claim.id in p.keys)
        assert re.sub(r"\s+", "", marked) == re.sub(r"\s+", "", claim.quote)


def test_article_meta_says_unknown_for_missing_fields():
    meta = dict(article_page.article_meta(load_ledger().article))
    assert meta["Author"].startswith("Joy Tan") and meta["Published"] == "not known"


@pytest.mark.parametrize("folder", [None, FIXTURE])
def test_the_page_has_one_mark_and_one_card_per_claim_in_its_verdict_colour(tmp_path, folder):
    ledger = load_ledger(folder)
    first = ledger.claims[0]
    a = Assessment(claim_id=first.id, verdict=Verdict.NOT_SUPPORTED, measured_value=1, stated_value=2,
                   unit="u", rule="1 = 2", reason="It fails. <b>x</b>", vintage="v")
    site.build_site(tmp_path, ledger, build_scorecard(ledger, [a]), [a], info=INFO)
    page = (tmp_path / "article.html").read_text(encoding="utf-8")
    chips = re.findall(r'<a class="chip v-([a-z-]+)" id="chip-([^"]+)" href="#card-([^"]+)" style="background: ([^;]+);',
                       page)
    assert sorted(c[1] for c in chips) == sorted(c.id for c in ledger.claims)
    assert all(c[1] == c[2] for c in chips)
    look = {c[1]: (c[0], c[3]) for c in chips}
    failed = site.badge("not supported")
    assert look[first.id] == (failed["slug"], failed["colour"])
    unaudited = site.badge("not yet audited")
    assert all(v == (unaudited["slug"], unaudited["colour"]) for k, v in look.items() if k != first.id)
    assert re.findall(r'<section class="card" id="card-([^"]+)"', page) == [c.id for c in ledger.claims]
    assert "It fails. &lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
    assert f'style="background: {failed["tint"]}; border-bottom-color: {failed["colour"]}"' in page
