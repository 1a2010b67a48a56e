"""The multiverse: every claim re-checked under every combination of its declared choices."""
import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.claims import audit, multiverse, verdicts
from analysis.claims.ledger import load_ledger
from analysis.errors import AuditError, LedgerError
from analysis.report import figures, runner
from analysis.report.scorecard import build_scorecard


@pytest.fixture(scope="module")
def ledger():
    return load_ledger()


@pytest.fixture(scope="module")
def table(ledger):
    return multiverse.evaluate(ledger=ledger)


@pytest.fixture(scope="module")
def summary(table, ledger):
    return multiverse.robustness(table, ledger).set_index("claim_id")


# --- specifications and ids ---------------------------------------------------------------------

def test_spec_id_is_a_stable_hash_of_the_sorted_choices():
    assert multiverse.spec_id({"edition": 2017}) == "de2ee07f890d"
    assert multiverse.spec_id({"fx_source": "fed_g5a", "fx_year": 2019}) == \
        multiverse.spec_id({"fx_year": 2019, "fx_source": "fed_g5a"})
    assert multiverse.spec_id({"edition": 2017}) != multiverse.spec_id({"edition": "2017"})
    assert multiverse.canonical({"b": 1.0, "a": [1, "x"]}) == '{"a":[1,"x"],"b":1.0}'


def test_specifications_cross_every_choice_and_include_the_headline_once(ledger):
    claim = ledger.claim("rd-spend-over-15bn-2019")
    specs = multiverse.specifications(claim, ledger)
    assert len(specs) == 2 * 3
    assert len({s.id for s in specs}) == len(specs)
    [head] = [s for s in specs if s.headline]
    assert head.choices == {"fx_source": "fed_g5a", "fx_year": 2019} == claim.parameters


def test_a_group_of_choices_sets_its_parameters_together(ledger):
    claim = ledger.claim("users-share-40pct")
    specs = multiverse.specifications(claim, ledger)
    assert len(specs) == 3 * 12
    combos = {(s.choices["population_source"], s.choices["population_year"]) for s in specs}
    assert ("un_wpp2019", 2018) not in combos  # not a declared option: WPP2019 has no 2018 figure
    wb = {(s.choices["population_vintage"], s.choices["population_year"]) for s in specs
          if s.choices["population_source"] == "world_bank"}
    assert ("2020-04-14", 2019) not in wb and ("2026-03-06", 2019) in wb


def test_every_claim_with_choices_has_its_headline_and_reproduces_the_notebook_verdict(ledger, table):
    claims = multiverse.claims_with_choices(ledger)
    assert len(claims) == 20
    for claim in claims:
        rows = table[table["claim_id"] == claim.id]
        head = rows[rows["headline"]]
        assert len(head) == 1, claim.id
        expected = audit.assess_specification(claim, claim.parameters)
        assert head["verdict"].iloc[0] == expected.verdict.value, claim.id
        assert head["measured_value"].iloc[0] == verdicts.measured_text(expected.measured_value), claim.id
        assert json.loads(head["choices"].iloc[0]) == {k: claim.parameters[k]
                                                       for k in json.loads(head["choices"].iloc[0])}


def test_claims_without_choices_are_not_in_the_table_and_say_so_in_the_scorecard(ledger, table):
    assert "cyber-essentials-plus-2018" not in set(table["claim_id"])
    card = build_scorecard(ledger, []).set_index("claim_id")
    assert card.loc["cyber-essentials-plus-2018", "robustness"] == multiverse.NO_CHOICES
    assert card.loc["rd-top-five-2018", "robustness"] == (
        "supported in 1/1 defensible reading; sensitivity checks, not fair readings of the claim: 1 of 3 give another "
        "verdict (another period: the 2017 edition ranks fiscal 2016/17 spending, not 2018: not supported)")


