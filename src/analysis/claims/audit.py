"""Checking claims, one path for all: ledger entry → measure → judge; and publishing verdicts.

A ledger claim names a measure and its arguments (:mod:`analysis.measures`); its
stated value and comparator come from the ledger; :func:`analysis.claims.judge.judge`
turns the two into an :class:`~analysis.claims.verdicts.Assessment` under the declared
policies.  Notebooks, the multiverse and the scorecard all call
:func:`assess_claim`.

Effective parameters: each claim is checked under its own ledger
``parameters``; a notebook parameter set to something other than its default
(in JupyterLab, or ``-p name value``) overrides that value for every claim of
the notebook that uses it.  So ``-p edition 2020`` re-checks every rank claim
against the 2020 edition, while an unchanged notebook reproduces the ledger.

>>> from analysis.claims.ledger import load_ledger
>>> ledger = load_ledger()
>>> [a.verdict.value for a in assess_notebook("01_rd_spending", {}, ledger)]
['supported', 'company figures only', 'company figures only']
"""
import itertools
import json
from dataclasses import replace

import pandas as pd

from analysis import measures
from analysis.claims.judge import judge, weigh_readings
from analysis.claims.verdicts import Assessment, measured_text

#: The MIME type under which a notebook publishes its assessments (the runner reads it back).
MIME_TYPE = "application/vnd.claim-audit.assessments+json"


def effective_parameters(claim, spec, values) -> dict:
    """The parameters ``claim`` is checked under: its own, overridden by changed notebook values.

    ``values`` are the notebook's current parameter values; one overrides the
    claim only if it differs from the notebook default and the claim uses it.
    """
    values = spec.validate(values)
    changed = {k: v for k, v in values.items() if v != spec.parameters[k].default}
    return {**claim.parameters, **{k: v for k, v in changed.items() if k in claim.parameters}}


def resolve(value, parameters):
    """``value`` with every "$name" replaced by ``parameters[name]`` (inside nested specs too).

    >>> resolve({"edition": "$edition", "entity": "Huawei"}, {"edition": 2017})
    {'edition': 2017, 'entity': 'Huawei'}
    """
    if isinstance(value, str) and value.startswith("$"):
        return parameters[value[1:]]
    if isinstance(value, dict):
        return {k: resolve(v, parameters) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, parameters) for v in value]
    return value


def measurement_of(claim, parameters) -> measures.Measurement:
    """The claim's measurement under ``parameters`` (its ``$name`` arguments resolved)."""
    return measures.measure(resolve(claim.spec(), parameters))


def assess_claim(claim, parameters) -> Assessment:
    """The verdict on ``claim`` under ``parameters``: ledger → measure → judge.  Under the claim's own
    parameters (its headline), the judge also weighs its other defensible readings
    (:func:`analysis.claims.judge.weigh_readings`): if they disagree on whether it is met, the verdict is
    "conflicting".  Any other ``parameters`` (a what-if) give that one specification's verdict.
    """
    found = assess_specification(claim, parameters)
    if parameters != claim.parameters or not claim.choices:
        return found
    readings = [(changes, assess_specification(claim, trial)) for changes, trial in defensible_readings(claim)]
    return weigh_readings(claim, found, readings)


def defensible_readings(claim) -> list:
    """``[(changes, parameters)]``: every combination of the claim's choice values marked defensible,
    other than its own parameters; ``changes`` names the choices that differ (``{choice: value}``).

    >>> from analysis.claims.ledger import load_ledger
    >>> [c for c, _ in defensible_readings(load_ledger().claim("ren-largest-shareholder"))]
    [{'union_reading': 'institution'}, {'union_reading': 'not_private'}]
    """
    axes = []
    for name, values in claim.choices.items():
        marks = claim.choice_marks.get(name, ())
        axes.append([(name, v if isinstance(v, dict) else {name: v}) for v, m in zip(values, marks) if m.defensible])
    out = []
    for combo in itertools.product(*axes):
        trial, changes = dict(claim.parameters), {}
        for name, option in combo:
            trial.update(option)
            if any(claim.parameters.get(k) != v for k, v in option.items()):
                changes[name] = option if name not in claim.parameters else option[name]
        if trial != claim.parameters:
            out.append((changes, trial))
    return out


