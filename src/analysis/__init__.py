"""analysis: a reproducible, parameterised audit of quantitative claims.

The first case audited is the 2019 op-ed "Huawei is not spying on customers".
Each module does one job:

Infrastructure

- :mod:`analysis.paths`        where things live (one place, nothing else builds paths)
- :mod:`analysis.manifest`     the pinned list of raw datasets (``data/raw/manifest.csv``)
- :mod:`analysis.fetch`        download or mirror-copy raw data, verified by SHA-256
- :mod:`analysis.atomic`       write files so that no reader sees a half-written one
- :mod:`analysis.tables`       schemas of raw inputs and processed tables (pandera)
- :mod:`analysis.facts`        hand-gathered, cited fact tables
- :mod:`analysis.ledger`       the claim ledger (``claims.yaml``), validated on load
- :mod:`analysis.verdicts`     the verdict scale and the acceptance rules
- :mod:`analysis.audit`        ledger → measure → judge for every claim; notebooks publish verdicts
- :mod:`analysis.build`        ``build-data``: raw → processed
- :mod:`analysis.figures`      the charts (with alt text)
- :mod:`analysis.runner`       execute notebooks with papermill
- :mod:`analysis.scorecard`    collect verdicts into ``reports/scorecard.csv``
- :mod:`analysis.site`         the reviewer's static site (``reports/index.html`` and pages)
- :mod:`analysis.provenance`   per-number provenance: cited rows and datasets
- :mod:`analysis.claimreview`  schema.org ClaimReview export
- :mod:`analysis.cli`          ``python -m analysis``

Themes (one notebook each)

- :mod:`analysis.rd`              R&D rankings (EU Scoreboard) and spending conversions (01)
- :mod:`analysis.footprint`, :mod:`analysis.population`  countries, years, users (02)
- :mod:`analysis.nvd`, :mod:`analysis.security`  CVE counts and the incident timeline (03)
- :mod:`analysis.certifications`  FIPS 140 and Common Criteria certificates (04)
- :mod:`analysis.ownership`, :mod:`analysis.legal`  shareholding and legal opinions (05)
- :mod:`analysis.events`, :mod:`analysis.ebola`  disasters and Huawei's role (06)
"""

__version__ = "0.1.0"
