"""Benchmark: how the cost grows with the number of notebooks, claims and specifications.

Each measurement runs in a process of its own (so that its CPU time and peak memory are its own) and
prints one JSON line; ``benchmarks/run.py`` runs them all and prints the table.

    .venv/bin/python benchmarks/scaling.py build 14 2        # 14 notebooks (copies of the 7) on 2 workers
    .venv/bin/python benchmarks/scaling.py build 14 dask     # ... on a local Dask cluster of 2 workers
    .venv/bin/python benchmarks/scaling.py claims 1000       # a generated ledger of 1,000 claims: measure + judge
    .venv/bin/python benchmarks/scaling.py multiverse 100000 # 100,000 specifications (time, peak memory)

``build``: the runner's own path for N notebooks (each executed in its own kernel and rendered to its
page body, as ``run`` does; the site is not written), the ledger's notebooks repeated under other
names.  ``claims``: the ledger's measured claims, each repeated under every one of its specifications
and with a stated value moved a little per copy, so that every claim is measured and judged; memo
caches start empty (as in a fresh process).  ``multiverse``: the ledger's claims with choices, repeated
(with new ids) until there are N specifications, through ``multiverse.evaluate``.
"""
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (their children included)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def usage(cpu_before) -> dict:
    """CPU seconds since ``cpu_before`` and the peak memory of this process or any one child."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_seconds": round(cpu() - cpu_before, 3), "peak_rss_mb": round(max(me.ru_maxrss, kids.ru_maxrss) / 1024, 1)}


def build(count: int, workers: str) -> dict:
    """Execute and render ``count`` notebooks on ``workers`` (a number, or ``dask`` for a local cluster
    of two single-threaded worker processes)."""
    from analysis import paths
    from analysis.claims.ledger import load_ledger
    from analysis.report import kernels, runner

    specs = list(load_ledger().notebooks.values())
    failures = []
    with tempfile.TemporaryDirectory(prefix="claim-audit-scaling-") as tmp:
        tasks = [runner.Task(f"{spec.name}-{i}", str(spec.path), spec.defaults(), cwd=str(paths.NOTEBOOKS),
                             scratch=tmp, title=spec.title)
                 for i in range(count) for spec in [specs[i % len(specs)]]]

        def done(task, outcome):
            if outcome.failure:
                failures.append(outcome.failure)

        begin, before = time.perf_counter(), cpu()
        if workers == "dask":
            from distributed import Client, LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                ready = time.perf_counter()
                runner._run_tasks(tasks, done, executor=client.get_executor(pure=False), display=_Quiet())
                seconds = time.perf_counter() - ready
        else:
            runner._run_tasks(tasks, done, jobs=int(workers), display=_Quiet())
            kernels.release(paths.NOTEBOOKS)  # a run called from Python keeps its template: end and collect it
            seconds = time.perf_counter() - begin  # here, so that its CPU and its kernels' count, as in a build
    if failures:
        raise SystemExit("\n".join(failures))
    return {"notebooks": count, "workers": workers, "seconds": round(seconds, 3), **usage(before)}


class _Quiet:
    def status(self, *args, **kwargs):
        pass


def _empty_memos() -> None:
    """Empty every memo of the data readers and measures (as in a fresh process), keeping nothing."""
    import functools
    import importlib
    import pkgutil

    import analysis.data
    import analysis.measures

    analysis.measures.names()
    for package in (analysis.data, analysis.measures):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, functools._lru_cache_wrapper):
                    value.cache_clear()


def generated_claims(ledger, count: int) -> list:
    """``[(claim, parameters)]``: ``count`` claims made from the ledger's measured claims, each copy
    under one of its specifications and with its stated value (if a number) moved by the copy number."""
    from analysis.claims import multiverse

    sources = [c for c in ledger.claims if ledger.audited(c)]
    variants = [(c, multiverse.parameters(c, s)) for c in sources for s in multiverse.specifications(c, ledger)]
    out = []
    for i in range(count):
        claim, parameters = variants[i % len(variants)]
        stated = claim.stated
        if isinstance(stated.value, (int, float)) and not isinstance(stated.value, bool) and i >= len(variants):
            stated = replace(stated, value=type(stated.value)(stated.value + (i // len(variants)) % 3))
        out.append((replace(claim, id=f"{claim.id}-g{i}", stated=stated), parameters))
    return out


def claims(count: int) -> dict:
    """Measure and judge a generated ledger of ``count`` claims, memo caches empty at the start."""
    from analysis.claims import audit
    from analysis.claims.ledger import load_ledger

    ledger = load_ledger()
    generated = generated_claims(ledger, count)
    _empty_memos()
    begin, before = time.perf_counter(), cpu()
    verdicts = [audit.assess_claim(claim, parameters).verdict for claim, parameters in generated]
    seconds = time.perf_counter() - begin
    return {"claims": count, "seconds": round(seconds, 3), "distinct_verdicts": len(set(verdicts)), **usage(before)}


def multiverse_specs(count: int) -> dict:
    """Evaluate ``count`` specifications (the ledger's claims with choices, repeated under new ids)."""
    from analysis.claims import multiverse
    from analysis.claims.ledger import load_ledger

    ledger = load_ledger()
    base = multiverse.claims_with_choices(ledger)
    sizes = [len(multiverse.specifications(c, ledger)) for c in base]
    chosen, total, i = [], 0, 0
    while total < count:
        claim = base[i % len(base)]
        chosen.append(replace(claim, id=f"{claim.id}-m{i}"))
        total += sizes[i % len(base)]
        i += 1
    _empty_memos()
    begin, before = time.perf_counter(), cpu()
    table = multiverse.evaluate(claims=chosen, ledger=ledger)
    seconds = time.perf_counter() - begin
    return {"specifications": len(table), "claims": len(chosen), "seconds": round(seconds, 3), **usage(before)}


def main(argv) -> dict:
    kind, count = argv[0], int(argv[1])
    if kind == "build":
        return build(count, argv[2] if len(argv) > 2 else "2")
    if kind == "claims":
        return claims(count)
    if kind == "multiverse":
        return multiverse_specs(count)
    raise SystemExit(f"unknown measurement {kind!r}: build, claims or multiverse")


if __name__ == "__main__":
    os.environ.pop("CI", None)
    print(json.dumps(main(sys.argv[1:])))
