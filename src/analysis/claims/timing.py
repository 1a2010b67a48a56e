"""When an article was written, and the one rule for figures "as of writing".

An article's ``article.yaml`` records ``written``: the bracket of dates it was written in (``from``,
``to``), the ``reasoning`` (what in its text and its first known appearance bounds it) and, when the
data hold it, ``first_appearance``: the fact row of its first known appearance.

A claim lists in ``as_of_writing`` the parameters that date the figure it is checked against (a report
year, a cut-off, the date of a reported toll).  The rule, the same for every claim: its own value is the
latest value declared defensible whose date is on or before the bracket's end; a value dated after the
end is marked sensitivity (anachronistic) and shown apart, never as the verdict's evidence.  A year
stands for its last day (2018 → 2018-12-31: the figures at the end of 2018), a month for its last day.

>>> reference_date(2018), reference_date("2023-03"), reference_date("2018-03-01")
('2018-12-31', '2023-03-31', '2018-03-01')
>>> latest_before([("2018-03-01", True), ("2019-03-01", False), ("2016-02-10", True)], "2019-03-21")
'2018-03-01'
"""
import calendar
import re
from dataclasses import dataclass

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Written:
    """The bracket of dates an article was written in, with its reasoning."""

    start: str
    end: str
    reasoning: str
    first_appearance: str = ""  # a fact id (table/entity/metric/period), when the data hold one


def reference_date(value) -> str:
    """The date a parameter value stands for: a year → its last day, ``YYYY-MM`` → the month's last day,
    an ISO date → itself."""
    text = str(value)
    if isinstance(value, int) or re.fullmatch(r"\d{4}", text):
        return f"{int(text)}-12-31"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = map(int, text.split("-"))
        return f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    if _DATE.match(text):
        return text
    raise ValueError(f"{value!r} is not a year, a month (YYYY-MM) or a date (YYYY-MM-DD)")


def latest_before(values, end: str):
    """The rule: of ``values`` (``[(value, defensible)]``), the latest defensible one dated on or before
    ``end`` (None if none is)."""
    fit = [v for v, defensible in values if defensible and reference_date(v) <= end]
    return max(fit, key=reference_date, default=None)


def time_problems(claim, written, where) -> list:
    """What breaks the rule in ``claim`` (see the module docstring), as ledger problems."""
    problems = []
    for name in claim.as_of_writing:
        field = f"{where}, field 'as_of_writing'"
        if written is None:
            return [f"{field}: article.yaml has no 'written' bracket, so nothing can be as of writing"]
        if name not in claim.parameters:
            problems.append(f"{field}: {name!r} is not among the claim's parameters ({', '.join(claim.parameters)})")
            continue
        values = list(claim.choices.get(name, [claim.parameters[name]]))
        marks = claim.choice_marks.get(name) or ()
        defensible = [m.defensible for m in marks] if marks else [True] * len(values)
        late = [v for v, d in zip(values, defensible) if d and reference_date(v) > written.end]
        if late:
            problems.append(f"{where}, field 'choices.{name}': {', '.join(map(repr, late))} dated after the end of "
                            f"the writing bracket ({written.end}); mark it sensitivity (anachronistic)")
        expected = latest_before(list(zip(values, defensible)), written.end)
        if claim.parameters[name] != expected:
            problems.append(f"{where}, field 'parameters.{name}': figures as of writing take the latest defensible "
                            f"value dated on or before {written.end}, {expected!r}, not {claim.parameters[name]!r}")
    return problems
