"""Tables for readers: the one way a notebook shows a table.

:func:`table` turns a DataFrame into a :class:`Table` that Jupyter (and so the HTML report) shows
as a plain HTML table with

- human headers: a column's label is the caller's (``headers=``), else this module's registry
  (:data:`HEADERS`), else its name with underscores as spaces; never empty, never snake_case;
- no index column: a meaningful index (a named one, or any that is not 0, 1, 2, …) becomes ordinary
  columns first, a plain row number is dropped; nested column labels are joined with ", ";
- links: a cell holding an http(s) address is a link whose text names the file and the site (the full
  address is the link and its tooltip), never an address cut short;
- every row and every column, or a deliberate subset (``columns=``) with a note under the table saying
  how many columns are shown and which are left out.

The text form (what a terminal or ``nbval`` reads) has the same headers and no index.

>>> import pandas as pd
>>> frame = pd.DataFrame({"rd_eur_m": [15.3], "source_url": ["https://example.org/data/sb.csv"]})
>>> shown = table(frame)
>>> shown.headers
['R&D, EUR million', 'link to the source']
>>> print(repr(shown))
R&D, EUR million              link to the source
            15.3 https://example.org/data/sb.csv
>>> '<a href="https://example.org/data/sb.csv" title="https://example.org/data/sb.csv">sb.csv (example.org)</a>' in shown._repr_html_()
True
>>> table(frame, columns=["rd_eur_m"]).note
'1 of 2 columns shown; left out: link to the source.'
"""
import html
import math
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd

from analysis.report import names

#: Labels for column names the library's tables use, so every notebook says the same thing.
HEADERS = {
    "rd_eur_m": "R&D, EUR million", "world_rank": "Scoreboard's world rank", "rank": "rank (recomputed)",
    "fiscal_year": "fiscal year", "source_url": "link to the source", "source_title": "source", "ref": "cited row (file#line)",
    "line": "line of the raw file", "fx_source": "exchange-rate source", "per_usd": "units per US dollar",
    "usd_bn": "US$ billion", "share_pct": "share, %", "feed_year": "feed year", "feed_file": "feed file",
    "feed_timestamp": "feed time stamp", "cves_total": "CVEs in the feed", "published_last": "last published",
    "published_same_year": "published the same year", "published_year": "year published",
    "response_source_url": "response source", "level_1": "level 1", "level_2": "level 2", "level_3": "level 3",
    "level_4": "level 4", "highest_level": "highest level", "first_certificate": "first certificate",
    "reports_seen": "reports seen", "eal_in_reports_seen": "EAL in the reports seen",
    "active_list_certificates": "certificates on the active list", "eal_in_active_list": "EAL on the active list",
    "highest_eal_seen": "highest EAL seen", "eal": "EAL", "report_id": "report", "scheme_country": "scheme (country)",
    "assurance_level_as_stated": "assurance level as stated", "document_date": "document date",
    "with_eal": "with an EAL", "middle_half_eal": "middle half of EALs", "most_common_category": "most common category",
    "huawei_level": "Huawei's level", "huawei_best_case": "Huawei's best case", "reference_level": "reference level",
    "reference_is_exact": "reference is exact", "lab_or_body": "laboratory or body", "figure_kind": "kind of figure",
    "source_kind": "kind of source", "author_kind": "kind of author", "credits_entity": "credits the company",
    "self_reported": "the company's own account", "as_of": "as of", "dead_and_missing": "dead and missing",
    "spec_id": "specification id", "n": "number", "id": "id", "url": "link to the source",
    "net_sales_eur_m": "net sales, EUR million", "document_date_kind": "kind of document date",
    "in_window_le_2019_06_30": "in the window (to 30 June 2019)", "developer_as_stated": "developer as stated",
}


