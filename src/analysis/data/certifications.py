"""Security certifications: NIST CMVP (FIPS 140), Common Criteria, and UK Cyber Essentials.

Three claims of the op-ed rest on certificates:

- *"the highest security ratings and certifications in the tech industry"*: on each
  scale (FIPS 140 overall level 1–4; Common Criteria EAL1–EAL7) the highest level
  Huawei reached by a cut-off date, compared with a reference level: the scale
  maximum, the best level any certificate in the registry reached, or the best
  level of named peer vendors (:data:`REFERENCES`).
- *"independently validated"*: how many certificates from independent labs and
  schemes Huawei held by the cut-off date.
- *"Cyber Essentials Plus ... in 2018"*: whether a 2018 certificate can be found.

Vendor names differ between and within registries ("Juniper Networks, Inc" /
"HPE Juniper Networking"; "Certis CISCO Security" is not Cisco), so a vendor is
recognised by an explicit rule: :data:`VENDOR_PATTERNS` and :func:`match_vendor`.

This module parses the registries, builds and loads the processed tables, and gives the
notebook's tables; the measurements the claims are judged on are in
:mod:`analysis.measures.certificates`.

>>> match_vendor("Huawei Technologies Co., Ltd."), match_vendor("Certis CISCO Security Pte Ltd")
('Huawei', None)
"""
import csv
import re
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data import entities, facts, tables
from analysis.data import manifest as _manifest
from analysis.errors import DataSchemaError, DatasetError

# --------------------------------------------------------------------------------------------
# Vendors
# --------------------------------------------------------------------------------------------

#: Vendor → regular expressions that must match the WHOLE normalised registry name
#: (upper case, every run of non-alphanumerics → one space; see :func:`normalise_vendor`):
#: the grouped members of the one entity table (:mod:`analysis.data.entities`), which records each
#: grouping (Nokia with its Alcatel-Lucent lineage, not Alcatel-Lucent Enterprise; Samsung
#: Electronics only; "HPE Juniper Networking" as Juniper) and its basis.
VENDOR_PATTERNS = entities.registry_name_patterns()
#: The vendors the analysis knows; Huawei is the claimant, the others are peers.
VENDORS = tuple(VENDOR_PATTERNS)
CLAIMANT = "Huawei"
PEERS = tuple(v for v in VENDORS if v != CLAIMANT)

#: What "highest" is compared with (the ``highest_reference`` parameter).
REFERENCES = {
    "scale_maximum": "the top of the scale (FIPS 140 level 4, EAL7)",
    "industry_best": "the best level any certificate in the registry reached by the cut-off",
    "peer_best": "the best level the chosen peer vendors reached by the cut-off",
}

CMVP_FILE = "cmvp_certificates.csv"
CC_ACTIVE_FILE = "cc_active_peers.csv"
LEVELS_FILE = "registry_levels_by_year.csv"


def normalise_vendor(name) -> str:
    """Upper case, runs of anything but A–Z/0–9 as one space, trimmed.

    >>> normalise_vendor("Alcatel-Lucent Enterprise USA, Inc.")
    'ALCATEL LUCENT ENTERPRISE USA INC'
    """
    return re.sub(r"[^A-Z0-9]+", " ", str(name).upper()).strip()


def match_vendor(name, vendors=VENDORS):
    """The vendor (a key of :data:`VENDOR_PATTERNS`) that registry name ``name`` belongs to, or None.

    Rule: the normalised name must match one of the vendor's patterns in full.

    >>> match_vendor("HPE Juniper Networking"), match_vendor("Alcatel-Lucent Enterprise")
    ('Juniper', None)
    """
    normal = normalise_vendor(name)
    found = [v for v in vendors if any(re.fullmatch(p, normal) for p in VENDOR_PATTERNS[v])]
    if len(found) > 1:
        raise ValueError(f"vendor name {name!r} matches several vendors: {found}")
    return found[0] if found else None


