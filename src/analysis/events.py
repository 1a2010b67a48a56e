"""Events the op-ed cites: Tham Luang cave (2018), the Tōhoku earthquake and Fukushima (2011),
Ebola in Sierra Leone (2014–2016), and Huawei's role in each.

Three kinds of check:

- *Dates* ("in June 2018", "March 2011", "from 2014-2016"): the month or years of
  a cited fact row compared with the stated ones (``equals`` / ``within_range``).
- *The death toll* ("more than 15,000"): the Japanese National Police Agency's
  confirmed deaths as of a chosen date of figure (cited rows), with the
  NOAA/NGDC annual total (dead and missing) beside it.
- *Huawei's role* (qualitative): a rule over the cited rows that bear on each part
  (:data:`EVIDENCE`, :func:`evidence_verdict`): who the row credits, and whether its
  source is the company's own (its web address names the company) or independent.

>>> toll = quake_toll_table()
>>> toll.loc[toll["as_of"] == "2018-03-01", "deaths"].item()
15895.0
"""
import re
from functools import lru_cache
from urllib.parse import urlparse

import pandas as pd

from analysis import ebola, facts, paths, tables
from analysis import manifest as _manifest
from analysis.errors import DataSchemaError, DatasetError
from analysis.verdicts import Assessment, Verdict, check, judge

#: facts.lookup, memoized: the fact tables are read once and Fact rows are immutable, so a
#: repeated lookup (the multiverse makes thousands) returns the same row without re-filtering.
_lookup = lru_cache(maxsize=None)(facts.lookup)

FACTS = "facts_events"
NOAA_KEY = "earthquake_deaths_noaa"
NOAA_FILE = "earthquake_deaths_japan.csv"
NOAA_LABEL = "NOAA NGDC/WDS Significant Earthquake Database, annual deaths by country (via OWID)"
#: Publishers whose pages count as primary sources on the Fukushima accident (none is cited yet).
FUKUSHIMA_PRIMARY_HOSTS = ("iaea.org", "tepco.co.jp", "nra.go.jp", "meti.go.jp")

#: The cited rows that bear on each part of a qualitative claim about a company's role:
#: claim id → (claim group in facts.csv, [(part of the claim, [fact metrics])]).  A row whose
#: ``entity`` is the claim's entity credits it; any other entity is another provider of the same thing.
EVIDENCE = {
    "thai-cave-huawei-network": ("b", [
        ("communications for the rescue at the cave (who provided what)",
         ["cave_role_company_account", "mobile_base_station_vehicles", "operators_coordinated",
          "wifi_at_cave_entrance"]),
        ("a link deep inside the cave",
         ["field_telephone_line_in_cave", "fibre_line_attempt"]),
    ]),
    "japan-huawei-stayed": ("c", [
        ("Huawei teams restoring networks after the disaster",
         ["japan_role_2011_contemporary", "japan_base_stations_restored_claim"]),
        ("staff stayed behind (did not leave)", []),
    ]),
    "ebola-huawei-staff-remained": ("d", [
        ("Huawei staff stayed in Sierra Leone during the outbreak",
         ["staff_stayed_claim_company_source"]),
    ]),
}
#: Cited rows shown as context for a claim but not counted (e.g. another firm elsewhere).
CONTEXT = {"ebola-huawei-staff-remained": ("d", ["foreign_staff_left_Liberia"])}


# --------------------------------------------------------------------------- dates

def fact(claim_group, metric, **match):
    """One ``facts_events`` row by claim group and metric (plus any other column)."""
    return _lookup(FACTS, claim_id=claim_group, metric=metric, **match)


def fact_month(row) -> str:
    """The ``YYYY-MM`` a dating fact row gives (from its ``period``).

    >>> fact_month(fact("b", "team_entered_cave"))
    '2018-06'
    """
    found = re.search(r"\d{4}-\d{2}", row.period)
    if not found:
        raise DatasetError(f"{row.ref}: period {row.period!r} holds no YYYY-MM date")
    return found.group(0)


def cave_timeline() -> pd.DataFrame:
    """The dated Tham Luang rows (entry, discovery, rescuer's death, extraction) in date order."""
    table = facts.load_facts(FACTS)
    rows = table[(table["claim_id"] == "b") & (table["entity"] == "Tham Luang")
                 & table["unit"].str.startswith("date")]
    out = pd.DataFrame({"event": rows["metric"], "from": rows["period"].str[:10],
                        "to": rows["period"].str[-10:], "source": rows["source_title"],
                        "ref": [f"data/raw/{_manifest.get(FACTS).file}#L{n}" for n in rows["line"]]})
    return out.sort_values("from").reset_index(drop=True)


