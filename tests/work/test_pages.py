from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.confidentiality.tokens import document_url, version_url
from kpo.engine.watermark import normalise
from kpo.experts.models import EscoSkill
from kpo.work.models import (
    Assignment,
    Deliverable,
    DeliverableVersion,
    Engagement,
    Message,
    Task,
    TaskDocument,
    TaskLanguage,
    TaskSkill,
    TaskTransition,
    TimeEntry,
)
from tests.break_glass import approved_break_glass
from tests.cast import SECRET_A, Cast
from tests.quality.helpers import review_form_data

pytestmark = pytest.mark.django_db

DISGUISED = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200  # a Windows program


def task_url(name: str, task: Task, **kwargs: int) -> str:
    return reverse(name, kwargs={"task_id": task.pk, **kwargs})


def engagement_data(cast: Cast, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "client": cast.org_a.pk,
        "provider": cast.provider_p.pk,
        "title": "Paint shop energy audit",
        "objective": "Halve the paint shop's gas use.",
        "domain": "technical_analysis",
        "kind": "one_off",
        "pricing_model": "time_and_materials",
        "budget": "120000",
        "currency": "DKK",
        "start_date": "2026-12-01",
        "end_date": "",
        "confidentiality": "confidential",
    }
    data.update(overrides)
    return data


def task_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Meter the ovens",
        "description": "Log gas use per oven for two weeks.",
        "effort_hours": "16",
        "due_at": "2027-01-15T12:00",
        "priority": "high",
        "min_degree_level": "",
    }
    data.update(overrides)
    return data


