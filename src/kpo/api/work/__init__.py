"""The work app's API: engagements, tasks, their staffing, material and activity (one router)."""

from __future__ import annotations

from ninja import Router

from kpo.api.work import activity, assignments, engagements, material, tasks

router = Router()
for part in (engagements, tasks, assignments, material, activity):
    router.add_router("", part.router)
