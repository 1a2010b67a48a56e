"""The judge on small measurements made in the test: every comparator at its boundary, every policy."""
from types import SimpleNamespace as NS

import pytest

from analysis.claims.judge import POLICIES, comparator_problem, evidence_verdict, judge
from analysis.measures import KINDS, Measurement


def claim(value, comparator, tolerance=None, caveats=(), limits=()):
    return NS(id="fixture", stated=NS(value=value, comparator=comparator, tolerance=tolerance),
              caveats=caveats, limits=limits)


def number(value, **kw):
    return Measurement(value, "units", kw.pop("kind", "number"), "a measured fixture value.", "fixture", **kw)


@pytest.mark.parametrize("comparator, stated, measured, verdict", [
    ("more_than", 15, 15.001, "supported"), ("more_than", 15, 15, "not supported"),
    ("at_least", 170, 170, "supported"), ("at_least", 170, 169.9, "not supported"),
    ("at_most", 5, 5, "supported"), ("at_most", 5, 6, "not supported"),
    ("equals", 100, 100, "supported"), ("equals", 100, 99.9, "not supported"),
    # about X: half the rounding unit X implies (97,000 -> ±500); met off the exact value is "with caveats"
    ("about", 97000, 97000, "supported"), ("about", 97000, 96500, "supported with caveats"),
    ("about", 97000, 96499, "not supported"), ("about", 40, 45, "supported with caveats"),
    ("about", 40, 45.01, "not supported"),
    # just over 1: above 1 by at most half a unit
    ("just_over", 1, 1.5, "supported"), ("just_over", 1, 1, "not supported"), ("just_over", 1, 1.51, "not supported"),
])
def test_every_comparator_at_its_boundary(comparator, stated, measured, verdict):
    assert judge(claim(stated, comparator), number(measured)).verdict.value == verdict


def test_a_declared_tolerance_replaces_the_wordings_rounding():
    assert judge(claim(97000, "about", tolerance=100), number(96768)).verdict.value == "not supported"
    assert judge(claim(97000, "about", tolerance=0), number(96768)).verdict.value == "supported with caveats"


def test_rank_claims_top_five_and_ranked_third():
    assert judge(claim(5, "at_most"), number(5, kind="rank")).rule == "rank 5: within the top five"
    sixth = judge(claim(5, "at_most"), number(6, kind="rank"))
    assert (sixth.verdict.value, sixth.rule) == ("not supported", "rank 6: outside the top five")  # reads as failing
    third = judge(claim(3, "equals"), number(5, kind="rank"))
    assert (third.verdict.value, third.rule) == ("not supported", "rank 5, not 3")
    assert judge(claim(3, "equals"), number(3, kind="rank")).verdict.value == "supported"


def test_a_tie_in_a_ranking_shares_the_better_rank_and_meets_top_n():
    # two companies tied for 5th both have rank 5 (analysis.data.rd ranks with method="min")
    import pandas as pd

    ranks = pd.Series([10.0, 9.0, 8.0, 7.0, 6.0, 6.0, 5.0]).rank(ascending=False, method="min").astype(int)
    assert ranks.tolist() == [1, 2, 3, 4, 5, 5, 7]
    assert judge(claim(5, "at_most"), number(int(ranks.iloc[5]), kind="rank")).verdict.value == "supported"


def test_self_reported_figures_are_at_best_company_figures_only_and_the_policy_is_named():
    met = judge(claim(15, "more_than"), number(19.06, self_reported=True))
    assert met.verdict.value == "company figures only" and "self_reported" in met.policies
    # rounding or a claim's caveat does not lift a self-reported figure above "company figures only"
    rounded = judge(claim(97000, "about", caveats=("x",)), number(96768, self_reported=True))
    assert rounded.verdict.value == "company figures only"
    assert judge(claim(15, "more_than"), number(9.0, self_reported=True)).verdict.value == "not supported"


def test_claim_caveats_downgrade_and_limits_do_not():
    assert judge(claim(15, "more_than", caveats=("x",)), number(16)).verdict.value == "supported with caveats"
    limited = judge(claim(15, "more_than", limits=("only one series",)), number(16))
    assert limited.verdict.value == "supported" and "only one series" in limited.reason


def test_a_published_lower_bound_meets_more_than_only_when_it_reaches_the_stated_value():
    strict = {"strict": True}  # "170+": the true figure is above 170
    assert judge(claim(170, "more_than"), number(170, details=strict)).verdict.value == "supported"
    at_least = {"lower_bound": True}  # a count in an incomplete registry: the true figure is 170 or more
    assert judge(claim(170, "more_than"), number(170, details=at_least)).verdict.value == "not checkable"
    assert judge(claim(170, "at_least"), number(170, details=at_least)).rule == "reported ≥ 170 implies ≥ 170"
    # a bound below the stated figure cannot refute it: the true figure may be higher
    short = judge(claim(172, "more_than"), number(170, details=strict))
    assert (short.verdict.value, short.rule) == ("not checkable", "reported > 170 does not settle > 172")
    assert "lower_bound" in judge(claim(170, "at_least"), number(170, details=strict)).policies
    assert judge(claim(170, "more_than"), number(170)).verdict.value == "not supported"  # an exact 170


def test_a_ceiling_makes_an_impossible_count_fail():
    ceiling = Measurement(193, "UN member states", "number", "193 UN members.", "fixture")
    assert judge(claim(170, "at_least"), number(200), ceiling=ceiling).verdict.value == "supported"
    assert judge(claim(200, "at_least"), number(200), ceiling=ceiling).verdict.value == "not supported"


