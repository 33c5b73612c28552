"""Panels that other apps add to shared pages, so a feature does not have to edit another app's template.

An app registers a provider for a slot in its AppConfig.ready():

    register_panel("task_side", nda_panel)

where `nda_panel(request, task)` returns a `Panel` (a template and its context) or None when it has
nothing to show to this user. The page renders `{% include "includes/panels.html" with slot="task_side"
object=task %}`; panels appear in registration order. Slots: task_alert (under the task's next
steps), task_main, task_staffing (in its "who works on it" section), task_messages (beside the task's
message box), task_side, engagement_main,
engagement_side, expert_main, expert_side, dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

SLOTS = frozenset(
    {
        "task_alert",
        "task_main",
        "task_messages",
        "task_side",
        "task_staffing",
        "engagement_main",
        "engagement_side",
        "expert_main",
        "expert_side",
        "dashboard",
    }
)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[[HttpRequest, Any], Panel | None]

_PROVIDERS: dict[str, list[PanelProvider]] = defaultdict(list)


def register_panel(slot: str, provider: PanelProvider) -> None:
    if slot not in SLOTS:
        raise ValueError(f"Unknown panel slot {slot!r}; expected one of {', '.join(sorted(SLOTS))}.")
    if provider not in _PROVIDERS[slot]:
        _PROVIDERS[slot].append(provider)


def panels_for(slot: str, request: HttpRequest, obj: Any) -> list[Panel]:
    panels = []
    for provider in _PROVIDERS.get(slot, ()):
        panel = provider(request, obj)
        if panel is not None:
            panels.append(panel)
    return panels
