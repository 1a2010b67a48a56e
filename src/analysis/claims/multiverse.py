"""The multiverse: every claim re-checked under every combination of its defensible choices.

A verdict rests on choices an analyst makes (which Scoreboard edition, which
exchange rate, which population source, how much rounding "about" allows, what
counts as a "major" breach, ...).  The ledger declares, per claim, the defensible
values of each choice (``choices`` in ``claims.yaml``; each a notebook parameter,
or a named group of parameters chosen together).  A **specification** is one
combination; the claim's own ``parameters`` are the **headline** specification.

:func:`evaluate` calls the library evaluators directly (no notebook kernel), so the
whole multiverse takes well under a second; :func:`write_multiverse` writes it to
``articles/<slug>/multiverse.csv`` (committed; a test checks it equals a fresh
evaluation) and, beside it, ``multiverse.inputs.json``: the SHA-256 of the table and of what it
was evaluated from (:func:`analysis.data.integrity.write_multiverse_record`).  A table whose
record no longer matches (a changed ledger, table or library source) is stale: :func:`load_multiverse`
refuses it, so it is never shown.  :func:`robustness` summarises it per claim: the share of
specifications per verdict and the **flips**, the single choices (all others at
the headline) under which the verdict differs from the headline's.

>>> from analysis.claims.ledger import load_ledger
>>> ledger = load_ledger()
>>> [s.choices["edition"] for s in specifications(ledger.claim("rd-top-five-2018"), ledger)]
[2017, 2018, 2019, 2020]
>>> spec_id({"edition": 2017})
'de2ee07f890d'
"""
import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import atomic, paths
from analysis.claims import audit
from analysis.claims.verdicts import Assessment, Verdict, measured_text, number
from analysis.data import integrity, tables
from analysis.errors import AuditError

#: The committed table of every specification (in ``data/processed``).
MULTIVERSE_FILE = "multiverse.csv"
COLUMNS = ("claim_id", "spec_id", "headline", "defensible", "choices", "measured_value", "measured_number", "unit",
           "verdict", "rule", "datasets")


def canonical(choices) -> str:
    """The choices as canonical JSON: keys sorted, no spaces, UTF-8 text kept as is.

    >>> canonical({"fx_year": 2019, "fx_source": "fed_g5a"})
    '{"fx_source":"fed_g5a","fx_year":2019}'
    """
    return integrity.canonical_json(choices)


