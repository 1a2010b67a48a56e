"""Measures over the cited ownership rows: a figure by topic and year, and the holders of record.

The rows and their rules are :mod:`analysis.data.ownership`'s: a figure is the company's for the
year, else the press's; the Union's stake is 100 % minus Ren Zhengfei's; how the Union counts
is a *reading* (``look_through``, ``institution``, ``not_private``).

>>> figure("employee_shareholders", 2018).value
96768
>>> holder_rank("Ren Zhengfei", 2018, "institution").value
2
>>> private_share(2018, "not_private").value
1.14
>>> owners_of_kind(2018, "look_through", ["state", "institution"]).details
{'complete': True}
"""
import math
from functools import lru_cache

import pandas as pd

from analysis.data import ownership
from analysis.measures import Measurement, register


@lru_cache(maxsize=None)
def _figures() -> pd.DataFrame:
    return ownership.ownership_figures()


@lru_cache(maxsize=None)
def _measured(topic: str, year: int):
    """The figure measured for ``topic`` in ``year`` (:func:`analysis.data.ownership.measured_figure`), once."""
    return ownership.measured_figure(topic, year, _figures())


@lru_cache(maxsize=None)
def _holders(year: int, union_reading: str) -> pd.DataFrame:
    return ownership.holders(year, union_reading, _figures())


@lru_cache(maxsize=None)
def _shareholders(year: int) -> pd.DataFrame:
    return ownership.shareholders(year, _figures())


def _plain(number):
    """A whole float as an int (96768.0 → 96768), else the float."""
    return int(number) if float(number).is_integer() else float(number)


def _shown(row) -> str:
    number = row["figure"]
    text = f"{number:,.0f}" if float(number).is_integer() else f"{number:g}"
    return f"{text} ({row['source_kind']}: {row['source_title']})"


def _is_own(row) -> bool:
    return row["source_kind"] == "company"


@lru_cache(maxsize=None)
def _structure_rows(year: int):
    """The rows describing who the shareholders are, of ``year`` or before (a later row describes a later time:
    it is not evidence for ``year``)."""
    rows = ownership.structure_statements(_figures())
    return rows[rows["year"].isna() | (rows["year"] <= int(year))]


def _structure_sources(year: int) -> tuple:
    return tuple(ownership.row_source(r) for _, r in _structure_rows(year).iterrows())


@lru_cache(maxsize=None)
def _structure_text(year: int) -> str:
    quotes = "; ".join(f"\u201c{r['quote']}\u201d ({r['source_kind']}, {r['period']})"
                       for _, r in _structure_rows(year).iterrows())
    return f"The cited rows describe the holders: {quotes or 'none'}."


def _other_years(frame, topic, year) -> str:
    others = frame[(frame["topic"] == topic) & (frame["year"] != year)
                   & frame["figure_kind"].isin(ownership.COMPARABLE)].sort_values(["year", "line"])
    return "; ".join(f"{int(r['year'])}: {r['value']} ({r['source_kind']})" for _, r in others.iterrows())


@register("ownership.figure", "number")
def figure(topic: str, year: int) -> Measurement:
    """The ``topic`` figure for ``year`` ("employee_shareholders", "ren_share", "voters"): the
    company's, else the press's.  The year's other point figures are in ``details["others"]``
    and the description (and a caveat where they differ); bounds ("80000+") are listed, not
    compared."""
    frame, year = _figures(), int(year)
    row = _measured(topic, year)
    context = _other_years(frame, topic, year)
    what = ownership.topic_words(topic)
    if row is None:
        return Measurement(None, "", "unavailable", f"Figures of {what} for other years: {context or 'none'}.",
                           vintage=f"{year} (not in the data)", missing=(
                               f"No figure of {what} for {year} is in the cited rows (data/raw/rd_spending/facts.csv); "
                               f"the {year} annual-report figure would settle it."))
    same_year = frame[(frame["topic"] == topic) & (frame["year"] == year) & (frame["line"] != row["line"])]
    others = same_year[same_year["figure_kind"].isin(ownership.COMPARABLE)]
    bounds = same_year[~same_year["figure_kind"].isin(ownership.COMPARABLE)]
    text = f"{row['entity']}, {row['metric']}, {year}: {_shown(row)}."
    if len(others):
        text += " Other figures for the year: " + "; ".join(_shown(r) for _, r in others.iterrows()) + "."
    if len(bounds):
        text += " Not compared (not a point figure): " + "; ".join(
            f"{r['value']} ({r['figure_kind']}, {r['source_title']})" for _, r in bounds.iterrows()) + "."
    if context:
        text += f" Other years: {context}."
    caveats = () if _is_own(row) else (f"no company figure for {year} is in the data; the figure is a press report",)
    differing = others[others["figure"] != row["figure"]]
    if len(differing):
        caveats += (f"other sources give a different figure for {year}: "
                    + "; ".join(_shown(r) for _, r in differing.iterrows()),)
    return Measurement(
        _plain(row["figure"]), row["unit"], "number", text,
        vintage=f"{year} figures ({'annual report ' + str(year) + ', year-end' if _is_own(row) else 'press'})",
        sources=(ownership.row_source(row),) + tuple(ownership.row_source(r) for _, r in others.iterrows()),
        self_reported=_is_own(row), caveats=caveats,
        details={"source_kind": row["source_kind"], "others": [_plain(v) for v in others["figure"]],
                 "label": str(row["source_kind"]),
                 "alternatives": [{"label": f"{r['source_kind']} ({r['source_title']})", "value": _plain(r["figure"])}
                                  for _, r in differing.iterrows()]})


