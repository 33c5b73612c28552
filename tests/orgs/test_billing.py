"""Billing details of an organisation: set by its admins on its page, checked, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.orgs.billing import organisation_billing_update
from kpo.orgs.models import Organisation
from tests.cast import Cast

pytestmark = pytest.mark.django_db

GOOD_DK = "DK 3012 8400"


def _url(org: Organisation) -> str:
    return reverse("organisation_billing", kwargs={"organisation_id": org.pk})


def test_a_client_admin_sets_address_and_vat_number_audited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("alice").post(
        _url(cast.org_a),
        {"billing-postal_address": "Havnegade 4\r\n\r\n9000 Aalborg  ", "billing-vat_number": GOOD_DK},
    )
    assert response.status_code == 302 and response["Location"].endswith("#billing")
    cast.org_a.refresh_from_db()
    assert cast.org_a.postal_address == "Havnegade 4\n9000 Aalborg"
    assert cast.org_a.vat_number == "DK30128400"
    assert cast.org_a.payment_terms_days == 30  # a client's terms are not its to set
    entry = AuditEntry.objects.get(event=AuditEvent.ORG_SETTINGS_CHANGED)
    assert entry.actor_id == cast.alice.pk and entry.organisation_id == cast.org_a.pk
    assert entry.details["changes"]["vat_number"] == ["", "DK30128400"]
    page = client_for("bob").get(reverse("organisation_detail", kwargs={"organisation_id": cast.org_a.pk}))
    body = page.content.decode()
    assert "DK30128400" in body and "9000 Aalborg" in body
    assert 'id="billing"' not in body  # bob reads, only admins edit


def test_a_provider_manager_sets_payment_terms(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("pete").post(
        _url(cast.provider_p),
        {
            "billing-postal_address": "Baner Road 12, Pune 411045",
            "billing-vat_number": "27AAPFU0939F1ZV",
            "billing-payment_terms_days": "14",
        },
    )
    assert response.status_code == 302
    cast.provider_p.refresh_from_db()
    assert cast.provider_p.payment_terms_days == 14
    assert cast.provider_p.vat_number == "27AAPFU0939F1ZV"


@pytest.mark.parametrize(
    ("vat", "terms", "field", "words"),
    [
        ("13585628", "30", "vat_number", "starts with PL"),
        ("PL12345", "30", "vat_number", "not in the format"),
        ("PL5260250274", "121", "payment_terms_days", "120"),
        ("PL5260250274", "-1", "payment_terms_days", "0"),
        ("PL5260250274", "ten", "payment_terms_days", "whole number"),
    ],
)
def test_bad_values_name_the_field_and_change_nothing(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, vat: str, terms: str, field: str, words: str
) -> None:
    response = client_for("quinn").post(
        _url(cast.provider_q),
        {
            "billing-postal_address": "ul. Długa 1",
            "billing-vat_number": vat,
            "billing-payment_terms_days": terms,
        },
    )
    assert response.status_code == 400
    form = response.context["billing_form"]
    assert field in form.errors and words in " ".join(form.errors[field])
    cast.provider_q.refresh_from_db()
    assert cast.provider_q.postal_address == "" and cast.provider_q.vat_number == ""
    assert not AuditEntry.objects.filter(event=AuditEvent.ORG_SETTINGS_CHANGED).exists()


def test_danish_numbers_need_the_check_digit(cast: Cast) -> None:
    with pytest.raises(ValidationError) as raised:
        organisation_billing_update(
            user=cast.alice, organisation=cast.org_a, postal_address="", vat_number="DK30128401"
        )
    assert "check digit" in " ".join(raised.value.message_dict["vat_number"])
    with pytest.raises(ValidationError) as raised:
        organisation_billing_update(
            user=cast.alice, organisation=cast.org_a, postal_address="", vat_number="DK123"
        )
    assert "8 digits" in " ".join(raised.value.message_dict["vat_number"])


def test_an_address_too_long_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError) as raised:
        organisation_billing_update(
            user=cast.alice, organisation=cast.org_a, postal_address="x" * 401, vat_number=""
        )
    assert "postal_address" in raised.value.message_dict


def test_only_admins_change_billing(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        organisation_billing_update(user=cast.bob, organisation=cast.org_a, postal_address="x", vat_number="")
    assert client_for("bob").post(_url(cast.org_a), {"billing-vat_number": GOOD_DK}).status_code == 403
    assert client_for("pete").post(_url(cast.org_a), {"billing-vat_number": GOOD_DK}).status_code == 404
    cast.org_a.refresh_from_db()
    assert cast.org_a.vat_number == ""
