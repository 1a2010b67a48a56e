"""``build-data``: deterministic processing from ``data/raw`` into ``data/processed``.

Each processed file is made by one function from named raw datasets
(:data:`OUTPUTS`).  Files are written atomically with fixed formatting, so a
rebuild from the same raw bytes reproduces them byte for byte; ``provenance.csv``
records which raw files (and SHA-256) each output came from, and each output's own SHA-256
(``output_sha256``), against which :func:`analysis.data.integrity.verify_inputs` checks the
committed tables before anything is published.

Every processed file has a schema (:mod:`analysis.data.tables`), checked before anything is
written.

An unchanged output is not rebuilt: its *build key* (:func:`build_key`: the pinned SHA-256 of
its raw inputs, the code that makes it, the lock file and the Python version) and the SHA-256
of the file written are kept in ``data/processed/.build-cache.json``; if both still match, the
file is left as it is.  The cache is git-ignored on purpose: a clean clone has none, so its
first ``make data`` rebuilds (and so re-checks) every file from the raw data rather than
trusting the committed ones.  ``force=True`` (``build-data --force``) ignores it.

>>> OUTPUTS["fx_annual.csv"][1]
['fx_annual_fred', 'facts_rd_spending']
"""
import hashlib
import json
import logging
import sys
import types
from pathlib import Path

import pandas as pd

from analysis import atomic, paths
from analysis.data import certifications, ebola, entities, events, fetch, integrity, nvd, population, rd, tables
from analysis.data import manifest as _manifest
from analysis.errors import DatasetError

#: processed file → (function of raw_dir returning a DataFrame, raw dataset keys it reads)
OUTPUTS = {
    "rd_scoreboard.csv": (rd.build_scoreboard, [f"scoreboard_{e}" for e in rd.EDITIONS]),
    "fx_annual.csv": (rd.build_fx, ["fx_annual_fred", "facts_rd_spending"]),
    population.WORLD_POPULATION_FILE: (population.build_world_population, population.RAW_KEYS),
    "cmvp_certificates.csv": (certifications.build_cmvp_certificates, ["nist_cmvp_2026_04_15", entities.KEY]),
    "cc_active_peers.csv": (certifications.build_cc_active_peers, ["cc_portal_active_2025_12", entities.KEY]),
    "registry_levels_by_year.csv": (certifications.build_registry_levels,
                                    ["nist_cmvp_2026_04_15", "cc_portal_active_2025_12"]),
    ebola.SERIES_FILE: (ebola.build_series, [key for key, _ in ebola.SERIES.values()]),
    ebola.GHO_FILE: (ebola.build_gho, list(ebola.GHO_KEYS)),
    events.NOAA_FILE: (events.build_noaa_japan, [events.NOAA_KEY]),
    nvd.COUNTS_FILE: (nvd.build_cve_counts, [*(nvd.feed_key(y) for y in nvd.FEED_YEARS), entities.KEY]),
    nvd.COVERAGE_FILE: (nvd.build_cve_coverage, [nvd.feed_key(y) for y in nvd.FEED_YEARS]),
}
PROVENANCE_FILE = integrity.PROVENANCE_FILE
#: Build keys and output hashes of the files last written to the output folder (git-ignored).
CACHE_FILE = ".build-cache.json"
LOCK_FILE = paths.ROOT / "requirements.lock"
log = logging.getLogger(__name__)


def write_csv(frame, path) -> Path:
    """Write a table as UTF-8 CSV with ``\\n`` line ends, atomically."""
    return atomic.write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def code_files(make) -> list:
    """The source files whose text decides what ``make`` builds: its module, the
    ``analysis`` modules that module uses directly, and this module (CSV formatting).

    >>> sorted(Path(f).name for f in code_files(nvd.build_cve_counts))[:3]
    ['build.py', 'entities.py', 'errors.py']
    """
    module = sys.modules[make.__module__]
    used = {module, sys.modules[__name__]}
    for value in vars(module).values():
        owner = value if isinstance(value, types.ModuleType) else sys.modules.get(getattr(value, "__module__", ""))
        if owner is not None and owner.__name__.split(".")[0] == "analysis":
            used.add(owner)
    return sorted(m.__file__ for m in used if getattr(m, "__file__", None))


