"""Get raw datasets into ``data/raw``, each verified against its pinned SHA-256.

Two sources, one rule: nothing unverified ever sits at the final path.

- **Download** from the pinned public URL (pooch: streamed to a temporary file
  beside the target, hash checked, then moved; transient failures retried a
  bounded number of times with exponential back-off).
- **Mirror**: copy from a local folder laid out like ``data/raw`` (set
  ``ANALYSIS_DATA_MIRROR``, or pass ``mirror=``), with the same check.

Small cited inputs are committed (``committed=yes`` in the manifest); for those,
fetching only verifies the checked-in copy.

>>> from analysis.data.fetch import fetch
>>> [p.name for p in fetch(["facts_rd_spending"])]
['facts.csv']
"""
import hashlib
import logging
import time
from pathlib import Path

from analysis import atomic, paths
from analysis.data import manifest as _manifest
from analysis.errors import AuditError, ChecksumError, DatasetError

log = logging.getLogger(__name__)

#: How many times a download that failed for a transient reason is tried again.
RETRIES = 3
#: Seconds before a stalled connection counts as failed.
TIMEOUT = 60
#: Seconds before the first retry; each later retry waits twice as long.
BACKOFF = 1.0


def file_sha256(path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"; _ = p.write_bytes(b"abc")
    >>> file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _root(entry, raw_dir) -> Path:
    # a committed file always lives where it is committed (data/raw), whatever raw_dir says
    return paths.RAW if entry.committed else Path(raw_dir or paths.RAW)


def location(entry, raw_dir=None) -> Path:
    """Where a dataset's file belongs: below ``raw_dir``, or ``data/raw`` for a committed file."""
    return _root(entry, raw_dir) / entry.file


def is_verified(entry, raw_dir=None) -> bool:
    """True if the dataset's file is in place (:func:`location`) and matches its pinned hash."""
    target = location(entry, raw_dir)
    return target.is_file() and file_sha256(target) == entry.sha256


def _check(actual, entry, where):
    if actual != entry.sha256:
        raise ChecksumError(
            f"dataset {entry.key!r}: {where} has sha256 {actual}, but the manifest pins "
            f"{entry.sha256}. The file is corrupt or a different version; delete it and fetch "
            f"again, or, if the publisher changed it on purpose, update data/raw/manifest.csv."
        )


def copy_from_mirror(entry, mirror, raw_dir=None) -> Path:
    """Copy one dataset from a mirror folder into ``raw_dir``, atomically and verified."""
    mirror = Path(mirror)
    if not mirror.is_dir():
        raise DatasetError(f"mirror folder {mirror} does not exist; fix ANALYSIS_DATA_MIRROR "
                           f"(it should point at a folder laid out like data/raw)")
    source = mirror / entry.file
    if not source.is_file():
        raise DatasetError(f"dataset {entry.key!r}: {source} is missing from the mirror")
    target = Path(raw_dir or paths.RAW) / entry.file
    digest = hashlib.sha256()
    with atomic.replacing(target, "wb") as out, open(source, "rb") as src:
        for block in iter(lambda: src.read(1 << 20), b""):
            digest.update(block)
            out.write(block)
        _check(digest.hexdigest(), entry, f"the mirror copy {source}")
    return target


def is_transient(exc) -> bool:
    """True for a download failure worth retrying: a connection error, a timeout, a body cut
    short, HTTP 5xx or 429.  False for a wrong checksum or any other HTTP 4xx (retrying
    cannot fix them).

    >>> import requests
    >>> is_transient(requests.ConnectionError()), is_transient(ValueError("hash mismatch"))
    (True, False)
    """
    import requests

    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    return isinstance(exc, (requests.ConnectionError, requests.Timeout,
                            requests.exceptions.ChunkedEncodingError,
                            requests.exceptions.ContentDecodingError))


def download(entry, raw_dir=None, progress=True, retries=RETRIES, timeout=TIMEOUT, backoff=BACKOFF) -> Path:
    """Download one dataset from its pinned URL, verified before it is moved in place.

    One attempt is pooch's: stream to a temporary file beside the target, check the
    SHA-256, then move.  Transient failures (:func:`is_transient`) are tried again up to
    ``retries`` times, waiting ``backoff``, 2×``backoff``, 4×``backoff`` … seconds; a
    wrong checksum or an HTTP 4xx fails at once.  The error names the dataset, the URL and,
    for a checksum, the expected and the actual SHA-256.  A file already at the target
    is replaced only by a verified one.
    """
    import pooch  # imported here: only downloads need it

    if not entry.url:
        raise DatasetError(
            f"dataset {entry.key!r} is mirror-only: no public URL serves these exact bytes "
            f"({entry.note}). Set ANALYSIS_DATA_MIRROR to a folder that holds {entry.file}.")
    raw_dir = Path(raw_dir or paths.RAW)
    pooch.get_logger().setLevel(logging.WARNING)  # its "Downloading file ..." lines repeat ours (shown with -v)
    fetcher = pooch.create(path=raw_dir, base_url="", registry={entry.file: f"sha256:{entry.sha256}"},
                           urls={entry.file: entry.url}, retry_if_failed=0)
    downloader = pooch.HTTPDownloader(progressbar=progress, timeout=timeout)
    for attempt in range(1 + retries):
        try:
            return Path(fetcher.fetch(entry.file, downloader=downloader))
        except ValueError as exc:  # pooch's hash mismatch: "... expected X but got Y"
            raise ChecksumError(f"dataset {entry.key!r} from {entry.url}: the download has the wrong "
                                f"SHA-256 ({exc}). Nothing was kept. If the publisher changed the file on "
                                f"purpose, update data/raw/manifest.csv; otherwise try again later or "
                                f"use a mirror (ANALYSIS_DATA_MIRROR).") from None
        except Exception as exc:
            if not is_transient(exc) or attempt == retries:
                kind = "a transient error" if is_transient(exc) else "an error that retrying cannot fix"
                raise DatasetError(f"dataset {entry.key!r}: download from {entry.url} failed after "
                                   f"{attempt + 1} attempt(s), last with {kind}: {exc}. Nothing was "
                                   f"kept. Check the network or the URL, or use a mirror "
                                   f"(ANALYSIS_DATA_MIRROR).") from None
            wait = backoff * 2 ** attempt
            log.warning("dataset %s: %s; trying again in %.1f s", entry.key, exc, wait)
            time.sleep(wait)


def fetch_one(entry, mirror=None, raw_dir=None, progress=True) -> Path:
    """Make one dataset present and verified; returns its path.

    Order: an already verified file is kept; a committed file is only checked;
    otherwise copy from ``mirror`` (default ``ANALYSIS_DATA_MIRROR``) or download.
    """
    target = location(entry, raw_dir)
    if is_verified(entry, raw_dir):
        return target
    if entry.committed and target.exists():
        _check(file_sha256(target), entry, f"the committed file {target}")
    mirror = mirror if mirror is not None else paths.mirror_dir()
    if mirror is not None:
        log.info("copying %s from mirror %s", entry.key, mirror)
        return copy_from_mirror(entry, mirror, _root(entry, raw_dir))
    log.info("downloading %s from %s", entry.key, entry.url)
    return download(entry, _root(entry, raw_dir), progress=progress)


class FetchFailed(DatasetError):
    """Some requested datasets could not be fetched.  ``failures``: ``{key: why}``, one line each
    (unknown keys share theirs); ``fetched``: the paths of the others, verified and kept."""

    def __init__(self, failures: dict, fetched: list):
        self.failures, self.fetched = dict(failures), list(fetched)
        reasons = list(dict.fromkeys(self.failures.values()))
        requested = len(self.failures) + len(self.fetched)
        if requested == 1:
            super().__init__(reasons[0])
            return
        kept = f" (the other {len(fetched)} are verified and kept)" if fetched else ""
        super().__init__(f"{len(self.failures)} of {requested} datasets could not be fetched{kept}:\n  "
                         + "\n  ".join(reasons))


def _one_line(text) -> str:
    return " ".join(str(text).split())


def fetch(keys=None, mirror=None, raw_dir=None, progress=True) -> list:
    """Fetch and verify datasets by key (all of them if ``keys`` is empty).

    Every requested dataset is tried, and each good one is kept, even if others fail; then one
    :class:`FetchFailed` lists every failure, one line each (unknown keys together).

    >>> [p.parent.name for p in fetch(["facts_rd_spending", "facts_events"])]
    ['rd_spending', 'events']
    """
    entries = _manifest.load_manifest()
    keys = list(dict.fromkeys(keys or entries))
    failures, fetched = {}, []
    unknown = [k for k in keys if k not in entries]
    why = (f"unknown dataset{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
           f"known keys: {', '.join(entries)}")
    failures.update((key, why) for key in unknown)
    for key in keys:
        if key in entries:
            try:
                fetched.append(fetch_one(entries[key], mirror=mirror, raw_dir=raw_dir, progress=progress))
            except (AuditError, OSError) as exc:  # noted; the other datasets are still fetched
                failures[key] = _one_line(exc if isinstance(exc, AuditError) else f"dataset {key!r}: {exc}")
    if failures:
        raise FetchFailed({k: failures[k] for k in keys if k in failures}, fetched)
    return fetched


def missing(keys, raw_dir=None) -> list:
    """The keys among ``keys`` whose verified file is not in ``raw_dir`` (for test skips).

    >>> missing(["facts_rd_spending"])
    []
    """
    entries = _manifest.load_manifest()
    return [k for k in keys if not is_verified(_manifest.get(k, entries), raw_dir)]
