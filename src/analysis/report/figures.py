"""Figures for the notebooks: plain matplotlib, one function per chart.

Each function returns a :class:`Chart`: the figure, a plain-language description and the data it
draws.  In a notebook a Chart shows as an SVG image (sharp at any zoom) whose ``alt`` text is that
description (the HTML reports carry it), followed by a link that downloads the drawn data as CSV.
The SVG is byte-stable from run to run (a fixed ``svg.hashsalt``, no date in its metadata), so the
committed outputs stay deterministic.  Colours come from the colour-blind-safe Okabe–Ito palette;
the entity a claim is about is always the highlighted (vermillion) bar or line.
"""
import base64
import io
import json
import math
import re

import matplotlib

matplotlib.rcParams.update({"svg.hashsalt": "claim-audit", "figure.dpi": 100, "savefig.dpi": 100,
                            "axes.spines.top": False, "axes.spines.right": False})
import matplotlib.pyplot as plt  # noqa: E402  (after the rcParams above)
import pandas as pd  # noqa: E402

from analysis.claims.verdicts import SCALE, Verdict  # noqa: E402
from analysis.report.prose import short_quote  # noqa: E402

HIGHLIGHT, OTHER, LINE = "#D55E00", "#999999", "#0072B2"
#: SVG metadata written into every figure: no date (it would change at every run).
SVG_METADATA = {"Date": None}


def _layout_final(figure) -> None:
    """Drop the placeholder layout engine ``tight_layout()`` leaves on a figure: with any engine set,
    matplotlib draws the whole figure once more before each save (for an engine that would lay it out
    again, and this one does nothing), which was a third of the time of saving a chart.  The figure is
    finished: its layout is what ``tight_layout()`` made, and the saved image is the same."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    if isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine):
        figure.set_layout_engine(None)


class Chart:
    """A finished figure, its description (alt text) and the data it draws (a DataFrame).

    Displayed in Jupyter it is two outputs: the SVG image with its alt text, then a link to the
    data as CSV (a ``data:`` address, so the page needs no other file).
    """

    def __init__(self, figure, alt, data=None):
        self.figure, self.alt = figure, alt
        self.data = data if data is not None else pd.DataFrame()
        plt.close(figure)  # shown once, through _ipython_display_, not again by the inline backend
        _layout_final(figure)

    def png(self) -> bytes:
        """The figure as PNG bytes (no timestamp or version metadata, so reruns are identical)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()

    def svg(self) -> str:
        """The figure as SVG text, identical from run to run."""
        buffer = io.StringIO()
        self.figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
        return buffer.getvalue()

    def title(self) -> str:
        """The figure's title (its first axes' or its suptitle), on one line."""
        titles = [self.figure._suptitle.get_text()] if self.figure._suptitle else []
        titles += [ax.get_title() for ax in self.figure.axes]
        return " ".join(next((t for t in titles if t), "figure").split())

    def csv(self) -> str:
        """The drawn data as CSV text (header row, no index)."""
        return self.data.to_csv(index=False, lineterminator="\n", float_format="%.10g")

    def csv_name(self) -> str:
        """A file name for the CSV, from the title: lower case, words joined by hyphens."""
        return (re.sub(r"[^a-z0-9]+", "-", self.title().lower()).strip("-")[:80] or "figure") + ".csv"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg(), "text/plain": self.alt}, {"image/svg+xml": {"alt": self.alt}}

    def data_link(self) -> dict:
        """The display bundle of the CSV link (HTML, and plain text for a terminal)."""
        encoded = base64.b64encode(self.csv().encode("utf-8")).decode("ascii")
        rows = f"{len(self.data)} row{'' if len(self.data) == 1 else 's'}"
        return {"text/html": f'<p class="figure-data"><a download="{self.csv_name()}" '
                             f'href="data:text/csv;charset=utf-8;base64,{encoded}">Download the data of this '
                             f'figure (CSV, {rows})</a></p>',
                "text/plain": f"Data of this figure: {self.csv_name()} (CSV, {rows})"}

    def _ipython_display_(self):
        from IPython.display import publish_display_data

        data, metadata = self._repr_mimebundle_()
        publish_display_data(data, metadata)
        if len(self.data):
            publish_display_data(self.data_link())


