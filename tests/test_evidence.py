"""Evidence in every build: the committed table of cited rows (analysis.claims.evidence) and the
provenance page's use of it when the raw file is not in the checkout."""
import dataclasses
import hashlib
from pathlib import Path

import pytest

from analysis.claims import evidence
from analysis.claims.articles import list_articles
from analysis.claims.ledger import load_ledger
from analysis.claims.verdicts import Assessment, Source, Verdict
from analysis.data import provenance
from analysis.data.manifest import load_manifest
from analysis.errors import ChecksumError

FIXTURE = Path(__file__).parent / "fixtures" / "articles" / "rd-and-population-fixture"  # whatever the cwd
BOARD = "rd_spending/SB2019_World2500.csv"


def _pinned(tmp_path, text):
    """A raw folder with a made-up Scoreboard file, and a manifest whose Scoreboard entry pins it."""
    (tmp_path / "rd_spending").mkdir()
    (tmp_path / BOARD).write_text(text, encoding="utf-8")
    manifest = dict(load_manifest())
    key = provenance.dataset_for(BOARD, manifest).key
    manifest[key] = dataclasses.replace(manifest[key], sha256=hashlib.sha256(text.encode()).hexdigest())
    return manifest, manifest[key]


def test_the_cited_rows_of_uncommitted_files_are_read_with_their_pin(tmp_path):
    manifest, entry = _pinned(tmp_path, "World rank,Company\n1,A\n5,HUAWEI\n")
    refs = [f"data/raw/{BOARD}#L3", "data/raw/rd_spending/facts.csv#L2"]  # the second file is committed
    rows = evidence.read_rows(refs, manifest, tmp_path)
    assert rows == [{"ref": refs[0], "sha256": entry.sha256, "header": ["World rank", "Company"], "cells": ["5", "HUAWEI"]}]
    table = tmp_path / "cited.csv"
    table.write_text(evidence.to_csv(rows), encoding="utf-8")
    assert provenance.load_cited_rows(table) == {refs[0]: rows[0]}
    with pytest.raises(FileNotFoundError, match="cannot read line 9, cited as"):
        evidence.read_rows([f"data/raw/{BOARD}#L9"], manifest, tmp_path)


def test_no_row_is_kept_from_a_file_that_is_not_the_pinned_one(tmp_path):
    manifest, _ = _pinned(tmp_path, "World rank,Company\n1,A\n")
    (tmp_path / BOARD).write_text("World rank,Company\n1,B\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match="but the manifest pins"):
        evidence.read_rows([f"data/raw/{BOARD}#L2"], manifest, tmp_path)


def _citing_a_kept_row(line):
    """(manifest, an assessment citing line ``line`` of the Scoreboard file, a table keeping a fixture copy of
    that row as read from the pinned file)."""
    manifest = load_manifest()
    ref = f"data/raw/{BOARD}#L{line}"
    a = Assessment(claim_id="c", verdict=Verdict.SUPPORTED, measured_value=5, stated_value=5, unit="rank", rule="r",
                   reason="r", vintage="v", sources=[Source("board", "http://board", ref)])
    sha = provenance.dataset_for(BOARD, manifest).sha256
    return manifest, a, {ref: {"ref": ref, "sha256": sha, "header": ["Company"], "cells": ["HUAWEI"]}}


def test_the_sources_page_shows_a_kept_row_only_while_its_file_is_still_pinned(tmp_path):
    manifest, a, kept = _citing_a_kept_row(6)
    ref = f"data/raw/{BOARD}#L6"
    [row] = provenance.cited_rows([a], manifest, raw_dir=tmp_path, table=kept)
    assert row.available and row.from_table and row.fields == {"Company": "HUAWEI"}
    stale = {ref: {**kept[ref], "sha256": "0" * 64}}
    [row] = provenance.cited_rows([a], manifest, raw_dir=tmp_path, table=stale)
    assert not row.available and not row.from_table


def test_the_sources_page_shows_the_same_row_whether_or_not_the_raw_file_was_fetched(tmp_path):
    """The kept copy of the pinned file's row wins over a local raw file, so two checkouts of one commit, one
    with the raw file fetched and one without, build the same page (tests/test_reproducible.py)."""
    manifest, a, kept = _citing_a_kept_row(2)
    fetched, bare = tmp_path / "fetched", tmp_path / "bare"
    (fetched / BOARD).parent.mkdir(parents=True)
    (fetched / BOARD).write_text("Company\nA fixture company\n", encoding="utf-8")
    bare.mkdir()
    [with_file] = provenance.cited_rows([a], manifest, raw_dir=fetched, table=kept)
    [without] = provenance.cited_rows([a], manifest, raw_dir=bare, table=kept)
    assert with_file.fields == without.fields == {"Company": "HUAWEI"} and with_file.from_table
    [no_copy] = provenance.cited_rows([a], manifest, raw_dir=fetched, table={})
    assert no_copy.fields == {"Company": "A fixture company"} and not no_copy.from_table


@pytest.mark.parametrize("folder", [*list_articles(), FIXTURE], ids=lambda f: Path(f).name)
def test_the_committed_table_holds_every_row_the_headline_verdicts_cite(folder):
    """Fails when a ledger, the data or a measure changed which rows are cited: run `make data`
    (build-data; with `--article` for an article outside articles/) and commit data/cited_rows.csv."""
    manifest, table = load_manifest(), provenance.load_cited_rows()
    missing = []
    for ref in evidence.headline_refs(load_ledger(folder)):
        entry = provenance.dataset_for(provenance.parse_ref(ref)[0], manifest)
        if entry is not None and not entry.committed:
            if ref not in table or table[ref]["sha256"] != entry.sha256:
                missing.append(ref)
    assert not missing, f"data/cited_rows.csv lacks (or has a stale copy of) {missing}"