def test_a_headline_is_conflicting_exactly_when_its_defensible_readings_split(ledger, table):
    from analysis.claims.judge import side

    for claim in multiverse.claims_with_choices(ledger):
        rows = table[(table["claim_id"] == claim.id) & table["defensible"]]
        sides = {side(verdicts.Verdict(v)) for v in rows["verdict"]}
        published = next(a for a in audit.assess_notebook(claim.notebook, {}, ledger) if a.claim_id == claim.id)
        split = {"met", "not met"} <= sides
        own = rows[rows["headline"]]["verdict"].iloc[0]
        assert (published.verdict is verdicts.Verdict.CONFLICTING) == (split or own == "conflicting"), claim.id
        if split:
            assert "readings" in published.policies and "Defensible readings disagree" in published.reason
        else:
            assert published.verdict.value == own, claim.id
    ren = ledger.claim("ren-largest-shareholder")
    assert "split by the union reading" in audit.assess_claim(ren, ren.parameters).reason  # names the split


# --- known flips ----------------------------------------------------------------------------------

def test_the_rank_claim_flips_with_the_2017_edition(ledger, table, summary):
    rows = table[table["claim_id"] == "rd-top-five-2018"].set_index("choices")
    assert rows.loc['{"edition":2017}', ["measured_value", "verdict"]].tolist() == ["6", "not supported"]
    assert rows.loc['{"edition":2020}', ["measured_value", "verdict"]].tolist() == ["3", "supported"]
    [flip] = summary.loc["rd-top-five-2018", "flips"]
    assert (flip["choice"], flip["verdict"], flip["measured_value"]) == ("edition=2017", "not supported", "6")
    assert flip["spec_id"] == multiverse.spec_id({"edition": 2017})


@pytest.mark.parametrize("claim_id, choice, verdict", [
    ("ebola-sierra-leone-2014-2016", "ebola_end=end_of_transmission", "not supported"),
    ("private-100pct", "union_reading=not_private", "not supported"),
    ("ren-share-just-over-1pct", "just_over_margin=0.1", "not supported"),
    ("shareholding-employees-97000", "year=2019", "not supported"),
    ("japan-quake-deaths-15000", "quake_toll_as_of=2019-03-01", "supported with caveats"),
    # highest-security-ratings no longer flips: with CMVP numbers missing, every reading is not checkable
    ("no-major-breach", "major_breach_definition=alleged_breach", "conflicting"),
    ("track-record-30-years", "years_tolerance=1.0", "not supported"),
])
def test_known_flips_are_found(summary, claim_id, choice, verdict):
    flips = {f["choice"]: f["verdict"] for f in summary.loc[claim_id, "flips"]}
    assert flips.get(choice) == verdict


def test_robust_claims_have_no_flip(summary):
    for claim_id in ("rd-spend-over-15bn-2019", "independently-validated", "countries-170-plus-operate"):
        row = summary.loc[claim_id]
        assert row["agree"] == row["specifications"] and row["flips"] == []


def test_a_split_without_single_flips_is_named():
    assert multiverse.robustness_line("supported", 3, 4, [], 0) == (
        "supported in 3/4 defensible readings; flips only when choices combine")


def test_sensitivity_checks_are_counted_apart(summary):
    line = summary.loc["users-share-40pct", "robustness"]
    assert line.startswith("company figures only in 8/8 defensible readings; sensitivity checks, not fair readings "
                           "of the claim: 9 of 28 give another verdict")
    assert summary.loc["users-share-40pct", "specifications"] == 8


def test_verdict_shares_count_every_specification(summary):
    for claim_id, row in summary.iterrows():
        assert sum(json.loads(row["verdicts"]).values()) == row["specifications"], claim_id


# --- the committed table -------------------------------------------------------------------------

def test_committed_multiverse_equals_a_fresh_evaluation(table, tmp_path):
    written = multiverse.write_multiverse(out_dir=tmp_path)
    committed = paths.DEFAULT_ARTICLE / multiverse.MULTIVERSE_FILE
    assert written.read_bytes() == committed.read_bytes(), \
        f"{committed} is stale: run `python -m analysis multiverse`"
    record = committed.with_name("multiverse.inputs.json")
    assert json.loads(written.with_name(record.name).read_text(encoding="utf-8")) == \
        json.loads(record.read_text(encoding="utf-8")), f"{record} is stale: run `python -m analysis multiverse`"
    loaded = multiverse.load_multiverse()
    assert loaded["spec_id"].tolist() == table["spec_id"].tolist()
    assert loaded["headline"].dtype == bool and loaded["measured_number"].dtype == float


