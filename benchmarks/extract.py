"""Benchmark of claim extraction on the op-ed: how long finding its candidate claims takes.

Run with ``.venv/bin/python benchmarks/extract.py [--repeat N]`` from the project root.

Three figures, each the median of ``--repeat`` runs:

- **extraction**: :func:`analysis.claims.extract.candidates.find_candidates` on the op-ed's text
  in a process whose packages are loaded (what reading one more article costs);
- **cold extraction**: the same in a fresh child process, timed from before the first import of
  the extractor (imports, the packages' one-time set-up — quantulum3 compiles its unit grammar on
  first use — and the extraction), interpreter start-up excluded;
- **extract command**: the wall time of ``python -m analysis extract`` on a copy of the op-ed's
  folder, start-up, measure trials on the data and the ledger check of the draft included.

Timings from a machine shared with other work are noisy; the script prints the figures only.
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "articles" / "huawei-not-spying-2019"
COLD = """
import time
start = time.perf_counter()
from analysis.claims.extract.candidates import find_candidates
text = open({path!r}, encoding="utf-8").read()
found = find_candidates(text, "Huawei")
print(time.perf_counter() - start, len(found))
"""


def warm(repeat: int) -> tuple:
    from analysis.claims.extract.candidates import find_candidates

    text = (ARTICLE / "article.txt").read_text(encoding="utf-8")
    find_candidates(text, "Huawei")  # load the packages
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        found = find_candidates(text, "Huawei")
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(found)


def cold(repeat: int) -> float:
    code = COLD.format(path=str(ARTICLE / "article.txt"))
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
                  .stdout.split()[0]) for _ in range(repeat)]
    return statistics.median(runs)


def command(repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / ARTICLE.name
            shutil.copytree(ARTICLE, folder)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "analysis", "extract", str(folder / "article.txt")],
                           capture_output=True, check=True)
            runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--repeat", type=int, default=5)
    args = options.parse_args(argv)
    seconds, found = warm(max(args.repeat, 5))
    print(f"op-ed: {found} candidate claims")
    print(f"extraction (packages loaded): {seconds:.3f} s")
    print(f"cold extraction (fresh process: imports, package set-up, extraction): {cold(args.repeat):.2f} s")
    print(f"extract command (start-up, measure trials, draft checked as a ledger): {command(args.repeat):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