def assess_month(claim, claim_group, metric) -> Assessment:
    """A "happened in month M" claim against the month of a cited dating row (rule: equal months)."""
    row = fact(claim_group, metric)
    month = fact_month(row)
    return judge(claim, month, unit="date", vintage=f"cited row ({row.source_title})", sources=[row.source()],
                 reason=f"The cited source dates it {row.period} ({row.metric.replace('_', ' ')}), "
                        f"i.e. {month}.")


def assess_quake_date(claim) -> Assessment:
    """"The March 2011 earthquake": the NPA's date of the earthquake, and the NOAA year as a check."""
    assessment = assess_month(claim, "c", "earthquake_datetime")
    noaa = noaa_japan_deaths(int(fact_month(fact("c", "earthquake_datetime"))[:4]))
    assessment.reason += (f" The NOAA/NGDC file records {noaa['deaths']:,.0f} earthquake deaths in Japan in "
                          f"{int(noaa['year'])}; it is annual, so it confirms the year only.")
    assessment.sources.append(_manifest.get(NOAA_KEY).source(int(noaa["line"]), label=NOAA_LABEL))
    return assessment


# --------------------------------------------------------------------------- death toll

def _as_of(period):
    """The ISO date (or month) of an "as of ..." period; None if the period gives no year.

    >>> _as_of("as of 2023-03 (reported 2023-03-09)"), _as_of("as of 3月1日 (year uncertain)")
    ('2023-03', None)
    """
    found = re.match(r"as of (\d{4}-\d{2}(?:-\d{2})?)", period)
    return found.group(1) if found else None


def quake_toll_table() -> pd.DataFrame:
    """NPA confirmed deaths and missing by date of figure (cited rows), oldest first.

    Columns: as_of (None if the row's date is uncertain), deaths, missing, derived (computed
    from a later report, not quoted), source, ref.
    """
    table = facts.load_facts(FACTS)
    jp = table[(table["claim_id"] == "c") & (table["entity"] == "Japan")]
    rows = []
    for _, r in jp[jp["metric"].str.startswith("deaths_NPA")].iterrows():
        derived = r["metric"].endswith("_DERIVED")
        missing = jp[(jp["metric"] == ("missing_NPA_DERIVED" if derived else "missing_NPA"))
                     & (jp["period"].str[:13] == r["period"][:13])]
        rows.append({"as_of": _as_of(r["period"]), "period": r["period"], "metric": r["metric"],
                     "deaths": float(r["value"]),
                     "missing": float(missing["value"].iloc[0]) if len(missing) == 1 else float("nan"),
                     "derived": derived, "source": r["source_title"],
                     "ref": f"data/raw/{_manifest.get(FACTS).file}#L{r['line']}"})
    out = pd.DataFrame(rows)
    out["dead_and_missing"] = out["deaths"] + out["missing"]
    return out.sort_values("as_of", na_position="last").reset_index(drop=True)


def toll_dates() -> list:
    """The dates of figure a toll can be checked at (rows with a known date)."""
    return [d for d in quake_toll_table()["as_of"] if d is not None and d == d]


def build_noaa_japan(raw_dir=None) -> pd.DataFrame:
    """The NOAA/NGDC (OWID) rows for Japan with at least one death: the processed table.

    Columns: entity, year, deaths, line (line of the raw file).
    """
    entry = _manifest.get(NOAA_KEY)
    path = (raw_dir or paths.RAW) / entry.file
    if not path.is_file():
        raise DatasetError(f"{path} is missing: run `python -m analysis fetch {NOAA_KEY}`")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw["line"] = range(2, len(raw) + 2)
    column = "Earthquake deaths (NGDC-NOAA)"
    for name in ("Entity", "Year", column):
        if name not in raw.columns:
            raise DataSchemaError(f"{path}: expected a column {name!r}; columns are {list(raw.columns)}")
    japan = raw[raw["Entity"] == "Japan"]
    out = pd.DataFrame({"entity": japan["Entity"], "year": japan["Year"].astype(int),
                        "deaths": pd.to_numeric(japan[column]), "line": japan["line"]})
    return out[out["deaths"] > 0].reset_index(drop=True)


@lru_cache(maxsize=None)
def load_noaa_japan() -> pd.DataFrame:
    """The processed NOAA/NGDC Japan table from ``data/processed``."""
    return tables.read_processed(NOAA_FILE)


