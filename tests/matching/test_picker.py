"""The staffing picker: a task's candidates searched by name or skill and paged, with score and free
hours; experts found who may not do the task with the rules they fail; assigning through work's service."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpo.matching import picker
from kpo.work.models import Assignment
from tests.cast import Cast
from tests.matching.helpers import give_skill, more_experts, task_skill

pytestmark = pytest.mark.django_db


def _url(cast: Cast, **query: object) -> str:
    base = reverse("staff_picker", kwargs={"task_id": cast.task_a.pk})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _assign_url(cast: Cast) -> str:
    return reverse("staff_picker_assign", kwargs={"task_id": cast.task_a.pk})


def _listed(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="candidate-(\d+)">', html)]


def _refused(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="refused-(\d+)">', html)]


def test_the_manager_sees_the_candidates_ranked_with_score_and_free_hours(client_for, cast: Cast) -> None:
    give_skill(cast, "carol", "rex", "erin", "ivan")
    response = client_for("pete").get(_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    # the same order as the shortlist: carol lacks the free hours, rex and erin tie (lower id first)
    assert _listed(html) == [cast.rex.expert_profile.pk, cast.erin.expert_profile.pk]
    assert "2 of 4 experts can do the task." in html
    assert "h free before the due date" in html and "h booked on open tasks" in html
    assert "Why this score" in html
    assert f'action="{_assign_url(cast)}"' in html
    assert "Ivan" not in html  # the client's own staff: not the provider's to see
    assert "1 of the client's own staff also qualifies" in html


def test_a_search_by_name_shows_who_cannot_do_it_and_why(client_for, cast: Cast) -> None:
    give_skill(cast, "rex", "erin")
    html = client_for("pete").get(_url(cast, q="carol")).content.decode()
    assert _listed(html) == []
    assert _refused(html) == [cast.carol.expert_profile.pk]
    assert "Nobody who can do the task matches the search." in html
    # carol lacks the task's skill and the free hours: each rule named with its reason
    refused = html[html.index('id="refused"') :]
    assert "Skills" in refused and "free hours" in refused


def test_a_search_by_skill_finds_the_experts_holding_it(client_for, cast: Cast) -> None:
    give_skill(cast, "rex", "erin")
    word = task_skill(cast).label.split()[0]
    html = client_for("pete").get(_url(cast, q=word)).content.decode()
    assert set(_listed(html)) == {cast.rex.expert_profile.pk, cast.erin.expert_profile.pk}


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 101},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999"},
        {"q": "%00%27%3B--", "page": "0"},
        {"q": "%F0%9F%98%80%20%3Cscript%3E"},
        {"q": "a%20b%20c%20d%20e%20f%20g%20h"},
    ],
)
def test_hostile_search_input_never_fails(client_for, cast: Cast, query: dict[str, str]) -> None:
    give_skill(cast, "rex", "erin")
    response = client_for("pete").get(_url(cast, **query))
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>" not in html
    if "page" in query and response.status_code == 400:
        assert "Page" in html


def test_too_long_a_search_names_the_field(client_for, cast: Cast) -> None:
    response = client_for("pete").get(_url(cast, q="x" * 101))
    assert response.status_code == 400
    assert "Ensure this value has at most 100 characters" in response.content.decode()


def test_pages(client_for, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(picker, "PAGE_SIZE", 1)
    give_skill(cast, "rex", "erin")
    pete = client_for("pete")
    first = pete.get(_url(cast)).content.decode()
    assert _listed(first) == [cast.rex.expert_profile.pk] and "Page 1 of 2" in first
    second = pete.get(_url(cast, page=2)).content.decode()
    assert _listed(second) == [cast.erin.expert_profile.pk] and 'rel="prev"' in second
    assert _listed(pete.get(_url(cast, page=50)).content.decode()) == [cast.erin.expert_profile.pk]


def test_assigning_from_the_picker_goes_through_the_service(client_for, cast: Cast) -> None:
    give_skill(cast, "erin")
    pete = client_for("pete")
    erin = cast.erin.expert_profile.pk
    data = {"staff-expert": erin, "staff-role": "maker", "staff-planned_hours": "4", "q": "erin", "page": "1"}
    response = pete.post(_assign_url(cast), data)
    assert response.status_code == 302 and response["Location"].endswith("?q=erin")
    assert Assignment.objects.filter(task=cast.task_a, expert_id=erin, role="maker").exists()
    # the service's own rules still hold: a maker cannot also review
    again = pete.post(_assign_url(cast), {**data, "staff-role": "reviewer"})
    assert again.status_code == 400
    assert "The reviewer of a task cannot also be its maker." in again.content.decode()


def test_an_ineligible_expert_is_refused_with_the_reasons(client_for, cast: Cast) -> None:
    give_skill(cast, "erin")
    carol = cast.carol.expert_profile.pk
    before = Assignment.objects.count()
    response = client_for("pete").post(
        _assign_url(cast), {"staff-expert": carol, "staff-role": "maker", "staff-planned_hours": "4"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    errors = html[html.index('id="assign-errors"') :]
    assert "The expert was not assigned." in errors
    assert "may not do this task" in errors and "Skills" in errors
    assert Assignment.objects.count() == before


@pytest.mark.parametrize(
    "data",
    [
        {"staff-expert": "abc", "staff-role": "maker", "staff-planned_hours": "4"},
        {"staff-expert": "999999", "staff-role": "maker", "staff-planned_hours": "4"},
        {"staff-role": "boss", "staff-planned_hours": "-1"},
        {"staff-role": "maker", "staff-planned_hours": "1e400"},
    ],
)
def test_bad_assignments_are_refused_naming_the_field(client_for, cast: Cast, data: dict[str, str]) -> None:
    give_skill(cast, "erin")
    before = Assignment.objects.count()
    response = client_for("pete").post(
        _assign_url(cast), {"staff-expert": cast.erin.expert_profile.pk, **data}
    )
    assert response.status_code == 400
    assert 'id="assign-errors"' in response.content.decode()
    assert Assignment.objects.count() == before


def test_only_the_provider_manager_assigns(client_for, cast: Cast) -> None:
    give_skill(cast, "rex", "erin", "ivan")
    for who in ("alice", "bob"):  # they find experts and see the candidates, but do not staff
        html = client_for(who).get(_url(cast)).content.decode()
        assert _listed(html)[0] == cast.ivan_profile.pk and "Your own staff" in html, who
        assert "Assign as maker" not in html, who
    for who in ("carol", "aud"):
        assert client_for(who).get(_url(cast)).status_code == 403, who
    for who in ("dave", "ops"):
        assert client_for(who).get(_url(cast)).status_code == 404, who
    response = client_for("bob").post(
        _assign_url(cast),
        {"staff-expert": cast.erin.expert_profile.pk, "staff-role": "maker", "staff-planned_hours": "4"},
    )
    assert response.status_code == 403


def test_the_task_page_links_to_the_picker_and_has_no_expert_select(client_for, cast: Cast) -> None:
    task_url = reverse("task_detail", kwargs={"task_id": cast.task_a.pk})
    pete = client_for("pete").get(task_url).content.decode()
    assert _url(cast) in pete
    assert (
        'name="staff-expert"' not in pete
        and "<select" not in pete.split('id="staffing"')[1].split("</section>")[0]
    )
    bob = client_for("bob").get(task_url).content.decode()
    assert _url(cast) not in bob
    assert reverse("find_experts", kwargs={"task_id": cast.task_a.pk}) in bob


def test_the_picker_takes_a_fixed_number_of_queries(client_for, cast: Cast) -> None:
    give_skill(cast, "rex", "erin")
    pete = client_for("pete")
    url = _url(cast, q="e")
    pete.get(url)  # builds the index
    with CaptureQueriesContext(connection) as few:
        assert pete.get(url).status_code == 200
    more_experts(cast, 12)
    more_experts(cast, 12, skilled=False)  # found by the search, refused for the skill
    pete.get(url)
    with CaptureQueriesContext(connection) as many:
        response = pete.get(url)
    html = response.content.decode()
    assert len(_listed(html)) == 14 and len(_refused(html)) == picker.REFUSED_LIMIT
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
