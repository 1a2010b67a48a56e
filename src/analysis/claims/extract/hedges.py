"""The claim-level reading no package does: hedge words → comparator, rank phrases, absolutes.

Everything here is a pure function of a sentence (or the words before a number) and a declared
table of phrases, so the reading of a claim can be read, tested and changed in one place.

>>> hedge("supported more than ")
('more than', 'more_than')
>>> hedge("owned by about "), hedge("owns just over "), hedge("We’re ")
(('about', 'about'), ('just over', 'just_over'), ('', 'equals'))
>>> [(r.wording, r.value, r.comparator) for r in ranks("Huawei was one of the top five R&D spenders.")]
[('top five', 5, 'at_most')]
>>> absolute("We have never suffered a major security breach.").wording
'never'
>>> absolute("We will never violate their trust.") is None
True
"""
import re
from dataclasses import dataclass

from analysis.claims.extract.parse import number_word

#: Hedge words before a number → the ledger comparator they imply, longest phrase first within a rule.
#: "close to 40%" and "nearly" read as "about" (the ledger's policy for approximate wording).
HEDGES = (
    ("just_over", ("just over", "just above", "slightly more than", "slightly over", "a little over",
                   "a little more than")),
    ("at_least", ("at least", "no fewer than", "no less than", "a minimum of")),
    ("at_most", ("no more than", "not more than", "at most", "up to", "fewer than", "less than", "just under",
                 "under", "below")),
    ("more_than", ("more than", "in excess of", "upwards of", "exceeding", "surpassed", "passed", "topped",
                   "over", "above")),
    ("about", ("approximately", "close to", "roughly", "around", "about", "nearly", "almost", "circa",
               "an estimated", "some", "~")),
)

#: Nouns that name a ranked population, so that "our largest shareholder" is rank 1 among shareholders.
RANKED_NOUNS = ("shareholder", "spender", "investor", "company", "companies", "firm", "employer", "maker",
                "manufacturer", "vendor", "supplier", "producer", "exporter", "importer", "economy", "bank",
                "owner", "operator", "brand", "provider", "seller", "buyer", "donor", "emitter")
_SUPERLATIVE = r"(?:largest|biggest|leading|top|greatest|number one|no\. ?1)"
_ORDINAL = r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|fifty|hundred)"

#: Verbs that report what someone said: a sentence with one is an attribution (who said what),
#: checked as a statement, so an absolute inside it ("made it clear that no law requires") is not
#: the article's own absence claim.
ATTRIBUTION = re.compile(r"\b(?:said|says|told|tells|stated|states|announced|declared|insisted|confirmed|"
                         r"made it clear|has made clear|wrote|reported|testified|denied)\b", re.I)
#: Modal verbs: a pledge or a possibility ("we will never", "would rather") is not a checkable fact.
MODAL = re.compile(r"\b(?:will|would|can|cannot|can’t|can't|could|should|must|may|might|shall)\b", re.I)
#: Words that mark a sentence as the writer's opinion or a rhetorical move, not a fact.
OPINION = re.compile(r"\b(?:believe|think|feel|fair question|in our view|we stand by|claims to be|"
                     r"the point is|simply)\b", re.I)


@dataclass(frozen=True)
class Phrase:
    """A claim phrase found in a sentence: its span (offsets into the sentence), the words as
    written, the value they state and the comparator they imply."""

    start: int
    end: int
    wording: str
    value: object
    comparator: str


def hedge(before: str) -> tuple:
    """``(wording, comparator)`` of the hedge that ends ``before`` (the text up to a number);
    ``('', 'equals')`` when there is none."""
    tail = before.lower().rstrip()
    tail = re.sub(r"(?:us\$|\$|€|£|¥|usd|eur)\s*$", "", tail).rstrip()
    for comparator, phrases in HEDGES:
        for phrase in phrases:
            if re.search(rf"(?:^|[^\w]){re.escape(phrase)}$", tail):
                return phrase, comparator
    return "", "equals"


def hedge_start(before: str) -> int:
    """Where the hedge that ends ``before`` starts (``len(before)`` if there is none).

    >>> hedge_start("used in more than ")
    8
    """
    wording, _ = hedge(before)
    if not wording:
        return len(before)
    return before.lower().rstrip().rfind(wording)


