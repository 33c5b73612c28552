"""Budget alerts and the commercial terms that set them.

Alerts: each threshold (percent of the budget; default 80 and 100, configurable per engagement) fires
once, when spend reaches it: a notice to the client's admins and requesters and the provider's
managers (deduplicated by key), and an audit entry (`budget_alert`).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import require
from kpo.economics.commercials.access import CLIENT_WRITERS, PROVIDER_MANAGERS, writes_client_terms
from kpo.economics.commercials.selectors.budget import BudgetStatus, budget_status
from kpo.economics.commercials.selectors.savings import baseline_rate
from kpo.economics.models import CommercialTerms, MakeOrBuyScenario
from kpo.notices.services import notice_send
from kpo.orgs.selectors import members_with_roles
from kpo.work.models import Engagement


def parse_thresholds(text: str) -> list[int]:
    """ "80, 100" -> [80, 100]: whole percentages from 1 to 1000, at most 6."""
    values: set[int] = set()
    for part in str(text or "").replace(";", ",").split(","):
        part = part.strip().rstrip("%").strip()
        if not part:
            continue
        try:
            number = int(part)
        except ValueError:
            raise ValidationError(
                {"alert_thresholds": [_("%(value)s is not a whole percentage.") % {"value": part}]}
            ) from None
        if not 1 <= number <= 1000:
            raise ValidationError({"alert_thresholds": [_("Thresholds run from 1 to 1000 %.")]})
        values.add(number)
    if not values:
        raise ValidationError({"alert_thresholds": [_("Give at least one threshold, e.g. 80, 100.")]})
    if len(values) > 6:
        raise ValidationError({"alert_thresholds": [_("Give at most six thresholds.")]})
    return sorted(values)


def _alert_recipients(engagement: Engagement) -> list[User]:
    return [
        *members_with_roles(engagement.client_id, CLIENT_WRITERS),
        *members_with_roles(engagement.provider_id, PROVIDER_MANAGERS),
    ]


def _budget_alert_subject(title: str, threshold: int) -> str:
    return _("Budget alert: %(title)s has reached %(threshold)s %% of its budget") % {
        "title": title,
        "threshold": threshold,
    }


def _budget_alert_text(title: str, status: BudgetStatus, threshold: int) -> str:
    return _(
        "%(title)s has used %(percent)s %% of its budget (threshold %(threshold)s %%): "
        "%(spend)s of %(budget)s %(currency)s."
    ) % {
        "title": title,
        "percent": status.percent,
        "threshold": threshold,
        "spend": status.spend,
        "budget": status.budget,
        "currency": status.currency,
    }


def budget_check(*, engagement: Engagement, today: dt.date | None = None) -> list[int]:
    """Fire each threshold the spend has reached and that has not fired yet; returns those fired now."""
    status = budget_status(engagement, today=today)
    if status.percent is None:
        return []
    due = [t for t in status.thresholds if status.percent >= t and t not in status.fired]
    if not due:
        return []
    with transaction.atomic():
        terms, _created = CommercialTerms.objects.select_for_update().get_or_create(engagement=engagement)
        fired = {int(t) for t in terms.alerts_fired}
        due = [t for t in due if t not in fired]
        if not due:
            return []
        recipients = _alert_recipients(engagement)
        url = reverse("engagement_commercials", kwargs={"engagement_id": engagement.pk})
        for threshold in due:
            notice_send(
                users=recipients,
                kind="budget_alert",
                subject=partial(_budget_alert_subject, engagement.title, threshold),
                text=partial(_budget_alert_text, engagement.title, status, threshold),
                url=url,
                key=f"budget-{threshold}:engagement-{engagement.pk}",
            )
            details = {
                "threshold": threshold,
                "percent": str(status.percent),
                "spend": str(status.spend),
                "budget": str(status.budget),
                "currency": status.currency,
            }
            audit(None, AuditEvent.BUDGET_ALERT, ("engagement", engagement.pk), engagement.client, details)
        terms.alerts_fired = sorted(fired | set(due))
        terms.save(update_fields=["alerts_fired", "updated_at"])
    return due


@transaction.atomic
def commercial_terms_update(
    *,
    user: User,
    engagement: Engagement,
    alert_thresholds: list[int],
    scenario: MakeOrBuyScenario | None,
) -> CommercialTerms:
    """Set the alert thresholds and the linked make-or-buy scenario (the client's admins/requesters)."""
    require(writes_client_terms(user, engagement), _("Only the client's admins and requesters change this."))
    if scenario is not None and scenario.client_id != engagement.client_id:
        raise ValidationError({"scenario": [_("Link a scenario of this engagement's client.")]})
    if scenario is not None and baseline_rate(scenario) is None:
        raise ValidationError({"scenario": [_("This scenario has no in-house cost to compare with.")]})
    terms, _created = CommercialTerms.objects.select_for_update().get_or_create(engagement=engagement)
    terms.alert_thresholds = sorted(set(alert_thresholds))
    terms.alerts_fired = [t for t in terms.alerts_fired if t in terms.alert_thresholds]
    terms.scenario = scenario
    terms.full_clean()
    terms.save()
    transaction.on_commit(lambda: budget_check(engagement=engagement))
    return terms
