"""Readable notebook pages: SVG figures with their data, headings and a table of contents, annotated
parameters, and the committed notebooks' outputs held to the same rules (figures and notebooks made in
the tests are fixtures)."""
import ast
import base64
import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import paths
from analysis.claims.ledger import load_ledger
from analysis.report import figures, page_export, site

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("*.ipynb"))
PUBLISHED = "application/vnd.claim-audit.assessments+json"


def chart():
    return figures.threshold_chart(["a fixture", "another"], [2.0, 3.5], 3, "units", "A fixture chart")


def test_a_figure_is_a_byte_stable_svg_with_alt_text():
    first, again = chart(), chart()
    data, metadata = first._repr_mimebundle_()
    assert set(data) == {"image/svg+xml", "text/plain"} and data["image/svg+xml"].lstrip().startswith("<?xml")
    assert metadata["image/svg+xml"]["alt"] == first.alt and "A fixture chart" in first.alt
    assert first.svg() == again.svg()  # no date, fixed hash salt: reruns give the same bytes
    assert "<dc:date>" not in first.svg()


def test_a_figure_offers_the_data_it_draws_as_csv():
    shown = chart()
    link = shown.data_link()
    encoded = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', link["text/html"]).group(1)
    csv = base64.b64decode(encoded).decode("utf-8")
    assert csv.splitlines() == ["what,units,stated", "a fixture,2,3", "another,3.5,3"]
    assert 'download="a-fixture-chart.csv"' in link["text/html"] and "2 rows" in link["text/plain"]


