"""Rate cards: per provider, role (an ESCO occupation) and seniority, hourly cost and bill rates with a
currency and validity dates; a provider's managers add lines and end them.

Why the role is an ESCO occupation and not a KPO domain: an expert holds exactly one occupation but
works in several domains, so an occupation-keyed card gives every expert exactly one rate on a date.
That one rate is what matching's cost term needs (its expert index is built once for all tasks, not
per task domain) and what an invoice line needs, and the two then agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.core.access import require
from kpo.core.errors import DomainError
from kpo.economics.commercials.access import managed_providers
from kpo.economics.models import RateCardLine
from kpo.engine.costing.money import MINOR_UNITS
from kpo.experts.models import EscoOccupation, ExpertProfile
from kpo.orgs.models import Organisation, OrganisationKind


def _check_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if not code:
        raise ValidationError(
            {"currency": [_("Give the currency of the rates (an ISO 4217 code such as EUR).")]}
        )
    if code not in MINOR_UNITS:
        raise ValidationError(
            {
                "currency": [
                    _("%(code)s has no ECB reference rate, so it cannot be converted; use one of %(codes)s.")
                    % {"code": code, "codes": ", ".join(sorted(MINOR_UNITS))}
                ]
            }
        )
    return code


def _overlapping(line: RateCardLine) -> RateCardLine | None:
    others = RateCardLine.objects.filter(
        provider_id=line.provider_id, occupation_id=line.occupation_id, seniority=line.seniority
    ).exclude(pk=line.pk)
    if line.valid_to is not None:
        others = others.filter(valid_from__lte=line.valid_to)
    return others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=line.valid_from)).first()


def _touch_experts(line: RateCardLine) -> None:
    """The matching index sees profile changes at once (see kpo.matching.index_cache, THE RULE)."""
    ExpertProfile.objects.filter(
        organisation_id=line.provider_id, occupation_id=line.occupation_id, seniority=line.seniority
    ).update(updated_at=timezone.now())


def _validate(line: RateCardLine) -> None:
    if line.valid_to is not None and line.valid_from and line.valid_to < line.valid_from:
        raise ValidationError({"valid_to": [_("The last valid day cannot be before the first.")]})
    line.full_clean()
    clash = _overlapping(line)
    if clash is not None:
        until = clash.valid_to.isoformat() if clash.valid_to else _("open-ended")
        raise ValidationError(
            {
                "valid_from": [
                    _(
                        "These dates overlap the line valid %(start)s to %(end)s for the same role and "
                        "seniority; end that line first."
                    )
                    % {"start": clash.valid_from.isoformat(), "end": until}
                ]
            }
        )


@transaction.atomic
def rate_card_line_create(
    *,
    user: User,
    provider: Organisation,
    occupation: EscoOccupation,
    seniority: str,
    cost_rate: Decimal,
    bill_rate: Decimal,
    currency: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
) -> RateCardLine:
    """Add a line to `provider`'s card (its managers only). Overlapping dates for the same role and
    seniority are refused naming `valid_from`; a missing currency naming `currency`."""
    require(provider.pk in managed_providers(user), _("Only the provider's managers change its rate card."))
    if provider.kind != OrganisationKind.PROVIDER:
        raise ValidationError({"provider": [_("Only providers have rate cards.")]})
    Organisation.objects.select_for_update().filter(pk=provider.pk).first()  # one writer per card
    line = RateCardLine(
        provider=provider,
        occupation=occupation,
        seniority=seniority,
        cost_rate=cost_rate,
        bill_rate=bill_rate,
        currency=_check_currency(currency),
        valid_from=valid_from,
        valid_to=valid_to,
        note=(note or "").strip(),
        created_by=user,
    )
    _validate(line)
    line.save()
    _touch_experts(line)
    return line


@transaction.atomic
def rate_card_line_end(*, user: User, line: RateCardLine, last_day: dt.date) -> RateCardLine:
    """End a line on `last_day` (inclusive); a line can only be shortened, never lengthened."""
    require(
        line.provider_id in managed_providers(user), _("Only the provider's managers change its rate card.")
    )
    locked = RateCardLine.objects.select_for_update().get(pk=line.pk)
    if last_day < locked.valid_from:
        raise ValidationError(
            {"valid_to": [_("A line cannot end before it starts (%(day)s).") % {"day": locked.valid_from}]}
        )
    if locked.valid_to is not None and last_day > locked.valid_to:
        raise DomainError(
            _("The line already ends on %(day)s; add a new line to extend it.") % {"day": locked.valid_to},
            field="valid_to",
        )
    locked.valid_to = last_day
    locked.full_clean()
    locked.save(update_fields=["valid_to", "updated_at"])
    _touch_experts(locked)
    return locked
