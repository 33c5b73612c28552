"""Who reads what: the provider side gets the redacted description, the client the original and a preview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpo.redaction.services import redact_for_expert, redaction_of, sensitive_term_create
from kpo.work.models import Task
from tests.cast import Cast

pytestmark = pytest.mark.django_db

ORIGINAL = (
    "Falcon gearbox study for Nordic Freight. Ask Ann Lee (ann.lee@acme-example.dk, +45 20 12 34 56) "
    "for the test data; refunds to DK5000400440116243. Operator CPR 010190-1234. Falcon is secret."
)
REDACTED = (
    "[PRODUCT-1] gearbox study for [CUSTOMER-1]. Ask [PERSON-1] ([EMAIL-1], [PHONE-1]) "
    "for the test data; refunds to [IBAN-1]. Operator CPR [CPR-1]. [PRODUCT-1] is secret."
)
SECRETS = (
    "Falcon",
    "Nordic Freight",
    "Ann Lee",
    "ann.lee@",
    "20 12 34 56",
    "DK5000400440116243",
    "010190-1234",
)


@pytest.fixture
def task(cast: Cast) -> Task:
    for term, category in (("Falcon", "product"), ("Nordic Freight", "customer"), ("Ann Lee", "person")):
        sensitive_term_create(user=cast.alice, client=cast.org_a, term=term, category=category)
    cast.task_a.description = ORIGINAL
    cast.task_a.save()
    return cast.task_a


def test_redact_for_expert_replaces_terms_and_personal_data(task: Task) -> None:
    assert redact_for_expert(task, ORIGINAL) == REDACTED
    assert redact_for_expert(task, "") == ""


def test_placeholders_are_consistent_between_the_description_and_a_document(task: Task) -> None:
    document = "Notes: call +4520123456 (the same phone), then Bo Ek at bo@acme-example.dk about FALCON."
    assert redact_for_expert(task, document) == (
        "Notes: call [PHONE-1] (the same phone), then Bo Ek at [EMAIL-2] about [PRODUCT-1]."
    )


def test_a_new_term_takes_effect_at_once(cast: Cast, task: Task) -> None:
    assert "gearbox" in redact_for_expert(task, ORIGINAL)
    sensitive_term_create(user=cast.alice, client=cast.org_a, term="gearbox", category="other")
    assert "[TERM-1] study" in redact_for_expert(task, ORIGINAL)


def test_another_clients_terms_do_not_apply(cast: Cast, task: Task) -> None:
    sensitive_term_create(user=cast.dave, client=cast.org_b, term="study", category="other")
    assert "gearbox study" in redact_for_expert(task, ORIGINAL)


def test_the_counts_list_what_was_replaced(task: Task) -> None:
    counts = {
        category.value: (occurrences, distinct)
        for category, occurrences, distinct in redaction_of(task).counts()
    }
    assert counts == {
        "email": (1, 1),
        "phone": (1, 1),
        "iban": (1, 1),
        "cpr": (1, 1),
        "product": (2, 1),
        "customer": (1, 1),
        "person": (1, 1),
    }


@pytest.mark.parametrize("name", ["carol", "rex", "pete"])
def test_the_provider_side_reads_the_redacted_description_on_the_task_page(
    task: Task,
    client_for,
    name: str,  # type: ignore[no-untyped-def]
) -> None:
    page = client_for(name).get(reverse("task_detail", kwargs={"task_id": task.pk})).content.decode()
    assert "[PRODUCT-1] gearbox study for [CUSTOMER-1]" in page
    assert "[EMAIL-1]" in page and "[CPR-1]" in page
    for secret in SECRETS:
        assert secret not in page, secret
    assert "What the experts will read" not in page  # no preview for the provider side


@pytest.mark.parametrize("name", ["alice", "bob", "aud"])
def test_the_client_side_reads_the_original_and_the_preview(task: Task, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    page = client_for(name).get(reverse("task_detail", kwargs={"task_id": task.pk})).content.decode()
    assert "Falcon gearbox study for Nordic Freight" in page  # the original
    assert "What the experts will read" in page
    marked = '<mark class="placeholder">[PRODUCT-1]</mark> gearbox study for <mark class="placeholder">'
    assert marked in page
    assert "CPR numbers" in page and "Products and code names" in page
    assert reverse("sensitive_terms", kwargs={"organisation_id": task.engagement.client_id}) in page


def test_the_preview_says_so_when_nothing_is_replaced(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("bob").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    assert "Nothing is replaced" in page


def test_the_api_task_detail_is_redacted_for_the_provider_side(task: Task, call) -> None:  # type: ignore[no-untyped-def]
    for name in ("carol", "pete"):
        body = call("get", f"/api/tasks/{task.pk}", name).json()
        assert body["description"] == REDACTED and body["description_redacted"] is True
    body = call("get", f"/api/tasks/{task.pk}", "bob").json()
    assert body["description"] == ORIGINAL and body["description_redacted"] is False


def test_a_transition_answer_is_redacted_for_the_maker(task: Task, call) -> None:  # type: ignore[no-untyped-def]
    response = call("post", f"/api/tasks/{task.pk}/transitions", "carol", json={"status": "in_review"})
    assert response.status_code == 200, response.content
    assert response.json()["description"] == REDACTED


def test_the_api_preview_is_for_the_client_side_only(task: Task, call) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/tasks/{task.pk}/redaction-preview"
    body = call("get", url, "bob").json()
    assert body["text"] == REDACTED and body["replaced"] == 8
    assert {c["category"]: c["occurrences"] for c in body["categories"]}["product"] == 2
    for name in ("carol", "pete", "rex"):
        response = call("get", url, name)
        assert response.status_code == 403
        assert "Falcon" not in response.content.decode()
    assert call("get", url, "dave").status_code == 404
