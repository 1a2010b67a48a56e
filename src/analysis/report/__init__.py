"""Report: running the notebooks, the execution cache, the reviewer's site, the scorecard, the ClaimReview export and the figures."""
