"""Which registered measure could check a candidate claim, with its arguments, or why none does.

Each rule is registered with :func:`rule` and tried in order; the first that fits proposes a
measurement spec (``{measure, args}``) in the ledger's own form.  A proposal is then *tried*: the
measure is taken on the project's data (:func:`analysis.measures.measure`), and a proposal that
fails, or returns nothing the judge can compare, is dropped with the reason, so a draft ledger never
names a measure that cannot run.  Rules are hand-written and few; a candidate none fits gets a
plain reason by its type.

>>> from analysis.claims.extract.candidates import find_candidates
>>> [c] = find_candidates("In the 2020 edition of the Scoreboard, Huawei ranked 3rd among R&D investors.")
>>> s = suggest(c, Context())
>>> s.measure, s.args
('scoreboard.rank', {'entity': 'Huawei', 'edition': 2020})
"""
import re
from dataclasses import dataclass, field, replace
from typing import Callable


@dataclass(frozen=True)
class Context:
    """What a rule may know beyond the sentence: who "we" are and the year the article speaks from."""

    claimant: str = ""
    year: object = None  # the article's year (its publication year, else the latest year it mentions)


@dataclass(frozen=True)
class Suggestion:
    """A proposed check: the measure and arguments (None: no measure, ``reason`` says why), the
    theme and metric for the ledger entry, what the check is in plain words, and the stated value
    and unit in the measure's own unit where it differs."""

    measure: object = None
    args: dict = field(default_factory=dict)
    theme: str = "unsorted"
    metric: str = ""
    check: str = ""
    reason: str = ""
    parameters: dict = field(default_factory=dict)  # "$name" arguments → the value they take


#: The rules, in the order they are tried: name → function(candidate, context) → Suggestion or None.
RULES: dict = {}


def rule(name: str) -> Callable:
    """Register a suggestion rule under ``name`` (tried in registration order)."""
    def wrap(function):
        RULES[name] = function
        return function
    return wrap


def _rd(c) -> bool:
    return bool(re.search(r"\bR&D\b|research(?: and development)?\b", c.sentence, re.I))


def _edition(c):
    """The Scoreboard edition a candidate means: one it names, else the one ranking its year (the
    edition of year Y holds fiscal Y-1)."""
    named = re.search(r"\b((?:19|20)\d\d) edition\b", c.sentence)
    if named:
        return int(named.group(1))
    year = re.fullmatch(r"(?:19|20)\d\d", c.period or "")
    return int(year.group()) + 1 if year else None


@rule("scoreboard rank")
def _scoreboard_rank(c, context):
    if c.type != "rank" or not _rd(c):
        return None
    edition = _edition(c)
    if edition is None:
        return Suggestion(reason="An R&D rank, but the sentence gives no year or Scoreboard edition to rank in.")
    return Suggestion("scoreboard.rank", {"entity": c.entity, "edition": edition}, "rd_spending",
                      "R&D investment rank among the Scoreboard's companies",
                      "the company's rank by R&D in the EU Industrial R&D Investment Scoreboard")


@rule("scoreboard amount")
def _scoreboard_amount(c, context):
    if c.type != "quantity" or c.unit not in ("EUR million", "USD billion") or not _rd(c):
        return None
    edition = _edition(c)
    if edition is None:
        return Suggestion(reason="An R&D amount, but the sentence gives no year or Scoreboard edition.")
    amount = {"measure": "scoreboard.rd", "args": {"entity": c.entity, "edition": edition}}
    if c.unit == "EUR million":
        return Suggestion(amount["measure"], amount["args"], "rd_spending", "R&D investment in EUR",
                          "the company's R&D in the EU Industrial R&D Investment Scoreboard")
    return Suggestion("fx.usd_billion", {"amount": amount, "fx_source": "fed_g5a", "fx_year": edition - 1},
                      "rd_spending", "R&D investment converted to US dollars",
                      "the company's Scoreboard R&D converted to US dollars at the Federal Reserve's annual rate")


_WORLD = re.compile(r"\b(?:world|planet|global|globe|humanity|mankind|earth)\b", re.I)


