"""Plain words: the reviewer-facing text of the built report shows no code names, file keys or snake_case."""
import re
from html.parser import HTMLParser

import pytest

from analysis import paths

#: A code identifier: snake_case (a file key such as facts_events, a parameter value such as confirmed_breach);
#: a segment of a path in a citation ("src/sec_certs_page/cc/…", a source's own file) is not one.
IDENTIFIER = re.compile(r"(?<![/\w])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?![/\w])")


#: Identifiers a page may show, each by a narrow rule: a notebook's own name (shown in monospace beside its
#: title in the scorecard's notebook list, as the name to run it by: ``python -m analysis run 01_rd_spending``).
ALLOWED = frozenset(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
#: Standard names that are not code, each by a narrow pattern: a Common Criteria assurance component (ISO/IEC
#: 15408 writes class and family as three capitals each, ``ALC_FLR``, ``ALC_CMC``), as a certificate or the
#: scheme's rules state it; and the processor architecture ``x86_64`` inside a certified product's version.
STANDARD_NAMES = (re.compile(r"[A-Z]{3}_[A-Z]{3}"), re.compile(r"x86_64"))
#: Elements a reader does not see unless asked: a notebook page's code, shown only by "Show code", and the
#: cells' execution prompts.
HIDDEN_CLASSES = frozenset({"jp-InputArea-editor", "jp-InputPrompt", "jp-OutputPrompt"})
#: Elements whose text is to be typed, not read: a command or a ``-p NAME VALUE`` a reader types exactly
#: (``<kbd>-p top_n 20</kbd>``, ``<kbd>python -m analysis multiverse --render SPEC_ID</kbd>``); pages mark
#: every such command up as keyboard input and never put prose inside one.
TYPED_TAGS = frozenset({"kbd"})
_VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")


class _Visible(HTMLParser):
    """The text a reader sees on a page: script, style and the :data:`HIDDEN_CLASSES` left out, and the
    :data:`TYPED_TAGS` (text to type); attributes (link addresses, file names in ``href``) are not text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden, self.found = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            classes = set((dict(attrs).get("class") or "").split())
            self.hidden.append(tag in ("script", "style", *TYPED_TAGS) or bool(classes & HIDDEN_CLASSES))

    def handle_endtag(self, tag):
        if tag not in _VOID and self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if not any(self.hidden) and data.strip():
            self.found.append(" ".join(data.split()))


#: A path in a citation (``data/raw/events/ebola_cdc_case_counts_2014-03-25_2016-04-13__x.csv#L251``): a token
#: with a slash. Its segments are not identifiers whatever the file is called (the :data:`IDENTIFIER` rule alone
#: would find ``25_2016`` between the hyphens of a dated file name).
PATH = re.compile(r"\S*/\S*")


def visible_identifiers(html) -> list:
    """``[(identifier, the text it is in)]`` in the text a reader sees on a page, less :data:`ALLOWED` and
    :data:`STANDARD_NAMES`."""
    parser = _Visible()
    parser.feed(html)
    return [(m.group(0), text[:160]) for text in parser.found for m in IDENTIFIER.finditer(PATH.sub(" ", text))
            if m.group(0) not in ALLOWED and not any(p.fullmatch(m.group(0)) for p in STANDARD_NAMES)]


class _Text(HTMLParser):
    """The text a reader sees in a page, or in the parts of it inside the elements whose id or class is
    ``within`` (script and style left out; attributes are not text)."""

    def __init__(self, within=None):
        super().__init__(convert_charrefs=True)
        self.within, self.depth, self.skip, self.found = within, 0 if within else 1, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in ("br", "img", "input", "meta", "link", "hr")
        elif self.within in (dict(attrs).get("id"), *(dict(attrs).get("class") or "").split()):
            self.depth = 1
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")
        if self.depth and self.within:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip and data.strip():
            self.found.append(" ".join(data.split()))


def identifiers(html, within=None) -> list:
    """``[(identifier, the text it is in)]`` in the reader-facing text of ``html``."""
    parser = _Text(within)
    parser.feed(html)
    return [(m.group(0), text[:160]) for text in parser.found for m in IDENTIFIER.finditer(text)]


def test_the_scan_finds_identifiers_and_ignores_code_and_attributes():
    page = ('<p class="x_y">Under the definition confirmed_breach</p><script>var a_b;</script>'
            '<header id="audit-header"><p>rank 6: outside the top five (src/a_b/c.json)</p></header><p>facts_events</p>')
    assert [i for i, _ in identifiers(page)] == ["confirmed_breach", "facts_events"]
    assert identifiers(page, within="audit-header") == []


def test_the_page_scan_skips_hidden_code_prompts_and_addresses_but_not_tables():
    page = ('<div class="jp-InputArea-editor"><pre>show_table(x_y)</pre></div><div class="jp-InputPrompt">In [1]:</div>'
            '<a href="01_rd_spending.html">R&amp;D</a> <span class="mono">01_rd_spending</span>'
            '<table><tr><th>rd_eur_m</th></tr></table><p>review_of_Zhong_Lun</p>')
    assert [i for i, _ in visible_identifiers(page)] == ["rd_eur_m", "review_of_Zhong_Lun"]


def test_the_page_scan_allows_typed_commands_and_standard_names_only():
    page = ('<p>more rows with <kbd>-p top_n 20</kbd>; EAL2 (+ALC_FLR); build 3.10.0.h34.x86_64</p>'
            '<p>top_n, ALC_flr, ALCX_FLR, x86_64_v2</p><code>top_n</code>'
            '<td>data/raw/events/cases_2014-03-25_2016-04-13.csv#L251</td>')
    assert [i for i, _ in visible_identifiers(page)] == ["top_n", "ALC_flr", "ALCX_FLR", "x86_64_v2", "top_n"]


@pytest.fixture(scope="module")
def built(published_report):
    """The report of a complete cold run (tests/conftest.py, shared by the session)."""
    return published_report


def test_every_claim_row_of_the_scorecard_shows_no_identifier(built):
    """Each claim's quote, stated and measured value, verdict, reason, rule and robustness line."""
    html = (built / "index.html").read_text(encoding="utf-8")
    assert html.count('class="claim-row"') == 31
    found = identifiers(html, within="claim-row")
    assert found == [], found[:10]


#: The notebooks whose pages the report has: each page, and the body fragment it is made from (cached apart).
NOTEBOOK_PAGES = tuple(f"{n}.html" for n in sorted(ALLOWED)) + tuple(f"notebooks/{n}.body.html" for n in sorted(ALLOWED))
#: The pages of the built report the scan covers: every page it writes.
CLEAN_PAGES = ("index.html", "about.html", "article.html", "candidates.html", "changes.html", "sources.html",
               *NOTEBOOK_PAGES)
#: Pages not scanned yet, each with the reason in the README ("Plain words in verdicts"): none.
NOT_YET_CLEAN = ()


@pytest.mark.parametrize("page", CLEAN_PAGES)
def test_these_whole_pages_show_no_identifier(built, page):
    found = visible_identifiers((built / page).read_text(encoding="utf-8"))
    assert found == [], found[:10]


def test_the_scan_covers_every_page_of_the_report(built):
    """A page the report gains is scanned (or declared not yet clean), never left out by omission."""
    pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html"))
    assert set(pages) == set(CLEAN_PAGES) | set(NOT_YET_CLEAN), set(pages) ^ (set(CLEAN_PAGES) | set(NOT_YET_CLEAN))


def test_every_page_of_a_second_article_shows_no_identifier(fixture_article_report):
    """The test article (a fixture, audited by its ledger alone, generic claim pages and all) reads in plain
    words too: the scan is not tuned to the op-ed's pages."""
    pages = sorted(fixture_article_report.rglob("*.html"))
    assert len(pages) >= 5, pages
    found = {p.relative_to(fixture_article_report).as_posix(): visible_identifiers(p.read_text(encoding="utf-8"))
             for p in pages}
    assert {page: ids for page, ids in found.items() if ids} == {}
