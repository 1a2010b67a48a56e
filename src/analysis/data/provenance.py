"""Per-number provenance: the dataset and row each measured value came from.

Every :class:`~analysis.claims.verdicts.Source` carries a ``ref``: ``data/raw/<file>``
for a whole file or ``data/raw/<file>#L<line>`` for one row.  This module maps a
ref to its manifest dataset (publisher, URL, SHA-256, retrieved date), reads the
cited row when the file is in the checkout, and names the anchor the report's
provenance page (``sources.html``) gives it, so that every number shown can link
to ``sources.html#<anchor>``.

>>> parse_ref("data/raw/rd_spending/facts.csv#L49")
('rd_spending/facts.csv', 49)
>>> anchor("data/raw/rd_spending/facts.csv#L49")
'facts_rd_spending-L49'
>>> anchor("data/raw/rd_spending/SB2019_World2500.csv")
'ds-scoreboard_2019'
"""
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.data import manifest as _manifest

_REF = re.compile(r"^data/raw/(?P<file>[^#]+?)(?:#L(?P<line>\d+))?$")
#: File types whose rows can be read and shown (others are cited by file and line only).
READABLE = (".csv", ".txt", ".tsv")


def parse_ref(ref) -> tuple:
    """``(file below data/raw, line or None)`` of a source ref; an error for anything else.

    >>> parse_ref("data/raw/article/article.txt")
    ('article/article.txt', None)
    """
    match = _REF.match(ref or "")
    if not match:
        raise ValueError(f"not a data reference {ref!r}; expected 'data/raw/<file>' or 'data/raw/<file>#L<n>'")
    return match["file"], (int(match["line"]) if match["line"] else None)


def dataset_for(file, manifest=None):
    """The manifest :class:`~analysis.data.manifest.Dataset` whose file is ``file``, or None.

    >>> dataset_for("rd_spending/facts.csv").key
    'facts_rd_spending'
    """
    manifest = manifest or _manifest.load_manifest()
    return next((d for d in manifest.values() if d.file == file), None)


def _slug(text) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def dataset_anchor(key) -> str:
    """The provenance page's anchor of a whole dataset.

    >>> dataset_anchor("scoreboard_2019")
    'ds-scoreboard_2019'
    """
    return f"ds-{_slug(key)}"


def anchor(ref, manifest=None) -> str:
    """The provenance page's anchor for ``ref``: ``<dataset key>-L<line>`` for a row,
    ``ds-<dataset key>`` for a whole file, ``ref-<file>`` for a file not in the manifest."""
    file, line = parse_ref(ref)
    entry = dataset_for(file, manifest)
    if entry is None:
        base = f"ref-{_slug(file)}"
        return f"{base}-L{line}" if line else base
    return f"{_slug(entry.key)}-L{line}" if line else dataset_anchor(entry.key)


def read_row(path, line):
    """``(header, cells)`` of 1-based ``line`` of a CSV file (header = its first row), or, for
    a plain-text file, ``(None, [the line's text])``; None if the file or line is absent.

    >>> header, cells = read_row(paths.RAW / "rd_spending" / "facts.csv", 49)
    >>> dict(zip(header, cells))["value"]
    '131659'
    """
    path = Path(path)
    if path.suffix not in READABLE or not path.is_file() or line < 1:
        return None
    with open(path, newline="", encoding="utf-8") as fh:
        if path.suffix == ".txt":
            for number, text in enumerate(fh, start=1):
                if number == line:
                    return None, [text.rstrip("\n")]
            return None
        # Rows are numbered as the library numbers them (facts.load_facts, the Scoreboard build):
        # header on line 1, the n-th record on line n + 1 (blank lines skipped, as pandas does).
        reader = csv.reader(fh, delimiter="\t" if path.suffix == ".tsv" else ",")
        header = next(reader, None)
        records = (cells for cells in reader if cells)
        for number, cells in enumerate(records, start=2):
            if number == line:
                return header, cells
    return None


