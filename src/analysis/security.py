"""Security record: the incident timeline and the two "never" claims about it.

The timeline (``data/raw/incidents/incident_timeline.csv``, committed) lists
dated public events about Huawei's security, each with its source.  Its
``type`` column is mapped to four categories by :data:`CATEGORY_OF_TYPE`.

Both claims are *absence* claims ("never", "no government has ever"): public
data can refute them with a counter-example, never prove them.  The evaluators
therefore look for counter-examples under an explicit definition and, when
none is found, say the claim is not checkable and what data would settle it.

>>> sorted(set(CATEGORY_OF_TYPE.values())) == sorted(CATEGORIES)
True
"""
import re
from functools import lru_cache

import pandas as pd

from analysis import facts, nvd
from analysis import manifest as _manifest
from analysis.errors import DataSchemaError
from analysis.verdicts import Assessment, Source, Verdict

#: facts.lookup, memoized: the fact tables are read once and Fact rows are immutable, so a
#: repeated lookup (the multiverse makes thousands) returns the same row without re-filtering.
_lookup = lru_cache(maxsize=None)(facts.lookup)

TIMELINE_KEY = "incident_timeline"
FACTS_KEY = "facts_incidents"
#: The figure's four event categories.
CATEGORIES = ("government review", "breach allegation", "vulnerability finding", "policy action")
#: The timeline's own ``type`` values → category.  "expert statement" (one row: a former GCHQ
#: director reporting what the UK's NCSC found) is filed as a government review, because what it
#: reports is the finding of a government body.  A type not listed here is a schema error.
CATEGORY_OF_TYPE = {
    "government review": "government review",
    "breach allegation": "breach allegation",
    "vulnerability finding": "vulnerability finding",
    "policy action": "policy action",
    "expert statement": "government review",
}
#: Definitions of a "major breach" the no-major-breach check can use.
BREACH_DEFINITIONS = {
    "confirmed_breach": "a breach allegation in the timeline that Huawei acknowledged (a response "
                        "with acknowledgement words and no denial words)",
    "alleged_breach": "any breach allegation in the timeline, denied or not",
    "critical_vulnerability": "any Huawei CVE at or above the severity threshold; this counts "
                              "vulnerabilities disclosed in products, NOT breaches",
}
#: How a "no government request" claim is read.
REQUEST_SCOPES = {
    "improper_only": "only improper or secret requests count; lawful court orders do not",
    "including_lawful": "any government request for customer data counts, court-mandated ones included",
}
_DENIAL = re.compile(r"\b(?:reject\w*|unsubstantiated|den(?:y|ies|ied)|no truth|unfounded|misleading)\b", re.I)
_ACKNOWLEDGEMENT = re.compile(r"\b(?:acknowledg\w*|admit\w*|confirm\w*)\b", re.I)
_HACK = re.compile(r"\bhack\w*", re.I)
_REQUEST = re.compile(r"\b(?:request\w*|asked|demand\w*)\b", re.I)
_COLUMNS = ("date", "date_precision", "event", "actor_source", "type", "what_was_claimed", "huawei_response",
            "source_url", "quote", "response_source_url", "response_quote", "notes")


def category_of(event_type, where="incident_timeline.csv") -> str:
    """The category of a timeline ``type`` value (see :data:`CATEGORY_OF_TYPE`).

    >>> category_of("expert statement")
    'government review'
    """
    try:
        return CATEGORY_OF_TYPE[event_type]
    except KeyError:
        raise DataSchemaError(f"{where}: column 'type' has {event_type!r}, which has no category; "
                              f"known types: {sorted(CATEGORY_OF_TYPE)}") from None


def response_status(response) -> str:
    """How Huawei answered an event, by rule: "denied" if the response has a denial word
    (reject, unsubstantiated, deny, no truth, unfounded, misleading); else "acknowledged" if it
    has an acknowledgement word (acknowledge, admit, confirm); else "no denial recorded".

    >>> response_status("Huawei rejected the allegations")
    'denied'
    >>> response_status("")
    'no denial recorded'
    """
    text = str(response or "")
    if _DENIAL.search(text):
        return "denied"
    if _ACKNOWLEDGEMENT.search(text):
        return "acknowledged"
    return "no denial recorded"


