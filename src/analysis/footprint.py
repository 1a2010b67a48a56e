"""Footprint and users: "170+ countries", "30 years", "3 billion users – close to 40% of the planet".

What the data can and cannot say:

- *Countries.*  The only count is Huawei's own ("more than 170 countries **and regions**",
  annual reports 2017–2020).  Independent data give only denominators: UN member states
  (a cited fact row) and ISO 3166-1 entries (``pycountry``, checked against a cited fact row).
  A self-reported lower bound is accepted if it implies the claim's wording and does not exceed
  the chosen denominator (a count above it would be impossible).
- *Years.*  Years since the founding year (company report) to the op-ed's year; for "three
  decades" of *products* that is only an upper bound (no date of a first product in the data).
- *Users.*  The 3 billion is self-reported; "users" is undefined.  The share is
  3 billion / world population, under a chosen population source, vintage and year.

A company figure written "more than X" (or "X+") is a *strict lower bound*:
:func:`reported_bound` reads it, :func:`bound_implies` says whether it implies a claim.

>>> reported_bound("170+", "countries and regions")
(170.0, True)
>>> bound_implies(170, True, "more_than", 170), bound_implies(170, False, "more_than", 170)
(True, False)
"""
import re
from functools import lru_cache

import pandas as pd
import pycountry

from analysis import facts, population
from analysis.errors import DatasetError
from analysis.verdicts import Assessment, RuleResult, check, decide, judge, not_checkable, rounding_unit

#: facts.lookup, memoized: the fact tables are read once and Fact rows are immutable, so a
#: repeated lookup (the multiverse makes thousands) returns the same row without re-filtering.
_lookup = lru_cache(maxsize=None)(facts.lookup)

#: Definitions of "country" for the denominator: name → description.
COUNTRY_DEFINITIONS = {
    "un_members": "UN member states",
    "iso3166": "ISO 3166-1 entries (countries and territories, as shipped by pycountry)",
}
#: Huawei annual reports with a "countries and regions" row (facts_rd_spending, claim_id e).
REPORT_YEARS = (2017, 2018, 2019, 2020)
SELF_REPORTED = "self-reported: the only source is Huawei's own annual report"
AND_REGIONS = ("Huawei counts \"countries and regions\", which is not a count of countries "
               "(places that are not UN member states may be in it)")


# --- countries -------------------------------------------------------------------------------

def un_member_fact() -> facts.Fact:
    """The cited number of UN member states (193 since South Sudan joined in 2011)."""
    return _lookup("facts_population", entity="UN", metric="member_states")


def iso3166_fact() -> facts.Fact:
    """The cited number of ISO 3166-1 entries counted in one pycountry release."""
    return _lookup("facts_population", entity="ISO 3166-1", metric="entries_in_pycountry")


def iso3166_count() -> int:
    """ISO 3166-1 entries in the installed ``pycountry``, checked against the cited count when the
    installed release is the one the fact row counted (an error says if they differ).

    >>> iso3166_count()
    249
    """
    count = len(pycountry.countries)
    fact = iso3166_fact()
    counted_in = fact.period.removeprefix("pycountry ").strip()
    if _pycountry_version() == counted_in and count != fact.number():
        raise DatasetError(f"pycountry {counted_in} has {count} ISO 3166-1 entries but {fact.ref} "
                           f"says {fact.value}")
    return count


def _pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def country_denominator(definition) -> dict:
    """How many "countries" there are under ``definition``: count, label, source, note.

    >>> country_denominator("un_members")["count"]
    193
    """
    if definition == "un_members":
        fact = un_member_fact()
        return {"definition": definition, "label": COUNTRY_DEFINITIONS[definition], "count": int(fact.number()),
                "source": fact.source(), "note": f"{fact.value} since {fact.period.removeprefix('since ')}"}
    if definition == "iso3166":
        fact = iso3166_fact()
        return {"definition": definition, "label": COUNTRY_DEFINITIONS[definition], "count": iso3166_count(),
                "source": fact.source(),
                "note": f"pycountry {_pycountry_version()} (cited count: {fact.value} in {fact.period})"}
    raise ValueError(f"unknown country definition {definition!r}; choose one of {list(COUNTRY_DEFINITIONS)}")


def denominators_table() -> pd.DataFrame:
    """Every independent count of countries: definition, label, count, note, ref."""
    rows = []
    for name in COUNTRY_DEFINITIONS:
        d = country_denominator(name)
        rows.append({"definition": name, "what": d["label"], "count": d["count"], "note": d["note"],
                     "ref": d["source"].ref})
    return pd.DataFrame(rows)


