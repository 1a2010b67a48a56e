"""World population by source, vintage and year: the denominator of "x % of the planet".

Three publishers, five raw files, one small processed table
(``data/processed/world_population.csv``, built by :func:`build_world_population`):

- ``world_bank``: World Bank WDI SP.POP.TOTL, aggregate ``WLD``, in three vintages of the
  ``datasets/population`` copy (2020-04-14, closest to the 2019 op-ed and ending in 2018;
  2023-05-04; 2026-03-06).  Mid-year.
- ``un_wpp2019``: UN WPP 2019 medium variant, ``WORLD`` (M49 900); the data file starts in
  2020 and is in thousands.  For 2019 only a rounded "7.7 billion" from cited pages exists
  (a ``facts.csv`` row, marked "rounded").
- ``un_wpp2022``: UN WPP 2022 world series (``EARTH``) as processed by OpenClimate; probably
  1 January rather than mid-year (see the data folder's PROVENANCE.md).

Every row keeps the raw file and line it came from.

>>> table = load_world_population()
>>> int(world_population("world_bank", 2018, "2020-04-14")["population"])
7594270356
"""
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from analysis import paths
from analysis.data import facts, tables
from analysis.data import manifest as _manifest
from analysis.data.source import Source
from analysis.errors import DataSchemaError, DatasetError

WORLD_POPULATION_FILE = "world_population.csv"
#: Years kept in the processed table (the op-ed is from 2019).
YEARS = (2017, 2018, 2019, 2020)
#: Population sources: name → what it is.
SOURCES = {
    "world_bank": "World Bank WDI SP.POP.TOTL, World (WLD)",
    "un_wpp2019": "UN DESA World Population Prospects 2019",
    "un_wpp2022": "UN DESA World Population Prospects 2022 (via OpenClimate)",
}
#: World Bank vintages: the date of the ``datasets/population`` commit → manifest key.
WB_VINTAGES = {
    "2020-04-14": "wb_population_2020_04_14",
    "2023-05-04": "wb_population_2023_05_04",
    "2026-03-06": "wb_population_2026_03_06",
}
#: Raw dataset keys the processed table is built from.
RAW_KEYS = [*WB_VINTAGES.values(), "un_wpp2019_projection", "un_wpp2022_world", "facts_population"]
COLUMNS = ["source", "vintage", "year", "population", "basis", "file", "line"]


def _read_raw(key, raw_dir, needed) -> pd.DataFrame:
    """A raw CSV as strings with a ``line`` column; an error names the file and missing columns."""
    entry = _manifest.get(key)
    path = (raw_dir or paths.RAW) / entry.file
    if not path.is_file():
        raise DatasetError(f"{path} is missing: run `python -m analysis fetch {key}`")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise DataSchemaError(f"{path}: missing column(s) {', '.join(map(repr, missing))}; "
                              f"columns are {list(raw.columns)}")
    raw["line"] = range(2, len(raw) + 2)
    return raw


def _persons(text, path, column, scale=1) -> int:
    """An integer head count from a raw cell (``scale`` 1000 for thousands), exactly."""
    try:
        return int((Decimal(text) * scale).to_integral_value())
    except ArithmeticError:
        raise DataSchemaError(f"{path}: column {column!r} value {text!r} is not a number") from None


def _rows(raw, source, vintage, basis, key, year_col, value_col, scale=1):
    file = _manifest.get(key).file
    out = []
    for _, r in raw.iterrows():
        year = int(str(r[year_col])[:4])
        if year in YEARS:
            out.append((source, vintage, year, _persons(r[value_col], file, value_col, scale), basis,
                        file, int(r["line"])))
    return out


