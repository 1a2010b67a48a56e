"""A rebuild with nothing changed: recognised from a record beside the report, importing only what
that needs (no notebook machinery, no pandas), so that ``run`` answers in a fraction of a second.

After a complete, successful run of the published report (every notebook, no ``-p``), the runner
writes ``<report folder>/.report.json``: the **run key** (the SHA-256 of everything the report is
built from: the article folder and the report folder, the data, source and environment parts of
the execution cache key (:class:`analysis.report.cache.Inputs`), every notebook's cells, the git
commit and whether the checkout has uncommitted changes (the pages show both), and
``SOURCE_DATE_EPOCH``), the SHA-256 of every file it wrote, and what it reported.  The next run
with the same arguments computes the run key again and, if it matches and every recorded file is
there unchanged, reports the same files as cached and writes nothing: the pages keep their build
date, which is when they were built.  Anything else (a changed input, a missing or edited output,
``-p``, ``--notebook``, ``--no-cache``, no record) goes the whole way (:func:`analysis.report.runner.run`),
where inputs are verified before any kernel starts.  Skipping that verification here is sound: the
recorded run verified the same bytes.
"""
import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from analysis import atomic, paths
from analysis.report import cache

#: The record's file name, in the report folder.
RECORD = ".report.json"
#: Changes when the recipe of the run key changes.
VERSION = 1


@dataclass
class Unchanged:
    """What :func:`analysis.report.runner.run` would have returned for a run with nothing to do."""

    html: dict
    scorecard: str
    index: str
    cached: list = field(default_factory=list)
    failures: dict = field(default_factory=dict)
    ok: bool = True


def git_state(root=None) -> list:
    """``[commit, dirty]`` of the checkout at ``root``, as the pages show them (``["unknown", False]``
    outside a git checkout)."""
    root = str(root or paths.ROOT)
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=20)
        status = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return ["unknown", False]
    commit = head.stdout.strip() if head.returncode == 0 else "unknown"
    return [commit, commit != "unknown" and bool(status.stdout.strip())]


def run_key(article_folder, reports_dir, options=None) -> str:
    """The SHA-256 of everything a complete run of the published report is built from; ``options``:
    the run's other arguments that shape what it writes (``{name: value}``)."""
    folder, reports = Path(article_folder).resolve(), Path(reports_dir).resolve()
    notebooks = {p.name: cache.notebook_digest(p) for p in sorted(Path(paths.NOTEBOOKS).glob("*.ipynb"))}
    return cache.digest_json({"version": VERSION, "article": str(folder), "reports": str(reports),
                              "inputs": asdict(cache.Inputs.collect(article_folder=folder)), "notebooks": notebooks,
                              "git": git_state(), "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
                              "options": options or {}})


def _outputs(reports_dir) -> dict:
    """``{path: SHA-256}`` of the report's files (variants and bookkeeping excluded)."""
    reports = Path(reports_dir)
    files = [p for p in reports.rglob("*") if p.is_file() and not p.relative_to(reports).parts[0].startswith(".")
             and p.relative_to(reports).parts[0] != "variants" and not p.name.startswith(".")]
    return {str(p.resolve()): cache.sha256_file(p) for p in sorted(set(files))}


def write_record(reports_dir, article_folder, html, scorecard, index, options=None) -> Path:
    """Record a complete, successful run of the published report (see the module docstring)."""
    record = {"key": run_key(article_folder, reports_dir, options), "outputs": _outputs(reports_dir),
              "html": {name: str(path) for name, path in html.items()}, "scorecard": str(scorecard),
              "index": str(index)}
    return atomic.write_text(Path(reports_dir) / RECORD, json.dumps(record, indent=1, sort_keys=True) + "\n")


def run_options(base_url=None) -> dict:
    """The options besides data, code and parameters that shape a run's output, as a run key takes them
    (one form whether the base URL ends in "/" or not; none when unset).

    >>> run_options("https://example.org/a/"), run_options(None)
    ({'base_url': 'https://example.org/a'}, {})
    """
    base_url = str(base_url or "").strip().rstrip("/")
    return {"base_url": base_url} if base_url else {}


def forget(reports_dir) -> None:
    """Remove the record (a run that may change the report starts with this)."""
    (Path(reports_dir) / RECORD).unlink(missing_ok=True)


def likely_executes(article=None, reports_dir=None, overrides=None, use_cache=True) -> bool:
    """Whether a run with these arguments will likely execute notebooks: with ``use_cache``
    off, for a variant (``overrides``), or when the report folder holds no notebook result yet (a
    fresh clone's first run).  A cheap guess, made before anything is imported or planned, which
    lets the command line warm the kernels' template while it does (:mod:`analysis.report.kernels`).

    >>> likely_executes(use_cache=False)
    True
    """
    if not use_cache or overrides:
        return True
    folders = _folders(article, reports_dir)
    return folders is not None and not any((folders[1] / "notebooks").glob("*" + cache.RECORD_SUFFIX))


def _folders(article=None, reports_dir=None):
    """``(article folder, report folder)`` of a run's arguments (the published report unless
    ``reports_dir``), or None if the article is not found (the whole run will say what is wrong)."""
    from analysis.claims.articles import article_folder

    try:
        folder = article_folder(article)
    except Exception:
        return None
    return folder, Path(reports_dir) if reports_dir else Path(paths.REPORTS) / folder.name


def unchanged(article=None, reports_dir=None, notebooks=None, overrides=None, use_cache=True, options=None):
    """An :class:`Unchanged` if a run with these arguments would change nothing, else None (``options``
    as for :func:`run_key`: the same as the recorded run's, or it goes the whole way)."""
    folders = None if not use_cache or notebooks or overrides else _folders(article, reports_dir)
    if folders is None:
        return None
    folder, reports = folders
    try:
        record = json.loads((reports / RECORD).read_text(encoding="utf-8"))
        if record["key"] != run_key(folder, reports, options):
            return None
        if any(cache.sha256_file(path) != digest for path, digest in record["outputs"].items()):
            return None
    except (OSError, ValueError, KeyError, TypeError):  # no record, a file gone, or unreadable
        return None
    return Unchanged(html={k: Path(v) for k, v in record["html"].items()}, scorecard=Path(record["scorecard"]),
                     index=Path(record["index"]), cached=list(record["html"]))
