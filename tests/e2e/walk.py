"""The steps of the browser walks, in any interface language.

Every text the walk reads or clicks comes from the message catalogue (`Walk.t`), so the same walk runs in
English and in Danish; only the data the users type (titles, comments, files) stays the same.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template import Context, Template
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from kpo.core.formatting import money
from kpo.engine.watermark import normalise
from tests.cast import PASSWORD

BRIEF = b"# Brief\nMeasure the throughput of line 3 and compare it with line 4.\n"
FINDINGS_V1 = b"# Findings\nLine 3 runs at 82 % of line 4.\n"
FINDINGS_V2 = b"# Findings, revised\nLine 3 runs at 82 % of line 4; line 4 was measured over two shifts.\n"
ENGAGEMENT = "Gearbox line balancing"
TASK = "Measure line 3 throughput"
DUE_INPUT = "2027-01-15T12:00"  # in bob's time zone (Europe/Copenhagen)
DUE = dt.datetime(2027, 1, 15, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Copenhagen"))
BUDGET = Decimal(250000)


@dataclass
class Walk:
    """One browser page, the screenshot taker and the interface language the walk expects to see."""

    page: Page
    shot: Callable[[str], Path]
    language: str = "en"

    # --- texts in the walk's language ----------------------------------------------------------------

    def t(self, message: str, **values: Any) -> str:
        """`message` as the interface shows it in the walk's language, with `values` filled in."""
        with translation.override(self.language):
            text = gettext(message)
            return text % values if values else text

    def localized(self, value: Any) -> str:
        with translation.override(self.language):
            return str(formats.localize(value))

    def money(self, amount: Decimal, currency: str) -> str:
        with translation.override(self.language):
            return money(amount, currency)

    def moment(self, value: dt.datetime, zone: str) -> str:
        with translation.override(self.language), timezone.override(zoneinfo.ZoneInfo(zone)):
            return Template("{% load kpo %}{{ value|when }}").render(Context({"value": value}))

    # --- steps -------------------------------------------------------------------------------------------

    def choose_language(self) -> None:
        """Switch the interface language with the switch in the page header."""
        name = capfirst(translation.get_language_info(self.language)["name_local"])
        self.page.locator(".lang-switch").get_by_role("button", name=name, exact=True).click()
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        page = self.page
        page.goto("/login/")
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        page.get_by_label(capfirst(self.t("username"))).fill(username)
        page.get_by_label(self.t("Password")).fill(password)
        page.get_by_role("button", name=self.t("Sign in"), exact=True).click()
        welcome = self.t("Welcome, %(name)s").split("%(name)s")[0]
        expect(page.get_by_role("heading", level=1)).to_contain_text(welcome)

    def sign_out(self) -> None:
        self.page.get_by_role("button", name=self.t("Sign out")).click()
        expect(self.page).to_have_url(re.compile(r"/login/"))
        expect(self.page.locator(".flash-info")).to_contain_text(self.t("You have been signed out."))

    def go(self, link: str) -> None:
        """Open a page from the main menu as a person would: open its group's menu, then click the link."""
        nav = self.page.locator("nav.main-nav")
        target = nav.get_by_role("link", name=self.t(link), exact=True)
        if not target.is_visible():
            inside = self.page.locator("a").get_by_text(
                self.t(link), exact=True
            )  # closed: not in the a11y tree
            nav.locator("li.menu").filter(has=inside).locator("summary").click()
        target.click()
        expect(nav.locator('a[aria-current="page"]')).to_have_text(self.t(link))

    def flash(self, text: str) -> None:
        expect(self.page.locator(".flash-success")).to_contain_text(text)

    def act(self, action: str, status: str) -> None:
        """Press a lifecycle button in the "What you can do now" panel; the flash names the new status."""
        self.page.get_by_role("button", name=self.t(action), exact=True).click()
        self.flash(self.t("The task is now “%(status)s”.", status=self.t(status)))
        self.status_is(status)

    def status_is(self, status: str) -> None:
        expect(self.page.locator(".page-head .lede .badge").first).to_have_text(self.t(status))


def pass_review(walk: Walk, score: str = "4", comment: str = "") -> None:
    """The reviewer scores every rubric criterion and passes the work: only passed work is delivered."""
    form = walk.page.locator("form.review-form")
    for fieldset in form.locator("fieldset.score-field").all()[:-1]:  # the last one is the decision
        fieldset.get_by_label(score, exact=True).check()
    if comment:
        form.get_by_label(walk.t("Comment")).fill(comment)
    form.get_by_label(walk.t("Pass and deliver")).check()
    form.get_by_role("button", name=walk.t("Record review")).click()
    walk.flash(walk.t("Review recorded: passed and delivered to the client."))
    walk.status_is("Delivered")


