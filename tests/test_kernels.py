"""Warm kernels (analysis.report.kernels): a kernel forked from the template behaves as a fresh one
(same options, paths, backend, environment), keeps nothing from another notebook, and a template
that cannot promise that declines to serve."""
import json
import os
import sys
import time

import nbformat
import pytest
from test_parallel import notebook

from analysis.report import kernels, provisioner, runner

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


#: What a kernel finds of the library when it starts: the memos that hold something.  The notebook imports
#: the ledger's module, so the template makes that module's first call (:data:`kernels.FIRST_CALLS`).
MEMOS = """
import functools, json, os, sys
from analysis.claims.ledger import load_ledger
filled = sorted(f"{name}.{key}" for name, module in list(sys.modules.items())
                if name.startswith("analysis") and module is not None
                for key, value in vars(module).items()
                if isinstance(value, functools._lru_cache_wrapper) and value.cache_info().currsize)
print(json.dumps({"parent": os.getppid(), "filled": filled}))
"""


#: How many objects the collector never visits in this kernel (those the template froze before forking it).
FROZEN = "import gc, json, os\nprint(json.dumps({'parent': os.getppid(), 'frozen': gc.get_freeze_count()}))"


def test_a_kernel_forked_from_the_template_leaves_the_templates_objects_to_the_collectors_frozen_generation(
        folder, monkeypatch):
    warm = json.loads(run(folder, "frozen", [FROZEN]))
    assert warm["parent"] == next(iter(kernels._TEMPLATES.values())).process.pid
    assert warm["frozen"] > 10_000  # the imports of ipykernel, pandas and the rest
    monkeypatch.setenv(kernels.SWITCH, "0")
    assert json.loads(run(folder, "frozen", [FROZEN]))["frozen"] == 0  # a kernel started the ordinary way


def test_a_kernel_starts_with_no_memo_of_the_library_filled(folder):
    found = json.loads(run(folder, "memos", [MEMOS]))
    template = next(iter(kernels._TEMPLATES.values())).process.pid
    assert found == {"parent": template, "filled": []}  # forked from the template, which made the first call


def test_first_calls_are_made_for_modules_the_notebooks_import_and_their_memos_forgotten(monkeypatch):
    import functools
    import types

    fixture = types.ModuleType("analysis_fixture_first_calls")  # a fixture module, not the library
    calls = []
    fixture.memo = functools.cache(lambda: "read")
    fixture.first = lambda: calls.append(fixture.memo())
    monkeypatch.setitem(sys.modules, fixture.__name__, fixture)
    monkeypatch.setattr(kernels, "FIRST_CALLS", (f"{fixture.__name__}:first",))
    monkeypatch.setattr(kernels, "_forget_memos", lambda package="analysis": fixture.memo.cache_clear())
    kernels._first_calls(["pandas"])
    assert calls == []  # no notebook imports the module: no call
    kernels._first_calls([fixture.__name__])
    assert calls == ["read"] and fixture.memo.cache_info().currsize == 0


def test_forget_memos_empties_the_packages_memos_only(monkeypatch):
    import functools
    import types

    mine, other = types.ModuleType("fixturepkg.memos"), types.ModuleType("otherpkg")
    mine.square = functools.lru_cache(maxsize=None)(lambda x: x * x)
    other.cube = functools.cache(lambda x: x ** 3)
    monkeypatch.setitem(sys.modules, "fixturepkg.memos", mine)
    monkeypatch.setitem(sys.modules, "otherpkg", other)
    mine.square(3), other.cube(2)
    kernels._forget_memos("fixturepkg")
    assert mine.square.cache_info().currsize == 0 and other.cube.cache_info().currsize == 1


# --- a template kept for the process's next run -------------------------------------------------------

#: A fixture module the notebook imports (so the template imports it too), and a cell that shows what it sees.
FIXTURE_MODULE = "kept_template_fixture_module"
SEES = f"import os\nimport {FIXTURE_MODULE}\nprint(os.getppid(), {FIXTURE_MODULE}.VALUE)"


