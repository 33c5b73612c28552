"""The gate asks on every request whether the account has a second factor: one query, and the right answer
for each kind of device (a confirmed authenticator, recovery codes left, neither)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kpo.site.two_factor import services
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _asked_once(cast: Cast) -> bool:
    with CaptureQueriesContext(connection) as queries:
        answer = services.has_device(cast.bob)
    assert len(queries) == 1
    return answer


def test_no_device_or_only_unconfirmed_ones_is_no_second_factor(cast: Cast) -> None:
    assert _asked_once(cast) is False
    TOTPDevice.objects.create(user=cast.bob, name="pending", confirmed=False)
    codes = StaticDevice.objects.create(user=cast.bob, name="codes", confirmed=False)
    StaticToken.objects.create(device=codes, token="aaaa1111")
    assert _asked_once(cast) is False


def test_a_confirmed_authenticator_is_a_second_factor(cast: Cast) -> None:
    TOTPDevice.objects.create(user=cast.bob, name="phone", confirmed=True)
    assert _asked_once(cast) is True
    assert services.has_device(cast.alice) is False


def test_recovery_codes_count_only_while_some_are_left(cast: Cast) -> None:
    codes = StaticDevice.objects.create(user=cast.bob, name="codes", confirmed=True)
    assert _asked_once(cast) is False
    StaticToken.objects.create(device=codes, token="aaaa1111")
    StaticToken.objects.create(device=codes, token="bbbb2222")
    assert _asked_once(cast) is True
    StaticToken.objects.filter(device=codes).delete()
    assert _asked_once(cast) is False
