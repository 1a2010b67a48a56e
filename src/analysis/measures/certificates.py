"""Measures over certificate registries: how many certificates a vendor held by a cut-off date,
the highest level it reached, and that level against a reference level on each scale.

Registries (:data:`REGISTRIES`): ``cmvp``, the NIST CMVP list of FIPS 140 certificates (complete but for
11 certificate numbers the snapshot's source left out, :data:`analysis.data.certifications.CMVP_MISSING`:
by a cut-off any of them can have been validated by, a figure read from it is a lower bound);
``cc_reports``, the Common Criteria certification reports seen (a hand-gathered subset); and
``cc_active``, the Common Criteria portal's active list of December 2025 (certificates since
archived are missing).  A figure read from an incomplete registry is a lower bound, and the
measurement says so (``details["lower_bound"]``).  Vendors are recognised by
:func:`analysis.data.certifications.match_vendor`; ``"any"`` means every certificate in the registry.

>>> m = certificate_count("Huawei", ["cmvp", "cc_reports"], "2018-12-31")
>>> m.value, m.details["by_registry"]
(27, {'cmvp': 17, 'cc_reports': 10})
"""
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analysis.data import certifications, facts
from analysis.data import manifest as _manifest
from analysis.measures import Measurement, register, source


@dataclass(frozen=True)
class Registry:
    """A certificate registry: what it is, the scale its levels are on, and whether it is complete."""

    label: str
    scale: str
    complete: bool
    key: str  # manifest key of the raw file the rows cite
    vintage: str


REGISTRIES = {
    "cmvp": Registry("NIST CMVP validated modules (FIPS 140)", "FIPS 140", True, "nist_cmvp_2026_04_15",  # but for CMVP_MISSING
                     "NIST CMVP registry as of 2026-04-15"),
    "cc_reports": Registry("Common Criteria certification reports seen (a subset)", "Common Criteria", False,
                           "cc_reports_seen", "Common Criteria reports seen"),
    "cc_active": Registry("Common Criteria portal, active certificates (Dec 2025)", "Common Criteria", False,
                          "cc_portal_active_2025_12", "Common Criteria active list of 2025-12"),
}


@dataclass(frozen=True)
class Scale:
    """A rating scale: the registries that hold its certificates and how its levels are written."""

    short: str
    registries: tuple
    level_text: str  # format of a level ("level {}", "EAL{}")
    reference_text: str  # format of a reference level in the comparison label
    pattern: str  # regular expression of a level in a cited text (group 1: the number)


SCALES = {
    "FIPS 140": Scale("FIPS 140", ("cmvp",), "level {}", "{}", r"level\s*([1-4])"),
    "Common Criteria": Scale("CC", ("cc_reports", "cc_active"), "EAL{}", "EAL{}", r"EAL\s*([1-7])"),
}

#: What a vendor's level is compared with (see :func:`reference_comparison`).
REFERENCES = certifications.REFERENCES


# ------------------------------------------------------------------------------------ rows

def _normalised(registry: str) -> pd.DataFrame:
    """One registry's certificates of the known vendors: vendor, level, date, line, lab, ident, url."""
    if registry == "cmvp":
        t = certifications.load_cmvp()
        return pd.DataFrame({"vendor": t["vendor"], "level": t["overall_level"].astype("Int64"),
                             "date": t["first_validation_date"], "line": t["line"], "lab": t["initial_lab"],
                             "ident": "#" + t["certificate_number"].astype(str), "url": ""})
    if registry == "cc_reports":
        t = certifications.load_cc_reports()
        return pd.DataFrame({"vendor": t["vendor"], "level": t["eal"], "date": t["document_date"],
                             "line": t["line"], "lab": t["certification_body"], "ident": t["report_id"],
                             "url": t["source_url"]})
    t = certifications.load_cc_active()
    return pd.DataFrame({"vendor": t["vendor"], "level": t["eal"], "date": t["certification_date"],
                         "line": t["line"], "lab": t["scheme"], "ident": t["product"], "url": ""})


@lru_cache(maxsize=None)
def _certificates(registry: str) -> pd.DataFrame:
    """:func:`_normalised`, read once per registry (callers only read it)."""
    return _normalised(registry)


def _check_registries(registries) -> list:
    """The registry names (one name or a list), each known; an unknown one is a LookupError."""
    names = [registries] if isinstance(registries, str) else list(registries)
    unknown = [r for r in names if r not in REGISTRIES]
    if unknown or not names:
        raise LookupError(f"unknown or no registry {unknown}; known: {', '.join(REGISTRIES)}")
    return names


