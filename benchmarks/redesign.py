"""Benchmark: the claims-as-data design against the code before it, side by side in one run.

    .venv/bin/python benchmarks/redesign.py                 # baseline: the last commit before the redesign
    .venv/bin/python benchmarks/redesign.py --baseline REV  # any other revision
    .venv/bin/python benchmarks/redesign.py --rounds 5

What is compared, each measured ``--rounds`` times alternating between the two checkouts (so that a
busy or throttled machine hurts both alike), medians printed:

- **cold build**: ``python -m analysis run --no-cache -j 2`` into a temporary folder (every notebook
  executed and rendered, the site written): wall time, and CPU time of the command and every process
  it waited for (kernels included);
- **multiverse**: each checkout's own ``benchmarks/multiverse.py`` (every specification evaluated
  with the memo caches emptied first: "cold"; then again: "warm"), three times per round, as it is
  cheap and varies by ±15 % from run to run.

The baseline is checked out with ``git worktree`` into a temporary folder and run with its own
``src`` first on ``PYTHONPATH`` (same interpreter, same packages, same data).  Nothing is written
into the repository except ``benchmarks/last_redesign.json`` (the figures of the last run).
"""
import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The last commit before "claims as data" (per-claim evaluators, one ledger at the root).
BASELINE = "1b5440f"
SAVED = ROOT / "benchmarks" / "last_redesign.json"
#: Multiverse runs per checkout in each round (each is itself the median of 3 evaluations).
MULTIVERSE_PER_ROUND = 3
RATE = re.compile(r"in ([\d.]+) s .*?= ([\d,]+) specs/s .*?warm caches ([\d,]+) specs/s")


def _env(checkout: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(checkout / "src"), "CI": "true"}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_build(checkout: Path) -> dict:
    """Wall and CPU seconds (the command's and every process it waited for) of a full build with no
    cache, in ``checkout``, into a temporary reports folder."""
    with tempfile.TemporaryDirectory() as out:
        before, begin = _children_cpu(), time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "analysis", "run", "--no-cache", "-j", "2", "--output", out],
                              cwd=checkout, env=_env(checkout), capture_output=True, text=True)
        seconds, cpu = time.perf_counter() - begin, _children_cpu() - before
    if done.returncode != 0:
        raise SystemExit(f"build failed in {checkout}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return {"build_s": seconds, "build_cpu_s": cpu}


def multiverse(checkout: Path) -> dict:
    """The checkout's own multiverse benchmark: specifications, cold seconds, cold and warm rates."""
    done = subprocess.run([sys.executable, "benchmarks/multiverse.py"], cwd=checkout, env=_env(checkout),
                          capture_output=True, text=True)
    found = RATE.search(done.stdout)
    if done.returncode != 0 or not found:
        raise SystemExit(f"multiverse benchmark failed in {checkout}:\n{done.stdout}\n{done.stderr}")
    return {"seconds": float(found[1]), "rate": int(found[2].replace(",", "")),
            "warm_rate": int(found[3].replace(",", ""))}


def _median(rows, key):
    return statistics.median(r[key] for r in rows)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help=f"revision to compare with (default {BASELINE})")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per checkout (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), args.baseline], cwd=ROOT, check=True)
        try:
            runs = {"current": [], "baseline": []}
            rates = {"current": [], "baseline": []}
            for _ in range(args.rounds):
                for name, checkout in (("current", ROOT), ("baseline", base)):
                    runs[name].append(cold_build(checkout))
                for _ in range(MULTIVERSE_PER_ROUND):  # cheap and noisy: more samples
                    for name, checkout in (("current", ROOT), ("baseline", base)):
                        rates[name].append(multiverse(checkout))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    result = {name: {"cold_build_s": round(_median(rows, "build_s"), 2),
                     "cold_build_cpu_s": round(_median(rows, "build_cpu_s"), 2),
                     "multiverse_cold_s": _median(rates[name], "seconds"),
                     "multiverse_cold_specs_per_s": round(_median(rates[name], "rate")),
                     "multiverse_warm_specs_per_s": round(_median(rates[name], "warm_rate"))}
              for name, rows in runs.items()}
    result["baseline_revision"], result["rounds"] = args.baseline, args.rounds
    now, then = result["current"], result["baseline"]
    print(f"{'':34}{'current':>12}{'baseline ' + args.baseline:>20}")
    print(f"{'cold build, 7+ notebooks (s)':34}{now['cold_build_s']:>12.2f}{then['cold_build_s']:>20.2f}")
    print(f"{'cold build, CPU (s)':34}{now['cold_build_cpu_s']:>12.2f}{then['cold_build_cpu_s']:>20.2f}")
    print(f"{'multiverse, memo cold (specs/s)':34}{now['multiverse_cold_specs_per_s']:>12,}"
          f"{then['multiverse_cold_specs_per_s']:>20,}")
    print(f"{'multiverse, memo warm (specs/s)':34}{now['multiverse_warm_specs_per_s']:>12,}"
          f"{then['multiverse_warm_specs_per_s']:>20,}")
    print(f"(medians of {args.rounds} alternating builds and {args.rounds * MULTIVERSE_PER_ROUND} alternating "
          f"multiverse runs per checkout)")
    SAVED.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
