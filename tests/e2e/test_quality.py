"""Maker-checker in a real browser: an expert's deliverable is reviewed, sent back, fixed, passed,
delivered and rated; the expert's quality score and the engagement's SLA report change accordingly."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kpo.quality.models import QualityScore
from kpo.work import services
from kpo.work.models import Task
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _task_in_progress(cast: Cast) -> Task:
    """A task walked to "in progress" through the services, with version 1 of its report uploaded."""
    task = services.task_create(
        user=cast.bob,
        engagement=cast.engagement_a,
        title="Oven energy audit",
        description="Where does the gas go?",
        effort_hours=Decimal(8),
        due_at=timezone.now() + dt.timedelta(days=10),
    )
    task = services.task_transition(user=cast.bob, task=task, target="submitted")
    task = services.task_transition(user=cast.pete, task=task, target="staffing")
    for user, role in ((cast.carol, "maker"), (cast.rex, "reviewer")):
        services.assignment_create(
            user=cast.pete, task=task, expert=user.expert_profile, role=role, planned_hours=Decimal(4)
        )
    task = services.task_transition(user=cast.pete, task=task, target="in_progress")
    services.deliverable_upload(
        user=cast.carol,
        task=task,
        upload=services.Upload(stream=io.BytesIO(b"# Ovens\nv1\n"), name="ovens.md"),
        title="Oven report",
    )
    return task


def _review(page: Page, walk: Walk, score: str, decision: str, comment: str = "") -> None:
    form = page.locator("form.review-form")
    for fieldset in form.locator("fieldset.score-field").all()[:-1]:
        fieldset.get_by_label(score, exact=True).check()
    if comment:
        form.get_by_label("Comment").fill(comment)
    form.get_by_label(decision).check()
    form.get_by_role("button", name="Record review").click()


def _profile_score(page: Page, walk: Walk, cast: Cast) -> str:
    page.goto(f"/experts/{cast.carol.expert_profile.pk}/")
    return page.locator("section.quality-score").inner_text()


def _sla_on_time(page: Page, cast: Cast) -> str:
    page.goto(f"/engagements/{cast.engagement_a.pk}/sla/")
    return page.locator('[data-count="on_time"]').inner_text()


def test_review_send_back_fix_pass_deliver_and_rate(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    task = _task_in_progress(cast)
    url = f"/tasks/{task.pk}/"
    walk = Walk(page, shot)

    walk.sign_in("pete")
    before_profile = _profile_score(page, walk, cast)
    assert "No reviewed work yet" in before_profile
    sla_before = _sla_on_time(page, cast)
    shot("01-sla-before")
    walk.sign_out()

    # carol sends version 1 to review
    walk.sign_in("carol")
    page.goto(url)
    walk.act("Send to review", "In review")
    walk.sign_out()

    # rex, the reviewer, scores it low and sends it back with a comment
    walk.sign_in("rex")
    page.goto(url)
    expect(page.locator("form.review-form")).to_contain_text("You are reviewing version 1 of “Oven report”")
    shot("02-rex-review-form")
    form = page.locator("form.review-form")
    form.get_by_label("Send back to the maker").check()
    form.get_by_role("button", name="Record review").click()  # nothing scored, no comment: refused
    expect(page.locator("form.review-form .errorlist").first).to_be_visible()
    shot("03-rex-review-errors")
    _review(page, walk, "2", "Send back to the maker", "Oven 5 is missing; cite the meter logs.")
    walk.flash("Review recorded: sent back to the maker.")
    walk.status_is("In progress")
    walk.sign_out()

    walk.sign_in("pete")
    after_send_back = _profile_score(page, walk, cast)
    assert "No reviewed work yet" not in after_send_back and "Reviews" in after_send_back
    low = QualityScore.objects.get(expert=cast.carol.expert_profile, domain="")
    shot("04-carol-profile-after-send-back")
    walk.sign_out()

    # carol fixes it: version 2, back to review
    walk.sign_in("carol")
    page.goto(url)
    expect(page.locator("#quality")).to_contain_text("Oven 5 is missing; cite the meter logs.")
    page.locator("#deliverables summary").click()
    deliverables = page.locator("#deliverables")
    deliverables.get_by_label("Deliverable", exact=True).select_option(label="New version of “Oven report”")
    deliverables.get_by_label("File").set_input_files(
        files=[{"name": "ovens-v2.md", "mimeType": "text/markdown", "buffer": b"# Ovens\nv2 with oven 5\n"}]
    )
    deliverables.get_by_role("button", name="Upload", exact=True).click()
    walk.flash("Version 2 of “Oven report” uploaded.")
    walk.act("Send to review", "In review")
    walk.sign_out()

    # rex passes version 2: it is delivered
    walk.sign_in("rex")
    page.goto(url)
    expect(page.locator("form.review-form")).to_contain_text("version 2")
    _review(page, walk, "5", "Pass and deliver", "Complete now.")
    walk.flash("Review recorded: passed and delivered to the client.")
    walk.status_is("Delivered")
    shot("05-rex-passed")
    walk.sign_out()

    # bob accepts and rates it
    walk.sign_in("bob")
    page.goto(url)
    rating = page.locator("form.rating-form")
    rating.get_by_label("Decision").select_option("accept")
    rating.get_by_role("button", name="Record decision").click()  # no stars: refused
    expect(page.locator("form.rating-form")).to_contain_text("Give the delivery 1 to 5 stars.")
    rating = page.locator("form.rating-form")
    rating.get_by_label("Decision").select_option("accept")
    rating.get_by_label("Rating").select_option("5")
    rating.get_by_label("Feedback").fill("Exactly what the plant manager needed.")
    rating.get_by_role("button", name="Record decision").click()
    walk.flash("Delivery accepted and rated.")
    walk.status_is("Accepted")
    expect(page.locator("#quality")).to_contain_text("5 stars")
    shot("06-bob-accepted")
    walk.sign_out()

    walk.sign_in("pete")
    after_all = _profile_score(page, walk, cast)
    high = QualityScore.objects.get(expert=cast.carol.expert_profile, domain="")
    assert (high.reviews, high.ratings, high.deliveries, high.on_time) == (2, 1, 1, 1)
    assert high.mean > low.mean and high.lower > low.lower
    assert after_all != after_send_back
    shot("07-carol-profile-after")
    sla_after = _sla_on_time(page, cast)
    assert sla_after != sla_before and "1 of 1" in sla_after
    shot("08-sla-after")
