"""Events: Ebola series cleaning, NPA death toll, dating rules and the company-role evidence,
checked against the cited fact rows and the raw files; the claims through the ledger and the judge."""
import pandas as pd
import pytest
from conftest import require_raw

from analysis.claims import audit
from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Verdict
from analysis.data import ebola, events, facts
from analysis.errors import DataSchemaError
from analysis.measures import MeasureError
from analysis.report import figures


@pytest.fixture(scope="module")
def ledger():
    return load_ledger()


def sl_fact(metric):
    return facts.lookup("facts_events", claim_id="d", entity="Sierra Leone", metric=metric)


# ----------------------------------------------------------------- Ebola series

def test_cdc_raw_file_has_265_report_rows_with_the_cited_final_totals():
    require_raw("ebola_cdc")
    raw = ebola.read_cdc()
    assert len(raw) == 265  # PROVENANCE: 265 rows + one trailing ';;;;;;;;' line
    last = raw.sort_values("date").iloc[-1]
    assert last["date"] == "2016-04-13"
    assert last["cases_raw"] == sl_fact("total_cases_CDC_final").number() == 14124
    assert last["deaths_raw"] == sl_fact("total_deaths_CDC_final").number() == 3956


def test_who_raw_file_ends_on_2015_01_05():
    require_raw("ebola_who_timeseries")
    raw = ebola.read_who()
    assert raw["date"].max() == "2015-01-05"
    assert raw.loc[raw["date"] == "2015-01-05", "cases_raw"].item() == 10030


def test_renamed_column_in_the_cdc_file_is_named(tmp_path):
    from analysis.data import manifest

    require_raw("ebola_cdc")
    entry = manifest.get("ebola_cdc")
    (tmp_path / entry.file).parent.mkdir(parents=True)
    text = entry.path.read_text(encoding="utf-8-sig").replace("Total Cases, Sierra Leone", "Cases SL", 1)
    (tmp_path / entry.file).write_text(text, encoding="utf-8")
    with pytest.raises(DataSchemaError, match=r"ebola_cdc_case_counts.*'Total Cases, Sierra Leone'"):
        ebola.read_cdc(raw_dir=tmp_path)


def test_clean_cumulative_rules():
    assert ebola.clean_cumulative(pd.Series([0, 6, 0, 0, 1])).tolist() == ["", "isolated spike", "", "", ""]
    assert ebola.clean_cumulative(pd.Series([5, 9, 7, 8, 10])).tolist() == ["", "isolated spike", "", "", ""]
    # a lasting downward step (reclassification): the earlier, higher values are superseded
    assert ebola.clean_cumulative(pd.Series([5, 9, 10, 7, 8, 12])).tolist() == ["", "superseded", "superseded",
                                                                                  "", "", ""]
    assert ebola.clean_cumulative(pd.Series([2, 3, float("nan"), 1, 4])).tolist() == ["", "", "", "isolated dip", ""]


def test_cdc_duplicates_typos_and_reclassification_are_fixed_as_documented():
    cdc = ebola.series("cdc")
    dup = cdc[cdc["fix_cases"] == "duplicate date"]
    assert dup["date"].tolist() == ["2015-04-19", "2015-05-03", "2015-06-30"]  # PROVENANCE's three dates
    kept = cdc[(cdc["date"] == "2015-04-19") & (cdc["fix_cases"] == "")]
    assert kept["cases"].item() == 12267  # the larger report version
    typo = cdc[cdc["date"] == "2015-09-17"].iloc[0]
    assert (typo["cases_raw"], typo["fix_cases"]) == (13573, "isolated dip")
    early = cdc[cdc["date"] == "2014-03-27"].iloc[0]
    assert (early["cases_raw"], early["deaths_raw"], early["fix_cases"]) == (6, 5, "isolated spike")
    assert cdc[cdc["date"].isin(["2014-10-29", "2014-10-31"])]["fix_cases"].tolist() == ["superseded"] * 2
    for name in ebola.SERIES:
        part = ebola.series(name)
        for column in ("cases", "deaths"):
            assert part[column].dropna().is_monotonic_increasing
    assert len(cdc) == 265 and cdc["date"].is_monotonic_increasing


def test_fix_counts_and_dropped_points_agree():
    counts = ebola.fix_counts()
    assert counts.loc["cdc"].to_dict() == {
        "cases": {"duplicate date": 3, "isolated spike": 4, "isolated dip": 1, "superseded": 2, "kept": 255},
        "deaths": {"duplicate date": 3, "isolated spike": 4, "isolated dip": 0, "superseded": 5, "kept": 253}}
    dropped = ebola.dropped_points("cdc")
    assert len(dropped) == counts.loc["cdc"].drop("kept").to_numpy().sum() == 22


