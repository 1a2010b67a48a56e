"""Input limits of the ledger: values of the wrong type are named at load time (claims without a
theme notebook too, and measure arguments against the measure's type hints); the YAML files are
read with bounds on size, aliases and nesting, so a small file cannot blow up into a huge one."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import measures
from analysis.claims.ledger import load_ledger
from analysis.errors import LedgerError

FIXTURE = Path(__file__).parent / "fixtures" / "articles" / "rd-and-population-fixture"


@pytest.fixture
def article(tmp_path):
    """A copy of the fixture article (claims without a theme notebook) whose ledger a test edits."""
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)

    def edit(old, new):
        ledger = folder / "claims.yaml"
        text = ledger.read_text(encoding="utf-8")
        assert old in text, old
        ledger.write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder

    return edit


def cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("old, new, expected", [
    # a choice of another type than the headline value is not coerced silently
    ("{value: un_wpp2022,", "{value: 2019,",
     "claim 'world-population-7-7bn-2019' (entry 5), field 'choices.source': parameter 'source': 2019 is an int, "
     "not a str like its headline value 'world_bank'"),
    ("{value: 2020, defensible", '{value: "2020", defensible',
     "claim 'huawei-ranked-3rd-2020' (entry 1), field 'choices.edition': parameter 'edition': '2020' is a str, "
     "not an int like its headline value 2020"),
    ("{value: 2019, sensitivity", "{value: 2019.0, sensitivity",
     "field 'choices.edition': parameter 'edition': 2019.0 is a float, not an int"),
    # a group of choices: each parameter of each set
    ('choices: {fx_source: [{value: fred_datahub, defensible: "the Federal Reserve rate as republished by FRED"}, '
     '{value: fed_g5a, defensible: "the Federal Reserve own rate"}]}',
     "choices: {fx: [{value: {fx_source: fred_datahub}, defensible: a}, {value: {fx_source: [1]}, defensible: b}]}",
     "claim 'samsung-rd-about-17-5bn-usd' (entry 3), field 'choices.fx': parameter 'fx_source': [1] is a list, "
     "not a str"),
    # a parameter that is no value at all
    ("parameters: {source: world_bank}", "parameters: {source: null}",
     "claim 'world-population-7-7bn-2019' (entry 5), field 'parameters.source': None is not a parameter value"),
    # measure arguments against the measure's type hints: literal, through a parameter, nested
    ("args: {entity: Huawei, edition: $edition}", 'args: {entity: Huawei, edition: "2019x"}',
     "claim 'huawei-ranked-3rd-2020' (entry 1), field 'args.edition': measure 'scoreboard.rank' expects an int, "
     "got '2019x' (a str)"),
    ('parameters: {edition: 2020}\n    choices: {edition: [{value: 2019, sensitivity: "another period: an earlier '
     'edition"}, {value: 2020, defensible: "the edition the sentence names"}]}', 'parameters: {edition: "2019x"}',
     "claim 'huawei-ranked-3rd-2020' (entry 1), field 'args.edition': measure 'scoreboard.rank' expects an int, "
     "got '2019x' (a str, parameter $edition)"),
    ("amount: {measure: scoreboard.rd, args: {entity: Samsung Electronics, edition: 2019}}",
     'amount: {measure: scoreboard.rd, args: {entity: Samsung Electronics, edition: "2019"}}',
     "claim 'samsung-rd-about-17-5bn-usd' (entry 3), field 'args.amount.args.edition': measure 'scoreboard.rd' "
     "expects an int, got '2019' (a str)"),
    ("fx_source: $fx_source\n      fx_year: 2018", "fx_source: $fx_source\n      fx_year: true",
     "claim 'samsung-rd-about-17-5bn-usd' (entry 3), field 'args.fx_year': measure 'fx.usd_billion' expects an "
     "int, got True (a bool)"),
    ("args: {source: $source, vintage: \"2023-05-04\", year: 2019}",
     "args: {source: $source, vintage: \"2023-05-04\", year: {measure: scoreboard.rank, args: {entity: A, edition: 1}}}",
     "field 'args.year': measure 'population.world' expects an int, got a measurement ({measure, args})"),
])
def test_a_value_of_the_wrong_type_is_a_ledger_error_naming_claim_and_field(article, old, new, expected):
    with pytest.raises(LedgerError) as err:
        load_ledger(article(old, new))
    assert expected in str(err.value)


def test_a_measurement_argument_needs_a_measurement():
    problems = measures.argument_problems({"measure": "derived.share", "args": {"part": 3, "whole": {
        "measure": "fact.value", "args": {"fact": "x"}}}})
    assert problems == [("args.part", "measure 'derived.share' expects a measurement ({measure, args}), got 3 (an int)")]


def test_the_ledgers_of_the_project_pass_the_type_checks():
    for folder in (None, FIXTURE):
        load_ledger(folder)


def test_multiverse_on_a_wrong_typed_choice_ends_in_one_line(article):
    folder = article("{value: un_wpp2022,", "{value: 2019,")
    before = (folder / "multiverse.csv").read_bytes()
    done = cli("multiverse", "--article", str(folder))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert "field 'choices.source': parameter 'source': 2019 is an int" in done.stderr
    assert (folder / "multiverse.csv").read_bytes() == before  # nothing written


def test_multiverse_on_a_value_the_data_do_not_hold_ends_in_one_line(article):
    folder = article("{value: un_wpp2022,", "{value: un_wpp2030,")
    done = cli("multiverse", "--article", str(folder))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert "measure 'population.world'" in done.stderr and "un_wpp2030" in done.stderr


# --- the YAML files: bounded size, aliases and nesting ------------------------------------------

def alias_bomb(levels, fanout):
    """A flow list of ``levels`` anchored lists, each holding ``fanout`` aliases of the one before:
    a few KB of text that expands to fanout**levels values."""
    parts = [f"&a0 [{', '.join(['lol'] * fanout)}]"]
    parts += [f"&a{i} [{', '.join([f'*a{i - 1}'] * fanout)}]" for i in range(1, levels + 1)]
    return "[" + ", ".join(parts) + "]"


#: Loads a ledger in a child process under a memory bound (200 MB more than after the imports),
#: and prints how long the load took and how it ended.
BOUNDED_LOAD = """
import resource, sys, time
from analysis.claims.ledger import load_ledger
from analysis.errors import AuditError
pages = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (pages + 200 * 2**20, resource.RLIM_INFINITY))
start = time.monotonic()
try:
    load_ledger(sys.argv[1])
    outcome = "loaded"