def _frame(**columns) -> pd.DataFrame:
    """A DataFrame of the given columns (names with spaces), scalars repeated on every row."""
    length = max((len(v) for v in columns.values() if isinstance(v, (list, tuple, pd.Series))), default=1)
    return pd.DataFrame({k: (list(v) if isinstance(v, (list, tuple, pd.Series)) else [v] * length)
                         for k, v in columns.items()})


def top_spenders_chart(table, highlight, top_n, edition, fiscal_year):
    """Horizontal bars of R&D (EUR bn), largest on top; ``highlight`` (a company name) in colour."""
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(table) + 1.2))
    colours = [HIGHLIGHT if c == highlight else OTHER for c in table["company"]]
    labels = [f"{r} {c.title()}" for r, c in zip(table["rank"], table["company"])]
    ax.barh(labels[::-1], table["rd_eur_m"][::-1] / 1000, color=colours[::-1])
    cut = len(table) - (table["rank"] <= top_n).sum() - 0.5
    ax.axhline(cut, color="black", linestyle="--", linewidth=1)
    ax.text(ax.get_xlim()[1], cut + 0.15, f"top {top_n}", ha="right", va="bottom", fontsize=9)
    ax.set_xlabel("R&D investment, EUR billion (edition's own exchange rates)")
    ax.set_title(f"Largest R&D investors\nEU Scoreboard {edition} edition (R&D of fiscal {fiscal_year})")
    fig.tight_layout()
    mine = table[table["company"] == highlight]
    where = (f"{highlight} is highlighted at rank {int(mine['rank'].iloc[0])}" if len(mine)
             else f"{highlight} is not among them")
    data = _frame(rank=table["rank"], company=table["company"], **{"R&D, EUR billion": table["rd_eur_m"] / 1000,
                  "highlighted": table["company"] == highlight, "edition": edition, "fiscal year": fiscal_year})
    return Chart(fig, f"Bar chart of the {len(table)} largest R&D investors in the {edition} Scoreboard "
                      f"edition, in EUR billion, with a dashed line after rank {top_n}; {where}.", data)


def rank_history_chart(history, top_n, entity):
    """The entity's rank in each Scoreboard edition, rank 1 at the top, the top-N band shaded."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.axhspan(0.5, top_n + 0.5, color=LINE, alpha=0.12, label=f"top {top_n}")
    ax.plot(history["edition"], history["rank"], marker="o", color=HIGHLIGHT, label=entity)
    for e, r in zip(history["edition"], history["rank"]):
        ax.annotate(str(r), (e, r), textcoords="offset points", xytext=(0, 7), ha="center")
    ax.set_xticks(list(history["edition"]),
                  [f"{e}\n(FY {fy})" for e, fy in zip(history["edition"], history["fiscal_year"])])
    ax.set_ylim(max(history["rank"].max(), top_n) + 1.5, 0.5)
    ax.set_ylabel("world rank by R&D")
    ax.set_title(f"{entity}: rank in each Scoreboard edition")
    ax.legend(loc="lower right", frameon=False)
    fig.tight_layout()
    ranks = ", ".join(f"{e}: {r}" for e, r in zip(history["edition"], history["rank"]))
    data = _frame(edition=history["edition"], **{"fiscal year": history["fiscal_year"], "rank": history["rank"],
                  "company": entity})
    return Chart(fig, f"Line chart of {entity}'s world rank by R&D in each Scoreboard edition "
                      f"({ranks}), with the top {top_n} shaded.", data)


def threshold_chart(labels, values, threshold, unit, title, highlight_index=None):
    """Bars of measured values against the claim's threshold (a dashed line)."""
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(values) + 1.2))
    colours = [HIGHLIGHT if i == highlight_index else LINE for i in range(len(values))]
    ax.barh(list(labels)[::-1], list(values)[::-1], color=colours[::-1])
    ax.axvline(threshold, color="black", linestyle="--", linewidth=1)
    ax.text(threshold, len(values) - 0.4, f" stated: {threshold:g}", va="bottom", fontsize=9)
    for y, v in enumerate(list(values)[::-1]):
        ax.text(v, y, f" {v:,.2f}", va="center", fontsize=9)
    ax.set_xlabel(unit)
    ax.set_title(title, pad=16)
    fig.tight_layout()
    listed = "; ".join(f"{label}: {value:,.2f}" for label, value in zip(labels, values))
    data = _frame(what=list(labels), **{unit: list(values), "stated": threshold})
    return Chart(fig, f"Bar chart, {title}, in {unit}, against the stated {threshold:g} (dashed line): "
                      f"{listed}.", data)


