from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kpo.core.panels import Panel


def scaling_panel(request: HttpRequest, engagement: Any) -> Panel | None:
    return None
