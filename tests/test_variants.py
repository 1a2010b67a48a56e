"""Published report vs variant.

The published report (``reports/<slug>/``) is written only by a complete run with the ledger's
parameters; a run with ``-p`` is a *variant* (``reports/<slug>/variants/<name>/``, marked on every
page, a ``parameters`` column, no ClaimReview ratings); a subset run (``--notebook``) updates the
published report only when every other notebook's result in it is current, else it is refused.

Two small notebooks stand in for the real ones (each publishes one verdict; ``01_a``'s depends on
its parameter ``x``), so every test runs in seconds.
"""
import json
from dataclasses import replace

import nbformat
import pandas as pd
import pytest

from analysis import cli, paths
from analysis.claims.audit import MIME_TYPE
from analysis.claims.ledger import Ledger, NotebookSpec, ParameterSpec, load_ledger
from analysis.errors import AuditError
from analysis.report import runner
from analysis.report.variants import variant_name

#: The two claims the fake notebooks check (real ledger entries moved to the fake notebooks).
A, B = "rd-top-five-2018", "rd-spend-over-15bn-2019"


def record(claim_id, verdict) -> dict:
    return {"claim_id": claim_id, "verdict": verdict, "measured_value": 5, "stated_value": 5, "unit": "rank",
            "rule": "5 <= 5", "reason": f"Fake verdict {verdict}.", "vintage": "test", "sources": [],
            "parameters": {}, "policies": []}


def write_notebook(name, claim_id, verdict_if_x_is_1, otherwise="not supported"):
    """A notebook with parameter ``x`` (default 1) that publishes one verdict on ``claim_id``."""
    node = nbformat.v4.new_notebook()
    node.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    yes, no = json.dumps(record(claim_id, verdict_if_x_is_1)), json.dumps(record(claim_id, otherwise))
    publish = ("import json\nfrom IPython.display import display\n"
               f"found = json.loads({yes!r} if x == 1 else {no!r})\n"
               f"display({{{MIME_TYPE!r}: [found], 'text/plain': found['verdict']}}, raw=True)")
    node.cells = [nbformat.v4.new_markdown_cell(f"# Notebook {name}"), params, nbformat.v4.new_code_cell(publish)]
    nbformat.write(node, paths.NOTEBOOKS / f"{name}.ipynb")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """``(ledger, published folder)``: two fake notebooks, reports under a temporary ``reports/``."""
    real = load_ledger()
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")
    paths.NOTEBOOKS.mkdir()
    write_notebook("01_a", A, "supported")
    write_notebook("02_b", B, "supported with caveats")
    x = ParameterSpec("x", "int", 1, "a number")
    specs = {"01_a": NotebookSpec("01_a", "Notebook A", {"x": x}), "02_b": NotebookSpec("02_b", "Notebook B")}
    claims = tuple(replace(real.claim(c), notebook=n, choices={}) for c, n in ((A, "01_a"), (B, "02_b")))
    ledger = Ledger(article=real.article, notebooks=specs, claims=claims)
    monkeypatch.setattr(runner, "load_ledger", lambda article=None: ledger)
    return ledger, real.article.reports_dir()


def run(ledger, **kwargs):
    return runner.run(ledger=ledger, jobs=1, progress=False, **kwargs)


def verdicts(folder) -> dict:
    card = pd.read_csv(folder / "scorecard.csv", keep_default_na=False)
    return dict(zip(card["claim_id"], card["verdict"]))


def ratings(folder) -> dict:
    graph = json.loads((folder / "claimreview.jsonld").read_text(encoding="utf-8"))["@graph"]
    return {r["identifier"]: r["reviewRating"]["alternateName"] for r in graph}


