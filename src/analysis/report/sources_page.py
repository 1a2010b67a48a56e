"""The provenance page (``sources.html``) and its table (``sources.csv``): every row a verdict cites, then
every pinned dataset.

The page names things in words (:mod:`analysis.report.names`): a dataset by its title, a fact row by its
entity, metric and period, a raw column by its header. The code names stay where a reviewer finds the row
without reading them as prose: the file's key in the command that fetches it (``<kbd>``), its path and each
column's own name in ``title`` attributes, and all of them, one cited row a line, in ``sources.csv``. Anchors
(``<dataset key>-L<line>``, ``ds-<dataset key>``; :mod:`analysis.data.provenance`) are those every other page
links to.

>>> sources_csv_rows([])
[]
"""
import csv
import io
import json

from analysis import atomic
from analysis.data import provenance
from analysis.report import names

#: Columns of ``sources.csv``: the anchor on the page, the cited ref, the dataset's key, title and SHA-256,
#: the file below ``data/raw`` and the line, the claims citing it, and the row (the file's column names and
#: the cells, each a JSON list).
CSV_COLUMNS = ("anchor", "ref", "dataset", "title", "sha256", "file", "line", "cited_by", "columns", "cells")


def sources_csv_rows(rows) -> list:
    """``sources.csv``'s records for the cited rows (:class:`~analysis.data.provenance.CitedRow`)."""
    return [{"anchor": r.anchor, "ref": r.ref, "dataset": r.dataset.key if r.dataset else "",
             "title": names.dataset_title(r.dataset) if r.dataset else "",
             "sha256": r.dataset.sha256 if r.dataset else "", "file": r.file, "line": r.line or "",
             "cited_by": " ".join(r.cited_by), "columns": json.dumps(r.header or [], ensure_ascii=False),
             "cells": json.dumps(r.cells or [], ensure_ascii=False)} for r in rows]


def _csv_text(records) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def write_sources_page(reports_dir, env, *, info, variant, assessments, manifest, raw_dir, independence):
    """Write ``sources.html`` and ``sources.csv`` into ``reports_dir``; ``independence`` is ``row -> words``
    (whether a cited row is independent of the claimant)."""
    rows = provenance.cited_rows(assessments, manifest, raw_dir)
    atomic.write_text(reports_dir / "sources.csv", _csv_text(sources_csv_rows(rows)))
    return atomic.write_text(reports_dir / "sources.html", env.get_template("sources.html.j2").render(
        info=info, variant=variant, datasets=list(manifest.values()), anchor=provenance.dataset_anchor,
        rows=rows, independence=independence, names=names))
