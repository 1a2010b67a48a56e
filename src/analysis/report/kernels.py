"""Warm kernels: each notebook's kernel is forked from a template process that has already imported
what the notebooks import, instead of starting a fresh interpreter and importing it all again.

A kernel started by jupyter_client is a new ``python -m ipykernel_launcher -f CONNECTION`` process:
about a second to import IPython, ipykernel, pandas, matplotlib and the library, before the
notebook's first cell does any work.  Here a **template** (``python -m analysis.report.kernels
FOLDER SOCKET``, one per run and notebooks folder) imports, once, ipykernel and every module the
notebooks of ``FOLDER`` import at the top of a code cell (read from their source, not run), then waits.
For each kernel the runner asks for, :class:`analysis.report.provisioner.WarmProvisioner` (a
jupyter_client kernel provisioner) has the template ``fork()``; the child takes the launch's working
folder, environment and arguments and runs ``ipykernel`` exactly as ``ipykernel_launcher`` would.

Isolation is that of separate processes: the template never runs notebook code, so every kernel
starts from the same state, a copy of the template's (modules imported, and what the ledger's
loader compiles on first use compiled: :data:`FIRST_CALLS`; no data kept), and nothing one notebook
does reaches another.  What could differ from a fresh interpreter is handled:

- the random generators are seeded again in the child (``random`` does it itself after a fork;
  numpy's global generator is reseeded);
- ``MPLBACKEND`` is set in the template as ipykernel sets it before any user code, so matplotlib
  picks the same backend;
- an environment variable a module sets as it is imported (debugpy sets ``PYDEVD_USE_FRAME_EVAL``)
  is set again in the child, which has taken the launch's environment;
- a module whose import prints or warns in the template would lose that output in the notebook, so
  a template whose imports printed or warned anything declines to serve (the kernels are then started
  the ordinary way);
- a launch whose environment (beyond the variables jupyter_client adds for the kernel) or working
  folder differs from the template's, or whose command is not ``python -m ipykernel_launcher``, is
  started the ordinary way too.

One template serves a whole run: the run starts it (for the notebooks' working folder) and forks
every notebook's kernel from it over a Unix socket (another process can too: :func:`use`), so the
warm-up is paid once per run.  A run that ends normally keeps it for the process's next run (a notebook
or test session), which forks from it only if it is still what a template started then would be
(:meth:`Template.out_of_date`, checked by :func:`warm` as the run begins): same environment, and not one
file of the modules it imported changed since (paths, sizes, modification times and inodes, sent with
its greeting); else it is retired (ended once the kernels forked from it have) and another started.  A
launch a template cannot serve is started the ordinary way.  A run cut short (Ctrl-C, an error) ends it.

Lifetime: the template exits as soon as the process that started it is gone (checked every quarter
second, also while it warms up), however that process ended, removing then its socket's folder, and is
ended, collected and its folder removed by that process when it exits normally; each kernel watches the template (ipykernel's parent poller) and exits within a second
of it.  Kernels are signalled through a pidfd (no pid reuse race), and the template collects them, so
that their CPU time counts as the run's.

>>> sorted(imported_modules("import pandas as pd\\nfrom analysis.claims import audit, judge"))
['analysis.claims', 'analysis.claims.audit', 'analysis.claims.judge', 'pandas']
"""
import ast
import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from analysis import forget_memos as _forget_memos  # the template empties the library's memos

#: Switch: "0" starts every kernel the ordinary way.
SWITCH = "ANALYSIS_WARM_KERNELS"
#: What ipykernel sets MPLBACKEND to before any user code runs (unless it is set already).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Imported by every template: the kernel itself, and what it imports when it starts.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
                  # and what a kernel imports while it starts, before any cell: its debugger (debugpy and
                  # pydevd, half of a forked kernel's start-up), history, completer and event loop
                  "ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib",
                  "IPython.extensions.storemagic", "sqlite3", "tornado.gen", "tornado.locks", "tornado.queues",
                  "tornado.platform.asyncio", "IPython.core.oinspect", "IPython.core.logger")
