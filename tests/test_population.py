"""World population by source and vintage: the processed table against the raw files and cited rows."""
import pytest
from conftest import require_raw

from analysis.data import facts, population
from analysis.errors import DataSchemaError


@pytest.fixture(scope="module")
def table():
    return population.load_world_population()


def cited(metric, period):
    return facts.lookup("facts_population", entity="World", metric=metric, period=str(period)).number()


@pytest.mark.parametrize("vintage, year, metric", [
    ("2020-04-14", 2018, "population_wb_SP.POP.TOTL_vintage2020-04"),
    ("2023-05-04", 2018, "population_wb_SP.POP.TOTL_vintage2023-05"),
    ("2023-05-04", 2019, "population_wb_SP.POP.TOTL_vintage2023-05"),
    ("2026-03-06", 2018, "population_wb_SP.POP.TOTL_vintage2026-03"),
    ("2026-03-06", 2019, "population_wb_SP.POP.TOTL_vintage2026-03"),
])
def test_world_bank_world_rows_match_the_cited_rows(table, vintage, year, metric):
    row = population.world_population("world_bank", year, vintage, table)
    assert row["population"] == cited(metric, year)
    assert row["basis"] == "mid-year"


def test_un_rows_match_the_cited_rows(table):
    for year in (2018, 2019):
        assert population.world_population("un_wpp2022", year, table=table)["population"] == \
            cited("population_wpp2022", year)
    # WPP2019 file is in thousands: 7794798.729 → 7,794,798,729 exactly (no float rounding)
    row = population.world_population("un_wpp2019", 2020, table=table)
    assert row["population"] == cited("population_wpp2019_medium", 2020) == 7794798729
    rounded = population.world_population("un_wpp2019", 2019, table=table)
    assert rounded["population"] == 7_700_000_000 and rounded["basis"].startswith("rounded")
    assert rounded["file"] == "population/facts.csv"


def test_missing_years_are_none_and_unknown_choices_are_errors(table):
    assert population.world_population("world_bank", 2019, "2020-04-14", table) is None  # vintage ends 2018
    assert population.world_population("un_wpp2019", 2018, table=table) is None
    with pytest.raises(ValueError, match="unknown World Bank vintage '2021-01-01'"):
        population.world_population("world_bank", 2018, "2021-01-01", table)
    with pytest.raises(ValueError, match="unknown population source 'imf'"):
        population.vintage_of("imf", "2020-04-14")


def test_table_shape_and_later_vintages_revise_2018_up(table):
    assert list(table.columns) == population.COLUMNS
    assert len(table) == 16
    assert not table.duplicated(["source", "vintage", "year"]).any()
    wb2018 = [population.world_population("world_bank", 2018, v, table)["population"]
              for v in population.WB_VINTAGES]
    assert wb2018 == sorted(wb2018)


def test_sources_point_at_the_raw_line(table):
    row = population.world_population("world_bank", 2018, "2020-04-14", table)
    src = population.source_of(row)
    assert src.ref == "data/raw/population/wb_sp_pop_totl__datasets-population__2020-04-14.csv#L2715"
    assert "52d3bf4c1d54cd9a8a1f6c0f990d7616d5f3cf47" in src.url
    rounded = population.source_of(population.world_population("un_wpp2019", 2019, table=table))
    assert rounded.ref == "data/raw/population/facts.csv#L11" and "ensonhaber" in rounded.url


def test_raw_lines_hold_the_values(table):
    raw = require_raw(*population.RAW_KEYS)
    for _, row in table.iterrows():
        lines = (raw / row["file"]).read_text(encoding="utf-8").splitlines()
        assert str(row["year"]) in lines[row["line"] - 1]


def test_renamed_column_upstream_is_named(tmp_path):
    from analysis.data import manifest

    require_raw(*population.RAW_KEYS)
    raw = tmp_path / "raw"
    for key in population.RAW_KEYS:
        entry = manifest.get(key)
        (raw / entry.file).parent.mkdir(parents=True, exist_ok=True)
        text = entry.path.read_text(encoding="utf-8")
        if key == "un_wpp2022_world":
            text = text.replace("population", "pop", 1)
        (raw / entry.file).write_text(text, encoding="utf-8")
    with pytest.raises(DataSchemaError, match=r"un_wpp2022_world__openclimate.csv: missing column\(s\) 'population'"):
        population.build_world_population(raw)
