"""Ownership: who holds Huawei Investment & Holding, from the cited ownership rows.

The rows are the ``claim_id == "c"`` rows of ``facts_rd_spending``: employee
shareholder counts and Ren Zhengfei's stake by year, from Huawei's own
publications (annual reports, huawei.com) and from the press.  Each row is
tagged with a *topic*, a *year* (the first year its ``period`` names), a parsed
*figure* and a *source kind*:

- ``company``: Huawei's own publication (huawei.com, or a copy of an annual report);
- ``press``: anything else.  No press row cites a company registry: they restate
  Huawei's figures or give older ones, so "press" is not the same as "independent".

Rules the evaluators apply (stated here once):

- *Which figure is measured*: the company's figure for the chosen year; with none,
  the press figure; with neither, the claim is not checkable for that year.
- *Self-reported*: a figure from the company can at best give "supported with caveats".
- *Conflict*: every comparable figure for the year (company and press) is put
  through the claim's acceptance rule; if they disagree on whether it is met, the
  verdict is "conflicting".  A figure given only as a bound ("80000+") is shown but
  not compared.
- *The Union*: Huawei has two shareholders of record, Ren Zhengfei and the
  trade-union entity that holds the employee shareholding scheme (the Union).
  Its share is derived as 100 % minus Ren's.  How the Union counts is a reading
  (:data:`UNION_READINGS`), not something the data settle.

>>> figure = employee_shareholders(2018)
>>> int(figure["value"]), figure["source_kind"]
(96768, 'company')
"""
import re
from functools import lru_cache

import pandas as pd

from analysis import facts
from analysis.verdicts import Assessment, Source, Verdict, check, decide, judge, not_checkable

TABLE = "facts_rd_spending"
CLAIM_ROWS = "c"
#: Annual-report years a check can be run for (the 2018 report was current in March 2019).
YEARS = (2017, 2018, 2019, 2020)
#: Figures that enter the acceptance rule (bounds such as "80000+" are shown only).
COMPARABLE = ("value", "sum of parts")
#: How the Union (the trade-union entity holding the employees' shares) is counted.
UNION_READINGS = {
    "look_through": "a vehicle for its employee members: private, not an institutional owner",
    "institution": "an owner in its own right: a private institutional owner",
    "not_private": "an owner in its own right that is not counted as private (whether a Chinese "
                   "trade-union entity is free of state influence is not in the data)",
}
#: Quotes that describe the shareholding structure (who the shareholders are).
_STRUCTURE = re.compile(r"wholly owned|two shareholders", re.IGNORECASE)
_TOPICS = (  # (topic, pattern on "entity | metric"), first match wins
    ("employee_shareholders", r"^Huawei \| Employee shareholders"),
    ("voters", r"voting"),
    ("ren_share", r"^Ren Zhengfei \|"),
    ("ownership_statement", r"Ownership statement"),
)


def topic_of(entity, metric) -> str:
    """The ownership topic of a fact row ("employee_shareholders", "ren_share", ...; "other").

    >>> topic_of("Ren Zhengfei", "Shareholding (SCMP)")
    'ren_share'
    """
    text = f"{entity} | {metric}"
    for topic, pattern in _TOPICS:
        if re.search(pattern, text):
            return topic
    return "other"


def year_of(period):
    """The first year a ``period`` string names, or None.

    >>> year_of("end-2019 context"), year_of("as of Dec 2018 article"), year_of("n/a")
    (2019, 2018, None)
    """
    found = re.search(r"(19|20)\d\d", str(period))
    return int(found.group()) if found else None


def parse_figure(value):
    """``(number, kind)`` for a fact value: a plain number, a lower bound, a sum of parts, or text.

    >>> parse_figure("96768"), parse_figure("80000+"), parse_figure("1.18 + 0.21")
    ((96768.0, 'value'), (80000.0, 'lower bound'), (1.39, 'sum of parts'))
    >>> parse_figure("wholly owned by employees")
    (None, 'text')
    """
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text), "value"
    if re.fullmatch(r"\d+(\.\d+)?\+", text):
        return float(text[:-1]), "lower bound"
    parts = [p.strip() for p in text.split("+")]
    if len(parts) > 1 and all(re.fullmatch(r"\d+(\.\d+)?", p) for p in parts):
        return round(sum(float(p) for p in parts), 10), "sum of parts"
    return None, "text"


