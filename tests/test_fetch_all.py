"""`fetch K1 K2 …` tries every requested dataset, keeps the good ones, and reports every failure
together, one line each (exit code 2), against a local server (127.0.0.1) and no mirror."""
import csv
import dataclasses
import http.server
import os
import subprocess
import sys
import threading

import pytest

from analysis import paths
from analysis.data import fetch, manifest
from analysis.errors import DatasetError


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``files[path]``; 404 for any other path."""

    files = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = self.files.get(self.path.lstrip("/"))
        self.send_response(200 if body is not None else 404)
        payload = body if body is not None else b"not found"
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    # polled every 20 ms, not 0.5 s: shutdown() waits for the next poll
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def project(tmp_path, server):
    """A project root whose manifest holds five datasets: two served right, one served with other bytes,
    one whose URL is gone, one mirror-only."""
    events, facts = manifest.get("facts_events"), manifest.get("facts_rd_spending")
    Handler.files = {"events.csv": events.path.read_bytes(), "facts.csv": facts.path.read_bytes(),
                     "wrong.csv": facts.path.read_bytes().replace(b"Huawei", b"Huaw3i", 1)}
    rows = [
        dataclasses.replace(events, key="good_events", file="a/events.csv", url=f"{server}/events.csv"),
        dataclasses.replace(facts, key="wrong_bytes", file="b/facts.csv", url=f"{server}/wrong.csv"),
        dataclasses.replace(facts, key="gone", file="c/facts.csv", url=f"{server}/gone.csv"),
        dataclasses.replace(facts, key="good_facts", file="d/facts.csv", url=f"{server}/facts.csv"),
        dataclasses.replace(facts, key="mirror_kept", file="e/facts.csv", url="", mirror_only=True),
    ]
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    with open(root / "data" / "raw" / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=manifest.COLUMNS)
        writer.writeheader()
        for row in rows:
            values = {c: getattr(row, c) for c in manifest.COLUMNS}
            values.update(committed="no", mirror_only="yes" if row.mirror_only else "no")
            writer.writerow(values)
    return root


def cli(root, *args):
    env = {k: v for k, v in os.environ.items() if k != "ANALYSIS_DATA_MIRROR"}
    env["ANALYSIS_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "analysis", "fetch", "--quiet", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_every_failure_is_reported_together_and_the_good_ones_are_kept(project):
    done = cli(project, "good_events", "wrong_bytes", "gone", "nope", "good_facts", "mirror_kept", "nada")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "error: 5 of 7 datasets could not be fetched (the other 2 are verified and kept):"
    # in the order asked for; the unknown keys share one line
    assert lines[1].startswith("  dataset 'wrong_bytes' from http://127.0.0.1:") and "wrong SHA-256" in lines[1]
    assert lines[2].startswith("  dataset 'gone': download from ") and "404" in lines[2]
    assert lines[3].startswith("  unknown datasets 'nope', 'nada'; known keys: good_events, wrong_bytes, gone")
    assert lines[4].startswith("  dataset 'mirror_kept' is mirror-only")
    assert len(lines) == 5
    raw = project / "data" / "raw"
    assert fetch.file_sha256(raw / "a" / "events.csv") == manifest.get("facts_events").sha256
    assert fetch.file_sha256(raw / "d" / "facts.csv") == manifest.get("facts_rd_spending").sha256
    assert not (raw / "b").exists() or list((raw / "b").iterdir()) == []
    assert done.stdout.splitlines() == [f"verified {raw / 'a' / 'events.csv'}", f"verified {raw / 'd' / 'facts.csv'}"]


def test_a_single_failure_is_one_line(project):
    done = cli(project, "gone")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: dataset 'gone': download from ")


def test_the_library_raises_one_error_holding_every_failure_and_what_was_kept(project, monkeypatch):
    monkeypatch.delenv("ANALYSIS_DATA_MIRROR", raising=False)
    monkeypatch.setattr(paths, "MANIFEST", project / "data" / "raw" / "manifest.csv")
    monkeypatch.setattr(paths, "RAW", project / "data" / "raw")
    with pytest.raises(fetch.FetchFailed) as err:
        fetch.fetch(["gone", "good_facts"], mirror=None, progress=False)
    assert isinstance(err.value, DatasetError)
    assert list(err.value.failures) == ["gone"]
    assert err.value.fetched == [project / "data" / "raw" / "d" / "facts.csv"]
