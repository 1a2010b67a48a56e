"""The claim ledger (``articles/<slug>/claims.yaml``): every checkable claim, validated on load.

Validation has two layers, and a failure in either names the entry and field:

1. the JSON Schema in ``schemas/claims.schema.json`` (shape, types, allowed values);
2. cross-checks the schema cannot express: unique ids, each quote found in the
   article at its offset, notebooks that exist, measures and their arguments that
   exist, a comparator that can apply to the measure's kind of value, ``$name``
   references to the claim's own parameters, claim parameters valid for their notebook.
   (The datasets a claim reads are not listed: they are derived from the rows its measure
   cites, :func:`analysis.claims.multiverse.datasets_read`.)

A new claim (of this article or another) needs only a new entry: its ``measure``
names the kind of measurement, its ``args`` what to measure, its ``stated`` value and
comparator what the article says, its ``parameters`` and ``choices`` the analyst
choices it is checked under.

>>> ledger = load_ledger()
>>> ledger.claim("rd-top-five-2018").stated.wording
'top five'
"""
import datetime
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from analysis import paths
from analysis.errors import LedgerError, ParameterError
from analysis.measures import indefinite

_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list}
#: The values each parameter type admits as written in the ledger (no coercion: "2019" is a str, not
#: an int; an int is a valid float; a bool is only a bool).
_WRITTEN = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "list": (list,)}


@dataclass(frozen=True)
class Stated:
    """What the article says: the value, its unit, its hedge words and the rule they imply."""

    value: object
    unit: object
    wording: str
    comparator: str
    tolerance: object = None  # a number, a "$parameter" reference, or None (the wording's rounding)


@dataclass(frozen=True)
class Claim:
    """One ledger entry."""

    id: str
    quote: str
    offset: int
    theme: str
    type: str
    entity: str
    metric: str
    period: str
    stated: Stated
    notebook: object = None  # theme notebook that shows it; None: the generic claim notebook (if measured)
    parameters: dict = field(default_factory=dict)
    note: str = ""
    choices: dict = field(default_factory=dict)  # analyst choices for the multiverse (analysis.claims.multiverse)
    choice_marks: dict = field(default_factory=dict)  # {choice: (ChoiceMark, ...)}, one per value of ``choices``
    as_of_writing: tuple = ()  # parameters that date its figure: the rule of analysis.claims.timing applies
    measure: object = None  # the registered measure (analysis.measures) that measures the claim
    args: dict = field(default_factory=dict)  # its arguments ("$name" takes the claim's parameter)
    ceiling: object = None  # optional {measure, args}: an independent maximum the stated value must not exceed
    caveats: tuple = ()  # claim-specific caveats, in plain words (a met claim becomes "with caveats")
    limits: tuple = ()  # what the check cannot show, in plain words (shown; the verdict is unchanged)

    def spec(self) -> dict:
        """The claim's measurement spec, ``{measure, args}`` (parameter references unresolved)."""
        return {"measure": self.measure, "args": self.args}


