"""CVE counts per vendor from the NIST NVD JSON 1.1 yearly feeds.

The feeds (manifest keys ``nvd_cve_2002`` … ``nvd_cve_2019`` and
``nvd_cve_2021``) are grouped by CVE *ID* year; the counts here are by
*published* year (``publishedDate``), so one published year draws on several
feeds.  Rules, each in one function:

- **vendor** (:func:`cpe_vendors`): field 4 of every ``cpe23Uri`` in the CVE's
  ``configurations`` (children included), for parts ``a``, ``o`` and ``h``;
  a CVE counts once per vendor of :data:`VENDORS` however many of that vendor's
  CPE strings it names;
- **rejected** (:func:`is_rejected`): a description starting ``** REJECT **``;
  rejected CVEs are counted in the coverage table and excluded everywhere else;
- **severity** (:func:`severity_of`): CVSS v3 ``baseSeverity`` where NVD gives
  one, else the CVSS v2 ``severity``, else ``UNSCORED``.

Coverage by published year (:func:`published_year_coverage`): a year is
"complete" if its own feed is a snapshot taken two or more years later,
"near-complete" if taken the next year, "partial" if taken within the year,
"missing" if there is no feed of that ID year (2020): then only CVEs with
older IDs that were published that year are counted.

Speed: feeds are decoded with msgspec into dicts holding only the fields the rules read
(:func:`decode_feed`; ``decoder="json"`` is the standard-library reference, same answers) and
parsed in two worker processes (:func:`summarise_feeds`); see ``benchmarks/nvd_build.py``.

CVE counts measure vulnerabilities *disclosed* and recorded by NVD, not
breaches; they scale with a vendor's product range and disclosure practice.

>>> severity_of({"baseMetricV3": {"cvssV3": {"baseSeverity": "HIGH"}}, "baseMetricV2": {"severity": "MEDIUM"}})
'HIGH'
"""
import gc
import gzip
import json
import os
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

import pandas as pd

from analysis import paths
from analysis.data import entities, tables
from analysis.data import manifest as _manifest
from analysis.errors import DataSchemaError, DatasetError

#: CVE ID years with a feed in the manifest (no 2020 feed could be pinned; see PROVENANCE.md).
FEED_YEARS = (*range(2002, 2020), 2021)
#: Vendor (display name) → the CPE vendor strings that mean it: the grouped members of the one
#: entity table (:mod:`analysis.data.entities`), which also records the strings left out on purpose
#: (joint ventures, a licensed brand) and why.
VENDORS = entities.cve_vendor_strings()
#: Severity levels, highest first; ``UNSCORED`` marks a CVE with neither CVSS v3 nor v2 metrics.
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW")
UNSCORED = "UNSCORED"
COUNTS_FILE = "cve_counts.csv"
COVERAGE_FILE = "cve_coverage.csv"
_PARTS = ("a", "o", "h")


def feed_key(year) -> str:
    """The manifest key of a feed year.

    >>> feed_key(2019)
    'nvd_cve_2019'
    """
    return f"nvd_cve_{year}"


@dataclass(frozen=True)
class CveRecord:
    """What the counts need from one CVE item."""

    cve_id: str
    published: str  # YYYY-MM-DD
    rejected: bool
    severity: str
    cpe_vendors: frozenset


def cpe_vendors(configurations) -> frozenset:
    """The vendor field of every a/o/h ``cpe23Uri`` in a CVE's configurations (children included).

    >>> node = {"cpe_match": [{"cpe23Uri": "cpe:2.3:o:huawei:vrp:-:*:*:*:*:*:*:*"}],
    ...         "children": [{"cpe_match": [{"cpe23Uri": "cpe:2.3:h:cisco:asr:-:*:*:*:*:*:*:*"}]}]}
    >>> sorted(cpe_vendors({"nodes": [node]}))
    ['cisco', 'huawei']
    """
    found = set()
    stack = list(configurations.get("nodes", []))
    while stack:
        node = stack.pop()
        for match in node.get("cpe_match", []):
            fields = match["cpe23Uri"].split(":", 4)  # only parts 3 and 4 are needed
            if len(fields) > 3 and fields[2] in _PARTS:
                found.add(fields[3])
        stack.extend(node.get("children", []))
    return frozenset(found)


