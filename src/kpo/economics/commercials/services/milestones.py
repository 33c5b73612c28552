"""Payment milestones of fixed-fee engagements: the client adds them and confirms them reached."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.core.access import require
from kpo.core.errors import DomainError
from kpo.economics.commercials.access import writes_client_terms
from kpo.economics.commercials.services.budget import budget_check
from kpo.economics.models import Milestone
from kpo.work.models import Engagement, PricingModel


@transaction.atomic
def milestone_create(
    *, user: User, engagement: Engagement, title: str, amount: Decimal, due_date: dt.date | None = None
) -> Milestone:
    """A payment milestone of a fixed-fee engagement (the client's admins and requesters)."""
    require(
        writes_client_terms(user, engagement), _("Only the client's admins and requesters add milestones.")
    )
    if engagement.pricing_model != PricingModel.FIXED_FEE:
        raise DomainError(_("Milestones belong to fixed-fee engagements."), field="pricing_model")
    milestone = Milestone(
        engagement=engagement, title=(title or "").strip(), amount=amount, due_date=due_date, created_by=user
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_reach(*, user: User, milestone: Milestone) -> Milestone:
    """The client confirms the milestone reached; the provider may then invoice it."""
    require(
        writes_client_terms(user, milestone.engagement),
        _("Only the client's admins and requesters confirm milestones."),
    )
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.reached_at is not None:
        raise DomainError(_("This milestone is already reached."), field="reached_at")
    locked.reached_at = timezone.now()
    locked.reached_by = user
    locked.save(update_fields=["reached_at", "reached_by", "updated_at"])
    transaction.on_commit(lambda: budget_check(engagement=milestone.engagement))
    return locked
