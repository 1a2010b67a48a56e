"""Run the audit: execute notebooks with papermill, render HTML, write the scorecard.

Parameters are checked against the ledger, and every committed input against its recorded
SHA-256 (:func:`analysis.data.integrity.verify_inputs`: a hand-edited table or text, or a stale
multiverse, stops the run), before any kernel starts.  A notebook
whose result is already known (same cells, parameters, data, code and locked
environment: :mod:`analysis.report.cache`) is not run again.  The others run
concurrently, ``jobs`` at a time (default one per core): by default each in a thread of
this process, which only drives the notebook's kernel (a process of its own, where the
notebook's work happens) with papermill, shuts it down at once and renders the page body;
any ``concurrent.futures`` executor can be given instead, e.g. a Dask cluster's
(``scheduler``).  A kernel that fails to start is started again (at most
:data:`KERNEL_START_ATTEMPTS` times).

Each notebook is executed into a temporary file; its results land in
``reports/notebooks`` (executed notebook, page body, cache record) only if it
succeeded, and its HTML is replaced only then, so a failed run never overwrites
the last good report.  A failure is recorded (notebook, cell, error), the other
notebooks still run, and :func:`run` reports it.  On Ctrl-C every notebook stops, its
kernel is killed and its temporary files are removed before KeyboardInterrupt is raised; a
run killed outright (SIGKILL) takes its kernels with it (they watch their template, which
watches the run), and the temporary folders it leaves are removed by the next run on that
reports folder.  One run at a time writes to a reports folder (:func:`reports_lock`: a lock
file naming its pid).

Published report or variant (:mod:`analysis.report.variants`): a run with the ledger's
parameters writes the published report ``reports/<slug>/``; with changed parameters it writes a
variant (``reports/<slug>/variants/<name>/`` unless a folder is given, never the published one).
A run of some notebooks (``notebooks``) rebuilds the scorecard, index and ClaimReview from every
notebook's current result in the report folder (its cache record matches the key computed now);
with the ledger's parameters it is refused, changing nothing, if any other notebook's result there
is missing or out of date (the report would mix results of different inputs, or lack claims).

>>> plan_run(load_ledger(), overrides={"edition": "2020"})[0][1]["edition"]
2020
"""
import atexit
import functools
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
import weakref
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager

from analysis import atomic, paths
from analysis.claims import audit, multiverse
from analysis.claims.ledger import CLAIM_NOTEBOOK as CLAIM
from analysis.claims.ledger import NotebookSpec, ParameterSpec, load_ledger
from analysis.data import integrity
from analysis.errors import AuditError, NotebookFailed, OutputError, ParameterError, ReportRefused
from analysis.report import cache, candidates, claimreview, fresh, kernels, provisioner, site, variants
from analysis.report.scorecard import build_scorecard

log = logging.getLogger(__name__)
#: Kernel used to execute notebooks: the environment running the audit.
KERNEL = "python3"
#: How many times a kernel is started for one notebook before the notebook fails (a start can
#: fail for reasons that have nothing to do with the notebook: a port or socket race, a slow disk).
KERNEL_START_ATTEMPTS = 3
#: How long a worker gets to kill its kernel and clean up after Ctrl-C, in seconds.
STOP_TIMEOUT = 60
#: The lock file a run holds in its reports folder (it names the run's pid): one run per folder.
LOCK_FILE = ".run.lock"


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
    a kernel that died would leave them behind), under a name of their own per kernel:
    jupyter_client numbers IPC sockets like ports, and two kernels started at once by
    one process (threads) would otherwise pick the same numbers."""

    def __init__(self, **kwargs):
        kwargs.setdefault("client_class", "analysis.report.provisioner.ReadyClient")  # ready 0.2 s sooner
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(Path(_socket_dir()) / f"kernel-{uuid.uuid4().hex[:12]}"))
        super().__init__(**kwargs)
        _KERNELS.add(self)

    async def _async_pre_start_kernel(self, **kw):
        """A kernel forked from a warm template where it can be (:mod:`analysis.report.kernels`)."""
        if self.provisioner is None and kernels.enabled():
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = provisioner.WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                           parent=self)
        return await super()._async_pre_start_kernel(**kw)


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
    #: Notebooks whose result came from the cache (not executed in this run).
    cached: list = field(default_factory=list)
    #: ``{notebook: {execute, render, kernel_starts, ...}}`` seconds, for notebooks executed now.
    timings: dict = field(default_factory=dict)
    #: ``{notebook: executed .ipynb}`` of the notebooks not asked for whose current result in the
    #: report folder the report includes (a run of some notebooks).
    kept: dict = field(default_factory=dict)
    #: Notebooks a variant of some notebooks did not run and had no current result of.
    not_run: list = field(default_factory=list)
    #: The run's changed parameters (:class:`analysis.report.variants.Variant`); None: the published report.
    variant: object = None
    #: ``{notebook: [Assessment]}`` that the notebooks executed now published, read as each was saved.
    published: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.failures


def claim_run_spec(ledger, claim) -> NotebookSpec:
    """The run of the generic claim notebook that shows one claim with no theme notebook: named
    ``claim-<id>``, with parameters ``article`` (its folder, relative to the project root when
    inside it), ``claim_id`` and ``overrides`` (JSON of the claim's changed parameters)."""
    folder = ledger.article.folder
    try:
        shown = folder.relative_to(paths.ROOT).as_posix()
    except ValueError:
        shown = str(folder)
    params = {
        "article": ParameterSpec("article", "str", shown, "the article folder", label="article folder"),
        "claim_id": ParameterSpec("claim_id", "str", claim.id, "the claim shown", label="claim shown"),
        "overrides": ParameterSpec("overrides", "str", "{}", "the claim's parameters changed for this run (JSON)",
                                   label="the claim's changed parameters"),
    }
    return NotebookSpec(name=ledger.page_of(claim), title=f"Claim: “{claim.quote}”", parameters=params,
                        file=str(paths.CLAIM_NOTEBOOK))


def declared_specs(ledger, names=None) -> dict:
    """``{run name: NotebookSpec}`` whose parameters each run declares: the theme notebooks of the
    ledger, then one generic claim run per measured claim with no theme notebook (its parameters
    are the claim's own, :meth:`~analysis.claims.ledger.Ledger.parameter_spec`); all of them in
    reading order, or ``names``.  An unknown name is a ParameterError listing the known ones."""
    generic = {ledger.page_of(c): ledger.parameter_spec(c) for c in ledger.generic_claims()}
    known = {**{n: ledger.notebooks[n] for n in sorted(ledger.notebooks)}, **generic}  # numbered names: reading order
    names = list(names or known)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ParameterError(f"unknown notebook(s) {', '.join(unknown)}; known: "
                             f"{', '.join([*ledger.notebooks, *generic])}")
    return {n: known[n] for n in names}


def plan_run(ledger, notebooks=None, overrides=None) -> list:
    """[(NotebookSpec, parameters)] for the notebooks to run, overrides validated and coerced.

    The theme notebooks of the ledger, then one run of the generic claim notebook per measured
    claim with no theme notebook (named ``claim-<id>``).  An override must name a parameter of
    at least one selected notebook or claim; an unknown name, a wrong type or a value outside the
    allowed set is a ParameterError listing the valid parameters.
    """
    generic = {ledger.page_of(c): c for c in ledger.generic_claims()}
    checked = declared_specs(ledger, notebooks)
    names = list(checked)
    overrides = dict(overrides or {})
    known = {p for s in checked.values() for p in s.parameters}
    stray = sorted(set(overrides) - known)
    if stray:
        listing = "\n  ".join(dict.fromkeys(p.describe() for s in checked.values() for p in s.parameters.values()))
        raise ParameterError(f"unknown parameter(s) {', '.join(stray)}; valid parameters are:\n  {listing or '(none)'}")
    plan = []
    for name in names:
        spec = checked[name]
        mine = spec.validate({k: v for k, v in overrides.items() if k in spec.parameters})
        if name in ledger.notebooks:
            spec.check_order({**spec.defaults(), **mine})
            plan.append((spec, {**spec.defaults(), **mine}))
        else:
            run_spec = claim_run_spec(ledger, generic[name])
            plan.append((run_spec, {**run_spec.defaults(), "overrides": json.dumps(mine, sort_keys=True)}))
    return plan


def execute(spec, parameters, output, inject=True, kernel_manager_class=None) -> Path:
    """Execute one notebook with papermill into ``output`` (atomically: only a finished run lands).

    Raises :class:`~analysis.errors.NotebookFailed` naming the notebook, the cell (its
    1-based position in the notebook, as JupyterLab shows it) and the error, whether the
    code raised or the kernel died.
    """
    import papermill  # noqa: F401  imported here (in the main thread): slow, and only running needs it

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".run-") as tmp:
        scratch = Path(tmp) / output.name
        _interruptible(_execute, spec.name, spec.path, parameters if inject else {}, scratch,
                       str(paths.NOTEBOOKS), kernel_manager_class)
        shutil.move(scratch, output)
    return output