@rule("world population")
def _world_population(c, context):
    if c.type != "quantity" or not re.search(r"\b(?:people|persons|population|inhabitants)\b", str(c.unit)) \
            or not _WORLD.search(c.sentence):
        return None
    if not re.fullmatch(r"(?:19|20)\d\d", c.period or ""):
        return Suggestion(reason="A world population figure, but the sentence gives no year.")
    return Suggestion("population.world", {"source": "world_bank", "vintage": "$vintage", "year": int(c.period)},
                      "population", "world population", "the world population in the World Bank's figures")


def _years(c, context):
    """The years an absence covers: its own range, else up to its period or the article's year."""
    period = re.fullmatch(r"((?:19|20)\d\d)(?:-((?:19|20)\d\d))?", c.period or "")
    if period:
        return int(period.group(1)), int(period.group(2) or period.group(1))
    return None, context.year


def _record_start() -> int:
    from analysis.data import security

    return int(str(security.load_timeline()["date"].min())[:4])


@rule("breach counter-examples")
def _breaches(c, context):
    if c.type != "absence" or not re.search(r"\bbreach|\bhack|\bcompromis", c.sentence, re.I):
        return None
    first, last = _years(c, context)
    if last is None:
        return Suggestion(reason="An absence of breaches, but neither the sentence nor the article gives a year.")
    return Suggestion("incidents.counter_examples", {"definition": "confirmed_breach",
                                                     "first_year": first or _record_start(), "last_year": last},
                      "security_record", "security breaches the claimant acknowledged",
                      "counter-examples in the incident timeline (breaches the company acknowledged)")


@rule("government requests")
def _requests(c, context):
    if c.type != "absence" or not re.search(r"\bgovernment", c.sentence, re.I) \
            or not re.search(r"\bask|\brequest|\bdemand", c.sentence, re.I):
        return None
    first, last = _years(c, context)
    if last is None:
        return Suggestion(reason="An absence of government requests, but no year is given.")
    return Suggestion("incidents.government_requests", {"scope": "improper_only", "first_year": first or
                                                        _record_start(), "last_year": last},
                      "security_record", "government requests on record",
                      "government requests in the incident timeline")


def _words(text) -> set:
    """The content words of a text, lower case, a plural's final s dropped ("caves" → "cave")."""
    return {re.sub(r"(?<=[a-z]{3})s$", "", w) for w in re.findall(r"[a-z]{4,}", str(text).lower())}


def _fact_tables() -> list:
    from analysis.data import manifest

    return [key for key in manifest.load_manifest() if key.startswith("facts_")]


def dated_rows(value: str, sentence: str) -> list:
    """The cited fact rows dated ``value`` (at its precision) that share at least two content words
    (of their entity and metric) with ``sentence`` (the words around the date), best match first, as
    ``(shared words, fact id)``."""
    from analysis.data import facts

    said, found = _words(sentence), []
    for table in _fact_tables():
        frame = facts.load_facts(table)
        for entity, metric, period, row_value in zip(frame["entity"], frame["metric"], frame["period"],
                                                     frame["value"]):
            date = re.search(r"\d{4}(-\d{2}){0,2}", f"{period} {row_value}")
            if date is None or not date.group().startswith(value) or len(date.group()) < len(value):
                continue
            shared = len(_words(f"{entity} {metric.replace('_', ' ')}") & said)
            if shared >= 2:
                found.append((shared, "/".join((table, entity, metric, period))))
    return sorted(found, key=lambda f: -f[0])


#: How many characters either side of a date are read to match it with a cited row.
WINDOW = 60


@rule("cited date row")
def _cited_date(c, context):
    if c.type != "date" or c.comparator != "equals":
        return None
    at = max(c.sentence.find(c.quote), 0)
    rows = dated_rows(str(c.value), c.sentence[max(0, at - WINDOW):at + len(c.quote) + WINDOW])
    if not rows:
        return None
    if len(rows) > 1 and rows[0][0] == rows[1][0]:
        return Suggestion(reason=f"Several cited rows of that date match the sentence equally well "
                                 f"({len([r for r in rows if r[0] == rows[0][0]])}); choose one by hand.")
    precision = {4: "year", 7: "month"}.get(len(str(c.value)), "day")
    return Suggestion("fact.date", {"fact": rows[0][1], "precision": precision}, "events", "date of the event",
                      "the date a cited source gives the event")