def label(name, headers=None) -> str:
    """A column's header: ``headers``' label, else :data:`HEADERS`', else the name with spaces.

    >>> label("rd_eur_m"), label("as_of", {"as_of": "date of the figure"}), label("dead_and_missing"), label(2019)
    ('R&D, EUR million', 'date of the figure', 'dead and missing', '2019')
    """
    if isinstance(name, tuple):
        return ", ".join(label(part, headers) for part in name if str(part) != "")
    found = (headers or {}).get(name) or HEADERS.get(name)
    text = found or str(name).replace("_", " ").strip()
    return text or "value"


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a meaningful index turned into columns and a plain row number dropped."""
    index = frame.index
    row_numbers = all(n is None for n in index.names) and index.dtype.kind in "iu"
    return frame.reset_index(drop=row_numbers)


def _link(url: str) -> str:
    """A link whose text names the file and the site; a file named by an underscored slug by its words.

    >>> _link("https://www.theregister.com/2015/03/30/huawei_kit_kosher_says/").split(">")[1]
    'Huawei kit kosher says (theregister.com)</a'
    """
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    text = f"{last} ({host})" if last and last != host else host
    if "_" in last:  # a slug written with underscores reads as code: its words instead (analysis.report.names)
        text = names.url_title(url)
    href = html.escape(url)
    return f'<a href="{href}" title="{href}">{html.escape(text)}</a>'


def cell_html(value) -> str:
    """One cell as HTML: a link for an http(s) address, yes/no for a truth value, '' for a missing one.

    >>> cell_html(True), cell_html(float("nan")), cell_html(0.25), cell_html("<b>")
    ('yes', '', '0.25', '&lt;b&gt;')
    """
    return _link(value) if is_url(value) else html.escape(cell_text(value))


def cell_text(value) -> str:
    """One cell as text (:func:`cell_html` without the markup)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.12g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(cell_text, value))
    return str(value)


def is_number(value) -> bool:
    """Whether a cell holds a number (right-aligned, so digits line up); truth values are words.

    >>> is_number(3), is_number(2.5), is_number(True), is_number("3")
    (True, True, False, False)
    """
    import numbers

    return isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_)) and not (
        isinstance(value, float) and math.isnan(value))


def is_url(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value


def _td(value) -> str:
    return f'<td class="num">{cell_html(value)}</td>' if is_number(value) else f"<td>{cell_html(value)}</td>"


class Table:
    """A table as a reader sees it (:func:`table`); Jupyter shows its HTML, a terminal its text."""

    def __init__(self, frame: pd.DataFrame, headers: list, note: str = ""):
        self.frame, self.headers, self.note = frame, headers, note

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in self.headers)
        rows = "".join("<tr>" + "".join(_td(v) for v in row) + "</tr>" for row in self.frame.itertuples(index=False))
        note = f'<p class="table-note">{html.escape(self.note)}</p>' if self.note else ""
        return (f'<div class="audit-table" style="overflow-x: auto; max-width: 100%">'
                f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}</div>')

    def __repr__(self) -> str:
        shown = pd.DataFrame([[cell_text(v) for v in row] for row in self.frame.itertuples(index=False)],
                             columns=self.headers)
        text = shown.to_string(index=False) if len(shown) else "(no rows) " + " | ".join(self.headers)
        return text + (f"\n{self.note}" if self.note else "")


def table(frame: pd.DataFrame, columns: list | None = None, headers: dict | None = None,
          note: str = "") -> Table:
    """``frame`` for readers (see the module's rules): ``columns`` picks and orders a subset (the note
    under the table then names what is left out), ``headers`` overrides labels, ``note`` adds a sentence.
    """
    plain = _plain(frame)
    if columns is not None:
        missing = [c for c in columns if c not in plain.columns]
        if missing:
            raise KeyError(f"table: no column {', '.join(map(str, missing))}; the table has "
                           f"{', '.join(map(str, plain.columns))}")
        left_out = [label(c, headers) for c in plain.columns if c not in columns]
        plain = plain[list(columns)]
        if left_out:
            note = (f"{len(columns)} of {len(columns) + len(left_out)} columns shown; left out: "
                    f"{', '.join(left_out)}." + (f" {note}" if note else ""))
    return Table(plain, [label(c, headers) for c in plain.columns], note)