#: The papermill engine the runner registers (:func:`_engine`).
ENGINE = "claim-audit"


@functools.cache
def _engine() -> str:
    """Register, once, papermill's nbclient engine that writes the output notebook once rather than
    before and after every cell (two writes per cell: a tenth of a notebook's CPU time here).  papermill
    itself writes the finished notebook (or the one a cell failed in) after the engine returns; the
    engine writes only when it raises (the kernel died, or Ctrl-C), when papermill writes nothing: that
    partial copy is what tells which cell was running (:func:`_failed_cell`)."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SaveAtEnd(NotebookExecutionManager):
        ended = False

        def save(self, **kwargs):
            if self.ended:
                super().save(**kwargs)

    class Engine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            manager = SaveAtEnd(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                                autosave_cell_every=autosave_cell_every)
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            except BaseException:
                manager.ended = True  # papermill will write nothing: notebook_complete writes the partial copy
                raise
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(ENGINE, Engine)
    return ENGINE


def _execute(name, notebook, parameters, scratch, cwd, kernel_manager_class, cancelled, on_ready=None,
             on_cells_done=None) -> int:
    """papermill into ``scratch``; a kernel that never started is started again.  Returns how
    many kernel starts it took.  ``on_ready``: called (with ``notebook=``) once the kernel is ready,
    before the first cell runs; ``on_cells_done``: called once the last cell to run has run (its
    reply came), before the kernel is shut down and the notebook written (:func:`_hooks`)."""
    import papermill  # already imported by the caller

    hooks = _hooks(on_ready, on_cells_done)

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        if cancelled.is_set():  # Ctrl-C came (from the run's main thread): start no kernel again
            raise KeyboardInterrupt
        try:
            # The kernel's working folder goes to nbclient (``resources.metadata.path``), not to papermill's
            # ``cwd``: that one changes the whole process's folder while the notebook runs, and two notebooks
            # run from threads of one process would leave it in the wrong place.
            papermill.execute_notebook(str(notebook), str(scratch), parameters=parameters, engine_name=_engine(),
                                       kernel_name=KERNEL, resources={"metadata": {"path": str(cwd)}},
                                       progress_bar=False, log_output=False,
                                       kernel_manager_class=kernel_manager_class or LocalKernelManager,
                                       shutdown_kernel="immediate", **hooks)
        except Exception as exc:
            if cancelled.is_set():
                raise KeyboardInterrupt from exc
            if attempt < KERNEL_START_ATTEMPTS and _kernel_never_started(exc, scratch):
                log.warning("notebook %s: the kernel did not start (%s); starting it again (attempt %d of %d)",
                            name, _describe_error(exc), attempt + 1, KERNEL_START_ATTEMPTS)
                scratch.unlink(missing_ok=True)
                time.sleep(0.5 * attempt)
                continue
            raise NotebookFailed(name, _failed_cell(exc, scratch), _describe_error(exc)) from exc
        if cancelled.is_set():  # finished just as Ctrl-C came: keep nothing, as promised
            raise KeyboardInterrupt
        return attempt


#: The tag of cells nbclient does not run (its ``skip_cells_with_tag``, left at its default here).
SKIPPED_CELL_TAG = "skip-execution"


def _hooks(on_ready=None, on_cells_done=None) -> dict:
    """nbclient's hooks for :func:`_execute`: ``on_ready(notebook=)`` once the kernel is ready (its
    notebook-start hook); ``on_cells_done()`` when the reply to the last cell that runs has come, whether
    it succeeded or failed (its cell-executed hook, for the last cell with code, not tagged to be skipped,
    of the notebook as parameterised).  A cell before it that fails ends the run first, and a notebook with
    no cell to run has no such reply: then nothing is called."""
    hooks, last = {}, {}

    def started(notebook=None, **_):
        last["cell"] = max((i for i, cell in enumerate(notebook.cells)
                            if cell.cell_type == "code" and cell.source.strip()
                            and SKIPPED_CELL_TAG not in cell.metadata.get("tags", [])), default=None)
        if on_ready is not None:
            on_ready(notebook=notebook)

    def executed(cell_index=None, **_):
        if cell_index is not None and cell_index == last.get("cell"):
            on_cells_done()

    if on_ready is not None or on_cells_done is not None:
        hooks["on_notebook_start"] = started
    if on_cells_done is not None:
        hooks["on_cell_executed"] = executed
    return hooks


def _kernel_never_started(exc, scratch) -> bool:
    """True if papermill failed before any cell started: the kernel did not come up."""
    if type(exc).__name__ == "PapermillExecutionError":
        return False
    return _started_cells(scratch) == []


def _started_cells(scratch):
    """Indices of the cells papermill started in a partial output (None if it is unreadable)."""
    if not scratch.is_file():
        return []
    try:
        node = nbformat.read(scratch, as_version=4)
    except Exception:  # unreadable partial output
        return None
    return [i for i, cell in enumerate(node.cells) if cell.metadata.get("papermill", {}).get("start_time")]


def _failed_cell(exc, scratch):
    """1-based position of the cell that failed: from papermill's error, else (the kernel died)
    from the partly executed copy: the last cell papermill started."""
    index = getattr(exc, "cell_index", None)
    if index is None:
        started = _started_cells(scratch)
        index = started[-1] if started else None
    return None if index is None else index + 1


def _describe_error(exc) -> str:
    name, value = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    if type(exc).__name__ == "DeadKernelError":
        value = f"the kernel died ({value or 'no message'}); it ran out of memory or crashed"
    return f"{name}: {value}".strip()


# --- one notebook, in a worker ------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    """One notebook to execute, with everything a worker (another process or machine) needs."""

    name: str
    notebook: str  # the notebook's path
    parameters: dict
    cwd: str  # the kernel's working folder (the notebooks folder)
    scratch: str  # folder for the temporary copy (a ``.run-*`` folder is made in it)
    title: str = ""  # page title; the page body is rendered only if given
    kernel_manager: object = None  # a kernel manager class (default LocalKernelManager)


@dataclass
class Outcome:
    """What a worker sends back: the executed notebook and its page body, or why it failed."""

    name: str
    notebook: str = ""  # the executed notebook (JSON text)
    body: str = ""  # the rendered page body (see analysis.report.site.render_notebook_body)
    failure: str = ""
    timings: dict = field(default_factory=dict)
    cancelled: bool = False
    published: list = None  # the assessments the notebook published, as the worker read them (None: not read)


def execute_task(task, cancelled=None, place=None) -> Outcome:
    """Execute ``task`` here (any thread or process), render its page body; never raises for a
    notebook failure (it is in the Outcome).  Without ``cancelled``: Ctrl-C in this process's main
    thread raises KeyboardInterrupt after the kernel is killed and the temporary files are gone.  With
    it (a ``threading.Event`` the caller sets on Ctrl-C, then killing the kernels): a cancelled Outcome,
    the temporary files gone, no kernel started again.  ``place``: the notebook's :class:`Place` among
    those whose cells may run at once, taken once its kernel is ready and given back once its last cell
    has run (not held while its kernel starts, nor, then, while it shuts down, the notebook is written and
    its page renders), or when its kernel has ended (a cell before the last failed, the kernel died or
    never started, no cell was to run)."""
    import papermill  # noqa: F401  see execute()

    place = place or Place(None, 0)
    try:
        return _execute_task(task, cancelled, place)
    finally:
        place.leave()


class _Cancelled(Exception):
    """Ctrl-C came while a notebook's kernel was ready and waiting for its place."""


