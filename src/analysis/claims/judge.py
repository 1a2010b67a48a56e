"""The judge: one function that turns a stated value and a measurement into a verdict.

``judge(claim, measurement)`` applies the claim's own comparator (from the ledger) to
the measured value, then the declared :data:`POLICIES`, the same way for every claim:

==================  ===========================================================================
``rounding``        "about X" and "just over X" allow half the rounding unit X implies
                    (97,000 → ±500), unless the ledger gives the claim a ``tolerance``
``lower_bound``     a figure that is only a lower bound ("170+", "more than 3 billion", a count
                    in an incomplete registry) meets "more than X" / "at least X" when the bound
                    reaches X; when it does not, the true figure may still be higher, so the
                    claim is "not checkable", not refuted
``ceiling``         a stated count above an independent maximum (193 UN member states, the
                    world population) cannot hold, whatever the claimant reports
``self_reported``   a met claim whose measurement rests only on the claimant's own figures
                    (or on sources it wrote, commissioned or retained) is "company figures only",
                    never "supported"
``absence``         a "never"/"no" claim is "not supported" by an undisputed counter-example,
                    "conflicting" if every counter-example is disputed; with none found it is
                    "not checkable" (absence from public records is not evidence of absence),
                    unless the source is a complete list (a shareholder register), where none
                    found meets the claim
``evidence``        a qualitative claim is weighed part by part: every part independently
                    documented → supported; some part independently documented and some only
                    self-reported or undocumented → with caveats; no part independently
                    documented but some self-reported → company figures only; a part contested or credited only to others → conflicting
                    (not supported if no part credits the claimant, or if independent
                    documents all contradict a part); nothing documented → not checkable
``disagreeing``     when the measure reports other defensible figures for the same thing (another
                    source, another counting rule) and they disagree on whether the claim is met,
                    the verdict is "conflicting", whichever side the headline figure is on
``unavailable``     no public data settle it: "not checkable", naming what is missing
``readings``        when the claim's defensible readings (the ledger's choice values marked
                    defensible) disagree on whether it is met, the headline verdict is
                    "conflicting" and its reason names the choice that splits them; no
                    headline picks a side.  Sensitivity checks (values marked sensitivity) are
                    shown apart and never change the headline
==================  ===========================================================================

Claim-specific caveats and limits come from the ledger (``caveats``), never from code.

>>> from types import SimpleNamespace as NS
>>> from analysis.measures import Measurement
>>> claim = NS(id="x", stated=NS(value=3, comparator="equals", tolerance=None), caveats=())
>>> judge(claim, Measurement(5, "rank", "rank", "ranked 5th", "2019")).verdict.value
'not supported'
"""
import math
from dataclasses import dataclass

from analysis.claims.verdicts import Assessment, Verdict, check, rounding_unit, rule_number
from analysis.measures import KINDS, Measurement


@dataclass(frozen=True)
class Policy:
    """A declared rule of the judge: its name and what it says, in plain words."""

    name: str
    text: str


#: The judge's policies, declared once; every verdict record names the ones applied to it.
POLICIES = {p.name: p for p in (
    Policy("rounding", "“about X” and “just over X” allow half the rounding unit X implies "
                       "(97,000 → ±500) unless the ledger sets a tolerance for the claim"),
    Policy("lower_bound", "a figure that is only a lower bound (“170+”, “more than 3 billion”, a count in an "
                          "incomplete registry) meets “more than X” or “at least X” when the bound reaches X; "
                          "when it does not, the true figure may be higher, so the claim is not checkable"),
    Policy("ceiling", "a stated count above an independent maximum cannot hold"),
    Policy("self_reported", "a met claim that rests only on the claimant's own figures or statements, or on "
                            "sources it wrote, commissioned or retained, is “company figures only”: not "
                            "independently verified"),
    Policy("absence", "a “never” or “no” claim is not supported by an undisputed counter-example, "
                      "conflicting if every counter-example is disputed; with none found it is not checkable "
                      "(absence from public records is not evidence of absence) unless the source is a "
                      "complete list, such as a shareholder register, where none found meets the claim"),
    Policy("evidence", "a qualitative claim is weighed part by part: all parts independently documented "
                       "→ supported; some independently documented and some only self-reported or undocumented → with "
                       "caveats; none independently documented but some self-reported → company figures only; a part "
                       "contested or credited only to others → conflicting (not supported if no part "
                       "credits the claimant, or if independent documents all contradict a part); nothing "
                       "documented → not checkable"),
    Policy("disagreeing", "when other defensible figures for the same thing (another source, another counting "
                          "rule) disagree with the headline figure on whether the claim is met, the verdict is "
                          "conflicting, whichever side the headline figure is on"),
    Policy("unavailable", "no public data settle it: not checkable, naming what is missing"),
    Policy("readings", "when the claim's defensible readings disagree on whether it is met, the verdict is "
                       "conflicting and the reason names the choice that splits them; sensitivity checks are "
                       "shown apart and never change it"),
)}

