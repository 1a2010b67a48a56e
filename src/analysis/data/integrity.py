"""Integrity before publishing: every committed input matches the SHA-256 recorded for it.

A report links each number to a pinned file, so a file edited by hand after it was pinned would
publish a number its own source contradicts.  Before any notebook kernel starts (and on
``python -m analysis verify``) :func:`verify_inputs` compares

- every committed raw file (fact tables, the incident timeline, the Common Criteria reports seen)
  with the SHA-256 the manifest (``data/raw/manifest.csv``) pins;
- every processed table with the SHA-256 ``data/processed/provenance.csv`` records for it
  (column ``output_sha256``, written by ``build-data``), and the raw files it was built from with
  the manifest's current pins;
- the article's text with the SHA-256 its ``article.yaml`` pins;
- the article's ``multiverse.csv`` with the record written beside it, ``multiverse.inputs.json``
  (:func:`write_multiverse_record`): the SHA-256 of the table itself, of the ledger entries it was
  evaluated from (:func:`ledger_digest`), of every processed table and committed raw file, and of
  the library source that evaluates it (:func:`multiverse_source_files`).  Any difference means the
  table is stale: it is refused, never shown.

All mismatches are collected into one :class:`~analysis.errors.IntegrityError`, one line each,
naming the file, the recorded and the actual SHA-256 and the fix.  Hashing these ~1.5 MB takes a
few milliseconds; parsing ``claims.yaml`` for the ledger digest about 20.

>>> Mismatch("data/x.csv", "edited or stale", "a" * 4, "b" * 4, "data/raw/manifest.csv", "run `make data`").line()
'data/x.csv: edited or stale: recorded SHA-256 aaaa (data/raw/manifest.csv), actual bbbb; fix: run `make data`'
"""
import csv
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis import atomic, paths
from analysis.data import manifest as _manifest
from analysis.errors import IntegrityError

#: The record of what an article's ``multiverse.csv`` was evaluated from (beside it).
MULTIVERSE_RECORD = "multiverse.inputs.json"
#: build-data's record of each processed table: its raw inputs and its own SHA-256.
PROVENANCE_FILE = "provenance.csv"
#: The fields of a ledger entry that can change its multiverse rows (not its quote, note or limits).
EVALUATED_FIELDS = ("id", "type", "notebook", "measure", "args", "parameters", "choices", "stated", "ceiling",
                    "caveats")
#: The fields of a notebook parameter declaration that decide how a choice is coerced (not its help).
PARAMETER_FIELDS = ("type", "choices", "min", "max", "format")
#: The library's own folder; the multiverse is evaluated by its data, measures and claims stages.
PACKAGE = Path(__file__).resolve().parents[1]
EVALUATING_STAGES = ("data", "measures", "claims")
#: Folders of those stages that evaluate nothing of the multiverse: claim extraction only drafts ledgers.
NOT_EVALUATING = ("claims/extract",)
MISSING = "none (file missing)"


@dataclass(frozen=True)
class Mismatch:
    """One file that does not match its record."""

    file: str       # the file at fault, as shown (relative to the project root when inside it)
    problem: str    # what is wrong, in a few words
    recorded: str   # the SHA-256 the record holds
    actual: str     # the SHA-256 the file has now (or MISSING)
    record: str     # where the recorded SHA-256 is written
    fix: str        # the command or action that fixes it

    def line(self) -> str:
        """The mismatch as one line of the error message."""
        return (f"{self.file}: {self.problem}: recorded SHA-256 {self.recorded} ({self.record}), "
                f"actual {self.actual}; fix: {self.fix}")


