"""How well the candidates cover a hand-written ledger: recall, agreement and precision.

A candidate *covers* a ledger claim when their spans in the article overlap.  Each claim is
paired with one covering candidate, the one of the claim's own type if there is one, else the one
overlapping most; the pair *agrees* when the stated value and comparator are equal (numbers
compared as numbers, so 3000000000 equals 3e9).  Precision is the share of candidates that
cover some claim.

>>> from types import SimpleNamespace as NS
>>> claim = NS(offset=10, quote="more than 5", type="count", stated=NS(value=5, comparator="more_than"))
>>> cand = NS(offset=8, end=21, type="count", value=5.0, comparator="more_than")
>>> s = score([cand], [claim]); (s.covered, s.agreeing, s.precise)
(1, 1, 1)
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    """Candidates against a ledger: how many claims are covered, how many agree, how many
    candidates cover a claim, and the claims missed or read differently (by id)."""

    claims: int
    candidates: int
    covered: int
    agreeing: int
    precise: int
    missed: tuple = ()
    disagreeing: tuple = ()

    @property
    def recall(self) -> float:
        return self.covered / self.claims if self.claims else 0.0

    @property
    def precision(self) -> float:
        return self.precise / self.candidates if self.candidates else 0.0

    def summary(self) -> str:
        """One line for the README and the benchmark.

        >>> Score(30, 32, 29, 27, 30).summary()
        'recall 29/30 (96.7%), stated value and comparator equal for 27/30, precision 30/32 (93.8%)'
        """
        return (f"recall {self.covered}/{self.claims} ({self.recall:.1%}), stated value and comparator equal for "
                f"{self.agreeing}/{self.claims}, precision {self.precise}/{self.candidates} ({self.precision:.1%})")


def overlaps(candidate, claim) -> int:
    """How many characters a candidate and a ledger claim share (0: they do not overlap)."""
    return max(0, min(candidate.end, claim.offset + len(claim.quote)) - max(candidate.offset, claim.offset))


def paired(claim, candidates):
    """The candidate that stands for ``claim``: of the claim's type if one covers it, else the one
    overlapping most; None if none covers it."""
    covering = [c for c in candidates if overlaps(c, claim)]
    if not covering:
        return None
    return max(covering, key=lambda c: (c.type == claim.type, overlaps(c, claim)))


def same_value(a, b) -> bool:
    """Stated values compared as the ledger means them: numbers by value, anything else as text.

    >>> same_value(3000000000, 3e9), same_value("2018", 2018), same_value(None, None)
    (True, False, True)
    """
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    return a == b


def agrees(candidate, claim) -> bool:
    return same_value(candidate.value, claim.stated.value) and candidate.comparator == claim.stated.comparator


def score(candidates, claims) -> Score:
    """Score ``candidates`` against the ledger ``claims``."""
    pairs = {id(claim): paired(claim, candidates) for claim in claims}
    missed = tuple(getattr(c, "id", "?") for c in claims if pairs[id(c)] is None)
    disagreeing = tuple(getattr(c, "id", "?") for c in claims if pairs[id(c)] and not agrees(pairs[id(c)], c))
    return Score(claims=len(claims), candidates=len(candidates), covered=len(claims) - len(missed),
                 agreeing=len(claims) - len(missed) - len(disagreeing),
                 precise=sum(1 for c in candidates if any(overlaps(c, claim) for claim in claims)),
                 missed=missed, disagreeing=disagreeing)
