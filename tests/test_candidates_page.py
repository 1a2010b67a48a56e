"""The candidates page (analysis.report.candidates): every candidate with its standing in the ledger."""
import shutil
from pathlib import Path

import pytest
import yaml

from analysis.claims.extract.draft import DRAFT_NAME, write_draft
from analysis.claims.ledger import load_ledger
from analysis.report import site
from analysis.report.candidates import candidate_rows, status_of, write_candidates_page

FIXTURE = Path(__file__).parent / "fixtures" / "articles" / "extraction-fixture"


def _ledger_with(tmp_path, edit):
    """The extraction fixture with its draft as the ledger, the entries changed by ``edit(entries)``."""
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    write_draft(folder / "article.txt", verify=False)
    document = yaml.safe_load((folder / DRAFT_NAME).read_text(encoding="utf-8"))
    document["claims"] = edit(document["claims"])
    (folder / "claims.yaml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    return load_ledger(folder)


def _unmeasured(entry, note):
    return {**{k: v for k, v in entry.items() if k not in ("measure", "args", "parameters")}, "note": note}


def test_each_candidate_says_whether_the_ledger_audits_skips_or_omits_it(tmp_path):
    ledger = _ledger_with(tmp_path, lambda es: [_unmeasured(es[0], "skipped: opinion"),
                                                _unmeasured(es[1], "Left for a later pass.")] + es[2:5])
    rows = candidate_rows(ledger)
    assert [(r["status"], r["detail"]) for r in rows[:2]] == [("skipped", "opinion"),
                                                              ("in the ledger, not measured", "Left for a later pass.")]
    assert {r["status"] for r in rows[2:5]} == {"audited"}
    assert rows[2]["claims"] == [ledger.claims[2].id]
    assert {r["status"] for r in rows[5:]} == {"not in the ledger"}


def test_the_page_shows_the_skip_reason_and_the_ledger_claims_no_candidate_covers(tmp_path):
    ledger = _ledger_with(tmp_path, lambda es: [_unmeasured(es[0], "skipped: opinion")] + es[1:])
    page = write_candidates_page(tmp_path / "out", ledger, site._environment(),
                                 site.BuildInfo("2026-01-01T00:00:00Z", "0" * 40)).read_text(encoding="utf-8")
    assert "<strong>skipped</strong>: opinion" in page
    assert "None: every ledger claim overlaps a candidate." in page
    assert "scoreboard.rank" not in page and "_" not in page.split("<body", 1)[1].replace("&#", "")


def test_status_of_prefers_a_measured_claim():
    from types import SimpleNamespace as NS

    assert status_of([NS(measure=None, note="skipped: opinion"), NS(measure="fact.value", note="")]) == ("audited", "")


def test_find_ahead_finds_in_a_child_once_per_text_and_falls_back_to_finding_here(monkeypatch):
    import os

    from analysis.report import candidates

    parent = os.getpid()
    monkeypatch.setattr(candidates, "_FOUND", {})
    # fixture stand-ins: the "ledger" is its article's text, and the finder returns who ran it
    monkeypatch.setattr(candidates, "_text_and_claimant", lambda ledger: (ledger, "fixture claimant"))
    monkeypatch.setattr(candidates, "find_candidates", lambda text, claimant: [text, os.getpid()])
    monkeypatch.setattr(candidates.threading, "active_count", lambda: 2)  # other threads: no fork
    assert candidates.find_ahead("fixture text zero").result() == ["fixture text zero", parent]
    monkeypatch.setattr(candidates.threading, "active_count", lambda: 1)
    found = candidates.find_ahead("fixture text one").result()
    assert found[0] == "fixture text one" and found[1] != parent  # found by the forked child, sent back
    assert candidates.find_ahead("fixture text one").result() == found  # once per process: no second child

    def fails_in_the_child(text, claimant):
        if os.getpid() != parent:
            raise RuntimeError("fixture failure in the child")
        return ["found here"]

    monkeypatch.setattr(candidates, "find_candidates", fails_in_the_child)
    assert candidates.find_ahead("fixture text two").result() == ["found here"]


def test_find_ahead_cancelled_stops_the_child_and_finds_nothing_here(monkeypatch):
    import os
    import time

    from analysis.report import candidates

    parent, calls = os.getpid(), []

    def slow(text, claimant):  # a fixture finder: sleeps in the child, is recorded if run here
        if os.getpid() == parent:
            calls.append(text)
        time.sleep(30)
        return []

    monkeypatch.setattr(candidates, "_FOUND", {})
    monkeypatch.setattr(candidates, "_text_and_claimant", lambda ledger: (ledger, "fixture claimant"))
    monkeypatch.setattr(candidates, "find_candidates", slow)
    monkeypatch.setattr(candidates.threading, "active_count", lambda: 1)
    ahead = candidates.find_ahead("fixture text")
    child = ahead.pid
    begin = time.monotonic()
    ahead.cancel()
    assert time.monotonic() - begin < 5 and calls == []
    with pytest.raises(ChildProcessError):  # killed and collected: no zombie left
        os.waitpid(child, os.WNOHANG)