class Places:
    """At most ``count`` notebooks' cells running at once, in the order of their tickets (the order the
    run asks for them: longest first), whichever kernel is ready first.  A ticket given up without its
    place being taken (the kernel never started, Ctrl-C) lets the next one through."""

    def __init__(self, count):
        self.free, self.turn, self.given_up = count, 0, set()
        self.changed = threading.Condition()

    def take(self, ticket, cancelled=None) -> None:
        with self.changed:
            while not (self.free and self.turn == ticket):
                if cancelled is not None and cancelled.is_set():
                    raise _Cancelled
                self.changed.wait(0.1)
            self.free -= 1
            self._next()

    def give_back(self) -> None:
        with self.changed:
            self.free += 1
            self.changed.notify_all()

    def give_up(self, ticket) -> None:
        with self.changed:
            self.given_up.add(ticket)
            if ticket == self.turn:
                self._next()
            self.changed.notify_all()

    def _next(self) -> None:
        self.turn += 1
        while self.turn in self.given_up:
            self.turn += 1


class Place:
    """One notebook's ticket for ``places`` (None: no limit): :meth:`take` once its kernel is ready
    (nbclient's hook), :meth:`leave` once its last cell has run (nbclient's hook), or when the kernel has
    ended (a cell before the last failed, the kernel died or never started, no cell was to run); a second
    :meth:`leave` does nothing."""

    def __init__(self, places, ticket, cancelled=None):
        self.places, self.ticket, self.cancelled = places, ticket, cancelled
        self.held = self.left = False
        self.waited = 0.0

    def take(self, notebook=None) -> None:
        if self.places is None or self.held or self.left:
            return
        start = time.perf_counter()
        self.places.take(self.ticket, self.cancelled)
        self.held, self.waited = True, self.waited + time.perf_counter() - start

    def leave(self) -> None:
        if self.places is None or self.left:
            return
        self.left = True
        if self.held:
            self.held = False
            self.places.give_back()
        else:
            self.places.give_up(self.ticket)