def _check_vendor(vendor: str, allow_any: bool = False) -> str:
    known = certifications.VENDORS + (("any",) if allow_any else ())
    if vendor not in known:
        raise LookupError(f"unknown vendor {vendor!r}; known: {', '.join(known)}")
    return vendor


@lru_cache(maxsize=None)
def _by_vendor(registry: str) -> dict:
    """{vendor: its certificates in ``registry``, highest level first, then earliest}, sorted and split once."""
    ranked = _certificates(registry).sort_values(["level", "date"], ascending=[False, True], na_position="last")
    return {vendor: rows for vendor, rows in ranked.groupby("vendor", sort=False)}


def _vendor_rows(registry: str, vendor: str) -> pd.DataFrame:
    """One vendor's certificates in ``registry``, highest level first, then earliest (none: an empty table)."""
    found = _by_vendor(registry).get(vendor)
    return found if found is not None else _certificates(registry).iloc[0:0]


def _rows(registry: str, vendor: str, cutoff: str) -> pd.DataFrame:
    rows = _vendor_rows(registry, vendor)
    return rows[rows["date"] <= cutoff]


def _row_source(registry: str, row):
    entry = _manifest.get(REGISTRIES[registry].key)
    if registry == "cc_reports":
        return source(f"Common Criteria certification report {row['ident']} ({row['lab']})", row["url"],
                      entry.source(int(row["line"])).ref)
    return entry.source(int(row["line"]), label=REGISTRIES[registry].label)


def _registry_source(registry: str):
    return _manifest.get(REGISTRIES[registry].key).source(label=REGISTRIES[registry].label)


@lru_cache(maxsize=None)
def _best_row(registry: str, vendor: str, cutoff: str):
    """(level, row or None) of the vendor's highest certificate in ``registry`` by ``cutoff``
    (the earliest of that level); level 0 if none.  ``vendor="any"`` reads every certificate:
    from the per-year level table for the full registries (no row), from the reports for ``cc_reports``."""
    if vendor == "any" and registry != "cc_reports":
        return certifications.industry_best(registry, cutoff), None
    if vendor == "any":
        table = _certificates(registry)
        rows = table[table["date"] <= cutoff].sort_values(["level", "date"], ascending=[False, True])
        rows = rows[rows["level"].notna()]
        return (0, None) if not len(rows) else (int(rows.iloc[0]["level"]), rows.iloc[0])
    for position, (level, date) in enumerate(_ranked(registry, vendor)):  # highest level first, then earliest
        if date <= cutoff:
            return int(level), _vendor_rows(registry, vendor).iloc[position]
    return 0, None


@lru_cache(maxsize=None)
def _ranked(registry: str, vendor: str) -> tuple:
    """``(level, date)`` of the vendor's certificates with a level, in :func:`_vendor_rows` order (those
    without a level come last there, so positions agree)."""
    rows = _vendor_rows(registry, vendor)
    return tuple((level, date) for level, date in zip(rows["level"], rows["date"]) if not pd.isna(level))


def _best_on(registries, vendor: str, cutoff: str):
    """(level, [sources]) of the highest level over ``registries`` (the row cited, or the registry file)."""
    found = [(registry, *_best_row(registry, vendor, cutoff)) for registry in registries]
    level = max(level for _, level, _ in found)
    if not level:
        return 0, []
    registry, _, row = next(f for f in found if f[1] == level)
    return level, [_registry_source(registry) if row is None else _row_source(registry, row)]


def _complete(registry: str, cutoff: str) -> bool:
    """Whether ``registry`` holds every certificate dated up to ``cutoff``: a complete registry, and for
    CMVP no missing certificate number can have been validated by then."""
    if registry == "cmvp":
        return not certifications.cmvp_missing_by(cutoff)
    return REGISTRIES[registry].complete


def _missing_caveat(registries, cutoff: str) -> tuple:
    """The caveat naming the CMVP certificate numbers missing by the cut-off (none: ())."""
    missing = certifications.cmvp_missing_by(cutoff) if "cmvp" in registries else ()
    if not missing:
        return ()
    many = len(missing) > 1
    return (f"{len(missing)} CMVP certificate number{'s' if many else ''} ({', '.join(map(str, missing))}) that "
            f"may have been issued by {cutoff} {'are' if many else 'is'} missing from the snapshot, so FIPS 140 "
            f"figures up to then are lower bounds",)


