"""Notebooks run concurrently: in threads of the run's process (the default), on any concurrent.futures executor,
on a Dask cluster; a kernel that fails to start is started again; Ctrl-C stops every worker and
kernel and keeps nothing partial."""
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from analysis import cli, paths
from analysis.claims.ledger import Ledger, NotebookSpec, load_ledger
from analysis.report import fresh, runner


def notebook(*sources):
    node = nbformat.v4.new_notebook()
    node.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    node.cells = [nbformat.v4.new_markdown_cell("# A test notebook")] + [nbformat.v4.new_code_cell(s) for s in sources]
    return node


def rendezvous(folder, me, other):
    """Cells that succeed only if notebook ``other`` runs at the same time as ``me``."""
    return (f"import pathlib, time\nhere = pathlib.Path({str(folder)!r})\n(here / {me!r}).touch()",
            f"for _ in range(600):\n    if (here / {other!r}).exists():\n        break\n    time.sleep(0.1)\n"
            f"else:\n    raise TimeoutError('{other} never ran alongside {me}')\nprint('met {other}')")


@pytest.fixture
def pair(tmp_path, monkeypatch):
    """Two notebooks that each wait for the other: they pass only when run concurrently."""
    real = load_ledger()
    folder, meet = tmp_path / "notebooks", tmp_path / "meet"
    folder.mkdir()
    meet.mkdir()
    nbformat.write(notebook(*rendezvous(meet, "a", "b")), folder / "01_a.ipynb")
    nbformat.write(notebook(*rendezvous(meet, "b", "a")), folder / "02_b.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    specs = {n: NotebookSpec(n, n) for n in ("01_a", "02_b")}
    return Ledger(article=real.article, notebooks=specs, claims=real.claims), tmp_path / "reports"


def test_by_default_notebooks_run_at_once_from_this_process(pair):
    ledger, reports = pair
    result = runner.run(ledger=ledger, reports_dir=reports, jobs=2, progress=False)
    assert result.ok, result.failures  # each waited for the other: they ran at the same time
    assert sorted(result.executed) == ["01_a", "02_b"]
    workers = {t["worker"] for t in result.timings.values()}
    assert workers == {f"{os.uname().nodename}:{os.getpid()}"}  # no worker process: threads of this one
    node = nbformat.read(result.executed["01_a"], as_version=4)
    assert node.cells[-1].outputs[0]["text"] == "met b\n"
    assert (reports / "01_a.html").is_file() and (reports / "02_b.html").is_file()


def test_any_concurrent_futures_executor_can_run_them(pair):
    ledger, reports = pair
    before = os.getcwd()
    with ThreadPoolExecutor(max_workers=2) as pool:
        result = runner.run(ledger=ledger, reports_dir=reports, executor=pool, progress=False)
    assert result.ok, result.failures
    assert {t["worker"].rsplit(":", 1)[1] for t in result.timings.values()} == {str(os.getpid())}
    # two notebooks at once from threads of one process leave its working folder where it was
    assert os.getcwd() == before


def test_a_kernel_run_from_a_thread_works_in_the_notebooks_folder(pair):
    ledger, reports = pair
    for name in ("01_a", "02_b"):
        node = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4)
        node.cells.append(nbformat.v4.new_code_cell("import os\nprint(os.getcwd())"))
        nbformat.write(node, paths.NOTEBOOKS / f"{name}.ipynb")
    with ThreadPoolExecutor(max_workers=2) as pool:
        result = runner.run(ledger=ledger, reports_dir=reports, executor=pool, progress=False)
    assert result.ok, result.failures
    for name in ("01_a", "02_b"):
        node = nbformat.read(result.executed[name], as_version=4)
        assert node.cells[-1].outputs[0]["text"] == f"{paths.NOTEBOOKS}\n"


