"""Ebola in Sierra Leone: cleaned cumulative case/death series and the outbreak's first and last dates.

Two cumulative series, both reporting Sierra Leone's suspected + probable +
confirmed cases and deaths by report date:

- ``cdc``: the CDC case-count table (2014-03-25 → 2016-04-13, based on WHO/MoH reports);
- ``who``: WHO reports as digitised by C. Rivers (2014-03-22 → 2015-01-05 only).

A cumulative count cannot fall, so each series is cleaned by three rules,
applied in this order to cases and deaths separately (:data:`FIXES`); every raw
row is kept in the processed table with the fix applied to each value:

1. ``duplicate date``: several rows for one date (two report versions) → keep the
   row with the most cases (then deaths; then the first in the file).
2. ``isolated spike`` / ``isolated dip``: a value out of line with both the last
   kept value and the next value while those two are in order (a typo, or a
   figure corrected in the next report) → dropped.
3. ``superseded``: a value above a later value that rule 2 does not explain (a
   downward reclassification, e.g. WHO's change of data source in Oct–Nov 2014)
   → the earlier, higher value is dropped.

The WHO Global Health Observatory snapshots (as of 7 Nov 2015, 31 Jan 2016, 17
Mar 2016) are a second processed table, the comparison point for final totals.

>>> s = load_series()
>>> int(s[s["series"] == "cdc"]["cases"].max())
14124
"""
import re
from functools import lru_cache

import pandas as pd

from analysis import paths
from analysis.data import facts, tables
from analysis.data import manifest as _manifest
from analysis.errors import DataSchemaError, DatasetError

SERIES_FILE = "ebola_sierra_leone.csv"
GHO_FILE = "ebola_sierra_leone_who_gho.csv"
#: Series name → (manifest key, what it is).
SERIES = {
    "cdc": ("ebola_cdc", "CDC case counts (WHO/MoH based), 2014-03-25 to 2016-04-13"),
    "who": ("ebola_who_timeseries", "WHO reports digitised by C. Rivers, 2014-03-22 to 2015-01-05"),
}
GHO_KEYS = ("ebola_who_gho_2016_01", "ebola_who_gho_2016_03")
#: The cleaning rules, in the order they are applied (see the module docstring).
FIXES = ("duplicate date", "isolated spike", "isolated dip", "superseded")

# facts_events rows (claim group "d") that date the outbreak; start/end definition → metric
START_FACTS = {
    "who_first_confirmed": "first_confirmed_case_reported",
    "pmc_first_diagnosis": "first_case_diagnosis_date_CONFLICT",
}
END_FACTS = {
    "end_of_transmission": "end_of_transmission_declared",
    "flare_up_end": "flare_up_end_declared",
}
#: Start definitions: the two cited dates, or the first report date with cases in the chosen series.
START_DEFINITIONS = (*START_FACTS, "series_first_case")
END_DEFINITIONS = tuple(END_FACTS)
#: Each start and end definition (a notebook parameter value) in plain words, for sentences a reader sees.
DEFINITION_NAMES = {
    "who_first_confirmed": "WHO's first laboratory-confirmed case",
    "pmc_first_diagnosis": "the first diagnosis in a J Infect Dis figure caption (unresolved; possibly a caption error)",
    "series_first_case": "the first report with cases in the chosen series",
    "end_of_transmission": "WHO's declared end of transmission",
    "flare_up_end": "the declared end of the 2016 flare-up",
}


def _require(path, key):
    if not path.is_file():
        raise DatasetError(f"{path} is missing: run `python -m analysis fetch {key}`")


def _column(frame, name, path):
    if name not in frame.columns:
        raise DataSchemaError(f"{path}: expected a column {name!r}; columns are {list(frame.columns)}")
    return frame[name]


def _integers(values, path, column):
    """Strings like "14124", "14 122" or "" as floats (NaN for blank); an error names file and column."""
    text = values.fillna("").astype(str).str.replace(r"\s", "", regex=True)
    bad = text[(text != "") & ~text.str.fullmatch(r"\d+")]
    if len(bad):
        raise DataSchemaError(f"{path}, column {column!r}: not a whole number: {bad.iloc[0]!r}")
    return pd.to_numeric(text.replace("", None), errors="coerce").astype(float)