def points_against_band_chart(table, stated, low, high, unit, title, band_label):
    """Values by year (one marker per source kind) against a stated value and its acceptance band.

    ``table`` has columns year, figure and source_kind; the band [low, high] is
    shaded and the stated value drawn as a dashed line.  Company figures are the
    highlighted (vermillion) points, press figures blue squares.
    """
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.axhspan(low, high, color=LINE, alpha=0.15, label=band_label)
    ax.axhline(stated, color="black", linestyle="--", linewidth=1, label=f"stated: {stated:g}")
    styles = {"company": dict(color=HIGHLIGHT, marker="o"), "press": dict(color=LINE, marker="s")}
    shift = {"company": -0.12, "press": 0.12}  # side by side, so equal figures do not hide each other
    for kind, style in styles.items():
        part = table[table["source_kind"] == kind]
        if len(part):
            xs = part["year"] + shift[kind]
            ax.scatter(xs, part["figure"], s=45, label=f"{kind} figure", zorder=3, **style)
            left = kind == "company"  # company labels to the left, press labels to the right
            for x, y in zip(xs, part["figure"]):
                ax.annotate(f"{y:,.0f}" if float(y).is_integer() else f"{y:g}", (x, y),
                            textcoords="offset points", xytext=(-6 if left else 6, 4), fontsize=8,
                            ha="right" if left else "left")
    years = sorted(set(int(y) for y in table["year"]))
    ax.set_xticks(years)
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.10g}"))
    ax.set_title(title)
    ax.legend(loc="best", frameon=False, fontsize=8)
    fig.tight_layout()
    listed = "; ".join(f"{int(y)} {k}: {v:g}" for y, k, v in zip(table["year"], table["source_kind"],
                                                                 table["figure"]))
    data = _frame(year=table["year"], source=table["source_kind"], **{unit: table["figure"], "stated": stated,
                  "band low": low, "band high": high})
    return Chart(fig, f"Dot chart, {title}, in {unit}, against the stated {stated:g} (dashed line) with the "
                      f"band {low:g} to {high:g} shaded ({band_label}): {listed}.", data)
def band_chart(labels, values, target, tolerance, unit, title, highlight_index=None):
    """Dots of measured values against a stated target and its acceptance band (target ± tolerance)."""
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(values) + 1.4))
    ys = list(range(len(values)))[::-1]
    ax.axvspan(target - tolerance, target + tolerance, color=LINE, alpha=0.12,
               label=f"accepted: {target:g} ± {tolerance:g}")
    ax.axvline(target, color="black", linestyle="--", linewidth=1)
    colours = [HIGHLIGHT if i == highlight_index else LINE for i in range(len(values))]
    ax.scatter(list(values), ys, color=colours, zorder=3)
    for y, v in zip(ys, values):
        ax.text(v, y + 0.2, f"{v:,.2f}", ha="center", va="bottom", fontsize=8)
    ax.set_yticks(ys, list(labels))
    low, high = min(min(values), target - tolerance), max(max(values), target + tolerance)
    pad = (high - low) * 0.08 or 1
    ax.set_xlim(low - pad, high + pad)
    ax.set_ylim(-0.7, len(values) - 0.1)
    ax.set_xlabel(unit)
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()
    listed = "; ".join(f"{label}: {value:,.2f}" for label, value in zip(labels, values))
    data = _frame(what=list(labels), **{unit: list(values), "stated": target, "band low": target - tolerance,
                  "band high": target + tolerance})
    return Chart(fig, f"Dot chart, {title}, in {unit}, against the stated {target:g} (dashed line) and the "
                      f"accepted band {target - tolerance:g} to {target + tolerance:g} (shaded): {listed}.", data)
