"""The claim ledger: complete, quotes at their offsets, malformed entries named."""
import copy

import pytest
import yaml

from analysis import paths
from analysis.claims.ledger import load_ledger
from analysis.errors import LedgerError

REQUIRED = {  # the claims the walking-skeleton issue lists, by a word of each quote
    "170+", "30 years", "3 billion users", "40% of the planet", "never suffered a major",
    "highest security ratings", "Cyber Essentials Plus", "top five R&D", "US$15 billion", "97,000",
    "100% private", "just over 1%", "Clifford Chance", "No government has ever asked", "cave",
    "15,000", "Ebola",
}


@pytest.fixture(scope="module")
def document():
    return yaml.safe_load(paths.LEDGER.read_text(encoding="utf-8"))


def test_ledger_covers_every_required_claim():
    ledger = load_ledger()
    text = ledger.article_text()
    assert len(ledger.claims) >= 15
    for phrase in REQUIRED:
        # each phrase is in the article and inside at least one claim's quoted span
        start = text.find(phrase)
        assert start >= 0, phrase
        assert any(c.offset <= start < c.offset + len(c.quote) for c in ledger.claims), phrase


def test_every_quote_is_at_its_offset_in_article_order():
    ledger = load_ledger()
    text = ledger.article_text()
    offsets = [c.offset for c in ledger.claims]
    assert offsets == sorted(offsets)
    for c in ledger.claims:
        assert text[c.offset:c.offset + len(c.quote)] == c.quote, c.id


def test_rd_claims_are_wired_to_the_notebook():
    ledger = load_ledger()
    assert [c.id for c in ledger.claims_for("01_rd_spending")] == ["rd-top-five-2018", "rd-spend-over-15bn-2019",
                                                                   "rd-increase-2019"]
    rank = ledger.claim("rd-top-five-2018")
    assert (rank.type, rank.stated.value, rank.stated.wording, rank.stated.comparator) == \
        ("rank", 5, "top five", "at_most")


def article_copy(tmp_path):
    """The op-ed's article folder (text and article.yaml) copied to ``tmp_path``, without its ledger."""
    import shutil

    for name in ("article.txt", "article.yaml"):
        shutil.copy(paths.DEFAULT_ARTICLE / name, tmp_path / name)
    return tmp_path


def load_mutated(tmp_path, document, mutate):
    doc = copy.deepcopy(document)
    mutate(doc)
    path = article_copy(tmp_path) / "claims.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return load_ledger(path)


