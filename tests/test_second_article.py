"""A second article, audited end to end by its folder alone (article.txt, article.yaml, claims.yaml).

The fixture (tests/fixtures/articles/rd-and-population-fixture) is a short text written for this
test; its claims name measures the project already has, and no code knows about it.
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.claims import audit, multiverse
from analysis.claims.ledger import load_ledger

FIXTURE = Path(__file__).parent / "fixtures" / "articles" / "rd-and-population-fixture"

#: What the fixture's claims must come out as (computed by hand from the pinned rows; see the ledger).
EXPECTED = {
    "huawei-ranked-3rd-2020": ("supported", "3"),
    "samsung-rd-over-14bn-eur": ("supported", "14831.3"),
    "samsung-rd-about-17-5bn-usd": ("supported with caveats", "17.527"),
    "huawei-rd-over-16bn-2018": ("not supported", "15.359"),
    "world-population-7-7bn-2019": ("supported", "7742681934"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture folder copied out of the repository, and `python -m analysis run --article` on it."""
    root = tmp_path_factory.mktemp("second")
    folder = root / "articles" / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    reports = root / "reports" / FIXTURE.name
    done = subprocess.run([sys.executable, "-m", "analysis", "run", "--article", str(folder), "--output",
                           str(reports), "--no-progress", "-j", "2"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return folder, reports


def test_the_headline_verdicts_and_values_of_the_second_article():
    table = audit.headline_table(load_ledger(FIXTURE)).set_index("claim_id")
    assert {k: (r.verdict, r.measured_value) for k, r in table.iterrows()} == EXPECTED


def test_its_committed_multiverse_is_fresh():
    ledger = load_ledger(FIXTURE)
    fresh = multiverse.evaluate(ledger=ledger)
    committed = multiverse.load_multiverse(ledger=ledger)
    assert fresh[["claim_id", "spec_id", "verdict", "measured_value"]].astype(str).values.tolist() == \
        committed[["claim_id", "spec_id", "verdict", "measured_value"]].astype(str).values.tolist()


def test_run_writes_its_own_report_with_its_own_scorecard_and_robustness(built):
    _, reports = built
    card = pd.read_csv(reports / "scorecard.csv", dtype=str, keep_default_na=False).set_index("claim_id")
    assert set(card.index) == set(EXPECTED)
    assert {k: card.loc[k, "verdict"] for k in EXPECTED} == {k: v for k, (v, _) in EXPECTED.items()}
    assert card.loc["huawei-ranked-3rd-2020", "robustness"] == (
        "supported in 1/1 defensible reading; sensitivity checks, not fair readings of the claim: 1 of 1 give another "
        "verdict (another period: an earlier edition: not supported)")
    assert card.loc["samsung-rd-over-14bn-eur", "robustness"] == multiverse.NO_CHOICES
    for claim_id in EXPECTED:  # each claim has its page from the generic claim notebook
        assert (reports / f"claim-{claim_id}.html").is_file()
    assert "Research money and people" in (reports / "index.html").read_text(encoding="utf-8")


def test_its_claimreview_is_attributed_to_its_own_author_and_url(built):
    _, reports = built
    graph = json.loads((reports / "claimreview.jsonld").read_text(encoding="utf-8"))["@graph"]
    assert [r["identifier"] for r in graph] == list(EXPECTED)
    for review in graph:
        appearance = review["itemReviewed"]["appearance"]
        assert appearance["url"] == "https://example.org/claim-audit/test-fixture-article"
        assert review["itemReviewed"]["author"]["name"] == "claim-audit test fixture"
    assert "Huawei is not spying" not in (reports / "claimreview.jsonld").read_text(encoding="utf-8")


def test_an_edited_article_text_is_refused_with_the_file_and_the_fix(tmp_path):
    from analysis.errors import LedgerError

    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    (folder / "article.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"article.txt has SHA-256 .* but .*article.yaml pins .*update field 'sha256'"):
        load_ledger(folder)


def _copy(tmp_path, edit=None):
    """The fixture article copied to ``tmp_path``, its ledger text changed by ``edit(text)``."""
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    if edit:
        ledger = folder / "claims.yaml"
        ledger.write_text(edit(ledger.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def test_a_claim_that_cannot_be_measured_stops_the_run_before_any_kernel(tmp_path):
    """A misspelled company (a claim without choices) is one line naming the ledger, claim and field."""
    folder = _copy(tmp_path, lambda t: t.replace("args: {entity: Samsung Electronics, edition: 2019}\n",
                                                 "args: {entity: Samsng Electronix, edition: 2019}\n"))
    subprocess.run([sys.executable, "-m", "analysis", "multiverse", "--article", str(folder)], check=True,
                   capture_output=True, timeout=120)  # the ledger changed: its (still valid) multiverse is redone
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "analysis", "run", "--article", str(folder), "--output", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "claim 'samsung-rd-over-14bn-eur', field 'args'" in done.stderr and "no company matches" in done.stderr
    assert not (out / "notebooks").exists()


def test_a_bad_parameter_value_for_a_claim_page_is_refused_before_any_kernel(tmp_path):
    from analysis.errors import ParameterError
    from analysis.report.runner import run

    with pytest.raises(ParameterError, match=r"claim 'world-population-7-7bn-2019', field 'args' under "
                                             r"\{'source': 'un_wpp2030'\}: .*unknown population source"):
        run(article=_copy(tmp_path), overrides={"source": "un_wpp2030"}, reports_dir=tmp_path / "out")


def test_a_choice_the_data_do_not_hold_names_the_claim_in_the_multiverse(tmp_path):
    from analysis.errors import AuditError

    folder = _copy(tmp_path, lambda t: t.replace("{value: un_wpp2022,", "{value: un_wpp2030,"))
    with pytest.raises(AuditError, match=r"claim 'world-population-7-7bn-2019', field 'choices' \(specification "
                                         r"\{\"source\":\"un_wpp2030\"\}\): .*unknown population source"):
        multiverse.evaluate(ledger=load_ledger(folder))


def test_a_missing_multiverse_is_named_when_claims_declare_choices(tmp_path):
    from analysis.data import integrity

    folder = _copy(tmp_path)
    (folder / "multiverse.csv").unlink()
    [mismatch] = integrity.check_multiverse(folder)
    assert mismatch.problem.startswith("missing, though 3 claim(s) declare choices (huawei-ranked-3rd-2020")
    assert "python -m analysis multiverse --article" in mismatch.fix
