"""Measures: one function per *kind* of measurement, registered by name, returning data only.

A ledger claim names a measure and its arguments (``measure: scoreboard.rank``,
``args: {entity: Huawei, edition: 2019}``).  The measure reads the processed tables
or cited fact rows and returns a :class:`Measurement`: the value, its unit, the
source rows it read, their vintage, and the flags the judge needs (does it rest
only on the claimant's own figures?).  A measure writes no verdict and no verdict
prose: :func:`analysis.claims.judge.judge` does that, the same way for every claim.

Every measure is registered here with :func:`register` (its name, and the *kind*
of value it returns, which decides the comparators a ledger entry may use with
it) and found with :func:`find`.  An argument can itself be a measurement spec
(``{measure: ..., args: ...}``), so derived measures (a ratio, years since a
date) compose the others.

>>> from analysis.measures import measure
>>> m = measure({"measure": "scoreboard.rank", "args": {"entity": "Huawei", "edition": 2019}})
>>> m.value, m.kind, m.sources[0].ref
(5, 'rank', 'data/raw/rd_spending/SB2019_World2500.csv#L6')
"""
import functools
import inspect
import json
from dataclasses import dataclass, field, replace
from typing import Callable

from analysis import forget_memos
from analysis.data.source import Source
from analysis.errors import AuditError

#: The kinds of value a measure returns, and the ledger comparators each admits.
#: "unavailable" (no public data settles it) admits any comparator: the judge says "not checkable".
KINDS = {
    "number": ("more_than", "at_least", "at_most", "about", "just_over", "equals"),
    "rank": ("at_most", "equals"),
    "date": ("equals",),
    "range": ("within_range",),
    "cases": ("none_exists",),
    "evidence": ("qualitative",),
}


@dataclass(frozen=True)
class Measurement:
    """A measured value with everything needed to check it, and nothing that judges it.

    ``description`` is one factual sentence (what was measured, from what); ``details``
    holds figures beside the value that tables and the judge's policies may show
    (for example the published rank next to the recomputed one).  ``missing``, set
    only when ``kind == "unavailable"``, names the public data that would settle it.
    """

    value: object
    unit: str
    kind: str
    description: str
    vintage: str
    sources: tuple = ()
    self_reported: bool = False
    details: dict = field(default_factory=dict)
    missing: str = ""
    caveats: tuple = ()  # limits of the data themselves (a derived figure, another population basis)

    def with_(self, **changes) -> "Measurement":
        """A copy with some fields changed."""
        return replace(self, **changes)


@dataclass(frozen=True)
class MeasureSpec:
    """A registered measure: its name, the kind of value it returns, and the function."""

    name: str
    kind: str
    function: Callable
    doc: str

    @property
    def arguments(self) -> tuple:
        """The names of the function's arguments (what a ledger ``args`` may give)."""
        return tuple(inspect.signature(self.function).parameters)

    @property
    def hints(self) -> dict:
        """``{argument: type hint}`` for the arguments that have one."""
        return {n: p.annotation for n, p in inspect.signature(self.function, eval_str=True).parameters.items()
                if p.annotation is not inspect.Parameter.empty}

    @property
    def required(self) -> tuple:
        """The arguments without a default (a ledger ``args`` must give them)."""
        return tuple(n for n, p in inspect.signature(self.function).parameters.items()
                     if p.default is inspect.Parameter.empty)


_REGISTRY: dict = {}


class MeasureError(AuditError):
    """A measure is unknown, or was given arguments it does not take or data it does not hold."""


def register(name: str, kind: str) -> Callable:
    """Decorator: register ``function`` as the measure ``name`` returning values of ``kind``.

    >>> @register("example.constant", "number")
    ... def _constant(value: float) -> Measurement:
    ...     return Measurement(value, "", "number", "a constant", "n/a")
    >>> find("example.constant").kind
    'number'
    >>> _ = _REGISTRY.pop("example.constant")
    """
    if kind not in KINDS and kind != "any":
        raise ValueError(f"measure {name!r}: unknown kind {kind!r}; known: {', '.join(KINDS)}")

    def wrap(function):
        if name in _REGISTRY and _REGISTRY[name].function is not function:
            raise ValueError(f"measure {name!r} is registered twice")
        _REGISTRY[name] = MeasureSpec(name, kind, function, inspect.getdoc(function) or "")
        return function

    return wrap


def _load_all():
    # The modules that register measures (imported for their side effect, once).
    from analysis.measures import (  # noqa: F401
        certificates,
        countries,
        cves,
        derived,
        documents,
        events,
        evidence,
        facts,
        incidents,
        money,
        ownership,
        population,
        scoreboard,
    )


def find(name: str) -> MeasureSpec:
    """The registered measure ``name``; a MeasureError lists the known ones."""
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise MeasureError(f"unknown measure {name!r}; known measures: {', '.join(sorted(_REGISTRY))}") from None


def names() -> list:
    """Every registered measure name, sorted."""
    _load_all()
    return sorted(_REGISTRY)


def is_spec(value) -> bool:
    """Whether ``value`` is a measurement spec (a mapping with a ``measure`` key)."""
    return isinstance(value, dict) and "measure" in value


