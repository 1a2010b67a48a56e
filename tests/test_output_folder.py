"""An output folder that cannot be written (read-only, no permission, a file in the way) ends `run` and
`multiverse` in one line naming the folder and the fix, exit code 2, before any kernel starts."""
import os
import subprocess
import sys
import time

import pytest

from analysis import atomic
from analysis.claims import multiverse
from analysis.claims.ledger import load_ledger
from analysis.errors import OutputError

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def unwritable(tmp_path):
    """A folder this process cannot write: read-only by permission, or (as root, for whom permissions do
    not apply) a path under a regular file, which fails with NotADirectoryError."""
    if AS_ROOT:
        (tmp_path / "file.txt").write_text("not a folder\n", encoding="utf-8")
        yield tmp_path / "file.txt" / "sub"
        return
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    yield folder
    folder.chmod(0o700)


def cli(*args):
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=120)
    return done, time.monotonic() - start


def assert_one_line_naming(done, folder):
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"error: cannot write to the output folder {folder}: "), done.stderr
    assert "--output" in done.stderr


def test_run_into_an_unwritable_folder_is_one_line(unwritable):
    done, seconds = cli("run", "--notebook", "01_rd_spending", "--output", str(unwritable), "--no-progress")
    assert_one_line_naming(done, unwritable)
    assert seconds < 30  # refused before any kernel started


def test_multiverse_render_into_an_unwritable_folder_is_one_line(unwritable):
    ledger = load_ledger()
    spec = multiverse.specifications(ledger.claim("rd-top-five-2018"), ledger)[0].id
    done, _ = cli("multiverse", "--render", spec, "--output", str(unwritable))
    assert_one_line_naming(done, unwritable)


def test_the_check_names_the_file_in_the_way(tmp_path):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        atomic.writable_folder(tmp_path / "file.txt" / "a" / "b")
    assert str(err.value).startswith(f"cannot write to the output folder {tmp_path / 'file.txt' / 'a' / 'b'}: "
                                     f"{tmp_path / 'file.txt'} is a file, not a folder; ")
    assert atomic.writable_folder(tmp_path / "new" / "folder").is_dir()
    assert list((tmp_path / "new" / "folder").iterdir()) == []  # the probe left nothing


@pytest.mark.skipif(AS_ROOT, reason="permissions do not apply to root")
def test_the_check_names_a_read_only_folder(unwritable):
    with pytest.raises(OutputError, match="permission denied; give --output a folder you can write to"):
        atomic.writable_folder(unwritable)


def test_multiverse_into_an_unwritable_article_folder_is_one_line(tmp_path):
    """`multiverse` writes multiverse.csv beside the ledger: a path it cannot write is one line too."""
    import shutil
    from pathlib import Path

    folder = tmp_path / "article"
    shutil.copytree(Path(__file__).parent / "fixtures" / "articles" / "rd-and-population-fixture", folder)
    (folder / "multiverse.csv").unlink()
    (folder / "multiverse.csv").mkdir()  # in the way of the file, for root as for anyone
    done, _ = cli("multiverse", "--article", str(folder))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"cannot write {folder / 'multiverse.csv'}: " in done.stderr


def test_any_other_file_that_cannot_be_read_is_one_line(tmp_path):
    """An OSError outside the library's own checks (here: the manifest is a folder) is one line too."""
    (tmp_path / "data" / "raw" / "manifest.csv").mkdir(parents=True)
    env = {**os.environ, "ANALYSIS_ROOT": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "analysis", "fetch", "facts_events"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"error: {tmp_path / 'data' / 'raw' / 'manifest.csv'}: Is a directory\n"
