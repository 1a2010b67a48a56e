"""The verdict scale and the acceptance rules every notebook uses.

The scale is ordered from strongest support to none:

=========================  ===========================================================
``SUPPORTED``              the independent data meet the claim's own wording
``SUPPORTED_WITH_CAVEATS`` met by independent data, but only within the wording's
                           rounding, or with a stated doubt
``SELF_REPORTED``          "company figures only": met, but only by the claimant's own
                           figures or statements (or by sources it wrote, commissioned or
                           retained); not independently verified
``CONFLICTING``            defensible sources or choices disagree on whether it is met
``NOT_SUPPORTED``          the data do not meet the claim's wording
``NOT_CHECKABLE``          no independent public data can settle it (the reason says what
                           is missing)
=========================  ===========================================================

``NOT_YET_AUDITED`` is not a verdict: it marks a ledger claim no notebook checks yet.

The acceptance rule comes from the claim's wording (its ``comparator``):
"more than X" → measured > X; "about X" → within the rounding X implies;
"top five" → rank ≤ 5.

>>> check("more_than", 19.06, 15).holds
True
>>> check("at_most", 6, 5).rule
'6, more than 5'
"""
import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import Enum

from analysis.data.source import Source


class Verdict(str, Enum):
    """How well a claim holds, strongest first (see the module docstring)."""

    SUPPORTED = "supported"
    SUPPORTED_WITH_CAVEATS = "supported with caveats"
    SELF_REPORTED = "company figures only"
    CONFLICTING = "conflicting"
    NOT_SUPPORTED = "not supported"
    NOT_CHECKABLE = "not checkable"
    NOT_YET_AUDITED = "not yet audited"

    @property
    def rank(self) -> int:
        """Position on the scale (0 = strongest)."""
        return list(Verdict).index(self)

    def __str__(self):
        return self.value

    @property
    def look(self) -> "Look":
        """What it means and how it is drawn (:data:`SCALE`)."""
        return SCALE[self]


@dataclass(frozen=True)
class Look:
    """A verdict's meaning in plain words and its look: an Okabe–Ito colour, a text colour with
    enough contrast, an icon (so that a verdict never rests on colour alone), a chart marker, and its
    schema.org ClaimReview rating (1–4, one step per verdict that rates support; None: the review carries
    the verdict's name only)."""

    meaning: str
    colour: str
    text: str
    icon: str
    marker: str
    rating: object = None


#: The scale, declared once: every report, chart and ClaimReview takes its meanings, colours, icons and
#: ratings from here.  "company figures only" has no rating: nothing independent was checked.
SCALE = {
    Verdict.SUPPORTED: Look("independent data meet the claim's own wording", "#009E73", "#000", "✓", "o", 4),
    Verdict.SUPPORTED_WITH_CAVEATS: Look(
        "independent data meet it, but only within the wording's rounding or with a stated doubt",
        "#56B4E9", "#000", "◑", "D", 3),
    Verdict.SELF_REPORTED: Look(
        "met only by the claimant's own figures or statements, or by sources it wrote, commissioned or "
        "retained: not independently verified", "#F0E442", "#000", "○", "P"),
    Verdict.CONFLICTING: Look("defensible sources or readings disagree on whether it is met; the reason names "
                              "what splits them", "#E69F00", "#000", "⇄", "s", 2),
    Verdict.NOT_SUPPORTED: Look("the data do not meet the claim's wording", "#D55E00", "#000", "✗", "X", 1),
    Verdict.NOT_CHECKABLE: Look("no independent public data can settle it; the reason names what is missing",
                                "#CC79A7", "#000", "?", "^"),
    Verdict.NOT_YET_AUDITED: Look("the ledger names no measure for this claim yet", "#FFFFFF", "#000", "…", "."),
}


@dataclass(frozen=True)
class RuleResult:
    """Whether a measured value meets a stated one, and the rule as written out."""

    holds: bool
    rule: str
    within_rounding_only: bool = False


def rounding_unit(value) -> float:
    """The place value of the last non-zero digit: the rounding a stated figure implies.

    >>> rounding_unit(97000), rounding_unit(40), rounding_unit(15), rounding_unit(1.5)
    (1000.0, 10.0, 1.0, 0.1)
    """
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return float(Decimal(1).scaleb(exponent))


