"""A rebuild with nothing changed (analysis.report.fresh): recognised from the record a complete run
leaves, and only then; any change of input, output or arguments goes the whole way."""
import subprocess
import sys

import nbformat
import pytest
from test_parallel import notebook

from analysis import paths
from analysis.claims.ledger import Ledger, NotebookSpec, load_ledger
from analysis.report import fresh, runner


def _build(tmp_path, monkeypatch):
    """A complete run of a one-notebook ledger (its notebooks folder ``paths.NOTEBOOKS`` while ``monkeypatch``
    holds) into a reports folder; returns that folder and the ledger."""
    real = load_ledger()
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(notebook("print(6 * 7)"), folder / "01_one.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    ledger = Ledger(article=real.article, notebooks={"01_one": NotebookSpec("01_one", "One")}, claims=real.claims)
    reports = tmp_path / "reports"
    result = runner.run(ledger=ledger, reports_dir=reports, jobs=1, progress=False)
    assert result.ok and (reports / fresh.RECORD).is_file()
    return reports, ledger


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A build of the test's own, for a test that changes its outputs, its notebook or runs again on it."""
    return _build(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def _shared_build(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        reports, ledger = _build(tmp_path_factory.mktemp("fresh"), monkeypatch)
        return reports, ledger, paths.NOTEBOOKS


@pytest.fixture
def read_only_build(_shared_build, monkeypatch):
    """One build of the module for the tests that only ask :func:`fresh.unchanged` about it (which writes
    nothing), its notebooks folder ``paths.NOTEBOOKS`` during the test as during the build."""
    reports, ledger, folder = _shared_build
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    return reports, ledger


def test_a_run_with_nothing_changed_is_recognised(read_only_build):
    built, _ = read_only_build
    found = fresh.unchanged(reports_dir=built)
    assert found is not None and found.cached == ["01_one"] and found.html["01_one"] == built / "01_one.html"
    assert found.scorecard.is_file() and found.index.is_file()


def test_another_claimreview_base_url_is_not_unchanged(read_only_build):
    built, _ = read_only_build
    assert fresh.unchanged(reports_dir=built, options={"base_url": "https://example.org/audit"}) is None
    assert fresh.unchanged(reports_dir=built, options={}) is not None


def test_an_edited_or_missing_output_is_not_unchanged(built):
    built, _ = built
    page = built / "01_one.html"
    page.write_text(page.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert fresh.unchanged(reports_dir=built) is None
    page.unlink()
    assert fresh.unchanged(reports_dir=built) is None


def test_a_changed_notebook_or_other_arguments_are_not_unchanged(built):
    built, _ = built
    assert fresh.unchanged(reports_dir=built, overrides=[("edition", "2017")]) is None
    assert fresh.unchanged(reports_dir=built, notebooks=["01_one"]) is None
    assert fresh.unchanged(reports_dir=built, use_cache=False) is None
    nbformat.write(notebook("print(6 * 8)"), paths.NOTEBOOKS / "01_one.ipynb")
    assert fresh.unchanged(reports_dir=built) is None


def test_a_run_that_may_change_the_report_forgets_the_record_first(built, monkeypatch):
    built, ledger = built
    def fail(*args, **kwargs):
        assert not (built / fresh.RECORD).exists(), "the record outlived the start of a run"
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_execute_plan", fail)
    with pytest.raises(KeyboardInterrupt):
        runner.run(ledger=ledger, reports_dir=built, jobs=1, progress=False)
    assert fresh.unchanged(reports_dir=built) is None


def test_the_no_op_path_imports_no_notebook_machinery(tmp_path):
    code = ("import sys\nfrom analysis.report import fresh\nfresh.unchanged(reports_dir=sys.argv[1])\n"
            "heavy = sorted(m for m in ('pandas', 'nbformat', 'jupyter_client', 'papermill', 'nbconvert') "
            "if m in sys.modules)\nprint(heavy)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_another_value_of_an_option_that_shapes_the_report_is_not_unchanged(read_only_build):
    built, _ = read_only_build
    assert fresh.unchanged(reports_dir=built, options={"base_url": "https://example.org/r/"}) is None


def test_likely_executes_guesses_from_the_options_and_the_report_folders_records(tmp_path):
    from analysis.report import cache

    folder = tmp_path / "report"
    assert fresh.likely_executes(reports_dir=folder)  # no folder yet: a first run
    (folder / "notebooks").mkdir(parents=True)
    assert fresh.likely_executes(reports_dir=folder)  # a folder with no result in it
    cache.write_record(folder / "notebooks", cache.Record(notebook="a", key="k", parts={}))
    assert not fresh.likely_executes(reports_dir=folder)  # results to reuse: maybe nothing to execute
    assert fresh.likely_executes(reports_dir=folder, use_cache=False)
    assert fresh.likely_executes(reports_dir=folder, overrides=[("top_n", "4")])
    assert not fresh.likely_executes(article=tmp_path / "no-such-article")  # the run will refuse it


def test_the_command_line_starts_the_template_early_only_for_a_run_that_will_execute(tmp_path, monkeypatch):
    import argparse

    from analysis import cli
    from analysis.report import kernels

    if not kernels.enabled():
        pytest.skip("no warm kernels here (not Linux, or switched off)")
    monkeypatch.setattr(kernels, "_TEMPLATES", {})
    args = argparse.Namespace(scheduler=None, article=None, output=str(tmp_path / "report"), parameter=None,
                              no_cache=False)
    end = cli._warm_kernels_early(args)  # a first run into an empty folder: it will execute
    try:
        started = kernels._TEMPLATES[kernels.folder_key(paths.NOTEBOOKS)]
        assert started.alive
    finally:
        end()
    assert not kernels._TEMPLATES and started.process.poll() is not None  # ended and collected
    (tmp_path / "report" / "notebooks").mkdir(parents=True)
    (tmp_path / "report" / "notebooks" / "01_rd_spending.cache.json").write_text("{}")
    assert cli._warm_kernels_early(args) is None and not kernels._TEMPLATES  # results to reuse: not early
    args.scheduler = "tcp://127.0.0.1:1"
    args.no_cache = True
    assert cli._warm_kernels_early(args) is None  # on a Dask cluster the workers start their own