def test_absence_claims_counter_examples_and_complete_lists():
    none = Measurement(0, "cases", "cases", "no case on record.", "fixture")
    assert judge(claim(0, "none_exists"), none).verdict.value == "not checkable"
    one = Measurement(1, "cases", "cases", "one case.", "fixture", details={"disputed": 0})
    assert judge(claim(0, "none_exists"), one).verdict.value == "not supported"
    disputed = Measurement(2, "cases", "cases", "two denied cases.", "fixture", details={"disputed": 2})
    assert judge(claim(0, "none_exists"), disputed).verdict.value == "conflicting"
    register = Measurement(0, "owners", "cases", "no state owner in the register.", "fixture",
                           details={"complete": True})
    assert judge(claim(0, "none_exists"), register).verdict.value == "supported"
    own_register = Measurement(0, "owners", "cases", "", "fixture", details={"complete": True}, self_reported=True)
    assert judge(claim(0, "none_exists"), own_register).verdict.value == "company figures only"


def test_evidence_is_weighed_part_by_part():
    assert evidence_verdict(["independent", "independent"]).value == "supported"
    assert evidence_verdict(["independent", "self-reported only"]).value == "supported with caveats"
    assert evidence_verdict(["self-reported only"]).value == "company figures only"
    assert evidence_verdict(["self-reported only", "undocumented"]).value == "company figures only"
    assert evidence_verdict(["undocumented"]).value == "not checkable"
    assert evidence_verdict(["independent", "contested"]).value == "conflicting"
    assert evidence_verdict(["others only", "undocumented"]).value == "not supported"
    with pytest.raises(ValueError, match="unknown evidence status"):
        evidence_verdict(["probably"])
    parts = Measurement((("at the cave", "independent"), ("inside the cave", "others only")), "", "evidence",
                        "", "fixture")
    a = judge(claim(None, "qualitative"), parts)
    assert (a.verdict.value, a.measured_value, a.policies) == ("conflicting", "independent; others only", ["evidence"])


def test_unavailable_data_is_not_checkable_and_says_what_is_missing():
    m = Measurement(None, "", "unavailable", "", "n/a", missing="No register of certificates is public.")
    a = judge(claim(2018, "equals"), m)
    assert a.verdict.value == "not checkable" and "No register" in a.reason and a.policies == ["unavailable"]


def test_comparators_that_cannot_apply_to_a_kind_are_named():
    assert comparator_problem("about", "rank").startswith("comparator 'about' cannot apply to a measure returning a rank")
    assert all(comparator_problem(c, k) == "" for k, cs in KINDS.items() for c in cs)
    assert comparator_problem("more_than", "unavailable") == ""


def test_every_policy_has_plain_words():
    assert set(POLICIES) == {"rounding", "lower_bound", "ceiling", "self_reported", "absence", "evidence",
                             "disagreeing", "unavailable", "readings"}
    assert all(len(p.text) > 30 and "_" not in p.text for p in POLICIES.values())


def test_disagreeing_figures_make_a_claim_conflicting_whichever_side_the_headline_is_on():
    counts = number(2, details={"label": "documented", "alternatives": [{"label": "without disclaimer", "value": 1}]})
    a = judge(claim(2, "equals"), counts)
    assert (a.verdict.value, a.measured_value, a.policies) == ("conflicting", "2 documented / 1 without disclaimer",
                                                               ["disagreeing"])
    agree = number(2, details={"label": "documented", "alternatives": [{"label": "other", "value": 2}]})
    assert judge(claim(2, "equals"), agree).verdict.value == "supported"


def test_an_unavailable_ceiling_is_not_checkable_and_says_what_is_missing():
    gap = Measurement(None, "persons", "unavailable", "", "", missing="No 2019 figure in this vintage.")
    a = judge(claim(170, "at_least"), number(200), ceiling=gap)
    assert a.verdict.value == "not checkable" and "No 2019 figure" in a.reason


def test_a_lower_bound_is_shown_as_published():
    a = judge(claim(170, "more_than"), number(170.0, details={"strict": True, "reported": "170+"}))
    assert (a.verdict.value, a.measured_value) == ("supported", "170+")


def test_defensible_readings_that_disagree_make_the_headline_conflicting_and_name_the_split():
    from analysis.claims.judge import weigh_readings
    from analysis.claims.ledger import ChoiceMark

    # a fixture claim with one choice, two defensible readings of a holder
    marked = NS(id="fixture", stated=NS(value=1, comparator="equals", tolerance=None), caveats=(), limits=(),
                parameters={"reading": "a"}, choices={"reading": ["a", "b"]},
                choice_marks={"reading": (ChoiceMark("defensible", "the holder read as its members"),
                                          ChoiceMark("defensible", "the holder read as one owner"))})
    own = judge(marked, number(1, kind="rank"), parameters={"reading": "a"})
    other = judge(marked, number(2, kind="rank"), parameters={"reading": "b"})
    weighed = weigh_readings(marked, own, [({"reading": "b"}, other)])
    assert weighed.verdict.value == "conflicting" and "readings" in weighed.policies
    assert weighed.reason.startswith("Defensible readings disagree on whether it is met, split by the reading: met "
                                     "with the holder read as its members (rank 1, as stated); not met with the holder "
                                     "read as one owner (rank 2, not 1).")
    assert weighed.measured_value == 1  # the claim's own reading's value is kept
    # readings that agree on the side (met, with or without caveats) leave the headline as it is
    agreeing = judge(marked, number(1, kind="rank", caveats=("x",)), parameters={"reading": "b"})
    assert weigh_readings(marked, own, [({"reading": "b"}, agreeing)]) is own
    # a reading that settles nothing (not checkable) takes no side
    unsettled = judge(marked, Measurement(0, "rank", "unavailable", "", "", missing="no data"))
    assert weigh_readings(marked, own, [({"reading": "b"}, unsettled)]) is own
