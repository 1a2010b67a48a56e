"""Measures of a company's footprint: a figure from its annual report of a given year, and how many
countries there are under a definition.

A company figure written "170+" or with a unit "(more than)"/"(over)" is a strict lower bound
(:func:`analysis.data.footprint.reported_bound`): the measurement says so in ``details["strict"]``, so
the judge applies its ``lower_bound`` policy.  A figure that is no number and no lower bound (a share
in words, "nearly …") cannot be compared with a count: the measurement is "unavailable".

>>> m = annual_report_figure("facts_population", "Huawei", "people_served", 2018)
>>> m.value, m.details["strict"], m.self_reported
(3000000000.0, True, True)
>>> country_count("un_members").value
193
"""
import re
from functools import lru_cache

from analysis.data import facts, footprint
from analysis.measures import Measurement, register

#: A fact row's period naming the annual report of a year: "2018" or "2018 (annual report)".
_REPORT_PERIOD = re.compile(r"^(\d{4})(?: \(annual report\))?$")


@lru_cache(maxsize=None)
def _reports(table, entity, metric) -> dict:
    """{report year: [Fact, ...]} for the rows of fact ``table`` giving ``entity``'s ``metric``
    in an annual report (period "2018" or "2018 (annual report)")."""
    frame = facts.load_facts(table)
    rows = frame[(frame["entity"] == entity) & (frame["metric"] == metric)]
    found = {}
    for _, row in rows.iterrows():
        year = _REPORT_PERIOD.match(row["period"])
        if year:
            found.setdefault(int(year.group(1)), []).append(facts.Fact(
                table=table, line=int(row["line"]), entity=row["entity"], metric=row["metric"],
                period=row["period"], value=row["value"], unit=row["unit"], source_title=row["source_title"],
                source_url=row["source_url"], quote=row["quote"]))
    return found


@lru_cache(maxsize=None)
def _denominator(definition) -> dict:
    return footprint.country_denominator(definition)


@register("annual_report.figure", "number")
def annual_report_figure(table: str, entity: str, metric: str, report_year: int, claimant: str = "") -> Measurement:
    """``entity``'s own ``metric`` in its annual report of ``report_year`` (a cited row of the fact
    ``table`` whose period is that year).  A lower bound ("170+", "more than") sets
    ``details["strict"]``; no row, or a value that is no number, is "unavailable".
    Flagged self-reported when the row is the ``claimant``'s (default: ``entity``) own source.
    """
    reports = _reports(table, entity, metric)
    label = f"{entity} annual report {report_year}"
    found = reports.get(int(report_year), [])
    if len(found) > 1:
        raise LookupError(f"{table} has {len(found)} '{metric}' rows of {entity} for {report_year}: "
                          + ", ".join(f.ref for f in found))
    if not found:
        held = ", ".join(map(str, sorted(reports))) or "none"
        return Measurement(None, "", "unavailable", "", vintage=label, missing=(
            f"No {entity} '{metric}' figure from the {report_year} annual report is in the data "
            f"({table} has the annual reports of: {held})."))
    fact = found[0]
    said = f"{fact.source_title}: {fact.value} {fact.unit} (\u201c{fact.quote}\u201d)."
    own = facts.is_own_source(fact, claimant or entity)
    try:
        number, strict = footprint.reported_bound(fact.value, fact.unit)
    except ValueError as exc:
        return Measurement(fact.value, fact.unit, "unavailable", said, vintage=label, sources=(fact.source(),),
                           self_reported=own, missing=f"That is no count to compare ({exc}).")
    return Measurement(number, fact.unit, "number", said, vintage=label, sources=(fact.source(),),
                       self_reported=own,
                       details={"strict": True, **_as_published(fact.value)} if strict else {})


@register("countries.count", "number")
def country_count(definition: str) -> Measurement:
    """How many countries there are under ``definition``: ``un_members`` (the cited number of UN
    member states) or ``iso3166`` (ISO 3166-1 entries in the installed pycountry, checked against
    a cited count of the same release).  The unit names what is counted."""
    d = _denominator(definition)
    return Measurement(d["count"], d["label"], "number", f"There are {d['count']} {d['label']} ({d['note']}).",
                       vintage=d["note"], sources=(d["source"],), details={"definition": definition})


def _as_published(value: str) -> dict:
    """``{"reported": value}`` when the published figure is not a plain number ("170+"), so the
    judge shows it as published; ``{}`` otherwise.

    >>> _as_published("170+"), _as_published("3000000000")
    ({'reported': '170+'}, {})
    """
    plain = value.replace(",", "").strip()
    return {} if plain.replace(".", "", 1).isdigit() else {"reported": value}
