"""The organisation page's member list is searched on the server by name, e-mail or role, a page at a
time, in a fixed number of queries, and works without JavaScript (a plain GET form)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpo.orgs.selectors import MEMBERS_PER_PAGE
from tests.cast import Cast, crowd

pytestmark = pytest.mark.django_db


def _url(cast: Cast) -> str:
    return reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk})


def _body(client: Client, url: str, **query: str) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_search_by_name_email_and_role(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client, url = client_for("alice"), _url(cast)
    body = _body(client, url)
    assert 'role="search"' in body and 'name="q"' in body and "Aud Itor" in body
    by_name = _body(client, url, q="bob req")  # first and last name together
    assert "Bob Requester" in by_name and "Aud Itor" not in by_name and "1 person matches" in by_name
    assert "Alice Admin" in _body(client, url, q=cast.alice.email.upper())
    by_role = _body(client, url, q="auditor")
    assert "Aud Itor" in by_role and "Bob Requester" not in by_role
    client.cookies["django_language"] = "da"
    in_danish = _body(client, url, q="revisor")  # the role's Danish name
    assert "Aud Itor" in in_danish and "Bob Requester" not in in_danish


@pytest.mark.parametrize(
    "text", ["%", "_", "%%", "\\", "' OR 1=1 --", "<script>alert(1)</script>", "ø" * 100]
)
def test_hostile_searches_match_literally_and_never_fail(cast: Cast, client_for, text: str) -> None:  # type: ignore[no-untyped-def]
    body = _body(client_for("alice"), _url(cast), q=text)
    assert "Nobody here matches the search." in body
    assert "<script>alert(1)</script>" not in body


def test_a_too_long_search_is_named_and_ignored(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = _body(client_for("alice"), _url(cast), q="x" * 5000)
    assert "errorlist" in body and "at most 100 characters" in body
    assert "Bob Requester" in body  # the list without the search


def test_search_results_are_paged_in_a_fixed_number_of_queries(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    crowd(cast.org_a, MEMBERS_PER_PAGE * 2 + 5)
    client, url = client_for("alice"), _url(cast)
    client.get(url)  # the first request of a session writes it
    with CaptureQueriesContext(connection) as first:
        body = _body(client, url, q="crowd.example")
    assert f"{MEMBERS_PER_PAGE * 2 + 5} people match" in body
    assert "page=2" in body and "q=crowd.example" in body  # the next page keeps the search
    with CaptureQueriesContext(connection) as third:
        last = _body(client, url, q="crowd.example", page="3")
    assert "Nr104" in last and "Nr000" not in last
    assert len(third) == len(first)
