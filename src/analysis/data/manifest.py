"""The manifest of raw datasets: ``data/raw/manifest.csv``, one row per file.

Columns: key, file (path below ``data/raw`` and below the mirror), sha256, bytes,
url (pinned download URL; empty for a mirror-only file), publisher_page,
publisher, licence, origin (repository@commit:path), retrieved, mirror_only,
committed (small cited files kept in git), note.

>>> entry = load_manifest()["scoreboard_2019"]
>>> entry.file
'rd_spending/SB2019_World2500.csv'
"""
import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis import paths
from analysis.errors import DatasetError

COLUMNS = ("key", "file", "sha256", "bytes", "url", "publisher_page", "publisher", "licence",
           "origin", "retrieved", "mirror_only", "committed", "note")


@dataclass(frozen=True)
class Dataset:
    """One raw file as pinned in the manifest."""

    key: str
    file: str
    sha256: str
    bytes: int
    url: str
    publisher_page: str
    publisher: str
    licence: str
    origin: str
    retrieved: str
    mirror_only: bool
    committed: bool
    note: str

    @property
    def path(self) -> Path:
        """Where the verified file lives in this checkout."""
        return paths.RAW / self.file

    def source(self, line=None, label=None):
        """This file (optionally one line of it) as a :class:`~analysis.claims.verdicts.Source`.

        >>> get("scoreboard_2019").source(line=7).ref
        'data/raw/rd_spending/SB2019_World2500.csv#L7'
        """
        from analysis.data.source import Source

        ref = f"data/raw/{self.file}" + (f"#L{line}" if line else "")
        return Source(label=label or self.publisher, url=self.url or self.publisher_page, ref=ref)


def _parse_row(row, line, source):
    missing = [c for c in COLUMNS if c not in row or row[c] is None]
    if missing:
        raise DatasetError(f"{source}, line {line}: missing column(s) {', '.join(missing)}")
    if len(row["sha256"]) != 64:
        raise DatasetError(f"{source}, line {line} ({row['key']}): sha256 must be 64 hex characters")
    values = dict(row)
    values["bytes"] = int(row["bytes"])
    values["mirror_only"] = row["mirror_only"] == "yes"
    values["committed"] = row["committed"] == "yes"
    return Dataset(**{c: values[c] for c in COLUMNS})


def load_manifest(path=None) -> dict:
    """The manifest as ``{key: Dataset}``, in file order (the file is read once per process).

    >>> sorted(load_manifest())[:2]
    ['cc_portal_active_2025_12', 'cc_reports_seen']
    """
    return dict(_read(_resolved(path or paths.MANIFEST)))


@lru_cache(maxsize=None)
def _resolved(path) -> Path:
    return Path(path).resolve()


@lru_cache(maxsize=None)
def _read(path) -> dict:
    with open(path, newline="", encoding="utf-8") as fh:
        entries = {}
        for line, row in enumerate(csv.DictReader(fh), start=2):
            entry = _parse_row(row, line, path)
            if entry.key in entries:
                raise DatasetError(f"{path}, line {line}: duplicate key {entry.key!r}")
            entries[entry.key] = entry
    return entries


def get(key, manifest=None) -> Dataset:
    """The manifest entry for ``key``, or an error listing the known keys.

    >>> get("fx_annual_fred").publisher
    'US Federal Reserve H.10/G.5A via FRED'
    """
    manifest = manifest or _read(_resolved(paths.MANIFEST))  # read-only use: no copy
    try:
        return manifest[key]
    except KeyError:
        raise DatasetError(f"unknown dataset {key!r}; known keys: {', '.join(manifest)}") from None
