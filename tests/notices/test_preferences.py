"""The signed-in user's e-mail settings: the page, the API, and bad input that changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kpo.notices.kinds import CATEGORY_CODES, category_of
from kpo.notices.models import NoticePreferences
from kpo.orgs.services import api_token_create
from tests.cast import Cast

pytestmark = pytest.mark.django_db
URL = "/settings/email/"


def test_notice_kinds_fall_into_categories() -> None:
    assert category_of("sla_at_risk") == category_of("sla_breached") == "sla"
    assert category_of("dispute_overdue") == "dispute"
    assert category_of("budget_alert") == "budget_alert"
    assert category_of("review") == "review_result"
    assert category_of("time_decided") == category_of("something_new") == "other"


def test_the_page_shows_every_kind_on_by_default_and_saves_the_choice(cast: Cast, client_for: Any) -> None:
    client = client_for("carol")
    assert reverse("email_preferences") == URL
    page = client.get(URL)
    body = page.content.decode()
    assert page.status_code == 200 and f'href="{URL}"' in body  # reachable from the user's menu
    assert body.count('type="checkbox"') == len(CATEGORY_CODES) and body.count("checked") >= len(
        CATEGORY_CODES
    )
    wanted = [code for code in CATEGORY_CODES if code not in {"task_message", "budget_alert"}]
    response = client.post(URL, {"language": "da", "email_categories": wanted})
    assert response.status_code == 302 and response["Location"] == URL
    stored = NoticePreferences.objects.get(user=cast.carol)
    assert stored.language == "da" and sorted(stored.muted_categories) == ["budget_alert", "task_message"]
    shown = client.get(URL).context["form"].initial
    assert shown["language"] == "da" and shown["email_categories"] == wanted


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"language": "xx", "email_categories": ["sla"]}, "language"),
        ({"language": "", "email_categories": ["sla"]}, "language"),
        ({"language": "en", "email_categories": ["sla", "nonsense"]}, "email_categories"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    cast: Cast, client_for: Any, data: dict[str, Any], field: str
) -> None:
    response = client_for("carol").post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not NoticePreferences.objects.filter(user=cast.carol).exists()


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def _api(cast: Cast) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=cast.rex, name='t')[1]}"}


def test_api_reads_and_replaces_the_preferences(cast: Cast) -> None:
    client, auth = Client(), _api(cast)
    read = client.get("/api/me/email-preferences", **auth).json()
    assert read["address"] == cast.rex.email and read["language"] == "en"
    assert [c["code"] for c in read["categories"]] == list(CATEGORY_CODES)
    assert all(c["wanted"] for c in read["categories"])
    changed = client.put(
        "/api/me/email-preferences",
        {"language": "da", "categories": ["review_requested"]},
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200
    wanted = {c["code"]: c["wanted"] for c in changed.json()["categories"]}
    assert wanted["review_requested"] and not wanted["task_message"] and changed.json()["language"] == "da"
    stored = NoticePreferences.objects.get(user=cast.rex)
    assert stored.language == "da" and "review_requested" not in stored.muted_categories


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "xx", "categories": []}, "language"),
        ({"language": "en", "categories": ["nonsense"]}, "categories"),
        ({"categories": []}, "language"),
    ],
)
def test_api_refuses_bad_input_naming_the_field(cast: Cast, body: dict[str, Any], field: str) -> None:
    response = Client().put("/api/me/email-preferences", body, content_type="application/json", **_api(cast))
    assert response.status_code == 422
    assert any(field in str(error["field"]) for error in response.json()["errors"])
    assert not NoticePreferences.objects.filter(user=cast.rex).exists()


def test_the_openapi_schema_documents_the_operations() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    operations = paths["/api/me/email-preferences"]
    assert operations["get"]["operationId"] == "get_email_preferences"
    assert operations["put"]["operationId"] == "update_email_preferences"