def _read_from(cutoff: str) -> str:
    """Which registries each scale is read from, and whether its levels are exact or lower bounds."""
    return "; ".join(
        f"{name}: {', '.join(REGISTRIES[r].label for r in scale.registries)}"
        f"{'' if all(_complete(r, cutoff) for r in scale.registries) else ', lower bounds'}"
        for name, scale in SCALES.items())


def _vintage(registries, cutoff: str) -> str:
    return f"certificates up to {cutoff}; " + "; ".join(REGISTRIES[r].vintage for r in registries)


# ------------------------------------------------------------------------------------ measures

@register("certificates.count", "number")
def certificate_count(vendor: str, registries: list, cutoff_date: str) -> Measurement:
    """How many certificates ``vendor`` held in ``registries`` dated up to ``cutoff_date``.

    A complete registry is cited as a whole; from a subset the earliest and latest certificate
    counted are cited.  ``details``: the count per registry, the labs or certification bodies
    named, and ``lower_bound`` when a registry read is incomplete.

    >>> certificate_count("Huawei", ["cmvp"], "2014-12-31").value
    0
    """
    cutoff, vendor = certifications.check_cutoff(cutoff_date), _check_vendor(vendor)
    registries = _check_registries(registries)
    by_registry, labs, sources = {}, set(), []
    for registry in registries:
        rows = _rows(registry, vendor, cutoff).sort_values(["date", "line"])
        by_registry[registry] = len(rows)
        labs |= set(rows["lab"])
        if _complete(registry, cutoff):
            sources.append(_registry_source(registry))
        elif len(rows):
            sources += [_row_source(registry, rows.iloc[i]) for i in sorted({0, len(rows) - 1})]
    count = sum(by_registry.values())
    parts = " + ".join(f"{n} in {REGISTRIES[r].label}" for r, n in by_registry.items())
    details = {"by_registry": by_registry, "labs": sorted(labs)}
    if not all(_complete(r, cutoff) for r in registries):
        details["lower_bound"] = True
    return Measurement(
        count, "certificates", "number",
        f"{vendor}'s certificates dated up to {cutoff}: {count} ({parts}), from {len(labs)} labs or "
        f"certification bodies.",
        vintage=_vintage(registries, cutoff), sources=tuple(sources), details=details,
        caveats=_missing_caveat(registries, cutoff))


@register("certificates.highest_level", "number")
def highest_level(vendor: str, registries: list, cutoff_date: str) -> Measurement:
    """The highest level ``vendor`` reached in ``registries`` by ``cutoff_date`` (0 if none), citing the
    earliest certificate of that level.  ``vendor="any"``: the best level of any certificate.

    >>> highest_level("Huawei", ["cmvp"], "2018-12-31").value
    2
    """
    cutoff, vendor = certifications.check_cutoff(cutoff_date), _check_vendor(vendor, allow_any=True)
    registries = _check_registries(registries)
    level, sources = _best_on(registries, vendor, cutoff)
    complete = all(_complete(r, cutoff) for r in registries)
    who = "any vendor" if vendor == "any" else vendor
    return Measurement(
        level, "level", "number",
        f"Highest level {who} reached by {cutoff} in {', '.join(REGISTRIES[r].label for r in registries)}: "
        f"{level or 'none'}{'' if complete else ' (a lower bound: the registries read are incomplete)'}.",
        vintage=_vintage(registries, cutoff), sources=tuple(sources), caveats=_missing_caveat(registries, cutoff),
        details={} if complete else {"lower_bound": True})


def _claimed_level(scale: str, fact_id: str):
    """(level, Fact) a cited row gives for ``scale`` (the highest level its value names)."""
    row = facts.by_id(fact_id)
    found = [int(n) for n in re.findall(SCALES[scale].pattern, row.value)]
    if not found:
        raise LookupError(f"fact {fact_id!r} names no {scale} level: {row.value!r}")
    return max(found), row


def _scale_maximum(scale: str):
    """(top level of the scale, source): FIPS 140 from the whole registry, EAL from the cited definition."""
    if scale == "FIPS 140":
        return certifications.fips_scale_maximum(), _registry_source("cmvp")
    row = certifications.eal_scale_fact()
    return certifications.eal_scale_maximum(), row.source()


def _reference(scale: str, reference: str, peers, cutoff: str):
    """(reference level, exact?, [sources]) on ``scale``."""
    registries = SCALES[scale].registries
    complete = all(_complete(r, cutoff) for r in registries)
    if reference == "scale_maximum":
        level, cited = _scale_maximum(scale)
        return level, True, [cited]
    if reference == "industry_best":
        level, sources = _best_on(registries, "any", cutoff)
        return level, complete, sources
    best = [_best_on(registries, peer, cutoff) for peer in peers]
    level = max(level for level, _ in best)
    sources = next((s for lv, s in best if lv == level), [])
    return level, complete, sources