#: Imported after the notebooks' own modules if those imported the package named: what a kernel then
#: imports when it first draws (the inline backend, SVG output), what pandas imports when it first shows a
#: table (HTML, text, CSV) or reshapes one, and what the library imports inside its functions (YAML for the
#: ledger, the entity ties).  A notebook that imports none (a one-line test notebook) does not pay for
#: them, as a fresh kernel would not.
IMPORTED_WITH = {"matplotlib": ("matplotlib_inline.backend_inline", "matplotlib.backends.backend_svg"),
                 "pandas": ("pandas.io.formats.html", "pandas.io.formats.string", "pandas.io.formats.csvs",
                            "pandas.core.reshape.reshape"),
                 "analysis": ("analysis.claims.articles", "analysis.claims.timing", "analysis.data.ties")}
#: Set while the template imports: pydevd (the debugger) otherwise prints, at import, that Python's frozen
#: standard modules may make it miss breakpoints, and a template whose imports print does not serve.  The
#: variable only turns that message into a debug-level one; a kernel started the ordinary way prints it
#: while it starts, outside any cell's output (no notebook shows it).
QUIET_IMPORT = {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}
#: Variables that may differ between the template's environment and a launch's: those jupyter_client
#: (or the kernel) sets for a kernel, and the terminal size hints some callers set and unset (pytest).
KERNEL_VARIABLES = {"JPY_PARENT_PID", "JPY_SESSION_NAME", "JPY_INTERRUPT_EVENT", "IPY_INTERRUPT_EVENT",
                    "PYDEVD_IPYTHON_COMPATIBLE_DEBUGGING", "MPLBACKEND", "COLUMNS", "LINES"}


def enabled() -> bool:
    """Whether kernels may be forked here: Linux-like (fork, pidfd) and not switched off."""
    return os.environ.get(SWITCH, "1") != "0" and hasattr(os, "fork") and hasattr(os, "pidfd_open")


# --- what the notebooks import -------------------------------------------------------------------

def imported_modules(source: str) -> set:
    """The absolute module names a cell's source imports at its top level (``from a import b``
    counts ``a`` and ``a.b``: b may be a module); a cell that is not plain Python gives none."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # magics, shell escapes
        return set()
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"}
    return found


def notebook_imports(folder) -> list:
    """Every module the code cells of the notebooks in ``folder`` import, sorted."""
    found = set()
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                found |= imported_modules("".join(source) if isinstance(source, list) else source)
    return sorted(found)


# --- the template process ------------------------------------------------------------------------

def _warm_up(modules, parent=None) -> str:
    """Import ``modules`` (those that are modules; a name that is not, or fails, is left to the
    notebook); returns what the imports printed or warned ("" if nothing).  Exits at once if the
    process ``parent`` is no longer this one's parent."""
    import io
    import warnings

    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out), _as_in_a_kernel(), _variables(QUIET_IMPORT):
        for name in (*KERNEL_MODULES, *modules):
            _import(name, parent)
        for package, extra in IMPORTED_WITH.items():  # what goes with the packages the notebooks' modules imported
            for name in extra if package in sys.modules else ():
                _import(name, parent)
        _exit_if_orphaned(parent)
        _first_calls(modules)
    return out.getvalue() + "".join(f"{w.category.__name__}: {w.message}\n" for w in caught)


def _import(name, parent) -> None:
    """Import ``name`` if it is a module (a name imported from one, or a broken module, is left to the
    notebook, which will say); exit at once if ``parent`` is no longer this process's parent."""
    import importlib

    _exit_if_orphaned(parent)
    try:
        importlib.import_module(name)
    except Exception:
        pass


