"""Measures over the NVD CVE counts: how many CVEs of a vendor, published in a span of years, are
at or above a severity (the processed ``cve_counts.csv``; rules in :mod:`analysis.nvd`).

A CVE is a vulnerability disclosed in a product and recorded by NVD: each one counted is a case
(kind "cases"), a counter-example to a claim that none exists.

>>> m = cve_count("Huawei", 1999, 2019, "CRITICAL")
>>> m.value, m.kind, m.unit
(26, 'cases', 'Huawei CVEs ≥ CRITICAL')
"""
from functools import lru_cache

from analysis import manifest as _manifest
from analysis import nvd
from analysis.measures import Measurement, register


@lru_cache(maxsize=None)
def _severity_mix(vendor, first_year, last_year):
    return nvd.severity_mix([vendor], first_year, last_year)


@lru_cache(maxsize=None)
def _coverage(first_year, last_year):
    return nvd.coverage_table(first_year, last_year)


def _feeds(last_year) -> list:
    """The feed years whose CVE IDs can have been published by ``last_year``."""
    return [y for y in nvd.FEED_YEARS if y <= last_year]


def _feed_sources(last_year) -> tuple:
    return tuple(_manifest.get(nvd.feed_key(y)).source(label=f"NIST NVD JSON 1.1 feed, CVE-{y}")
                 for y in _feeds(last_year))


@register("cves.count", "cases")
def cve_count(vendor: str, first_year: int, last_year: int, severity: str = "LOW") -> Measurement:
    """CVEs naming ``vendor`` (its CPE vendor strings, :data:`analysis.nvd.VENDORS`) published in
    ``first_year``–``last_year`` with a severity at or above ``severity`` (CVSS v3 base severity,
    else v2; rejected CVEs excluded; ``LOW`` counts every scored CVE)."""
    first_year, last_year = int(first_year), int(last_year)
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    levels = nvd.at_or_above(severity)
    mix = _severity_mix(vendor, first_year, last_year)
    count = int(mix.loc[vendor, levels].sum())
    coverage = _coverage(first_year, last_year)
    gaps = coverage[coverage["coverage"] != "complete"]
    caveats = (("published years not completely covered by the feeds: "
                + ", ".join(f"{r.published_year} ({r.coverage})" for r in gaps.itertuples()),) if len(gaps) else ())
    stamps = sorted(str(t)[:7] for t in coverage["feed_timestamp"] if t)
    snapshots = f" (snapshots {stamps[0]} to {stamps[-1]})" if stamps else ""
    by_level = ", ".join(f"{int(mix.loc[vendor, level]):,} {level}" for level in levels)
    return Measurement(
        count, f"{vendor} CVEs ≥ {severity}", "cases",
        f"NVD lists {count:,} CVEs naming {vendor} with severity {severity} or above ({by_level}) published "
        f"{first_year}–{last_year}: vulnerabilities disclosed in products, not breaches.",
        vintage=f"NIST NVD JSON 1.1 feeds{snapshots}, published {first_year}–{last_year}",
        sources=_feed_sources(last_year), caveats=caveats,
        details={"severity": severity, "by_severity": {level: int(mix.loc[vendor, level]) for level in levels}})
