"""Events the op-ed cites: Tham Luang cave (2018), the Tōhoku earthquake and Fukushima (2011),
Ebola in Sierra Leone (2014–2016), and Huawei's role in each.

The tables the notebook shows: the dated cave rows, the Japanese National Police Agency's
confirmed deaths by date of figure (cited rows) with the NOAA/NGDC annual total (dead and
missing) beside it.  The claims are measured in :mod:`analysis.measures.events` (dates, the
toll, the outbreak's range), :mod:`analysis.measures.facts` (cited rows) and
:mod:`analysis.measures.evidence` (Huawei's role: who each cited row credits, and whether
its source is the company's own).

>>> toll = quake_toll_table()
>>> toll.loc[toll["as_of"] == "2018-03-01", "deaths"].item()
15895.0
"""
import re
from functools import lru_cache

import pandas as pd

from analysis import paths
from analysis.data import facts, tables
from analysis.data import manifest as _manifest
from analysis.errors import DataSchemaError, DatasetError

FACTS = "facts_events"
NOAA_KEY = "earthquake_deaths_noaa"
NOAA_FILE = "earthquake_deaths_japan.csv"
NOAA_LABEL = "NOAA NGDC/WDS Significant Earthquake Database, annual deaths by country (via OWID)"


# --------------------------------------------------------------------------- dates

def fact(claim_group, metric, **match):
    """One ``facts_events`` row by claim group and metric (plus any other column)."""
    return facts.lookup(FACTS, claim_id=claim_group, metric=metric, **match)


def fact_month(row) -> str:
    """The ``YYYY-MM`` a dating fact row gives (from its ``period``).

    >>> fact_month(fact("b", "team_entered_cave"))
    '2018-06'
    """
    found = re.search(r"\d{4}-\d{2}", row.period)
    if not found:
        raise DatasetError(f"{row.ref}: period {row.period!r} holds no YYYY-MM date")
    return found.group(0)


def cave_timeline() -> pd.DataFrame:
    """The dated Tham Luang rows (entry, discovery, rescuer's death, extraction) in date order."""
    table = facts.load_facts(FACTS)
    rows = table[(table["claim_id"] == "b") & (table["entity"] == "Tham Luang")
                 & table["unit"].str.startswith("date")]
    out = pd.DataFrame({"event": rows["metric"], "from": rows["period"].str[:10],
                        "to": rows["period"].str[-10:], "source": rows["source_title"],
                        "ref": [f"data/raw/{_manifest.get(FACTS).file}#L{n}" for n in rows["line"]]})
    return out.sort_values("from").reset_index(drop=True)


# --------------------------------------------------------------------------- death toll

def _as_of(period):
    """The ISO date (or month) of an "as of ..." period; None if the period gives no year.

    >>> _as_of("as of 2023-03 (reported 2023-03-09)"), _as_of("as of 3月1日 (year uncertain)")
    ('2023-03', None)
    """
    found = re.match(r"as of (\d{4}-\d{2}(?:-\d{2})?)", period)
    return found.group(1) if found else None


def quake_toll_table() -> pd.DataFrame:
    """NPA confirmed deaths and missing by date of figure (cited rows), oldest first.

    Columns: as_of (None if the row's date is uncertain), deaths, missing, derived (computed
    from a later report, not quoted), source, ref.
    """
    table = facts.load_facts(FACTS)
    jp = table[(table["claim_id"] == "c") & (table["entity"] == "Japan")]
    rows = []
    for _, r in jp[jp["metric"].str.startswith("deaths_NPA")].iterrows():
        derived = r["metric"].endswith("_DERIVED")
        missing = jp[(jp["metric"] == ("missing_NPA_DERIVED" if derived else "missing_NPA"))
                     & (jp["period"].str[:13] == r["period"][:13])]
        rows.append({"as_of": _as_of(r["period"]), "period": r["period"], "metric": r["metric"],
                     "deaths": float(r["value"]),
                     "missing": float(missing["value"].iloc[0]) if len(missing) == 1 else float("nan"),
                     "derived": derived, "source": r["source_title"],
                     "ref": f"data/raw/{_manifest.get(FACTS).file}#L{r['line']}"})
    out = pd.DataFrame(rows)
    out["dead_and_missing"] = out["deaths"] + out["missing"]
    return out.sort_values("as_of", na_position="last").reset_index(drop=True)


def toll_dates() -> list:
    """The dates of figure a toll can be checked at (rows with a known date)."""
    return [d for d in quake_toll_table()["as_of"] if d is not None and d == d]


def build_noaa_japan(raw_dir=None) -> pd.DataFrame:
    """The NOAA/NGDC (OWID) rows for Japan with at least one death: the processed table.

    Columns: entity, year, deaths, line (line of the raw file).
    """
    entry = _manifest.get(NOAA_KEY)
    path = (raw_dir or paths.RAW) / entry.file
    if not path.is_file():
        raise DatasetError(f"{path} is missing: run `python -m analysis fetch {NOAA_KEY}`")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw["line"] = range(2, len(raw) + 2)
    column = "Earthquake deaths (NGDC-NOAA)"
    for name in ("Entity", "Year", column):
        if name not in raw.columns:
            raise DataSchemaError(f"{path}: expected a column {name!r}; columns are {list(raw.columns)}")
    japan = raw[raw["Entity"] == "Japan"]
    out = pd.DataFrame({"entity": japan["Entity"], "year": japan["Year"].astype(int),
                        "deaths": pd.to_numeric(japan[column]), "line": japan["line"]})
    return out[out["deaths"] > 0].reset_index(drop=True)


@lru_cache(maxsize=None)
def load_noaa_japan() -> pd.DataFrame:
    """The processed NOAA/NGDC Japan table from ``data/processed``."""
    return tables.read_processed(NOAA_FILE)


def noaa_japan_deaths(year) -> pd.Series:
    """The NOAA/NGDC Japan row for ``year`` (an error if it has no deaths that year)."""
    table = load_noaa_japan()
    rows = table[table["year"] == year]
    if len(rows) != 1:
        raise LookupError(f"no NOAA/NGDC earthquake deaths for Japan in {year}")
    return rows.iloc[0]