@dataclass(frozen=True)
class ParameterSpec:
    """A notebook parameter: its type, default, allowed values and meaning."""

    name: str
    type: str
    default: object
    help: str
    choices: tuple = ()
    min: object = None
    max: object = None
    format: object = None  # "date": a str that must be an ISO date (YYYY-MM-DD)
    label: str = ""  # the name in plain words, as report pages show it ('' : the name itself)
    labels: tuple = ()  # ((choice value, its name in plain words), ...), as report pages show them

    @property
    def title(self) -> str:
        """The parameter's name as a reader sees it: its label, else its name."""
        return self.label or self.name

    def show(self, value) -> str:
        """``value`` as a reader sees it: a choice's label, the items of a list joined, else the value
        as written (a number, a date, a company's name).

        >>> fx = ParameterSpec("fx_source", "str", "fed_g5a", "", choices=("fed_g5a",),
        ...                    labels=(("fed_g5a", "Federal Reserve G.5A release"),))
        >>> fx.show("fed_g5a"), ParameterSpec("vendors", "list", [], "").show(["Huawei", "Cisco"])
        ('Federal Reserve G.5A release', 'Huawei, Cisco')
        """
        if isinstance(value, (list, tuple)):
            return ", ".join(self.show(v) for v in value)
        return dict(self.labels).get(value, str(value))

    def describe(self) -> str:
        """One line for ``python -m analysis params``."""
        allowed = f" one of {list(self.choices)}" if self.choices else ""
        allowed += " ISO date YYYY-MM-DD" if self.format == "date" else ""
        bounds = "".join(f" {k} {v}" for k, v in (("≥", self.min), ("≤", self.max)) if v is not None)
        return f"{self.name} ({self.type}, default {self.default!r}{allowed}{bounds}): {self.help}"

    def type_problem(self, value, headline=None) -> str:
        """Why ``value``, as written in the ledger, is not of this parameter's type ('' if it is);
        ``headline``: the claim's own value, named in the message.  Unlike :meth:`coerce` (for the
        command line, where every value is text) nothing is converted: a value of another type
        than its parameter is a mistake in the ledger.

        >>> ParameterSpec("edition", "int", 2020, "").type_problem("2020", headline=2020)
        "parameter 'edition': '2020' is a str, not an int like its headline value 2020"
        >>> ParameterSpec("share", "float", 0.5, "").type_problem(1)
        ''
        """
        if isinstance(value, _WRITTEN[self.type]) and (self.type == "bool" or not isinstance(value, bool)):
            return ""
        like = f" like its headline value {headline!r}" if headline is not None else ""
        written = indefinite(type(value).__name__)
        return f"parameter {self.name!r}: {value!r} is {written}, not {indefinite(self.type)}{like}"

    def _coerce_list(self, value):
        """A list of strings: a YAML/Python list, or a comma-separated CLI string ("Huawei,Cisco").
        Each item must be one of ``choices`` (if given); the list must not be empty."""
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",") if v.strip()]
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            items = list(value)
        else:
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not a list of names; "
                                 f"expected {self.describe()} (on the command line: comma-separated)")
        if not items:
            raise ParameterError(f"parameter {self.name!r}: the list is empty; expected {self.describe()}")
        bad = [v for v in items if self.choices and v not in self.choices]
        if bad:
            raise ParameterError(f"parameter {self.name!r}: {', '.join(map(repr, bad))} not allowed; "
                                 f"choose from {list(self.choices)}")
        return items

    def coerce(self, value):
        """``value`` (a CLI string or a YAML scalar) as this parameter's type, checked against
        its allowed values; a ParameterError says what is allowed.

        >>> ParameterSpec("vendors", "list", ["Huawei"], "vendors", choices=("Huawei", "Cisco")).coerce("Huawei, Cisco")
        ['Huawei', 'Cisco']
        """
        if self.type == "list":
            return self._coerce_list(value)
        kind = _TYPES[self.type]
        try:
            if isinstance(value, str) and self.type == "bool":
                if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError
                out = value.lower() in ("true", "1", "yes")
            elif isinstance(value, bool) and self.type != "bool":
                raise ValueError
            elif self.type == "int" and isinstance(value, float) and not value.is_integer():
                raise ValueError
            else:
                out = kind(value)
        except (TypeError, ValueError):
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not a valid {self.type}; "
                                 f"expected {self.describe()}") from None
        if self.format == "date":
            try:
                datetime.date.fromisoformat(out)
            except ValueError:
                raise ParameterError(f"parameter {self.name!r}: {out!r} is not a date; expected "
                                     f"{self.describe()}") from None
        if self.type == "float" and not math.isfinite(out):
            raise ParameterError(f"parameter {self.name!r}: {value!r} is not a finite number; expected {self.describe()}")
        if self.choices and out not in self.choices:
            raise ParameterError(f"parameter {self.name!r}: {out!r} is not allowed; "
                                 f"choose one of {list(self.choices)}")
        if (self.min is not None and out < self.min) or (self.max is not None and out > self.max):
            raise ParameterError(f"parameter {self.name!r}: {out!r} is out of range; expected {self.describe()}")
        return out


