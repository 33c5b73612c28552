"""Enrolling, checking, renewing and removing a user's second factor; every change is audited."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kpo.audit.models import AuditEvent
from kpo.audit.services import Actor, audit
from kpo.core.errors import DomainError
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import memberships_of
from kpo.site.two_factor import recovery
from kpo.site.two_factor.policy import requirement

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery codes"


@dataclass(frozen=True)
class State:
    enabled: bool
    since: object
    codes_left: int


def _home_organisation(user: User) -> Organisation | None:
    memberships = memberships_of(user)
    return memberships[0].organisation if memberships else None


def _record(actor: Actor, event: str, user: User, details: dict[str, object] | None = None) -> None:
    audit(actor, event, ("user", user.pk), _home_organisation(user), details)


def confirmed_authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_verified(user: object) -> bool:
    """The session gave its second factor (django-otp's OTPMiddleware sets `is_verified`)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def has_device(user: User) -> bool:
    """A confirmed authenticator or recovery codes left: one query, as the gate asks on every request."""
    authenticators = TOTPDevice.objects.filter(user=user, confirmed=True).values("pk")
    codes = StaticDevice.objects.filter(user=user, confirmed=True, token_set__isnull=False).values("pk")
    return bool(authenticators.union(codes, all=True).exists())


def state(user: User) -> State:
    device = confirmed_authenticator(user)
    codes = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return State(enabled=device is not None, since=device.created_at if device else None, codes_left=codes)


def pending_authenticator(user: User) -> TOTPDevice:
    """The authenticator being set up (unconfirmed), made on first need; one per user."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it by hand: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _code_error() -> DomainError:
    return DomainError(
        _(
            "The code is not right, or it was already used. "
            "Enter the current code from your authenticator app."
        ),
        field="code",
    )


def _replace_codes(user: User) -> list[str]:
    codes = recovery.new_codes()
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY})
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=recovery.hash_code(c)) for c in codes])
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return codes


def enrol(user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code from it; returns it and the new recovery codes."""
    with transaction.atomic():
        if TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
            raise DomainError(_("Two-factor authentication is already on."))
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        )
        if device is None or not device.verify_token(recovery.normalise(code)):
            raise _code_error()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _replace_codes(user)
        _record(user, AuditEvent.TWO_FACTOR_ENABLED, user, {"device": "totp"})
        _record(user, AuditEvent.RECOVERY_CODES_GENERATED, user, {"count": len(codes)})
    return device, codes


def regenerate_codes(user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    with transaction.atomic():
        if not TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
            raise DomainError(_("Turn on two-factor authentication first."))
        codes = _replace_codes(user)
        _record(user, AuditEvent.RECOVERY_CODES_GENERATED, user, {"count": len(codes)})
    return codes


def verify(user: User, code: str) -> Device | None:
    """The device that accepts `code` (an authenticator's six digits or a recovery code, then used up)."""
    typed = recovery.normalise(code)
    if not typed:
        return None
    with transaction.atomic():
        if typed.isdigit():
            for totp in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if totp.verify_token(typed):
                    return totp
            return None
        hashed = recovery.hash_code(typed)
        for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if static.verify_token(hashed):
                return static
    return None


def _remove_devices(user: User) -> int:
    totp = TOTPDevice.objects.filter(user=user)
    static = StaticDevice.objects.filter(user=user)
    removed = int(totp.count()) + int(static.count())
    totp.delete()
    static.delete()
    return removed


def disable(user: User, code: str) -> None:
    """Turn two-factor off with a current code; refused while a policy requires it."""
    if requirement(user) is not None:
        raise DomainError(
            _("Two-factor authentication is required for your account, so it cannot be turned off."),
        )
    if verify(user, code) is None:
        raise _code_error()
    with transaction.atomic():
        _remove_devices(user)
        _record(user, AuditEvent.TWO_FACTOR_DISABLED, user)


def reset(user: User, *, by: User | None, reason: str = "") -> int:
    """An operator removes a user's devices (a lost phone); the user enrols again at the next sign-in."""
    with transaction.atomic():
        removed = _remove_devices(user)
        details: dict[str, object] = {"username": user.get_username(), "devices": removed}
        if reason:
            details["reason"] = reason[:200]
        _record(by, AuditEvent.TWO_FACTOR_RESET, user, details)
    return removed


def set_organisation_requirement(*, user: User, organisation: Organisation, required: bool) -> bool:
    """Require (or stop requiring) two-factor authentication of everyone in the organisation; True when
    the setting changed."""
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.require_two_factor == required:
            return False
        locked.require_two_factor = required
        locked.save(update_fields=["require_two_factor", "updated_at"])
        organisation.require_two_factor = required
        audit(
            user,
            AuditEvent.TWO_FACTOR_POLICY_CHANGED,
            ("organisation", organisation.pk),
            organisation,
            {"require_two_factor": required},
        )
    return True


def slowed_down(user: User) -> bool:
    """After a wrong code django-otp makes the user wait before the next (each wait twice the last)."""
    devices: list[Device] = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    for device in devices:
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            return True
    return False
