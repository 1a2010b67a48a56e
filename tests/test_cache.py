"""The execution cache: a notebook is skipped only when its result is known, and each of the five
parts of the key (cells, parameters, data, package source, lock file) invalidates it."""
import json
import shutil

import nbformat
import pytest

from analysis import paths
from analysis.claims.ledger import Ledger, NotebookSpec, ParameterSpec, load_ledger
from analysis.report import cache, runner, site

NAME = "01_tiny"


def tiny_notebook(code="print(x * 2)"):
    node = nbformat.v4.new_notebook()
    node.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    node.cells = [nbformat.v4.new_markdown_cell("# A tiny notebook"),
                  nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                  nbformat.v4.new_code_cell(code)]
    return node


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A one-notebook ledger (parameter x), its own processed-data folder, lock file and a copy
    of the analysis package as the "source" the key covers."""
    real = load_ledger()
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(tiny_notebook(), folder / f"{NAME}.ipynb")
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    lock = tmp_path / "requirements.lock"
    lock.write_text("pandas==2.2.0\n", encoding="utf-8")
    package = tmp_path / "analysis"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    monkeypatch.setattr(paths, "PROCESSED", processed)
    monkeypatch.setattr(cache, "PACKAGE", package)
    monkeypatch.setattr(cache, "lock_file", lambda: lock)
    # this processed folder has no provenance.csv, and its table is edited on purpose below: the cache,
    # not the integrity check (tests/test_integrity.py), is under test here
    monkeypatch.setattr(runner.integrity, "verify_inputs", lambda *args, **kwargs: 0)
    monkeypatch.setattr(runner.integrity, "require_fresh_multiverse", lambda *args, **kwargs: None)
    spec = NotebookSpec(NAME, "A tiny notebook", {"x": ParameterSpec("x", "int", 1, "a number")})
    ledger = Ledger(article=real.article, notebooks={NAME: spec}, claims=real.claims)
    return ledger, tmp_path


def build(ledger, tmp_path, **kwargs):
    return runner.run(ledger=ledger, reports_dir=tmp_path / "reports", progress=False, **kwargs)


def output_text(tmp_path):
    node = nbformat.read(tmp_path / "reports" / "notebooks" / f"{NAME}.ipynb", as_version=4)
    return node.cells[-1].outputs[0]["text"]


def test_each_part_of_the_key_invalidates_the_cache_and_nothing_else_does(project, monkeypatch):
    ledger, tmp = project
    first = build(ledger, tmp)
    assert first.ok and first.cached == [] and list(first.timings) == [NAME]
    assert output_text(tmp) == "2\n"

    same = build(ledger, tmp)
    assert same.cached == [NAME] and same.timings == {}, "nothing changed: the result is reused"

    changed = build(ledger, tmp, overrides={"x": "5"})  # 1. a parameter
    assert changed.cached == [] and output_text(tmp) == "10\n"
    assert build(ledger, tmp, overrides={"x": "5"}).cached == [NAME]

    nbformat.write(tiny_notebook("print(x * 3)"), paths.NOTEBOOKS / f"{NAME}.ipynb")  # 2. a code cell
    assert build(ledger, tmp).cached == [] and output_text(tmp) == "3\n"
    assert build(ledger, tmp).cached == [NAME]

    (paths.PROCESSED / "table.csv").write_text("a,b\n1,3\n", encoding="utf-8")  # 3. a dataset
    assert build(ledger, tmp).cached == []
    assert build(ledger, tmp).cached == [NAME]

    with open(cache.PACKAGE / "verdicts.py", "a", encoding="utf-8") as fh:  # 4. the package source
        fh.write("\n# a change\n")
    assert build(ledger, tmp).cached == []
    assert build(ledger, tmp).cached == [NAME]

    cache.lock_file().write_text("pandas==2.2.1\n", encoding="utf-8")  # 5. the lock file
    assert build(ledger, tmp).cached == []
    assert build(ledger, tmp).cached == [NAME]

    assert build(ledger, tmp, use_cache=False).cached == [], "--no-cache executes anyway"


def test_the_record_holds_key_parts_outputs_and_timings(project):
    ledger, tmp = project
    build(ledger, tmp)
    folder = tmp / "reports" / "notebooks"
    record = json.loads((folder / f"{NAME}.cache.json").read_text(encoding="utf-8"))
    assert set(record["parts"]) == set(cache.PARTS)
    assert record["key"] == cache.cache_key(record["parts"])
    assert record["outputs"] == {f"{NAME}.ipynb": cache.sha256_file(folder / f"{NAME}.ipynb"),
                                 f"{NAME}.body.html": cache.sha256_file(folder / f"{NAME}.body.html")}
    assert record["timings"]["execute"] > 0 and record["timings"]["kernel_starts"] == 1


def test_an_edited_or_missing_output_is_not_reused(project):
    ledger, tmp = project
    build(ledger, tmp)
    executed = tmp / "reports" / "notebooks" / f"{NAME}.ipynb"
    executed.write_text(executed.read_text(encoding="utf-8").replace('"2\\n"', '"42\\n"'), encoding="utf-8")
    assert build(ledger, tmp).cached == []
    assert output_text(tmp) == "2\n"
    (tmp / "reports" / "notebooks" / f"{NAME}.body.html").unlink()
    assert build(ledger, tmp).cached == []


def test_a_cached_page_gets_this_build_s_header(project, monkeypatch):
    ledger, tmp = project
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    build(ledger, tmp)
    page = tmp / "reports" / f"{NAME}.html"
    assert "1970-01-01T00:00:00Z" in page.read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert build(ledger, tmp).cached == [NAME]
    text = page.read_text(encoding="utf-8")
    assert "1970-01-02T00:00:00Z" in text and "1970-01-01T00:00:00Z" not in text
    assert "A tiny notebook" in text and site.HEADER_SLOT not in text


def test_the_key_covers_the_real_inputs():
    data = {p.relative_to(paths.ROOT).as_posix() for p in cache.data_files()}
    article = paths.DEFAULT_ARTICLE.relative_to(paths.ROOT).as_posix()
    assert {"data/processed/rd_scoreboard.csv", "data/raw/rd_spending/facts.csv", f"{article}/article.txt",
            "data/raw/manifest.csv", f"{article}/claims.yaml", f"{article}/multiverse.csv"} <= data
    assert not any(p.startswith("data/raw/incidents/nvd_feeds") for p in data)  # pinned by the manifest's SHA-256
    source = {p.relative_to(cache.PACKAGE).as_posix() for p in cache.source_files()}
    assert {"report/runner.py", "report/cache.py", "data/rd.py", "measures/scoreboard.py", "claims/judge.py",
            "templates/audit/index.html.j2", "schemas/claims.schema.json"} <= source
    assert not any("__pycache__" in p for p in source)
    assert cache.lock_file() == paths.ROOT / "requirements.lock"


def test_the_notebook_digest_ignores_outputs_but_not_markdown(tmp_path):
    node = tiny_notebook()
    nbformat.write(node, tmp_path / "a.ipynb")
    node.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    node.cells[-1].execution_count = 3
    nbformat.write(node, tmp_path / "b.ipynb")
    node.cells[0].source = "# A renamed notebook"
    nbformat.write(node, tmp_path / "c.ipynb")
    a, b, c = (cache.notebook_digest(tmp_path / f"{n}.ipynb") for n in "abc")
    assert a == b != c


def test_parameters_digest_is_order_free_and_type_aware():
    assert cache.digest_json({"a": 1, "b": [1, 2]}) == cache.digest_json({"b": [1, 2], "a": 1})
    assert cache.digest_json({"a": 1}) != cache.digest_json({"a": "1"})
