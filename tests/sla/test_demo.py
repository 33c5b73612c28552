"""The demo world's service levels: a policy per engagement; at the demo's "today" some running tasks
are on track, one at risk and one breached; one dispute waits for the provider's answer."""

from __future__ import annotations

import pytest

from kpo.demo.reference import REFERENCE_MOMENT
from kpo.demo.seed import seed_demo
from kpo.sla.models import Dispute, SlaPolicy
from kpo.sla.selectors import open_tasks, task_slas
from kpo.work.models import Engagement

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_demo_world_has_every_sla_state_and_an_open_dispute() -> None:
    seed_demo(experts=10, seed=7)
    assert SlaPolicy.objects.count() == Engagement.objects.count() > 0
    states = [sla.state for sla in task_slas(open_tasks(), REFERENCE_MOMENT).values() if sla.running]
    assert {"on_track", "at_risk", "breached"} <= set(states)
    assert states.count("on_track") > states.count("at_risk")
    dispute = Dispute.objects.get()
    assert dispute.status == "opened" and dispute.task.status == "delivered"
    assert dispute.response_due_at > REFERENCE_MOMENT