def upload(name: str = "findings.md", data: bytes = b"# Findings\nAll good.\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def flashes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


# --- pages render for the right roles -----------------------------------------------------------------


def test_engagement_pages_render(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    detail = reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    assert client_for("ops").get(detail).status_code == 404  # operators need a break-glass grant
    approved_break_glass(cast.ops, cast.org_a)
    for name in ("alice", "bob", "aud", "pete", "carol", "ops"):
        client = client_for(name)
        listing = client.get(reverse("engagement_list"))
        assert listing.status_code == 200, name
        assert cast.engagement_a.title in listing.content.decode()
        page = client.get(detail)
        assert page.status_code == 200, name
        body = page.content.decode()
        assert cast.engagement_a.title in body and "DKK\xa0100,000.00" in body
    bob = client_for("bob").get(detail).content.decode()
    assert "New task" in bob and "Edit engagement" in bob
    aud = client_for("aud").get(detail).content.decode()
    assert "New task" not in aud and "Edit engagement" not in aud
    assert "New engagement" not in client_for("pete").get(reverse("engagement_list")).content.decode()


def test_engagement_list_filters_and_sorts(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    approved_break_glass(cast.ops, cast.org_a)
    approved_break_glass(cast.ops, cast.org_b)
    client = client_for("ops")
    assert (
        cast.engagement_b.title
        not in client.get(reverse("engagement_list"), {"q": "Zephyr"}).content.decode()
    )
    body = client.get(reverse("engagement_list"), {"domain": "financial_consulting"}).content.decode()
    assert cast.engagement_b.title in body and cast.engagement_a.title not in body
    body = client.get(reverse("engagement_list"), {"status": "completed"}).content.decode()
    assert "No engagements match." in body
    for sort in ("title", "-budget", "start", "nonsense"):
        assert client.get(reverse("engagement_list"), {"sort": sort, "page": "x"}).status_code == 200


def test_task_pages_render(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    approved_break_glass(cast.ops, cast.org_a)
    for name in ("alice", "bob", "aud", "pete", "carol", "rex", "ops"):
        client = client_for(name)
        listing = client.get(reverse("task_list"))
        assert listing.status_code == 200 and cast.task_a.title in listing.content.decode(), name
        page = client.get(task_url("task_detail", cast.task_a))
        assert page.status_code == 200, name
        body = page.content.decode()
        for text in (
            "Measure the current line.",
            "Baseline report",
            "Brief",
            "first numbers are in",
            "measurements",
            "Carol Expert",
            "Rex Reviewer",
        ):
            assert text in body, (name, text)
        # ops holds an approved break-glass grant: it reads A's material as A's auditor does
        assert task_url("document_download", cast.task_a, document_id=cast.document_a.pk) + "?t=" in body
        assert (
            task_url(
                "version_download",
                cast.task_a,
                deliverable_id=cast.deliverable_a.pk,
                version_id=cast.version_a.pk,
            )
            in body
        )


def test_task_list_filters(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("bob")
    body = client.get(reverse("task_list"), {"status": "draft"}).content.decode()
    assert cast.draft_a.title in body and cast.task_a.title not in body
    body = client.get(reverse("task_list"), {"q": "follow-up"}).content.decode()
    assert cast.draft_a.title in body and cast.task_a.title not in body
    assert "No tasks match." in client.get(reverse("task_list"), {"priority": "urgent"}).content.decode()
    assert "No tasks match." in client.get(reverse("task_list"), {"mine": "1"}).content.decode()
    carol = client_for("carol").get(reverse("task_list"), {"mine": "1"}).content.decode()
    assert cast.task_a.title in carol


def test_only_allowed_actions_appear(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    def action(name: str) -> str:
        return f'action="{task_url(name, cast.task_a)}"'

    carol = client_for("carol").get(task_url("task_detail", cast.task_a)).content.decode()
    assert "Send to review" in carol
    assert ">Accept<" not in carol and "Request changes" not in carol and "Cancel task" not in carol
    assert action("deliverable_upload") in carol
    assert action("time_entry_create") in carol
    assert action("task_document_upload") not in carol
    assert action("assignment_create") not in carol

    rex = client_for("rex").get(task_url("task_detail", cast.task_a)).content.decode()
    assert "Send to review" not in rex and action("deliverable_upload") not in rex

    bob = client_for("bob").get(task_url("task_detail", cast.task_a)).content.decode()
    assert "Send to review" not in bob and "Put on hold" in bob and "Cancel task" in bob
    assert action("task_document_upload") in bob

    pete = client_for("pete").get(task_url("task_detail", cast.task_a)).content.decode()
    assert f'href="{task_url("staff_picker", cast.task_a)}"' in pete  # staffed from the picker
    assert task_url("assignment_delete", cast.task_a, assignment_id=cast.assignment_a.pk) in pete

    aud = client_for("aud").get(task_url("task_detail", cast.task_a)).content.decode()
    assert "What you can do now" not in aud
    for name in (
        "task_transition",
        "task_message",
        "task_document_upload",
        "deliverable_upload",
        "time_entry_create",
        "assignment_create",
    ):
        assert action(name) not in aud, name
    assert f'href="{task_url("task_edit", cast.task_a)}"' not in aud
    assert "<textarea" not in aud and 'type="file"' not in aud


def test_delivered_task_offers_accept_to_the_client_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    Task.objects.filter(pk=cast.task_a.pk).update(status="delivered")
    bob = client_for("bob").get(task_url("task_detail", cast.task_a)).content.decode()
    assert ">Accept<" in bob and "Request changes" in bob and 'id="comment-request_changes"' in bob
    for name in ("carol", "rex", "pete", "aud"):
        assert ">Accept<" not in client_for(name).get(task_url("task_detail", cast.task_a)).content.decode()


# --- the whole lifecycle through the web views ---------------------------------------------------------


def test_whole_lifecycle_through_the_views(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    bob, pete, carol, rex = (client_for(n) for n in ("bob", "pete", "carol", "rex"))

    response = bob.post(reverse("engagement_create"), engagement_data(cast))
    engagement = Engagement.objects.get(title="Paint shop energy audit")
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement_detail", kwargs={"engagement_id": engagement.pk})
    assert engagement.created_by == cast.bob and engagement.currency == "DKK"

    response = bob.post(reverse("task_create", kwargs={"engagement_id": engagement.pk}), task_data())
    task = Task.objects.get(engagement=engagement)
    assert response.status_code == 302 and response["Location"] == task_url("task_detail", task)
    assert task.status == "draft" and task.effort_hours == Decimal(16)
    local_due = timezone.localtime(task.due_at, timezone.get_fixed_timezone(60))
    assert (local_due.hour, local_due.minute) == (12, 0)  # entered in bob's zone (Copenhagen, CET)

    response = bob.post(
        task_url("task_document_upload", task),
        {"doc-title": "Oven list", "doc-file": upload("ovens.csv", b"oven,zone\n1,A\n")},
    )
    assert response.status_code == 302
    document = TaskDocument.objects.get(task=task)
    assert document.title == "Oven list" and document.content_type == "text/plain"

    def move(client: Client, status: str, comment: str = "") -> None:
        response = client.post(task_url("task_transition", task), {"status": status, "comment": comment})
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.status == status, (status, task.status)

    move(bob, "submitted")
    move(pete, "staffing")
    for expert, role, hours in ((cast.carol, "maker", "16"), (cast.rex, "reviewer", "2")):
        response = pete.post(
            task_url("assignment_create", task),
            {"staff-expert": expert.expert_profile.pk, "staff-role": role, "staff-planned_hours": hours},
        )
        assert response.status_code == 302
    assert set(task.assignments.values_list("role", flat=True)) == {"maker", "reviewer"}
    move(pete, "in_progress")

    download = carol.get(document_url(cast.carol.pk, document))  # a single-use link, as on the page
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"oven,zone\n1,A\n"
    response = carol.post(
        task_url("deliverable_upload", task),
        {"deliv-title": "Gas use report", "deliv-note": "", "deliv-file": upload()},
    )
    assert response.status_code == 302
    deliverable = Deliverable.objects.get(task=task)
    response = carol.post(
        task_url("time_entry_create", task),
        {"time-date": "2026-12-02", "time-hours": "3.5", "time-description": "Metering"},
    )
    assert response.status_code == 302
    assert TimeEntry.objects.get(task=task).hours == Decimal("3.5")
    response = carol.post(task_url("task_message", task), {"msg-body": "Ovens 3 and 4 use the most."})
    assert response.status_code == 302 and Message.objects.filter(task=task).count() == 1
    move(carol, "in_review")
    response = rex.post(task_url("quality_review_create", task), review_form_data(task, "pass"))
    assert response.status_code == 302  # the reviewer's passing review delivers the task
    task.refresh_from_db()
    assert task.status == "delivered"

    response = bob.post(task_url("task_transition", task), {"status": "changes_requested", "comment": ""})
    task.refresh_from_db()
    assert task.status == "delivered"  # a comment is required
    response = bob.get(task_url("task_detail", task))
    move(bob, "changes_requested", "Add oven 5.")
    move(carol, "in_progress")
    response = carol.post(
        task_url("deliverable_upload", task),
        {
            "deliv-deliverable": deliverable.pk,
            "deliv-note": "Oven 5 added.",
            "deliv-file": upload("report-v2.md", b"v2"),
        },
    )
    assert response.status_code == 302
    assert list(deliverable.versions.values_list("number", flat=True)) == [1, 2]
    move(carol, "in_review")
    response = rex.post(task_url("quality_review_create", task), review_form_data(task, "pass"))
    assert response.status_code == 302  # the reviewer's passing review delivers the task
    task.refresh_from_db()
    assert task.status == "delivered"
    page = bob.get(task_url("task_detail", task)).content.decode()
    assert 'href="#accept-and-rate"' in page and 'id="accept-and-rate"' in page  # Accept opens the rating
    refused = bob.post(task_url("task_transition", task), {"status": "accepted"}, follow=True)
    assert "1 to 5 stars" in refused.content.decode()
    task.refresh_from_db()
    assert task.status == "delivered"
    rated = bob.post(
        task_url("quality_rating_create", task),
        {"rating-decision": "accept", "rating-stars": "5", "rating-feedback": "Thorough."},
    )
    assert rated.status_code == 302
    task.refresh_from_db()
    assert task.status == "accepted"

    page = bob.get(task_url("task_detail", task)).content.decode()
    assert "Accepted" in page and "What you can do now" not in page and "Add oven 5." in page
    assert TaskTransition.objects.filter(task=task).count() == 10


def test_transition_flashes_success_and_errors(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("bob").post(
        task_url("task_transition", cast.draft_a), {"status": "submitted"}, follow=True
    )
    assert any("Submitted" in text for text in flashes(response))
    assert 'class="flash flash-success"' in response.content.decode()


# --- bad input re-renders with field errors and writes nothing ------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"budget": "-5"}, "budget", "greater than or equal to 0"),
        ({"currency": "XYZ"}, "currency", "not an ISO 4217 currency code"),
        ({"currency": "dk"}, "currency", "at least 3 characters"),
        ({"end_date": "2026-01-01"}, "end_date", "The end cannot be before the start."),
        ({"provider": "999999"}, "provider", "Select a valid choice"),
        ({"start_date": "yesterday"}, "start_date", "Enter a valid date."),
    ],
)
def test_engagement_create_bad_input(cast: Cast, client_for, overrides, field, message) -> None:  # type: ignore[no-untyped-def]
    before = Engagement.objects.count()
    response = client_for("bob").post(reverse("engagement_create"), engagement_data(cast, **overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert f'id="id_{field}_errors"' in body and 'aria-invalid="true"' in body
    assert Engagement.objects.count() == before


def test_engagement_create_and_edit_access(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("bob").get(reverse("engagement_create")).status_code == 200
    for name in ("aud", "pete", "carol"):
        assert client_for(name).get(reverse("engagement_create")).status_code == 403, name
    edit = reverse("engagement_edit", kwargs={"engagement_id": cast.engagement_a.pk})
    assert client_for("alice").get(edit).status_code == 200
    assert client_for("aud").get(edit).status_code == 403
    assert client_for("pete").post(edit, {}).status_code == 403
    response = client_for("alice").post(
        edit, {**engagement_data(cast, title="Renamed study"), "status": "active"}
    )
    assert response.status_code == 302
    cast.engagement_a.refresh_from_db()
    assert cast.engagement_a.title == "Renamed study"
    response = client_for("alice").post(edit, {**engagement_data(cast, budget="-1"), "status": "active"})
    assert response.status_code == 400
    cast.engagement_a.refresh_from_db()
    assert cast.engagement_a.budget == Decimal(120000)


def test_bob_cannot_pick_another_client_or_a_captive_of_another(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("bob").post(
        reverse("engagement_create"), engagement_data(cast, client=cast.org_b.pk)
    )
    assert response.status_code == 400 and "client" in response.context["form"].errors
    assert not Engagement.objects.filter(client=cast.org_b, title="Paint shop energy audit").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"effort_hours": "0"}, "effort_hours"),
        ({"effort_hours": "abc"}, "effort_hours"),
        ({"title": ""}, "title"),
        ({"due_at": "soon"}, "due_at"),
        ({"priority": "whenever"}, "priority"),
    ],
)
def test_task_create_bad_input(cast: Cast, client_for, overrides, field) -> None:  # type: ignore[no-untyped-def]
    url = reverse("task_create", kwargs={"engagement_id": cast.engagement_a.pk})
    before = Task.objects.count()
    response = client_for("bob").post(url, task_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert Task.objects.count() == before


def test_task_create_and_edit_access(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("task_create", kwargs={"engagement_id": cast.engagement_a.pk})
    assert client_for("bob").get(url).status_code == 200
    assert client_for("aud").get(url).status_code == 403
    assert client_for("pete").post(url, task_data()).status_code == 403
    edit = task_url("task_edit", cast.draft_a)
    assert client_for("bob").get(edit).status_code == 200
    assert client_for("pete").get(edit).status_code == 404  # a draft is the client's own until submitted
    response = client_for("bob").post(edit, task_data(title="Follow-up, refined"))
    assert response.status_code == 302
    cast.draft_a.refresh_from_db()
    assert cast.draft_a.title == "Follow-up, refined"
    # an in-progress task cannot be edited: the service's error shows on the form
    response = client_for("bob").post(task_url("task_edit", cast.task_a), task_data(title="Changed"))
    assert response.status_code == 400
    assert "only before work starts" in response.content.decode()
    cast.task_a.refresh_from_db()
    assert cast.task_a.title != "Changed"


def test_disguised_binary_upload_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("bob").post(
        task_url("task_document_upload", cast.task_a),
        {"doc-title": "Brief 2", "doc-file": upload("brief.pdf", DISGUISED)},
    )
    assert response.status_code == 400
    assert "This file type is not accepted" in " ".join(response.context["forms"]["document"].errors["file"])
    assert 'id="id_doc-file_errors"' in response.content.decode()
    assert TaskDocument.objects.filter(task=cast.task_a).count() == 1

    versions = DeliverableVersion.objects.count()
    response = client_for("carol").post(
        task_url("deliverable_upload", cast.task_a),
        {"deliv-title": "Report", "deliv-file": upload("report.txt", DISGUISED)},
    )
    assert response.status_code == 400
    assert "This file type is not accepted" in response.content.decode()
    assert DeliverableVersion.objects.count() == versions
    assert Deliverable.objects.filter(task=cast.task_a).count() == 1


def test_upload_without_a_file_is_a_field_error(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("carol").post(task_url("deliverable_upload", cast.task_a), {"deliv-title": "x"})
    assert response.status_code == 400
    assert "file" in response.context["forms"]["deliver"].errors


def test_new_version_of_a_deliverable_of_another_task_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    other = Deliverable.objects.create(task=cast.task_b, title="B's", created_by=cast.quinn)
    response = client_for("carol").post(
        task_url("deliverable_upload", cast.task_a),
        {"deliv-deliverable": other.pk, "deliv-file": upload()},
    )
    assert response.status_code == 400  # not among the choices
    assert other.versions.count() == 0


def test_illegal_transition_changes_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for client, status in (
        (client_for("bob"), "accepted"),
        (client_for("bob"), "no-such-status"),
        (client_for("carol"), "delivered"),
        (client_for("carol"), ""),
    ):
        response = client.post(task_url("task_transition", cast.task_a), {"status": status}, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == task_url("task_detail", cast.task_a)
        assert 'class="flash flash-error"' in response.content.decode()
        cast.task_a.refresh_from_db()
        assert cast.task_a.status == "in_progress"
    assert not TaskTransition.objects.filter(task=cast.task_a).exists()


def test_time_entry_bad_input(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    before = TimeEntry.objects.count()
    for hours in ("25", "0", "-1", "lots"):
        response = client_for("carol").post(
            task_url("time_entry_create", cast.task_a),
            {"time-date": "2026-12-02", "time-hours": hours, "time-description": "Work"},
        )
        assert response.status_code == 400, hours
        assert "hours" in response.context["forms"]["time"].errors
        assert 'id="id_time-hours_errors"' in response.content.decode()
    assert TimeEntry.objects.count() == before
    response = client_for("pete").post(
        task_url("time_entry_create", cast.task_a),
        {"time-date": "2026-12-02", "time-hours": "1", "time-description": "Work"},
    )
    assert response.status_code == 403


def test_empty_message_is_a_field_error(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("carol").post(task_url("task_message", cast.task_a), {"msg-body": "   "})
    assert response.status_code == 400
    assert Message.objects.filter(task=cast.task_a).count() == 1


def test_staffing_bad_input_and_removal(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    erin = cast.erin.expert_profile
    response = pete.post(
        task_url("assignment_create", cast.task_a),
        {"staff-expert": cast.ivan_profile.pk, "staff-role": "maker", "staff-planned_hours": "4"},
    )
    assert response.status_code == 400 and "expert" in response.context["forms"]["staff"].errors
    response = pete.post(
        task_url("assignment_create", cast.task_a),
        {"staff-expert": cast.rex.expert_profile.pk, "staff-role": "maker", "staff-planned_hours": "4"},
    )
    assert response.status_code == 400
    assert "cannot also be its maker" in response.content.decode()
    assert Assignment.objects.filter(task=cast.task_a).count() == 2
    response = pete.post(
        task_url("assignment_create", cast.task_a),
        {"staff-expert": erin.pk, "staff-role": "maker", "staff-planned_hours": "4"},
    )
    assert response.status_code == 302
    added = Assignment.objects.get(task=cast.task_a, expert=erin)
    assert (
        client_for("bob").post(task_url("assignment_delete", cast.task_a, assignment_id=added.pk)).status_code
        == 403
    )
    response = pete.post(task_url("assignment_delete", cast.task_a, assignment_id=added.pk))
    assert response.status_code == 302 and not Assignment.objects.filter(pk=added.pk).exists()
    other = Assignment.objects.create(
        task=cast.task_b, expert=erin, role="maker", planned_hours=Decimal(1), assigned_by=cast.pete
    )
    response = pete.post(task_url("assignment_delete", cast.task_a, assignment_id=other.pk))
    assert response.status_code == 404 and Assignment.objects.filter(pk=other.pk).exists()


def test_writes_by_a_read_only_auditor_are_403(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    aud = client_for("aud")
    for name, data in (
        ("task_transition", {"status": "on_hold", "comment": "x"}),
        ("task_message", {"msg-body": "hello"}),
        ("task_document_upload", {"doc-file": upload()}),
        ("deliverable_upload", {"deliv-file": upload()}),
        ("time_entry_create", {"time-date": "2026-12-02", "time-hours": "1", "time-description": "x"}),
        ("assignment_create", {"staff-expert": cast.erin.expert_profile.pk}),
    ):
        assert aud.post(task_url(name, cast.task_a), data).status_code == 403, name
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == "in_progress"


# --- downloads -----------------------------------------------------------------------------------------


def test_downloads_are_attachments_through_the_access_check(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = task_url("document_download", cast.task_a, document_id=cast.document_a.pk)
    for name in ("bob", "carol", "rex", "pete", "aud"):
        user = cast.users()[name]
        response = client_for(name).get(document_url(user.pk, cast.document_a))
        assert response.status_code == 200, name
        assert response["Content-Disposition"].startswith("attachment")
        assert "brief.txt" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response.streaming_content)
        if name in {"bob", "aud"}:  # the client's own people get the original
            assert body == f"{SECRET_A} brief".encode()
        else:  # the provider side a copy watermarked for them (see tests/confidentiality)
            assert normalise(body.decode()).startswith(f"{SECRET_A} brief"), name
    version = version_url(cast.bob.pk, cast.task_a.pk, cast.version_a)
    response = client_for("bob").get(version)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert client_for("erin").get(url).status_code == 404
    # nested objects are looked up inside the task in the URL
    assert (
        client_for("bob")
        .get(task_url("document_download", cast.draft_a, document_id=cast.document_a.pk))
        .status_code
        == 404
    )
    assert (
        client_for("bob")
        .get(
            task_url(
                "version_download",
                cast.draft_a,
                deliverable_id=cast.deliverable_a.pk,
                version_id=cast.version_a.pk,
            )
        )
        .status_code
        == 404
    )
    assert client_for("bob").post(url).status_code == 405


def test_a_missing_file_is_404_not_500(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    cast.document_a.file.delete(save=False)
    assert client_for("bob").get(document_url(cast.bob.pk, cast.document_a)).status_code == 404


# --- tenancy ------------------------------------------------------------------------------------------


def test_other_tenant_gets_404_everywhere(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    dave = client_for("dave")
    engagement = {"engagement_id": cast.engagement_a.pk}
    gets = [
        reverse("engagement_detail", kwargs=engagement),
        reverse("engagement_edit", kwargs=engagement),
        reverse("task_create", kwargs=engagement),
        task_url("task_detail", cast.task_a),
        task_url("task_edit", cast.task_a),
        task_url("task_detail", cast.draft_a),
        task_url("document_download", cast.task_a, document_id=cast.document_a.pk),
        task_url(
            "version_download",
            cast.task_a,
            deliverable_id=cast.deliverable_a.pk,
            version_id=cast.version_a.pk,
        ),
    ]
    for url in gets:
        response = dave.get(url)
        assert response.status_code == 404, url
        assert SECRET_A not in response.content.decode()
    posts = [
        task_url(name, cast.task_a)
        for name in (
            "task_transition",
            "task_message",
            "task_document_upload",
            "deliverable_upload",
            "time_entry_create",
            "assignment_create",
        )
    ] + [task_url("assignment_delete", cast.task_a, assignment_id=cast.assignment_a.pk)]
    for url in posts:
        assert dave.post(url, {"status": "cancelled", "comment": "x"}).status_code == 404, url
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == "in_progress"
    for url in (
        reverse("dashboard"),
        reverse("engagement_list"),
        reverse("task_list"),
        reverse("expert_list"),
    ):
        for params in ({}, {"q": "Zephyr"}):
            assert SECRET_A not in dave.get(url, params).content.decode(), url


def test_missing_or_malformed_ids_are_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    bob = client_for("bob")
    for url in (
        "/tasks/999999/",
        "/tasks/abc/",
        "/tasks/99999999999999999999999/",
        "/engagements/0/",
        f"/tasks/{cast.task_a.pk}/documents/999999/download",
        f"/tasks/{cast.task_a.pk}/deliverables/{cast.deliverable_a.pk}/versions/999999/download",
        "/engagements/-1/",
    ):
        assert bob.get(url).status_code == 404, url


def test_post_only_views_refuse_get(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    bob = client_for("bob")
    for name in (
        "task_transition",
        "task_message",
        "task_document_upload",
        "deliverable_upload",
        "time_entry_create",
        "assignment_create",
    ):
        assert bob.get(task_url(name, cast.task_a)).status_code == 405, name
    assert (
        bob.get(task_url("assignment_delete", cast.task_a, assignment_id=cast.assignment_a.pk)).status_code
        == 405
    )


# --- list pages keep a fixed number of queries ------------------------------------------------------------


def _count(django_assert_max_num_queries, client: Client, url: str) -> int:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(12) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_engagement_and_task_lists_have_a_fixed_query_count(
    cast: Cast, client_for, django_assert_max_num_queries, settings
) -> None:  # type: ignore[no-untyped-def]
    bob = client_for("bob")
    settings.KPO_SESSION_IDLE_MINUTES = 0  # no "last seen" writes, which come once a minute
    bob.get(reverse("engagement_list"))  # the session's first request records when it began
    engagements_before = _count(django_assert_max_num_queries, bob, reverse("engagement_list"))
    tasks_before = _count(django_assert_max_num_queries, bob, reverse("task_list"))
    due = timezone.now() + dt.timedelta(days=3)
    for n in range(30):
        engagement = Engagement.objects.create(
            client=cast.org_a,
            provider=cast.provider_p,
            title=f"Extra engagement {n}",
            objective="More work.",
            domain="data_analysis",
            budget=Decimal(1000 + n),
            currency="EUR",
            start_date=dt.date(2026, 12, 1),
            created_by=cast.bob,
        )
        Task.objects.create(
            engagement=engagement,
            title=f"Extra task {n}",
            description="More.",
            effort_hours=Decimal(2),
            due_at=due,
            created_by=cast.bob,
        )
    assert _count(django_assert_max_num_queries, bob, reverse("engagement_list")) == engagements_before
    assert _count(django_assert_max_num_queries, bob, reverse("task_list")) == tasks_before
    body = bob.get(reverse("engagement_list")).content.decode()
    assert "Page 1 of 2" in body and "31 engagements" in body
    assert "Page 2 of 2" in bob.get(reverse("task_list"), {"page": "2"}).content.decode()


# --- required skills and languages on the task form ------------------------------------------------------


def requirement_rows(
    skills: list[tuple[object, object]], languages: list[tuple[object, object]]
) -> dict[str, object]:
    """The formsets' POST data: the given rows, then blank ones, as the page sends them."""
    data: dict[str, object] = {
        "skills-TOTAL_FORMS": str(len(skills) + 1),
        "skills-INITIAL_FORMS": "0",
        "languages-TOTAL_FORMS": str(len(languages) + 1),
        "languages-INITIAL_FORMS": "0",
    }
    for i, (skill, level) in enumerate([*skills, ("", "3")]):
        data[f"skills-{i}-skill"] = skill
        data[f"skills-{i}-min_proficiency"] = level
    for i, (language, level) in enumerate([*languages, ("", "B2")]):
        data[f"languages-{i}-language"] = language
        data[f"languages-{i}-min_level"] = level
    return data


def two_skills() -> list[EscoSkill]:
    return list(EscoSkill.objects.filter(label__icontains="statistic").order_by("id")[:2])


def test_task_create_with_skills_and_languages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    first, second = two_skills()
    url = reverse("task_create", kwargs={"engagement_id": cast.engagement_a.pk})
    page = client_for("bob").get(url).content.decode()
    assert 'name="skills-0-skill"' in page and 'name="languages-0-language"' in page
    assert f'hx-get="{reverse("skill_search")}"' in page and 'hx-target="#id_skills-0-skill"' in page
    data = {
        **task_data(),
        **requirement_rows([(first.pk, "4"), (second.pk, "2")], [("da", "C1"), ("en", "B2")]),
    }
    response = client_for("bob").post(url, data)
    assert response.status_code == 302
    task = Task.objects.get(title="Meter the ovens")
    assert set(task.required_skills.values_list("skill_id", "min_proficiency")) == {
        (first.pk, 4),
        (second.pk, 2),
    }
    assert set(task.languages.values_list("language", "min_level")) == {("da", "C1"), ("en", "B2")}


def test_task_edit_shows_and_replaces_the_requirements(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    first, second = two_skills()
    TaskSkill.objects.create(task=cast.draft_a, skill=first, min_proficiency=4)
    TaskLanguage.objects.create(task=cast.draft_a, language="da", min_level="C1")
    edit = task_url("task_edit", cast.draft_a)
    page = client_for("bob").get(edit).content.decode()
    assert f'<option value="{first.pk}" selected>{first.label}</option>' in page
    assert '<option value="da" selected>' in page and '<option value="C1" selected>' in page
    data = {
        **task_data(title=cast.draft_a.title),
        **requirement_rows([(second.pk, "5")], [("en", "native")]),
    }
    assert client_for("bob").post(edit, data).status_code == 302
    assert list(cast.draft_a.required_skills.values_list("skill_id", "min_proficiency")) == [(second.pk, 5)]
    assert list(cast.draft_a.languages.values_list("language", "min_level")) == [("en", "native")]
    # a row marked for deletion goes; a POST without the formsets leaves the requirements alone
    data = {**task_data(title=cast.draft_a.title), **requirement_rows([(second.pk, "5")], [])}
    data["skills-0-DELETE"] = "on"
    assert client_for("bob").post(edit, data).status_code == 302
    assert not cast.draft_a.required_skills.exists()
    TaskLanguage.objects.create(task=cast.draft_a, language="fr", min_level="B1")
    assert client_for("bob").post(edit, task_data(title=cast.draft_a.title)).status_code == 302
    assert list(cast.draft_a.languages.values_list("language", flat=True)) == ["fr"]


@pytest.mark.parametrize(
    ("skills", "languages", "field", "message"),
    [
        ([(999999999, "3")], [], "skills-0-skill", "Choose a skill from the list."),
        ([("first", "3"), ("first", "4")], [], "skills-1-skill", "already listed"),
        ([("first", "9")], [], "skills-0-min_proficiency", "valid choice"),
        ([], [("xx", "B2")], "languages-0-language", "valid choice"),
        ([], [("da", "B2"), ("da", "C1")], "languages-1-language", "already listed"),
        ([], [("da", "Z9")], "languages-0-min_level", "valid choice"),
    ],
)
def test_bad_requirements_rerender_next_to_the_row_and_keep_the_input(
    cast: Cast, client_for, skills, languages, field, message
) -> None:  # type: ignore[no-untyped-def]
    first = two_skills()[0]
    skills = [(first.pk if skill == "first" else skill, level) for skill, level in skills]
    url = reverse("task_create", kwargs={"engagement_id": cast.engagement_a.pk})
    before = Task.objects.count()
    response = client_for("bob").post(
        url, {**task_data(title="Kept title"), **requirement_rows(skills, languages)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_errors"' in body and message in body
    assert 'value="Kept title"' in body and "Please correct the errors below." in body
    if skills and skills[0][0] == first.pk:
        assert f'<option value="{first.pk}" selected>' in body  # the chosen skill stays chosen
    assert Task.objects.count() == before


def test_skill_search_answers_options(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("skill_search")
    body = client_for("bob").get(url, {"q": "statistic"}).content.decode()
    first = two_skills()[0]
    assert f'<option value="{first.pk}">{first.label}</option>' in body
    assert "matching skills" in body and "<html" not in body
    assert "No skill</option>" in client_for("bob").get(url, {"q": "s"}).content.decode()
    assert "No skill matches" in client_for("bob").get(url, {"q": "zzzqqq"}).content.decode()
    assert Client().get(url, {"q": "statistic"}).status_code == 302


# --- stale lifecycle actions -------------------------------------------------------------------------------


def test_action_buttons_send_the_status_the_user_saw(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("bob").get(task_url("task_detail", cast.draft_a)).content.decode()
    assert '<input type="hidden" name="expected_status" value="draft">' in page


def test_a_stale_action_says_so_and_changes_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # pete saw the task in progress and wants to put it on hold, but carol has sent it to review meanwhile
    Task.objects.filter(pk=cast.task_a.pk).update(status="in_review")
    response = client_for("pete").post(
        task_url("task_transition", cast.task_a),
        {"status": "on_hold", "comment": "Waiting for data", "expected_status": "in_progress"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == task_url("task_detail", cast.task_a)
    texts = flashes(response)
    assert texts == ["Someone moved this task to in review meanwhile; here it is as it is now."]
    assert 'class="flash flash-warning"' in response.content.decode()
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == "in_review"
    assert not TaskTransition.objects.filter(task=cast.task_a).exists()
    # the same action from a fresh page goes through
    response = client_for("pete").post(
        task_url("task_transition", cast.task_a),
        {"status": "on_hold", "comment": "Waiting for data", "expected_status": "in_review"},
    )
    assert response.status_code == 302
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == "on_hold"


def test_the_service_checks_the_expected_status_under_the_lock(cast: Cast) -> None:
    from kpo.core.errors import DomainError
    from kpo.work import services

    with pytest.raises(DomainError) as error:
        services.task_transition(
            user=cast.bob, task=cast.draft_a, target="submitted", expected_status="staffing"
        )
    assert error.value.field == "status" and "meanwhile" in error.value.message
    cast.draft_a.refresh_from_db()
    assert cast.draft_a.status == "draft"
    task = services.task_transition(
        user=cast.bob, task=cast.draft_a, target="submitted", expected_status="draft"
    )
    assert task.status == "submitted"