#: Which side of "is the claim met?" a verdict takes (conflicting and not checkable take none).
MET = (Verdict.SUPPORTED, Verdict.SUPPORTED_WITH_CAVEATS, Verdict.SELF_REPORTED)
NOT_MET = (Verdict.NOT_SUPPORTED,)


def side(verdict: Verdict) -> str:
    """"met", "not met" or "" (no side): what the readings policy compares.

    >>> side(Verdict.SELF_REPORTED), side(Verdict.NOT_SUPPORTED), side(Verdict.NOT_CHECKABLE)
    ('met', 'not met', '')
    """
    return "met" if verdict in MET else "not met" if verdict in NOT_MET else ""

#: Evidence statuses of one part of a qualitative claim (the ``evidence`` measures return them).
EVIDENCE_STATUSES = ("independent", "self-reported only", "contested", "refuted", "others only", "undocumented")


def comparator_problem(comparator: str, kind: str) -> str:
    """Why ``comparator`` cannot apply to a measure returning ``kind`` ('' if it can).

    >>> comparator_problem("equals", "rank"), comparator_problem("more_than", "evidence")[:40]
    ('', "comparator 'more_than' cannot apply to a")
    """
    if kind in ("any", "unavailable") or comparator in KINDS.get(kind, ()):
        return ""
    return (f"comparator {comparator!r} cannot apply to a measure returning a {kind} value; "
            f"use one of {', '.join(KINDS[kind])}")


def evidence_verdict(statuses) -> Verdict:
    """The ``evidence`` policy over the statuses of a claim's parts.

    >>> evidence_verdict(["independent", "undocumented"]).value
    'supported with caveats'
    >>> evidence_verdict(["contested", "others only"]).value
    'conflicting'
    >>> evidence_verdict(["self-reported only", "undocumented"]).value
    'company figures only'
    >>> evidence_verdict(["others only"]).value
    'not supported'
    >>> evidence_verdict(["independent", "refuted"]).value
    'not supported'
    """
    statuses = list(statuses)
    unknown = [s for s in statuses if s not in EVIDENCE_STATUSES]
    if unknown:
        raise ValueError(f"unknown evidence status(es) {unknown}; known: {EVIDENCE_STATUSES}")
    credited = {"independent", "self-reported only", "contested"}
    if "refuted" in statuses or (not any(s in credited for s in statuses) and "others only" in statuses):
        return Verdict.NOT_SUPPORTED
    if "contested" in statuses or "others only" in statuses:
        return Verdict.CONFLICTING
    if all(s == "undocumented" for s in statuses):
        return Verdict.NOT_CHECKABLE
    if all(s == "independent" for s in statuses):
        return Verdict.SUPPORTED
    if "independent" not in statuses:
        return Verdict.SELF_REPORTED
    return Verdict.SUPPORTED_WITH_CAVEATS


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def rank_rule(comparator: str, rank, stated, holds: bool) -> str:
    """A rank rule in words that read true whether or not it holds.

    >>> rank_rule("at_most", 6, 5, False), rank_rule("at_most", 5, 5, True)
    ('rank 6: outside the top five', 'rank 5: within the top five')
    >>> rank_rule("equals", 5, 3, False), rank_rule("equals", 3, 3, True)
    ('rank 5, not 3', 'rank 3, as stated')
    """
    if comparator == "at_most":
        top = NUMBER_WORDS[stated] if isinstance(stated, int) and 0 <= stated < len(NUMBER_WORDS) else rule_number(stated)
        return f"rank {rule_number(rank)}: {'within' if holds else 'outside'} the top {top}"
    return f"rank {rule_number(rank)}, as stated" if holds else f"rank {rule_number(rank)}, not {rule_number(stated)}"


def _tolerance(claim):
    value = getattr(claim.stated, "tolerance", None)
    return None if value is None or value <= 0 or (isinstance(value, float) and math.isnan(value)) else value


