"""Writes on organisations, memberships and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kpo.core import trail
from kpo.core.errors import DomainError
from kpo.core.mail import queue_email
from kpo.orgs.events import Event
from kpo.orgs.models import (
    ADMIN_ROLE_VALUES,
    ApiToken,
    Invitation,
    InvitationState,
    Membership,
    Organisation,
    RoleChoice,
)

TOKEN_PREFIX = "kpo_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, read_only: bool = False) -> tuple[ApiToken, str]:
    """Create a token; the plain token is returned once and never stored. It expires after KPO_TOKEN_DAYS."""
    secret = secrets.token_urlsafe(32)
    plain = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(plain),
        read_only=read_only,
    )
    token.full_clean()
    token.save()
    trail.record(Event.TOKEN_CREATED, ("api_token", token.pk), None, {"name": token.name}, actor=user)
    return token, plain


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise DomainError(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        trail.record(Event.TOKEN_REVOKED, ("api_token", token.pk), None, {"name": token.name}, actor=user)
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every live token of the user (their password changed); the number revoked."""
    now = timezone.now()
    return ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )


class ExpiredToken(Exception):
    """The token is genuine but its time is up."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__(token.expires_at)
        self.token = token


def api_token_authenticate(plain: str) -> ApiToken | None:
    """The live token `plain` names (its user active), or None; ExpiredToken when it has expired."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(plain), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.is_expired(now):
        raise ExpiredToken(token)
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, actor: User | None = None
) -> Membership:
    membership = Membership(organisation=organisation, user=user, role=role)
    membership.full_clean()
    membership.save()
    _record_membership(Event.MEMBERSHIP_CREATED, membership, actor)
    return membership


def _record_membership(event: str, membership: Membership, actor: User | None, **extra: object) -> None:
    details = {"user": membership.user.get_username(), "role": membership.role, **extra}
    target = ("membership", membership.pk or "")
    trail.record(event, target, membership.organisation, details, actor=actor)


# --- organisation settings: invitations and members ------------------------------------------------
MAX_INVITATION_TOKEN = 200


def _is_admin_of(user: User, organisation: Organisation) -> bool:
    """Operators are not admins of client organisations: they reach client material by break-glass."""
    return Membership.objects.filter(
        user_id=user.pk, organisation_id=organisation.pk, role__in=ADMIN_ROLE_VALUES
    ).exists()


def _require_admin(user: User, organisation: Organisation) -> None:
    if not _is_admin_of(user, organisation):
        raise DomainError(_("Only the organisation's admins manage its members and invitations."))


def _forget_cached_memberships(user: User) -> None:
    """kpo.orgs.selectors.memberships_of caches on the user object; drop it after a change."""
    user.__dict__.pop("_kpo_memberships", None)


def invitation_link(site_url: str, token: str) -> str:
    return f"{site_url.rstrip('/')}{reverse('invitation_accept', kwargs={'token': token})}"


def _queue_invitation(*, invitation: Invitation, link: str, inviter: User) -> None:
    """Have the worker e-mail the invitee once the invitation commits, in the inviter's language (the
    invitee may have no account, so no language of their own). A mail failure never undoes the
    invitation: the worker retries, and the admin has the link to pass on."""
    role = str(RoleChoice(invitation.role).label)
    organisation = invitation.organisation.name
    subject = _("You are invited to join %(organisation)s on kpo") % {"organisation": organisation}
    body = _(
        "%(inviter)s invites you to join %(organisation)s on kpo as %(role)s.\n\n"
        "Accept the invitation here:\n%(link)s\n\n"
        "The link works once and until %(expires)s. If you did not expect it, ignore this e-mail."
    ) % {
        "inviter": inviter.get_full_name() or inviter.get_username(),
        "organisation": organisation,
        "role": role.lower(),
        "link": link,
        "expires": date_format(timezone.localtime(invitation.expires_at), "j M Y"),
    }
    queue_email(to=[invitation.email], subject=subject, body=body)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, invited_by: User, email: str, role: str, site_url: str
) -> tuple[Invitation, str]:
    """Invite `email` to join `organisation` as `role`; returns the invitation and its link (shown once).

    Validates: the inviter is an admin of the organisation, the e-mail address, the role for this kind
    of organisation, and that no open invitation for the same address exists. The e-mail with the link
    is queued for the worker after the commit.
    """
    _require_admin(invited_by, organisation)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    now = timezone.now()
    duplicate = (
        Invitation.objects.select_for_update()
        .filter(
            organisation=organisation,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .exists()
    )
    if duplicate:
        raise DomainError(
            _("%(email)s already has an open invitation to this organisation. Revoke it to send a new one.")
            % {"email": email},
            field="email",
        )
    plain = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_token(plain),
        invited_by=invited_by,
    )
    invitation.full_clean()
    invitation.save()
    _record_invitation(Event.INVITATION_CREATED, invitation, invited_by)
    link = invitation_link(site_url, plain)
    _queue_invitation(invitation=invitation, link=link, inviter=invited_by)
    return invitation, link


