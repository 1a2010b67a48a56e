"""Standard markup for notebook pages: what nbconvert and pandas write, made valid HTML.

Notebook outputs carry markup no validator accepts as it stands: pandas tables put a ``<style
scoped>`` element inside the body (HTML allows style sheets only in the head), leave header cells
without a ``scope`` (WCAG technique H63) and align multi-row headers with the obsolete ``valign``.
:func:`clean` fixes exactly these, and leaves valid markup as it is (it is safe to apply twice):

- every ``<style>`` in the body moves into the head, once per distinct sheet;
- a ``<th>`` without ``scope`` gets ``scope="col"`` inside ``<thead>`` and ``scope="row"`` elsewhere;
- ``valign`` is dropped from table cells, rows and sections (the report's style sheet aligns header cells
  to the top); text that merely reads ``valign=`` is left alone.

>>> clean('<html><head></head><body><div><style scoped="">p{}</style><table><thead><tr><th>a</th></tr>'
...       '</thead><tbody><tr><th valign="top">b</th><td>1</td></tr></tbody></table></div></body></html>')
'<html><head><style>p{}</style>\\n</head><body><div><table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><th scope="row">b</th><td>1</td></tr></tbody></table></div></body></html>'
"""
import re

_BODY_STYLE = re.compile(r"<style(?:\s[^>]*)?>(.*?)</style>", flags=re.S | re.I)
_THEAD = re.compile(r"<thead\b.*?</thead>", flags=re.S | re.I)
_TH_WITHOUT_SCOPE = re.compile(r"<th(?![^>]*\bscope=)(?=[\s>])", flags=re.I)
_VALIGN = re.compile(r"\s+valign=(\"[^\"]*\"|'[^']*'|\S+?)(?=[\s>])", flags=re.I)
#: Start tags of the table elements that may carry ``valign`` (only inside a tag is it an attribute).
_TABLE_TAG = re.compile(r"<(?:th|td|tr|thead|tbody|tfoot|colgroup|col)\b[^>]*>", flags=re.I)
_HEAD_END, _BODY_START = re.compile(r"</head>", flags=re.I), re.compile(r"<body", flags=re.I)


def _styles_to_head(page) -> str:
    head_end, body_start = _HEAD_END.search(page), _BODY_START.search(page)
    if head_end is None or body_start is None:
        return page
    head_end, body_start = head_end.start(), body_start.start()
    head, body = page[:head_end], page[body_start:]
    sheets = list(dict.fromkeys(m.group(1) for m in _BODY_STYLE.finditer(body)))
    if not sheets:
        return page
    body = _BODY_STYLE.sub("", body)
    moved = "".join(f"<style>{sheet}</style>\n" for sheet in sheets)
    return head + moved + page[head_end:body_start] + body


def _scopes(page) -> str:
    page = _THEAD.sub(lambda m: _TH_WITHOUT_SCOPE.sub('<th scope="col"', m.group(0)), page)
    return _TH_WITHOUT_SCOPE.sub('<th scope="row"', page)


def clean(page) -> str:
    """``page`` with the fixes above (see the module docstring)."""
    return _scopes(_TABLE_TAG.sub(lambda m: _VALIGN.sub("", m.group(0)), _styles_to_head(page)))
