"""The demo world's service levels: a policy per engagement; at the moment it is seeded some running tasks
are on track, one at risk and one breached; one dispute waits for the provider's answer. Its dates are laid
back from that moment, so it looks the same whenever it is seeded."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from kpo.core.clock import installation_date
from kpo.demo.seed import reset_demo, seed_demo
from kpo.economics.commercials.selectors.budget import budget_status
from kpo.sla.models import Dispute, SlaPolicy
from kpo.sla.selectors import open_tasks, task_slas
from kpo.vetting.models import Credential
from kpo.work.models import Engagement

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _sla_states(now: dt.datetime) -> Counter[str]:
    return Counter(sla.state for sla in task_slas(open_tasks(), now).values() if sla.running)


def _how_it_looks(now: dt.datetime) -> dict[str, object]:
    """What a visitor sees that depends on the date: SLA states, budget levels, days to credential expiry."""
    today = installation_date(now)
    return {
        "sla": _sla_states(now),
        "budgets": sorted(
            (engagement.title, budget_status(engagement, today=today).level)
            for engagement in Engagement.objects.order_by("id")
        ),
        "credentials": sorted(
            (credential.expert.user.username, credential.title, (credential.expires_on - today).days)
            for credential in Credential.objects.exclude(expires_on=None).select_related("expert__user")
        ),
    }


def test_demo_world_has_every_sla_state_and_an_open_dispute() -> None:
    now = timezone.now()
    seed_demo(now=now, experts=10, seed=7)
    assert SlaPolicy.objects.count() == Engagement.objects.count() > 0
    states = _sla_states(now)
    assert {"on_track", "at_risk", "breached"} <= set(states)
    assert states["on_track"] > states["at_risk"]
    dispute = Dispute.objects.get()
    assert dispute.status == "opened" and dispute.task.status == "delivered"
    assert dispute.response_due_at > now


def test_the_demo_world_looks_the_same_whenever_it_is_seeded() -> None:
    """`kpo demo` today and 90 days later: the same SLA state counts, budget levels and expiry."""
    seen = []
    for moment in (timezone.now(), timezone.now() + dt.timedelta(days=90)):
        with time_machine.travel(moment, tick=False):
            seed_demo(now=timezone.now(), experts=10, seed=7)
            seen.append(_how_it_looks(timezone.now()))
            reset_demo()
    assert seen[0]["sla"] and seen[0] == seen[1]
