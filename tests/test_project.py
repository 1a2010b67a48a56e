"""The project's promises about itself: README commands, CI, and one lock for every environment."""
import re
from importlib import metadata

import yaml

from analysis import paths

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


def lock_pins() -> dict:
    pins = {}
    for line in (paths.ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def canonical(name) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    setup = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\s*(make \w+)\s*(?:#.*)?$", setup, flags=re.M)
    assert commands == ["make report", "make test"]
    ci = (paths.ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.M)
    assert "ANALYSIS_DATA_MIRROR" in ci


def test_environment_yml_installs_from_the_same_lock():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-c requirements.lock" in pip or "-r requirements.lock" in pip
    header = (paths.ROOT / "requirements.lock").read_text()
    python = next(d for d in conda if d.startswith("python"))
    assert f"Python {python.split('=')[1]}" in header  # the lock was compiled for that Python
    pins = lock_pins()
    for dep in conda:  # any other conda package must be pinned to the lock's version
        name, _, version = dep.partition("=")
        if name not in ("python", "pip"):
            assert pins.get(canonical(name)) == version.lstrip("="), dep


def test_every_declared_dependency_is_locked():
    pins = lock_pins()
    declared = metadata.requires("claim-audit") or []
    names = {canonical(re.match(r"[A-Za-z0-9_.\-]+", r).group(0)) for r in declared}
    assert names and not names - set(pins), f"not in requirements.lock: {names - set(pins)} (run `make lock`)"


def test_installed_packages_are_the_locked_versions():
    pins = lock_pins()
    wrong = {}
    for dist in metadata.distributions():
        name = canonical(dist.metadata["Name"])
        if name in pins and dist.version != pins[name]:
            wrong[name] = (dist.version, pins[name])
    assert not wrong, f"installed vs locked: {wrong}; reinstall with `make venv` (delete .venv first)"


def test_jupyterlab_stays_out_of_the_build_and_test_environment():
    # it slows every papermill/nbval start-up by ~1 s; `make lab` installs it on demand
    makefile = (paths.ROOT / "Makefile").read_text()
    recipe = makefile.split("$(VENV)/.installed:", 1)[1].split("\n\n", 1)[0]
    assert "-e '.[dev]'" in recipe and "lab" not in recipe
    core = [r for r in metadata.requires("claim-audit") if "extra ==" not in r]
    assert core and not any(r.startswith("jupyterlab") for r in core)
