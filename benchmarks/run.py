"""Build benchmarks, printed from one run (the figures of the README's performance section).

    .venv/bin/python benchmarks/run.py            # everything (the baselines and `make test` take minutes)
    .venv/bin/python benchmarks/run.py --quick    # the build figures only: baselines, scaling and
                                                  # `make test` are reprinted from the last full run
    make bench                                    # the same, after installing Jupyter Book into .venv-bench

Every build goes to a temporary reports folder (never ``reports/``).  Wall time and CPU time (of the
command and every process it waited for, kernels included) are taken for each; builds compared with
each other run alternately, ``--rounds`` times each (medians), so that a busy machine hurts both alike:
every kind once per round (cold builds, ordinary kernels, the floor, the naive loop, Jupyter Book), so
that each ratio is of medians taken over the same stretch of time.

- cold build: ``run --no-cache`` (every notebook executed and rendered, the site written), with warm
  kernels and, beside it, with kernels started the ordinary way (``ANALYSIS_WARM_KERNELS=0``);
- the floor: every code cell of every notebook in one process (``benchmarks/floor.py``);
- the naive loop: papermill's command line per notebook, then ``jupyter nbconvert --to html`` per notebook;
- Jupyter Book 1.0.4 (``--jupyter-book``, default ``.venv-bench/bin/jupyter-book``: the ``bench``
  extra, never in the test environment): ``jupyter-book build`` of the same notebooks with forced
  execution, in the same kernel environment;
- rebuild with nothing changed (whole command), and after one parameter change;
- NVD build and multiverse rate (``benchmarks/nvd_build.py``, ``benchmarks/multiverse.py``);
- ``make test``;
- scaling (``benchmarks/scaling.py``): 7, 14 and 28 notebooks on 1 and 2 workers and a local Dask
  cluster; 250, 500 and 1,000 generated claims; 10,000 and 100,000 specifications.

Figures measured in full are saved to ``benchmarks/last_run.json``; ``--quick`` reprints the saved
ones for what it skips, marked as such.  ``benchmarks/scaling.svg`` is the chart of the last full run.
"""
import argparse
import importlib.util
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAVED = ROOT / "benchmarks" / "last_run.json"
CHART = ROOT / "benchmarks" / "scaling.svg"
JUPYTER_BOOK = ROOT / ".venv-bench" / "bin" / "jupyter-book"
#: The parameter changed for the one-parameter rebuild and the notebook it belongs to.
CHANGE = ("top_n", "4", "01_rd_spending")
#: Targets of issue 16.
TARGETS = {"naive_ratio": 5.0, "jupyter_book_ratio": 3.5, "floor_ratio": 1.5, "noop_s": 0.5, "make_test_s": 60}
SCALING_BUILDS = [(n, w) for w in ("1", "2", "dask") for n in (7, 14, 28)]
SCALING_CLAIMS = (250, 500, 1000)
SCALING_SPECS = (10_000, 100_000)


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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"cpus": cores, "cpu_model": model, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "load_at_start": load}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command, env=None, cwd=ROOT) -> dict:
    """``{seconds, cpu_seconds, stdout}`` of ``command`` (fails loudly if it fails)."""
    before, begin = _children_cpu(), time.perf_counter()
    # Ctrl-C restored to its default in the command: a benchmark started in the background (``&``, nohup)
    # inherits it ignored, and the suite's Ctrl-C tests would then fail
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})},
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seconds, cpu = time.perf_counter() - begin, _children_cpu() - before
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "stdout": done.stdout}


def build(reports, *args, env=None) -> dict:
    return timed([sys.executable, "-m", "analysis", "run", "--output", reports, "--no-progress", *args], env=env)


def notebooks() -> list:
    sys.path.insert(0, str(ROOT / "src"))
    from analysis.claims.ledger import load_ledger

    return [spec.path for spec in load_ledger().notebooks.values()]