def rule_number(x) -> str:
    """A value as rules write it: whole numbers with thousands separators, large ones to one decimal,
    small ones to four significant digits, text as is.

    >>> rule_number(15895), rule_number(14738.94), rule_number(19.059), rule_number("2018-06")
    ('15,895', '14,738.9', '19.06', '2018-06')
    """
    if not isinstance(x, (int, float)):
        return str(x)
    if float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.1f}" if abs(x) >= 1000 else f"{x:,.4g}"  # 14,738.9, not 1.474e+04


# Each rule is written so that it reads true: as a relation when the value meets it, as what the value is
# instead when it does not ("6, more than 5", never "6 ≤ 5").

def _more_than(m, s, tol):
    holds = m > s
    return RuleResult(holds, f"{rule_number(m)} > {rule_number(s)}" if holds else
                      f"{rule_number(m)}, not more than {rule_number(s)}")


def _at_least(m, s, tol):
    holds = m >= s
    return RuleResult(holds, f"{rule_number(m)} ≥ {rule_number(s)}" if holds else
                      f"{rule_number(m)}, less than {rule_number(s)}")


def _at_most(m, s, tol):
    holds = m <= s
    return RuleResult(holds, f"{rule_number(m)} ≤ {rule_number(s)}" if holds else
                      f"{rule_number(m)}, more than {rule_number(s)}")


def _about(m, s, tol):
    tol = rounding_unit(s) / 2 if tol is None else tol
    holds = abs(m - s) <= tol
    rule = (f"|{rule_number(m)} − {rule_number(s)}| ≤ {rule_number(tol)}" if holds else
            f"{rule_number(m)} is {rule_number(abs(m - s))} from {rule_number(s)}, more than {rule_number(tol)}")
    return RuleResult(holds, rule, within_rounding_only=holds and m != s)


def _just_over(m, s, tol):
    tol = rounding_unit(s) / 2 if tol is None else tol
    holds = s < m <= s + tol
    return RuleResult(holds, f"{rule_number(s)} < {rule_number(m)} ≤ {rule_number(s + tol)}" if holds else
                      f"{rule_number(m)}, not just over {rule_number(s)} (above it, up to {rule_number(s + tol)})")


def _equals(m, s, tol):
    holds = m == s
    return RuleResult(holds, f"{rule_number(m)} = {rule_number(s)}" if holds else
                      f"{rule_number(m)}, not {rule_number(s)}")


def _none_exists(m, s, tol):
    holds = m == 0
    return RuleResult(holds, "no qualifying case" if holds else
                      f"{rule_number(m)} qualifying case{'s' if m != 1 else ''}, not none")


def _years(value):
    """(first, last) year of a range written "2014/2016", "2014-05-25/2016-03-17" or a 2-sequence."""
    parts = value.split("/") if isinstance(value, str) else list(value)
    if len(parts) != 2:
        raise ValueError(f"a range needs two ends, 'start/end'; got {value!r}")
    return tuple(int(str(p)[:4]) for p in parts)


def _within_range(m, s, tol):
    (m0, m1), (s0, s1) = _years(m), _years(s)
    slack = 0 if tol is None else int(tol)
    holds = abs(m0 - s0) <= slack and abs(m1 - s1) <= slack
    return RuleResult(holds, f"{m0}–{m1} vs stated {s0}–{s1}" + (f" (± {slack} y)" if slack else ""))


#: The acceptance rules by comparator name (the ledger's ``stated.comparator``).
RULES = {
    "more_than": _more_than,
    "at_least": _at_least,
    "at_most": _at_most,
    "about": _about,
    "just_over": _just_over,
    "equals": _equals,
    "none_exists": _none_exists,
    "within_range": _within_range,
}


def check(comparator, measured, stated, tolerance=None) -> RuleResult:
    """Apply the acceptance rule named ``comparator`` to a measured and a stated value.

    ``tolerance`` overrides the half-rounding-unit band of ``about`` and ``just_over``
    (and, for ``within_range``, is the years either end may differ by).

    >>> check("about", 96768, 97000).holds
    True
    >>> check("about", 96768, 97000, tolerance=100).holds
    False
    >>> check("within_range", "2014-05-25/2016-03-17", "2014/2016").rule
    '2014–2016 vs stated 2014–2016'
    """
    try:
        rule = RULES[comparator]
    except KeyError:
        raise ValueError(f"unknown comparator {comparator!r}; known: {', '.join(RULES)}") from None
    if measured is None or (isinstance(measured, float) and math.isnan(measured)):
        raise ValueError("no measured value to compare")
    return rule(measured, stated, tolerance)