def source_kind(source_title, source_url) -> str:
    """``company`` for Huawei's own publications (huawei.com or an annual report), else ``press``.

    >>> source_kind("Huawei Investment & Holding 2019 Annual Report (docslib copy)", "https://docslib.org/x")
    'company'
    >>> source_kind("By letting staff share Huawei's stock (SCMP, 2020)", "https://www.scmp.com/x")
    'press'
    """
    if re.search(r"//([\w-]+\.)*huawei\.com/", source_url) or re.search(r"annual report", source_title, re.I):
        return "company"
    return "press"


@lru_cache(maxsize=None)
def ownership_figures() -> pd.DataFrame:
    """Every cited ownership row, tidy: one row per fact, in file order.

    Columns: line, topic, entity, metric, period, year, value (as written), figure,
    figure_kind, unit, source_kind, source_title, source_url, quote, ref.
    """
    table = facts.load_facts(TABLE)
    rows = []
    for _, r in table[table["claim_id"] == CLAIM_ROWS].iterrows():
        figure, kind = parse_figure(r["value"])
        rows.append({
            "line": int(r["line"]), "topic": topic_of(r["entity"], r["metric"]), "entity": r["entity"],
            "metric": r["metric"], "period": r["period"], "year": year_of(r["period"]),
            "value": r["value"], "figure": figure, "figure_kind": kind, "unit": r["unit"],
            "source_kind": source_kind(r["source_title"], r["source_url"]),
            "source_title": r["source_title"], "source_url": r["source_url"], "quote": r["quote"],
            "ref": f"data/raw/rd_spending/facts.csv#L{int(r['line'])}",
        })
    return pd.DataFrame(rows)


def figures_table(topic) -> pd.DataFrame:
    """The rows of one topic, sorted by year then source kind (company first), for display."""
    frame = ownership_figures()
    frame = frame[frame["topic"] == topic].copy()
    frame["_order"] = frame["source_kind"].map({"company": 0, "press": 1})
    frame = frame.sort_values(["year", "_order", "line"]).drop(columns="_order")
    return frame[["year", "period", "value", "unit", "figure_kind", "source_kind", "metric", "source_title",
                  "ref"]].reset_index(drop=True)


def _row_source(row) -> Source:
    return Source(label=row["source_title"], url=row["source_url"], ref=row["ref"])


@lru_cache(maxsize=None)  # memoized (read once, never changed in a run); callers only read it
def _comparable(topic, year) -> pd.DataFrame:
    frame = ownership_figures()
    frame = frame[(frame["topic"] == topic) & (frame["year"] == year)]
    return frame[frame["figure_kind"].isin(COMPARABLE)]


def measured_figure(topic, year):
    """The figure measured for ``topic`` in ``year``: the company's, else the press's; None if neither.

    Returned as the fact row (a Series with ``figure``, ``source_kind``, ``ref`` ...).
    """
    rows = _comparable(topic, year)
    for kind in ("company", "press"):
        picked = rows[rows["source_kind"] == kind]
        if len(picked):
            return picked.iloc[0]
    return None


def employee_shareholders(year):
    """The measured employee-shareholder count for ``year`` (a fact row), or None."""
    return measured_figure("employee_shareholders", year)


def ren_share(year):
    """The measured Ren Zhengfei stake (percent) for ``year`` (a fact row), or None.

    >>> float(ren_share(2018)["figure"]), ren_share(2019)["source_kind"]
    (1.14, 'press')
    """
    return measured_figure("ren_share", year)


def _plain(number):
    """A float that is a whole number as an int (96768.0 → 96768), else unchanged."""
    return int(number) if float(number).is_integer() else float(number)


def _fmt(row) -> str:
    number = row["figure"]
    shown = f"{number:,.0f}" if float(number).is_integer() else f"{number:g}"
    return f"{shown} ({row['source_kind']}: {row['source_title']})"


