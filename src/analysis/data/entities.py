"""Which firms count as one vendor: the one entity table every registry groups by.

The committed table ``data/raw/sources/entities.csv`` (manifest key ``source_entities``) has one
row per member firm of a vendor: the company itself, a subsidiary, an acquired firm, a joint
venture or a licensed brand, with the date it joined where a source gives one, whether it is
grouped with the vendor, and the basis in plain words.  Each row names how the member appears
in each registry:

- ``cve_vendor_strings``: the vendor field of NVD CPE strings (space-separated), used by
  :mod:`analysis.data.nvd`;
- ``registry_names``: regular expressions (separated by ``;``) that must match a certificate
  registry's whole normalised vendor name, used by :mod:`analysis.data.certifications`.

Only rows with ``grouped = yes`` count; the others record a decision not to group, with its reason.
A member is grouped for every year, not only from ``since``: the registries list an acquired
firm's old products under the name they had, and the counts describe the vendor's product line.

>>> cve_vendor_strings()["Nokia"]
('nokia', 'alcatel-lucent', 'alcatel', 'lucent')
>>> grouped_members()["Nokia"]
('Nokia', 'Alcatel-Lucent', 'Lucent Technologies')
"""
from functools import lru_cache

from analysis.data import manifest as _manifest
from analysis.data import tables

KEY = "source_entities"
FIX = ("Fix that row of data/raw/sources/entities.csv: one row per (entity, member); since empty or YYYY-MM-DD; "
       "grouped yes or no; a basis in plain words.")


@lru_cache(maxsize=None)
def entity_rows() -> tuple:
    """Every row of the entity table, in file order (schema-checked), as named tuples."""
    entry = _manifest.get(KEY)
    frame = tables.read_table(entry.path, f"raw:{KEY}", fix=FIX, dtype=str, keep_default_na=False)
    return tuple(frame.itertuples(index=False))


def _grouped() -> list:
    return [r for r in entity_rows() if r.grouped == "yes"]


def vendors() -> tuple:
    """The vendors, in table order (the claimant first)."""
    return tuple(dict.fromkeys(r.entity for r in entity_rows()))


def grouped_members() -> dict:
    """``{vendor: (member, ...)}``: the member firms grouped under each vendor, in table order."""
    out = {v: () for v in vendors()}
    for r in _grouped():
        out[r.entity] += (r.member,)
    return out


def cve_vendor_strings() -> dict:
    """``{vendor: (CPE vendor string, ...)}`` of the grouped members (for :mod:`analysis.data.nvd`)."""
    out = {v: () for v in vendors()}
    for r in _grouped():
        out[r.entity] += tuple(r.cve_vendor_strings.split())
    return out


def registry_name_patterns() -> dict:
    """``{vendor: [pattern, ...]}`` of the grouped members (for :mod:`analysis.data.certifications`)."""
    out = {v: [] for v in vendors()}
    for r in _grouped():
        out[r.entity] += [p.strip() for p in r.registry_names.split(";") if p.strip()]
    return out


def member_of(vendor: str, *, cve_vendor_string: str = "", registry_name_pattern: str = "") -> str:
    """The grouped member of ``vendor`` that a CPE vendor string or a registry name pattern belongs to
    ('' if none): lets a test check that every registry maps a firm to the same vendor.

    >>> member_of("Nokia", cve_vendor_string="lucent"), member_of("Nokia", registry_name_pattern="ALCATEL")
    ('Lucent Technologies', 'Alcatel-Lucent')
    """
    for r in _grouped():
        if r.entity != vendor:
            continue
        if cve_vendor_string and cve_vendor_string in r.cve_vendor_strings.split():
            return r.member
        if registry_name_pattern and registry_name_pattern in [p.strip() for p in r.registry_names.split(";")]:
            return r.member
    return ""
