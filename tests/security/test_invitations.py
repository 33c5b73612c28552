"""Issue 14, item 3: an invitation link works only for the invited address.

The attack: the bank's admin opened the manufacturer's auditor invitation, became its auditor and
downloaded a confidential document; nothing reached the audit log.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.audit.services import audit_verify
from kpo.orgs import services
from kpo.orgs.models import Invitation, Membership
from tests.cast import Cast

pytestmark = pytest.mark.django_db

INVITED = "mette.kjaer@nordvind.example"


def _invite(cast: Cast, email: str = INVITED) -> tuple[Invitation, str]:
    invitation, link = services.invitation_create(
        organisation=cast.org_a,
        invited_by=cast.alice,
        email=email,
        role="auditor",
        site_url="http://testserver",
    )
    return invitation, link.removeprefix("http://testserver")


def _refusals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=AuditEvent.INVITATION_REFUSED).order_by("seq"))


def test_the_banks_admin_cannot_use_the_manufacturers_auditor_invitation(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    invitation, path = _invite(cast)
    dave = client_for("dave")
    for method in ("get", "post"):
        response = getattr(dave, method)(path)
        assert response.status_code == 403, method
        body = response.content.decode()
        assert "m***@nordvind.example" in body and INVITED not in body
    assert not Membership.objects.filter(user=cast.dave, organisation=cast.org_a).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    refusals = _refusals()
    assert len(refusals) == 2
    assert {entry.actor_id for entry in refusals} == {cast.dave.pk}
    assert {entry.organisation_id for entry in refusals} == {cast.org_a.pk}
    assert refusals[-1].details["email"] == "m***@nordvind.example"
    assert audit_verify().result.ok


def test_the_service_refuses_too_and_the_refusal_stays_recorded(cast: Cast) -> None:
    _invitation, path = _invite(cast)
    token = path.strip("/").rsplit("/", 1)[-1]
    with pytest.raises(services.InvitationRefused) as refused:
        services.invitation_accept(token=token, user=cast.dave)
    assert refused.value.status == 403 and "m***@nordvind.example" in refused.value.message
    assert len(_refusals()) == 1
    assert not Membership.objects.filter(user=cast.dave, organisation=cast.org_a).exists()


def test_the_invited_address_accepts_whatever_its_case(cast: Cast) -> None:
    _invitation, path = _invite(cast)
    mette = User.objects.create_user("mette", email="Mette.Kjaer@NORDVIND.example", password="x-Long-pass-99")
    client = Client()
    client.force_login(mette)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=mette, organisation=cast.org_a, role="auditor").exists()
    events = list(AuditEntry.objects.order_by("seq").values_list("event", flat=True))
    assert events[-2:] == [AuditEvent.MEMBERSHIP_CREATED, AuditEvent.INVITATION_ACCEPTED]
    assert not _refusals()


def test_an_account_without_an_address_is_refused(cast: Cast) -> None:
    _invitation, path = _invite(cast)
    nobody = User.objects.create_user("noaddress", email="", password="x-Long-pass-99")
    client = Client()
    client.force_login(nobody)
    assert client.post(path).status_code == 403
    assert not Membership.objects.filter(user=nobody).exists()


def test_a_new_visitor_gets_an_account_with_the_invited_address(cast: Cast) -> None:
    _invitation, path = _invite(cast)
    response = Client().post(
        path,
        {
            "username": "mette",
            "first_name": "Mette",
            "last_name": "Kjær",
            "password1": "a-long-Passphrase-77",
            "password2": "a-long-Passphrase-77",
        },
    )
    assert response.status_code == 302
    mette = User.objects.get(username="mette")
    assert mette.email == INVITED
    assert Membership.objects.filter(user=mette, organisation=cast.org_a, role="auditor").exists()
    assert AuditEntry.objects.filter(event=AuditEvent.INVITATION_ACCEPTED, actor_id=mette.pk).exists()