@lru_cache(maxsize=None)
def _figure_context(topic, year) -> tuple:
    """Memoized for the multiverse: the comparable rows of ``topic`` in ``year``, the rows not compared,
    the other years as text, and the measured row (None if none)."""
    rows = _comparable(topic, year)
    others = ownership_figures()
    others = others[(others["topic"] == topic) & (others["year"] == year) & ~others.index.isin(rows.index)]
    other_years = ownership_figures()
    other_years = other_years[(other_years["topic"] == topic) & (other_years["year"] != year)
                              & other_years["figure_kind"].isin(COMPARABLE)]
    context = "; ".join(f"{int(r['year'])}: {r['value']} ({r['source_kind']})"
                        for _, r in other_years.sort_values(["year", "line"]).iterrows())
    return rows, others, context, measured_figure(topic, year)


def assess_figure(claim, topic, year, tolerance, unit, what) -> Assessment:
    """Verdict on a quantity claim (``about``, ``just_over`` ...) from the figures of ``topic`` in ``year``.

    Applies the module's rules: company figure measured, self-reported caveat, and
    "conflicting" when comparable figures of the same year disagree on the claim.
    """
    params = {"year": year}
    rows, others, context, primary = _figure_context(topic, year)
    if primary is None:
        return not_checkable(
            claim, f"No {what} for {year} is in the cited rows (data/raw/rd_spending/facts.csv; "
                   f"PROVENANCE lists it as missing). Figures for other years: {context or 'none'}.",
            vintage=f"annual report {year} (not in the data)", parameters=params)
    outcomes = {bool(check(claim.stated.comparator, r["figure"], claim.stated.value, tolerance).holds)
                for _, r in rows.iterrows()}
    result = check(claim.stated.comparator, primary["figure"], claim.stated.value, tolerance)
    caveats = []
    if primary["source_kind"] == "company":
        caveats.append("self-reported: the figure is Huawei's own")
    else:
        caveats.append(f"no company figure for {year} is in the data; the measured figure is a press report")
    reason = f"For {year} the measured {what} is {_fmt(primary)}; rule {result.rule}."
    compared = [r for _, r in rows.iterrows() if r["line"] != primary["line"]]
    if compared:
        reason += " Other figures for the year: " + "; ".join(
            f"{_fmt(r)}, {'meets' if check(claim.stated.comparator, r['figure'], claim.stated.value, tolerance).holds else 'fails'} the rule"
            for r in compared) + "."
    if len(others):
        reason += " Not compared (not a point figure): " + "; ".join(
            f"{r['value']} ({r['figure_kind']}, {r['source_title']})" for _, r in others.iterrows()) + "."
    if context:
        reason += f" Other years: {context}."
    sources = [_row_source(primary)] + [_row_source(r) for r in compared]
    vintage = f"{year} figures (annual report {year}, year-end)" if primary["source_kind"] == "company" \
        else f"{year} figures (press)"
    if len(outcomes) > 1:
        reason += (" Rule: comparable figures for the same year disagree on whether the claim is met, "
                   "so the verdict is conflicting.")
        return Assessment(claim_id=claim.id, verdict=Verdict.CONFLICTING, measured_value=_plain(primary["figure"]),
                          stated_value=claim.stated.value, unit=unit, rule=result.rule, reason=reason,
                          vintage=vintage, sources=sources, parameters=params)
    assessment = judge(claim, _plain(primary["figure"]), unit=unit, reason=reason, vintage=vintage, sources=sources,
                       caveats=caveats, tolerance=tolerance, parameters=params)
    return assessment


def assess_employee_shareholders(claim, year, tolerance) -> Assessment:
    """Verdict on "about N shareholding employees" for annual-report ``year``, ± ``tolerance`` persons."""
    a = assess_figure(claim, "employee_shareholders", year, tolerance, "persons",
                      "number of employee shareholders")
    a.parameters["employees_tolerance"] = tolerance
    return a


def assess_ren_share(claim, year, margin) -> Assessment:
    """Verdict on "Ren owns just over X %" for ``year``: X < share ≤ X + ``margin`` (percentage points)."""
    a = assess_figure(claim, "ren_share", year, margin, "percent", "Ren Zhengfei stake (percent)")
    a.parameters["just_over_margin"] = margin
    return a


