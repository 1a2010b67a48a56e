"""Warm kernels: each notebook's kernel is forked from a template process that has already imported
what the notebooks import, instead of starting a fresh interpreter and importing it all again.

A kernel started by jupyter_client is a new ``python -m ipykernel_launcher -f CONNECTION`` process:
about a second to import IPython, ipykernel, pandas, matplotlib and the library, before the
notebook's first cell does any work.  Here a **template** (``python -m analysis.report.kernels
FOLDER``, one per worker process and notebooks folder) imports, once, ipykernel and every module the
notebooks of ``FOLDER`` import at the top of a code cell (read from their source, not run), then waits.
For each kernel the runner asks for, :class:`WarmProvisioner` (a jupyter_client kernel provisioner)
has the template ``fork()``; the child takes the launch's working folder, environment and arguments
and runs ``ipykernel`` exactly as ``ipykernel_launcher`` would.

Isolation is that of separate processes: the template never runs notebook code, so every kernel
starts from the same state, a copy of the template's (modules imported, nothing computed), and
nothing one notebook does reaches another.  What could differ from a fresh interpreter is handled:

- the random generators are seeded again in the child (``random`` does it itself after a fork;
  numpy's global generator is reseeded);
- ``MPLBACKEND`` is set in the template as ipykernel sets it before any user code, so matplotlib
  picks the same backend;
- a module whose import prints or warns in the template would lose that output in the notebook, so
  a template whose imports printed or warned anything declines to serve (the kernels are then started
  the ordinary way);
- a launch whose environment (beyond the variables jupyter_client adds for the kernel) or working
  folder differs from the template's, or whose command is not ``python -m ipykernel_launcher``, is
  started the ordinary way too.

Lifetime: the template reads requests on its stdin and exits at end of file or as soon as the process
that started it is gone (checked every quarter second, also while it warms up), however that process
ended; each kernel watches the template (ipykernel's parent poller) and exits within a second of it.
Kernels are signalled through a pidfd (no pid reuse race), and the template collects them, so that
their CPU time counts as the run's.

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
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner

#: Switch: "0" starts every kernel the ordinary way.
SWITCH = "ANALYSIS_WARM_KERNELS"
#: What ipykernel sets MPLBACKEND to before any user code runs (unless it is set already).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Imported by every template: the kernel itself, and what it imports when it starts.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "matplotlib_inline.backend_inline")
#: Variables jupyter_client (or the kernel) sets for a kernel: they may differ from the template's.
KERNEL_VARIABLES = {"JPY_PARENT_PID", "JPY_SESSION_NAME", "JPY_INTERRUPT_EVENT", "IPY_INTERRUPT_EVENT",
                    "PYDEVD_IPYTHON_COMPATIBLE_DEBUGGING", "MPLBACKEND"}


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
    import importlib
    import io
    import warnings

    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out), _as_in_a_kernel():
        for name in (*KERNEL_MODULES, *modules):
            _exit_if_orphaned(parent)
            try:
                importlib.import_module(name)
            except Exception:  # not a module (a name imported from one), or broken: the notebook will say
                pass
    return out.getvalue() + "".join(f"{w.category.__name__}: {w.message}\n" for w in caught)


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


def _exit_if_orphaned(parent) -> None:
    if parent is not None and os.getppid() != parent:
        os._exit(0)


def _requests(parent):
    """The request lines on stdin, until its end or until the process ``parent`` is gone (checked
    every :data:`PARENT_POLL` seconds: a parent killed with SIGKILL may leave stdin open in others)."""
    buffered = b""
    while True:
        _exit_if_orphaned(parent)
        if not select.select([0], [], [], PARENT_POLL)[0]:
            continue
        chunk = os.read(0, 65536)
        if not chunk:
            return
        buffered += chunk
        *lines, buffered = buffered.split(b"\n")
        yield from lines


#: How often the template checks that the process that started it is still there, in seconds.
PARENT_POLL = 0.25


def serve(folder, replies_fd) -> None:
    """The template's main loop: warm up for the notebooks of ``folder``, then fork one kernel per
    request line on stdin (``{"argv", "env", "cwd"}``), answering ``{"pid"}`` on ``replies_fd``;
    end at end of input, or when the process that started it is gone."""
    parent = os.getppid()
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher does
        del sys.path[0]
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    noise = _warm_up(notebook_imports(folder), parent)
    replies = os.fdopen(replies_fd, "w", encoding="utf-8")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle; EOF ends us
    signal.signal(signal.SIGCHLD, _reap)  # kernels are reaped here: their CPU time counts as the run's
    _reply(replies, {"ready": not noise, "noise": noise[:500], "pid": os.getpid()})
    if noise:
        return
    for line in _requests(parent):
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become_kernel(request, replies_fd)
        _await_own_group(pid)
        _reply(replies, {"pid": pid})
    _reap()


def _reap(signum=None, frame=None) -> None:
    """Collect every kernel of this template that has ended."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def _reply(stream, message) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


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


