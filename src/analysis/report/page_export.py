"""How a notebook becomes a reader's page: the changes the ``audit`` HTML template makes before rendering.

The page header (:mod:`analysis.report.site`) holds the page's one ``<h1>``, so the notebook's own
headings move one level down (``#`` → ``<h2>``, ``##`` → ``<h3>``, …).  A long notebook (at least
:data:`TOC_MIN_SECTIONS` sections) gets a table of contents after its first cell, linking to its
sections by the ids nbconvert gives their headings.  Each SVG figure gets its base64 form in the
output's metadata (``audit_svg_base64``), which the template puts in an ``<img>``: inline SVG would
repeat matplotlib's element ids once per figure, and an image keeps its ``alt`` text.

The notebook files are not changed (the exporter works on a copy): JupyterLab shows them as written.

>>> shift_headings("# Title\\n\\nText with # inside\\n```\\n# a comment\\n```\\n## 1. Section")
'## Title\\n\\nText with # inside\\n```\\n# a comment\\n```\\n### 1. Section'
"""
import base64
import html
import re

from nbconvert.preprocessors import Preprocessor

#: Fewer sections than this and a page is short enough to need no table of contents.
TOC_MIN_SECTIONS = 3
#: The heading level (in the notebook's Markdown) of the sections the table of contents lists.
SECTION_LEVEL = 2
#: The cell id of the table of contents on the page.
CONTENTS_ID = "contents"


def shift_headings(markdown: str, by: int = 1) -> str:
    """``markdown`` with every ATX heading ``by`` levels deeper (at most 6); code fences untouched."""
    lines, fenced = markdown.split("\n"), False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (m := re.match(r"^(#{1,6})(\s)", line)):
            lines[i] = "#" * min(6, len(m.group(1)) + by) + line[len(m.group(1)):]
    return "\n".join(lines)


def sections(markdown: str, level: int = SECTION_LEVEL) -> list:
    """The headings of ``level`` in ``markdown`` (outside code fences), as their text.

    >>> sections("# T\\n## One\\ntext\\n## Two *b*\\n### sub")
    ['One', 'Two *b*']
    """
    found, fenced = [], False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (m := re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)) and len(m.group(1)) == level:
            found.append(m.group(2))
    return found


def heading_anchor(text: str, level: int) -> tuple:
    """``(id, plain text)`` of a heading as nbconvert renders it (the id its anchor link uses).

    >>> heading_anchor('1. "Top five" *now*', 3)
    ('1.-%22Top-five%22-now', '1. "Top five" now')
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    rendered = markdown2html_mistune("#" * level + " " + text)
    anchor = re.search(r'\bid="([^"]*)"', rendered)
    plain = re.sub(r"<a class=\"anchor-link\".*?</a>|<[^>]+>", "", rendered).strip()
    return (html.unescape(anchor.group(1)) if anchor else ""), html.unescape(plain)


def contents_html(headings: list, level: int) -> str:
    """The table of contents: a ``<nav>`` listing ``headings`` (rendered at ``level``) as links (a list
    without numbers: the sections number themselves)."""
    items = "".join(f'<li><a href="#{html.escape(anchor)}">{html.escape(text)}</a></li>'
                    for anchor, text in (heading_anchor(h, level) for h in headings))
    return (f'<nav class="toc" aria-labelledby="toc-title"><p id="toc-title"><strong>On this page</strong></p>'
            f"<ul>{items}</ul></nav>")


class ReaderPagePreprocessor(Preprocessor):
    """Headings one level down, a table of contents on long pages, SVG figures ready for ``<img>``."""

    def preprocess(self, nb, resources):
        listed = [h for c in nb.cells if c.cell_type == "markdown" for h in sections(c.source)]
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = shift_headings(cell.source)
            for output in cell.get("outputs", []):
                self._output(output)
        if len(listed) >= TOC_MIN_SECTIONS and nb.cells:
            from nbformat.v4 import new_markdown_cell

            # a fixed id: nbformat would draw a random one, which the page shows (reproducible bytes)
            nb.cells.insert(1, new_markdown_cell(contents_html(listed, SECTION_LEVEL + 1), id=CONTENTS_ID))
        return nb, resources

    @staticmethod
    def _output(output) -> None:
        data = output.get("data", {})
        if "text/markdown" in data:
            data["text/markdown"] = shift_headings(data["text/markdown"])
        if "image/svg+xml" in data:
            svg = data["image/svg+xml"]
            svg = "".join(svg) if isinstance(svg, list) else svg
            output.setdefault("metadata", {})["audit_svg_base64"] = base64.b64encode(svg.encode("utf-8")).decode()
