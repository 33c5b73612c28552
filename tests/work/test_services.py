from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kpo.core.errors import DomainError
from kpo.quality.services import rating_record
from kpo.work import services
from kpo.work.models import Engagement, Task, TaskTransition
from tests.cast import Cast
from tests.quality.helpers import pass_review

pytestmark = pytest.mark.django_db


def _upload(data: bytes = b"# Findings\nThroughput up 12 %.\n", name: str = "findings.md") -> services.Upload:
    return services.Upload(stream=io.BytesIO(data), name=name)


def test_whole_lifecycle_through_services(cast: Cast) -> None:
    task = services.task_create(
        user=cast.bob,
        engagement=cast.engagement_a,
        title="Line balancing",
        description="Balance line 3.",
        effort_hours=Decimal(16),
        due_at=timezone.now() + dt.timedelta(days=7),
        skills=[(cast.task_a.required_skills.first().skill_id, 3)],
        languages=[("en", "B2")],
    )
    task = services.task_transition(user=cast.bob, task=task, target="submitted")
    task = services.task_transition(user=cast.pete, task=task, target="staffing")
    with pytest.raises(DomainError, match="Assign a maker"):
        services.task_transition(user=cast.pete, task=task, target="in_progress")
    carol, rex = cast.carol.expert_profile, cast.rex.expert_profile
    services.assignment_create(
        user=cast.pete, task=task, expert=carol, role="maker", planned_hours=Decimal(16)
    )
    services.assignment_create(
        user=cast.pete, task=task, expert=rex, role="reviewer", planned_hours=Decimal(2)
    )
    task = services.task_transition(user=cast.pete, task=task, target="in_progress")
    with pytest.raises(DomainError, match="Upload a deliverable"):
        services.task_transition(user=cast.carol, task=task, target="in_review")
    version = services.deliverable_upload(user=cast.carol, task=task, upload=_upload(), title="Findings")
    assert version.number == 1 and version.content_type == "text/markdown" and len(version.sha256) == 64
    task = services.task_transition(user=cast.carol, task=task, target="in_review")
    pass_review(cast.rex, task)  # only passed work reaches the client (kpo.quality)
    task = services.task_transition(
        user=cast.bob, task=task, target="changes_requested", comment="Add line 4."
    )
    task = services.task_transition(user=cast.carol, task=task, target="in_progress")
    second = services.deliverable_upload(
        user=cast.carol, task=task, upload=_upload(b"v2 text", "findings.md"), deliverable=version.deliverable
    )
    assert second.number == 2
    task = services.task_transition(user=cast.carol, task=task, target="in_review")
    pass_review(cast.rex, task)  # only passed work reaches the client (kpo.quality)
    with pytest.raises(DomainError) as unrated:  # a delivery is accepted with its rating (kpo.quality)
        services.task_transition(user=cast.bob, task=task, target="accepted")
    assert unrated.value.field == "stars" and "1 to 5 stars" in unrated.value.message
    rating_record(user=cast.bob, task=task, decision="accept", stars=4, feedback="Clear findings.")
    task.refresh_from_db()
    steps = list(
        TaskTransition.objects.filter(task=task).values_list("from_status", "to_status", "actor__username")
    )
    assert steps[0] == ("draft", "submitted", "bob")
    assert steps[-1] == ("delivered", "accepted", "bob")
    assert len(steps) == 10


def test_illegal_transition_changes_nothing(cast: Cast) -> None:
    before = TaskTransition.objects.count()
    with pytest.raises(DomainError) as error:
        services.task_transition(user=cast.bob, task=cast.draft_a, target="accepted")
    assert error.value.field == "status"
    with pytest.raises(DomainError):
        services.task_transition(user=cast.bob, task=cast.draft_a, target="no-such-state")
    cast.draft_a.refresh_from_db()
    assert cast.draft_a.status == "draft" and TaskTransition.objects.count() == before


def test_wrong_actor_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError, match="client"):
        services.task_transition(user=cast.carol, task=cast.draft_a, target="submitted")
    with pytest.raises(DomainError):
        services.task_transition(user=cast.aud, task=cast.draft_a, target="submitted")


def test_on_hold_then_resume(cast: Cast) -> None:
    task = services.task_transition(
        user=cast.pete, task=cast.task_a, target="on_hold", comment="Waiting for data"
    )
    assert task.resume_status == "in_progress"
    task = services.task_transition(user=cast.bob, task=task, target="in_progress")
    assert task.status == "in_progress" and task.resume_status == ""


