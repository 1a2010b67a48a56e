"""R&D ranks and conversions, checked against the cited fact rows and the JRC's published totals."""
import pytest

from analysis.claims import audit
from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Verdict
from analysis.data import facts, rd


@pytest.fixture(scope="module")
def board():
    return rd.load_scoreboard()


def rank_fact(edition):
    period = {2017: "2017 edition (FY2016/17)", 2018: "2018 edition (FY2017/18)",
              2019: "2019 edition (FY2018/19)", 2020: "2020 edition (FY2019)"}[edition]
    return facts.lookup("facts_rd_spending", claim_id="a", entity="Huawei",
                        metric="EU Scoreboard world rank by R&D investment", period=period)


@pytest.mark.parametrize("edition", rd.EDITIONS)
def test_huawei_rank_matches_the_cited_scoreboard_rows(board, edition):
    row = rd.company_row(board, edition, "Huawei")
    assert row["rank"] == row["world_rank"] == rank_fact(edition).number()


def test_huawei_ranks_across_editions(board):
    history = rd.ranks_across_editions(board, "Huawei")
    assert history["rank"].tolist() == [6, 5, 5, 3]
    assert history["rd_eur_m"].tolist() == [10362.7, 11334.1, 12739.6, 16712.7]


def test_2019_edition_top_five(board):
    top = rd.top_spenders(board, 2019, 5)
    assert top["company"].tolist() == ["ALPHABET", "SAMSUNG ELECTRONICS", "MICROSOFT", "VOLKSWAGEN",
                                       "HUAWEI INVESTEMENT & HOLDING CO"]
    alphabet = facts.lookup("facts_rd_spending", claim_id="a", entity="Alphabet",
                            metric="R&D investment (world rank 1)", period="2019 edition (FY2018/19)")
    assert top.loc[0, "rd_eur_m"] == alphabet.number()


@pytest.mark.parametrize("edition, published_bn", [(2017, 741.6), (2018, 736.4), (2019, 823.4), (2020, 904.2)])
def test_each_edition_has_2500_companies_summing_to_the_published_total(board, edition, published_bn):
    # JRC totals: facts.csv "qa" rows (2017, 2018, 2020) and PROVENANCE.md's check of 2019 (EUR 823,426.3m)
    table = board[board["edition"] == edition]
    assert len(table) == 2500
    assert round(table["rd_eur_m"].sum() / 1000, 1) == published_bn


def test_recomputed_rank_agrees_with_published_rank_in_the_top_160(board):
    top = board[board["world_rank"] <= 160]
    assert (top["rank"] == top["world_rank"]).all()
    # elsewhere they differ only where rounded R&D values tie
    differ = board[board["rank"] != board["world_rank"]]
    for _, row in differ.head(50).iterrows():
        same = board[(board["edition"] == row["edition"]) & (board["rd_eur_m"] == row["rd_eur_m"])]
        assert len(same) > 1


def test_company_matching_rule(board):
    assert rd.company_row(board, 2018, "Samsung")["company"] == "SAMSUNG"
    with pytest.raises(LookupError, match="'Samsung' is ambiguous"):
        rd.company_row(board, 2019, "Samsung")
    assert rd.company_row(board, 2019, "samsung electronics")["rank"] == 2
    with pytest.raises(LookupError, match="no company matches 'Nokla'"):
        rd.company_row(board, 2019, "Nokla")
    with pytest.raises(ValueError, match="edition 2016 is not in the data"):
        rd.company_row(board, 2016, "Huawei")


def test_fx_sources_agree_on_the_cny_rate_and_fred_euro_is_eur_per_usd():
    assert rd.fx_rate("fed_g5a", 2019)["per_usd"] == 6.9081
    assert rd.fx_rate("fred_datahub", 2019)["per_usd"] == 6.9081
    # G.5A publishes USD per EUR (1.1194); the FRED/datahub file EUR per USD (0.8933)
    assert rd.fx_rate("fed_g5a", 2019, "EUR")["per_usd"] == pytest.approx(1 / 1.1194)
    assert rd.fx_rate("fred_datahub", 2019, "EUR")["per_usd"] == 0.8933
    with pytest.raises(LookupError, match="no CNY rate for 2012"):
        rd.fx_rate("fed_g5a", 2012)


def test_huawei_rd_in_dollars_matches_the_derived_cross_checks():
    # PROVENANCE.md: 2018 CNY101,509m / 6.6090 = US$15,359m; 2019 CNY131,659m / 6.9081 = US$19,059m
    table18 = rd.spending_table("Huawei", 2018)
    table19 = rd.spending_table("Huawei", 2019)
    assert table18.iloc[0]["usd_bn"] == pytest.approx(15.359, abs=5e-4)
    assert table19.iloc[0]["usd_bn"] == pytest.approx(19.059, abs=5e-4)
    # the 2020 Scoreboard (fiscal 2019, EUR 16,712.7m) at G.5A 1.1194 USD/EUR
    scoreboard = table19[(table19["route"] == "Scoreboard 2020 (EUR)") & (table19["fx_source"] == "fed_g5a")]
    assert scoreboard.iloc[0]["usd_bn"] == pytest.approx(16712.7 * 1.1194 / 1000)


def test_rank_verdict_moves_with_the_edition():
    claim = load_ledger().claim("rd-top-five-2018")
    expected = {2017: (6, Verdict.NOT_SUPPORTED), 2018: (5, Verdict.SUPPORTED),
                2019: (5, Verdict.SUPPORTED), 2020: (3, Verdict.SUPPORTED)}
    for edition, (rank, verdict) in expected.items():
        a = audit.assess_claim(claim, {**claim.parameters, "edition": edition})
        assert (a.measured_value, a.verdict) == (rank, verdict)
        assert a.sources[0].url.endswith(f"SB{edition}_World2500.csv")


def test_spending_verdict_is_supported_with_caveats_at_every_rate():
    claim = load_ledger().claim("rd-spend-over-15bn-2019")
    for source in rd.FX_SOURCES:
        for year in (2017, 2018, 2019, 2020):
            a = audit.assess_claim(claim, {"fx_source": source, "fx_year": year})
            assert a.verdict is Verdict.SELF_REPORTED and a.measured_value > 18.9
            assert a.policies == ["self_reported"]
    a = audit.assess_claim(claim, claim.parameters)
    assert a.measured_value == 19.059
    assert [s.ref for s in a.sources] == ["data/raw/rd_spending/facts.csv#L49",
                                          "data/raw/rd_spending/facts.csv#L88"]