def _bound_rule(claim, m: Measurement):
    """(holds, rule) for a measured lower bound against "more than"/"at least" X: ``strict`` means
    the true figure is above the bound ("170+"), otherwise at or above it."""
    bound, strict, stated = float(m.value), bool(m.details.get("strict")), claim.stated.value
    if claim.stated.comparator == "more_than":
        holds, op = bound > stated or (strict and bound >= stated), ">"
    elif claim.stated.comparator == "at_least":
        holds, op = bound >= stated, "≥"
    else:
        raise ValueError(f"claim {claim.id!r}: a lower bound settles only more_than/at_least claims")
    return holds, (f"reported {'>' if strict else '≥'} {rule_number(bound)} "
                   f"{'implies' if holds else 'does not settle'} {op} {rule_number(stated)}")


def judge(claim, measurement: Measurement, ceiling: Measurement = None, parameters=None) -> Assessment:
    """The verdict on ``claim`` (its ledger ``stated`` value and comparator) given ``measurement``.

    ``ceiling`` (optional) is an independent maximum the stated value must not exceed.
    The record names every policy applied, in ``policies``.
    """
    m, stated = measurement, claim.stated
    applied, caveats = [], list(m.caveats) + list(getattr(claim, "caveats", ()) or ())
    sources = list(m.sources) + (list(ceiling.sources) if ceiling else [])
    reason = m.description
    if m.kind == "unavailable":
        reason = (reason + " " + m.missing).strip()
        return _record(claim, Verdict.NOT_CHECKABLE, m, "not checkable", reason, sources, ["unavailable"],
                       caveats, parameters)
    if m.kind == "evidence":
        statuses = [status for _, status in m.value]
        verdict = evidence_verdict(statuses)
        rule = "evidence weighed part by part: " + "; ".join(f"{part}: {status}" for part, status in m.value)
        return _record(claim, verdict, m, rule, reason, sources, ["evidence"], caveats, parameters,
                       measured=m.details.get("summary") or "; ".join(statuses))
    if m.kind == "cases":
        found, disputed = int(m.value), int(m.details.get("disputed", 0))
        rule = f"{found} qualifying case{'s' if found != 1 else ''} found"
        if found == 0 and m.details.get("complete"):
            rule += " in a complete list"
            verdict = Verdict.SUPPORTED_WITH_CAVEATS if caveats else Verdict.SUPPORTED
            if m.self_reported:
                verdict = Verdict.SELF_REPORTED
                caveats.insert(0, "the list is the claimant's own")
                return _record(claim, verdict, m, rule, reason, sources, ["absence", "self_reported"],
                               caveats, parameters)
        elif found == 0:
            verdict = Verdict.NOT_CHECKABLE
        elif disputed >= found:
            verdict, rule = Verdict.CONFLICTING, rule + f", all {disputed} disputed"
        else:
            verdict = Verdict.NOT_SUPPORTED
        return _record(claim, verdict, m, rule, reason, sources, ["absence"], caveats, parameters)
    if ceiling is not None and ceiling.kind == "unavailable":
        reason = f"{reason} {ceiling.missing}".strip()
        return _record(claim, Verdict.NOT_CHECKABLE, m, "not checkable", reason, sources, ["unavailable"],
                       caveats, parameters)
    shown, unsettled = None, False
    if m.details.get("lower_bound") or m.details.get("strict"):
        holds, rule = _bound_rule(claim, m)
        applied.append("lower_bound")
        within_rounding, unsettled = False, not holds
        shown = m.details.get("reported")
    else:
        result = check(stated.comparator, m.value, stated.value, _tolerance(claim))
        holds, rule, within_rounding = result.holds, result.rule, result.within_rounding_only
        if m.kind == "rank":
            rule = rank_rule(stated.comparator, m.value, stated.value, holds)
        if stated.comparator in ("about", "just_over"):
            applied.append("rounding")
    alternatives = m.details.get("alternatives") or ()
    if alternatives:
        tolerance = _tolerance(claim)
        results = [(alt, check(stated.comparator, alt["value"], stated.value, tolerance)) for alt in alternatives]
        if any(r.holds != holds for _, r in results):
            label = m.details.get("label", "headline")
            rule = "; ".join([f"{label}: {rule}"] + [f"{alt['label']}: {r.rule}" for alt, r in results])
            measured = " / ".join([f"{rule_number(m.value)} {label}"]
                                  + [f"{rule_number(alt['value'])} {alt['label']}" for alt, _ in results])
            applied.append("disagreeing")
            return _record(claim, Verdict.CONFLICTING, m, rule, reason, sources, applied, caveats, parameters,
                           measured=measured)
    if ceiling is not None:
        possible = stated.value <= ceiling.value
        rule += f"; {rule_number(stated.value)} ≤ {rule_number(ceiling.value)} {ceiling.unit}"
        holds = holds and possible
        unsettled = unsettled and possible  # an impossible count is refuted whatever the bound says
        applied.append("ceiling")
        reason = f"{reason} {ceiling.description}".strip()
    if m.self_reported:
        applied.append("self_reported")
        caveats.insert(0, "the figure is the claimant's own")
    if unsettled:
        verdict = Verdict.NOT_CHECKABLE
    elif not holds:
        verdict = Verdict.NOT_SUPPORTED
    elif m.self_reported:
        verdict = Verdict.SELF_REPORTED
    elif caveats or within_rounding:
        verdict = Verdict.SUPPORTED_WITH_CAVEATS
    else:
        verdict = Verdict.SUPPORTED
    return _record(claim, verdict, m, rule, reason, sources, applied, caveats, parameters, measured=shown)


