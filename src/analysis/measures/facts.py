"""Measures over the cited fact tables: any fact row by its stable id.

A fact id names a row of a committed ``facts.csv`` by what it is, not where it is:
``<table>/<entity>/<metric>/<period>`` (for example
``facts_rd_spending/Huawei/Research and development expenses/2019``).  The four parts
identify every row the ledger cites (:func:`analysis.data.facts.fact_id`).

>>> m = fact_value("facts_rd_spending/Huawei/Founding year/n/a")
>>> m.value, m.self_reported
(1987.0, True)
"""
from analysis.data import facts
from analysis.measures import Measurement, register


def _self_reported(fact: facts.Fact, claimant: str) -> bool:
    return facts.is_own_source(fact, claimant)


@register("fact.value", "number")
def fact_value(fact: str, claimant: str = "Huawei") -> Measurement:
    """The number a cited fact row gives (``fact``: its id).  Flags rows from the claimant's own site.

    A value written as a lower bound ("170+", or a unit "(more than)") is returned as that
    bound with ``details["strict"]`` set, so the judge applies its ``lower_bound`` policy.
    """
    row = facts.by_id(fact)
    details = {}
    value = row.value.strip()
    if value.endswith("+") or "(more than)" in row.unit or "(over)" in row.unit:
        details["strict"] = True
        value = value.rstrip("+")
    number = float(value.replace(",", ""))
    return Measurement(number, row.unit, "number", f"{row.source_title}: {row.value} {row.unit} (\u201c{row.quote}\u201d).",
                       vintage=f"cited row ({row.source_title})", sources=(row.source(),),
                       self_reported=_self_reported(row, claimant), details=details)


@register("fact.date", "date")
def fact_date(fact: str, precision: str = "month", claimant: str = "Huawei") -> Measurement:
    """The date a cited dating row gives (its ``period``), to the ``precision`` of the claim
    ("month": ``YYYY-MM``; "year": ``YYYY``; "day": ``YYYY-MM-DD``)."""
    row = facts.by_id(fact)
    width = {"year": 4, "month": 7, "day": 10}[precision]
    date = facts.iso_date(row)[:width]
    return Measurement(date, "date", "date", f"{row.source_title} dates it {row.period} "
                       f"({row.metric.replace('_', ' ')}).", vintage=f"cited row ({row.source_title})",
                       sources=(row.source(),), self_reported=_self_reported(row, claimant))


@register("fact.none", "any")
def fact_none(missing: str, facts_checked: list = ()) -> Measurement:
    """No public data settle the claim: ``missing`` says what would; ``facts_checked`` lists the
    ids of cited rows that bear on it without settling it (shown as sources)."""
    rows = [facts.by_id(f) for f in facts_checked]
    return Measurement(None, "", "unavailable", "", vintage="cited rows" if rows else "n/a",
                       sources=tuple(r.source() for r in rows), missing=missing)