def sha256_file(path):
    """SHA-256 (hex) of a file's bytes, or None if there is no such file.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:12], sha256_file(p.with_name("absent.txt"))
    ('ba7816bf8f01', None)
    """
    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def canonical_json(value) -> str:
    """``value`` as canonical JSON: keys sorted, no spaces, UTF-8 text kept, dates as ISO text.

    >>> canonical_json({"b": 1, "a": ["é"]})
    '{"a":["é"],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def shown(path) -> str:
    """``path`` relative to the project root when it is inside it (as messages show it), else absolute.

    >>> shown(paths.ROOT / "data" / "raw" / "manifest.csv")
    'data/raw/manifest.csv'
    """
    try:
        return Path(path).resolve().relative_to(Path(paths.ROOT).resolve()).as_posix()
    except ValueError:
        return str(path)


def _restore(path) -> str:
    return f"restore it (`git checkout -- {shown(path)}`)"


# --- committed raw files and processed tables ------------------------------------------------------

def committed_raw(manifest=None) -> list:
    """The manifest's committed raw files (fact tables, incident timeline, reports seen), in manifest order."""
    manifest = manifest or _manifest.load_manifest()
    return [d for d in manifest.values() if d.committed]


def check_raw(manifest=None) -> list:
    """A :class:`Mismatch` per committed raw file whose SHA-256 differs from the manifest's pin."""
    out = []
    for entry in committed_raw(manifest):
        actual = sha256_file(entry.path)
        if actual != entry.sha256:
            out.append(Mismatch(shown(entry.path), "edited by hand" if actual else "missing", entry.sha256,
                                actual or MISSING, shown(paths.MANIFEST),
                                f"{_restore(entry.path)}; if the change is meant, update its sha256 and bytes in "
                                f"{shown(paths.MANIFEST)} and run `make data`"))
    return out


def read_provenance(folder=None) -> list:
    """The rows of ``provenance.csv`` as dicts (output, input, file, sha256, output_sha256); [] if absent."""
    path = Path(folder or paths.PROCESSED) / PROVENANCE_FILE
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def check_processed(folder=None, manifest=None) -> list:
    """A :class:`Mismatch` per processed table whose SHA-256 differs from the one ``provenance.csv``
    records for it, or that was built from a raw file other than the one the manifest now pins."""
    folder = Path(folder or paths.PROCESSED)
    record = folder / PROVENANCE_FILE
    rows = read_provenance(folder)
    if not rows or "output_sha256" not in rows[0]:
        what = "has no output_sha256 column" if rows else "is missing"
        return [Mismatch(shown(record), f"{PROVENANCE_FILE} {what}", "none", "none", shown(record),
                         "run `make data` (`python -m analysis build-data --force` rewrites it)")]
    manifest = manifest or _manifest.load_manifest()
    out, seen = [], set()
    for row in rows:
        path = folder / row["output"]
        pinned = manifest.get(row["input"])
        if pinned is not None and pinned.sha256 != row["sha256"]:
            out.append(Mismatch(shown(path), f"built from {row['file']} as it was before the manifest re-pinned it",
                                row["sha256"], pinned.sha256, shown(record), "run `make data`"))
        if row["output"] in seen:
            continue
        seen.add(row["output"])
        actual = sha256_file(path)
        if actual != row["output_sha256"]:
            out.append(Mismatch(shown(path), "edited by hand or stale" if actual else "missing", row["output_sha256"],
                                actual or MISSING, shown(record), f"run `make data`, or {_restore(path)}"))
    return out


# --- the article -----------------------------------------------------------------------------------

def _yaml(path):
    """A YAML file's content, parsed once per version of the file (a run checks the ledger several times)."""
    stat = Path(path).stat()
    return _parsed_yaml(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _parsed_yaml(path, mtime_ns, size):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)


def check_article(folder) -> list:
    """A :class:`Mismatch` if the article's text differs from the SHA-256 its ``article.yaml`` pins
    (a missing or malformed ``article.yaml`` is left to the ledger's loader, which names the field)."""
    meta_path = Path(folder) / "article.yaml"
    try:
        meta = _yaml(meta_path)
        text, pinned = Path(folder) / str(meta["text"]), str(meta["sha256"])
    except Exception:  # noqa: BLE001 - reported, with the field, by analysis.claims.articles.load_article
        return []
    actual = sha256_file(text)
    if actual == pinned:
        return []
    return [Mismatch(shown(text), "edited" if actual else "missing", pinned, actual or MISSING, shown(meta_path),
                     f"{_restore(text)}; if the new text is meant, update field 'sha256' in {shown(meta_path)} "
                     f"and the claims' offsets")]