def test_evaluating_twice_gives_the_same_table(ledger, table):
    again = multiverse.evaluate(ledger=ledger)
    pd.testing.assert_frame_equal(again, table)


def test_measured_numbers_are_numbers_or_empty(table):
    share = table[table["claim_id"] == "users-share-40pct"]
    assert share["measured_number"].between(38, 40).all()
    text = table[table["claim_id"] == "countries-170-plus-operate"]
    assert text["measured_number"].isna().all() and (text["measured_value"] == "170+").all()
    assert math.isnan(verdicts.number(None)) and verdicts.measured_text(19.059) == "19.059"


# --- ledger validation --------------------------------------------------------------------------

def _marked(name, *values, kind="defensible"):
    """A choices mapping in the ledger's flow syntax, each value marked (a fixture)."""
    return "{" + name + ": [" + ", ".join(f"{{value: {v}, {kind}: reason}}" for v in values) + "]}"


def with_choices(text, claim_id, choices):
    """The ledger ``text`` with the choices of ``claim_id`` replaced by ``choices`` (flow syntax)."""
    import re

    start = text.index(f"  - id: {claim_id}\n")
    found = re.compile(r"    choices:.*?\n(?=    [a-z]|  - id:)", re.S).search(text, start)
    return text[:found.start()] + f"    choices: {choices}\n" + text[found.end():]


@pytest.mark.parametrize("choices, message", [
    (_marked("edition", 2016, 2019), "field 'choices.edition': parameter 'edition': 2016 is not allowed"),
    (_marked("edition", 2017, 2018), "field 'choices.edition': the claim's own value (edition=2019) must be one"),
    (_marked("fx_year", 2018, 2019), "field 'choices.fx_year': fx_year not among the claim's parameters"),
    (_marked("top", 1, 5), "field 'choices.top': 'top' is not a parameter of notebook 01_rd_spending"),
    (_marked("edition", 2019, 2019), "field 'choices.edition': a value is listed twice"),
    ("{edition: [2017, {value: 2019, defensible: x}]}", "field 'choices.edition': value 2017 is not marked; write it "
                                                        "as {value: ..., defensible:"),
    ("{edition: [{value: 2019, defensible: x, sensitivity: y}]}", "field 'choices.edition': value 2019 is not marked"),
    ("{edition: [{value: 2019, defensible: ''}]}", "field 'choices.edition': value 2019 is not marked"),
    (_marked("edition", 2019, kind="sensitivity"), "field 'choices.edition': the claim's own value is marked "
                                                   "sensitivity; the headline must be a defensible reading"),
])
def test_bad_choices_are_named_with_claim_and_field(tmp_path, choices, message):
    text = with_choices(paths.LEDGER.read_text(encoding="utf-8"), "rd-top-five-2018", choices)
    import shutil

    for name in ("article.txt", "article.yaml"):
        shutil.copy(paths.DEFAULT_ARTICLE / name, tmp_path / name)
    bad = tmp_path / "claims.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError) as err:
        load_ledger(bad)
    assert "claim 'rd-top-five-2018' (entry 11), " + message in str(err.value)


# --- robustness notebook pieces, command line, rendering -----------------------------------------

def test_spec_curve_chart_draws_numbers_and_describes_the_verdicts(ledger, table):
    chart = figures.specification_curve(ledger.claim("rd-top-five-2018"), table)
    # the claim is named by its words in the op-ed, not its ledger id
    assert chart.alt.startswith("Specification curve, “Huawei was one of the top five R&D spenders globally in…” "
                                "(4 specifications): 4 of 4 specifications drawn, measured rank from 3 to 6, "
                                "against the threshold 5")
    assert "not supported 1" in chart.alt and chart.png()[:4] == b"\x89PNG"
    assert figures.specification_curve(ledger.claim("highest-security-ratings"), table) is None  # text values


def test_tables_for_the_notebook(summary):
    frame = summary.reset_index()
    shares = multiverse.verdict_table(frame).set_index("claim")
    assert shares.loc["rd-top-five-2018", ["supported", "not supported", "agree"]].tolist() == [1, 0, "1/1 (100%)"]
    flips = multiverse.flips_table(frame)
    assert flips[flips["claim"] == "rd-top-five-2018"]["choice"].tolist() == ["edition=2017"]