@dataclass(frozen=True)
class NotebookSpec:
    """A notebook named in the ledger: its title and parameters."""

    name: str
    title: str
    parameters: dict = field(default_factory=dict)
    ordered: tuple = ()  # pairs (a, b) of parameters whose values must satisfy a <= b (first_year, last_year)
    file: object = None  # the notebook file when it is not notebooks/<name>.ipynb (the generic claim notebook)

    @property
    def path(self) -> Path:
        return Path(self.file) if self.file else paths.NOTEBOOKS / f"{self.name}.ipynb"

    def defaults(self) -> dict:
        return {name: spec.default for name, spec in self.parameters.items()}

    def words(self, values) -> str:
        """``{name: value}`` as a reader reads it: each parameter's label and its value's, in the ledger's
        plain words (a name the spec does not know is shown as it is).

        >>> load_ledger().notebooks["01_rd_spending"].words({"fx_source": "fred_datahub", "fx_year": 2018})
        'exchange-rate source: FRED series (datahub.io copy), exchange-rate year: 2018'
        """
        known = self.parameters
        return ", ".join(f"{known[k].title}: {known[k].show(v)}" if k in known else f"{k}: {v}"
                         for k, v in values.items())

    def validate(self, values) -> dict:
        """Check and coerce ``{name: value}``; unknown names are an error listing the valid ones."""
        unknown = sorted(set(values) - set(self.parameters))
        if unknown:
            listing = "\n  ".join(spec.describe() for spec in self.parameters.values())
            raise ParameterError(f"notebook {self.name}: unknown parameter(s) {', '.join(unknown)}; "
                                 f"valid parameters are:\n  {listing}")
        return {name: self.parameters[name].coerce(value) for name, value in values.items()}

    def check_order(self, values) -> None:
        """Check the declared orders (``ordered``) on a full set of values (defaults filled in); a
        ParameterError names both parameters and their values."""
        for low, high in self.ordered:
            if low in values and high in values and values[low] > values[high]:
                raise ParameterError(f"notebook {self.name}: {low} = {values[low]!r} is after {high} = "
                                     f"{values[high]!r}; {low} must not be greater than {high}")


#: The name under which claims with no theme notebook are run (the generic claim notebook).
CLAIM_NOTEBOOK = "claim"


def inferred_spec(claim) -> NotebookSpec:
    """The parameter specs of a claim with no theme notebook: each of its parameters, typed by its
    ledger value (an int stays an int), with that value as default and no other restriction."""
    names = {bool: "bool", int: "int", float: "float", str: "str", list: "list"}
    params = {name: ParameterSpec(name=name, type=names.get(type(value), "str"), default=value,
                                  help=f"parameter of claim {claim.id}", label=name.replace("_", " "))
              for name, value in claim.parameters.items()}
    return NotebookSpec(name=CLAIM_NOTEBOOK, title=f"Claim {claim.id}", parameters=params)


