"""Text for readers (analysis.report.prose): each function on small inputs made here, no data read."""
from types import SimpleNamespace as NS

import pytest

from analysis.measures import Measurement
from analysis.report import prose

TEXT = ("We are in 170+ countries. For example, we serve 3 billion users. "
        "Much later, after a long paragraph about other things: we were never breached.")
ARTICLE = NS(title="A title", author="An Author")


def claim_at(words, **stated):
    return NS(quote=words, offset=TEXT.index(words), stated=NS(**stated) if stated else None)


def assessment(rule, verdict, stated, policies=()):
    return NS(rule=rule, verdict=NS(value=verdict), stated_value=stated, policies=list(policies))


@pytest.mark.parametrize("items, expected", [
    ([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c"), ((2017, 2018), "2017 and 2018"),
])
def test_and_list(items, expected):
    assert prose.and_list(items) == expected


@pytest.mark.parametrize("number, expected", [
    (3_000_000_000, "3,000,000,000"), (3e9, "3,000,000,000"), (40.0, "40"), (1.14, "1.14"), (0, "0"),
])
def test_number_text(number, expected):
    assert prose.number_text(number) == expected


@pytest.mark.parametrize("n, words, expected", [
    (1, ("case",), "1 case"), (1.0, ("case",), "1 case"), (0, ("case",), "0 cases"), (12_000, ("death",), "12,000 deaths"),
    (3, ("country", "countries"), "3 countries"), (1, ("country", "countries"), "1 country"),
])
def test_plural(n, words, expected):
    assert prose.plural(n, *words) == expected


def test_sentences_and_bullets_say_each_item_once():
    assert prose.sentence("a limit") == "A limit."
    assert prose.sentence("Done?") == "Done?"
    assert prose.sentence("") == ""
    assert prose.bullet_list(["one", "two", "one"]) == "- One.\n- Two."


def test_short_quote_cuts_at_a_whole_word():
    quote = NS(quote="We have never suffered a major security breach.")
    assert prose.short_quote(quote) == "“We have never suffered a major security breach.”"
    assert prose.short_quote(quote, 25) == "“We have never suffered a…”"  # "a" fits whole
    assert prose.short_quote(quote, 24) == "“We have never suffered…”"
    assert prose.short_quote(NS(quote="Unbreakablewordwithoutspaces"), 10) == "“Unbreakab…”"


def test_one_claim_is_quoted_as_it_stands_with_title_and_author():
    one = claim_at("we serve 3 billion users.")
    assert prose.quote_markdown(one, ARTICLE, TEXT) == (
        "> “we serve 3 billion users.”\n>\n> — *A title*, An Author")
    assert prose.quote_markdown(one, NS(title="A title", author=""), TEXT).endswith("> — *A title*")


def test_several_claims_keep_short_gaps_in_bold_and_elide_long_ones():
    countries, users, breach = (claim_at(w) for w in ("We are in 170+ countries.", "we serve 3 billion users.",
                                                      "we were never breached."))
    first = prose.quote_markdown([breach, countries, users], ARTICLE, TEXT).splitlines()[0]
    assert first == ("> “<strong>We are in 170+ countries.</strong> For example, <strong>we serve 3 billion "
                     "users.</strong> … <strong>we were never breached.</strong>”")
    # only long gaps: nothing to tell apart, so no bold
    assert prose.quote_markdown([countries, breach], ARTICLE, TEXT).splitlines()[0] == (
        "> “We are in 170+ countries. … we were never breached.”")


def test_a_quote_renders_alike_in_jupyterlab_and_html():
    # a fixture text: a claim across a line break, with a dollar sign and an asterisk
    text = "We spent US$15\nbillion* on it. Then, we were loved."
    spent, loved = (NS(quote=q, offset=text.index(q)) for q in ("We spent US$15\nbillion* on it.", "we were loved."))
    first = prose.quote_markdown([spent, loved], ARTICLE, text).splitlines()[0]
    assert "\n" not in first and "**" not in first  # no emphasis spanning lines, no ** beside a quotation mark
    assert first == "> “<strong>We spent US\\$15 billion\\* on it.</strong> Then, <strong>we were loved.</strong>”"


def test_overlapping_claims_are_quoted_once():
    whole, part = claim_at("We are in 170+ countries."), claim_at("170+ countries")
    assert prose.quote_markdown([whole, part], ARTICLE, TEXT).splitlines()[0] == "> “We are in 170+ countries.”"


@pytest.mark.parametrize("wording, comparator, stated, rule, verdict, under, expected", [
    ("more than", "more_than", 3e9, "3,100,000,000 > 3,000,000,000", "supported", "",
     ("The wording “more than” means more than 3,000,000,000; measured: 3,100,000,000 > 3,000,000,000, "
     "so the verdict is **supported**.")),
    ("never", "none_exists", 0, "0 qualifying cases found", "not checkable", "under the definition checked here",
     ("The wording “never” admits no case at all; measured under the definition checked here: 0 qualifying cases "
     "found, so the verdict is **not checkable**.")),
    ("deep inside", "qualitative", None, "evidence weighed part by part: a: others only", "not supported", "",
     ("The wording “deep inside” is a statement weighed on its evidence; measured: evidence weighed part by part: "
     "a: others only, so the verdict is **not supported**.")),
    ("in 2018", "equals", "2018", "not checkable", "not checkable", "",
     "The wording “in 2018” means exactly 2018; nothing in the data settles it, so the verdict is **not checkable**."),
    ("from 2014-2016", "within_range", "2014/2016", "2014–2016 vs stated 2014–2016", "supported", "",
     ("The wording “from 2014-2016” means within the range 2014–2016; measured: 2014–2016 vs stated 2014–2016, "
     "so the verdict is **supported**.")),
])
def test_rule_sentence(wording, comparator, stated, rule, verdict, under, expected):
    claim = NS(stated=NS(wording=wording, comparator=comparator))
    assert prose.rule_sentence(claim, assessment(rule, verdict, stated), under) == expected


def test_rule_sentence_uses_the_resolved_threshold_not_the_parameter_name():
    claim = NS(stated=NS(wording="independently", comparator="at_least", value="$min_certificates"))
    assert "means at least 2;" in prose.rule_sentence(claim, assessment("27 ≥ 2", "supported", 2))


def flip(verdict, **changes):
    return NS(changes=changes, assessment=NS(verdict=NS(value=verdict)))


def test_choice_flips_sentence_names_each_choice_as_a_parameter_hint():
    assert prose.choice_flips_sentence([]) == "None of the analyst choices declared for it changes the verdict."
    assert prose.choice_flips_sentence([flip("not supported", edition=2017),
                                        flip("conflicting", definition="alleged", severity="HIGH"),
                                        flip("not checkable", vendors=["Huawei", "ZTE"])]) == (
        "Of the analyst choices declared for it, <kbd>-p edition 2017</kbd> makes it *not supported*; "
        "<kbd>-p definition alleged -p severity HIGH</kbd> makes it *conflicting*; "
        "<kbd>-p vendors Huawei,ZTE</kbd> makes it *not checkable*.")
    many = prose.choice_flips_sentence([flip("not supported", year=y) for y in range(2010, 2016)], limit=4)
    assert many.endswith("<kbd>-p year 2013</kbd> makes it *not supported*; 2 more do too.")


def test_choice_flips_sentence_says_each_choice_in_the_ledgers_words_before_what_to_type():
    labelled = NS(changes={"fx_source": "fred_datahub"}, words="exchange-rate source: FRED series",
                  assessment=NS(verdict=NS(value="not supported")))
    assert prose.choice_flips_sentence([labelled]) == (
        "Of the analyst choices declared for it, exchange-rate source: FRED series "
        "(<kbd>-p fx_source fred_datahub</kbd>) makes it *not supported*.")


def test_rule_sentence_with_flips_adds_the_choices_that_change_it():
    claim = NS(stated=NS(wording="top five", comparator="at_most"))
    text = prose.rule_sentence(claim, assessment("rank 5 ≤ 5", "supported", 5), flips=[flip("not supported", edition=2017)])
    assert text.endswith("so the verdict is **supported**. Of the analyst choices declared for it, "
                         "<kbd>-p edition 2017</kbd> makes it *not supported*.")


def test_limits_markdown_adds_the_self_reported_limit_and_says_each_once():
    a = NS(caveats=("the year is read as 2019",), limits=("products are not dated",))
    b = NS(caveats=(), limits=("products are not dated",))
    text = prose.limits_markdown([a, b], [assessment("x", "supported", 1, policies=["self_reported"])])
    assert text == ("**Caveats and limits.**\n\n"
                    "- The figure is the company's own, so a met claim is at best “company figures only”: not independently verified.\n"
                    "- The year is read as 2019.\n- Products are not dated.")
    assert "company's own" not in prose.limits_markdown([a], [assessment("x", "supported", 1)])


def test_parts_markdown_lists_each_part_with_who_says_it():
    rows = [{"part": "network", "provider": "Huawei", "what": "built it", "self_reported": True,
             "source": "press release", "period": "2018"},
            {"part": "network", "provider": "Operator", "what": "3", "self_reported": False,
             "source": "newspaper", "period": "2018-07"},
            {"part": "cable", "provider": "", "what": "(no cited row)", "self_reported": False,
             "source": "", "period": ""}]
    m = Measurement((("network", "contested"), ("cable", "undocumented")), "", "evidence", "", "",
                    details={"rows": rows})
    assert prose.parts_markdown(m) == (
        "- *network*: **contested**. Huawei: built it (own source: press release, 2018); "
        "Operator (independent source: newspaper, 2018-07).\n"
        "- *cable*: **undocumented**. No cited row.")


def test_statement_search_text():
    none = Measurement(0, "statements", "unavailable", "", "", details={"found": 0, "speaker_rows": 2})
    found = Measurement((("statement documented", "independent"),), "statements", "evidence", "", "",
                        details={"found": 1})
    assert prose.statement_search_text(none) == ("Rows quoting the speaker with the wording: 0; "
                                                 "other rows naming the speaker: 2.")
    assert prose.statement_search_text(found) == "Rows quoting the speaker with the wording: 1."
