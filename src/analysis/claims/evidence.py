"""Evidence in every build: the exact rows the verdicts cite, kept in a small committed table.

The large raw files are fetched, not committed, so a checkout without them could not show the
rows behind the headline verdicts.  ``build-data`` (which has the raw files) therefore writes
:data:`analysis.paths.CITED_ROWS`: for every row that a headline verdict of an article cites in a
raw file that is not committed, the row as read (header and cells), with the SHA-256 of the file
it was read from.  The provenance page shows a row from this table only while that SHA-256 is
still the one the manifest pins (:func:`analysis.data.provenance.cited_rows`); the pinned raw file
remains the way to verify it.

Rows of articles audited earlier stay in the table while their file is still pinned (an article
outside ``articles/`` adds its rows with ``build-data --article FOLDER``), so the table only grows
with what is cited.
"""
import csv
import hashlib
import io
import json
from pathlib import Path

from analysis import atomic, paths
from analysis.claims import audit
from analysis.data import manifest as _manifest
from analysis.data import provenance
from analysis.errors import ChecksumError

COLUMNS = provenance.CITED_ROW_COLUMNS


def headline_refs(ledger) -> list:
    """Every row ref (``data/raw/<file>#L<n>``) the headline verdicts of ``ledger`` cite, in order."""
    refs = []
    for claim in ledger.claims:
        if claim.measure is None:
            continue
        for source in audit.assess_claim(claim, claim.parameters).sources:
            if source.ref and "#L" in source.ref and source.ref not in refs:
                refs.append(source.ref)
    return refs


def read_rows(refs, manifest=None, raw_dir=None) -> list:
    """``[{ref, sha256, header, cells}]`` of the refs in raw files that are pinned but not committed,
    read from ``raw_dir``.  A cited row that cannot be read is an error naming it (the table must hold
    every one)."""
    manifest = manifest or _manifest.load_manifest()
    raw_dir = Path(raw_dir or paths.RAW)
    out, checked = [], set()
    for ref in refs:
        file, line = provenance.parse_ref(ref)
        entry = provenance.dataset_for(file, manifest)
        if entry is None or entry.committed:
            continue
        if file not in checked and (raw_dir / file).is_file():
            actual = hashlib.sha256((raw_dir / file).read_bytes()).hexdigest()
            if actual != entry.sha256:
                raise ChecksumError(f"{raw_dir / file}: SHA-256 {actual}, but the manifest pins {entry.sha256}; "
                                    f"no row is kept from a file that is not the pinned one (fix: python -m "
                                    f"analysis fetch {entry.key})")
            checked.add(file)
        read = provenance.read_row(raw_dir / file, line)
        if read is None:
            raise FileNotFoundError(f"{raw_dir / file}: cannot read line {line}, cited as {ref}; "
                                    f"fetch it first (python -m analysis fetch {entry.key})")
        header, cells = read
        out.append({"ref": ref, "sha256": entry.sha256, "header": header, "cells": cells})
    return out


def to_csv(rows) -> str:
    """The table's text: rows sorted by ref, header and cells as JSON lists (one stable byte form)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in sorted(rows, key=lambda r: r["ref"]):
        writer.writerow([r["ref"], r["sha256"], json.dumps(r["header"], ensure_ascii=False),
                         json.dumps(r["cells"], ensure_ascii=False)])
    return buffer.getvalue()


def write_cited_rows(ledgers, manifest=None, raw_dir=None, path=None) -> Path:
    """Write the table for the headline verdicts of ``ledgers``, keeping the rows already in it whose
    file is still pinned at the same SHA-256; returns its path."""
    manifest = manifest or _manifest.load_manifest()
    pinned = {d.sha256 for d in manifest.values()}
    kept = {ref: r for ref, r in provenance.load_cited_rows(path).items() if r["sha256"] in pinned}
    refs = [ref for ledger in ledgers for ref in headline_refs(ledger)]
    kept.update({r["ref"]: r for r in read_rows(dict.fromkeys(refs), manifest, raw_dir)})
    return atomic.write_text(Path(path or paths.CITED_ROWS), to_csv(kept.values()))
