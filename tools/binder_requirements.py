"""Write binder/requirements.txt: the pins of requirements.lock that a reader needs to run the notebooks.

A reader needs the package's own dependencies (``[project] dependencies`` in pyproject.toml) and
JupyterLab (the ``lab`` extra), and everything they pull in; not the build and test tools of the
``dev`` extra (pytest, nbval, pip-tools, selenium, dask).  What each locked package is pulled in by
is read from the lock's own ``# via`` notes, so the file is derived from the lock alone and every pin
in it is the lock's.  ``make lock`` runs this after recompiling; ``tests/test_citable.py`` fails if the
committed file differs from what this writes.

    .venv/bin/python tools/binder_requirements.py      # rewrites binder/requirements.txt

>>> lock = '''a==1.0
...     # via claim-audit (pyproject.toml)
... b==2.0
...     # via
...     #   a
...     #   c
... c==3.0
...     # via claim-audit (pyproject.toml)
... d==4.0
...     # via c
... '''
>>> reader_pins(lock, roots={"a"})
['a==1.0', 'b==2.0']
"""
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "binder" / "requirements.txt"
#: The extras a reader needs beside the core dependencies.
READER_EXTRAS = ("lab",)
HEADER = """\
# What a reader needs to run the notebooks on Binder (or anywhere): the package's dependencies and
# JupyterLab, pinned exactly as in requirements.lock; no build or test tools. Written by
# tools/binder_requirements.py from the lock (`make lock` runs it); do not edit by hand.
"""


def canonical(name: str) -> str:
    """A package name in its canonical form (PEP 503).

    >>> canonical("Jupyter_Server"), canonical("ruamel.yaml")
    ('jupyter-server', 'ruamel-yaml')
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text: str) -> dict:
    """``{name: (pin line, {names of what pulls it in})}`` from a pip-compile lock with ``# via`` notes."""
    entries, current = {}, None
    for line in text.splitlines():
        pin = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if pin:
            current = canonical(pin.group(1))
            entries[current] = (f"{current}=={pin.group(2)}", set())
        elif current and (via := re.match(r"^\s+#\s+(?:via\s+)?([A-Za-z0-9_.\-]+)", line)):
            if via.group(1) != "via":
                entries[current][1].add(canonical(via.group(1)))
    return entries


def reader_pins(lock_text: str, roots) -> list:
    """The sorted pin lines of ``roots`` and of everything in the lock they pull in, however deep."""
    entries, wanted = parse_lock(lock_text), {canonical(r) for r in roots}
    missing = wanted - set(entries)
    if missing:
        raise ValueError(f"requirements.lock has no pin for {', '.join(sorted(missing))}; run `make lock`")
    grew = True
    while grew:
        more = {name for name, (_, parents) in entries.items() if parents & wanted} - wanted
        wanted |= more
        grew = bool(more)
    return sorted(entries[name][0] for name in wanted)


def reader_roots(pyproject_text: str) -> list:
    """The names of the core dependencies and of the :data:`READER_EXTRAS` in pyproject.toml."""
    project = tomllib.loads(pyproject_text)["project"]
    extras = [r for e in READER_EXTRAS for r in project["optional-dependencies"][e]]
    return [re.match(r"[A-Za-z0-9_.\-]+", r).group(0) for r in project["dependencies"] + extras]


def requirements_text(root: Path = ROOT) -> str:
    """The text binder/requirements.txt should have, from ``root``'s pyproject.toml and lock."""
    roots = reader_roots((root / "pyproject.toml").read_text(encoding="utf-8"))
    pins = reader_pins((root / "requirements.lock").read_text(encoding="utf-8"), roots)
    return HEADER + "\n".join(pins) + "\n"


def main() -> int:
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(requirements_text(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