def naive_loop(folder) -> dict:
    """papermill CLI per notebook, one after another, then nbconvert HTML per notebook."""
    before, begin = _children_cpu(), time.perf_counter()
    for path in notebooks():
        out = Path(folder) / path.name
        timed([BIN / "papermill", path, out, "--cwd", path.parent, "-k", "python3", "--no-progress-bar"])
        timed([BIN / "jupyter", "nbconvert", "--to", "html", out])
    return {"seconds": round(time.perf_counter() - begin, 3), "cpu_seconds": round(_children_cpu() - before, 3)}


def jupyter_book(executable, folder) -> dict:
    """``jupyter-book build`` of copies of the notebooks, execution forced, kernel ``python3`` being
    this environment's interpreter (the notebooks' kernel), into ``folder``."""
    book = Path(folder) / "book"
    book.mkdir()
    names = []
    for path in notebooks():
        shutil.copy(path, book / path.name)
        names.append(path.stem)
    (book / "intro.md").write_text("# Benchmark\n", encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n"
                                   + "".join(f"- file: {n}\n" for n in names), encoding="utf-8")
    (book / "_config.yml").write_text("title: Benchmark\nonly_build_toc_files: true\nexecute:\n"
                                      "  execute_notebooks: force\n  timeout: 600\n", encoding="utf-8")
    kernel = Path(folder) / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3", "language": "python"}), encoding="utf-8")
    found = shutil.which(str(executable))  # a relative path (as `make bench` gives) must survive the cwd below
    executable = os.path.abspath(found) if found else executable
    return timed([executable, "build", book], env={"JUPYTER_PATH": str(Path(folder) / "jupyter")},
                 cwd=str(ROOT / "notebooks"))


def executed(stdout) -> list:
    """Notebooks a build executed (its report lines without "(cached)")."""
    return [re.search(r"/([^/]+)\.html", line).group(1) for line in stdout.splitlines()
            if line.startswith("report ") and "(cached)" not in line]


def optional_main(name):
    """Call benchmarks/<name>.py: main() if that file exists."""
    path = ROOT / "benchmarks" / f"{name}.py"
    if not path.is_file():
        print(f"    not available (benchmarks/{name}.py does not exist)")
        return None
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main()


def median_of(rows, key) -> float:
    return round(statistics.median(r[key] for r in rows), 3)


def scaling_run(*args) -> dict:
    done = timed([sys.executable, ROOT / "benchmarks" / "scaling.py", *args])
    return json.loads(done["stdout"].strip().splitlines()[-1])


