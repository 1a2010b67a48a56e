"""The annotated article: the audited text with every ledger claim highlighted in its verdict's colour.

``article.html`` shows the article's full text (``articles/<slug>/article.txt``) as paragraphs
(blank lines separate them).  Each claim's quote, found at its ledger offset, is a highlight in
the colour of its verdict (the one badge definition, :func:`analysis.report.site.badge`), and
ends in a numbered link that carries the verdict's icon and label, so no reader depends on
colour.  The link opens the claim's verdict card (stated, measured, rule, reason, sources,
robustness, notebook section).  Claims may overlap (one quote inside or across another): the
text is cut at every quote boundary and each piece lists every claim that covers it.

>>> [(p.text, p.keys) for p in annotate("ab cd\\n\\nef", [Span(1, 4, "x")])[0]]
[('a', ()), ('b c', ('x',)), ('d', ())]
"""
import re
from dataclasses import dataclass

#: A paragraph break: a line break, then a line holding only white space (NBSP included), then more.
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


@dataclass(frozen=True)
class Span:
    """A claim's quote in the text: ``text[start:end]``, named by ``key`` (the claim id)."""

    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Piece:
    """A run of text covered by the same claims (``keys``, in ledger order); ``starts`` and ``ends``
    are the claims whose quote starts at its first character or ends after its last."""

    text: str
    keys: tuple = ()
    starts: tuple = ()
    ends: tuple = ()


def paragraphs(text) -> list:
    """``(start, end)`` of each paragraph of ``text``, without its surrounding white space.

    >>> paragraphs("  one\\ntwo \\n \\nthree\\n")
    [(2, 9), (13, 18)]
    """
    out, start = [], 0
    for gap in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = gap.start() if gap else len(text)
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
        start = gap.end() if gap else end
    return out


def _ends_in(span, paras) -> int:
    """Index of the paragraph where ``span``'s end mark goes: the last one that starts before it ends."""
    return max(i for i, (a, _) in enumerate(paras) if a < span.end) if paras[0][0] < span.end else 0


def annotate(text, spans) -> list:
    """The text as paragraphs of :class:`Piece` s: joined, each paragraph's pieces give back its text;
    every span starts in exactly one piece and ends after exactly one.

    >>> [[(p.text, p.keys, p.ends) for p in para] for para in annotate("one two three", [
    ...     Span(0, 7, "a"), Span(4, 13, "b")])]
    [[('one ', ('a',), ()), ('two', ('a', 'b'), ('a',)), (' three', ('b',), ('b',))]]
    """
    paras = paragraphs(text) or [(0, 0)]
    spans = [s for s in spans if s.end > s.start]
    ends_at = {}
    for s in spans:
        a, b = paras[_ends_in(s, paras)]
        ends_at.setdefault(min(max(s.end, a), b), []).append(s.key)
    out = []
    for a, b in paras:
        mine = [s for s in spans if s.start < b and s.end > a]
        cuts = sorted({a, b, *(max(s.start, a) for s in mine), *(min(s.end, b) for s in mine)})
        pieces = []
        for x, y in zip(cuts, cuts[1:]):
            pieces.append(Piece(text=text[x:y], keys=tuple(s.key for s in mine if s.start <= x and y <= s.end),
                                starts=tuple(s.key for s in mine if max(s.start, a) == x),
                                ends=tuple(ends_at.get(y, ()))))
        out.append(pieces)
    return _one_start_each(out)


def _one_start_each(paras) -> list:
    """Keep each key's start and end mark once (a span across paragraphs starts in its first)."""
    seen_start, seen_end, out = set(), set(), []
    for para in paras:
        fixed = []
        for p in para:
            starts = tuple(k for k in p.starts if k not in seen_start)
            ends = tuple(k for k in p.ends if k not in seen_end)
            seen_start.update(starts)
            seen_end.update(ends)
            fixed.append(Piece(p.text, p.keys, starts, ends))
        out.append(fixed)
    return out


def spans_of(ledger) -> list:
    """Every ledger claim's quote as a :class:`Span` (the ledger checks each quote is at its offset)."""
    return [Span(c.offset, c.offset + len(c.quote), c.id) for c in ledger.claims]


def article_meta(article) -> list:
    """``[(label, value)]`` of what ``article.yaml`` says of the article, for the pages to show;
    a field the data leave empty is said to be unknown rather than left out, and the bracket of dates it
    was written in (``written``), when recorded, is shown with its reasoning.

    >>> from types import SimpleNamespace as NS
    >>> article_meta(NS(author="A", author_role="", outlet=None, published="2019-03-01", read_from="r", notes=""))
    [('Author', 'A'), ('Outlet', 'not known'), ('Published', '2019-03-01'), ('Text read from', 'r')]
    >>> article_meta(NS(author="A", author_role="", outlet=None, published=None, read_from="r", notes="",
    ...                 written=NS(start="2019-01-01", end="2019-03-21", reasoning="why")))[2:4]
    [('Published', 'not known'), ('Written', 'between 2019-01-01 and 2019-03-21: why')]
    """
    author = article.author + (f" ({article.author_role})" if article.author_role else "")
    rows = [("Author", author), ("Outlet", str(article.outlet or "not known")),
            ("Published", str(article.published or "not known"))]
    written = getattr(article, "written", None)
    if written is not None:
        rows.append(("Written", f"between {written.start} and {written.end}: {written.reasoning}"))
    rows.append(("Text read from", article.read_from))
    return rows + ([("Note", article.notes)] if article.notes else [])
