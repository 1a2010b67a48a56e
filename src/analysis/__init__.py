"""analysis: a reproducible, parameterised audit of quantitative claims.

The first case audited is the 2019 op-ed "Huawei is not spying on customers".
Each module does one job:

Infrastructure

- :mod:`analysis.paths`        where things live (one place, nothing else builds paths)
- :mod:`analysis.data.manifest`     the pinned list of raw datasets (``data/raw/manifest.csv``)
- :mod:`analysis.data.fetch`        download or mirror-copy raw data, verified by SHA-256
- :mod:`analysis.atomic`       write files so that no reader sees a half-written one
- :mod:`analysis.data.tables`       schemas of raw inputs and processed tables (pandera)
- :mod:`analysis.data.facts`        hand-gathered, cited fact tables
- :mod:`analysis.data.integrity`    every committed input checked against its recorded SHA-256
- :mod:`analysis.claims.ledger`       the claim ledger (``claims.yaml``), validated on load
- :mod:`analysis.claims.verdicts`     the verdict scale and the acceptance rules
- :mod:`analysis.claims.audit`        ledger → measure → judge for every claim; notebooks publish verdicts
- :mod:`analysis.data.build`        ``build-data``: raw → processed
- :mod:`analysis.report.figures`      the charts (with alt text)
- :mod:`analysis.report.runner`       execute notebooks with papermill
- :mod:`analysis.report.scorecard`    collect verdicts into ``reports/scorecard.csv``
- :mod:`analysis.report.site`         the reviewer's static site (``reports/index.html`` and pages)
- :mod:`analysis.data.provenance`   per-number provenance: cited rows and datasets
- :mod:`analysis.report.claimreview`  schema.org ClaimReview export
- :mod:`analysis.cli`          ``python -m analysis``

Themes (one notebook each)

- :mod:`analysis.data.rd`              R&D rankings (EU Scoreboard) and spending conversions (01)
- :mod:`analysis.data.footprint`, :mod:`analysis.data.population`  countries, years, users (02)
- :mod:`analysis.data.nvd`, :mod:`analysis.data.security`  CVE counts and the incident timeline (03)
- :mod:`analysis.data.certifications`  FIPS 140 and Common Criteria certificates (04)
- :mod:`analysis.data.ownership`, :mod:`analysis.data.legal`  shareholding and legal opinions (05)
- :mod:`analysis.data.events`, :mod:`analysis.data.ebola`  disasters and Huawei's role (06)
"""

__version__ = "0.1.0"


def forget_memos(package: str = "analysis") -> None:
    """Empty every ``functools`` memo (``lru_cache``, ``cache``) defined at the top of a module of
    ``package`` (the package's own module included), among the modules imported so far.

    >>> forget_memos("analysis.measures")
    """
    import functools
    import sys

    for name, module in list(sys.modules.items()):
        if module is not None and (name == package or name.startswith(package + ".")):
            for value in list(vars(module).values()):
                if isinstance(value, functools._lru_cache_wrapper):
                    value.cache_clear()
