"""Legal documents, their stances and dates, and the legal and attribution claims' verdicts."""
import pytest

from analysis.claims import audit
from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Verdict
from analysis.data import legal


@pytest.fixture(scope="module")
def ledger():
    return load_ledger()


def test_stance_rule():
    assert legal.stance_of("no PRC law empowers authorities to compel backdoors", "") == "for"
    assert legal.stance_of("disclaimer", "should not be construed as constituting a legal opinion on x") == "disclaims"
    assert legal.stance_of("not convincing", "") == "against"
    assert legal.stance_of("not publicly available", "While the document hasn't been made publicly available") == "record"


def test_legal_documents_are_the_events_rows_and_none_from_incidents():
    docs = legal.legal_documents()
    assert docs["ref"].tolist() == [f"data/raw/events/facts.csv#L{n}" for n in range(55, 62)]
    assert docs["stance"].tolist() == ["record", "for", "disclaims", "disclaims", "record", "against", "for"]
    assert docs.loc[docs["metric"] == "declaration_to_FCC", "period"].item() == "2018-05-27"
    assert set(docs.loc[docs["author_kind"] == "company", "entity"]) == {"Huawei"}


def test_law_firms_named_by_huawei():
    firms = legal.law_firms()
    assert firms["firm"].tolist() == ["Clifford Chance", "Zhong Lun"]
    assert firms["disclaims"].tolist() == [True, False]
    assert firms["concludes"].tolist() == [False, True]
    assert firms["dated"].iloc[1] == "declaration to FCC (2018-05-27); conclusion summary (2018-05)"  # metrics in words


def test_cannot_compel_is_conflicting_by_the_for_against_rule(ledger):
    claim = ledger.claim("chinese-law-cannot-compel")
    a = audit.assess_claim(claim, claim.parameters)
    assert (a.verdict, a.measured_value, a.policies) == (Verdict.CONFLICTING, "0 independent for / 1 against; 1 retained by the claimant for", ["evidence"])
    # the one document for it is by a firm Huawei retained (data/raw/sources/ties.csv), so it is not independent
    assert [s.ref for s in a.sources] == ["data/raw/events/facts.csv#L60", "data/raw/events/facts.csv#L56"]


@pytest.mark.parametrize("count, verdict, measured", [
    ("both", Verdict.CONFLICTING, "2 documented / 1 without disclaimer"),
    ("documented", Verdict.SUPPORTED_WITH_CAVEATS, 2),
    ("without_disclaimer", Verdict.NOT_SUPPORTED, 1),
])
def test_two_law_firms_moves_with_the_count(ledger, count, verdict, measured):
    claim = ledger.claim("two-law-firms-clifford-chance")
    a = audit.assess_claim(claim, {"firm_count": count})
    assert (a.verdict, a.measured_value) == (verdict, measured)
    assert ("disagreeing" in a.policies) == (count == "both")


def test_attributions_without_a_source_are_not_checkable(ledger):
    mfa_claim = ledger.claim("mfa-no-backdoor-law")
    mfa = audit.assess_claim(mfa_claim, mfa_claim.parameters)
    assert (mfa.verdict, mfa.measured_value, mfa.policies) == (Verdict.NOT_CHECKABLE, 0, ["unavailable"])
    assert legal.rows_matching(mfa_claim.args["speaker"]).empty
    ren_claim = ledger.claim("ren-rather-shut-down")
    ren = audit.assess_claim(ren_claim, ren_claim.parameters)
    assert (ren.verdict, ren.measured_value) == (Verdict.NOT_CHECKABLE, 0)
    # the nearest documented Ren statements (January 2019) are shown as sources
    assert [s.ref for s in ren.sources] == ["data/raw/incidents/facts.csv#L6", "data/raw/rd_spending/facts.csv#L41",
                                            "data/raw/rd_spending/facts.csv#L77"]
    assert legal.rows_matching(ren_claim.args["speaker"])["period"].str.contains("2019").all()


def test_notebook_defaults_reproduce_the_ledger(ledger):
    verdicts = {a.claim_id: a.verdict.value for a in audit.assess_notebook("05_ownership_legal", {}, ledger)}
    assert verdicts == {
        "private-100pct": "conflicting", "shareholding-employees-97000": "company figures only",
        "ren-largest-shareholder": "conflicting", "ren-share-just-over-1pct": "company figures only",
        "no-state-institutional-owners": "conflicting", "chinese-law-cannot-compel": "conflicting",
        "mfa-no-backdoor-law": "not checkable", "two-law-firms-clifford-chance": "conflicting",
        "ren-rather-shut-down": "not checkable"}
    moved = audit.assess_notebook("05_ownership_legal", {"year": 2019, "union_reading": "institution"}, ledger)
    assert {a.claim_id: a.verdict.value for a in moved}["shareholding-employees-97000"] == "not supported"
    assert {a.claim_id: a.verdict.value for a in moved}["ren-largest-shareholder"] == "not supported"
