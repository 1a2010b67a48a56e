"""Candidate claims: the checkable statements of an article, typed, with their stated value and hedge.

:func:`find_candidates` reads each sentence (:mod:`.parse`) and keeps:

- **numbers**: a quantity with its hedge ("more than 170 countries": 170, more_than), a share
  ("close to 40% of the planet": 40 percent, about), money (in US$ billion or € million, the units
  the measures use), durations ("three decades": 30 years; a round duration with no hedge reads as
  "about"), counts ("two different law firms");
- **ranks**: "top five" (at most 5), "ranked 3rd" (3), "our largest shareholder" (1);
- **dates**: a date that is not just the period of a number in the same clause ("in June 2018":
  2018-06), and year ranges ("from 2014-2016": 2014/2016, within_range);
- **absences**: "never", "No government has ever", "There are no ..." (0, none_exists), unless a
  pledge ("will never") or reported speech;
- **qualitative statements**: a full sentence (or, beside a number, a clause) that states a past
  fact or reports what someone said; opinions, pledges and questions are left out.

Headings and captions (lines without closing punctuation) give only numbers, never a qualitative
or absence candidate.  Each candidate's quote is cut from the text at its offset, so it passes the
ledger's quote check by construction.

>>> [(c.type, c.value, c.comparator) for c in find_candidates("We operate in more than 170 countries.")]
[('count', 170, 'more_than')]
"""
import re
from dataclasses import dataclass, replace

from analysis.claims.extract import hedges, parse

#: Capitalised words that open sentences without naming anyone (not entities).
STARTERS = frozenset(
    "A An The This That These Those There It Its In On At For From Over During Following After Before Since "
    "When While As If But And Or So Yet Even Every Each Some Many Most Our We Us They Their He She His Her "
    "Not No Never Meanwhile However Here Sometimes Also Then Now Today Yesterday Last Next Please January "
    "February March April May June July August September October November December".split())
FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.I)
_PROPER = re.compile(r"[A-Z][\w’'&.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'&.-]*)*")
#: Words that end the noun after a number ("170 countries where ...", "15,000 people and ...").
_NOUN_STOP = frozenset("where that which who in of and or to by on at for with from as than – — but "
                       "across around into".split())
_PEOPLE = frozenset("people persons users employees workers staff deaths customers subscribers residents "
                    "members children patients voters shareholders".split())
_CURRENCIES = {"united states dollar": "USD", "euro": "EUR", "pound sterling": "GBP", "yuan": "CNY",
               "renminbi": "CNY", "japanese yen": "JPY"}
_TERMINAL = re.compile(r"[.!;]['’\"”)]*$")


@dataclass(frozen=True)
class Candidate:
    """One candidate claim: where it is, what kind, what it states, and what it is about."""

    quote: str
    offset: int
    type: str  # rank | quantity | share | date | count | absence | qualitative
    value: object
    unit: object
    wording: str
    comparator: str
    entity: str
    period: str
    sentence: str  # the sentence it comes from (context for the measure suggestion)

    @property
    def end(self) -> int:
        return self.offset + len(self.quote)


def find_candidates(text: str, claimant: str = "") -> list:
    """Every candidate claim of ``text`` in article order; ``claimant``: who "we" are (the
    article's ``claimant``), named as the entity of first-person claims."""
    found = []
    for sentence in parse.sentences(text):
        found += [replace(c, offset=c.offset + sentence.start) for c in _in_sentence(sentence.text, claimant)]
    return sorted(found, key=lambda c: (c.offset, c.end))