def snapshot(folder) -> dict:
    """Every file under ``folder`` (variants aside) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "variants" not in p.relative_to(folder).parts}


# --- a subset run updates the published report, or is refused --------------------------------------

def test_a_subset_run_after_a_full_build_keeps_every_other_claims_verdict(project):
    ledger, published = project
    assert run(ledger).ok
    assert verdicts(published) == {A: "supported", B: "supported with caveats"}
    page_a = (published / "01_a.html").read_bytes()
    write_notebook("02_b", B, "not supported")  # only 02_b changed: 01_a's result is still current

    result = run(ledger, notebooks=["02_b"])
    assert result.ok and list(result.timings) == ["02_b"]
    assert verdicts(published) == {A: "supported", B: "not supported"}
    assert ratings(published) == {A: "supported", B: "not supported"}
    assert 'href="01_a.html#claim-' in (published / "index.html").read_text(encoding="utf-8")
    assert (published / "01_a.html").read_bytes() == page_a  # only the subset's pages are rewritten
    assert "not supported" in (published / "02_b.html").read_text(encoding="utf-8")
    card = pd.read_csv(published / "scorecard.csv", keep_default_na=False)
    assert card["parameters"].tolist() == ["", ""]  # the published report changes no parameter


def test_a_subset_run_without_a_current_full_build_is_refused_and_changes_nothing(project, capsys):
    ledger, published = project
    assert cli.main(["run", "--notebook", "02_b", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: cannot update only 02_b in {published}: the result of 01_a there is missing or "
                   f"out of date; run without --notebook, or rerun it too (--notebook 01_a)\n")
    assert not published.exists()

    assert run(ledger).ok
    before = snapshot(published)
    write_notebook("01_a", A, "conflicting")  # 01_a's published result is no longer current
    assert cli.main(["run", "--notebook", "02_b", "--no-progress"]) == 2
    assert "the result of 01_a there is missing or out of date" in capsys.readouterr().err
    assert snapshot(published) == before


# --- a run with changed parameters is a variant ------------------------------------------------------

def test_a_variant_leaves_the_published_files_byte_identical_and_is_marked(project):
    ledger, published = project
    assert run(ledger).ok
    before = snapshot(published)

    result = run(ledger, overrides={"x": "2"})
    assert result.ok and snapshot(published) == before
    variant = published / "variants" / "x=2"
    assert result.index == variant / "index.html" and result.scorecard == variant / "scorecard.csv"
    assert result.cached == ["02_b"]  # 02_b does not use x: its published result is reused
    assert verdicts(variant) == {A: "not supported", B: "supported with caveats"}
    card = pd.read_csv(variant / "scorecard.csv", keep_default_na=False)
    assert card["parameters"].tolist() == ['{"x": 2}', "{}"]  # what each claim was checked under
    assert not (variant / "claimreview.jsonld").exists()  # a variant is not the fact-check
    pages = sorted(p.name for p in variant.glob("*.html"))
    assert pages == ["01_a.html", "02_b.html", "about.html", "article.html", "candidates.html", "changes.html",
                     "index.html", "sources.html"]
    for page in pages:
        text = (variant / page).read_text(encoding="utf-8")
        assert 'class="variant-banner"' in text and "variant of the published fact-check" in text, page
        assert '<span class="mono">x = 2</span> (default 1)' in text, page
        assert 'href="../../index.html"' in text, page  # to the published report
    assert "claimreview.jsonld" not in (variant / "index.html").read_text(encoding="utf-8")


def test_a_variant_of_a_subset_marks_the_claims_it_did_not_check(project, tmp_path):
    ledger, _ = project
    out = tmp_path / "what-if"
    result = run(ledger, notebooks=["01_a"], overrides={"x": "2"}, reports_dir=out)
    assert result.ok and result.index == out / "index.html"
    assert verdicts(out) == {A: "not supported", B: "not run in this variant"}
    assert 'class="variant-banner"' in (out / "index.html").read_text(encoding="utf-8")


def test_a_variant_is_never_written_into_the_published_folder(project):
    ledger, published = project
    with pytest.raises(AuditError, match=r"is the published report; a run with -p writes a variant: leave out "
                                         r"--output \(it goes to .*variants/x=2\) or give another folder"):
        run(ledger, overrides={"x": "2"}, reports_dir=published)
    assert not published.exists()


def test_variant_names_are_readable_safe_and_short():
    assert variant_name({"edition": 2017}) == "edition=2017"
    assert variant_name({"top_n": 3, "edition": 2017}) == "edition=2017,top_n=3"
    odd = variant_name({"vendors": "a/b c"})
    assert odd.startswith("vendors=a_b_c-") and "/" not in odd
    assert odd != variant_name({"vendors": "a_b_c"})  # made safe, then told apart by a hash
    long = variant_name({f"parameter_{i}": "value" * 5 for i in range(5)})
    assert len(long) <= 80 and long.startswith("parameter_0=valuevalue")
