"""The whole audit pinned by one golden table: every claim's headline verdict and measured value.

A deliberate change to a verdict or value is made by editing ``tests/golden/headline_verdicts.csv``
and saying why in the README ("Decisions written down"); anything else that moves it is a bug.
"""
from pathlib import Path

import pandas as pd

from analysis.claims import audit
from analysis.claims.ledger import load_ledger

GOLDEN = Path(__file__).parent / "golden" / "headline_verdicts.csv"


def test_every_headline_verdict_and_measured_value_equals_the_golden_table():
    expected = pd.read_csv(GOLDEN, dtype=str, keep_default_na=False)
    actual = audit.headline_table(load_ledger()).astype(str)
    merged = expected.merge(actual, on="claim_id", how="outer", suffixes=("_golden", "_now"), indicator=True)
    changed = merged[(merged["_merge"] != "both") | (merged["verdict_golden"] != merged["verdict_now"])
                     | (merged["measured_value_golden"] != merged["measured_value_now"])]
    assert changed.empty, "headline results differ from the golden table:\n" + changed.to_string(index=False)
