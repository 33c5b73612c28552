"""Issue 14: "No two-factor authentication for anyone, superusers included". Operators must enrol, members
of an organisation that requires it must enrol, and an enrolled account's password alone opens nothing."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.orgs.services import api_token_create
from kpo.site.two_factor import recovery, services
from tests.cast import Cast
from tests.security.two_factor_helpers import code_for, enrolled, gate_on, password_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _gate(settings: object) -> None:
    gate_on(settings)
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # type: ignore[attr-defined]
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # type: ignore[attr-defined]


def events(kind: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=kind))


def test_an_operator_with_only_a_password_reaches_only_the_set_up_page(cast: Cast) -> None:
    client = password_sign_in(cast.ops)
    for path in ("/", "/admin/", reverse("token_list"), reverse("organisation_detail", args=[cast.org_a.pk])):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor") + "?next=")
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    assert b"Operators must use two-factor authentication" in page.content
    assert client.post(reverse("logout")).status_code == 302


def test_enrolment_shows_a_qr_code_and_key_and_needs_the_right_code(cast: Cast) -> None:
    client = password_sign_in(cast.ops)
    page = client.get(reverse("two_factor")).content.decode()
    assert "<svg" in page and "<script" not in page.split('id="two-factor-qr"')[1].split("</div>")[0]
    secret = re.search(r'id="two-factor-secret" class="secret">([A-Z2-7 ]+)<', page)
    assert secret is not None
    device = TOTPDevice.objects.get(user=cast.ops, confirmed=False)
    assert services.secret_text(device) == secret.group(1)

    wrong = client.post(
        reverse("two_factor"), {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert b"The code is not right" in wrong.content
    assert not TOTPDevice.objects.filter(user=cast.ops, confirmed=True).exists()
    assert events(AuditEvent.TWO_FACTOR_ENABLED) == []

    right = client.post(reverse("two_factor"), {"code": code_for(device)})
    assert right.status_code == 200
    codes = re.findall(r'<li><code class="secret">([a-z2-7-]+)</code></li>', right.content.decode())
    assert len(codes) == 10
    stored = set(StaticToken.objects.filter(device__user=cast.ops).values_list("token", flat=True))
    assert stored == {recovery.hash_code(code) for code in codes}
    assert not stored & {recovery.normalise(code) for code in codes}, "recovery codes are stored hashed"
    assert [e.object_id for e in events(AuditEvent.TWO_FACTOR_ENABLED)] == [str(cast.ops.pk)]
    assert len(events(AuditEvent.RECOVERY_CODES_GENERATED)) == 1
    assert client.get("/").status_code == 200, "the enrolling session is verified"
    again = client.get(reverse("two_factor"))
    assert b"recovery codes left" in again.content and codes[0].encode() not in again.content


def test_a_password_alone_does_not_open_an_enrolled_account(cast: Cast) -> None:
    device, _codes = enrolled(cast.bob)
    client = password_sign_in(cast.bob)
    response = client.get(reverse("engagement_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_code"))
    assert client.get(reverse("two_factor")).status_code == 302
    assert client.post(reverse("two_factor_recovery_codes")).status_code == 302
    assert client.post(reverse("two_factor_off"), {"code": "x"}).status_code == 302
    assert TOTPDevice.objects.filter(user=cast.bob, confirmed=True).count() == 1
    assert client.get("/api/engagements").status_code == 401, "the unverified session does not sign API calls"

    wrong = client.post(reverse("two_factor_code"), {"code": "12345"})
    assert wrong.status_code == 400
    failed = events(AuditEvent.LOGIN_FAILED)
    assert failed and failed[-1].details["step"] == "two_factor" and failed[-1].object_id == str(cast.bob.pk)

    right = client.post(
        reverse("two_factor_code"), {"code": code_for(device, ahead=1), "next": "/engagements/"}
    )
    assert right.status_code == 302 and right["Location"] == "/engagements/"
    assert client.get(reverse("engagement_list")).status_code == 200
    assert client.get("/api/engagements").status_code == 200


def test_the_code_page_does_not_redirect_off_site(cast: Cast) -> None:
    device, _codes = enrolled(cast.bob)
    client = password_sign_in(cast.bob)
    response = client.post(
        reverse("two_factor_code"), {"code": code_for(device, ahead=1), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_recovery_code_signs_in_once(cast: Cast) -> None:
    _device, codes = enrolled(cast.bob)
    first = password_sign_in(cast.bob)
    used = first.post(reverse("two_factor_code"), {"code": codes[3].upper()})
    assert used.status_code == 302
    assert first.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=cast.bob).count() == 9

    second = password_sign_in(cast.bob)
    again = second.post(reverse("two_factor_code"), {"code": codes[3]})
    assert again.status_code == 400
    assert second.get("/").status_code == 302


def test_wrong_codes_end_the_sign_in(cast: Cast, settings: object) -> None:
    enrolled(cast.bob)
    client = password_sign_in(cast.bob)
    limit = settings.KPO_TWO_FACTOR_MAX_ATTEMPTS  # type: ignore[attr-defined]
    for _attempt in range(limit - 1):
        assert client.post(reverse("two_factor_code"), {"code": "abcd-efgh"}).status_code == 400
    last = client.post(reverse("two_factor_code"), {"code": "abcd-efgh"})
    assert last.status_code == 302 and last["Location"] == reverse("login")
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert len([e for e in events(AuditEvent.LOGIN_FAILED) if e.details.get("step") == "two_factor"]) == limit


def test_turning_off_needs_a_current_code_and_is_refused_to_operators(cast: Cast) -> None:
    device, codes = enrolled(cast.bob)
    client = password_sign_in(cast.bob)
    client.post(reverse("two_factor_code"), {"code": codes[0]})
    refused = client.post(reverse("two_factor_off"), {"code": "000000x"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=cast.bob, confirmed=True).exists()
    done = client.post(reverse("two_factor_off"), {"code": code_for(device, ahead=1)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.bob).exists()
    assert not StaticToken.objects.filter(device__user=cast.bob).exists()
    assert len(events(AuditEvent.TWO_FACTOR_DISABLED)) == 1

    ops_device, ops_codes = enrolled(cast.ops)
    ops = password_sign_in(cast.ops)
    ops.post(reverse("two_factor_code"), {"code": ops_codes[0]})
    kept = ops.post(reverse("two_factor_off"), {"code": code_for(ops_device, ahead=1)})
    assert kept.status_code == 400
    assert b"cannot be turned off" in kept.content
    assert TOTPDevice.objects.filter(user=cast.ops, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old(cast: Cast) -> None:
    _device, old = enrolled(cast.bob)
    client = password_sign_in(cast.bob)
    client.post(reverse("two_factor_code"), {"code": old[0]})
    response = client.post(reverse("two_factor_recovery_codes"))
    new = re.findall(r'<li><code class="secret">([a-z2-7-]+)</code></li>', response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert len(events(AuditEvent.RECOVERY_CODES_GENERATED)) == 2
    assert services.verify(cast.bob, old[1]) is None
    assert services.verify(cast.bob, new[1]) is not None


def test_a_client_admin_requires_two_factor_for_the_organisation(cast: Cast) -> None:
    url = reverse("organisation_two_factor", args=[cast.org_a.pk])
    bob = Client()
    bob.force_login(cast.bob)
    assert bob.post(url, {"two_factor-require_two_factor": "on"}).status_code == 403
    dave = Client()
    dave.force_login(cast.dave)
    assert dave.post(url, {"two_factor-require_two_factor": "on"}).status_code == 404
    cast.org_a.refresh_from_db()
    assert not cast.org_a.require_two_factor

    alice = Client()
    alice.force_login(cast.alice)
    page = alice.get(reverse("organisation_detail", args=[cast.org_a.pk]))
    assert b"two_factor-require_two_factor" in page.content
    assert alice.post(url, {"two_factor-require_two_factor": "on"}).status_code == 302
    cast.org_a.refresh_from_db()
    assert cast.org_a.require_two_factor
    changed = events(AuditEvent.TWO_FACTOR_POLICY_CHANGED)
    assert [(e.actor_id, e.organisation_id, e.details) for e in changed] == [
        (cast.alice.pk, cast.org_a.pk, {"require_two_factor": True})
    ]

    member = password_sign_in(cast.bob)
    response = member.get(reverse("engagement_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))
    assert b"Your organisation requires" in member.get(reverse("two_factor")).content
    outsider = password_sign_in(cast.dave)
    assert outsider.get(reverse("engagement_list")).status_code == 200


def test_api_tokens_are_not_gated(cast: Cast) -> None:
    _token, plain = api_token_create(user=cast.ops, name="script")
    response = Client().get("/api/engagements", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200


def test_the_demo_accounts_are_exempt_only_in_demo_mode_with_the_demo_world(
    cast: Cast, settings: object
) -> None:
    from django.utils import timezone

    from kpo.site.models import DemoWorld
    from kpo.site.two_factor.policy import demo_exempt

    cast.ops.email = "ops@kpo.example"
    cast.ops.save()
    assert not demo_exempt(cast.ops)
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    assert not demo_exempt(cast.ops), "no demo world installed"
    DemoWorld.mark(seeded_at=timezone.now(), seed=1)
    assert demo_exempt(cast.ops)
    assert not demo_exempt(cast.alice)


def test_an_operator_resets_a_lost_device(cast: Cast) -> None:
    enrolled(cast.bob)
    call_command("two_factor_reset", "bob", "--by", "ops", "--reason", "ticket 42")
    assert not services.has_device(cast.bob)
    [entry] = events(AuditEvent.TWO_FACTOR_RESET)
    assert entry.actor_id == cast.ops.pk and entry.object_id == str(cast.bob.pk)
    assert entry.details == {"username": "bob", "devices": 2, "reason": "ticket 42"}
    with pytest.raises(CommandError, match="username"):
        call_command("two_factor_reset", "nobody")
    with pytest.raises(CommandError, match="--by"):
        call_command("two_factor_reset", "bob", "--by", "alice")


def test_the_admin_shows_no_device_keys(cast: Cast) -> None:
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    device, _codes = enrolled(cast.ops)
    client = password_sign_in(cast.ops)
    client.post(reverse("two_factor_code"), {"code": code_for(device, ahead=1)})
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404


def test_repeated_wrong_codes_are_slowed_down(cast: Cast, settings: object) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # type: ignore[attr-defined]
    settings.OTP_STATIC_THROTTLE_FACTOR = 60  # type: ignore[attr-defined]
    device, _codes = enrolled(cast.bob)
    client = password_sign_in(cast.bob)
    for _attempt in range(3):
        client.post(
            reverse("two_factor_code"), {"code": "000000" if code_for(device) != "000000" else "111111"}
        )
    right = client.post(reverse("two_factor_code"), {"code": code_for(device, ahead=1)})
    assert right.status_code == 400
    assert b"Too many wrong codes in a row" in right.content
    assert client.get("/").status_code == 302