def reported_bound(value, unit="") -> tuple:
    """(number, strict) for a company figure: "170+" or a unit "(more than)"/"(over)" is a strict
    lower bound; a plain number is exact (strict False).  A figure that is no lower bound
    ("nearly …", a share in words) raises ValueError.

    >>> reported_bound("3000000000", "people (more than)")
    (3000000000.0, True)
    >>> reported_bound("3000000000", "people (nearly)")
    Traceback (most recent call last):
    ...
    ValueError: '3000000000 people (nearly)' is not a lower bound
    """
    text = str(value).strip()
    strict = text.endswith("+") or bool(re.search(r"\((more than|over)\)", unit))
    if re.search(r"\((nearly|close to|almost|approx)", unit):
        raise ValueError(f"'{text} {unit}' is not a lower bound")
    try:
        return float(text.rstrip("+").replace(",", "")), strict
    except ValueError:
        raise ValueError(f"'{text} {unit}' is not a number") from None


def bound_implies(bound, strict, comparator, stated) -> bool:
    """Whether "more than ``bound``" (``strict``) or exactly ``bound`` implies the claim's rule.

    >>> bound_implies(170, True, "at_least", 170), bound_implies(169, True, "at_least", 170)
    (True, False)
    """
    if comparator == "more_than":
        return bound > stated or (strict and bound >= stated)
    if comparator == "at_least":
        return bound >= stated
    raise ValueError(f"a lower bound can only settle more_than/at_least claims, not {comparator!r}")


def self_reported_countries() -> pd.DataFrame:
    """Huawei's own "countries and regions" figure in each annual report (cited rows).

    >>> self_reported_countries()["value"].tolist()
    ['170+', '170+', '170+', '170+']
    """
    table = facts.load_facts("facts_rd_spending")
    rows = table[(table["claim_id"] == "e") & (table["metric"] == "Countries and regions of operation")]
    out = rows[["period", "value", "unit", "source_title", "quote", "line"]].copy()
    out["ref"] = [f"data/raw/rd_spending/facts.csv#L{n}" for n in out["line"]]
    return out.drop(columns="line").reset_index(drop=True)


def countries_fact(report_year) -> facts.Fact:
    """The "countries and regions" row of Huawei's ``report_year`` annual report."""
    if report_year not in REPORT_YEARS:
        raise ValueError(f"no countries row for {report_year}; choose one of {REPORT_YEARS}")
    return _lookup("facts_rd_spending", claim_id="e", entity="Huawei",
                        metric="Countries and regions of operation", period=str(report_year))


_WORDS = {"more_than": "more than", "at_least": "at least"}


def assess_countries(claim, report_year, countries_definition) -> Assessment:
    """Verdict on a "170+ / more than 170 countries" claim.

    Rule: the company's figure (a strict lower bound) must imply the claim's wording, and the
    stated count must not exceed the number of countries under ``countries_definition``
    (otherwise the claim is impossible).  Met → at best supported with caveats, since the
    count is self-reported and counts "countries and regions".
    """
    fact = countries_fact(report_year)
    bound, strict = reported_bound(fact.value, fact.unit)
    denom = _country_denominator(countries_definition)
    implied = bound_implies(bound, strict, claim.stated.comparator, claim.stated.value)
    possible = claim.stated.value <= denom["count"]
    sign = ">" if strict else "="
    op = {"more_than": ">", "at_least": "≥"}[claim.stated.comparator]
    rule = (f"reported {sign} {bound:,.0f} implies {op} {claim.stated.value:,}; "
            f"{claim.stated.value:,} ≤ {denom['count']:,} {denom['label']}")
    result = RuleResult(implied and possible, rule)
    # the most UN members "more than N countries and regions" guarantees, if every entity
    # outside the UN were among them
    other = _iso3166_count() - un_member_fact().number()
    floor = max(0, int(bound) + (1 if strict else 0) - int(other))
    reason = (f"Huawei's {report_year} annual report says {fact.value} {fact.unit} "
              f"(\"{fact.quote}\"); that {'implies' if implied else 'does not imply'} "
              f"'{_WORDS[claim.stated.comparator]} {claim.stated.value}'. {claim.stated.value} is "
              f"{claim.stated.value / denom['count']:.0%} of the {denom['count']} {denom['label']}"
              f"{'' if possible else ', more than exist'}. No independent count of the countries "
              f"where Huawei operates or sells is in the data; since {int(other)} ISO 3166-1 entries are "
              f"not UN members, the company's wording is consistent with as few as {floor} UN member states.")
    caveats = [SELF_REPORTED, AND_REGIONS]
    if claim.stated.comparator == "more_than" and "cumulative" in claim.metric:
        caveats.append("the report counts where Huawei operates now, the claim where its products "
                       "have ever been used")
    return Assessment(
        claim_id=claim.id, verdict=decide(result, caveats), measured_value=fact.value,
        stated_value=claim.stated.value, unit=fact.unit, rule=rule,
        reason=reason + " Caveat: " + "; ".join(caveats) + ".",
        vintage=f"Huawei annual report {report_year}; {denom['label']} ({denom['note']})",
        sources=[fact.source(), denom["source"]],
        parameters={"report_year": report_year, "countries_definition": countries_definition})