def spec_id(choices) -> str:
    """Stable id of a specification: the first 12 hex digits of the SHA-256 of its canonical choices.

    Values must already have their parameter's type (``2019``, not ``"2019"``):
    :func:`specifications` coerces them through the notebook's parameter specs.

    >>> spec_id({"fx_year": 2019, "fx_source": "fed_g5a"}) == spec_id({"fx_source": "fed_g5a", "fx_year": 2019})
    True
    """
    return hashlib.sha256(canonical(choices).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Axis:
    """One declared choice: its name (a parameter, or a group) and its options, each a
    ``{parameter: value}`` set (coerced); unnamed parameters of a group stay at the headline."""

    name: str
    options: tuple
    group: bool = False
    marks: tuple = ()  # the ledger's ChoiceMark of each option (defensible or sensitivity, with its reason)

    def mark(self, option):
        """The ChoiceMark of ``option`` (one of :attr:`options`)."""
        return self.marks[self.options.index(option)]

    def shown(self, option, headline) -> dict:
        """What of ``option`` a reader is told: a group's whole parameter set, else what differs from the headline."""
        return option if self.group else {k: v for k, v in option.items() if headline.get(k) != v} or option

    def describe(self, option, headline) -> str:
        """The option as ``name=value`` text: a parameter's value, or a group's whole parameter set."""
        return ", ".join(f"{k}={_text(v)}" for k, v in self.shown(option, headline).items())


@dataclass(frozen=True)
class Specification:
    """One combination of a claim's choices; ``choices`` names every parameter any axis sets."""

    claim_id: str
    choices: dict
    headline: bool
    defensible: bool = True  # every choice value it takes is marked defensible

    @property
    def id(self) -> str:
        return spec_id(self.choices)


def _text(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def axes(claim, ledger) -> list:
    """The claim's declared choices as :class:`Axis` objects, in ledger order (values coerced)."""
    spec = ledger.parameter_spec(claim)
    out = []
    for name, values in claim.choices.items():
        entries = [{name: v} for v in values] if name in spec.parameters else values
        out.append(Axis(name, tuple(spec.validate(e) for e in entries), group=name not in spec.parameters,
                        marks=tuple(claim.choice_marks.get(name, ()))))
    return out


def headline_choices(claim, ledger) -> dict:
    """The claim's own (headline) value of every parameter its choices set."""
    names = [n for axis in axes(claim, ledger) for option in axis.options for n in option]
    spec = ledger.parameter_spec(claim)
    return spec.validate({n: claim.parameters[n] for n in dict.fromkeys(names)})


def specifications(claim, ledger) -> list:
    """Every combination of the claim's choices, in ledger order (the first axis varies slowest).

    A claim without choices has one specification, the headline (empty choices).
    """
    base = headline_choices(claim, ledger) if claim.choices else {}
    found = axes(claim, ledger)
    out = []
    for combo in itertools.product(*(axis.options for axis in found)):
        choices = dict(base)
        for option in combo:
            choices.update(option)
        defensible = all(axis.mark(option).defensible for axis, option in zip(found, combo))
        out.append(Specification(claim.id, choices, headline=choices == base, defensible=defensible))
    return out


def parameters(claim, specification) -> dict:
    """What the evaluator gets under ``specification``: the claim's parameters with the choices applied."""
    return {**claim.parameters, **specification.choices}


def claims_with_choices(ledger, claim_ids=None) -> list:
    """The audited claims that declare choices (or, given ids, those claims; an unknown id or a claim
    without choices is an AuditError naming the claims that have some)."""
    with_choices = [c for c in ledger.claims if ledger.audited(c) and c.choices]
    if claim_ids:
        known = {c.id: c for c in with_choices}
        bad = [i for i in claim_ids if i not in known]
        if bad:
            raise AuditError(f"no choices declared for claim(s) {', '.join(bad)} (unknown, or no `choices` in "
                             f"claims.yaml); claims with choices: {', '.join(known)}")
        return [known[i] for i in claim_ids]
    return with_choices


def claims_in_theme(ledger, theme="all") -> list:
    """The claims with choices of one ``theme`` (``"all"``: every one), in ledger order."""
    return [c for c in claims_with_choices(ledger) if theme in ("all", c.theme)]


def evaluate(claims=None, ledger=None) -> pd.DataFrame:
    """One row per specification of each claim (default: every claim with choices), in ledger order:
    claim, spec id, headline flag, choices (canonical JSON), measured value (text and number),
    unit, verdict, rule, and the datasets its sources cite (manifest keys, space-separated).
    Evaluators are called directly, with no notebook kernel."""
    from analysis.claims.ledger import load_ledger

    ledger = ledger or load_ledger()
    claims = claims_with_choices(ledger) if claims is None else list(claims)
    rows, cited = [], _DatasetIndex()
    for claim in claims:
        for s in specifications(claim, ledger):
            try:
                a = audit.assess_specification(claim, parameters(claim, s))
            except (AuditError, ValueError, LookupError) as exc:
                raise AuditError(f"{ledger.path}: claim {claim.id!r}, field 'choices' (specification "
                                 f"{canonical(s.choices)}): {exc}") from None
            rows.append((claim.id, s.id, s.headline, s.defensible, canonical(s.choices), measured_text(a.measured_value),
                         number(a.measured_value), a.unit, a.verdict.value, a.rule, cited.keys(a)))
    return pd.DataFrame(rows, columns=COLUMNS)


class _DatasetIndex:
    """The manifest keys an assessment's sources cite, with each source ref looked up once."""

    def __init__(self):
        from analysis.data import manifest

        self.entries = manifest.load_manifest()
        self.by_file = {d.file: d.key for d in self.entries.values()}
        self.seen = {}

    def keys(self, assessment) -> str:
        from analysis.data import provenance

        found = set()
        for s in assessment.sources:
            if s.ref and s.ref not in self.seen:
                self.seen[s.ref] = self.by_file.get(provenance.parse_ref(s.ref)[0])
            if s.ref and self.seen[s.ref]:
                found.add(self.seen[s.ref])
        return " ".join(k for k in self.entries if k in found)


def multiverse_path(ledger=None, folder=None) -> Path:
    """Where an article's multiverse table lives: ``articles/<slug>/multiverse.csv`` (or ``folder``)."""
    from analysis.claims.ledger import load_ledger

    if folder is not None:
        return Path(folder) / MULTIVERSE_FILE
    return (ledger or load_ledger()).article.multiverse_path


def write_multiverse(out_dir=None, ledger=None) -> Path:
    """Evaluate the article's whole multiverse and write its ``multiverse.csv`` (validated, atomically),
    then the record of its inputs beside it (``multiverse.inputs.json``)."""
    from analysis.claims.ledger import load_ledger

    ledger = ledger or load_ledger()
    table = evaluate(ledger=ledger)
    path = multiverse_path(ledger, out_dir)
    tables.validate(table.copy(), MULTIVERSE_FILE, f"{MULTIVERSE_FILE} as evaluated")
    atomic.write_text(path, table.to_csv(index=False, lineterminator="\n"))
    integrity.write_multiverse_record(ledger.article.folder, path)
    return path


def load_multiverse(folder=None, ledger=None) -> pd.DataFrame:
    """An article's committed multiverse table (validated against its schema); a stale one (its record
    ``multiverse.inputs.json`` no longer matches its inputs) is an IntegrityError naming what changed."""
    from analysis.claims.ledger import load_ledger

    ledger = ledger or load_ledger()
    path = multiverse_path(ledger, folder)
    integrity.require_fresh_multiverse(ledger.article.folder, path)
    return tables.read_processed(MULTIVERSE_FILE, folder=path.parent, keep_default_na=False,
                                 na_values={"measured_number": [""]},
                                 dtype={"measured_value": str, "rule": str, "unit": str, "choices": str,
                                        "datasets": str})


def _shares(verdicts) -> dict:
    counts = verdicts.value_counts()
    return {v.value: int(counts[v.value]) for v in Verdict if v.value in counts}


def flips(claim, table, ledger) -> list:
    """The single choices that flip the claim's verdict: for each axis, each option that (with every
    other choice at the headline) gives a verdict other than the headline's.

    Returns ``[{"axis", "choice", "words", "verdict", "measured_value", "spec_id", "defensible", "reading"}]``
    in ledger order (``choice``: ``name=value`` as typed; ``words``: the same by the ledger's labels;
    ``reading``: the ledger's reason for the option, in plain words).
    """
    rows = table[table["claim_id"] == claim.id]
    by_choices = {r.choices: r for r in rows.itertuples(index=False)}
    head = rows[rows["headline"].astype(str) == "True"].iloc[0]
    base = headline_choices(claim, ledger)
    spec = ledger.parameter_spec(claim)
    out = []
    for axis, option, choices in single_choices(claim, base, ledger):
        row = by_choices.get(canonical(choices))
        if row is not None and row.verdict != head["verdict"]:
            mark = axis.mark(option)
            out.append({"axis": axis.name, "choice": axis.describe(option, base),
                        "words": spec.words(axis.shown(option, base)), "verdict": row.verdict,
                        "measured_value": row.measured_value, "spec_id": row.spec_id,
                        "defensible": mark.defensible, "reading": mark.reason})
    return out


def single_choices(claim, base, ledger):
    """``(axis, option, choices)`` for each declared option that changes ``base`` (parameter values),
    every other value kept: the single-choice departures from ``base``, in ledger order."""
    for axis in axes(claim, ledger):
        for option in axis.options:
            choices = {**base, **option}
            if choices != base:
                yield axis, option, choices


@dataclass(frozen=True)
class ChoiceFlip:
    """A declared option that changes a claim's verdict: its axis, the parameters it changes (name →
    value) and the assessment under it."""

    axis: str
    changes: dict
    assessment: Assessment
    words: str = ""  # the changes by the ledger's labels ("exchange-rate source: FRED series (datahub.io copy)")


def choice_flips(claim, parameters, ledger) -> list:
    """The options the ledger declares for ``claim`` that give another verdict than ``parameters``
    do, each applied to ``parameters`` with every other value kept: the single choices that would
    change the verdict a notebook shows.  Evaluated live (not read from the multiverse table), so
    ``parameters`` may be any run's, not only the headline.  :class:`ChoiceFlip` s in ledger order.

    >>> from analysis.claims.ledger import load_ledger
    >>> ledger = load_ledger()
    >>> claim = ledger.claim("rd-top-five-2018")
    >>> [(f.changes, f.assessment.verdict.value) for f in choice_flips(claim, claim.parameters, ledger)]
    [({'edition': 2017}, 'not supported')]
    """
    now = audit.assess_specification(claim, parameters).verdict
    out = []
    for axis, option, trial in single_choices(claim, parameters, ledger):
        assessment = audit.assess_specification(claim, trial)
        if assessment.verdict != now:
            changes = {k: v for k, v in option.items() if parameters.get(k) != v}
            out.append(ChoiceFlip(axis.name, changes, assessment, ledger.parameter_spec(claim).words(changes)))
    return out


def shared_choices(rows, claim_rows) -> dict:
    """The choices every specification of ``rows`` (some rows of one claim's multiverse table, e.g.
    those not checkable) has in common, less those every one of ``claim_rows`` (all the claim's rows)
    has: what singles the group out.  ``{name: value}`` sorted by name; ``{}`` for no rows.

    >>> claim_rows = pd.DataFrame({"choices": ['{"year":2017,"tolerance":5}', '{"year":2018,"tolerance":5}']})
    >>> shared_choices(claim_rows.iloc[:1], claim_rows)
    {'year': 2017}
    """
    def items(frame):
        return [{(k, canonical(v)) for k, v in json.loads(c).items()} for c in frame["choices"]]

    if not len(rows):
        return {}
    common = set.intersection(*items(rows)) - set.intersection(*items(claim_rows))
    return {k: json.loads(v) for k, v in sorted(common)}


def robustness(table, ledger=None) -> pd.DataFrame:
    """Per claim of ``table``: number of specifications, headline verdict and measured value, how many
    specifications agree with the headline verdict, the count per verdict (JSON), the single-choice
    flips, and a one-line summary (:func:`robustness_line`).  Counts are of defensible specifications (every
    choice value marked defensible in the ledger); the sensitivity checks are counted apart in the line."""
    from analysis.claims.ledger import load_ledger

    ledger = ledger or load_ledger()
    out = []
    for claim_id in dict.fromkeys(table["claim_id"]):
        claim = ledger.claim(claim_id)
        every = table[table["claim_id"] == claim_id]
        rows = every[every["defensible"].astype(str) == "True"]  # robustness counts defensible readings only
        head = rows[rows["headline"].astype(str) == "True"].iloc[0]
        agree = int((rows["verdict"] == head["verdict"]).sum())
        found = flips(claim, table, ledger)
        checks = every[every["defensible"].astype(str) != "True"]
        line = robustness_line(head["verdict"], agree, len(rows), found, len(checks),
                               int((checks["verdict"] != head["verdict"]).sum()))
        out.append({"claim_id": claim_id, "specifications": len(rows), "headline_verdict": head["verdict"],
                    "headline_measured": head["measured_value"], "agree": agree,
                    "share": agree / len(rows), "verdicts": json.dumps(_shares(rows["verdict"])),
                    "flips": found, "robustness": line})
    return pd.DataFrame(out, columns=["claim_id", "specifications", "headline_verdict", "headline_measured",
                                      "agree", "share", "verdicts", "flips", "robustness"])


def robustness_line(verdict, agree, defensible, found, sensitivity, differ=0) -> str:
    """The scorecard's robustness line, in plain words: how many defensible readings give the headline
    reading's verdict, which defensible choices flip it, and apart, how many sensitivity checks (``differ``
    of ``sensitivity``) give another verdict, naming the single ones.

    >>> flip = {"reading": "the 2017 edition", "verdict": "not supported", "defensible": False}
    >>> robustness_line("supported", 1, 1, [flip], 3, 1)
    'supported in 1/1 defensible reading; sensitivity checks, not fair readings of the claim: 1 of 3 give another verdict (the 2017 edition: not supported)'
    """
    line = f"{verdict} in {agree}/{defensible} defensible reading{'s' if defensible != 1 else ''}"
    fair = [f for f in found if f["defensible"]]
    if fair:
        line += "; flips with " + "; ".join(f"{f['reading']} ({f['verdict']})" for f in fair)
    elif agree < defensible:
        line += "; flips only when choices combine"
    if sensitivity:
        checks = list({(f["reading"], f["verdict"]): f for f in found if not f["defensible"]}.values())
        line += f"; sensitivity checks, not fair readings of the claim: {differ} of {sensitivity} give another verdict"
        if checks:
            line += " (" + "; ".join(f"{f['reading']}: {f['verdict']}" for f in checks) + ")"
    return line


#: The robustness line of an audited claim that declares no choices.
NO_CHOICES = "no analyst choice declared"


def verdict_table(summary) -> pd.DataFrame:
    """Per claim: specifications, headline verdict, the count of specifications per verdict (one column
    per verdict on the scale, 0 where none) and the robustness line."""
    rows = []
    for r in summary.itertuples(index=False):
        counts = json.loads(r.verdicts)
        rows.append({"claim": r.claim_id, "specifications": r.specifications, "headline": r.headline_verdict,
                     **{v.value: counts.get(v.value, 0) for v in Verdict if v != Verdict.NOT_YET_AUDITED},
                     "agree": f"{r.agree}/{r.specifications} ({r.share:.0%})"})
    return pd.DataFrame(rows)


def flips_table(summary) -> pd.DataFrame:
    """Every single-choice flip: claim, choice (as typed, ``name=value``, and in the ledger's labels), whether it
    is a defensible reading or a sensitivity check, verdict and measured value under it, headline verdict, spec id."""
    rows = [{"claim": r.claim_id, "choice": f["choice"], "choice_words": f.get("words", f["choice"]),
             "reading": f["reading"],
             "kind": "defensible" if f["defensible"] else "sensitivity check", "verdict": f["verdict"],
             "measured": f["measured_value"], "headline": r.headline_verdict, "spec_id": f["spec_id"]}
            for r in summary.itertuples(index=False) for f in r.flips]
    return pd.DataFrame(rows, columns=["claim", "choice", "choice_words", "reading", "kind", "verdict", "measured",
                                       "headline", "spec_id"])


def robustness_lines(ledger=None, folder=None) -> dict:
    """``{claim id: robustness line}`` for every audited claim, from the committed multiverse
    (:data:`NO_CHOICES` for a claim without choices; ``{}`` if the table is missing)."""
    from analysis.claims.ledger import load_ledger

    ledger = ledger or load_ledger()
    path = multiverse_path(ledger, folder)
    if not path.is_file():
        return {}
    table = load_multiverse(path.parent, ledger)
    # claims a (test) ledger audits: a measured claim with no notebook, or one whose notebook it declares
    current = {c.id for c in ledger.claims if c.choices and ledger.audited(c)
               and (c.notebook is None or c.notebook in ledger.notebooks)}
    summary = robustness(table[table["claim_id"].isin(current)], ledger)
    lines = dict(zip(summary["claim_id"], summary["robustness"]))
    return {c.id: lines.get(c.id, NO_CHOICES if not c.choices else "") for c in ledger.claims if ledger.audited(c)}


def find(spec, ledger=None) -> list:
    """``[(claim, Specification)]`` whose spec id is ``spec`` (several claims of one notebook may share one)."""
    from analysis.claims.ledger import load_ledger

    ledger = ledger or load_ledger()
    found = [(c, s) for c in claims_with_choices(ledger) for s in specifications(c, ledger) if s.id == spec]
    if not found:
        raise AuditError(f"no specification {spec!r} in the multiverse; ids are in "
                         f"{multiverse_path(ledger).relative_to(paths.ROOT)} (column spec_id)")
    return found


def datasets_read(claim, ledger, table=None) -> list:
    """The manifest keys of every dataset the claim's measure cites under any of its specifications
    (the headline alone for a claim without choices), in manifest order: derived, never listed by hand.
    With the article's (verified) multiverse ``table``, a claim with choices is read from its
    ``datasets`` column instead of being evaluated again.

    >>> from analysis.claims.ledger import load_ledger
    >>> ledger = load_ledger()
    >>> datasets_read(ledger.claim("rd-top-five-2018"), ledger)
    ['scoreboard_2017', 'scoreboard_2018', 'scoreboard_2019', 'scoreboard_2020']
    """
    from analysis.data import manifest, provenance

    entries = manifest.load_manifest()
    rows = table[table["claim_id"] == claim.id] if table is not None and claim.choices else None
    if rows is not None and len(rows):
        cited = {k for text in rows["datasets"] for k in str(text or "").split()}
        return [key for key in entries if key in cited]
    assessments = [audit.assess_specification(claim, parameters(claim, s)) for s in specifications(claim, ledger)]
    cited = {d.key for d in provenance.datasets_cited(assessments, entries)}
    return [key for key in entries if key in cited]