#: The Okabe–Ito palette without vermillion (kept for the highlighted entity), for several series.
OKABE_ITO_OTHERS = ("#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#000000", "#F0E442")


def yearly_counts_panels(table, highlight, title, ylabel):
    """Small multiples: one bar panel per column of ``table`` (index = year), shared y axis.

    The ``highlight`` column is drawn in vermillion, the others in grey.
    """
    columns = list(table.columns)
    ncols = min(4, len(columns))
    nrows = -(-len(columns) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols, 2.2 * nrows + 0.8), sharex=True, sharey=True,
                             squeeze=False)
    years = list(table.index)
    for ax, column in zip(axes.flat, columns):
        ax.bar(years, table[column], color=HIGHLIGHT if column == highlight else OTHER)
        ax.set_title(f"{column} ({int(table[column].sum())})", fontsize=10)
    for ax in axes.flat[len(columns):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    totals = "; ".join(f"{c}: {int(table[c].sum())}" for c in columns)
    peak = "; ".join(f"{c} peaks at {int(table[c].max())} in {int(table[c].idxmax())}"
                     for c in columns if table[c].max() > 0)
    span = f"{years[0]}–{years[-1]}" if years else "no years"
    data = table.rename_axis("year").reset_index()
    return Chart(fig, f"Bar charts, one per vendor, of {ylabel} per year, {span}. Totals: {totals}. {peak}.", data)


def levels_against_maximum_chart(labels, values, maximum, title, xlabel, highlight=None, marks=None,
                                 level_format="{:g}"):
    """Horizontal bars of the level each entity reached, with the top of the scale as a dashed line.

    ``marks`` maps a label to (value, text) for an extra point (e.g. a company's own claim).
    """
    labels, values = list(labels), list(values)
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(values) + 1.4))
    colours = [HIGHLIGHT if label == highlight else LINE for label in labels]
    ax.barh(labels[::-1], values[::-1], color=colours[::-1])
    ax.axvline(maximum, color="black", linestyle="--", linewidth=1)
    ax.text(maximum, len(values) - 0.4, f" scale maximum {level_format.format(maximum)}", va="bottom",
            ha="right", fontsize=9)
    for y, v in enumerate(values[::-1]):
        ax.text(v, y, f" {level_format.format(v) if v else 'none'}", va="center", fontsize=9)
    described = []
    for label, (value, text) in (marks or {}).items():
        y = len(labels) - 1 - labels.index(label)
        ax.plot([value], [y], marker="D", color="black", linestyle="none")
        ax.annotate(text, (value, y), textcoords="offset points", xytext=(6, -12), fontsize=8)
        described.append(f"A diamond marks {label}, {text}: {level_format.format(value)}")
    ax.set_xlim(0, maximum + 0.6)
    ax.set_xlabel(xlabel)
    ax.set_title(title, pad=16)
    fig.tight_layout()
    listed = "; ".join(f"{label}: {level_format.format(v) if v else 'none'}" for label, v in zip(labels, values))
    extra = (" " + "; ".join(described) + ".") if described else ""
    data = _frame(what=labels, level=values, **{"scale maximum": maximum,
                  "marked": [level_format.format(marks[x][0]) + f" ({marks[x][1]})" if x in (marks or {}) else ""
                             for x in labels]})
    return Chart(fig, f"Bar chart, {title}, against the scale maximum {level_format.format(maximum)} "
                      f"(dashed line): {listed}.{extra}", data)
def _dates(values):
    import pandas as pd

    return pd.to_datetime(pd.Series(list(values)).astype(str), format="mixed")


