"""Ownership measures on small ownership tables made in the test (fixture rows, not the cited file)."""
import pandas as pd
import pytest

from analysis import measures
from analysis.data import ownership
from analysis.measures import ownership as owned


def _row(line, topic, period, value, source_kind, unit="persons", quote="", entity="Huawei", metric="m"):
    figure, kind = ownership.parse_figure(value)
    return {"line": line, "topic": topic, "entity": entity, "metric": metric, "period": period,
            "year": ownership.year_of(period), "value": value, "figure": figure, "figure_kind": kind, "unit": unit,
            "source_kind": source_kind, "source_title": f"{source_kind} title {line}",
            "source_url": f"https://example.org/{line}", "quote": quote, "ref": f"fixture.csv#L{line}"}


@pytest.fixture
def use_rows(monkeypatch):
    """Installs fixture ownership rows as the loader's table (the measure cache cleared before and after)."""
    def use(rows):
        frame = pd.DataFrame(rows)
        monkeypatch.setattr(ownership, "ownership_figures", lambda: frame)
        owned._figures.cache_clear()
        return frame

    yield use
    owned._figures.cache_clear()


@pytest.fixture
def tiny_holdings(use_rows):
    """Fixture ownership rows: 2018 with a company and two press stakes (one different) and a count;
    2019 with a press stake only and no count; 2020 with a count only; two structure quotes."""
    return use_rows([
        _row(2, "employee_shareholders", "2018", "1000", "company"),
        _row(3, "employee_shareholders", "as of 2018", "900+", "press"),
        _row(4, "ren_share", "2018", "2.0", "company", unit="percent", entity="Ren Zhengfei"),
        _row(5, "ren_share", "2018", "2.0", "press", unit="percent", entity="Ren Zhengfei"),
        _row(6, "ren_share", "2018", "2.5", "press", unit="percent", entity="Ren Zhengfei"),
        _row(7, "ren_share", "end-2019", "1.0", "press", unit="percent", entity="Ren Zhengfei"),
        _row(8, "employee_shareholders", "2020", "1200", "company"),
        _row(9, "ownership_statement", "2018", "wholly owned", "company", unit="n/a", quote="wholly owned by staff"),
        _row(10, "ren_share", "2019", "held by two shareholders", "press", unit="percent", entity="Ren Zhengfei",
             quote="two shareholders: Ren and the Union"),
    ])


def test_figure_is_the_company_figure_with_the_others_of_the_year_beside_it(tiny_holdings):
    m = owned.figure("ren_share", 2018)
    assert (m.value, m.unit, m.kind, m.self_reported) == (2, "percent", "number", True)
    assert m.details == {"source_kind": "company", "others": [2, 2.5], "label": "company",
                         "alternatives": [{"label": "press (press title 6)", "value": 2.5}]}
    assert [s.ref for s in m.sources] == ["fixture.csv#L4", "fixture.csv#L5", "fixture.csv#L6"]
    assert len(m.caveats) == 1  # the press 2.5 differs; the press 2.0 does not
    count = owned.figure("employee_shareholders", 2018)
    assert (count.value, count.details["others"], count.caveats) == (1000, [], ())  # 900+ is a bound, not compared


def test_figure_falls_back_to_the_press_and_is_unavailable_for_a_missing_year(tiny_holdings):
    press = owned.figure("ren_share", 2019)
    assert (press.value, press.self_reported, press.details["source_kind"]) == (1, False, "press")
    assert len(press.caveats) == 1
    missing = owned.figure("ren_share", 2017)
    assert (missing.kind, missing.value) == ("unavailable", None) and "2017" in missing.missing
    # the topic in words, not its code name
    assert missing.missing.startswith("No figure of Ren Zhengfei's stake for 2017 is in the cited rows")
    assert missing.description.startswith("Figures of Ren Zhengfei's stake for other years:")
    assert owned.figure("employee_shareholders", 2019).kind == "unavailable"


