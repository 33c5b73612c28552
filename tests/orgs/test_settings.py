"""Organisation settings: members and roles, invitations by e-mail, and the public invitation page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.core.errors import DomainError
from kpo.orgs import services
from kpo.orgs.models import Invitation, Membership
from kpo.orgs.services import hash_token, invitation_create
from tests.cast import SECRET_A, Cast

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def org_url(cast: Cast) -> str:
    return reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk})


def invite_url(cast: Cast) -> str:
    return reverse("invitation_create", kwargs={"organisation_id": cast.org_a.pk})


def member_url(cast: Cast, user: User, name: str = "member_edit") -> str:
    return reverse(name, kwargs={"organisation_id": cast.org_a.pk, "member_id": user.pk})


def invite(
    cast: Cast, email: str = "new.person@example.com", role: str = "requester"
) -> tuple[Invitation, str]:
    invitation, link = invitation_create(
        organisation=cast.org_a, invited_by=cast.alice, email=email, role=role, site_url="http://testserver"
    )
    return invitation, link.removeprefix("http://testserver")


def roles(cast: Cast, user: User) -> set[str]:
    return set(Membership.objects.filter(organisation=cast.org_a, user=user).values_list("role", flat=True))


# --- the organisation page ---------------------------------------------------------------------------


def test_admins_see_the_settings_members_see_the_list(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice").get(org_url(cast)).content.decode()
    assert "Invite someone" in alice and member_url(cast, cast.bob) in alice
    assert "Bob Requester" in alice and "Client admin" in alice
    for name in ("bob", "aud"):
        body = client_for(name).get(org_url(cast)).content.decode()
        assert "Bob Requester" in body and "Invite someone" not in body
        assert member_url(cast, cast.bob) not in body
    pete = client_for("pete").get(
        reverse("organisation_detail", kwargs={"organisation_id": cast.provider_p.pk})
    )
    assert "Invite someone" in pete.content.decode()
    # operators do not manage a client's people: they could invite themselves past break-glass
    assert "Invite someone" not in client_for("ops").get(org_url(cast)).content.decode()


def test_organisation_page_keeps_a_fixed_query_count(
    cast: Cast, client_for, django_assert_max_num_queries, settings
) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")

    def count() -> int:
        with django_assert_max_num_queries(14) as captured:
            assert alice.get(org_url(cast)).status_code == 200
        return len(captured.captured_queries)

    settings.KPO_SESSION_IDLE_MINUTES = 0  # no "last seen" writes, which come once a minute
    alice.get(org_url(cast))  # the session's first request records when it began
    before = count()
    for n in range(60):
        user = User.objects.create(username=f"member{n}", first_name="Member", last_name=f"{n:03d}")
        Membership.objects.create(user=user, organisation=cast.org_a, role="requester")
        if n % 2:
            Membership.objects.create(user=user, organisation=cast.org_a, role="auditor")
        invite(cast, email=f"invitee{n}@example.com")
    assert count() == before
    body = alice.get(org_url(cast)).content.decode()
    assert "Page 1 of 2" in body and "64 people" in body
    assert "Member 059" in alice.get(org_url(cast), {"page": "2"}).content.decode()


# --- invitations -------------------------------------------------------------------------------------


def test_invite_shows_the_link_once_and_mails_it(
    cast: Cast, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("alice").post(
            invite_url(cast), {"invite-email": "Nina@Example.com", "invite-role": "requester"}
        )
    assert response.status_code == 200
    link = response.context["new_link"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert link.startswith("http://testserver/invitations/") and link in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert invitation.invited_by == cast.alice and invitation.role == "requester"
    assert dt.timedelta(days=13) < invitation.expires_at - timezone.now() <= dt.timedelta(days=14)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Nina@Example.com"] and cast.org_a.name in message.subject
    assert link in message.body and "Alice Admin" in message.body
    again = client_for("alice").get(org_url(cast)).content.decode()
    assert link not in again and "Nina@Example.com" in again


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"invite-email": "not-an-address", "invite-role": "requester"}, "email", "valid email"),
        ({"invite-email": "", "invite-role": "requester"}, "email", "required"),
        ({"invite-email": "x@example.com", "invite-role": "provider_manager"}, "role", "valid choice"),
        ({"invite-email": "x@example.com", "invite-role": ""}, "role", "required"),
    ],
)
def test_bad_invitations_rerender_with_the_error_next_to_the_field(
    cast: Cast, client_for, data, field, message
) -> None:  # type: ignore[no-untyped-def]
    response = client_for("alice").post(invite_url(cast), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["invite_form"].errors[field])
    body = response.content.decode()
    assert f'id="id_invite-{field}_errors"' in body
    if data["invite-email"]:
        assert f'value="{data["invite-email"]}"' in body  # what the user typed is kept
    assert not Invitation.objects.exists()


def test_no_second_open_invitation_for_the_same_address(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    invite(cast, email="twice@example.com")
    response = client_for("alice").post(
        invite_url(cast), {"invite-email": "TWICE@example.com", "invite-role": "auditor"}
    )
    assert response.status_code == 400
    assert "already has an open invitation" in " ".join(response.context["invite_form"].errors["email"])
    assert Invitation.objects.count() == 1
    # once the first is withdrawn (or used, or expired), a new one may be sent
    Invitation.objects.update(revoked_at=timezone.now())
    invite(cast, email="twice@example.com")
    assert Invitation.objects.count() == 2


def test_the_role_must_exist_in_the_kind_of_organisation(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        invite(cast, role="provider_manager")
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        invitation_create(
            organisation=cast.provider_p,
            invited_by=cast.pete,
            email="x@example.com",
            role="requester",
            site_url="http://testserver",
        )
    assert "role" in error.value.message_dict
    invitation, _link = invitation_create(
        organisation=cast.provider_p,
        invited_by=cast.pete,
        email="x@example.com",
        role="expert",
        site_url="http://testserver",
    )
    assert invitation.organisation == cast.provider_p
    assert not Invitation.objects.filter(role__in=["provider_manager", "requester"]).exists()


def test_only_admins_invite_and_revoke(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    data = {"invite-email": "x@example.com", "invite-role": "requester"}
    assert client_for("bob").post(invite_url(cast), data).status_code == 403
    assert client_for("aud").post(invite_url(cast), data).status_code == 403
    assert client_for("dave").post(invite_url(cast), data).status_code == 404
    assert client_for("pete").post(invite_url(cast), data).status_code == 404
    assert not Invitation.objects.exists()
    with pytest.raises(DomainError):
        invitation_create(
            organisation=cast.org_a, invited_by=cast.bob, email="x@example.com", role="requester", site_url=""
        )
    invitation, _path = invite(cast)
    revoke = reverse(
        "invitation_revoke", kwargs={"organisation_id": cast.org_a.pk, "invitation_id": invitation.pk}
    )
    assert client_for("bob").post(revoke).status_code == 403
    assert client_for("dave").post(revoke).status_code == 404
    other, _ = invitation_create(
        organisation=cast.org_b, invited_by=cast.dave, email="y@example.com", role="auditor", site_url=""
    )
    wrong_org = reverse(
        "invitation_revoke", kwargs={"organisation_id": cast.org_a.pk, "invitation_id": other.pk}
    )
    assert client_for("alice").post(wrong_org).status_code == 404
    invitation.refresh_from_db()
    other.refresh_from_db()
    assert invitation.revoked_at is None and other.revoked_at is None


def test_revoked_link_says_so_and_changes_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    invitation, path = invite(cast)
    revoke = reverse(
        "invitation_revoke", kwargs={"organisation_id": cast.org_a.pk, "invitation_id": invitation.pk}
    )
    assert client_for("alice").get(revoke).status_code == 405
    response = client_for("alice").post(revoke, follow=True)
    assert response.status_code == 200 and "withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    for client in (Client(), client_for("erin")):
        page = client.get(path)
        assert page.status_code == 410 and "was withdrawn" in page.content.decode()
    response = client_for("erin").post(path)
    assert response.status_code == 410
    response = Client().post(
        path,
        {
            "username": "nina",
            "first_name": "Nina",
            "last_name": "New",
            "password1": "a-long-Passphrase-77",
            "password2": "a-long-Passphrase-77",
        },
    )
    assert response.status_code == 410
    assert not User.objects.filter(username="nina").exists()
    assert roles(cast, cast.erin) == set()


def test_expired_and_unknown_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    invitation, path = invite(cast)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client_for("erin").post(path)
    assert response.status_code == 410 and "has expired" in response.content.decode()
    assert roles(cast, cast.erin) == set()
    with pytest.raises(DomainError, match="expired"):
        services.invitation_accept(token=path.strip("/").rsplit("/", 1)[-1], user=cast.erin)
    for bad in ("/invitations/nonsense/", "/invitations/" + "x" * 300 + "/"):
        response = Client().get(bad)
        assert response.status_code == 404 and "not valid" in response.content.decode()


# --- accepting ---------------------------------------------------------------------------------------


def test_a_signed_in_user_accepts_once(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    invitation, path = invite(cast, email="erin@example.com", role="requester")
    erin = client_for("erin")
    page = erin.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert cast.org_a.name in body and "Accept and join" in body and SECRET_A not in body
    response = erin.post(path)
    assert response.status_code == 302 and response["Location"] == org_url(cast)
    assert roles(cast, cast.erin) == {"requester"}
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.accepted_by == cast.erin
    assert erin.get(org_url(cast)).status_code == 200  # now a member
    again = client_for("quinn").post(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert roles(cast, cast.quinn) == set()


def test_a_new_visitor_signs_up_and_joins(cast: Cast) -> None:
    invitation, path = invite(cast, email="nina@example.com", role="auditor")
    client = Client()
    page = client.get(path).content.decode()
    assert "Create account and join" in page and "nina@example.com" in page
    assert f"/login/?next={path}" in page
    data = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "Nielsen",
        "password1": "a-long-Passphrase-77",
        "password2": "a-long-Passphrase-77",
    }
    response = client.post(path, data)
    assert response.status_code == 302 and response["Location"] == org_url(cast)
    nina = User.objects.get(username="nina")
    assert nina.email == "nina@example.com" and nina.check_password("a-long-Passphrase-77")
    assert (nina.first_name, nina.last_name) == ("Nina", "Nielsen")
    assert roles(cast, nina) == {"auditor"}
    assert client.get(reverse("dashboard")).status_code == 200  # signed in
    invitation.refresh_from_db()
    assert invitation.accepted_by == nina


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "entirely numeric"),
        ({"password2": "something-else-42"}, "password2", "differ"),
        ({"username": "bob"}, "username", "already exists"),
        ({"username": "no spaces please"}, "username", "valid username"),
        ({"first_name": ""}, "first_name", "required"),
    ],
)
def test_bad_sign_up_keeps_what_was_typed_and_creates_nothing(cast: Cast, changes, field, message) -> None:  # type: ignore[no-untyped-def]
    invitation, path = invite(cast)
    data = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "Nielsen",
        "password1": "a-long-Passphrase-77",
        "password2": "a-long-Passphrase-77",
        **changes,
    }
    users = User.objects.count()
    response = Client().post(path, data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert f'id="id_{field}_errors"' in body
    assert f'value="{data["username"]}"' in body and 'value="Nielsen"' in body
    assert User.objects.count() == users
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_a_role_already_held_uses_the_link(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    invitation, path = invite(cast, email="BOB@example.com", role="requester")
    assert client_for("bob").post(path).status_code == 302
    assert roles(cast, cast.bob) == {"requester"}
    invitation.refresh_from_db()
    assert invitation.accepted_by == cast.bob


# --- members and roles -------------------------------------------------------------------------------


def test_change_a_members_roles(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    page = alice.get(member_url(cast, cast.bob))
    assert page.status_code == 200
    assert re.search(r'value="requester"[^>]*checked', page.content.decode())
    response = alice.post(member_url(cast, cast.bob), {"roles": ["requester", "auditor"]})
    assert response.status_code == 302 and response["Location"] == org_url(cast) + "#members"
    assert roles(cast, cast.bob) == {"requester", "auditor"}
    response = alice.post(member_url(cast, cast.bob), {"roles": ["client_admin"]})
    assert roles(cast, cast.bob) == {"client_admin"}


def test_bad_role_changes_say_why_and_change_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    for data, message in (
        ({}, "at least one role"),
        ({"roles": ["provider_manager"]}, "valid choice"),
        ({"roles": ["nonsense"]}, "valid choice"),
    ):
        response = alice.post(member_url(cast, cast.bob), data)
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors["roles"])
        assert 'id="id_roles_errors"' in response.content.decode()
    assert roles(cast, cast.bob) == {"requester"}
    # the last admin cannot give up the admin role
    response = alice.post(member_url(cast, cast.alice), {"roles": ["requester"]})
    assert response.status_code == 400
    assert "last admin" in " ".join(response.context["form"].errors["roles"])
    assert re.search(r'value="requester"[^>]*checked', response.content.decode())  # what was ticked stays
    assert roles(cast, cast.alice) == {"client_admin"}


def test_remove_a_member_but_never_the_last_admin(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    assert alice.get(member_url(cast, cast.bob, "member_remove")).status_code == 405
    response = alice.post(member_url(cast, cast.bob, "member_remove"))
    assert response.status_code == 302 and roles(cast, cast.bob) == set()
    assert client_for("bob").get(org_url(cast)).status_code == 404  # no longer a member
    assert alice.get(member_url(cast, cast.bob)).status_code == 404  # nor listed
    response = alice.post(member_url(cast, cast.alice, "member_remove"))
    assert response.status_code == 400 and "last admin" in response.content.decode()
    assert roles(cast, cast.alice) == {"client_admin"}
    # with a second admin, alice may leave
    Membership.objects.create(user=cast.aud, organisation=cast.org_a, role="client_admin")
    response = client_for("alice").post(member_url(cast, cast.alice, "member_remove"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert roles(cast, cast.alice) == set()


def test_member_pages_answer_only_the_organisations_admins(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for name, status in (("bob", 403), ("aud", 403), ("ivan", 403), ("dave", 404), ("pete", 404)):
        assert client_for(name).get(member_url(cast, cast.bob)).status_code == status, name
        assert client_for(name).post(member_url(cast, cast.bob), {"roles": ["auditor"]}).status_code == status
        assert client_for(name).post(member_url(cast, cast.alice, "member_remove")).status_code == status
    # someone who is not a member of A is not found there, even for A's admin
    assert client_for("alice").get(member_url(cast, cast.dave)).status_code == 404
    assert client_for("alice").post(member_url(cast, cast.dave, "member_remove")).status_code == 404
    assert roles(cast, cast.bob) == {"requester"} and roles(cast, cast.alice) == {"client_admin"}
    assert Membership.objects.filter(user=cast.dave).count() == 1
    # the services check too
    with pytest.raises(DomainError):
        services.membership_set_roles(
            user=cast.bob, organisation=cast.org_a, member=cast.bob, roles=["client_admin"]
        )
    with pytest.raises(DomainError):
        services.membership_remove(user=cast.dave, organisation=cast.org_a, member=cast.alice)
    assert client_for("ops").post(member_url(cast, cast.bob), {"roles": ["auditor"]}).status_code == 404
    assert roles(cast, cast.bob) == {"requester"}
