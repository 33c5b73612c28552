"""`kpo sla-check`: tasks newly at risk or breached and overdue dispute steps are escalated once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from kpo.audit.models import AuditEntry
from kpo.notices.models import Notice
from kpo.sla.models import Dispute, SlaEscalation
from kpo.sla.services.escalations import sla_check
from tests.cast import Cast
from tests.sla.helpers import at, engagement, provider, task_with_history

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
WAW = "Europe/Warsaw"


@pytest.fixture
def polish_task(cast: Cast):  # type: ignore[no-untyped-def]
    eng = engagement(cast, provider("PL", manager=cast.quinn), response_hours=8)
    return task_with_history(cast, eng, [("draft", "submitted", at(WAW, 2026, 11, 16, 9, 0))], title="Polish")


def test_at_risk_then_breached_each_fire_once(cast: Cast, polish_task) -> None:  # type: ignore[no-untyped-def]
    assert sla_check(now=at(WAW, 2026, 11, 16, 12, 0)).escalations == 0  # 3 of 8 h: on track

    report = sla_check(now=at(WAW, 2026, 11, 16, 16, 0))  # 7 of 8 h: at risk
    assert report.task_escalations == 1
    notified = set(Notice.objects.filter(kind="sla_at_risk").values_list("user__username", flat=True))
    assert notified == {"quinn", "bob", "alice"}  # provider manager, the requester, the client admin
    assert sla_check(now=at(WAW, 2026, 11, 16, 16, 30)).escalations == 0  # still at risk: not again

    assert sla_check(now=at(WAW, 2026, 11, 17, 9, 0)).task_escalations == 1  # breached
    assert Notice.objects.filter(kind="sla_breached", user=cast.quinn).count() == 1
    assert sla_check(now=at(WAW, 2026, 11, 18, 9, 0)).escalations == 0
    assert list(SlaEscalation.objects.order_by("id").values_list("clock", "state")) == [
        ("response", "at_risk"),
        ("response", "breached"),
    ]
    entries = AuditEntry.objects.filter(event="sla_escalated", object_id=str(polish_task.pk))
    assert [entry.details["state"] for entry in entries.order_by("seq")] == ["at_risk", "breached"]
    assert "Polish" in Notice.objects.get(kind="sla_breached", user=cast.quinn).text


def test_finished_clocks_are_not_escalated(cast: Cast, polish_task) -> None:  # type: ignore[no-untyped-def]
    from kpo.work.models import TaskTransition

    TaskTransition.objects.create(
        task=polish_task,
        actor=cast.quinn,
        from_status="submitted",
        to_status="staffing",
        at=at(WAW, 2026, 11, 16, 10, 0),
    )
    polish_task.status = "staffing"
    polish_task.save()
    assert sla_check(now=at(WAW, 2026, 11, 20, 9, 0)).escalations == 0


def test_the_command_reports_and_refuses_a_bad_moment(cast: Cast, polish_task) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("sla_check", "--now", "2026-11-17T09:00:00+01:00", stdout=out)
    assert "1 task escalations" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--now"):
        call_command("sla_check", "--now", "tomorrow")
    with pytest.raises(CommandError, match="time zone"):
        call_command("sla_check", "--now", "2026-11-17T09:00:00")


def test_overdue_dispute_steps_are_escalated_once(cast: Cast) -> None:
    task = cast.task_a
    dispute = Dispute.objects.create(
        task=task,
        opened_by=cast.bob,
        reason="Wrong",
        response_due_at=dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC),
    )
    assert sla_check(now=dt.datetime(2026, 11, 20, 11, 0, tzinfo=dt.UTC)).dispute_escalations == 0
    assert sla_check(now=dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)).dispute_escalations == 1
    assert sla_check(now=dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)).dispute_escalations == 0
    assert set(Notice.objects.filter(kind="dispute_overdue").values_list("user__username", flat=True)) == {
        "pete",
        "bob",
        "alice",
    }
    dispute.status = "mediation"
    dispute.mediation_due_at = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    dispute.save()
    assert sla_check(now=dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)).dispute_escalations == 1
    assert Notice.objects.filter(kind="dispute_overdue", user=cast.ops).count() == 1  # operators too