# --- years -----------------------------------------------------------------------------------

def founding_fact() -> facts.Fact:
    """The cited founding year of Huawei (company annual report)."""
    return _lookup("facts_rd_spending", claim_id="d", entity="Huawei", metric="Founding year")


def years_since_founding(as_of) -> int:
    """Whole years from the founding year to ``as_of`` (the op-ed's year).

    >>> years_since_founding(2019)
    32
    """
    return int(as_of) - int(founding_fact().number())


def _years_tolerance(value):
    return None if value is None or value <= 0 else float(value)


def effective_tolerance(stated, tolerance) -> float:
    """The ± band an "about" rule uses: ``tolerance`` if it is above 0, else half the rounding unit
    the stated figure implies (the convention of :func:`analysis.verdicts.check`).

    >>> effective_tolerance(40, 0.0), effective_tolerance(40, 1.5), effective_tolerance(30, -1)
    (5.0, 1.5, 5.0)
    """
    return float(tolerance) if tolerance is not None and tolerance > 0 else rounding_unit(stated) / 2


def assess_track_record(claim, years_tolerance=0.0) -> Assessment:
    """Verdict on "a track record spanning 30 years": years since founding vs the stated years.

    ``years_tolerance`` ≤ 0 uses the wording's rounding (30 → ±5 years).  The founding year is
    the company's own statement, so a met claim is supported with caveats.
    """
    fact = founding_fact()
    years = years_since_founding(claim.period)
    caveats = [f"{SELF_REPORTED} (founding year)", "\"strong\" is not measurable"]
    return judge(claim, years, unit="years", tolerance=_years_tolerance(years_tolerance),
                 reason=f"Founded in {fact.value} (Huawei annual report); by {claim.period}, the "
                        f"op-ed's year, that is {years} years.",
                 vintage=f"Huawei 2018 annual report; op-ed year {claim.period}", sources=[fact.source()],
                 caveats=caveats, parameters={"years_tolerance": years_tolerance})


def assess_product_decades(claim, years_tolerance=0.0) -> Assessment:
    """Verdict on "over the past three decades [our products have been used]".

    Proxy: years since founding, an *upper bound* on years of product use (no date of a first
    product is in the data).  If the bound fails the rule, so does the claim (not supported);
    if it passes, the claim is possible but unproven (supported with caveats).
    """
    fact = founding_fact()
    years = years_since_founding(claim.period)
    caveats = ["proxy: years since founding only bound the years of product use from above; the "
               "date of Huawei's first product (or first sale abroad) is not in the data",
               f"{SELF_REPORTED} (founding year)"]
    return judge(claim, years, unit="years (upper bound)", tolerance=_years_tolerance(years_tolerance),
                 reason=f"Huawei was founded in {fact.value}, {years} years before {claim.period}; its "
                        f"products cannot have been in use for longer.",
                 vintage=f"Huawei 2018 annual report; op-ed year {claim.period}", sources=[fact.source()],
                 caveats=caveats, parameters={"years_tolerance": years_tolerance})


# --- users -----------------------------------------------------------------------------------

def people_served_table() -> pd.DataFrame:
    """Huawei's own "people served" statements (cited rows): period, value, unit, quote, ref."""
    table = facts.load_facts("facts_population")
    rows = table[(table["entity"] == "Huawei")
                 & table["metric"].isin(["people_served", "people_with_smooth_communication"])]
    out = rows[["period", "value", "unit", "quote", "line"]].copy()
    out["ref"] = [f"data/raw/population/facts.csv#L{n}" for n in out["line"]]
    return out.drop(columns="line").sort_values("period").reset_index(drop=True)


def comparators_table() -> pd.DataFrame:
    """Cited world totals that bound what "users" can mean (GSMA unique mobile subscribers,
    ITU internet users, ITU mobile-broadband subscriptions): metric, period, value, unit, ref."""
    table = facts.load_facts("facts_population")
    rows = table[(table["entity"] == "World") & table["metric"].str.contains("_GSMA|_ITU")
                 & (table["unit"].isin(["people", "subscriptions"]))]
    out = rows[["metric", "period", "value", "unit", "source_title", "line"]].copy()
    out["value"] = out["value"].astype(float)
    out["ref"] = [f"data/raw/population/facts.csv#L{n}" for n in out["line"]]
    return out.drop(columns="line").reset_index(drop=True)