@dataclass(frozen=True)
class Ledger:
    """The validated ledger: the article, the notebooks and the claims in article order."""

    article: object  # analysis.claims.articles.Article
    notebooks: dict
    claims: tuple
    path: Path = None

    @property
    def article_path(self) -> Path:
        """The article text's path."""
        return self.article.text_path

    def parameter_spec(self, claim) -> NotebookSpec:
        """The parameter specs a claim's parameters are checked against: its theme notebook's, or
        (with none) :func:`inferred_spec`."""
        return self.notebooks[claim.notebook] if claim.notebook else inferred_spec(claim)

    def find_claims(self, notebook: str, measure: str, about: str | None = None, **args) -> list:
        """The claims of ``notebook`` measured by ``measure``, in article order: those whose ledger
        ``args`` include ``args`` and, given ``about``, whose entity or metric mentions it.  A notebook
        section asks for its claims this way, so no claim id is written into a notebook.  An error
        names what the ledger has if none is found.

        >>> [c.id for c in load_ledger().find_claims("02_footprint_users", "derived.years_since")]
        ['track-record-30-years', 'products-three-decades']
        >>> [c.id for c in load_ledger().find_claims("06_events", "fact.date", about="earthquake")]
        ['japan-quake-march-2011']
        """
        found = [c for c in self.claims_for(notebook) if c.measure == measure
                 and all(c.args.get(k) == v for k, v in args.items())
                 and (about is None or about in f"{c.entity} {c.metric}")]
        if not found:
            raise KeyError(self._not_found(notebook, measure, about, args, "no claim"))
        return found

    def find_claim(self, notebook: str, measure: str, about: str | None = None, **args) -> "Claim":
        """The one claim of ``notebook`` measured by ``measure`` (and, if given, whose ledger ``args``
        include ``args`` and whose entity or metric mentions ``about``): see :meth:`find_claims`.
        An error names what the ledger has.

        >>> load_ledger().find_claim("01_rd_spending", "scoreboard.rank").id
        'rd-top-five-2018'
        >>> load_ledger().find_claim("05_ownership_legal", "ownership.figure", topic="ren_share").id
        'ren-share-just-over-1pct'
        >>> load_ledger().find_claim("06_events", "evidence.parts", about="Sierra Leone").id
        'ebola-huawei-staff-remained'
        """
        found = self.find_claims(notebook, measure, about, **args)
        if len(found) != 1:
            raise KeyError(self._not_found(notebook, measure, about, args, f"{len(found)} claims, not one,"))
        return found[0]

    def _not_found(self, notebook, measure, about, args, how_many) -> str:
        have = ", ".join(f"{c.id} ({c.measure})" for c in self.claims_for(notebook)) or "none"
        about_text = f" about {about!r}" if about is not None else ""
        return f"notebook {notebook} has {how_many} measured by {measure!r} with {args}{about_text}; its claims: {have}"

    def page_of(self, claim) -> str:
        """The name of the page (notebook run) that shows ``claim``: its theme notebook, or
        ``claim-<id>`` for the generic claim notebook; '' if nothing checks it."""
        if claim.notebook:
            return claim.notebook
        return f"{CLAIM_NOTEBOOK}-{claim.id}" if claim.measure is not None else ""

    def generic_claims(self) -> list:
        """The measured claims with no theme notebook: each is shown by the generic claim notebook."""
        return [c for c in self.claims if c.notebook is None and c.measure is not None]

    def audited(self, claim) -> bool:
        """Whether the claim is checked at all (it names a measure)."""
        return claim.measure is not None

    def claim(self, claim_id) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(f"no claim {claim_id!r} in the ledger")

    def claims_for(self, notebook) -> list:
        """The claims a notebook checks, in article order."""
        return [c for c in self.claims if c.notebook == notebook]

    def article_text(self) -> str:
        return self.article_path.read_text(encoding="utf-8")


def _where(document, error_path) -> str:
    path = list(error_path)
    if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int):
        entry = document["claims"][path[1]]
        name = entry.get("id", "?") if isinstance(entry, dict) else "?"
        field_name = ".".join(str(p) for p in path[2:]) or "(entry)"
        return f"claim {name!r} (entry {path[1] + 1}), field {field_name!r}"
    return "field " + repr(".".join(str(p) for p in path) or "(top level)")


#: How a choice value is marked: a fair reading of the claim, or a sensitivity check that is not one.
MARK_KINDS = ("defensible", "sensitivity")


