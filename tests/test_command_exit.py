"""``python -m analysis`` exits without the interpreter's teardown once the command has returned
(analysis.cli.exit_now), and loses nothing by it: the exit code, what was printed, what the exit
handlers do, and another thread's work are as with a normal exit; a traced process exits normally."""
import os
import subprocess
import sys
import textwrap

from analysis import cli, paths

ENV = {**os.environ, "PYTHONPATH": str(paths.ROOT / "src")}


def run_python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=ENV, timeout=60)


def test_the_command_prints_and_exits_as_main_returns(capsys):
    done = subprocess.run([sys.executable, "-m", "analysis", "params", "01_rd_spending"], capture_output=True,
                          text=True, env=ENV, timeout=60)
    assert cli.main(["params", "01_rd_spending"]) == done.returncode == 0
    assert done.stdout == capsys.readouterr().out and done.stdout.count("\n") > 2
    refused = subprocess.run([sys.executable, "-m", "analysis", "params", "no_such_notebook"], capture_output=True,
                             text=True, env=ENV, timeout=60)
    assert refused.returncode == 2 and refused.stderr.startswith("error:")


def test_exit_handlers_run_and_unflushed_output_is_written():
    done = run_python("""
        import atexit, sys
        atexit.register(lambda: print("handler ran", flush=True))
        from analysis.cli import exit_now
        sys.stdout.write("written, not flushed")
        exit_now(3)
        print("never")
        """)
    assert done.returncode == 3
    assert done.stdout == "written, not flushedhandler ran\n"


def test_another_threads_work_is_waited_for(tmp_path):
    marker = tmp_path / "finished"
    done = run_python(f"""
        import pathlib, threading, time
        from analysis.cli import exit_now
        threading.Thread(target=lambda: (time.sleep(0.3), pathlib.Path({str(marker)!r}).write_text("x"))).start()
        exit_now(4)
        """)
    assert done.returncode == 4 and marker.read_text() == "x"


def test_a_traced_process_has_its_teardown(tmp_path):
    """The teardown flushes a file left open; a traced (or profiled) process keeps it, an untraced one skips
    it (the command's own files are each written whole and closed before it returns)."""
    for name, trace in (("traced", "sys.settrace(lambda *a: None)"), ("profiled", "sys.setprofile(lambda *a: None)"),
                        ("plain", "")):
        left_open = tmp_path / name
        done = run_python(f"""
            import sys
            from analysis.cli import exit_now
            left = open({str(left_open)!r}, "w")
            left.write("x")
            {trace}
            exit_now(5)
            """)
        assert done.returncode == 5, done.stderr
        # the file left open is the marker of which exit was taken: its text is lost only without a teardown
        assert left_open.read_text() == ("" if name == "plain" else "x"), name
