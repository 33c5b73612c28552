"""An organisation's billing details (postal address, VAT number, payment terms), set by its admins.

What goes on the invoices it issues or receives; each invoice keeps its own copy from the day it was
issued. A change is a privileged change, recorded in the audit trail with the values before and after.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.core import trail
from kpo.core.access import require
from kpo.orgs.access import can_manage_organisation
from kpo.orgs.events import Event
from kpo.orgs.models import MAX_ADDRESS, MAX_PAYMENT_TERMS, MIN_PAYMENT_TERMS, Organisation
from kpo.orgs.vat_numbers import normalise_vat_number

BILLING_FIELDS = ("postal_address", "vat_number", "payment_terms_days")


def _address(raw: str) -> str:
    lines = [line.strip() for line in (raw or "").replace("\r\n", "\n").split("\n")]
    address = "\n".join(line for line in lines if line)
    if len(address) > MAX_ADDRESS:
        raise ValidationError(
            {"postal_address": [_("Keep the address under %(limit)s characters.") % {"limit": MAX_ADDRESS}]}
        )
    return address


def _terms(organisation: Organisation, raw: object) -> int:
    if organisation.kind != "provider" or raw is None:
        return organisation.payment_terms_days
    try:
        days = int(str(raw))
    except ValueError:
        raise ValidationError(
            {"payment_terms_days": [_("Give the payment terms as a whole number of days.")]}
        ) from None
    if not MIN_PAYMENT_TERMS <= days <= MAX_PAYMENT_TERMS:
        raise ValidationError(
            {
                "payment_terms_days": [
                    _("Payment terms are from %(low)s to %(high)s days.")
                    % {"low": MIN_PAYMENT_TERMS, "high": MAX_PAYMENT_TERMS}
                ]
            }
        )
    return days


def organisation_billing_update(
    *,
    user: User,
    organisation: Organisation,
    postal_address: str,
    vat_number: str,
    payment_terms_days: object = None,
) -> Organisation:
    """Set the billing details (the organisation's admins only). Payment terms are the provider's
    (a client's stay as they are). Refused, changing nothing: a bad VAT number (`vat_number`), an
    address over 400 characters (`postal_address`), terms outside 0-120 days (`payment_terms_days`)."""
    require(can_manage_organisation(user, organisation), _("Admins only."))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = {name: getattr(locked, name) for name in BILLING_FIELDS}
        locked.postal_address = _address(postal_address)
        locked.vat_number = normalise_vat_number(vat_number or "")
        locked.payment_terms_days = _terms(locked, payment_terms_days)
        locked.full_clean()
        changes = {
            name: [before[name], getattr(locked, name)]
            for name in BILLING_FIELDS
            if before[name] != getattr(locked, name)
        }
        if changes:
            locked.save(update_fields=[*BILLING_FIELDS, "updated_at"])
            trail.record(
                Event.ORG_SETTINGS_CHANGED,
                ("organisation", locked.pk),
                locked,
                {"billing": True, "changes": changes},
                actor=user,
            )
    for name in BILLING_FIELDS:
        setattr(organisation, name, getattr(locked, name))
    return organisation