@register("ownership.holder_rank", "rank")
def holder_rank(holder: str, year: int, union_reading: str) -> Measurement:
    """The rank of ``holder`` by stake among the holders of ``year`` under ``union_reading``
    (:func:`analysis.data.ownership.holders`); ties share the better rank.  Looking through the
    Union, its members enter at their average stake (per-member holdings are not published)."""
    year = int(year)
    table = _holders(year, union_reading)
    mine = table[table["holder"] == holder]
    if mine.empty:
        raise LookupError(f"no holder {holder!r} in {year} under {union_reading!r}; holders: "
                          f"{', '.join(table['holder'])}")
    stake, others = float(mine["share_pct"].iloc[0]), table[table["holder"] != holder]
    sources = _structure_sources(year)
    if math.isnan(stake) or others["share_pct"].isna().any():
        unknown = ", ".join(table.loc[table["share_pct"].isna(), "holder"])
        return Measurement(None, "rank", "unavailable", _structure_text(year), vintage=f"{year}", sources=sources,
                           missing=f"The stake of {unknown} in {year} cannot be derived from the cited rows.")
    rank = 1 + int((others["share_pct"] > stake).sum())
    used = [_measured("ren_share", year)]
    if ownership.UNION_AS[union_reading] is None:
        used.append(_measured("employee_shareholders", year))
    caveats = tuple(f"the figure of {ownership.topic_words(r['topic'])} for {year} is a press report (no company figure "
                    f"in the data)" for r in used if not _is_own(r))
    if ownership.UNION_AS[union_reading] is None:
        caveats += ("per-member holdings are not published: the Union's members are compared through their "
                    "average stake, so a member above the average is not seen",)
    stakes = "; ".join(f"{r.holder} {r.share_pct:.6g} %" + (f" (each of {r.represents:,.0f})" if r.represents > 1
                                                            else "") for r in table.itertuples())
    return Measurement(
        rank, "rank", "rank",
        f"Reading of the Union: {ownership.UNION_READINGS[union_reading]}. Holders of {year}: {stakes} "
        f"(the Union's stake is 100 % minus Ren's); {holder} ranks {rank}.",
        vintage=f"{year} ownership figures", sources=tuple(ownership.row_source(r) for r in used) + sources,
        self_reported=all(_is_own(r) for r in used), caveats=caveats,
        details={"holders": len(table), "members_as_average": ownership.UNION_AS[union_reading] is None})


@register("ownership.private_share", "number")
def private_share(year: int, union_reading: str) -> Measurement:
    """The percentage of ``year``'s shares held by holders that count as private under
    ``union_reading``: 100 minus the stakes of those that do not.  The holder list is the
    company's own account (restated by the press), so it is flagged self-reported."""
    year = int(year)
    table = _shareholders(year)
    ownership.check_reading(union_reading)
    union_as = ownership.UNION_AS[union_reading]
    union_private = union_as is None or union_as[1]
    public = table[(table["kind"] == "union") & (not union_private)]
    sources = _structure_sources(year)
    if public["share_pct"].isna().any():
        return Measurement(None, "percent", "unavailable", _structure_text(year), vintage=f"{year}", sources=sources,
                           missing=f"Ren Zhengfei's stake in {year} is not in the cited rows, so the stake of the "
                                   f"holders not counted as private cannot be derived.")
    value = _plain(round(100 - float(public["share_pct"].sum()), 6))
    named = ", ".join(public["holder"]) or "none"
    return Measurement(
        value, "percent", "number",
        f"{_structure_text(year)} No cited row names a state shareholder. Reading of the Union: "
        f"{ownership.UNION_READINGS[union_reading]}. Holders not counted as private: {named}; privately held "
        f"share {value:g} %.",
        vintage=f"{year} ownership structure", sources=sources, self_reported=True)


@register("ownership.owners_of_kind", "cases")
def owners_of_kind(year: int, union_reading: str, kinds: list) -> Measurement:
    """The holders of ``year`` whose kind (``individual``, ``institution``, ``state``) is one of
    ``kinds`` under ``union_reading``, as :func:`analysis.data.ownership.holders` lists them (the
    Union's members, looked through, are one row).  The holder list is complete (two holders of record)
    and the company's own account, so ``details["complete"]`` is set and it is self-reported."""
    year = int(year)
    table = _holders(year, union_reading)
    found = table[table["kind"].isin(list(kinds))]
    named = ", ".join(found["holder"]) or "none"
    return Measurement(
        len(found), "owners", "cases",
        f"{_structure_text(year)} Reading of the Union: {ownership.UNION_READINGS[union_reading]}. "
        f"Holders of kind {' or '.join(kinds)}: {named}.",
        vintage=f"{year} ownership structure", sources=_structure_sources(year), self_reported=True,
        details={"complete": True})