def claim(doc, claim_id):
    return next(c for c in doc["claims"] if c["id"] == claim_id)


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: claim(d, "rd-top-five-2018")["stated"].pop("wording"),
     "claim 'rd-top-five-2018' (entry 11), field 'stated': 'wording' is a required property"),
    (lambda d: claim(d, "rd-top-five-2018")["stated"].update(comparator="roughly"),
     "claim 'rd-top-five-2018' (entry 11), field 'stated.comparator': 'roughly' is not one of"),
    (lambda d: claim(d, "rd-top-five-2018").update(offset=1151),
     "claim 'rd-top-five-2018' (entry 11), field 'offset': the quote is not at offset 1151 (it is at offset 1150)"),
    (lambda d: claim(d, "rd-top-five-2018").update(quote="Huawei was the top R&D spender."),
     "field 'offset': the quote is not at offset 1150 (it is not in the article at all)"),
    (lambda d: claim(d, "rd-spend-over-15bn-2019").update(id="rd-top-five-2018"),
     "claim 'rd-top-five-2018' (entry 12), field 'id': duplicate id"),
    # the datasets a claim reads are derived from its measure's sources, never a second list
    (lambda d: claim(d, "rd-top-five-2018").update(datasets=["scoreboard_1999"]),
     "claim 'rd-top-five-2018' (entry 11), field '(entry)': Additional properties are not allowed ('datasets'"),
    (lambda d: claim(d, "rd-top-five-2018").update(notebook="99_missing"),
     "field 'notebook': '99_missing' is not declared under 'notebooks'"),
    (lambda d: claim(d, "rd-top-five-2018").update(measure="scoreboard.guess"),
     "claim 'rd-top-five-2018' (entry 11), field 'measure': unknown measure 'scoreboard.guess'; known measures:"),
    (lambda d: claim(d, "rd-top-five-2018").pop("measure"),
     "claim 'rd-top-five-2018' (entry 11), field 'measure': a claim with a notebook needs a 'measure'"),
    (lambda d: claim(d, "rd-top-five-2018")["args"].update(colour="red"),
     "field 'measure': measure 'scoreboard.rank' takes no argument(s) colour; its arguments: entity, edition"),
    (lambda d: claim(d, "rd-top-five-2018")["args"].pop("edition"),
     "field 'measure': measure 'scoreboard.rank' needs argument(s) edition"),
    (lambda d: claim(d, "rd-top-five-2018")["args"].update(edition="$year"),
     "field 'args': $year not among the claim's parameters (edition, entity)"),
    (lambda d: claim(d, "rd-top-five-2018")["stated"].update(comparator="more_than"),
     "claim 'rd-top-five-2018' (entry 11), field 'stated.comparator': comparator 'more_than' cannot apply to "
     "a measure returning a rank value; use one of at_most, equals (measure 'scoreboard.rank')"),
    (lambda d: claim(d, "thai-cave-june-2018")["stated"].update(comparator="about"),
     "claim 'thai-cave-june-2018' (entry 24), field 'stated.comparator': comparator 'about' cannot apply to "
     "a measure returning a date value"),
    (lambda d: claim(d, "rd-top-five-2018")["parameters"].update(edition=1999),
     "field 'parameters': parameter 'edition': 1999 is not allowed; choose one of [2017, 2018, 2019, 2020]"),
    (lambda d: claim(d, "rd-top-five-2018")["parameters"].update(colour="red"),
     "field 'parameters': notebook 01_rd_spending: unknown parameter(s) colour"),
])
def test_malformed_entry_names_the_entry_and_field(tmp_path, document, mutate, expected):
    with pytest.raises(LedgerError) as err:
        load_mutated(tmp_path, document, mutate)
    assert expected in str(err.value)


def test_a_new_rank_claim_needs_only_a_ledger_entry(tmp_path, document):
    """E.g. 'Huawei was one of the top three R&D spenders' checked against the 2020 edition."""
    from analysis.claims import audit

    def add(doc):
        new = copy.deepcopy(claim(doc, "rd-top-five-2018"))
        new.update(id="rd-top-three-2019", parameters={"edition": 2020, "entity": "Huawei"},
                   choices={"edition": [{"value": 2020, "defensible": "the edition the fixture names"}]})
        new["stated"].update(value=3, wording="top three")
        doc["claims"].insert(11, new)

    ledger = load_mutated(tmp_path, document, add)
    results = {a.claim_id: a for a in audit.assess_notebook("01_rd_spending", {}, ledger)}
    assert results["rd-top-three-2019"].measured_value == 3
    assert results["rd-top-three-2019"].verdict.value == "supported"
    assert results["rd-top-five-2018"].measured_value == 5
    # an explicit notebook override applies to every claim that uses the parameter
    moved = {a.claim_id: a for a in audit.assess_notebook("01_rd_spending", {"edition": 2017}, ledger)}
    assert moved["rd-top-three-2019"].verdict.value == "not supported"


