"""Redaction in the browser: Alice declares a code name, Bob previews it, Carol reads the redacted text."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.cast import Cast
from tests.e2e.walk import Walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESCRIPTION = (
    "Measure line 2 for Falcon. Ask Ann Lee (ann.lee@acme-example.dk, +45 20 12 34 56) for the MES export; "
    "her CPR 010190-1234 is on the access list."
)


def test_a_declared_term_and_personal_data_are_hidden_from_the_expert(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    cast.task_a.description = DESCRIPTION
    cast.task_a.save()
    walk = Walk(page, shot)
    walk.sign_in("alice")
    page.goto(f"/organisations/{cast.org_a.pk}/sensitive-terms/")
    for term, category in (("Falcon", "Product or code name"), ("Ann Lee", "Person")):
        page.get_by_role("textbox", name="Term").fill(term)
        page.get_by_role("combobox", name="Category").select_option(label=category)
        page.get_by_role("button", name="Add term").click()
        expect(page.locator("#terms")).to_contain_text(term)
    page.get_by_role("textbox", name="Term").fill("FALCON")
    page.get_by_role("button", name="Add term").click()
    expect(page.locator(".errorlist")).to_contain_text("already declared")
    shot("01-terms")
    walk.sign_out()

    walk.sign_in("bob")
    page.goto(f"/tasks/{cast.task_a.pk}/")
    expect(page.locator("#brief-title + p")).to_contain_text("Measure line 2 for Falcon")
    preview = page.locator("#redaction-preview")
    expect(preview.locator("mark.placeholder")).to_have_text(
        ["[PRODUCT-1]", "[PERSON-1]", "[EMAIL-1]", "[PHONE-1]", "[CPR-1]"]
    )
    expect(preview).to_contain_text("CPR numbers")
    preview.scroll_into_view_if_needed()
    shot("02-preview")
    walk.sign_out()

    walk.sign_in("carol")
    page.goto(f"/tasks/{cast.task_a.pk}/")
    brief = page.locator("#brief-title + p")
    expect(brief).to_have_text(
        "Measure line 2 for [PRODUCT-1]. Ask [PERSON-1] ([EMAIL-1], [PHONE-1]) for the MES export; "
        "her CPR [CPR-1] is on the access list."
    )
    expect(page.locator("#redaction-preview")).to_have_count(0)
    shot("03-expert")
