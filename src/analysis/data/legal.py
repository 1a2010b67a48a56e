"""Legal statements: documented opinions on whether Chinese law can compel Huawei, and who said what.

These claims are legal opinions and attributed statements.  The data can answer
only "does the cited document exist, when is it dated, and what does it say";
whether PRC law (for example the 2017 National Intelligence Law) in fact compels
a company is a different question that no dataset here settles.

The documents are the legal rows of ``facts_events`` (``claim_id == "e"``) and any
row of ``facts_incidents`` whose text mentions law, legal opinions or compulsion.
Each row gets a *stance* from its value and quote (:data:`STANCE_PATTERNS`, first
match wins) and an *author kind* (``company`` if the entity is Huawei, ``retained by the
company`` if Huawei wrote, commissioned or retained it (:mod:`analysis.data.ties`), else
``third party``):

- ``against``: the row disputes that PRC law does not compel (e.g. "not convincing");
- ``disclaims``: the document says it is not a PRC-law opinion;
- ``for``: the row says PRC law does not compel / empower authorities to compel;
- ``record``: the row records a document's existence, date or availability.

>>> docs = legal_documents()
>>> sorted(set(docs["stance"]))
['against', 'disclaims', 'for', 'record']
"""
import re

import pandas as pd

from analysis.data import facts
from analysis.data import manifest as _manifest
from analysis.data.source import Source

#: Tables and how their legal rows are picked: a claim_id, or a text pattern.
LEGAL_EVENTS = ("facts_events", "e")
LEGAL_TEXT = re.compile(r"\blaws?\b|\blawyers?\b|legal opinion|\bcompel|\bempower", re.IGNORECASE)
#: Stance rules on a row's value and quote, first match wins.
STANCE_PATTERNS = (
    ("against", re.compile(r"not convincing|can still (force|compel)|could be compelled", re.IGNORECASE)),
    ("disclaims", re.compile(r"not a PRC-law opinion|should not be construed as constituting a legal opinion",
                             re.IGNORECASE)),
    ("for", re.compile(r"does not compel|do(es)? not empower|no PRC law empowers", re.IGNORECASE)),
)
#: Tables searched for attributed statements.
STATEMENT_TABLES = ("facts_events", "facts_incidents", "facts_rd_spending")
#: The columns a speaker is looked for in (who is named as saying something, and where).
SPEAKER_COLUMNS = ("entity", "metric", "value", "quote", "source_title")
#: Ways of counting the law firms that "independently confirmed" the interpretation.
FIRM_COUNTS = {
    "documented": "every firm Huawei names that has a document in the data",
    "without_disclaimer": "only firms whose document does not disclaim giving a PRC-law opinion",
    "both": "both counts; conflicting if they disagree on whether the claim is met",
}


def stance_of(value, quote) -> str:
    """The stance of a legal row from its value and quote (see :data:`STANCE_PATTERNS`).

    >>> stance_of("not convincing", "I don't find it convincing."), stance_of("2018-05-27", "Declaration")
    ('against', 'record')
    """
    text = f"{value} {quote}"
    for stance, pattern in STANCE_PATTERNS:
        if pattern.search(text):
            return stance
    return "record"


def _row_ref(table, line) -> str:
    return f"data/raw/{_manifest.get(table).file}#L{line}"


def _author_kind(entity: str, claimant: str = "Huawei") -> str:
    """"company" (the claimant itself), "retained by the company" (an author the claimant wrote,
    commissioned or retained: :mod:`analysis.data.ties`) or "third party".

    >>> _author_kind("Zhong Lun"), _author_kind("Donald Clarke (GWU)")
    ('retained by the company', 'third party')
    """
    from analysis.data import ties

    if claimant.lower() in entity.lower():
        return "company"
    return "retained by the company" if (claimant, entity) in ties.declared_ties() else "third party"


