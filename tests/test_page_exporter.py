"""The notebook pages' exporter (analysis.report.exporter) gives the same document as nbconvert's own
HTMLExporter with bleach over each code cell: parsed alike (BeautifulSoup, as nbconvert does), the pages
are equal, for a fixture notebook made here and for committed notebooks."""
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import paths
from analysis.report import exporter, site

#: The audit template's code cell, and nbconvert's lab template's (bleach over the highlighted source).
OURS = "{{ cell.source | highlight_code(metadata=cell.metadata) }}"
BLEACHED = "{{ cell.source | highlight_code(metadata=cell.metadata) | clean_html }}"


@pytest.fixture(scope="module")
def exporters(tmp_path_factory):
    """(the reference: nbconvert's HTMLExporter, with its BeautifulSoup pass, on the audit template with
    bleach over each code cell; the notebook pages' exporter)"""
    folder = tmp_path_factory.mktemp("templates") / "reference"
    folder.mkdir()
    template = (paths.TEMPLATES / "audit" / "index.html.j2").read_text(encoding="utf-8")
    assert template.count(OURS) == 1
    (folder / "index.html.j2").write_text(template.replace(OURS, BLEACHED), encoding="utf-8")
    (folder / "conf.json").write_bytes((paths.TEMPLATES / "audit" / "conf.json").read_bytes())
    reference = HTMLExporter(template_name="reference", extra_template_basedirs=[str(folder.parent)])
    return reference, site.notebook_exporter()


def same_document(notebook, exporters):
    reference, ours = exporters
    expected, _ = reference.from_notebook_node(notebook, resources={"audit_header": "<h1>Page</h1>"})
    page, _ = ours.from_notebook_node(notebook, resources={"audit_header": "<h1>Page</h1>"})
    assert 'tabindex="0"' in page
    return str(BeautifulSoup(page, features="html.parser")) == expected


def test_a_fixture_notebook_gives_the_same_document(exporters):
    outputs = [new_output("stream", name="stdout", text="a < b & 'c'\n"),
               new_output("display_data", data={"text/html": '<table><tr><th valign=top>x</th><td>1<br></td></tr>'
                                                             '</table><img src="data:image/png;base64,AA==">'
                                                             '<script>var s = "<img src=x>";</script><!-- <img> -->',
                                                "text/plain": "x"}),
               new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]
    notebook = new_notebook(cells=[
        new_markdown_cell("# Fixture\n\n## One\n\nText with <em>markup</em> & an ampersand.\n\n## Two\n\n## Three",
                          id="md"),
        new_code_cell("s = '<b>\"quoted\" & </b>'  # a comment with <tags>\nprint(s)", id="code",
                      outputs=outputs, execution_count=1)])
    assert same_document(notebook, exporters)


@pytest.mark.parametrize("name", ["01_rd_spending", "07_robustness"])
def test_committed_notebooks_give_the_same_document(name, exporters):
    import nbformat

    assert same_document(nbformat.read(str(paths.NOTEBOOKS / f"{name}.ipynb"), as_version=4), exporters)


@pytest.mark.parametrize("page, expected", [
    ('<img src="a">', f'<img src="a" alt="{exporter.NO_ALT}">'),
    ('<IMG src="a"/>', f'<IMG src="a" alt="{exporter.NO_ALT}"/>'),
    ('<img alt="" src="a">', '<img alt="" src="a">'),
    ('<div class="jp-Cell-inputWrapper">', '<div class="jp-Cell-inputWrapper" tabindex="0">'),
    ('<div class="a jp-OutputArea-output" tabindex="-1" id=x>', '<div class="a jp-OutputArea-output" tabindex="0" id=x>'),
    ('<div class="jp-OutputArea-outputs">', '<div class="jp-OutputArea-outputs">'),
    ('<span class="jp-OutputArea-output">', '<span class="jp-OutputArea-output">'),
    ('<script>"<img src=x>"</script><style>/* <img> */</style><!-- <img> -->',
     '<script>"<img src=x>"</script><style>/* <img> */</style><!-- <img> -->'),
])
def test_accessible_adds_what_nbconvert_adds_and_nothing_else(page, expected):
    assert exporter.accessible(page) == expected


class NbconvertsOwnFilters(exporter.PageExporter):
    """The pages' exporter with nbconvert's own Markdown filter and code highlighter, which make a parser and
    a formatter for every cell (the reference for the reuse of both)."""

    markdown2html = HTMLExporter.markdown2html

    def from_notebook_node(self, nb, resources=None, **kw):
        language = nb.metadata.get("language_info", {})
        self.register_filter("highlight_code", Highlight2HTML(
            pygments_lexer=language.get("pygments_lexer", language.get("name", None)), parent=self))
        return super().from_notebook_node(nb, resources, **kw)


def test_a_reused_exporter_gives_the_pages_of_nbconverts_own_filters(exporters):
    """The pages' exporter keeps one Markdown parser per folder and one highlighter formatter per language for
    every page it renders; its pages are those nbconvert's own filters give, whatever was rendered before:
    Markdown with and without an attachment, tables, task and definition lists, maths, text/markdown outputs,
    code in another language, notebooks in two folders (fixture notebooks made here)."""
    import base64

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    cells = [new_markdown_cell("## Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ and $x^2$\n\n"
                               "- [x] done\n- [ ] open\n\nterm\n: its definition, $$y$$", id="m1"),
             new_markdown_cell("![figure](attachment:f.png) and ![other](f.png)", id="m2",
                               attachments={"f.png": {"image/png": png}}),
             new_code_cell("x = 1  # one", id="c1", execution_count=1,
                           outputs=[new_output("display_data", data={"text/markdown": "**bold** [link](#m1)",
                                                                     "text/plain": "x"})]),
             new_code_cell("", id="c0")]
    first = new_notebook(cells=cells, metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    second = new_notebook(cells=[new_markdown_cell("Plain *text*.", id="m3"), new_code_cell("echo 'hi' | wc", id="c2")],
                          metadata={"language_info": {"name": "bash", "pygments_lexer": "bash"}})
    shared = exporters[1]
    reference = NbconvertsOwnFilters(template_name=shared.template_name,
                                     extra_template_basedirs=shared.extra_template_basedirs)
    for notebook, folder in ((first, "a"), (second, "a"), (first, "b"), (second, "b"), (first, "a")):
        resources = {"audit_header": "<h1>Page</h1>", "metadata": {"path": folder, "name": "page"}}
        page, _ = shared.from_notebook_node(notebook, resources=dict(resources))
        expected, _ = reference.from_notebook_node(notebook, resources=dict(resources))
        assert page == expected
    assert "hl-bash" in page or "hl-bash" in shared.from_notebook_node(second)[0]
    assert 'src="data:image/png;base64,' in shared.from_notebook_node(first)[0]
