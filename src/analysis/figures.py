"""Figures for the notebooks: plain matplotlib, one function per chart, each returns its Figure.

Colours come from the colour-blind-safe Okabe–Ito palette; the entity a claim is
about is always the highlighted (vermillion) bar or line.
"""
import matplotlib

matplotlib.rcParams.update({"svg.hashsalt": "claim-audit", "figure.dpi": 100, "savefig.dpi": 100,
                            "axes.spines.top": False, "axes.spines.right": False})
import matplotlib.pyplot as plt  # noqa: E402  (after the rcParams above)

HIGHLIGHT, OTHER, LINE = "#D55E00", "#999999", "#0072B2"


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
    ax.set_title(f"Largest R&D investors, EU Scoreboard {edition} edition (fiscal {fiscal_year})")
    fig.tight_layout()
    return fig


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
    return fig


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
    ax.set_title(title)
    fig.tight_layout()
    return fig