def read_cdc(raw_dir=None) -> pd.DataFrame:
    """The CDC file's Sierra Leone columns: date, cases_raw, deaths_raw, line (raw file line)."""
    key = SERIES["cdc"][0]
    path = (raw_dir or paths.RAW) / _manifest.get(key).file
    _require(path, key)
    raw = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    raw["line"] = range(2, len(raw) + 2)
    dates = _column(raw, "WHO report date", path).str.strip()
    raw = raw[dates != ""]  # the trailing ";;;;;;;;" line
    return pd.DataFrame({
        "date": pd.to_datetime(raw["WHO report date"].str.strip(), format="%Y/%m/%d").dt.strftime("%Y-%m-%d"),
        "cases_raw": _integers(_column(raw, "Total Cases, Sierra Leone", path), path, "Total Cases, Sierra Leone"),
        "deaths_raw": _integers(_column(raw, "Total Deaths, Sierra Leone", path), path,
                                "Total Deaths, Sierra Leone"),
        "line": raw["line"],
    })


def read_who(raw_dir=None) -> pd.DataFrame:
    """The WHO (C. Rivers) file's Sierra Leone columns; rows with neither value are left out."""
    key = SERIES["who"][0]
    path = (raw_dir or paths.RAW) / _manifest.get(key).file
    _require(path, key)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw["line"] = range(2, len(raw) + 2)
    table = pd.DataFrame({
        "date": pd.to_datetime(_column(raw, "Date", path), format="%m/%d/%Y").dt.strftime("%Y-%m-%d"),
        "cases_raw": _integers(_column(raw, "Cases_SierraLeone", path), path, "Cases_SierraLeone"),
        "deaths_raw": _integers(_column(raw, "Deaths_SierraLeone", path), path, "Deaths_SierraLeone"),
        "line": raw["line"],
    })
    return table[table["cases_raw"].notna() | table["deaths_raw"].notna()]


def clean_cumulative(values) -> pd.Series:
    """The fix each value of a date-ordered cumulative series gets ("" = kept); NaN values get "".

    Rules 2 and 3 of the module docstring (duplicates are handled before):

    >>> clean_cumulative(pd.Series([0, 6, 0, 1, 5, 6, 3, 4, 9])).tolist()
    ['', 'isolated spike', '', '', 'superseded', 'superseded', '', '', '']
    >>> clean_cumulative(pd.Series([10, 11, 9, 12])).tolist()
    ['', '', 'isolated dip', '']
    >>> clean_cumulative(pd.Series([10, 13, 12, 14])).tolist()  # the first of the pair out of line
    ['', 'isolated spike', '', '']
    """
    values = pd.Series(values).reset_index(drop=True)
    fixes = pd.Series("", index=values.index, dtype=object)
    present = values.dropna()
    idx = list(present.index)
    before = present[idx[0]] if idx else None  # the last value kept so far
    for pos in range(1, len(idx) - 1):
        here, after = present[idx[pos]], present[idx[pos + 1]]
        if before <= after < here:
            fixes[idx[pos]] = "isolated spike"
        elif here < before <= after:
            fixes[idx[pos]] = "isolated dip"
        else:
            before = here
    kept = present[fixes[present.index] == ""]
    later_min = kept[::-1].cummin()[::-1].shift(-1)
    superseded = kept.index[(kept > later_min).to_numpy()]
    fixes[superseded] = "superseded"
    return fixes


def clean_series(raw, name) -> pd.DataFrame:
    """A raw series (``read_cdc``/``read_who``) cleaned: every raw row, date-ordered, with
    ``cases``/``deaths`` (NaN where dropped) and ``fix_cases``/``fix_deaths`` naming the fix."""
    table = raw.copy()
    table.insert(0, "series", name)
    table = table.sort_values(["date", "line"]).reset_index(drop=True)
    table["fix_cases"] = ""
    table["fix_deaths"] = ""
    order = table.sort_values(["date", "cases_raw", "deaths_raw", "line"],
                              ascending=[True, False, False, True], na_position="last")
    dup = order.index[order.duplicated("date", keep="first")]
    table.loc[dup, ["fix_cases", "fix_deaths"]] = "duplicate date"
    for column in ("cases", "deaths"):
        fix = f"fix_{column}"
        keep = table[fix] == ""
        table.loc[keep, fix] = clean_cumulative(table.loc[keep, f"{column}_raw"]).to_numpy()
        table[column] = table[f"{column}_raw"].where(table[fix] == "")
        kept = table[column].dropna()
        if not kept.is_monotonic_increasing:  # the rules guarantee this; a failure is a bug
            raise AssertionError(f"{name} {column}: cleaned series still decreases")
    return table[["series", "date", "cases", "deaths", "cases_raw", "deaths_raw", "fix_cases",
                  "fix_deaths", "line"]]