def severity_of(impact) -> str:
    """CVSS v3 ``baseSeverity`` if present, else CVSS v2 ``severity``, else ``UNSCORED``.

    >>> severity_of({"baseMetricV2": {"severity": "LOW"}}), severity_of({})
    ('LOW', 'UNSCORED')
    """
    v3 = impact.get("baseMetricV3", {}).get("cvssV3", {}).get("baseSeverity")
    v2 = impact.get("baseMetricV2", {}).get("severity")
    return v3 or v2 or UNSCORED


def is_rejected(cve) -> bool:
    """Whether NVD marks the CVE rejected (its first description starts ``** REJECT **``).

    >>> is_rejected({"description": {"description_data": [{"value": "** REJECT **  DO NOT USE"}]}})
    True
    """
    texts = cve.get("description", {}).get("description_data", [])
    return bool(texts) and texts[0].get("value", "").startswith("** REJECT **")


def read_feed_bytes(path) -> bytes:
    """The decompressed JSON text of one feed file (``.json.gz`` or a ``.zip`` holding one ``.json``).

    Decompressed in one call (the largest feed is ≈80 MB of JSON): faster than streaming the
    parser over a gzip file object, and the text is needed whole by either decoder anyway.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path} is missing: run `python -m analysis fetch` for the nvd_cve_* keys")
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith(".json")]
            if len(names) != 1:
                raise DataSchemaError(f"{path}: expected one .json member, found {names or 'none'}")
            return archive.read(names[0])
    return gzip.decompress(path.read_bytes())


def read_feed_json(path) -> dict:
    """The whole JSON document of one feed file, with the standard library's :mod:`json`."""
    return json.loads(read_feed_bytes(path))


# The parts of an NVD JSON 1.1 feed that the rules above read.  msgspec decodes a feed into
# plain dicts holding only these keys and skips every other field without building it (most of
# each item: references, problem types, CVSS vectors and scores, CPE match ranges); all keys are
# optional, so a missing field is reported by parse_feed exactly as on the json path.
class _Meta(TypedDict, total=False):
    ID: str


class _Text(TypedDict, total=False):
    value: str


class _Description(TypedDict, total=False):
    description_data: list[_Text]


class _Cve(TypedDict, total=False):
    CVE_data_meta: _Meta
    description: _Description


class _CpeMatch(TypedDict, total=False):
    cpe23Uri: str


class _Node(TypedDict, total=False):
    cpe_match: list[_CpeMatch]
    children: list["_Node"]


class _Configurations(TypedDict, total=False):
    nodes: list[_Node]


class _CvssV3(TypedDict, total=False):
    baseSeverity: str


class _MetricV3(TypedDict, total=False):
    cvssV3: _CvssV3


class _MetricV2(TypedDict, total=False):
    severity: str


class _Impact(TypedDict, total=False):
    baseMetricV3: _MetricV3
    baseMetricV2: _MetricV2


class _Item(TypedDict, total=False):
    cve: _Cve
    publishedDate: str
    configurations: _Configurations
    impact: _Impact


class _Feed(TypedDict, total=False):
    CVE_data_timestamp: str
    CVE_Items: list[_Item]


#: How a feed's JSON is decoded: ``"msgspec"`` (default, fast: only the fields above) or
#: ``"json"`` (the standard library, the reference implementation; whole documents).
DECODERS = ("msgspec", "json")