def build_key(make, needed, entries) -> str:
    """SHA-256 over everything an output depends on: the pinned SHA-256 of each raw input (the
    build only runs on verified files), the text of :func:`code_files`, ``requirements.lock``
    and the Python minor version.  A change to any of them changes the key.
    """
    digest = hashlib.sha256()
    parts = [f"python {sys.version_info.major}.{sys.version_info.minor}"]
    parts += [f"input {k} {entries[k].sha256}" for k in needed]
    files = [*code_files(make), LOCK_FILE]
    parts += [f"file {Path(f).name} {hashlib.sha256(Path(f).read_bytes()).hexdigest()}" for f in files]
    digest.update("\n".join(parts).encode("utf-8"))
    return digest.hexdigest()


def _read_cache(out_dir) -> dict:
    try:
        return json.loads((out_dir / CACHE_FILE).read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # no cache, or one we cannot read: rebuild everything


def is_current(name, key, out_dir, cache) -> bool:
    """Whether ``out_dir/name`` was written by a build with ``key`` and has not changed since."""
    recorded = cache.get(name) or {}
    return recorded.get("key") == key and recorded.get("sha256") == integrity.sha256_file(out_dir / name)


def build_data(raw_dir=None, out_dir=None, force=False) -> list:
    """Rebuild the processed files whose inputs or code changed (all with ``force``) from
    verified raw data; returns the paths written (empty if everything was current).

    A missing or unverified input stops the build before anything is written,
    naming the dataset and the command that fetches it.
    """
    raw_dir = Path(raw_dir or paths.RAW)
    out_dir = Path(out_dir or paths.PROCESSED)
    keys = sorted({k for _, needed in OUTPUTS.values() for k in needed})
    absent = fetch.missing(keys, raw_dir)
    if absent:
        raise DatasetError(f"cannot build: raw dataset(s) {', '.join(absent)} missing or not verified in "
                           f"{raw_dir}; run `python -m analysis fetch {' '.join(absent)}` first")
    entries = _manifest.load_manifest()
    cache = {} if force else _read_cache(out_dir)
    build_keys = {name: build_key(make, needed, entries) for name, (make, needed) in OUTPUTS.items()}
    built = {}
    for name, (make, needed) in OUTPUTS.items():  # build and check everything before writing anything
        if is_current(name, build_keys[name], out_dir, cache):
            log.info("unchanged %s (inputs and code as at its last build)", out_dir / name)
            continue
        built[name] = make(raw_dir)
        tables.validate(built[name], name, f"{name} as built from {', '.join(needed)}")
    written = []
    for name, frame in built.items():
        written.append(write_csv(frame, out_dir / name))
        cache[name] = {"key": build_keys[name], "sha256": integrity.sha256_file(out_dir / name)}
    output_sha256 = {name: integrity.sha256_file(out_dir / name) for name in OUTPUTS}  # what verify_inputs checks
    provenance = [{"output": name, "input": k, "file": entries[k].file, "sha256": entries[k].sha256,
                   "output_sha256": output_sha256[name]}
                  for name, (_, needed) in OUTPUTS.items() for k in needed]
    text = pd.DataFrame(provenance).to_csv(index=False, lineterminator="\n")
    path = out_dir / PROVENANCE_FILE
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        written.append(atomic.write_text(path, text))
    if built:
        record = {"outputs": {name: cache[name] for name in sorted(cache) if name in OUTPUTS}}
        atomic.write_text(out_dir / CACHE_FILE, json.dumps(record, indent=1, sort_keys=True) + "\n")
    return written
