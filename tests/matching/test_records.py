"""ExpertRecords and TaskRequirements read from the database (the cast, plus a few additions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpo.core.clock import installation_date
from kpo.experts.models import Degree, ExpertLanguage, ExpertProfile, ExpertSkill
from kpo.matching.models import MatchingWeights
from kpo.matching.records import (
    UNCONVERTED_TAG,
    EurConverter,
    ecb_rates,
    expert_records,
    skills_needed,
    task_requirements,
)
from kpo.orgs.models import Organisation
from kpo.work.models import Assignment, TaskLanguage, TaskSkill, TaskStatus, TimeEntry, TimeEntryStatus
from tests.cast import Cast
from tests.matching.helpers import more_experts

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

WINTER = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
SUMMER = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)


def _by_user(cast: Cast, now: dt.datetime = WINTER) -> dict[str, object]:
    records = {record.id: record for record in expert_records(now)}
    return {
        name: records[profile.pk]
        for name, profile in (
            (name, ExpertProfile.objects.filter(user=user).first()) for name, user in cast.users().items()
        )
        if profile is not None
    }


def test_records_of_the_cast(cast: Cast) -> None:
    records = _by_user(cast)
    assert set(records) == {"carol", "rex", "erin", "ivan"}
    ivan, carol, rex, erin = records["ivan"], records["carol"], records["rex"], records["erin"]
    assert ivan.internal and ivan.owner_client_id == cast.org_a.pk and ivan.organisation_id == cast.org_a.pk
    assert not carol.internal and carol.owner_client_id is None
    assert carol.organisation_id == cast.provider_p.pk
    assert (carol.assigned_hours, rex.assigned_hours, erin.assigned_hours) == (40.0, 4.0, 0.0)
    assert carol.domains == frozenset({"technical_analysis"})
    assert carol.languages == {"en": 5}
    assert carol.active and carol.weekly_capacity_hours == 37.5
    assert carol.utc_offset == 5.5 and carol.country == "IN"
    assert ivan.utc_offset == 1.0  # Copenhagen in January
    assert _by_user(cast, SUMMER)["ivan"].utc_offset == 2.0  # and in summer
    assert carol.bill_rate == 60.0 and carol.tags == frozenset()
    assert carol.degree_rank == 0 and carol.skills == {}


def test_assigned_hours_count_only_open_tasks(cast: Cast) -> None:
    Assignment.objects.create(
        task=cast.draft_a,
        expert=cast.erin.expert_profile,
        role="maker",
        planned_hours=Decimal("7.5"),
        assigned_by=cast.pete,
    )
    assert _by_user(cast)["erin"].assigned_hours == 7.5
    cast.task_a.status = "accepted"
    cast.task_a.save()
    records = _by_user(cast)
    assert records["carol"].assigned_hours == 0.0 and records["rex"].assigned_hours == 0.0


def test_rates_are_converted_to_euro_at_the_date(cast: Cast) -> None:
    ExpertProfile.objects.filter(user=cast.erin).update(bill_rate=Decimal(5000), rate_currency="INR")
    ExpertProfile.objects.filter(user=cast.rex).update(bill_rate=Decimal(900), rate_currency="ARS")
    day, rates = ecb_rates().rate_on(["INR"], installation_date(WINTER))
    assert day <= installation_date(WINTER)
    records = _by_user(cast)
    assert records["erin"].bill_rate == pytest.approx(float(Decimal(5000) / rates["INR"]))
    assert 30 < records["erin"].bill_rate < 70  # 5,000 rupees is some 50 euros
    # a currency the ECB does not quote cannot be compared: not held against the expert, and tagged
    assert records["rex"].bill_rate == 0.0 and UNCONVERTED_TAG in records["rex"].tags
    assert EurConverter(installation_date(WINTER)).to_eur(Decimal(10), "EUR") == 10.0


def test_degrees_languages_skills_status(cast: Cast) -> None:
    carol = cast.carol.expert_profile
    for level in ("bachelor", "phd"):
        Degree.objects.create(expert=carol, level=level, field="Physics", institution="IIT", year=2010)
    ExpertLanguage.objects.create(expert=carol, language="da", level="native")
    skill = cast.task_a.required_skills.get().skill
    ExpertSkill.objects.create(expert=carol, skill=skill, proficiency=4)
    cast.erin.is_active = False
    cast.erin.save()
    ExpertProfile.objects.filter(user=cast.rex).update(status="inactive")
    records = _by_user(cast)
    assert records["carol"].degree_rank == 3  # the best degree, verified or not
    assert records["carol"].languages == {"en": 5, "da": 6}
    assert records["carol"].skills == {skill.pk: 4}
    assert not records["erin"].active and not records["rex"].active


def test_owner_of_a_captive_subsidiarys_experts_is_its_parent(cast: Cast) -> None:
    captive = Organisation.objects.create(
        slug="acme-in",
        name="Acme India",
        kind="provider",
        provider_type="captive",
        parent=cast.org_a,
        country="IN",
        time_zone="Asia/Kolkata",
    )
    ExpertProfile.objects.filter(user=cast.erin).update(organisation=captive)
    erin = _by_user(cast)["erin"]
    assert erin.organisation_id == captive.pk and erin.owner_client_id == cast.org_a.pk


def test_records_take_a_fixed_number_of_queries(cast: Cast) -> None:
    with CaptureQueriesContext(connection) as few:
        assert len(expert_records(WINTER)) == 4
    more_experts(cast, 12)
    with CaptureQueriesContext(connection) as many:
        assert len(expert_records(WINTER)) == 16
    # 9: the rate-card lines valid today (kpo.economics); 10: the quality scores (kpo.quality)
    assert len(many) == len(few) <= 10


def test_a_task_needs_capacity_for_the_hours_left_only(cast: Cast) -> None:
    now = timezone.now()
    task = cast.task_a
    logged = TimeEntry.objects.filter(task=task).exclude(status=TimeEntryStatus.REJECTED)
    done = sum((entry.hours for entry in logged), Decimal(0))
    assert done > 0
    entry = logged.first()
    assert entry is not None
    TimeEntry.objects.create(
        task=task,
        expert=entry.expert,
        date=entry.date,
        hours=Decimal(30),
        description="refused",
        status=TimeEntryStatus.REJECTED,
    )
    assert task_requirements(task, now).effort_hours == float(task.effort_hours - done)  # rejected: not work
    TimeEntry.objects.create(
        task=task, expert=entry.expert, date=entry.date, hours=Decimal(100), description="x"
    )
    assert task_requirements(task, now).effort_hours == 0.25  # over the estimate: a quarter hour at least
    task.status = TaskStatus.SUBMITTED
    assert task_requirements(task, now).effort_hours == float(task.effort_hours)  # not under way: no query


def test_requirements_of_a_task(cast: Cast) -> None:
    now = timezone.now()
    task = cast.task_a
    skill_id = task.required_skills.get().skill_id
    requirements = task_requirements(task, now)
    assert requirements.domain == "technical_analysis"
    assert requirements.skills == {skill_id: 3}
    assert requirements.min_skills_held == 1  # ceil(0.5 x 1)
    assert requirements.min_degree_rank == 0 and requirements.languages == {}
    assert requirements.effort_hours == 37.0  # its 40 hours of effort less the 3 hours logged on it
    assert requirements.window_weeks == pytest.approx(2.0, abs=0.01)
    assert requirements.client_id == cast.org_a.pk
    assert requirements.organisation_ids == frozenset({cast.provider_p.pk})
    start, end = requirements.client_window_utc or (0, 0)
    assert end - start == 8 and start in {7.0, 8.0}  # 09:00-17:00 in Copenhagen
    # 100,000 DKK over the 50 hours of the engagement's tasks, in euros
    _day, rates = ecb_rates().rate_on(["DKK"], installation_date(now))
    assert requirements.budget_per_hour == pytest.approx(float(Decimal(2000) / rates["DKK"]))


def test_requirements_follow_the_task_and_the_client(cast: Cast) -> None:
    task = cast.task_a
    extra = list(type(task.required_skills.get().skill).objects.order_by("id")[1:3])
    for skill in extra:
        TaskSkill.objects.create(task=task, skill=skill, min_proficiency=2)
    TaskLanguage.objects.create(task=task, language="da", min_level="B2")
    task.min_degree_level = "master"
    task.save()
    now = timezone.now()
    requirements = task_requirements(task, now)
    assert len(requirements.skills) == 3 and requirements.min_skills_held == 2  # ceil(0.5 x 3)
    assert requirements.languages == {"da": "B2"} and requirements.min_degree_rank == 2
    MatchingWeights.objects.create(client=cast.org_a, min_skills_share=Decimal(1))
    assert task_requirements(task, now).min_skills_held == 3
    cast.engagement_a.budget = Decimal(0)
    cast.engagement_a.save()
    task.refresh_from_db()
    assert task_requirements(task, now).budget_per_hour is None


def test_skills_needed_rounds_up() -> None:
    assert skills_needed(Decimal("0.5"), 3) == 2
    assert skills_needed(Decimal("0.34"), 3) == 2
    assert skills_needed(Decimal("0.33"), 3) == 1
    assert skills_needed(Decimal(0), 3) == 0
    assert skills_needed(Decimal(1), 3) == 3
    assert skills_needed(Decimal("0.5"), 0) == 0