def decode_feed(path, decoder="msgspec") -> dict:
    """The feed document as dicts: whole (``decoder="json"``) or only the fields the rules read
    (``"msgspec"``).  Both give the same answers from :func:`parse_feed`.

    A value of an unexpected type (say a number where NVD gives a string) is not guessed at by
    the fast decoder: the file is decoded again with :mod:`json` and handled as on that path.
    """
    if decoder == "json":
        return read_feed_json(path)
    if decoder != "msgspec":
        raise ValueError(f"unknown decoder {decoder!r}; choose one of {list(DECODERS)}")
    import msgspec

    text = read_feed_bytes(path)
    try:
        return msgspec.json.decode(text, type=_Feed)
    except msgspec.ValidationError:
        return json.loads(text)


@contextmanager
def _gc_paused():
    """Suspend the cyclic garbage collector: decoding builds millions of small containers and no
    cycles, and the collector's passes over them cost more than the decoding itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_feed(path, decoder="msgspec") -> tuple:
    """(feed timestamp, records): every CVE item of one feed file as a :class:`CveRecord`.

    ``decoder`` is ``"msgspec"`` (fast) or ``"json"`` (the standard-library reference); see
    :func:`decode_feed`.  A missing field is a :class:`~analysis.errors.DataSchemaError` naming
    the file, the CVE and the field.
    """
    with _gc_paused():
        document = decode_feed(path, decoder)
        if "CVE_Items" not in document:
            raise DataSchemaError(f"{path}: no 'CVE_Items' field; is this an NVD JSON 1.1 feed?")
        records = []
        for number, item in enumerate(document["CVE_Items"]):
            try:
                cve = item["cve"]
                cve_id = cve["CVE_data_meta"]["ID"]
            except KeyError as exc:
                raise DataSchemaError(f"{path}: CVE item {number} has no field {exc}") from None
            for field in ("publishedDate", "configurations", "impact"):
                if field not in item:
                    raise DataSchemaError(f"{path}: {cve_id} has no field {field!r}")
            records.append(CveRecord(cve_id=cve_id, published=item["publishedDate"][:10],
                                     rejected=is_rejected(cve), severity=severity_of(item["impact"]),
                                     cpe_vendors=cpe_vendors(item["configurations"])))
        timestamp = document.get("CVE_data_timestamp", "")
        del document  # free the decoded feed before the collector runs again
    return timestamp, records


def vendors_of(record, vendors=None) -> list:
    """The :data:`VENDORS` names whose CPE strings the record names (each once), sorted."""
    vendors = VENDORS if vendors is None else vendors
    return sorted(name for name, strings in vendors.items() if record.cpe_vendors.intersection(strings))


@dataclass(frozen=True)
class FeedSummary:
    """Counts from one feed: enough for both processed tables, so each feed is parsed once."""

    year: int
    file: str
    timestamp: str
    total: int
    rejected: int
    published_first: str
    published_last: str
    vendor_counts: tuple  # ((vendor, published year, severity, cves), ...)
    published_counts: tuple  # ((published year, cves not rejected), ...)


def summarise_feed(year, raw_dir=None, decoder="msgspec") -> FeedSummary:
    """Parse the feed of CVE ID ``year`` and count it (rejected CVEs left out of the counts)."""
    raw_dir = Path(raw_dir or paths.RAW)
    entry = _manifest.get(feed_key(year))
    return summarise_file(raw_dir / entry.file, entry.file, year, decoder)


def summarise_file(path, file, year, decoder="msgspec") -> FeedSummary:
    """The :class:`FeedSummary` of the feed file at ``path`` (``file``: its name below data/raw)."""
    timestamp, records = parse_feed(path, decoder)
    kept = [r for r in records if not r.rejected]
    by_vendor = Counter((v, int(r.published[:4]), r.severity) for r in kept for v in vendors_of(r))
    published = Counter(int(r.published[:4]) for r in kept)
    dates = sorted(r.published for r in kept)
    return FeedSummary(year=year, file=file, timestamp=timestamp, total=len(records),
                       rejected=len(records) - len(kept), published_first=dates[0] if dates else "",
                       published_last=dates[-1] if dates else "",
                       vendor_counts=tuple(sorted((*k, n) for k, n in by_vendor.items())),
                       published_counts=tuple(sorted(published.items())))


#: Defaults of :func:`summarise_feeds`, so of the build: the decoder (one of :data:`DECODERS`) and
#: the worker processes (each parses whole feeds; benchmarks/nvd_build.py measures the choices).
DECODER = "msgspec"
WORKERS = 2


def summarise_feeds(raw_dir=None, decoder=None, workers=None) -> tuple:
    """The :class:`FeedSummary` of every feed of :data:`FEED_YEARS`, in that order.

    ``decoder`` defaults to :data:`DECODER`.  Feeds are parsed in ``workers`` processes (default
    :data:`WORKERS`, at most one per CPU; 1 parses in this process), largest file first; each
    worker returns only the small summary.
    The result is kept for the process while the files' sizes and times are unchanged, so the
    two processed tables parse each feed once.
    """
    raw_dir = Path(raw_dir or paths.RAW)
    feeds = []
    for year in FEED_YEARS:
        file = _manifest.get(feed_key(year)).file
        path = raw_dir / file
        stat = path.stat() if path.is_file() else None
        feeds.append((str(path), file, year, stat and (stat.st_size, stat.st_mtime_ns)))
    workers = min(WORKERS if workers is None else workers, os.cpu_count() or 1, len(feeds))
    return _summarise_all(tuple(feeds), decoder or DECODER, max(workers, 1))


@lru_cache(maxsize=4)
def _summarise_all(feeds, decoder, workers) -> tuple:
    if workers == 1:
        return tuple(summarise_file(path, file, year, decoder) for path, file, year, _ in feeds)
    largest_first = sorted(feeds, key=lambda f: -(f[3][0] if f[3] else 0))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {f[2]: pool.submit(summarise_file, f[0], f[1], f[2], decoder) for f in largest_first}
        return tuple(futures[year].result() for _, _, year, _ in feeds)


def build_cve_counts(raw_dir=None) -> pd.DataFrame:
    """The processed ``cve_counts.csv``: CVEs (not rejected) per vendor, published year and severity.

    Columns: vendor, year, severity, cves.  Only non-zero cells are stored.
    """
    counts = Counter()
    for summary in summarise_feeds(raw_dir):
        for vendor, published, severity, n in summary.vendor_counts:
            counts[(vendor, published, severity)] += n
    table = pd.DataFrame([(*k, n) for k, n in counts.items()], columns=["vendor", "year", "severity", "cves"])
    order = {s: i for i, s in enumerate((*SEVERITIES, UNSCORED))}
    table["_order"] = table["severity"].map(order)
    return table.sort_values(["vendor", "year", "_order"]).drop(columns="_order").reset_index(drop=True)


def build_cve_coverage(raw_dir=None) -> pd.DataFrame:
    """The processed ``cve_coverage.csv``: one row per feed file.

    Columns: feed_year (CVE ID year), file, feed_timestamp, cves_total, rejected,
    published_first, published_last, published_same_year (CVEs not rejected whose
    published year equals the feed's ID year).
    """
    rows = []
    for s in summarise_feeds(raw_dir):
        same = dict(s.published_counts).get(s.year, 0)
        rows.append({"feed_year": s.year, "file": s.file, "feed_timestamp": s.timestamp, "cves_total": s.total,
                     "rejected": s.rejected, "published_first": s.published_first,
                     "published_last": s.published_last, "published_same_year": same})
    return pd.DataFrame(rows)


@lru_cache(maxsize=None)
def load_cve_counts() -> pd.DataFrame:
    """The processed CVE counts (vendor, year, severity, cves) from ``data/processed``."""
    return tables.read_processed(COUNTS_FILE)


@lru_cache(maxsize=None)
def load_cve_coverage() -> pd.DataFrame:
    """The processed feed coverage table from ``data/processed``."""
    return tables.read_processed(COVERAGE_FILE)


def published_year_coverage(year, coverage=None) -> str:
    """How completely the feeds cover CVEs *published* in ``year`` (rule in the module docstring).

    >>> published_year_coverage(2018), published_year_coverage(2019), published_year_coverage(2020)
    ('complete', 'near-complete', 'missing')
    >>> published_year_coverage(2021)
    'partial'
    """
    coverage = load_cve_coverage() if coverage is None else coverage
    return _status(year, _feeds_by_year(coverage).get(year))


def _feeds_by_year(coverage) -> dict:
    """{feed year: (file, feed timestamp)} of the coverage table."""
    return {int(y): (f, t) for y, f, t in zip(coverage["feed_year"], coverage["file"], coverage["feed_timestamp"])}


def _status(year, feed) -> str:
    """The coverage of CVEs published in ``year`` given the feed of that ID year (``(file, timestamp)`` or None)."""
    if year < min(FEED_YEARS):
        return "complete"  # CVE-1999 … CVE-2001 IDs are all in the 2002 feed
    if feed is None:
        return "missing"
    lag = int(str(feed[1])[:4]) - year
    return "complete" if lag >= 2 else "near-complete" if lag == 1 else "partial"


def _check_vendors(vendors, counts):
    unknown = [v for v in vendors if v not in set(counts["vendor"])]
    if unknown:
        raise ValueError(f"no CVE counts for vendor(s) {unknown}; known: {sorted(set(counts['vendor']))}")


def cves_per_year(vendors, first_year, last_year, counts=None) -> pd.DataFrame:
    """CVEs per published year (rows) and vendor (columns), all severities, zeros filled."""
    counts = load_cve_counts() if counts is None else counts
    _check_vendors(vendors, counts)
    keep = counts[counts["vendor"].isin(vendors) & counts["year"].between(first_year, last_year)]
    table = keep.pivot_table(index="year", columns="vendor", values="cves", aggfunc="sum", fill_value=0)
    table = table.reindex(index=range(first_year, last_year + 1), columns=list(vendors), fill_value=0)
    return table.astype(int)


def severity_mix(vendors, first_year, last_year, counts=None) -> pd.DataFrame:
    """CVEs per vendor (rows) and severity (columns, highest first) over the years, zeros filled."""
    counts = load_cve_counts() if counts is None else counts
    _check_vendors(vendors, counts)
    keep = counts[counts["vendor"].isin(vendors) & counts["year"].between(first_year, last_year)]
    table = keep.groupby(["vendor", "severity"])["cves"].sum().unstack("severity", fill_value=0)
    return table.reindex(index=list(vendors), columns=[*SEVERITIES, UNSCORED], fill_value=0).astype(int)


def at_or_above(threshold) -> list:
    """The severity levels at or above ``threshold``.

    >>> at_or_above("HIGH")
    ['CRITICAL', 'HIGH']
    """
    if threshold not in SEVERITIES:
        raise ValueError(f"unknown severity {threshold!r}; choose one of {list(SEVERITIES)}")
    return list(SEVERITIES[:SEVERITIES.index(threshold) + 1])


def count_at_or_above(vendor, threshold, first_year, last_year, counts=None) -> int:
    """CVEs of ``vendor`` published in the years whose severity is at or above ``threshold``."""
    mix = severity_mix([vendor], first_year, last_year, counts)
    return int(mix.loc[vendor, at_or_above(threshold)].sum())


def coverage_table(first_year, last_year, coverage=None) -> pd.DataFrame:
    """Coverage per published year in the range: status and the feed of that ID year (if any)."""
    feeds = _feeds_by_year(load_cve_coverage() if coverage is None else coverage)
    rows = []
    for year in range(first_year, last_year + 1):
        feed = feeds.get(year)
        rows.append({"published_year": year, "coverage": _status(year, feed),
                     "feed_file": feed[0].rsplit("/", 1)[-1] if feed else "",
                     "feed_timestamp": feed[1] if feed else ""})
    return pd.DataFrame(rows)
