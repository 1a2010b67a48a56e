"""The scorecard as schema.org ``ClaimReview`` records (JSON-LD): one review per checked claim.

Each review is published twice: all together in ``claimreview.jsonld``, and one by one, as a
``<script type="application/ld+json">`` in the claim's verdict card on ``article.html`` (the
review's ``url``, ``article.html#card-<claim id>``).  With a base URL (``run --base-url``) every
``url`` is absolute; without one it is relative to the report folder.  ``datePublished`` is the
report's date, the date of the commit it was built from (never the time of the build), and the
claim carries its first appearance (the article) and, when ``article.yaml`` gives one, its date.

Ratings come from the verdict scale (:data:`analysis.claims.verdicts.SCALE`, its ``rating``): 1–4
for the verdicts that place a claim on a scale of support (supported 4, supported with caveats 3,
conflicting 2, not supported 1); "company figures only" (nothing independent was checked) and "not
checkable" (nothing says how well it holds) carry only their name (``alternateName``), with no
value and no best or worst.

>>> ratings()["supported"], ratings()["not supported"], "not checkable" in ratings()
(4, 1, False)
"""
import json
from dataclasses import dataclass
from urllib.parse import urlparse

from analysis.claims.verdicts import SCALE
from analysis.errors import ParameterError
from analysis.report.urls import web_url

#: ratingValue by verdict (bestRating 4, worstRating 1); verdicts absent here get no rating value.
RATING = {v.value: look.rating for v, look in SCALE.items() if look.rating is not None}
#: Verdicts that rate no degree of support: their rating is only a name.
UNRATED = tuple(v.value for v, look in SCALE.items() if look.rating is None)
#: Scorecard rows that are no review at all: nothing was checked, so nothing is published as one.
UNREVIEWED = ("not yet audited", "notebook failed", "not run in this variant")
#: Who publishes the reviews (the project, not a person).
REVIEWER = {"@type": "Organization", "name": "claim-audit"}
#: The page (relative to the report folder) whose anchors hold one review each.
REVIEW_PAGE = "article.html"


def ratings() -> dict:
    """``{verdict: ratingValue}`` for the verdicts that rate support, from the scale."""
    return dict(RATING)


@dataclass(frozen=True)
class Article:
    """Where the reviewed claims appeared."""

    url: str
    headline: str
    author: str = ""
    published: str = ""


def article_info(article=None) -> Article:
    """The audited article as ClaimReview needs it, from its ``article.yaml``
    (:mod:`analysis.claims.articles`; default: this project's op-ed).

    >>> info = article_info()
    >>> info.author, info.headline
    ('Joy Tan', 'Huawei is not spying on customers')
    """
    from analysis.claims.articles import load_article

    found = article if hasattr(article, "title") else load_article(article)
    return Article(url=found.url, headline=found.title, author=found.author, published=str(found.published or ""))


def base_url(value) -> str:
    """The ``--base-url`` setting checked and ending in "/" ('' when unset: URLs stay relative).

    >>> base_url("https://example.org/audit"), base_url(None)
    ('https://example.org/audit/', '')
    """
    text = str(value or "").strip()
    if not text:
        return ""
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment:
        raise ParameterError(f"--base-url {text!r} is not an absolute http(s) address of the report folder; "
                             "give one such as https://example.org/reports/huawei-not-spying-2019/")
    return text if text.endswith("/") else text + "/"


def review_anchor(claim_id) -> str:
    """The anchor of a claim's review on :data:`REVIEW_PAGE` (its verdict card)."""
    return f"card-{claim_id}"


def review(row, article, date, sources=(), base_url="") -> dict:
    """One ``ClaimReview`` for a scorecard row (a mapping with the scorecard's columns).

    ``sources``: ``[(label, url)]`` the verdict rests on; ``base_url`` prefixes the
    review's page link (empty: relative to the report folder).
    """
    verdict = str(row["verdict"])
    rating = {"@type": "Rating", "alternateName": verdict}
    if verdict in ratings():
        rating.update(ratingValue=ratings()[verdict], bestRating=max(ratings().values()), worstRating=1)
    if row.get("reason"):
        rating["ratingExplanation"] = str(row["reason"])
    appearance = {"@type": "OpinionNewsArticle", "url": web_url(article.url), "headline": article.headline}
    if article.published:
        appearance["datePublished"] = article.published
    claim = {"@type": "Claim", "appearance": appearance, "firstAppearance": appearance}
    if article.published:
        claim["datePublished"] = article.published
    if article.author:
        claim["author"] = {"@type": "Person", "name": article.author}
    out = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": str(row["claim_id"]),
        "url": f"{base_url}{REVIEW_PAGE}#{review_anchor(row['claim_id'])}",
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
    for one in graph:
        one.pop("@context")
    return {"@context": "https://schema.org", "@graph": graph}


def to_jsonld(document) -> str:
    """The document as readable JSON text (UTF-8, keys in a fixed order)."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def to_script(document) -> str:
    """The document as the text of an HTML ``<script type="application/ld+json">``: ``<``, ``>`` and ``&``
    escaped, so no value from the data can end the script or open a comment.

    >>> to_script({"a": "</script><!--"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(document, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
