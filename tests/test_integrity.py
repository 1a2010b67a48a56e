"""Integrity before publishing: a committed input that no longer matches its recorded SHA-256 (a processed
table, a fact table or the article text edited by hand, a multiverse table evaluated from another ledger)
stops the build with one message naming each file, the recorded and the actual hash and the fix; a fact
table is checked against its schema when it is loaded.

Every test works on a copy of the project's inputs under tmp_path (analysis.paths pointed at it)."""
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analysis import cli, paths
from analysis.data import facts, manifest

SLUG = paths.DEFAULT_ARTICLE.name
ARTICLE = f"articles/{SLUG}"

#: A declared choice value of the op-ed's ledger (rd-top-five-2018's 2017 edition); removing it changes the choices.
DROPPED_CHOICE = ('        - {value: 2017, sensitivity: "another period: the 2017 edition ranks fiscal 2016/17 spending, '
                  'not 2018"}\n')


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


def problems(err):
    """The lines of an IntegrityError's message after its heading."""
    head, *lines = str(err.value).split("\n")
    assert "do not match their recorded SHA-256; nothing was built or shown" in head
    return [line.strip() for line in lines]


def no_kernel(*args, **kwargs):
    raise AssertionError("a notebook was started despite a mismatch")


# --- a clean checkout ------------------------------------------------------------------------------