def slope(points) -> float:
    """Least-squares slope of ``[(x, y)]``."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def scaling() -> dict:
    builds = [scaling_run("build", str(n), w) for n, w in SCALING_BUILDS]
    claims = [scaling_run("claims", str(n)) for n in SCALING_CLAIMS]
    specs = [scaling_run("multiverse", str(n)) for n in SCALING_SPECS]
    return {"builds": builds, "claims": claims, "specifications": specs}


def print_scaling(found, note="") -> None:
    print(f"scaling{note}:")
    print(f"    {'notebooks':>9} {'workers':>8} {'wall s':>8} {'CPU s':>8}")
    for row in found["builds"]:
        print(f"    {row['notebooks']:>9} {row['workers']:>8} {row['seconds']:>8.1f} {row['cpu_seconds']:>8.1f}")
    for workers in ("1", "2", "dask"):
        points = [(r["notebooks"], r["seconds"]) for r in found["builds"] if r["workers"] == workers]
        cpu = [(r["notebooks"], r["cpu_seconds"]) for r in found["builds"] if r["workers"] == workers]
        if len(points) > 1:
            print(f"    slope on {workers} worker(s)" if workers != "dask" else "    slope on Dask (2 workers)",
                  f"{slope(points):.2f} s wall, {slope(cpu):.2f} CPU-s per notebook")
    for row in found["claims"]:
        print(f"    {row['claims']:>6,} generated claims, measure + judge: {row['seconds']:.2f} s "
              f"({row['cpu_seconds']:.2f} CPU-s), peak {row['peak_rss_mb']:.0f} MB")
    points = [(r["claims"], r["seconds"]) for r in found["claims"]]
    cpu = [(r["claims"], r["cpu_seconds"]) for r in found["claims"]]
    if len(points) > 1:
        print(f"    slope: {slope(points) * 1000:.2f} ms wall, {slope(cpu) * 1000:.2f} ms CPU per claim")
    for row in found["specifications"]:
        print(f"    {row['specifications']:>7,} specifications: {row['seconds']:.2f} s ({row['cpu_seconds']:.2f} CPU-s), "
              f"peak {row['peak_rss_mb']:.0f} MB")
    points = [(r["specifications"], r["seconds"]) for r in found["specifications"]]
    cpu = [(r["specifications"], r["cpu_seconds"]) for r in found["specifications"]]
    memory = [(r["specifications"], r["peak_rss_mb"]) for r in found["specifications"]]
    if len(points) > 1:
        print(f"    slope: {slope(points) * 1e6:.0f} µs wall, {slope(cpu) * 1e6:.0f} µs CPU and "
              f"{slope(memory) * 1000:.1f} MB per 1,000 specifications")


def chart(found, path=CHART) -> None:
    """The scaling figures as one SVG: build time per notebook count (per executor), and time per
    claim and per specification."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    for workers, marker in (("1", "o"), ("2", "s"), ("dask", "^")):
        rows = [r for r in found["builds"] if r["workers"] == workers]
        label = "Dask, 2 workers" if workers == "dask" else f"{workers} worker{'s' if workers != '1' else ''}"
        axes[0].plot([r["notebooks"] for r in rows], [r["seconds"] for r in rows], marker=marker, label=label)
    axes[0].set(xlabel="notebooks", ylabel="wall seconds", title="Cold build")
    axes[0].legend()
    axes[1].plot([r["claims"] for r in found["claims"]], [r["seconds"] for r in found["claims"]], marker="o")
    axes[1].set(xlabel="generated claims", ylabel="seconds", title="Measure + judge")
    rows = found["specifications"]
    axes[2].plot([r["specifications"] for r in rows], [r["seconds"] for r in rows], marker="o", label="seconds")
    axes[2].set(xlabel="specifications", ylabel="seconds", title="Multiverse")
    twin = axes[2].twinx()
    twin.plot([r["specifications"] for r in rows], [r["peak_rss_mb"] for r in rows], marker="s", color="grey",
              linestyle="--", label="peak MB")
    twin.set_ylabel("peak memory, MB")
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def ratio_line(name, value, target, higher=True) -> str:
    met = value >= target if higher else value <= target
    return f"{name}: {value:.2f} (target {'>=' if higher else '<='} {target}: {'met' if met else 'NOT met'})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the baselines, scaling and `make test`")
    parser.add_argument("--rounds", type=int, default=3, help="alternating cold builds per kind (default 3)")
    parser.add_argument("--jupyter-book", default=str(JUPYTER_BOOK), help="the jupyter-book command to compare with")
    args = parser.parse_args(argv)
    os.environ.pop("CI", None)
    saved = json.loads(SAVED.read_text()) if SAVED.is_file() else {}
    figures = dict(saved) if args.quick else {}  # a full run saves only what it measured
    info = machine()
    print(f"machine: {info['cpus']} CPU(s), {info['cpu_model']}; Python {info['python']}; {info['system']}; "
          f"load average at start {info['load_at_start']:.1f}")
    count = len(notebooks())

    with tempfile.TemporaryDirectory(prefix="claim-audit-bench-") as tmp:
        reports = Path(tmp) / "reports"
        build(reports, "--no-cache")  # warm the OS file cache and byte-code, as a user's second day would
        book = Path(args.jupyter_book).is_file() and not args.quick
        if not book and not args.quick:
            print(f"    (Jupyter Book not measured: {args.jupyter_book} is missing; `make bench` installs it)")
        # every kind once per round, the rounds one after another: the machine's speed drifts over minutes,
        # and a ratio is then of medians taken over the same stretch of time
        runs = {"warm": [], "ordinary": [], "floor": [], "naive": [], "book": []}
        for round_number in range(args.rounds):
            runs["warm"].append(build(reports, "--no-cache"))
            runs["ordinary"].append(build(reports, "--no-cache", env={"ANALYSIS_WARM_KERNELS": "0"}))
            runs["floor"].append(timed([sys.executable, ROOT / "benchmarks" / "floor.py"]))
            if not args.quick:
                naive_dir = Path(tmp) / f"naive-{round_number}"
                naive_dir.mkdir()
                runs["naive"].append(naive_loop(naive_dir))
            if book:
                book_dir = Path(tmp) / f"book-{round_number}"
                book_dir.mkdir()
                runs["book"].append(jupyter_book(args.jupyter_book, book_dir))
        medians = {kind: {"seconds": median_of(rows, "seconds"), "cpu_seconds": median_of(rows, "cpu_seconds")}
                   for kind, rows in runs.items() if rows}
        cold, plain, floor = medians["warm"], medians["ordinary"], medians["floor"]
        figures.update(cold_build=cold, cold_build_ordinary_kernels=plain, floor=floor, rounds=args.rounds)
        if "naive" in medians:
            figures["naive_loop"] = medians["naive"]
        if "book" in medians:
            figures["jupyter_book"] = medians["book"]
        print(f"(a) cold build, {count} notebooks (execute + HTML, cache off), median of {args.rounds}: "
              f"{cold['seconds']:.1f} s wall, {cold['cpu_seconds']:.1f} CPU-s")
        print(f"    same with kernels started the ordinary way: {plain['seconds']:.1f} s wall, "
              f"{plain['cpu_seconds']:.1f} CPU-s")
        print(f"    floor (every cell in one process): {floor['seconds']:.1f} s wall, {floor['cpu_seconds']:.1f} CPU-s; "
              + ratio_line("CPU / floor CPU", cold["cpu_seconds"] / floor["cpu_seconds"], TARGETS["floor_ratio"],
                           higher=False))
        note = "  [from the last full run]" if args.quick else ""
        for key, label, target in (("naive_loop", "naive loop (papermill CLI + nbconvert per notebook)", "naive_ratio"),
                                   ("jupyter_book", "Jupyter Book 1.0.4, forced execution", "jupyter_book_ratio")):
            label += "" if args.quick else f", median of {args.rounds}"
            if key in figures:
                base = figures[key]
                print(f"    {label}: {base['seconds']:.1f} s wall, {base['cpu_seconds']:.1f} CPU-s; "
                      + ratio_line("faster by", base["seconds"] / cold["seconds"], TARGETS[target]) + note)

        noop = [build(reports) for _ in range(5)]
        figures["noop_rebuild_s"] = median_of(noop, "seconds")
        figures["noop_rebuild_cpu_s"] = median_of(noop, "cpu_seconds")
        print("(b) " + ratio_line("rebuild, nothing changed (whole command, median of 5), seconds",
                                  figures["noop_rebuild_s"], TARGETS["noop_s"], higher=False)
              + f"; {figures['noop_rebuild_cpu_s']:.2f} CPU-s")

        name, value, owner = CHANGE
        done = build(reports, "-p", name, value)
        ran = executed(done["stdout"])
        figures["one_parameter_s"], figures["one_parameter_ran"] = done["seconds"], ran
        print(f"(c) rebuild after `-p {name} {value}`: {done['seconds']:.1f} s; executed: {', '.join(ran) or 'none'} "
              f"({'only ' + owner if ran == [owner] else 'UNEXPECTED'})")

    print("(d) NVD build (benchmarks/nvd_build.py):")
    optional_main("nvd_build")
    print("    multiverse (benchmarks/multiverse.py):")
    optional_main("multiverse")

    if not args.quick:
        done = timed(["make", "test"])
        figures["make_test_s"], figures["make_test_cpu_s"] = done["seconds"], done["cpu_seconds"]
    if "make_test_s" in figures:
        print("(e) " + ratio_line("make test, seconds", figures["make_test_s"], TARGETS["make_test_s"], higher=False)
              + (f"; {figures['make_test_cpu_s']:.0f} CPU-s" if "make_test_cpu_s" in figures else "") + note)

    if not args.quick:
        figures["scaling"] = scaling()
        chart(figures["scaling"])
    if "scaling" in figures:
        print_scaling(figures["scaling"], note)
    if not args.quick:
        figures["machine"] = info
        SAVED.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