def build_series(raw_dir=None) -> pd.DataFrame:
    """Both series, cleaned and stacked: the processed ``ebola_sierra_leone.csv``."""
    return pd.concat([clean_series(read_cdc(raw_dir), "cdc"), clean_series(read_who(raw_dir), "who")],
                     ignore_index=True)


def read_gho(key, raw_dir=None) -> pd.DataFrame:
    """One WHO GHO snapshot file's Sierra Leone rows: key, as_of, case_definition, cases, deaths, line."""
    path = (raw_dir or paths.RAW) / _manifest.get(key).file
    _require(path, key)
    raw = pd.read_csv(path, dtype=str, header=None, skiprows=2, keep_default_na=False)
    if raw.shape[1] != 6:
        raise DataSchemaError(f"{path}: expected 6 columns (Country, Data as of, Case definition, "
                              f"cumulative cases, cases in past 21 days, cumulative deaths); found {raw.shape[1]}")
    raw["line"] = range(3, len(raw) + 3)
    sl = raw[raw[0].str.strip() == "Sierra Leone"]
    numeric = lambda s: pd.to_numeric(s.str.replace(r"\s", "", regex=True), errors="coerce")  # noqa: E731
    return pd.DataFrame({
        "key": key,
        "as_of": pd.to_datetime(sl[1].str.strip(), format="%d %B %Y").dt.strftime("%Y-%m-%d"),
        "episode": "",
        "case_definition": sl[2].str.strip(),
        "cases": numeric(sl[3]),
        "deaths": numeric(sl[5]),
        "line": sl["line"],
    })


def build_gho(raw_dir=None) -> pd.DataFrame:
    """The Sierra Leone rows of both GHO snapshots: the processed ``ebola_sierra_leone_who_gho.csv``.

    ``episode`` is ``main outbreak`` for the 7 Nov 2015 figures and ``flare-up`` for the later ones
    (the GHO reports the 2016 flare-up as its own count, not added to the main total).
    """
    table = pd.concat([read_gho(k, raw_dir) for k in GHO_KEYS], ignore_index=True)
    main = table["cases"].where(table["case_definition"] == "Total").max()
    main_date = table.loc[table["cases"] == main, "as_of"].iloc[0]
    table["episode"] = ["main outbreak" if d == main_date else "flare-up" for d in table["as_of"]]
    return table


@lru_cache(maxsize=None)
def load_series() -> pd.DataFrame:
    """The processed cleaned series (both sources) from ``data/processed``."""
    table = tables.read_processed(SERIES_FILE, dtype={"date": str})
    table[["fix_cases", "fix_deaths"]] = table[["fix_cases", "fix_deaths"]].fillna("")
    return table


@lru_cache(maxsize=None)
def load_gho() -> pd.DataFrame:
    """The processed GHO snapshot rows from ``data/processed``."""
    return tables.read_processed(GHO_FILE)


def series(name) -> pd.DataFrame:
    """One cleaned series (``cdc`` or ``who``); an unknown name is an error listing the choices."""
    if name not in SERIES:
        raise ValueError(f"unknown Ebola series {name!r}; choose one of {list(SERIES)}")
    table = load_series()
    return table[table["series"] == name].reset_index(drop=True)


def fix_counts(table=None) -> pd.DataFrame:
    """How many values each rule changed, per series and column (rows: series × fix).

    >>> counts = fix_counts()
    >>> int(counts.loc[("cdc", "duplicate date"), "cases"])
    3
    """
    table = load_series() if table is None else table
    rows = []
    for name in SERIES:
        part = table[table["series"] == name]
        for fix in FIXES:
            rows.append({"series": name, "fix": fix, "cases": int((part["fix_cases"] == fix).sum()),
                         "deaths": int((part["fix_deaths"] == fix).sum())})
        rows.append({"series": name, "fix": "kept", "cases": int(part["cases"].notna().sum()),
                     "deaths": int(part["deaths"].notna().sum())})
    return pd.DataFrame(rows).set_index(["series", "fix"])


