from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpo.notices.models import Notice
from kpo.notices.services import notice_send
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_a_keyed_notice_is_sent_once_per_user(cast: Cast) -> None:
    first = notice_send(users=[cast.alice, cast.bob, cast.alice], kind="budget", text="80 %", key="b80:1")
    again = notice_send(users=[cast.alice], kind="budget", text="80 %", key="b80:1")
    assert len(first) == 2 and again == []
    assert Notice.objects.filter(user=cast.alice).count() == 1


def test_a_user_sees_and_reads_only_their_own_notices(cast: Cast) -> None:
    notice_send(users=[cast.alice], kind="sla", text="Task at risk", url="/tasks/")
    notice_send(users=[cast.dave], kind="sla", text="Dave's own notice")
    client = Client()
    client.force_login(cast.alice)
    page = client.get(reverse("notice_list")).content.decode()
    assert "Task at risk" in page and "Dave's own notice" not in page
    assert client.post(reverse("notices_read")).status_code == 302
    assert not Notice.objects.filter(user=cast.alice, read_at__isnull=True).exists()
    assert Notice.objects.filter(user=cast.dave, read_at__isnull=True).count() == 1


def test_the_notices_link_counts_unread_notices_in_one_query(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.bob)
    assert 'class="count-badge"' not in client.get(reverse("task_list")).content.decode()
    notice_send(users=[cast.bob], kind="sla", text="One")
    notice_send(users=[cast.bob], kind="sla", text="Two")
    notice_send(users=[cast.alice], kind="sla", text="Alice's")
    page = client.get(reverse("task_list")).content.decode()
    assert '<span class="count-badge">2<span class="visually-hidden"> unread</span></span>' in page
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("task_list"))
    counts = [q["sql"] for q in captured.captured_queries if "notices_notice" in q["sql"]]
    assert len(counts) == 1, counts
    client.post(reverse("notices_read"))
    assert 'class="count-badge"' not in client.get(reverse("task_list")).content.decode()


def test_a_message_is_told_to_the_people_on_the_task_but_not_to_a_writer_who_has_left(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from kpo.orgs.models import Membership
    from kpo.work.services import message_post

    with django_capture_on_commit_callbacks(execute=True):
        message_post(user=cast.pete, task=cast.task_a, body="Pete was here.")
    Membership.objects.filter(user=cast.pete).delete()
    with django_capture_on_commit_callbacks(execute=True):
        message = message_post(user=cast.carol, task=cast.task_a, body="Draft is up.")
    told = set(Notice.objects.filter(key=f"message-{message.pk}").values_list("user__username", flat=True))
    assert told == {cast.task_a.created_by.username, "rex"} - {"carol"}
    assert "pete" not in told


def test_a_notice_reads_in_the_language_its_reader_uses_now(cast: Cast) -> None:
    from django.utils.translation import gettext as _

    notice_send(users=[cast.alice], kind="sla", text=lambda: _("Task"), url="/tasks/")
    notice_send(users=[cast.alice], kind="sla", text="Sent as written")
    client = Client()
    client.force_login(cast.alice)
    english = client.get(reverse("notice_list")).content.decode()
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    danish = client.get(reverse("notice_list"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert ">Task</a>" in english and ">Opgave</a>" in danish
    assert "Sent as written" in english and "Sent as written" in danish
    assert Notice.objects.get(user=cast.alice, url="/tasks/").texts == {"en": "Task", "da": "Opgave"}
