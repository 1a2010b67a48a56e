"""Articles: each audited article is a folder of its own under ``articles/``.

``articles/<slug>/`` holds

- ``article.txt``: the text audited, pinned by SHA-256 in ``article.yaml``;
- ``article.yaml``: title, author, claimant, outlet, date published, URL, where the text was read;
- ``claims.yaml``: its claim ledger (:mod:`analysis.claims.ledger`);
- ``multiverse.csv``: every specification of its claims' choices (:mod:`analysis.claims.multiverse`).

Its reports go to ``reports/<slug>/``.  A new article needs only such a folder.

>>> article = load_article()
>>> article.slug, article.author
('huawei-not-spying-2019', 'Joy Tan')
"""
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import paths
from analysis.errors import LedgerError

#: The fields ``article.yaml`` must have (null allowed where the data hold no value).
REQUIRED = ("title", "author", "url", "read_from", "text", "sha256")
OPTIONAL = ("author_role", "claimant", "outlet", "published", "licence", "notes")


@dataclass(frozen=True)
class Article:
    """An audited article: its folder and what ``article.yaml`` says of it."""

    folder: Path
    title: str
    author: str
    url: str
    read_from: str
    text_file: str
    sha256: str
    claimant: str = ""
    author_role: str = ""
    outlet: object = None
    published: object = None
    licence: str = ""
    notes: str = ""

    @property
    def slug(self) -> str:
        """The folder's name: the article's identity (its reports go to ``reports/<slug>/``)."""
        return self.folder.name

    @property
    def text_path(self) -> Path:
        return self.folder / self.text_file

    @property
    def ledger_path(self) -> Path:
        return self.folder / "claims.yaml"

    @property
    def multiverse_path(self) -> Path:
        return self.folder / "multiverse.csv"

    def text(self) -> str:
        return self.text_path.read_text(encoding="utf-8")

    def reports_dir(self, root=None) -> Path:
        """Where this article's published report goes: ``reports/<slug>/``."""
        return Path(root or paths.REPORTS) / self.slug


def article_folder(where=None) -> Path:
    """The article folder meant by ``where``: a folder, a file inside it (``claims.yaml``), a slug
    under ``articles/``, or None for the default article (this project's op-ed)."""
    if where is None:
        return paths.DEFAULT_ARTICLE
    where = Path(where)
    if where.is_file():
        return where.resolve().parent
    if where.is_dir():
        return where.resolve()
    if (paths.ARTICLES / where).is_dir():
        return (paths.ARTICLES / where).resolve()
    raise LedgerError(f"article {str(where)!r} not found: give a folder holding article.yaml, article.txt and "
                      f"claims.yaml, or a name under {paths.ARTICLES}")


def load_article(where=None) -> Article:
    """Read and check ``article.yaml`` (fields, and the text's SHA-256); an error names the file,
    the field and the fix."""
    folder = article_folder(where)
    meta_path = folder / "article.yaml"
    if not meta_path.is_file():
        raise LedgerError(f"{meta_path} is missing: an article folder needs article.yaml ({', '.join(REQUIRED)})")
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise LedgerError(f"{meta_path} is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise LedgerError(f"{meta_path}: expected a mapping of fields ({', '.join(REQUIRED)})")
    missing = [k for k in REQUIRED if not meta.get(k)]
    unknown = sorted(set(meta) - set(REQUIRED) - set(OPTIONAL))
    if missing or unknown:
        raise LedgerError(f"{meta_path}: " + "; ".join(
            ([f"field(s) {', '.join(missing)} missing or empty"] if missing else [])
            + ([f"unknown field(s) {', '.join(unknown)} (known: {', '.join(REQUIRED + OPTIONAL)})"] if unknown else [])))
    article = Article(folder=folder, title=str(meta["title"]), author=str(meta["author"]), url=str(meta["url"]),
                      read_from=str(meta["read_from"]), text_file=str(meta["text"]), sha256=str(meta["sha256"]),
                      **{k: meta[k] for k in OPTIONAL if meta.get(k) is not None})
    if not article.text_path.is_file():
        raise LedgerError(f"{meta_path}, field 'text': {article.text_path} does not exist")
    actual = hashlib.sha256(article.text_path.read_bytes()).hexdigest()
    if actual != article.sha256:
        raise LedgerError(f"{article.text_path} has SHA-256 {actual} but {meta_path} pins {article.sha256}: "
                          f"the text changed; restore it, or (if the new text is meant) update field 'sha256'")
    return article


def list_articles(root=None) -> list:
    """Every article folder under ``articles/`` (those with an ``article.yaml``), by slug."""
    root = Path(root or paths.ARTICLES)
    return sorted(p.parent for p in root.glob("*/article.yaml"))
