"""A notebook that raises, or whose kernel dies: the others finish, the failure names notebook,
cell and error, the exit code is non-zero, and the last good HTML of the failed one is kept."""
import shutil

import nbformat
import pandas as pd
import pytest

from analysis import cli, paths
from analysis.claims.ledger import Ledger, NotebookSpec, load_ledger
from analysis.report import runner


def notebook(*sources):
    node = nbformat.v4.new_notebook()
    node.cells = [nbformat.v4.new_markdown_cell("# A test notebook")]
    node.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    node.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return node


@pytest.fixture
def broken_project(tmp_path, monkeypatch):
    """The real R&D notebook plus one that raises in its third cell and one whose kernel dies."""
    real = load_ledger()
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(real.notebooks["01_rd_spending"].path, folder)
    nbformat.write(notebook("x = 1", "y = 2", "raise ValueError('no such column: rd_eur_m')"),
                   folder / "02_raises.ipynb")
    nbformat.write(notebook("import os, signal", "os.kill(os.getpid(), signal.SIGKILL)", "print('never')"),
                   folder / "03_dies.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    specs = {"01_rd_spending": real.notebooks["01_rd_spending"],
             "02_raises": NotebookSpec("02_raises", "raises"), "03_dies": NotebookSpec("03_dies", "dies")}
    ledger = Ledger(article=real.article, notebooks=specs, claims=real.claims)
    monkeypatch.setattr(runner, "load_ledger", lambda article=None: ledger)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "02_raises.html").write_text("<p>last good report</p>", encoding="utf-8")
    return ledger, reports


def test_failures_are_named_and_the_rest_still_runs(broken_project):
    ledger, reports = broken_project
    result = runner.run(reports_dir=reports, ledger=ledger)
    assert not result.ok
    assert result.failures["02_raises"] == ("notebook 02_raises, cell 4: ValueError: no such column: "
                                            "rd_eur_m")
    assert result.failures["03_dies"].startswith("notebook 03_dies, cell 3: DeadKernelError: the kernel died")
    assert list(result.html) == ["01_rd_spending"]
    assert (reports / "02_raises.html").read_text(encoding="utf-8") == "<p>last good report</p>"
    assert not (reports / "03_dies.html").exists()
    assert not [p for p in (reports / "notebooks").iterdir() if p.name.startswith(".run-")]
    assert sorted(p.name for p in paths.NOTEBOOKS.iterdir()) == ["01_rd_spending.ipynb", "02_raises.ipynb",
                                                                  "03_dies.ipynb"]  # no kernel sockets left
    card = pd.read_csv(result.scorecard, keep_default_na=False).set_index("claim_id")
    assert card.loc["rd-top-five-2018", "verdict"] == "supported"


def test_the_command_line_exits_non_zero_and_lists_each_failure(broken_project, capsys):
    _, reports = broken_project
    assert cli.main(["run", "--output", str(reports)]) == 1
    err = capsys.readouterr().err
    assert "FAILED   notebook 02_raises, cell 4: ValueError" in err
    assert "FAILED   notebook 03_dies, cell 3: DeadKernelError" in err
