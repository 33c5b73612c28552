"""The SOW pages: the flow through the forms, clear errors, the PDF, what experts see, the task panel,
the API's answers and fixed query counts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from kpo.contracts import services
from kpo.contracts.models import SowStatus, SowVersion, StatementOfWork, TaskSowLink
from kpo.orgs.services import api_token_create
from tests.cast import Cast
from tests.contracts.test_services import TERMS, approved, draft

pytestmark = pytest.mark.django_db


def _sow_url(cast: Cast) -> str:
    return reverse("engagement_sow", kwargs={"engagement_id": cast.engagement_a.pk})


def test_client_drafts_proposes_and_both_sides_approve_through_the_pages(cast: Cast, client_for: Any) -> None:
    alice, pete = client_for("alice"), client_for("pete")
    new = reverse("sow_create", kwargs={"engagement_id": cast.engagement_a.pk})
    bad = alice.post(new, {**TERMS, "scope": "", "items": "D1 without colon"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "This section is required" in body and "Line 1" in body
    assert not StatementOfWork.objects.exists()
    assert alice.post(new, TERMS).status_code == 302
    version = SowVersion.objects.get()
    assert pete.get(reverse("sow_version_detail", kwargs={"sow_version_id": version.pk})).status_code == 404
    assert pete.post(new, TERMS).status_code == 403
    alice.post(reverse("sow_version_propose", kwargs={"sow_version_id": version.pk}))
    page = pete.get(_sow_url(cast)).content.decode()
    assert "Sign and approve" in page and "Efficiency report" in page
    approve_url = reverse("sow_version_approve", kwargs={"sow_version_id": version.pk})
    wrong = pete.post(approve_url, {"typed_name": "Bob", "content_sha256": version.content_sha256})
    assert wrong.status_code == 400 and "Pete Manager" in wrong.content.decode()
    stale = pete.post(approve_url, {"typed_name": "Pete Manager", "content_sha256": "f" * 64})
    assert stale.status_code == 400 and "changed since you opened it" in stale.content.decode()
    assert (
        pete.post(
            approve_url, {"typed_name": "Pete Manager", "content_sha256": version.content_sha256}
        ).status_code
        == 302
    )
    assert (
        alice.post(
            approve_url, {"typed_name": "Alice Admin", "content_sha256": version.content_sha256}
        ).status_code
        == 302
    )
    version.refresh_from_db()
    assert version.status == SowStatus.APPROVED
    pdf = alice.get(reverse("sow_version_pdf", kwargs={"sow_version_id": version.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Efficiency report" in text and "Pete Manager" in text and version.content_sha256 in text


def test_a_counter_proposal_shows_its_changes(cast: Cast, client_for: Any) -> None:
    version = services.sow_propose(user=cast.alice, version=draft(cast))
    pete = client_for("pete")
    edit = reverse("sow_version_edit", kwargs={"sow_version_id": version.pk})
    assert "counter-proposal" in pete.get(edit).content.decode()
    assert pete.post(edit, {**TERMS, "scope": "Measure only line 2."}).status_code == 302
    counter = SowVersion.objects.get(number=2)
    page = pete.get(reverse("sow_version_detail", kwargs={"sow_version_id": counter.pk})).content.decode()
    assert "Changes from version 1" in page and 'class="added">Measure only line 2.' in page
    assert 'class="removed">Measure the gearbox' in page


def test_experts_read_only_the_approved_version(cast: Cast, client_for: Any) -> None:
    carol = client_for("carol")
    first = draft(cast)
    engagement_page = reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    assert "Statement of work" not in carol.get(engagement_page).content.decode()
    services.sow_propose(user=cast.alice, version=first)
    for user, name in ((cast.alice, "Alice Admin"), (cast.pete, "Pete Manager")):
        services.sow_approve(user=user, version=first, typed_name=name, content_sha256=first.content_sha256)
    assert "Statement of work" in carol.get(engagement_page).content.decode()
    change = services.sow_change_request(user=cast.alice, engagement=cast.engagement_a, reason="More.")
    services.sow_propose(user=cast.alice, version=change)
    page = carol.get(_sow_url(cast)).content.decode()
    assert "Efficiency report" in page and "More." not in page and "Sign and approve" not in page
    assert carol.get(reverse("sow_version_pdf", kwargs={"sow_version_id": first.pk})).status_code == 200
    assert carol.get(reverse("sow_version_pdf", kwargs={"sow_version_id": change.pk})).status_code == 404
    assert client_for("erin").get(_sow_url(cast)).status_code == 404


def test_the_task_panel_links_the_task_to_an_item(cast: Cast, client_for: Any) -> None:
    approved(cast)
    task_url = reverse("task_detail", kwargs={"task_id": cast.task_a.pk})
    pete = client_for("pete")
    assert "SOW item" in pete.get(task_url).content.decode()
    link = reverse("task_sow_link", kwargs={"task_id": cast.task_a.pk})
    assert pete.post(link, {"code": "D2"}).status_code == 302
    assert TaskSowLink.objects.get().code == "D2"
    pete.post(link, {"code": "NOPE"})
    assert TaskSowLink.objects.get().code == "D2"
    assert client_for("carol").post(link, {"code": "D1"}).status_code == 403
    assert "Cleaned data set" in client_for("carol").get(task_url).content.decode()


def test_the_sow_page_keeps_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    approved(cast)
    for n in range(3):
        change = services.sow_change_request(
            user=cast.alice, engagement=cast.engagement_a, reason=f"Change {n}"
        )
        services.sow_propose(user=cast.alice, version=change)
        for user, name in ((cast.alice, "Alice Admin"), (cast.pete, "Pete Manager")):
            services.sow_approve(
                user=user, version=change, typed_name=name, content_sha256=change.content_sha256
            )
    alice = client_for("alice")
    with django_assert_max_num_queries(30):
        assert alice.get(_sow_url(cast)).status_code == 200


def test_the_api_drafts_and_signs_and_answers_bad_values_with_422(cast: Cast) -> None:
    def bearer(user: Any) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    api = Client()
    url = f"/api/engagements/{cast.engagement_a.pk}/sow"
    body = {**{k: v for k, v in TERMS.items() if k != "items"}, "items": [{"code": "D1", "title": "Report"}]}
    bad = api.post(
        url,
        {**body, "items": [{"code": "D 1", "title": "x"}]},
        content_type="application/json",
        **bearer(cast.alice),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "items"
    made = api.post(url, body, content_type="application/json", **bearer(cast.alice))
    assert made.status_code == 201
    version = made.json()
    api.post(
        f"/api/sow-versions/{version['id']}/propose", content_type="application/json", **bearer(cast.alice)
    )
    stale = api.post(
        f"/api/sow-versions/{version['id']}/approve",
        {"typed_name": "Pete Manager", "content_sha256": "a" * 64},
        content_type="application/json",
        **bearer(cast.pete),
    )
    assert stale.status_code == 409 and stale.json()["errors"][0]["field"] == "content_sha256"
    signed = api.post(
        f"/api/sow-versions/{version['id']}/approve",
        {"typed_name": "Pete Manager", "content_sha256": version["content_sha256"]},
        content_type="application/json",
        **bearer(cast.pete),
    )
    assert signed.status_code == 200 and [a["side"] for a in signed.json()["approvals"]] == ["provider"]
    read = api.get(url, **bearer(cast.pete)).json()
    assert read["side"] == "provider" and read["versions"][0]["status"] == "proposed"