def test_gho_snapshots_match_the_cited_who_totals():
    gho = ebola.load_gho()
    main = gho[(gho["episode"] == "main outbreak") & (gho["case_definition"] == "Total")]
    assert set(main["cases"]) == {sl_fact("total_cases_WHO_GHO").number()}
    assert set(main["deaths"]) == {sl_fact("total_deaths_WHO_GHO").number()}
    confirmed = gho[(gho["episode"] == "main outbreak") & (gho["case_definition"] == "Confirmed")]
    assert set(confirmed["cases"]) == {sl_fact("confirmed_cases_at_declaration").number()}
    flare = gho[(gho["episode"] == "flare-up") & (gho["case_definition"] == "Total")]
    assert flare["as_of"].tolist() == ["2016-01-31", "2016-03-17"] and set(flare["cases"]) == {2}


def test_outbreak_dates_under_each_definition():
    assert ebola.outbreak_start("who_first_confirmed")[0] == "2014-05-26"
    assert ebola.outbreak_start("pmc_first_diagnosis")[0] == "2014-03-25"  # the caption's '25 March 2014'
    assert ebola.outbreak_start("series_first_case", "cdc")[0] == "2014-05-27"
    assert ebola.outbreak_start("series_first_case", "who")[0] == "2014-05-27"
    assert ebola.outbreak_end("end_of_transmission")[0] == "2015-11-07"
    assert ebola.outbreak_end("flare_up_end")[0] == "2016-03-17"
    with pytest.raises(ValueError, match="unknown end definition 'surveillance'"):
        ebola.outbreak_end("surveillance")
    with pytest.raises(ValueError, match="unknown Ebola series 'moh'"):
        ebola.series("moh")


def test_ebola_range_verdict_moves_with_the_end_definition(ledger):
    claim = ledger.claim("ebola-sierra-leone-2014-2016")
    params = claim.parameters
    a = audit.assess_claim(claim, params)
    assert (a.verdict, a.measured_value) == (Verdict.SUPPORTED_WITH_CAVEATS, "2014-05-26/2016-03-17")
    assert audit.measurement_of(claim, params).details["end_dates"]["end_of_transmission"] == "2015-11-07"
    b = audit.assess_claim(claim, {**params, "ebola_end": "end_of_transmission"})
    assert (b.verdict, b.rule) == (Verdict.NOT_SUPPORTED, "2014–2015 vs stated 2014–2016")
    c = audit.assess_claim(claim, {**params, "ebola_start": "pmc_first_diagnosis"})
    assert c.verdict is Verdict.SUPPORTED_WITH_CAVEATS and c.measured_value.startswith("2014-03-25")
    d = audit.assess_claim(claim, {**params, "ebola_start": "series_first_case", "ebola_series": "who"})
    assert d.sources[0].ref.startswith("data/raw/events/ebola_who_country_timeseries")


# ----------------------------------------------------------------- Japan

def test_noaa_japan_2011_matches_the_cited_row():
    cited = facts.lookup("facts_events", claim_id="c", metric="earthquake_deaths_NGDC_NOAA")
    row = events.noaa_japan_deaths(2011)
    assert row["deaths"] == cited.number() == 18463 and row["line"] == 21301


def test_noaa_build_from_raw_keeps_japan_rows_with_deaths():
    require_raw("earthquake_deaths_noaa")
    built = events.build_noaa_japan()
    assert (built["entity"] == "Japan").all() and (built["deaths"] > 0).all()
    assert built.loc[built["year"] == 2016, "deaths"].item() == 50


def test_quake_toll_table_and_the_parameter_choices(ledger):
    toll = events.quake_toll_table()
    assert toll.loc[toll["as_of"] == "2011-06-20", ["deaths", "missing"]].values.tolist() == [[15467, 7482]]
    assert toll.loc[toll["as_of"] == "2019-03-01", "derived"].item()
    assert toll["as_of"].isna().sum() == 1  # the row whose year is uncertain
    assert list(ledger.notebooks["06_events"].parameters["quake_toll_as_of"].choices) == events.toll_dates()


def test_quake_deaths_verdict_under_each_date(ledger):
    claim = ledger.claim("japan-quake-deaths-15000")
    a = audit.assess_claim(claim, claim.parameters)
    assert (a.verdict, a.measured_value, a.rule) == (Verdict.SUPPORTED, 15895, "15,895 > 15,000")
    assert a.sources[0].ref == "data/raw/events/facts.csv#L29"
    derived = audit.assess_claim(claim, {"quake_toll_as_of": "2019-03-01"})
    assert derived.verdict is Verdict.SUPPORTED_WITH_CAVEATS
    assert audit.measurement_of(claim, {"quake_toll_as_of": "2019-03-01"}).details["derived"]
    assert audit.assess_claim(claim, {"quake_toll_as_of": "2011-06-20"}).measured_value == 15467
    with pytest.raises(MeasureError, match="no tohoku_2011 figure dated '2011-03-12'"):
        audit.assess_claim(claim, {"quake_toll_as_of": "2011-03-12"})


