"""Benchmark: the floor of a build, every code cell of every notebook executed in one process.

    .venv/bin/python benchmarks/floor.py          # prints one JSON line: seconds, cpu_seconds, notebooks

What is timed, from interpreter start-up to the end: one IPython shell (no kernel, no messages, no
HTML), the matplotlib inline backend as in a kernel, and for each notebook of the ledger, in reading
order and a fresh namespace, its code cells run with their own default parameters; every displayed
value is formatted (HTML tables, PNG figures) as the kernel would.  The modules are imported once for
all notebooks, which no isolated build can do: that is why it is the floor, not a target.
"""
import contextlib
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> dict:
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    from analysis import paths
    from analysis.claims.ledger import load_ledger

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    shell = InteractiveShell.instance()
    notebooks = [spec.path for spec in load_ledger().notebooks.values()]
    os.chdir(paths.NOTEBOOKS)
    per_notebook = {}
    for path in notebooks:
        begin = time.perf_counter()
        shell.reset(new_session=False)
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            with contextlib.redirect_stdout(io.StringIO()):
                outcome = shell.run_cell(cell.source, store_history=False, silent=False)
            if not outcome.success:
                raise SystemExit(f"{path.name}: a cell failed: {outcome.error_in_exec or outcome.error_before_exec}")
        per_notebook[path.stem] = round(time.perf_counter() - begin, 3)
    return {"notebooks": len(notebooks), "seconds": round(time.perf_counter() - START, 3),
            "cpu_seconds": round(cpu_seconds(), 3), "per_notebook": per_notebook}


if __name__ == "__main__":
    print(json.dumps(main()))
