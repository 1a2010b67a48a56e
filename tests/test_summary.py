"""The take-away summary (sentences from the verdicts, citation) and the changelog from git tags."""
import re
import subprocess
from types import SimpleNamespace as NS

import pytest

from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Assessment, Verdict
from analysis.report import changelog, site, summary
from analysis.report.scorecard import build_scorecard

INFO = site.BuildInfo(date="2026-01-02T03:04:05Z", commit="0123456789abcdef0123456789abcdef01234567")
ORDER = [v.value for v in Verdict]


def test_counts_follow_the_scale_and_leave_out_verdicts_no_claim_has():
    counts = {"not checkable": 2, "supported": 3, "conflicting": 1}
    assert summary.counts_sentence(counts, ORDER) == (
        "The audit gives 6 claims a verdict: 3 supported, 1 conflicting and 2 not checkable.")
    assert summary.counts_sentence({}, ORDER) == "No claim has a verdict in this build."


def test_claims_that_fail_or_conflict_are_named_in_article_order():
    rows = [{"claim_id": "a", "verdict": "conflicting"}, {"claim_id": "b", "verdict": "supported"},
            {"claim_id": "c", "verdict": "not supported"}, {"claim_id": "d", "verdict": "conflicting"}]
    assert [(v, [r["claim_id"] for r in rs]) for v, rs in summary.named(rows)] == [
        ("not supported", ["c"]), ("conflicting", ["a", "d"])]
    assert summary.named(rows[1:2]) == []


def test_claims_without_a_verdict_get_their_own_sentence():
    assert summary.unchecked_sentence({}) == ""
    assert summary.unchecked_sentence({"notebook failed": 1}) == "1 claim has no verdict in this build: 1 notebook failed."


def test_citation_names_the_article_commit_and_date():
    cite = summary.citation(NS(headline="H", author="", url=""), INFO, url="https://example.org/r/")
    assert cite["text"] == ("claim-audit (2026). Audit of the claims in “H”. Report built from commit 0123456789ab, "
                            "2026-01-02. https://example.org/r/")
    assert cite["bibtex"].startswith("@misc{claim-audit-0123456,") and "url = {https://example.org/r/}" in cite["bibtex"]


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
                        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z", "PATH": "/usr/bin:/bin"})


def test_changelog_lists_each_tag_with_the_commits_since_the_previous(tmp_path):
    """A throw-away repository made in the test (the project's own tags are never touched)."""
    _git(tmp_path, "init", "-q")
    assert changelog.versions(tmp_path) == []
    for n, tag in ((1, "v0.1"), (2, None), (3, "v0.2")):
        _git(tmp_path, "commit", "-q", "--allow-empty", "-m", f"change {n}")
        if tag:
            _git(tmp_path, "tag", "-a", tag, "-m", f"release {tag}")
    newest, oldest = changelog.versions(tmp_path)
    assert (newest.tag, newest.subject, newest.date) == ("v0.2", "release v0.2", "2026-01-01")
    assert [s for _, s in newest.commits] == ["change 3", "change 2"]
    assert (oldest.tag, [s for _, s in oldest.commits]) == ("v0.1", ["change 1"])
    assert changelog.versions(tmp_path / "not-a-repository") == []


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    ledger = load_ledger()
    a, b = ledger.claims[0], ledger.claims[1]
    assessments = [
        Assessment(claim_id=a.id, verdict=Verdict.NOT_SUPPORTED, measured_value=1, stated_value=2, unit="u",
                   rule="1 = 2", reason="It misses. Details.", vintage="v"),
        Assessment(claim_id=b.id, verdict=Verdict.SUPPORTED, measured_value=1, stated_value=1, unit="u",
                   rule="1 = 1", reason="It holds.", vintage="v")]
    out = tmp_path_factory.mktemp("summary-site")
    site.build_site(out, ledger, build_scorecard(ledger, assessments), assessments, info=INFO)
    return out, ledger


def test_index_and_about_page_say_what_the_audit_found(built):
    out, ledger = built
    unaudited = len(ledger.claims) - 2
    for page in ("index.html", "about.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "The audit gives 2 claims a verdict: 1 supported and 1 not supported." in text, page
        assert f"{unaudited} claims have no verdict in this build: {unaudited} not yet audited." in text, page
        assert f'href="article.html#card-{ledger.claims[0].id}"' in text, page  # the failing claim, named
        assert re.search(r"<dt>Published</dt><dd>not known</dd>", text), page
    about = (out / "about.html").read_text(encoding="utf-8")
    assert "How the audit works" in about and "lower bound" in about and "lower_bound" not in about
    assert "Report built from commit 0123456789ab, 2026-01-02." in about


def test_changes_page_says_when_there_is_no_tag(tmp_path, monkeypatch):
    ledger = load_ledger()
    monkeypatch.setattr(changelog, "versions", lambda root=None: [])
    site.build_site(tmp_path, ledger, build_scorecard(ledger, []), [], info=INFO)
    assert "No tagged version yet." in (tmp_path / "changes.html").read_text(encoding="utf-8")
    monkeypatch.setattr(changelog, "versions", lambda root=None: [
        changelog.Version("v1.0", "2026-01-01", "first <release>", [("abc1234", "a change")])])
    site.build_site(tmp_path, ledger, build_scorecard(ledger, []), [], info=INFO)
    text = (tmp_path / "changes.html").read_text(encoding="utf-8")
    assert "No tagged version yet." not in text and "v1.0" in text and "first &lt;release&gt;" in text
    assert '<span class="mono">abc1234</span> a change' in text