#: Columns of the committed table of cited rows (:data:`analysis.paths.CITED_ROWS`, written by
#: :mod:`analysis.claims.evidence`): the ref, the SHA-256 of the file read, the header and the cells (JSON).
CITED_ROW_COLUMNS = ("ref", "sha256", "header", "cells")


def load_cited_rows(path=None) -> dict:
    """The committed table of cited rows as ``{ref: {ref, sha256, header, cells}}`` (empty if none)."""
    import json

    path = Path(path or paths.CITED_ROWS)
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["ref"]: {**r, "header": json.loads(r["header"]), "cells": json.loads(r["cells"])}
                for r in csv.DictReader(fh)}


@dataclass
class CitedRow:
    """One cited place: a row of a dataset (or a whole file), with what cites it."""

    ref: str
    anchor: str
    file: str
    line: object
    dataset: object                  # manifest Dataset, or None if the file is not in the manifest
    header: object = None            # column names, when the row could be read
    cells: object = None             # the row's values, when it could be read
    cited_by: list = field(default_factory=list)   # claim ids
    labels: list = field(default_factory=list)     # (label, url) pairs the citing sources give
    from_table: bool = False         # read from the committed table of cited rows, not the raw file

    @property
    def available(self) -> bool:
        """Whether the row itself is shown (kept in the table of cited rows, or read from its file)."""
        return self.cells is not None

    @property
    def fields(self) -> dict:
        """The row as ``{column: value}`` (empty when not read or header-less)."""
        return dict(zip(self.header, self.cells)) if self.header and self.cells else {}

    @property
    def is_fact(self) -> bool:
        """A hand-gathered fact row (it carries its own quote and source URL)."""
        return {"quote", "source_url"} <= set(self.fields)


def cited_rows(assessments, manifest=None, raw_dir=None, table=None) -> list:
    """Every distinct source ref the assessments cite, as :class:`CitedRow` (rows taken from the
    committed table of cited rows, ``table`` or :func:`load_cited_rows`, when it was read from the file
    the manifest pins, else read from ``raw_dir``; so what a page shows does not depend on which raw
    files a checkout has fetched), ordered by manifest order, then line."""
    manifest = manifest or _manifest.load_manifest()
    raw_dir = Path(raw_dir or paths.RAW)
    table = load_cited_rows() if table is None else table
    found = {}
    for a in assessments:
        for s in a.sources:
            if not s.ref:
                continue
            row = found.get(s.ref)
            if row is None:
                file, line = parse_ref(s.ref)
                entry = dataset_for(file, manifest)
                row = CitedRow(ref=s.ref, anchor=anchor(s.ref, manifest), file=file, line=line, dataset=entry)
                if line:
                    # the committed copy first, while it is of the pinned file: then the page is the same
                    # whether or not this checkout has fetched the raw file
                    kept = table.get(s.ref)
                    if kept and entry is not None and kept["sha256"] == entry.sha256:
                        read, row.from_table = (kept["header"], kept["cells"]), True
                    else:
                        read = read_row(raw_dir / file, line)
                    if read is not None:
                        row.header, row.cells = read
                found[s.ref] = row
            if a.claim_id not in row.cited_by:
                row.cited_by.append(a.claim_id)
            if (s.label, s.url) not in row.labels:
                row.labels.append((s.label, s.url))
    order = {key: i for i, key in enumerate(manifest)}
    return sorted(found.values(), key=lambda r: (order.get(r.dataset.key, len(order)) if r.dataset else len(order),
                                                 r.file, r.line or 0))


def datasets_cited(assessments, manifest=None) -> list:
    """The manifest datasets the assessments cite (manifest order, no repeats)."""
    manifest = manifest or _manifest.load_manifest()
    keys = set()
    for a in assessments:
        for s in a.sources:
            if s.ref:
                entry = dataset_for(parse_ref(s.ref)[0], manifest)
                if entry is not None:
                    keys.add(entry.key)
    return [d for k, d in manifest.items() if k in keys]