@dataclass(frozen=True)
class ChoiceMark:
    """A choice value's standing: ``defensible`` (a fair reading of the claim as worded) or
    ``sensitivity`` (shown apart: anachronistic, stricter or looser than the wording, another
    period), with its one-line reason in plain words."""

    kind: str
    reason: str

    @property
    def defensible(self) -> bool:
        return self.kind == "defensible"


def split_choices(raw, where) -> tuple:
    """``(values, marks, problems)`` of a ledger entry's ``choices``: each value is written
    ``{value: V, defensible: "why it is a fair reading"}`` or ``{value: V, sensitivity: "why it is
    not"}``; a value without exactly one such mark is a problem naming the claim and the choice.

    >>> values, marks, problems = split_choices({"edition": [{"value": 2019, "defensible": "fiscal 2018"},
    ...                                                      2017]}, "claim 'x' (entry 1)")
    >>> values, marks["edition"][0].kind
    ({'edition': [2019]}, 'defensible')
    >>> problems[0][:74]
    "claim 'x' (entry 1), field 'choices.edition': value 2017 is not marked; wr"
    """
    values, marks, problems = {}, {}, []
    for name, entries in (raw or {}).items():
        values[name], marks[name] = [], []
        for entry in entries:
            kinds = [k for k in MARK_KINDS if isinstance(entry, dict) and k in entry]
            extra = set(entry) - {"value", *MARK_KINDS} if isinstance(entry, dict) else set()
            reason = entry.get(kinds[0]) if len(kinds) == 1 else None
            if len(kinds) != 1 or "value" not in entry or extra or not isinstance(reason, str) or not reason.strip():
                shown = entry.get("value", entry) if isinstance(entry, dict) else entry
                problems.append(f"{where}, field 'choices.{name}': value {shown!r} is not marked; write it as "
                                f"{{value: ..., defensible: \"why it is a fair reading\"}} or {{value: ..., "
                                f"sensitivity: \"why it is not (anachronistic, stricter than the wording, "
                                f"another period)\"}}")
                continue
            values[name].append(entry["value"])
            marks[name].append(ChoiceMark(kinds[0], reason.strip()))
        marks[name] = tuple(marks[name])
    return values, marks, problems


def readings_in_words(claim, parameters) -> list:
    """The ledger's reasons, in plain words, for the choice values ``parameters`` take (what a reader is
    told a verdict was checked under).

    >>> claim = load_ledger().claim("rd-top-five-2018")
    >>> readings_in_words(claim, claim.parameters)
    ['the 2019 edition ranks fiscal 2018 spending, the year the claim names']
    """
    found = []
    for name, values in claim.choices.items():
        for value, mark in zip(values, claim.choice_marks.get(name, ())):
            option = value if isinstance(value, dict) else {name: value}
            if all(parameters.get(k) == v for k, v in option.items()):
                found.append(mark.reason)
                break
    return found


def _marked(entries, source) -> list:
    """The ledger's claim entries with their choices split into values and marks (a LedgerError lists
    every unmarked value)."""
    out, problems = [], []
    for number, c in enumerate(entries, start=1):
        values, marks, found = split_choices(c.get("choices"), f"claim {c.get('id')!r} (entry {number})")
        problems += found
        out.append({**c, "choices": values, "choice_marks": marks} if c.get("choices") else c)
    if problems:
        raise _malformed(source, problems)
    return out


def _malformed(source, problems) -> LedgerError:
    """The error for a ledger with ``problems``: one line for one problem, else one line each.

    >>> str(_malformed("claims.yaml", ["claim 'a' (entry 1), field 'offset': ..."]))
    "claims.yaml is malformed: claim 'a' (entry 1), field 'offset': ..."
    """
    if len(problems) == 1:
        return LedgerError(f"{source} is malformed: {problems[0]}")
    return LedgerError(f"{source} is malformed:\n  " + "\n  ".join(problems))


def _schema():
    return json.loads((paths.SCHEMAS / "claims.schema.json").read_text(encoding="utf-8"))


