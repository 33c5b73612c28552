"""The SLA report: its numbers, page, charts, CSV, who may see it, the policy form and the panels."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from kpo.orgs.services import api_token_create
from kpo.sla.models import SlaPolicy
from kpo.sla.selectors import calendar_in_force, sla_report
from kpo.work.models import Engagement
from tests.break_glass import approved_break_glass
from tests.cast import Cast
from tests.sla.helpers import at, engagement, provider, task_with_history

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
WAW = "Europe/Warsaw"
NOW = at(WAW, 2026, 11, 20, 12, 0)  # Fri 20 Nov 2026, 12:00 CET


def _world(cast: Cast) -> Engagement:
    """Four tasks at NOW: delivered on time (met), delivered late (breached), running at risk, on track."""
    eng = engagement(cast, provider("PL", manager=cast.quinn), response_hours=8)
    submit = ("draft", "submitted", at(WAW, 2026, 11, 16, 9, 0))
    staff = ("submitted", "staffing", at(WAW, 2026, 11, 16, 10, 0))  # response: 1 h, met
    work = ("staffing", "in_progress", at(WAW, 2026, 11, 16, 11, 0))
    review = ("in_progress", "in_review", at(WAW, 2026, 11, 17, 9, 0))
    task_with_history(
        cast,
        eng,
        [submit, staff, work, review, ("in_review", "delivered", at(WAW, 2026, 11, 17, 15, 0))],
        title="Met",
        due=at(WAW, 2026, 11, 19, 9, 0),
    )  # 12 h, delivered before its due date
    task_with_history(
        cast,
        eng,
        [submit, staff, work, review, ("in_review", "delivered", at(WAW, 2026, 11, 19, 9, 0))],
        title="Late",
        due=at(WAW, 2026, 11, 18, 17, 0),
    )  # 22 h, delivered the morning after its due date
    # due Fri 27 Nov 17:00: 5 + 40 business hours left for 8 h of effort -> on track
    task_with_history(
        cast,
        eng,
        [submit, staff, ("staffing", "in_progress", at(WAW, 2026, 11, 19, 9, 0))],
        title="Fine",
        due=at(WAW, 2026, 11, 27, 17, 0),
    )
    # due Mon 23 Nov 12:00: 5 + 3 = 8 business hours left for 8 h of effort (over 80 %) -> at risk
    task_with_history(
        cast,
        eng,
        [submit, staff, ("staffing", "in_progress", at(WAW, 2026, 11, 18, 14, 0))],
        title="Risky",
        due=at(WAW, 2026, 11, 23, 12, 0),
    )
    task_with_history(cast, eng, [], title="Draft: no clock")
    return eng


def test_report_numbers(cast: Cast) -> None:
    report = sla_report(_world(cast), NOW)
    assert report.counts == {"met": 1, "on_track": 1, "at_risk": 1, "breached": 1}
    assert report.delivery.finished == 2 and report.on_time_share == 0.5
    assert report.delivery.average_hours == pytest.approx((12 + 22) / 2)
    assert report.response.finished == 4 and report.response.on_time_share == 1.0
    by_title = {row.task.title: row for row in report.rows}
    assert by_title["Risky"].delivery.used_hours == pytest.approx(14)  # type: ignore[union-attr]
    assert by_title["Risky"].delivery.hours_left == pytest.approx(8)  # type: ignore[union-attr]
    assert by_title["Risky"].delivery.due == at(WAW, 2026, 11, 23, 12, 0)  # type: ignore[union-attr]
    assert "Draft: no clock" not in by_title
    holidays = dict(calendar_in_force(report.calendar, NOW).holidays)
    assert dt.date(2026, 12, 25) in holidays and dt.date(2026, 11, 11) not in holidays  # the next 90 days


def test_report_page_chart_table_and_csv(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    eng = _world(cast)
    with time_machine.travel(NOW, tick=False):
        page = client_for("alice").get(reverse("sla_report", kwargs={"engagement_id": eng.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        '<svg viewBox="0 0 640' in html and 'role="img"' in html and '<title id="states-svg-title">' in html
    )
    assert 'data-count="on_time">50 %' in html
    assert "data-sla-holidays" in html and "Business calendar in force" in html
    assert "Change service levels" in html  # alice is the client admin
    assert (
        "Change service levels"
        not in client_for("bob").get(reverse("sla_report", kwargs={"engagement_id": eng.pk})).content.decode()
    )
    rows = list(
        csv.reader(
            io.StringIO(
                client_for("quinn")
                .get(reverse("sla_report_csv", kwargs={"engagement_id": eng.pk}))
                .content.decode()
            )
        )
    )
    assert rows[0][0] == "task_id" and len(rows) == 5
    late = next(row for row in rows if row[1] == "Late")
    assert late[11] == "22.00" and late[12] == "breached"


def test_report_is_for_client_members_and_provider_managers_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("sla_report", kwargs={"engagement_id": cast.engagement_a.pk})
    assert client_for("ops").get(url).status_code == 404  # operators need a break-glass grant
    approved_break_glass(cast.ops, cast.org_a)
    for name in ("alice", "bob", "aud", "pete", "ops"):
        assert client_for(name).get(url).status_code == 200, name
    for name in ("carol", "rex", "dave", "quinn", "erin"):  # carol sees the engagement, not its SLA report
        assert client_for(name).get(url).status_code == 404, name


def test_policy_form_saves_and_refuses_bad_input_by_field(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("sla_policy_edit", kwargs={"engagement_id": cast.engagement_a.pk})
    assert client_for("bob").get(url).status_code == 403
    assert client_for("pete").post(url, {}).status_code == 403
    alice = client_for("alice")
    assert 'name="response_hours" value="8"' in alice.get(url).content.decode()  # the defaults
    good = {
        "response_hours": "4",
        "working_days": ["0", "1", "2", "3", "4"],
        "day_start": "08:00",
        "day_end": "16:00",
        "at_risk_percent": "75",
        "dispute_response_days": "2",
        "mediation_days": "4",
    }
    bad = alice.post(url, {**good, "day_end": "07:00", "response_hours": "0", "working_days": []})
    assert bad.status_code == 400
    form = bad.context["form"]
    assert {"response_hours", "working_days"} <= set(form.errors)
    assert not SlaPolicy.objects.exists()
    bad_order = alice.post(url, {**good, "day_end": "07:00"})
    assert bad_order.status_code == 400 and "day_end" in bad_order.context["form"].errors
    assert alice.post(url, good).status_code == 302
    policy = SlaPolicy.objects.get(engagement=cast.engagement_a)
    assert (str(policy.response_hours), str(policy.at_risk_share), policy.day_start) == (
        "4.0",
        "0.75",
        dt.time(8, 0),
    )


def test_panels_on_task_engagement_and_dashboard(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from kpo.work.models import TaskTransition

    long_ago = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    TaskTransition.objects.create(
        task=cast.task_a, actor=cast.bob, from_status="draft", to_status="submitted", at=long_ago
    )
    TaskTransition.objects.create(
        task=cast.task_a, actor=cast.pete, from_status="staffing", to_status="in_progress", at=long_ago
    )
    type(cast.task_a).objects.filter(pk=cast.task_a.pk).update(due_at=long_ago + dt.timedelta(days=14))
    task_page = (
        client_for("carol").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    )
    assert 'data-sla-state="breached"' in task_page  # the maker sees the clock
    assert "SLA report for the engagement" not in task_page  # but not the report
    engagement_page = client_for("bob").get(
        reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    )
    assert (
        reverse("sla_report", kwargs={"engagement_id": cast.engagement_a.pk})
        in engagement_page.content.decode()
    )
    dashboard = client_for("pete").get(reverse("dashboard")).content.decode()
    assert "Service levels needing attention" in dashboard and cast.task_a.title in dashboard
    assert (
        "Service levels needing attention" not in client_for("bob").get(reverse("dashboard")).content.decode()
    )


def test_api_report_and_policy(cast: Cast, client) -> None:  # type: ignore[no-untyped-def]
    eng = _world(cast)
    alice = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=cast.alice, name='t')[1]}"}
    body = client.get(f"/api/engagements/{eng.pk}/sla", **alice).json()
    assert body["policy"]["country"] == "PL" and body["policy"]["time_zone"] == "Europe/Warsaw"
    assert len(body["tasks"]) == 4
    bad = client.patch(
        f"/api/engagements/{eng.pk}/sla",
        {"day_start": "25:00", "at_risk_share": "1.5"},
        content_type="application/json",
        **alice,
    )
    assert bad.status_code == 422
    assert {error["field"] for error in bad.json()["errors"]} == {"day_start", "at_risk_share"}
    order = client.patch(
        f"/api/engagements/{eng.pk}/sla", {"day_start": "18:00"}, content_type="application/json", **alice
    )
    assert order.status_code == 422 and order.json()["errors"][0]["field"] == "day_end"
    ok = client.patch(
        f"/api/engagements/{eng.pk}/sla",
        {"response_hours": "24", "working_days": [0, 1, 2, 3, 4, 5]},
        content_type="application/json",
        **alice,
    )
    assert ok.status_code == 200 and ok.json()["working_days"] == [0, 1, 2, 3, 4, 5]
    assert ok.json()["response_hours"] == "24.0" and "delivery_hours" not in ok.json()
    pete = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=cast.pete, name='t')[1]}"}
    assert (
        client.patch(
            f"/api/engagements/{cast.engagement_a.pk}/sla", {}, content_type="application/json", **pete
        ).status_code
        == 403
    )
    task = client.get(f"/api/tasks/{cast.task_a.pk}/sla", **pete).json()
    assert task["state"] is None and task["response"] is None  # task A has no recorded submission
