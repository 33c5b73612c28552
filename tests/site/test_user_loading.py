from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cast import Cast

pytestmark = pytest.mark.django_db

PROFILE_BY_USER = 'FROM "experts_expertprofile" WHERE "experts_expertprofile"."user_id" ='


@pytest.mark.parametrize("name", ["ivan", "alice"])
def test_the_signed_in_user_comes_with_their_expert_profile_or_its_absence(
    cast: Cast, client_for, name: str
) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for(name)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("task_list"))
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert (getattr(user, "expert_profile", None) is not None) == (name == "ivan")
    assert not [q["sql"] for q in queries.captured_queries if PROFILE_BY_USER in q["sql"]]