def structure_statements() -> pd.DataFrame:
    """The rows whose quote describes who the shareholders are ("wholly owned", "two shareholders")."""
    frame = ownership_figures()
    return frame[frame["quote"].str.contains(_STRUCTURE)].reset_index(drop=True)


def shareholders(year) -> pd.DataFrame:
    """Huawei's shareholders of record in ``year`` with their stakes.

    Two holders (per :func:`structure_statements`): Ren Zhengfei (measured stake)
    and the Union (100 % minus Ren's stake, derived), with the Union's members
    (employee shareholders) where known.  Stakes are NaN if Ren's is not in the data.

    >>> shareholders(2018)[["holder", "share_pct"]].round(2).values.tolist()
    [['Ren Zhengfei', 1.14], ['the Union (employee shareholding scheme)', 98.86]]
    """
    ren = ren_share(year)
    members = employee_shareholders(year)
    ren_pct = float(ren["figure"]) if ren is not None else float("nan")
    return pd.DataFrame([
        {"holder": "Ren Zhengfei", "kind": "individual", "share_pct": ren_pct,
         "members": float("nan"), "basis": ren["ref"] if ren is not None else "not in the data"},
        {"holder": "the Union (employee shareholding scheme)", "kind": "union",
         "share_pct": round(100 - ren_pct, 6),
         "members": float(members["figure"]) if members is not None else float("nan"),
         "basis": "derived: 100 % minus Ren's stake (two shareholders of record)"},
    ])


def _check_reading(reading):
    if reading not in UNION_READINGS:
        raise ValueError(f"unknown union reading {reading!r}; choose one of {list(UNION_READINGS)}")


def _structure_sources():
    return list(_structure_sources_cached())


@lru_cache(maxsize=None)  # memoized: the cited rows are read once
def _structure_sources_cached() -> tuple:
    return tuple(_row_source(r) for _, r in structure_statements().iterrows())


@lru_cache(maxsize=None)
def _shareholders(year) -> pd.DataFrame:
    """:func:`shareholders`, memoized for the evaluators (which only read it)."""
    return shareholders(year)


@lru_cache(maxsize=None)
def _structure_reason(year) -> str:
    quotes = "; ".join(f"\"{r['quote']}\" ({r['source_kind']}, {r['period']})"
                       for _, r in structure_statements().iterrows())
    return f"The cited rows describe the structure: {quotes}."


def assess_private(claim, year, union_reading) -> Assessment:
    """Verdict on "100 % private": the share held by holders that count as private under the reading."""
    _check_reading(union_reading)
    params = {"year": year, "union_reading": union_reading}
    holders = _shareholders(year)
    private = holders if union_reading != "not_private" else holders[holders["kind"] == "individual"]
    if len(private) == len(holders):
        measured = 100  # the two holders of record are the whole company
    elif private["share_pct"].notna().all():
        measured = _plain(round(float(private["share_pct"].sum()), 6))
    else:
        return not_checkable(claim, f"Ren Zhengfei's stake for {year} is not in the cited rows, so the "
                                    f"privately held share under the '{union_reading}' reading cannot be computed.",
                             vintage=f"{year}", sources=_structure_sources(), parameters=params)
    reason = (f"{_structure_reason(year)} No cited row names a state shareholder. Reading of the Union: "
              f"{UNION_READINGS[union_reading]}; privately held share {measured:g} %.")
    caveats = ["self-reported: the structure is Huawei's own account; no company-registry extract is in the data",
               "whether the trade-union holding entity is private is a reading the data describe but cannot settle"]
    return judge(claim, measured, unit="percent", reason=reason, vintage=f"{year} ownership structure",
                 sources=_structure_sources(), caveats=caveats, parameters=params)