#: Library functions the notebooks call first, called once by the template (``module:function``, no
#: arguments; only if a notebook imports the module) for what they compile on first use and then keep
#: for the process: the YAML loader's resolvers, some hundred regular expressions, the ledger schema's
#: validator.  A forked kernel then starts with those compiled, as the imports are.  What the calls
#: return is dropped and every memo of the library's own functions emptied afterwards
#: (:func:`_forget_memos`), so a kernel reads and computes its data itself.
FIRST_CALLS = ("analysis.claims.ledger:load_ledger",)


def _first_calls(modules) -> None:
    """Make the :data:`FIRST_CALLS` of the ``modules`` the notebooks import (a call that fails is left to
    the notebook), then forget their memos."""
    import importlib

    for call in FIRST_CALLS:
        module, _, function = call.partition(":")
        if module not in modules:
            continue
        try:
            getattr(importlib.import_module(module), function)()
        except Exception:
            pass
    _forget_memos()


class ZMQInteractiveShell:
    """Stands in, during the warm-up only, for the shell of a Jupyter kernel: a module that asks at
    import whether it runs in one (pandas does, to choose how many columns to show) gets the answer
    it would get in the kernel."""

    kernel = None


@contextlib.contextmanager
def _as_in_a_kernel():
    """``get_ipython()`` and ``__IPYTHON__`` as a kernel's shell defines them, removed afterwards (the
    kernel's real shell defines them again)."""
    import builtins

    shell = ZMQInteractiveShell()
    builtins.get_ipython, builtins.__IPYTHON__ = (lambda: shell), True
    try:
        yield
    finally:
        del builtins.get_ipython, builtins.__IPYTHON__


