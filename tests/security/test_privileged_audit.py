"""Issue 14, item 4: every privileged change reaches the hash chain (memberships and roles,
invitations, API tokens, passwords and account privileges, organisation settings), with its actor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.audit.services import audit_verify
from kpo.core import trail
from kpo.orgs import services
from kpo.orgs.events import ALL as ORGS_EVENTS
from kpo.orgs.models import ApiToken, Organisation
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _entries(event: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event).order_by("seq"))


def _only(event: str) -> AuditEntry:
    entries = _entries(event)
    assert len(entries) == 1, (event, entries)
    return entries[0]


def test_every_event_orgs_records_is_an_audit_event() -> None:
    assert set(AuditEvent.values) >= ORGS_EVENTS


def test_role_changes_and_removals_are_recorded(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    edit = reverse("member_edit", kwargs={"organisation_id": cast.org_a.pk, "member_id": cast.bob.pk})
    assert alice.post(edit, {"roles": ["requester", "auditor"]}).status_code == 302
    changed = _only(AuditEvent.MEMBERSHIP_ROLE_CHANGED)
    assert changed.actor_id == cast.alice.pk and changed.organisation_id == cast.org_a.pk
    assert changed.details["roles"] == [["requester"], ["auditor", "requester"]]
    remove = reverse("member_remove", kwargs={"organisation_id": cast.org_a.pk, "member_id": cast.bob.pk})
    assert alice.post(remove).status_code == 302
    removed = _only(AuditEvent.MEMBERSHIP_REMOVED)
    assert removed.actor_id == cast.alice.pk and removed.details["roles"] == ["auditor", "requester"]
    assert audit_verify().result.ok


def test_a_refused_role_change_records_nothing(cast: Cast) -> None:
    with pytest.raises(Exception):
        services.membership_set_roles(
            user=cast.alice, organisation=cast.org_a, member=cast.alice, roles=["auditor"]
        )
    assert not _entries(AuditEvent.MEMBERSHIP_ROLE_CHANGED)


def test_invitations_sent_and_withdrawn_are_recorded(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    create = reverse("invitation_create", kwargs={"organisation_id": cast.org_a.pk})
    assert (
        alice.post(create, {"invite-email": "nina@example.com", "invite-role": "requester"}).status_code
        == 200
    )
    sent = _only(AuditEvent.INVITATION_CREATED)
    assert sent.actor_id == cast.alice.pk and sent.organisation_id == cast.org_a.pk
    assert sent.details == {"email": "n***@example.com", "role": "requester"}
    revoke = reverse(
        "invitation_revoke", kwargs={"organisation_id": cast.org_a.pk, "invitation_id": int(sent.object_id)}
    )
    assert alice.post(revoke).status_code == 302
    assert _only(AuditEvent.INVITATION_REVOKED).actor_id == cast.alice.pk


def test_api_tokens_created_and_revoked_on_the_web_and_the_api(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    bob = client_for("bob")
    assert bob.post(reverse("token_list"), {"name": "script"}).status_code == 200
    token = ApiToken.objects.get(user=cast.bob)
    created = _only(AuditEvent.TOKEN_CREATED)
    assert (created.actor_id, created.object_id, created.details) == (
        cast.bob.pk,
        str(token.pk),
        {"name": "script"},
    )
    assert bob.post(reverse("token_revoke", kwargs={"token_id": token.pk})).status_code == 302
    assert _only(AuditEvent.TOKEN_REVOKED).actor_id == cast.bob.pk
    _token, plain = services.api_token_create(user=cast.alice, name="api")
    response = Client().delete(f"/api/tokens/{_token.pk}", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code in {200, 204}
    assert [entry.actor_id for entry in _entries(AuditEvent.TOKEN_REVOKED)] == [cast.bob.pk, cast.alice.pk]


def test_a_password_change_is_recorded_without_the_hash(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    cast.bob.set_password("old-Passphrase-11")
    cast.bob.save()
    assert _only(AuditEvent.PASSWORD_CHANGED).actor_id is None  # outside a request: no actor to name
    bob = client_for("bob")
    response = bob.post(
        reverse("password_change"),
        {
            "old_password": "old-Passphrase-11",
            "new_password1": "a-new-Passphrase-22",
            "new_password2": "a-new-Passphrase-22",
        },
    )
    assert response.status_code == 302
    entry = _entries(AuditEvent.PASSWORD_CHANGED)[-1]
    assert entry.actor_id == cast.bob.pk and entry.object_id == str(cast.bob.pk)
    assert cast.bob.password not in str(entry.details)
    assert audit_verify().result.ok


def test_privileges_and_address_changes_are_recorded(cast: Cast) -> None:
    user = User.objects.get(pk=cast.erin.pk)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    entry = _only(AuditEvent.USER_PRIVILEGES_CHANGED)
    assert entry.details["changes"] == {"is_staff": [False, True], "is_superuser": [False, True]}
    user.email = "erin@elsewhere.example"
    user.is_active = False
    user.save(update_fields=["email", "is_active"])
    last = _entries(AuditEvent.USER_PRIVILEGES_CHANGED)[-1]
    assert last.details["changes"] == {
        "is_active": [True, False],
        "email": ["erin@example.com", "erin@elsewhere.example"],
    }
    user.save(update_fields=["last_login"])  # a sign-in touches nothing privileged
    user.first_name = "Erina"
    user.save()
    assert len(_entries(AuditEvent.USER_PRIVILEGES_CHANGED)) == 2


def test_organisation_settings_changes_are_recorded(cast: Cast) -> None:
    organisation = Organisation.objects.get(pk=cast.org_a.pk)
    organisation.currency = "EUR"
    organisation.time_zone = "Europe/Berlin"
    organisation.save()
    entry = _only(AuditEvent.ORG_SETTINGS_CHANGED)
    assert entry.organisation_id == cast.org_a.pk
    assert entry.details["changes"]["time_zone"] == ["Europe/Copenhagen", "Europe/Berlin"]
    organisation.save()  # saved unchanged: nothing to record
    assert len(_entries(AuditEvent.ORG_SETTINGS_CHANGED)) == 1


def test_a_change_the_trail_cannot_record_is_not_made(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trail, "_recorder", [])
    with pytest.raises(trail.TrailNotConnected):
        services.api_token_create(user=cast.bob, name="unrecorded")
    assert not ApiToken.objects.filter(name="unrecorded").exists()
