"""A source row: where a number came from (a dataset file and line, or a cited fact row).

Every measurement carries the rows it read as :class:`Source` objects; the report links
each one (``ref``, a path in this repository with ``#L<line>``) and its pinned ``url``.

>>> Source("EU Scoreboard 2019", "https://example.org/sb.csv", "data/raw/rd_spending/SB2019.csv#L6").ref
'data/raw/rd_spending/SB2019.csv#L6'
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a number came from: a dataset file and row, or a cited fact row."""

    label: str
    url: str
    ref: str = ""
