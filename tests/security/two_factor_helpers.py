"""Helpers for the two-factor tests: the gate switched on, a password sign-in, codes from a device."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kpo.site.two_factor import services
from tests.cast import PASSWORD

GATE = "kpo.site.two_factor.middleware.TwoFactorGateMiddleware"
OTP = "django_otp.middleware.OTPMiddleware"


def gate_on(settings: object) -> None:
    middleware = list(settings.MIDDLEWARE)  # type: ignore[attr-defined]
    if GATE not in middleware:
        middleware.insert(middleware.index(OTP) + 1, GATE)
    settings.MIDDLEWARE = middleware  # type: ignore[attr-defined]
    settings.DEMO_MODE = False  # type: ignore[attr-defined]


def password_sign_in(user: User) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def code_for(device: TOTPDevice, ahead: int = 0) -> str:
    """The device's code now (`ahead` steps later: a step the device has not used yet)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=ahead):06d}"


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    """Enrol `user` through the service, as the page does: the device and the recovery codes."""
    pending = services.pending_authenticator(user)
    return services.enrol(user, code_for(pending))
