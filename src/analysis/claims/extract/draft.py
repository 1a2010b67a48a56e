"""The draft ledger: an article's candidate claims written as ledger entries, for a person to review.

``python -m analysis extract articles/<slug>/article.txt`` writes ``claims.draft.yaml`` beside the
text, never ``claims.yaml``: a draft is reviewed (opinions skipped, measures chosen, periods fixed)
and then renamed by a person.  Every entry has the exact quote and its offset, the type, the stated
value, unit, wording and comparator, the entity and period where the sentence gives them, and either
a suggested measure with its arguments (tried on the data, :mod:`.suggest`) or a ``note`` saying why
there is none.  The draft is checked with the ledger's own loader before it is reported written, so
it loads as a ledger unedited.

>>> entry_id("more than 170 countries", set())
'more-than-170-countries'
"""
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import atomic
from analysis.claims.extract.candidates import find_candidates
from analysis.claims.extract.suggest import Context, suggest
from analysis.errors import LedgerError

DRAFT_NAME = "claims.draft.yaml"
LEDGER_NAME = "claims.yaml"
#: What each type's metric says when no measure is suggested (the reviewer rewrites it).
METRICS = {"rank": "rank", "share": "share in percent", "date": "date", "absence": "cases (the article says none)",
           "qualitative": "statement in words"}
HEADER = """\
# DRAFT ledger written by `python -m analysis extract` from {text}: candidate claims, not yet reviewed.
# Review every entry: drop or mark opinions (a note starting "skipped:" is shown as such in the report),
# check entity, period, metric and the suggested measure, then save the reviewed entries as claims.yaml.
# Entries without a measure say why in their note. Tried measures ran on the project's data when drafted.
"""


@dataclass(frozen=True)
class Draft:
    """What a draft holds: where it was written, its entries, and how many suggest a measure."""

    path: Path
    entries: list

    @property
    def measured(self) -> int:
        return sum(1 for e in self.entries if e.get("measure"))


def entry_id(quote: str, taken: set) -> str:
    """A unique kebab-case id from the quote's first words (``taken`` grows by it)."""
    words = re.findall(r"[a-z0-9]+", quote.lower())[:6] or ["claim"]
    base = "-".join(words)
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def context_of(folder: Path, text: str) -> Context:
    """Who "we" are and the year the article speaks from: ``article.yaml``'s claimant and publication
    year, else the latest year the text mentions (an undated article)."""
    meta = {}
    if (folder / "article.yaml").is_file():
        from analysis.claims.articles import read_yaml

        meta = read_yaml(folder / "article.yaml") or {}
    published = re.match(r"(?:19|20)\d\d", str(meta.get("published") or ""))
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
    year = int(published.group()) if published else (max(years) if years else None)
    return Context(claimant=str(meta.get("claimant") or ""), year=year)


def _metric(candidate) -> str:
    """A plain first wording of what a candidate measures (the reviewer rewrites it).

    >>> from types import SimpleNamespace as C
    >>> _metric(C(type="quantity", unit="USD billion")), _metric(C(type="count", unit="countries"))
    ('amount in USD billion', 'number of countries')
    """
    if candidate.type in METRICS:
        return METRICS[candidate.type]
    money = " billion" in str(candidate.unit) or " million" in str(candidate.unit)
    return f"{'amount in' if money else 'number of'} {candidate.unit}"


def entry(candidate, suggestion, taken) -> dict:
    """One ledger entry for ``candidate`` with ``suggestion``."""
    stated = {"value": candidate.value, "unit": candidate.unit, "wording": candidate.wording,
              "comparator": candidate.comparator}
    out = {"id": entry_id(candidate.quote, taken), "quote": candidate.quote, "offset": candidate.offset,
           "theme": suggestion.theme, "type": candidate.type, "entity": candidate.entity,
           "metric": suggestion.metric or _metric(candidate),
           "period": candidate.period, "stated": stated}
    if suggestion.measure:
        out.update(measure=suggestion.measure, args=suggestion.args)
        if suggestion.parameters:
            out["parameters"] = suggestion.parameters
        out["note"] = f"Drafted: suggested check: {suggestion.check}. Review the arguments."
    else:
        out["note"] = f"Drafted: no measure suggested. {suggestion.reason}"
    return out


def draft_entries(text: str, context: Context, verify: bool = True) -> list:
    """The draft ledger entries of ``text``, in article order."""
    taken = set()
    return [entry(c, suggest(c, context, verify=verify), taken)
            for c in find_candidates(text, context.claimant)]


def draft_yaml(entries, source) -> str:
    """The draft as YAML text, with a header saying it is a draft and what to do with it."""
    body = yaml.safe_dump({"claims": entries}, sort_keys=False, allow_unicode=True, width=110)
    return HEADER.format(text=source) + body


def write_draft(text_path, output=None, verify: bool = True) -> Draft:
    """Extract the candidates of ``text_path`` and write them to ``output`` (default: the draft
    beside it).  Refuses to write a ledger (``claims.yaml``); checks the written draft with the
    ledger loader when the folder has its ``article.yaml``."""
    text_path = Path(text_path)
    if not text_path.is_file():
        raise LedgerError(f"{text_path} does not exist: give an article's text, e.g. articles/<slug>/article.txt")
    output = Path(output) if output else text_path.parent / DRAFT_NAME
    if output.name == LEDGER_NAME:
        raise LedgerError(f"{output}: extract writes a draft, never the ledger itself; give another file name "
                          f"(default {DRAFT_NAME})")
    text = text_path.read_text(encoding="utf-8")
    entries = draft_entries(text, context_of(text_path.parent, text), verify=verify)
    if not entries:
        raise LedgerError(f"{text_path}: no candidate claim found (no number, date, absolute or statement of fact)")
    atomic.write_text(output, draft_yaml(entries, text_path.name))
    if (output.parent / "article.yaml").is_file() and output.parent == text_path.parent:
        from analysis.claims.ledger import load_ledger

        load_ledger(output)  # the same checks as a ledger: quotes at their offsets, measures and arguments
    return Draft(output, entries)
