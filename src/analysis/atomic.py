"""Writing files so that a reader never sees a half-written one.

Write to a temporary file in the same folder, then rename over the target
(``os.replace`` is atomic on one file system).  An interruption leaves the old
file, never a partial new one.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "b.txt"
>>> write_text(p, "hello\\n").read_text()
'hello\\n'
"""
import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from analysis.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def why_unwritable(exc: OSError, path) -> str:
    """Why ``path`` could not be written, in words, from the OSError that said so.

    >>> why_unwritable(NotADirectoryError(20, "Not a directory"), "/etc/hostname/reports")
    '/etc/hostname is a file, not a folder'
    >>> why_unwritable(PermissionError(13, "Permission denied"), "/nonexistent-root/reports")
    'permission denied'
    """
    path = Path(path)
    blocker = next((p for p in path.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        return f"{blocker} is a file, not a folder"
    if isinstance(exc, FileExistsError) and path.exists() and not path.is_dir():  # from mkdir
        return f"{path} is a file, not a folder"
    if isinstance(exc, IsADirectoryError):  # from replacing a file
        return f"{path} is a folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return (exc.strerror or str(exc)).lower()


def writable_folder(folder, option="--output") -> Path:
    """Make ``folder`` (and its parents) and check that a file can be created in it, before any work
    is done; an OutputError names the folder, why it cannot be written and the fix (``option``:
    where another folder can be given).

    >>> import tempfile, pathlib
    >>> writable_folder(pathlib.Path(tempfile.mkdtemp()) / "reports").name
    'reports'
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {folder}: {why_unwritable(exc, folder)}; give "
                          f"{option} a folder you can write to, or fix this one (its owner and permissions, "
                          f"e.g. chmod u+w)") from None
    return folder


def _cannot_write(exc: OSError, path) -> OutputError:
    return OutputError(f"cannot write {path}: {why_unwritable(exc, path)}; make its folder writable and remove "
                       f"what is in the way, or write elsewhere")


@contextmanager
def replacing(path, mode="w"):
    """Open a temporary file beside ``path``; on a clean exit it replaces ``path``.

    On an exception the temporary file is removed and ``path`` is untouched.  A folder that cannot be
    written, or a folder in the place of ``path``, is an OutputError naming ``path``.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise _cannot_write(exc, path) from None
    try:
        kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise _cannot_write(exc, path) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(path, text) -> Path:
    """Write UTF-8 text atomically; returns the path."""
    with replacing(path) as fh:
        fh.write(text)
    return Path(path)
