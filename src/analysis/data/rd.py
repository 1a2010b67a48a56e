"""R&D spending: the EU Industrial R&D Investment Scoreboard and currency conversion.

Two questions the op-ed raises:

- *Rank*: was a company among the top N R&D investors of a Scoreboard edition?
  Ranks are recomputed from the R&D column (largest first, ties share the
  better rank) and checked against the published ``World rank``.
- *Amount*: a company's R&D expense (cited annual-report row, CNY) in US dollars
  at a chosen exchange-rate source and year.

Scoreboard editions rank the previous fiscal year: the 2019 edition holds R&D
for fiscal 2018 (``FISCAL_YEAR``).  Each edition converts to EUR at its own
rates, so EUR values are not a time series across editions.

>>> board = load_scoreboard()
>>> int(company_row(board, 2019, "Huawei")["rank"])
5
"""
import re
from functools import lru_cache

import pandas as pd

from analysis import paths
from analysis.data import facts, tables
from analysis.data import manifest as _manifest
from analysis.errors import DataSchemaError, DatasetError

EDITIONS = (2017, 2018, 2019, 2020)
#: Fiscal year of the R&D figures in each Scoreboard edition (PROVENANCE: 2019 edition → 2018/19).
FISCAL_YEAR = {2017: "2016/17", 2018: "2017/18", 2019: "2018/19", 2020: "2019"}
#: Exchange-rate sources: name → what it is.
FX_SOURCES = {
    "fed_g5a": "Federal Reserve G.5A annual averages (cited fact rows)",
    "fred_datahub": "FRED annual series as packaged by datahub.io (pinned raw file)",
}
SCOREBOARD_FILE = "rd_scoreboard.csv"
FX_FILE = "fx_annual.csv"

# Raw column → processed column; patterns because headers differ by edition.
_COLUMNS = {
    "world_rank": r"World rank",
    "company": r"Company",
    "country": r"Country",
    "industry": r"Industry",
    "rd_eur_m": r"R&D 20\d\d(/\d\d)? \(€(million|mn)\)",
    "net_sales_eur_m": r"Net sales \(€(million|mn)\)",
}


def _find_column(columns, pattern, source):
    found = [c for c in columns if re.fullmatch(pattern, c.strip())]
    if len(found) != 1:
        raise DataSchemaError(f"{source}: expected one column matching {pattern!r}, found "
                              f"{found or 'none'}; columns are {list(columns)}")
    return found[0]


def read_scoreboard_edition(edition, raw_dir=None) -> pd.DataFrame:
    """One raw Scoreboard edition as a tidy table (companies only, totals and blank rows dropped).

    Columns: edition, world_rank, rank, company, country, industry, rd_eur_m,
    net_sales_eur_m, line (line of the raw CSV file).
    """
    entry = _manifest.get(f"scoreboard_{edition}")
    path = (raw_dir or paths.RAW) / entry.file
    if not path.is_file():
        raise DatasetError(f"{path} is missing: run `python -m analysis fetch {entry.key}`")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    raw["line"] = range(2, len(raw) + 2)
    picked = {name: _find_column(raw.columns, pat, path) for name, pat in _COLUMNS.items()}
    table = raw[list(picked.values()) + ["line"]].rename(columns={v: k for k, v in picked.items()})
    table = table[table["company"].str.strip() != ""]
    rank = pd.to_numeric(table["world_rank"], errors="coerce")
    table = table[rank.notna()].copy()  # the 2017 file ends with a text "totals" row
    table["world_rank"] = rank[rank.notna()].astype(int)
    for col in ("rd_eur_m", "net_sales_eur_m"):
        table[col] = pd.to_numeric(table[col].str.strip().replace("", None), errors="coerce")
    table["company"] = table["company"].str.strip()
    table.insert(0, "edition", edition)
    table["rank"] = table["rd_eur_m"].rank(ascending=False, method="min").astype(int)
    cols = ["edition", "world_rank", "rank", "company", "country", "industry", "rd_eur_m",
            "net_sales_eur_m", "line"]
    return table[cols].sort_values(["rank", "company"]).reset_index(drop=True)