def assess_specification(claim, parameters) -> Assessment:
    """The verdict on ``claim`` under exactly ``parameters`` (one specification of the multiverse)."""
    stated = replace(claim.stated, value=resolve(claim.stated.value, parameters),
                     tolerance=resolve(claim.stated.tolerance, parameters))
    resolved = replace(claim, stated=stated)
    ceiling = measures.measure(resolve(claim.ceiling, parameters)) if claim.ceiling else None
    return judge(resolved, measurement_of(claim, parameters), ceiling=ceiling, parameters=parameters)


def notebook_parameters(notebook, values, ledger) -> dict:
    """The effective parameters (:func:`effective_parameters`) of every claim of ``notebook`` under the
    notebook's parameter ``values``, by claim id in ledger order.

    >>> from analysis.claims.ledger import load_ledger
    >>> notebook_parameters("01_rd_spending", {"edition": 2020}, load_ledger())["rd-top-five-2018"]
    {'edition': 2020, 'entity': 'Huawei'}
    """
    spec = ledger.notebooks[notebook]
    return {c.id: effective_parameters(c, spec, values) for c in ledger.claims_for(notebook)}


def assess_notebook(notebook, values, ledger) -> list:
    """Assess every ledger claim of ``notebook`` under the notebook's parameter ``values``."""
    parameters = notebook_parameters(notebook, values, ledger)
    return [assess_claim(c, parameters[c.id]) for c in ledger.claims_for(notebook)]


def headline_table(ledger) -> pd.DataFrame:
    """Every claim's headline verdict and measured value (its ledger parameters), in ledger order:
    the table ``tests/golden/headline_verdicts.csv`` pins."""
    rows = []
    for claim in ledger.claims:
        if claim.measure is None:
            continue
        a = assess_claim(claim, claim.parameters)
        rows.append({"claim_id": claim.id, "verdict": a.verdict.value, "measured_value": measured_text(a.measured_value)})
    return pd.DataFrame(rows, columns=["claim_id", "verdict", "measured_value"])


def assessments_table(assessments) -> pd.DataFrame:
    """One row per assessment, for display: claim, stated, measured, rule, verdict, reason."""
    return pd.DataFrame([{
        "claim": a.claim_id, "stated": str(a.stated_value), "measured": str(a.measured_value), "unit": a.unit,
        "rule": a.rule, "verdict": a.verdict.value, "vintage": a.vintage, "reason": a.reason,
    } for a in assessments])


class Published:
    """Displays as a table for people and as JSON (:data:`MIME_TYPE`) for the runner."""

    def __init__(self, assessments):
        self.assessments = list(assessments)

    def _repr_mimebundle_(self, include=None, exclude=None):
        table = assessments_table(self.assessments)
        records = [a.to_dict() for a in self.assessments]
        return {
            "text/plain": table[["claim", "verdict", "measured", "stated", "rule"]].to_string(index=False),
            "text/html": table.to_html(index=False, escape=True, border=0, classes="verdicts"),
            MIME_TYPE: json.loads(json.dumps(records)),
        }


def publish(assessments) -> Published:
    """Show the verdicts at the end of a notebook; the runner collects them for the scorecard.

    Put it last in a cell so Jupyter displays it: ``publish(assessments)``.
    """
    return Published(assessments)


def read_published(notebook_node) -> list:
    """The assessments a (executed) notebook published, in order."""
    found = []
    for cell in notebook_node.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME_TYPE in data:
                found.extend(Assessment.from_dict(d) for d in data[MIME_TYPE])
    return found