def _in_sentence(s: str, claimant: str) -> list:
    full = bool(_TERMINAL.search(s)) and not s.endswith("?") and len(s.split()) >= 4
    ranks = hedges.ranks(s)
    dates = parse.dates(s)
    numbers = [_rank(s, r, claimant) for r in ranks]
    ranges = []
    for q in parse.quantities(s):
        if _overlaps(q, ranks) or _overlaps(q, dates) or _is_name_part(s, q):
            continue
        if _is_year_range(q):
            ranges.append(_range(s, q, claimant))
        elif not _is_bare_year(q):
            numbers.append(_quantity(s, q, claimant))
    numbers = [_with_period(c, s, dates) for c in numbers]
    out = numbers + ranges
    for d in dates:
        if not any(_same_clause(s, d.start, c.offset) for c in numbers):
            out.append(_date(s, d, claimant))
    absence = hedges.absolute(s) if full else None
    if absence is not None and not out:
        out.append(Candidate(s, 0, "absence", 0, "cases", absence.wording, "none_exists",
                             _entity(s, absence.start, claimant), _period_words(s), s))
    elif full and not out and hedges.factual(s):
        out.append(Candidate(s, 0, "qualitative", None, None, _gist(s), "qualitative",
                             _entity(s, 0, claimant), _period_words(s), s))
    elif full and out:
        out += _clauses(s, out, claimant)
    return out


def _overlaps(q, spans) -> bool:
    return any(q.start < p.end and p.start < q.end for p in spans)


def _is_name_part(s, q) -> bool:
    """A number right after a capitalised name, with no unit ("iPhone 11"), is part of the name."""
    name = re.search(r"\b([A-Za-z]*[A-Z]\w*)\s+$", s[:q.start])
    return q.unit == "dimensionless" and name is not None and name.group(1) not in STARTERS


def _is_year_range(q) -> bool:
    return q.low != q.high and all(1800 <= v <= 2100 and float(v).is_integer() for v in (q.low, q.high))


def _is_bare_year(q) -> bool:
    return q.unit == "dimensionless" and re.fullmatch(r"(1[89]|20)\d\d", q.surface) is not None


def _number(x):
    """An integral float as an int (a stated 170, not 170.0)."""
    return int(x) if float(x).is_integer() else round(x, 6)


def _noun_after(s, end) -> str:
    """The noun phrase after a number ("170 countries where ..." → "countries"), at most three words."""
    words = []
    for m in re.finditer(r"[\w’'-]+|[^\w\s]", s[end:]):
        word = m.group()
        if not re.match(r"\w", word) or word.lower() in _NOUN_STOP or len(words) == 3:
            break
        words.append(word)
    return " ".join(words)


def _quantity(s, q, claimant) -> Candidate:
    before = s[:q.start]
    wording, comparator = hedges.hedge(before)
    start = hedges.hedge_start(before) if wording else q.start
    end, unit, value, kind = q.end, q.unit, _number(q.value), "quantity"
    if s[end:end + 1] == "+":
        wording, comparator, end = q.surface + "+", "at_least", end + 1
    if unit == "percentage":
        unit, kind = "percent", "share"
        tail = re.match(r"\s+of\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+)?", s[end:])
        end += len(tail.group()) if tail else 0
    elif unit in _CURRENCIES or "dollar" in unit:
        code = _CURRENCIES.get(unit, "USD")
        value, unit = (_number(q.value / 1e6), "EUR million") if code == "EUR" else \
            (_number(q.value / 1e9), f"{code} billion")
    elif unit in ("decade", "year"):
        value, unit = _number(q.value * (10 if unit == "decade" else 1)), "years"
        if comparator == "equals" and (q.unit == "decade" or value % 10 == 0):
            comparator = "about"  # "three decades", "30 years": a round duration is approximate
        start = _verb_start(s, start)
    else:
        noun = _noun_after(s, end)
        end += len(s[end:]) - len(s[end:].lstrip()) + len(noun) if noun else 0
        unit = noun or "number"
        if isinstance(value, int) and value < 1000 and not set(noun.lower().split()) & _PEOPLE:
            kind = "count"
    quote = s[start:end].rstrip()
    return Candidate(quote, start, kind, value, unit, wording or q.surface, comparator,
                     _entity(s, start, claimant), "not stated", s)


def _verb_start(s, start) -> int:
    """A duration's quote starts at the word before it ("spanning 30 years", "past three decades")."""
    m = re.search(r"[\w’'-]+\s+$", s[:start])
    return m.start() if m else start


def _rank(s, r, claimant) -> Candidate:
    start = r.start
    one_of = re.search(r"\bone of (?:the\s+)?$", s[:start], re.I)
    start = one_of.start() if one_of else start
    return Candidate(s[start:r.end], start, "rank", r.value, "rank", r.wording, r.comparator,
                     _entity(s, start, claimant), "not stated", s)