def test_choice_flips_are_the_declared_options_that_change_a_runs_verdict(ledger, table, summary):
    claim = ledger.claim("rd-top-five-2018")
    found = multiverse.choice_flips(claim, claim.parameters, ledger)
    assert [(f.axis, f.changes, f.assessment.verdict.value) for f in found] == [("edition", {"edition": 2017},
                                                                                "not supported")]
    # at the headline, the live flips are the multiverse table's
    assert [f.changes for f in found] == [{"edition": 2017}] and summary.loc[claim.id, "flips"][0]["choice"] == \
        "edition=2017"
    # from another run's parameters, the options are applied to those (the others kept)
    moved = multiverse.choice_flips(claim, {**claim.parameters, "edition": 2017}, ledger)
    assert [(f.changes, f.assessment.verdict.value) for f in moved] == [
        ({"edition": e}, "supported") for e in (2018, 2019, 2020)]
    # a group option names only the parameters it changes
    share = ledger.claim("users-share-40pct")
    assert all(f.changes and all(share.parameters.get(k) != v for k, v in f.changes.items())
               for f in multiverse.choice_flips(share, share.parameters, ledger))


def test_shared_choices_are_what_a_group_of_specifications_has_that_not_all_have():
    rows = pd.DataFrame({"choices": ['{"source":"un","tolerance":0,"year":2018}',
                                     '{"source":"un","tolerance":5,"year":2018}',
                                     '{"source":"wb","tolerance":0,"year":2018}',
                                     '{"source":"wb","tolerance":5,"year":2018}']})
    assert multiverse.shared_choices(rows.iloc[:2], rows) == {"source": "un"}  # year: every row has it
    assert multiverse.shared_choices(rows.iloc[[0]], rows) == {"source": "un", "tolerance": 0}
    assert multiverse.shared_choices(rows.iloc[[0, 3]], rows) == {}
    assert multiverse.shared_choices(rows.iloc[:0], rows) == {}
    lists = pd.DataFrame({"choices": ['{"vendors":["Huawei","ZTE"]}', '{"vendors":["Huawei"]}']})
    assert multiverse.shared_choices(lists.iloc[:1], lists) == {"vendors": ["Huawei", "ZTE"]}


def test_cli_prints_the_robustness_of_named_claims():
    out = subprocess.run([sys.executable, "-m", "analysis", "multiverse", "rd-top-five-2018"],
                         capture_output=True, text=True, check=True)
    assert out.stdout == ("rd-top-five-2018: supported in 1/1 defensible reading; sensitivity checks, not fair readings "
                          "of the claim: 1 of 3 give another verdict (another period: the 2017 edition ranks fiscal "
                          "2016/17 spending, not 2018: not supported)\n")
    bad = subprocess.run([sys.executable, "-m", "analysis", "multiverse", "cyber-essentials-plus-2018"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "no choices declared for claim(s) cyber-essentials-plus-2018" in bad.stderr


def test_an_unknown_spec_id_is_an_error(ledger):
    with pytest.raises(AuditError, match="no specification 'ffffffffffff'"):
        multiverse.find("ffffffffffff", ledger)


def test_one_specification_renders_as_a_full_notebook(ledger, tmp_path):
    spec = multiverse.spec_id({"edition": 2017})
    [(claim, found)] = multiverse.find(spec, ledger)
    assert claim.id == "rd-top-five-2018" and found.choices == {"edition": 2017}
    result = runner.render_specification(spec, reports_dir=tmp_path, ledger=ledger)
    assert result.ok and set(result.executed) == {"01_rd_spending"}
    card = pd.read_csv(result.scorecard, keep_default_na=False).set_index("claim_id")
    assert card.loc["rd-top-five-2018", ["measured_value", "verdict"]].tolist() == ["6", "not supported"]
    page = (tmp_path / "01_rd_spending.html").read_text(encoding="utf-8")
    assert "2017 (changed)" in page


def test_benchmark_runs_alone_and_reports_its_rate():
    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "multiverse.py"
    out = subprocess.run([sys.executable, str(bench)], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("multiverse: 198 specifications of 20 claims in ") and "specs/s" in out.stdout