def _open_invitation(token: str) -> Invitation:
    """The invitation for `token`, locked, if it can still be accepted; else a DomainError saying why."""
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        if 0 < len(token) <= MAX_INVITATION_TOKEN
        else None
    )
    if invitation is None:
        raise DomainError(
            _("This invitation link is not valid. Check that you copied all of it."), field="token"
        )
    state = invitation.state
    if state == InvitationState.ACCEPTED:
        raise DomainError(_("This invitation has already been used."), field="token")
    if state == InvitationState.REVOKED:
        raise DomainError(
            _("This invitation was withdrawn. Ask the organisation for a new one."), field="token"
        )
    if state == InvitationState.EXPIRED:
        raise DomainError(
            _("This invitation has expired. Ask the organisation for a new one."), field="token"
        )
    return invitation


def _record_invitation(event: str, invitation: Invitation, actor: User | None, **extra: object) -> None:
    details = {"email": mask_email(invitation.email), "role": invitation.role, **extra}
    trail.record(event, ("invitation", invitation.pk), invitation.organisation, details, actor=actor)


def _join(invitation: Invitation, user: User) -> Membership:
    membership = Membership.objects.filter(
        organisation_id=invitation.organisation_id, user=user, role=invitation.role
    ).first()
    if membership is None:
        membership = membership_add(
            organisation=invitation.organisation, user=user, role=invitation.role, actor=user
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    _record_invitation(Event.INVITATION_ACCEPTED, invitation, user, user=user.get_username())
    _forget_cached_memberships(user)
    return membership


class InvitationRefused(DomainError):
    """The invitation is for another e-mail address than the signed-in account's."""

    status = 403


def mask_email(email: str) -> str:
    """m***@nordvind.example: enough for the invitee to recognise the address, not to learn it."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def is_invited_address(invitation: Invitation, user: User) -> bool:
    return bool(user.email) and user.email.strip().casefold() == invitation.email.strip().casefold()


def invitation_refusal(invitation: Invitation) -> str:
    return _(
        "This invitation is for %(email)s. Sign in with the account for that address, "
        "or ask the organisation to invite the address of this account."
    ) % {"email": mask_email(invitation.email)}


def refuse_invitation(*, invitation: Invitation, user: User) -> InvitationRefused:
    """Record that `user` tried an invitation meant for another address; the error to raise."""
    with transaction.atomic():
        _record_invitation(Event.INVITATION_REFUSED, invitation, user, user=user.get_username())
    return InvitationRefused(invitation_refusal(invitation), field="token")


def invitation_accept(*, token: str, user: User) -> Membership:
    """A signed-in user accepts: they become a member in the invited role (once; the link is then used).

    Only the account whose e-mail address is the invited one (case aside) may accept; any other is
    refused (InvitationRefused) and the attempt is recorded.
    """
    with transaction.atomic():
        invitation = _open_invitation(token)
        if not user.is_active:
            raise DomainError(_("This account is not active."))
        if is_invited_address(invitation, user):
            return _join(invitation, user)
    raise refuse_invitation(invitation=invitation, user=user)


@transaction.atomic
def invitation_accept_with_account(
    *, token: str, username: str, first_name: str, last_name: str, password: str
) -> tuple[User, Membership]:
    """A new visitor creates an account (with the invited e-mail address) and joins, all or nothing.

    Validates the username (format, not taken), the name and the password (Django's validators).
    """
    invitation = _open_invitation(token)
    user = User(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=invitation.email,
    )
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user, _join(invitation, user)


@transaction.atomic
def invitation_revoke(*, user: User, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation (its link stops working). Revoking twice changes nothing."""
    _require_admin(user, invitation.organisation)
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been accepted; remove the member instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        _record_invitation(Event.INVITATION_REVOKED, invitation, user)
    return invitation


def _admins_left(organisation: Organisation, *, without: User, keeping: Iterable[str] = ()) -> bool:
    """Whether the organisation still has an admin if `without` keeps only the roles `keeping`."""
    if ADMIN_ROLE_VALUES & set(keeping):
        return True
    return (
        Membership.objects.filter(organisation=organisation, role__in=ADMIN_ROLE_VALUES)
        .exclude(user_id=without.pk)
        .exists()
    )


def _lock_members(organisation: Organisation, member: User) -> list[Membership]:
    """Lock the organisation's admins and the member's memberships (two admins cannot demote each other
    at once); return the member's."""
    locked = Membership.objects.select_for_update().filter(
        Q(role__in=ADMIN_ROLE_VALUES) | Q(user_id=member.pk), organisation=organisation
    )
    return [m for m in locked if m.user_id == member.pk]


@transaction.atomic
def membership_set_roles(
    *, user: User, organisation: Organisation, member: User, roles: Iterable[str]
) -> list[Membership]:
    """Give `member` exactly `roles` in `organisation` (adds and removes memberships).

    Validates: the acting user is an admin, at least one role (remove the member otherwise), every
    role exists for this kind of organisation, and the organisation keeps at least one admin.
    """
    _require_admin(user, organisation)
    wanted = set(roles)
    if not wanted:
        raise DomainError(_("Choose at least one role, or remove the member instead."), field="roles")
    memberships = _lock_members(organisation, member)
    if not memberships:
        raise DomainError(_("This person is not a member of the organisation."))
    for role in sorted(wanted):
        candidate = Membership(organisation=organisation, user=member, role=role)
        try:
            candidate.clean_fields(exclude=["user", "organisation"])
            candidate.clean()
        except ValidationError as error:
            raise ValidationError({"roles": error.messages}) from error
    if not _admins_left(organisation, without=member, keeping=wanted):
        raise DomainError(
            _("%(name)s is the organisation's last admin. Make someone else an admin first.")
            % {"name": member.get_full_name() or member.get_username()},
            field="roles",
        )
    have = {m.role for m in memberships}
    Membership.objects.filter(organisation=organisation, user=member, role__in=have - wanted).delete()
    for role in sorted(wanted - have):
        Membership(organisation=organisation, user=member, role=role).save()
    if have != wanted:
        details = {"user": member.get_username(), "roles": [sorted(have), sorted(wanted)]}
        trail.record(Event.MEMBERSHIP_ROLE_CHANGED, ("user", member.pk), organisation, details, actor=user)
    _forget_cached_memberships(member)
    if member.pk == user.pk:
        _forget_cached_memberships(user)
    return list(Membership.objects.filter(organisation=organisation, user=member).order_by("role"))


@transaction.atomic
def membership_remove(*, user: User, organisation: Organisation, member: User) -> None:
    """Take `member` out of `organisation` (every role). The last admin cannot be removed."""
    _require_admin(user, organisation)
    memberships = _lock_members(organisation, member)
    if not memberships:
        raise DomainError(_("This person is not a member of the organisation."))
    if not _admins_left(organisation, without=member):
        raise DomainError(
            _(
                "%(name)s is the organisation's last admin and cannot be removed. "
                "Make someone else an admin first."
            )
            % {"name": member.get_full_name() or member.get_username()}
        )
    Membership.objects.filter(organisation=organisation, user=member).delete()
    details = {"user": member.get_username(), "roles": sorted(m.role for m in memberships)}
    trail.record(Event.MEMBERSHIP_REMOVED, ("user", member.pk), organisation, details, actor=user)
    _forget_cached_memberships(member)
    if member.pk == user.pk:
        _forget_cached_memberships(user)
