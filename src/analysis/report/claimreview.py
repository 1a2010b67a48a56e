"""The scorecard as schema.org ``ClaimReview`` records (JSON-LD): one review per ledger claim.

Ratings use a 1–5 scale for the verdicts that rate a claim (supported 5,
supported with caveats 4, conflicting 3, not supported 1: the scale's ``rating``,
:data:`analysis.claims.verdicts.SCALE`); "company figures only" (nothing independent
was checked), "not checkable",
"not yet audited" and "notebook failed" carry only their name
(``alternateName``), as a review with no rating.

>>> RATING["supported"], RATING["not supported"], RATING.get("not checkable")
(5, 1, None)
"""
import json
from dataclasses import dataclass

from analysis.claims.verdicts import SCALE
from analysis.report.urls import web_url

#: ratingValue by verdict (bestRating 5, worstRating 1); verdicts absent here get no rating value.
RATING = {v.value: look.rating for v, look in SCALE.items() if look.rating is not None}
#: Scorecard rows that are no review at all: nothing was checked, so nothing is published as one.
UNREVIEWED = ("not yet audited", "notebook failed", "not run in this variant")
#: Who publishes the reviews (the project, not a person).
REVIEWER = {"@type": "Organization", "name": "claim-audit"}


@dataclass(frozen=True)
class Article:
    """Where the reviewed claims appeared."""

    url: str
    headline: str
    author: str = ""


def article_info(article=None) -> Article:
    """The audited article as ClaimReview needs it, from its ``article.yaml``
    (:mod:`analysis.claims.articles`; default: this project's op-ed).

    >>> info = article_info()
    >>> info.author, info.headline
    ('Joy Tan', 'Huawei is not spying on customers')
    """
    from analysis.claims.articles import load_article

    found = article if hasattr(article, "title") else load_article(article)
    return Article(url=found.url, headline=found.title, author=found.author)


def review(row, article, date, sources=(), base_url="") -> dict:
    """One ``ClaimReview`` for a scorecard row (a mapping with the scorecard's columns).

    ``sources``: ``[(label, url)]`` the verdict rests on; ``base_url`` prefixes the
    review's page link (empty: relative to the report folder).
    """
    verdict = str(row["verdict"])
    rating = {"@type": "Rating", "alternateName": verdict, "bestRating": 5, "worstRating": 1}
    if verdict in RATING:
        rating["ratingValue"] = RATING[verdict]
    if row.get("reason"):
        rating["ratingExplanation"] = str(row["reason"])
    claim = {"@type": "Claim", "appearance": {"@type": "OpinionNewsArticle", "url": web_url(article.url),
                                              "headline": article.headline}}
    if article.author:
        claim["author"] = {"@type": "Person", "name": article.author}
    out = {
        "@type": "ClaimReview",
        "identifier": str(row["claim_id"]),
        "url": f"{base_url}index.html#{row['claim_id']}",
        "claimReviewed": str(row["quote"]),
        "datePublished": date,
        "author": REVIEWER,
        "itemReviewed": claim,
        "reviewRating": rating,
    }
    cited = [(label, web_url(url)) for label, url in sources if web_url(url)]
    if cited:
        out["citation"] = [{"@type": "CreativeWork", "name": label, "url": url} for label, url in cited]
    return out


def claim_reviews(table, assessments, date, article=None, base_url="") -> dict:
    """The JSON-LD document: ``{"@context": "https://schema.org", "@graph": [ClaimReview, ...]}``,
    one review per scorecard row, in article order."""
    article = article or article_info()
    sources = {a.claim_id: list(dict.fromkeys((s.label, s.url) for s in a.sources if s.url)) for a in assessments}
    graph = [review(row, article, date, sources.get(row["claim_id"], ()), base_url)
             for row in table.to_dict(orient="records") if row["verdict"] not in UNREVIEWED]
    return {"@context": "https://schema.org", "@graph": graph}


def to_jsonld(document) -> str:
    """The document as readable JSON text (UTF-8, keys in a fixed order)."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
