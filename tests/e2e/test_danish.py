"""The lifecycle walk in Danish: the language is chosen with the switch in the page header and stays
chosen through every sign-out and sign-in; every text the walk reads comes from the Danish catalogue.
Also the audit trail, the member search and wrapped chart labels, in English and in Danish."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from kpo.audit.models import AuditEntry, ChainVerification
from kpo.audit.services import audit
from kpo.audit.verification import verify_and_record
from kpo.economics.commercials.presenters import LABEL_CHARS
from kpo.engine.taxonomy import Domain
from kpo.experts.models import DomainChoice
from kpo.work.models import Engagement
from tests.cast import Cast, crowd, issued_invoice
from tests.e2e.walk import Walk, lifecycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lifecycle_in_danish(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    lifecycle(Walk(page, shot, language="da"))


def test_directory_and_figures_in_danish(page: Page, shot, cast: Cast) -> None:  # type: ignore[no-untyped-def]
    """Countries, languages, money and dates on the list and profile pages read as Danish."""
    walk = Walk(page, shot, language="da")
    page.goto("/login/")
    walk.choose_language()
    walk.sign_in("alice")
    walk.go("Engagements")
    row = page.get_by_role("row").filter(has_text=cast.engagement_a.title)
    expect(row).to_contain_text(walk.money(cast.engagement_a.budget, cast.engagement_a.currency))
    shot("01-engagement-list")
    walk.go("Experts")
    country = page.get_by_label(walk.t("Country"), exact=True)
    expect(country.locator("option", has_text="Danmark")).to_have_count(1)
    country.select_option(label="Indien")
    page.get_by_role("button", name=walk.t("Apply")).click()
    expect(page.get_by_role("link", name="Carol Expert")).to_be_visible()
    shot("02-expert-list")
    page.get_by_role("link", name="Carol Expert").click()
    profile = cast.carol.expert_profile
    expect(page.locator("[aria-labelledby=facts-title] .facts")).to_contain_text(
        walk.money(profile.bill_rate, profile.rate_currency)
    )
    expect(page.locator("[aria-labelledby=facts-title] .facts")).to_contain_text("Indien")
    shot("03-expert-profile")


def _invoice(cast: Cast) -> None:
    """An issued invoice of an engagement in the domain whose label was cut on the client dashboard."""
    Engagement.objects.filter(pk=cast.engagement_a.pk).update(domain=Domain.DATA_ANALYSIS.value)
    issued_invoice(cast)


def _audit_history(cast: Cast, *, broken: bool) -> ChainVerification:
    """Entries of the main kinds for client A, and a stored check of the chain (broken: one edited)."""
    task = ("task", cast.task_a.pk)
    audit(cast.bob, "transition", task, cast.org_a, {"from": "in_review", "to": "delivered", "comment": "Ok"})
    audit(
        cast.alice,
        "membership_role_changed",
        ("user", cast.bob.pk),
        cast.org_a,
        {"user": "bob", "roles": [["requester"], ["client_admin", "requester"]]},
    )
    audit(
        cast.alice,
        "org_settings_changed",
        ("organisation", cast.org_a.pk),
        cast.org_a,
        {"changes": {"time_zone": ["Europe/Copenhagen", "Europe/Berlin"], "description": "changed"}},
    )
    audit(
        cast.carol,
        "download",
        ("task_document", 1),
        cast.org_a,
        {
            "task": cast.task_a.pk,
            "file": "brief.txt",
            "sha256": "ab" * 32,
            "watermarked": True,
            "channel": "web",
        },
    )
    audit(
        cast.alice,
        "break_glass_approved",
        ("break_glass", 1),
        cast.org_a,
        {"operator": "ops", "hours": 4, "reason": "Incident 7", "expires_at": "2026-12-07T23:30:00+00:00"},
    )
    if broken:
        second = AuditEntry.objects.filter(organisation=cast.org_a).order_by("seq")[1]
        AuditEntry.objects.filter(pk=second.pk).update(details={"forged": True})
    return verify_and_record()


@pytest.mark.parametrize("language", ["en", "da"])
def test_audit_trail_member_search_and_chart_labels(page: Page, shot, cast: Cast, language: str) -> None:  # type: ignore[no-untyped-def]
    """The auditor reads the trail (details in words, the chain's status on top), the admin finds a
    member among many, and a long domain label wraps on the client dashboard's chart; in English (the
    chain verified) and in Danish (the chain broken)."""
    walk = Walk(page, shot, language=language)
    t = walk.t
    checked = _audit_history(cast, broken=language == "da")
    crowd(cast.org_a, 60)
    page.goto("/login/")
    if language != "en":
        walk.choose_language()

    walk.sign_in("aud")
    page.goto(reverse("audit_log"))
    status = page.locator(".chain-status")
    if checked.ok:
        expect(status).to_have_class(re.compile("flash-success"))
        expect(status).to_contain_text(str(checked.head_seq))
    else:
        expect(status).to_have_class(re.compile("flash-error"))
        expect(status).to_contain_text(str(checked.first_bad_seq))
    expect(page.locator(".audit-details").first).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text(t("Delivered"))
    shot("01-audit-trail")
    page.get_by_label(t("Who")).fill("alice")
    page.get_by_role("button", name=t("Apply")).click()
    expect(page.get_by_role("table")).not_to_contain_text("brief.txt")
    shot("02-audit-trail-filtered")
    walk.sign_out()

    walk.sign_in("alice")
    page.goto(reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk}))
    expect(page.locator("#members .pagination")).to_be_visible()
    page.get_by_label(t("Find people")).fill(t("Auditor"))
    page.get_by_role("button", name=t("Search")).click()
    expect(page.locator("#members tbody tr")).to_have_count(1)
    expect(page.locator("#members tbody")).to_contain_text("Aud Itor")
    shot("03-member-search")
    _invoice(cast)
    page.goto(reverse("client_commercials"))
    label = page.locator("#chart-domain-caption ~ svg text.chart-label").first
    with translation.override(language):
        full = str(DomainChoice(Domain.DATA_ANALYSIS.value).label)
    expect(label.locator("title")).to_have_text(full)  # the whole label as its tooltip
    expect(label.locator("tspan")).to_have_count(2 if len(full) > LABEL_CHARS else 1)
    expect(page.locator("#chart-domain-caption ~ details table")).to_contain_text(full)  # the table fallback
    shot("04-chart-labels")