def _schema_errors(document, source):
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    if errors:
        raise _malformed(source, [f"{_where(document, e.path)}: {e.message}" for e in errors])


def _label_problems(raw) -> list:
    """What is missing from the plain-word labels of the notebooks' parameters: every parameter needs a
    ``label``, and every choice of a ``str`` parameter a label under ``labels`` (numbers, dates and names
    in a list read as themselves); a label for a value that is not a choice is a slip.

    >>> print(*_label_problems({"01_x": {"parameters": {"fx_source": {"type": "str", "label": "exchange-rate source",
    ...                                                               "choices": ["fed_g5a"], "labels": {}}}}}))
    notebook '01_x', parameter 'fx_source': choice 'fed_g5a' has no label; add it under labels (fed_g5a: "its name in plain words")
    """
    problems = []
    for name, entry in raw.items():
        for pname, p in entry["parameters"].items():
            where = f"notebook {name!r}, parameter {pname!r}"
            if not str(p.get("label", "")).strip():
                problems.append(f"{where} has no label; add label: \"its name in plain words\" (as the report "
                                f"shows it)")
            labels, choices = p.get("labels") or {}, [str(c) for c in p.get("choices", ())]
            needed = choices if p.get("type") == "str" else []
            problems += [f"{where}: choice {c!r} has no label; add it under labels ({c}: \"its name in plain "
                         f"words\")" for c in needed if c not in labels]
            problems += [f"{where}: labels names {v!r}, which is not one of its choices ({', '.join(choices) or 'none'}); "
                         f"remove it or add it to choices" for v in labels if v not in choices]
    return problems


def _build_notebooks(raw) -> dict:
    specs = {}
    for name, entry in raw.items():
        params = {}
        for pname, p in entry["parameters"].items():
            params[pname] = ParameterSpec(name=pname, type=p["type"], default=p["default"], help=p["help"],
                                          choices=tuple(p.get("choices", ())), min=p.get("min"),
                                          max=p.get("max"), format=p.get("format"), label=p.get("label", ""),
                                          labels=tuple((p.get("labels") or {}).items()))
            params[pname].coerce(p["default"])  # a default must satisfy its own spec
        specs[name] = NotebookSpec(name=name, title=entry["title"], parameters=params,
                                   ordered=tuple(tuple(pair) for pair in entry.get("ordered", ())))
    return specs


#: The Python types a claim's parameter value may have (YAML scalars and lists).
_VALUE_TYPES = (bool, int, float, str, list)


def _parameter_problems(claim, spec, where) -> list:
    """What is wrong with a claim's own parameters under ``spec`` (its theme notebook's, or
    :func:`inferred_spec`): a value that is no parameter value (null, a mapping), one written as
    another type than its parameter, an unknown name, a value outside the allowed ones."""
    problems = []
    for name, value in claim.parameters.items():
        param = spec.parameters.get(name)
        if not isinstance(value, _VALUE_TYPES):
            problems.append(f"{where}, field 'parameters.{name}': {value!r} is not a parameter value "
                            f"(write an int, a float, a str, a bool or a list of names)")
        elif param is not None and param.type_problem(value):
            problems.append(f"{where}, field 'parameters.{name}': {param.type_problem(value)}; expected "
                            f"{param.describe()}")
    if not problems:
        try:
            spec.validate(claim.parameters)
        except ParameterError as exc:
            problems.append(f"{where}, field 'parameters': {exc}")
    return problems