def assess_no_state_or_institutional(claim, year, union_reading) -> Assessment:
    """Verdict on "no state or institutional owners": the count of such holders under the reading."""
    _check_reading(union_reading)
    params = {"year": year, "union_reading": union_reading}
    holders = _shareholders(year)
    counted = holders[(holders["kind"] == "union") & (union_reading != "look_through")]
    measured = len(counted)
    named = ", ".join(counted["holder"]) or "none"
    reason = (f"{_structure_reason(year)} No cited row names a state or financial-institution shareholder. "
              f"Reading of the Union: {UNION_READINGS[union_reading]}; state or institutional owners "
              f"counted: {named}.")
    caveats = ["self-reported: the holder list is Huawei's own account, restated by the press",
               "'that can influence us' is not checkable from ownership figures"]
    return judge(claim, measured, unit="state or institutional owners", reason=reason,
                 vintage=f"{year} ownership structure", sources=_structure_sources(), caveats=caveats,
                 parameters=params)


def assess_largest_shareholder(claim, year, union_reading) -> Assessment:
    """Verdict on "our largest shareholder, Ren Zhengfei": Ren's rank among holders under the reading.

    ``look_through``: Ren against individual employees; only the average employee
    stake is known (per-employee holdings are not published), so rank 1 rests on
    Ren's stake exceeding that average and carries that doubt as a caveat.
    Otherwise the Union is one shareholder of record with the remainder.
    """
    _check_reading(union_reading)
    params = {"year": year, "union_reading": union_reading}
    holders = _shareholders(year)
    ren, union = holders.iloc[0], holders.iloc[1]
    if pd.isna(ren["share_pct"]):
        return not_checkable(claim, f"Ren Zhengfei's stake for {year} is not in the cited rows "
                                    f"(PROVENANCE lists the {year} annual-report figure as missing).",
                             vintage=f"{year}", sources=_structure_sources(), parameters=params)
    ren_row = _figure_context("ren_share", year)[3]
    sources = [_row_source(ren_row)] + _structure_sources()
    caveats = ["self-reported: stakes are Huawei's own figures" if ren_row["source_kind"] == "company"
               else f"Ren's {year} stake is a press figure (no company figure in the data)"]
    if union_reading == "look_through":
        if pd.isna(union["members"]):
            return not_checkable(claim, f"The number of employee shareholders for {year} is not in the cited "
                                        f"rows, so Ren cannot be compared with the average employee stake.",
                                 vintage=f"{year}", sources=sources, parameters=params)
        average = union["share_pct"] / union["members"]
        rank = 1 if ren["share_pct"] > average else 2
        sources.append(_row_source(_figure_context("employee_shareholders", year)[3]))
        reason = (f"Looking through the Union to its {union['members']:,.0f} employee members, their "
                  f"{union['share_pct']:.2f} % averages {average:.5f} % each, against Ren's "
                  f"{ren['share_pct']:g} %; of record, the Union holds {union['share_pct']:.2f} % "
                  f"(derived) and Ren is second.")
        caveats.append("per-employee holdings are not published, so Ren is compared with the average "
                       "employee stake, not the largest")
    else:
        rank = 1 if ren["share_pct"] > union["share_pct"] else 2
        reason = (f"Counting the Union as one shareholder of record ({UNION_READINGS[union_reading]}), it holds "
                  f"{union['share_pct']:.2f} % (derived: 100 % minus Ren's {ren['share_pct']:g} %), so Ren ranks "
                  f"{rank}.")
    return judge(claim, rank, unit="rank", reason=reason, vintage=f"{year} ownership figures", sources=sources,
                 caveats=caveats, parameters=params)


#: Evaluators this module provides, by ledger ``method`` name (collected in :data:`analysis.audit.METHODS`).
METHODS = {
    "ownership_private_share": lambda claim, p: assess_private(claim, p["year"], p["union_reading"]),
    "ownership_employee_shareholders": lambda claim, p: assess_employee_shareholders(
        claim, p["year"], p["employees_tolerance"]),
    "ownership_largest_shareholder": lambda claim, p: assess_largest_shareholder(
        claim, p["year"], p["union_reading"]),
    "ownership_ren_share": lambda claim, p: assess_ren_share(claim, p["year"], p["just_over_margin"]),
    "ownership_no_state_or_institutional": lambda claim, p: assess_no_state_or_institutional(
        claim, p["year"], p["union_reading"]),
}
