"""build-data: the committed processed files are exactly what the raw data rebuild; an unchanged
output is not rebuilt, a changed input, code or lock file rebuilds it."""
import dataclasses
import functools
import subprocess
from pathlib import Path

import pytest

from analysis import paths
from analysis.data import build, manifest
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
    from analysis.data import manifest

    needed = sorted({k for _, keys in build.OUTPUTS.values() for k in keys})
    absent = [k for k in needed if not manifest.get(k).committed]  # committed files are always there
    assert {"fx_annual_fred", "scoreboard_2017", "nvd_cve_2019"} <= set(absent)
    assert f"raw dataset(s) {', '.join(absent)} missing or not verified" in str(err.value)
    assert f"run `python -m analysis fetch {' '.join(absent)}` first" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_renamed_column_upstream_is_named(scoreboards_raw, tmp_path):
    from analysis.data import manifest, rd
    from analysis.errors import DataSchemaError

    entry = manifest.get("scoreboard_2019")
    raw = tmp_path / "raw"
    (raw / entry.file).parent.mkdir(parents=True)
    text = entry.path.read_text(encoding="utf-8").replace("Net sales (€million)", "Revenue (€million)", 1)
    (raw / entry.file).write_text(text, encoding="utf-8")
    with pytest.raises(DataSchemaError, match=r"SB2019_World2500.csv: expected one column matching 'Net sales"):
        rd.read_scoreboard_edition(2019, raw_dir=raw)


def _counting(make, calls):
    @functools.wraps(make)  # keeps make's __module__, so the build key reads the same code
    def counted(raw_dir):
        calls.append(raw_dir)
        return make(raw_dir)
    return counted


@pytest.fixture
def fx_only(scoreboards_raw, monkeypatch):
    """OUTPUTS cut down to fx_annual.csv, its builder counting its calls."""
    make, keys = build.OUTPUTS["fx_annual.csv"]
    calls = []
    monkeypatch.setattr(build, "OUTPUTS", {"fx_annual.csv": (_counting(make, calls), keys)})
    return calls


def test_an_unchanged_rebuild_skips_the_builder(fx_only, tmp_path):
    assert [p.name for p in build.build_data(out_dir=tmp_path)] == ["fx_annual.csv", build.PROVENANCE_FILE]
    assert len(fx_only) == 1
    assert build.build_data(out_dir=tmp_path) == []
    assert len(fx_only) == 1  # not called again
    assert [p.name for p in build.build_data(out_dir=tmp_path, force=True)] == ["fx_annual.csv"]
    assert len(fx_only) == 2
    committed = (paths.PROCESSED / "fx_annual.csv").read_bytes()
    assert (tmp_path / "fx_annual.csv").read_bytes() == committed


def test_an_edited_or_deleted_output_is_rebuilt(fx_only, tmp_path):
    build.build_data(out_dir=tmp_path)
    output = tmp_path / "fx_annual.csv"
    output.write_text(output.read_text(encoding="utf-8").replace("CNY", "XXX", 1), encoding="utf-8")
    assert [p.name for p in build.build_data(out_dir=tmp_path)] == ["fx_annual.csv"]
    assert output.read_bytes() == (paths.PROCESSED / "fx_annual.csv").read_bytes()
    output.unlink()
    build.build_data(out_dir=tmp_path)
    assert len(fx_only) == 3 and output.is_file()


def test_a_changed_input_sha256_rebuilds(fx_only, tmp_path, monkeypatch):
    build.build_data(out_dir=tmp_path)
    entries = manifest.load_manifest()
    # as if fx_annual_fred were re-pinned to a new file already fetched and verified
    repinned = {**entries, "fx_annual_fred": dataclasses.replace(entries["fx_annual_fred"], sha256="0" * 64)}
    monkeypatch.setattr(build._manifest, "load_manifest", lambda path=None: repinned)
    monkeypatch.setattr(build.fetch, "missing", lambda keys, raw_dir=None: [])
    build.build_data(out_dir=tmp_path)
    assert len(fx_only) == 2
    build.build_data(out_dir=tmp_path)
    assert len(fx_only) == 2  # and the new key is what is recorded


def test_changed_code_or_lock_rebuilds(fx_only, tmp_path, monkeypatch):
    build.build_data(out_dir=tmp_path)
    code = build.code_files(build.OUTPUTS["fx_annual.csv"][0])
    assert {"rd.py", "facts.py", "build.py"} <= {Path(f).name for f in code}
    rd_file = next(f for f in code if Path(f).name == "rd.py")
    changed = tmp_path / "rd.py"  # the builder's module with one comment added
    changed.write_text(Path(rd_file).read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(build, "code_files", lambda make: [str(changed) if f == rd_file else f for f in code])
    build.build_data(out_dir=tmp_path)
    assert len(fx_only) == 2
    lock = tmp_path / "requirements.lock"
    lock.write_text(build.LOCK_FILE.read_text(encoding="utf-8") + "extra==1.0\n", encoding="utf-8")
    monkeypatch.setattr(build, "LOCK_FILE", lock)
    build.build_data(out_dir=tmp_path)
    assert len(fx_only) == 3


def test_the_build_cache_is_not_committed():
    """A clean clone must not skip: the cache is git-ignored, so its first build rebuilds everything."""
    if not (paths.ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "check-ignore", "-q", str(paths.PROCESSED / build.CACHE_FILE)],
                             cwd=paths.ROOT, check=False)
    assert ignored.returncode == 0