@dataclass
class Assessment:
    """A claim's verdict with everything needed to check it: values, rule, vintage, sources."""

    claim_id: str
    verdict: Verdict
    measured_value: object
    stated_value: object
    unit: str
    rule: str
    reason: str
    vintage: str
    sources: list = field(default_factory=list)
    parameters: dict = field(default_factory=dict)
    policies: list = field(default_factory=list)  # the judge's policies applied (analysis.claims.judge.POLICIES)

    def to_dict(self) -> dict:
        """A plain, JSON-ready dict (the form notebooks publish and the scorecard reads)."""
        out = asdict(self)
        out["verdict"] = self.verdict.value
        return out

    @classmethod
    def from_dict(cls, data) -> "Assessment":
        """Inverse of :meth:`to_dict`."""
        data = dict(data)
        data["verdict"] = Verdict(data["verdict"])
        data["sources"] = [Source(**s) for s in data.get("sources", [])]
        return cls(**data)


def decide(result: RuleResult, caveats=(), self_reported=False) -> Verdict:
    """The verdict a rule result earns: not met → NOT_SUPPORTED; met only by the claimant's own
    figures → SELF_REPORTED; met with caveats (or only within rounding) → SUPPORTED_WITH_CAVEATS;
    met → SUPPORTED.

    >>> decide(RuleResult(True, "x"), caveats=["a derived figure"]).value
    'supported with caveats'
    >>> decide(RuleResult(True, "x"), self_reported=True).value
    'company figures only'
    """
    if not result.holds:
        return Verdict.NOT_SUPPORTED
    if self_reported:
        return Verdict.SELF_REPORTED
    if caveats or result.within_rounding_only:
        return Verdict.SUPPORTED_WITH_CAVEATS
    return Verdict.SUPPORTED


def judge(claim, measured, *, unit, reason, vintage, sources, caveats=(), tolerance=None,
          parameters=None) -> Assessment:
    """The assessment of ``claim`` given a measured value: its comparator's rule, then :func:`decide`.

    ``reason`` says what was measured and where from; the caveats are appended to it.

    >>> from types import SimpleNamespace as NS
    >>> claim = NS(id="x", stated=NS(value=15, comparator="more_than"))
    >>> a = judge(claim, 19.06, unit="USD billion", reason="R&D was US$19.06bn.", vintage="2019",
    ...           sources=[], caveats=["converted at the yearly average rate"])
    >>> a.verdict.value, a.rule, a.reason
    ('supported with caveats', '19.06 > 15', 'R&D was US$19.06bn. Caveat: converted at the yearly average rate.')
    """
    result = check(claim.stated.comparator, measured, claim.stated.value, tolerance)
    verdict = decide(result, caveats)
    if caveats:
        reason = reason.rstrip() + " Caveat: " + "; ".join(caveats) + "."
    return Assessment(claim_id=claim.id, verdict=verdict, measured_value=measured,
                      stated_value=claim.stated.value, unit=unit, rule=result.rule, reason=reason,
                      vintage=vintage, sources=list(sources), parameters=dict(parameters or {}))


def not_checkable(claim, reason, *, vintage, sources=(), measured=None, unit=None,
                  parameters=None) -> Assessment:
    """A ``NOT_CHECKABLE`` assessment: ``reason`` must name what public data would be needed.

    >>> from types import SimpleNamespace as NS
    >>> claim = NS(id="x", stated=NS(value=0, unit="requests", comparator="none_exists"))
    >>> not_checkable(claim, "No public register of requests exists.", vintage="n/a").verdict.value
    'not checkable'
    """
    return Assessment(claim_id=claim.id, verdict=Verdict.NOT_CHECKABLE, measured_value=measured,
                      stated_value=claim.stated.value, unit=unit or (claim.stated.unit or ""),
                      rule="not checkable", reason=reason, vintage=vintage, sources=list(sources),
                      parameters=dict(parameters or {}))


def number(value):
    """A measured value as a float, or NaN if it is not a number (text, a date, none)."""
    if isinstance(value, bool) or value is None:
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def measured_text(value) -> str:
    """A measured value as the text the tables keep: a whole number without ".0", a float to 10
    digits, text as is, nothing as ''.

    >>> measured_text(19.059), measured_text(5.0), measured_text("170+"), measured_text(None)
    ('19.059', '5', '170+', '')
    """
    found = number(value)
    if math.isnan(found):
        return "" if value is None else str(value)
    return str(int(found)) if found.is_integer() else repr(round(found, 10))