def dated_values_chart(dates, values, threshold, unit, title, highlight_index=None, reference=None):
    """Values by date (points joined by a line) against the claim's threshold (dashed line).

    ``highlight_index`` marks the value the verdict uses; ``reference`` is an optional
    ``(value, label)`` drawn as a dotted line (a figure measured differently).
    """
    when = _dates(dates)
    values = list(values)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.plot(when, values, marker="o", color=LINE, label="measured")
    if highlight_index is not None:
        ax.plot([when[highlight_index]], [values[highlight_index]], marker="o", markersize=10, linestyle="",
                color=HIGHLIGHT, label=f"used for the verdict ({dates[highlight_index]})")
    ax.axhline(threshold, color="black", linestyle="--", linewidth=1, label=f"stated: {threshold:,g}")
    if reference is not None:
        ax.axhline(reference[0], color=OTHER, linestyle=":", linewidth=1.5, label=reference[1])
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(loc="best", frameon=False, fontsize=8)
    fig.tight_layout()
    listed = "; ".join(f"{d}: {v:,.0f}" for d, v in zip(dates, values))
    extra = f"; dotted line: {reference[1]} at {reference[0]:,.0f}" if reference is not None else ""
    data = _frame(date=[str(d) for d in dates], **{unit: values, "stated": threshold,
                  "used for the verdict": [i == highlight_index for i in range(len(values))]})
    return Chart(fig, f"Line chart, {title}, in {unit}, against the stated {threshold:,g} (dashed line){extra}. "
                      f"Values: {listed}.", data)


def cumulative_curve_chart(table, dropped, markers, span, title):
    """Cumulative cases and deaths over time, values dropped by cleaning as crosses, vertical
    lines at dated ``markers`` (``(date, label, used)``; the used ones solid, in colour), and the
    stated period ``span = (first, last)`` shaded.

    ``table`` has date, cases, deaths (cleaned; NaN where dropped); ``dropped`` has date, value.
    """
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.axvspan(_dates([span[0]])[0], _dates([span[1]])[0], color=LINE, alpha=0.08, label="stated period")
    for column, colour in (("cases", LINE), ("deaths", "#009E73")):
        part = table.dropna(subset=[column])
        ax.plot(_dates(part["date"]), part[column], color=colour, label=f"cumulative {column}")
    if len(dropped):
        ax.plot(_dates(dropped["date"]), dropped["value"], "x", color="black", label="dropped by cleaning")
    top = max(table["cases"].max(), dropped["value"].max() if len(dropped) else 0)
    for i, (date, label, used) in enumerate(markers):
        ax.axvline(_dates([date])[0], color=HIGHLIGHT if used else OTHER, linestyle="-" if used else ":",
                   linewidth=1.5 if used else 1)
        ax.text(_dates([date])[0], top * (0.97 - 0.08 * i), f" {label}", fontsize=8,
                color=HIGHLIGHT if used else "#555555")
    ax.set_ylabel("people (cumulative)")
    ax.set_title(title)
    ax.legend(loc="center right", frameon=False, fontsize=8)
    fig.tight_layout()
    last = table.dropna(subset=["cases"]).iloc[-1]
    marks = "; ".join(f"{label} ({'used' if used else 'alternative'})" for _, label, used in markers)
    data = pd.concat([_frame(date=table["date"].astype(str), **{"cumulative cases": table["cases"],
                                                             "cumulative deaths": table["deaths"]}),
                      _frame(date=dropped["date"].astype(str), **{"dropped by cleaning": dropped["value"]})
                      if len(dropped) else None], ignore_index=True)
    return Chart(fig, f"Line chart, {title}: cumulative cases rise to {last['cases']:,.0f} and deaths to "
                      f"{last['deaths']:,.0f} by {last['date']}; {len(dropped)} values dropped by cleaning "
                      f"are crosses; vertical lines mark {marks}; the stated {span[0]}–{span[1]} is shaded.", data)


