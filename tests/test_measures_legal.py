"""Document measures on small legal and statement tables made in the test (fixture rows)."""
import pandas as pd
import pytest

from analysis import measures
from analysis.data import facts, legal
from analysis.measures import documents


def _doc(line, entity, metric, stance, quote="q", period="2019"):
    return {"table": "facts_events", "line": line, "entity": entity, "metric": metric, "period": period,
            "value": "v", "stance": stance, "author_kind": "company" if "huawei" in entity.lower() else "third party",
            "source_title": f"title {line}", "source_url": f"https://example.org/{line}", "quote": quote,
            "notes": "", "ref": f"fixture.csv#L{line}"}


@pytest.fixture
def use_documents(monkeypatch):
    """Installs fixture legal rows as the loader's table (the measure cache cleared before and after)."""
    def use(rows):
        frame = pd.DataFrame(rows, columns=list(_doc(0, "x", "m", "record")))
        monkeypatch.setattr(legal, "legal_documents", lambda: frame)
        documents._documents.cache_clear()
        return frame

    yield use
    documents._documents.cache_clear()


HUAWEI_NAMES = _doc(9, "Huawei", "number_of_law_firms_claim", "for", quote="law firms Alpha LLP and Beta & Co say")


@pytest.mark.parametrize("rows, status, summary", [
    ([_doc(2, "Alpha LLP", "opinion", "for"), _doc(3, "Prof. C", "assessment", "against")],
     "contested", "1 independent for / 1 against"),
    ([_doc(2, "Alpha LLP", "opinion", "for"), _doc(3, "Alpha LLP", "summary", "for")],  # one author, counted once
     "independent", "1 independent for / 0 against"),
    ([_doc(3, "Prof. C", "assessment", "against")], "refuted", "0 independent for / 1 against"),
    ([HUAWEI_NAMES], "self-reported only", "0 independent for / 0 against"),
    ([_doc(2, "Alpha LLP", "filing", "record")], "undocumented", "0 independent for / 0 against"),
    ([], "undocumented", "0 independent for / 0 against"),
])
def test_opinions_weigh_third_party_documents(use_documents, rows, status, summary):
    use_documents(rows)
    m = documents.opinions("the proposition")
    assert (m.value, m.kind, m.details["summary"]) == ((("the proposition", status),), "evidence", summary)
    assert m.self_reported is (status == "self-reported only")


def test_an_opinion_by_a_firm_the_claimant_retained_is_not_independent(use_documents):
    retained = {**_doc(2, "Alpha LLP", "opinion", "for"), "author_kind": "retained by the company"}
    use_documents([retained, _doc(3, "Prof. C", "assessment", "against")])
    m = documents.opinions("p")
    assert m.value == (("p", "contested"),)
    assert m.details["summary"] == "0 independent for / 1 against; 1 retained by the claimant for"
    assert [s.ref for s in m.sources] == ["fixture.csv#L3", "fixture.csv#L2"]
    use_documents([retained])
    assert documents.opinions("p").value == (("p", "self-reported only"),)


def test_opinions_cite_the_rows_for_and_against(use_documents):
    use_documents([_doc(2, "Alpha LLP", "opinion", "for"), _doc(3, "Prof. C", "assessment", "against"),
                   _doc(4, "Beta & Co", "filing", "record"), HUAWEI_NAMES])
    assert [s.ref for s in documents.opinions("p").sources] == ["fixture.csv#L2", "fixture.csv#L3"]


def test_firm_count_counts_the_named_firms_under_each_rule(use_documents):
    use_documents([_doc(2, "Alpha LLP", "opinion", "for"), _doc(3, "Beta & Co", "review", "disclaims"),
                   _doc(4, "Gamma", "opinion", "for"), HUAWEI_NAMES])  # Gamma is not named by Huawei
    documented = documents.firm_count("documented")
    assert (documented.value, documented.kind, documented.details) == (
        2, "number", {"documented": 2, "without_disclaimer": 1})
    assert documents.firm_count("without_disclaimer").value == 1
    assert documented.description.startswith(  # each document's metric in words, with its date
        "Firms named with documents in the data: Alpha LLP: opinion (2019); Beta & Co (disclaims giving a PRC-law "
        "opinion): review (2019).")
    assert [s.ref for s in documented.sources] == ["fixture.csv#L2", "fixture.csv#L3", "fixture.csv#L9"]


def test_firm_count_without_firms_is_zero_and_an_unknown_rule_is_an_error(use_documents):
    use_documents([HUAWEI_NAMES])
    assert documents.firm_count("documented").value == 0
    with pytest.raises(LookupError, match="unknown counting rule 'all'"):
        documents.firm_count("all")
    both = documents.firm_count("both")
    assert both.details["alternatives"] == [{"label": "without disclaimer", "value": 0}]


def _fact(line, entity, quote, title="A newspaper", url="https://news.example.org/a"):
    return {"claim_id": "x", "entity": entity, "metric": "statement", "period": "2019-01", "value": "said",
            "unit": "", "source_title": title, "source_url": url, "quote": quote, "notes": "", "line": line}


@pytest.fixture
def tiny_statements(monkeypatch):
    """One fixture statement table: two rows by a speaker (one from the company's own site), one by another."""
    table = pd.DataFrame([
        _fact(2, "Founder (Pat Doe)", "I would close the doors before that."),
        _fact(3, "Founder (Pat Doe)", "We never close the doors.", title="Interview", url="https://www.huawei.com/x"),
        _fact(4, "Someone else", "close the doors"),
    ])
    monkeypatch.setattr(facts, "load_facts", lambda name: table)


def test_statement_found_is_evidence_independent_unless_only_the_claimants_own(tiny_statements):
    m = documents.statement(r"\(Pat Doe\)", "before that", "a transcript", tables=["facts_events"])
    assert (m.kind, m.value, m.details) == ("evidence", (("statement documented", "independent"),), {"found": 1})
    assert [s.ref for s in m.sources] == ["data/raw/events/facts.csv#L2"]
    own = documents.statement(r"\(Pat Doe\)", "never", "a transcript", tables=["facts_events"])
    assert (own.value, own.self_reported) == ((("statement documented", "self-reported only"),), True)
    both = documents.statement(r"\(Pat Doe\)", "close the doors", "a transcript", tables=["facts_events"])
    assert both.details == {"found": 2} and both.value[0][1] == "independent"


def test_statement_not_found_is_unavailable_with_the_speakers_other_rows(tiny_statements):
    m = documents.statement(r"\(Pat Doe\)", "shut down", "a transcript of the meeting", tables=["facts_events"])
    assert (m.kind, m.value, m.missing) == ("unavailable", 0, "a transcript of the meeting")
    assert m.details == {"found": 0, "speaker_rows": 2}
    assert m.description.startswith("No cited row of the events fact table quotes the speaker with that wording")
    nobody = documents.statement("Nobody", "shut down", "a transcript", tables=["facts_events"])
    assert (nobody.sources, nobody.details["speaker_rows"]) == ((), 0)
    assert documents.statement("Nobody", "x", "a transcript", tables=[]).kind == "unavailable"


def test_the_measures_are_registered_with_their_kinds():
    assert [measures.find(n).kind for n in ("document.opinions", "document.firm_count", "document.statement")] == [
        "evidence", "number", "any"]
