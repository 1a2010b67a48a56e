"""Derived measures: a share of two measurements, and years elapsed since a dated one.

Their arguments are measurements (nested specs in the ledger), so any two values the
other measures give can be combined; a derived value rests on the claimant's own
figures if either input does.

>>> from analysis.measures import Measurement
>>> share(Measurement(3e9, "users", "number", "", ""), Measurement(7594270356, "persons", "number", "", "")).value
39.5
>>> years_since(Measurement(1987.0, "year", "number", "", ""), 2019).value
32
>>> change(Measurement(131659.0, "CNY million", "number", "", ""), Measurement(101509.0, "CNY million", "number", "", "")).value
30150
"""
from analysis.measures import Measurement, register


def _unavailable(*inputs):
    return next((m for m in inputs if m.kind == "unavailable"), None)


@register("derived.share", "number")
def share(part: Measurement, whole: Measurement, digits: int = 2) -> Measurement:
    """``part`` as a percentage of ``whole``, rounded to ``digits`` decimals."""
    missing = _unavailable(part, whole)
    if missing:
        return missing
    value = round(part.value / whole.value * 100, digits)
    return Measurement(
        value, "percent", "number",
        f"{part.value:,.0f} / {whole.value:,.0f} = {value:.{digits}f}%. {whole.description}",
        vintage=whole.vintage, sources=tuple(part.sources) + tuple(whole.sources),
        self_reported=part.self_reported or whole.self_reported,
        details={"basis": whole.details.get("basis", "")}, caveats=tuple(part.caveats) + tuple(whole.caveats))


@register("derived.change", "number")
def change(later: Measurement, earlier: Measurement) -> Measurement:
    """``later`` minus ``earlier`` (the same quantity in the same unit): above 0 is an increase."""
    missing = _unavailable(later, earlier)
    if missing:
        return missing
    if later.unit != earlier.unit:
        raise ValueError(f"cannot compare {later.unit!r} with {earlier.unit!r}: give both in the same unit")
    value = _whole(later.value - earlier.value)
    return Measurement(
        value, later.unit, "number",
        f"{later.value:,.0f} against {earlier.value:,.0f} the year before: a change of {value:+,.0f} {later.unit}.",
        vintage=f"{earlier.vintage}; {later.vintage}", sources=tuple(earlier.sources) + tuple(later.sources),
        self_reported=later.self_reported or earlier.self_reported,
        caveats=tuple(later.caveats) + tuple(earlier.caveats))


def _whole(x):
    return int(x) if float(x).is_integer() else x


@register("derived.years_since", "number")
def years_since(start: Measurement, as_of: int) -> Measurement:
    """Whole years from the year ``start`` gives (a year, or a date) to ``as_of``."""
    missing = _unavailable(start)
    if missing:
        return missing
    first = int(str(start.value)[:4]) if isinstance(start.value, str) else int(start.value)
    years = int(as_of) - first
    return Measurement(years, "years", "number", f"From {first} to {as_of} is {years} years. {start.description}",
                       vintage=start.vintage, sources=tuple(start.sources), self_reported=start.self_reported)
