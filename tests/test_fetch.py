"""Manifest and fetch: every file verified by SHA-256, nothing unverified left in place."""
import dataclasses
import functools
import http.server
import shutil
import threading

import pytest

from analysis import paths
from analysis.data import fetch, manifest
from analysis.errors import ChecksumError, DatasetError


@pytest.fixture
def facts_entry():
    return manifest.get("facts_rd_spending")


def test_manifest_has_every_dataset_with_a_pin():
    entries = manifest.load_manifest()
    assert len(entries) == 47  # the article text is pinned in its own folder (articles/<slug>/article.yaml)
    assert all(len(e.sha256) == 64 and e.bytes > 0 for e in entries.values())
    # a file no public URL serves byte for byte is mirror-only and says so
    cmvp = entries["nist_cmvp_2026_04_15"]
    assert cmvp.mirror_only and cmvp.url == "" and "mirror only" in cmvp.note
    assert entries["scoreboard_2019"].url.startswith("https://raw.githubusercontent.com/veghmark12/")


def test_committed_files_match_their_pins():
    committed = [e for e in manifest.load_manifest().values() if e.committed]
    assert {e.key for e in committed} >= {"facts_rd_spending", "incident_timeline"}
    for entry in committed:
        assert fetch.file_sha256(entry.path) == entry.sha256, entry.key


def test_unknown_key_lists_the_known_ones():
    with pytest.raises(DatasetError, match="unknown dataset 'scoreboard_1999'; known keys: scoreboard_2017"):
        fetch.fetch(["scoreboard_1999"])


def make_mirror(tmp_path, entry, content):
    mirror = tmp_path / "mirror"
    (mirror / entry.file).parent.mkdir(parents=True)
    (mirror / entry.file).write_bytes(content)
    return mirror


def leftovers(folder):
    return [p.name for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith(".")]


def test_copy_from_mirror_verifies(tmp_path, facts_entry):
    mirror = make_mirror(tmp_path, facts_entry, facts_entry.path.read_bytes())
    out = fetch.copy_from_mirror(facts_entry, mirror, raw_dir=tmp_path / "raw")
    assert fetch.file_sha256(out) == facts_entry.sha256
    assert out.stat().st_mode & 0o044  # readable by others, like any other file


def test_corrupt_mirror_copy_is_rejected_and_nothing_is_left(tmp_path, facts_entry):
    good = facts_entry.path.read_bytes()
    mirror = make_mirror(tmp_path, facts_entry, good.replace(b"131659", b"131695"))
    raw = tmp_path / "raw"
    with pytest.raises(ChecksumError) as err:
        fetch.copy_from_mirror(facts_entry, mirror, raw_dir=raw)
    message = str(err.value)
    assert "facts_rd_spending" in message and facts_entry.sha256 in message
    assert fetch.file_sha256(mirror / facts_entry.file) in message
    assert not (raw / facts_entry.file).exists() and leftovers(raw) == []


def test_corrupt_mirror_copy_leaves_the_verified_file_untouched(tmp_path, facts_entry):
    raw = tmp_path / "raw"
    (raw / facts_entry.file).parent.mkdir(parents=True)
    shutil.copy(facts_entry.path, raw / facts_entry.file)
    mirror = make_mirror(tmp_path, facts_entry, b"not the facts")
    with pytest.raises(ChecksumError):
        fetch.copy_from_mirror(facts_entry, mirror, raw_dir=raw)
    assert fetch.file_sha256(raw / facts_entry.file) == facts_entry.sha256


def test_mirror_errors_name_the_folder_or_file(tmp_path, facts_entry):
    with pytest.raises(DatasetError, match="does not exist; fix ANALYSIS_DATA_MIRROR"):
        fetch.copy_from_mirror(facts_entry, tmp_path / "nowhere", raw_dir=tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="'facts_rd_spending'.*missing from the mirror"):
        fetch.copy_from_mirror(facts_entry, tmp_path / "empty", raw_dir=tmp_path)


def test_mirror_only_dataset_without_mirror_says_how_to_get_it(tmp_path):
    entry = manifest.get("nist_cmvp_2026_04_15")
    with pytest.raises(DatasetError, match="mirror-only.*ANALYSIS_DATA_MIRROR"):
        fetch.download(entry, raw_dir=tmp_path)


@pytest.fixture
def http_folder(tmp_path):
    """A local HTTP server on 127.0.0.1 serving tmp_path/served."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # polled every 20 ms, not 0.5 s: shutdown() waits for the next poll
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_download_verifies_and_rejects_a_wrong_checksum(http_folder, tmp_path, facts_entry):
    served, base = http_folder
    (served / "facts.csv").write_bytes(facts_entry.path.read_bytes())
    (served / "bad.csv").write_bytes(b"tampered")
    raw = tmp_path / "raw"
    good = dataclasses.replace(facts_entry, url=f"{base}/facts.csv")
    assert fetch.file_sha256(fetch.download(good, raw_dir=raw, progress=False, retries=0)) == good.sha256

    bad = dataclasses.replace(facts_entry, key="bad", file="other/facts.csv", url=f"{base}/bad.csv")
    with pytest.raises(ChecksumError, match=f"dataset 'bad' from {base}/bad.csv"):
        fetch.download(bad, raw_dir=raw, progress=False, retries=0)
    assert not (raw / "other" / "facts.csv").exists() and leftovers(raw) == []


def test_download_error_names_dataset_and_url(http_folder, tmp_path, facts_entry):
    _, base = http_folder
    gone = dataclasses.replace(facts_entry, url=f"{base}/missing.csv")
    with pytest.raises(DatasetError, match=f"'facts_rd_spending': download from {base}/missing.csv failed "
                                           r"after 1 attempt\(s\)"):
        fetch.download(gone, raw_dir=tmp_path, progress=False, retries=0)


def test_fetch_from_the_mirror_when_set(scoreboards_raw):
    # runs whenever raw data is available (always in CI, where the mirror is set)
    assert fetch.missing(["scoreboard_2019", "fx_annual_fred"]) == []
    assert (paths.RAW / "rd_spending" / "SB2019_World2500.csv").is_file()
