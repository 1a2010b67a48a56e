"""Benchmark of the NVD part of ``build-data``: time and peak memory per decoder, and the
cost of an unchanged (cached) rebuild.

Run alone with ``.venv/bin/python benchmarks/nvd_build.py`` (needs the 19 ``nvd_cve_*`` raw
feeds in data/raw: ``python -m analysis fetch``), or call :func:`main` from another script.

Each variant runs in a fresh child process (no warm caches): it builds ``cve_counts.csv`` and
``cve_coverage.csv`` in memory and reports the build time (imports excluded) and the peak
resident memory (``ru_maxrss``) of itself and of its largest worker process.  With workers,
"peak total" adds the largest worker's peak once per worker to the parent's: an upper bound
on what the machine held at once (forked workers share the parent's pages, counted twice).
"""
import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time

#: name → (decoder, worker processes)
VARIANTS = {
    "stdlib json, 1 process (reference)": ("json", 1),
    "msgspec, 1 process": ("msgspec", 1),
    "msgspec, 2 processes (build-data)": ("msgspec", 2),
}


def _run_variant(decoder, workers):
    """In the child: build both NVD tables with the given decoder and workers; print JSON."""
    from analysis.data import nvd

    nvd.DECODER, nvd.WORKERS = decoder, workers
    start = time.perf_counter()
    counts, coverage = nvd.build_cve_counts(), nvd.build_cve_coverage()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rows": [len(counts), len(coverage)],
                      "cves": int(coverage["cves_total"].sum()),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def _run_build(out_dir):
    """In the child: build-data into ``out_dir``; print JSON with the time and files written."""
    from analysis.data import build

    start = time.perf_counter()
    written = build.build_data(out_dir=out_dir)
    print(json.dumps({"seconds": time.perf_counter() - start, "written": len(written),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def _child(*args) -> dict:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {' '.join(args)} failed:\n{done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - start
    return result


def main() -> dict:
    """Run every variant and the cached-rebuild check; print a table; return the figures."""
    from analysis.data import fetch, nvd

    absent = fetch.missing([nvd.feed_key(y) for y in nvd.FEED_YEARS])
    if absent:
        print(f"nvd_build: skipped, raw feeds missing: {', '.join(absent)} (run `python -m analysis fetch`)")
        return {}
    results = {}
    print("NVD build (19 feeds, 150,260 CVEs -> cve_counts.csv + cve_coverage.csv)")
    print(f"{'variant':40} {'seconds':>8} {'peak RSS':>10} {'worker':>8} {'peak total':>11}")
    for name, (decoder, workers) in VARIANTS.items():
        r = _child("--variant", decoder, str(workers))
        total = r["rss_mb"] + (workers * r["worker_rss_mb"] if workers > 1 else 0)
        r["peak_total_mb"] = total
        results[name] = r
        worker = f"{r['worker_rss_mb']:.0f} MB" if workers > 1 else "-"
        print(f"{name:40} {r['seconds']:8.2f} {r['rss_mb']:7.0f} MB {worker:>8} {total:8.0f} MB")
    with tempfile.TemporaryDirectory() as out:
        first = _child("--build", out)
        again = _child("--build", out)
    results["build-data, all outputs, first build"] = first
    results["build-data, all outputs, unchanged"] = again
    print(f"build-data (all {first['written'] - 1} outputs) into an empty folder: {first['seconds']:.2f} s "
          f"({first['wall_seconds']:.2f} s with start-up), peak RSS {first['rss_mb']:.0f} MB "
          f"+ workers {first['worker_rss_mb']:.0f} MB each")
    print(f"build-data again, nothing changed: {again['seconds']:.2f} s, {again['written']} files written "
          f"({again['wall_seconds']:.2f} s with start-up)")
    return results


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_argument("--variant", nargs=2, metavar=("DECODER", "WORKERS"), help=argparse.SUPPRESS)
    cli.add_argument("--build", metavar="OUT", help=argparse.SUPPRESS)
    args = cli.parse_args()
    if args.variant:
        _run_variant(args.variant[0], int(args.variant[1]))
    elif args.build:
        _run_build(args.build)
    else:
        main()
