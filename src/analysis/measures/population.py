"""World population: any source, vintage and year in the processed ``world_population.csv``.

>>> world_population("world_bank", "2020-04-14", 2018).value
7594270356
>>> world_population("world_bank", "2020-04-14", 2019).kind   # that vintage ends in 2018
'unavailable'
"""
from functools import lru_cache

from analysis.data import population
from analysis.measures import Measurement, register


@lru_cache(maxsize=None)
def _row(source, vintage, year):
    return population.world_population(source, int(year), vintage)


@lru_cache(maxsize=None)
def _source(file, line, source, vintage):
    return population.source_of({"file": file, "line": line, "source": source, "vintage": vintage})


@register("population.world", "number")
def world_population(source: str, vintage: str, year: int) -> Measurement:
    """The world population of ``year`` from ``source`` (World Bank: in ``vintage``; the UN
    revisions carry their own vintage, so ``vintage`` is ignored for them)."""
    row = _row(source, vintage, year)
    shown = population.label({"source": source, "vintage": population.vintage_of(source, vintage)})
    if row is None:
        return Measurement(None, "persons", "unavailable", "", vintage=shown, missing=(
            f"{shown} has no world population for {year} in the data (World Bank 2020-04-14 ends in 2018; "
            f"the WPP2019 data file starts in 2020 and only a rounded 2019 figure is cited)."))
    return Measurement(
        int(row["population"]), "persons", "number",
        f"World population {year}: {int(row['population']):,} ({population.label(row)}, {row['basis']}).",
        vintage=f"{population.label(row)} ({year})",
        sources=(_source(row["file"], int(row["line"]), row["source"], row["vintage"]),),
        details={"basis": row["basis"]},
        caveats=() if row["basis"].startswith("mid-year") else (f"population basis: {row['basis']}",))
