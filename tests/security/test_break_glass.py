"""Issue 14, item 4: operators do not open client material without a break-glass grant that the
client's admin approved; every request, decision, use and expiry is in the chain and on the page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.audit.services import audit_verify
from kpo.confidentiality.tokens import document_url
from kpo.core.errors import DomainError
from kpo.orgs import break_glass
from kpo.orgs.jobs import record_break_glass_expiries
from kpo.orgs.models import BreakGlassGrant, BreakGlassState
from kpo.redaction.models import SensitiveTerm
from tests.break_glass import approved_break_glass
from tests.cast import SECRET_A, Cast

pytestmark = pytest.mark.django_db


def _page(cast: Cast) -> str:
    return reverse("break_glass", kwargs={"organisation_id": cast.org_a.pk})


def _decide(cast: Cast, grant: BreakGlassGrant, action: str) -> str:
    return reverse(f"break_glass_{action}", kwargs={"organisation_id": cast.org_a.pk, "grant_id": grant.pk})


def _events() -> list[str]:
    return list(
        AuditEntry.objects.filter(event__startswith="break_glass")
        .order_by("seq")
        .values_list("event", flat=True)
    )


@pytest.fixture
def confidential(cast: Cast):  # type: ignore[no-untyped-def]
    document = cast.document_a
    document.confidentiality = "confidential"
    document.file.save("brief.txt", io.BytesIO(f"The {SECRET_A} brief.".encode()), save=True)
    return document


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_an_operator_without_a_grant_opens_nothing(cast: Cast, client_for, confidential) -> None:  # type: ignore[no-untyped-def]
    ops = client_for("ops")
    response = ops.get(document_url(cast.ops.pk, confidential))
    assert response.status_code == 404 and SECRET_A.encode() not in _body(response)
    assert ops.get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).status_code == 404
    assert (
        ops.get(reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})).status_code
        == 404
    )


def test_request_approve_use_and_expire(cast: Cast, client_for, confidential) -> None:  # type: ignore[no-untyped-def]
    ops, alice = client_for("ops"), client_for("alice")
    assert ops.post(_page(cast), {"reason": "Support case 4711", "hours": "2"}).status_code == 302
    grant = BreakGlassGrant.objects.get()
    assert grant.status == BreakGlassState.REQUESTED and grant.operator == cast.ops
    # waiting for approval opens nothing, and the operator cannot approve its own request
    assert ops.get(document_url(cast.ops.pk, confidential)).status_code == 404
    assert ops.post(_decide(cast, grant, "approve")).status_code == 403
    assert alice.post(_decide(cast, grant, "approve")).status_code == 302
    grant.refresh_from_db()
    assert grant.status == BreakGlassState.APPROVED and grant.decided_by == cast.alice
    assert grant.expires_at is not None and grant.expires_at - grant.decided_at == dt.timedelta(hours=2)  # type: ignore[operator]

    response = client_for("ops").get(document_url(cast.ops.pk, confidential))
    assert response.status_code == 200 and SECRET_A.encode() in _body(response)
    download = AuditEntry.objects.get(event=AuditEvent.DOWNLOAD)
    assert download.actor_id == cast.ops.pk and download.organisation_id == cast.org_a.pk
    used = AuditEntry.objects.filter(event=AuditEvent.BREAK_GLASS_USED).last()
    assert used is not None and used.actor_id == cast.ops.pk and used.organisation_id == cast.org_a.pk
    assert used.details["path"].endswith("/download")
    # the operator reads, never writes
    edit = reverse("engagement_edit", kwargs={"engagement_id": cast.engagement_a.pk})
    assert client_for("ops").post(edit, {"title": "Changed"}).status_code == 403

    # it runs out by itself: checked at use, recorded by the periodic job once
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client_for("ops").get(document_url(cast.ops.pk, confidential)).status_code == 404
    assert record_break_glass_expiries.call() == {"expired": 1}
    assert record_break_glass_expiries.call() == {"expired": 0}
    events = _events()
    assert events[:2] == [AuditEvent.BREAK_GLASS_REQUESTED, AuditEvent.BREAK_GLASS_APPROVED]
    assert events[-1] == AuditEvent.BREAK_GLASS_EXPIRED and AuditEvent.BREAK_GLASS_USED in events
    assert audit_verify().result.ok

    # the client's admin sees every step on the page
    body = alice.get(_page(cast)).content.decode()
    for label in (
        "Break-glass access requested",
        "Break-glass access approved",
        "Break-glass access used",
        "Break-glass access expired",
    ):
        assert label in body, label
    assert "Support case 4711" in body and "Expired" in body


def test_a_refused_or_ended_grant_opens_nothing(cast: Cast, client_for, confidential) -> None:  # type: ignore[no-untyped-def]
    refused = break_glass.request_access(operator=cast.ops, organisation=cast.org_a, reason="case 1", hours=1)
    assert client_for("alice").post(_decide(cast, refused, "refuse")).status_code == 302
    assert BreakGlassGrant.objects.get(pk=refused.pk).status == BreakGlassState.REFUSED
    assert client_for("ops").get(document_url(cast.ops.pk, confidential)).status_code == 404
    grant = break_glass.request_access(operator=cast.ops, organisation=cast.org_a, reason="case 2", hours=4)
    break_glass.decide(admin=cast.alice, grant=grant, approve=True)
    assert client_for("ops").get(document_url(cast.ops.pk, confidential)).status_code == 200
    assert client_for("alice").post(_decide(cast, grant, "end")).status_code == 302
    assert client_for("ops").get(document_url(cast.ops.pk, confidential)).status_code == 404
    assert AuditEvent.BREAK_GLASS_REFUSED in _events() and AuditEvent.BREAK_GLASS_ENDED in _events()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "case", "hours": "0"}, "hours"),
        ({"reason": "case", "hours": "25"}, "hours"),
        ({"reason": "case", "hours": "two"}, "hours"),
        ({"reason": "", "hours": "2"}, "reason"),
    ],
)
def test_bad_requests_name_the_field_and_change_nothing(cast: Cast, client_for, data, field) -> None:  # type: ignore[no-untyped-def]
    response = client_for("ops").post(_page(cast), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not BreakGlassGrant.objects.exists() and not _events()


def test_who_sees_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    break_glass.request_access(operator=cast.ops, organisation=cast.org_a, reason=SECRET_A, hours=1)
    assert client_for("alice").get(_page(cast)).status_code == 200
    assert SECRET_A in client_for("ops").get(_page(cast)).content.decode()  # the operator's own request
    for name in ("bob", "aud", "ivan"):
        assert client_for(name).get(_page(cast)).status_code == 403, name
    for name in ("dave", "pete", "quinn", "erin"):
        assert client_for(name).get(_page(cast)).status_code == 404, name
    provider = reverse("break_glass", kwargs={"organisation_id": cast.provider_p.pk})
    assert client_for("ops").get(provider).status_code == 404
    assert client_for("pete").get(provider).status_code == 404
    # only operators ask: A's admin posting the request form is refused
    assert client_for("alice").post(_page(cast), {"reason": "x", "hours": "1"}).status_code == 403
    assert BreakGlassGrant.objects.count() == 1


def test_an_operator_cannot_invite_itself_past_break_glass(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    create = reverse("invitation_create", kwargs={"organisation_id": cast.org_a.pk})
    response = client_for("ops").post(create, {"invite-email": cast.ops.email, "invite-role": "auditor"})
    assert response.status_code == 404  # not a member: the organisation's settings are not found
    approved_break_glass(cast.ops, cast.org_a)
    response = client_for("ops").post(create, {"invite-email": cast.ops.email, "invite-role": "auditor"})
    assert response.status_code == 403  # a reader through the grant, not an admin
    assert not cast.org_a.invitations.exists()


def test_a_clients_sensitive_terms_need_a_grant_too(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    SensitiveTerm.objects.create(client=cast.org_a, term=SECRET_A, category="product")
    url = reverse("sensitive_terms", kwargs={"organisation_id": cast.org_a.pk})
    assert client_for("ops").get(url).status_code == 404
    approved_break_glass(cast.ops, cast.org_a)
    response = client_for("ops").get(url)
    assert response.status_code == 200 and SECRET_A in response.content.decode()
    assert client_for("ops").post(url, {"term": "Leak", "category": "product"}).status_code == 403
    assert SensitiveTerm.objects.filter(client=cast.org_a).count() == 1


def test_the_services_check_who_decides(cast: Cast) -> None:
    grant = break_glass.request_access(operator=cast.ops, organisation=cast.org_a, reason="case", hours=1)
    for name in ("ops", "aud", "dave"):
        with pytest.raises(DomainError):
            break_glass.decide(admin=cast.users()[name], grant=grant, approve=True)
    with pytest.raises(DomainError):
        break_glass.request_access(operator=cast.alice, organisation=cast.org_a, reason="case", hours=1)
    assert BreakGlassGrant.objects.get(pk=grant.pk).status == BreakGlassState.REQUESTED