def _become_kernel(request, replies_fd) -> None:
    """In the forked child: become the kernel ``request`` describes; never returns."""
    code = 1
    try:
        os.setsid()  # its own session and process group, as jupyter_client starts kernels
        os.close(replies_fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
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
    """A template process for kernels of one working folder, started at once (it warms up while the
    caller goes on); :meth:`fork` blocks until it is ready."""

    def __init__(self, cwd):
        self.cwd = str(cwd)
        self.env = dict(os.environ)
        self.lock = threading.Lock()
        self.ready = None  # None: not heard from yet
        read, write = os.pipe()
        self.process = subprocess.Popen([sys.executable, "-m", __name__, self.cwd, str(write)], cwd=self.cwd,
                                        stdin=subprocess.PIPE, pass_fds=(write,), text=True)
        os.close(write)
        self.replies = os.fdopen(read, "r", encoding="utf-8")

    def serves(self, argv, env, cwd) -> bool:
        """Whether a kernel launched with ``argv``, ``env`` in ``cwd`` can be forked from this template."""
        def own(variables):
            return {k: v for k, v in variables.items() if k not in KERNEL_VARIABLES}

        return (str(cwd) == self.cwd and own(env) == own(self.env) and argv[:3] == [sys.executable, "-m",
                                                                                  "ipykernel_launcher"])

    def fork(self, argv, env, cwd):
        """The pid of a kernel forked for this launch, or None if the template cannot serve."""
        with self.lock:
            try:
                if self.ready is None:
                    hello = json.loads(self.replies.readline() or "{}")
                    self.ready = bool(hello.get("ready"))
                if not self.ready:
                    return None
                self.process.stdin.write(json.dumps({"argv": argv[3:], "env": env, "cwd": str(cwd),
                                                     "launcher": _launcher()}) + "\n")
                self.process.stdin.flush()
                return json.loads(self.replies.readline())["pid"]
            except (OSError, ValueError, KeyError):  # the template died
                self.ready = False
                return None

    def close(self) -> None:
        """End the template (its kernels are ended by their managers first) and collect it."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.replies.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _launcher() -> str:
    import importlib.util

    return importlib.util.find_spec("ipykernel_launcher").origin


_TEMPLATES = {}
_TEMPLATES_LOCK = threading.Lock()


def template(cwd) -> Template:
    """This process's template for kernels working in ``cwd``, started on first use."""
    key = str(Path(cwd).resolve())
    with _TEMPLATES_LOCK:
        if not _TEMPLATES:  # multiprocessing's workers skip atexit, not its finalizers
            from multiprocessing import util

            util.Finalize(None, _close_templates, exitpriority=10)
        found = _TEMPLATES.get(key)
        if found is None or found.process.poll() is not None:
            found = _TEMPLATES[key] = Template(key)
    return found


def warm(cwd) -> None:
    """Start the template for ``cwd`` now (if kernels may be forked here), so that it is ready later."""
    if enabled():
        template(cwd)


@atexit.register
def _close_templates() -> None:
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


class WarmProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, except that a kernel it can fork from a warm template
    (:class:`Template`) is forked instead of started as a new interpreter."""

    async def launch_kernel(self, cmd, **kwargs):
        cwd = kwargs.get("cwd") or os.getcwd()
        env = dict(kwargs.get("env") or os.environ)
        if enabled():
            found = template(cwd)
            pid = found.fork(cmd, env, cwd) if found.serves(cmd, env, cwd) else None
            if pid is not None:
                self.process = ForkedKernel(pid)
                self.pid = self.pgid = pid
                self.cwd = cwd
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
