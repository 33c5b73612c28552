"""Small builders for matching tests: skills for the cast's experts, a task nobody can do, more experts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from kpo.experts.models import EscoSkill, ExpertDomain, ExpertLanguage, ExpertProfile, ExpertSkill
from kpo.work.models import Task, TaskSkill
from tests.cast import Cast


def task_skill(cast: Cast) -> EscoSkill:
    return cast.task_a.required_skills.get().skill


def give_skill(cast: Cast, *names: str, level: int = 4) -> None:
    """Give the task_a skill to these members of the cast (their profiles touched, as services must)."""
    skill = task_skill(cast)
    for name in names:
        profile = ExpertProfile.objects.get(user=cast.users()[name])
        ExpertSkill.objects.create(expert=profile, skill=skill, proficiency=level)
        profile.save()


def impossible_task(cast: Cast) -> Task:
    """A submitted task of client A asking for a skill no expert holds."""
    task = Task.objects.create(
        engagement=cast.engagement_a,
        title="Impossible",
        description="Nobody has this.",
        effort_hours=Decimal(8),
        due_at=timezone.now() + dt.timedelta(days=30),
        status="submitted",
        created_by=cast.bob,
    )
    rare = EscoSkill.objects.order_by("-id").first()
    assert rare is not None
    TaskSkill.objects.create(task=task, skill=rare, min_proficiency=5)
    return task


def more_experts(cast: Cast, n: int, *, skilled: bool = True) -> list[ExpertProfile]:
    """n more experts at provider P, in the engagement's domain (and with task_a's skill)."""
    start = User.objects.count()
    skill = task_skill(cast)
    made = []
    for i in range(start, start + n):
        user = User.objects.create(username=f"more{i}", first_name="More", last_name=f"Expert {i}")
        profile = ExpertProfile.objects.create(
            user=user,
            organisation=cast.provider_p,
            headline=f"Analyst {i}",
            country="IN",
            time_zone="Asia/Kolkata",
            cost_rate=Decimal(20),
            bill_rate=Decimal(40),
            rate_currency="EUR",
        )
        ExpertLanguage.objects.create(expert=profile, language="en", level="B2")
        ExpertDomain.objects.create(expert=profile, domain="technical_analysis")
        if skilled:
            ExpertSkill.objects.create(expert=profile, skill=skill, proficiency=3)
        made.append(profile)
    return made
