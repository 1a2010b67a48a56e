"""Measures over cited documents: opinions for and against a proposition, firms counted under a
rule, and statements attributed to a speaker.

The legal rows and their stances are :mod:`analysis.data.legal`'s (``for``, ``against``,
``disclaims``, ``record``); a statement is looked for in every row of the statement tables
(:data:`analysis.data.legal.STATEMENT_TABLES`).

>>> opinions("PRC law does not compel").details["summary"]
'0 independent for / 1 against; 1 retained by the claimant for'
>>> firm_count("without_disclaimer").value
1
>>> statement(r"\\(Ren Zhengfei\\)", r"shut\\w* .*down", "a transcript is needed").kind
'unavailable'
"""
from dataclasses import fields
from functools import lru_cache

import pandas as pd

from analysis.data import facts, legal
from analysis.measures import Measurement, register

#: The counting rules :func:`firm_count` takes (``legal.FIRM_COUNTS`` without "both", which is two counts).
FIRM_RULES = ("documented", "without_disclaimer")


@lru_cache(maxsize=None)
def _documents() -> pd.DataFrame:
    return legal.legal_documents()


def _listed(rows: pd.DataFrame) -> str:
    return "; ".join(f"{r['entity']} ({r['stance']}, {r['period']}): \u201c{r['quote']}\u201d"
                     for _, r in rows.iterrows())


def opinion_status(n_for: int, n_against: int, n_own_for: int = 0) -> str:
    """The evidence status of a proposition from documented opinions: against it, third parties or
    the claimant's own (or retained) authors for it → "contested"; only against it → "refuted"; only third parties for it → "independent";
    only the claimant's own documents for it → "self-reported only"; none → "undocumented".

    >>> opinion_status(1, 1), opinion_status(0, 2), opinion_status(2, 0), opinion_status(0, 0, 1), opinion_status(0, 0)
    ('contested', 'refuted', 'independent', 'self-reported only', 'undocumented')
    >>> opinion_status(0, 1, 1)
    'contested'
    """
    if n_against:
        return "contested" if n_for or n_own_for else "refuted"
    if n_for:
        return "independent"
    return "self-reported only" if n_own_for else "undocumented"


@register("document.opinions", "evidence")
def opinions(part: str) -> Measurement:
    """Documented opinions for and against the proposition the legal stance rules read
    (:data:`analysis.data.legal.STANCE_PATTERNS`), as one evidence part named ``part``
    (:func:`opinion_status`).  Authors are counted once; the claimant's own rows count only
    when no third party has written.  ``details``: for, against, summary ("0 independent for / 1 against; 1 retained by the claimant for")."""
    docs = _documents()
    third = docs[docs["author_kind"] == "third party"]
    supporting, opposing = third[third["stance"] == "for"], third[third["stance"] == "against"]
    own = docs[(docs["author_kind"] != "third party") & (docs["stance"] == "for")]
    n_for, n_against = supporting["entity"].nunique(), opposing["entity"].nunique()
    status = opinion_status(n_for, n_against, len(own))
    retained_rows = own[own["author_kind"] != "company"]
    cited = pd.concat([supporting, opposing, retained_rows]) if n_for or n_against else own
    retained = retained_rows["entity"].nunique()
    summary = f"{n_for} independent for / {n_against} against" + (
        f"; {retained} retained by the claimant for" if retained else "")
    return Measurement(
        ((part, status),), "legal opinions", "evidence",
        f"Documented opinions: {summary}" + (f": {_listed(cited)}." if len(cited) else "."),
        vintage="legal documents (facts tables)", sources=tuple(legal.row_source(r) for _, r in cited.iterrows()),
        self_reported=status == "self-reported only",
        details={"for": n_for, "against": n_against, "summary": summary})


