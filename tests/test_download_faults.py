"""Downloads against a misbehaving local server (127.0.0.1): every failure is named, bounded,
and leaves nothing behind; a previously verified file is never touched."""
import dataclasses
import http.server
import threading
import time

import pytest

from analysis.data import fetch, manifest
from analysis.errors import ChecksumError, DatasetError


class FaultyHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``body`` under paths that each misbehave in one way; counts hits per path."""

    body = b""
    hits = {}
    delay = 2.0

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.lstrip("/")
        FaultyHandler.hits[path] = FaultyHandler.hits.get(path, 0) + 1
        if path == "ok":
            self._send(200, self.body)
        elif path == "wrong":
            self._send(200, self.body.replace(b"Huawei", b"Huaw3i", 1))
        elif path == "truncated":  # promises the whole file, sends half, hangs up
            self.send_response(200)
            self.send_header("Content-Length", str(len(self.body)))
            self.end_headers()
            self.wfile.write(self.body[: len(self.body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif path == "slow":
            time.sleep(self.delay)
            self._send(200, self.body)
        elif path == "missing":
            self._send(404, b"not found")
        elif path == "broken":
            self._send(500, b"server error")
        elif path == "flaky":  # fails twice, then serves the file
            if FaultyHandler.hits[path] <= 2:
                self._send(503, b"try later")
            else:
                self._send(200, self.body)

    def _send(self, status, payload):
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def entry():
    return manifest.get("facts_rd_spending")


@pytest.fixture
def server(entry):
    FaultyHandler.body = entry.path.read_bytes()
    FaultyHandler.hits = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FaultyHandler)
    httpd.daemon_threads = True
    # polled every 20 ms, not 0.5 s: shutdown() waits for the next poll
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def served(entry, base, path):
    return dataclasses.replace(entry, url=f"{base}/{path}", committed=False)


def files_in(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_a_good_download_is_verified(server, entry, tmp_path):
    out = fetch.download(served(entry, server, "ok"), raw_dir=tmp_path, progress=False, backoff=0)
    assert fetch.file_sha256(out) == entry.sha256
    assert files_in(tmp_path) == [entry.file]


def test_wrong_checksum_names_dataset_url_and_both_hashes_and_is_not_retried(server, entry, tmp_path):
    with pytest.raises(ChecksumError) as err:
        fetch.download(served(entry, server, "wrong"), raw_dir=tmp_path, progress=False, backoff=0)
    message = str(err.value)
    wrong = FaultyHandler.body.replace(b"Huawei", b"Huaw3i", 1)
    import hashlib
    assert f"'facts_rd_spending' from {server}/wrong" in message
    assert entry.sha256 in message and hashlib.sha256(wrong).hexdigest() in message
    assert FaultyHandler.hits["wrong"] == 1
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("path, kind", [("truncated", "transient"), ("broken", "transient")])
def test_transient_failures_are_retried_a_bounded_number_of_times(server, entry, tmp_path, path, kind):
    with pytest.raises(DatasetError) as err:
        fetch.download(served(entry, server, path), raw_dir=tmp_path, progress=False, retries=2, backoff=0)
    assert FaultyHandler.hits[path] == 3
    assert f"download from {server}/{path} failed after 3 attempt(s), last with a {kind} error" in str(err.value)
    assert files_in(tmp_path) == []


def test_a_timeout_is_transient_and_bounded(server, entry, tmp_path):
    start = time.monotonic()
    with pytest.raises(DatasetError, match=r"failed after 2 attempt\(s\), last with a transient error.*timed out"):
        fetch.download(served(entry, server, "slow"), raw_dir=tmp_path, progress=False, retries=1,
                       timeout=0.3, backoff=0)
    assert time.monotonic() - start < FaultyHandler.delay * 2  # never waited out the server
    assert files_in(tmp_path) == []


def test_not_found_is_not_retried(server, entry, tmp_path):
    with pytest.raises(DatasetError, match=r"failed after 1 attempt\(s\), last with an error that retrying "
                                           r"cannot fix: 404"):
        fetch.download(served(entry, server, "missing"), raw_dir=tmp_path, progress=False, retries=3, backoff=0)
    assert FaultyHandler.hits["missing"] == 1


def test_backoff_doubles_between_attempts(server, entry, tmp_path, monkeypatch):
    waits = []
    monkeypatch.setattr(fetch.time, "sleep", waits.append)
    out = fetch.download(served(entry, server, "flaky"), raw_dir=tmp_path, progress=False, retries=3,
                         backoff=0.5)
    assert waits == [0.5, 1.0]
    assert fetch.file_sha256(out) == entry.sha256


def test_an_existing_file_is_replaced_only_by_a_verified_download(server, entry, tmp_path):
    target = tmp_path / entry.file
    target.parent.mkdir(parents=True)
    target.write_bytes(FaultyHandler.body.replace(b"Huawei", b"HUAWEI", 1))  # an old, unverified copy
    before = target.read_bytes()
    for path, error in (("wrong", ChecksumError), ("truncated", DatasetError), ("missing", DatasetError)):
        with pytest.raises(error):
            fetch.download(served(entry, server, path), raw_dir=tmp_path, progress=False, retries=0)
        assert target.read_bytes() == before and files_in(tmp_path) == [entry.file]
