"""Text for readers: the sentences the notebooks and pages compute from ledger entries,
measurements and verdicts, so a changed parameter never leaves a stale word.

Quotes of the article, lists and numbers in words, the rule a claim's wording implies evaluated
in plain sight, the declared choices that would change a verdict, caveats and limits, and the
parts of a qualitative claim.  Nothing here measures or judges: every function only words what
:mod:`analysis.claims` and :mod:`analysis.measures` found.

>>> and_list(["FIPS 140", "Common Criteria", "Cyber Essentials"])
'FIPS 140, Common Criteria and Cyber Essentials'
>>> number_text(3e9), number_text(1.14)
('3,000,000,000', '1.14')
>>> from analysis.claims.ledger import load_ledger
>>> from analysis.claims import audit
>>> ledger = load_ledger()
>>> claim = ledger.claim("rd-top-five-2018")
>>> rule_sentence(claim, audit.assess_claim(claim, claim.parameters))
'The wording “top five” means at most 5; measured: rank 5: within the top five, so the verdict is **supported**.'
"""
import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

#: The comparator of a ledger entry in words.
COMPARATOR_WORDS = {
    "more_than": "more than", "at_least": "at least", "at_most": "at most", "about": "about",
    "just_over": "just over", "equals": "exactly", "within_range": "within the range",
    "none_exists": "no case at all", "qualitative": "a statement weighed on its evidence",
}

#: Gap between two quoted claims that is shown as the article has it (shorter, on one line); a longer
#: gap is elided.
SHORT_GAP = 20


def and_list(items: Iterable) -> str:
    """Items joined as in a sentence: 'a', 'a and b', 'a, b and c' ('' for none).

    >>> and_list([]), and_list([2018]), and_list(["a", "b"]), and_list("abc")
    ('', '2018', 'a and b', 'a, b and c')
    """
    items = [str(i) for i in items]
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


def number_text(x: float) -> str:
    """A number for a sentence: a whole number with thousands separators, else as short as it goes.

    >>> number_text(97000), number_text(40.0), number_text(0.5)
    ('97,000', '40', '0.5')
    """
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def plural(n: float, word: str, words: str | None = None) -> str:
    """``n`` and ``word``, in the plural (``words``, default ``word`` + "s") unless ``n`` is 1.

    >>> plural(1, "case"), plural(8.0, "death"), plural(2, "country", "countries"), plural(0, "row")
    ('1 case', '8 deaths', '2 countries', '0 rows')
    """
    return f"{number_text(n)} {word if n == 1 else words or word + 's'}"


def sentence(text: str) -> str:
    """``text`` as a sentence: its first letter upper-case, a full stop at the end (unless it has one).

    >>> sentence("the figure is the company's own"), sentence("Is it?")
    ("The figure is the company's own.", 'Is it?')
    """
    text = text.strip()
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def bullet_list(items: Iterable[str]) -> str:
    """One bullet per distinct item, each made a sentence (:func:`sentence`), in the order given.

    >>> print(bullet_list(["a caveat", "a limit", "a caveat"]))
    - A caveat.
    - A limit.
    """
    return "\n".join(f"- {sentence(t)}" for t in dict.fromkeys(items))


def short_quote(claim, width: int = 60) -> str:
    """A claim named by its words in the article, in quotation marks: at most ``width`` characters,
    a longer quote cut after its last whole word that fits, with "…".

    >>> from types import SimpleNamespace as NS
    >>> short_quote(NS(quote="We have never suffered a major security breach."), 30)
    '“We have never suffered a…”'
    >>> short_quote(NS(quote="close to 40% of the planet"))
    '“close to 40% of the planet”'
    """
    quote = claim.quote
    if len(quote) > width:
        cut = quote[:width - 1]
        cut = cut[:cut.rindex(" ")] if quote[width - 1] != " " and " " in cut else cut
        quote = cut.rstrip(" ,;:") + "…"
    return f"“{quote}”"