def test_reviewer_cannot_be_maker(cast: Cast) -> None:
    with pytest.raises(DomainError, match="reviewer"):
        services.assignment_create(
            user=cast.pete,
            task=cast.task_a,
            expert=cast.carol.expert_profile,
            role="reviewer",
            planned_hours=Decimal(1),
        )


def test_only_provider_experts_are_staffed(cast: Cast) -> None:
    cast.task_a.status = "staffing"
    cast.task_a.save()
    with pytest.raises(DomainError, match="provider"):
        services.assignment_create(
            user=cast.quinn,
            task=cast.task_a,
            expert=cast.erin.expert_profile,
            role="maker",
            planned_hours=Decimal(1),
        )


def test_bad_engagement_fields_name_the_field(cast: Cast) -> None:
    count = Engagement.objects.count()
    with pytest.raises(ValidationError) as error:
        services.engagement_create(
            user=cast.alice,
            client=cast.org_a,
            provider=cast.org_b,
            title="",
            objective="x",
            domain="astrology",
            budget=Decimal(-1),
            currency="QQQ",
            start_date=dt.date(2026, 1, 2),
            end_date=dt.date(2026, 1, 1),
        )
    fields = set(error.value.message_dict)
    assert {"title", "domain", "budget", "currency", "provider", "end_date"} <= fields
    assert Engagement.objects.count() == count


def test_engagement_only_for_own_client(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.engagement_create(
            user=cast.dave,
            client=cast.org_a,
            provider=cast.provider_p,
            title="x",
            objective="x",
            domain="legal_services",
            budget=Decimal(1),
            currency="DKK",
            start_date=dt.date(2026, 1, 1),
        )
    assert error.value.field == "client"


def test_task_bad_values(cast: Cast) -> None:
    count = Task.objects.count()
    with pytest.raises(ValidationError) as error:
        services.task_create(
            user=cast.bob,
            engagement=cast.engagement_a,
            title="ok",
            description="ok",
            effort_hours=Decimal(0),
            due_at=timezone.now(),
            priority="whenever",
        )
    assert {"effort_hours", "priority"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError, match="skill"):
        services.task_create(
            user=cast.bob,
            engagement=cast.engagement_a,
            title="ok",
            description="ok",
            effort_hours=Decimal(1),
            due_at=timezone.now(),
            skills=[(999_999_999, 3)],
        )
    assert Task.objects.count() == count


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "empty.txt", "empty"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "report.pdf", "not accepted"),
        (b"\x00\x01\x02binary", "notes.txt", "not accepted"),
        (b"plain text", "script.exe", "not accepted"),
    ],
)
def test_uploads_checked_by_content(cast: Cast, data: bytes, name: str, reason: str) -> None:
    with pytest.raises(DomainError, match=reason) as error:
        services.deliverable_upload(user=cast.carol, task=cast.task_a, upload=_upload(data, name))
    assert error.value.field == "file"


def test_upload_size_limit(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KPO_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(DomainError, match="larger than"):
        services.deliverable_upload(user=cast.carol, task=cast.task_a, upload=_upload(b"a" * 2048, "big.txt"))


def test_pdf_is_accepted_by_content(cast: Cast) -> None:
    version = services.deliverable_upload(
        user=cast.carol, task=cast.task_a, upload=_upload(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "r.pdf")
    )
    assert version.content_type == "application/pdf"


def test_time_and_messages(cast: Cast) -> None:
    entry = services.time_entry_create(
        user=cast.carol,
        task=cast.task_a,
        date=dt.date(2026, 11, 3),
        hours=Decimal("2.5"),
        description="Study",
    )
    assert entry.expert.user == cast.carol
    with pytest.raises(ValidationError) as error:
        services.time_entry_create(
            user=cast.carol, task=cast.task_a, date=dt.date(2026, 11, 3), hours=Decimal(25), description="x"
        )
    assert "hours" in error.value.message_dict
    with pytest.raises(DomainError):
        services.time_entry_create(
            user=cast.bob, task=cast.task_a, date=dt.date(2026, 11, 3), hours=Decimal(1), description="x"
        )
    message = services.message_post(user=cast.bob, task=cast.task_a, body=" Thanks! ")
    assert message.body == "Thanks!"
    with pytest.raises(ValidationError):
        services.message_post(user=cast.bob, task=cast.task_a, body="   ")
    with pytest.raises(DomainError):
        services.message_post(user=cast.aud, task=cast.task_a, body="auditors only read")
