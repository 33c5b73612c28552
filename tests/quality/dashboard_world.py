"""A small hand-made world of delivered tasks for the quality dashboard, with every figure counted by hand.

Now is 10 March 2027, 12:00 in Copenhagen (the installation's zone); the last 12 months are April 2026 to
March 2027. Client A's tasks (all made by carol at provider P):

| task | domain    | first delivery (CPH) | due (CPH)         | on time | reworked      | stars | reviews  |
| t1   | technical | 9 Feb 2027 10:00     | 10 Feb 2027 12:00 | yes     | no            | 5     | 4.0      |
| t2   | technical | 15 Feb 2027 11:00    | 15 Feb 2027 10:00 | no      | client asked  | 2, 4  |          |
| t3   | technical | 1 Mar 2027 09:00     | 5 Mar 2027 12:00  | yes     | reviewer sent |       | 2.0, 4.5 |
| t4   | data      | 1 Feb 2027 00:30     | 1 Feb 2027 12:00  | yes     | no            |       |          |
| old  | technical | 20 Mar 2026 12:00    | 21 Mar 2026 12:00 | yes     | no            | 1     |          |

(technical: technical_analysis, data: data_analysis.) t4's first delivery is 31 January 23:30 UTC:
February on the installation's calendar. erin made t3 with carol. One task of A is in progress (not
delivered) and one of client B (provider Q) is delivered in February: neither counts for A's people or P's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from kpo.experts.models import ExpertProfile
from kpo.quality.models import ClientRating, Review
from kpo.work.models import Assignment, Engagement, Task, TaskTransition
from tests.cast import Cast

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2027, 3, 10, 12, 0, tzinfo=CPH)


def cph(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


@dataclass
class World:
    data_engagement: Engagement
    tasks: dict[str, Task]


def delivered_task(
    cast: Cast,
    engagement: Engagement,
    name: str,
    *,
    delivered: dt.datetime,
    due: dt.datetime,
    makers: Sequence[ExpertProfile],
    changes: bool = False,
    stars: Sequence[int] = (),
    reviews: Sequence[tuple[str, float]] = (),
    actor: User | None = None,
) -> Task:
    """A task whose history says: delivered at `delivered` (then, with `changes`, sent back by the client
    and delivered again a day later), with its makers, the client's `stars` and the reviews given."""
    actor = actor or cast.pete
    task = Task.objects.create(
        engagement=engagement,
        title=name,
        description="d",
        effort_hours=Decimal(4),
        due_at=due,
        status="accepted",
        created_by=actor,
    )
    steps = [("in_review", "delivered", delivered)]
    if changes:
        later = delivered + dt.timedelta(hours=2)
        steps += [
            ("delivered", "changes_requested", later),
            ("in_progress", "delivered", later + dt.timedelta(days=1)),
        ]
    for before, after, at in steps:
        TaskTransition.objects.create(task=task, actor=actor, from_status=before, to_status=after, at=at)
    for expert in makers:
        Assignment.objects.create(
            task=task, expert=expert, role="maker", planned_hours=Decimal(2), assigned_by=actor
        )
    for value in stars:
        ClientRating.objects.create(task=task, rated_by=actor, decision="rate", stars=value)
    for decision, score in reviews:
        Review.objects.create(
            task=task,
            version=cast.version_a,
            reviewer=cast.rex.expert_profile,
            reviewed_by=cast.rex,
            decision=decision,
            score=Decimal(str(score)),
        )
    return task


def build_world(cast: Cast) -> World:
    carol, erin = cast.carol.expert_profile, cast.erin.expert_profile
    tech = cast.engagement_a
    data = Engagement.objects.create(
        client=cast.org_a,
        provider=cast.provider_p,
        title="Churn data",
        objective="o",
        domain="data_analysis",
        budget=Decimal(1000),
        currency="DKK",
        start_date=dt.date(2026, 1, 1),
        created_by=cast.bob,
    )
    tasks = {
        "t1": delivered_task(
            cast,
            tech,
            "t1",
            delivered=cph(2027, 2, 9, 10),
            due=cph(2027, 2, 10),
            makers=[carol],
            stars=[5],
            reviews=[("pass", 4.0)],
        ),
        "t2": delivered_task(
            cast,
            tech,
            "t2",
            delivered=cph(2027, 2, 15, 11),
            due=cph(2027, 2, 15, 10),
            makers=[carol],
            changes=True,
            stars=[2, 4],
        ),
        "t3": delivered_task(
            cast,
            tech,
            "t3",
            delivered=cph(2027, 3, 1, 9),
            due=cph(2027, 3, 5),
            makers=[carol, erin],
            reviews=[("send_back", 2.0), ("pass", 4.5)],
        ),
        "t4": delivered_task(
            cast,
            data,
            "t4",
            delivered=dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC),
            due=cph(2027, 2, 1, 12),
            makers=[carol],
        ),
        "old": delivered_task(
            cast,
            tech,
            "old",
            delivered=cph(2026, 3, 20),
            due=cph(2026, 3, 21),
            makers=[carol],
            stars=[1],
        ),
        "b": delivered_task(
            cast,
            cast.engagement_b,
            "b",
            delivered=cph(2027, 2, 20),
            due=cph(2027, 2, 1),
            makers=[],
            stars=[1],
            actor=cast.quinn,
        ),
    }
    return World(data_engagement=data, tasks=tasks)
