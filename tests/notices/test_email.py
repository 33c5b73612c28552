"""E-mail with notices: each event reaches the right people, in their language, with a link to the page,
unless they turned that kind of e-mail off. Sent through the worker's job (run at once in tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kpo.core.mail import mail_paused
from kpo.economics.commercials.services.budget import budget_check
from kpo.experts.models import ExpertProfile
from kpo.notices.models import Notice, NoticePreferences
from kpo.notices.services import notice_send
from kpo.sla.models import Dispute
from kpo.sla.services.disputes import dispute_open
from kpo.sla.services.escalations import sla_check
from kpo.work import services
from kpo.work.models import Message, Task, TaskTransition, TimeEntry
from kpo.work.notifications import transition_told
from tests.cast import Cast
from tests.sla.helpers import at, engagement, provider, task_with_history

pytestmark = pytest.mark.django_db
BASE = "https://kpo.example.org"


@pytest.fixture(autouse=True)
def _base_url(settings: Any) -> None:
    settings.KPO_BASE_URL = BASE


def _prefer(user: Any, language: str = "", muted: list[str] | None = None) -> None:
    NoticePreferences.objects.update_or_create(
        user=user, defaults={"language": language, "muted_categories": muted or []}
    )


def _to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def _only_to(user: Any) -> mail.EmailMultiAlternatives:
    received = _to(user.email)
    assert len(received) == 1, [m.subject for m in mail.outbox]
    message = received[0]
    assert isinstance(message, mail.EmailMultiAlternatives)
    return message


def _task_link(task: Task, anchor: str = "") -> str:
    return f"{BASE}{reverse('task_detail', kwargs={'task_id': task.pk})}" + (f"#{anchor}" if anchor else "")


def _recorded(task: Task, actor: Any, target: str, source: str) -> TaskTransition:
    """A transition as the lifecycle records it, for steps whose preconditions other tests cover."""
    Task.objects.filter(pk=task.pk).update(status=target)
    return TaskTransition.objects.create(
        task=task, actor=actor, from_status=source, to_status=target, comment="", at=timezone.now()
    )


def test_submitting_mails_the_provider_managers_in_their_language(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _prefer(cast.pete, "da")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("bob").post(
            reverse("task_transition", kwargs={"task_id": cast.draft_a.pk}), {"status": "submitted"}
        )
    assert response.status_code == 302
    message = _only_to(cast.pete)
    assert [m.to for m in mail.outbox] == [[cast.pete.email]]  # not bob, who submitted, nor the client side
    assert message.subject == f"[kpo] Opgave indsendt: {cast.draft_a.title}"
    assert "Hej Pete" in message.body and "venter på bemanding" in message.body
    assert _task_link(cast.draft_a) in message.body
    assert f"{BASE}{reverse('email_preferences')}" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="{_task_link(cast.draft_a)}"' in html and 'lang="da"' in html
    assert Notice.objects.get(user=cast.pete, kind="task_submitted").url == reverse(
        "task_detail", kwargs={"task_id": cast.draft_a.pk}
    )


def test_a_muted_kind_still_makes_the_notice_but_no_email(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _prefer(cast.pete, muted=["task_submitted"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("bob").post(
            reverse("task_transition", kwargs={"task_id": cast.draft_a.pk}), {"status": "submitted"}
        )
    assert Notice.objects.filter(user=cast.pete, kind="task_submitted").count() == 1
    assert mail.outbox == []


def test_no_address_no_email(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    cast.pete.email = ""
    cast.pete.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.task_transition(user=cast.bob, task=cast.draft_a, target="submitted")
    assert Notice.objects.filter(user=cast.pete, kind="task_submitted").exists()
    assert mail.outbox == []


def test_assigning_mails_the_expert(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    erin = ExpertProfile.objects.get(user=cast.erin)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_create(
            user=cast.pete, task=cast.task_a, expert=erin, role="maker", planned_hours=Decimal(6)
        )
    message = _only_to(cast.erin)
    assert len(mail.outbox) == 1
    assert message.subject == f"[kpo] You are assigned to {cast.task_a.title}"
    assert "Pete" in message.body and "as maker, 6 hours planned" in message.body
    assert _task_link(cast.task_a) in message.body


def test_sending_to_review_mails_the_reviewer(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    _prefer(cast.rex, "da")
    with django_capture_on_commit_callbacks(execute=True):
        services.task_transition(user=cast.carol, task=cast.task_a, target="in_review")
    message = _only_to(cast.rex)
    assert len(mail.outbox) == 1
    assert message.subject == f"[kpo] Klar til din gennemgang: {cast.task_a.title}"
    assert _task_link(cast.task_a) in message.body


def test_delivery_mails_the_requester(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    transition = _recorded(cast.task_a, cast.rex, "delivered", "in_review")
    with django_capture_on_commit_callbacks(execute=True):
        transition_told(transition)
    message = _only_to(cast.bob)
    assert len(mail.outbox) == 1
    assert (
        message.subject == f"[kpo] Delivered: {cast.task_a.title}" and _task_link(cast.task_a) in message.body
    )


@pytest.mark.parametrize(
    ("target", "danish", "english"),
    [("changes_requested", "Ændringer ønsket", "Changes requested"), ("accepted", "Godkendt", "Accepted")],
)
def test_changes_and_acceptance_mail_the_maker_and_the_provider_managers(
    cast: Cast, django_capture_on_commit_callbacks: Any, target: str, danish: str, english: str
) -> None:
    _prefer(cast.carol, "da")
    transition = _recorded(cast.task_a, cast.bob, target, "delivered")
    with django_capture_on_commit_callbacks(execute=True):
        transition_told(transition)
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [cast.carol.email, cast.pete.email]
    )
    assert _only_to(cast.carol).subject == f"[kpo] {danish}: {cast.task_a.title}"
    assert _only_to(cast.pete).subject == f"[kpo] {english}: {cast.task_a.title}"
    notice = Notice.objects.get(user=cast.pete)
    assert notice.url.endswith(reverse("task_detail", kwargs={"task_id": cast.task_a.pk}))
    assert not Notice.objects.filter(user=cast.bob).exists()  # not the one who took the step


def test_a_message_mails_the_other_participants_without_quoting_it(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Message.objects.create(task=cast.task_a, author=cast.dave, body="written before dave lost access")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("bob").post(
            reverse("task_message", kwargs={"task_id": cast.task_a.pk}), {"msg-body": "Private numbers 4711"}
        )
    assert response.status_code == 302
    received = sorted(address for m in mail.outbox for address in m.to)
    assert received == sorted([cast.carol.email, cast.rex.email])  # maker, reviewer; not bob, not dave
    message = _only_to(cast.carol)
    assert message.subject == f"[kpo] New message on {cast.task_a.title}"
    assert _task_link(cast.task_a, "messages") in message.body and "4711" not in message.body


def test_an_invitation_is_mailed_in_the_inviters_language_with_the_accept_link(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("alice")
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    _prefer(cast.alice, muted=["other"])  # the choices do not apply to invitations
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation_create", kwargs={"organisation_id": cast.org_a.pk}),
            {"invite-email": "nina@example.com", "invite-role": "requester"},
        )
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.to == ["nina@example.com"] and response.context["new_link"] in message.body
    assert cast.org_a.name in message.subject and "inviterer" in message.body.lower()


def test_switching_language_is_remembered_for_emails(cast: Cast, client_for: Any) -> None:
    client = client_for("pete")
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    assert NoticePreferences.objects.get(user=cast.pete).language == "da"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # unknown: ignored, nothing fails
    assert NoticePreferences.objects.get(user=cast.pete).language == "da"


def test_budget_alert_mails_both_sides(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    _prefer(cast.alice, "da")
    engagement_a = cast.engagement_a
    engagement_a.currency, engagement_a.budget = "EUR", Decimal(100)
    engagement_a.save()
    carol = ExpertProfile.objects.get(user=cast.carol)  # EUR 60 an hour
    TimeEntry.objects.create(
        task=cast.task_a, expert=carol, date=dt.date(2026, 10, 5), hours=Decimal("1.5"), status="approved"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert budget_check(engagement=engagement_a, today=dt.date(2026, 10, 30)) == [80]
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [cast.alice.email, cast.bob.email, cast.pete.email]
    )
    link = f"{BASE}{reverse('engagement_commercials', kwargs={'engagement_id': engagement_a.pk})}"
    assert _only_to(cast.alice).subject.startswith("[kpo] Budgetalarm:") and link in _only_to(cast.alice).body
    assert "has used 90.0 % of its budget" in _only_to(cast.bob).body


@pytest.mark.dates
def test_sla_escalation_mails_the_provider_managers(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    warsaw = "Europe/Warsaw"
    eng = engagement(cast, provider("PL", manager=cast.quinn), response_hours=8)
    task = task_with_history(
        cast, eng, [("draft", "submitted", at(warsaw, 2026, 11, 16, 9, 0))], title="Polish"
    )
    _prefer(cast.quinn, "da")
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_check(now=at(warsaw, 2026, 11, 16, 16, 0)).task_escalations == 1
    message = _only_to(cast.quinn)
    assert "SLA" in message.subject and "Polish" in message.subject and _task_link(task) in message.body
    assert "reaktion" in message.body  # the response clock, in Danish


@pytest.mark.dates
def test_dispute_steps_are_mailed(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    Task.objects.filter(pk=cast.task_a.pk).update(status="delivered")
    cast.task_a.refresh_from_db()
    monday = dt.datetime(2026, 11, 23, 4, 30, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        dispute = dispute_open(user=cast.bob, task=cast.task_a, reason="Wrong", now=monday)
    message = _only_to(cast.pete)
    assert "disputes the delivery" in message.subject
    assert f"{BASE}{reverse('dispute_detail', kwargs={'dispute_id': dispute.pk})}" in message.body
    mail.outbox.clear()
    Dispute.objects.filter(pk=dispute.pk).update(response_due_at=monday + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        sla_check(now=monday + dt.timedelta(days=3))
    assert cast.pete.email in [address for m in mail.outbox for address in m.to]
    assert any("overdue" in m.subject for m in _to(cast.pete.email))


def test_notice_texts_given_as_functions_are_written_per_recipient(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils.translation import gettext

    _prefer(cast.alice, "da")
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(
            users=[cast.alice, cast.bob], kind="vetting", text=lambda: gettext("Notices"), url="/notices/"
        )
    assert Notice.objects.get(user=cast.alice).text == "Meddelelser"
    assert Notice.objects.get(user=cast.bob).text == "Notices"
    assert _only_to(cast.alice).subject == "[kpo] Meddelelser"


def test_no_email_is_queued_while_mail_is_paused(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    with mail_paused(), django_capture_on_commit_callbacks(execute=True):
        services.task_transition(user=cast.bob, task=cast.draft_a, target="submitted")
    assert Notice.objects.filter(user=cast.pete, kind="task_submitted").exists() and mail.outbox == []