def ranks(sentence: str) -> list:
    """The rank phrases of ``sentence``: "top five" (at most 5), "ranked 3rd" / "third largest"
    (equals 3), "our largest shareholder" (equals 1, when a ranked noun follows)."""
    found = []
    for m in re.finditer(rf"\btop[- ](?P<n>{_NUMBER})\b", sentence, re.I):
        n = number_word(m.group("n"))
        if n:
            found.append(Phrase(m.start(), m.end(), m.group(), n, "at_most"))
    for m in re.finditer(rf"\b(?:ranked|ranks|ranking|placed|came)\s+(?:as\s+)?(?:the\s+)?(?P<n>{_ORDINAL})\b",
                         sentence, re.I):
        found.append(Phrase(m.start(), m.end(), m.group(), number_word(m.group("n")), "equals"))
    for m in re.finditer(rf"\b(?P<n>{_ORDINAL})[- ](?:largest|biggest|greatest)\b", sentence, re.I):
        found.append(Phrase(m.start(), m.end(), m.group(), number_word(m.group("n")), "equals"))
    nouns = "|".join(RANKED_NOUNS)
    for m in re.finditer(rf"\b(?:the|our|its|their|his|her|my)\s+(?P<w>{_SUPERLATIVE})\s+(?:\w+\s+)?(?:{nouns})",
                         sentence, re.I):
        if not re.search(r"\bone of\s*$", sentence[:m.start()], re.I) and not _inside(m.start(), found):
            found.append(Phrase(m.start(), m.end(), m.group("w"), 1, "equals"))
    return sorted(found, key=lambda p: p.start)


def _inside(position, phrases) -> bool:
    return any(p.start <= position < p.end for p in phrases)


#: Absolutes that assert nothing of the kind exists: "never", or "no"/"none" opening a clause.
_ABSOLUTE = re.compile(r"\bnever\b|(?:^|[,;:–—]\s*|\bthere (?:is|are|was|were|has been|have been)\s+)"
                       r"(?:no|none of|not a single|nobody|no one)\b(?:\s+\w+)?(?:\s+(?:has|have|had)\s+ever)?",
                       re.I)


def absolute(sentence: str):
    """The absolute ("never", "No government has ever", "There are no ...") that makes ``sentence``
    an absence claim, or None: none there, or it is a pledge ("will never") or inside reported
    speech ("made it clear that no law ...")."""
    m = _ABSOLUTE.search(sentence)
    if m is None or ATTRIBUTION.search(sentence):
        return None
    if MODAL.search(sentence[max(0, m.start() - 12):m.start()]):
        return None
    start = m.start() + len(m.group()) - len(m.group().lstrip(",;:–— "))
    return Phrase(start, m.end(), sentence[start:m.end()], 0, "none_exists")


#: A finished verb in the past or perfect ("have achieved", "stayed", "did not", "told") — the sign of a
#: statement of fact about something that happened, which the qualitative reading requires.
_PAST = re.compile(r"\b(?:was|were|has|have|had|did|’ve|'ve)\b|\b\w{3,}ed\b|\b(?:told|said|made|flew|became|"
                   r"won|built|gave|took|left|kept|sold|paid|grew|rose|fell|began|held)\b", re.I)
_PASSIVE_PRESENT = re.compile(r"\b(?:is|are|am|be|being)\s+(?:\w+ly\s+)?\w+ed\b", re.I)


def factual(clause: str) -> bool:
    """Whether ``clause`` reads as a checkable statement of fact: a past or perfect verb, or a
    report of what someone said; not an opinion, and not a pledge or possibility unless reported.

    >>> factual("Huawei engineers helped rescuers by creating a mobile network."), factual("We will do it.")
    (True, False)
    """
    if OPINION.search(clause):
        return False
    if ATTRIBUTION.search(clause):
        return True
    if MODAL.search(clause):
        return False
    verbs = _PAST.findall(_PASSIVE_PRESENT.sub(" ", clause))
    return bool(verbs)