def timeline_chart(events, span, title):
    """Dated events as horizontal bars (``(label, first, last)``), the stated period shaded."""
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(events) + 1.4))
    ax.axvspan(_dates([span[0]])[0], _dates([span[1]])[0], color=LINE, alpha=0.12, label="stated period")
    labels = [e[0] for e in events][::-1]
    for y, (label, first, last) in enumerate(events[::-1]):
        start, end = _dates([first])[0], _dates([last])[0]
        ax.plot([start, end], [y, y], color=HIGHLIGHT, linewidth=6, solid_capstyle="butt")
        ax.plot([start], [y], "o", color=HIGHLIGHT)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    listed = "; ".join(f"{e[0]}: {e[1]}" + (f" to {e[2]}" if e[2] != e[1] else "") for e in events)
    data = _frame(event=[e[0] for e in events], first=[str(e[1]) for e in events], last=[str(e[2]) for e in events],
                  **{"stated from": str(span[0]), "stated to": str(span[1])})
    return Chart(fig, f"Timeline, {title}, with the stated {span[0]} to {span[1]} shaded: {listed}.", data)
#: The Okabe–Ito palette without black, in a fixed order for categorical series.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#000000", "#999999")


def dated_events_chart(dates, categories, labels, category_order, title, mark=None):
    """Scatter of dated events: time on x, one row per category (coloured), each point numbered.

    ``labels`` are short marks drawn beside each point (e.g. the row number of a table below),
    alternately above and below so neighbours stay legible; ``mark`` = (date, label) draws a
    dashed vertical line (e.g. the date of the article).
    """
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(category_order) + 1.6))
    for i, category in enumerate(category_order):
        picked = [(d, lab) for d, c, lab in zip(dates, categories, labels) if c == category]
        if picked:
            ax.scatter([d for d, _ in picked], [i] * len(picked), s=60, color=OKABE_ITO[i], label=category,
                       zorder=3)
            for k, (d, lab) in enumerate(picked):
                ax.annotate(str(lab), (d, i), textcoords="offset points", xytext=(0, 8 if k % 2 == 0 else -14),
                            ha="center", fontsize=8)
    if mark is not None:
        ax.axvline(mark[0], color="black", linestyle="--", linewidth=1)
        ax.text(mark[0], len(category_order) - 0.4, f" {mark[1]}", fontsize=8, va="top")
    ax.set_yticks(range(len(category_order)), list(category_order))
    ax.set_ylim(-0.6, len(category_order) - 0.3)
    ax.grid(axis="x", color="#dddddd", zorder=0)
    ax.set_title(title)
    fig.tight_layout()
    counts = "; ".join(f"{c}: {sum(1 for x in categories if x == c)}" for c in category_order)
    first, last = min(dates), max(dates)
    data = _frame(date=[f"{d:%Y-%m-%d}" for d in dates], category=list(categories), number=list(labels))
    return Chart(fig, f"Timeline scatter of {len(dates)} events from {first:%B %Y} to {last:%B %Y}, one row per "
                      f"category ({counts}); points are numbered as in the table of sources"
                      + (f"; a dashed line marks {mark[1]} ({mark[0]:%d %B %Y})." if mark is not None else "."), data)


def small_multiples_chart(table, title, ylabel, highlight=None, shade=None):
    """One small line panel per column of ``table`` (index: years), each on its own y scale;
    ``highlight`` (a column) in vermillion; ``shade`` = (first, last, label) marks a span of years."""
    columns = list(table.columns)
    ncols = 3
    nrows = -(-len(columns) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(9, 2.1 * nrows + 0.6), sharex=True, squeeze=False)
    for ax, column in zip(axes.flat, columns):
        ax.plot(table.index, table[column], color=HIGHLIGHT if column == highlight else LINE, marker=".")
        if shade:
            ax.axvspan(shade[0] - 0.5, shade[1] + 0.5, color=OTHER, alpha=0.25, linewidth=0)
        ax.set_title(column, fontsize=10)
        ax.set_ylim(bottom=0)
    for ax in list(axes.flat)[len(columns):]:
        ax.set_visible(False)
    fig.supylabel(ylabel, fontsize=9)
    fig.suptitle(title + (f"\n(shaded: {shade[2]})" if shade else ""), fontsize=11)
    fig.tight_layout()
    peaks = "; ".join(f"{c}: peak {int(table[c].max()):,} in {int(table[c].idxmax())}, total {int(table[c].sum()):,}"
                      for c in columns)
    data = table.rename_axis("year").reset_index()
    return Chart(fig, f"Small-multiple line charts, {title}, one panel "
                      f"per series with its own scale: {peaks}.", data)


