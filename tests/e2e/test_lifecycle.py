"""The whole task lifecycle in a real browser, and a tenant who cannot reach another's pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.cast import PASSWORD, SECRET_A, Cast

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BRIEF = b"# Brief\nMeasure the throughput of line 3 and compare it with line 4.\n"
FINDINGS_V1 = b"# Findings\nLine 3 runs at 82 % of line 4.\n"
FINDINGS_V2 = b"# Findings, revised\nLine 3 runs at 82 % of line 4; line 4 was measured over two shifts.\n"


def sign_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def act(page: Page, label: str) -> None:
    """Press a lifecycle button in the "What you can do now" panel and check the flash."""
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("The task is now")


def status_is(page: Page, text: str) -> None:
    expect(page.locator(".page-head .lede .badge").first).to_have_text(text)


def test_lifecycle_through_the_browser(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    # bob, client A's requester, signs in through the form
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    shot("01-login")
    sign_in(page, "bob")
    shot("02-bob-dashboard")

    # ... creates an engagement
    page.get_by_role("link", name="Engagements", exact=True).click()
    page.get_by_role("link", name="New engagement").click()
    page.get_by_label("Title").fill("Gearbox line balancing")
    page.get_by_label("Objective").fill("Find out why line 3 is slower than line 4, and what to change.")
    page.get_by_label("Provider").select_option(label="Pinnacle Insight")
    page.get_by_label("Domain").select_option(label="Technical analysis")
    page.get_by_label("Budget").fill("250000")
    page.get_by_label("Currency").fill("DKK")
    shot("03-engagement-form")
    page.get_by_role("button", name="Create engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gearbox line balancing")
    expect(page.locator(".flash-success")).to_contain_text("created")
    shot("04-engagement-detail")

    # ... and a draft task
    page.get_by_role("link", name="New task").click()
    page.get_by_label("Title").fill("Measure line 3 throughput")
    page.get_by_label("Description").fill(
        "Measure cycle times on line 3 for one week and compare with line 4."
    )
    page.get_by_label("Effort estimate (hours)").fill("12")
    page.get_by_label("Due").fill("2027-01-15T12:00")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measure line 3 throughput")
    status_is(page, "Draft")
    task_url = page.url

    # bob attaches the brief, then submits the task
    page.get_by_text("Attach material").click()
    page.locator("#id_doc-title").fill("Brief")
    page.locator("#id_doc-file").set_input_files(
        files=[{"name": "brief.md", "mimeType": "text/markdown", "buffer": BRIEF}]
    )
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Brief")
    shot("05-task-draft-with-brief")
    act(page, "Submit to provider")
    status_is(page, "Submitted")
    shot("06-task-submitted")
    sign_out(page)

    # pete, the provider's manager, staffs it and starts work
    sign_in(page, "pete")
    shot("07-pete-dashboard")
    page.goto(task_url)
    act(page, "Start staffing")
    staffing = page.locator("#staffing")
    staffing.get_by_role("combobox", name="Expert").select_option(label="Carol Expert · Production engineer")
    staffing.get_by_role("combobox", name="Role").select_option(label="Maker")
    staffing.get_by_label("Planned hours").fill("12")
    staffing.get_by_role("button", name="Assign").click()
    expect(page.locator(".flash-success")).to_contain_text("Carol Expert")
    staffing.get_by_role("combobox", name="Expert").select_option(
        label="Rex Reviewer · Senior process analyst"
    )
    staffing.get_by_role("combobox", name="Role").select_option(label="Reviewer")
    staffing.get_by_label("Planned hours").fill("2")
    staffing.get_by_role("button", name="Assign").click()
    expect(page.locator(".flash-success")).to_contain_text("Rex Reviewer")
    shot("08-task-staffed")
    act(page, "Start work")
    status_is(page, "In progress")
    sign_out(page)

    # carol, the maker, downloads the brief, delivers, logs time, writes, and sends to review
    sign_in(page, "carol")
    shot("09-carol-dashboard")
    page.get_by_role("link", name="Measure line 3 throughput").first.click()
    expect(page.get_by_role("button", name="Send to review")).to_be_visible()
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    with page.expect_download() as download_info:
        page.locator("#documents").get_by_role("link", name="Brief").click()
    download = download_info.value
    assert download.suggested_filename == "brief.md"
    with open(download.path(), "rb") as handle:
        assert handle.read() == BRIEF
    deliverables = page.locator("#deliverables")
    deliverables.get_by_label("Title of a new deliverable").fill("Line 3 findings")
    deliverables.get_by_label("File").set_input_files(
        files=[{"name": "findings.md", "mimeType": "text/markdown", "buffer": FINDINGS_V1}]
    )
    deliverables.get_by_role("button", name="Upload").click()
    expect(page.locator(".flash-success")).to_contain_text("Version 1")
    page.locator("#time summary").click()
    page.get_by_label("Hours").fill("3.5")
    page.get_by_label("What you did").fill("Cycle-time measurements, shift 1")
    page.locator("#time").get_by_role("button", name="Log time").click()
    expect(page.locator(".flash-success")).to_contain_text("logged")
    page.locator("#messages").get_by_label("Message").fill(
        "First findings are up; line 4 data is from one shift."
    )
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".flash-success")).to_contain_text("Message sent")
    shot("10-carol-delivered-v1")
    act(page, "Send to review")
    status_is(page, "In review")
    sign_out(page)

    # rex, the reviewer, passes it
    sign_in(page, "rex")
    page.goto(task_url)
    shot("11-rex-review")
    act(page, "Pass review and deliver")
    status_is(page, "Delivered")
    sign_out(page)

    # bob asks for changes, with a comment
    sign_in(page, "bob")
    page.goto(task_url)
    shot("12-bob-delivered")
    page.locator(".next-steps summary", has_text="Request changes").click()
    page.locator("#comment-request_changes").fill("Please measure line 4 over two shifts as well.")
    page.get_by_role("button", name="Request changes", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Changes requested")
    shot("13-changes-requested")
    sign_out(page)

    # carol uploads version 2 and sends it to review again
    sign_in(page, "carol")
    page.goto(task_url)
    act(page, "Resume work")
    page.locator("#deliverables summary").click()
    deliverables = page.locator("#deliverables")
    deliverables.get_by_label("Deliverable", exact=True).select_option(
        label="New version of “Line 3 findings”"
    )
    deliverables.get_by_label("File").set_input_files(
        files=[{"name": "findings-v2.md", "mimeType": "text/markdown", "buffer": FINDINGS_V2}]
    )
    deliverables.get_by_label("Note for the reviewer").fill("Line 4 now measured over two shifts.")
    deliverables.get_by_role("button", name="Upload").click()
    expect(page.locator(".flash-success")).to_contain_text("Version 2")
    act(page, "Send to review")
    shot("14-carol-v2-in-review")
    sign_out(page)

    sign_in(page, "rex")
    page.goto(task_url)
    act(page, "Pass review and deliver")
    sign_out(page)

    # bob accepts
    sign_in(page, "bob")
    page.goto(task_url)
    act(page, "Accept")
    status_is(page, "Accepted")
    expect(page.locator(".next-steps button")).to_have_count(0)
    shot("15-accepted")
    with page.expect_download() as download_info:
        page.locator("#deliverables").get_by_role("link", name=re.compile("Version 2")).click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read() == FINDINGS_V2

    # a phone-sized look at the finished task
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot("16-accepted-phone")


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
    sign_in(page, "dave")
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
    sign_in(page, "alice")
    page.get_by_role("link", name="Engagements", exact=True).click()
    expect(page.get_by_role("link", name=cast.engagement_a.title)).to_be_visible()
    shot("01-engagement-list")
    page.get_by_role("link", name="New engagement").click()
    page.get_by_label("Budget").fill("-5")
    page.get_by_label("Currency").fill("XYZ")
    page.get_by_role("button", name="Create engagement").click()
    expect(page.locator(".form-errors")).to_be_visible()
    shot("02-engagement-form-errors")
    page.get_by_role("link", name="Tasks", exact=True).click()
    shot("03-task-list")
    page.get_by_role("link", name="Experts", exact=True).click()
    page.get_by_role("searchbox", name="Skill").fill("statistic")
    expect(page.locator("#id_skill option").nth(1)).to_be_attached()
    shot("04-expert-list")
    page.get_by_role("link", name="Carol Expert").click()
    shot("05-expert-profile")
    page.get_by_role("link", name="Organisation", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.org_a.name)
    shot("06-organisation")
    page.get_by_role("link", name="API tokens").click()
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
