"""analysis: a reproducible, parameterised audit of quantitative claims.

The first case audited is the 2019 op-ed "Huawei is not spying on customers".
Each module does one job:

- :mod:`analysis.paths`      where things live (one place, nothing else builds paths)
- :mod:`analysis.manifest`   the pinned list of raw datasets (``data/raw/manifest.csv``)
- :mod:`analysis.fetch`      download or mirror-copy raw data, verified by SHA-256
- :mod:`analysis.facts`      hand-gathered, cited fact tables
- :mod:`analysis.ledger`     the claim ledger (``claims.yaml``), validated on load
- :mod:`analysis.verdicts`   the verdict scale and the acceptance rules
- :mod:`analysis.rd`         R&D rankings (EU Scoreboard) and spending conversions
- :mod:`analysis.build`      ``build-data``: raw → processed
- :mod:`analysis.runner`     execute notebooks with papermill, render HTML
- :mod:`analysis.scorecard`  collect verdicts into ``reports/scorecard.csv`` and ``index.html``
"""

__version__ = "0.1.0"
