"""``build-data``: deterministic processing from ``data/raw`` into ``data/processed``.

Each processed file is made by one function from named raw datasets
(:data:`OUTPUTS`).  Files are written atomically with fixed formatting, so a
rebuild from the same raw bytes reproduces them byte for byte; ``provenance.csv``
records which raw files (and SHA-256) each output came from.

Every processed file has a schema (:mod:`analysis.tables`), checked before anything is
written.

>>> OUTPUTS["fx_annual.csv"][1]
['fx_annual_fred', 'facts_rd_spending']
"""
from pathlib import Path

import pandas as pd

from analysis import atomic, certifications, ebola, events, fetch, nvd, paths, population, rd, tables
from analysis import manifest as _manifest
from analysis.errors import DatasetError

#: processed file → (function of raw_dir returning a DataFrame, raw dataset keys it reads)
OUTPUTS = {
    "rd_scoreboard.csv": (rd.build_scoreboard, [f"scoreboard_{e}" for e in rd.EDITIONS]),
    "fx_annual.csv": (rd.build_fx, ["fx_annual_fred", "facts_rd_spending"]),
    population.WORLD_POPULATION_FILE: (population.build_world_population, population.RAW_KEYS),
    "cmvp_certificates.csv": (certifications.build_cmvp_certificates, ["nist_cmvp_2026_04_15"]),
    "cc_active_peers.csv": (certifications.build_cc_active_peers, ["cc_portal_active_2025_12"]),
    "registry_levels_by_year.csv": (certifications.build_registry_levels,
                                    ["nist_cmvp_2026_04_15", "cc_portal_active_2025_12"]),
    ebola.SERIES_FILE: (ebola.build_series, [key for key, _ in ebola.SERIES.values()]),
    ebola.GHO_FILE: (ebola.build_gho, list(ebola.GHO_KEYS)),
    events.NOAA_FILE: (events.build_noaa_japan, [events.NOAA_KEY]),
    nvd.COUNTS_FILE: (nvd.build_cve_counts, [nvd.feed_key(y) for y in nvd.FEED_YEARS]),
    nvd.COVERAGE_FILE: (nvd.build_cve_coverage, [nvd.feed_key(y) for y in nvd.FEED_YEARS]),
}
PROVENANCE_FILE = "provenance.csv"


def write_csv(frame, path) -> Path:
    """Write a table as UTF-8 CSV with ``\\n`` line ends, atomically."""
    return atomic.write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def build_data(raw_dir=None, out_dir=None) -> list:
    """Rebuild every processed file from verified raw data; returns the paths written.

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
    written, provenance = [], []
    entries = _manifest.load_manifest()
    built = {}
    for name, (make, needed) in OUTPUTS.items():  # build and check everything before writing anything
        built[name] = make(raw_dir)
        tables.validate(built[name], name, f"{name} as built from {', '.join(needed)}")
    for name, (make, needed) in OUTPUTS.items():
        written.append(write_csv(built[name], out_dir / name))
        provenance += [{"output": name, "input": k, "file": entries[k].file, "sha256": entries[k].sha256}
                       for k in needed]
    written.append(write_csv(pd.DataFrame(provenance), out_dir / PROVENANCE_FILE))
    return written