def claimed_users_fact() -> facts.Fact:
    """The op-ed's own "3 billion users" (fact row quoting the article)."""
    return _lookup("facts_population", entity="Huawei", metric="claimed_users")


# Memoized reads for the evaluators (the multiverse calls them thousands of times): each is a pure
# function of its arguments over tables read once; the evaluators only read what they return.
@lru_cache(maxsize=None)
def _country_denominator(definition) -> dict:
    return country_denominator(definition)


_iso3166_count = lru_cache(maxsize=None)(iso3166_count)


@lru_cache(maxsize=None)
def _world_population(source, year, vintage):
    return population.world_population(source, year, vintage)


def _population_source(row):
    return _population_source_cached(row["file"], int(row["line"]), row["source"], row["vintage"])


@lru_cache(maxsize=None)
def _population_source_cached(file, line, source, vintage):
    return population.source_of({"file": file, "line": line, "source": source, "vintage": vintage})


@lru_cache(maxsize=None)
def _comparators_table():
    return comparators_table()


@lru_cache(maxsize=None)
def _share_table(users):
    return share_table(users)


def _population_parameters(source, vintage, year):
    return {"population_source": source, "population_vintage": vintage, "population_year": year}


def _missing_population(source, vintage, year) -> str:
    shown = population.label({"source": source, "vintage": population.vintage_of(source, vintage)})
    return (f"{shown} has no world population for {year} in the data (World Bank 2020-04-14 ends in "
            f"2018; the WPP2019 data file starts in 2020 and only a rounded 2019 figure is cited); "
            f"choose another population_year or population_source")


@lru_cache(maxsize=None)
def _gsma_context(stated) -> str:
    """``stated`` users as a share of each cited GSMA count of unique mobile subscribers."""
    gsma = _comparators_table()
    gsma = gsma[gsma["metric"] == "unique_mobile_subscribers_GSMA"]
    return "; ".join(f"{stated / r.value:.0%} of GSMA's {r.value / 1e9:.1f} bn unique mobile "
                     f"subscribers ({r.period})" for r in gsma.itertuples())


def assess_users(claim, report_year, population_source, population_vintage, population_year) -> Assessment:
    """Verdict on "more than 3 billion users": the company's own figure for ``report_year``.

    Rule: the annual report's figure (a lower bound) implies the claim, and the claimed count is
    below the world population (chosen source, vintage, year).  At best supported with caveats:
    self-reported, and "users" is undefined.
    """
    params = {"report_year": report_year, **_population_parameters(population_source, population_vintage,
                                                                    population_year)}
    try:
        fact = _lookup("facts_population", entity="Huawei", metric="people_served",
                            period=f"{report_year} (annual report)")
    except DatasetError:
        return not_checkable(claim, f"No Huawei 'people served' figure for {report_year} is in the data "
                                    f"(facts_population has the 2017, 2018 and 2019 annual reports); no "
                                    f"independent count of Huawei users exists.",
                             vintage=f"Huawei annual report {report_year}", parameters=params)
    try:
        bound, strict = reported_bound(fact.value, fact.unit)
    except ValueError:
        return not_checkable(claim, f"Huawei's {report_year} annual report gives no count (\"{fact.quote}\"); "
                                    f"no independent count of Huawei users exists.",
                             vintage=f"Huawei annual report {report_year}", sources=[fact.source()],
                             measured=fact.value, parameters=params)
    world = _world_population(population_source, population_year, population_vintage)
    if world is None:
        return not_checkable(claim, _missing_population(population_source, population_vintage, population_year),
                             vintage=f"Huawei annual report {report_year}", sources=[fact.source()],
                             parameters=params)
    implied = bound_implies(bound, strict, claim.stated.comparator, claim.stated.value)
    possible = claim.stated.value < world["population"]
    rule = (f"reported {'>' if strict else '='} {bound:,.0f} implies > {claim.stated.value:,}; "
            f"{claim.stated.value:,} < world population {world['population']:,}")
    context = _gsma_context(claim.stated.value)
    reason = (f"Huawei's {report_year} annual report: \"{fact.quote}\" ({fact.value} {fact.unit}), which "
              f"{'implies' if implied else 'does not imply'} 'more than {claim.stated.value / 1e9:g} billion'. "
              f"No independent count exists. For scale: 3 billion is {context}.")
    caveats = [SELF_REPORTED, "\"users\" is undefined (people reached through operators' networks "
                              "built with Huawei equipment, or device owners)"]
    return Assessment(
        claim_id=claim.id, verdict=decide(RuleResult(implied and possible, rule), caveats),
        measured_value=int(bound), stated_value=claim.stated.value, unit=fact.unit, rule=rule,
        reason=reason + " Caveat: " + "; ".join(caveats) + ".",
        vintage=f"Huawei annual report {report_year}; {population.label(world)} {population_year}",
        sources=[fact.source(), _population_source(world)], parameters=params)


