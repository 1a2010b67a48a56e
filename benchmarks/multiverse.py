"""Benchmark: how many multiverse specifications per second ``analysis.claims.multiverse.evaluate`` checks.

Run alone (``.venv/bin/python benchmarks/multiverse.py``) or call :func:`main` (``benchmarks/run.py``).

What is timed: one evaluation of the whole multiverse (every claim with declared choices, every
specification) after the processed tables are loaded, as they are after any notebook run, with the
evaluators' memo caches emptied first, so each distinct sub-computation is computed once inside the
timing.  Reported: the median of ``repeats`` such runs, and, for comparison, a re-evaluation with the
memo caches warm.  The target is 1,000 specifications per second.
"""
import functools
import inspect
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # runs from a checkout, installed or not

TARGET = 1000  # specifications per second


#: The data readers whose caches hold sub-computations of the evaluation (the same set the benchmark
#: emptied before the redesign, so the figures compare); shared infrastructure (manifest, schemas,
#: the fact tables' indexes) stays warm, as after any notebook run.
_READERS = ("certifications", "ebola", "events", "footprint", "legal", "nvd", "ownership", "population", "rd",
            "security")


def _theme_modules():
    """Every module that may hold a memo the evaluation uses: the source readers and the measures."""
    import importlib
    import pkgutil

    import analysis.measures

    analysis.measures.names()  # imports every measure module
    found = [analysis.measures] + [importlib.import_module(f"analysis.data.{name}") for name in _READERS]
    found += [importlib.import_module(f"analysis.measures.{info.name}")
              for info in pkgutil.iter_modules(analysis.measures.__path__)]
    return tuple(found)


def _cached(module):
    return [f for f in vars(module).values() if isinstance(f, functools._lru_cache_wrapper)]


#: Cached functions that read (and parse) a data table: kept warm, as after a notebook run.
#: Every other cached function of the theme modules is a memo of a sub-computation, emptied before timing.
_TABLE_READERS = ("legal_documents", "ownership_figures", "_summarise_cached")


def _is_table(function) -> bool:
    return function.__name__.startswith("load_") or function.__name__ in _TABLE_READERS


def _empty_memos(modules) -> None:
    """Empty every memo cache of the evaluators, but keep the loaded tables."""
    for module in modules:
        for function in _cached(module):
            if not _is_table(function):
                function.cache_clear()


def _load_tables(modules) -> None:
    for module in modules:
        for function in _cached(module):
            if _is_table(function) and not inspect.signature(function).parameters:
                function()


def main(repeats=3) -> dict:
    """Time the multiverse; print and return specifications, seconds (median) and specifications/s."""
    from analysis.claims import multiverse
    from analysis.claims.ledger import load_ledger

    ledger = load_ledger()
    modules = _theme_modules()
    _load_tables(modules)
    seconds = []
    for _ in range(repeats):
        _empty_memos(modules)
        start = time.perf_counter()
        table = multiverse.evaluate(ledger=ledger)
        seconds.append(time.perf_counter() - start)
    start = time.perf_counter()
    multiverse.evaluate(ledger=ledger)
    warm = time.perf_counter() - start
    n, median = len(table), statistics.median(seconds)
    result = {"specifications": n, "claims": int(table["claim_id"].nunique()), "seconds": round(median, 4),
              "specs_per_second": round(n / median), "warm_specs_per_second": round(n / warm),
              "target": TARGET, "met": n / median >= TARGET}
    print(f"multiverse: {n} specifications of {result['claims']} claims in {median:.3f} s (median of {repeats}, "
          f"memo caches cold) = {result['specs_per_second']:,} specs/s (target {TARGET:,}: "
          f"{'met' if result['met'] else 'NOT met'}); re-evaluation with warm caches "
          f"{result['warm_specs_per_second']:,} specs/s")
    return result


if __name__ == "__main__":
    main()
