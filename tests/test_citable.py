"""The project can be cited, licensed and run by a reader: LICENSE, CITATION.cff, binder/, environment.yml.

CITATION.cff is validated against the Citation File Format 1.2.0 JSON schema with jsonschema (already a
dependency; cffconvert, the format's own validator, requires jsonschema < 4 and cannot share this
environment).  The schema is the format's own file, committed unchanged in tests/schemas/: from
https://github.com/citation-file-format/citation-file-format, tag 1.2.0 (commit
396f738fb025b1d8acdb02a56ffc923f95dc8999), file schema.json, licence CC BY 4.0, pinned by SHA-256 below.
"""
import datetime
import hashlib
import importlib.util
import json
import re
import tomllib

import jsonschema
import pytest
import yaml

from analysis import paths

SCHEMA = paths.ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.json"
SCHEMA_SHA256 = "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"
#: Packages only the build and tests need: a reader's environment must not install them.
TEST_TOOLS = {"pytest", "nbval", "pip-tools", "selenium", "dask", "distributed", "pytest-xdist"}
PROJECT = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def cff_errors(document) -> list:
    """The schema's complaints about a CITATION.cff document (parsed YAML), one string each."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(document)]


def load_cff(text: str):
    """CITATION.cff as the format reads it: YAML whose dates stay ISO strings."""
    def strings(node):
        if isinstance(node, dict):
            return {k: strings(v) for k, v in node.items()}
        if isinstance(node, list):
            return [strings(v) for v in node]
        return node.isoformat() if isinstance(node, datetime.date) else node
    return strings(yaml.safe_load(text))


def citation():
    return load_cff((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_the_schema_is_the_pinned_one():
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_citation_cff_is_valid():
    assert cff_errors(citation()) == []


@pytest.mark.parametrize("change, complaint", [
    (lambda d: d.pop("authors"), "'authors' is a required property"),
    (lambda d: d.update(license="MIT-ish"), "license"),
    (lambda d: d.update({"date-released": "2026-13-45"}), "date-released"),
    (lambda d: d["references"][0].pop("type"), "references/0"),
])
def test_the_validator_catches_a_broken_citation(change, complaint):
    broken = citation()
    change(broken)
    errors = cff_errors(broken)
    assert errors and any(complaint in e for e in errors), errors


def test_citation_agrees_with_the_package_metadata():
    cff = citation()
    assert cff["version"] == PROJECT["version"]
    assert cff["license"] == PROJECT["license"]["text"] == "MIT"
    assert PROJECT["description"].rstrip(".") in " ".join(cff["abstract"].split())


def test_citation_names_the_audited_article_as_its_ledger_does():
    article = yaml.safe_load((paths.ROOT / "articles" / "huawei-not-spying-2019" / "article.yaml").read_text())
    reference = next(r for r in citation()["references"] if r.get("url") == article["url"])
    assert reference["title"] == article["title"]
    assert [f"{a['given-names']} {a['family-names']}" for a in reference["authors"]] == [article["author"]]


def test_licence_file_is_the_mit_licence_the_metadata_names():
    text = (paths.ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text and 'PROVIDED "AS IS"' in text
    assert re.search(r"^Copyright \(c\) \d{4} \S", text, flags=re.M)


def binder_tool():
    spec = importlib.util.spec_from_file_location("binder_requirements", paths.ROOT / "tools" / "binder_requirements.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_binder_requirements_are_derived_from_the_lock():
    committed = (paths.ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert committed == binder_tool().requirements_text(paths.ROOT), (
        "binder/requirements.txt is out of date with requirements.lock; run `python tools/binder_requirements.py`")


def test_binder_installs_what_a_reader_needs_and_no_test_tools():
    tool = binder_tool()
    lock = tool.parse_lock((paths.ROOT / "requirements.lock").read_text(encoding="utf-8"))
    pins = [line for line in (paths.ROOT / "binder" / "requirements.txt").read_text().splitlines()
            if line and not line.startswith("#")]
    names = {line.split("==")[0] for line in pins}
    assert all(lock[line.split("==")[0]][0] == line for line in pins)  # each pin is the lock's
    needed = {tool.canonical(n) for n in tool.reader_roots((paths.ROOT / "pyproject.toml").read_text())}
    assert {"papermill", "ipykernel", "jupyterlab", "matplotlib"} <= needed <= names
    assert not names & TEST_TOOLS
    assert (paths.ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    post = (paths.ROOT / "binder" / "postBuild").read_text()
    assert "--no-deps -e ." in post  # the package itself, nothing unpinned


def test_the_lock_tool_raises_on_a_root_the_lock_lacks():
    with pytest.raises(ValueError, match="no pin for missing"):
        binder_tool().reader_pins("a==1\n    # via claim-audit (pyproject.toml)\n", roots={"a", "missing"})


def test_environment_yml_installs_no_test_tools():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    extras = {e.strip() for line in pip for group in re.findall(r"\[([^\]]*)\]", line) for e in group.split(",")}
    assert "dev" not in extras and "lab" in extras, pip
    assert not any(canonical in line for line in pip for canonical in TEST_TOOLS), pip


def test_the_lock_tool_examples_run():
    import doctest

    assert doctest.testmod(binder_tool()).failed == 0