def _execute_task(task, cancelled, place) -> Outcome:
    begin = time.perf_counter()
    scratch_dir = Path(task.scratch)
    scratch_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_dir, prefix=SCRATCH_PREFIX) as tmp:
        scratch = Path(tmp) / f"{task.name}.ipynb"
        arguments = (task.name, task.notebook, task.parameters, scratch, task.cwd, task.kernel_manager)
        try:
            try:
                starts = (_interruptible(_execute, *arguments) if cancelled is None else
                          _execute(*arguments, cancelled, on_ready=place.take if place.places else None,
                                   on_cells_done=place.leave if place.places else None))
            finally:
                place.leave()  # unless its last cell did: the next notebook's cells may run
        except NotebookFailed as exc:
            if cancelled is not None and cancelled.is_set():
                return Outcome(task.name, cancelled=True)
            return Outcome(task.name, failure=str(exc),
                           timings={"execute": round(time.perf_counter() - begin - place.waited, 3)})
        except KeyboardInterrupt:
            if cancelled is None:
                raise
            return Outcome(task.name, cancelled=True)
        executed = time.perf_counter()
        text = scratch.read_text(encoding="utf-8")
        node = nbformat.reads(text, as_version=4)  # read once, for what it published and for its page
        try:
            published = audit.read_published(node)
        except Exception:  # read again for the report, from the saved file, where the error is raised
            published = None
        body = _render(node, task.title, task.name) if task.title else ""
        timings = {"execute": round(executed - begin - place.waited, 3),  # not counting the wait for a place
                   "render": round(time.perf_counter() - executed, 3),
                   "kernel_starts": starts, "worker": f"{os.uname().nodename}:{os.getpid()}"}
        return Outcome(task.name, notebook=text, body=body, timings=timings, published=published)


#: The temporary folders of notebooks being executed start with this (in the report's notebooks folder).
SCRATCH_PREFIX = ".run-"
_EXPORT = {"exporter": None, "lock": threading.Lock()}


def _render(executed, title, name=None) -> str:
    """The page body of an executed notebook (see :func:`analysis.report.site.render_notebook_body`), by
    this process's one HTML exporter (its templates compile once, on first use), one page at a time (an
    exporter keeps per-notebook state while it renders)."""
    with _EXPORT["lock"]:
        if _EXPORT["exporter"] is None:
            _EXPORT["exporter"] = site.notebook_exporter()
        return site.render_notebook_body(executed, title=title, exporter=_EXPORT["exporter"], name=name)


# --- the default: notebooks at once in threads of this process ---------------------------------

def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def dask_executor(address):
    """``(executor, client)`` for the Dask scheduler at ``address`` (``dask.distributed``; its
    workers need this project, at the same path, and its environment)."""
    try:
        from distributed import Client
    except ImportError as exc:  # an optional dependency (the dev extra)
        raise AuditError(f"--scheduler needs dask.distributed: pip install distributed ({exc})") from None
    client = Client(address, set_as_default=False)
    return client.get_executor(pure=False), client


# --- many notebooks -----------------------------------------------------------------------------

class _Progress:
    """One line per notebook (tqdm) on a terminal; log lines otherwise (quiet in CI logs)."""

    def __init__(self, names, show):
        self.width = max((len(n) for n in names), default=0)
        self.bars = {}
        if show:
            from tqdm import tqdm

            self.bars = {n: tqdm(total=1, position=i, desc=n.ljust(self.width), bar_format="{desc}", leave=True,
                                 file=sys.stderr) for i, n in enumerate(names)}

    def status(self, name, text, done=False):
        line = f"{name.ljust(self.width)}  {text}"
        bar = self.bars.get(name)
        if bar is None:
            if done:
                log.info("%s", line)
            return
        bar.set_description_str(line, refresh=False)
        if done:
            bar.update(1)
        bar.refresh()

    def close(self):
        for bar in self.bars.values():
            bar.close()


def _show_progress(progress) -> bool:
    if progress is not None:
        return bool(progress)
    return sys.stderr.isatty() and not os.environ.get("CI")


def _run_tasks(tasks, on_done, jobs=None, executor=None, scheduler=None, display=None) -> None:
    """Execute ``tasks``, calling ``on_done(task, outcome)`` as each finishes.

    Without an executor: here, ``jobs`` at a time (default: one per core), each in a thread of this
    process (:func:`_run_here`); or on the Dask ``scheduler``.
    """
    if not tasks:
        return
    if executor is None and not scheduler:
        folders = list(dict.fromkeys(task.cwd for task in tasks if task.kernel_manager is None))
        try:  # the run's kernel templates, warming up while the first kernel is asked for (or kept from the
            for cwd in folders:  # process's last run); kept for its next run, unless this one was cut short
                kernels.warm(cwd)
            _run_here(tasks, on_done, jobs, display)
        except BaseException:
            for cwd in folders:
                kernels.release(cwd)
            raise
        return
    _run_on(executor, tasks, on_done, scheduler, display)


