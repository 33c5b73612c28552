"""Redaction wins over the glossary and in the thread: a glossary term that is itself a declared sensitive
term reads as a placeholder wherever the provider side sees it (the task page's glossary, the terms
offered beside the message box, the glossary API), and messages the provider side reads are redacted as
the description is, with the same placeholders; the client side reads everything as written."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from kpo.glossary import services
from kpo.redaction.models import SensitiveTerm
from kpo.work.models import Message, Task
from tests.api.conftest import Call
from tests.cast import Cast

pytestmark = pytest.mark.django_db

SECRET = "Tailwind"
PHONE = "+45 12 34 56 78"


@pytest.fixture
def world(cast: Cast) -> None:
    SensitiveTerm.objects.create(client=cast.org_a, term=SECRET, category="product")
    Task.objects.filter(pk=cast.task_a.pk).update(description=f"Measure the {SECRET} line.")
    services.glossary_term_create(  # the term is exactly the sensitive term
        user=cast.alice, engagement=cast.engagement_a, english=SECRET, danish=SECRET, definition="Code name."
    )
    Message.objects.create(
        task=cast.task_a, author=cast.bob, body=f"Is the {SECRET} line measured? Call me on {PHONE}."
    )


def _section(html: str, element_id: str) -> str:
    """The element with `element_id` (a section or div), up to its closing tag."""
    match = re.search(rf'<(section|div)[^>]*id="{element_id}".*?</\1>', html, re.S)
    assert match, f"no #{element_id} on the page"
    return match.group(0)


def _task_page(client_for: Any, who: str, cast: Cast) -> str:
    return client_for(who).get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()


@pytest.mark.parametrize("who", ["carol", "rex", "pete"])
def test_the_provider_side_reads_placeholders_everywhere_on_the_task_page(
    cast: Cast, client_for: Any, world: None, who: str
) -> None:
    html = _task_page(client_for, who, cast)
    assert SECRET not in html and "12 34 56 78" not in html
    glossary = _section(html, "glossary")
    assert "[PRODUCT-1]" in glossary
    offered = _section(html, "glossary-terms")  # the terms beside the message box, with insert buttons
    assert 'data-insert="[PRODUCT-1]"' in offered
    thread = _section(html, "messages")
    assert "Is the [PRODUCT-1] line measured?" in thread  # the description's placeholder
    assert "Measure the [PRODUCT-1] line." in html


def test_the_client_side_reads_the_terms_and_messages_as_written(
    cast: Cast, client_for: Any, world: None
) -> None:
    html = _task_page(client_for, "alice", cast)
    assert f"Is the {SECRET} line measured? Call me on {PHONE}." in _section(html, "messages")
    assert f'data-insert="{SECRET}"' in _section(html, "glossary-terms")


def test_the_api_redacts_glossary_and_messages_for_an_expert(cast: Cast, call: Call, world: None) -> None:
    glossary = call("GET", f"/api/engagements/{cast.engagement_a.pk}/glossary", "carol").json()["items"]
    assert [(item["english"], item["danish"]) for item in glossary] == [("[PRODUCT-1]", "[PRODUCT-1]")]
    messages = call("GET", f"/api/tasks/{cast.task_a.pk}/messages", "carol").json()["items"]
    bodies = [item["body"] for item in messages]
    assert any("Is the [PRODUCT-1] line measured?" in body for body in bodies)
    assert SECRET not in str(messages) and "12 34 56 78" not in str(messages)
    original = call("GET", f"/api/tasks/{cast.task_a.pk}/messages", "bob").json()["items"]
    assert any(f"{SECRET} line measured? Call me on {PHONE}" in item["body"] for item in original)
    assert Message.objects.filter(body__contains=SECRET).count() == 1  # reading changed nothing stored


def test_the_experts_dashboard_shows_recent_messages_redacted(
    cast: Cast, client_for: Any, world: None
) -> None:
    html = client_for("carol").get(reverse("dashboard")).content.decode()
    assert "Is the [PRODUCT-1] line measured?" in html
    assert SECRET not in html and "12 34 56 78" not in html
