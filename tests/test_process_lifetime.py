"""A run's processes live no longer than the run, however it ends (SIGKILL included), and one reports
folder is written by one run at a time (a lock file with the holder's pid; a dead holder's lock is
taken over)."""
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from test_parallel import notebook, processes_with

from analysis.report import runner

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc (Linux)")

#: A run of the notebooks of folder argv[1] into reports folder argv[2] with argv[3] workers, ending
#: like the command line does (one line and exit code 2 for an AuditError, 130 after Ctrl-C).
RUN = """
import pathlib, sys
from analysis import paths
from analysis.claims.ledger import Ledger, NotebookSpec, load_ledger
from analysis.errors import AuditError
from analysis.report import runner

if __name__ == "__main__":
    folder, reports, jobs = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
    real = load_ledger()
    paths.NOTEBOOKS = folder
    specs = {p.stem: NotebookSpec(p.stem, p.stem) for p in sorted(folder.glob("*.ipynb"))}
    ledger = Ledger(article=real.article, notebooks=specs, claims=real.claims)
    try:
        result = runner.run(ledger=ledger, reports_dir=reports, jobs=jobs, progress=False, use_cache=False)
    except AuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(0 if result.ok else 1)
"""


@pytest.fixture
def project(tmp_path):
    """``start(folder, jobs)`` runs the notebooks of ``folder`` into one reports folder, in a child
    process whose every descendant carries ``token`` in its environment; ``slow(n)`` and ``fast()``
    make folders of notebooks that run for minutes (each touches a file in ``meet`` first) or at once."""
    reports, meet = tmp_path / "reports", tmp_path / "meet"
    meet.mkdir()
    (tmp_path / "run.py").write_text(textwrap.dedent(RUN), encoding="utf-8")
    token = f"CLAIM_AUDIT_TEST_{uuid.uuid4().hex}"
    started = []

    def slow(count):
        folder = tmp_path / f"slow{count}"
        folder.mkdir()
        for i in range(1, count + 1):
            nbformat.write(notebook(f"import pathlib, time\n(pathlib.Path({str(meet)!r}) / '{i:02d}').touch()\n"
                                    f"time.sleep(300)"), folder / f"{i:02d}_slow.ipynb")
        return folder

    def fast():
        folder = tmp_path / "fast"
        folder.mkdir(exist_ok=True)
        nbformat.write(notebook("print(6 * 7)"), folder / "01_fast.ipynb")
        return folder

    def start(folder, jobs):
        proc = subprocess.Popen([sys.executable, str(tmp_path / "run.py"), str(folder), str(reports), str(jobs)],
                                env={**os.environ, token: "1"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        started.append(proc)
        return proc

    def wait_for_kernels(proc, count):
        end = time.monotonic() + 120
        while len(list(meet.iterdir())) < count and time.monotonic() < end and proc.poll() is None:
            time.sleep(0.1)
        assert len(list(meet.iterdir())) == count, f"the kernels never ran: {proc.stderr.read() if proc.poll() else ''}"

    yield {"slow": slow, "fast": fast, "start": start, "wait_for_kernels": wait_for_kernels, "reports": reports,
           "processes": lambda: processes_with(token)}
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for pid in processes_with(token):  # never leave anything behind, even when a test fails
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def gone_within(seconds, processes):
    end = time.monotonic() + seconds
    while processes() and time.monotonic() < end:
        time.sleep(0.1)
    return processes() == []


def test_kernels_die_with_a_run_killed_with_sigkill_and_the_next_run_clears_its_leftovers(project):
    proc = project["start"](project["slow"](3), jobs=2)
    project["wait_for_kernels"](proc, 2)
    assert len(project["processes"]()) >= 4  # the run, the kernels' template, two kernels
    proc.send_signal(signal.SIGKILL)  # nothing in the run can clean up
    proc.wait()
    assert gone_within(5, project["processes"]), "a kernel or the template outlived the run"
    notebooks = project["reports"] / "notebooks"
    left = [p for p in notebooks.iterdir() if p.name.startswith(runner.SCRATCH_PREFIX)]
    assert len(left) in (2, 3)  # left behind: the two running, and the third if its kernel had begun to start

    second = project["start"](project["fast"](), jobs=1)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert not [p.name for p in notebooks.iterdir() if p.name.startswith(runner.SCRATCH_PREFIX)]


def test_a_second_run_on_the_same_folder_is_refused_naming_the_first(project):
    first = project["start"](project["slow"](1), jobs=1)
    project["wait_for_kernels"](first, 1)
    lock = project["reports"] / runner.LOCK_FILE
    assert lock.read_text(encoding="utf-8").split()[0] == str(first.pid)

    second = project["start"](project["fast"](), jobs=1)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert (f"error: another run (pid {first.pid}" in err and f"is writing to the reports folder "
            f"{project['reports']}; wait for it to finish, or stop it (kill {first.pid})" in err), err
    assert not (project["reports"] / "01_fast.html").exists()

    first.send_signal(signal.SIGINT)
    first.communicate(timeout=90)
    assert first.returncode == 130
    assert not lock.exists()  # released on exit

    third = project["start"](project["fast"](), jobs=1)
    _, err = third.communicate(timeout=300)
    assert third.returncode == 0, err
    assert (project["reports"] / "01_fast.html").is_file() and not lock.exists()


def test_the_lock_of_a_killed_run_is_taken_over(project):
    first = project["start"](project["slow"](1), jobs=1)
    project["wait_for_kernels"](first, 1)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert gone_within(5, project["processes"]), "the kernel outlived the run"  # it watches its parent too
    lock = project["reports"] / runner.LOCK_FILE
    assert lock.read_text(encoding="utf-8").split()[0] == str(first.pid)  # left behind by the dead run

    second = project["start"](project["fast"](), jobs=1)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert (project["reports"] / "01_fast.html").is_file() and not lock.exists()


def test_the_command_lines_early_kernel_template_ends_with_a_refused_run(tmp_path):
    """``run --no-cache`` starts the kernels' template before it plans; a run refused while planning (an
    unknown parameter) ends it, and leaves no process behind."""
    token = f"CLAIM_AUDIT_TEST_{uuid.uuid4().hex}"
    done = subprocess.run([sys.executable, "-m", "analysis", "run", "--no-cache", "--no-progress",
                           "--output", str(tmp_path / "reports"), "-p", "no_such_parameter", "1"],
                          env={**os.environ, token: "1"}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "no_such_parameter" in done.stderr
    assert gone_within(5, lambda: processes_with(token))


def test_a_template_whose_process_ended_without_its_exit_handlers_removes_its_socket_folder():
    """A process that starts a kernels' template and ends without running its exit handlers (``os._exit``,
    as a test runner's worker may; or killed) cannot remove the template's socket folder: the template,
    leaving as its parent is gone, removes it itself."""
    code = textwrap.dedent("""
        import os
        from analysis import paths
        from analysis.report import kernels
        address = kernels.warm(paths.NOTEBOOKS)
        kernels.template(paths.NOTEBOOKS)._connect()  # the template is up and listening
        print(os.path.dirname(address), flush=True)
        os._exit(0)
        """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    folder = Path(done.stdout.strip())
    assert done.returncode == 0 and folder.name.startswith("claim-audit-template-"), done.stderr
    assert gone_within(5, lambda: [folder] if folder.exists() else [])