def _run_here(tasks, on_done, jobs, display) -> None:
    """The tasks in this process, ``jobs`` at a time (default: one per core).

    One task runs in this thread (Ctrl-C is handled by :func:`_interruptible`); several, each in a
    thread of a pool of ``jobs + 1``, ``jobs`` of them running cells at once (:class:`Places`, taken in
    the tasks' order once a kernel is ready), so that the next kernel starts while they run, even one
    at a time.  A thread only drives its notebook's kernel, which is a process of
    its own (forked from the run's template: :mod:`analysis.report.kernels`) doing the notebook's work,
    and renders the page with this process's one exporter; so no worker process starts, imports
    papermill, nbclient and nbconvert and compiles the page template again.  On Ctrl-C the notebooks
    not started are dropped, the running ones are told to stop and their kernels killed until they
    have, having removed their temporary files."""
    jobs = min(jobs or default_jobs(), len(tasks))
    _ready_to_execute()
    if len(tasks) == 1:
        for task in tasks:
            display.status(task.name, "running")
            on_done(task, execute_task(task))
        return
    # one thread more than places: while ``jobs`` notebooks run, the next one's kernel starts and waits,
    # ready, for a place; and its cells start while the page of the notebook that made room renders
    with ThreadPoolExecutor(max_workers=min(jobs + 1, len(tasks)), thread_name_prefix="notebook") as pool:
        _run_on(pool, tasks, on_done, None, display, cancelled=threading.Event(), places=Places(jobs))


def _ready_to_execute() -> None:
    """Import papermill and compile nbformat's notebook validator once, here, before the threads start.
    Each thread's first read of a notebook compiles the validator if none is there yet: three threads
    starting together each compiled it (0.05 CPU-s each, on the way to the first kernels) and nbformat
    kept one."""
    import papermill  # noqa: F401  see execute()
    from nbformat.validator import get_validator

    get_validator()  # the current format's, which the notebooks use (another is compiled when first read)