def check_cutoff(cutoff_date) -> str:
    """The cut-off date as an ISO string ``YYYY-MM-DD``; anything else is an error.

    >>> check_cutoff("2018-12-31")
    '2018-12-31'
    """
    try:
        return date.fromisoformat(str(cutoff_date)).isoformat()
    except ValueError:
        raise ValueError(f"cutoff_date must be an ISO date YYYY-MM-DD, got {cutoff_date!r}") from None


def _check_vendors(vendors) -> list:
    unknown = [v for v in vendors if v not in VENDOR_PATTERNS]
    if unknown:
        raise ValueError(f"unknown vendor(s) {unknown}; known: {list(VENDORS)}")
    return list(vendors)


# --------------------------------------------------------------------------------------------
# Raw files → processed tables (build-data)
# --------------------------------------------------------------------------------------------

_CMVP_COLUMNS = ("certificate_number", "status", "standard", "vendor_name", "module_name", "module_type",
                 "overall_level", "first_validation_date", "initial_lab")
_CC_COLUMNS = ("Category", "Name", "Manufacturer", "Scheme", "Assurance Level", "Certification Date",
               "Certification Report URL")


def _read_records(path, key, needed, repair=None):
    """A raw CSV as (header, [(line, fields)]) with the line each record starts on."""
    if not path.is_file():
        raise DatasetError(f"{path} is missing: run `python -m analysis fetch {key}`")
    records = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        missing = [c for c in needed if c not in header]
        if missing:
            raise DataSchemaError(f"{path}: column(s) {missing} not found; columns are {header}")
        start = reader.line_num + 1
        for fields in reader:
            if fields:
                if len(fields) != len(header) and repair:
                    fields = repair(fields, len(header))
                if len(fields) != len(header):
                    raise DataSchemaError(f"{path}, line {start}: {len(fields)} fields, expected {len(header)}")
                records.append((start, dict(zip(header, fields))))
            start = reader.line_num + 1
    return header, records


#: The CMVP snapshot of 2026-04-15 lists certificate numbers 1–5242 except these 11, which its source
#: left out (data mirror, certifications/PROVENANCE.md); each maps to the first validation date of the
#: nearest listed number below it, the earliest date it can have been validated by, since numbers are
#: issued in date order.  tests/test_certifications.py recomputes both from the raw file.
CMVP_MISSING = {1844: "2012-11-29", 3204: "2018-06-20", 3403: "2019-03-13", 3404: "2019-03-13",
                3405: "2019-03-13", 3406: "2019-03-13", 3407: "2019-03-13", 3462: "2019-05-28",
                4561: "2023-08-23", 4717: "2024-07-09", 5190: "2026-03-12"}


def cmvp_missing_by(cutoff_date) -> tuple:
    """The CMVP certificate numbers missing from the snapshot that can have been validated by the cut-off:
    while any can, a count or highest level read from the snapshot by that date is a lower bound.

    >>> cmvp_missing_by("2018-12-31"), cmvp_missing_by("2012-01-01")
    ((1844, 3204), ())
    """
    cutoff = check_cutoff(cutoff_date)
    return tuple(n for n, earliest in CMVP_MISSING.items() if earliest <= cutoff)


def cmvp_missing_numbers(raw_dir=None) -> dict:
    """``{missing certificate number: first validation date of the nearest listed number below it}``,
    computed from the raw snapshot (what :data:`CMVP_MISSING` records)."""
    entry = _manifest.get("nist_cmvp_2026_04_15")
    _, records = _read_records((raw_dir or paths.RAW) / entry.file, entry.key, _CMVP_COLUMNS)
    dates = {int(r["certificate_number"]): r["first_validation_date"] for _, r in records}
    out = {}
    for number in range(1, max(dates) + 1):
        if number not in dates:
            below = max(n for n in dates if n < number and dates[n])
            out[number] = dates[below]
    return out


