"""Legal statements: documented opinions on whether Chinese law can compel Huawei, and who said what.

These claims are legal opinions and attributed statements.  The data can answer
only "does the cited document exist, when is it dated, and what does it say";
whether PRC law (for example the 2017 National Intelligence Law) in fact compels
a company is a different question that no dataset here settles.

The documents are the legal rows of ``facts_events`` (``claim_id == "e"``) and any
row of ``facts_incidents`` whose text mentions law, legal opinions or compulsion.
Each row gets a *stance* from its value and quote (:data:`STANCE_PATTERNS`, first
match wins) and an *author kind* (``company`` if the entity is Huawei, else
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
from functools import lru_cache

import pandas as pd

from analysis import facts
from analysis import manifest as _manifest
from analysis.verdicts import Assessment, Source, Verdict, check, judge, not_checkable

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
#: Tables searched for attributed statements (MFA, Ren Zhengfei).
STATEMENT_TABLES = ("facts_events", "facts_incidents", "facts_rd_spending")
#: Ways a Ministry of Foreign Affairs statement would be named in a row.
MFA_PATTERN = re.compile(r"Ministry of Foreign Affairs|\bMFA\b|foreign ministry", re.IGNORECASE)
#: Rows where Ren Zhengfei speaks: attributed to him in the entity, or his interview/statement in the title.
REN_SPEAKER = re.compile(r"\(Ren Zhengfei\)|Ren Zhengfei (interview|commits|says)|founder Ren Zhengfei|founder says")
#: The shut-down wording of Ren's statement.
SHUT_DOWN_PATTERN = re.compile(r"\bshut\w*\b.*\bdown\b|\bclose the company\b", re.IGNORECASE)
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


@lru_cache(maxsize=None)
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
            "author_kind": "company" if "huawei" in r["entity"].lower() else "third party",
            "source_title": r["source_title"], "source_url": r["source_url"], "quote": r["quote"],
            "notes": r["notes"], "ref": _row_ref(table, int(r["line"])),
        })
    return pd.DataFrame(rows)


def _source(row) -> Source:
    return Source(label=row["source_title"], url=row["source_url"], ref=row["ref"])


def stance_counts() -> pd.DataFrame:
    """Third-party authors by stance: stance, authors (comma-joined), n."""
    docs = legal_documents()
    third = docs[docs["author_kind"] == "third party"]
    out = []
    for stance in ("for", "against", "disclaims"):
        authors = sorted(set(third.loc[third["stance"] == stance, "entity"]))
        out.append({"stance": stance, "authors": ", ".join(authors), "n": len(authors)})
    return pd.DataFrame(out)


def assess_cannot_compel(claim) -> Assessment:
    """Verdict on "under Chinese law Huawei could be compelled ... this is not true".

    Rule, on documented third-party statements (Huawei's own excluded): both
    "for" and "against" → conflicting; only "for" → supported with caveats (an
    opinion, not the law); only "against" → not supported; neither → not checkable.
    """
    docs = legal_documents()
    third = docs[docs["author_kind"] == "third party"]
    supporting = third[third["stance"] == "for"]
    opposing = third[third["stance"] == "against"]
    n_for, n_against = supporting["entity"].nunique(), opposing["entity"].nunique()
    measured = f"{n_for} for / {n_against} against"
    rule = "third-party statements for vs against (conflicting if both exist)"
    sources = [_source(r) for _, r in pd.concat([supporting, opposing]).iterrows()]
    listed = "; ".join(f"{r['entity']} ({r['stance']}, {r['period']}): \"{r['quote']}\""
                       for _, r in pd.concat([supporting, opposing]).iterrows())
    scope = ("This checks what documented opinions say, not what PRC law says: the text of the 2017 National "
             "Intelligence Law and full analyses of it are not in the data.")
    vintage = "legal opinions 2018–2019 (facts_events)"
    if n_for and n_against:
        verdict = Verdict.CONFLICTING
        reason = f"Documented opinions disagree: {listed}. {scope}"
    elif n_for:
        verdict = Verdict.SUPPORTED_WITH_CAVEATS
        reason = f"Only supporting opinions are documented: {listed}. {scope}"
    elif n_against:
        verdict = Verdict.NOT_SUPPORTED
        reason = f"Only opposing opinions are documented: {listed}. {scope}"
    else:
        return not_checkable(claim, f"No third-party legal opinion is in the data. {scope}", vintage=vintage,
                             measured=measured)
    return Assessment(claim_id=claim.id, verdict=verdict, measured_value=measured,
                      stated_value=claim.stated.value, unit="legal opinions", rule=rule, reason=reason,
                      vintage=vintage, sources=sources, parameters={})


def rows_matching(pattern, tables=STATEMENT_TABLES, columns=("entity", "metric", "value", "quote")) -> pd.DataFrame:
    """Rows of the fact ``tables`` whose ``columns`` match ``pattern``: table, line, entity, period, quote, ref."""
    found = []
    for table in tables:
        for _, r in facts.load_facts(table).iterrows():
            if pattern.search(" | ".join(r[c] for c in columns)):
                found.append({"table": table, "line": int(r["line"]), "entity": r["entity"], "metric": r["metric"],
                              "period": r["period"], "quote": r["quote"], "source_title": r["source_title"],
                              "source_url": r["source_url"], "ref": _row_ref(table, int(r["line"]))})
    return pd.DataFrame(found, columns=["table", "line", "entity", "metric", "period", "quote", "source_title",
                                        "source_url", "ref"])


def assess_mfa_statement(claim) -> Assessment:
    """Verdict on the attribution "China's Ministry of Foreign Affairs has made it clear ...".

    Rule: a row naming the Ministry (:data:`MFA_PATTERN`) that says no law requires
    backdoors → supported with caveats (it was said; the law is another question);
    no such row → not checkable.
    """
    found = rows_matching(MFA_PATTERN)
    saying = found[found["quote"].str.contains(r"backdoor|back-door|back door", case=False)]
    if len(saying):
        return Assessment(
            claim_id=claim.id, verdict=Verdict.SUPPORTED_WITH_CAVEATS, measured_value=len(saying),
            stated_value=claim.stated.value, unit="statements", rule="a documented MFA statement exists",
            reason=f"{len(saying)} row(s) document the statement: " + "; ".join(saying["quote"]) +
                   ". Caveat: this shows it was said, not that PRC law requires no backdoors.",
            vintage="MFA statements (facts tables)", sources=[_source(r) for _, r in saying.iterrows()],
            parameters={})
    return not_checkable(
        claim, f"No row of {', '.join(STATEMENT_TABLES)} names the Ministry of Foreign Affairs ({len(found)} "
               "matches): an MFA press-conference transcript (or a report quoting it) is needed to check the "
               "attribution. The legal substance is the question of chinese-law-cannot-compel.",
        vintage="no MFA source in the data", measured=len(saying), unit="statements")


def law_firms() -> pd.DataFrame:
    """The law firms Huawei names, with their documents in the data.

    Firms = third-party authors of legal rows whose name appears in the quote of
    Huawei's own row counting law firms.  Columns: firm, documents, dated (the
    document rows' periods), disclaims (bool), concludes (bool: a "for" row).
    """
    docs = legal_documents()
    claim_rows = docs[(docs["author_kind"] == "company") & docs["metric"].str.contains("law_firms")]
    named_in = " ".join(claim_rows["quote"])
    third = docs[docs["author_kind"] == "third party"]
    out = []
    for firm in sorted(set(third["entity"])):
        if firm not in named_in:
            continue
        mine = third[third["entity"] == firm]
        out.append({"firm": firm, "documents": len(mine),
                    "dated": "; ".join(f"{m}: {p}" for m, p in zip(mine["metric"], mine["period"])),
                    "disclaims": bool((mine["stance"] == "disclaims").any()),
                    "concludes": bool((mine["stance"] == "for").any())})
    return pd.DataFrame(out, columns=["firm", "documents", "dated", "disclaims", "concludes"])


@lru_cache(maxsize=None)
def _firm_record() -> tuple:
    """Memoized for the multiverse (the cited rows are read once): the two firm counts, the
    sources and the firms described."""
    firms = law_firms()
    counts = {"documented": len(firms), "without_disclaimer": int((~firms["disclaims"]).sum())}
    docs = legal_documents()
    sources = tuple(_source(r) for _, r in docs[docs["entity"].isin(firms["firm"]) |
                                                docs["metric"].str.contains("law_firms")].iterrows())
    described = "; ".join(f"{r.firm}{' (disclaims giving a PRC-law opinion)' if r.disclaims else ''}: {r.dated}"
                          for r in firms.itertuples())
    return counts, sources, described


def assess_two_law_firms(claim, firm_count) -> Assessment:
    """Verdict on "independently confirmed by two different law firms, including Clifford Chance".

    ``firm_count`` picks the count (:data:`FIRM_COUNTS`); with ``both``, the
    verdict is conflicting if the two counts disagree on whether the claim is met.
    """
    if firm_count not in FIRM_COUNTS:
        raise ValueError(f"unknown firm count {firm_count!r}; choose one of {list(FIRM_COUNTS)}")
    counts, sources, described = _firm_record()
    sources = list(sources)
    reason = (f"Huawei names these firms; documents in the data: {described}. Counted: "
              f"{counts['documented']} documented, {counts['without_disclaimer']} without a disclaimer.")
    caveats = ["both documents were obtained or used by Huawei, so 'independently' is not shown by the data",
               "the London headquarters is not in the data"]
    params = {"firm_count": firm_count}
    vintage = "legal documents 2018–2019 (facts_events)"
    if firm_count == "both":
        results = {k: check(claim.stated.comparator, v, claim.stated.value) for k, v in counts.items()}
        if len({r.holds for r in results.values()}) > 1:
            return Assessment(
                claim_id=claim.id, verdict=Verdict.CONFLICTING,
                measured_value=f"{counts['documented']} documented / {counts['without_disclaimer']} without disclaimer",
                stated_value=claim.stated.value, unit="law firms",
                rule="; ".join(f"{k}: {r.rule}" for k, r in results.items()),
                reason=reason + " Rule: the two counts disagree on whether the claim is met, so the verdict is "
                                "conflicting. Caveat: " + "; ".join(caveats) + ".",
                vintage=vintage, sources=sources, parameters=params)
        measured = counts["documented"]
    else:
        measured = counts[firm_count]
    return judge(claim, measured, unit="law firms", reason=reason, vintage=vintage, sources=sources,
                 caveats=caveats, parameters=params)


def ren_statements() -> pd.DataFrame:
    """Rows where Ren Zhengfei is the speaker (:data:`REN_SPEAKER`), not rows about his stake.

    >>> ren_statements()["ref"].tolist()
    ['data/raw/incidents/facts.csv#L6', 'data/raw/rd_spending/facts.csv#L41', 'data/raw/rd_spending/facts.csv#L77']
    """
    found = rows_matching(REN_SPEAKER, columns=("entity", "source_title"))
    return found[~found["metric"].str.contains("hareholding")].reset_index(drop=True)


def assess_shut_down_statement(claim) -> Assessment:
    """Verdict on "Ren Zhengfei told ... reporters that he would rather shut the company down ...".

    A statement of intent: only whether he said it is checkable.  Rule: a row
    attributed to Ren that quotes the shut-down wording (:data:`SHUT_DOWN_PATTERN`)
    → supported with caveats (he said it, not that it would happen); none → not
    checkable, naming the nearest documented Ren statements.
    """
    ren = ren_statements()
    saying = ren[ren["quote"].str.contains(SHUT_DOWN_PATTERN)]
    if len(saying):
        return Assessment(
            claim_id=claim.id, verdict=Verdict.SUPPORTED_WITH_CAVEATS, measured_value=len(saying),
            stated_value=claim.stated.value, unit="documented statements", rule="a row quotes the statement",
            reason="Documented: " + "; ".join(f"{r.period}: \"{r.quote}\"" for r in saying.itertuples()) +
                   ". Caveat: this shows he said it, not that he would do it.",
            vintage="Ren statements (facts tables)", sources=[_source(r) for _, r in saying.iterrows()],
            parameters={})
    near = ren[ren["period"].str.contains("2018|2019")]
    nearest = "; ".join(f"{r.period} ({r.source_title}): \"{r.quote}\"" for r in near.itertuples())
    return not_checkable(
        claim, f"No row quotes Ren Zhengfei saying he would rather shut the company down; a transcript or report "
               f"of that press meeting is needed. Nearest documented Ren statements: {nearest or 'none'}. Even if "
               f"documented, it would show that he said it, not that it would happen.",
        vintage="Ren statements 2018–2019 (facts tables)", sources=[_source(r) for _, r in near.iterrows()],
        measured=0, unit="documented statements")


#: Evaluators this module provides, by ledger ``method`` name (collected in :data:`analysis.audit.METHODS`).
METHODS = {
    "legal_cannot_compel": lambda claim, p: assess_cannot_compel(claim),
    "legal_mfa_statement": lambda claim, p: assess_mfa_statement(claim),
    "legal_two_law_firms": lambda claim, p: assess_two_law_firms(claim, p["firm_count"]),
    "legal_shut_down_statement": lambda claim, p: assess_shut_down_statement(claim),
}