def quote_markdown(claims, article, text: str | None = None) -> str:
    """The claims' sentences quoted from the article, with its title and author, as a Markdown block quote.

    ``claims``: one claim or several (each with ``quote`` and ``offset``).  Their spans are quoted in
    article order, overlapping spans merged.  The article's words between two spans are kept when
    they are short (at most :data:`SHORT_GAP` characters, on one line), and the claims' own words are
    then in bold; a longer gap is elided (" … ").  The bold is HTML (``<strong>``), not ``**``, and the
    article's line breaks inside a span become spaces, so JupyterLab and the HTML report render a quote
    alike (``**`` next to a closing quotation mark, or spanning lines, shows as asterisks in JupyterLab);
    ``$`` and ``*`` in the article are escaped (JupyterLab would read ``$…$`` as mathematics).  ``text`` is the article's text (default: read from
    ``article``).

    >>> from types import SimpleNamespace as NS
    >>> article = NS(title="A title", author="An Author")
    >>> text = "We are big. For example, we are old. Much later, in another paragraph: we are loved."
    >>> big, old, loved = (NS(quote=q, offset=text.index(q)) for q in ("We are big.", "we are old.", "we are loved."))
    >>> print(quote_markdown(big, article, text))
    > “We are big.”
    >
    > — *A title*, An Author
    >>> print(quote_markdown([loved, big, old], article, text).splitlines()[0])
    > “<strong>We are big.</strong> For example, <strong>we are old.</strong> … <strong>we are loved.</strong>”
    >>> print(quote_markdown([big, loved], article, text).splitlines()[0])
    > “We are big. … we are loved.”
    """
    claims = [claims] if hasattr(claims, "quote") else list(claims)
    text = article.text() if text is None else text
    spans = []
    for c in sorted(claims, key=lambda c: c.offset):
        start, end = c.offset, c.offset + len(c.quote)
        if spans and start <= spans[-1][1]:  # overlapping quotes: one span
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    gaps = [text[a[1]:b[0]] for a, b in pairwise(spans)]
    gaps = [_markdown_text(g) if len(g) <= SHORT_GAP and "\n" not in g else " … " for g in gaps]
    bold = ("<strong>", "</strong>") if any(g != " … " for g in gaps) else ("", "")
    body = f"{bold[0]}{_markdown_text(text[spans[0][0]:spans[0][1]])}{bold[1]}"
    for gap, (start, end) in zip(gaps, spans[1:]):
        body += f"{gap}{bold[0]}{_markdown_text(text[start:end])}{bold[1]}"
    by = f", {article.author}" if article.author else ""
    return f"> “{body}”\n>\n> — *{article.title}*{by}"


def _markdown_text(text: str) -> str:
    r"""Article text for a Markdown line: runs of white space (line breaks too) as one space, ``$`` and
    ``*`` escaped.

    >>> print(_markdown_text("more than US$15\n billion *now*"))
    more than US\$15 billion \*now\*
    """
    return re.sub(r"\s+", " ", text).replace("*", "\\*").replace("$", "\\$")


def _stated_text(comparator: str, value) -> str:
    if comparator == "within_range" and isinstance(value, str):
        return value.replace("/", "–")
    return number_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def rule_sentence(claim, assessment, under: str = "", flips: Sequence | None = None) -> str:
    """The rule the claim's wording implies, evaluated in plain sight, and the verdict it gives.

    The stated value is the one the assessment used (a ``$parameter`` threshold resolved); ``under``
    says under what the value was measured ("under the definition checked here").  Given ``flips``
    (:func:`analysis.claims.multiverse.choice_flips`), the declared choices that would change the
    verdict follow (:func:`choice_flips_sentence`).

    >>> from types import SimpleNamespace as NS
    >>> def claim(wording, comparator):
    ...     return NS(stated=NS(wording=wording, comparator=comparator))
    >>> def verdict(rule, value, stated):
    ...     return NS(rule=rule, verdict=NS(value=value), stated_value=stated)
    >>> rule_sentence(claim("more than", "more_than"), verdict("3,100,000,000 > 3,000,000,000", "supported", 3e9))
    'The wording “more than” means more than 3,000,000,000; measured: 3,100,000,000 > 3,000,000,000, so the verdict is **supported**.'
    >>> rule_sentence(claim("never", "none_exists"), verdict("0 qualifying cases found", "not checkable", 0),
    ...               under="under the definition checked here")
    'The wording “never” admits no case at all; measured under the definition checked here: 0 qualifying cases found, so the verdict is **not checkable**.'
    >>> rule_sentence(claim("made it clear", "qualitative"), verdict("not checkable", "not checkable", None))
    'The wording “made it clear” is a statement weighed on its evidence; nothing in the data settles it, so the verdict is **not checkable**.'
    >>> rule_sentence(claim("top five", "at_most"), verdict("rank 6 ≤ 5", "not supported", 5), flips=[])
    'The wording “top five” means at most 5; measured: rank 6 ≤ 5, so the verdict is **not supported**. None of the analyst choices declared for it changes the verdict.'
    """
    comparator, stated = claim.stated.comparator, assessment.stated_value
    if comparator == "none_exists":
        means = "admits no case at all"
    elif stated is None:
        means = f"is {COMPARATOR_WORDS[comparator]}"
    else:
        means = f"means {COMPARATOR_WORDS[comparator]} {_stated_text(comparator, stated)}"
    measured = ("nothing in the data settles it" if assessment.rule == "not checkable"
                else f"measured{' ' + under if under else ''}: {assessment.rule}")
    text = f"The wording “{claim.stated.wording}” {means}; {measured}, so the verdict is **{assessment.verdict.value}**."
    return text if flips is None else f"{text} {choice_flips_sentence(flips)}"


