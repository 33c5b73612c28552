"""API operations for quality."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["quality"])
