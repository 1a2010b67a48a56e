"""Ownership: who holds Huawei Investment & Holding, from the cited ownership rows.

The rows are the ``claim_id == "c"`` rows of ``facts_rd_spending``: employee
shareholder counts and Ren Zhengfei's stake by year, from Huawei's own
publications (annual reports, huawei.com) and from the press.  Each row is
tagged with a *topic*, a *year* (the first year its ``period`` names), a parsed
*figure* and a *source kind*:

- ``company``: Huawei's own publication (huawei.com, or a copy of an annual report);
- ``press``: anything else.  No press row cites a company registry: they restate
  Huawei's figures or give older ones, so "press" is not the same as "independent".

Rules stated here once (the measures in :mod:`analysis.measures.ownership` apply them):

- *Which figure is measured*: the company's figure for the chosen year; with none,
  the press figure; with neither, nothing is measured for that year.  A figure given
  only as a bound ("80000+") is shown but not compared.
- *The Union*: Huawei has two shareholders of record, Ren Zhengfei and the
  trade-union entity that holds the employee shareholding scheme (the Union).
  Its share is derived as 100 % minus Ren's.  How the Union counts is a reading
  (:data:`UNION_READINGS`, :data:`UNION_AS`), not something the data settle.

>>> figure = employee_shareholders(2018)
>>> int(figure["value"]), figure["source_kind"]
(96768, 'company')
"""
import re

import pandas as pd

from analysis.data import facts
from analysis.data.source import Source

TABLE = "facts_rd_spending"
CLAIM_ROWS = "c"
#: Annual-report years a check can be run for (the 2018 report was current in March 2019).
YEARS = (2017, 2018, 2019, 2020)
#: Figure kinds that are point figures (bounds such as "80000+" are shown, not measured).
COMPARABLE = ("value", "sum of parts")
#: How the Union (the trade-union entity holding the employees' shares) is counted.
UNION_READINGS = {
    "look_through": "a vehicle for its employee members: private, not an institutional owner",
    "institution": "an owner in its own right: a private institutional owner",
    "not_private": "an owner in its own right that is not counted as private (whether a Chinese "
                   "trade-union entity is free of state influence is not in the data)",
}
#: What the Union is under each reading: None (looked through to its employee members, who are
#: individuals and private), or (its owner kind, whether it counts as private).
UNION_AS = {"look_through": None, "institution": ("institution", True), "not_private": ("institution", False)}
#: Quotes that describe the shareholding structure (who the shareholders are).
_STRUCTURE = re.compile(r"wholly owned|two shareholders", re.IGNORECASE)
_TOPICS = (  # (topic, pattern on "entity | metric"), first match wins
    ("employee_shareholders", r"^Huawei \| Employee shareholders"),
    ("voters", r"voting"),
    ("ren_share", r"^Ren Zhengfei \|"),
    ("ownership_statement", r"Ownership statement"),
)


#: Each topic in plain words, for sentences a reader sees.
TOPIC_WORDS = {"employee_shareholders": "employee shareholders", "voters": "shareholding employees who voted",
               "ren_share": "Ren Zhengfei's stake", "ownership_statement": "ownership statements",
               "other": "other ownership figures"}


def topic_words(topic) -> str:
    """``topic`` in plain words (:data:`TOPIC_WORDS`; an unknown topic with its underscores as spaces).

    >>> topic_words("ren_share"), topic_words("new_topic")
    ("Ren Zhengfei's stake", 'new topic')
    """
    return TOPIC_WORDS.get(topic, topic.replace("_", " "))


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


def figures_table(topic, figures: pd.DataFrame = None) -> pd.DataFrame:
    """The rows of one topic, sorted by year then source kind (company first), for display
    (``figures``: the table of :func:`ownership_figures`, read if not given)."""
    frame = ownership_figures() if figures is None else figures
    frame = frame[frame["topic"] == topic].copy()
    frame["_order"] = frame["source_kind"].map({"company": 0, "press": 1})
    frame = frame.sort_values(["year", "_order", "line"]).drop(columns="_order")
    return frame[["year", "period", "value", "unit", "figure_kind", "source_kind", "metric", "source_title",
                  "ref"]].reset_index(drop=True)


def row_source(row) -> Source:
    """A row of :func:`ownership_figures` as a :class:`~analysis.claims.verdicts.Source`."""
    return Source(label=row["source_title"], url=row["source_url"], ref=row["ref"])