def _compare(level: int, best_case, reference: int, exact: bool) -> str:
    """The evidence status of one scale: reaches the reference / stays below it / cannot be decided."""
    if exact and level >= reference:
        return "independent"
    if best_case is not None and best_case < reference:
        return "others only"
    return "undocumented"


def _label(scale: Scale, level, best_case, with_claim: bool, reference, exact) -> str:
    """The comparison in words, e.g. "CC EAL3 (best case EAL5) vs EAL7"."""
    text = f"{scale.short} {scale.level_text.format(level)}"
    if with_claim:
        text += f" (best case {scale.level_text.format(best_case)})"
    if not reference:
        ref = "no certificate seen"
    elif exact:
        ref = scale.reference_text.format(reference)
    else:
        ref = f"≥ {scale.level_text.format(reference)} (lower bound)"
    return f"{text} vs {ref}"


@register("certificates.reference_comparison", "evidence")
def reference_comparison(vendor: str, cutoff_date: str, reference: str = "scale_maximum", peers: list = (),
                         claimed: dict = None) -> Measurement:
    """On each scale of :data:`SCALES`, the highest level ``vendor`` reached by ``cutoff_date`` against a
    ``reference`` level (:data:`REFERENCES`): the top of the scale, the best level of any certificate in
    the registries, or the best level of ``peers``.

    Each scale is one part, with the status ``independent`` if the vendor's level reaches an exact
    reference, ``others only`` if even its best case is below the reference, ``undocumented`` if the
    registries cannot decide.  The best case is the level reached if the registries are complete; with
    ``claimed`` ({scale: fact id}) it is raised to the level the vendor's own cited row claims (an
    upper estimate); from an incomplete registry without a claim it is unknown.  A reference from an
    incomplete registry (other than the scale maximum) is a lower bound, so it is not exact.

    >>> m = reference_comparison("Huawei", "2018-12-31", "peer_best", ["Cisco", "Juniper"])
    >>> m.value[0]  # two CMVP numbers missing by then could be peers' higher modules
    ('FIPS 140 level 2 vs ≥ level 2 (lower bound)', 'undocumented')
    """
    cutoff, vendor = certifications.check_cutoff(cutoff_date), _check_vendor(vendor)
    if reference not in REFERENCES:
        raise ValueError(f"unknown reference {reference!r}; choose one of {list(REFERENCES)}")
    peers = [_check_vendor(p) for p in peers if p != vendor]
    if reference == "peer_best" and not peers:
        raise ValueError("peer_best needs at least one peer vendor")
    claimed = claimed or {}
    unknown = sorted(set(claimed) - set(SCALES))
    if unknown:
        raise LookupError(f"claimed levels for unknown scale(s) {unknown}; scales: {', '.join(SCALES)}")
    parts, sources, caveats, scales = [], [], [], {}
    for name, scale in SCALES.items():
        complete = all(_complete(r, cutoff) for r in scale.registries)
        level, own_sources = _best_on(scale.registries, vendor, cutoff)
        claim = _claimed_level(name, claimed[name]) if name in claimed else None
        best_case = max(level, claim[0]) if claim else (level if complete else None)
        ref_level, exact, ref_sources = _reference(name, reference, peers, cutoff)
        status = _compare(level, best_case, ref_level, exact)
        parts.append((_label(scale, level, best_case, claim is not None, ref_level, exact), status))
        sources += own_sources + ref_sources + ([claim[1].source()] if claim else [])
        scales[name] = {"level": level, "best_case": best_case, "reference_level": ref_level,
                        "reference_is_exact": exact, "complete": complete, "status": status}
        if reference != "scale_maximum" and status == "independent" and level == ref_level:
            caveats.append(f"on {name} {vendor} equals the reference level, it does not exceed it")
    unique = tuple(dict.fromkeys(sources))
    return Measurement(
        tuple(parts), "highest level reached vs reference", "evidence",
        f"Highest level {vendor} reached by {cutoff} on each scale against {REFERENCES[reference]}: "
        + "; ".join(label for label, _ in parts) + f" ({_read_from(cutoff)}).",
        vintage=_vintage(tuple(REGISTRIES), cutoff), sources=unique,
        caveats=tuple(caveats) + _missing_caveat(tuple(REGISTRIES), cutoff),
        details={"comparison": "; ".join(label for label, _ in parts), "summary": "; ".join(label for label, _ in parts), "scales": scales,
                 "reference": reference, "peers": list(peers)})
