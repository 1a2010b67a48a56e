"""Plain words: the reviewer-facing text of the built report shows no code names, file keys or snake_case."""
import re
from html.parser import HTMLParser

import pytest

from analysis.report.runner import run

#: A code identifier: snake_case (a file key such as facts_events, a parameter value such as confirmed_breach);
#: a segment of a path in a citation ("src/sec_certs_page/cc/…", a source's own file) is not one.
IDENTIFIER = re.compile(r"(?<![/\w])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?![/\w])")


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


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = run(reports_dir=out)
    assert result.ok, result.failures
    return out


def test_every_claim_row_of_the_scorecard_shows_no_identifier(built):
    """Each claim's quote, stated and measured value, verdict, reason, rule and robustness line."""
    html = (built / "index.html").read_text(encoding="utf-8")
    assert html.count('class="claim-row"') == 31
    found = identifiers(html, within="claim-row")
    assert found == [], found[:10]
