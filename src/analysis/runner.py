"""Run the audit: execute notebooks with papermill, render HTML, write the scorecard.

Parameters are checked against the ledger before any kernel starts.  Each
notebook is executed into a temporary file and moved into ``reports/notebooks``
only if it succeeded; its HTML is replaced only then, so a failed run never
overwrites the last good report.  A failure is recorded (notebook, cell, error),
the other notebooks still run, and :func:`run` reports it.

>>> plan_run(load_ledger(), overrides={"edition": "2020"})[0][1]["edition"]
2020
"""
import atexit
import logging
import shutil
import tempfile
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager

from analysis import atomic, audit, paths, site
from analysis.errors import NotebookFailed, ParameterError
from analysis.ledger import load_ledger
from analysis.scorecard import build_scorecard

log = logging.getLogger(__name__)
#: Kernel used to execute notebooks: the environment running the audit.
KERNEL = "python3"


def _socket_dir() -> str:
    """A private temporary folder for kernel sockets, removed when the process exits."""
    global _SOCKETS
    if _SOCKETS is None:
        _SOCKETS = tempfile.mkdtemp(prefix="claim-audit-ipc-")
        atexit.register(shutil.rmtree, _SOCKETS, ignore_errors=True)
    return _SOCKETS


_SOCKETS = None


