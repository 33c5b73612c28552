"""The compliance pages and panels: settings, declarations, exceptions, residency, why-not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.compliance.models import (
    Competitor,
    CompliancePolicy,
    ConflictDeclaration,
    ConflictException,
    TransferCountry,
)
from kpo.core.clock import installation_date
from tests.cast import Cast
from tests.compliance.helpers import competitor, job, profile

pytestmark = pytest.mark.django_db


def settings_url(cast: Cast) -> str:
    return reverse("compliance_settings", kwargs={"organisation_id": cast.org_a.pk})


def test_the_organisation_page_links_the_settings_for_client_admins(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    def main(name: str) -> str:  # the page itself; the menu offers the settings to whoever may read them
        url = reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk})
        return client_for(name).get(url).content.decode().split('<main id="main"', 1)[1]

    assert settings_url(cast) in main("alice")
    assert settings_url(cast) not in main("bob")


def test_settings_page_shows_defaults_and_saves_the_policy(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    page = alice.get(settings_url(cast))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="cooling_off_months" value="6"' in body.replace("\n", " ") or 'value="6"' in body
    assert "Switzerland" in body  # the adequacy list
    response = alice.post(
        settings_url(cast),
        {"cooling_off_months": "9", "sensitive_cooling_off_months": "18", "forbid_former_employees": "on"},
    )
    assert response.status_code == 302
    saved = CompliancePolicy.objects.get(client=cast.org_a)
    assert (saved.cooling_off_months, saved.sensitive_cooling_off_months, saved.forbid_former_employees) == (
        9,
        18,
        True,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"cooling_off_months": "-1", "sensitive_cooling_off_months": "12"},
            "cooling_off_months",
            "greater than or equal to 0",
        ),
        (
            {"cooling_off_months": "abc", "sensitive_cooling_off_months": "12"},
            "cooling_off_months",
            "whole number",
        ),
        (
            {"cooling_off_months": "8", "sensitive_cooling_off_months": "4"},
            "sensitive_cooling_off_months",
            "at least the normal",
        ),
    ],
)
def test_bad_policy_input_is_shown_at_the_field(cast: Cast, client_for, data, field, message) -> None:  # type: ignore[no-untyped-def]
    response = client_for("alice").post(settings_url(cast), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_errors"' in body
    assert message in body
    assert not CompliancePolicy.objects.exists()


def test_requesters_and_auditors_read_but_do_not_change(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    competitor(cast.org_a, "Rival Bank")
    for name in ("bob", "aud"):
        page = client_for(name).get(settings_url(cast))
        assert page.status_code == 200
        assert "Rival Bank" in page.content.decode()
        assert "Save policy" not in page.content.decode()
        assert client_for(name).post(settings_url(cast), {"cooling_off_months": "1"}).status_code == 403
    assert client_for("ivan").get(settings_url(cast)).status_code == 403  # A's expert: an insider
    assert client_for("dave").get(settings_url(cast)).status_code == 404


def test_competitors_and_countries_are_added_and_removed_from_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    alice = client_for("alice")
    url = reverse("competitor_add", kwargs={"organisation_id": cast.org_a.pk})
    assert (
        alice.post(url, {"name": "Rival Bank A/S", "organisation": str(cast.provider_q.pk)}).status_code
        == 302
    )
    duplicate = alice.post(url, {"name": "rival bank"})
    assert duplicate.status_code == 400 and "already on the list" in duplicate.content.decode()
    rival = Competitor.objects.get()
    assert rival.organisation_id == cast.provider_q.pk
    country_url = reverse("transfer_country_add", kwargs={"organisation_id": cast.org_a.pk})
    bad = alice.post(country_url, {"country": "ZZ", "mechanism": "scc"})
    assert bad.status_code == 400 and "ZZ is not an ISO 3166 country code" in bad.content.decode()
    no_note = alice.post(country_url, {"country": "IN", "mechanism": "derogation"})
    assert no_note.status_code == 400 and 'id="id_note_errors"' in no_note.content.decode()
    assert (
        alice.post(country_url, {"country": "IN", "mechanism": "scc", "note": "2021 SCCs"}).status_code == 302
    )
    page = alice.get(settings_url(cast)).content.decode()
    assert "India" in page and "Standard contractual clauses" in page and "Rival Bank A/S" in page
    transfer = TransferCountry.objects.get()
    assert (
        alice.post(
            reverse("transfer_country_remove", kwargs={"transfer_country_id": transfer.pk})
        ).status_code
        == 302
    )
    assert alice.post(reverse("competitor_remove", kwargs={"competitor_id": rival.pk})).status_code == 302
    assert not TransferCountry.objects.exists() and not Competitor.objects.exists()


def test_an_expert_declares_and_withdraws_conflicts(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    carol = client_for("carol")
    profile_page = carol.get(reverse("my_profile")).content.decode()
    assert reverse("my_conflicts") in profile_page
    page = carol.get(reverse("my_conflicts"))
    assert page.status_code == 200
    assert cast.org_a.name in page.content.decode()  # a client she works for, to pick
    empty = carol.post(reverse("my_conflicts"), {"name": "", "note": "x"})
    assert empty.status_code == 400 and 'id="id_name_errors"' in empty.content.decode()
    assert (
        carol.post(reverse("my_conflicts"), {"client": str(cast.org_a.pk), "note": "cousin"}).status_code
        == 302
    )
    declaration = ConflictDeclaration.objects.get()
    assert declaration.client_id == cast.org_a.pk and declaration.name == cast.org_a.name
    assert (
        client_for("erin")
        .post(reverse("conflict_withdraw", kwargs={"conflict_id": declaration.pk}))
        .status_code
        == 404
    )
    assert carol.post(reverse("conflict_withdraw", kwargs={"conflict_id": declaration.pk})).status_code == 302
    assert not ConflictDeclaration.objects.exists()
    assert client_for("dave").get(reverse("my_conflicts")).status_code == 404  # no expert profile


def test_exception_from_why_not_to_the_task_panel(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", installation_date(timezone.now()) - dt.timedelta(days=20))
    pete = client_for("pete")
    find = reverse("find_experts", kwargs={"task_id": cast.task_a.pk})
    why = pete.get(find, {"why_not": erin.pk}).content.decode()
    assert "Conflict of interest" in why and "worked at Rival Bank until" in why
    form_url = reverse("coi_exception_create", kwargs={"task_id": cast.task_a.pk})
    assert f"{form_url}?expert={erin.pk}" in why
    form = pete.get(form_url, {"expert": erin.pk})
    assert form.status_code == 200 and "worked at Rival Bank until" in form.content.decode()
    missing = pete.post(form_url, {"expert": str(erin.pk), "justification": "   "})
    assert missing.status_code == 400 and 'id="id_justification_errors"' in missing.content.decode()
    not_conflicted = pete.post(form_url, {"expert": str(profile(cast, "rex").pk), "justification": "x"})
    assert not_conflicted.status_code == 400 and 'id="id_expert_errors"' in not_conflicted.content.decode()
    assert not ConflictException.objects.exists()
    done = pete.post(form_url, {"expert": str(erin.pk), "justification": "Desk was retail, not ours."})
    assert done.status_code == 302
    assert AuditEntry.objects.filter(event="exception_granted").count() == 1
    why = pete.get(find, {"why_not": erin.pk}).content.decode()
    assert "exception recorded" in why and "Desk was retail, not ours." in why
    task_page = (
        client_for("alice").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    )
    assert "Conflict-of-interest exceptions" in task_page and "Desk was retail, not ours." in task_page
    carol_page = (
        client_for("carol").get(reverse("task_detail", kwargs={"task_id": cast.task_a.pk})).content.decode()
    )
    assert "Desk was retail" not in carol_page  # the maker does not see exceptions
    assert client_for("bob").get(form_url).status_code == 403
    exception = ConflictException.objects.get()
    revoke = reverse("coi_exception_revoke", kwargs={"coi_exception_id": exception.pk})
    assert client_for("bob").post(revoke).status_code == 403
    back = client_for("alice").post(
        revoke, {"next": reverse("task_detail", kwargs={"task_id": cast.task_a.pk})}
    )
    assert back.status_code == 302 and back["Location"].endswith(f"/tasks/{cast.task_a.pk}/")
    assert not ConflictException.objects.exists()


def test_the_engagement_page_shows_where_personal_data_may_go(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_a.pk})
    assert "Where the personal data may go" not in client_for("alice").get(url).content.decode()
    cast.engagement_a.contains_personal_data = True
    cast.engagement_a.save()
    TransferCountry.objects.create(client=cast.org_a, country="IN", mechanism="scc", recorded_by=cast.alice)
    body = client_for("pete").get(url).content.decode()
    assert "Where the personal data may go" in body
    assert "The EU/EEA" in body and "Japan" in body and "India" in body
    cast.org_b.country = "US"
    cast.org_b.save()
    cast.engagement_b.contains_personal_data = True
    cast.engagement_b.save()
    body = (
        client_for("dave")
        .get(reverse("engagement_detail", kwargs={"engagement_id": cast.engagement_b.pk}))
        .content.decode()
    )
    assert "is outside the EU/EEA, so only the countries it lists apply" in body
    assert "none yet: no expert is eligible." in body
