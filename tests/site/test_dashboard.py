"""The dashboard: a section per role, empty states that say what to do next, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from kpo.orgs.models import Membership, Organisation
from kpo.work.models import Assignment, Engagement, Message, Task, TaskTransition
from tests.cast import SECRET_A, Cast

pytestmark = pytest.mark.django_db

SECTIONS = ("requester", "client-admin", "manager", "expert", "auditor")


def sections(body: str) -> set[str]:
    return {name for name in SECTIONS if f'id="{name}"' in body}


def section(body: str, name: str) -> str:
    return body.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]


def dashboard(client: Client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_role_sees_its_own_sections(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    expected = {
        "alice": {"client-admin"},
        "bob": {"requester"},
        "aud": {"auditor"},
        "pete": {"manager"},
        "carol": {"expert"},
        "rex": {"expert"},
        "ivan": {"expert"},
        "dave": {"client-admin"},
        "ops": set(),
    }
    for name, wanted in expected.items():
        assert sections(dashboard(client_for(name))) == wanted, name


def test_several_roles_see_each_section(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.create(user=cast.alice, organisation=cast.org_a, role="requester")
    Membership.objects.create(user=cast.alice, organisation=cast.org_a, role="auditor")
    assert sections(dashboard(client_for("alice"))) == {"requester", "client-admin", "auditor"}


def test_requester_sees_their_engagements_and_tasks_by_status(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = section(dashboard(client_for("bob")), "requester")
    assert cast.engagement_a.title in body and "2 open of 2 tasks" in body
    assert body.index("In progress") < body.index("Draft") or body.index("Draft") < body.index("In progress")
    assert cast.task_a.title in body and cast.draft_a.title in body
    # lifecycle order: drafts before work in progress
    assert body.index(cast.draft_a.title) < body.index(cast.task_a.title)


def test_a_requester_who_asked_for_tasks_on_others_engagements_sees_them(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    Engagement.objects.filter(pk=cast.engagement_a.pk).update(created_by=cast.alice)
    Task.objects.filter(engagement=cast.engagement_a).update(created_by=cast.bob)
    body = section(dashboard(client_for("bob")), "requester")
    assert "You have not started an engagement yet" not in body
    assert cast.engagement_a.title in body and "2 open of 2 tasks" in body
    draft_link = f'<a class="muted small" href="{reverse("task_list")}?status=draft&amp;asked=1">1</a>'
    assert draft_link in body  # each count opens the list it counts
    listed = client_for("bob").get(reverse("task_list"), {"status": "draft", "asked": "1"})
    assert [task.pk for task in listed.context["page"].object_list] == [cast.draft_a.pk]


def test_the_task_list_filters_behind_the_dashboards_numbers(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")

    def listed(**query: str) -> set[int]:
        return {task.pk for task in alice.get(reverse("task_list"), query).context["page"].object_list}

    assert listed(engagement=str(cast.engagement_a.pk)) == {cast.task_a.pk, cast.draft_a.pk}
    assert listed(engagement=str(cast.engagement_a.pk), status="open") == {cast.task_a.pk, cast.draft_a.pk}
    assert listed(engagement=str(cast.engagement_a.pk), status="accepted") == set()
    assert listed(engagement=str(cast.engagement_b.pk)) == set()  # another client's: nothing, no error
    assert listed(engagement="x1") == listed()  # not a number: the filter is off


def test_client_admin_sees_budgets_task_counts_and_people(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = section(dashboard(client_for("alice")), "client-admin")
    assert cast.engagement_a.title in body and "100,000.00" in body and "DKK" in body
    assert reverse("client_commercials") in body  # where the budget used is shown, not "not shown yet"
    for status, count in (("&amp;status=open", 2), ("&amp;status=accepted", 0), ("", 2)):
        link = f'<a href="{reverse("task_list")}?engagement={cast.engagement_a.pk}{status}">{count}</a>'
        assert link in body, link
    assert "People at Acme Gear A/S" in body
    assert reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk}) in body
    assert '<span class="n">1</span>Client admin' in body and '<span class="n">1</span>Requester' in body
    assert SECRET_A not in dashboard(client_for("dave"))


def test_manager_sees_staffing_review_and_team_load(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    Task.objects.filter(pk=cast.draft_a.pk).update(status="submitted")
    body = section(dashboard(client_for("pete")), "manager")
    staff, rest = body.split("Tasks in review", 1)
    assert cast.draft_a.title in staff and "no maker yet" in staff
    assert "No deliverables are in review" in rest
    assert "2 of 3 active experts have open work" in body
    load = body.split("Team load", 1)[1]
    assert load.index("Carol Expert") < load.index("Rex Reviewer")  # busiest first
    assert ">40<" in load and ">37.5<" in load and "1.1" in load and "over a week" in load
    Task.objects.filter(pk=cast.task_a.pk).update(status="in_review")
    review = section(dashboard(client_for("pete")), "manager").split("Tasks in review", 1)[1]
    assert cast.task_a.title in review.split("Team load")[0] and "reviewer Rex Reviewer" in review
    quinn = dashboard(client_for("quinn"))
    assert SECRET_A not in quinn and "Carol Expert" not in quinn


def test_expert_sees_due_dates_in_their_time_zone_and_messages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    due = dt.datetime(2027, 1, 15, 6, 0, tzinfo=dt.UTC)
    Task.objects.filter(pk=cast.task_a.pk).update(due_at=due)
    body = section(dashboard(client_for("carol")), "expert")
    assert "Asia/Kolkata" in body and cast.task_a.title in body and "Maker" in body
    local = due.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert formats.date_format(local, "H:i") == "11:30" and "11:30" in body
    assert "No messages on your tasks yet" in body  # her own message is not news to her
    rex = section(dashboard(client_for("rex")), "expert")
    assert "first numbers are in" in rex and "Carol Expert" in rex


def test_auditor_sees_engagements_and_recent_transitions(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = section(dashboard(client_for("aud")), "auditor")
    assert cast.engagement_a.title in body and "No status changes recorded yet" in body
    TaskTransition.objects.create(
        task=cast.task_a, actor=cast.pete, from_status="staffing", to_status="in_progress", at=timezone.now()
    )
    body = section(dashboard(client_for("aud")), "auditor")
    assert "Staffing → In progress" in body and "Pete Manager" in body
    assert "New engagement" not in dashboard(client_for("aud"))


def test_empty_states_say_what_to_do_next(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    shop = Organisation.objects.create(
        slug="shop", name="Empty Shop", kind="client", country="DK", time_zone="Europe/Copenhagen"
    )
    agency = Organisation.objects.create(
        slug="agency",
        name="Empty Agency",
        kind="provider",
        provider_type="third_party",
        country="DK",
        time_zone="Europe/Copenhagen",
    )
    newbie = User.objects.create(username="newbie", first_name="New")
    for org, role in (
        (shop, "client_admin"),
        (shop, "requester"),
        (shop, "auditor"),
        (agency, "provider_manager"),
        (agency, "expert"),
    ):
        Membership.objects.create(user=newbie, organisation=org, role=role)
    client = Client()
    client.force_login(newbie)
    body = dashboard(client)
    assert sections(body) == set(SECTIONS)
    for text in (
        "Nothing is waiting for you right now.",
        "You have not started an engagement yet.",
        "You have no tasks yet.",
        "No engagements yet. Your requesters start them",
        "Nothing to staff.",
        "No deliverables are in review.",
        "Your organisation has no active experts yet.",
        "No work is assigned to you yet.",
        "No messages on your tasks yet.",
        "No engagements to review yet.",
        "No status changes recorded yet.",
    ):
        assert text in body, text
    assert reverse("engagement_create") in body
    loner = User.objects.create(username="loner")
    client.force_login(loner)
    assert "You are not in an organisation yet" in dashboard(client)


def _grow(cast: Cast, n: int) -> None:
    """n more of everything the dashboards list, for client A and provider P."""
    due = timezone.now() + dt.timedelta(days=5)
    carol, rex = cast.carol.expert_profile, cast.rex.expert_profile
    for i in range(n):
        engagement = Engagement.objects.create(
            client=cast.org_a,
            provider=cast.provider_p,
            title=f"More work {i}",
            objective="More.",
            domain="data_analysis",
            budget=Decimal(1000 + i),
            currency="DKK",
            start_date=dt.date(2026, 12, 1),
            created_by=cast.bob,
        )
        status = ("submitted", "staffing", "in_progress", "in_review", "delivered")[i % 5]
        task = Task.objects.create(
            engagement=engagement,
            title=f"More task {i}",
            description="More.",
            effort_hours=Decimal(4),
            due_at=due,
            status=status,
            created_by=cast.bob,
        )
        Assignment.objects.create(
            task=task, expert=carol, role="maker", planned_hours=Decimal(4), assigned_by=cast.pete
        )
        Assignment.objects.create(
            task=task, expert=rex, role="reviewer", planned_hours=Decimal(1), assigned_by=cast.pete
        )
        Message.objects.create(task=task, author=cast.bob, body=f"Note {i}")
        TaskTransition.objects.create(
            task=task, actor=cast.bob, from_status="draft", to_status="submitted", at=timezone.now()
        )
        user = User.objects.create(username=f"extra{i}")
        Membership.objects.create(user=user, organisation=cast.org_a, role="requester")


def test_every_dashboard_keeps_a_fixed_query_count(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    names = ("alice", "bob", "aud", "pete", "carol", "rex", "ivan", "dave", "ops")
    Membership.objects.create(user=cast.alice, organisation=cast.org_a, role="requester")
    # every expert starts with a message from someone else to show: reading the bodies as the provider
    # side may costs one query per client (its sensitive terms), however many messages there are
    Message.objects.create(task=cast.task_a, author=cast.bob, body="Any news?")

    def counts() -> dict[str, int]:
        out = {}
        for name in names:
            client = client_for(name)
            with django_assert_max_num_queries(22) as captured:  # 20, the unread notices, SLA effort left
                assert client.get(reverse("dashboard")).status_code == 200
            out[name] = len(captured.captured_queries)
        return out

    before = counts()
    _grow(cast, 30)
    assert counts() == before
    pete = section(dashboard(client_for("pete")), "manager")
    assert pete.count("More task") >= 10  # the sections did fill up
