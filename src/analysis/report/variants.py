"""Published report or variant: what a run may write, and where.

The **published** report (``reports/<slug>/``) is the fact-check: written only by a complete run
with the ledger's parameters.  A run with changed parameters (any ``-p``) is a **variant**, a
what-if: it goes to ``reports/<slug>/variants/<name>/`` (or the folder given with ``--output``,
never the published one), every page says so, and it has no ClaimReview.  ``<name>`` is read
from the changed parameters:

>>> variant_name({"top_n": 3, "edition": 2017})
'edition=2017,top_n=3'
>>> Variant({"edition": 2017}, {"edition": 2019}).changed
[{'name': 'edition', 'value': 2017, 'default': 2019}]
"""
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

#: Where the variants of a report go, inside its folder.
VARIANTS = "variants"
#: The longest readable part of a variant's name; a longer one is cut and told apart by a hash.
NAME_LENGTH = 64
#: What a folder name may hold as it is (anything else becomes "_").
_SAFE = re.compile(r"[^A-Za-z0-9._=,+-]")


def _digest(parameters) -> str:
    text = json.dumps(parameters, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def variant_name(parameters) -> str:
    """A folder name for the changed ``parameters``: ``name=value`` pairs sorted by name and joined
    by commas, made filesystem-safe; if that changed anything or made it long, a short hash of the
    parameters is added, so that two variants never share a folder.

    >>> variant_name({"ebola_end": "end_of_transmission"})
    'ebola_end=end_of_transmission'
    >>> variant_name({"vendors": "Cisco/Nokia"})
    'vendors=Cisco_Nokia-91435c3b'
    """
    readable = ",".join(f"{name}={value}" for name, value in sorted(parameters.items()))
    safe = _SAFE.sub("_", readable).lstrip(".") or "_"
    if safe == readable and len(safe) <= NAME_LENGTH:
        return safe
    return f"{safe[:NAME_LENGTH]}-{_digest(parameters)}"


@dataclass(frozen=True)
class Variant:
    """A run's changed parameters (``{name: value}``, validated) with their defaults, and the link
    from the variant's pages to the published report's index (empty: none to link to)."""

    parameters: dict
    defaults: dict = field(default_factory=dict)
    published: str = ""

    @property
    def name(self) -> str:
        return variant_name(self.parameters)

    @property
    def changed(self) -> list:
        """``[{name, value, default}]`` sorted by name, as the pages list them."""
        return [{"name": name, "value": value, "default": self.defaults.get(name, "")}
                for name, value in sorted(self.parameters.items())]

    def applied(self, declared) -> str:
        """JSON of the changed parameters among ``declared`` (a notebook's parameter names): the
        scorecard's ``parameters`` column of that notebook's claims.

        >>> Variant({"edition": 2017, "year": 2019}).applied(["edition", "top_n"])
        '{"edition": 2017}'
        """
        return json.dumps({n: v for n, v in sorted(self.parameters.items()) if n in declared}, ensure_ascii=False)


def default_folder(published, parameters) -> Path:
    """Where a variant goes when no folder is given: ``<published>/variants/<name>``."""
    return Path(published) / VARIANTS / variant_name(parameters)


def link_to_published(folder, published) -> str:
    """The relative link from a variant in ``folder`` to the published index, when the variant lies
    inside the published report's folder (else '': a folder elsewhere may be moved or shared alone).

    >>> link_to_published("reports/a/variants/x=1", "reports/a")
    '../../index.html'
    >>> link_to_published("/tmp/what-if", "reports/a")
    ''
    """
    folder, published = Path(folder).resolve(), Path(published).resolve()
    if published not in folder.parents:
        return ""
    return "../" * len(folder.relative_to(published).parts) + "index.html"
