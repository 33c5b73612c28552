"""A provider's vetting policy: the re-verification period and the trial task's pass mark."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.errors import DomainError
from kpo.orgs.models import Organisation
from kpo.vetting.access import managed_provider_ids
from kpo.vetting.models import VettingPolicy, VettingRecord
from kpo.vetting.services.common import local_today
from kpo.vetting.services.status import recompute_due, sync_status


@transaction.atomic
def vetting_policy_set(
    *, user: User, organisation: Organisation, reverification_months: int, trial_pass_score: Decimal
) -> VettingPolicy:
    """A provider's managers set its re-verification period and trial pass mark;
    the due dates of its experts' records are recomputed at once."""
    if organisation.pk not in managed_provider_ids(user):
        raise DomainError(_("Only the provider's managers change its vetting policy."))
    policy = VettingPolicy.objects.filter(organisation=organisation).first() or VettingPolicy(
        organisation=organisation
    )
    policy.reverification_months = reverification_months
    policy.trial_pass_score = trial_pass_score
    policy.full_clean()
    policy.save()
    today = local_today()
    for record in VettingRecord.objects.select_related("expert", "expert__organisation").filter(
        expert__organisation=organisation
    ):
        recompute_due(record)
        record.save(update_fields=["reverification_due_on", "updated_at"])
        sync_status(record, today)
    details = {
        "action": "policy",
        "reverification_months": reverification_months,
        "trial_pass_score": str(trial_pass_score),
    }
    audit(user, AuditEvent.VETTING_CHANGED, ("vetting_policy", policy.pk), organisation, details)
    return policy