def _event_date(value, precision, line, where):
    formats = {"day": "%Y-%m-%d", "month": "%Y-%m"}
    if precision not in formats:
        raise DataSchemaError(f"{where}, line {line}: column 'date_precision' has {precision!r}; "
                              f"expected one of {list(formats)}")
    try:
        return pd.to_datetime(value, format=formats[precision])
    except ValueError:
        raise DataSchemaError(f"{where}, line {line}: column 'date' has {value!r}, not a "
                              f"{precision} date") from None


def read_timeline(path=None) -> pd.DataFrame:
    """The incident timeline with ``line`` (CSV line), ``when`` (a date; month precision → the 1st),
    ``category`` and ``response_status`` added.  A missing column or unknown type names the file."""
    entry = _manifest.get(TIMELINE_KEY)
    path = path or entry.path
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise DataSchemaError(f"{path}: missing column(s) {', '.join(missing)}")
    table["line"] = range(2, len(table) + 2)
    table["when"] = [_event_date(d, p, n, path) for d, p, n in
                     zip(table["date"], table["date_precision"], table["line"])]
    table["category"] = [category_of(t, path) for t in table["type"]]
    table["response_status"] = [response_status(r) for r in table["huawei_response"]]
    return table


@lru_cache(maxsize=None)
def load_timeline() -> pd.DataFrame:
    """The committed incident timeline (see :func:`read_timeline`).

    >>> len(load_timeline())
    16
    """
    return read_timeline()


def timeline_sources(timeline=None) -> pd.DataFrame:
    """One row per event, for the sources table: date, category, event, source and response URLs."""
    timeline = load_timeline() if timeline is None else timeline
    return timeline[["date", "category", "event", "source_url", "response_source_url", "line"]].reset_index(drop=True)


def op_ed_date() -> tuple:
    """(date, label) of the op-ed's publication, from its cited fact row (for marking figures).

    >>> op_ed_date()[0].strftime("%Y-%m-%d")
    '2019-03-21'
    """
    fact = _lookup(FACTS_KEY, claim_id="op-ed")
    return pd.Timestamp(fact.period), "op-ed published"


def _in_years(timeline, first_year, last_year):
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    return timeline[timeline["when"].dt.year.between(first_year, last_year)]


def breach_allegations(first_year, last_year, timeline=None) -> pd.DataFrame:
    """Timeline events of category "breach allegation" dated in the years, with Huawei's response status."""
    timeline = load_timeline() if timeline is None else timeline
    picked = _in_years(timeline, first_year, last_year)
    return picked[picked["category"] == "breach allegation"].reset_index(drop=True)


def hacking_mentions(first_year, last_year, timeline=None) -> pd.DataFrame:
    """Timeline events outside "breach allegation" whose claim mentions hacking (``hack…``), e.g. a
    lawsuit in which Huawei itself alleges its servers were hacked."""
    timeline = load_timeline() if timeline is None else timeline
    picked = _in_years(timeline, first_year, last_year)
    mask = (picked["category"] != "breach allegation") & picked["what_was_claimed"].str.contains(_HACK)
    return picked[mask].reset_index(drop=True)


def _timeline_source(row) -> Source:
    entry = _manifest.get(TIMELINE_KEY)
    return Source(label=f"{row['event']} ({row['date']})", url=row["source_url"],
                  ref=f"data/raw/{entry.file}#L{row['line']}")


def _nvd_sources(first_year, last_year):
    return [_manifest.get(nvd.feed_key(y)).source(label=f"NIST NVD JSON 1.1 feed, CVE-{y}")
            for y in nvd.FEED_YEARS if y <= last_year]


def _company_claim(metric):
    return _lookup(FACTS_KEY, claim_id="a", metric=metric)


@lru_cache(maxsize=None)
def _breach_context(first_year, last_year) -> tuple:
    """Memoized for the multiverse (the committed timeline is read once and never changes in a run):
    the allegations, their sources and names, and the hacking mentions in the years."""
    timeline = load_timeline()
    allegations = breach_allegations(first_year, last_year, timeline)
    hacking = hacking_mentions(first_year, last_year, timeline)
    return allegations, hacking, _breach_sources(allegations), _breach_sources(hacking)


