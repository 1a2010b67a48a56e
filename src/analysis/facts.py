"""Hand-gathered fact tables: one cited figure per row.

Each ``facts.csv`` row has ``claim_id, entity, metric, period, value, unit,
source_title, source_url, quote, notes``.  The library never uses a figure that
is not in such a row (or in a pinned dataset); :func:`lookup` returns the row
with a reference (``file#Lline``) that reports link to.

>>> fact = lookup("facts_rd_spending", entity="Huawei",
...               metric="Research and development expenses", period="2019")
>>> fact.value, fact.unit
('131659', 'CNY million')
"""
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analysis import manifest as _manifest
from analysis.errors import DatasetError
from analysis.verdicts import Source


@dataclass(frozen=True)
class Fact:
    """One cited figure."""

    table: str
    line: int
    entity: str
    metric: str
    period: str
    value: str
    unit: str
    source_title: str
    source_url: str
    quote: str

    @property
    def ref(self) -> str:
        """Where the row is: ``data/raw/<file>#L<line>``."""
        return f"data/raw/{_manifest.get(self.table).file}#L{self.line}"

    def source(self) -> Source:
        """The row as a :class:`~analysis.verdicts.Source` (cited page, and the row's ``ref``)."""
        return Source(label=self.source_title, url=self.source_url, ref=self.ref)

    def number(self) -> float:
        """The value as a float (an error names the row if it is not a plain number)."""
        try:
            return float(self.value)
        except ValueError:
            raise DatasetError(f"{self.ref}: value {self.value!r} is not a plain number") from None


@lru_cache(maxsize=None)
def load_facts(table) -> pd.DataFrame:
    """A fact table by manifest key, with a ``line`` column (its line in the CSV file).

    >>> load_facts("facts_rd_spending").columns[:3].tolist()
    ['claim_id', 'entity', 'metric']
    """
    entry = _manifest.get(table)
    frame = pd.read_csv(entry.path, dtype=str, keep_default_na=False)
    frame["line"] = range(2, len(frame) + 2)
    return frame


@lru_cache(maxsize=None)
def _positions(table) -> dict:
    """``{column: {value: row positions}}`` of a fact table: lookups without scanning it."""
    frame = load_facts(table)
    index = {}
    for column in frame.columns:
        where = {}
        for position, value in enumerate(frame[column].astype(str)):
            where.setdefault(value, []).append(position)
        index[column] = {value: frozenset(found) for value, found in where.items()}
    return index


def lookup(table, **match) -> Fact:
    """The one row of ``table`` whose columns equal ``match``; an error if none or several."""
    frame = load_facts(table)
    index = _positions(table)
    found = None
    for column, value in match.items():
        if column not in index:
            raise DatasetError(f"{_manifest.get(table).file}: no column {column!r}; columns: "
                               f"{', '.join(frame.columns)}")
        rows = index[column].get(str(value), frozenset())
        found = rows if found is None else found & rows
    found = sorted(found) if found is not None else list(range(len(frame)))
    if len(found) != 1:
        where = ", ".join(f"{k}={v!r}" for k, v in match.items())
        raise DatasetError(f"{_manifest.get(table).file}: expected one row with {where}, "
                           f"found {len(found)}")
    row = frame.iloc[found[0]]
    return Fact(table=table, line=int(row["line"]), entity=row["entity"], metric=row["metric"],
                period=row["period"], value=row["value"], unit=row["unit"],
                source_title=row["source_title"], source_url=row["source_url"], quote=row["quote"])
