"""What the generic claim notebook shows: one claim, its measurement with source rows, the rule.

Every sentence here is computed from the ledger entry, the measurement and the verdict
record, so a changed parameter never leaves a stale number in the page.

>>> from analysis.claims.ledger import load_ledger
>>> from analysis.claims import audit
>>> ledger = load_ledger()
>>> claim = ledger.claim("rd-top-five-2018")
>>> a = audit.assess_claim(claim, claim.parameters)
>>> rule_sentence(claim, a)
'The wording “top five” means at most 5; measured: rank 5 ≤ 5, so the verdict is **supported**.'
"""
import pandas as pd

from analysis.claims.judge import POLICIES

#: The comparator of a ledger entry in words.
COMPARATOR_WORDS = {
    "more_than": "more than", "at_least": "at least", "at_most": "at most", "about": "about",
    "just_over": "just over", "equals": "exactly", "within_range": "within the range",
    "none_exists": "no case at all", "qualitative": "a statement weighed on its evidence",
}


def quote_markdown(claim, article) -> str:
    """The claim quoted, with the article it comes from."""
    by = f", {article.author}" if article.author else ""
    return f"> “{claim.quote}”\n>\n> — *{article.title}*{by}"


def question(claim) -> str:
    """The question the claim raises, from its ledger entry."""
    unit = "" if claim.stated.unit in (None, "rank", "date") else f" {claim.stated.unit}"
    stated = "" if claim.stated.value is None else f" {claim.stated.value}{unit}"
    return (f"**Question.** {claim.metric[0].upper() + claim.metric[1:]} ({claim.entity}, {claim.period}): "
            f"is it {COMPARATOR_WORDS[claim.stated.comparator]}{stated}, as “{claim.stated.wording}” says?")


def measurement_table(measurement) -> pd.DataFrame:
    """The measurement as a two-column table (what, value) a reader can scan."""
    rows = [("measured value", "" if measurement.value is None else str(measurement.value)),
            ("unit", measurement.unit), ("vintage", measurement.vintage),
            ("rests only on the claimant's own figures", "yes" if measurement.self_reported else "no")]
    if measurement.missing:
        rows.append(("what would settle it", measurement.missing))
    rows += [(f"data caveat {i}", c) for i, c in enumerate(measurement.caveats, start=1)]
    return pd.DataFrame(rows, columns=["", "value"])


def sources_table(measurement) -> pd.DataFrame:
    """The rows the measurement read: source, the row in this repository, and the pinned URL."""
    return pd.DataFrame([{"source": s.label, "row": s.ref, "url": s.url} for s in measurement.sources],
                        columns=["source", "row", "url"])


def rule_sentence(claim, assessment) -> str:
    """The rule evaluated in plain sight, and the verdict it gives."""
    comparator = claim.stated.comparator
    means = (f"means {COMPARATOR_WORDS[comparator]} {claim.stated.value}" if claim.stated.value is not None
             else f"is {COMPARATOR_WORDS[comparator]}")
    return (f"The wording “{claim.stated.wording}” {means}; measured: {assessment.rule}, "
            f"so the verdict is **{assessment.verdict.value}**.")


def policies_markdown(assessment) -> str:
    """The judge's policies this verdict applied, in plain words ('' if none)."""
    if not assessment.policies:
        return ""
    return "**Policies applied.** " + " ".join(f"*{POLICIES[p].name.replace('_', ' ')}*: {POLICIES[p].text}."
                                                for p in assessment.policies)
