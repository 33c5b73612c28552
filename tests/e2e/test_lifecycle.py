"""The whole task lifecycle in a real browser, and a tenant who cannot reach another's pages.

The lifecycle's steps live in tests/e2e/walk.py, shared with the same walk in Danish (test_danish.py).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.cast import SECRET_A, Cast
from tests.e2e.walk import Walk, lifecycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lifecycle_through_the_browser(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    lifecycle(Walk(page, shot, language="en"))


def test_other_tenant_cannot_reach_client_a(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    task, engagement = cast.task_a, cast.engagement_a
    urls = [
        f"/engagements/{engagement.pk}/",
        f"/engagements/{engagement.pk}/edit/",
        f"/engagements/{engagement.pk}/tasks/new",
        f"/tasks/{task.pk}/",
        f"/tasks/{task.pk}/edit/",
        f"/tasks/{cast.draft_a.pk}/",
        f"/tasks/{task.pk}/documents/{cast.document_a.pk}/download",
        f"/tasks/{task.pk}/deliverables/{cast.deliverable_a.pk}/versions/{cast.version_a.pk}/download",
        f"/experts/{cast.ivan_profile.pk}/",
        f"/organisations/{cast.org_a.pk}/",
    ]
    Walk(page, shot).sign_in("dave")
    for url in urls:
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, url
        assert SECRET_A not in page.content(), url
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    shot("01-dave-404")
    for url in ("/", "/engagements/", "/tasks/", "/experts/?q=Zephyr", "/experts/"):
        page.goto(url)
        assert SECRET_A not in page.content(), url
    page.goto("/engagements/")
    shot("02-dave-engagements")


def test_tour_of_the_other_pages(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    walk = Walk(page, shot)
    walk.sign_in("alice")
    walk.go("Engagements")
    expect(page.get_by_role("link", name=cast.engagement_a.title)).to_be_visible()
    shot("01-engagement-list")
    page.get_by_role("link", name="New engagement").click()
    page.get_by_label("Budget").fill("-5")
    page.get_by_label("Currency").fill("XYZ")
    page.get_by_role("button", name="Create engagement").click()
    expect(page.locator(".form-errors")).to_be_visible()
    shot("02-engagement-form-errors")
    walk.go("Tasks")
    shot("03-task-list")
    walk.go("Experts")
    page.get_by_role("searchbox", name="Skill").fill("statistic")
    expect(page.locator("#id_skill option").nth(1)).to_be_attached()
    shot("04-expert-list")
    page.get_by_role("link", name="Carol Expert").click()
    shot("05-expert-profile")
    walk.go("Members and settings")
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.org_a.name)
    shot("06-organisation")
    walk.go("API tokens")
    page.get_by_label("Name").fill("Reporting script")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("kpo_")
    shot("07-token-created")
    page.get_by_role("button", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    shot("08-danish")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/experts/")
    shot("09-expert-list-phone")
