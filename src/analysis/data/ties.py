"""Whether a cited source is independent of the claimant: the one rule every measure uses.

A source is *independent* only if the claimant neither wrote, commissioned nor retained it.
Two kinds of tie are found:

- by rule, the claimant *wrote* it: the row's web address names the claimant (``huawei.com``),
  or its source is the claimant's annual report or press release, wherever the copy is hosted;
- by the committed table ``data/raw/sources/ties.csv`` (manifest key ``source_ties``): an author
  (a fact row's ``entity``, such as a law firm) the claimant wrote, commissioned or retained, with
  the basis in plain words and the fact rows that show it.

>>> from analysis.data import facts
>>> tie(facts.by_id("facts_events/Zhong Lun/declaration_to_FCC/2018-05-27"), "Huawei")
'retained'
>>> tie(facts.lookup("facts_population", entity="UN", metric="member_states"), "Huawei")
''
>>> independence(facts.by_id("facts_rd_spending/Huawei/Research and development expenses/2019"), "Huawei")
"not independent: Huawei's own"
"""
import re
from functools import lru_cache
from urllib.parse import urlparse

from analysis.data import manifest as _manifest
from analysis.data import tables

#: What each tie means, in words a reader sees.
TIE_WORDS = {"wrote": "{claimant}'s own", "commissioned": "commissioned by {claimant}",
             "retained": "retained by {claimant}"}


@lru_cache(maxsize=None)
def declared_ties() -> dict:
    """``{(claimant, author): (tie, basis)}`` from ``data/raw/sources/ties.csv`` (schema-checked)."""
    entry = _manifest.get("source_ties")
    frame = tables.read_table(entry.path, "raw:source_ties", fix=tables.FIX_FACTS, dtype=str,
                              keep_default_na=False)
    return {(r.claimant, r.author): (r.tie, r.basis) for r in frame.itertuples(index=False)}


def _wrote(fact, claimant: str) -> bool:
    host = (urlparse(fact.source_url).hostname or "").lower()
    own_document = re.search(rf"\b{re.escape(claimant)}\b.*\b(annual report|press release)\b",
                             fact.source_title, flags=re.IGNORECASE)
    return claimant.lower().replace(" ", "") in host or bool(own_document)


def tie(fact, claimant: str) -> str:
    """How the ``claimant`` is tied to a cited row: "wrote", "commissioned", "retained", or ''
    (independent).  No claimant: ''."""
    if not claimant:
        return ""
    if _wrote(fact, claimant):
        return "wrote"
    declared = declared_ties().get((claimant, fact.entity))
    return declared[0] if declared else ""


def independence(fact, claimant: str) -> str:
    """A cited row's independence in words: "independent of <claimant>", or "not independent: <why>"."""
    found = tie(fact, claimant)
    if not found:
        return f"independent of {claimant}" if claimant else "independent"
    return "not independent: " + TIE_WORDS[found].format(claimant=claimant)