def stacked_share_chart(table, title, xlabel):
    """Horizontal 100% stacked bars: one bar per row of ``table``, segments = its columns (shares of the row total)."""
    totals = table.sum(axis=1)
    shares = table.div(totals.where(totals > 0, 1), axis=0) * 100
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(table) + 1.6))
    left = [0.0] * len(table)
    labels = [f"{name} (n={int(n):,})" for name, n in zip(table.index, totals)]
    colours = ("#D55E00", "#E69F00", "#56B4E9", "#009E73", "#999999")
    for i, column in enumerate(table.columns):
        ax.barh(labels[::-1], shares[column][::-1], left=left[::-1], color=colours[i % len(colours)], label=column)
        left = [a + b for a, b in zip(left, shares[column])]
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.legend(ncol=len(table.columns), loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.4 / len(table)),
              frameon=False, fontsize=9)
    ax.set_title(title)
    fig.tight_layout()
    parts = "; ".join(f"{name}: " + ", ".join(f"{c} {shares.loc[name, c]:.0f}%" for c in table.columns)
                      for name in table.index)
    data = table.rename_axis("row").reset_index().assign(total=list(totals))
    return Chart(fig, f"100% stacked bar chart, {title}: {parts}.", data)


#: Verdict colours (Okabe–Ito, as the report's badges), for charts that colour points by verdict.
VERDICT_COLOURS = {v.value: look.colour for v, look in SCALE.items() if v is not Verdict.NOT_YET_AUDITED}
VERDICT_MARKERS = {v.value: look.marker for v, look in SCALE.items() if v is not Verdict.NOT_YET_AUDITED}


