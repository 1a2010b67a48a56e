"""``python -m analysis``: a thin command line over the library.

Every command is one library call: ``fetch`` → :func:`analysis.data.fetch.fetch`,
``build-data`` → :func:`analysis.data.build.build_data`, ``run`` →
:func:`analysis.report.runner.run`, ``params`` → the ledger's notebook specs,
``refresh-notebooks`` → :func:`analysis.report.runner.refresh_notebooks`, ``multiverse`` →
:func:`analysis.claims.multiverse.write_multiverse` (or :func:`analysis.report.runner.render_specification`),
``verify`` → :func:`analysis.data.integrity.verify_inputs`.

Examples::

    python -m analysis fetch scoreboard_2019
    python -m analysis run -p edition 2020
    python -m analysis params 01_rd_spending
    python -m analysis multiverse rd-top-five-2018
    python -m analysis verify --article articles/huawei-not-spying-2019
"""
import argparse
import gc
import logging
import sys
from typing import NoReturn

from analysis.errors import AuditError


def _fetch(args):
    from analysis.data.fetch import FetchFailed, fetch

    try:
        fetched = fetch(args.keys, mirror=args.mirror, raw_dir=args.raw, progress=not args.quiet)
    except FetchFailed as exc:  # the good ones were kept: say so, then every failure
        print("\n".join(f"verified {path}" for path in exc.fetched), end="\n" if exc.fetched else "", flush=True)
        raise
    for path in fetched:
        print(f"verified {path}")
    return 0


def _build(args):
    from analysis.data.build import build_data

    written = build_data(raw_dir=args.raw, out_dir=args.out, force=args.force)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("processed data up to date (inputs and code unchanged); --force rebuilds")
    if args.out is None:  # the committed table goes with the committed processed tables
        print(f"wrote {_cited_rows(args)}")
    return 0


def _cited_rows(args):
    """The rows the headline verdicts cite, for reports built without the raw files (analysis.claims.evidence)."""
    from pathlib import Path

    from analysis.claims.articles import list_articles
    from analysis.claims.evidence import write_cited_rows
    from analysis.claims.ledger import load_ledger

    folders = [*list_articles(), *(Path(f) for f in args.article or ())]
    return write_cited_rows([load_ledger(f) for f in dict.fromkeys(folders)], raw_dir=args.raw)


def _run(args):
    from analysis.report import fresh  # a rebuild with nothing changed stops there, importing little

    result = fresh.unchanged(article=args.article, reports_dir=args.output, notebooks=args.notebook,
                             overrides=args.parameter, use_cache=not args.no_cache,
                             options=fresh.run_options(args.base_url))
    if result is None:
        early = _warm_kernels_early(args)
        try:
            from analysis.report.runner import run

            gc.freeze()  # the modules stay to the end: the collector need not walk them again in this run
            result = run(notebooks=args.notebook, overrides=dict(args.parameter or []), reports_dir=args.output,
                         article=args.article, jobs=args.jobs, scheduler=args.scheduler,
                         use_cache=not args.no_cache, progress=False if args.no_progress else None,
                         base_url=args.base_url)
        finally:
            if early:
                early()
    for name, path in result.html.items():
        print(f"report   {path}" + ("  (cached)" if name in result.cached else ""))
    print(f"scorecard {result.scorecard}\nindex     {result.index}")
    for name, why in result.failures.items():
        print(f"FAILED   {why}", file=sys.stderr)
    return 0 if result.ok else 1


def _warm_kernels_early(args):
    """Start the kernels' template now, so that it imports what the notebooks need while this process
    imports the runner and plans the run, if the run will likely execute notebooks here
    (:func:`analysis.report.fresh.likely_executes`); returns what ends it (a run with nothing to
    execute leaves it unused), or None."""
    from analysis.report import fresh

    if args.scheduler or not fresh.likely_executes(args.article, args.output, args.parameter,
                                                       use_cache=not args.no_cache):
        return None
    from analysis import paths
    from analysis.report import kernels

    if kernels.warm(paths.NOTEBOOKS) is None:
        return None
    return lambda: kernels.release(paths.NOTEBOOKS)


def _params(args):
    from analysis.claims.ledger import load_ledger

    ledger = load_ledger(args.article)
    generic = {ledger.page_of(c): ledger.parameter_spec(c) for c in ledger.generic_claims()}
    known = {**ledger.notebooks, **generic}
    names = args.notebooks or list(known)
    for name in names:
        if name not in known:
            raise AuditError(f"unknown notebook {name!r}; known: {', '.join(known)}")
        spec = known[name]
        print(f"{name}: {spec.title}")
        for p in spec.parameters.values():
            print(f"  {p.describe()}")
    return 0