# --- the multiverse --------------------------------------------------------------------------------

def ledger_digest(article_folder) -> str:
    """SHA-256 of what the multiverse is evaluated from in the ledger, as canonical JSON: each claim's
    :data:`EVALUATED_FIELDS`, each notebook parameter's :data:`PARAMETER_FIELDS` and the article's
    claimant (the self-reported policy reads it).  Quotes, notes, limits and help texts are left out.
    """
    folder = Path(article_folder)
    document = _yaml(folder / "claims.yaml") or {}
    claims = [{k: c.get(k) for k in EVALUATED_FIELDS} for c in document.get("claims") or []]
    notebooks = {name: {p: {k: spec.get(k) for k in PARAMETER_FIELDS}
                        for p, spec in ((nb or {}).get("parameters") or {}).items()}
                 for name, nb in (document.get("notebooks") or {}).items()}
    claimant = (_yaml(folder / "article.yaml") or {}).get("claimant")
    text = canonical_json({"claims": claims, "notebooks": notebooks, "claimant": claimant})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def multiverse_source_files() -> list:
    """The library source that evaluates the multiverse: the shared modules and the data, measures and
    claims stages (the report stage, the command line and templates only show it)."""
    files = [p for p in PACKAGE.glob("*.py") if p.name not in ("cli.py", "__main__.py")]
    files += [p for stage in EVALUATING_STAGES for p in (PACKAGE / stage).rglob("*.py")]
    skipped = [PACKAGE / folder for folder in NOT_EVALUATING]
    return sorted(p for p in files if "__pycache__" not in p.parts and not any(f in p.parents for f in skipped))


def _processed_tables() -> list:
    folder = Path(paths.PROCESSED)
    return sorted(p.name for p in folder.glob("*.csv") if p.name != PROVENANCE_FILE) if folder.is_dir() else []


def multiverse_inputs(article_folder) -> dict:
    """``{kind: {name: SHA-256}}`` of everything a multiverse table is evaluated from: the ledger
    (:func:`ledger_digest`), every processed table (a claim's measure may read any of them), every
    committed raw file, and :func:`multiverse_source_files` (relative to the package)."""
    return {
        "ledger": {"claims.yaml": ledger_digest(article_folder)},
        "processed": {name: sha256_file(Path(paths.PROCESSED) / name) for name in _processed_tables()},
        "raw": {d.file: sha256_file(d.path) for d in committed_raw()},
        "source": {p.relative_to(PACKAGE).as_posix(): sha256_file(p) for p in multiverse_source_files()},
    }


def _record_path(table_path) -> Path:
    return Path(table_path).with_name(MULTIVERSE_RECORD)


def write_multiverse_record(article_folder, table_path) -> Path:
    """Write ``multiverse.inputs.json`` beside ``table_path`` (after the table: a record never
    vouches for a table not yet written), atomically."""
    record = {"about": "SHA-256 of multiverse.csv and of what it was evaluated from; written by "
                       "`python -m analysis multiverse`, checked by `python -m analysis verify` and before a run",
              "multiverse.csv": sha256_file(table_path), **multiverse_inputs(article_folder)}
    return atomic.write_text(_record_path(table_path), json.dumps(record, indent=1, sort_keys=True,
                                                                  ensure_ascii=False) + "\n")


def _input_path(kind, name, article_folder) -> Path:
    """Where input ``name`` of :func:`multiverse_inputs` part ``kind`` lives."""
    roots = {"ledger": Path(article_folder), "processed": Path(paths.PROCESSED), "raw": Path(paths.RAW),
             "source": PACKAGE}
    return roots[kind] / name


