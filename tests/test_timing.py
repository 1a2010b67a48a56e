"""When the article was written, and the one rule for figures as of writing."""
from types import SimpleNamespace as NS

import pytest

from analysis.claims import audit, timing
from analysis.claims.articles import load_article
from analysis.claims.ledger import ChoiceMark, load_ledger
from analysis.data import facts
from analysis.errors import LedgerError


def test_the_bracket_is_in_the_metadata_with_its_reasoning_and_the_cited_first_appearance():
    written = load_article().written
    assert (written.start, written.end) == ("2019-01-01", "2019-03-21")
    assert "this year" in written.reasoning and "first known appearance" in written.reasoning
    row = facts.by_id(written.first_appearance)
    assert row.ref == "data/raw/incidents/facts.csv#L2" and facts.iso_date(row) == written.end


def _published_after(fact, end) -> bool:
    """A cited row is a figure published after ``end`` when its date, or a year its source names, is later."""
    import re

    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", f"{fact.source_title} {fact.notes}")]
    dated = re.search(r"\d{4}(-\d{2}){0,2}", f"{fact.period} {fact.value}")
    return bool(dated and dated.group(0) > end) or any(y > int(end[:4]) for y in years)


def _fact_of(source):
    table = next((k for k in ("facts_events", "facts_incidents", "facts_population", "facts_rd_spending",
                              "facts_certifications") if source.ref.startswith(f"data/raw/{k.split('_', 1)[1]}/facts.csv")),
                 None)
    if table is None:
        return None
    line = int(source.ref.rsplit("#L", 1)[1])
    row = facts.load_facts(table)
    row = row[row["line"] == line].iloc[0]
    return NS(source_title=row["source_title"], notes=row["notes"], period=row["period"], value=row["value"])


def test_no_headline_verdict_rests_on_a_figure_published_after_the_bracket():
    ledger, end = load_ledger(), load_article().written.end
    dated = [c for c in ledger.claims if c.as_of_writing]
    assert len(dated) >= 10
    for claim in dated:
        a = audit.assess_claim(claim, claim.parameters)
        for name in claim.as_of_writing:
            assert timing.reference_date(a.parameters[name]) <= end, (claim.id, name)
        for source in a.sources:
            fact = _fact_of(source)
            if fact is not None:
                assert not _published_after(fact, end), (claim.id, source.ref, fact.source_title)
    # the test can fail: the toll worked out from a 2020 report is a figure published after the bracket
    late = _fact_of(NS(ref="data/raw/events/facts.csv#L31"))
    assert _published_after(late, end)


def test_the_rule_takes_the_latest_defensible_value_dated_before_the_end():
    values = [("2016-02-10", True), ("2018-03-01", True), ("2019-03-01", False), ("2020-03-01", False)]
    assert timing.latest_before(values, "2019-03-21") == "2018-03-01"
    assert timing.latest_before([(2018, True), (2019, True)], "2019-03-21") == 2018  # 2019 stands for its end
    assert timing.latest_before([(2019, True)], "2019-03-21") is None


def _claim(parameters, values, kinds):
    return NS(as_of_writing=("year",), parameters=parameters, choices={"year": values},
              choice_marks={"year": tuple(ChoiceMark(k, "fixture reason") for k in kinds)})


def test_a_claim_that_breaks_the_rule_is_a_ledger_problem():
    written = timing.Written("2019-01-01", "2019-03-21", "fixture")
    assert timing.time_problems(_claim({"year": 2018}, [2018, 2019], ["defensible", "sensitivity"]), written, "c") == []
    late = timing.time_problems(_claim({"year": 2018}, [2018, 2019], ["defensible", "defensible"]), written, "c")
    assert late == ["c, field 'choices.year': 2019 dated after the end of the writing bracket (2019-03-21); "
                    "mark it sensitivity (anachronistic)"]
    older = timing.time_problems(_claim({"year": 2017}, [2017, 2018], ["defensible", "defensible"]), written, "c")
    assert older == ["c, field 'parameters.year': figures as of writing take the latest defensible value dated on "
                     "or before 2019-03-21, 2018, not 2017"]
    assert "no 'written' bracket" in timing.time_problems(_claim({"year": 2018}, [2018], ["defensible"]), None, "c")[0]


def test_the_ledger_loader_applies_the_rule(tmp_path):
    import shutil

    from analysis import paths

    for name in ("article.txt", "article.yaml"):
        shutil.copy(paths.DEFAULT_ARTICLE / name, tmp_path / name)
    text = paths.LEDGER.read_text(encoding="utf-8")
    late = '{value: 2019, sensitivity: "anachronistic: end-2019 figures describe a time after the op-ed was written"}'
    assert late in text
    (tmp_path / "claims.yaml").write_text(text.replace(late, '{value: 2019, defensible: "a fixture mark"}', 1),
                                          encoding="utf-8")
    with pytest.raises(LedgerError, match=r"claim '[a-z0-9-]+' \(entry \d+\), field 'choices\.\w+': 2019 dated after "
                                          r"the end of the writing bracket \(2019-03-21\); mark it sensitivity"):
        load_ledger(tmp_path / "claims.yaml")
