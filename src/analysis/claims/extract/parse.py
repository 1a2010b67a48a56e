"""What maintained packages find in an article's text: sentences, quantities, dates, number words.

This module only wraps the packages; it judges nothing (:mod:`.hedges` and :mod:`.candidates`
turn what it finds into claims).  Each wrapper returns spans as offsets into the text given,
so a quote can always be cut back out of the article exactly.

- sentences: ``pysbd`` (rule-based sentence boundaries, no model), within each line of the text
  (a line of an article capture is a heading, a caption or a paragraph);
- quantities with units: ``quantulum3`` (its unit and number grammar; the optional classifier,
  which needs scikit-learn and a trained model, is not used);
- dates: ``datefinder`` (regular expressions and dateutil), a year required (so "this year" is no
  date); the precision (year, month, day) is read from how the date is written;
- number words: ``text2num`` ("five" → 5), for rank phrases.

Nothing is downloaded at run time: each package ships its rules and tables.

>>> [s.text for s in sentences("Huawei ranked 3rd. It grew.\\nA heading")]
['Huawei ranked 3rd.', 'It grew.', 'A heading']
>>> number_word("five"), number_word("3"), number_word("blue")
(5, 3, None)
"""
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Span:
    """A piece of the text: where it starts and ends (``text[start:end] == self.text``)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Quantity:
    """A number a package found, with its unit as the package names it."""

    surface: str
    start: int
    end: int
    value: float
    unit: str  # quantulum3's unit name ("percentage", "united states dollar", "decade", "dimensionless")
    low: float  # the ends of a range ("2014-2016" → 2014, 2016); both equal ``value`` otherwise
    high: float


@dataclass(frozen=True)
class DateMention:
    """A calendar date a package found, to the precision the text gives it."""

    surface: str
    start: int
    end: int
    value: str  # "2018", "2018-06" or "2018-06-23"


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def blocks(text: str) -> list:
    r"""The text's blocks: a heading, a caption, or a paragraph whose hard-wrapped lines are joined
    (a line continues into the next when it does not close a sentence and the next starts in lower
    case, or when it is as long as wrapped prose).

    >>> [b.text for b in blocks("A heading\nA long line of prose that the writer wrapped at some width,\nso it goes on.")]
    ['A heading', 'A long line of prose that the writer wrapped at some width,\nso it goes on.']
    """
    out, current = [], None
    for line in re.finditer(r"[^\n]+", text):
        if current is not None and _continues(text[current.start:current.end], line.group(), line.start() - current.end):
            current = Span(text[current.start:line.end()], current.start, line.end())
            continue
        if current is not None:
            out.append(current)
        current = Span(line.group(), line.start(), line.end())
    return out + ([current] if current is not None else [])


def _continues(previous: str, line: str, gap: int) -> bool:
    last = previous.rstrip().split("\n")[-1]
    if gap != 1 or re.search(r"[.!?;:…]['’\"”)]*$", last):
        return False
    return line[:1].islower() or len(last) >= 60


def sentences(text: str) -> list:
    """The sentences of ``text`` (each block split by pysbd), stripped, with their offsets."""
    out = []
    for block in blocks(text):
        flat = block.text.replace("\n", " ")  # pysbd ends a sentence at a line break; same length, same offsets
        for piece in _segmenter().segment(flat):
            stripped = piece.sent.strip()
            if stripped:
                start = block.start + piece.start + (len(piece.sent) - len(piece.sent.lstrip()))
                out.append(Span(text[start:start + len(stripped)], start, start + len(stripped)))
    return out


@lru_cache(maxsize=1)
def _quantity_parser():
    with warnings.catch_warnings():  # "classifier dependencies not installed": not used, on purpose
        warnings.simplefilter("ignore")
        from quantulum3 import parser
    return parser


def quantities(sentence: str) -> list:
    """The quantities quantulum3 finds in ``sentence`` (offsets into it), numbers with digits or
    number words only (it also reads a lone "&" or a letter as a unit)."""
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = _quantity_parser().parse(sentence)
    for q in found:
        start, end = q.span
        if sentence[start:end] != q.surface:  # the package cleaned the text: find the surface again
            start = sentence.find(q.surface)
            end = start + len(q.surface)
        if start < 0 or not (re.search(r"\d", q.surface) or number_word(q.surface.split()[0]) is not None):
            continue
        spread = q.uncertainty or 0
        out.append(Quantity(q.surface, start, end, float(q.value), q.unit.name, q.value - spread, q.value + spread))
    return out


_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.I)
_DAY = re.compile(r"\b(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?\b(?!\d)")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def precision(surface: str) -> str:
    """How precisely a date is written: "day", "month" or "year".

    >>> precision("in June 2018"), precision("23 June 2018"), precision("in 2018")
    ('month', 'day', 'year')
    """
    if not _MONTH.search(surface):
        return "year"
    return "day" if _DAY.search(_YEAR.sub(" ", surface)) else "month"


def dates(sentence: str) -> list:
    """The dates datefinder finds in ``sentence`` that name a year, at the precision written:
    "in June 2018" → ``2018-06``, "in 2018" → ``2018``.

    >>> [(d.surface, d.value) for d in dates("A team was trapped in a cave in June 2018, and freed.")]
    [('in June 2018', '2018-06')]
    """
    if not _YEAR.search(sentence):  # a date without a year is no claim date, and the search costs time
        return []
    import datefinder

    out = []
    for when, surface, (start, end) in datefinder.find_dates(sentence, source=True, index=True):
        stripped = surface.strip()
        # its index can be off by a character or two (after a non-breaking space): find the surface itself
        found = sentence.find(stripped, max(0, start - 3))
        start = found if found >= 0 else sentence.find(stripped)
        if start < 0 or not _YEAR.search(stripped):
            continue
        shape = {"year": "%Y", "month": "%Y-%m"}.get(precision(stripped), "%Y-%m-%d")
        out.append(DateMention(stripped, start, start + len(stripped), when.strftime(shape)))
    return out


#: Ordinals text2num leaves alone when they stand alone ("first" and "second" are also other words).
_ORDINALS = {"first": 1, "second": 2}


def number_word(word: str):
    """The number a word, numeral or ordinal means ("five" → 5, "3rd" → 3, "third" → 3), None if none.

    >>> number_word("third"), number_word("3rd"), number_word("first"), number_word("two")
    (3, 3, 1, 2)
    """
    from text_to_num import alpha2digit, text2num

    word = word.lower().strip()
    if word in _ORDINALS:
        return _ORDINALS[word]
    try:
        return text2num(word, "en")
    except ValueError:
        pass
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", alpha2digit(word, "en") if word.isalpha() else word)
    return int(match.group(1)) if match else None
