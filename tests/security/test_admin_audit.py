"""Issue 14, item 4: /admin/ cannot hand out memberships past break-glass, and every admin change is in
the chain. The attack: an operator gave itself an auditor membership in /admin/ and downloaded client
material; only the download was recorded."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.audit.services import audit_verify
from kpo.orgs.models import Membership
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(cast: Cast) -> Client:
    """ops, staff with every permission the admin knows (but not a superuser)."""
    User.objects.filter(pk=cast.ops.pk).update(is_superuser=False)
    cast.ops.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(User.objects.get(pk=cast.ops.pk))
    return client


@pytest.fixture
def superuser(cast: Cast) -> tuple[User, Client]:
    root = User.objects.create_superuser("root", "root@example.com", "root-Passphrase-1")
    client = Client()
    client.force_login(root)
    return root, client


def _sent_to_sign_in(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_an_operator_cannot_give_itself_a_membership(cast: Cast, operator: Client) -> None:
    add = reverse("admin:orgs_membership_add")
    assert _sent_to_sign_in(operator.get(add))  # the admin is for superusers only
    response = operator.post(add, {"user": cast.ops.pk, "organisation": cast.org_a.pk, "role": "auditor"})
    assert _sent_to_sign_in(response)
    membership = Membership.objects.get(user=cast.bob, organisation=cast.org_a)
    change = reverse("admin:orgs_membership_change", args=[membership.pk])
    operator.post(change, {"user": cast.ops.pk, "organisation": cast.org_a.pk, "role": "auditor"})
    assert _sent_to_sign_in(
        operator.post(reverse("admin:orgs_membership_delete", args=[membership.pk]), {"post": "yes"})
    )
    # nor through the organisation's inline
    organisation_change = reverse("admin:orgs_organisation_change", args=[cast.org_a.pk])
    operator.post(
        organisation_change,
        {
            "name": cast.org_a.name,
            "slug": cast.org_a.slug,
            "kind": cast.org_a.kind,
            "country": cast.org_a.country,
            "time_zone": cast.org_a.time_zone,
            "currency": cast.org_a.currency,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": cast.ops.pk,
            "memberships-0-role": "auditor",
        },
    )
    assert not Membership.objects.filter(user=cast.ops).exists()
    assert Membership.objects.get(pk=membership.pk).user == cast.bob


def test_an_operator_cannot_make_itself_a_superuser(cast: Cast, operator: Client) -> None:
    change = reverse("admin:auth_user_change", args=[cast.ops.pk])
    data = {
        "username": "ops",
        "first_name": "Olga",
        "last_name": "Operator",
        "email": "ops@example.com",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    assert _sent_to_sign_in(operator.post(change, data))
    assert not User.objects.get(pk=cast.ops.pk).is_superuser


def test_the_bulk_delete_that_bypasses_the_trail_is_gone() -> None:
    assert "delete_selected" not in dict(admin.site.actions)


def test_a_superusers_admin_changes_are_recorded(cast: Cast, superuser: tuple[User, Client]) -> None:
    root, client = superuser
    add = reverse("admin:orgs_membership_add")
    response = client.post(add, {"user": cast.erin.pk, "organisation": cast.org_a.pk, "role": "auditor"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=cast.erin, organisation=cast.org_a)
    added = AuditEntry.objects.get(event=AuditEvent.ADMIN_ACTION)
    assert added.actor_id == root.pk
    assert added.details["action"] == "add" and added.details["model"] == "orgs.membership"
    assert added.object_id == str(membership.pk)
    delete = reverse("admin:orgs_membership_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    deleted = AuditEntry.objects.filter(event=AuditEvent.ADMIN_ACTION).last()
    assert deleted is not None and deleted.details["action"] == "delete" and deleted.actor_id == root.pk
    assert audit_verify().result.ok


def test_privileges_given_in_the_admin_are_recorded_twice_over(
    cast: Cast, superuser: tuple[User, Client]
) -> None:
    root, client = superuser
    change = reverse("admin:auth_user_change", args=[cast.erin.pk])
    page = client.get(change)
    assert page.status_code == 200
    data = {
        "username": "erin",
        "first_name": "Erin",
        "last_name": "Idle",
        "email": "erin@example.com",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    privileges = AuditEntry.objects.get(event=AuditEvent.USER_PRIVILEGES_CHANGED)
    assert privileges.actor_id == root.pk
    assert privileges.details["changes"]["is_superuser"] == [False, True]
    admin_entry = AuditEntry.objects.get(event=AuditEvent.ADMIN_ACTION)
    assert admin_entry.details["model"] == "auth.user" and admin_entry.details["action"] == "change"


def test_organisation_settings_changed_in_the_admin_are_recorded(
    cast: Cast, superuser: tuple[User, Client]
) -> None:
    root, client = superuser
    change = reverse("admin:orgs_organisation_change", args=[cast.org_a.pk])
    data = {
        "name": "Acme Gear Holding A/S",
        "slug": cast.org_a.slug,
        "kind": cast.org_a.kind,
        "provider_type": "",
        "country": cast.org_a.country,
        "time_zone": cast.org_a.time_zone,
        "currency": cast.org_a.currency,
        "description": "",
        "postal_address": "",
        "vat_number": "",
        "payment_terms_days": "30",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    settings_entry = AuditEntry.objects.get(event=AuditEvent.ORG_SETTINGS_CHANGED)
    assert settings_entry.actor_id == root.pk and settings_entry.organisation_id == cast.org_a.pk
    assert settings_entry.details["changes"]["name"] == ["Acme Gear A/S", "Acme Gear Holding A/S"]
    admin_entry = AuditEntry.objects.get(event=AuditEvent.ADMIN_ACTION)
    assert admin_entry.organisation_id == cast.org_a.pk and admin_entry.actor_id == root.pk
