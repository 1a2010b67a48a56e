"""Measures over the NVD CVE counts: how many CVEs of a vendor, published in a span of years, are
at or above a severity (the processed ``cve_counts.csv``; rules in :mod:`analysis.data.nvd`).

A CVE is a vulnerability disclosed in a product and recorded by NVD: each one counted is a case
(kind "cases"), a counter-example to a claim that none exists.

>>> m = cve_count("Huawei", 1999, 2019, "CRITICAL")
>>> m.value, m.kind, m.unit
(27, 'cases', 'Huawei CVEs ≥ CRITICAL')
"""
from functools import lru_cache

from analysis.data import manifest as _manifest
from analysis.data import nvd
from analysis.measures import Measurement, register


@lru_cache(maxsize=None)
def _counts() -> dict:
    """{(vendor, published year, severity): CVEs} from the processed counts, read once."""
    table = nvd.load_cve_counts()
    out = {}
    for vendor, year, severity, cves in zip(table["vendor"], table["year"], table["severity"], table["cves"]):
        key = (vendor, int(year), severity)
        out[key] = out.get(key, 0) + int(cves)
    return out


def _by_severity(vendor, first_year, last_year, levels) -> dict:
    """{severity: CVEs of ``vendor`` published in the years} for each of ``levels``."""
    counts = _counts()
    if not any(key[0] == vendor for key in counts):
        raise LookupError(f"no CVE counts for vendor {vendor!r}; known: {sorted({k[0] for k in counts})}")
    return {level: sum(counts.get((vendor, year, level), 0) for year in range(first_year, last_year + 1))
            for level in levels}


@lru_cache(maxsize=None)
def _coverage_by_year() -> dict:
    """{published year: (coverage, feed timestamp)} for every year the feeds can hold, computed once."""
    table = nvd.coverage_table(1988, max(nvd.FEED_YEARS))
    return {int(y): (c, t) for y, c, t in zip(table["published_year"], table["coverage"], table["feed_timestamp"])}


def _coverage(first_year, last_year) -> list:
    """[(published year, coverage, feed timestamp)] for the years of the range
    (as :func:`analysis.data.nvd.coverage_table` gives them)."""
    known = _coverage_by_year()
    return [(y, *known[y]) if y in known else (y, nvd.published_year_coverage(y), "")
            for y in range(first_year, last_year + 1)]


def _feeds(last_year) -> list:
    """The feed years whose CVE IDs can have been published by ``last_year``."""
    return [y for y in nvd.FEED_YEARS if y <= last_year]


def _feed_sources(last_year) -> tuple:
    return tuple(_manifest.get(nvd.feed_key(y)).source(label=f"NIST NVD JSON 1.1 feed, CVE-{y}")
                 for y in _feeds(last_year))


@register("cves.count", "cases")
def cve_count(vendor: str, first_year: int, last_year: int, severity: str = "LOW") -> Measurement:
    """CVEs naming ``vendor`` (its CPE vendor strings, :data:`analysis.data.nvd.VENDORS`) published in
    ``first_year``–``last_year`` with a severity at or above ``severity`` (CVSS v3 base severity,
    else v2; rejected CVEs excluded; ``LOW`` counts every scored CVE)."""
    first_year, last_year = int(first_year), int(last_year)
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    levels = nvd.at_or_above(severity)
    mix = _by_severity(vendor, first_year, last_year, tuple(levels))
    count = sum(mix.values())
    coverage = _coverage(first_year, last_year)
    gaps = [(year, status) for year, status, _ in coverage if status != "complete"]
    caveats = (("published years not completely covered by the feeds: "
                + ", ".join(f"{year} ({status})" for year, status in gaps),) if gaps else ())
    stamps = sorted(str(stamp)[:7] for _, _, stamp in coverage if stamp)
    snapshots = f" (snapshots {stamps[0]} to {stamps[-1]})" if stamps else ""
    by_level = ", ".join(f"{mix[level]:,} {level}" for level in levels)
    return Measurement(
        count, f"{vendor} CVEs ≥ {severity}", "cases",
        f"NVD lists {count:,} CVEs naming {vendor} with severity {severity} or above ({by_level}) published "
        f"{first_year}–{last_year}: vulnerabilities disclosed in products, not breaches.",
        vintage=f"NIST NVD JSON 1.1 feeds{snapshots}, published {first_year}–{last_year}",
        sources=_feed_sources(last_year), caveats=caveats,
        details={"severity": severity, "by_severity": mix})
