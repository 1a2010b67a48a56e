"""Acceptance rules and the verdict scale, on values taken from the cited fact tables."""
import pytest

from analysis.claims.verdicts import RuleResult, Verdict, check, decide, rounding_unit
from analysis.data import facts


def fact(**match):
    return facts.lookup("facts_rd_spending", **match).number()


def test_scale_is_ordered_strongest_first():
    order = [v.value for v in Verdict]
    assert order[:6] == ["supported", "supported with caveats", "company figures only", "conflicting",
                         "not supported", "not checkable"]
    assert Verdict.SUPPORTED.rank < Verdict.NOT_SUPPORTED.rank


@pytest.mark.parametrize("value, unit", [(97000, 1000), (40, 10), (15, 1), (1, 1), (1.5, 0.1), (170, 10)])
def test_rounding_unit_is_the_last_nonzero_place(value, unit):
    assert rounding_unit(value) == unit


def test_about_97000_shareholders_holds_for_the_2018_annual_report_count():
    count = fact(entity="Huawei", metric="Employee shareholders in ESOP (via Union)", period="2018")
    assert count == 96768
    result = check("about", count, 97000)
    assert result.holds and result.within_rounding_only
    assert decide(result) is Verdict.SUPPORTED_WITH_CAVEATS
    # the 2019 count (104,572) is far outside "about 97,000"
    later = fact(entity="Huawei", metric="Employee shareholders in ESOP (via Union)", period="2019")
    assert not check("about", later, 97000).holds


def test_just_over_one_percent():
    ren = fact(entity="Ren Zhengfei", metric="Shareholding in Huawei Investment & Holding", period="2018")
    assert check("just_over", ren, 1).holds          # 1.14
    assert not check("just_over", 0.94, 1).holds      # SCMP end-2019 figure, below 1
    assert not check("just_over", 1.6, 1).holds       # beyond half a unit is not "just" over


def test_more_than_and_at_most_rules():
    assert check("more_than", 15.36, 15).holds and not check("more_than", 15, 15).holds
    assert check("at_most", 5, 5).holds and not check("at_most", 6, 5).holds
    assert check("at_most", 6, 5).rule == "6, more than 5"  # a failing rule reads as failing, not "6 ≤ 5"
    assert check("at_most", 5, 5).rule == "5 ≤ 5"
    assert check("more_than", 9, 15).rule == "9, not more than 15"
    assert check("about", 104572, 97000).rule == "104,572 is 7,572 from 97,000, more than 500"
    assert check("just_over", 0.94, 1).rule == "0.94, not just over 1 (above it, up to 1.5)"
    assert check("equals", 1, 2).rule == "1, not 2"


def test_decide():
    assert decide(RuleResult(True, "r")) is Verdict.SUPPORTED
    assert decide(RuleResult(True, "r"), caveats=["a derived figure"]) is Verdict.SUPPORTED_WITH_CAVEATS
    assert decide(RuleResult(True, "r"), self_reported=True) is Verdict.SELF_REPORTED
    assert decide(RuleResult(False, "r"), self_reported=True) is Verdict.NOT_SUPPORTED
    assert decide(RuleResult(False, "r"), caveats=["x"]) is Verdict.NOT_SUPPORTED


def test_unknown_comparator_and_missing_value_are_errors():
    with pytest.raises(ValueError, match="unknown comparator 'roughly'"):
        check("roughly", 1, 1)
    with pytest.raises(ValueError, match="no measured value"):
        check("more_than", float("nan"), 1)


def test_every_verdict_has_one_distinct_okabe_ito_look_and_the_report_takes_it_from_the_scale():
    from analysis.claims.verdicts import SCALE
    from analysis.report import claimreview, figures, site

    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#FFFFFF"}
    assert set(SCALE) == set(Verdict)
    looks = [SCALE[v] for v in Verdict]
    assert len({look.colour for look in looks}) == len(looks) and {look.colour for look in looks} <= okabe_ito
    assert len({look.icon for look in looks}) == len(looks)
    own = Verdict.SELF_REPORTED.value
    assert site.badge(own)["colour"] == SCALE[Verdict.SELF_REPORTED].colour
    assert site.badge(own)["icon"] == SCALE[Verdict.SELF_REPORTED].icon
    assert figures.VERDICT_COLOURS[own] == SCALE[Verdict.SELF_REPORTED].colour
    assert own not in claimreview.RATING  # nothing independent was checked: no rating value
    assert claimreview.RATING[Verdict.SUPPORTED.value] == 4
