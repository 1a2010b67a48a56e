"""The list of changes between the repository's tagged versions, read from git (``changes.html``).

Each tag is a version: its name, the date of the commit it points to, its message (an annotated
tag's subject, else the commit's) and the commits since the previous tag.  With no tag, the list is
empty and the page says so; nothing here creates a tag.  Dates are commit dates, so the page is the
same for every build of one commit.
"""
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths

#: Fields of ``git for-each-ref`` per tag, separated by a unit separator (never in a tag or subject).
SEP = "\x1f"


@dataclass(frozen=True)
class Version:
    """A tagged version and the commits it added since the previous one (newest first)."""

    tag: str
    date: str
    subject: str
    commits: list = field(default_factory=list)


def _git(root, *args) -> str:
    """``git -C root args`` output ('' when git or the repository is missing)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def versions(root=None) -> list:
    """The tagged versions of the repository at ``root``, newest first."""
    root = Path(root or paths.ROOT)
    fmt = SEP.join(("%(refname:short)", "%(*committerdate:short)%(committerdate:short)",
                    "%(contents:subject)", "%(*objectname)%(objectname)"))
    rows = [line.split(SEP) for line in _git(root, "for-each-ref", "--sort=creatordate", f"--format={fmt}",
                                             "refs/tags").splitlines() if line]
    out, previous = [], None
    for tag, date, subject, _ in rows:
        span = f"{previous}..{tag}" if previous else tag
        commits = [line.split(SEP, 1) for line in _git(root, "log", f"--format=%h{SEP}%s", span).splitlines()]
        out.append(Version(tag=tag, date=date, subject=subject, commits=[tuple(c) for c in commits if len(c) == 2]))
        previous = tag
    return out[::-1]
