"""Two-factor devices stay out of /admin/: their keys are secrets, and every change goes through the
audited page and `kpo two-factor-reset`."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def hide_devices_from_admin() -> None:
    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
