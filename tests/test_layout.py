"""The package's layout tells the data's journey: data → measures → claims → report.

Read from the source (every import, at module level or inside a function): a stage imports only
its own and earlier stages, and no module imports itself back through others (no import circle).
"""
import ast
from pathlib import Path

from analysis import paths

PACKAGE = Path(paths.__file__).parent
#: Each stage may import the stages before it (and the shared modules: paths, errors, atomic).
ORDER = ("data", "measures", "claims", "report")
SHARED = {"paths", "errors", "atomic", "__init__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set:
    """The analysis modules ``path`` imports (``from analysis.x import y`` counts y if it is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "analysis":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "analysis"}
    return {m for m in found if m in MODULES}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports(path) - {name} for name, path in MODULES.items()}


def stage(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ORDER) else "shared"


def test_a_stage_imports_only_itself_and_earlier_stages():
    wrong = []
    for name, targets in GRAPH.items():
        here = stage(name)
        for target in targets:
            there = stage(target)
            if here in ORDER and there in ORDER and ORDER.index(there) > ORDER.index(here):
                wrong.append(f"{name} ({here}) imports {target} ({there})")
            if here == "shared" and there in ORDER and name.split(".")[-1] in SHARED:
                wrong.append(f"shared module {name} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_circle():
    def visit(node, trail):
        for nxt in GRAPH[node]:
            if nxt in trail:
                cycle = trail[trail.index(nxt):] + [nxt]
                if nxt.endswith(".measures") or node.startswith("analysis.measures."):
                    # the registry imports its measure modules to register them, and they import the registry's
                    # types: a package and its own submodules, not a circle between stages
                    if all(m.startswith("analysis.measures") for m in cycle):
                        continue
                raise AssertionError(" → ".join(cycle))
            if nxt not in done:
                visit(nxt, trail + [nxt])
        done.add(node)

    done = set()
    for name in sorted(GRAPH):
        if name not in done:
            visit(name, [name])
