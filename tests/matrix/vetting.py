"""The authorisation matrix's entries for vetting (see tests/matrix/__init__.py)."""

from __future__ import annotations

from tests.matrix import MatrixPart

PART = MatrixPart()