def read_cmvp(raw_dir=None) -> pd.DataFrame:
    """Every CMVP certificate with a validation date: the raw columns used, plus ``vendor`` and ``line``."""
    entry = _manifest.get("nist_cmvp_2026_04_15")
    path = (raw_dir or paths.RAW) / entry.file
    _, records = _read_records(path, entry.key, _CMVP_COLUMNS)
    rows = []
    for line, r in records:
        if not r["first_validation_date"]:
            continue  # 2 certificates (4955, 4987) have no vendor and no dates in the source
        try:
            level = int(r["overall_level"])
        except ValueError:
            raise DataSchemaError(f"{path}, line {line}: column overall_level is {r['overall_level']!r}, "
                                  f"not a level 1–4") from None
        rows.append({**{c: r[c] for c in _CMVP_COLUMNS}, "overall_level": level,
                     "certificate_number": int(r["certificate_number"]),
                     "vendor": match_vendor(r["vendor_name"]) or "", "line": line})
    return pd.DataFrame(rows)


def build_cmvp_certificates(raw_dir=None) -> pd.DataFrame:
    """The processed ``cmvp_certificates.csv``: CMVP certificates of the vendors in :data:`VENDORS`."""
    table = read_cmvp(raw_dir)
    table = table[table["vendor"] != ""]
    cols = ["certificate_number", "vendor", "vendor_name", "status", "standard", "module_name", "module_type",
            "overall_level", "first_validation_date", "initial_lab", "line"]
    return table[cols].sort_values("certificate_number").reset_index(drop=True)


def parse_eal(text):
    """The highest EAL number in an assurance-level text, or None if it names none.

    >>> parse_eal("EAL3 + ALC_CMC.4 + ALC_CMS.4 (CCRA); SOGIS up to EAL2"), parse_eal("EAL 2+"), parse_eal("None")
    (3, 2, None)
    """
    found = [int(n) for n in re.findall(r"EAL\s*([1-7])", str(text))]
    return max(found) if found else None


def _repair_cc_fields(fields, width):
    # PROVENANCE: 4 NXP rows have unescaped quotes in Name and split into extra fields
    return [fields[0], ",".join(fields[1:-(width - 2)])] + fields[-(width - 2):]


def read_cc_active(raw_dir=None) -> pd.DataFrame:
    """Distinct certificates of the Common Criteria portal's active list (Dec 2025 snapshot).

    A certificate is (Name, Manufacturer, Certification Date, report URL); its
    maintenance updates repeat it on more rows, the first row is kept.  Columns:
    vendor, manufacturer, product, category, scheme, assurance_level, eal,
    certification_date (ISO), line.
    """
    entry = _manifest.get("cc_portal_active_2025_12")
    path = (raw_dir or paths.RAW) / entry.file
    _, records = _read_records(path, entry.key, _CC_COLUMNS, repair=_repair_cc_fields)
    rows, seen = [], set()
    for line, r in records:
        ident = (r["Name"], r["Manufacturer"], r["Certification Date"], r["Certification Report URL"])
        if ident in seen:
            continue
        seen.add(ident)
        match = re.fullmatch(r"(\d\d)/(\d\d)/(\d{4})", r["Certification Date"])
        if not match:
            raise DataSchemaError(f"{path}, line {line}: column Certification Date is "
                                  f"{r['Certification Date']!r}, not MM/DD/YYYY")
        month, day, year = match.groups()
        rows.append({"vendor": match_vendor(r["Manufacturer"]) or "", "manufacturer": r["Manufacturer"],
                     "product": r["Name"], "category": r["Category"], "scheme": r["Scheme"],
                     "assurance_level": r["Assurance Level"], "eal": parse_eal(r["Assurance Level"]),
                     "certification_date": f"{year}-{month}-{day}", "line": line})
    table = pd.DataFrame(rows)
    table["eal"] = table["eal"].astype("Int64")
    return table


def build_cc_active_peers(raw_dir=None) -> pd.DataFrame:
    """The processed ``cc_active_peers.csv``: active-list certificates of the vendors in :data:`VENDORS`."""
    table = read_cc_active(raw_dir)
    table = table[table["vendor"] != ""]
    return table.sort_values(["vendor", "certification_date", "line"]).reset_index(drop=True)


