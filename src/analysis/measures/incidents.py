"""Measures over the incident timeline: the counter-examples to a "never" claim under a definition.

The timeline (:func:`analysis.data.security.load_timeline`) lists dated public events about Huawei's
security, each with a category and the status of Huawei's response ("denied", "acknowledged", "no
denial recorded": :func:`analysis.data.security.response_status`).  A counter-example the claimant has
not acknowledged is counted in ``details["disputed"]``, so the judge's ``absence`` policy can tell
an undisputed counter-example from allegations that stand against denials (or silence).

>>> m = counter_examples("alleged_breach", 1999, 2019)
>>> m.value, m.details["disputed"], m.kind
(2, 2, 'cases')
>>> counter_examples("critical_vulnerability", 1999, 2019, "HIGH").value   # NVD, not the timeline
318
>>> government_requests("including_lawful", 1999, 2019).value
1
"""
from dataclasses import dataclass
from functools import lru_cache

from analysis.data import security
from analysis.data.source import Source
from analysis.measures import Measurement, measure, register


@dataclass(frozen=True)
class TimelineRule:
    """Which timeline events a definition counts: a category, and the claimant's responses that
    qualify (``None``: any response)."""

    text: str
    category: str
    responses: tuple = None
    counted: str = ""  # which of the category's events count, in a word or two (for the unit)


@dataclass(frozen=True)
class CveRule:
    """A definition counted in NVD: the vendor's CVEs at or above a severity threshold."""

    text: str


#: Definitions of a "major breach": timeline rules, and one counted in NVD instead (CVEs of the
#: vendor at or above a severity threshold: vulnerabilities, NOT breaches).
BREACH_DEFINITIONS = {
    "confirmed_breach": TimelineRule("a breach allegation in the timeline that Huawei acknowledged (a response "
                                     "with acknowledgement words and no denial words)",
                                     "breach allegation", ("acknowledged",), "acknowledged"),
    "alleged_breach": TimelineRule("any breach allegation in the timeline, denied or not", "breach allegation",
                                   counted="denied or not"),
    "critical_vulnerability": CveRule("any CVE of the vendor at or above the severity threshold; this counts "
                                      "vulnerabilities disclosed in products, NOT breaches"),
}
#: How a "no government request" claim is read: which records count as a request.
REQUEST_SCOPES = {
    "improper_only": "only improper or secret requests count; lawful court orders do not",
    "including_lawful": "any government request for customer data counts, court-mandated ones included",
}
_VINTAGE = "incident timeline (hand-gathered 2026-11)"


@register("incidents.counter_examples", "cases")
def counter_examples(definition: str, first_year: int, last_year: int, severity_threshold: str = "HIGH",
                     vendor: str = "Huawei") -> Measurement:
    """The events meeting ``definition`` (:data:`BREACH_DEFINITIONS`) dated ``first_year``–``last_year``:
    timeline events of the rule's category with a qualifying response, or, for
    ``critical_vulnerability``, the ``vendor``'s CVEs at or above ``severity_threshold``
    (:func:`analysis.measures.cves.cve_count`).  ``details["disputed"]``: those not acknowledged.
    """
    if definition not in BREACH_DEFINITIONS:
        raise LookupError(f"unknown definition {definition!r}; choose one of {list(BREACH_DEFINITIONS)}")
    rule = BREACH_DEFINITIONS[definition]
    if isinstance(rule, CveRule):
        return measure({"measure": "cves.count", "args": {"vendor": vendor, "first_year": first_year,
                                                           "last_year": last_year, "severity": severity_threshold}})
    candidates = security.events_in_years(int(first_year), int(last_year), rule.category)
    qualifying = candidates if rule.responses is None else candidates[
        candidates["response_status"].isin(rule.responses)]
    disputed = int((qualifying["response_status"] != "acknowledged").sum())
    listed = "; ".join(f"{r['event']} ({r['date']}; response: {r['response_status']})"
                       for _, r in candidates.iterrows()) or "none"
    return Measurement(
        len(qualifying), f"{rule.category}s ({rule.counted})", "cases",
        f"Definition: {rule.text}. {len(qualifying)} of the {len(candidates)} timeline event(s) of "
        f"category '{rule.category}' dated {first_year}–{last_year} qualify, {disputed} of them not acknowledged "
        f"by the claimant (denied, or no response recorded). The {rule.category}s in those years: {listed}.",
        vintage=f"{_VINTAGE}, events {first_year}–{last_year}",
        sources=tuple(security.timeline_source(r) for _, r in candidates.iterrows()),
        details={"disputed": disputed, "candidates": len(candidates)})


@lru_cache(maxsize=None)
def _request_record(first_year, last_year):
    return security.government_request_record(first_year, last_year)


@lru_cache(maxsize=None)
def _transparency_citations() -> tuple:
    return tuple(security.transparency_report_citations())


@register("incidents.government_requests", "cases")
def government_requests(scope: str, first_year: int, last_year: int) -> Measurement:
    """Government requests on record (:func:`analysis.data.security.government_request_record`) under
    ``scope`` (:data:`REQUEST_SCOPES`): timeline events dated ``first_year``–``last_year`` recording a
    request; with ``including_lawful``, also the claimant's acknowledgements that it complies with
    lawful requests, each counted as disputed (the claimant's denials say otherwise)."""
    if scope not in REQUEST_SCOPES:
        raise LookupError(f"unknown scope {scope!r}; choose one of {list(REQUEST_SCOPES)}")
    record = _request_record(int(first_year), int(last_year))
    requests = record[record["kind"] == "timeline request"]
    acks = record[record["kind"] == "acknowledgement"]
    denials = record[record["kind"] == "denial"]
    disputed = len(acks) if scope == "including_lawful" else 0
    count = len(requests) + disputed
    said = "; ".join(f"{r['who']}, {r['period']}: {r['what']}" for _, r in denials.iterrows()) or "none"
    acknowledged = "; ".join(f"{r['who']}: {r['what']}" for _, r in acks.iterrows()) or "none"
    reports = _transparency_citations()
    cited = "cited at " + ", ".join(reports) if reports else "no cited fact row is one"
    return Measurement(
        count, "government requests on record", "cases",
        f"Reading: {REQUEST_SCOPES[scope]}. {count} record(s) count: {len(requests)} timeline event(s) "
        f"dated {first_year}–{last_year} record a government request, and the claimant's statements hold "
        f"{len(denials)} denial(s) ({said}) and {len(acks)} acknowledgement(s) of lawful requests "
        f"({acknowledged}). Government-request transparency reports: {cited}.",
        vintage=f"the company's statements (incidents fact rows) and the {_VINTAGE}",
        sources=tuple(Source(label=f"{r['who']} ({r['period']})", url=r["url"], ref=r["ref"])
                      for _, r in record.iterrows()),
        self_reported=count > 0 and len(requests) == 0,
        details={"disputed": disputed, "timeline_requests": len(requests), "acknowledgements": len(acks),
                 "denials": len(denials)})
