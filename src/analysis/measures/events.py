"""Dated events: a toll from its reporting series as of a date of figure.

The Tōhoku series is the National Police Agency's confirmed deaths by reporting date
(cited rows in ``facts_events``; :func:`analysis.events.quake_toll_table`).

>>> event_toll("tohoku_2011", "2018-03-01").value
15895
"""
from functools import lru_cache

from analysis import events, facts
from analysis.measures import Measurement, register

#: Toll series: name → (what it counts, the function giving its table of as_of, deaths, ...).
SERIES = {"tohoku_2011": ("National Police Agency confirmed deaths, Great East Japan earthquake",
                          events.quake_toll_table)}


@lru_cache(maxsize=None)
def _table(series):
    return SERIES[series][1]()


@register("event.toll", "number")
def event_toll(series: str, as_of: str) -> Measurement:
    """The toll ``series`` reported as of ``as_of`` (a date of figure in the series)."""
    if series not in SERIES:
        raise LookupError(f"unknown toll series {series!r}; known: {', '.join(SERIES)}")
    table = _table(series)
    rows = table[table["as_of"] == as_of]
    if len(rows) != 1:
        raise LookupError(f"no {series} figure dated {as_of!r}; dates: {[d for d in table['as_of'] if d == d]}")
    row = rows.iloc[0]
    fact = facts.lookup(events.FACTS, claim_id="c", entity="Japan", metric=row["metric"], period=row["period"])
    dated = table[table["as_of"].notna()]
    missing = f" ({row['missing']:,.0f} still missing)" if row["missing"] == row["missing"] else ""
    derived = ("the figure is derived from the next year's report, not quoted",) if row["derived"] else ()
    return Measurement(
        int(row["deaths"]), "deaths", "number",
        f"{SERIES[series][0]}: {int(row['deaths']):,} as of {as_of}{missing}. Every dated figure from "
        f"{dated['as_of'].iloc[0]} to {dated['as_of'].iloc[-1]} lies in {dated['deaths'].min():,.0f}–"
        f"{dated['deaths'].max():,.0f}.",
        vintage=f"figure as of {as_of}", sources=(fact.source(),), caveats=derived,
        details={"derived": bool(row["derived"])})