#: Why nothing was suggested, by candidate type (plain words: the draft's notes and the report page show them).
NO_RULE = {
    "qualitative": "A statement in words: it is checked against documents or evidence rows chosen by hand, "
                   "or skipped as opinion.",
    "date": "A date is checked against a cited fact row; none of that date matches the sentence, so one has to "
            "be chosen by hand.",
    "absence": "An absence is checked by counter-examples; no record in the data covers this subject.",
    "rank": "No ranking in the data covers this.",
}


def propose(candidate, context) -> Suggestion:
    """The first rule's proposal (not yet tried), or a Suggestion with only a reason."""
    for function in RULES.values():
        found = function(candidate, context)
        if found is not None:
            return found
    return Suggestion(reason=NO_RULE.get(candidate.type, f"No dataset in the project measures the {candidate.unit} "
                                                         f"this sentence states."))


def suggest(candidate, context, verify: bool = True) -> Suggestion:
    """A proposal for ``candidate``, tried on the data when ``verify``: a measure that fails or
    gives nothing comparable is dropped, its failure kept as the reason; one that works records
    the trial parameters it worked under (``parameters``)."""
    found = propose(candidate, context)
    if found.measure is None:
        return found
    options = trial_options(found)
    if not verify:
        return replace(found, parameters=options[0])
    parameters, why = trial(found, candidate.comparator, options)
    if why:
        return Suggestion(theme=found.theme, metric=found.metric, check=found.check,
                          reason=f"Tried {found.check}: {why}")
    return replace(found, parameters=parameters)


#: Values a "$name" argument of a proposal may take, tried in this order (newest data first); the
#: ledger entry then records the one that worked as the claim's parameter, so it can be changed.
TRIAL_PARAMETERS = {"vintage": ("2026-03-06", "2023-05-04", "2020-04-14")}


def trial_options(found) -> list:
    """The parameter sets a proposal is tried under (``[{}]`` when it takes none)."""
    names = [n for n in TRIAL_PARAMETERS if f"'${n}'" in repr(found.args)]
    if not names:
        return [{}]
    return [dict(zip(names, values)) for values in zip(*(TRIAL_PARAMETERS[n] for n in names))]


def trial(found, comparator: str, options) -> tuple:
    """``(parameters, '')``: the first option under which the proposal measures a value the
    ``comparator`` can apply to; ``(None, why)`` if there is none."""
    from analysis import measures
    from analysis.claims.judge import comparator_problem
    from analysis.errors import AuditError

    problem = "the data hold no value for it"
    for params in options:
        spec = {"measure": found.measure, "args": _substitute(found.args, params)}
        try:
            taken = measures.measure(spec)
        except AuditError as exc:  # the data do not hold it (an unknown company, edition, year): said in the note
            problem = plain(str(exc))
            continue
        if taken.kind == "unavailable":
            problem = taken.missing or problem
            continue
        why = comparator_problem(comparator, taken.kind)
        return (None, why) if why else (params, "")
    return None, problem


def plain(message: str) -> str:
    """A measure's error without the measure's name and arguments (the note is read by people).

    >>> plain("measure 'scoreboard.rd' with {'edition': 2018}: Scoreboard 2018 edition: no company matches 'X'")
    "Scoreboard 2018 edition: no company matches 'X'"
    """
    return re.sub(r"^measure '[^']+'(?: with \{.*\})?: ", "", message.split("\n")[0])


def _substitute(value, params):
    """``value`` with each "$name" in ``params`` replaced (nested specs included)."""
    if isinstance(value, str) and value.startswith("$") and value[1:] in params:
        return params[value[1:]]
    if isinstance(value, dict):
        return {k: _substitute(v, params) for k, v in value.items()}
    return value
