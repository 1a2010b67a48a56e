"""Errors the audit raises on bad input.  Each message names the thing at fault and the fix."""


class AuditError(Exception):
    """Base class: any error with a message meant for the person running the audit."""


class DatasetError(AuditError):
    """A raw dataset is missing, unknown, or does not match its pinned SHA-256."""


class ChecksumError(DatasetError):
    """A file's SHA-256 differs from the one pinned in the manifest."""


class IntegrityError(AuditError):
    """A committed input does not match the SHA-256 recorded for it (edited by hand, or stale)."""


class LedgerError(AuditError):
    """The claim ledger is malformed: the message names the entry and the field."""


class ParameterError(AuditError):
    """A notebook parameter is unknown, of the wrong type, or outside its allowed values."""


class OutputError(AuditError):
    """A file or folder the audit writes cannot be written (no permission, read-only, a file in the way)."""


class DataSchemaError(AuditError):
    """A raw table does not have the columns the library expects (it changed upstream?)."""


class NotebookFailed(AuditError):
    """A notebook raised or its kernel died: the message names the notebook, the cell and the error."""

    def __init__(self, notebook, cell, error):
        self.notebook, self.cell, self.error = notebook, cell, error
        where = f"cell {cell}" if cell is not None else "before any cell ran"
        super().__init__(f"notebook {notebook}, {where}: {error}")


class ReportRefused(AuditError):
    """A run would leave a report half-updated or pass a variant off as the published report: nothing
    was written; the message says what to run instead."""
