"""Shared fixtures.  Tests that need raw (fetched) data use ``raw_data``:

- if the files are already in data/raw and verified, they are used;
- else, if ANALYSIS_DATA_MIRROR is set (as in CI), they are fetched from it and
  any failure fails the test;
- else the test is skipped with a message naming the datasets and the fix.
"""
import fcntl
import os

import pytest

from analysis import measures, paths
from analysis.data import fetch

#: The test article (a fixture written for the tests: claims without a theme notebook, no code knows it).
FIXTURE_ARTICLE = paths.ROOT / "tests" / "fixtures" / "articles" / "rd-and-population-fixture"


def require_raw(*keys):
    """Make sure ``keys`` are present and verified in data/raw, or skip with the reason."""
    absent = fetch.missing(keys)
    if not absent:
        return paths.RAW
    if paths.mirror_dir() is not None:
        fetch.fetch(absent, progress=False)
        return paths.RAW
    pytest.skip(f"raw dataset(s) {', '.join(absent)} not available: run `make data` (needs internet) "
                f"or set ANALYSIS_DATA_MIRROR to a local mirror")


@pytest.fixture(scope="session")
def scoreboards_raw():
    """The four raw Scoreboard editions and the FX file (fetched if need be)."""
    from analysis.data.build import OUTPUTS

    return require_raw(*sorted({k for _, keys in OUTPUTS.values() for k in keys}))


@pytest.fixture(autouse=True)
def fresh_measurements():
    """Every test starts and ends with no memoised measurement, so a test that replaces a table
    (a fixture) never sees, or leaves behind, measurements of another table."""
    measures.clear_cache()
    yield
    measures.clear_cache()



def shared_build(tmp_path_factory, name, build):
    """Run ``build()`` (a report build returning the runner's result) once per test session, however many
    tests and pytest-xdist workers ask for it.  Under xdist the first worker to ask builds while holding a
    lock file in the session's own temporary folder (common to its workers, never to another session);
    the others wait for the lock and read the outcome it left, so a failed build fails every test that
    asked for it, with the same failures.  Without xdist the build simply runs."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        result = build()
        assert result.ok, result.failures
        return
    shared = tmp_path_factory.getbasetemp().parent  # this session's folder, common to its workers
    outcome = shared / f"{name}.outcome"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, however the build ends
        if not outcome.exists():
            try:
                result = build()
                outcome.write_text("" if result.ok else repr(result.failures), encoding="utf-8")
            except BaseException as exc:
                outcome.write_text(f"the build raised {exc!r}", encoding="utf-8")
                raise
    failures = outcome.read_text(encoding="utf-8")
    assert not failures, f"the session's shared build {name} failed: {failures}"


def _session_folder(tmp_path_factory):
    """This session's temporary folder, common to its xdist workers (never another session's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def published_report(tmp_path_factory):
    """The op-ed's published report as `make report` builds it (the ledger's parameters, the published folder
    ``<reports>/<slug>/`` and the landing page ``<reports>/index.html`` beside it), built from cold
    (``use_cache=False``) once per test session (:func:`shared_build`) for every test that only reads a built
    report.  The reports root is a folder of the session's own (``paths.REPORTS`` while it builds), so the
    report holds exactly what this build wrote, whatever ``reports/`` holds.  Tests that need a build of
    their own (a variant, a build to compare, a cache to invalidate) still run one."""
    from analysis.claims.ledger import load_ledger
    from analysis.report.runner import run

    root = _session_folder(tmp_path_factory) / "reports"

    def build():
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(paths, "REPORTS", root)
            return run(use_cache=False, progress=False)

    shared_build(tmp_path_factory, "published-report", build)
    return load_ledger().article.reports_dir(root)


@pytest.fixture(scope="session")
def fixture_article_report(tmp_path_factory):
    """The test article's report (a fixture article, tests/fixtures/articles/rd-and-population-fixture),
    built from cold (``use_cache=False``, two workers, no ``SOURCE_DATE_EPOCH``: the build
    tests/test_reproducible.py compares a second one with) into a folder of the session's own, once per
    session (:func:`shared_build`)."""
    from analysis.report.runner import run

    out = _session_folder(tmp_path_factory) / "fixture-article" / FIXTURE_ARTICLE.name

    def build():
        epoch = os.environ.pop("SOURCE_DATE_EPOCH", None)
        try:
            return run(article=FIXTURE_ARTICLE, reports_dir=out, use_cache=False, jobs=2, progress=False)
        finally:
            if epoch is not None:
                os.environ["SOURCE_DATE_EPOCH"] = epoch

    shared_build(tmp_path_factory, "fixture-article-report", build)
    return out


#: Test files run on the same pytest-xdist worker as another (``--dist loadfile`` otherwise keeps each file
#: on one worker): test_build.py's rebuild of data/processed parses every NVD feed with the build's defaults,
#: as test_nvd.py's parallel summary does, and in one process the second reads the first's result from
#: ``nvd.summarise_feeds``'s own memo (keyed by each feed's path, size and time) instead of parsing
#: 740 MB of JSON again (measured: 44 -> 33 CPU-s for the two files under ``-n 2``).  The parallel summary
#: test_nvd.py compares with the serial and stdlib-json passes is still computed from the raw feeds by the
#: same call in the same process (by whichever of the two tests runs first); the other two passes always run.
SAME_WORKER = {"tests/test_build.py": "tests/test_nvd.py"}

#: Test files handed out first, heaviest first (CPU-s of every process, Chromium and kernels included, in one
#: run of the whole suite on one worker, 2 December 2026: 102, 32 with test_build.py, 19, 11, 10, 10, 9, 8, 8,
#: 7, 6).  pytest-xdist's ``loadfile`` otherwise hands files out by their number of tests, most first, so the
#: browser tests (14 tests, a third of the suite's CPU) started mid-run and files of a few long tests (process
#: lifetime, Ctrl-C, reproducible bytes) came last, leaving one worker alone at the end.  Longest first, then
#: the rest in xdist's order, is the usual greedy schedule; a file missing here only runs later.
HEAVIEST_FIRST = ("tests/test_browser.py", "tests/test_nvd.py", "tests/test_process_lifetime.py",
                  "tests/test_interrupt.py", "tests/test_second_article.py", "tests/test_parallel.py",
                  "tests/test_extract.py", "tests/test_cache.py", "tests/test_kernels.py",
                  "tests/test_multiverse.py", "tests/test_execution_faults.py")


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: without it (`-p no:xdist`) nothing to schedule
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, with the files of :data:`SAME_WORKER` scheduled as one unit and those of
    :data:`HEAVIEST_FIRST` handed out first."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LoadFileSharing(LoadFileScheduling):
        def _split_scope(self, nodeid):
            scope = super()._split_scope(nodeid)
            return SAME_WORKER.get(scope, scope)

        def _assign_work_unit(self, node):
            heaviest = next((scope for scope in HEAVIEST_FIRST if scope in self.workqueue), None)
            if heaviest is not None:
                self.workqueue.move_to_end(heaviest, last=False)  # the unit the base class pops next
            super()._assign_work_unit(node)

    return LoadFileSharing(config, log)
