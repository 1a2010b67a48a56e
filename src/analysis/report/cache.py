"""The execution cache: a notebook whose result is already known is not run again.

A notebook's result is known when its **cache key** equals the key recorded
beside its executed copy.  The key is the SHA-256 of five parts, each a digest
of something that can change the output:

- ``notebook``: the notebook's cells (type and source, markdown included, since
  the page shows it) and its kernel name;
- ``parameters``: the validated parameter values it runs with (defaults included);
- ``data``: the SHA-256 of every file a notebook can read, which is every
  processed table (``data/processed/*``), every committed raw file of the
  manifest (facts, small tables), the manifest itself (it pins the
  SHA-256 of every other raw file) and every file of the article's folder (its text,
  ``article.yaml``, ``claims.yaml`` and ``multiverse.csv``).  This is
  deliberately the same set for every notebook: a per-notebook list would have
  to be kept right by hand, and hashing these ~1 MB costs a few milliseconds;
- ``source``: every file of the ``analysis`` package (code and templates);
- ``environment``: the lock file ``requirements.lock`` and the Python version.

The record ``reports/notebooks/<name>.cache.json`` holds the key, its parts,
the SHA-256 of the executed notebook and of its rendered page body, and the
timings of the run that produced them.  A hit needs the key to match *and* the
recorded files to be there with those digests, so a half-written or edited
output is never reused.

>>> digest_json({"b": 1, "a": [1, 2]}) == digest_json({"a": [1, 2], "b": 1})
True
"""
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from analysis import atomic, paths
from analysis.data import manifest as _manifest

#: Changes when the key's recipe changes, so that old records never match.
KEY_VERSION = 1
#: The five parts of a key, in the order they are listed.
PARTS = ("notebook", "parameters", "data", "source", "environment")
#: The package whose source is part of the key.
PACKAGE = Path(__file__).resolve().parents[1]  # the whole analysis package


def sha256_file(path) -> str:
    """SHA-256 (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest_json(value) -> str:
    """SHA-256 of ``value`` as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def notebook_digest(path) -> str:
    """Digest of a notebook's cells (type and source; outputs and metadata ignored) and kernel."""
    node = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [(c.get("cell_type"), _text(c.get("source", ""))) for c in node.get("cells", [])]
    kernel = node.get("metadata", {}).get("kernelspec", {}).get("name")
    return digest_json({"cells": cells, "kernel": kernel})


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _files_digest(files, root) -> str:
    return digest_json({_relative(f, root): sha256_file(f) for f in files})


def _relative(path, root) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def data_files(manifest=None, article_folder=None) -> list:
    """The files a notebook may read (see the module docstring), sorted."""
    manifest = manifest or _manifest.load_manifest()
    # dot files there are local bookkeeping (build and validation records), not data
    files = ([p for p in paths.PROCESSED.glob("*") if p.is_file() and not p.name.startswith(".")]
             if paths.PROCESSED.is_dir() else [])
    files += [d.path for d in manifest.values() if d.committed and d.path.is_file()]
    files += [p for p in (paths.MANIFEST,) if p.is_file()]
    folder = Path(article_folder) if article_folder else paths.DEFAULT_ARTICLE
    files += [p for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")]
    return sorted(set(files))


def source_files() -> list:
    """Every file of the ``analysis`` package (code, schemas, templates), byte-code excluded."""
    return sorted(p for p in PACKAGE.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))


def lock_file() -> Path:
    """The lock file that pins the environment (``requirements.lock``)."""
    return paths.ROOT / "requirements.lock"


@dataclass(frozen=True)
class Inputs:
    """The parts of the key shared by every notebook of a run (computed once per run)."""

    data: str
    source: str
    environment: str

    @classmethod
    def collect(cls, manifest=None, article_folder=None) -> "Inputs":
        lock = lock_file()
        environment = digest_json({"lock": sha256_file(lock) if lock.is_file() else None,
                                   "python": list(sys.version_info[:3])})
        return cls(data=_files_digest(data_files(manifest, article_folder), paths.ROOT),
                   source=_files_digest(source_files(), PACKAGE),
                   environment=environment)


def key_parts(notebook_path, parameters, inputs) -> dict:
    """``{part: digest}`` for one notebook run with ``parameters``."""
    return {"notebook": notebook_digest(notebook_path), "parameters": digest_json(dict(parameters)),
            "data": inputs.data, "source": inputs.source, "environment": inputs.environment}


def cache_key(parts) -> str:
    """The key: SHA-256 over the parts and :data:`KEY_VERSION`."""
    return digest_json({"version": KEY_VERSION, **{p: parts[p] for p in PARTS}})


@dataclass
class Record:
    """What ``<name>.cache.json`` holds."""

    notebook: str
    key: str
    parts: dict
    outputs: dict = field(default_factory=dict)  # {file name: sha256}
    timings: dict = field(default_factory=dict)  # seconds

    def to_json(self) -> str:
        return json.dumps({"notebook": self.notebook, "key_version": KEY_VERSION, "key": self.key,
                           "parts": self.parts, "outputs": self.outputs, "timings": self.timings},
                          indent=1, sort_keys=True) + "\n"


#: How a record's file name ends.
RECORD_SUFFIX = ".cache.json"


def record_path(folder, name) -> Path:
    return Path(folder) / f"{name}{RECORD_SUFFIX}"


def read_record(folder, name):
    """The record of ``name`` in ``folder``, or None if absent or unreadable."""
    try:
        raw = json.loads(record_path(folder, name).read_text(encoding="utf-8"))
        return Record(notebook=raw["notebook"], key=raw["key"], parts=raw["parts"],
                      outputs=raw.get("outputs", {}), timings=raw.get("timings", {}))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def lookup(folder, name, key):
    """The record of ``name`` if its key is ``key`` and every output it lists is intact, else None."""
    record = read_record(folder, name)
    if record is None or record.key != key or not record.outputs:
        return None
    for file, digest in record.outputs.items():
        path = Path(folder) / file
        if not path.is_file() or sha256_file(path) != digest:
            return None
    return record


def write_record(folder, record) -> Path:
    """Write ``record`` (after its outputs: a record never points at files not yet written)."""
    return atomic.write_text(record_path(folder, record.notebook), record.to_json())


def forget(folder, name) -> None:
    """Remove the record of ``name`` (its outputs are about to be replaced)."""
    record_path(folder, name).unlink(missing_ok=True)