except AuditError as exc:
    outcome = f"error: {exc}"
print(f"{time.monotonic() - start:.3f}")
print(outcome)
"""


def bounded_load(folder):
    """(seconds, outcome) of loading ``folder``'s ledger in a child process with bounded memory."""
    try:
        done = subprocess.run([sys.executable, "-c", BOUNDED_LOAD, str(folder)], capture_output=True, text=True,
                              timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("loading the ledger did not end within 30 s")
    assert done.returncode == 0, done.stderr[-2000:]
    seconds, outcome = done.stdout.split("\n", 1)
    return float(seconds), outcome.strip()


ARGS = "args: {entity: Huawei, edition: $edition}"
EXPANDS = "its YAML aliases expand to more than 1,000,000 values"


@pytest.mark.parametrize("file, old, new, expected", [
    # 40 KB of nested aliases, standing for 10**500 values
    ("claims.yaml", ARGS, ARGS[:-1] + ", x: " + alias_bomb(500, 10) + "}", f"claims.yaml: {EXPANDS} (at line 14)"),
    # fewer aliases than the bound (81), still standing for 9**9 values
    ("claims.yaml", ARGS, ARGS[:-1] + ", x: " + alias_bomb(9, 9) + "}", f"claims.yaml: {EXPANDS} (at line 14)"),
    ("claims.yaml", ARGS, ARGS[:-1] + ", x: [&s lol" + ", *s" * 150 + "]}",
     "claims.yaml: more than 100 YAML aliases (*name), the last at line 14"),
    # an alias inside the mapping it names: an endless structure
    ("claims.yaml", ARGS, "args: &me {entity: Huawei, edition: $edition, x: *me}",
     "claims.yaml, line 14: the YAML alias *me refers to a collection that holds it"),
    ("claims.yaml", ARGS, ARGS[:-1] + ", x: " + "[" * 60 + "]" * 60 + "}",
     "claims.yaml, line 14: nested more than 50 levels deep"),
    ("claims.yaml", ARGS, ARGS[:-1] + ", x: " + "[" * 5000 + "]" * 5000 + "}", "claims.yaml"),
    ("article.yaml", 'notes: "A fixture', "notes: " + alias_bomb(500, 10) + '\nlicence: "A fixture',
     f"article.yaml: {EXPANDS} (at line 12)"),
    ("article.yaml", 'notes: "A fixture', "notes: [&s lol" + ", *s" * 150 + ']\nlicence: "A fixture',
     "article.yaml: more than 100 YAML aliases (*name)"),
])
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc (Linux)")
def test_a_small_yaml_file_cannot_expand_into_a_huge_one(tmp_path, file, old, new, expected):
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    assert (folder / file).stat().st_size < 45_000
    seconds, outcome = bounded_load(folder)
    assert outcome.startswith("error: ") and outcome.count("\n") == 0, outcome[:500]
    assert f"{folder / file}{expected[len(file):]}" in outcome
    assert seconds < 2


@pytest.mark.parametrize("file", ["claims.yaml", "article.yaml"])
def test_a_yaml_file_beyond_the_size_bound_is_refused_before_it_is_read(tmp_path, file):
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    with open(folder / file, "a", encoding="utf-8") as fh:
        fh.write("# padding\n" * 220_000)
    with pytest.raises(LedgerError) as err:
        load_ledger(folder)
    assert str(err.value) == (f"{folder / file} is 2,200,000+ bytes; a ledger or article file may have at most "
                              f"2,000,000: is it the right file?").replace("2,200,000+", f"{(folder / file).stat().st_size:,}")


@pytest.mark.parametrize("file", ["claims.yaml", "article.yaml"])
def test_a_yaml_file_that_is_not_utf8_or_not_yaml_is_one_line(tmp_path, file):
    folder = tmp_path / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    (folder / file).write_bytes((folder / file).read_bytes() + b"\nbad: \xff\xfe\n")
    with pytest.raises(LedgerError, match=f"{file} is not UTF-8 text .*byte 0xff at position") as err:
        load_ledger(folder)
    assert "\n" not in str(err.value)
    (folder / file).write_text("claims: [unclosed\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=f"{file} is not valid YAML: .*line 2") as err:
        load_ledger(folder)
    assert "\n" not in str(err.value)