class LocalKernelManager(AsyncKernelManager):
    """Starts kernels over local IPC sockets: no TCP ports to race for, nothing on the network.

    The socket files live in a private temporary folder (not the notebook folder, where
    a kernel that died would leave them behind)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(Path(_socket_dir()) / "kernel"))
        super().__init__(**kwargs)
        _KERNELS.add(self)


#: Kernel managers of this process, so that Ctrl-C can stop their kernels.
_KERNELS = weakref.WeakSet()


def _kill_kernels() -> None:
    """Kill every kernel this process started that is still running."""
    for manager in list(_KERNELS):
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()


def _interruptible(function, *args):
    """``function(*args, cancelled)`` in a worker thread, so that Ctrl-C reaches this thread.

    (nbclient, in the main thread, takes SIGINT over for itself and the run would go on.)
    On Ctrl-C, ``cancelled`` is set (the worker then keeps nothing), the kernels are killed
    until the worker has stopped and removed its temporary files, and KeyboardInterrupt is
    raised again.
    """
    cancelled = threading.Event()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notebook")
    future = pool.submit(function, *args, cancelled)
    try:
        return future.result()
    except KeyboardInterrupt:
        cancelled.set()
        deadline = time.monotonic() + 60
        while not future.done() and time.monotonic() < deadline:
            _kill_kernels()  # again and again: a kernel may have been starting at the first try
            wait([future], timeout=0.5)
        raise
    finally:
        pool.shutdown(wait=False)


@dataclass
class RunResult:
    """What a run produced: executed notebooks, HTML pages, the scorecard, and failures."""

    executed: dict = field(default_factory=dict)
    html: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)
    scorecard: object = None
    index: object = None

    @property
    def ok(self) -> bool:
        return not self.failures


def plan_run(ledger, notebooks=None, overrides=None) -> list:
    """[(NotebookSpec, parameters)] for the notebooks to run, overrides validated and coerced.

    An override must name a parameter of at least one selected notebook; an
    unknown name, a wrong type or a value outside the allowed set is a
    ParameterError listing the valid parameters.
    """
    names = list(notebooks or sorted(ledger.notebooks))  # numbered names: reading order
    unknown = [n for n in names if n not in ledger.notebooks]
    if unknown:
        raise ParameterError(f"unknown notebook(s) {', '.join(unknown)}; known: {', '.join(ledger.notebooks)}")
    specs = [ledger.notebooks[n] for n in names]
    overrides = dict(overrides or {})
    known = {p for s in specs for p in s.parameters}
    stray = sorted(set(overrides) - known)
    if stray:
        listing = "\n  ".join(p.describe() for s in specs for p in s.parameters.values())
        raise ParameterError(f"unknown parameter(s) {', '.join(stray)}; valid parameters are:\n  {listing}")
    plan = []
    for spec in specs:
        mine = {k: v for k, v in overrides.items() if k in spec.parameters}
        plan.append((spec, {**spec.defaults(), **spec.validate(mine)}))
    return plan


def execute(spec, parameters, output, inject=True) -> Path:
    """Execute one notebook with papermill into ``output`` (atomically: only a finished run lands).

    Raises :class:`~analysis.errors.NotebookFailed` naming the notebook, the cell (its
    1-based position in the notebook, as JupyterLab shows it) and the error, whether the
    code raised or the kernel died.
    """
    import papermill  # imported here: it is slow to import and only running needs it

    return _interruptible(_execute, spec, parameters, Path(output), inject)


def _execute(spec, parameters, output, inject, cancelled):
    import papermill  # already imported (in the main thread) by execute()

    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".run-") as tmp:
        scratch = Path(tmp) / output.name
        try:
            papermill.execute_notebook(str(spec.path), str(scratch), parameters=parameters if inject else {},
                                       kernel_name=KERNEL, cwd=str(paths.NOTEBOOKS), progress_bar=False,
                                       log_output=False, kernel_manager_class=LocalKernelManager)
        except Exception as exc:
            if cancelled.is_set():
                raise KeyboardInterrupt from exc
            raise NotebookFailed(spec.name, _failed_cell(exc, scratch), _describe_error(exc)) from exc
        if cancelled.is_set():  # finished just as Ctrl-C came: keep nothing, as promised
            raise KeyboardInterrupt
        shutil.move(scratch, output)
    return output


def _failed_cell(exc, scratch):
    """1-based position of the cell that failed: from papermill's error, else (the kernel died)
    from the partly executed copy: the last cell papermill started."""
    index = getattr(exc, "cell_index", None)
    if index is None and scratch.is_file():
        try:
            node = nbformat.read(scratch, as_version=4)
        except Exception:  # unreadable partial output: the cell stays unknown
            return None
        started = [i for i, cell in enumerate(node.cells)
                   if cell.metadata.get("papermill", {}).get("start_time")]
        index = started[-1] if started else None
    return None if index is None else index + 1


def _describe_error(exc) -> str:
    name, value = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    if type(exc).__name__ == "DeadKernelError":
        value = f"the kernel died ({value or 'no message'}); it ran out of memory or crashed"
    return f"{name}: {value}".strip()


def run(notebooks=None, overrides=None, reports_dir=None, ledger=None) -> RunResult:
    """Execute the notebooks, then write the reviewer's site (:func:`analysis.site.build_site`):
    a page per notebook that ran, the scorecard, the provenance page and the exports.

    ``overrides``: ``{name: value}`` (strings are coerced to the parameter's type).
    """
    ledger = ledger or load_ledger()
    plan = plan_run(ledger, notebooks, overrides)
    reports_dir = Path(reports_dir or paths.REPORTS)
    result, assessments = RunResult(), []
    for spec, parameters in plan:
        executed = reports_dir / "notebooks" / f"{spec.name}.ipynb"
        try:
            execute(spec, parameters, executed)
        except NotebookFailed as exc:  # a notebook error or a dead kernel: record it, go on
            result.failures[spec.name] = str(exc)
            log.error("notebook %s failed: %s", spec.name, result.failures[spec.name])
            continue
        result.executed[spec.name] = executed
        result.html[spec.name] = reports_dir / f"{spec.name}.html"  # rendered by site.build_site
        assessments += audit.read_published(nbformat.read(executed, as_version=4))
    table = build_scorecard(ledger, assessments, failed=set(result.failures))
    # The reviewer's site: index.html, sources.html, notebook pages with headers, CSV and JSON-LD exports.
    result.scorecard, result.index = site.build_site(reports_dir, ledger, table, assessments, plan=plan,
                                                     executed=result.executed, failures=result.failures)
    return result


def strip_run_metadata(node) -> None:
    """Remove what changes from run to run (papermill timings and paths, execution times)."""
    node.metadata.pop("papermill", None)
    for cell in node.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def refresh_notebooks(notebooks=None, ledger=None) -> list:
    """Re-execute committed notebooks in place with their own defaults (nbval's reference outputs)."""
    ledger = ledger or load_ledger()
    done = []
    for spec, _ in plan_run(ledger, notebooks):
        with tempfile.TemporaryDirectory() as tmp:
            out = execute(spec, {}, Path(tmp) / spec.path.name, inject=False)
            node = nbformat.read(out, as_version=4)
        strip_run_metadata(node)
        atomic.write_text(spec.path, nbformat.writes(node) + "\n")
        done.append(spec.path)
    return done