def test_figure_of_a_topic_without_rows_is_unavailable(use_rows):
    use_rows([_row(2, "voters", "2018", "10", "company")])
    assert owned.figure("ren_share", 2018).kind == "unavailable"
    assert owned.figure("voters", 2018).value == 10


@pytest.mark.parametrize("reading, rank", [("look_through", 1), ("institution", 2), ("not_private", 2)])
def test_holder_rank_moves_with_the_union_reading(tiny_holdings, reading, rank):
    m = owned.holder_rank("Ren Zhengfei", 2018, reading)
    assert (m.value, m.kind, m.self_reported) == (rank, "rank", True)
    assert m.details["members_as_average"] is (reading == "look_through")
    assert len(m.caveats) == (1 if reading == "look_through" else 0)


def test_holder_rank_ties_share_the_better_rank(use_rows):
    # Ren 50 % and the Union 50 %: of record they tie, so both rank 1
    use_rows([_row(2, "ren_share", "2018", "50", "company", unit="percent")])
    assert owned.holder_rank("Ren Zhengfei", 2018, "institution").value == 1
    assert owned.holder_rank("the Union (employee shareholding scheme)", 2018, "institution").value == 1


def test_holder_rank_needs_every_stake_and_a_known_holder(tiny_holdings):
    assert owned.holder_rank("Ren Zhengfei", 2020, "institution").kind == "unavailable"  # no stake for 2020
    # 2019: a press stake but no member count, so the average member stake is unknown
    assert owned.holder_rank("Ren Zhengfei", 2019, "look_through").kind == "unavailable"
    press = owned.holder_rank("Ren Zhengfei", 2019, "institution")
    assert (press.value, press.self_reported, len(press.caveats)) == (2, False, 1)
    assert press.caveats[0] == "the figure of Ren Zhengfei's stake for 2019 is a press report (no company figure in the data)"
    with pytest.raises(LookupError, match="no holder 'Nobody'"):
        owned.holder_rank("Nobody", 2018, "institution")
    with pytest.raises(ValueError, match="unknown union reading 'state'"):
        owned.holder_rank("Ren Zhengfei", 2018, "state")


@pytest.mark.parametrize("reading, year, share", [
    ("look_through", 2018, 100), ("institution", 2018, 100), ("not_private", 2018, 2),
    ("look_through", 2020, 100), ("not_private", 2019, 1)])
def test_private_share_is_100_minus_the_holders_not_counted_as_private(tiny_holdings, reading, year, share):
    m = owned.private_share(year, reading)
    assert (m.value, m.kind, m.self_reported) == (share, "number", True)
    # a row describing a later year is not evidence for an earlier one
    assert [s.ref for s in m.sources] == ["fixture.csv#L9", "fixture.csv#L10"][:1 if year < 2019 else 2]


def test_private_share_is_unavailable_when_a_non_private_stake_is_unknown(tiny_holdings):
    assert owned.private_share(2020, "not_private").kind == "unavailable"


@pytest.mark.parametrize("reading, kinds, found", [
    ("look_through", ["state", "institution"], 0), ("institution", ["state", "institution"], 1),
    ("not_private", ["state", "institution"], 1), ("institution", ["state"], 0), ("look_through", ["individual"], 2),
    ("institution", [], 0)])
def test_owners_of_kind_count_the_holders_of_a_complete_self_reported_list(tiny_holdings, reading, kinds, found):
    m = owned.owners_of_kind(2018, reading, kinds)
    assert (m.value, m.kind, m.details, m.self_reported) == (found, "cases", {"complete": True}, True)


def test_the_measures_are_registered_with_their_kinds():
    assert {n: measures.find(n).kind for n in ("ownership.figure", "ownership.holder_rank",
                                               "ownership.private_share", "ownership.owners_of_kind")} == {
        "ownership.figure": "number", "ownership.holder_rank": "rank", "ownership.private_share": "number",
        "ownership.owners_of_kind": "cases"}
