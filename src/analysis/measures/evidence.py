"""Evidence measures: what cited rows document about each part of a qualitative claim, and who says it.

A qualitative claim ("Huawei engineers helped rescuers …") is split into parts in the ledger;
each part names the cited fact rows (by stable id, :func:`analysis.data.facts.by_id`) that bear on
it.  A row *credits* the claim's entity if its ``entity`` is that entity, and credits another
provider otherwise; its source is *the claimant's own* if :func:`analysis.data.facts.is_own_source`
says so.  Each part gets one status of :data:`analysis.claims.judge.EVIDENCE_STATUSES` (:func:`part_status`);
the judge's ``evidence`` policy weighs them.

>>> m = evidence_parts("Huawei", [{"part": "staff stayed",
...     "facts": ["facts_events/Huawei/staff_stayed_claim_company_source/2014-07 onward"]}])
>>> m.value
(('staff stayed', 'self-reported only'),)
"""
from urllib.parse import urlparse

from analysis.data import facts
from analysis.data import manifest as _manifest
from analysis.measures import Measurement, register


def part_status(rows) -> str:
    """The status of one part from its rows, each a ``(credits_entity, own_source)`` pair:

    - ``independent``: a source not the claimant's own credits the entity;
    - ``contested``: only the claimant's own sources credit it, and other sources credit others;
    - ``self-reported only``: only the claimant's own sources credit it, no other provider is cited;
    - ``others only``: no row credits the entity, rows from other sources credit others;
    - ``undocumented``: no cited row (or only the claimant's own rows crediting others).

    >>> part_status([(True, True), (False, False)]), part_status([])
    ('contested', 'undocumented')
    """
    rows = list(rows)
    crediting = [own for credits, own in rows if credits]
    others = [1 for credits, own in rows if not credits and not own]
    if any(not own for own in crediting):
        return "independent"
    if crediting:
        return "contested" if others else "self-reported only"
    return "others only" if others else "undocumented"


def _row(part: str, fact_id: str, entity: str, claimant: str) -> dict:
    row = facts.by_id(fact_id)
    return {"part": part, "fact": fact_id, "provider": row.entity, "credits_entity": row.entity == entity,
            "self_reported": facts.is_own_source(row, claimant), "what": row.value, "period": row.period,
            "source": row.source_title, "url": row.source_url, "quote": row.quote, "ref": row.ref}


def _placeholder(part: str) -> dict:
    return {"part": part, "fact": "", "provider": "", "credits_entity": False, "self_reported": False,
            "what": "(no cited row)", "period": "", "source": "", "url": "", "quote": "", "ref": ""}


def _who(row: dict) -> str:
    host = urlparse(row["url"]).hostname
    return f"{row['provider']} per {host} ({'own source' if row['self_reported'] else 'independent source'})"


@register("evidence.parts", "evidence")
def evidence_parts(entity: str, parts: list, context: list = (), claimant: str = "") -> Measurement:
    """Each part of a qualitative claim about ``entity`` with the status its cited rows give it.

    ``parts``: a list of ``{part: words, facts: [fact ids]}`` (a part may cite no row: it is then
    undocumented); ``context``: fact ids shown and cited but not counted (for example another firm
    elsewhere); ``claimant``: whose own sources count as self-reported (default: ``entity``).
    ``details["rows"]`` lists every row with its classification (context rows under part "context").
    """
    claimant = claimant or entity
    rows, value, described = [], [], []
    for spec in parts:
        part, ids = spec["part"], list(spec.get("facts") or ())
        found = [_row(part, f, entity, claimant) for f in ids]
        status = part_status((r["credits_entity"], r["self_reported"]) for r in found)
        value.append((part, status))
        rows += found or [_placeholder(part)]
        described.append(f"'{part}': {status}" + (f" [{'; '.join(_who(r) for r in found)}]" if found else ""))
    shown = [_row("context", f, entity, claimant) for f in context]
    description = "Parts of the claim and the cited rows on each: " + " · ".join(described) + "."
    if shown:
        description += " Context, not counted: " + "; ".join(
            f"{r['provider']}: {r['what']} ({r['period']})" for r in shown) + "."
    cited = [facts.by_id(r["fact"]) for r in rows + shown if r["fact"]]
    files = sorted({f"data/raw/{_manifest.get(f.table).file}" for f in cited})
    return Measurement(tuple(value), "", "evidence", description,
                       vintage=f"cited rows in {', '.join(files)}" if files else "no cited row",
                       sources=tuple(f.source() for f in cited), details={"rows": rows + shown})
