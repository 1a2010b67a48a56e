"""Footprint and users: "170+ countries", "30 years", "3 billion users – close to 40% of the planet".

What the data can and cannot say:

- *Countries.*  The only count is Huawei's own ("more than 170 countries **and regions**",
  annual reports 2017–2020).  Independent data give only denominators: UN member states
  (a cited fact row) and ISO 3166-1 entries (``pycountry``, checked against a cited fact row);
  :mod:`analysis.measures.countries` measures both, and the judge checks the claim against them.
- *Years.*  Years since the founding year (company report) to the op-ed's year; for "three
  decades" of *products* that is only an upper bound (no date of a first product in the data).
- *Users.*  The 3 billion is self-reported; "users" is undefined.  The share is
  3 billion / world population, under a chosen population source, vintage and year.

A company figure written "more than X" (or "X+") is a *strict lower bound*:
:func:`reported_bound` reads it (the judge's ``lower_bound`` policy then says what it implies).

>>> reported_bound("170+", "countries and regions")
(170.0, True)
"""
import re

import pandas as pd
import pycountry

from analysis.data import facts, population
from analysis.errors import DatasetError

#: Definitions of "country" for the denominator: name → description.
COUNTRY_DEFINITIONS = {
    "un_members": "UN member states",
    "iso3166": "ISO 3166-1 entries (countries and territories, as shipped by pycountry)",
}


# --- countries -------------------------------------------------------------------------------

def un_member_fact() -> facts.Fact:
    """The cited number of UN member states (193 since South Sudan joined in 2011)."""
    return facts.lookup("facts_population", entity="UN", metric="member_states")


def iso3166_fact() -> facts.Fact:
    """The cited number of ISO 3166-1 entries counted in one pycountry release."""
    return facts.lookup("facts_population", entity="ISO 3166-1", metric="entries_in_pycountry")


def iso3166_count() -> int:
    """ISO 3166-1 entries in the installed ``pycountry``, checked against the cited count when the
    installed release is the one the fact row counted (an error says if they differ).

    >>> iso3166_count()
    249
    """
    count = len(pycountry.countries)
    fact = iso3166_fact()
    counted_in = fact.period.removeprefix("pycountry ").strip()
    if _pycountry_version() == counted_in and count != fact.number():
        raise DatasetError(f"pycountry {counted_in} has {count} ISO 3166-1 entries but {fact.ref} "
                           f"says {fact.value}")
    return count


def _pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def country_denominator(definition) -> dict:
    """How many "countries" there are under ``definition``: count, label, source, note.

    >>> country_denominator("un_members")["count"]
    193
    """
    if definition == "un_members":
        fact = un_member_fact()
        return {"definition": definition, "label": COUNTRY_DEFINITIONS[definition], "count": int(fact.number()),
                "source": fact.source(), "note": f"{fact.value} since {fact.period.removeprefix('since ')}"}
    if definition == "iso3166":
        fact = iso3166_fact()
        return {"definition": definition, "label": COUNTRY_DEFINITIONS[definition], "count": iso3166_count(),
                "source": fact.source(),
                "note": f"pycountry {_pycountry_version()} (cited count: {fact.value} in {fact.period})"}
    raise ValueError(f"unknown country definition {definition!r}; choose one of {list(COUNTRY_DEFINITIONS)}")


def denominators_table() -> pd.DataFrame:
    """Every independent count of countries: definition, label, count, note, ref."""
    rows = []
    for name in COUNTRY_DEFINITIONS:
        d = country_denominator(name)
        rows.append({"definition": name, "what": d["label"], "count": d["count"], "note": d["note"],
                     "ref": d["source"].ref})
    return pd.DataFrame(rows)


def reported_bound(value, unit="") -> tuple:
    """(number, strict) for a company figure: "170+" or a unit "(more than)"/"(over)" is a strict
    lower bound; a plain number is exact (strict False).  A figure that is no lower bound
    ("nearly …", a share in words) raises ValueError.

    >>> reported_bound("3000000000", "people (more than)")
    (3000000000.0, True)
    >>> reported_bound("3000000000", "people (nearly)")
    Traceback (most recent call last):
    ...
    ValueError: '3000000000 people (nearly)' is not a lower bound
    """
    text = str(value).strip()
    strict = text.endswith("+") or bool(re.search(r"\((more than|over)\)", unit))
    if re.search(r"\((nearly|close to|almost|approx)", unit):
        raise ValueError(f"'{text} {unit}' is not a lower bound")
    try:
        return float(text.rstrip("+").replace(",", "")), strict
    except ValueError:
        raise ValueError(f"'{text} {unit}' is not a number") from None


