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

from analysis.data import manifest as _manifest
from analysis.data import tables
from analysis.data.source import Source
from analysis.errors import DatasetError


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
        """The row as a :class:`~analysis.claims.verdicts.Source` (cited page, and the row's ``ref``)."""
        return Source(label=self.source_title, url=self.source_url, ref=self.ref)

    def number(self) -> float:
        """The value as a float (an error names the row if it is not a plain number)."""
        try:
            return float(self.value)
        except ValueError:
            raise DatasetError(f"{self.ref}: value {self.value!r} is not a plain number") from None


@lru_cache(maxsize=None)
def load_facts(table) -> pd.DataFrame:
    """A fact table by manifest key, with a ``line`` column (its line in the CSV file), checked against
    the fact-table schema (:data:`analysis.data.tables.FACT_COLUMNS`; a ``source_url`` is empty or an
    http(s) address): a bad row is a DataSchemaError naming the file, the line and the column.

    >>> load_facts("facts_rd_spending").columns[:3].tolist()
    ['claim_id', 'entity', 'metric']
    """
    entry = _manifest.get(table)
    frame = tables.read_table(entry.path, "raw:facts", fix=tables.FIX_FACTS, dtype=str, keep_default_na=False)
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


def fact_id(fact: Fact) -> str:
    """The stable id of a fact row: ``<table>/<entity>/<metric>/<period>``.

    >>> fact_id(lookup("facts_population", entity="UN", metric="member_states"))
    'facts_population/UN/member_states/since 2011-07-14'
    """
    return "/".join((fact.table, fact.entity, fact.metric, fact.period))


@lru_cache(maxsize=None)
def _ids(table) -> dict:
    frame = load_facts(table)
    out = {}
    for position, (entity, metric, period) in enumerate(zip(frame["entity"], frame["metric"], frame["period"])):
        out.setdefault("/".join((table, entity, metric, period)), []).append(position)
    return out


@lru_cache(maxsize=None)
def by_id(fact: str) -> Fact:
    """The cited row with stable id ``fact`` (see :func:`fact_id`); an error names the table's ids
    that share its metric when there is no such row, or says it is ambiguous."""
    table, _, rest = fact.partition("/")
    try:
        _manifest.get(table)
    except DatasetError:
        raise DatasetError(f"fact id {fact!r}: {table!r} is not a fact table in data/raw/manifest.csv") from None
    ids = _ids(table)
    found = ids.get(fact, [])
    if len(found) != 1:
        metric = rest.split("/")[1] if rest.count("/") >= 2 else rest
        near = [i for i in ids if f"/{metric}/" in i][:8]
        why = "is ambiguous (several rows)" if found else "matches no row"
        raise DatasetError(f"fact id {fact!r} {why} in {_manifest.get(table).file}"
                           + (f"; ids with that metric: {near}" if near else ""))
    row = load_facts(table).iloc[found[0]]
    return Fact(table=table, line=int(row["line"]), entity=row["entity"], metric=row["metric"],
                period=row["period"], value=row["value"], unit=row["unit"],
                source_title=row["source_title"], source_url=row["source_url"], quote=row["quote"])


def is_own_source(fact: Fact, claimant: str) -> bool:
    """Whether a cited row is not independent of the claimant: the claimant wrote, commissioned or
    retained it (:func:`analysis.data.ties.tie`).

    >>> is_own_source(lookup("facts_population", entity="UN", metric="member_states"), "Huawei")
    False
    >>> is_own_source(by_id("facts_rd_spending/Huawei/Research and development expenses/2019"), "Huawei")
    True
    """
    from analysis.data import ties

    return bool(ties.tie(fact, claimant))


def iso_date(fact: Fact) -> str:
    """The ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) at the start of a row's period or value."""
    import re

    for text in (fact.period, fact.value):
        found = re.search(r"\d{4}(-\d{2}){0,2}", text)
        if found:
            return found.group(0)
    raise DatasetError(f"{fact.ref}: neither period {fact.period!r} nor value {fact.value!r} holds a date")
