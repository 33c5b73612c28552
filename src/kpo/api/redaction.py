"""API operations for redaction."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["redaction"])
