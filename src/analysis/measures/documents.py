"""Measures: documents (to be filled as the claims of its theme move to measures)."""