def comparable(topic, year, figures: pd.DataFrame = None) -> pd.DataFrame:
    """The rows of ``topic`` in ``year`` whose figure is a point figure (:data:`COMPARABLE`), in file order."""
    frame = ownership_figures() if figures is None else figures
    frame = frame[(frame["topic"] == topic) & (frame["year"] == year)]
    return frame[frame["figure_kind"].isin(COMPARABLE)]


def measured_figure(topic, year, figures: pd.DataFrame = None):
    """The figure measured for ``topic`` in ``year``: the company's, else the press's; None if neither.

    Returned as the fact row (a Series with ``figure``, ``source_kind``, ``ref`` ...).
    """
    rows = comparable(topic, year, figures)
    for kind in ("company", "press"):
        picked = rows[rows["source_kind"] == kind]
        if len(picked):
            return picked.iloc[0]
    return None


def employee_shareholders(year, figures: pd.DataFrame = None):
    """The measured employee-shareholder count for ``year`` (a fact row), or None."""
    return measured_figure("employee_shareholders", year, figures)


def ren_share(year, figures: pd.DataFrame = None):
    """The measured Ren Zhengfei stake (percent) for ``year`` (a fact row), or None.

    >>> float(ren_share(2018)["figure"]), ren_share(2019)["source_kind"]
    (1.14, 'press')
    """
    return measured_figure("ren_share", year, figures)


def structure_statements(figures: pd.DataFrame = None) -> pd.DataFrame:
    """The rows whose quote describes who the shareholders are ("wholly owned", "two shareholders")."""
    frame = ownership_figures() if figures is None else figures
    return frame[frame["quote"].str.contains(_STRUCTURE)].reset_index(drop=True)


def shareholders(year, figures: pd.DataFrame = None) -> pd.DataFrame:
    """Huawei's shareholders of record in ``year`` with their stakes.

    Two holders (per :func:`structure_statements`): Ren Zhengfei (measured stake)
    and the Union (100 % minus Ren's stake, derived), with the Union's members
    (employee shareholders) where known.  Stakes are NaN if Ren's is not in the data.

    >>> shareholders(2018)[["holder", "share_pct"]].round(2).values.tolist()
    [['Ren Zhengfei', 1.14], ['the Union (employee shareholding scheme)', 98.86]]
    """
    ren = ren_share(year, figures)
    members = employee_shareholders(year, figures)
    ren_pct = float(ren["figure"]) if ren is not None else float("nan")
    return pd.DataFrame([
        {"holder": "Ren Zhengfei", "kind": "individual", "share_pct": ren_pct,
         "members": float("nan"), "basis": ren["ref"] if ren is not None else "not in the data"},
        {"holder": "the Union (employee shareholding scheme)", "kind": "union",
         "share_pct": round(100 - ren_pct, 6),
         "members": float(members["figure"]) if members is not None else float("nan"),
         "basis": "derived: 100 % minus Ren's stake (two shareholders of record)"},
    ])


def check_reading(reading) -> None:
    """A ValueError naming the readings if ``reading`` is not one of :data:`UNION_READINGS`."""
    if reading not in UNION_READINGS:
        raise ValueError(f"unknown union reading {reading!r}; choose one of {list(UNION_READINGS)}")


def holders(year, union_reading, figures: pd.DataFrame = None) -> pd.DataFrame:
    """The holders of ``year`` as the Union reading counts them: holder, kind, private, share_pct,
    represents (how many holders the row stands for), basis.

    Looking through the Union, its employee members stand in one row at their *average*
    stake (per-member holdings are not published); otherwise the Union is one holder of
    record with its kind and privacy from :data:`UNION_AS`.

    >>> holders(2018, "look_through")[["holder", "represents"]].values.tolist()
    [['Ren Zhengfei', 1.0], ['employee members of the Union (average stake)', 96768.0]]
    >>> holders(2018, "not_private")[["kind", "private"]].values.tolist()
    [['individual', True], ['institution', False]]
    """
    check_reading(union_reading)
    ren, union = shareholders(year, figures).itertuples(index=False)
    rows = [{"holder": ren.holder, "kind": "individual", "private": True, "share_pct": ren.share_pct,
             "represents": 1.0, "basis": ren.basis}]
    if UNION_AS[union_reading] is None:
        rows.append({"holder": "employee members of the Union (average stake)", "kind": "individual",
                     "private": True, "share_pct": union.share_pct / union.members, "represents": union.members,
                     "basis": "derived: the Union's stake divided by its employee members"})
    else:
        kind, private = UNION_AS[union_reading]
        rows.append({"holder": union.holder, "kind": kind, "private": private, "share_pct": union.share_pct,
                     "represents": 1.0, "basis": union.basis})
    return pd.DataFrame(rows)