def self_reported_countries() -> pd.DataFrame:
    """Huawei's own "countries and regions" figure in each annual report (cited rows).

    >>> self_reported_countries()["value"].tolist()
    ['170+', '170+', '170+', '170+']
    """
    table = facts.load_facts("facts_rd_spending")
    rows = table[(table["claim_id"] == "e") & (table["metric"] == "Countries and regions of operation")]
    out = rows[["period", "value", "unit", "source_title", "quote", "line"]].copy()
    out["ref"] = [f"data/raw/rd_spending/facts.csv#L{n}" for n in out["line"]]
    return out.drop(columns="line").reset_index(drop=True)


# --- years -----------------------------------------------------------------------------------

def founding_fact() -> facts.Fact:
    """The cited founding year of Huawei (company annual report)."""
    return facts.lookup("facts_rd_spending", claim_id="d", entity="Huawei", metric="Founding year")


def founder_statement() -> facts.Fact:
    """The founder's own round figure for the track record (cited interview row), shown beside the
    founding year.

    >>> founder_statement().value, founder_statement().period
    ('30', 'Jan 2019')
    """
    return facts.lookup("facts_rd_spending", claim_id="d", entity="Huawei",
                        metric="Track record length (founder statement)")


def years_since_founding(as_of) -> int:
    """Whole years from the founding year to ``as_of`` (the op-ed's year).

    >>> years_since_founding(2019)
    32
    """
    return int(as_of) - int(founding_fact().number())


def people_served_table() -> pd.DataFrame:
    """Huawei's own "people served" statements (cited rows): period, value, unit, quote, ref."""
    table = facts.load_facts("facts_population")
    rows = table[(table["entity"] == "Huawei")
                 & table["metric"].isin(["people_served", "people_with_smooth_communication"])]
    out = rows[["period", "value", "unit", "quote", "line"]].copy()
    out["ref"] = [f"data/raw/population/facts.csv#L{n}" for n in out["line"]]
    return out.drop(columns="line").sort_values("period").reset_index(drop=True)


def comparators_table() -> pd.DataFrame:
    """Cited world totals that bound what "users" can mean (GSMA unique mobile subscribers,
    ITU internet users, ITU mobile-broadband subscriptions): metric, period, value, unit, ref."""
    table = facts.load_facts("facts_population")
    rows = table[(table["entity"] == "World") & table["metric"].str.contains("_GSMA|_ITU")
                 & (table["unit"].isin(["people", "subscriptions"]))]
    out = rows[["metric", "period", "value", "unit", "source_title", "line"]].copy()
    out["value"] = out["value"].astype(float)
    out["ref"] = [f"data/raw/population/facts.csv#L{n}" for n in out["line"]]
    return out.drop(columns="line").reset_index(drop=True)


def claimed_users_fact() -> facts.Fact:
    """The op-ed's own "3 billion users" (fact row quoting the article)."""
    return facts.lookup("facts_population", entity="Huawei", metric="claimed_users")


def share_percent(users, world) -> float:
    """``users`` as a percentage of ``world``, to 2 decimals.

    >>> share_percent(3e9, 7594270356)
    39.5
    """
    return round(users / world * 100, 2)


def share_table(users=None) -> pd.DataFrame:
    """The share of ``users`` (default: the op-ed's 3 billion) in every world-population row:
    source, vintage, year, population, basis, share_pct, label."""
    users = claimed_users_fact().number() if users is None else users
    table = population.load_world_population().copy()
    table = table[table["year"].isin([2018, 2019, 2020])]
    table["share_pct"] = [share_percent(users, p) for p in table["population"]]
    table["label"] = [f"{population.label(r)}, {r['year']}" for _, r in table.iterrows()]
    table["order"] = table["source"].map({"world_bank": 0, "un_wpp2022": 1, "un_wpp2019": 2})
    table = table.sort_values(["order", "vintage", "year"])
    return table[["source", "vintage", "year", "population", "basis", "share_pct", "label"]].reset_index(drop=True)
