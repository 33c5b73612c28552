"""The find-experts page (shortlist, pool report, why-not, staffing from it) and the weights page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpo.matching.models import MatchingWeights
from kpo.work.models import Assignment
from tests.break_glass import approved_break_glass
from tests.cast import Cast
from tests.matching.helpers import give_skill, impossible_task, more_experts

pytestmark = pytest.mark.django_db


def _url(task_id: int, query: str = "") -> str:
    return reverse("find_experts", kwargs={"task_id": task_id}) + query


def _listed(html: str) -> list[int]:
    """The expert ids of the shortlist rows, in order."""
    return [int(pk) for pk in re.findall(r'<li id="expert-(\d+)">', html)]


def test_the_provider_manager_sees_the_eligible_experts_with_explanations(client_for, cast: Cast) -> None:
    give_skill(cast, "carol", "rex", "erin", "ivan")
    response = client_for("pete").get(_url(cast.task_a.pk))
    assert response.status_code == 200
    html = response.content.decode()
    listed = _listed(html)
    # carol has 40 h planned already: 35 free hours before the due date, 40 needed; rex and erin score
    # the same, so the lower id comes first
    assert listed == [cast.rex.expert_profile.pk, cast.erin.expert_profile.pk]
    assert "Why this score" in html and "Text affinity" in html and "Time zone" in html
    assert "holds 1 of the 1 required skills at the level asked" in html
    # ivan, client A's own staff, qualifies but the provider may not see him
    assert cast.ivan_profile.pk not in listed and "Ivan" not in html
    assert "1 of the client's own staff also qualifies; only the client sees who." in html
    assert "2 of 4 experts are eligible." in html
    assert "Excluded by:" in html


def test_the_clients_own_staff_come_first(client_for, cast: Cast) -> None:
    give_skill(cast, "rex", "erin", "ivan")
    html = client_for("alice").get(_url(cast.task_a.pk)).content.decode()
    listed = _listed(html)
    assert listed[0] == cast.ivan_profile.pk and set(listed) == {
        cast.ivan_profile.pk,
        cast.rex.expert_profile.pk,
        cast.erin.expert_profile.pk,
    }
    assert "Your own staff" in html
    assert "3 of 4 experts are eligible." in html
    assert "Assign as maker" not in html  # only the provider's managers staff
    assert reverse("matching_weights", kwargs={"organisation_id": cast.org_a.pk}) in html


def test_nobody_eligible_names_the_rule_that_emptied_the_pool(client_for, cast: Cast) -> None:
    task = impossible_task(cast)
    for who in ("pete", "bob"):
        response = client_for(who).get(_url(task.pk))
        assert response.status_code == 200
        html = response.content.decode()
        assert "No expert is eligible for this task." in html
        assert "the rule that emptied the pool is <strong>Skills</strong>" in html
        assert "What to relax:" in html and "Lower the minimum proficiency" in html
        assert _listed(html) == []


def test_why_not_names_the_failing_rule(client_for, cast: Cast) -> None:
    give_skill(cast, "carol")
    html = client_for("pete").get(_url(cast.task_a.pk, f"?why_not={cast.carol.expert_profile.pk}")).content
    text = html.decode()
    assert "Not eligible: fails 1 rule." in text
    assert "<strong>Capacity</strong>: has 35 free hours before the due date; 37 needed" in text
    html = client_for("pete").get(_url(cast.task_a.pk, f"?why_not={cast.erin.expert_profile.pk}")).content
    assert b"Not eligible: fails 1 rule." in html and b"<strong>Skills</strong>" in html
    give_skill(cast, "erin")
    html = client_for("pete").get(_url(cast.task_a.pk, f"?why_not={cast.erin.expert_profile.pk}")).content
    assert b"Eligible for this task." in html and b"The score in detail" in html


def test_why_not_searches_by_name_among_visible_experts(client_for, cast: Cast) -> None:
    html = client_for("pete").get(_url(cast.task_a.pk, "?q=erin+idle")).content.decode()
    assert f"why_not={cast.erin.expert_profile.pk}" in html
    html = client_for("pete").get(_url(cast.task_a.pk, "?q=ivan")).content.decode()
    assert "No expert you can see has that name." in html
    assert f"why_not={cast.ivan_profile.pk}" not in html


def test_why_not_of_an_invisible_expert_is_404(client_for, cast: Cast) -> None:
    response = client_for("pete").get(_url(cast.task_a.pk, f"?why_not={cast.ivan_profile.pk}"))
    assert response.status_code == 404
    assert b"There is no such expert, or you may not see them." in response.content
    assert b"Insider" not in response.content
    assert client_for("pete").get(_url(cast.task_a.pk, "?why_not=999999")).status_code == 404
    assert (
        client_for("alice").get(_url(cast.task_a.pk, f"?why_not={cast.ivan_profile.pk}")).status_code == 200
    )


@pytest.mark.parametrize(("who", "status"), [("dave", 404), ("quinn", 404), ("erin", 404), ("ivan", 404)])
def test_outsiders_get_404(client_for, cast: Cast, who: str, status: int) -> None:
    assert client_for(who).get(_url(cast.task_a.pk)).status_code == status


@pytest.mark.parametrize("who", ["aud", "carol", "rex", "ops"])
def test_others_who_see_the_task_get_403(client_for, cast: Cast, who: str) -> None:
    if who == "ops":  # an operator sees the task only under a break-glass grant, read-only
        approved_break_glass(cast.ops, cast.org_a)
    assert client_for(who).get(_url(cast.task_a.pk)).status_code == 403


def test_an_operator_without_break_glass_does_not_find_the_task(client_for, cast: Cast) -> None:
    assert client_for("ops").get(_url(cast.task_a.pk)).status_code == 404


def test_the_provider_does_not_see_the_clients_drafts(client_for, cast: Cast) -> None:
    assert client_for("pete").get(_url(cast.draft_a.pk)).status_code == 404
    assert client_for("bob").get(_url(cast.draft_a.pk)).status_code == 200


def test_anonymous_is_sent_to_sign_in(cast: Cast) -> None:
    from django.test import Client

    response = Client().get(_url(cast.task_a.pk))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_manager_assigns_from_the_shortlist(client_for, cast: Cast) -> None:
    give_skill(cast, "erin")
    pete = client_for("pete")
    html = pete.get(_url(cast.task_a.pk)).content.decode()
    action = reverse("assignment_create", kwargs={"task_id": cast.task_a.pk})
    assert f'action="{action}"' in html
    assert f'name="staff-expert" value="{cast.erin.expert_profile.pk}"' in html
    assert 'name="staff-planned_hours" value="40.0"' in html
    assert 'name="staff-role" value="maker"' in html and 'name="staff-role" value="reviewer"' in html
    response = pete.post(
        action,
        {"staff-expert": cast.erin.expert_profile.pk, "staff-role": "reviewer", "staff-planned_hours": "4.0"},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(task=cast.task_a, expert__user=cast.erin, role="reviewer").exists()
    html = pete.get(_url(cast.task_a.pk)).content.decode()  # 4 h planned: still free for 40 more
    assert "Reviewer on this task" in html
    assert 'name="staff-role" value="maker" class="btn btn-primary btn-small" disabled' in html


def test_how_many_to_list(client_for, cast: Cast) -> None:
    give_skill(cast, "rex", "erin")
    assert len(_listed(client_for("pete").get(_url(cast.task_a.pk, "?n=1")).content.decode())) == 1
    response = client_for("pete").get(_url(cast.task_a.pk, "?n=500"))
    assert response.status_code == 200
    assert len(_listed(response.content.decode())) == 2
    assert b"Showing the top 10." in response.content


def test_the_page_takes_a_fixed_number_of_queries(client_for, cast: Cast) -> None:
    give_skill(cast, "rex", "erin", "ivan")
    pete = client_for("pete")
    url = _url(cast.task_a.pk, f"?q=expert&why_not={cast.erin.expert_profile.pk}")
    pete.get(url)  # builds the index
    with CaptureQueriesContext(connection) as few:
        assert pete.get(url).status_code == 200
    more_experts(cast, 15)
    pete.get(url)  # rebuilds the index for the new experts
    with CaptureQueriesContext(connection) as many:
        response = pete.get(url)
    assert len(_listed(response.content.decode())) == 10
    # 22: one query each for the shortlist's and the why-not's stored embeddings (text affinity)
    # + 7 (kpo.compliance): the conflict-of-interest rule's policy, competitors and declarations for the
    # shortlist and again for the why-not, and the why-not's exception lookup
    # + 2 (kpo.confidentiality): the clearance rule's experts below the level, for each of the two
    # + 6 (kpo.vetting): records not active and current, expired credentials, the engagement's passport
    # requirements, for each of the two
    # + 2 (kpo.quality): the experts' scores in the task's domain, for each of the two
    # + 3 (overflow pools and benches, read once for both): the overflow provider that took the task,
    # the engagement's overflow providers (for the clearance, passport and NDA rules), the client's bench
    # + 2: the hours logged on the task (work done needs no capacity), for each of the two
    assert len(many) == len(few) <= 22 + 7 + 2 + 6 + 2 + 3 + 2, [q["sql"] for q in many.captured_queries]


# --- the weights page ------------------------------------------------------------------------------


def _weights_url(cast: Cast) -> str:
    return reverse("matching_weights", kwargs={"organisation_id": cast.org_a.pk})


VALID = {
    "affinity": "1",
    "skills": "3",
    "degree": "0",
    "languages": "1",
    "time_zone": "1",
    "cost": "2",
    "quality": "2",
    "min_skills_share": "0.75",
}


def test_client_admins_change_the_weights(client_for, cast: Cast) -> None:
    alice = client_for("alice")
    page = alice.get(_weights_url(cast))
    assert page.status_code == 200 and b"the platform's defaults" in page.content
    response = alice.post(_weights_url(cast), VALID)
    assert response.status_code == 302
    saved = MatchingWeights.objects.get(client=cast.org_a)
    assert saved.weights["skills"] == 3.0 and saved.weights["degree"] == 0.0
    assert saved.min_skills_share == Decimal("0.75") and saved.updated_by == cast.alice
    html = alice.get(_url(cast.task_a.pk)).content.decode()
    assert '<th scope="row">Skills</th><td>30%</td>' in html  # 3 of 10


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cost": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"min_skills_share": "1.5"}, "Ensure this value is less than or equal to 1."),
        ({"skills": "lots"}, "Enter a number."),
        (
            {
                name: "0"
                for name in ("affinity", "skills", "degree", "languages", "time_zone", "cost", "quality")
            },
            "The weights are all zero: at least one must be more than zero.",
        ),
    ],
)
def test_bad_weights_rerender_with_errors_and_change_nothing(
    client_for, cast: Cast, change: dict[str, str], message: str
) -> None:
    response = client_for("alice").post(_weights_url(cast), {**VALID, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Please correct the errors below." in html
    if len(change) == 1:
        field = next(iter(change))
        assert f'id="id_{field}_errors"' in html  # next to the field
    assert not MatchingWeights.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("bob", 403), ("aud", 403), ("ivan", 403), ("pete", 404), ("dave", 404)]
)
def test_only_client_admins_reach_the_weights(client_for, cast: Cast, who: str, status: int) -> None:
    assert client_for(who).get(_weights_url(cast)).status_code == status
    assert client_for(who).post(_weights_url(cast), VALID).status_code == status
    assert not MatchingWeights.objects.exists()


def test_a_provider_has_no_weights(client_for, cast: Cast) -> None:
    url = reverse("matching_weights", kwargs={"organisation_id": cast.provider_p.pk})
    assert client_for("pete").get(url).status_code == 404


def test_bad_parameters_are_reported_and_the_rest_still_applies(client_for, cast: Cast) -> None:
    give_skill(cast, "rex", "erin")
    response = client_for("pete").get(_url(cast.task_a.pk, "?n=1&why_not=abc"))
    assert response.status_code == 200
    assert len(_listed(response.content.decode())) == 1
    assert b"The expert to look up must be an expert&#x27;s number." in response.content or (
        b"The expert to look up must be an expert's number." in response.content
    )
    response = client_for("pete").get(_url(cast.task_a.pk, f"?n=0&why_not={cast.erin.expert_profile.pk}"))
    assert b"Eligible for this task." in response.content and b"Showing the top 10." in response.content


def test_the_page_in_danish(client_for, cast: Cast) -> None:
    give_skill(cast, "erin")
    pete = client_for("pete")
    pete.cookies["django_language"] = "da"
    response = pete.get(_url(cast.task_a.pk, f"?why_not={cast.carol.expert_profile.pk}"))
    assert response.status_code == 200 and b'lang="da"' in response.content