def build_registry_levels(raw_dir=None) -> pd.DataFrame:
    """The processed ``registry_levels_by_year.csv``: every vendor's certificates by registry, year and level.

    Columns: registry (cmvp | cc_active), year, level, certificates, first_date
    (earliest certificate of that level in that year), so the best level reached
    by any date can be read without the raw files.
    """
    cmvp = read_cmvp(raw_dir).rename(columns={"overall_level": "level", "first_validation_date": "date"})
    cc = read_cc_active(raw_dir).dropna(subset=["eal"])
    cc = cc.rename(columns={"eal": "level", "certification_date": "date"})
    parts = []
    for name, table in (("cmvp", cmvp), ("cc_active", cc)):
        table = table.assign(year=table["date"].str[:4].astype(int), level=table["level"].astype(int))
        grouped = table.groupby(["year", "level"]).agg(certificates=("date", "size"), first_date=("date", "min"))
        parts.append(grouped.reset_index().assign(registry=name))
    levels = pd.concat(parts, ignore_index=True)
    return levels[["registry", "year", "level", "certificates", "first_date"]]


@lru_cache(maxsize=None)
def load_cmvp() -> pd.DataFrame:
    """The processed CMVP table of the known vendors (``data/processed/cmvp_certificates.csv``)."""
    return tables.read_processed(CMVP_FILE, dtype={"first_validation_date": str})


@lru_cache(maxsize=None)
def load_cc_active() -> pd.DataFrame:
    """The processed active-list CC certificates of the known vendors (``cc_active_peers.csv``)."""
    table = tables.read_processed(CC_ACTIVE_FILE, dtype={"certification_date": str})
    table["eal"] = table["eal"].astype("Int64")
    return table


@lru_cache(maxsize=None)
def load_levels() -> pd.DataFrame:
    """The processed per-year level counts of every vendor (``registry_levels_by_year.csv``)."""
    return tables.read_processed(LEVELS_FILE, dtype={"first_date": str})


@lru_cache(maxsize=None)
def load_cc_reports() -> pd.DataFrame:
    """The committed Common Criteria reports seen (a subset, not a registry), with ``vendor``, ``eal``, ``line``."""
    entry = _manifest.get("cc_reports_seen")
    needed = ("report_id", "product", "developer_as_stated", "scheme_country", "certification_body",
              "assurance_level_as_stated", "document_date", "source_url")
    _, records = _read_records(entry.path, entry.key, needed)
    rows = [{**r, "line": line} for line, r in records]
    table = pd.DataFrame(rows)
    table["vendor"] = [match_vendor(n) or "" for n in table["developer_as_stated"]]
    table["eal"] = pd.array([parse_eal(a) for a in table["assurance_level_as_stated"]], dtype="Int64")
    return table


# --------------------------------------------------------------------------------------------
# Tables for the notebook
# --------------------------------------------------------------------------------------------

def cmvp_by_year(cutoff_date, vendors=VENDORS) -> pd.DataFrame:
    """CMVP certificates first validated each year up to the cut-off: one row per year, one column per vendor.

    >>> int(cmvp_by_year("2018-12-31", ["Huawei"]).loc[2017, "Huawei"])
    15
    """
    cutoff, vendors = check_cutoff(cutoff_date), _check_vendors(vendors)
    table = load_cmvp()
    table = table[(table["first_validation_date"] <= cutoff) & table["vendor"].isin(vendors)]
    years = table["first_validation_date"].str[:4].astype(int)
    counts = pd.crosstab(years, table["vendor"]).reindex(columns=vendors, fill_value=0)
    counts.index.name, counts.columns.name = "year", None
    return counts


def cmvp_summary(cutoff_date, vendors=VENDORS) -> pd.DataFrame:
    """Per vendor up to the cut-off: CMVP certificates, certificates by level 1–4, highest level, first date.

    >>> row = cmvp_summary("2018-12-31", ["Huawei"]).iloc[0]
    >>> int(row["certificates"]), int(row["level_2"]), int(row["highest_level"]), row["first_certificate"]
    (17, 16, 2, '2015-08-26')
    """
    cutoff, vendors = check_cutoff(cutoff_date), _check_vendors(vendors)
    table = load_cmvp()
    table = table[(table["first_validation_date"] <= cutoff) & table["vendor"].isin(vendors)]
    by_vendor = table.groupby("vendor")
    levels = pd.crosstab(table["vendor"], table["overall_level"]).reindex(index=vendors, columns=range(1, 5),
                                                                         fill_value=0)
    out = pd.DataFrame({"vendor": list(vendors),
                        "certificates": by_vendor.size().reindex(vendors, fill_value=0).to_numpy()})
    for level in range(1, 5):
        out[f"level_{level}"] = levels[level].to_numpy().astype("int64")
    out["highest_level"] = by_vendor["overall_level"].max().reindex(vendors).fillna(0).astype("int64").to_numpy()
    out["first_certificate"] = by_vendor["first_validation_date"].min().reindex(vendors).fillna("").to_numpy()
    return out