def share_percent(users, world) -> float:
    """``users`` as a percentage of ``world``, to 2 decimals.

    >>> share_percent(3e9, 7594270356)
    39.5
    """
    return round(users / world * 100, 2)


def share_table(users=None) -> pd.DataFrame:
    """The share of ``users`` (default: the op-ed's 3 billion) in every world-population row:
    source, vintage, year, population, basis, share_pct, label."""
    users = claimed_users_fact().number() if users is None else users
    table = population.load_world_population().copy()
    table = table[table["year"].isin([2018, 2019, 2020])]
    table["share_pct"] = [share_percent(users, p) for p in table["population"]]
    table["label"] = [f"{population.label(r)}, {r['year']}" for _, r in table.iterrows()]
    table["order"] = table["source"].map({"world_bank": 0, "un_wpp2022": 1, "un_wpp2019": 2})
    table = table.sort_values(["order", "vintage", "year"])
    return table[["source", "vintage", "year", "population", "basis", "share_pct", "label"]].reset_index(drop=True)


def _share_tolerance(value):
    return None if value is None or value <= 0 else float(value)


def assess_user_share(claim, population_source, population_vintage, population_year,
                      share_tolerance=0.0) -> Assessment:
    """Verdict on "close to 40% of the planet": 3 billion / world population × 100, rule "about 40".

    ``share_tolerance`` (percentage points) ≤ 0 uses the wording's rounding (40 → ±5 points).
    The numerator is the company's own lower bound, so a met claim is supported with caveats.
    """
    params = {**_population_parameters(population_source, population_vintage, population_year),
              "share_tolerance": share_tolerance}
    users = claimed_users_fact()
    world = _world_population(population_source, population_year, population_vintage)
    if world is None:
        return not_checkable(claim, _missing_population(population_source, population_vintage, population_year),
                             vintage=f"{population_source} {population_vintage} {population_year}",
                             sources=[users.source()], parameters=params)
    share = share_percent(users.number(), world["population"])
    everywhere = _share_table(users.number())
    tol = _share_tolerance(share_tolerance)
    met = [check(claim.stated.comparator, s, claim.stated.value, tol).holds for s in everywhere["share_pct"]]
    low, high = everywhere["share_pct"].min(), everywhere["share_pct"].max()
    side = ("below" if high < claim.stated.value else "above" if low > claim.stated.value
            else "on both sides of")
    caveats = ["the numerator is Huawei's own \"more than 3 billion\" (self-reported lower bound)"]
    if not world["basis"].startswith("mid-year"):
        caveats.append(f"population basis: {world['basis']}")
    reason = (f"3 billion / {world['population']:,} ({population.label(world)}, {population_year}, "
              f"{world['basis']}) = {share:.2f}%. Across all {len(everywhere)} source/vintage/year rows "
              f"(2018–2020) the share runs from {low:.2f}% to {high:.2f}%, {side} "
              f"{claim.stated.value:g}%; {sum(met)} of {len(met)} meet the rule at this tolerance.")
    return judge(claim, share, unit="percent", reason=reason, tolerance=tol,
                 vintage=f"{population.label(world)} ({population_year})",
                 sources=[users.source(), _population_source(world)], caveats=caveats, parameters=params)


#: Evaluators this module provides, by ledger ``method`` name (collected in :data:`analysis.audit.METHODS`).
METHODS = {
    "countries_self_reported": lambda claim, p: assess_countries(claim, p["report_year"],
                                                                 p["countries_definition"]),
    "years_since_founding": lambda claim, p: assess_track_record(claim, p["years_tolerance"]),
    "product_years_proxy": lambda claim, p: assess_product_decades(claim, p["years_tolerance"]),
    "users_self_reported": lambda claim, p: assess_users(claim, p["report_year"], p["population_source"],
                                                         p["population_vintage"], p["population_year"]),
    "users_share_of_world": lambda claim, p: assess_user_share(claim, p["population_source"],
                                                               p["population_vintage"], p["population_year"],
                                                               p["share_tolerance"]),
}
