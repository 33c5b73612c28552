"""API operations for sla."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["sla"])
