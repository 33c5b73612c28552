"""API operations for confidentiality."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["confidentiality"])
