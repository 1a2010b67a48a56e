"""Claims: articles and their ledgers, the verdict scale, the judge and its policies, the pipeline ledger → measure → judge, and the multiverse of analyst choices."""
