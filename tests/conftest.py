"""Shared fixtures.  Tests that need raw (fetched) data use ``raw_data``:

- if the files are already in data/raw and verified, they are used;
- else, if ANALYSIS_DATA_MIRROR is set (as in CI), they are fetched from it and
  any failure fails the test;
- else the test is skipped with a message naming the datasets and the fix.
"""
import pytest

from analysis import measures, paths
from analysis.data import fetch


def require_raw(*keys):
    """Make sure ``keys`` are present and verified in data/raw, or skip with the reason."""
    absent = fetch.missing(keys)
    if not absent:
        return paths.RAW
    if paths.mirror_dir() is not None:
        fetch.fetch(absent, progress=False)
        return paths.RAW
    pytest.skip(f"raw dataset(s) {', '.join(absent)} not available: run `make data` (needs internet) "
                f"or set ANALYSIS_DATA_MIRROR to a local mirror")


@pytest.fixture(scope="session")
def scoreboards_raw():
    """The four raw Scoreboard editions and the FX file (fetched if need be)."""
    from analysis.data.build import OUTPUTS

    return require_raw(*sorted({k for _, keys in OUTPUTS.values() for k in keys}))


@pytest.fixture(autouse=True)
def fresh_measurements():
    """Every test starts and ends with no memoised measurement, so a test that replaces a table
    (a fixture) never sees, or leaves behind, measurements of another table."""
    measures.clear_cache()
    yield
    measures.clear_cache()