def _measures(args):
    from analysis import measures

    for name in measures.names():
        found = measures.find(name)
        doc = found.doc.split("\n\n")[0].replace("\n", " ")
        print(f"{name} ({found.kind}; arguments: {', '.join(found.arguments) or 'none'})\n  {doc}")
    return 0


def _extract(args):
    from analysis.claims.extract.draft import write_draft

    draft = write_draft(args.text, output=args.output, verify=not args.no_trial)
    print(f"wrote {draft.path}: {len(draft.entries)} candidate claims, {draft.measured} with a suggested measure "
          f"(each other entry's note says why it has none); review it, then save it as claims.yaml")
    return 0


def _refresh(args):
    from analysis.report.runner import refresh_notebooks

    for path in refresh_notebooks(args.notebooks or None):
        print(f"refreshed {path}")
    return 0


def _verify(args):
    import time

    from analysis.claims.articles import article_folder
    from analysis.data.integrity import verify_inputs

    start = time.perf_counter()
    checked = verify_inputs(article_folder(args.article))
    print(f"verified {checked} files against their recorded SHA-256 in {(time.perf_counter() - start) * 1000:.0f} ms "
          f"(committed raw files, processed tables, the article text, the multiverse and its inputs)")
    return 0


def _multiverse(args):
    from analysis.claims import multiverse
    from analysis.claims.ledger import load_ledger
    from analysis.data.integrity import verify_inputs

    ledger = load_ledger(args.article)
    if args.render:
        from analysis.report.runner import render_specification

        result = render_specification(args.render, reports_dir=args.output, ledger=ledger)
        for name, path in result.html.items():
            print(f"report   {path}")
        for name, why in result.failures.items():
            print(f"FAILED   {why}", file=sys.stderr)
        return 0 if result.ok else 1
    claims = multiverse.claims_with_choices(ledger, args.claims)
    if args.claims:  # a subset: print it, leave the committed table alone
        table = multiverse.evaluate(claims, ledger)
    else:  # never record a table evaluated from inputs that do not match their own records
        verify_inputs(ledger.article.folder, multiverse=False)
        path = multiverse.write_multiverse(ledger=ledger)
        table = multiverse.load_multiverse(ledger=ledger)
        print(f"wrote {path} ({len(table)} specifications)")
    for row in multiverse.robustness(table, ledger).itertuples():
        print(f"{row.claim_id}: {row.robustness}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (every option is also a library argument)."""
    top = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n\n")[0])
    top.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("fetch", help="download (or copy from a mirror) and verify raw datasets")
    p.add_argument("keys", nargs="*", help="dataset keys from data/raw/manifest.csv (default: all)")
    p.add_argument("--mirror", help="local mirror folder (default: $ANALYSIS_DATA_MIRROR)")
    p.add_argument("--raw", help="raw data folder (default: data/raw)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_fetch)

    p = sub.add_parser("build-data", help="rebuild data/processed from verified raw data")
    p.add_argument("--raw", help="raw data folder (default: data/raw)")
    p.add_argument("--out", help="output folder (default: data/processed)")
    p.add_argument("--force", action="store_true",
                   help="rebuild every file, even those whose inputs and code are unchanged")
    p.add_argument("--article", metavar="FOLDER", action="append",
                   help="also keep the rows this article's verdicts cite in data/cited_rows.csv (repeatable; "
                        "every folder under articles/ is always included)")
    p.set_defaults(func=_build)

    p = sub.add_parser("run", help="execute the notebooks, render HTML, write the scorecard")
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="override a notebook parameter (see `params`): the run is then a variant, written to "
                        "reports/<article>/variants/<name>/, never to the published report")
    p.add_argument("--notebook", action="append",
                   help="run only this notebook (repeatable); the report keeps every other notebook's current "
                        "result (without -p: refused if one is missing or out of date)")
    p.add_argument("--output", help="reports folder (default: reports/<article>/)")
    p.add_argument("--article", metavar="FOLDER",
                   help="the article to audit: a folder with article.yaml, article.txt and claims.yaml "
                        "(default: articles/huawei-not-spying-2019)")
    p.add_argument("-j", "--jobs", type=int,
                   help="notebooks run at once, each in a kernel of its own (default: one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the notebooks on this Dask scheduler (e.g. tcp://10.0.0.5:8786) instead")
    p.add_argument("--no-cache", action="store_true",
                   help="execute every notebook, even those whose result is known (see analysis.report.cache)")
    p.add_argument("--no-progress", action="store_true", help="no status lines (they show only on a terminal)")
    p.add_argument("--base-url", metavar="URL", default="",
                   help="the address the report folder is published at (e.g. https://example.org/reports/<article>/): "
                        "its ClaimReview URLs become absolute (default: relative to the report folder)")
    p.set_defaults(func=_run)

    p = sub.add_parser("params", help="list each notebook's parameters with types and defaults")
    p.add_argument("notebooks", nargs="*")
    p.add_argument("--article", metavar="FOLDER", help="the article folder (default: this project's op-ed)")
    p.set_defaults(func=_params)

    p = sub.add_parser("measures", help="list the measures a ledger entry can name, with their arguments")
    p.set_defaults(func=_measures)

    p = sub.add_parser("extract", help="find an article's checkable claims and draft its ledger "
                                       "(writes claims.draft.yaml beside the text, never claims.yaml)")
    p.add_argument("text", help="the article's text, e.g. articles/<slug>/article.txt")
    p.add_argument("--output", help="where to write the draft (default: claims.draft.yaml beside the text)")
    p.add_argument("--no-trial", action="store_true",
                   help="suggest measures without trying them on the data (faster; a suggestion may then fail)")
    p.set_defaults(func=_extract)

    p = sub.add_parser("multiverse", help="re-check claims under every combination of their choices "
                                          "(writes articles/<article>/multiverse.csv)")
    p.add_argument("--article", metavar="FOLDER", help="the article folder (default: this project's op-ed)")
    p.add_argument("claims", nargs="*", help="claim ids (default: every claim with choices; a subset is "
                                             "printed, not written)")
    p.add_argument("--render", metavar="SPEC_ID", help="execute the notebook of one specification "
                                                       "(papermill) into reports/specs/SPEC_ID/")
    p.add_argument("--output", help="with --render: reports folder (default: reports/specs/SPEC_ID)")
    p.set_defaults(func=_multiverse)

    p = sub.add_parser("verify", help="check every committed input against its recorded SHA-256 (run also "
                                      "checks this before any notebook starts)")
    p.add_argument("--article", metavar="FOLDER", help="the article folder (default: this project's op-ed)")
    p.set_defaults(func=_verify)

    p = sub.add_parser("refresh-notebooks", help="re-execute the committed notebooks in place")
    p.add_argument("notebooks", nargs="*")
    p.set_defaults(func=_refresh)
    return top


#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


def exit_now(code: int) -> NoReturn:
    """Exit with ``code`` once the command has returned, without the interpreter's teardown (freeing,
    module by module, everything the run imported and made: a tenth of a second after a build), as
    some command-line tools do (mypy).  Only when nothing is left to do: the exit handlers are run first
    (logging's, the runner's), and the teardown is kept when another thread still runs or something
    traces or profiles the process (coverage, a profiler), whose results are written at teardown, or when
    the output cannot be flushed.  A file left open and unflushed would not be written, nor would an
    object's finaliser run: every file of the library is written whole and closed before its command
    returns (:mod:`analysis.atomic`), and its kernels and templates are ended by then.

    ``python -m analysis`` and the ``claim-audit`` command call it (:func:`command`); :func:`main`
    itself returns, for callers in Python.  (Python 3.11 is this project's: on 3.12 and later, where a
    profiler may not show in ``sys.getprofile()``, this would also ask ``sys.monitoring``.)
    """
    import atexit
    import os
    import threading

    def flushed() -> bool:
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
            return True
        except (OSError, ValueError):  # a closed pipe or stream: the interpreter's own exit says so
            return False

    skip_teardown = (threading.active_count() == 1 and sys.gettrace() is None and sys.getprofile() is None
                     and "coverage" not in sys.modules and hasattr(atexit, "_run_exitfuncs"))
    if not (skip_teardown and flushed()):
        sys.exit(code)
    atexit._run_exitfuncs()
    if not flushed():
        sys.exit(code)
    os._exit(code)


def command() -> NoReturn:
    """The ``claim-audit`` command and ``python -m analysis``: :func:`main` on the command line's
    arguments, then :func:`exit_now`."""
    exit_now(main())


def main(argv=None) -> int:
    """Entry point: an AuditError (or an OSError: a file that cannot be read or written) is printed as
    one clear message with exit code 2; Ctrl-C exits with 130 after the library has removed its
    temporary files (nothing partial is kept)."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return args.func(args)
    except AuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file that cannot be read or written, met outside the library's own checks
        where = " and ".join(str(f) for f in (exc.filename, exc.filename2) if f)
        print(f"error: {where + ': ' if where else ''}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"interrupted: `{args.command}` stopped; no partial file was kept and earlier results are "
              f"unchanged. Run the same command again to finish.", file=sys.stderr)
        return INTERRUPTED