def legal_documents() -> pd.DataFrame:
    """Every legal row: table, line, entity, metric, period, value, stance, author_kind, source, quote, notes, ref."""
    rows = []
    table, claim_id = LEGAL_EVENTS
    picked = [(table, r) for _, r in facts.load_facts(table).iterrows() if r["claim_id"] == claim_id]
    picked += [("facts_incidents", r) for _, r in facts.load_facts("facts_incidents").iterrows()
               if LEGAL_TEXT.search(" ".join([r["metric"], r["value"], r["quote"], r["source_title"]]))]
    for table, r in picked:
        rows.append({
            "table": table, "line": int(r["line"]), "entity": r["entity"], "metric": r["metric"],
            "period": r["period"], "value": r["value"], "stance": stance_of(r["value"], r["quote"]),
            "author_kind": _author_kind(r["entity"]),
            "source_title": r["source_title"], "source_url": r["source_url"], "quote": r["quote"],
            "notes": r["notes"], "ref": _row_ref(table, int(r["line"])),
        })
    return pd.DataFrame(rows)


def row_source(row) -> Source:
    """A row of :func:`legal_documents` or :func:`rows_matching` as a :class:`~analysis.claims.verdicts.Source`."""
    return Source(label=row["source_title"], url=row["source_url"], ref=row["ref"])



def stance_counts(docs: pd.DataFrame = None) -> pd.DataFrame:
    """Third-party authors by stance: stance, authors (comma-joined), n (``docs``: the table of
    :func:`legal_documents`, read if not given)."""
    docs = legal_documents() if docs is None else docs
    third = docs[docs["author_kind"] == "third party"]
    out = []
    for stance in ("for", "against", "disclaims"):
        authors = sorted(set(third.loc[third["stance"] == stance, "entity"]))
        out.append({"stance": stance, "authors": ", ".join(authors), "n": len(authors)})
    return pd.DataFrame(out)


def rows_matching(pattern, tables=STATEMENT_TABLES, columns=SPEAKER_COLUMNS) -> pd.DataFrame:
    """Rows of the fact ``tables`` whose ``columns`` match ``pattern`` (a regular expression, text or
    compiled): table, line, entity, metric, period, value, unit, quote, source_title, source_url, ref.

    >>> rows_matching(r"\\(Ren Zhengfei\\)")["ref"].tolist()
    ['data/raw/incidents/facts.csv#L6']
    """
    pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
    kept = ["entity", "metric", "period", "value", "unit", "quote", "source_title", "source_url"]
    found = []
    for table in tables:
        for _, r in facts.load_facts(table).iterrows():
            if pattern.search(" | ".join(r[c] for c in columns)):
                found.append({"table": table, "line": int(r["line"]), **{c: r[c] for c in kept},
                              "ref": _row_ref(table, int(r["line"]))})
    return pd.DataFrame(found, columns=["table", "line", *kept, "ref"])


def law_firms(docs: pd.DataFrame = None) -> pd.DataFrame:
    """The law firms Huawei names, with their documents in the data (``docs``: the table of
    :func:`legal_documents`, read if not given).

    Firms = third-party authors of legal rows whose name appears in the quote of
    Huawei's own row counting law firms.  Columns: firm, documents, dated (each document row's
    metric in words, with its period), disclaims (bool), concludes (bool: a "for" row).
    """
    docs = legal_documents() if docs is None else docs
    claim_rows = docs[(docs["author_kind"] == "company") & docs["metric"].str.contains("law_firms")]
    named_in = " ".join(claim_rows["quote"])
    third = docs[docs["author_kind"] != "company"]  # third parties and the firms the claimant retained
    out = []
    for firm in sorted(set(third["entity"])):
        if firm not in named_in:
            continue
        mine = third[third["entity"] == firm]
        out.append({"firm": firm, "documents": len(mine),
                    "dated": "; ".join(f"{m.replace('_', ' ')} ({p})" for m, p in zip(mine["metric"], mine["period"])),
                    "disclaims": bool((mine["stance"] == "disclaims").any()),
                    "concludes": bool((mine["stance"] == "for").any())})
    return pd.DataFrame(out, columns=["firm", "documents", "dated", "disclaims", "concludes"])
