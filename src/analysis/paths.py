"""Every path the project uses, defined once.

The project root is the folder holding ``pyproject.toml``; it can be moved with
the ``ANALYSIS_ROOT`` environment variable.  The local data mirror (a folder laid
out like ``data/raw``) is given by ``ANALYSIS_DATA_MIRROR``.

>>> from analysis import paths
>>> paths.RAW.relative_to(paths.ROOT).as_posix()
'data/raw'
"""
import os
from pathlib import Path

ROOT = Path(os.environ.get("ANALYSIS_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
#: The rows the verdicts cite from raw files that are not committed, as read (analysis.claims.evidence).
CITED_ROWS = DATA / "cited_rows.csv"
MANIFEST = RAW / "manifest.csv"
ARTICLES = ROOT / "articles"
#: The article `make report` audits by default: this project's op-ed.
DEFAULT_ARTICLE = ARTICLES / "huawei-not-spying-2019"
LEDGER = DEFAULT_ARTICLE / "claims.yaml"
NOTEBOOKS = ROOT / "notebooks"
#: The generic claim notebook: one claim (article + claim id) shown with no theme notebook.
CLAIM_NOTEBOOK = NOTEBOOKS / "claim.ipynb"
REPORTS = ROOT / "reports"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def mirror_dir(environ=None):
    """The local mirror folder from ``ANALYSIS_DATA_MIRROR``, or None if unset.

    >>> mirror_dir({"ANALYSIS_DATA_MIRROR": "/srv/mirror"}).as_posix()
    '/srv/mirror'
    >>> mirror_dir({}) is None
    True
    """
    value = (os.environ if environ is None else environ).get("ANALYSIS_DATA_MIRROR")
    return Path(value).expanduser().resolve() if value else None
