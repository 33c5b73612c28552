"""The row locks every path that books experts onto tasks takes, in one order.

A staffing plan's commit and a manager's manual assignment both lock the experts' profile rows and
then the tasks' rows, each by ascending id, before they read what is booked and write assignments.
One order means two bookings never deadlock; holding the locks until the transaction ends means a
booking that starts while another holds them waits and then sees the other's assignments. SQLite has
no row locks: there a transaction takes the write lock when it begins (settings.SQLITE_OPTIONS), which
serialises bookings as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from kpo.experts.models import ExpertProfile
from kpo.work.models import Task


def lock_booking_rows(
    *, expert_ids: Iterable[int], task_ids: Iterable[int]
) -> tuple[dict[int, ExpertProfile], dict[int, Task]]:
    """Lock the experts, then the tasks, by id, until the caller's transaction ends; return the rows as
    they are now, by id (a row deleted meanwhile is missing)."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("Booking locks are taken inside a transaction.")
    experts = {
        expert.pk: expert
        for expert in ExpertProfile.objects.select_for_update()
        .filter(id__in=sorted(set(expert_ids)))
        .order_by("id")
    }
    tasks = {
        task.pk: task
        for task in Task.objects.select_for_update().filter(id__in=sorted(set(task_ids))).order_by("id")
    }
    return experts, tasks
