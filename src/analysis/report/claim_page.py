"""What the generic claim notebook shows: one claim, its measurement with source rows, the rule.

Every sentence here is computed from the ledger entry, the measurement and the verdict
record, so a changed parameter never leaves a stale number in the page.  The quote and the
rule-and-verdict sentence are :mod:`analysis.report.prose`'s, shared with the theme notebooks.

>>> from analysis.claims.ledger import load_ledger
>>> question(load_ledger().claim("rd-top-five-2018"))
'**Question.** R&D investment rank among companies worldwide (Huawei, 2018): is it at most 5, as “top five” says?'
"""
import pandas as pd

from analysis.claims.judge import POLICIES
from analysis.report.prose import COMPARATOR_WORDS


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
    return pd.DataFrame(rows, columns=["what", "value"])


def sources_table(measurement) -> pd.DataFrame:
    """The rows the measurement read: source, the row in this repository, and the pinned URL."""
    return pd.DataFrame([{"source": s.label, "row": s.ref, "url": s.url} for s in measurement.sources],
                        columns=["source", "row", "url"])


def policies_markdown(assessment) -> str:
    """The judge's policies this verdict applied, in plain words ('' if none)."""
    if not assessment.policies:
        return ""
    return "**Policies applied.** " + " ".join(f"*{POLICIES[p].name.replace('_', ' ')}*: {POLICIES[p].text}."
                                                for p in assessment.policies)
