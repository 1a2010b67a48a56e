"""The runner: parameters checked before any kernel starts, notebooks executed, scorecard complete."""
import subprocess
import sys

import nbformat
import pandas as pd
import papermill
import pytest

from analysis.claims.ledger import load_ledger
from analysis.errors import ParameterError
from analysis.report.runner import plan_run, run


@pytest.fixture(scope="module")
def ledger():
    return load_ledger()


def test_plan_coerces_cli_strings(ledger):
    [(spec, params)] = plan_run(ledger, notebooks=["01_rd_spending"],
                                overrides={"edition": "2020", "fx_source": "fred_datahub"})
    assert spec.name == "01_rd_spending"
    assert params == {"edition": 2020, "top_n": 5, "entity": "Huawei", "fx_source": "fred_datahub",
                      "fx_year": 2019}


@pytest.mark.parametrize("overrides, message", [
    ({"unknown": "1"}, "unknown parameter(s) unknown; valid parameters are:\n  edition (int, default 2019"),
    ({"top_n": "five"}, "parameter 'top_n': 'five' is not a valid int; expected top_n (int, default 5"),
    ({"edition": "1999"}, "parameter 'edition': 1999 is not allowed; choose one of [2017, 2018, 2019, 2020]"),
    ({"top_n": "0"}, "parameter 'top_n': 0 is out of range"),
    ({"share_tolerance": "nan"}, "parameter 'share_tolerance': 'nan' is not a finite number"),
    ({"share_tolerance": "inf"}, "parameter 'share_tolerance': 'inf' is not a finite number"),
    ({"first_year": "2021", "last_year": "1999"},
     "notebook 03_security_record: first_year = 2021 is after last_year = 1999"),
    ({"first_year": "2020"}, "notebook 03_security_record: first_year = 2020 is after last_year = 2019"),
])
def test_bad_parameters_are_rejected_with_the_valid_ones(ledger, overrides, message):
    with pytest.raises(ParameterError) as err:
        plan_run(ledger, overrides=overrides)
    assert message in str(err.value)


def test_cli_rejects_unknown_parameter_before_starting_a_kernel(tmp_path):
    out = subprocess.run([sys.executable, "-m", "analysis", "run", "-p", "unknown", "1", "--output",
                          str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 2
    assert "error: unknown parameter(s) unknown" in out.stderr and "fx_source (str" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_params_lists_types_and_defaults():
    out = subprocess.run([sys.executable, "-m", "analysis", "params", "01_rd_spending"],
                         capture_output=True, text=True, check=True)
    assert "edition (int, default 2019 one of [2017, 2018, 2019, 2020])" in out.stdout


def test_notebook_parameter_cell_matches_the_ledger_defaults(ledger):
    for spec in ledger.notebooks.values():
        found = papermill.inspect_notebook(str(spec.path))
        assert {k: eval(v["default"]) for k, v in found.items()} == spec.defaults()


def test_committed_notebooks_carry_outputs_and_no_run_metadata(ledger):
    for spec in ledger.notebooks.values():
        node = nbformat.read(spec.path, as_version=4)
        code = [c for c in node.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code) and any(c.outputs for c in code)
        assert "papermill" not in node.metadata


@pytest.fixture(scope="module")
def reports(published_report):
    """A complete cold run with the ledger's parameters (tests/conftest.py, shared by the session)."""
    return published_report


def test_run_writes_a_scorecard_of_every_claim(reports, ledger):
    card = pd.read_csv(reports / "scorecard.csv", keep_default_na=False)
    assert card["claim_id"].tolist() == [c.id for c in ledger.claims]
    assert {"claim_id", "quote", "stated_value", "measured_value", "unit", "verdict", "notebook",
            "sources"} <= set(card.columns)
    rd_rows = card.set_index("claim_id").loc[["rd-top-five-2018", "rd-spend-over-15bn-2019"]]
    assert rd_rows["measured_value"].tolist() == ["5", "19.059"]
    assert rd_rows["verdict"].tolist() == ["supported", "company figures only"]
    assert (card[card["notebook"] == ""]["verdict"] == "not yet audited").all()


def test_run_renders_html_and_index(reports, ledger):
    index = (reports / "index.html").read_text(encoding="utf-8")
    for c in ledger.claims:
        assert f'id="{c.id}"' in index
    assert 'href="01_rd_spending.html"' in index
    page = (reports / "01_rd_spending.html").read_text(encoding="utf-8")
    assert "top five R&amp;D spenders" in page and "Traceback" not in page


def test_a_parameter_moves_the_verdict(tmp_path):
    # `edition` is a parameter of 01_rd_spending alone, so only that notebook runs (the other six would run
    # with the ledger's parameters, as in the published report, and show nothing about this one)
    result = run(notebooks=["01_rd_spending"], overrides={"edition": "2017"}, reports_dir=tmp_path)
    card = pd.read_csv(result.scorecard, keep_default_na=False).set_index("claim_id")
    assert card.loc["rd-top-five-2018", "measured_value"] == "6"
    assert card.loc["rd-top-five-2018", "verdict"] == "not supported"
    executed = nbformat.read(tmp_path / "notebooks" / "01_rd_spending.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)


def test_a_date_parameter_is_checked_before_any_kernel_starts(ledger):
    with pytest.raises(ParameterError, match=r"parameter 'cutoff_date': '2018-13-01' is not a date; expected "
                                             r"cutoff_date \(str, default '2018-12-31' ISO date YYYY-MM-DD\)"):
        plan_run(ledger, overrides={"cutoff_date": "2018-13-01"})
    [(_, params)] = plan_run(ledger, notebooks=["04_certifications"], overrides={"cutoff_date": "2015-12-31"})
    assert params["cutoff_date"] == "2015-12-31"
