"""Run the audit: execute notebooks with papermill, render HTML, write the scorecard.

Parameters are checked against the ledger before any kernel starts.  Each
notebook is executed into a temporary file and moved into ``reports/notebooks``
only if it succeeded; its HTML is replaced only then, so a failed run never
overwrites the last good report.  A failure is recorded (notebook, cell, error),
the other notebooks still run, and :func:`run` reports it.

>>> plan_run(load_ledger(), overrides={"edition": "2020"})[0][1]["edition"]
2020
"""
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager

from analysis import atomic, audit, paths, site
from analysis.errors import ParameterError
from analysis.ledger import load_ledger
from analysis.scorecard import build_scorecard

log = logging.getLogger(__name__)
#: Kernel used to execute notebooks: the environment running the audit.
KERNEL = "python3"


class LocalKernelManager(AsyncKernelManager):
    """Starts kernels over local IPC sockets: no TCP ports to race for, nothing on the network."""

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)


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

    Raises papermill's PapermillExecutionError (with cell and error) on failure.
    """
    import papermill  # imported here: it is slow to import and only running needs it

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".run-") as tmp:
        scratch = Path(tmp) / output.name
        papermill.execute_notebook(str(spec.path), str(scratch), parameters=parameters if inject else {},
                                   kernel_name=KERNEL, cwd=str(paths.NOTEBOOKS), progress_bar=False,
                                   log_output=False, kernel_manager_class=LocalKernelManager)
        shutil.move(scratch, output)
    return output


def render_html(notebook_path, html_path) -> Path:
    """Render an executed notebook to a standalone HTML page (atomically)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="audit", extra_template_basedirs=[str(paths.TEMPLATES)])
    body, _ = exporter.from_filename(str(notebook_path))
    return atomic.write_text(html_path, body)


def _describe_failure(exc) -> str:
    cell = getattr(exc, "exec_count", None)
    name, value = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    where = f"cell {cell}: " if cell is not None else ""
    return f"{where}{name}: {value}".strip()


def run(notebooks=None, overrides=None, reports_dir=None, ledger=None) -> RunResult:
    """Execute the notebooks, render each to HTML, and write the scorecard and index page.

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
        except Exception as exc:  # a notebook error or a dead kernel: record it, go on
            result.failures[spec.name] = _describe_failure(exc)
            log.error("notebook %s failed: %s", spec.name, result.failures[spec.name])
            continue
        result.executed[spec.name] = executed
        result.html[spec.name] = render_html(executed, reports_dir / f"{spec.name}.html")
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
