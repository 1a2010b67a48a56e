"""The fact tables' schema: a fact row whose link is not http(s), or a table missing a column, is refused when
the table is loaded, with the file, the line and the column.

Every test works on a copy of the project's inputs under tmp_path (analysis.paths pointed at it)."""
import csv
import hashlib
import io
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.data import facts, manifest

SLUG = paths.DEFAULT_ARTICLE.name
ARTICLE = f"articles/{SLUG}"


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def replace_once(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def copy_project(root):
    """What `run` reads and `verify` checks, copied under ``root``: processed tables, the manifest and
    the committed raw files, and the op-ed's folder (local dot-file records left out)."""
    dots = shutil.ignore_patterns(".*")
    shutil.copytree(paths.PROCESSED, root / "data" / "processed", ignore=dots)
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(paths.MANIFEST, raw / "manifest.csv")
    for entry in manifest.load_manifest().values():
        if entry.committed:
            (raw / entry.file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(entry.path, raw / entry.file)
    shutil.copytree(paths.DEFAULT_ARTICLE, root / ARTICLE, ignore=dots)
    return root


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the project's inputs, with analysis.paths pointed at it (root: tmp_path/project)."""
    root = copy_project(tmp_path / "project")
    for name, value in {"ROOT": root, "DATA": root / "data", "RAW": root / "data" / "raw",
                        "PROCESSED": root / "data" / "processed", "MANIFEST": root / "data" / "raw" / "manifest.csv",
                        "ARTICLES": root / "articles", "DEFAULT_ARTICLE": root / ARTICLE,
                        "LEDGER": root / ARTICLE / "claims.yaml"}.items():
        monkeypatch.setattr(paths, name, value)
    return root


@pytest.fixture
def fresh_facts():
    """Fact tables read again from the (copied) files, before and after the test."""
    def clear():
        for cached in (facts.load_facts, facts._positions, facts._ids):
            cached.cache_clear()
    clear()
    yield
    clear()


# --- the schema of the fact tables ------------------------------------------------------------------

def append_row(path, **values):
    """Append one row to a fact table; returns its line number."""
    columns = list(pd.read_csv(path, nrows=0).columns)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([values.get(c, "x") for c in columns])
    text = path.read_text(encoding="utf-8")
    path.write_text(text + out.getvalue(), encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,<b>hi</b>",
                                 "ftp://example.org/report.pdf", "(computed from rows above)", "https://"])
def test_a_fact_row_whose_url_is_not_http_is_refused_on_load(project, fresh_facts, url):
    from analysis.errors import DataSchemaError

    line = append_row(paths.RAW / "rd_spending" / "facts.csv", source_url=url)
    with pytest.raises(DataSchemaError) as err:
        facts.load_facts("facts_rd_spending")
    message = str(err.value)
    assert message.startswith("data/raw/rd_spending/facts.csv does not have the expected columns or values")
    assert f"column 'source_url' at line {line}: value {url!r} fails" in message
    assert "empty or an http(s) address" in message


def test_a_fact_table_missing_a_column_is_named(project, fresh_facts):
    from analysis.errors import DataSchemaError

    path = paths.RAW / "events" / "facts.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["quote"]).to_csv(path, index=False)
    with pytest.raises(DataSchemaError, match=r"data/raw/events/facts.csv does not have the expected columns or "
                                              r"values:\n  column 'quote' is missing"):
        facts.load_facts("facts_events")


def test_every_committed_fact_table_passes_the_fact_schema():
    from analysis.data import tables

    found = sorted(paths.RAW.glob("*/facts.csv"))
    assert len(found) == 5
    for path in found:
        tables.validate(pd.read_csv(path, dtype=str, keep_default_na=False), "raw:facts", path, fix=tables.FIX_FACTS)