def test_ranked_third_is_judged_as_rank_equals_three(tmp_path, document):
    """'Huawei ranked 3rd' (comparator equals) is rank = 3: true for the 2020 edition, false for 2019's 5th."""
    from analysis.claims import audit

    def add(doc):
        new = copy.deepcopy(claim(doc, "rd-top-five-2018"))
        new.update(id="rd-third", parameters={"edition": 2020, "entity": "Huawei"},
                   choices={"edition": [{"value": 2020, "defensible": "the edition the fixture names"}]})
        new["stated"].update(value=3, wording="ranked 3rd", comparator="equals")
        doc["claims"].insert(11, new)

    ledger = load_mutated(tmp_path, document, add)
    third = ledger.claim("rd-third")
    assert audit.assess_claim(third, {"edition": 2020, "entity": "Huawei"}).verdict.value == "supported"
    fifth = audit.assess_claim(third, {"edition": 2019, "entity": "Huawei"})
    assert (fifth.measured_value, fifth.rule, fifth.verdict.value) == (5, "rank 5, not 3", "not supported")


def test_not_yaml_is_a_clear_error(tmp_path):
    bad = tmp_path / "claims.yaml"
    bad.write_text("claims: [unclosed", encoding="utf-8")
    with pytest.raises(LedgerError, match="is not valid YAML"):
        load_ledger(bad)


