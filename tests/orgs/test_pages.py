from __future__ import annotations

import pytest
from django.urls import reverse

from kpo.orgs.models import ApiToken
from kpo.orgs.services import api_token_create, hash_token
from tests.cast import SECRET_A, Cast

pytestmark = pytest.mark.django_db


def test_organisation_page_shows_members_and_roles(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk})
    for name in ("alice", "bob", "aud"):
        response = client_for(name).get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert cast.org_a.name in body and "Denmark" in body
        for text in ("Alice Admin", "Client admin", "Bob Requester", "Requester", "Aud Itor", "Auditor"):
            assert text in body, text


def test_organisation_page_of_others_is_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk})
    for name in ("dave", "pete", "carol"):
        response = client_for(name).get(url)
        assert response.status_code == 404, name
        assert SECRET_A not in response.content.decode()
    assert client_for("alice").get("/organisations/999999/").status_code == 404


def test_organisation_link_goes_to_the_users_organisation(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for("pete").get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("organisation_detail", kwargs={"organisation_id": cast.provider_p.pk})}"' in body
    assert 'href="/organisations/' not in client_for("ops").get(reverse("dashboard")).content.decode()


def test_token_is_shown_once(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("bob")
    assert client.get(reverse("token_list")).status_code == 200
    response = client.post(reverse("token_list"), {"name": "Reporting script"})
    assert response.status_code == 200
    plain = response.context["plain_token"]
    assert plain.startswith("kpo_") and plain in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    token = ApiToken.objects.get(user=cast.bob)
    assert token.token_hash == hash_token(plain) and token.name == "Reporting script"
    again = client.get(reverse("token_list")).content.decode()
    assert plain not in again and "Reporting script" in again and token.prefix in again


def test_token_name_is_required(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("bob").post(reverse("token_list"), {"name": "  "})
    assert response.status_code == 400
    assert 'id="id_name_errors"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_revoke(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    mine, _plain = api_token_create(user=cast.bob, name="Mine")
    theirs, _other = api_token_create(user=cast.dave, name="Theirs")
    client = client_for("bob")
    url = reverse("token_revoke", kwargs={"token_id": mine.pk})
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "revoked" in response.content.decode()
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert client.post(reverse("token_revoke", kwargs={"token_id": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert "Theirs" not in client.get(reverse("token_list")).content.decode()