#: How a ledger change is described (the digest covers these parts of claims.yaml, and the claimant).
_LEDGER_CHANGE = "changed (claims' measures, arguments, parameters, choices, stated values or caveats)"


def check_multiverse(article_folder, table_path=None, reported=()) -> list:
    """A :class:`Mismatch` per difference between the multiverse table's record and its inputs now
    (a missing table is a mismatch only if some claim declares choices).  Files in ``reported`` (already named by
    another check, whose fix comes first) are not named again."""
    folder = Path(article_folder)
    table = Path(table_path) if table_path else folder / "multiverse.csv"
    fix = f"run `python -m analysis multiverse --article {shown(folder)}`"
    if not table.is_file():
        declared = [c.get("id") for c in (_yaml(folder / "claims.yaml") or {}).get("claims") or [] if c.get("choices")]
        if table_path is None and declared:
            return [Mismatch(shown(table), f"missing, though {len(declared)} claim(s) declare choices "
                             f"({', '.join(map(str, declared[:3]))}{', …' if len(declared) > 3 else ''})",
                             "none", MISSING, shown(folder / "claims.yaml"), fix)]
        return []
    record_path = _record_path(table)
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [Mismatch(shown(table), f"no record of its inputs ({shown(record_path)} missing or unreadable)",
                         "none", sha256_file(table), shown(record_path), fix)]
    out = []
    actual = sha256_file(table)
    if actual != record.get("multiverse.csv"):
        out.append(Mismatch(shown(table), "edited by hand", str(record.get("multiverse.csv")), actual,
                            shown(record_path), fix))
    for kind, now in multiverse_inputs(folder).items():
        then = record.get(kind) or {}
        for name in sorted(set(then) | set(now)):
            path = _input_path(kind, name, folder)
            if then.get(name) == now.get(name) or shown(path) in reported:
                continue
            what = _LEDGER_CHANGE if kind == "ledger" else (
                "changed" if name in then and now.get(name) else "added" if name not in then else "missing")
            out.append(Mismatch(shown(table), f"stale, {shown(path)} {what}", str(then.get(name, "none")),
                                now.get(name) or MISSING, shown(record_path), fix))
    return out


def require_fresh_multiverse(article_folder, table_path=None) -> None:
    """Raise an :class:`~analysis.errors.IntegrityError` if the multiverse table is stale: it is never shown."""
    problems = check_multiverse(article_folder, table_path)
    if problems:
        raise IntegrityError(_message(problems))


# --- all of it -------------------------------------------------------------------------------------

def check_inputs(article_folder=None, multiverse=True) -> list:
    """Every :class:`Mismatch` of the committed raw files, processed tables, the article's text and
    (with ``multiverse``) its multiverse table, in that order."""
    folder = Path(article_folder or paths.DEFAULT_ARTICLE)
    manifest = _manifest.load_manifest()
    found = check_raw(manifest) + check_processed(manifest=manifest) + check_article(folder)
    if multiverse:
        found += check_multiverse(folder, reported={m.file for m in found})
    return found


def _message(problems) -> str:
    head = f"{len(problems)} input file(s) do not match their recorded SHA-256; nothing was built or shown:"
    return "\n  ".join([head, *(p.line() for p in problems)])


def verify_inputs(article_folder=None, multiverse=True) -> int:
    """Check every input against its record (:func:`check_inputs`); returns how many files were checked,
    or raises one :class:`~analysis.errors.IntegrityError` listing every mismatch, one line each.

    >>> verify_inputs() > 20
    True
    """
    problems = check_inputs(article_folder, multiverse)
    if problems:
        raise IntegrityError(_message(problems))
    has_table = multiverse and (Path(article_folder or paths.DEFAULT_ARTICLE) / "multiverse.csv").is_file()
    return (len(committed_raw()) + len(_processed_tables()) + 1   # raw files, processed tables, the text
            + (2 + len(multiverse_source_files()) if has_table else 0))  # the table, its ledger, the source