def _record(claim, verdict, m, rule, reason, sources, policies, caveats, parameters, measured=None):
    if caveats:
        reason = reason.rstrip() + " Caveat: " + "; ".join(caveats) + "."
    limits = getattr(claim, "limits", ()) or ()
    if limits:
        reason = reason.rstrip() + " Limits: " + "; ".join(limits) + "."
    return Assessment(claim_id=claim.id, verdict=verdict, measured_value=m.value if measured is None else measured,
                      stated_value=claim.stated.value, unit=m.unit, rule=rule, reason=reason,
                      vintage=m.vintage, sources=sources, parameters=dict(parameters or {}),
                      policies=list(policies))


def weigh_readings(claim, headline: Assessment, readings) -> Assessment:
    """The ``readings`` policy: ``headline`` (the claim's own parameters) unless the claim's other
    defensible readings take the other side on whether it is met; then "conflicting", naming the choice
    that splits them in plain words (the ledger's reasons for the values on each side).

    ``readings``: ``[(changes, assessment)]``, ``changes`` the ``{choice: value}`` departures from the
    headline, each value marked defensible in the ledger.
    """
    sides = {side(headline.verdict)} | {side(a.verdict) for _, a in readings}
    if not {"met", "not met"} <= sides:
        return headline
    other = next(a for _, a in readings if side(a.verdict) not in ("", side(headline.verdict)))
    changes = next(c for c, a in readings if a is other)
    split = _splitting_choice(claim, headline, readings) or changes
    names = " and ".join(_choice_words(claim, name) for name in split)
    own = "; ".join(_reason_of(claim, name, headline.parameters) for name in split)
    theirs = "; ".join(_reason_of(claim, name, {**headline.parameters, **changes}) for name in split)
    met, unmet = ((own, headline), (theirs, other)) if side(headline.verdict) == "met" else ((theirs, other),
                                                                                              (own, headline))
    reason = (f"Defensible readings disagree on whether it is met, split by the {names}: met with {met[0]} "
              f"({met[1].rule}); not met with {unmet[0]} ({unmet[1].rule}). {headline.reason}")
    return Assessment(claim_id=headline.claim_id, verdict=Verdict.CONFLICTING, measured_value=headline.measured_value,
                      stated_value=headline.stated_value, unit=headline.unit,
                      rule=f"{met[1].rule} under one reading; {unmet[1].rule} under another", reason=reason,
                      vintage=headline.vintage, sources=list(headline.sources), parameters=dict(headline.parameters),
                      policies=[*headline.policies, "readings"])


def _splitting_choice(claim, headline, readings) -> tuple:
    """The names of the one choice whose change alone moves the claim to the other side ('' if none)."""
    mine = side(headline.verdict)
    for changes, a in readings:
        if len(changes) == 1 and side(a.verdict) not in ("", mine):
            return tuple(changes)
    return ()


def _choice_words(claim, name) -> str:
    return name.replace("_", " ")


def _reason_of(claim, name, parameters) -> str:
    """The ledger's reason for the value choice ``name`` takes in ``parameters``."""
    for value, mark in zip(claim.choices[name], claim.choice_marks.get(name, ())):
        option = value if isinstance(value, dict) else {name: value}
        if all(parameters.get(k) == v for k, v in option.items()):
            return mark.reason
    return name.replace("_", " ")


def accepted_band(stated, tolerance=None) -> float:
    """The ± band "about X" accepts: ``tolerance`` if above 0, else half the rounding unit X implies
    (the ``rounding`` policy).

    >>> accepted_band(97000), accepted_band(40, 0.0), accepted_band(40, 1.5)
    (500.0, 5.0, 1.5)
    """
    return float(tolerance) if tolerance is not None and tolerance > 0 else rounding_unit(stated) / 2
