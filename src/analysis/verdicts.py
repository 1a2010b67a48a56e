"""The verdict scale and the acceptance rules every notebook uses.

The scale is ordered from strongest support to none:

=========================  ===========================================================
``SUPPORTED``              the independent data meet the claim's own wording
``SUPPORTED_WITH_CAVEATS`` met, but only within the wording's rounding, or only by the
                           company's own (self-reported) figures, or with a stated doubt
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
'rank 6 ≤ 5'
"""
import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import Enum


class Verdict(str, Enum):
    """How well a claim holds, strongest first (see the module docstring)."""

    SUPPORTED = "supported"
    SUPPORTED_WITH_CAVEATS = "supported with caveats"
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


def _fmt(x):
    if not isinstance(x, (int, float)):
        return str(x)
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4g}"


def _more_than(m, s, tol):
    return RuleResult(m > s, f"{_fmt(m)} > {_fmt(s)}")


def _at_least(m, s, tol):
    return RuleResult(m >= s, f"{_fmt(m)} ≥ {_fmt(s)}")


def _at_most(m, s, tol):
    return RuleResult(m <= s, f"rank {_fmt(m)} ≤ {_fmt(s)}")


def _about(m, s, tol):
    tol = rounding_unit(s) / 2 if tol is None else tol
    holds = abs(m - s) <= tol
    return RuleResult(holds, f"|{_fmt(m)} − {_fmt(s)}| ≤ {_fmt(tol)}", within_rounding_only=holds and m != s)


def _just_over(m, s, tol):
    tol = rounding_unit(s) / 2 if tol is None else tol
    return RuleResult(s < m <= s + tol, f"{_fmt(s)} < {_fmt(m)} ≤ {_fmt(s + tol)}")


def _equals(m, s, tol):
    return RuleResult(m == s, f"{_fmt(m)} = {_fmt(s)}")


def _none_exists(m, s, tol):
    return RuleResult(m == 0, f"{_fmt(m)} qualifying cases = 0")


#: The acceptance rules by comparator name (the ledger's ``stated.comparator``).
RULES = {
    "more_than": _more_than,
    "at_least": _at_least,
    "at_most": _at_most,
    "about": _about,
    "just_over": _just_over,
    "equals": _equals,
    "none_exists": _none_exists,
}


def check(comparator, measured, stated, tolerance=None) -> RuleResult:
    """Apply the acceptance rule named ``comparator`` to a measured and a stated value.

    ``tolerance`` overrides the half-rounding-unit band of ``about`` and ``just_over``.

    >>> check("about", 96768, 97000).holds
    True
    >>> check("about", 96768, 97000, tolerance=100).holds
    False
    """
    try:
        rule = RULES[comparator]
    except KeyError:
        raise ValueError(f"unknown comparator {comparator!r}; known: {', '.join(RULES)}") from None
    if measured is None or (isinstance(measured, float) and math.isnan(measured)):
        raise ValueError("no measured value to compare")
    return rule(measured, stated, tolerance)


@dataclass(frozen=True)
class Source:
    """Where a number came from: a dataset file and row, or a cited fact row."""

    label: str
    url: str
    ref: str = ""


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


def decide(result: RuleResult, caveats=()) -> Verdict:
    """The verdict a rule result earns: met with caveats (or only within rounding) →
    SUPPORTED_WITH_CAVEATS; met → SUPPORTED; not met → NOT_SUPPORTED.

    >>> decide(RuleResult(True, "x"), caveats=["self-reported"]).value
    'supported with caveats'
    """
    if not result.holds:
        return Verdict.NOT_SUPPORTED
    if caveats or result.within_rounding_only:
        return Verdict.SUPPORTED_WITH_CAVEATS
    return Verdict.SUPPORTED
