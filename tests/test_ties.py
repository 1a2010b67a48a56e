"""Independence of cited sources: the claimant wrote, commissioned or retained it, or it is independent."""
from types import SimpleNamespace as NS

import pytest

from analysis.data import facts, ties


def _row(entity="Someone", url="https://example.org/x", title="A page"):
    # a fixture fact row: only the fields the rule reads
    return NS(entity=entity, source_url=url, source_title=title)


@pytest.mark.parametrize("row, tie", [
    (_row(url="https://www.huawei.com/en/facts"), "wrote"),
    (_row(title="Huawei Annual Report 2018 (a copy)"), "wrote"),
    (_row(entity="Zhong Lun"), "retained"),  # listed in data/raw/sources/ties.csv
    (_row(entity="Clifford Chance"), "retained"),
    (_row(entity="Donald Clarke (GWU)"), ""),
    (_row(url="https://data.worldbank.org/x"), ""),
])
def test_a_source_is_independent_only_if_the_claimant_neither_wrote_commissioned_nor_retained_it(row, tie):
    assert ties.tie(row, "Huawei") == tie
    assert ties.independence(row, "Huawei") == ("independent of Huawei" if not tie else
                                                  "not independent: " + ties.TIE_WORDS[tie].format(claimant="Huawei"))


def test_ties_are_per_claimant_and_every_tie_cites_existing_fact_rows():
    assert ties.tie(_row(entity="Zhong Lun"), "Another Co") == ""
    assert ties.tie(_row(entity="Zhong Lun"), "") == ""
    for (claimant, author), (tie, basis) in ties.declared_ties().items():
        assert tie in ties.TIE_WORDS and basis
    import pandas as pd

    from analysis.data import manifest

    table = pd.read_csv(manifest.get("source_ties").path, dtype=str, keep_default_na=False)
    for evidence in table["evidence"]:
        for fact_id in evidence.split("; "):
            assert facts.by_id(fact_id).entity in set(table["author"])


def test_the_law_firm_opinion_counts_with_the_claimants_own():
    from analysis.data import legal

    kinds = dict(zip(legal.legal_documents()["entity"], legal.legal_documents()["author_kind"]))
    assert kinds["Zhong Lun"] == "retained by the company"
    assert kinds["Donald Clarke (GWU)"] == "third party"