def first_case_in_series(name):
    """(date, line) of the first report with at least one case in a cleaned series.

    >>> first_case_in_series("cdc")
    ('2014-05-27', 251)
    """
    table = series(name)
    hit = table[table["cases"] > 0].iloc[0]
    return hit["date"], int(hit["line"])


def _fact(metric):
    return facts.lookup("facts_events", claim_id="d", entity="Sierra Leone", metric=metric)


def _fact_date(fact) -> str:
    """The ISO date a dating fact row gives: its value if ISO, else the date printed in it.

    >>> _fact_date(_fact("first_case_diagnosis_date_CONFLICT"))
    '2014-03-25'
    """
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", fact.value):
        return fact.value
    printed = re.sub(r"\(.*?\)", "", fact.value).strip()
    try:
        return pd.to_datetime(printed, format="%d %B %Y").strftime("%Y-%m-%d")
    except ValueError:
        raise DatasetError(f"{fact.ref}: value {fact.value!r} is not a date") from None


def outbreak_start(definition, series_name="cdc"):
    """(ISO date, Source) of the outbreak's start under a definition in :data:`START_DEFINITIONS`."""
    if definition == "series_first_case":
        date, line = first_case_in_series(series_name)
        key, label = SERIES[series_name]
        return date, _manifest.get(key).source(line, label=label)
    if definition not in START_FACTS:
        raise ValueError(f"unknown start definition {definition!r}; choose one of {list(START_DEFINITIONS)}")
    fact = _fact(START_FACTS[definition])
    return _fact_date(fact), fact.source()


def outbreak_end(definition):
    """(ISO date, Source) of the outbreak's end under a definition in :data:`END_DEFINITIONS`."""
    if definition not in END_FACTS:
        raise ValueError(f"unknown end definition {definition!r}; choose one of {list(END_DEFINITIONS)}")
    fact = _fact(END_FACTS[definition])
    return _fact_date(fact), fact.source()


def dating_table(series_name="cdc") -> pd.DataFrame:
    """Every start and end definition with its date, year and reference (the conflicts, side by side)."""
    rows = []
    for kind, definitions, get in (("start", START_DEFINITIONS, lambda d: outbreak_start(d, series_name)),
                                   ("end", END_DEFINITIONS, outbreak_end)):
        for definition in definitions:
            date, source = get(definition)
            rows.append({"end": kind, "definition": definition, "date": date, "year": int(date[:4]),
                         "source": source.label, "ref": source.ref})
    return pd.DataFrame(rows)


def final_totals() -> pd.DataFrame:
    """Final cumulative totals by source: each cleaned series' last point and the GHO snapshots."""
    rows = []
    for name in SERIES:
        last = series(name).dropna(subset=["cases"]).iloc[-1]
        rows.append({"source": SERIES[name][1], "as_of": last["date"], "definition": "total (series)",
                     "cases": last["cases"], "deaths": last["deaths"]})
    gho = load_gho()
    for _, r in gho[gho["case_definition"].isin(["Total", "Confirmed"])].iterrows():
        rows.append({"source": f"WHO GHO snapshot ({r['episode']})", "as_of": r["as_of"],
                     "definition": r["case_definition"].lower(), "cases": r["cases"], "deaths": r["deaths"]})
    return pd.DataFrame(rows).drop_duplicates().reset_index(drop=True)


def dropped_points(name) -> pd.DataFrame:
    """The raw values cleaning dropped from a series: date, column (cases/deaths), value, fix, line."""
    table = series(name)
    parts = []
    for column in ("cases", "deaths"):
        hit = table[table[f"fix_{column}"] != ""]
        parts.append(pd.DataFrame({"date": hit["date"], "column": column, "value": hit[f"{column}_raw"],
                                   "fix": hit[f"fix_{column}"], "line": hit["line"]}))
    return pd.concat(parts, ignore_index=True).sort_values(["date", "column"]).reset_index(drop=True)