def run_tasks(folder, name, source):
    """One run of ``runner._run_tasks`` (how ``run`` executes notebooks here): ``name``'s last output."""
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook(*source), path)
    done = {}
    runner._run_tasks([runner.Task(name, str(path), {}, cwd=str(folder), scratch=str(folder / "out"))],
                      lambda task, outcome: done.setdefault(task.name, outcome), jobs=1,
                      display=runner._Progress([name], False))
    assert not done[name].failure, done[name].failure
    return nbformat.reads(done[name].notebook, as_version=4).cells[-1].outputs[0]["text"].split()


@pytest.fixture
def module_folder(folder, monkeypatch):
    """``folder``, with a folder of the fixture module on PYTHONPATH (which the template inherits)."""
    modules = folder / "modules"
    modules.mkdir()
    written = modules / f"{FIXTURE_MODULE}.py"
    written.write_text("VALUE = 1\n")
    an_hour_ago = time.time() - 3600  # written well before any template's warm-up (a file modified during
    os.utime(written, (an_hour_ago, an_hour_ago))  # one counts as changed: test_a_module_changed_during_...)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(modules), os.environ.get("PYTHONPATH", "")]))
    return folder


def test_the_next_run_of_the_process_forks_from_the_template_the_last_one_kept(module_folder):
    first = run_tasks(module_folder, "first", [SEES])
    assert run_tasks(module_folder, "second", [SEES]) == first == [first[0], "1"]
    assert first[0] == str(kernels._TEMPLATES[kernels.folder_key(module_folder)].process.pid)


def test_a_launch_after_a_module_of_the_template_changed_is_started_the_ordinary_way(module_folder):
    nbformat.write(notebook(SEES), module_folder / "sees.ipynb")  # so that the template imports the module
    template = kernels.template(module_folder)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(module_folder / "never-used.json")]
    assert template.current() is False  # not yet greeted: nothing to compare
    template._connect()
    assert template.current()
    (module_folder / "modules" / f"{FIXTURE_MODULE}.py").write_text("VALUE = 333\n")
    assert template.out_of_date() and not template.current()
    assert template.fork(argv, dict(os.environ), str(module_folder.resolve())) is None


def test_a_notebook_still_running_survives_its_template_being_retired(module_folder):
    import threading

    path = module_folder / "long.ipynb"
    nbformat.write(notebook(SEES + "\nimport time\ntime.sleep(4)\nprint('done')"), path)
    kernels.warm(module_folder)
    first = kernels._TEMPLATES[kernels.folder_key(module_folder)]
    done = {}
    task = runner.Task("long", str(path), {}, cwd=str(module_folder), scratch=str(module_folder / "out"))
    thread = threading.Thread(target=lambda: done.setdefault("outcome", runner.execute_task(task)))
    thread.start()
    deadline = time.monotonic() + 60
    while not first.pids and time.monotonic() < deadline:  # until its kernel is forked
        time.sleep(0.05)
    (module_folder / "modules" / f"{FIXTURE_MODULE}.py").write_text("VALUE = 4444\n")
    kernels.warm(module_folder)  # another run of this process begins: the template is out of date
    assert kernels._TEMPLATES[kernels.folder_key(module_folder)] is not first and first in kernels._RETIRED
    thread.join(60)
    assert not done["outcome"].failure, done["outcome"].failure  # its kernel was not ended with it
    kernels.warm(module_folder)
    assert first not in kernels._RETIRED and first.process.poll() is not None  # ended once its kernel had