def _breach_sources(rows) -> tuple:
    return tuple(_timeline_source(r) for _, r in rows.iterrows())


def _cve_count(vendor, threshold, first_year, last_year) -> int:
    """:func:`analysis.nvd.count_at_or_above` on the processed counts, from a memoized severity mix."""
    return int(_severity_mix(vendor, first_year, last_year).loc[vendor, nvd.at_or_above(threshold)].sum())


@lru_cache(maxsize=None)
def _severity_mix(vendor, first_year, last_year) -> pd.DataFrame:
    return nvd.severity_mix([vendor], first_year, last_year)


@lru_cache(maxsize=None)
def _nvd_sources_cached(first_year, last_year) -> tuple:
    return tuple(_nvd_sources(first_year, last_year))


@lru_cache(maxsize=None)
def _transparency_citations() -> tuple:
    return tuple(transparency_report_citations())


def assess_no_major_breach(claim, definition, first_year, last_year, severity_threshold="HIGH",
                           timeline=None, counts=None) -> Assessment:
    """Verdict on "we have never suffered a major security breach" under a definition of "major breach".

    Rule (from the data, whatever the definition):

    - counter-examples = the events that meet the ``definition`` (:data:`BREACH_DEFINITIONS`)
      in ``first_year``–``last_year``: acknowledged breach allegations (``confirmed_breach``),
      all breach allegations (``alleged_breach``), or Huawei CVEs at or above
      ``severity_threshold`` (``critical_vulnerability``);
    - a counter-example Huawei acknowledged (or, for CVEs, any) → NOT_SUPPORTED;
    - counter-examples none of which Huawei acknowledged (allegations against denials or
      silence) → CONFLICTING, naming them;
    - none → NOT_CHECKABLE: an absence of public evidence does not show an absence of breaches;
      the reason names the allegations that exist but do not qualify, and what data would settle it.
    """
    if definition not in BREACH_DEFINITIONS:
        raise ValueError(f"unknown major_breach_definition {definition!r}; choose one of {list(BREACH_DEFINITIONS)}")
    if timeline is None:
        allegations, hacking, allegation_sources, hacking_sources = _breach_context(first_year, last_year)
    else:
        allegations, hacking = (breach_allegations(first_year, last_year, timeline),
                                hacking_mentions(first_year, last_year, timeline))
        allegation_sources, hacking_sources = _breach_sources(allegations), _breach_sources(hacking)
    params = {"major_breach_definition": definition, "first_year": first_year, "last_year": last_year,
              "severity_threshold": severity_threshold}
    vintage = f"incident timeline (hand-gathered 2026-11), events {first_year}–{last_year}"
    sources = list(allegation_sources)
    company = _company_claim("company_claim_no_serious_incident")
    named = "; ".join(f"{r['event']} ({r['date']}; Huawei response: {r['response_status']})"
                      for _, r in allegations.iterrows()) or "none"
    if len(hacking):
        named_other = " Other timeline rows alleging hacking (not filed as breach allegations): " + "; ".join(
            f"{r['event']} ({r['date']}): {r['what_was_claimed']}" for _, r in hacking.iterrows()) + "."
        sources += list(hacking_sources)
    else:
        named_other = ""
    needed = ("Settling it would need independent incident records: breach notifications to regulators, "
              "court or regulator findings, or forensic reports by customers or authorities.")

    if definition == "critical_vulnerability":
        n = (_cve_count("Huawei", severity_threshold, first_year, last_year) if counts is None else
             nvd.count_at_or_above("Huawei", severity_threshold, first_year, last_year, counts))
        reason = (f"Under the definition 'critical_vulnerability' ({BREACH_DEFINITIONS[definition]}), NVD lists "
                  f"{n:,} Huawei CVEs of severity {severity_threshold} or above published {first_year}–{last_year}. "
                  f"A CVE is a flaw disclosed in a product, not evidence that anyone exploited it against Huawei "
                  f"or its customers, so this verdict answers a stricter question than the claim's.")
        verdict = Verdict.NOT_SUPPORTED if n > 0 else Verdict.NOT_CHECKABLE
        return Assessment(claim_id=claim.id, verdict=verdict, measured_value=n, stated_value=claim.stated.value,
                          unit=f"Huawei CVEs ≥ {severity_threshold}", rule=f"{n:,} qualifying cases = 0",
                          reason=reason + ("" if n else " " + needed),
                          vintage=f"NIST NVD JSON 1.1 feeds (snapshots 2020-03 to 2021-09), published {first_year}–{last_year}",
                          sources=list(_nvd_sources_cached(first_year, last_year)) + [company.source()],
                          parameters=params)

    qualifying = allegations if definition == "alleged_breach" else allegations[
        allegations["response_status"] == "acknowledged"]
    acknowledged = qualifying[qualifying["response_status"] == "acknowledged"]
    n = len(qualifying)
    unit = "acknowledged breaches" if definition == "confirmed_breach" else "breach allegations"
    rule = f"{n} qualifying cases = 0"
    head = (f"Under the definition '{definition}' ({BREACH_DEFINITIONS[definition]}), the timeline has {n} "
            f"qualifying event(s) in {first_year}–{last_year}.")
    if len(acknowledged):
        verdict = Verdict.NOT_SUPPORTED
        reason = f"{head} Acknowledged by Huawei: " + "; ".join(acknowledged["event"]) + "."
    elif n:
        verdict = Verdict.CONFLICTING
        reason = (f"{head} Allegations stand against Huawei's denials: {named}. Huawei's own record claim: "
                  f"'{company.quote}' ({company.period}). No court or regulator finding in the data settles them."
                  + named_other)
    else:
        verdict = Verdict.NOT_CHECKABLE
        reason = (f"{head} Absence of public evidence is not evidence of absence: a 'never' can be refuted by a "
                  f"counter-example but not proved. Breach allegations in the data that do not qualify: {named}. "
                  f"{needed}" + named_other)
    return Assessment(claim_id=claim.id, verdict=verdict, measured_value=n, stated_value=claim.stated.value,
                      unit=unit, rule=rule, reason=reason, vintage=vintage,
                      sources=sources + [company.source()], parameters=params)


