"""Measures over the EU Industrial R&D Investment Scoreboard: a company's rank and R&D amount.

Any company and any edition the processed table holds (``rd_scoreboard.csv``).
Ranks are recomputed from the R&D column, ties sharing the better rank
(:mod:`analysis.data.rd`); the published ``World rank`` is kept in ``details``.

>>> scoreboard_rank("Huawei", 2017).value
6
>>> round(scoreboard_rd("Huawei", 2019).value, 1)
12739.6
"""
from functools import lru_cache

from analysis.data import manifest as _manifest
from analysis.data import rd
from analysis.measures import Measurement, register


@lru_cache(maxsize=None)
def _row(entity, edition):
    return rd.company_row(rd.load_scoreboard(), edition, entity)


def _source(edition, line):
    return _manifest.get(f"scoreboard_{edition}").source(
        line, label=f"EU Industrial R&D Investment Scoreboard {edition} (World 2500), JRC")


def _size(edition) -> int:
    board = rd.load_scoreboard()
    return int((board["edition"] == edition).sum())


@register("scoreboard.rank", "rank")
def scoreboard_rank(entity: str, edition: int) -> Measurement:
    """The company's R&D rank among the Scoreboard's companies in ``edition`` (which holds the
    R&D of the previous fiscal year: 2019 → fiscal 2018)."""
    row = _row(entity, int(edition))
    rank, published = int(row["rank"]), int(row["world_rank"])
    note = "" if rank == published else f" (the published World rank is {published})"
    return Measurement(
        rank, "rank", "rank",
        f"In the {edition} Scoreboard (R&D of fiscal {rd.FISCAL_YEAR[int(edition)]}), {row['company']} ranks "
        f"{rank} of {_size(int(edition)):,} by R&D, with €{row['rd_eur_m']:,.1f}m{note}.",
        vintage=f"Scoreboard {edition} edition (fiscal {rd.FISCAL_YEAR[int(edition)]})",
        sources=(_source(int(edition), int(row["line"])),),
        details={"world_rank": published, "company": row["company"], "rd_eur_m": float(row["rd_eur_m"])})


@register("scoreboard.rd", "number")
def scoreboard_rd(entity: str, edition: int) -> Measurement:
    """The company's R&D investment (EUR million, at the edition's own exchange rates)."""
    row = _row(entity, int(edition))
    return Measurement(
        float(row["rd_eur_m"]), "EUR million", "number",
        f"The {edition} Scoreboard gives {row['company']} R&D of €{row['rd_eur_m']:,.1f}m "
        f"(fiscal {rd.FISCAL_YEAR[int(edition)]}).",
        vintage=f"Scoreboard {edition} edition (fiscal {rd.FISCAL_YEAR[int(edition)]})",
        sources=(_source(int(edition), int(row["line"])),), details={"currency": "EUR"})