def test_a_template_that_declines_is_kept_not_started_again_each_run(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "_TEMPLATES", {})
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "noisy_fixture_module.py").write_text("print('imported')\n")  # a fixture module that prints
    os.utime(modules / "noisy_fixture_module.py", (time.time() - 3600,) * 2)  # written before the warm-up
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(modules), os.environ.get("PYTHONPATH", "")]))
    try:
        first = run_tasks(tmp_path, "first", ["import os, noisy_fixture_module\nprint(os.getppid())"])
        template = kernels._TEMPLATES[kernels.folder_key(tmp_path)]
        assert template.hello["ready"] is False and first[-1] != str(template.process.pid)  # started fresh
        run_tasks(tmp_path, "second", ["import os, noisy_fixture_module\nprint(os.getppid())"])
        assert kernels._TEMPLATES[kernels.folder_key(tmp_path)] is template  # the same one, still declining
    finally:
        kernels._close_templates()


def test_a_module_changed_during_the_warm_up_counts_as_changed(tmp_path, monkeypatch):
    (tmp_path / "changed_fixture_module.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import changed_fixture_module  # noqa: F401  (a fixture module, imported for its file)

    files = {f[0]: f for f in kernels._module_files(since=time.time_ns())}
    changed = files[str(tmp_path / "changed_fixture_module.py")]
    assert changed[1] == -1 and not kernels._unchanged([changed])  # written within the clock's slack
    unchanged = [f for f in kernels._module_files() if f[0] == changed[0]]
    assert kernels._unchanged(unchanged)


def test_a_kept_template_is_replaced_once_a_module_it_imported_changed(module_folder):
    first = run_tasks(module_folder, "first", [SEES])
    old = kernels._TEMPLATES[kernels.folder_key(module_folder)].process
    source = module_folder / "modules" / f"{FIXTURE_MODULE}.py"
    source.write_text("VALUE = 22\n")  # another size, whatever the clock's resolution
    second = run_tasks(module_folder, "second", [SEES])
    assert second[1] == "22" and second[0] != first[0]  # the new code, from a new template
    assert old.poll() is not None  # the old template was ended


def test_a_kept_template_is_replaced_when_the_environment_changed(module_folder, monkeypatch):
    first = run_tasks(module_folder, "first", [SEES])
    monkeypatch.setenv("KEPT_TEMPLATE_FIXTURE_VARIABLE", "1")
    second = run_tasks(module_folder, "second", [SEES + "\nprint(os.environ['KEPT_TEMPLATE_FIXTURE_VARIABLE'])"])
    assert second[0] != first[0]
    assert second[0] == str(kernels._TEMPLATES[kernels.folder_key(module_folder)].process.pid)  # forked, not fresh


def test_a_run_cut_short_ends_its_template(module_folder, monkeypatch):
    run_tasks(module_folder, "first", [SEES])
    kept = kernels._TEMPLATES[kernels.folder_key(module_folder)].process

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_run_here", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_tasks(module_folder, "second", [SEES])
    assert kernels.folder_key(module_folder) not in kernels._TEMPLATES and kept.poll() is not None


def test_a_template_whose_imports_warn_or_print_declines(tmp_path):
    """(The warm-up runs in a process of its own: it imports the kernel's modules, which would change how
    other tests' libraries see the test process, tqdm's notebook detection for one.)"""
    import subprocess

    (tmp_path / "noisy_module_for_test.py").write_text("import warnings\nwarnings.warn('imported')\n")
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); from analysis.report import kernels; "
             "print(repr(kernels._warm_up(['noisy_module_for_test'])))")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "UserWarning: imported" in done.stdout


def test_a_launch_unlike_the_template_is_started_the_ordinary_way(folder):
    template, here = kernels.template(folder), str(folder.resolve())
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", str(folder / "never-used.json")]
    assert template.fork(argv, {**os.environ, "SOMETHING_ELSE": "1"}, here) is None  # another environment
    assert template.fork(argv, dict(os.environ), "/") is None  # another working folder
    assert template.fork(["/usr/bin/other", *argv[1:]], dict(os.environ), here) is None  # not this python
    assert template.hello["ready"]  # it could have: it declined


# --- the client that is ready as soon as the kernel is ---------------------------------------------

