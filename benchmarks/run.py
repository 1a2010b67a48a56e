"""Build benchmarks, printed in one run (figures for the README's performance section).

    .venv/bin/python benchmarks/run.py            # everything (the naive baseline and `make test` take minutes)
    .venv/bin/python benchmarks/run.py --quick    # skip the naive baseline and `make test`: print their last figures

(a) cold full build (execute + HTML, cache off) vs the naive loop: papermill CLI per notebook one
    after another, then `jupyter nbconvert --to html` per notebook;
(b) warm rebuild, nothing changed (every notebook from the cache);
(c) rebuild after one parameter change: which notebooks ran;
(d) NVD build time and peak RSS vs the stdlib-json baseline (benchmarks/nvd_build.py, if present),
    and the multiverse rate (benchmarks/multiverse.py, if present);
(e) `make test` wall time.

Every build goes to a temporary reports folder (never ``reports/``).  Figures measured in full are
saved to ``benchmarks/last_run.json``; ``--quick`` prints the saved ones for what it skips.
"""
import argparse
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAVED = ROOT / "benchmarks" / "last_run.json"
#: The parameter changed for (c) and the notebook it belongs to.
CHANGE = ("top_n", "4", "01_rd_spending")


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    return {"cpus": cores, "cpu_model": model, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def timed(command, **kwargs):
    """(seconds, completed process) of ``command`` (fails loudly if it fails)."""
    begin = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - begin
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{done.stdout}\n{done.stderr}")
    return seconds, done


def build(reports, *args):
    return timed([sys.executable, "-m", "analysis", "run", "--output", str(reports), "--no-progress", *args])


def notebooks() -> list:
    sys.path.insert(0, str(ROOT / "src"))
    from analysis.claims.ledger import load_ledger

    return [spec.path for spec in load_ledger().notebooks.values()]


def naive_loop(folder) -> float:
    """papermill CLI per notebook, one after another, then nbconvert HTML per notebook."""
    begin = time.perf_counter()
    for path in notebooks():
        out = Path(folder) / path.name
        timed([BIN / "papermill", str(path), str(out), "--cwd", str(path.parent), "-k", "python3",
               "--no-progress-bar"])
        timed([BIN / "jupyter", "nbconvert", "--to", "html", str(out)])
    return time.perf_counter() - begin


def executed(stdout) -> list:
    """Notebooks a build executed (its report lines without "(cached)")."""
    return [re.search(r"/([^/]+)\.html", line).group(1) for line in stdout.splitlines()
            if line.startswith("report ") and "(cached)" not in line]


def optional_main(name):
    """Call benchmarks/<name>.py: main() if that file exists."""
    path = ROOT / "benchmarks" / f"{name}.py"
    if not path.is_file():
        print(f"    not available (benchmarks/{name}.py does not exist)")
        return
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the naive baseline and `make test`")
    args = parser.parse_args(argv)
    os.environ.pop("CI", None)  # builds here print no progress anyway (--no-progress)
    saved = json.loads(SAVED.read_text()) if SAVED.is_file() else {}
    figures = dict(saved)
    info = machine()
    print(f"machine: {info['cpus']} CPU(s), {info['cpu_model']}; Python {info['python']}; {info['system']}")
    count = len(notebooks())

    with tempfile.TemporaryDirectory(prefix="claim-audit-bench-") as tmp:
        reports = Path(tmp) / "reports"
        build(reports, "--no-cache")  # warm the OS file cache and byte-code, as a user's second day would
        cold, _ = build(reports, "--no-cache")
        figures["cold_build_s"] = round(cold, 2)
        if not args.quick:
            naive_dir = Path(tmp) / "naive"
            naive_dir.mkdir()
            figures["naive_loop_s"] = round(naive_loop(naive_dir), 2)
            figures["naive_machine"] = info
        naive = figures.get("naive_loop_s")
        print(f"(a) cold full build, {count} notebooks (execute + HTML, cache off): {cold:.1f} s")
        if naive:
            note = "" if not args.quick else "  [naive figure from the last full run]"
            print(f"    naive loop (papermill CLI + nbconvert per notebook): {naive:.1f} s  ->  "
                  f"{naive / cold:.1f}x faster (target >= 4x){note}")
        else:
            print("    naive loop: not measured yet (run without --quick)")

        warm = min(build(reports)[0] for _ in range(3))
        figures["warm_rebuild_s"] = round(warm, 2)
        print(f"(b) warm rebuild, nothing changed (best of 3, whole command): {warm:.2f} s (target < 1 s)")

        name, value, owner = CHANGE
        seconds, done = build(reports, "-p", name, value)
        ran = executed(done.stdout)
        figures["one_parameter_s"] = round(seconds, 2)
        figures["one_parameter_ran"] = ran
        print(f"(c) rebuild after `-p {name} {value}`: {seconds:.1f} s; executed: {', '.join(ran) or 'none'} "
              f"({'only ' + owner if ran == [owner] else 'UNEXPECTED'}); the other {count - len(ran)} from the cache")

    print("(d) NVD build (benchmarks/nvd_build.py):")
    optional_main("nvd_build")
    print("    multiverse (benchmarks/multiverse.py):")
    optional_main("multiverse")

    if not args.quick:
        seconds, _ = timed(["make", "test"])
        figures["make_test_s"] = round(seconds, 1)
    test_s = figures.get("make_test_s")
    print("(e) make test: " + (f"{test_s:.0f} s" + ("  [from the last full run]" if args.quick else "")
                                if test_s else "not measured yet (run without --quick)"))
    if not args.quick:
        figures["machine"] = info
        SAVED.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