@contextlib.contextmanager
def _variables(values):
    """Environment variables ``values`` set (where not set already) while the block runs, removed after."""
    added = {k: v for k, v in values.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


#: The folder of this template's socket (set by :func:`serve`).  The process that started the template
#: removes it when it ends the template; a template that leaves because that process is gone (killed, or
#: ended without its exit handlers) removes it itself, as nobody else would.
_SOCKET_FOLDER = None


def _exit_if_orphaned(parent) -> None:
    if parent is not None and os.getppid() != parent:
        if _SOCKET_FOLDER is not None:
            import shutil

            shutil.rmtree(_SOCKET_FOLDER, ignore_errors=True)
        os._exit(0)


#: How often the template checks that the process that started it is still there, in seconds.
PARENT_POLL = 0.25


def serve(folder, address) -> None:
    """The template's main loop: listen on the Unix socket ``address``, warm up for the notebooks of
    ``folder``, then greet each client with ``{"ready", "noise", "env", "pid", "files"}`` (:func:`_module_files`)
    and fork one kernel per request
    line (``{"argv", "env", "cwd", "launcher"}``), answering ``{"pid"}``; end when the process that
    started it is gone (or at SIGTERM)."""
    import selectors
    import socket

    global _SOCKET_FOLDER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle, from the start (the run
    # may start the template before it imports anything: see analysis.cli); the template ends with the run
    parent = os.getppid()
    _SOCKET_FOLDER = os.path.dirname(address)
    environment = dict(os.environ)
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher does
        del sys.path[0]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    started = time.time_ns()
    noise = _warm_up(notebook_imports(folder), parent)
    # variables a module sets when imported (debugpy sets PYDEVD_USE_FRAME_EVAL): a fresh kernel sets them
    # as it imports, so a forked one gets them back after taking the launch's environment
    by_imports = {k: v for k, v in os.environ.items() if k not in environment}
    _freeze_imports()
    signal.signal(signal.SIGCHLD, _reap)  # kernels are collected here: their CPU time counts as the run's
    hello = (json.dumps({"ready": not noise, "noise": noise[:500], "env": environment, "pid": os.getpid(),
                         "files": _module_files(since=started)}) + "\n").encode()
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    pending = {}
    while True:
        _exit_if_orphaned(parent)
        for key, _ in selector.select(PARENT_POLL):
            if key.fileobj is listener:
                client, _ = listener.accept()
                client.sendall(hello)
                selector.register(client, selectors.EVENT_READ)
                pending[client] = b""
                continue
            client = key.fileobj
            chunk = client.recv(65536)
            if not chunk or noise:
                selector.unregister(client)
                pending.pop(client, None)
                client.close()
                continue
            *lines, pending[client] = (pending[client] + chunk).split(b"\n")
            for line in lines:
                pid = os.fork()
                if pid == 0:
                    _become_kernel(json.loads(line), [listener, *pending], by_imports)
                _await_own_group(pid)
                client.sendall((json.dumps({"pid": pid}) + "\n").encode())


#: Nanoseconds of slack for file modification times, which the system takes from a coarse clock.
CLOCK_SLACK = 50_000_000


def _module_files(since=None) -> list:
    """``[path, modification time (ns), size, inode]`` of the file of every module imported here, each path
    once.  A file modified after ``since`` (ns; the warm-up's start) may have been imported before it
    changed: it is recorded as changed already (time -1), so that :func:`_unchanged` never holds for it."""
    found = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        try:
            stat = os.stat(path)
        except (TypeError, OSError):  # built in, frozen, or no longer there
            continue
        changed = since is not None and stat.st_mtime_ns >= since - CLOCK_SLACK
        found[path] = [path, -1 if changed else stat.st_mtime_ns, stat.st_size, stat.st_ino]
    return list(found.values())


def _unchanged(files) -> bool:
    """Whether every file of :func:`_module_files` is as it was (same time, size and inode: a file
    replaced by another, as editors save, is changed too)."""
    for path, mtime, size, inode in files:
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if (stat.st_mtime_ns, stat.st_size, stat.st_ino) != (mtime, size, inode):
            return False
    return True


def _freeze_imports() -> None:
    """Leave what the warm-up made to the cyclic garbage collector's permanent generation.  Each kernel
    then collects only what its notebook makes: a full collection no longer walks the template's hundred
    thousand objects (writing to each, which copied its memory page into the kernel).  A kernel keeps
    those objects alive anyway (they are its modules), and nothing a notebook shows depends on it.  No
    collection is made first: it would free some fifty objects and take 80 ms, on the way to the first
    kernel."""
    import gc

    gc.freeze()


def _reap(signum=None, frame=None) -> None:
    """Collect every kernel of this template that has ended."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def _await_own_group(pid, tries=20000) -> None:
    """Wait (at most a few hundred ms) until child ``pid`` leads its own process group: signals to
    the kernel's group must never reach the template's."""
    for _ in range(tries):
        try:
            if os.getpgid(pid) == pid:
                return
        except ProcessLookupError:
            return
        os.sched_yield()


def _become_kernel(request, sockets, by_imports=None) -> None:
    """In the forked child: become the kernel ``request`` describes; never returns."""
    code = 1
    try:
        os.setsid()  # its own session and process group, as jupyter_client starts kernels
        for sock in sockets:
            sock.close()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for name, value in (by_imports or {}).items():
            os.environ.setdefault(name, value)
        if "numpy.random" in sys.modules:  # ``random`` reseeds itself after a fork; numpy does not
            sys.modules["numpy.random"].seed()
        from ipykernel import kernelapp

        arguments = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = [request["launcher"], *arguments]
        kernelapp.launch_new_instance(argv=arguments)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


# --- the runner's side ---------------------------------------------------------------------------

class Template:
    """A template for kernels working in ``cwd``, reached at the Unix socket ``address``: started here
    (:meth:`start`: it warms up while the caller goes on), or started by another process of the run
    (other processes may share the run's template).  :meth:`fork` waits until it is ready."""

    def __init__(self, cwd, address, process=None):
        self.cwd, self.address, self.process = str(cwd), str(address), process
        self.lock = threading.Lock()
        self.sock = self.reader = self.hello = None
        self.failed = False
        self.owner, self.fresh, self.pids = os.getpid(), False, []

    @classmethod
    def start(cls, cwd) -> "Template":
        import tempfile

        folder = tempfile.mkdtemp(prefix="claim-audit-template-")
        address = os.path.join(folder, "socket")
        process = subprocess.Popen([sys.executable, "-m", __name__, str(cwd), address], cwd=str(cwd),
                                   stdin=subprocess.DEVNULL)
        return cls(cwd, address, process)

    @property
    def alive(self) -> bool:
        return not self.failed and (self.process is None or self.process.poll() is None)

    def _connect(self, timeout=60.0) -> None:
        import socket
        import time

        deadline = time.monotonic() + timeout
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.address)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                sock.close()
                if time.monotonic() > deadline or (self.process is not None and self.process.poll() is not None):
                    raise OSError(f"the kernel template at {self.address} did not start") from None
                time.sleep(0.02)
        self.sock, self.reader = sock, sock.makefile("r", encoding="utf-8")
        self.hello = json.loads(self.reader.readline() or "{}")
        self.fresh = _unchanged(self.hello.get("files", []))

    def current(self, env=None) -> bool:
        """Whether this template (once it has greeted) serves as one started now would: alive and ready, in
        the environment ``env`` (default this process's), and no file of any module it imported changed
        since it imported it (as of its greeting, or of :meth:`out_of_date`)."""
        hello = self.hello or {}
        return self.alive and bool(hello.get("ready")) and self.fresh and self._same_environment(env)

    def _same_environment(self, env=None) -> bool:
        """Whether ``env`` (default this process's) is the template's own, but for kernel variables."""
        return _own(dict(os.environ) if env is None else env) == _own((self.hello or {}).get("env", {}))

    def out_of_date(self) -> bool:
        """Whether this template, which has greeted, would now serve stale code or another environment: a
        file of a module it imported changed on disk, or this process's environment changed.  (A template
        that declines to serve, its imports having printed, is not out of date: another would decline too.)"""
        if self.hello is None:
            return False
        self.fresh = _unchanged(self.hello.get("files", []))
        return not self.fresh or not self._same_environment()

    def running(self) -> bool:
        """Whether a kernel forked from this template may still run."""
        for pid in self.pids:
            try:
                os.kill(pid, 0)
                return True
            except ProcessLookupError:
                continue
            except PermissionError:
                return True
        return False

    def fork(self, argv, env, cwd):
        """The pid of a kernel forked for this launch, or None if the template cannot serve it (a
        launch unlike the template's own, or a template that is not ready: see the module docstring)."""
        if not (str(cwd) == self.cwd and argv[:3] == [sys.executable, "-m", "ipykernel_launcher"]):
            return None
        with self.lock:
            try:
                if self.sock is None:
                    self._connect()
                if not self.current(env):
                    return None
                self.sock.sendall((json.dumps({"argv": argv[3:], "env": env, "cwd": str(cwd),
                                               "launcher": _launcher()}) + "\n").encode())
                pid = json.loads(self.reader.readline())["pid"]
                self.pids = [*self.pids[-63:], pid]
                return pid
            except (OSError, ValueError, KeyError):  # the template died or never came up
                self.failed = True
                return None

    def close(self) -> None:
        """Disconnect; a template started here is ended (its kernels are ended by their managers
        first) and collected.  In a process forked from the one that started it, nothing is done."""
        if self.owner != os.getpid():
            return
        if self.sock is not None:
            self.reader.close()
            self.sock.close()
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
            import shutil

            shutil.rmtree(os.path.dirname(self.address), ignore_errors=True)


def _own(variables) -> dict:
    """The environment variables a launch and the template must share (not those set for a kernel)."""
    return {k: v for k, v in variables.items() if k not in KERNEL_VARIABLES}


def _launcher() -> str:
    import importlib.util

    return importlib.util.find_spec("ipykernel_launcher").origin


_TEMPLATES = {}
_RETIRED = []  # out of date, ended once their kernels have (:func:`warm`)
_TEMPLATES_LOCK = threading.Lock()


def _forget_templates() -> None:
    """In a child forked from this process: the templates are the parent's (not to be used or ended here)."""
    global _TEMPLATES_LOCK
    _TEMPLATES_LOCK = threading.Lock()
    _TEMPLATES.clear()
    _RETIRED.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_templates)


def folder_key(cwd) -> str:
    """The key of the template for kernels working in ``cwd``: the folder's resolved path."""
    return str(Path(cwd).resolve())


def template(cwd) -> Template:
    """This process's template for kernels working in ``cwd``: the one it was told to use
    (:func:`use`), else one it starts on first use."""
    key = folder_key(cwd)
    with _TEMPLATES_LOCK:
        if not _TEMPLATES:  # multiprocessing's workers skip atexit, not its finalizers
            from multiprocessing import util

            util.Finalize(None, _close_templates, exitpriority=10)
        found = _TEMPLATES.pop(key, None)
        if found is None or not found.alive:
            found = Template.start(key)
        _TEMPLATES[key] = found  # the most recently used last
        while len(_TEMPLATES) > MAX_TEMPLATES:  # a long-lived process (a Dask worker, a test session)
            _TEMPLATES.pop(next(iter(_TEMPLATES))).close()
    return found


#: Templates one process keeps at most (the least recently used beyond it is ended).
MAX_TEMPLATES = 2


def release(cwd) -> None:
    """End (or disconnect from) this process's template for ``cwd``, if it has one."""
    with _TEMPLATES_LOCK:
        found = _TEMPLATES.pop(folder_key(cwd), None)
    if found is not None:
        found.close()


def warm(cwd):
    """Start the template for ``cwd`` now, if kernels may be forked here (so that it is ready later);
    returns its address (for :func:`use` in other processes of the run), or None.  A template kept from
    an earlier run that is :meth:`Template.out_of_date` is retired: no kernel is forked from it again, and
    it is ended once the kernels forked from it have (another run of this process may still use them)."""
    if not enabled():
        return None
    with _TEMPLATES_LOCK:
        kept = _TEMPLATES.get(folder_key(cwd))
        if kept is not None and kept.out_of_date():
            _RETIRED.append(_TEMPLATES.pop(folder_key(cwd)))
        ended = [t for t in _RETIRED if not t.running()]
        _RETIRED[:] = [t for t in _RETIRED if t not in ended]
    for retired in ended:
        retired.close()
    return template(cwd).address


def use(cwd, address) -> None:
    """Fork this process's kernels for ``cwd`` from the template another process started at ``address``."""
    with _TEMPLATES_LOCK:
        _TEMPLATES[folder_key(cwd)] = Template(folder_key(cwd), address)


@atexit.register
def _close_templates() -> None:
    while _RETIRED:
        _RETIRED.pop().close()
    while _TEMPLATES:
        _TEMPLATES.popitem()[1].close()


class ForkedKernel:
    """A kernel forked by a template, with the part of ``subprocess.Popen``'s interface that the
    provisioner and the runner use.  It is the template's child, not ours: its exit is seen through
    a pidfd, and its exit status is not known (reported as 1 unless it was killed from here)."""

    stdin = stdout = stderr = None

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None
        self._killed = None
        self._fd = os.pidfd_open(pid)

    def _exited(self, timeout) -> bool:
        if self._fd is None:
            return True
        if not select.select([self._fd], [], [], timeout)[0]:
            return False
        os.close(self._fd)
        self._fd = None
        self.returncode = -self._killed if self._killed else 1
        return True

    def poll(self):
        self._exited(0)
        return self.returncode

    def wait(self, timeout=None):
        if not self._exited(timeout):
            raise subprocess.TimeoutExpired(str(self.pid), timeout)
        return self.returncode

    def send_signal(self, signum) -> None:
        if self._fd is None:
            return
        if signum in (signal.SIGKILL, signal.SIGTERM):
            self._killed = signum
        signal.pidfd_send_signal(self._fd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def __del__(self):
        if getattr(self, "_fd", None) is not None:
            os.close(self._fd)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
