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
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import paths
from analysis.errors import LedgerError

#: libyaml's safe loader when PyYAML was built with it (10× faster), else the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Bounds on a YAML file of an article folder (``article.yaml``, ``claims.yaml``): its size, its
#: aliases (``*name``), how many values it holds once they are expanded, and how deep it nests.
#: (The op-ed's ledger: 50 KB, no alias, about 5,000 values, 8 levels.)
MAX_BYTES = 2_000_000
MAX_ALIASES = 100
MAX_VALUES = 1_000_000
MAX_DEPTH = 50

#: The fields ``article.yaml`` must have (null allowed where the data hold no value).
REQUIRED = ("title", "author", "url", "read_from", "text", "sha256")
OPTIONAL = ("author_role", "claimant", "outlet", "published", "licence", "notes", "written")


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
    written: object = None  # analysis.claims.timing.Written: the bracket of dates it was written in

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


def _yaml_problem(exc) -> str:
    """A YAML error in one line: the problem and where it is."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    context = f" ({exc.context})" if getattr(exc, "context", None) else ""
    return " ".join(f"{problem}{where}{context}".split())


def _check_structure(path, events) -> None:
    """Walk the YAML ``events`` of ``path`` and stop at the first bound crossed (see :data:`MAX_ALIASES`,
    :data:`MAX_VALUES`, :data:`MAX_DEPTH`), before anything is built: an alias stands for every value
    of what it names, so a few KB of nested aliases can stand for billions of values."""
    aliases = values = 0
    sizes, open_ = {}, []  # values each anchor stands for; (anchor, values before it) of each open collection
    fix = "write the values out instead (aliases are bounded so that a small file cannot expand into a huge one)"
    for event in events:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise LedgerError(f"{path}: more than {MAX_ALIASES} YAML aliases (*name), the last at line {line}; {fix}")
            if any(anchor == event.anchor for anchor, _ in open_):
                raise LedgerError(f"{path}, line {line}: the YAML alias *{event.anchor} refers to a collection that "
                                  f"holds it (an endless structure); {fix}")
            values += sizes.get(event.anchor, 1)  # an undefined alias: the loader says so
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_.append((event.anchor, values))
            values += 1
            if len(open_) > MAX_DEPTH:
                raise LedgerError(f"{path}, line {line}: nested more than {MAX_DEPTH} levels deep; an article's "
                                  f"files need far fewer (is a bracket left open?)")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, before = open_.pop()
            if anchor:
                sizes[anchor] = values - before
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
            if event.anchor:
                sizes[event.anchor] = 1
        if values > MAX_VALUES:
            what = "its YAML aliases expand to" if aliases else "it holds"
            raise LedgerError(f"{path}: {what} more than {MAX_VALUES:,} values (at line {line}); "
                              + (fix if aliases else "is it the right file?"))


def read_yaml(path):
    """The YAML document in ``path`` (an article's ``article.yaml`` or ``claims.yaml``), read with the
    safe loader and bounds on size, aliases, expanded values and depth, checked before anything is built;
    any problem is a LedgerError of one line naming the file and the fix.

    >>> read_yaml(paths.DEFAULT_ARTICLE / "article.yaml")["author"]
    'Joy Tan'
    """
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise LedgerError(f"{path} is {size:,} bytes; a ledger or article file may have at most {MAX_BYTES:,}: "
                          f"is it the right file?")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LedgerError(f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}, "
                          f"line {line}); save it as UTF-8") from None
    try:
        _check_structure(path, yaml.parse(text, Loader=YAML_LOADER))
        return yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise LedgerError(f"{path} is not valid YAML: {_yaml_problem(exc)}") from None


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
    meta = read_yaml(meta_path) or {}
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
                      **{k: meta[k] for k in OPTIONAL if meta.get(k) is not None and k != "written"},
                      written=_written(meta_path, meta.get("written")))
    if not article.text_path.is_file():
        raise LedgerError(f"{meta_path}, field 'text': {article.text_path} does not exist")
    actual = hashlib.sha256(article.text_path.read_bytes()).hexdigest()
    if actual != article.sha256:
        raise LedgerError(f"{article.text_path} has SHA-256 {actual} but {meta_path} pins {article.sha256}: "
                          f"the text changed; restore it, or (if the new text is meant) update field 'sha256'")
    return article


def _written(meta_path, raw):
    """``article.yaml``'s ``written`` bracket, checked: ``from`` and ``to`` ISO dates in order, a
    ``reasoning``, and a ``first_appearance`` (optional) naming a fact row dated on or after ``to``."""
    from analysis.claims.timing import _DATE, Written

    if raw is None:
        return None
    where = f"{meta_path}, field 'written'"
    if not isinstance(raw, dict) or set(raw) - {"from", "to", "reasoning", "first_appearance"}:
        raise LedgerError(f"{where}: expected from, to (dates YYYY-MM-DD), reasoning and optionally first_appearance")
    start, end, reasoning = str(raw.get("from", "")), str(raw.get("to", "")), str(raw.get("reasoning") or "").strip()
    if not (_DATE.match(start) and _DATE.match(end)) or start > end or not reasoning:
        raise LedgerError(f"{where}: 'from' and 'to' must be dates YYYY-MM-DD with from ≤ to, and 'reasoning' must "
                          f"say what bounds them (got from={start!r}, to={end!r})")
    first = str(raw.get("first_appearance") or "")
    seen = re.search(r"\d{4}-\d{2}-\d{2}$", first)  # a fact id ends with the row's period
    if first and (first.count("/") < 3 or (seen and seen.group(0) < end)):
        raise LedgerError(f"{where}.first_appearance: {first!r} must be a fact row id (table/entity/metric/period) "
                          f"dated on or after the bracket's end {end}")
    return Written(start=start, end=end, reasoning=reasoning, first_appearance=first)


def list_articles(root=None) -> list:
    """Every article folder under ``articles/`` (those with an ``article.yaml``), by slug."""
    root = Path(root or paths.ARTICLES)
    return sorted(p.parent for p in root.glob("*/article.yaml"))
