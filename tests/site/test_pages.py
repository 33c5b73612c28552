from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpo.site import views
from kpo.site.models import DemoWorld
from tests.cast import PASSWORD, SECRET_A, Cast

pytestmark = pytest.mark.django_db


def test_health_check_is_public_and_says_only_ok(cast: Cast) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_pages_need_a_signed_in_user(cast: Cast) -> None:
    client = Client()
    for name in ("dashboard", "engagement_list", "task_list", "expert_list", "token_list", "my_profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login"))


def test_login_page_lists_demo_accounts_in_demo_mode(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    DemoWorld.mark(seeded_at=timezone.now(), seed=1)
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="username"' in body and 'name="password"' in body
    accounts, password = views.demo_accounts()
    assert "Demo accounts" in body
    assert accounts[0]["username"] in body and password in body
    settings.DEMO_MODE = False
    assert "Demo accounts" not in Client().get(reverse("login")).content.decode()


def test_login_page_without_demo_accounts_lists_none(cast: Cast, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "DEMO_ACCOUNTS", ())
    settings.DEMO_MODE = True
    DemoWorld.mark(seeded_at=timezone.now(), seed=1)
    assert views.demo_accounts()[0] == []
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "Demo accounts" not in response.content.decode()


def test_sign_in_and_out_through_the_forms(cast: Cast) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "bob", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def _waiting(body: str) -> str:
    """The "Waiting for you" section of a dashboard."""
    return body.split('id="waiting"', 1)[1].split("</section>", 1)[0]


def test_dashboard_per_role(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    Task = type(cast.task_a)
    # carol makes task_a (in progress): it waits for her, not for rex or bob
    carol = client_for("carol").get(reverse("dashboard")).content.decode()
    assert "Waiting for you" in carol and cast.task_a.title in _waiting(carol)
    assert "In progress" in carol
    rex = client_for("rex").get(reverse("dashboard")).content.decode()
    assert cast.task_a.title not in _waiting(rex)
    Task.objects.filter(pk=cast.task_a.pk).update(status="in_review")
    rex = client_for("rex").get(reverse("dashboard")).content.decode()
    assert cast.task_a.title in _waiting(rex)
    Task.objects.filter(pk=cast.task_a.pk).update(status="delivered")
    bob = client_for("bob").get(reverse("dashboard")).content.decode()
    assert cast.task_a.title in _waiting(bob)
    assert "Recent engagements" in bob and cast.engagement_a.title in bob
    Task.objects.filter(pk=cast.draft_a.pk).update(status="submitted")
    pete = client_for("pete").get(reverse("dashboard")).content.decode()
    assert cast.draft_a.title in _waiting(pete)
    dave = client_for("dave").get(reverse("dashboard")).content.decode()
    assert SECRET_A not in dave
    assert cast.engagement_b.title in dave


def test_dashboard_shows_counts_by_status(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for("alice").get(reverse("dashboard")).content.decode()
    assert "Tasks by status" in body
    assert f'href="{reverse("task_list")}?status=draft"' in body
    assert f'href="{reverse("task_list")}?status=in_progress"' in body


def test_password_change(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("bob")
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "x", "new_password2": "y"},
    )
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-Passphrase-42",
            "new_password2": "a-much-longer-Passphrase-42",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200


def test_base_layout_landmarks_and_language_switch(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("bob")
    body = client.get(reverse("dashboard")).content.decode()
    assert '<main id="main"' in body and 'href="#main"' in body
    for label in ("Dashboard", "Engagements", "Tasks", "Experts", "Organisation", "API tokens", "Sign out"):
        assert label in body
    assert 'action="/i18n/setlang/"' in body and "kpo/vendor/htmx.min.js" in body
    response = client.post("/i18n/setlang/", {"language": "da", "next": reverse("dashboard")})
    assert response.status_code == 302
    assert '<html lang="da">' in client.get(reverse("dashboard")).content.decode()


def test_unknown_page_is_a_friendly_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("bob").get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_apply_errors_puts_service_errors_next_to_fields() -> None:
    from django import forms
    from django.core.exceptions import ValidationError

    from kpo.core.errors import DomainError
    from kpo.core.forms import apply_errors

    class TitleForm(forms.Form):
        title = forms.CharField()

    form = TitleForm({"title": "x"})
    assert form.is_valid()
    apply_errors(form, DomainError("Too short.", field="title"))
    apply_errors(form, DomainError("Not now.", field="status"))
    apply_errors(form, DomainError("Nope."))
    apply_errors(form, ValidationError({"title": ["Taken."], "budget": ["Negative."]}))
    apply_errors(form, ValidationError("Whole thing is wrong."))
    assert form.errors["title"] == ["Too short.", "Taken."]
    assert form.non_field_errors() == [
        "Status: Not now.",
        "Nope.",
        "Budget: Negative.",
        "Whole thing is wrong.",
    ]


def test_sign_out_says_so(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("bob").post(reverse("logout"), follow=True)
    assert "You have been signed out." in response.content.decode()


def test_language_switch_after_a_failed_post_returns_to_the_task(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("time_entry_create", kwargs={"task_id": cast.task_a.pk})
    response = client_for("carol").post(url, {"time-hours": "25"})
    assert response.status_code == 400
    detail = reverse("task_detail", kwargs={"task_id": cast.task_a.pk})
    assert f'name="next" value="{detail}"' in response.content.decode()