def build_scoreboard(raw_dir=None) -> pd.DataFrame:
    """All editions stacked: the processed ``rd_scoreboard.csv``."""
    return pd.concat([read_scoreboard_edition(e, raw_dir) for e in EDITIONS], ignore_index=True)


def build_fx(raw_dir=None) -> pd.DataFrame:
    """Annual exchange rates, as currency units per US dollar, from both sources.

    Columns: source, year, currency, per_usd, published_as, ref, url.  The Fed
    G.5A rows come from cited fact rows; the FRED/datahub rows from the pinned
    raw file (whose Euro rows are EUR per USD, despite its README).
    """
    rows = []
    table = facts.load_facts("facts_rd_spending")
    g5a = table[(table["claim_id"] == "fx") & table["metric"].str.contains("Fed G.5A")]
    for _, r in g5a.iterrows():
        value = float(r["value"])
        currency, per_usd = ("CNY", value) if r["unit"] == "CNY per USD" else ("EUR", 1 / value)
        rows.append(("fed_g5a", int(r["period"]), currency, per_usd, f"{r['value']} {r['unit']}",
                     f"data/raw/rd_spending/facts.csv#L{r['line']}", r["source_url"]))
    entry = _manifest.get("fx_annual_fred")
    path = (raw_dir or paths.RAW) / entry.file
    raw = tables.validate(pd.read_csv(path, dtype=str), "raw:fx_annual_fred", path)
    raw["line"] = range(2, len(raw) + 2)
    for name, currency in (("China", "CNY"), ("Euro", "EUR")):
        for _, r in raw[raw["Country"] == name].iterrows():
            rows.append(("fred_datahub", int(r["Date"][:4]), currency, float(r["Exchange rate"]),
                         f"{r['Exchange rate']} {currency} per USD",
                         f"data/raw/{entry.file}#L{r['line']}", entry.url))
    fx = pd.DataFrame(rows, columns=["source", "year", "currency", "per_usd", "published_as", "ref", "url"])
    return fx.sort_values(["source", "currency", "year"]).reset_index(drop=True)


@lru_cache(maxsize=None)
def load_scoreboard() -> pd.DataFrame:
    """The processed Scoreboard table (all editions) from ``data/processed``, validated."""
    return tables.read_processed(SCOREBOARD_FILE)


@lru_cache(maxsize=None)
def load_fx() -> pd.DataFrame:
    """The processed exchange-rate table from ``data/processed``, validated."""
    return tables.read_processed(FX_FILE)


@lru_cache(maxsize=None)
def _normal(name) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", str(name).upper()).strip()


def match_company(names, entity) -> str:
    """The one name in ``names`` that means ``entity``.

    Rule (case and punctuation ignored): an exact match wins; otherwise the
    names that start with the entity as a whole word; more than one is an error
    that lists them (then give the full name).

    >>> match_company(["HUAWEI INVESTEMENT & HOLDING CO", "HUAYU"], "Huawei")
    'HUAWEI INVESTEMENT & HOLDING CO'
    """
    target = _normal(entity)
    names = list(names)
    exact = [n for n in names if _normal(n) == target]
    if exact:
        return exact[0]
    starts = [n for n in names if _normal(n).startswith(target + " ")]
    if len(starts) == 1:
        return starts[0]
    if not starts:
        raise LookupError(f"no company matches {entity!r}")
    raise LookupError(f"{entity!r} is ambiguous: it matches {', '.join(sorted(starts))}; "
                      f"give the full name")


def company_row(board, edition, entity) -> pd.Series:
    """The Scoreboard row of ``entity`` in ``edition``."""
    _check_edition(edition)
    table = board[board["edition"] == edition]
    try:
        name = match_company(table["company"], entity)
    except LookupError as exc:
        raise LookupError(f"Scoreboard {edition} edition: {exc}") from None
    return table[table["company"] == name].iloc[0]