def noaa_japan_deaths(year) -> pd.Series:
    """The NOAA/NGDC Japan row for ``year`` (an error if it has no deaths that year)."""
    table = load_noaa_japan()
    rows = table[table["year"] == year]
    if len(rows) != 1:
        raise LookupError(f"no NOAA/NGDC earthquake deaths for Japan in {year}")
    return rows.iloc[0]


# Memoized for the evaluators (the multiverse calls them many times): pure functions of
# their arguments over tables read once; the evaluator only reads what they return.
@lru_cache(maxsize=None)
def _quake_toll_table() -> pd.DataFrame:
    return quake_toll_table()


@lru_cache(maxsize=None)
def _noaa_japan_deaths(year) -> pd.Series:
    return noaa_japan_deaths(year)


def assess_quake_deaths(claim, as_of) -> Assessment:
    """"Killing more than 15,000": NPA confirmed deaths as of the date of figure ``as_of``.

    A derived figure (computed from a later report) is a caveat.  The NOAA/NGDC total
    and the toll at every other date are reported beside it.
    """
    table = _quake_toll_table()
    rows = table[table["as_of"] == as_of]
    if len(rows) != 1:
        raise ValueError(f"no NPA toll dated {as_of!r}; choose one of {toll_dates()}")
    row = rows.iloc[0]
    measured = int(row["deaths"])
    caveats = []
    if row["derived"]:
        caveats.append("the figure is derived from the next year's report, not quoted")
    dated = table[table["as_of"].notna()]
    holds_all = all(d > claim.stated.value for d in dated["deaths"])
    noaa = _noaa_japan_deaths(2011)
    missing = f" ({row['missing']:,.0f} still missing)" if row["missing"] == row["missing"] else ""
    reason = (f"The National Police Agency counted {measured:,} confirmed deaths as of {as_of}{missing}. Every dated NPA figure from {dated['as_of'].iloc[0]} "
              f"to {dated['as_of'].iloc[-1]} is {'above' if holds_all else 'not always above'} "
              f"{claim.stated.value:,} (range {dated['deaths'].min():,.0f}–{dated['deaths'].max():,.0f}); "
              f"disaster-related (indirect) deaths are excluded. The NOAA/NGDC total for 2011, "
              f"{noaa['deaths']:,.0f}, is close to NPA dead plus missing, not confirmed deaths.")
    fact_row = _lookup(FACTS, claim_id="c", entity="Japan", metric=row["metric"], period=row["period"])
    return judge(claim, measured, unit="deaths", reason=reason, caveats=caveats,
                 vintage=f"NPA figure as of {as_of}", parameters={"quake_toll_as_of": as_of},
                 sources=[fact_row.source(), _manifest.get(NOAA_KEY).source(int(noaa["line"]), label=NOAA_LABEL)])


# --------------------------------------------------------------------------- Fukushima

def assess_meltdown(claim) -> Assessment:
    """"Causing the Fukushima Daiichi nuclear reactor to melt down": the cited count of units
    with meltdown (rule: at least one), the accident's INES rating and date as support.

    Caveats: a count above one (the singular understates it), and no primary (IAEA, TEPCO,
    regulator) source among the cited rows.
    """
    melt = fact("c", "reactors_with_meltdown")
    ines = fact("c", "INES_level_raised_to_7")
    quake_month = fact_month(fact("c", "earthquake_datetime"))
    count = int(melt.number())
    of_units = re.search(r"of (\d+)", melt.unit)
    holds = count >= 1 and fact_month(melt) == quake_month
    caveats = []
    if count > 1:
        caveats.append(f"the singular 'reactor' understates it: {count}"
                       + (f" of {of_units.group(1)}" if of_units else "") + " reactors melted down")
    hosts = [urlparse(r.source_url).hostname or "" for r in (melt, ines)]
    if not any(h.endswith(p) for h in hosts for p in FUKUSHIMA_PRIMARY_HOSTS):
        caveats.append("only secondary sources are cited (an advocacy page for the meltdown count, "
                       "a press summary for the INES rating); IAEA/TEPCO pages are missing")
    verdict = (Verdict.SUPPORTED_WITH_CAVEATS if caveats else Verdict.SUPPORTED) if holds else Verdict.NOT_SUPPORTED
    reason = (f"Cited rows: meltdown in {count} reactors in {fact_month(melt)}, the month of the earthquake "
              f"({quake_month}); the accident was rated INES level {ines.value} on {ines.period}.")
    if caveats:
        reason += " Caveat: " + "; ".join(caveats) + "."
    return Assessment(claim_id=claim.id, verdict=verdict, measured_value=f"{count} reactors",
                      stated_value=claim.stated.value, unit="reactors", rule=f"{count} reactors ≥ 1",
                      reason=reason, vintage="cited rows (secondary sources)",
                      sources=[melt.source(), ines.source()])