def build_world_population(raw_dir=None) -> pd.DataFrame:
    """World population rows for :data:`YEARS` from every raw source: the processed table.

    Columns: source, vintage, year, population (persons), basis (mid-year, likely 1 January,
    rounded), file (below ``data/raw``), line (line of that file).
    """
    rows = []
    for vintage, key in WB_VINTAGES.items():
        raw = _read_raw(key, raw_dir, ["Country Code", "Year", "Value"])
        rows += _rows(raw[raw["Country Code"] == "WLD"], "world_bank", vintage, "mid-year", key,
                      "Year", "Value")
    raw = _read_raw("un_wpp2019_projection", raw_dir, ["Country Code", "Year", "Population"])
    rows += _rows(raw[raw["Country Code"] == "900"], "un_wpp2019", "WPP2019", "mid-year (thousands × 1000)",
                  "un_wpp2019_projection", "Year", "Population", scale=1000)
    raw = _read_raw("un_wpp2022_world", raw_dir, ["actor_id", "year", "population"])
    rows += _rows(raw[raw["actor_id"] == "EARTH"], "un_wpp2022", "WPP2022", "likely 1 January",
                  "un_wpp2022_world", "year", "population")
    cited = facts.load_facts("facts_population")
    cited = cited[(cited["entity"] == "World") & (cited["metric"] == "population_wpp2019")
                  & cited["unit"].str.contains("rounded")]
    rows += _rows(cited, "un_wpp2019", "WPP2019", "rounded to 0.1 billion (cited pages)",
                  "facts_population", "period", "value")
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["source", "vintage", "year", "line"]).reset_index(drop=True)


@lru_cache(maxsize=None)
def load_world_population() -> pd.DataFrame:
    """The processed world-population table from ``data/processed``."""
    return tables.read_processed(WORLD_POPULATION_FILE, dtype={"vintage": str})


def vintage_of(source, vintage) -> str:
    """The vintage a source is read in: the World Bank's chosen one; a UN revision's own name.

    >>> vintage_of("world_bank", "2023-05-04"), vintage_of("un_wpp2022", "2023-05-04")
    ('2023-05-04', 'WPP2022')
    """
    if source not in SOURCES:
        raise ValueError(f"unknown population source {source!r}; choose one of {list(SOURCES)}")
    if source == "world_bank":
        if vintage not in WB_VINTAGES:
            raise ValueError(f"unknown World Bank vintage {vintage!r}; choose one of {list(WB_VINTAGES)}")
        return vintage
    return {"un_wpp2019": "WPP2019", "un_wpp2022": "WPP2022"}[source]


def world_population(source, year, vintage="2020-04-14", table=None):
    """The world-population row of ``source`` (its ``vintage`` for the World Bank) in ``year``,
    or None if that source and vintage have no figure for the year.

    >>> world_population("world_bank", 2019, "2020-04-14") is None   # this vintage ends in 2018
    True
    """
    table = load_world_population() if table is None else table
    rows = table[(table["source"] == source) & (table["vintage"] == vintage_of(source, vintage))
                 & (table["year"] == year)]
    if len(rows) > 1:
        raise DatasetError(f"{WORLD_POPULATION_FILE}: {len(rows)} rows for {source} {vintage} {year}")
    return rows.iloc[0] if len(rows) else None


def label(row) -> str:
    """A short name for a population row: "World Bank 2020-04-14", "UN WPP2022".

    >>> label({"source": "un_wpp2022", "vintage": "WPP2022"})
    'UN WPP2022'
    """
    return f"World Bank {row['vintage']}" if row["source"] == "world_bank" else f"UN {row['vintage']}"


def source_of(row) -> Source:
    """The raw file and line a population row came from, as a Source."""
    if row["file"] == _manifest.get("facts_population").file:
        cited = facts.load_facts("facts_population")
        fact = cited[cited["line"] == int(row["line"])].iloc[0]
        return Source(label=fact["source_title"], url=fact["source_url"],
                      ref=f"data/raw/{row['file']}#L{int(row['line'])}")
    key = next(k for k in RAW_KEYS if _manifest.get(k).file == row["file"])
    return _manifest.get(key).source(int(row["line"]), label=f"{SOURCES[row['source']]}, {row['vintage']}")
