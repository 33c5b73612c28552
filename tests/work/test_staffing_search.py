"""The task page's "Assign an expert" form lists a small provider's experts in its select; a provider with
more than STAFF_SELECT_LIMIT active experts is staffed by a name search instead (with 100,000 experts the
select held tens of thousands of options and the page took seconds)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpo.work import forms
from tests.cast import Cast

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(cast: Cast) -> str:
    return reverse("task_detail", kwargs={"task_id": cast.task_a.pk})


def _option(profile_pk: int) -> str:
    return f'<option value="{profile_pk}"'


def test_a_small_provider_keeps_the_whole_select(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("pete").get(_url(cast)).content.decode()
    assert 'id="staff-q"' not in page
    for user in (cast.carol, cast.rex, cast.erin):
        assert _option(user.expert_profile.pk) in page


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forms, "STAFF_SELECT_LIMIT", 1)  # provider P's three active experts are "many"


@pytest.mark.usefixtures("large")
def test_a_large_provider_is_searched_by_name(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    page = pete.get(_url(cast)).content.decode()
    assert 'id="staff-q"' in page
    assert _option(cast.erin.expert_profile.pk) not in page
    found = pete.get(_url(cast), {"staff_q": "idle"}, **HTMX)
    assert found.status_code == 200
    options = found.content.decode()
    assert _option(cast.erin.expert_profile.pk) in options
    assert _option(cast.carol.expert_profile.pk) not in options
    assert "1 matching expert" in options
    assert "No active expert" in pete.get(_url(cast), {"staff_q": "Quay"}, **HTMX).content.decode()  # Q's
    assert "by name first" in pete.get(_url(cast), {"staff_q": "e"}, **HTMX).content.decode()


@pytest.mark.usefixtures("large")
def test_only_the_provider_manager_may_search(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for who in ("bob", "carol", "aud"):
        assert client_for(who).get(_url(cast), {"staff_q": "idle"}, **HTMX).status_code == 403, who
    assert client_for("dave").get(_url(cast), {"staff_q": "idle"}, **HTMX).status_code == 404


@pytest.mark.usefixtures("large")
def test_an_expert_found_by_search_is_assigned_and_a_refused_choice_stays_chosen(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    pete = client_for("pete")
    erin = cast.erin.expert_profile.pk
    url = reverse("assignment_create", kwargs={"task_id": cast.task_a.pk})
    refused = pete.post(url, {"staff-expert": erin, "staff-role": "maker", "staff-planned_hours": "-1"})
    assert refused.status_code == 400
    assert f"{_option(erin)} selected" in refused.content.decode()
    done = pete.post(url, {"staff-expert": erin, "staff-role": "maker", "staff-planned_hours": "3"})
    assert done.status_code == 302
    assert cast.task_a.assignments.filter(expert_id=erin, role="maker").exists()
