"""Schemas of raw inputs and processed files: a change upstream is an error naming file and column."""
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.data import build, manifest, rd, tables
from analysis.errors import DataSchemaError


def test_every_processed_file_has_a_schema_and_passes_it():
    for name in [*build.OUTPUTS, build.PROVENANCE_FILE]:
        assert name in tables.known(), f"add a schema for {name} to analysis.data.tables"
        assert len(tables.read_processed(name)) > 0


def test_a_missing_processed_column_is_named(tmp_path):
    frame = pd.read_csv(paths.PROCESSED / "rd_scoreboard.csv").drop(columns=["rd_eur_m"])
    frame.to_csv(tmp_path / "rd_scoreboard.csv", index=False)
    with pytest.raises(DataSchemaError) as err:
        tables.read_processed("rd_scoreboard.csv", folder=tmp_path)
    message = str(err.value)
    assert "rd_scoreboard.csv does not have the expected columns" in message
    assert "column 'rd_eur_m' is missing (columns found: edition, world_rank, rank, company" in message
    assert "run `make data`" in message


def test_a_bad_processed_value_is_named_with_its_line(tmp_path):
    frame = pd.read_csv(paths.PROCESSED / "fx_annual.csv")
    frame.loc[3, "per_usd"] = -1.0
    frame.to_csv(tmp_path / "fx_annual.csv", index=False)
    with pytest.raises(DataSchemaError, match=r"column 'per_usd' at line 5: value -1.0 fails greater_than\(0\)"):
        tables.read_processed("fx_annual.csv", folder=tmp_path)


def test_a_missing_processed_file_says_how_to_make_it(tmp_path):
    with pytest.raises(DataSchemaError, match=r"fx_annual.csv is missing: run `make data`"):
        tables.read_processed("fx_annual.csv", folder=tmp_path)


def test_a_raw_column_renamed_upstream_is_named_and_nothing_is_written(scoreboards_raw, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW / "rd_spending", raw / "rd_spending")
    entry = manifest.get("fx_annual_fred")
    text = (raw / entry.file).read_text(encoding="utf-8").replace("Exchange rate", "Rate", 1)
    (raw / entry.file).write_text(text, encoding="utf-8")
    with pytest.raises(DataSchemaError) as err:
        rd.build_fx(raw_dir=raw)
    assert "fx_annual_datahub_fred.csv does not have the expected columns" in str(err.value)
    assert "column 'Exchange rate' is missing (columns found: Date, Country, Rate)" in str(err.value)


def test_a_build_with_a_bad_output_writes_nothing(scoreboards_raw, tmp_path, monkeypatch):
    broken = dict(build.OUTPUTS)
    make, keys = broken["fx_annual.csv"]
    broken["fx_annual.csv"] = (lambda raw_dir: make(raw_dir).rename(columns={"per_usd": "rate"}), keys)
    monkeypatch.setattr(build, "OUTPUTS", broken)
    out = tmp_path / "out"
    with pytest.raises(DataSchemaError, match=r"(?s)fx_annual.csv as built from .*column 'per_usd' is missing"):
        build.build_data(out_dir=out)
    assert not out.exists()


def test_unchanged_bytes_are_validated_once_and_changed_bytes_again(tmp_path, monkeypatch):
    shutil.copy(paths.PROCESSED / "fx_annual.csv", tmp_path / "fx_annual.csv")
    calls = []
    real = tables.validate
    monkeypatch.setattr(tables, "validate", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    tables.read_processed("fx_annual.csv", folder=tmp_path)
    tables.read_processed("fx_annual.csv", folder=tmp_path)
    assert calls == ["fx_annual.csv"]  # the second read trusts the record of the first
    text = (tmp_path / "fx_annual.csv").read_text(encoding="utf-8").replace("6.609,", "-6.609,", 1)
    (tmp_path / "fx_annual.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataSchemaError, match=r"column 'per_usd' at line 3: value -6.609 fails greater_than\(0\)"):
        tables.read_processed("fx_annual.csv", folder=tmp_path)
