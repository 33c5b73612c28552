"""API operations for vetting."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["vetting"])
