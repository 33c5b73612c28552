"""An overflow pool for tests: a freelance pool (fiona its manager, felix its expert, who signed client
A's NDA) and a task of engagement A waiting for staff; and one way to break each eligibility rule for
felix (`RULES`: the breaker and the rule's code)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.compliance.models import ConflictDeclaration
from kpo.confidentiality.models import NdaSignature, NdaVersion
from kpo.engine.vetting import VettingState
from kpo.experts.models import ExpertProfile
from kpo.matching.access import access_task_for_matching
from kpo.matching.selectors import shortlist_for_task
from kpo.orgs.models import Membership, Organisation
from kpo.vetting.models import VettingRecord
from kpo.work import overflow
from kpo.work.models import Assignment, OverflowProvider, Task, TaskRelease
from tests.cast import Cast, _expert, _user


def freelance_pool(slug: str = "fjord") -> Organisation:
    """A Danish freelance pool, Fjord Freelance, with nobody in it yet."""
    return Organisation.objects.create(
        slug=slug,
        name="Fjord Freelance",
        kind="provider",
        country="DK",
        time_zone="Europe/Copenhagen",
        currency="EUR",
        provider_type="freelance_pool",
    )


def pool_people(cast: Cast, pool: Organisation) -> tuple[User, User, ExpertProfile]:
    """fiona, the pool's manager, and felix, its expert, who signed client A's NDA: (fiona, felix's
    account, felix's profile)."""
    fiona = _user("fiona", "Fiona", "Fjord")
    Membership.objects.create(user=fiona, organisation=pool, role="provider_manager")
    felix_user = _user("felix", "Felix", "Freelancer")
    Membership.objects.create(user=felix_user, organisation=pool, role="expert")
    felix = _expert(felix_user, pool, "IFRS reviewer")
    version = NdaVersion.objects.get(template=cast.nda_a)
    NdaSignature.objects.create(
        version=version,
        signer=felix_user,
        typed_name="Felix Freelancer",
        signed_at=timezone.now(),
        ip="127.0.0.1",
        text_sha256=version.sha256,
    )
    return fiona, felix_user, felix


def waiting_task(cast: Cast, title: str, hours: int = 10, status: str = "submitted") -> Task:
    """A task of engagement A due in two weeks, waiting for staff (or in `status`)."""
    return Task.objects.create(
        engagement=cast.engagement_a,
        title=title,
        description="Measure the line.",
        effort_hours=Decimal(hours),
        due_at=timezone.now() + dt.timedelta(days=14),
        status=status,
        created_by=cast.bob,
    )


def delivered_by(cast: Cast, expert: ExpertProfile) -> Task:
    """A task of client A that `expert` made and delivered: the client has worked with them."""
    task = waiting_task(cast, "Cycle-time study", 6, status="delivered")
    Assignment.objects.create(
        task=task, expert=expert, role="maker", planned_hours=Decimal(6), assigned_by=cast.pete
    )
    return task


class Pool:
    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.org = freelance_pool()
        self.fiona, self.felix_user, self.felix = pool_people(cast, self.org)
        self.task = waiting_task(cast, "Overflow line study")

    def approve(self) -> OverflowProvider:
        return overflow.overflow_approve(
            user=self.cast.alice, engagement=self.cast.engagement_a, provider=self.org
        )

    def release(self) -> TaskRelease:
        return overflow.task_release(
            user=self.cast.pete, task=self.task, reason="Nobody free before the due date"
        )

    def taken(self) -> TaskRelease:
        self.approve()
        return overflow.release_take(
            user=self.fiona, release=self.release(), reason="Felix is free next week"
        )

    def shortlist_ids(self) -> list[int]:
        access = access_task_for_matching(self.fiona, self.task.pk)
        task = Task.objects.select_related("engagement__client", "engagement__provider").get(pk=self.task.pk)
        result = shortlist_for_task(
            task,
            50,
            now=timezone.now(),
            viewer=self.fiona,
            sees_client_staff=access.sees_client_staff,
            organisation_ids=access.organisation_ids,
        )
        return [row.expert.id for row in result.rows]

    def assign(self) -> Any:
        client = Client()
        client.force_login(self.fiona)
        return client.post(
            reverse("staff_picker_assign", kwargs={"task_id": self.task.pk}),
            {"staff-expert": self.felix.pk, "staff-role": "maker", "staff-planned_hours": "10"},
        )


def _fail_nda(pool: Pool) -> None:
    NdaSignature.objects.filter(signer=pool.felix_user).delete()


def _fail_conflict(pool: Pool) -> None:
    ConflictDeclaration.objects.create(expert=pool.felix, name=pool.cast.org_a.name, client=pool.cast.org_a)


def _fail_residency(pool: Pool) -> None:
    engagement = pool.cast.engagement_a
    engagement.contains_personal_data = True
    engagement.save()
    pool.felix.country = "IN"
    pool.felix.save()


def _fail_clearance(pool: Pool) -> None:
    pool.felix.clearance = "internal"
    pool.felix.save()


def _fail_vetting(pool: Pool) -> None:
    VettingRecord.objects.create(
        expert=pool.felix, state=VettingState.REJECTED.value, started_by=pool.cast.alice
    )


RULES = [
    pytest.param(_fail_nda, "nda", id="nda"),
    pytest.param(_fail_conflict, "conflict_of_interest", id="conflict"),
    pytest.param(_fail_residency, "data_residency", id="residency"),
    pytest.param(_fail_clearance, "clearance", id="clearance"),
    pytest.param(_fail_vetting, "vetting", id="vetting"),
]
