"""The demo world's glossary and threads: Carol has one new message, in Danish, that mentions her and
uses a glossary term; the term holding Nordvind's code name reads as a placeholder for her, not for Bob."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kpo.demo.glossary import NEW_MESSAGE
from kpo.demo.redaction import TASK_TITLE
from kpo.glossary.models import GlossaryTerm
from kpo.notices.models import Notice
from kpo.work.models import Message, Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KPO_EMBEDDER = "lexical"


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_shows_the_glossary_a_mention_and_a_new_message(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the seed's commit tells Carol
        call_command("seed_demo", experts=50, seed=7, stdout=io.StringIO())
    task = Task.objects.get(title=TASK_TITLE)
    assert GlossaryTerm.objects.filter(engagement=task.engagement).count() == 6
    message = Message.objects.filter(task=task).latest("id")
    assert (message.body, message.language) == (NEW_MESSAGE, "da")
    assert [item["handle"] for item in message.mentions] == ["carol"]
    assert Notice.objects.filter(user__username="carol", kind="task_mention").count() == 1
    carol, bob = _as("carol"), _as("bob")
    tasks = carol.get(reverse("task_list")).content.decode()
    assert tasks.count("1 new message") == 1 and "new messages" not in tasks  # only that one, for her
    assert "new message" not in bob.get(reverse("task_list")).content.decode()
    page = carol.get(reverse("task_detail", kwargs={"task_id": task.pk})).content.decode()
    assert "[PRODUCT-1] ring gear" in page and "Tailwind" not in page
    assert '<mark class="mention">@carol</mark>' in page
    glossary = bob.get(reverse("glossary", kwargs={"engagement_id": task.engagement_id})).content.decode()
    assert "Tailwind ring gear" in glossary
