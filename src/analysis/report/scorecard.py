"""The scorecard: one row per ledger claim, as ``reports/scorecard.csv`` (and, through
:mod:`analysis.report.site`, the page ``reports/index.html``).

A claim that no notebook has checked (or whose notebook failed) is listed with
verdict "not yet audited" (or "notebook failed"), so the scorecard always covers
the whole ledger.  In a variant (a run with changed parameters,
:mod:`analysis.report.variants`) of part of the notebooks, the claims of the others are
"not run in this variant"; the ``parameters`` column holds, per claim, the JSON of the
changed parameters its notebook used (empty in the published report).  The ``robustness``
column says how the headline verdict fares across the claim's multiverse of defensible
choices (``data/processed/multiverse.csv``, :mod:`analysis.claims.multiverse`), e.g.
"supported in 1/1 defensible reading; sensitivity checks, not fair readings of the claim: 1 of 3 give
another verdict (another period: ...: not supported)": defensible readings are counted, sensitivity checks apart.

>>> list(COLUMNS)[:5]
['claim_id', 'quote', 'wording', 'stated_value', 'measured_value']
"""
from pathlib import Path

import pandas as pd

from analysis import atomic
from analysis.claims.audit import resolve
from analysis.claims.verdicts import Verdict

COLUMNS = ("claim_id", "quote", "wording", "stated_value", "measured_value", "unit", "verdict", "notebook",
           "sources", "rule", "reason", "vintage", "theme", "type", "robustness", "parameters")
#: The verdict label of a claim whose notebook a variant did not run.
NOT_RUN = "not run in this variant"


def build_scorecard(ledger, assessments, failed=(), robustness=None, parameters=None,
                    not_run=()) -> pd.DataFrame:
    """Join the ledger with the assessments (by claim id) into the scorecard table.

    ``failed``: notebooks that failed in this run; ``parameters``: in a variant, ``{notebook: JSON of
    the changed parameters it used}`` (None: the published report, the column stays empty);
    ``not_run``: the notebooks a variant did not run.  ``robustness``: ``{claim id: line}``; by
    default read from the committed multiverse (:func:`analysis.claims.multiverse.robustness_lines`).
    It describes the headline analysis.
    """
    if robustness is None:
        from analysis.claims.multiverse import robustness_lines  # imported here: it pulls in every evaluator

        robustness = robustness_lines(ledger)
    by_id = {a.claim_id: a for a in assessments}
    rows = []
    for claim in ledger.claims:
        row = dict.fromkeys(COLUMNS, "")
        row.update(claim_id=claim.id, quote=claim.quote, wording=claim.stated.wording,
                   stated_value="" if claim.stated.value is None else resolve(claim.stated.value, claim.parameters),
                   unit=claim.stated.unit or "", notebook=ledger.page_of(claim), theme=claim.theme,
                   type=claim.type, robustness=robustness.get(claim.id, ""),
                   verdict=_unchecked(ledger.page_of(claim), failed, not_run),
                   parameters="" if parameters is None else parameters.get(ledger.page_of(claim), "{}"))
        a = by_id.get(claim.id)
        if a is not None:
            row.update(measured_value=a.measured_value, unit=a.unit, verdict=a.verdict.value,
                       stated_value="" if a.stated_value is None else a.stated_value,
                       sources=" ; ".join(s.url for s in a.sources), rule=a.rule, reason=a.reason,
                       vintage=a.vintage)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)  # a stated 16 stays 16, not 16.0


def _unchecked(notebook, failed, not_run) -> str:
    """The verdict label of a claim no assessment came for: its notebook failed, a variant did not
    run it, or nothing checks it yet."""
    if notebook in failed:
        return "notebook failed"
    return NOT_RUN if notebook in not_run else Verdict.NOT_YET_AUDITED.value


def write_scorecard(table, reports_dir) -> Path:
    """Write ``scorecard.csv`` into ``reports_dir``; returns its path.

    The HTML pages (``index.html`` and the rest) are :func:`analysis.report.site.build_site`'s job.
    """
    return atomic.write_text(Path(reports_dir) / "scorecard.csv", table.to_csv(index=False, lineterminator="\n"))