@lru_cache(maxsize=None)
def fips_scale_maximum() -> int:
    """The top FIPS 140 overall level: the highest level in the whole CMVP registry (4).

    >>> fips_scale_maximum()
    4
    """
    levels = load_levels()
    return int(levels[levels["registry"] == "cmvp"]["level"].max())


def eal_scale_maximum() -> int:
    """The top Common Criteria EAL, from the cited definition row (EAL1 to EAL7).

    >>> eal_scale_maximum()
    7
    """
    return parse_eal(eal_scale_fact().value.split(" to ")[1])


def eal_scale_fact() -> facts.Fact:
    """The cited row defining the Common Criteria assurance levels (EAL1 to EAL7)."""
    return facts.lookup("facts_certifications", entity="Common Criteria",
                        metric="evaluation_assurance_levels_defined")


def levels_reached(registry, cutoff_date) -> list:
    """The levels any certificate in ``registry`` (cmvp | cc_active) had reached by the cut-off, ascending.

    >>> levels_reached("cmvp", "2018-12-31"), levels_reached("cmvp", "1996-12-31")
    ([1, 2, 3, 4], [1, 2])
    """
    cutoff = check_cutoff(cutoff_date)
    levels = load_levels()
    reached = levels[(levels["registry"] == registry) & (levels["first_date"] <= cutoff)]
    return sorted(int(level) for level in reached["level"].unique())


def industry_best(registry, cutoff_date) -> int:
    """The highest level any certificate in ``registry`` (cmvp | cc_active) reached by the cut-off; 0 if none.

    For ``cc_active`` this is a lower bound: archived certificates are not in the active list.

    >>> industry_best("cmvp", "2018-12-31"), industry_best("cmvp", "1996-12-31")
    (4, 2)
    """
    return max(levels_reached(registry, cutoff_date), default=0)


def cc_highest(cutoff_date, vendors=VENDORS) -> pd.DataFrame:
    """Per vendor: highest EAL seen up to the cut-off in the reports seen and in the active list.

    Both sources are incomplete (a subset; active certificates only), so every
    figure is a lower bound ("0" = none seen).  Columns: vendor,
    reports_seen, eal_in_reports_seen, active_list_certificates, eal_in_active_list, highest_eal_seen.
    """
    cutoff, vendors = check_cutoff(cutoff_date), _check_vendors(vendors)
    reports = load_cc_reports()
    reports = reports[reports["document_date"] <= cutoff]
    active = load_cc_active()
    active = active[active["certification_date"] <= cutoff]

    def per_vendor(table):  # (count, highest EAL or 0) per vendor, in ``vendors`` order
        by_vendor = table[table["vendor"].isin(vendors)].groupby("vendor")
        count = by_vendor.size().reindex(vendors, fill_value=0).to_numpy().astype("int64")
        best = by_vendor["eal"].max().reindex(vendors).fillna(0).astype("int64").to_numpy()
        return count, best

    (seen, best_seen), (act, best_active) = per_vendor(reports), per_vendor(active)
    return pd.DataFrame({"vendor": list(vendors), "reports_seen": seen, "eal_in_reports_seen": best_seen,
                         "active_list_certificates": act, "eal_in_active_list": best_active,
                         "highest_eal_seen": np.maximum(best_seen, best_active)})