# --------------------------------------------------------------------------- company role

def is_self_reported(source_url, entity) -> bool:
    """Whether a source is the entity's own: its web address names the entity.

    >>> is_self_reported("http://huaweihub.com.au/seven-day", "Huawei")
    True
    >>> is_self_reported("https://viodi.com/2018/07/24/x", "Huawei")
    False
    """
    host = urlparse(source_url).hostname or ""
    return re.sub(r"[^a-z0-9]", "", entity.lower()) in host.replace("-", "")


def evidence_table(claim) -> pd.DataFrame:
    """The cited rows bearing on each part of a company-role claim, classified.

    Columns: part, metric, provider (the row's entity), credits_entity, self_reported, what
    (the row's value), period, source, url, quote, ref; context rows (not counted) have part "context".
    """
    group, parts = EVIDENCE[claim.id]
    table = facts.load_facts(FACTS)
    rows = []
    extra = [("context", CONTEXT[claim.id][1])] if claim.id in CONTEXT else []
    for part, metrics in [*parts, *extra]:
        for metric in metrics:
            r = table[(table["claim_id"] == group) & (table["metric"] == metric)]
            if len(r) != 1:
                raise DatasetError(f"{_manifest.get(FACTS).file}: expected one row with metric {metric!r} "
                                   f"in claim group {group!r}, found {len(r)}")
            r = r.iloc[0]
            rows.append({"part": part, "metric": metric, "provider": r["entity"], "credits_entity": r["entity"] == claim.entity,
                         "self_reported": is_self_reported(r["source_url"], claim.entity),
                         "what": r["value"], "period": r["period"], "source": r["source_title"],
                         "url": r["source_url"], "quote": r["quote"],
                         "ref": f"data/raw/{_manifest.get(FACTS).file}#L{r['line']}"})
        if not metrics:
            rows.append({"part": part, "metric": "", "provider": "", "credits_entity": False, "self_reported": False,
                         "what": "(no cited row)", "period": "", "source": "", "url": "", "quote": "", "ref": ""})
    return pd.DataFrame(rows)


#: The status of one part of a role claim, from its rows (see :func:`part_status`).
PART_STATUSES = ("independent", "self-reported only", "contested", "others only", "undocumented")


def part_status(rows) -> str:
    """The status of one part, from its classified rows (``evidence_table`` rows):

    - ``independent``: an independent source credits the entity;
    - ``contested``: only the entity's own sources credit it, and independent sources credit others;
    - ``self-reported only``: only the entity's own sources credit it, no other provider is cited;
    - ``others only``: no row credits the entity, rows credit others;
    - ``undocumented``: no cited row.
    """
    rows = rows[rows["ref"] != ""]
    credits, own = rows["credits_entity"].astype(bool), rows["self_reported"].astype(bool)
    credit = rows[credits]
    others = rows[~credits & ~own]
    if (credits & ~own).any():
        return "independent"
    if len(credit):
        return "contested" if len(others) else "self-reported only"
    return "others only" if len(others) else "undocumented"


def evidence_verdict(statuses) -> Verdict:
    """The verdict over a claim's parts: any part contested or credited only to others →
    CONFLICTING (NOT_SUPPORTED if no part credits the entity at all); every part undocumented →
    NOT_CHECKABLE; every part independent → SUPPORTED; otherwise SUPPORTED_WITH_CAVEATS.

    >>> evidence_verdict(["independent", "undocumented"]).value
    'supported with caveats'
    >>> evidence_verdict(["contested", "others only"]).value
    'conflicting'
    """
    statuses = list(statuses)
    credited = {"independent", "self-reported only", "contested"}
    if not any(s in credited for s in statuses) and "others only" in statuses:
        return Verdict.NOT_SUPPORTED
    if "contested" in statuses or "others only" in statuses:
        return Verdict.CONFLICTING
    if all(s == "undocumented" for s in statuses):
        return Verdict.NOT_CHECKABLE
    if all(s == "independent" for s in statuses):
        return Verdict.SUPPORTED
    return Verdict.SUPPORTED_WITH_CAVEATS


