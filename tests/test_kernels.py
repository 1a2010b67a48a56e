"""Warm kernels (analysis.report.kernels): a kernel forked from the template behaves as a fresh one
(same options, paths, backend, environment), keeps nothing from another notebook, and a template
that cannot promise that declines to serve."""
import json
import os
import sys

import nbformat
import pytest
from test_parallel import notebook

from analysis.report import kernels, runner

pytestmark = pytest.mark.skipif(not kernels.enabled(), reason="needs fork and pidfd (Linux)")

#: What a notebook can observe of the process it runs in, printed as one JSON line.
PROBE = """
import json, os, sys
import pandas as pd
import matplotlib
import numpy as np
state = {
    "pandas": {k: str(pd.get_option(k)) for k in ("display.max_columns", "display.width", "display.max_rows",
                                                  "display.max_colwidth", "display.notebook_repr_html")},
    "backend": matplotlib.get_backend(),
    "cwd": os.getcwd(),
    "path": sys.path,
    "argv0": os.path.basename(sys.argv[0]),
    "env": sorted(k for k in os.environ if k not in ("JPY_PARENT_PID", "ANALYSIS_WARM_KERNELS")),
    "shell": type(get_ipython()).__name__,
    "main": sys.modules["__main__"].__name__,
    "leftover": [n for n in ("left_by_another",) if n in globals()] + [a for a in ("marker",) if hasattr(json, a)],
    "excepthook": type(sys.excepthook).__name__,
}
print(json.dumps(state, sort_keys=True))
"""
#: A notebook that leaves state behind, for the next one to look for.
LITTER = "import json\nleft_by_another = 1\njson.marker = 1\nimport pandas as pd\npd.set_option('display.width', 7)"
DRAW = "import os, numpy as np\nprint(os.getppid(), float(np.random.rand()))"


def run(folder, name, source):
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook(*source), path)
    outcome = runner.execute_task(runner.Task(name, str(path), {}, cwd=str(folder), scratch=str(folder / "out")))
    assert not outcome.failure, outcome.failure
    return nbformat.reads(outcome.notebook, as_version=4).cells[-1].outputs[0]["text"]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "_TEMPLATES", {})
    yield tmp_path
    kernels._close_templates()


def test_a_forked_kernel_sees_what_a_fresh_one_sees(folder, monkeypatch):
    warm = json.loads(run(folder, "probe", [PROBE]))
    assert kernels._TEMPLATES, "no template was started"
    monkeypatch.setenv(kernels.SWITCH, "0")
    fresh = json.loads(run(folder, "probe", [PROBE]))
    assert warm == fresh
    assert warm["shell"] == "ZMQInteractiveShell" and warm["backend"].endswith("backend_inline")


def test_a_kernel_keeps_nothing_from_the_notebook_before(folder):
    run(folder, "litter", [LITTER, "print('done')"])
    after = json.loads(run(folder, "probe", [PROBE]))
    assert after["leftover"] == [] and after["pandas"]["display.width"] != "7"


def test_kernels_are_forked_from_the_template_and_draw_different_random_numbers(folder):
    first, second = (run(folder, f"draw{i}", [DRAW]).split() for i in (1, 2))
    template = next(iter(kernels._TEMPLATES.values())).process.pid
    assert int(first[0]) == int(second[0]) == template  # both kernels are the template's children
    assert first[1] != second[1]  # numpy's global generator was seeded again in each


def test_a_template_whose_imports_warn_or_print_declines(tmp_path, monkeypatch):
    (tmp_path / "noisy_module_for_test.py").write_text("import warnings\nwarnings.warn('imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    noise = kernels._warm_up(["noisy_module_for_test"])
    assert "UserWarning: imported" in noise
    monkeypatch.delitem(sys.modules, "noisy_module_for_test")


def test_a_launch_unlike_the_template_is_started_the_ordinary_way(folder):
    template, here = kernels.template(folder), str(folder.resolve())
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(folder / "never-used.json")]
    assert template.fork(argv, {**os.environ, "SOMETHING_ELSE": "1"}, here) is None  # another environment
    assert template.fork(argv, dict(os.environ), "/") is None  # another working folder
    assert template.fork(["/usr/bin/other", *argv[1:]], dict(os.environ), here) is None  # not this python
    assert template.hello["ready"]  # it could have: it declined