class _Channel:
    """A fixture channel: hands out the messages queued for it, else raises Empty (as a real one does
    when its timeout passes), recording each timeout it was given."""

    def __init__(self):
        self.queued, self.timeouts = [], []

    async def get_msg(self, timeout=None):
        from queue import Empty

        self.timeouts.append(timeout)
        if not self.queued:
            raise Empty
        return self.queued.pop(0)


def _message(kind, parent, **content):
    return {"msg_type": kind, "parent_header": {"msg_id": parent} if parent else {}, "content": content}


class _FixtureClient(provisioner.ReadyClient):
    """A ReadyClient over fixture channels: ``kernel`` is called with each kernel-info request's id and
    queues what the kernel would send (the real client's channels and kernel are not used)."""

    def __init__(self, kernel):
        self._shell, self._iopub, self.kernel, self.requests, self.info = _Channel(), _Channel(), kernel, [], None

    shell_channel = property(lambda self: self._shell)
    iopub_channel = property(lambda self: self._iopub)

    def kernel_info(self):
        request = f"request-{len(self.requests) + 1}"
        self.requests.append(request)
        self.kernel(self, request)
        return request

    def _handle_kernel_info_reply(self, msg):
        self.info = msg

    async def _async_is_alive(self):
        return True


def test_ready_client_is_ready_at_the_idle_status_of_its_request():
    import asyncio

    def kernel(client, request):
        client.shell_channel.queued += [_message("kernel_info_reply", "an-earlier-request"),
                                        _message("kernel_info_reply", request, status="ok")]
        client.iopub_channel.queued += [_message("iopub_welcome", None), _message("status", request, execution_state="busy"),
                                        _message("status", "another", execution_state="idle"),
                                        _message("status", request, execution_state="idle"),
                                        _message("stream", "a-later-cell", text="kept")]

    client = _FixtureClient(kernel)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.requests == ["request-1"] and client.info["parent_header"]["msg_id"] == "request-1"
    assert [m["msg_type"] for m in client.iopub_channel.queued] == ["stream"]  # not read: not the request's


def test_ready_client_asks_again_soon_after_the_welcome_when_the_status_was_lost():
    import asyncio

    def kernel(client, request):
        client.shell_channel.queued.append(_message("kernel_info_reply", request, status="ok"))
        if request == "request-1":  # published before IOPub connected: only the welcome arrives
            client.iopub_channel.queued.append(_message("iopub_welcome", None))
        else:
            client.iopub_channel.queued += [_message("status", request, execution_state="busy"),
                                            _message("status", request, execution_state="idle")]

    client = _FixtureClient(kernel)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.requests == ["request-1", "request-2"]
    # the wait that ended request 1 was the short one after the welcome, not the full IOPub wait
    assert client.iopub_channel.timeouts[:2] == [provisioner.ReadyClient.IOPUB_WAIT, provisioner.ReadyClient.AFTER_WELCOME]


def test_ready_client_gives_up_at_its_timeout_naming_it():
    import asyncio

    client = _FixtureClient(lambda client, request: None)  # a kernel that never answers
    with pytest.raises(RuntimeError, match="did not answer a kernel-info request within 0.05 seconds"):
        asyncio.run(client.wait_for_ready(timeout=0.05))


def test_a_template_for_notebooks_that_draw_nothing_does_not_import_matplotlib():
    """Modules that go with a package (the inline backend with matplotlib) are imported only if the
    notebooks' own modules imported that package, as a fresh kernel would (each warm-up in a fresh process)."""
    probe = ("import sys; from analysis.report import kernels; kernels._warm_up({modules}); "
             "print(sorted(m for m in ('matplotlib', 'matplotlib_inline.backend_inline') if m in sys.modules))")
    import subprocess

    def imported(modules):
        done = subprocess.run([sys.executable, "-c", probe.format(modules=modules)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert imported([]) == "[]"
    assert imported(["matplotlib.pyplot"]) == "['matplotlib', 'matplotlib_inline.backend_inline']"
