"""Data: pinned raw files, their schemas, the build steps raw → processed, cited fact rows, and the readers of each source (one module per source)."""