def specification_curve_chart(values, verdicts, choices, threshold, title, ylabel, headline_index=None,
                              threshold_label="stated", words=None):
    """A specification curve: the measured value of every specification, sorted (top panel, coloured and
    shaped by verdict, the claim's threshold dashed, the headline ringed), and beneath it which value of
    each choice the specification used (one row per ``name=value``, a dot where chosen).

    ``values`` are floats (NaN: no number, not drawn but counted in the description), ``verdicts`` the
    verdict labels, ``choices`` one ``{name: value}`` per specification.
    """
    items = [(v, i) for i, v in enumerate(values) if v == v]
    order = [i for _, i in sorted(items, key=lambda t: (t[0], t[1]))]
    names = list(dict.fromkeys(k for c in choices for k in c))
    rows = list(dict.fromkeys(f"{k}={_choice_text(c[k])}" for k in names for c in choices if k in c))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 3.2 + 0.22 * len(rows)), sharex=True,
                                      gridspec_kw={"height_ratios": [3, max(1.2, 0.3 * len(rows))]})
    xs = list(range(len(order)))
    for verdict in VERDICT_COLOURS:
        picked = [(x, values[i]) for x, i in zip(xs, order) if verdicts[i] == verdict]
        if picked:
            top.scatter([p[0] for p in picked], [p[1] for p in picked], color=VERDICT_COLOURS[verdict],
                        marker=VERDICT_MARKERS[verdict], s=36, label=verdict, zorder=3, edgecolor="black",
                        linewidth=0.4)
    if headline_index is not None and headline_index in order:
        x = order.index(headline_index)
        top.scatter([x], [values[headline_index]], s=160, facecolor="none", edgecolor="black", linewidth=1.4,
                    label="headline", zorder=4)
    if threshold is not None:
        top.axhline(threshold, color="black", linestyle="--", linewidth=1)
        top.text(0, threshold, f" {threshold_label}: {_num(threshold)}", va="bottom", fontsize=8)
    top.set_ylabel(ylabel)
    top.set_title(title)
    top.legend(loc="best", frameon=False, fontsize=8)
    dots = [(x, y) for y, (name, value) in enumerate(row.split("=", 1) for row in rows) for x, i in zip(xs, order)
            if _choice_text(choices[i].get(name)) == value]
    bottom.scatter([x for x, _ in dots], [y for _, y in dots], color=LINE, s=14)  # one collection: drawn once
    shown = [words(*row.split("=", 1)) if words else row for row in rows]  # a choice in plain words, if given
    bottom.set_yticks(range(len(rows)), shown, fontsize=7)
    bottom.set_ylim(len(rows) - 0.5, -0.5)
    bottom.set_xlabel("specifications, sorted by measured value")
    bottom.set_xticks([])
    fig.tight_layout()
    drawn = [values[i] for i in order]
    counts = {}
    for v in verdicts:
        counts[v] = counts.get(v, 0) + 1
    missing = len(values) - len(order)
    text = (f"Specification curve, {title}: {len(order)} of {len(values)} specifications drawn, measured "
            f"{ylabel} from {_num(min(drawn))} to {_num(max(drawn))}" if drawn else
            f"Specification curve, {title}: no specification has a number")
    text += (f", against the threshold {_num(threshold)} (dashed)" if threshold is not None else "")
    text += ". Verdicts: " + ", ".join(f"{k} {n}" for k, n in counts.items())
    if headline_index is not None and values[headline_index] == values[headline_index]:
        text += f". The headline specification (ringed) measures {_num(values[headline_index])}"
    if missing:
        text += f". {missing} specification(s) without a number are not drawn"
    data = _frame(**{"measured value": list(values), "verdict": list(verdicts),
                     "choices": [json.dumps(c, sort_keys=True, default=str) for c in choices],
                     "headline": [i == headline_index for i in range(len(values))]})
    return Chart(fig, text + ". Beneath: which value of each choice each specification used.", data)


def _num(x) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 or float(x).is_integer() else f"{x:,.4g}"


def _choice_text(value):
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def specification_curve(claim, table, spec=None):
    """The claim's specification curve (:func:`specification_curve_chart`) from its rows of the multiverse
    ``table``, or None if no specification measured a number.  The claim is named by its words in the
    article (:func:`analysis.report.prose.short_quote`), not its ledger id; given ``spec`` (the claim's
    :class:`~analysis.claims.ledger.NotebookSpec`), each choice by its ledger labels."""
    from analysis.claims.verdicts import number

    rows = table[table["claim_id"] == claim.id].reset_index(drop=True)
    if rows["measured_number"].isna().all():
        return None
    stated = number(claim.stated.value)
    heads = rows.index[rows["headline"].astype(str) == "True"]
    unit = claim.stated.unit or next((u for u in rows["unit"] if u), "")
    return specification_curve_chart(
        rows["measured_number"].tolist(), rows["verdict"].tolist(), [json.loads(c) for c in rows["choices"]],
        None if math.isnan(stated) else stated, f"{short_quote(claim)} ({len(rows)} specifications)", unit,
        headline_index=int(heads[0]) if len(heads) else None,
        threshold_label=f"stated ({claim.stated.wording})",
        words=(lambda name, value: _choice_words(spec, name, value)) if spec is not None else None)


def _choice_words(spec, name, value) -> str:
    """``name=value`` (as the multiverse table writes it) by the ledger's labels: the value's label if a choice
    of that text has one, else the text.

    >>> from analysis.claims.ledger import load_ledger
    >>> spec = load_ledger().notebooks["05_ownership_legal"]
    >>> print(_choice_words(spec, "union_reading", "not_private"), "|", _choice_words(spec, "year", "2019"))
    how the employees' trade union counts: an owner not counted as private | annual report year: 2019
    """
    known = spec.parameters.get(name)
    if known is None:
        return f"{name}: {value}"
    labels = {_choice_text(v): label for v, label in known.labels}
    return f"{known.title}: {labels.get(value, value)}"