def government_request_record(first_year, last_year, timeline=None) -> pd.DataFrame:
    """The public record bearing on "no government has ever asked us": company statements
    (facts rows of claim ``c``) and timeline events whose claim mentions a request.

    Columns: kind ("denial", "acknowledgement", "timeline request"), who, period, what, ref, url.
    A facts row is an acknowledgement if its metric starts ``acknowledged``, a denial if it
    starts ``company_claim_no``.
    """
    timeline = load_timeline() if timeline is None else timeline
    rows = []
    table = facts.load_facts(FACTS_KEY)
    for _, r in table[table["claim_id"] == "c"].iterrows():
        kind = ("acknowledgement" if r["metric"].startswith("acknowledged") else
                "denial" if r["metric"].startswith("company_claim_no") else "other statement")
        fact = _lookup(FACTS_KEY, claim_id="c", metric=r["metric"])
        rows.append({"kind": kind, "who": r["entity"], "period": r["period"], "what": r["value"],
                     "ref": fact.ref, "url": r["source_url"]})
    picked = _in_years(timeline, first_year, last_year)
    for _, r in picked[picked["what_was_claimed"].str.contains(_REQUEST)].iterrows():
        rows.append({"kind": "timeline request", "who": r["actor_source"], "period": r["date"],
                     "what": r["what_was_claimed"], "ref": _timeline_source(r).ref, "url": r["source_url"]})
    return pd.DataFrame(rows, columns=["kind", "who", "period", "what", "ref", "url"])


def transparency_report_citations() -> list:
    """Fact rows (any facts table's source title or URL) citing a government-request transparency report."""
    found = []
    for key, entry in _manifest.load_manifest().items():
        if key.startswith("facts_"):
            table = facts.load_facts(key)
            hits = table[table["source_title"].str.contains("transparency", case=False)
                         | table["source_url"].str.contains("transparency", case=False)]
            found += [f"data/raw/{entry.file}#L{n}" for n in hits["line"]]
    return found


