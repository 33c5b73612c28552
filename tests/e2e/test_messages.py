"""Messages in the browser, in English and Danish: Bob (the client's requester) mentions Carol with a
click, inserts a glossary term with another and sends the message tagged with his language; Carol sees
the new-message marker on her task list, the notice that she was mentioned, and the message on the task
page with the mention marked."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kpo.glossary.services import glossary_term_create
from kpo.work.models import Task
from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "da"])
def test_a_client_mentions_the_expert_with_a_glossary_term(
    page: Page, shot, cast: Cast, language: str
) -> None:  # type: ignore[no-untyped-def]
    walk = Walk(page, shot, language=language)
    t = walk.t
    Task.objects.filter(pk=cast.task_a.pk).update(description="Measure the line's throughput per shift.")
    glossary_term_create(
        user=cast.alice,
        engagement=cast.engagement_a,
        english="Throughput",
        danish="Gennemløb",
        definition="Good gearboxes per hour at the end of the line.",
    )
    glossary_term_create(
        user=cast.alice,
        engagement=cast.engagement_a,
        english="Scrap rate",
        danish="Kassationsrate",
        definition="Share of parts thrown away after inspection.",
    )
    task_url = f"/tasks/{cast.task_a.pk}/"

    page.goto("/login/")
    if language != "en":
        walk.choose_language()
    walk.sign_in("bob")
    page.goto(task_url)
    glossary = page.locator("#glossary")
    expect(glossary).to_contain_text(
        t("%(counter)s term is used in this task", counter=1).replace("%(counter)s", "1")
    )
    expect(glossary.locator("dt").first).to_contain_text("Throughput")  # used in the description: first
    box = page.locator("#id_msg-body")
    page.locator("#mention-list").get_by_role(
        "button", name=t("Mention %(name)s", name="Carol Expert")
    ).click()
    expect(box).to_have_value("@carol ")
    box.press("End")
    box.type("please send the " if language == "en" else "send venligst ")
    term = "Throughput" if language == "en" else "Gennemløb"
    page.locator("#glossary-terms").get_by_role("button", name=t("Insert “%(term)s”", term=term)).click()
    expect(box).to_have_value(
        "@carol please send the Throughput" if language == "en" else "@carol send venligst Gennemløb"
    )
    expect(page.locator("#id_msg-language")).to_have_value(language)  # the writer's language by default
    page.locator("section#messages").scroll_into_view_if_needed()
    shot("01-writing")
    page.get_by_role("button", name=t("Send message")).click()
    walk.flash(t("Message sent."))
    walk.sign_out()

    walk.sign_in("carol")
    expect(page.locator(".count-badge")).to_be_visible()  # an unread notice
    page.goto("/tasks/")
    marker = page.locator("a.badge-new")
    expect(marker).to_have_text(t("%(counter)s new message", counter=1).replace("%(counter)s", "1"))
    shot("02-task-list")
    page.goto("/notices/")
    expect(page.locator("main")).to_contain_text(
        t("%(who)s mentioned you on the task “%(title)s”.", who="Bob Requester", title=cast.task_a.title)
    )
    shot("03-notice")
    page.goto("/tasks/")
    page.locator("a.badge-new").click()
    new = page.locator(".thread li.new")
    expect(new).to_have_count(1)
    expect(new.locator("mark.mention")).to_have_text("@carol")
    expect(new.locator(".badge-language")).to_have_text("EN" if language == "en" else "DA")
    expect(new.locator(".prose")).to_have_attribute("lang", language)
    expect(page.locator("#new-messages")).to_be_visible()
    page.locator("section#messages").scroll_into_view_if_needed()
    shot("04-expert-reads")
    page.reload()
    expect(page.locator(".thread li.new")).to_have_count(0)  # read now
    page.goto("/tasks/")
    expect(page.locator("a.badge-new")).to_have_count(0)
