"""analysis.report.display: the one way notebooks show a table (tables made in the tests)."""
import re

import pandas as pd
import pytest

from analysis.report import display


def headers_of(html: str) -> list:
    return re.findall(r"<th[^>]*>([^<]*)</th>", html)


def test_a_plain_row_number_is_not_shown():
    frame = pd.DataFrame({"a": [1, 2, 3]}).iloc[[0, 2]]  # row numbers 0 and 2: still only row numbers
    shown = display.table(frame)
    assert shown.headers == ["a"] and list(shown.frame["a"]) == [1, 3]
    assert "<th></th>" not in shown._repr_html_() and headers_of(shown._repr_html_()) == ["a"]
    assert repr(shown).splitlines()[0].strip() == "a"  # no index in the text form either


def test_a_meaningful_index_becomes_columns():
    frame = pd.DataFrame({"cases": [3, 4]}, index=pd.MultiIndex.from_tuples([("cdc", "kept"), ("who", "kept")],
                                                                            names=["series", "fix"]))
    assert display.table(frame).headers == ["series", "fix", "cases"]
    wide = pd.DataFrame({"Huawei": [1], "Cisco": [2]}, index=pd.Index(["HIGH"], name="severity")).T
    assert display.table(wide).headers[0] != ""  # a transposed table keeps its row labels as a column
    assert display.table(pd.DataFrame({"n": [1]}, index=["x"])).headers == ["index", "number"]


def test_nested_column_labels_are_joined():
    frame = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("cases", "cdc"), ("cases", "who")]))
    assert display.table(frame).headers == ["cases, cdc", "cases, who"]


def test_headers_are_human_words():
    frame = pd.DataFrame({"rd_eur_m": [1.5], "some_new_column": [2], 2019: [3], "": [4]})
    headers = display.table(frame, headers={"some_new_column": "a label given here"}).headers
    assert headers == ["R&D, EUR million", "a label given here", "2019", "value"]
    assert not any("_" in h for h in display.table(frame).headers)
    assert all(h and "_" not in h for h in display.HEADERS.values())


def test_links_are_clickable_and_never_cut_short():
    url = "https://example.org/a/very/long/path/to/the/file-with-a-long-name.csv?x=1&y=2"
    html = display.table(pd.DataFrame({"source_url": [url, "not a link", None]}))._repr_html_()
    assert html.count("<a ") == 1
    assert 'href="https://example.org/a/very/long/path/to/the/file-with-a-long-name.csv?x=1&amp;y=2"' in html
    assert ">file-with-a-long-name.csv?x=1&amp;y=2 (example.org)</a>" not in html  # the query is not the name
    assert ">file-with-a-long-name.csv (example.org)</a>" in html and "..." not in html
    assert "<td>not a link</td><" in html.replace("</tr><tr>", "<")
    spaced = display.table(pd.DataFrame({"url": ["https://example.org/Annual%20Report%202018.pdf"]}))._repr_html_()
    assert ">Annual Report 2018.pdf (example.org)</a>" in spaced


def test_cells_say_yes_no_and_leave_missing_values_blank():
    html = display.table(pd.DataFrame({"flag": [True, False], "x": [float("nan"), 2.5]}))._repr_html_()
    assert "<td>yes</td>" in html and "<td>no</td>" in html and "<td></td>" in html
    assert '<td class="num">2.5</td>' in html


def test_every_row_and_column_is_shown():
    frame = pd.DataFrame({f"c{i}": range(100) for i in range(30)})
    shown = display.table(frame)
    html = shown._repr_html_()
    assert len(headers_of(html)) == 30 and html.count("<tr>") == 101 and "..." not in html
    assert "rows ×" not in repr(shown) and "..." not in repr(shown)


def test_a_subset_of_columns_says_what_it_leaves_out():
    frame = pd.DataFrame({"period": [2018], "value": [1], "source_title": ["t"], "line": [4]})
    shown = display.table(frame, columns=["period", "value"], note="The rest is on the sources page.")
    assert shown.headers == ["period", "value"]
    assert shown.note == ("2 of 4 columns shown; left out: source, line of the raw file. "
                          "The rest is on the sources page.")
    assert '<p class="table-note">2 of 4 columns shown' in shown._repr_html_()
    assert display.table(frame, columns=list(frame.columns)).note == ""  # all of them: nothing to say


def test_an_unknown_column_is_named_with_the_ones_there_are():
    with pytest.raises(KeyError, match="no column colour; the table has period, value"):
        display.table(pd.DataFrame({"period": [1], "value": [2]}), columns=["period", "colour"])


def test_markup_in_cells_is_escaped():
    html = display.table(pd.DataFrame({"quote": ["<script>x</script> & more"]}))._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; more" in html