def _request_parts(record) -> tuple:
    requests = record[record["kind"] == "timeline request"]
    acks = record[record["kind"] == "acknowledgement"]
    denials = record[record["kind"] == "denial"]
    sources = tuple(Source(label=f"{r['who']} ({r['period']})", url=r["url"], ref=r["ref"])
                    for _, r in record.iterrows())
    said = "; ".join(f"{r['who']}, {r['period']}: {r['what']}" for _, r in denials.iterrows())
    return record, requests, acks, denials, sources, said, _transparency_citations()


@lru_cache(maxsize=None)
def _request_context(first_year, last_year) -> tuple:
    """Memoized for the multiverse: the request record of the committed timeline and its parts."""
    return _request_parts(government_request_record(first_year, last_year, load_timeline()))


def assess_no_government_request(claim, request_scope, first_year, last_year, timeline=None) -> Assessment:
    """Verdict on "no government has ever asked us to provide confidential information".

    Rule: a timeline event recording a government request → NOT_SUPPORTED; else, with
    ``request_scope="including_lawful"``, a company acknowledgement that it complies with
    lawful (court-mandated) data requests → CONFLICTING (the company's own statements
    disagree with the claim's "no government has ever"); else NOT_CHECKABLE: requests are
    private, so their absence cannot be seen in public data, and the reason says what would be
    needed (transparency reports counting requests, which no fact row cites).
    """
    if request_scope not in REQUEST_SCOPES:
        raise ValueError(f"unknown request_scope {request_scope!r}; choose one of {list(REQUEST_SCOPES)}")
    if timeline is None:
        record, requests, acks, denials, sources, said, reports = _request_context(first_year, last_year)
    else:
        record, requests, acks, denials, sources, said, reports = _request_parts(
            government_request_record(first_year, last_year, timeline))
    sources, reports = list(sources), list(reports)
    params = {"request_scope": request_scope, "first_year": first_year, "last_year": last_year}
    vintage = "facts_incidents and incident timeline (hand-gathered 2026-11)"
    if len(requests):
        verdict, n = Verdict.NOT_SUPPORTED, len(requests)
        reason = "The timeline records government request(s): " + "; ".join(requests["what"]) + "."
    elif request_scope == "including_lawful" and len(acks):
        verdict, n = Verdict.CONFLICTING, len(acks)
        reason = (f"Read as any request ({REQUEST_SCOPES[request_scope]}), the company's own statements conflict: "
                  f"its denials are narrower ({said}), while it acknowledges: "
                  + "; ".join(f"{r['who']}: {r['what']}" for _, r in acks.iterrows())
                  + ". That acknowledgement is of a duty, not of a dated request.")
    else:
        verdict, n = Verdict.NOT_CHECKABLE, 0
        reason = (f"No public record of a government request is in the data ({len(record)} rows: "
                  f"{len(denials)} company denial(s), {len(acks)} acknowledgement(s) of lawful requests, "
                  f"{len(requests)} timeline request(s)). Requests to a company are private, so their absence "
                  f"cannot be seen in public data. The denials in the data are narrower than the claim: {said}. "
                  f"Checking it would need government-request transparency reports (requests received, by "
                  f"country and type) or disclosures by governments; "
                  + ("no fact row cites one." if not reports else "cited at " + ", ".join(reports) + "."))
    return Assessment(claim_id=claim.id, verdict=verdict, measured_value=n, stated_value=claim.stated.value,
                      unit="government requests on record", rule=f"{n} qualifying cases = 0" if n else "not checkable",
                      reason=reason, vintage=vintage, sources=sources, parameters=params)


#: Evaluators this module provides, by ledger ``method`` name (collected in :data:`analysis.audit.METHODS`).
METHODS = {
    "no_major_breach": lambda claim, p: assess_no_major_breach(
        claim, p["major_breach_definition"], p["first_year"], p["last_year"], p["severity_threshold"]),
    "no_government_request": lambda claim, p: assess_no_government_request(
        claim, p["request_scope"], p["first_year"], p["last_year"]),
}
