"""Ctrl-C (SIGINT) during `fetch` or `run`: exit 130, nothing partial left, the next run completes."""
import csv
import http.server
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from analysis.data import manifest


def wait_for(predicate, timeout=60.0, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


def files_in(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


class TrickleHandler(http.server.BaseHTTPRequestHandler):
    """/slow sends the body a few bytes at a time (a download that takes minutes); /fast at once."""

    body = b""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        try:
            if self.path == "/fast":
                self.wfile.write(self.body)
                return
            for i in range(0, len(self.body), 64):
                self.wfile.write(self.body[i:i + 64])
                self.wfile.flush()
                time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def project(tmp_path):
    """A project root (ANALYSIS_ROOT) whose manifest holds one dataset served by a local server."""
    entry = manifest.get("facts_events")
    TrickleHandler.body = entry.path.read_bytes()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TrickleHandler)
    httpd.daemon_threads = True
    # polled every 20 ms, not 0.5 s: shutdown() waits for the next poll
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)

    def write_manifest(path):
        row = {c: getattr(entry, c) for c in manifest.COLUMNS}
        row.update(url=f"{base}/{path}", committed="no", mirror_only="no")
        with open(root / "data" / "raw" / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=manifest.COLUMNS)
            writer.writeheader()
            writer.writerow(row)

    yield root, entry, write_manifest
    httpd.shutdown()
    httpd.server_close()


def cli(*args, root=None):
    env = {k: v for k, v in os.environ.items() if k != "ANALYSIS_DATA_MIRROR"}
    if root is not None:
        env["ANALYSIS_ROOT"] = str(root)
    return subprocess.Popen([sys.executable, "-m", "analysis", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_sigint_during_fetch_keeps_nothing_and_the_next_fetch_completes(project):
    root, entry, write_manifest = project
    raw = root / "data" / "raw"
    write_manifest("slow")
    proc = cli("fetch", "--quiet", entry.key, root=root)
    assert wait_for(lambda: len(files_in(raw)) > 1), "the download never started"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted: `fetch` stopped; no partial file was kept" in err
    assert files_in(raw) == ["manifest.csv"]

    write_manifest("fast")
    done = cli("fetch", "--quiet", entry.key, root=root)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    assert (raw / entry.file).read_bytes() == entry.path.read_bytes()


def test_sigint_during_run_keeps_the_last_good_report(tmp_path):
    # a what-if of one notebook (-p): a run of some notebooks with the ledger's parameters needs a full report
    one = ("run", "--notebook", "01_rd_spending", "-p", "top_n", "4", "--output", str(tmp_path))
    first = cli(*one)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    good = {name: (tmp_path / name).read_bytes() for name in files_in(tmp_path)}
    assert "01_rd_spending.html" in good and "scorecard.csv" in good

    second = cli(*one, "--no-cache")
    running = lambda: any(p.name.startswith(".run-") for p in (tmp_path / "notebooks").iterdir())
    assert wait_for(running, timeout=120), "the notebook never started"
    time.sleep(0.5)
    second.send_signal(signal.SIGINT)
    _, err = second.communicate(timeout=60)
    assert second.returncode == 130, err
    assert "interrupted: `run` stopped" in err and "Traceback" not in err
    assert {name: (tmp_path / name).read_bytes() for name in files_in(tmp_path)} == good

    third = cli(*one)
    out, err = third.communicate(timeout=300)
    assert third.returncode == 0, err
    assert "01_rd_spending.html  (cached)" in out  # the first run's result is intact, so it is reused
    assert files_in(tmp_path) == sorted(good)