def test_a_notebook_missing_from_the_ledger_is_an_error(tmp_path, monkeypatch):
    import shutil

    shutil.copy(paths.NOTEBOOKS / "01_rd_spending.ipynb", tmp_path)
    shutil.copy(paths.NOTEBOOKS / "01_rd_spending.ipynb", tmp_path / "02_stray.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path)
    with pytest.raises(LedgerError, match="02_stray.ipynb is not declared"):
        load_ledger()


def test_a_broken_ledger_stops_run_before_anything_runs(tmp_path):
    """`python -m analysis run` on a project whose ledger has a duplicate id: exit 2, the entry and
    field named, no report folder created."""
    import shutil
    import subprocess
    import sys

    root = tmp_path / "project"
    for part in ("notebooks",):
        shutil.copytree(paths.ROOT / part, root / part)
    folder = root / paths.DEFAULT_ARTICLE.relative_to(paths.ROOT)
    folder.mkdir(parents=True)
    article_copy(folder)
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copy(paths.MANIFEST, root / "data" / "raw" / "manifest.csv")
    # the entity table: the vendor registries read it when they are imported
    shutil.copytree(paths.RAW / "sources", root / "data" / "raw" / "sources")
    text = paths.LEDGER.read_text(encoding="utf-8")
    (folder / "claims.yaml").write_text(text.replace("- id: track-record-30-years", "- id: countries-170-plus-operate"),
                                      encoding="utf-8")
    out = root / "reports"
    env = {**__import__("os").environ, "ANALYSIS_ROOT": str(root)}
    done = subprocess.run([sys.executable, "-m", "analysis", "run", "--output", str(out)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "claim 'countries-170-plus-operate' (entry 2), field 'id': duplicate id" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


# --- finding a notebook's claims without their ids -------------------------------------------------

def small_ledger():
    """Three claims of one notebook, two measured alike, made here (no file read)."""
    from analysis.claims.ledger import (
        Claim,
        Ledger,
        NotebookSpec,
        ParameterSpec,
        Stated,
    )

    def claim(claim_id, measure, entity, metric, parameters=None, **args):
        return Claim(id=claim_id, quote=claim_id, offset=0, theme="t", type="date", entity=entity, metric=metric,
                     period="2018", stated=Stated("2018-06", "date", "in June 2018", "equals"), notebook="nb",
                     parameters=parameters or {}, measure=measure, args=args)

    spec = NotebookSpec("nb", "A notebook", {"year": ParameterSpec("year", "int", 2018, "the year", choices=(2018, 2019)),
                                             "as_of": ParameterSpec("as_of", "str", "2018-03-01", "the date")})
    return Ledger(article=None, notebooks={"nb": spec}, claims=(
        claim("cave-month", "fact.date", "Tham Luang cave rescue", "month trapped", {"year": 2018}, fact="a"),
        claim("quake-month", "fact.date", "Japan earthquake", "month of the earthquake", {"year": 2017}, fact="b"),
        claim("cave-role", "evidence.parts", "Huawei", "role in the Tham Luang rescue", {"as_of": "2018-07-01"})))


def test_find_claims_by_measure_args_and_what_they_are_about():
    ledger = small_ledger()
    assert [c.id for c in ledger.find_claims("nb", "fact.date")] == ["cave-month", "quake-month"]
    assert [c.id for c in ledger.find_claims("nb", "fact.date", fact="b")] == ["quake-month"]
    assert ledger.find_claim("nb", "fact.date", about="Tham Luang").id == "cave-month"
    assert ledger.find_claim("nb", "evidence.parts", about="Tham Luang").id == "cave-role"  # the metric mentions it
    assert ledger.find_claim("nb", "fact.date", about="earthquake").id == "quake-month"


def test_find_claim_errors_name_the_notebooks_claims():
    ledger = small_ledger()
    with pytest.raises(KeyError, match="has 2 claims, not one, measured by 'fact.date'.*cave-month \\(fact.date\\)"):
        ledger.find_claim("nb", "fact.date")
    with pytest.raises(KeyError, match="has no claim measured by 'fact.date' with {} about 'Ebola'"):
        ledger.find_claims("nb", "fact.date", about="Ebola")


def test_notebook_parameters_gives_each_claim_its_own_values_overridden_by_changed_ones():
    from analysis.claims import audit

    ledger = small_ledger()
    assert audit.notebook_parameters("nb", {}, ledger) == {
        "cave-month": {"year": 2018}, "quake-month": {"year": 2017}, "cave-role": {"as_of": "2018-07-01"}}
    # a value changed from the notebook default overrides every claim that uses it, and no other
    assert audit.notebook_parameters("nb", {"year": 2019, "as_of": "2018-03-01"}, ledger) == {
        "cave-month": {"year": 2019}, "quake-month": {"year": 2019}, "cave-role": {"as_of": "2018-07-01"}}


def _parameter(doc, notebook, name):
    return doc["notebooks"][notebook]["parameters"][name]


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: _parameter(d, "01_rd_spending", "fx_year").pop("label"),
     "claims.yaml is malformed: notebook '01_rd_spending', parameter 'fx_year' has no label; add label: "
     "\"its name in plain words\""),
    (lambda d: _parameter(d, "01_rd_spending", "fx_source")["labels"].pop("fred_datahub"),
     "claims.yaml is malformed: notebook '01_rd_spending', parameter 'fx_source': choice 'fred_datahub' has no "
     "label; add it under labels (fred_datahub: \"its name in plain words\")"),
    (lambda d: _parameter(d, "05_ownership_legal", "union_reading")["labels"].update(state="owned by the state"),
     "parameter 'union_reading': labels names 'state', which is not one of its choices"),
])
def test_a_parameter_or_choice_without_a_plain_label_is_refused(tmp_path, document, mutate, expected):
    """Every parameter has a label and every choice of a str parameter one (report pages show them)."""
    with pytest.raises(LedgerError) as err:
        load_mutated(tmp_path, document, mutate)
    assert expected in str(err.value)
    assert "\n" not in str(err.value)  # one problem, one line


def test_every_parameter_and_choice_reads_in_plain_words():
    """The labels the pages show: each parameter's, each str choice's (a number or a name reads as itself)."""
    ledger = load_ledger()
    fx = ledger.notebooks["01_rd_spending"].parameters["fx_source"]
    assert (fx.title, fx.show("fed_g5a")) == ("exchange-rate source", "Federal Reserve G.5A release")
    assert ledger.notebooks["01_rd_spending"].parameters["fx_year"].show(2019) == "2019"
    for spec in ledger.notebooks.values():
        for p in spec.parameters.values():
            assert p.label and p.title != p.name, p.name
            if p.type == "str":
                assert all(c in dict(p.labels) for c in p.choices), p.name