def test_a_dask_cluster_can_run_them(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    real = load_ledger()
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(notebook("import os\nprint('hello from', os.getpid() > 0)"), folder / "01_hello.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    ledger = Ledger(article=real.article, notebooks={"01_hello": NotebookSpec("01_hello", "hello")},
                    claims=real.claims)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        result = runner.run(ledger=ledger, reports_dir=tmp_path / "reports", scheduler=cluster.scheduler_address,
                            progress=False)
    assert result.ok, result.failures
    node = nbformat.read(result.executed["01_hello"], as_version=4)
    assert node.cells[-1].outputs[0]["text"] == "hello from True\n"
    assert (tmp_path / "reports" / "01_hello.html").is_file()


class FlakyKernelManager(runner.LocalKernelManager):
    """A kernel manager whose first ``failures`` starts fail, as a kernel-port race would."""

    failures = 0
    starts = 0

    async def start_kernel(self, **kwargs):
        FlakyKernelManager.starts += 1
        if FlakyKernelManager.starts <= FlakyKernelManager.failures:
            raise RuntimeError("Kernel didn't respond in 60 seconds (injected start failure)")
        return await super().start_kernel(**kwargs)


class NoWaitTime:
    """The :mod:`time` module as the runner sees it, except that ``sleep`` (its pause between kernel starts)
    is recorded, not waited: the injected failures do not go away with time (saves 2 s of wall per run)."""

    def __init__(self):
        self.waits = []

    def sleep(self, seconds):
        self.waits.append(seconds)

    def __getattr__(self, name):
        return getattr(time, name)


@pytest.fixture
def flaky(tmp_path, monkeypatch):
    monkeypatch.setattr(FlakyKernelManager, "starts", 0)
    monkeypatch.setattr(runner, "time", NoWaitTime())
    nbformat.write(notebook("print(6 * 7)"), tmp_path / "01_flaky.ipynb")
    return lambda failures: (monkeypatch.setattr(FlakyKernelManager, "failures", failures),
                             runner.execute_task(runner.Task("01_flaky", str(tmp_path / "01_flaky.ipynb"), {},
                                                             cwd=str(tmp_path), scratch=str(tmp_path / "out"),
                                                             kernel_manager=FlakyKernelManager)))[1]


def test_a_kernel_that_fails_to_start_is_started_again(flaky):
    outcome = flaky(1)
    assert not outcome.failure and outcome.timings["kernel_starts"] == 2
    assert nbformat.reads(outcome.notebook, as_version=4).cells[-1].outputs[0]["text"] == "42\n"


def test_kernel_starts_are_bounded(flaky, tmp_path):
    outcome = flaky(runner.KERNEL_START_ATTEMPTS)
    assert FlakyKernelManager.starts == runner.KERNEL_START_ATTEMPTS
    assert outcome.failure == ("notebook 01_flaky, before any cell ran: RuntimeError: Kernel didn't respond in 60 seconds "
                               "(injected start failure)")
    assert not [p for p in (tmp_path / "out").iterdir()]  # no temporary copy left


def test_a_cell_error_is_not_retried(tmp_path, monkeypatch):
    monkeypatch.setattr(FlakyKernelManager, "starts", 0)
    monkeypatch.setattr(FlakyKernelManager, "failures", 0)
    nbformat.write(notebook("raise ValueError('bad')"), tmp_path / "01_bad.ipynb")
    outcome = runner.execute_task(runner.Task("01_bad", str(tmp_path / "01_bad.ipynb"), {}, cwd=str(tmp_path),
                                              scratch=str(tmp_path), kernel_manager=FlakyKernelManager))
    assert outcome.failure == "notebook 01_bad, cell 2: ValueError: bad" and FlakyKernelManager.starts == 1


def test_the_command_line_passes_run_options(monkeypatch, tmp_path):
    seen = {}

    def fake_run(**kwargs):
        seen.update(kwargs)
        return runner.RunResult(scorecard=tmp_path / "scorecard.csv", index=tmp_path / "index.html")

    monkeypatch.setattr(runner, "run", fake_run)
    monkeypatch.setattr(fresh, "unchanged", lambda **kwargs: None)  # whatever reports/ holds, run is called
    assert cli.main(["run", "--jobs", "3", "--scheduler", "tcp://127.0.0.1:8786", "--no-cache", "--no-progress"]) == 0
    assert (seen["jobs"], seen["scheduler"], seen["use_cache"], seen["progress"]) == (3, "tcp://127.0.0.1:8786",
                                                                                      False, False)
    cli.main(["run"])
    assert (seen["jobs"], seen["scheduler"], seen["use_cache"], seen["progress"]) == (None, None, True, None)


SLOW_RUN = """
import pathlib, sys
import nbformat
from analysis import paths
from analysis.report import runner
from analysis.claims.ledger import Ledger, NotebookSpec, load_ledger

if __name__ == "__main__":
    folder, reports, meet = map(pathlib.Path, sys.argv[1:4])
    real = load_ledger()
    paths.NOTEBOOKS = folder
    specs = {n: NotebookSpec(n, n) for n in ("01_slow", "02_slow", "03_slow")}
    ledger = Ledger(article=real.article, notebooks=specs, claims=real.claims)
    try:
        runner.run(ledger=ledger, reports_dir=reports, jobs=2, progress=False)
    except KeyboardInterrupt:
        sys.exit(130)
"""


def processes_with(token):
    """Pids of the processes whose environment holds ``token`` (the run, its kernels' template, the kernels)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if token.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc (Linux)")
def test_ctrl_c_with_several_workers_stops_every_kernel_and_keeps_nothing(tmp_path):
    folder, reports, meet = tmp_path / "notebooks", tmp_path / "reports", tmp_path / "meet"
    folder.mkdir()
    meet.mkdir()
    for name in ("01_slow", "02_slow", "03_slow"):
        nbformat.write(notebook(f"import pathlib, time\n(pathlib.Path({str(meet)!r}) / {name!r}).touch()\n"
                                f"time.sleep(300)"), folder / f"{name}.ipynb")
    (tmp_path / "slow_run.py").write_text(textwrap.dedent(SLOW_RUN), encoding="utf-8")
    token = f"CLAIM_AUDIT_TEST_{uuid.uuid4().hex}"
    env = {**os.environ, token: "1"}
    proc = subprocess.Popen([sys.executable, str(tmp_path / "slow_run.py"), str(folder), str(reports), str(meet)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 120
    while len(list(meet.iterdir())) < 2 and time.monotonic() < end and proc.poll() is None:
        time.sleep(0.1)
    assert len(list(meet.iterdir())) == 2, "the two kernels never both ran"
    assert len(processes_with(token)) >= 4  # the run, the kernels' template, two kernels
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=90)
    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    end = time.monotonic() + 10
    while processes_with(token) and time.monotonic() < end:
        time.sleep(0.1)
    assert processes_with(token) == [], "a worker or kernel outlived the run"
    assert sorted(p.name for p in meet.iterdir()) == ["01_slow", "02_slow"]  # the third never started
    assert [p.name for p in (reports / "notebooks").iterdir()] == []  # no temporary copy, no partial result
    assert not reports.joinpath("index.html").exists()


# --- the order notebooks are started in: the longest first -----------------------------------------

def _order_task(folder: Path, name: str, size: int) -> runner.Task:
    """A task whose committed notebook (a fixture file of ``size`` bytes) is in ``folder``."""
    path = folder / f"{name}.ipynb"
    path.write_bytes(b" " * size)
    return runner.Task(name, str(path), {}, cwd=str(folder), scratch=str(folder))


def _record_seconds(folder: Path, name: str, seconds: float) -> None:
    from analysis.report import cache

    folder.mkdir(parents=True, exist_ok=True)
    cache.write_record(folder, cache.Record(notebook=name, key="k", parts={}, timings={"execute": seconds}))


def test_longest_first_uses_this_folders_durations_then_the_published_ones_then_sizes(tmp_path):
    tasks = [_order_task(tmp_path, "a", 10), _order_task(tmp_path, "b", 30), _order_task(tmp_path, "c", 20)]
    here, published = tmp_path / "here", tmp_path / "published"
    names = lambda ordered: [t.name for t in ordered]  # noqa: E731
    # nothing recorded anywhere (a fresh clone): the biggest committed notebook first
    assert names(runner._longest_first(tasks, [here, published])) == ["b", "c", "a"]
    # the published report's durations beat the sizes
    for name, seconds in (("a", 5.0), ("b", 1.0), ("c", 3.0)):
        _record_seconds(published, name, seconds)
    assert names(runner._longest_first(tasks, [here, published])) == ["a", "c", "b"]
    # this folder's duration of a notebook beats the published one
    _record_seconds(here, "b", 9.0)
    assert names(runner._longest_first(tasks, [here, published])) == ["b", "a", "c"]
    # a notebook with no record anywhere (new) goes first
    new = _order_task(tmp_path, "d", 1)
    assert names(runner._longest_first([*tasks, new], [here, published])) == ["d", "b", "a", "c"]


def test_at_most_jobs_notebooks_run_at_once_the_next_kernel_starts_meanwhile_and_runs_while_a_page_renders(tmp_path, monkeypatch):
    log = tmp_path / "log"
    log.mkdir()
    names, renders = ["a", "b", "c"], {}
    for name in names:
        nbformat.write(notebook(f"import pathlib, time\nlog = pathlib.Path({str(log)!r})\n"
                                f"(log / '{name}.start').write_text(repr(time.time()))\ntime.sleep(0.5)\n"
                                f"(log / '{name}.end').write_text(repr(time.time()))"), tmp_path / f"{name}.ipynb")

    def slow_render(executed, title, name=None):  # a page that takes long to render (the real one: tenths of a second)
        start = time.time()
        time.sleep(3)
        renders[title] = (start, time.time())
        return "<p>page</p>"

    monkeypatch.setattr(runner, "_render", slow_render)
    started, execute = {}, runner._execute

    def recorded(name, *args, **kwargs):  # when each notebook's kernel began to start
        started[name] = time.time()
        return execute(name, *args, **kwargs)

    monkeypatch.setattr(runner, "_execute", recorded)
    tasks = [runner.Task(n, str(tmp_path / f"{n}.ipynb"), {}, cwd=str(tmp_path), scratch=str(tmp_path / "out"),
                         title=n) for n in names]
    done = {}
    runner._run_here(tasks, lambda task, outcome: done.setdefault(task.name, outcome), 2, runner._Progress(names, False))
    assert all(not outcome.failure for outcome in done.values()), done
    (a_start, a_end), (b_start, b_end), (c_start, _) = (
        (float((log / f"{n}.start").read_text()), float((log / f"{n}.end").read_text())) for n in names)
    assert c_start >= min(a_end, b_end)  # two notebooks' cells at most: the third waited for one to end
    assert c_start < max(renders["a"][1], renders["b"][1])  # ... but not for its page to render
    assert started["c"] < min(a_end, b_end)  # and its kernel started while the two ran


def test_a_place_is_given_back_once_the_last_cell_has_run_not_once_the_notebook_is_written(tmp_path, monkeypatch):
    """With one place, the second notebook's cells start after the first's last cell has run, but before its
    kernel is shut down and its notebook written (made slow on purpose here); a trailing empty cell, which
    does not run, does not hold the place."""
    import papermill.execute

    log = tmp_path / "log"
    log.mkdir()
    names = ["a", "b"]
    for name in names:
        node = notebook(f"import pathlib, time\nlog = pathlib.Path({str(log)!r})\n"
                        f"(log / '{name}.start').write_text(repr(time.time()))\ntime.sleep(0.3)",
                        f"(log / '{name}.end').write_text(repr(time.time()))")
        node.cells.append(nbformat.v4.new_code_cell("   "))
        nbformat.write(node, tmp_path / f"{name}.ipynb")
    write, returned = papermill.execute.write_ipynb, {}

    def slow_write(nb, path, *args, **kwargs):  # papermill writes the executed notebook after the kernel has gone
        if Path(path).name == "a.ipynb":
            time.sleep(2)
        return write(nb, path, *args, **kwargs)

    monkeypatch.setattr(papermill.execute, "write_ipynb", slow_write)
    execute = runner._execute

    def recorded(name, *args, **kwargs):
        try:
            return execute(name, *args, **kwargs)
        finally:
            returned[name] = time.time()

    monkeypatch.setattr(runner, "_execute", recorded)
    tasks = [runner.Task(n, str(tmp_path / f"{n}.ipynb"), {}, cwd=str(tmp_path), scratch=str(tmp_path / "out"))
             for n in names]
    done = {}
    runner._run_here(tasks, lambda task, outcome: done.setdefault(task.name, outcome), 1, runner._Progress(names, False))
    assert all(not outcome.failure for outcome in done.values()), done
    a_end, b_start = float((log / "a.end").read_text()), float((log / "b.start").read_text())
    assert b_start >= a_end  # one notebook's cells at a time
    assert b_start < returned["a"] - 1  # ... but the second's did not wait for the first to be written


def _cells_done_at(node) -> list:
    """The cell indices after whose reply ``on_cells_done`` was called, nbclient's hooks called for every
    cell in turn (as if each ran)."""
    calls = []
    hooks = runner._hooks(on_ready=lambda notebook: calls.append("ready"), on_cells_done=lambda: calls.append("done"))
    hooks["on_notebook_start"](notebook=node)
    at = []
    for index, cell in enumerate(node.cells):
        hooks["on_cell_executed"](cell=cell, cell_index=index, execute_reply={})
        at += [index] * (calls.count("done") - len(at))
    assert calls[0] == "ready"
    return at


def test_hooks_call_on_cells_done_after_the_last_cell_that_runs_only():
    node = notebook("x = 1", "y = 2")  # cells: markdown, x, y
    node.cells.append(nbformat.v4.new_code_cell(""))  # empty: nbclient does not run it
    skipped = nbformat.v4.new_code_cell("z = 3")
    skipped.metadata["tags"] = [runner.SKIPPED_CELL_TAG]  # tagged: nbclient does not run it either
    node.cells += [skipped, nbformat.v4.new_markdown_cell("the end")]
    assert _cells_done_at(node) == [2]  # once, at the reply to cell 2, the last that runs
    assert _cells_done_at(notebook()) == []  # no cell runs: the kernel's end gives the place back
    assert runner._hooks() == {}
    assert set(runner._hooks(on_ready=lambda notebook: None)) == {"on_notebook_start"}


def test_places_are_taken_in_ticket_order_at_most_count_at_once_and_a_ticket_given_up_lets_the_next_through():
    import threading

    places, order = runner.Places(1), []

    def take(ticket):
        places.take(ticket)
        order.append(ticket)

    later = [threading.Thread(target=take, args=(t,)) for t in (3, 1)]  # asking before their turn
    for thread in later:
        thread.start()
    time.sleep(0.3)
    assert order == []  # ticket 0 has not come yet
    places.take(0)
    order.append(0)
    time.sleep(0.3)
    assert order == [0]  # one place, held by 0
    places.give_up(2)  # ticket 2 will never take its place (its kernel never started)
    places.give_back()
    later[1].join(5)
    assert order == [0, 1]
    places.give_back()
    later[0].join(5)
    assert order == [0, 1, 3]  # 2 was skipped
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(runner._Cancelled):
        places.take(5, cancelled)  # waiting for its turn, Ctrl-C came


def test_what_the_report_needs_from_no_notebook_is_read_once_the_first_is_done_and_each_ones_claims_as_it_is_saved(
        tmp_path, monkeypatch):
    """``meanwhile`` runs once, after the first notebook has ended and before the next outcome is taken; what
    each notebook published is read from its outcome as it is saved (the notebooks' runs are stood in for:
    each outcome is a committed executed notebook)."""
    from analysis.claims import audit

    names = ["01_rd_spending", "02_footprint_users"]
    texts = {n: (paths.NOTEBOOKS / f"{n}.ipynb").read_text(encoding="utf-8") for n in names}
    events = []

    def fake_run_tasks(tasks, on_done, **kwargs):
        for task in tasks:
            events.append(f"outcome {task.name}")
            on_done(task, runner.Outcome(task.name, notebook=texts[task.name], body="", timings={}))

    monkeypatch.setattr(runner, "_run_tasks", fake_run_tasks)
    plan = [(NotebookSpec(n, n), {}) for n in names]
    keys = {n: ("key", {}) for n in names}
    result = runner.RunResult()
    runner._execute_plan(result, plan, keys, tmp_path, None, use_cache=False,
                         meanwhile=lambda: events.append("meanwhile"))
    assert events[1] == "meanwhile" and sorted(events[::2]) == [f"outcome {n}" for n in names]
    for name in names:
        expected = audit.read_published(nbformat.reads(texts[name], as_version=4))
        assert expected and result.published[name] == expected
    events.clear()
    runner._execute_plan(runner.RunResult(), plan[:1], keys, tmp_path, None, use_cache=False,
                         meanwhile=lambda: events.append("meanwhile"))
    assert events == ["outcome 01_rd_spending"]  # one notebook: nothing runs meanwhile
