"""The scorecard: one row per ledger claim, as ``reports/scorecard.csv`` and ``reports/index.html``.

A claim that no notebook has checked (or whose notebook failed) is listed with
verdict "not yet audited" (or "notebook failed"), so the scorecard always covers
the whole ledger.

>>> list(COLUMNS)[:5]
['claim_id', 'quote', 'wording', 'stated_value', 'measured_value']
"""
import html
from pathlib import Path

import pandas as pd

from analysis import atomic
from analysis.verdicts import Verdict

COLUMNS = ("claim_id", "quote", "wording", "stated_value", "measured_value", "unit", "verdict", "notebook",
           "sources", "rule", "reason", "vintage", "theme", "type")


def build_scorecard(ledger, assessments, failed=()) -> pd.DataFrame:
    """Join the ledger with the assessments (by claim id) into the scorecard table."""
    by_id = {a.claim_id: a for a in assessments}
    rows = []
    for claim in ledger.claims:
        row = dict.fromkeys(COLUMNS, "")
        row.update(claim_id=claim.id, quote=claim.quote, wording=claim.stated.wording,
                   stated_value="" if claim.stated.value is None else claim.stated.value,
                   unit=claim.stated.unit or "", notebook=claim.notebook or "", theme=claim.theme,
                   type=claim.type,
                   verdict="notebook failed" if claim.notebook in failed else Verdict.NOT_YET_AUDITED.value)
        a = by_id.get(claim.id)
        if a is not None:
            row.update(measured_value=a.measured_value, unit=a.unit, verdict=a.verdict.value,
                       sources=" ; ".join(s.url for s in a.sources), rule=a.rule, reason=a.reason,
                       vintage=a.vintage)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 80rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border-bottom: 1px solid #ddd; padding: .4rem; vertical-align: top; text-align: left; }}
th {{ background: #f4f4f4; }} .quote {{ font-style: italic; }} td.sources {{ max-width: 18rem; overflow-wrap: anywhere; font-size: .85em; }}
.verdict {{ font-weight: bold; padding: .1rem .4rem; border-radius: .3rem; white-space: nowrap; }}
.v-supported {{ background: #1a9850; color: #fff; }} .v-supported-with-caveats {{ background: #91cf60; }}
.v-conflicting {{ background: #fee08b; }} .v-not-supported {{ background: #d73027; color: #fff; }}
.v-not-checkable {{ background: #bbb; }} .v-not-yet-audited, .v-notebook-failed {{ background: #eee; border: 1px dashed #999; }}
</style></head><body>
<h1>{title}</h1>
<p>Every checkable claim of the article, in article order, with its verdict. Measured values come from
pinned public data or cited fact rows; each source link goes to where the number came from.
Reports: {notebooks}</p>
<table><thead><tr><th>#</th><th>Claim</th><th>Stated</th><th>Measured</th><th>Verdict</th><th>Why</th><th>Sources</th></tr></thead>
<tbody>
{rows}
</tbody></table></body></html>
"""


def _row_html(number, row) -> str:
    e = html.escape
    slug = row["verdict"].replace(" ", "-").replace(":", "")
    nb = f'<br><a href="{e(row["notebook"])}.html">{e(row["notebook"])}</a>' if row["notebook"] else ""
    sources = "<br>".join(f'<a href="{e(u)}">{e(u)}</a>' for u in str(row["sources"]).split(" ; ") if u)
    measured = "" if row["measured_value"] == "" else f'{e(str(row["measured_value"]))} {e(str(row["unit"]))}'
    return (f'<tr id="{e(row["claim_id"])}"><td>{number}</td><td><span class="quote">“{e(row["quote"])}”</span>'
            f'<br><small>{e(row["claim_id"])}</small>{nb}</td>'
            f'<td>{e(str(row["wording"]))}<br><small>{e(str(row["stated_value"]))} {e(str(row["unit"]))}</small></td>'
            f'<td>{measured}</td><td><span class="verdict v-{e(slug)}">{e(row["verdict"])}</span></td>'
            f'<td>{e(str(row["reason"]))}<br><small>{e(str(row["rule"]))}</small></td><td class="sources">{sources}</td></tr>')


def write_scorecard(table, reports_dir, notebooks=(), title="Claim audit: scorecard") -> tuple:
    """Write ``scorecard.csv`` and ``index.html`` into ``reports_dir``; returns both paths."""
    reports_dir = Path(reports_dir)
    csv_path, html_path = reports_dir / "scorecard.csv", reports_dir / "index.html"
    atomic.write_text(csv_path, table.to_csv(index=False, lineterminator="\n"))
    links = ", ".join(f'<a href="{html.escape(n)}.html">{html.escape(n)}</a>' for n in notebooks) or "none"
    rows = "\n".join(_row_html(i, row) for i, (_, row) in enumerate(table.iterrows(), start=1))
    atomic.write_text(html_path, _PAGE.format(title=html.escape(title), notebooks=links, rows=rows))
    return csv_path, html_path