def _run_on(executor, tasks, on_done, scheduler, display, cancelled=None, places=None) -> None:
    """The tasks on ``executor`` or the Dask ``scheduler``'s; ``cancelled``: an event the tasks are
    given and that Ctrl-C sets (``executor`` then runs them in this process's threads); ``places``: the
    :class:`Places` their cells share, in the order of ``tasks``."""
    client = None
    if executor is None:
        executor, client = dask_executor(scheduler)
    futures = {}

    def submitted(ticket, task):
        if cancelled is None:
            return executor.submit(execute_task, task)
        return executor.submit(execute_task, task, cancelled, Place(places, ticket, cancelled) if places else None)

    try:
        futures = {submitted(ticket, t): t for ticket, t in enumerate(tasks)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                on_done(futures[future], _outcome(future, futures[future]))
            for future in pending:
                if future.running():
                    display.status(futures[future].name, "running")
    except KeyboardInterrupt:
        if cancelled is not None:
            cancelled.set()
        _stop(futures)
        raise
    finally:
        if client is not None:
            executor.shutdown(wait=False)
            client.close()


def _outcome(future, task) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # the worker itself died (killed, out of memory) or could not be reached
        return Outcome(task.name, failure=f"notebook {task.name}: its worker failed ({type(exc).__name__}: {exc})")


def _stop(futures) -> None:
    """After Ctrl-C: cancel what has not started, kill the kernels of this process's notebooks (again
    and again: one may have been starting) until every running task has stopped and removed its
    temporary files.  (A task on another process or machine, as on Dask, is its worker's to stop.)"""
    for future in futures:
        future.cancel()
    deadline = time.monotonic() + STOP_TIMEOUT
    running = [f for f in futures if not f.done()]
    while running and time.monotonic() < deadline:
        _kill_kernels()
        wait(running, timeout=0.5)
        running = [f for f in running if not f.done()]


def _save(folder, name, outcome, key, parts) -> Path:
    """Write a successful outcome beside the others: the record goes last, so that an interrupted
    write leaves no record and the next run executes the notebook again."""
    cache.forget(folder, name)
    executed = atomic.write_text(folder / f"{name}.ipynb", outcome.notebook)
    outputs = {executed.name: cache.sha256_file(executed)}
    if outcome.body:
        body = atomic.write_text(folder / f"{name}.body.html", outcome.body)
        outputs[body.name] = cache.sha256_file(body)
    cache.write_record(folder, cache.Record(name, key, parts, outputs, outcome.timings))
    return executed


def _longest_first(tasks, folders) -> list:
    """``tasks``, the longest first (with fewer workers than notebooks, a long notebook started last
    keeps the others waiting): by each one's last recorded run in the first of ``folders`` that has one
    (this run's report folder, then the published report's), a notebook never run before first of all;
    with no record anywhere, as on a fresh clone, by the size of the committed notebook, whose outputs
    (figures mostly) are what takes a notebook long to make.  Ties keep the plan's order."""
    seconds = [next((s for s in (_recorded_seconds(f, t.name) for f in folders) if s is not None), None)
               for t in tasks]
    if all(s is None for s in seconds):
        return sorted(tasks, key=lambda task: -_file_size(task.notebook))
    return [task for _, task in sorted(zip(seconds, tasks), key=lambda pair: -(
        float("inf") if pair[0] is None else pair[0]))]


def _recorded_seconds(folder, name):
    record = cache.read_record(folder, name)
    seconds = record.timings.get("execute") if record else None
    return None if seconds is None else float(seconds)


def _file_size(path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def changed_parameters(ledger, overrides, names=None) -> variants.Variant:
    """The run's changed parameters, validated (``overrides`` as :func:`plan_run` accepted them),
    with the default each had (of the first of ``names`` that declares it).

    >>> changed_parameters(load_ledger(), {"edition": "2017"}).changed
    [{'name': 'edition', 'value': 2017, 'default': 2019}]
    """
    values, defaults = {}, {}
    for spec in declared_specs(ledger, names).values():
        for name, value in overrides.items():
            if name in spec.parameters and name not in values:
                values[name] = spec.parameters[name].coerce(value)
                defaults[name] = spec.parameters[name].default
    return variants.Variant(values, defaults)


def report_folder(ledger, reports_dir, variant) -> Path:
    """Where the run writes: ``reports_dir`` if given, else the published report (``reports/<slug>/``)
    or, for a variant, its folder inside it.  A variant is never written into the published report."""
    published = ledger.article.reports_dir()
    if variant is None:
        return Path(reports_dir or published)
    default = variants.default_folder(published, variant.parameters)
    if reports_dir is None:
        return default
    if Path(reports_dir).resolve() == published.resolve():
        raise ReportRefused(f"--output {reports_dir} is the published report; a run with -p writes a variant: "
                            f"leave out --output (it goes to {default}) or give another folder")
    return Path(reports_dir)


def _whole_plan(ledger, overrides, plan, variant) -> list:
    """The plan of every notebook with the same overrides (the report covers them all); for a
    variant whose overrides some other notebook rejects, only ``plan`` (the others are not run)."""
    try:
        return plan_run(ledger, None, overrides)
    except ParameterError:
        if variant is None:
            raise
        return plan


def _adopt(source, folder, name, key) -> bool:
    """Copy the current result of ``name`` (same key) from the report folder ``source``'s notebooks
    into ``folder`` (the record last); False if ``source`` has none."""
    record = cache.lookup(source, name, key)
    if record is None:
        return False
    cache.forget(folder, name)
    for file in record.outputs:
        with atomic.replacing(Path(folder) / file, "wb") as fh:
            fh.write((Path(source) / file).read_bytes())
    cache.write_record(folder, record)
    return True


def _current(folder, name, key, seed=None) -> bool:
    """Whether ``folder`` holds a current result of ``name`` (adopted from ``seed`` if it has one)."""
    return cache.lookup(folder, name, key) is not None or (seed is not None and _adopt(seed, folder, name, key))


def _refusal(selected, missing, reports_dir) -> ReportRefused:
    many = len(missing) > 1
    return ReportRefused(
        f"cannot update only {', '.join(selected)} in {reports_dir}: the result{'s' if many else ''} of "
        f"{', '.join(missing)} there {'are' if many else 'is'} missing or out of date; run without --notebook, "
        f"or rerun {'them' if many else 'it'} too ({' '.join('--notebook ' + m for m in missing)})")


def check_measurable(ledger, plan) -> None:
    """Measure, before any kernel starts, every claim of the planned pages that the verified multiverse
    does not already vouch for: claims without declared choices, and any claim under changed
    parameters.  A measurement that fails (an unknown company, an edition or source the data do not
    hold) is a ParameterError naming the ledger, the claim and the field, one line per claim."""
    problems = []
    for spec, values in plan:
        if spec.name in ledger.notebooks:
            claims = [(c, audit.effective_parameters(c, spec, values)) for c in ledger.claims_for(spec.name)]
        else:
            claim = ledger.claim(values["claim_id"])
            changed = ledger.parameter_spec(claim).validate(json.loads(values["overrides"]))
            claims = [(claim, {**claim.parameters, **changed})]
        for claim, parameters in claims:
            if claim.choices and parameters == claim.parameters:
                continue  # its headline is in the multiverse, which integrity.verify_inputs found fresh
            try:
                audit.measurement_of(claim, parameters)
            except (AuditError, ValueError, LookupError) as exc:
                changed = {k: v for k, v in parameters.items() if claim.parameters.get(k) != v}
                under = f" under {changed}" if changed else ""
                problems.append(f"{ledger.path}: claim {claim.id!r}, field 'args'{under}: {exc}")
    if problems:
        raise ParameterError("cannot measure " + ("these claims" if len(problems) > 1 else "this claim")
                             + " (nothing was run):\n  " + "\n  ".join(problems))


def _lock_holder(fd) -> tuple:
    """``(pid, description)`` of the run holding a lock, as its lock file says."""
    os.lseek(fd, 0, os.SEEK_SET)
    words = os.read(fd, 4096).decode("utf-8", "replace").split(maxsplit=2)
    if len(words) < 3:  # it has only just taken the lock
        return "PID", "a run just starting"
    return words[0], f"pid {words[0]} on {words[1]}, since {words[2].strip()}"


def _take_lock(path):
    """An open descriptor of ``path`` locked with ``flock`` for this process, or None on a file system
    without locks; an OutputError names the run that holds it."""
    import fcntl

    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, holder = _lock_holder(fd)
            os.close(fd)
            raise OutputError(f"another run ({holder}) is writing to the reports folder {path.parent}; wait for it "
                              f"to finish, or stop it (kill {pid}), then run again") from None
        except OSError as exc:  # no locks here (some network file systems): run unlocked rather than not at all
            os.close(fd)
            log.warning("%s cannot be locked (%s); make sure no other run writes to its folder", path, exc)
            return None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd  # the file in place, not one that a run finishing meanwhile had just removed
        except FileNotFoundError:
            pass
        os.close(fd)


@contextmanager
def reports_lock(folder):
    """Hold the run lock of reports ``folder`` while the block runs: a second run on the same folder is
    refused (an OutputError naming the first run's pid).  The lock is an ``flock`` on :data:`LOCK_FILE`,
    which holds the holder's pid: the system releases it however the holder ends, so the lock file left
    by a killed run is simply taken over.  The file is removed on exit."""
    path = Path(folder) / LOCK_FILE
    fd = _take_lock(path)
    try:
        if fd is not None:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {os.uname().nodename} {time.strftime('%Y-%m-%dT%H:%M:%S')}\n".encode())
        yield path
    finally:
        if fd is not None:
            path.unlink(missing_ok=True)
            os.close(fd)


def run(notebooks=None, overrides=None, reports_dir=None, ledger=None, jobs=None, executor=None,
        scheduler=None, use_cache=True, progress=None, article=None, base_url="") -> RunResult:
    """Execute the notebooks, then write the reviewer's site (:func:`analysis.report.site.build_site`):
    the notebook pages, the scorecard, the provenance page and the exports.

    ``notebooks``: run only these (default: all); the report still covers every notebook, from
    the current results in the report folder (with the ledger's parameters, a ReportRefused if one
    is missing or out of date; in a variant, its claims are "not run in this variant");
    ``overrides``: ``{name: value}`` (strings are coerced to the parameter's type), which make the
    run a variant (:mod:`analysis.report.variants`); ``reports_dir``: the report folder (default:
    the published report ``reports/<slug>/``, or a variant's folder inside it);
    ``jobs``: worker processes (default one per core); ``executor``: any
    ``concurrent.futures.Executor`` to run the notebooks on instead; ``scheduler``: the
    address of a Dask scheduler to run them on; ``use_cache=False`` executes every asked-for
    notebook even if its result is known; ``progress``: one status line per notebook
    (default: only on a terminal, never when ``CI`` is set); ``article``: the article folder
    (default: this project's op-ed); ``base_url``: where the report folder is published, which makes
    its ClaimReview URLs absolute (:func:`analysis.report.claimreview.base_url`).  One run at a time
    writes to a reports folder (:func:`reports_lock`).
    """
    base_url = claimreview.base_url(base_url)  # a bad address is refused before anything runs
    ledger = ledger or load_ledger(article)
    plan = plan_run(ledger, notebooks, overrides)
    integrity.verify_inputs(ledger.article.folder)
    check_measurable(ledger, plan)
    variant = changed_parameters(ledger, overrides, [spec.name for spec, _ in plan]) if overrides else None
    published = ledger.article.reports_dir()
    seed = published / "notebooks" if variant is not None and reports_dir is None else None
    reports_dir = report_folder(ledger, reports_dir, variant)
    if variant is not None and (published / "index.html").is_file():
        variant = replace(variant, published=variants.link_to_published(reports_dir, published))
    whole = _whole_plan(ledger, overrides, plan, variant) if notebooks else plan
    created = [p for p in (Path(reports_dir), *Path(reports_dir).parents) if not p.exists()]
    reports_dir = atomic.writable_folder(reports_dir)
    try:
        with reports_lock(reports_dir):
            return _run_plan(ledger, plan, whole, variant, seed, reports_dir, jobs, executor, scheduler,
                             use_cache, progress, base_url, complete=not notebooks)
    except ReportRefused:
        for folder in created:  # refused before writing anything: leave no folder behind either
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise


def _run_plan(ledger, plan, whole, variant, seed, reports_dir, jobs, executor, scheduler, use_cache,
              progress, base_url="", complete=False) -> RunResult:
    """:func:`run` once its plan is checked and its reports folder locked (one run at a time writes to a
    reports folder: :func:`reports_lock`).  A ``complete`` successful run of the published report is
    recorded for the next run with nothing changed (:mod:`analysis.report.fresh`)."""
    inputs = cache.Inputs.collect(article_folder=ledger.article.folder)
    keys = {spec.name: _key(spec, parameters, inputs) for spec, parameters in whole}
    result = RunResult(variant=variant)
    _include_others(result, ledger, plan, keys, reports_dir, seed)  # may refuse the run: nothing written yet
    fresh.forget(reports_dir)
    _remove_scratch(reports_dir / "notebooks")
    ahead = candidates.find_ahead(ledger)  # the candidates page's claims, found while the notebooks execute
    robustness = {}  # the scorecard's robustness lines, from the committed multiverse: no notebook changes them

    def meanwhile():  # the first notebook is done, the others run: do now what needs none of them
        try:
            site.compile_templates()
            robustness.update(multiverse.robustness_lines(ledger))
        except Exception:  # done again for the report, after the notebooks, where the failure says what is wrong
            robustness.clear()

    try:
        _execute_plan(result, plan, keys, reports_dir / "notebooks", seed, use_cache=use_cache, jobs=jobs,
                      executor=executor, scheduler=scheduler, progress=progress,
                      history=[ledger.article.reports_dir() / "notebooks"], meanwhile=meanwhile)
    except BaseException:  # Ctrl-C, or the run could not go on: the page will not be written
        ahead.cancel()
        raise
    _write_report(result, ledger, whole, reports_dir, base_url, found=ahead.result(),
                  robustness=robustness if robustness else None)
    if complete and variant is None and result.ok:
        fresh.write_record(reports_dir, ledger.article.folder, result.html, result.scorecard, result.index,
                           options=fresh.run_options(base_url))
    return result


def _remove_scratch(folder) -> None:
    """Remove the temporary folders of notebooks that a run killed outright (SIGKILL: it could clean
    nothing up) left in ``folder``; only a run holding the folder's lock calls this, so none is in use."""
    for scratch in Path(folder).glob(SCRATCH_PREFIX + "*"):
        if scratch.is_dir():
            shutil.rmtree(scratch, ignore_errors=True)


def _key(spec, parameters, inputs) -> tuple:
    """``(cache key, its parts)`` of one notebook run."""
    parts = cache.key_parts(spec.path, parameters, inputs)
    return cache.cache_key(parts), parts


def _include_others(result, ledger, plan, keys, reports_dir, seed) -> None:
    """Into ``result.kept``, the current results in the report folder of the notebooks not asked
    for; the others into ``result.not_run`` (a variant), or, with the ledger's parameters, a
    ReportRefused naming them, raised before anything is written."""
    folder, selected = reports_dir / "notebooks", [spec.name for spec, _ in plan]
    others = [n for n in declared_specs(ledger) if n not in selected]
    if result.variant is None:
        missing = [n for n in others if n not in keys or cache.lookup(folder, n, keys[n][0]) is None]
        if missing:
            raise _refusal(selected, missing, reports_dir)
    for name in others:
        if name in keys and _current(folder, name, keys[name][0], seed):
            result.kept[name] = folder / f"{name}.ipynb"
        else:
            result.not_run.append(name)


def _execute_plan(result, plan, keys, folder, seed, use_cache=True, jobs=None, executor=None, scheduler=None,
                  progress=None, history=(), meanwhile=None) -> None:
    """Execute the notebooks of ``plan`` whose result is not current in ``folder`` (or ``seed``),
    concurrently, the longest first (their durations recorded in ``folder``, else in the folders of
    ``history``: :func:`_longest_first`); the results and failures go into ``result``, in the plan's
    order, with what each published (``result.published``, read as it is saved).  ``meanwhile``: called
    once, in this thread, when the first of several notebooks has ended (work the report needs that no
    notebook changes, done while the others run rather than after the last one)."""
    tasks = []
    display = _Progress([spec.name for spec, _ in plan], _show_progress(progress))
    try:
        for spec, parameters in plan:
            if use_cache and _current(folder, spec.name, keys[spec.name][0], seed):
                result.cached.append(spec.name)
                result.executed[spec.name] = folder / f"{spec.name}.ipynb"
                display.status(spec.name, "cached (unchanged)", done=True)
                continue
            tasks.append(Task(spec.name, str(spec.path), parameters, cwd=str(paths.NOTEBOOKS), scratch=str(folder),
                              title=spec.title))
            display.status(spec.name, "queued")

        meanwhile_due = meanwhile is not None

        def done(task, outcome):
            nonlocal meanwhile_due
            if meanwhile_due and len(tasks) > 1:  # once, as the first of several notebooks ends
                meanwhile_due = False
                meanwhile()
            if outcome.cancelled:
                return
            if outcome.failure:  # a notebook error or a dead kernel: record it, go on
                result.failures[task.name] = outcome.failure
                log.error("notebook %s failed: %s", task.name, outcome.failure)
                display.status(task.name, "FAILED", done=True)
                return
            result.executed[task.name] = _save(folder, task.name, outcome, *keys[task.name])
            published = _published(outcome)
            if published is not None:
                result.published[task.name] = published
            result.timings[task.name] = outcome.timings
            display.status(task.name, f"done in {outcome.timings.get('execute', 0):.1f} s", done=True)

        _run_tasks(_longest_first(tasks, [folder, *history]), done, jobs=jobs, executor=executor, scheduler=scheduler,
                   display=display)
    finally:
        display.close()
    order = [spec.name for spec, _ in plan]
    result.executed = {n: result.executed[n] for n in order if n in result.executed}
    result.failures = {n: result.failures[n] for n in order if n in result.failures}


def _published(outcome):
    """What an outcome's notebook published: as its worker read it, else read here (an outcome from an
    executor that did not); None if it cannot be read (it is read again for the report, from the saved
    file, where the error is raised)."""
    if outcome.published is not None:
        return outcome.published
    try:
        return audit.read_published(nbformat.from_dict(json.loads(outcome.notebook)))
    except Exception:
        return None


def _write_report(result, ledger, whole, reports_dir, base_url="", found=None, robustness=None) -> None:
    """The scorecard and the site from every result the report includes: those of this run and
    the current ones kept (:func:`_include_others`).  Only this run's notebook pages are rewritten,
    except in a variant, whose every page carries its banner.  ``found``: the article's candidate
    claims, if already found (:func:`analysis.report.candidates.find_ahead`); ``robustness``: the
    scorecard's robustness lines, if already read (:func:`analysis.claims.multiverse.robustness_lines`)."""
    folder, variant = reports_dir / "notebooks", result.variant
    shown = {n: result.executed.get(n) or result.kept[n] for n in declared_specs(ledger)
             if n in result.executed or n in result.kept}
    result.html = {name: reports_dir / f"{name}.html" for name in result.executed}  # rendered by site.build_site
    assessments = [a for name, path in shown.items() for a in (
        result.published[name] if name in result.published else audit.read_published(nbformat.read(path, as_version=4)))]
    applied = None if variant is None else {n: variant.applied(s.parameters) for n, s in declared_specs(ledger).items()}
    table = build_scorecard(ledger, assessments, failed=set(result.failures), not_run=set(result.not_run),
                            parameters=applied, robustness=robustness)
    bodies = {n: folder / f"{n}.body.html" for n in shown if (folder / f"{n}.body.html").is_file()}
    # The reviewer's site: index.html, sources.html, notebook pages with headers, CSV and JSON-LD exports.
    result.scorecard, result.index = site.build_site(
        reports_dir, ledger, table, assessments, plan=whole, executed=shown, failures=result.failures,
        bodies=bodies, pages=shown if variant is not None else result.executed, variant=variant,
        not_run=result.not_run, base_url=base_url, candidates=found)
    if variant is None and reports_dir.resolve().parent == paths.REPORTS.resolve():  # this project's reports
        site.write_landing(paths.REPORTS, also=ledger.article)  # after the report it lists is written


def strip_run_metadata(node) -> None:
    """Remove what changes from run to run (papermill timings and paths, execution times)."""
    node.metadata.pop("papermill", None)
    for cell in node.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)


def refresh_notebooks(notebooks=None, ledger=None) -> list:
    """Re-execute committed notebooks in place with their own defaults (nbval's reference outputs):
    the ledger's theme notebooks and the generic claim notebook (name ``claim``)."""
    ledger = ledger or load_ledger()
    integrity.verify_inputs(ledger.article.folder)
    names = list(notebooks or [*sorted(ledger.notebooks), CLAIM])
    themes = [n for n in names if n != CLAIM]
    specs = [spec for spec, _ in plan_run(ledger, themes)] if themes else []
    if CLAIM in names:
        specs.append(NotebookSpec(name=CLAIM, title="One claim, checked", file=str(paths.CLAIM_NOTEBOOK)))
    done = []
    for spec in specs:
        with tempfile.TemporaryDirectory() as tmp:
            out = execute(spec, {}, Path(tmp) / spec.path.name, inject=False)
            node = nbformat.read(out, as_version=4)
        strip_run_metadata(node)
        atomic.write_text(spec.path, nbformat.writes(node) + "\n")
        done.append(spec.path)
    return done


def render_specification(spec, reports_dir=None, ledger=None):
    """Execute the notebook of specification ``spec`` with its choices as parameters (papermill, through
    :func:`analysis.report.runner.run`) into ``reports/specs/<id>/``; returns the run's result.

    The choices become notebook parameters, so they apply to every claim of that notebook.
    """
    from analysis.claims import multiverse

    ledger = ledger or load_ledger()
    found = multiverse.find(spec, ledger)
    notebooks = list(dict.fromkeys(ledger.page_of(c) for c, _ in found))
    choices = found[0][1].choices
    return run(notebooks=notebooks, overrides=choices,
               reports_dir=Path(reports_dir or paths.REPORTS / "specs" / spec), ledger=ledger)