def test_every_chart_function_passes_its_data():
    tree = ast.parse(Path(figures.__file__).read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Chart"]
    assert len(calls) >= 14
    assert all(len(c.args) == 3 or any(k.arg == "data" for k in c.keywords) for c in calls), "a chart without its data"


def test_headings_move_down_and_long_pages_get_a_table_of_contents():
    sections = "\n\n".join(f'## {i}. "Section" number {i}\n\nText.' for i in range(1, 4))
    nb = new_notebook(cells=[new_markdown_cell("# The notebook's title\n\nIntro."), new_markdown_cell(sections)])
    page, _ = site.notebook_exporter().from_notebook_node(nb, resources={"audit_header": "<h1>Page</h1>"})
    assert page.count("<h1") == 1  # the header's
    assert page.count("<h2") == 1 and page.count("<h3") == 3
    nav = re.search(r"<nav [^>]*>.*?</nav>", page, flags=re.S).group(0)
    targets = [html.unescape(h) for h in re.findall(r'href="#([^"]+)"', nav)]
    ids = {html.unescape(i) for i in re.findall(r' id="([^"]+)"', page)}
    assert len(targets) == 3 and set(targets) <= ids
    assert '1. "Section" number 1' in html.unescape(nav)


def test_a_page_with_a_table_of_contents_is_the_same_bytes_every_time():
    sections = "\n\n".join(f"## Section {i}\n\nText." for i in range(1, 4))  # a fixture notebook
    pages = [site.notebook_exporter().from_notebook_node(
        new_notebook(cells=[new_markdown_cell("# Title", id="title"), new_markdown_cell(sections, id="body")]),
        resources={})[0]
        for _ in range(2)]
    assert "<nav" in pages[0] and pages[0] == pages[1]


def test_a_short_page_gets_no_table_of_contents():
    nb = new_notebook(cells=[new_markdown_cell("# Title\n\n## One\n\n## Two")])
    page, _ = site.notebook_exporter().from_notebook_node(nb, resources={})
    assert "<nav" not in page


def test_an_svg_figure_is_an_image_with_its_alt_text_on_the_page():
    data, metadata = chart()._repr_mimebundle_()
    cell = new_code_cell("chart", outputs=[new_output("display_data", data=data, metadata=metadata),
                                           new_output("display_data", data=chart().data_link())])
    page, _ = site.notebook_exporter().from_notebook_node(new_notebook(cells=[cell]), resources={})
    image = re.search(r"<img [^>]+>", page).group(0)
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', image).group(1)
    assert base64.b64decode(encoded).decode("utf-8") == data["image/svg+xml"]
    assert f'alt="{html.escape(chart().alt, quote=True)}"' in image
    assert "<svg" not in page.split("<main>", 1)[-1].split("</main>")[0]  # no inline SVG (duplicate ids)
    assert "Download the data of this figure (CSV, 2 rows)" in page


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_annotated_with_the_ledgers_types(notebook):
    inferred = papermill.inspect_notebook(str(notebook))
    assert inferred and all(p["inferred_type_name"] != "None" for p in inferred.values()), inferred
    declared = load_ledger().notebooks.get(notebook.stem)
    for name, spec in (declared.parameters.items() if declared else ()):
        assert inferred[name]["inferred_type_name"] == spec.type, name


def committed_outputs(notebook):
    for cell in nbformat.read(str(notebook), as_version=4).cells:
        yield cell, cell.get("outputs", [])


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_tables_have_human_headers_and_no_index(notebook):
    for cell, outputs in committed_outputs(notebook):
        for output in outputs:
            data = output.get("data", {})
            if "text/html" in data and PUBLISHED not in data and "<table" in data["text/html"]:
                headers = re.findall(r"<th[^>]*>(.*?)</th>", data["text/html"])
                assert headers and all(h.strip() for h in headers), cell.source
                assert not [h for h in headers if "_" in h], cell.source
                assert 'class="audit-table"' in data["text/html"], f"not shown through display.table: {cell.source}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_figures_are_svg_each_followed_by_its_data(notebook):
    for cell, outputs in committed_outputs(notebook):
        kinds = [next((k for k in ("image/svg+xml", "image/png") if k in o.get("data", {})), None) for o in outputs]
        assert "image/png" not in kinds, cell.source
        for i, kind in enumerate(kinds):
            if kind == "image/svg+xml":
                assert outputs[i].metadata["image/svg+xml"]["alt"], cell.source
                assert "Download the data of this figure" in outputs[i + 1]["data"]["text/html"], cell.source


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_quotes_render_alike_in_jupyterlab_and_html(notebook):
    for cell, outputs in committed_outputs(notebook):
        texts = [cell.source] if cell.cell_type == "markdown" else [
            o.get("data", {}).get("text/markdown", "") for o in outputs]
        for text in texts:
            for line in (t for t in text.splitlines() if t.startswith("> “")):
                assert "**" not in line, line  # bold beside a quotation mark shows as ** in JupyterLab
            unescaped = re.sub(r"\\\$", "", text)
            assert unescaped.count("$") < 2, text[:200]  # two $ read as mathematics in JupyterLab


def test_a_table_of_contents_needs_sections_that_exist():
    assert page_export.sections("## A\n```\n## not a heading\n```\n## B") == ["A", "B"]
    assert pd.Series(page_export.shift_headings("###### six\n# one").split("\n")).tolist() == ["###### six", "## one"]


@pytest.fixture(scope="module")
def exporter():
    return site.notebook_exporter()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_rendered_pages_have_no_empty_or_code_headers_and_no_cut_urls(notebook, exporter):
    body = site.render_notebook_body(notebook, title="A fixture title", exporter=exporter)
    main = body.split("<main>", 1)[1]
    assert "<h1" not in main  # the header above it holds the page's one <h1>
    headers = re.findall(r"<th[^>]*>(.*?)</th>", main, flags=re.S)
    assert headers and all(re.sub(r"<[^>]+>", "", h).strip() for h in headers)
    assert not [h for h in headers if "_" in h]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", main, flags=re.S)
    assert not [c for c in cells if c.rstrip().endswith(("...", "…"))]
    assert not [c for c in cells if re.match(r"\s*https?://", c)]  # an address is a link, not text
    assert "data:image/png" not in main


def test_a_chart_is_saved_in_one_draw_with_the_same_image():
    """tight_layout() leaves a placeholder layout engine, which makes every save draw the figure twice;
    a Chart drops it, and the SVG is byte for byte what the two-draw save gives."""
    import matplotlib.pyplot as plt
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    from analysis.report import figures

    fig, ax = plt.subplots()
    ax.bar(["a fixture bar", "another"], [3, 5])  # a fixture chart
    ax.set_title("Fixture")
    fig.tight_layout()
    assert isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine)
    chart = figures.Chart(fig, "fixture description")
    assert chart.figure.get_layout_engine() is None
    one_draw = chart.svg()
    chart.figure.set_layout_engine(PlaceHolderLayoutEngine(True, True))
    assert chart.svg() == one_draw
