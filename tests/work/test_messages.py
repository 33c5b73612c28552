"""Messages on a task: a language tag per message, @mentions that tell the people on the task (and only
them), and each reader's unread marker on the task lists and the task page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from kpo.core.errors import DomainError
from kpo.notices.models import Notice, NoticePreferences
from kpo.work import services
from kpo.work.models import Message, ThreadReadMarker
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _post(client: Any, task_id: int, body: str, **extra: str) -> Any:
    return client.post(reverse("task_message", kwargs={"task_id": task_id}), {"msg-body": body, **extra})


def _page(client: Any, task_id: int) -> str:
    response = client.get(reverse("task_detail", kwargs={"task_id": task_id}))
    assert response.status_code == 200
    return response.content.decode()


# --- the language tag ------------------------------------------------------------------------------------


def test_the_language_is_stored_and_shown_on_the_message(cast: Cast, client_for: Any) -> None:
    bob = client_for("bob")
    assert _post(bob, cast.task_a.pk, "Hvor langt er I?", **{"msg-language": "da"}).status_code == 302
    message = Message.objects.filter(task=cast.task_a).latest("id")
    assert message.language == "da"
    body = _page(client_for("carol"), cast.task_a.pk)
    assert '<div class="prose" lang="da">Hvor langt er I?</div>' in body
    assert 'title="Danish">DA</span>' in body


def test_the_language_defaults_to_the_writers_language(cast: Cast, client_for: Any) -> None:
    bob = client_for("bob")
    bob.cookies["django_language"] = "da"
    form = _page(bob, cast.task_a.pk)
    assert '<option value="da" selected>' in form  # the form offers the reader's language first
    assert _post(bob, cast.task_a.pk, "Tak for tallene.").status_code == 302
    assert Message.objects.filter(task=cast.task_a).latest("id").language == "da"
    carol = client_for("carol")
    assert _post(carol, cast.task_a.pk, "Thanks, the numbers follow.").status_code == 302
    assert Message.objects.filter(task=cast.task_a).latest("id").language == "en"
    assert _post(carol, cast.task_a.pk, "Dziękuję", **{"msg-language": "other"}).status_code == 302
    other = Message.objects.filter(task=cast.task_a).latest("id")
    assert other.language == "other"
    assert '<div class="prose">Dziękuję</div>' in _page(bob, cast.task_a.pk)  # no lang attribute


def test_an_unknown_language_is_refused_naming_the_field(cast: Cast, client_for: Any) -> None:
    count = Message.objects.count()
    response = _post(client_for("bob"), cast.task_a.pk, "Hello", **{"msg-language": "klingon"})
    assert response.status_code == 400
    assert "Written in" in response.content.decode() and Message.objects.count() == count
    with pytest.raises(DomainError) as refused:
        services.message_post(user=cast.bob, task=cast.task_a, body="Hello", language="xx")
    assert refused.value.field == "language" and Message.objects.count() == count


# --- @mentions -------------------------------------------------------------------------------------------


def _notices(user: Any, kind: str) -> list[Notice]:
    return list(Notice.objects.filter(user=user, kind=kind))


def test_a_mention_tells_the_people_on_the_task_once(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client_for("bob"), cast.task_a.pk, "@carol and @Pete: the gearbox numbers, please.")
    assert response.status_code == 302
    message = Message.objects.filter(task=cast.task_a).latest("id")
    assert sorted(item["handle"] for item in message.mentions) == ["carol", "pete"]
    for person in (cast.carol, cast.pete):
        notices = _notices(person, "task_mention")
        assert len(notices) == 1 and notices[0].key == f"mention-{message.pk}"
        assert notices[0].text == f"Bob Requester mentioned you on the task “{cast.task_a.title}”."
        assert notices[0].url.endswith(
            reverse("task_detail", kwargs={"task_id": cast.task_a.pk}) + "#messages"
        )
        assert not _notices(person, "task_message")  # one notice for the message, not two
    assert _notices(cast.rex, "task_message")  # the reviewer, not mentioned, hears of it as before
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[cast.carol.email] == f"[kpo] Bob Requester mentioned you on {cast.task_a.title}"
    assert "gearbox numbers" not in "".join(m.body for m in mail.outbox)  # mail never quotes the thread
    from kpo.work.notifications import mention_told

    mention_told(message)  # told again (a retried job): keyed, so nothing new
    assert len(_notices(cast.carol, "task_mention")) == 1


def test_a_mention_is_e_mailed_as_the_person_chose(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    NoticePreferences.objects.create(user=cast.carol, language="da", muted_categories=[])
    NoticePreferences.objects.create(user=cast.pete, language="en", muted_categories=["task_mention"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client_for("bob"), cast.task_a.pk, "@carol @pete see the report")
    assert [m.subject for m in mail.outbox if cast.carol.email in m.to] == [
        f"[kpo] Bob Requester nævnte dig på {cast.task_a.title}"
    ]
    assert not [m for m in mail.outbox if cast.pete.email in m.to]  # turned off, but the notice is there
    assert len(_notices(cast.pete, "task_mention")) == 1


def test_someone_who_cannot_see_the_task_is_neither_told_nor_marked(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """dave (another client), quinn (another provider), erin (the provider's expert, not on the task) and
    a handle that names nobody stay plain text; nobody learns from the page that they exist."""
    with django_capture_on_commit_callbacks(execute=True):
        _post(client_for("bob"), cast.task_a.pk, "cc @dave @quinn @erin @ghost and @carol")
    message = Message.objects.filter(task=cast.task_a).latest("id")
    assert [item["handle"] for item in message.mentions] == ["carol"]
    for outsider in (cast.dave, cast.quinn, cast.erin):
        assert not Notice.objects.filter(user=outsider).exists()
    body = _page(client_for("carol"), cast.task_a.pk)
    assert 'cc @dave @quinn @erin @ghost and <mark class="mention">@carol</mark>' in body
    assert "Dave Bank" not in body and "Quinn Quay" not in body


def test_a_draft_hides_the_provider_from_mentions(
    cast: Cast, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(client_for("bob"), cast.draft_a.pk, "@pete will staff this, @alice approves")
    message = Message.objects.filter(task=cast.draft_a).latest("id")
    assert [item["handle"] for item in message.mentions] == ["alice"]  # the provider sees no drafts
    assert not Notice.objects.filter(user=cast.pete).exists()
    assert len(_notices(cast.alice, "task_mention")) == 1
    page = _page(client_for("bob"), cast.draft_a.pk)
    assert "@pete" not in page.split('id="mention-list"')[1] if 'id="mention-list"' in page else True


def test_a_mention_of_someone_who_has_since_left_is_not_told(cast: Cast) -> None:
    message = services.message_post(user=cast.bob, task=cast.task_a, body="@erin please help")
    assert message.mentions == []
    message = services.message_post(user=cast.bob, task=cast.task_a, body="@rex please review")
    assert [item["handle"] for item in message.mentions] == ["rex"]
    cast.rex.is_active = False
    cast.rex.save()
    from kpo.work.notifications import mention_told

    mention_told(message)
    assert not Notice.objects.filter(user=cast.rex).exists()


def test_the_message_box_lists_the_people_to_mention(cast: Cast, client_for: Any) -> None:
    page = _page(client_for("bob"), cast.task_a.pk)
    listed = page.split('id="mention-list"')[1].split("</div>")[0]
    for handle in ("@carol", "@rex", "@pete"):
        assert handle in listed
    assert "@bob" not in listed and "@erin" not in listed and "@dave" not in listed
    assert 'src="/static/kpo/compose.js"' in page and "<script>" not in page  # no inline script (CSP)


# --- unread markers --------------------------------------------------------------------------------------


def test_new_messages_show_on_the_lists_until_the_task_page_is_opened(cast: Cast, client_for: Any) -> None:
    carol = client_for("carol")
    _page(carol, cast.task_a.pk)  # carol has read the thread so far
    for body in ("One", "Two", "Three"):
        services.message_post(user=cast.bob, task=cast.task_a, body=body)
    services.message_post(user=cast.carol, task=cast.task_a, body="My own")  # never new to its writer
    task_list = carol.get(reverse("task_list")).content.decode()
    assert "3 new messages" in task_list
    engagement = carol.get(reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk}))
    assert "3 new messages" in engagement.content.decode()
    page = _page(carol, cast.task_a.pk)
    assert page.count('<li class="new">') == 3 and "3 new messages" in page
    latest = Message.objects.filter(task=cast.task_a).latest("id")
    assert ThreadReadMarker.objects.get(task=cast.task_a, user=cast.carol).last_read_id == latest.pk
    assert "new message" not in carol.get(reverse("task_list")).content.decode()
    assert '<li class="new">' not in _page(carol, cast.task_a.pk)


def test_each_reader_has_their_own_marker(cast: Cast, client_for: Any) -> None:
    rex, pete = client_for("rex"), client_for("pete")
    _page(rex, cast.task_a.pk)
    _page(pete, cast.task_a.pk)
    services.message_post(user=cast.bob, task=cast.task_a, body="News")
    _page(rex, cast.task_a.pk)  # rex reads it; pete has not
    assert "1 new message" not in rex.get(reverse("task_list")).content.decode()
    assert "1 new message" in pete.get(reverse("task_list")).content.decode()
    # a first-time reader has every message by others as new (the cast's first message is carol's)
    assert "2 new messages" in client_for("alice").get(reverse("task_list")).content.decode()


def test_the_task_list_counts_new_messages_in_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.KPO_SESSION_IDLE_MINUTES = 0
    alice = client_for("alice")
    alice.get(reverse("task_list"))
    with django_assert_max_num_queries(12) as few:
        alice.get(reverse("task_list"))
    for n in range(10):
        services.message_post(user=cast.carol, task=cast.task_a, body=f"Note {n}")
        services.message_post(user=cast.bob, task=cast.draft_a, body=f"Note {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = alice.get(reverse("task_list")).content.decode()
    assert "11 new messages" in body and "10 new messages" in body