def test_month_claims(ledger):
    cave = audit.assess_claim(ledger.claim("thai-cave-june-2018"), {})
    assert (cave.verdict, cave.measured_value) == (Verdict.SUPPORTED, "2018-06")
    assert events.fact_month(events.fact("b", "team_entered_cave")) == "2018-06"
    quake = audit.assess_claim(ledger.claim("japan-quake-march-2011"), {})
    assert (quake.verdict, quake.measured_value) == (Verdict.SUPPORTED, "2011-03")
    assert quake.sources[0].ref == events.fact("c", "earthquake_datetime").ref


def test_meltdown_is_supported_with_caveats(ledger):
    claim = ledger.claim("fukushima-meltdown")
    a = audit.assess_claim(claim, {})
    assert (a.verdict, a.measured_value, a.rule) == (Verdict.SUPPORTED_WITH_CAVEATS, 3.0, "3 ≥ 1")
    melt = events.fact("c", "reactors_with_meltdown")
    assert a.sources == [melt.source()] and melt.unit == "reactors (of 6)"
    # the meltdowns are dated in the month of the earthquake
    assert events.fact_month(melt) == events.fact_month(events.fact("c", "earthquake_datetime"))


# ----------------------------------------------------------------- company role

def test_own_source_rule_on_the_role_rows():
    assert facts.is_own_source(events.fact("d", "staff_stayed_claim_company_source"), "Huawei")  # huawei.com
    assert facts.is_own_source(events.fact("b", "cave_role_company_account"), "Huawei")  # huaweihub.com.au
    assert not facts.is_own_source(events.fact("c", "japan_role_2011_contemporary"), "Huawei")  # chinadaily


def test_role_claims(ledger):
    def assessed(claim_id):
        claim = ledger.claim(claim_id)
        return audit.assess_claim(claim, {}), audit.measurement_of(claim, {})

    cave, cave_m = assessed("thai-cave-huawei-network")
    assert (cave.verdict, cave.measured_value) == (Verdict.CONFLICTING, "contested; others only")
    rows = pd.DataFrame(cave_m.details["rows"])
    assert rows.loc[rows["credits_entity"], "self_reported"].tolist() == [True]  # only Huawei's own source
    japan, _ = assessed("japan-huawei-stayed")
    assert (japan.verdict, japan.measured_value) == (Verdict.SUPPORTED_WITH_CAVEATS, "independent; undocumented")
    sierra, sierra_m = assessed("ebola-huawei-staff-remained")
    assert (sierra.verdict, sierra.measured_value) == (Verdict.SELF_REPORTED, "self-reported only")
    assert [r["provider"] for r in sierra_m.details["rows"] if r["part"] == "context"] == ["MTN (contrast)"]
    assert [s.ref for s in sierra.sources] == ["data/raw/events/facts.csv#L19", "data/raw/events/facts.csv#L20"]


# ----------------------------------------------------------------- notebook level

def test_notebook_defaults_and_a_parameter_change(ledger):
    default = {a.claim_id: a.verdict for a in audit.assess_notebook("06_events", {}, ledger)}
    assert default == {
        "thai-cave-june-2018": Verdict.SUPPORTED, "thai-cave-huawei-network": Verdict.CONFLICTING,
        "japan-quake-march-2011": Verdict.SUPPORTED, "japan-quake-deaths-15000": Verdict.SUPPORTED,
        "fukushima-meltdown": Verdict.SUPPORTED_WITH_CAVEATS,
        "japan-huawei-stayed": Verdict.SUPPORTED_WITH_CAVEATS,
        "ebola-sierra-leone-2014-2016": Verdict.SUPPORTED_WITH_CAVEATS,
        "ebola-huawei-staff-remained": Verdict.SELF_REPORTED}
    moved = {a.claim_id: a for a in audit.assess_notebook(
        "06_events", {"ebola_end": "end_of_transmission", "quake_toll_as_of": "2012-09-12"}, ledger)}
    assert moved["ebola-sierra-leone-2014-2016"].verdict is Verdict.NOT_SUPPORTED
    assert moved["japan-quake-deaths-15000"].measured_value == 15870


def test_charts_describe_their_data():
    chart = figures.dated_values_chart(["2011-06-20", "2018-03-01"], [15467, 15895], 15000, "deaths", "toll",
                                       highlight_index=1, reference=(18463, "NOAA"))
    assert "2011-06-20: 15,467; 2018-03-01: 15,895" in chart.alt and chart.png().startswith(b"\x89PNG")
    chart = figures.timeline_chart([("entered", "2018-06-23", "2018-06-23")], ("2018-06-01", "2018-06-30"), "cave")
    assert "entered: 2018-06-23" in chart.alt