def assess_role(claim) -> Assessment:
    """A company-role claim ("Huawei engineers helped …", "Huawei stayed behind …") by the rule of
    :func:`evidence_verdict` over the cited rows of :data:`EVIDENCE`."""
    table = evidence_table(claim)
    counted = table[table["part"] != "context"]
    statuses = {part: part_status(rows) for part, rows in counted.groupby("part", sort=False)}
    verdict = evidence_verdict(statuses.values())
    described = []
    for part, status in statuses.items():
        rows = counted[(counted["part"] == part) & (counted["ref"] != "")]
        providers = [f"{p} per {urlparse(u).hostname} ({'own source' if s else 'independent source'})"
                     for p, u, s in zip(rows["provider"], rows["url"], rows["self_reported"])]
        described.append(f"'{part}': {status}" + (f" [{'; '.join(providers)}]" if providers else ""))
    context = table[table["part"] == "context"]
    reason = ("Parts of the claim and the cited rows on each: " + " · ".join(described) + ".")
    if len(context):
        reason += " Context, not counted: " + "; ".join(f"{p}: {w} ({per})" for p, w, per in
                                                         zip(context["provider"], context["what"],
                                                             context["period"])) + "."
    sources = [fact(EVIDENCE[claim.id][0], m).source() for m in table.loc[table["ref"] != "", "metric"]]
    return Assessment(claim_id=claim.id, verdict=verdict, measured_value="; ".join(statuses.values()),
                      stated_value=claim.stated.value, unit="", rule="evidence rule over cited rows "
                      "(analysis.events.evidence_verdict)", reason=reason,
                      vintage="cited rows in data/raw/events/facts.csv", sources=sources)


# --------------------------------------------------------------------------- Ebola dates

# Memoized for the multiverse: (date, Source) pairs, pure functions of the definitions over cited rows.
_outbreak_start = lru_cache(maxsize=None)(ebola.outbreak_start)
_outbreak_end = lru_cache(maxsize=None)(ebola.outbreak_end)


def assess_ebola_range(claim, start, end, series_name="cdc") -> Assessment:
    """"From 2014-2016": the outbreak's first and last dates under the chosen definitions
    (:data:`analysis.ebola.START_DEFINITIONS`, :data:`~analysis.ebola.END_DEFINITIONS`), rule
    ``within_range`` (both years equal the stated ones).  If changing either definition alone
    would change the outcome, that is a caveat naming the other definition.
    """
    first, first_src = _outbreak_start(start, series_name)
    last, last_src = _outbreak_end(end)
    holds = check(claim.stated.comparator, f"{first}/{last}", claim.stated.value).holds
    flips = []
    for other in ebola.START_DEFINITIONS:
        date = _outbreak_start(other, series_name)[0]
        if check(claim.stated.comparator, f"{date}/{last}", claim.stated.value).holds != holds:
            flips.append(f"start definition {other} ({date})")
    for other in ebola.END_DEFINITIONS:
        date = _outbreak_end(other)[0]
        if check(claim.stated.comparator, f"{first}/{date}", claim.stated.value).holds != holds:
            flips.append(f"end definition {other} ({date})")
    caveats = [f"the years {'would not' if holds else 'would'} match under another defensible definition: "
               + ", ".join(flips)] if flips else []
    reason = f"First date ({start}): {first}; last date ({end}): {last}."
    return judge(claim, f"{first}/{last}", unit="date", reason=reason, caveats=caveats,
                 vintage=f"cited rows; {ebola.SERIES[series_name][1]}", sources=[first_src, last_src],
                 parameters={"ebola_start": start, "ebola_end": end, "ebola_series": series_name})


#: Evaluators this module provides, by ledger ``method`` name (collected in :data:`analysis.audit.METHODS`).
METHODS = {
    "cave_entrapment_month": lambda claim, p: assess_month(claim, "b", "team_entered_cave"),
    "quake_month": lambda claim, p: assess_quake_date(claim),
    "quake_deaths_npa": lambda claim, p: assess_quake_deaths(claim, p["quake_toll_as_of"]),
    "fukushima_meltdown": lambda claim, p: assess_meltdown(claim),
    "company_role_evidence": lambda claim, p: assess_role(claim),
    "ebola_outbreak_years": lambda claim, p: assess_ebola_range(claim, p["ebola_start"], p["ebola_end"],
                                                                p["ebola_series"]),
}