def lifecycle(walk: Walk) -> None:
    """The whole task lifecycle: bob orders, pete staffs, carol delivers, rex reviews, bob accepts."""
    page, t, shot = walk.page, walk.t, walk.shot

    # bob, client A's requester, opens kpo, chooses his language and signs in through the form
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    if walk.language != "en":
        walk.choose_language()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in to kpo"))
    shot("01-login")
    walk.sign_in("bob")
    shot("02-bob-dashboard")

    # ... creates an engagement
    walk.go("Engagements")
    page.get_by_role("link", name=t("New engagement")).click()
    page.get_by_label(t("Title")).fill(ENGAGEMENT)
    page.get_by_label(t("Objective")).fill("Find out why line 3 is slower than line 4, and what to change.")
    page.get_by_label(t("Provider")).select_option(label="Pinnacle Insight")
    page.get_by_label(t("Domain")).select_option(label=t("Technical analysis"))
    page.get_by_label(t("Budget")).fill(str(BUDGET))
    page.get_by_label(t("Currency")).fill("DKK")
    shot("03-engagement-form")
    page.get_by_role("button", name=t("Create engagement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGAGEMENT)
    walk.flash(t("Engagement “%(title)s” created.", title=ENGAGEMENT))
    expect(page.locator("[aria-labelledby=about-title] .facts")).to_contain_text(walk.money(BUDGET, "DKK"))
    expect(page.locator("[aria-labelledby=about-title] .facts")).to_contain_text(t("Technical analysis"))
    shot("04-engagement-detail")

    # ... and a draft task
    page.get_by_role("link", name=t("New task")).click()
    page.get_by_label(t("Title")).fill(TASK)
    page.get_by_label(t("Description")).fill(
        "Measure cycle times on line 3 for one week and compare with line 4."
    )
    page.get_by_label(t("Effort estimate (hours)")).fill("12")
    page.get_by_label(t("Due")).fill(DUE_INPUT)
    page.get_by_label(t("Priority")).select_option(label=t("High"))
    page.get_by_role("button", name=t("Save draft")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TASK)
    walk.status_is("Draft")
    expect(page.locator(".page-head .lede")).to_contain_text(walk.moment(DUE, "Europe/Copenhagen"))
    task_url = page.url

    # bob attaches the brief, then submits the task
    page.locator("#documents summary", has_text=t("Attach material")).click()
    page.locator("#id_doc-title").fill("Brief")
    page.locator("#id_doc-file").set_input_files(
        files=[{"name": "brief.md", "mimeType": "text/markdown", "buffer": BRIEF}]
    )
    page.get_by_role("button", name=t("Attach"), exact=True).click()
    walk.flash(t("“%(title)s” added to the task.", title="Brief"))
    shot("05-task-draft-with-brief")
    walk.act("Submit to provider", "Submitted")
    shot("06-task-submitted")
    walk.sign_out()

    # pete, the provider's manager, staffs it and starts work
    walk.sign_in("pete")
    shot("07-pete-dashboard")
    page.goto(task_url)
    walk.act("Start staffing", "Staffing")
    page.locator("#staffing").get_by_role("link", name=t("Choose an expert")).click()
    for expert, button, hours in (
        ("Carol Expert", "Assign as maker", "12"),
        ("Rex Reviewer", "Assign as reviewer", "2"),
    ):
        page.get_by_label(t("Name or skill")).fill(expert.split()[0])
        page.get_by_role("button", name=t("Search"), exact=True).click()
        row = page.get_by_role("row").filter(has_text=expert)
        row.get_by_label(t("Planned hours")).fill(hours)
        row.get_by_role("button", name=t(button), exact=True).click()
        walk.flash(expert)
    page.goto(task_url)
    shot("08-task-staffed")
    walk.act("Start work", "In progress")
    walk.sign_out()

    # carol, the maker, downloads the brief, delivers, logs time, writes, and sends to review
    walk.sign_in("carol")
    shot("09-carol-dashboard")
    page.get_by_role("link", name=TASK).first.click()
    expect(page.get_by_role("button", name=t("Send to review"), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=t("Accept"), exact=True)).to_have_count(0)
    with page.expect_download() as download_info:
        page.locator("#documents").get_by_role("link", name="Brief").click()
    download = download_info.value
    assert download.suggested_filename == "brief.md"
    copy = Path(download.path()).read_bytes().decode()  # the vault marks carol's copy for her
    assert copy != BRIEF.decode() and normalise(copy).startswith(BRIEF.decode())
    deliverables = page.locator("#deliverables")
    deliverables.get_by_label(t("Title of a new deliverable")).fill("Line 3 findings")
    deliverables.get_by_label(t("File")).set_input_files(
        files=[{"name": "findings.md", "mimeType": "text/markdown", "buffer": FINDINGS_V1}]
    )
    deliverables.get_by_role("button", name=t("Upload"), exact=True).click()
    walk.flash(t("Version %(number)s of “%(title)s” uploaded.", number=1, title="Line 3 findings"))
    time = page.locator("#time")
    time.locator("summary").click()
    time.get_by_label(t("Hours")).fill("3.5")
    time.get_by_label(t("What you did")).fill("Cycle-time measurements, shift 1")
    time.get_by_role("button", name=t("Log time"), exact=True).click()
    walk.flash(t("%(hours)s h logged.", hours=walk.localized(Decimal("3.5"))))
    page.locator("section#messages").get_by_label(t("Message")).fill(
        "First findings are up; line 4 data is from one shift."
    )
    page.get_by_role("button", name=t("Send message")).click()
    walk.flash(t("Message sent."))
    shot("10-carol-delivered-v1")
    walk.act("Send to review", "In review")
    walk.sign_out()

    # rex, the reviewer, passes it
    walk.sign_in("rex")
    page.goto(task_url)
    shot("11-rex-review")
    pass_review(walk)
    walk.sign_out()

    # bob asks for changes, with a comment
    walk.sign_in("bob")
    page.goto(task_url)
    shot("12-bob-delivered")
    page.locator(".next-steps summary", has_text=t("Request changes")).click()
    page.locator("#comment-request_changes").fill("Please measure line 4 over two shifts as well.")
    walk.act("Request changes", "Changes requested")
    shot("13-changes-requested")
    walk.sign_out()

    # carol uploads version 2 and sends it to review again
    walk.sign_in("carol")
    page.goto(task_url)
    walk.act("Resume work", "In progress")
    page.locator("#deliverables summary").click()
    deliverables = page.locator("#deliverables")
    deliverables.get_by_label(t("Deliverable"), exact=True).select_option(
        label=t("New version of “%(title)s”", title="Line 3 findings")
    )
    deliverables.get_by_label(t("File")).set_input_files(
        files=[{"name": "findings-v2.md", "mimeType": "text/markdown", "buffer": FINDINGS_V2}]
    )
    deliverables.get_by_label(t("Note for the reviewer")).fill("Line 4 now measured over two shifts.")
    deliverables.get_by_role("button", name=t("Upload"), exact=True).click()
    walk.flash(t("Version %(number)s of “%(title)s” uploaded.", number=2, title="Line 3 findings"))
    walk.act("Send to review", "In review")
    shot("14-carol-v2-in-review")
    walk.sign_out()

    walk.sign_in("rex")
    page.goto(task_url)
    pass_review(walk)
    walk.sign_out()

    # bob accepts: the Accept button opens the rating form, which records stars and feedback and accepts
    walk.sign_in("bob")
    page.goto(task_url)
    expect(page.get_by_role("button", name=t("Accept"), exact=True)).to_have_count(0)
    page.get_by_role("link", name=t("%(action)s with a rating…", action=t("Accept"))).click()
    rating = page.locator("form#accept-and-rate")
    rating.get_by_label(t("Decision")).select_option("accept")
    rating.get_by_label(t("Rating")).select_option("4")
    rating.get_by_label(t("Feedback")).fill("Clear, and the two-shift data settles it.")
    rating.get_by_role("button", name=t("Record decision"), exact=True).click()
    walk.flash(t("Delivery accepted and rated."))
    walk.status_is("Accepted")
    expect(page.locator(".next-steps button")).to_have_count(0)
    shot("15-accepted")
    with page.expect_download() as download_info:
        page.locator("#deliverables").get_by_role("link", name=t("Version %(number)s", number=2)).click()
    assert Path(download_info.value.path()).read_bytes() == FINDINGS_V2

    # a phone-sized look at the finished task
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", walk.language)
    shot("16-accepted-phone")
