"""build-data: the committed processed files are exactly what the raw data rebuild."""
import pytest

from analysis import build, paths
from analysis.errors import DatasetError


def test_rebuild_reproduces_the_committed_processed_files(scoreboards_raw, tmp_path):
    written = build.build_data(out_dir=tmp_path)
    assert sorted(p.name for p in written) == sorted([*build.OUTPUTS, build.PROVENANCE_FILE])
    for path in written:
        committed = paths.PROCESSED / path.name
        assert path.read_bytes() == committed.read_bytes(), f"{committed} is stale: run `make data`"


def test_build_without_raw_data_names_what_to_fetch(tmp_path):
    with pytest.raises(DatasetError) as err:
        build.build_data(raw_dir=tmp_path / "empty", out_dir=tmp_path / "out")
    from analysis import manifest

    needed = sorted({k for _, keys in build.OUTPUTS.values() for k in keys})
    absent = [k for k in needed if not manifest.get(k).committed]  # committed files are always there
    assert {"fx_annual_fred", "scoreboard_2017", "nvd_cve_2019"} <= set(absent)
    assert f"raw dataset(s) {', '.join(absent)} missing or not verified" in str(err.value)
    assert f"run `python -m analysis fetch {' '.join(absent)}` first" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_renamed_column_upstream_is_named(scoreboards_raw, tmp_path):
    from analysis import manifest, rd
    from analysis.errors import DataSchemaError

    entry = manifest.get("scoreboard_2019")
    raw = tmp_path / "raw"
    (raw / entry.file).parent.mkdir(parents=True)
    text = entry.path.read_text(encoding="utf-8").replace("Net sales (€million)", "Revenue (€million)", 1)
    (raw / entry.file).write_text(text, encoding="utf-8")
    with pytest.raises(DataSchemaError, match=r"SB2019_World2500.csv: expected one column matching 'Net sales"):
        rd.read_scoreboard_edition(2019, raw_dir=raw)