def top_spenders(board, edition, n) -> pd.DataFrame:
    """The ``n`` largest R&D investors of an edition (more if ties straddle the cut)."""
    _check_edition(edition)
    table = board[board["edition"] == edition]
    return table[table["rank"] <= n].sort_values(["rank", "company"]).reset_index(drop=True)


def ranks_across_editions(board, entity) -> pd.DataFrame:
    """The entity's rank and R&D in every edition: edition, fiscal_year, company, rank, rd_eur_m."""
    rows = []
    for edition in EDITIONS:
        row = company_row(board, edition, entity)
        rows.append({"edition": edition, "fiscal_year": FISCAL_YEAR[edition], "company": row["company"],
                     "rank": int(row["rank"]), "world_rank": int(row["world_rank"]),
                     "rd_eur_m": float(row["rd_eur_m"])})
    return pd.DataFrame(rows)


def editions_holding(year) -> list:
    """The Scoreboard editions whose R&D figures are for fiscal ``year`` (2018 → [2019]).

    >>> editions_holding(2019), editions_holding(2015)
    ([2020], [])
    """
    return [e for e, fy in FISCAL_YEAR.items() if fy.startswith(str(year))]


def _check_edition(edition):
    if edition not in EDITIONS:
        raise ValueError(f"edition {edition!r} is not in the data; choose one of {EDITIONS}")


def fx_rate(source, year, currency="CNY") -> pd.Series:
    """One annual rate (``per_usd`` units of ``currency`` per US dollar) with its reference."""
    if source not in FX_SOURCES:
        raise ValueError(f"unknown exchange-rate source {source!r}; choose one of {list(FX_SOURCES)}")
    fx = load_fx()
    rows = fx[(fx["source"] == source) & (fx["year"] == year) & (fx["currency"] == currency)]
    if len(rows) != 1:
        raise LookupError(f"no {currency} rate for {year} in {source}; years available: "
                          f"{sorted(fx[(fx['source'] == source) & (fx['currency'] == currency)]['year'])}")
    return rows.iloc[0]


def rd_expense_cny(entity, year):
    """The cited annual-report R&D expense (CNY million) of ``entity`` in ``year``."""
    return facts.lookup("facts_rd_spending", claim_id="b", entity=entity,
                        metric="Research and development expenses", period=str(year))


def spending_table(entity, year, board=None) -> pd.DataFrame:
    """The entity's R&D in ``year`` under every source and rate: the figures behind the verdict.

    One row per route: the annual report (CNY) at each exchange-rate source, and
    the Scoreboard edition holding that fiscal year (EUR) at each source.
    """
    board = load_scoreboard() if board is None else board
    rows = []
    fact = rd_expense_cny(entity, year)
    for source in FX_SOURCES:
        rate = fx_rate(source, year, "CNY")
        rows.append({"route": "annual report (CNY)", "fx_source": source, "local": fact.number(),
                     "currency": "CNY", "per_usd": rate["per_usd"],
                     "usd_bn": fact.number() / rate["per_usd"] / 1000})
    for edition in editions_holding(year):
        eur = float(company_row(board, edition, entity)["rd_eur_m"])
        for source in FX_SOURCES:
            rate = fx_rate(source, year, "EUR")
            rows.append({"route": f"Scoreboard {edition} (EUR)", "fx_source": source, "local": eur,
                         "currency": "EUR", "per_usd": rate["per_usd"],
                         "usd_bn": eur / rate["per_usd"] / 1000})
    return pd.DataFrame(rows)


def other_rankings(entity="Huawei") -> pd.DataFrame:
    """Cited figures from rankings other than the Scoreboard (context: they rank differently)."""
    table = facts.load_facts("facts_rd_spending")
    keep = table[(table["claim_id"] == "a") & table["metric"].str.contains("Bloomberg|Strategy&|EY ranking")
                 & (table["entity"] == entity)]
    return keep[["entity", "metric", "period", "value", "unit", "source_url", "line"]].reset_index(drop=True)