def _choice_problems(claim, spec, where) -> list:
    """What is wrong with a claim's ``choices`` (see :mod:`analysis.claims.multiverse`): each key is a
    parameter the claim is checked under, with a list of values valid for it that includes the
    claim's own (headline) value; or a group name with a list of parameter sets, one of which is
    the headline."""
    problems = []
    for key, values in claim.choices.items():
        field_name = f"{where}, field 'choices.{key}'"
        entries = values if key not in spec.parameters else [{key: v} for v in values]
        if key not in spec.parameters and not all(isinstance(e, dict) and e for e in entries):
            problems.append(f"{field_name}: {key!r} is not a parameter of notebook {spec.name} (its parameters: "
                            f"{', '.join(spec.parameters)}); a group of choices lists parameter sets "
                            f"({{name: value, ...}})")
            continue
        names = sorted({n for e in entries for n in e})
        stray = [n for n in names if n not in claim.parameters]
        if stray:
            problems.append(f"{field_name}: {', '.join(stray)} not among the claim's parameters "
                            f"({', '.join(claim.parameters) or 'none'}), so the choice would change nothing")
            continue
        wrong = [spec.parameters[n].type_problem(v, claim.parameters[n]) for e in entries for n, v in e.items()
                 if n in spec.parameters]
        if any(wrong):
            problems.append(f"{field_name}: {next(w for w in wrong if w)}")
            continue
        try:
            coerced = [spec.validate(e) for e in entries]
        except ParameterError as exc:
            problems.append(f"{field_name}: {exc}")
            continue
        try:
            headline = spec.validate({n: claim.parameters[n] for n in names})
        except ParameterError:
            continue  # the claim's own parameters are wrong: reported under 'parameters'
        if not any({**headline, **e} == headline for e in coerced):
            problems.append(f"{field_name}: the claim's own value ({', '.join(f'{n}={headline[n]!r}' for n in names)}) "
                            f"must be one of the choices (it is the headline specification)")
        marks = claim.choice_marks.get(key, ())
        if any({**headline, **e} == headline and not m.defensible for e, m in zip(coerced, marks)):
            problems.append(f"{field_name}: the claim's own value is marked sensitivity; the headline must be a "
                            f"defensible reading (mark it defensible, or choose a defensible value as the claim's own)")
        resolved = [json.dumps({**headline, **e}, sort_keys=True) for e in coerced]
        if len(set(resolved)) != len(resolved):
            problems.append(f"{field_name}: a value is listed twice")
    return problems


def _references(value) -> list:
    """The "$name" parameter references inside a spec's arguments (nested specs included)."""
    if isinstance(value, str) and value.startswith("$"):
        return [value[1:]]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _references(v)]
    if isinstance(value, (list, tuple)):
        return [r for v in value for r in _references(v)]
    return []


def _measure_problems(claim, where) -> list:
    """What is wrong with a measured claim: an unknown measure or argument, a "$name" that is not
    one of the claim's parameters, or a comparator that cannot apply to the measure's values."""
    from analysis import measures
    from analysis.claims.judge import comparator_problem

    problems = []
    for name, args_field, spec in (("measure", "args", claim.spec()), ("ceiling", "ceiling.args", claim.ceiling)):
        if spec is None:
            continue
        problems += [f"{where}, field {field_name!r}: {why}" for field_name, why
                     in measures.argument_problems(spec, claim.parameters, field=name, args_field=args_field)]
    refs = _references([claim.args, claim.ceiling, claim.stated.tolerance, claim.stated.value])
    unknown = [r for r in refs if r not in claim.parameters]
    if unknown:
        problems.append(f"{where}, field 'args': ${', $'.join(unknown)} not among the claim's parameters "
                        f"({', '.join(claim.parameters) or 'none'})")
    if not problems:
        kind = measures.kind_of(claim.spec())
        why = comparator_problem(claim.stated.comparator, kind)
        if why:
            problems.append(f"{where}, field 'stated.comparator': {why} (measure {claim.measure!r})")
    return problems