def _range(s, q, claimant) -> Candidate:
    lead = re.search(r"\b(?:from|between|in)\s+$", s[:q.start], re.I)
    start = lead.start() if lead else q.start
    value = f"{int(q.low)}/{int(q.high)}"
    return Candidate(s[start:q.end], start, "date", value, "date", s[start:q.end], "within_range",
                     _entity(s, start, claimant), value.replace("/", "-"), s)


def _date(s, d, claimant) -> Candidate:
    lead = re.search(r"\b(?:in|on|since|from|by)\s+$", s[:d.start], re.I)
    start = d.start if lead is None or d.surface.lower().startswith(("in ", "on ", "the ")) else lead.start()
    return Candidate(s[start:d.end], start, "date", d.value, "date", s[start:d.end], "equals",
                     _entity(s, start, claimant), d.value[:4], s)


def _same_clause(s, a, b) -> bool:
    low, high = sorted((a, b))
    return not re.search(r"[,;:–—]", s[low:high])


def _with_period(c, s, dates) -> Candidate:
    """A number's period: a date in its clause ("top five ... in 2018"), an edition, "this year"."""
    for d in dates:
        if _same_clause(s, d.start, c.offset):
            return replace(c, period=d.value[:4])
    return replace(c, period=_period_words(s))


def _period_words(s) -> str:
    edition = re.search(r"\b((?:19|20)\d\d) edition\b", s)
    if edition:
        return f"{edition.group(1)} edition"
    if re.search(r"\bthis year\b", s, re.I):
        return "year of writing"
    year = re.search(r"\b(?:in|during|since)\s+((?:19|20)\d\d)\b", s)
    return year.group(1) if year else "not stated"


def _entity(s, position, claimant) -> str:
    """Who the claim is about: the first name in the clause before ``position``, else the last name
    before it in the sentence, else the claimant if the sentence speaks as "we", else the first name
    after; "not stated" if none."""
    names = [m for m in _PROPER.finditer(s) if not _is_starter(s, m) and s[m.end():m.end() + 1] != "$"
             and "&" not in m.group()]
    before = [m for m in names if m.end() <= position]
    in_clause = [m for m in before if _same_clause(s, m.start(), position)]
    if in_clause or before:
        return _clean_name((in_clause or before[::-1])[0].group())
    if claimant and FIRST_PERSON.search(_clause_at(s, position)):
        return claimant
    return _clean_name(names[0].group()) if names else "not stated"


def _clause_at(s, position) -> str:
    """The comma-delimited clause of ``s`` around ``position``."""
    low = max([m.end() for m in re.finditer(r"[,;:–—]", s[:position])] or [0])
    high = re.search(r"[,;:–—]", s[position:])
    return s[low:position + high.start() if high else len(s)]


def _is_starter(s, m) -> bool:
    first = re.sub(r"[’'].*$", "", m.group().split()[0])
    return first in STARTERS and (m.start() == 0 or len(m.group().split()) == 1)


def _clean_name(name) -> str:
    return re.sub(r"(?:’s|'s)$", "", name.strip(" .")).strip()


def _gist(s) -> str:
    """The wording of a qualitative statement: its first words (what a reviewer recognises it by)."""
    return " ".join(s.split()[:6]).rstrip(",.;:")


def _clauses(s, taken, claimant) -> list:
    """Qualitative candidates in the clauses of a sentence that also states numbers: each clause with
    none of them that opens with a name or a pronoun and states a fact."""
    out = []
    for m in re.finditer(r"[^,;–—]+", s):
        clause = m.group().strip()
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        if any(start < c.end and c.offset < start + len(clause) for c in taken):
            continue
        if len(clause.split()) >= 4 and clause[0].isupper() and hedges.factual(clause):
            out.append(Candidate(clause, start, "qualitative", None, None, _gist(clause), "qualitative",
                                 _entity(s, start + len(clause.split()[0]) + 1, claimant), _period_words(s), s))
    return out
