"""Claim extraction (analysis.claims.extract): candidates read from sentences made here, the draft
ledger it writes, its agreement with the op-ed's hand-written ledger, and a fixture article whose
draft ledger, unedited, is run end to end."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.claims.extract import hedges, parse
from analysis.claims.extract.candidates import find_candidates
from analysis.claims.extract.draft import DRAFT_NAME, write_draft
from analysis.claims.extract.score import score
from analysis.claims.extract.suggest import Context, suggest
from analysis.claims.ledger import load_ledger
from analysis.errors import LedgerError

FIXTURE = Path(__file__).parent / "fixtures" / "articles" / "extraction-fixture"


def read(sentence, claimant="Acme"):
    return [(c.type, c.value, c.unit, c.comparator) for c in find_candidates(sentence, claimant)]


@pytest.mark.parametrize("before, comparator", [
    ("used in more than ", "more_than"), ("close to ", "about"), ("just over ", "just_over"),
    ("at least ", "at_least"), ("fewer than ", "at_most"), ("the world passed ", "more_than"),
    ("nearly US$", "about"), ("We’re ", "equals"), ("moreover ", "equals")])
def test_hedge_words_give_the_comparator(before, comparator):
    assert hedges.hedge(before)[1] == comparator


def test_numbers_are_read_with_their_hedge_unit_and_type():
    assert read("The firm sells in 120+ countries.") == [("count", 120, "countries", "at_least")]
    assert read("It has about 4,500 employees.") == [("quantity", 4500, "employees", "about")]
    assert read("Its products reach close to 12% of the market.") == [("share", 12, "percent", "about")]
    assert read("It spent more than US$2.5 billion on research in 2017.") == \
        [("quantity", 2.5, "USD billion", "more_than")]
    assert read("It spent €300 million on research in 2017.") == [("quantity", 300, "EUR million", "equals")]


def test_round_durations_read_as_about_and_exact_ones_as_stated():
    assert read("We have operated for four decades.") == [("quantity", 40, "years", "about")]
    assert read("We have operated for 20 years.") == [("quantity", 20, "years", "about")]
    assert read("We have operated for 23 years.") == [("quantity", 23, "years", "equals")]


def test_rank_phrases():
    assert read("Acme was one of the top ten steel makers in 2016.")[0][:2] == ("rank", 10)
    assert read("Acme ranked third among the world's steel makers in 2016.")[0][1:4:2] == (3, "equals")
    assert read("Our largest shareholder is a bank.") == [("rank", 1, "rank", "equals")]
    assert read("Acme is one of the largest employers.") == []  # no value: not a rank claim


def test_dates_keep_the_precision_written_and_ranges_read_as_within_range():
    assert read("The plant was opened in May 2009.") == [("date", "2009-05", "date", "equals")]
    assert read("The plant was opened in 2009.") == [("date", "2009", "date", "equals")]
    assert read("The strike lasted from 2001-2003.") == [("date", "2001/2003", "date", "within_range")]
    # a date in the clause of a number is that number's period, not a claim of its own
    [rank] = find_candidates("Acme was one of the top ten steel makers in 2016.")
    assert rank.period == "2016"


def test_absolutes_pledges_reported_speech_and_headings():
    assert read("We have never had a recall.") == [("absence", 0, "cases", "none_exists")]
    assert read("There are no foreign owners of the firm.") == [("absence", 0, "cases", "none_exists")]
    assert read("We will never sell your data.") == []  # a pledge, not a checkable fact
    [said] = read("The regulator made it clear that no law requires it.")
    assert said[0] == "qualitative"  # an attribution: did they say it
    assert read("Acme has never been fined") == []  # a heading or caption: no closing punctuation


def test_opinions_questions_and_plain_present_tense_are_no_candidates():
    assert read("We believe our customers trust us.") == []
    assert read("Is the firm trustworthy?") == []
    assert read("Our products let people talk.") == []
    assert read("Acme engineers built a bridge over the river.") == [("qualitative", None, None, "qualitative")]


def test_quotes_are_cut_from_the_text_at_their_offsets():
    text = "Heading\n\nAcme sold more than 3 million cars in 2015, and its staff\nrepaired 2,000 bridges in 2016."
    for c in find_candidates(text):
        assert text[c.offset:c.end] == c.quote


def test_number_words_and_sentences_come_from_the_packages():
    assert parse.number_word("twelve") == 12 and parse.number_word("5th") == 5
    assert [s.text for s in parse.sentences("Dr. Smith came. He left.")] == ["Dr. Smith came.", "He left."]


def test_a_suggestion_that_fails_on_the_data_becomes_a_reason():
    [c] = find_candidates("In the 2019 edition of the Scoreboard, Zyxwv Widgets ranked 3rd among R&D investors.")
    tried = suggest(c, Context())
    assert tried.measure is None and "no company matches" in tried.reason
    untried = suggest(c, Context(), verify=False)
    assert untried.measure == "scoreboard.rank" and untried.args == {"entity": "Zyxwv Widgets", "edition": 2019}


def test_a_date_is_matched_to_the_cited_row_of_that_date_that_shares_its_words():
    [c] = find_candidates("An earthquake and tsunami struck Japan in March 2011.")
    found = suggest(c, Context())
    assert (found.measure, found.args) == ("fact.date", {"fact": "facts_events/Japan/earthquake_datetime/2011-03-11",
                                                         "precision": "month"})
    [other] = find_candidates("A parade was held in Paris in March 2011.")
    assert suggest(other, Context()).measure is None


def test_extract_writes_a_draft_that_loads_as_a_ledger_and_never_the_ledger(tmp_path):
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    draft = write_draft(folder / "article.txt")
    assert draft.path == folder / DRAFT_NAME and not (folder / "claims.yaml").exists()
    ledger = load_ledger(draft.path)
    assert [c.quote for c in ledger.claims] == [e["quote"] for e in draft.entries]
    with pytest.raises(LedgerError, match="never the ledger itself"):
        write_draft(folder / "article.txt", output=folder / "claims.yaml")


def op_ed_score():
    ledger = load_ledger()
    return score(find_candidates(ledger.article_text(), ledger.article.claimant), ledger.claims)


def test_the_candidates_cover_the_op_eds_ledger_and_agree_with_it():
    s = op_ed_score()
    assert s.claims == 31  # the 30 the issue counted, and rd-increase-2019 (a pledge: "we will increase")
    assert set(s.missed) <= {"rd-increase-2019", "fukushima-meltdown"}, s.missed  # 29 of 31, 29 of the first 30
    assert s.covered >= 28, s.missed
    assert s.agreeing >= 25, s.disagreeing


@pytest.mark.parametrize("label, article", [("the op-ed's ledger", None),
                                            ("the second article's ledger", "rd-and-population-fixture")])
def test_the_readme_prints_the_recall_and_precision_this_test_computes(label, article):
    folder = None if article is None else Path(__file__).parent / "fixtures" / "articles" / article
    ledger = load_ledger(folder)
    computed = score(find_candidates(ledger.article_text(), ledger.article.claimant), ledger.claims).summary()
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(rf"^On {re.escape(label)}: (.*)$", readme, re.M)
    assert line, f"README.md: the line 'On {label}: ...' (section on claim extraction) is missing"
    assert line.group(1).rstrip(".") == computed


def test_the_fixtures_draft_ledger_unedited_runs_to_a_verdict_for_every_suggested_measure(tmp_path):
    folder = tmp_path / "articles" / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    done = subprocess.run([sys.executable, "-m", "analysis", "extract", str(folder / "article.txt")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    shutil.copy(folder / DRAFT_NAME, folder / "claims.yaml")  # unedited
    ledger = load_ledger(folder)
    measured = [c.id for c in ledger.claims if c.measure]
    assert len(measured) >= 8
    reports = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "analysis", "run", "--article", str(folder), "--output",
                           str(reports), "--no-progress", "-j", "2"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    card = pd.read_csv(reports / "scorecard.csv", dtype=str, keep_default_na=False).set_index("claim_id")
    unchecked = ("not yet audited", "notebook failed")
    assert {c: card.loc[c, "verdict"] for c in measured if card.loc[c, "verdict"] in unchecked} == {}
    assert all(card.loc[c, "measured_value"] != "" or card.loc[c, "verdict"] == "not checkable" for c in measured)


def test_extraction_code_is_no_input_of_the_multiverse():
    """Editing the extractor changes no verdict, so it must not make the recorded multiverse stale."""
    from analysis.data.integrity import multiverse_source_files

    files = multiverse_source_files()
    assert any(p.name == "judge.py" for p in files)
    assert not any("extract" in p.parts for p in files)


def test_a_bare_text_gets_a_draft_and_a_folders_own_ledger_is_left_alone(tmp_path):
    bare = tmp_path / "bare" / "notes.txt"
    bare.parent.mkdir()
    bare.write_text("Acme sold more than 3 million cars in 2015.\n", encoding="utf-8")
    [entry] = write_draft(bare, verify=False).entries
    assert (entry["quote"], entry["stated"]["comparator"]) == ("more than 3 million cars", "more_than")
    folder = tmp_path / "op-ed"
    shutil.copytree(paths.DEFAULT_ARTICLE, folder)
    ledger = (folder / "claims.yaml").read_bytes()
    write_draft(folder / "article.txt", verify=False)
    assert (folder / "claims.yaml").read_bytes() == ledger and (folder / DRAFT_NAME).is_file()
    with pytest.raises(LedgerError, match="does not exist"):
        write_draft(tmp_path / "missing.txt")