def _cross_check(claims, notebooks, text, source):
    problems, seen, last_offset = [], set(), -1
    for number, c in enumerate(claims, start=1):
        where = f"claim {c.id!r} (entry {number})"
        if c.id in seen:
            problems.append(f"{where}, field 'id': duplicate id")
        seen.add(c.id)
        if text[c.offset:c.offset + len(c.quote)] != c.quote:
            found = text.find(c.quote)
            hint = f"it is at offset {found}" if found >= 0 else "it is not in the article at all"
            problems.append(f"{where}, field 'offset': the quote is not at offset {c.offset} ({hint})")
        if c.offset < last_offset:
            problems.append(f"{where}, field 'offset': claims must be in article order")
        last_offset = c.offset
        if c.notebook is not None:
            if c.notebook not in notebooks:
                problems.append(f"{where}, field 'notebook': {c.notebook!r} is not declared under "
                                f"'notebooks' (declared: {', '.join(notebooks) or 'none'})")
            elif not notebooks[c.notebook].path.is_file():
                problems.append(f"{where}, field 'notebook': {notebooks[c.notebook].path} does not exist")
            else:
                problems += _parameter_problems(c, notebooks[c.notebook], where)
                problems += _choice_problems(c, notebooks[c.notebook], where)
            if c.measure is None:
                problems.append(f"{where}, field 'measure': a claim with a notebook needs a 'measure' "
                                f"(see `python -m analysis measures`)")
        elif c.measure is not None:
            problems += _parameter_problems(c, inferred_spec(c), where)
            problems += _choice_problems(c, inferred_spec(c), where)
        elif c.parameters:
            problems.append(f"{where}, field 'parameters': a claim with no measure and no notebook takes no parameters")
        if c.notebook is None and c.measure is None and c.choices:
            problems.append(f"{where}, field 'choices': a claim with no measure has no choices")
        if c.measure is not None:
            problems += _measure_problems(c, where)
    for path in sorted(paths.NOTEBOOKS.glob("*.ipynb")) if notebooks else ():
        if path.stem not in notebooks and path.stem != CLAIM_NOTEBOOK:
            problems.append(f"field 'notebooks': notebooks/{path.name} is not declared; add it "
                            f"(title and parameters) so the runner knows its parameters")
    if problems:
        raise _malformed(source, problems)


def _time_check(claims, article, source):
    """The claims' figures as of writing follow the one rule (:func:`analysis.claims.timing.time_problems`)."""
    from analysis.claims.timing import time_problems

    problems = [p for number, c in enumerate(claims, start=1)
                for p in time_problems(c, article.written, f"claim {c.id!r} (entry {number})")]
    if problems:
        raise _malformed(source, problems)


def load_ledger(path=None) -> Ledger:
    """Read and validate an article's ledger; a LedgerError lists every problem with entry and field.

    ``path``: the article folder, its ``claims.yaml``, or a slug under ``articles/``
    (default: this project's op-ed).

    >>> len(load_ledger().claims) >= 15
    True
    """
    from analysis.claims.articles import article_folder, load_article, read_yaml

    given = Path(path) if path is not None else None
    path = given if given is not None and given.is_file() else article_folder(given) / "claims.yaml"
    if not path.is_file():
        raise LedgerError(f"{path} does not exist: an article folder needs its claims.yaml")
    document = read_yaml(path)
    _schema_errors(document, path)
    article = load_article(path.parent)
    if _label_problems(document.get("notebooks") or {}):
        raise _malformed(path, _label_problems(document.get("notebooks") or {}))
    try:
        notebooks = _build_notebooks(document.get("notebooks") or {})
    except ParameterError as exc:
        raise LedgerError(f"{path}: notebooks: {exc}") from None
    claims = tuple(
        Claim(**{**c, "stated": Stated(**c["stated"]), "as_of_writing": tuple(c.get("as_of_writing", ())),
                 "caveats": tuple(c.get("caveats", ())), "limits": tuple(c.get("limits", ()))})
        for c in _marked(document["claims"], path))
    _cross_check(claims, notebooks, article.text(), path)
    _time_check(claims, article, path)
    return Ledger(article=article, notebooks=notebooks, claims=claims, path=path)
