"""Dated events: a toll from its reporting series as of a date of figure.

The Tōhoku series is the National Police Agency's confirmed deaths by reporting date
(cited rows in ``facts_events``; :func:`analysis.data.events.quake_toll_table`).

>>> event_toll("tohoku_2011", "2018-03-01").value
15895
"""
from functools import lru_cache

from analysis.data import events, facts
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
    fact = facts.by_id("/".join((events.FACTS, "Japan", row["metric"], row["period"])))
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


# --------------------------------------------------------------------------- outbreak dates

from analysis.data import ebola  # noqa: E402  (the outbreak definitions; kept beside the measure that uses them)

#: Outbreaks: name → (what it is, its module of dating definitions: START_DEFINITIONS, END_DEFINITIONS,
#: DEFINITION_NAMES (each in words), outbreak_start(definition, series), outbreak_end(definition), SERIES).
OUTBREAKS = {"ebola_sierra_leone": ("Ebola outbreak in Sierra Leone", ebola)}


@lru_cache(maxsize=None)
def _outbreak_dates(outbreak, series):
    """Every start and end definition's (date, Source) for one outbreak and series, read once."""
    module = OUTBREAKS[outbreak][1]
    return ({d: module.outbreak_start(d, series) for d in module.START_DEFINITIONS},
            {d: module.outbreak_end(d) for d in module.END_DEFINITIONS})


@register("event.outbreak_range", "range")
def outbreak_range(outbreak: str, start: str, end: str, series: str = "cdc") -> Measurement:
    """An outbreak's first and last dates (``first/last``) under the ``start`` and ``end`` definitions,
    ``series`` being the case series a series-based definition reads.

    Every other definition's date is in ``details``; one that gives another year at either end
    is a caveat (the range's years depend on that choice).

    >>> outbreak_range("ebola_sierra_leone", "who_first_confirmed", "flare_up_end").value
    '2014-05-26/2016-03-17'
    """
    if outbreak not in OUTBREAKS:
        raise LookupError(f"unknown outbreak {outbreak!r}; known: {', '.join(OUTBREAKS)}")
    label, module = OUTBREAKS[outbreak]
    if series not in module.SERIES:
        raise LookupError(f"unknown series {series!r}; known: {', '.join(module.SERIES)}")
    starts, ends = _outbreak_dates(outbreak, series)
    for name, chosen, known in (("start", start, starts), ("end", end, ends)):
        if chosen not in known:
            raise LookupError(f"unknown {name} definition {chosen!r}; known: {', '.join(known)}")
    (first, first_source), (last, last_source) = starts[start], ends[end]
    words = getattr(module, "DEFINITION_NAMES", {})  # a definition without a name is shown as its parameter value
    other_years = [f"{words.get(d, d)} as the {name} ({date})"
                   for name, chosen, known, year in (("start", start, starts, first[:4]), ("end", end, ends, last[:4]))
                   for d, (date, _) in known.items() if d != chosen and date[:4] != year]
    caveats = (f"another definition gives another year: {', '.join(other_years)}",) if other_years else ()
    return Measurement(
        f"{first}/{last}", "date", "range",
        f"{label}: first date {first} ({words.get(start, start)}), last date {last} ({words.get(end, end)}).",
        vintage=f"cited rows; {module.SERIES[series][1]}", sources=(first_source, last_source), caveats=caveats,
        details={"start_dates": {d: date for d, (date, _) in starts.items()},
                 "end_dates": {d: date for d, (date, _) in ends.items()}})
