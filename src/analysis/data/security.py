"""Security record: the incident timeline and the two "never" claims about it.

The timeline (``data/raw/incidents/incident_timeline.csv``, committed) lists
dated public events about Huawei's security, each with its source.  Its
``type`` column is mapped to four categories by :data:`CATEGORY_OF_TYPE`.

Both claims are *absence* claims ("never", "no government has ever"): public
data can refute them with a counter-example, never prove them.  The tables here
(breach allegations, hacking mentions, the government-request record) are what
the measures in :mod:`analysis.measures.incidents` count counter-examples in.

>>> sorted(set(CATEGORY_OF_TYPE.values())) == sorted(CATEGORIES)
True
"""
import re
from functools import lru_cache

import pandas as pd

from analysis.data import facts
from analysis.data import manifest as _manifest
from analysis.data.source import Source
from analysis.errors import DataSchemaError

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
    fact = facts.lookup(FACTS_KEY, claim_id="op-ed")
    return pd.Timestamp(fact.period), "op-ed published"


def _in_years(timeline, first_year, last_year):
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    return timeline[timeline["when"].dt.year.between(first_year, last_year)]


def events_in_years(first_year, last_year, category=None, timeline=None) -> pd.DataFrame:
    """Timeline events dated ``first_year``–``last_year`` (of ``category``, if given), with Huawei's
    response status.

    >>> events_in_years(2019, 2019, "breach allegation")["line"].tolist()
    [15]
    """
    timeline = load_timeline() if timeline is None else timeline
    picked = _in_years(timeline, first_year, last_year)
    if category is not None:
        picked = picked[picked["category"] == category]
    return picked.reset_index(drop=True)


def breach_allegations(first_year, last_year, timeline=None) -> pd.DataFrame:
    """Timeline events of category "breach allegation" dated in the years, with Huawei's response status."""
    return events_in_years(first_year, last_year, "breach allegation", timeline)


def hacking_mentions(first_year, last_year, timeline=None) -> pd.DataFrame:
    """Timeline events outside "breach allegation" whose claim mentions hacking (``hack…``), e.g. a
    lawsuit in which Huawei itself alleges its servers were hacked."""
    timeline = load_timeline() if timeline is None else timeline
    picked = _in_years(timeline, first_year, last_year)
    mask = (picked["category"] != "breach allegation") & picked["what_was_claimed"].str.contains(_HACK)
    return picked[mask].reset_index(drop=True)


def timeline_source(row) -> Source:
    """A timeline row as a :class:`~analysis.claims.verdicts.Source`: the event, its page, and its line in the file."""
    entry = _manifest.get(TIMELINE_KEY)
    return Source(label=f"{row['event']} ({row['date']})", url=row["source_url"],
                  ref=f"data/raw/{entry.file}#L{row['line']}")


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
        fact = facts.lookup(FACTS_KEY, claim_id="c", metric=r["metric"])
        rows.append({"kind": kind, "who": r["entity"], "period": r["period"], "what": r["value"],
                     "ref": fact.ref, "url": r["source_url"]})
    picked = _in_years(timeline, first_year, last_year)
    for _, r in picked[picked["what_was_claimed"].str.contains(_REQUEST)].iterrows():
        rows.append({"kind": "timeline request", "who": r["actor_source"], "period": r["date"],
                     "what": r["what_was_claimed"], "ref": timeline_source(r).ref, "url": r["source_url"]})
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