def indefinite(name: str) -> str:
    """A type's name with its indefinite article, for messages.

    >>> indefinite("int"), indefinite("str")
    ('an int', 'a str')
    """
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


#: What a type hint admits as written in a ledger (no coercion: "2019" is not an int, True is not a
#: number); hints not listed here (none, unions, ...) are not checked.
_ADMITS = {int: (int,), float: (int, float), str: (str,), bool: (bool,), list: (list, tuple)}


def type_problem(value, hint, origin="") -> str:
    """Why ``value`` cannot be given to an argument annotated ``hint`` ('' if it can, or if the hint
    is one this check does not read); ``origin`` says where the value came from ("parameter $edition").

    >>> type_problem("2019x", int)
    "expects an int, got '2019x' (a str)"
    >>> type_problem(2019, float), type_problem({"measure": "fact.value", "args": {}}, Measurement)
    ('', '')
    """
    if hint is Measurement:
        expected = "a measurement ({measure, args})"
        if is_spec(value):
            return ""
    elif hint not in _ADMITS:
        return ""
    else:
        expected = indefinite(hint.__name__)
        if is_spec(value):
            return f"expects {expected}, got a measurement ({{measure, args}})"
        if isinstance(value, _ADMITS[hint]) and (hint is bool or not isinstance(value, bool)):
            return ""
    return f"expects {expected}, got {value!r} ({indefinite(type(value).__name__)}{', ' if origin else ''}{origin})"


def argument_problems(spec: dict, parameters=None, field: str = "measure", args_field: str = "args") -> list:
    """What is wrong with a measurement spec's name and arguments (nested specs included), as
    ``(field, text)`` pairs; empty if nothing is.  Used by the ledger at load time.

    Each argument is checked against the measure's type hint, a ``"$name"`` through
    ``parameters[name]`` (unchecked if it is not there).  ``field`` names the spec in the
    messages, ``args_field`` its arguments (``args.edition``; nested: ``args.amount.args.edition``).

    >>> argument_problems({"measure": "scoreboard.rank", "args": {"entity": "Huawei", "edition": "$edition"}},
    ...                   {"edition": "2019x"})
    [('args.edition', "measure 'scoreboard.rank' expects an int, got '2019x' (a str, parameter $edition)")]
    """
    try:
        found = find(spec["measure"])
    except MeasureError as exc:
        return [(field, str(exc))]
    args = spec.get("args") or {}
    problems = []
    unknown = sorted(set(args) - set(found.arguments))
    if unknown:
        problems.append((field, f"measure {found.name!r} takes no argument(s) {', '.join(unknown)}; "
                                f"its arguments: {', '.join(found.arguments)}"))
    missing = [n for n in found.required if n not in args]
    if missing:
        problems.append((field, f"measure {found.name!r} needs argument(s) {', '.join(missing)}"))
    hints = found.hints
    for name, value in args.items():
        where, origin = f"{args_field}.{name}", ""
        if isinstance(value, str) and value.startswith("$"):
            origin = f"parameter {value}"
            if value[1:] not in (parameters or {}):
                continue  # an unknown "$name" is the ledger's to report
            value = parameters[value[1:]]
        why = type_problem(value, hints.get(name), origin)
        if why:
            problems.append((where, f"measure {found.name!r} {why}"))
        elif is_spec(value):
            problems += argument_problems(value, parameters, field=where, args_field=f"{where}.args")
    return problems


def kind_of(spec: dict) -> str:
    """The kind of value a spec's measure returns (``"any"`` for measures whose kind varies)."""
    return find(spec["measure"]).kind


def measure(spec: dict) -> Measurement:
    """Take the measurement a spec describes (nested specs are measured first).

    Measures are pure functions of their arguments over tables read once, so a measurement
    is taken once per distinct spec and then reused (the multiverse asks for the same one many
    times); :func:`clear_cache` forgets them.  An error in the data or the arguments is a
    MeasureError naming the measure.
    """
    return _measure_once(json.dumps(spec, sort_keys=True, default=str))


def clear_cache() -> None:
    """Forget every measurement taken and every memo of the measure modules (after a table changed
    in this process, or a test replaced one)."""
    forget_memos(__name__)


@functools.lru_cache(maxsize=None)
def _measure_once(key: str) -> Measurement:
    return _take(json.loads(key))


def _take(spec: dict) -> Measurement:
    found = find(spec["measure"])
    args = {k: measure(v) if is_spec(v) else v for k, v in (spec.get("args") or {}).items()}
    try:
        result = found.function(**args)
    except TypeError as exc:
        raise MeasureError(f"measure {found.name!r}: {exc}") from None
    except (LookupError, ValueError) as exc:  # a value the data do not hold (an unknown source, edition, ...)
        raise MeasureError(f"measure {found.name!r} with {args!r}: {exc}") from None
    if found.kind != "any" and result.kind not in (found.kind, "unavailable"):
        raise MeasureError(f"measure {found.name!r} returned a {result.kind!r} value; it is registered "
                           f"as {found.kind!r}")
    return result


def source(label: str, url: str, ref: str = "") -> Source:
    """A source row (re-exported for measure modules)."""
    return Source(label=label, url=url, ref=ref)