def cc_active_profile(vendors=VENDORS) -> pd.DataFrame:
    """Per vendor, its certificates in the active list (December 2025): how many, how many with an EAL,
    the middle half of those EALs (lower to upper quartile) and the most common product category.

    Levels are only comparable within a product class; this table shows which class each vendor's
    levels come from.

    >>> profile = cc_active_profile(["Samsung", "Ericsson"]).set_index("vendor")
    >>> profile.loc["Samsung", "middle_half_eal"], profile.loc["Ericsson", "middle_half_eal"]
    ('EAL5–EAL6', '')
    """
    vendors = _check_vendors(vendors)
    active = load_cc_active()
    rows = []
    for vendor in vendors:
        mine = active[active["vendor"] == vendor]
        eal = mine["eal"].dropna().astype(int)
        low, high = (int(eal.quantile(0.25, interpolation="lower")),
                     int(eal.quantile(0.75, interpolation="higher"))) if len(eal) else (None, None)
        counts = mine["category"].value_counts()
        common = sorted(counts.index, key=lambda c: (-counts[c], c))[0] if len(counts) else ""
        rows.append({"vendor": vendor, "certificates": len(mine), "with_eal": len(eal),
                     "middle_half_eal": "" if low is None else (f"EAL{low}" if low == high else f"EAL{low}–EAL{high}"),
                     "most_common_category": common})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Certificates and reviews (tables for the notebook)
# --------------------------------------------------------------------------------------------

def independent_certificates(cutoff_date) -> pd.DataFrame:
    """Huawei's certificates from independent labs and schemes up to the cut-off, one row per certificate.

    Columns: scheme, id, product, level, date, lab_or_body, complete_registry, line.
    CMVP rows come from the registry (complete but for the numbers in :data:`CMVP_MISSING`); CC rows from the
    reports seen (a subset).
    """
    cutoff = check_cutoff(cutoff_date)
    cmvp = load_cmvp()
    cmvp = cmvp[(cmvp["vendor"] == CLAIMANT) & (cmvp["first_validation_date"] <= cutoff)]
    rows = [{"scheme": "NIST CMVP (FIPS 140)", "id": f"#{r.certificate_number}", "product": r.module_name,
             "level": f"level {r.overall_level}", "date": r.first_validation_date, "lab_or_body": r.initial_lab,
             "complete_registry": True, "line": r.line} for r in cmvp.itertuples()]
    reports = load_cc_reports()
    reports = reports[(reports["vendor"] == CLAIMANT) & (reports["document_date"] <= cutoff)]
    rows += [{"scheme": f"Common Criteria ({r.scheme_country})", "id": r.report_id, "product": r.product,
              "level": r.assurance_level_as_stated, "date": r.document_date, "lab_or_body": r.certification_body,
              "complete_registry": False, "line": r.line} for r in reports.itertuples()]
    columns = ["scheme", "id", "product", "level", "date", "lab_or_body", "complete_registry", "line"]
    return pd.DataFrame(rows, columns=columns).sort_values(["date", "id"]).reset_index(drop=True)


def oversight_board_findings(cutoff_date) -> pd.DataFrame:
    """The UK HCSEC Oversight Board reports in the incident timeline up to the cut-off (date, event, finding, line)."""
    cutoff = check_cutoff(cutoff_date)
    entry = _manifest.get("incident_timeline")
    _, records = _read_records(entry.path, entry.key, ("date", "event", "what_was_claimed", "source_url"))
    rows = [{"date": r["date"], "event": r["event"], "finding": r["what_was_claimed"], "url": r["source_url"],
             "line": line} for line, r in records
            if "HCSEC Oversight Board" in r["event"] and r["date"] <= cutoff]
    return pd.DataFrame(rows, columns=["date", "event", "finding", "url", "line"])


def cyber_essentials_facts() -> pd.DataFrame:
    """The cited Cyber Essentials rows: what the scheme is, its tiers, and the 2018 Huawei certificate search."""
    table = facts.load_facts("facts_certifications")
    keep = table[table["entity"].str.startswith("Cyber Essentials") | (table["metric"] ==
                                                                         "cyber_essentials_plus_certificate_2018")]
    return keep[["entity", "metric", "period", "value", "unit", "source_title", "line"]].reset_index(drop=True)