@register("document.firm_count", "number")
def firm_count(rule: str) -> Measurement:
    """The law firms the claimant names that have a document in the data
    (:func:`analysis.data.legal.law_firms`), counted under ``rule``: ``documented`` (every such firm)
    or ``without_disclaimer`` (only firms whose document does not disclaim giving a PRC-law
    opinion), or ``both``: the documented count, with the other as a disagreeing alternative for
    the judge.  Both counts are in ``details``."""
    if rule not in (*FIRM_RULES, "both"):
        raise LookupError(f"unknown counting rule {rule!r}; one of {', '.join(FIRM_RULES)} or both")
    docs = _documents()
    firms = legal.law_firms(docs)
    counts = {"documented": len(firms), "without_disclaimer": int((~firms["disclaims"]).sum())}
    cited = docs[docs["entity"].isin(firms["firm"]) | docs["metric"].str.contains("law_firms")]
    described = "; ".join(f"{r.firm}{' (disclaims giving a PRC-law opinion)' if r.disclaims else ''}: {r.dated}"
                          for r in firms.itertuples())
    extra = {}
    if rule == "both":
        rule = "documented"
        extra = {"label": "documented", "alternatives": [{"label": "without disclaimer",
                                                          "value": counts["without_disclaimer"]}]}
    return Measurement(
        counts[rule], "law firms", "number",
        f"Firms named with documents in the data: {described or 'none'}. Counted: {counts['documented']} "
        f"documented, {counts['without_disclaimer']} without a disclaimer.",
        vintage="legal documents (facts tables)", sources=tuple(legal.row_source(r) for _, r in cited.iterrows()),
        details={**counts, **extra})


#: The fact tables a statement is looked for in, as a reader names them.
TABLE_WORDS = {"facts_events": "events", "facts_incidents": "incidents", "facts_rd_spending": "company figures"}


def _and(words) -> str:
    words = list(words) or ["cited"]
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]


def _own_source(row, claimant: str) -> bool:
    fact = facts.Fact(**{f.name: row[f.name] for f in fields(facts.Fact)})
    return facts.is_own_source(fact, claimant)


@register("document.statement", "any")
def statement(speaker: str, wording: str, missing: str, tables: list = legal.STATEMENT_TABLES,
              claimant: str = "Huawei") -> Measurement:
    """Rows of ``tables`` that name ``speaker`` (a regular expression on a row's entity, metric,
    value, quote or source title) and quote ``wording`` (a regular expression on the quote).

    Found: one evidence part, "independent" if a row comes from outside the ``claimant``'s own
    publications (:func:`analysis.data.facts.is_own_source`), else "self-reported only".  None found:
    unavailable, with ``missing`` (what would settle it), value 0, and the speaker's other rows
    as sources."""
    said = legal.rows_matching(speaker, tables=tuple(tables))
    quoting = said[said["quote"].str.contains(wording, regex=True)]
    if len(quoting):
        independent = not all(_own_source(r, claimant) for _, r in quoting.iterrows())
        return Measurement(
            (("statement documented", "independent" if independent else "self-reported only"),), "statements",
            "evidence", "Documented: " + "; ".join(f"{r['period']} ({r['source_title']}): \u201c{r['quote']}\u201d"
                                                  for _, r in quoting.iterrows()) + ".",
            vintage="attributed statements (facts tables)",
            sources=tuple(legal.row_source(r) for _, r in quoting.iterrows()), self_reported=not independent,
            details={"found": len(quoting)})
    other = "; ".join(f"{r['period']} ({r['source_title']}): \u201c{r['quote']}\u201d" for _, r in said.iterrows())
    names = [TABLE_WORDS.get(str(t), "other") for t in list(tables)]
    return Measurement(
        0, "statements", "unavailable",
        f"No cited row of the {_and(names)} fact table{'s' if len(names) > 1 else ''} quotes the speaker with "
        f"that wording; other rows naming the speaker: "
        f"{other or 'none'}.",
        vintage="attributed statements (facts tables)", sources=tuple(legal.row_source(r) for _, r in said.iterrows()),
        missing=missing, details={"found": 0, "speaker_rows": len(said)})
