"""What a reader takes away: the audit's findings in a few sentences, and how to cite the report.

The sentences are generated from the verdicts, never written by hand: how many claims each verdict
has (in the scale's order), and which claims fail or conflict, named by their quote.

>>> counts_sentence({"supported": 2, "not supported": 1}, ["supported", "not supported"])
'The audit gives 3 claims a verdict: 2 supported and 1 not supported.'
"""
from analysis.claims.verdicts import Verdict

#: The verdicts whose claims the summary names one by one: the claims that fail or that sources contest.
NAMED = (Verdict.NOT_SUPPORTED.value, Verdict.CONFLICTING.value)


def _join(parts) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> _join(["a"]), _join(["a", "b"]), _join(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def counts_sentence(counts, order) -> str:
    """One sentence: the number of claims per verdict, in ``order`` (the scale's), zero counts left out.

    >>> counts_sentence({"conflicting": 1}, ["supported", "conflicting"])
    'The audit gives 1 claim a verdict: 1 conflicting.'
    """
    shown = [(v, counts[v]) for v in order if counts.get(v)]
    total = sum(n for _, n in shown)
    if not total:
        return "No claim has a verdict in this build."
    claims = f"{total:,} claim{'s' if total != 1 else ''}"
    return f"The audit gives {claims} a verdict: {_join(f'{n:,} {v}' for v, n in shown)}."


def unchecked_sentence(counts) -> str:
    """One sentence on the claims without a verdict (``counts`` of their labels), '' if there are none.

    >>> unchecked_sentence({"not yet audited": 2})
    '2 claims have no verdict in this build: 2 not yet audited.'
    """
    total = sum(counts.values())
    if not total:
        return ""
    return (f"{total:,} claim{'s have' if total != 1 else ' has'} no verdict in this build: "
            f"{_join(f'{n:,} {v}' for v, n in counts.items())}.")


def named(rows, verdicts=NAMED) -> list:
    """``[(verdict, [row, ...])]`` for each of ``verdicts`` that some row has, rows in article order."""
    out = []
    for verdict in verdicts:
        mine = [r for r in rows if r["verdict"] == verdict]
        if mine:
            out.append((verdict, mine))
    return out


def citation(article, info, project="claim-audit", url="") -> dict:
    """How to cite the report: ``{"text", "bibtex"}``, naming the audited article, the commit and the
    date the report was built from (the commit's date in a reproducible build).

    >>> from types import SimpleNamespace as NS
    >>> c = citation(NS(headline="T", author="A", url="http://a"), NS(date="2026-01-02T00:00:00Z", commit="ab" * 20))
    >>> c["text"]
    'claim-audit (2026). Audit of the claims in “T” (A). Report built from commit abababababab, 2026-01-02.'
    """
    year, day = info.date[:4], info.date[:10]
    text = (f"{project} ({year}). Audit of the claims in “{article.headline}”"
            f"{f' ({article.author})' if article.author else ''}. Report built from commit {info.commit[:12]}, {day}."
            + (f" {url}" if url else ""))
    fields = {"title": f"Audit of the claims in “{article.headline}”", "author": project, "year": year,
              "note": f"Report built from commit {info.commit[:12]}, {day}", "url": url}
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return {"text": text, "bibtex": f"@misc{{{project}-{info.commit[:7]},\n{body}\n}}"}
