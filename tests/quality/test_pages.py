"""The review, rating and rubric pages and panels, as each member of the cast sees them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kpo.quality.models import ClientRating, QualityScore, Review, Rubric
from kpo.work import services
from kpo.work.models import Task
from tests.cast import SECRET_A, Cast
from tests.quality.helpers import pass_review, review_form_data

pytestmark = pytest.mark.django_db


def _url(name: str, task: Task) -> str:
    return reverse(name, kwargs={"task_id": task.pk})


def _in_review(cast: Cast) -> Task:
    return services.task_transition(user=cast.carol, task=cast.task_a, target="in_review")


def test_only_the_reviewer_gets_the_review_form(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    task = _in_review(cast)
    rex = client_for("rex").get(_url("task_detail", task)).content.decode()
    assert "Record review" in rex and "You are reviewing version 1 of “Baseline report”" in rex
    for who in ("carol", "pete", "bob"):
        page = client_for(who).get(_url("task_detail", task)).content.decode()
        assert "Review and acceptance" in page and "Record review" not in page, who


def test_review_form_errors_rerender_and_change_nothing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    task = _in_review(cast)
    data = review_form_data(task, "pass")
    del data["review-score_2"]
    response = client_for("rex").post(_url("quality_review_create", task), data)
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client_for("rex").post(
        _url("quality_review_create", task), review_form_data(task, "send_back")
    )
    assert response.status_code == 400 and "Say what the maker should fix." in response.content.decode()
    task.refresh_from_db()
    assert task.status == "in_review" and not Review.objects.exists()


def test_the_maker_cannot_post_a_review(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    task = _in_review(cast)
    response = client_for("carol").post(_url("quality_review_create", task), review_form_data(task, "pass"))
    assert response.status_code == 403 and not Review.objects.exists()


def test_review_send_back_then_pass_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    task = _in_review(cast)
    rex = client_for("rex")
    data = review_form_data(task, "send_back", value=2, comment="Add the night shift.")
    assert rex.post(_url("quality_review_create", task), data).status_code == 302
    task.refresh_from_db()
    assert task.status == "in_progress"
    page = client_for("carol").get(_url("task_detail", task)).content.decode()
    assert "Sent back" in page and "Add the night shift." in page
    task = services.task_transition(user=cast.carol, task=task, target="in_review")
    assert rex.post(_url("quality_review_create", task), review_form_data(task, "pass", 5)).status_code == 302
    task.refresh_from_db()
    assert task.status == "delivered" and Review.objects.count() == 2


def test_the_client_accepts_and_rates_on_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    task = _in_review(cast)
    pass_review(cast.rex, task)
    bob = client_for("bob")
    assert "Accept or request changes" in bob.get(_url("task_detail", task)).content.decode()
    assert (
        "Accept or request changes" not in client_for("pete").get(_url("task_detail", task)).content.decode()
    )
    missing = bob.post(_url("quality_rating_create", task), {"rating-decision": "accept", "rating-stars": ""})
    assert missing.status_code == 400 and "Give the delivery 1 to 5 stars." in missing.content.decode()
    wrong = bob.post(_url("quality_rating_create", task), {"rating-decision": "accept", "rating-stars": "9"})
    assert wrong.status_code == 400 and not ClientRating.objects.exists()
    done = bob.post(
        _url("quality_rating_create", task),
        {"rating-decision": "accept", "rating-stars": "5", "rating-feedback": "Great."},
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == "accepted" and ClientRating.objects.get().stars == 5
    assert client_for("pete").post(_url("quality_rating_create", task), {}).status_code == 403


def test_rubric_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("quality_rubric", kwargs={"engagement_id": cast.engagement_a.pk})
    bob_page = client_for("bob").get(url)
    assert bob_page.status_code == 200 and "Use of sources" in bob_page.content.decode()
    assert "Save rubric" not in bob_page.content.decode()
    assert client_for("bob").post(url, {}).status_code == 403
    alice = client_for("alice")
    assert "Save rubric" in alice.get(url).content.decode()
    form = {
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Rigour",
        "criteria-0-weight": "3",
        "criteria-1-name": "Brevity",
        "criteria-1-weight": "11",
        "criteria-2-name": "",
        "criteria-2-weight": "",
    }
    assert alice.post(url, form).status_code == 400 and not Rubric.objects.exists()
    form["criteria-1-weight"] = "1"
    assert alice.post(url, form).status_code == 302
    assert Rubric.objects.get().criteria == [
        {"name": "Rigour", "weight": 3},
        {"name": "Brevity", "weight": 1},
    ]
    engagement_page = client_for("pete").get(
        reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    )
    assert "Rigour" in engagement_page.content.decode()


def test_expert_profile_shows_the_score_and_hides_other_clients_work(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    task = _in_review(cast)
    pass_review(cast.rex, task, value=5)
    assert QualityScore.objects.filter(expert=cast.carol.expert_profile, domain="").exists()
    url = reverse("expert_detail", kwargs={"expert_id": cast.carol.expert_profile.pk})
    pete = client_for("pete").get(url).content.decode()
    assert "Quality score" in pete and "credible interval" in pete and SECRET_A in pete  # pete sees task A
    dave = client_for("dave").get(url)
    assert dave.status_code == 200
    body = dave.content.decode()
    assert "Quality score" in body and "credible interval" in body and SECRET_A not in body
    erin = client_for("erin").get(reverse("expert_detail", kwargs={"expert_id": cast.erin.expert_profile.pk}))
    assert "No reviewed work yet" in erin.content.decode()