def test_a_clean_checkout_and_a_clean_copy_verify(project):
    from analysis.data import integrity

    assert integrity.check_inputs() == []
    done = subprocess.run([sys.executable, "-m", "analysis", "verify"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("verified ") and " files against their recorded SHA-256 in " in done.stdout


def test_provenance_records_the_sha256_of_each_processed_table():
    rows = pd.read_csv(paths.PROCESSED / "provenance.csv", dtype=str)
    for output, recorded in rows.drop_duplicates("output")[["output", "output_sha256"]].itertuples(index=False):
        assert recorded == sha(paths.PROCESSED / output), f"{output}: run `python -m analysis build-data --force`"


# --- each hand edit is stopped, with the file, both hashes and the fix ------------------------------

def test_a_hand_edited_processed_table_stops_the_run_before_any_kernel(project, monkeypatch):
    from analysis.errors import IntegrityError
    from analysis.report import runner

    table = paths.PROCESSED / "rd_scoreboard.csv"
    recorded = sha(table)
    replace_once(table, ",HUAWEI INVESTEMENT & HOLDING CO,China,Technology Hardware & Equipment,12739.6,",
                 ",HUAWEI INVESTEMENT & HOLDING CO,China,Technology Hardware & Equipment,20000.0,")
    monkeypatch.setattr(runner, "_run_tasks", no_kernel)
    with pytest.raises(IntegrityError) as err:
        runner.run(reports_dir=project / "reports", progress=False)
    assert problems(err) == [(
        f"data/processed/rd_scoreboard.csv: edited by hand or stale: recorded SHA-256 {recorded} "
        f"(data/processed/provenance.csv), actual {sha(table)}; fix: run `make data`, or restore it "
        f"(`git checkout -- data/processed/rd_scoreboard.csv`)")]
    assert not (project / "reports").exists()


def test_a_hand_edited_fact_table_is_stopped(project):
    from analysis.data import integrity
    from analysis.errors import IntegrityError

    table = paths.RAW / "rd_spending" / "facts.csv"
    replace_once(table, "b,Huawei,Research and development expenses,2019,131659,",
                 "b,Huawei,Research and development expenses,2019,181659,")
    with pytest.raises(IntegrityError) as err:
        integrity.verify_inputs()
    assert problems(err) == [(
        f"data/raw/rd_spending/facts.csv: edited by hand: recorded SHA-256 "
        f"{manifest.get('facts_rd_spending').sha256} (data/raw/manifest.csv), actual {sha(table)}; fix: restore it "
        f"(`git checkout -- data/raw/rd_spending/facts.csv`); if the change is meant, update its sha256 and bytes "
        f"in data/raw/manifest.csv and run `make data`")]


def test_an_edited_article_text_is_stopped(project):
    from analysis.data import integrity
    from analysis.errors import IntegrityError

    text = paths.DEFAULT_ARTICLE / "article.txt"
    recorded = sha(text)
    replace_once(text, "top five", "top three")
    with pytest.raises(IntegrityError) as err:
        integrity.verify_inputs(paths.DEFAULT_ARTICLE)
    assert problems(err) == [(
        f"{ARTICLE}/article.txt: edited: recorded SHA-256 {recorded} ({ARTICLE}/article.yaml), actual {sha(text)}; "
        f"fix: restore it (`git checkout -- {ARTICLE}/article.txt`); if the new text is meant, update field "
        f"'sha256' in {ARTICLE}/article.yaml and the claims' offsets")]


def test_a_changed_choice_makes_the_multiverse_stale_and_it_is_never_shown(project):
    from analysis.claims import multiverse
    from analysis.claims.ledger import load_ledger
    from analysis.data import integrity
    from analysis.errors import IntegrityError
    from analysis.report.scorecard import build_scorecard

    folder = paths.DEFAULT_ARTICLE
    recorded = json.loads((folder / "multiverse.inputs.json").read_text(encoding="utf-8"))["ledger"]
    replace_once(folder / "claims.yaml", DROPPED_CHOICE, "")
    with pytest.raises(IntegrityError) as err:
        integrity.verify_inputs(folder)
    [line] = problems(err)
    assert line == (
        f"{ARTICLE}/multiverse.csv: stale, {ARTICLE}/claims.yaml changed (claims' measures, arguments, parameters, "
        f"choices, stated values or caveats): recorded SHA-256 {next(iter(recorded.values()))} "
        f"({ARTICLE}/multiverse.inputs.json), actual {integrity.ledger_digest(folder)}; "
        f"fix: run `python -m analysis multiverse --article {ARTICLE}`")
    ledger = load_ledger(folder)
    with pytest.raises(IntegrityError, match="multiverse.csv: stale"):  # the scorecard's robustness column
        build_scorecard(ledger, [])
    with pytest.raises(IntegrityError, match="multiverse.csv: stale"):  # notebook 07
        multiverse.load_multiverse(ledger=ledger)

    assert cli.main(["multiverse", "--article", str(folder)]) == 0  # the fix named
    assert integrity.check_inputs(folder) == []
    card = build_scorecard(ledger, []).set_index("claim_id")
    assert card.loc["rd-top-five-2018", "robustness"] == ("supported in 1/1 defensible reading; sensitivity checks, not "
                                                          "fair readings of the claim: 0 of 2 give another verdict")


@pytest.mark.parametrize("change, problem", [
    ("edit", "edited by hand"),
    ("drop record", "no record of its inputs (articles/{slug}/multiverse.inputs.json missing or unreadable)"),
    ("edit source", "stale, {package}/claims/judge.py changed"),
])
def test_a_multiverse_table_edited_unrecorded_or_evaluated_by_other_code_is_stale(project, monkeypatch, tmp_path,
                                                                                  change, problem):
    from analysis.data import integrity
    from analysis.errors import IntegrityError

    table = paths.DEFAULT_ARTICLE / "multiverse.csv"
    if change == "edit":
        replace_once(table, "rd-top-five-2018,de2ee07f890d,False,False,\"{\"\"edition\"\":2017}\",6,6.0,rank,not supported",
                     "rd-top-five-2018,de2ee07f890d,False,False,\"{\"\"edition\"\":2017}\",6,6.0,rank,supported")
    elif change == "drop record":
        (paths.DEFAULT_ARTICLE / "multiverse.inputs.json").unlink()
    else:
        package = tmp_path / "analysis"
        shutil.copytree(integrity.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
        with open(package / "claims" / "judge.py", "a", encoding="utf-8") as fh:
            fh.write("\n# a change\n")
        monkeypatch.setattr(integrity, "PACKAGE", package)
    with pytest.raises(IntegrityError) as err:
        integrity.verify_inputs()
    [line] = problems(err)
    expected = problem.format(slug=SLUG, package=str(tmp_path / "analysis"))
    assert line.startswith(f"{ARTICLE}/multiverse.csv: {expected}: recorded SHA-256 ")
    assert line.endswith(f"; fix: run `python -m analysis multiverse --article {ARTICLE}`")


def test_a_processed_table_built_from_a_raw_file_the_manifest_no_longer_pins(project):
    from analysis.data import integrity
    from analysis.errors import IntegrityError

    text = paths.MANIFEST.read_text(encoding="utf-8")  # read as text: the copy is re-pinned before it is loaded
    old = next(line.split(",")[2] for line in text.splitlines() if line.startswith("fx_annual_fred,"))
    replace_once(paths.MANIFEST, old, "0" * 64)
    with pytest.raises(IntegrityError) as err:
        integrity.verify_inputs()
    assert problems(err) == [(
        f"data/processed/fx_annual.csv: built from rd_spending/fx_annual_datahub_fred.csv as it was before the "
        f"manifest re-pinned it: recorded SHA-256 {old} (data/processed/provenance.csv), actual {'0' * 64}; "
        f"fix: run `make data`")]


def test_every_mismatch_is_in_one_message_and_the_command_exits_2(project, capsys):
    replace_once(project / "data" / "processed" / "rd_scoreboard.csv", ",12739.6,", ",20000.0,")
    replace_once(project / "data" / "raw" / "rd_spending" / "facts.csv", ",2019,131659,", ",2019,181659,")
    replace_once(project / ARTICLE / "article.txt", "top five", "top three")
    replace_once(project / ARTICLE / "claims.yaml", DROPPED_CHOICE, "")
    env = {**os.environ, "ANALYSIS_ROOT": str(project)}
    done = subprocess.run([sys.executable, "-m", "analysis", "verify"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    head, *lines = done.stderr.strip().split("\n")
    assert head.startswith("error: 4 input file(s) do not match their recorded SHA-256")
    assert [line.strip().split(":")[0] for line in lines] == [
        "data/raw/rd_spending/facts.csv", "data/processed/rd_scoreboard.csv", f"{ARTICLE}/article.txt",
        f"{ARTICLE}/multiverse.csv"]
    # and `multiverse` refuses to record a table evaluated from edited inputs (the text restored: the
    # ledger's loader would stop at it first)
    replace_once(project / ARTICLE / "article.txt", "top three", "top five")
    record = (project / ARTICLE / "multiverse.inputs.json").read_bytes()
    assert cli.main(["multiverse"]) == 2
    assert "data/processed/rd_scoreboard.csv: edited by hand or stale" in capsys.readouterr().err
    assert (project / ARTICLE / "multiverse.inputs.json").read_bytes() == record


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