def _option_text(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def typed(changes: dict) -> str:
    """Parameter values as a reader types them to run with them, marked up as keyboard input (Markdown passes
    the element through; report pages never scan text to type as prose).

    >>> typed({"edition": 2017, "vendors": ["Huawei", "Cisco"]})
    '<kbd>-p edition 2017 -p vendors Huawei,Cisco</kbd>'
    """
    return "<kbd>" + " ".join(f"-p {k} {_option_text(v)}" for k, v in changes.items()) + "</kbd>"


def choice_flips_sentence(flips: Sequence, limit: int = 4) -> str:
    """The declared analyst choices that change a claim's verdict, each in the ledger's words and as the
    ``-p name value`` to type, marked up as keyboard input (:func:`analysis.claims.multiverse.choice_flips`);
    past ``limit``, how many more.

    >>> from types import SimpleNamespace as NS
    >>> flip = NS(changes={"edition": 2017}, words="Scoreboard edition: 2017",
    ...           assessment=NS(verdict=NS(value="not supported")))
    >>> choice_flips_sentence([flip])
    'Of the analyst choices declared for it, Scoreboard edition: 2017 (<kbd>-p edition 2017</kbd>) makes it *not supported*.'
    >>> choice_flips_sentence([])
    'None of the analyst choices declared for it changes the verdict.'
    """
    found = [(f"{f.words} ({typed(f.changes)})" if getattr(f, "words", "") else typed(f.changes))
             + f" makes it *{f.assessment.verdict.value}*" for f in flips]
    if len(found) > limit:  # a long list of alternatives: the first ones, and how many more
        found = found[:limit] + [f"{len(found) - limit} more do too"]
    return ("Of the analyst choices declared for it, " + "; ".join(found) + "." if found
            else "None of the analyst choices declared for it changes the verdict.")


#: The limit the judge's self-reported policy puts on a claim, in words.
SELF_REPORTED = ("the figure is the company's own, so a met claim is at best “company figures only”: "
                 "not independently verified")


def limits_markdown(claims: Sequence, assessments: Sequence) -> str:
    """The claims' caveats and limits from the ledger, as a list under a heading, after the limit the
    judge's self-reported policy put on any of the ``assessments``; each said once.

    >>> from types import SimpleNamespace as NS
    >>> c = NS(caveats=("the op-ed year is 2019",), limits=("products are not dated",))
    >>> print(limits_markdown([c], [NS(policies=["self_reported"])]))
    **Caveats and limits.**
    <BLANKLINE>
    - The figure is the company's own, so a met claim is at best “company figures only”: not independently verified.
    - The op-ed year is 2019.
    - Products are not dated.
    """
    items = [SELF_REPORTED] if any("self_reported" in a.policies for a in assessments) else []
    items += [t for c in claims for t in (*c.caveats, *c.limits)]
    return "**Caveats and limits.**\n\n" + bullet_list(items)


def parts_markdown(measurement) -> str:
    """Each part of a qualitative claim (an ``evidence.parts`` measurement), its status, and the cited
    rows on it: who is credited, and by the company's own or an independent source.

    >>> from analysis.measures import Measurement
    >>> row = {"part": "network", "provider": "Huawei", "what": "built it", "self_reported": True,
    ...        "source": "Huawei press release", "period": "2018-07"}
    >>> print(parts_markdown(Measurement((("network", "self-reported only"), ("cable", "undocumented")), "",
    ...                                  "evidence", "", "", details={"rows": [row]})))
    - *network*: **self-reported only**. Huawei: built it (own source: Huawei press release, 2018-07).
    - *cable*: **undocumented**. No cited row.
    """
    out = []
    for part, status in measurement.value:
        rows = [r for r in measurement.details["rows"] if r["part"] == part and r["provider"]]
        cited = "; ".join(f"{r['provider']}{'' if str(r['what']).isdigit() else ': ' + r['what']} "
                          f"({'own source' if r['self_reported'] else 'independent source'}: {r['source']}, "
                          f"{r['period']})" for r in rows) or "No cited row"
        out.append(f"- *{part}*: **{status}**. {cited}.")
    return "\n".join(out)


def statement_search_text(measurement) -> str:
    """What the search for an attributed statement (a ``document.statement`` measurement) found.

    >>> from analysis.measures import Measurement
    >>> statement_search_text(Measurement(0, "statements", "unavailable", "", "", details={"found": 0, "speaker_rows": 3}))
    'Rows quoting the speaker with the wording: 0; other rows naming the speaker: 3.'
    >>> statement_search_text(Measurement(((), ), "statements", "evidence", "", "", details={"found": 2}))
    'Rows quoting the speaker with the wording: 2.'
    """
    found, other = measurement.details["found"], measurement.details.get("speaker_rows")
    return (f"Rows quoting the speaker with the wording: {found}"
            + (f"; other rows naming the speaker: {other}." if other is not None else "."))
