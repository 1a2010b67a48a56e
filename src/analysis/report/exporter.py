"""The HTML exporter of notebook pages: nbconvert's, without its costliest pass, and the same page.

nbconvert's ``HTMLExporter`` renders the template, then parses the whole page with BeautifulSoup to
make three accessibility changes, and writes the page out again: about a third of a page's export
time (pages here are 0.5 to 1.5 MB, mostly tables and figures).  :class:`PageExporter` makes the same
changes on the rendered text instead, in one pass over its start tags:

- an ``<img>`` without ``alt`` gets nbconvert's placeholder text :data:`NO_ALT` (the project's
  figures all carry their own: this is a backstop);
- a ``<div>`` of class ``jp-Cell-inputWrapper`` or ``jp-OutputArea-output`` (a cell's code, an
  output) gets ``tabindex="0"``, so that a keyboard can reach it.

Markup inside ``<script>``, ``<style>``, ``<textarea>`` and comments is text, not tags, and is left as
it is, as an HTML parser would.  What differs from nbconvert's page is serialisation only (which quotes,
``<br>`` or ``<br/>``, ``&#39;`` or ``'``): parsed, the two pages are the same document
(``tests/test_notebook_pages.py`` compares them, and those of the notebooks).

(The ``audit`` template also leaves out nbconvert's ``bleach`` pass over each code cell's highlighted
source: see the template.)

>>> accessible('<div class="jp-OutputArea-output x"><img src="a.png"></div><!-- <img> -->')
'<div class="jp-OutputArea-output x" tabindex="0"><img src="a.png" alt="No description has been provided for this image"></div><!-- <img> -->'
"""
import html
import re

from jinja2 import pass_context
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML, _pygments_highlight
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets import Bool

#: The ``alt`` text nbconvert gives an image that has none.
NO_ALT = "No description has been provided for this image"
#: ``<div>`` classes that nbconvert makes focusable (``tabindex="0"``).
FOCUSABLE = ("jp-Cell-inputWrapper", "jp-OutputArea-output")

#: Text that holds no tags (script, style, textarea, comments), an ``<img>`` or ``<div>`` start tag.
_TAG = re.compile(r"""<(?P<raw>script|style|textarea)\b.*?</(?P=raw)\s*>|<!--.*?-->"""
                  r"""|<(?P<name>img|div)(?P<attrs>(?:\s+(?:[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)"""
                  r"""|\s*/(?!>))*)\s*(?P<end>/?>)""", flags=re.S | re.I)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")


def _attributes(text) -> dict:
    """``{lower-case name: (start, end) of its whole 'name=value' in text}``; the first of a repeated name."""
    found = {}
    for m in _ATTRIBUTE.finditer(text):
        found.setdefault(m.group(1).lower(), (m.start(), m.end(), m.group(2)))
    return found


def _classes(value) -> list:
    return html.unescape(value.strip("\"'") if value else "").split()


def _start_tag(m) -> str:
    if m.group("raw") or m.group("name") is None:
        return m.group(0)
    name, attrs, end = m.group("name").lower(), m.group("attrs"), m.group("end")
    found = _attributes(attrs)
    if name == "img" and "alt" not in found:
        attrs += f' alt="{NO_ALT}"'
    elif name == "div" and "class" in found and set(_classes(found["class"][2])) & set(FOCUSABLE):
        if "tabindex" in found:
            start, stop, _ = found["tabindex"]
            attrs = attrs[:start] + 'tabindex="0"' + attrs[stop:]
        else:
            attrs += ' tabindex="0"'
    else:
        return m.group(0)
    return f"<{m.group('name')}{attrs}{end}"


def accessible(page: str) -> str:
    """``page`` with the changes nbconvert's BeautifulSoup pass makes (see the module docstring)."""
    return _TAG.sub(_start_tag, page)


class ReusedFormatterHighlight2HTML(Highlight2HTML):
    """nbconvert's code highlighter, with one Pygments formatter per language rather than one per cell
    (making one builds its whole style sheet: a sixth of the highlighting's time).  A formatter keeps
    nothing of the code it formats, so the HTML is the same.  (It calls nbconvert's own highlighting
    function, private to it: nbconvert is pinned in ``requirements.lock``, and
    ``tests/test_page_exporter.py`` compares the pages with those of nbconvert's highlighter.)"""

    def __init__(self, pygments_lexer=None, **kwargs):
        super().__init__(pygments_lexer=pygments_lexer, **kwargs)
        self._formatters = {}

    def __call__(self, source, language=None, metadata=None):
        language = language or self.pygments_lexer
        key = (language, repr(sorted(self.extra_formatter_options.items())))
        formatters = self._formatters
        if key not in formatters:
            from pygments.formatters import HtmlFormatter

            formatters[key] = HtmlFormatter(cssclass=html.escape(f" highlight hl-{language}"),
                                            **self.extra_formatter_options)
        return _pygments_highlight(source or " ", formatters[key], language, metadata)


class PageExporter(HTMLExporter):
    """``HTMLExporter`` whose page is finished by :func:`accessible` rather than by a parse and rewrite,
    which validates the notebook once, after its preprocessors, rather than after each of them
    (nbconvert's own option; a tenth of a page's export time), and which makes its Markdown parser and
    code highlighter's formatter once rather than for every cell (:class:`ReusedFormatterHighlight2HTML`,
    :meth:`markdown2html`)."""

    optimistic_validation = Bool(True, help=HTMLExporter.optimistic_validation.help).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._markdown_parsers, self._highlighters = {}, {}

    @pass_context
    def markdown2html(self, context, source):
        """nbconvert's Markdown filter, with one parser for every cell of a folder that has no attachments
        (a parser keeps nothing of the text it renders; building one, with its plugins, took a sixth of
        the Markdown's time)."""
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        options = dict(escape=False, embed_images=self.embed_images, path=path, anchor_link_text=self.anchor_link_text,
                       exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
        if cell.get("attachments"):
            return MarkdownWithMath(renderer=IPythonRenderer(attachments=cell["attachments"], **options)).render(source)
        key = repr(sorted(options.items()))
        parsers = self._markdown_parsers
        if key not in parsers:
            parsers[key] = MarkdownWithMath(renderer=IPythonRenderer(attachments={}, **options))
        return parsers[key].render(source)

    def from_notebook_node(self, nb, resources=None, **kw):
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        highlighters = self._highlighters
        if lexer not in highlighters:
            highlighters[lexer] = ReusedFormatterHighlight2HTML(pygments_lexer=lexer, parent=self)
        self.register_filter("highlight_code", self.filters.get("highlight_code", highlighters[lexer]))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible(page), resources
