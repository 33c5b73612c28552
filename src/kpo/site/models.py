"""The worker's own bookkeeping: who is alive (heartbeats) and which periodic slots were enqueued."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per worker process, its last-seen time updated every few seconds while it runs."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} ({self.last_seen:%Y-%m-%d %H:%M:%S})"


class PeriodicSlot(models.Model):
    """A periodic job enqueued for one slot; the unique pair makes two workers enqueue it only once."""

    job_name = models.CharField(_("job"), max_length=100)
    slot_start = models.DateTimeField(_("slot start"))
    task_result_id = models.CharField(_("task result"), max_length=64)
    enqueued_at = models.DateTimeField(_("enqueued"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job_name", "slot_start"], name="one_enqueue_per_periodic_slot")
        ]
        ordering = ["-slot_start", "job_name"]

    def __str__(self) -> str:
        return f"{self.job_name} at {self.slot_start:%Y-%m-%d %H:%M}"


class DemoWorld(models.Model):
    """Present (one row) when `kpo seed-demo` installed the demo world: only then does the sign-in page
    list the demo accounts. A fresh install (migrate only) has none."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seeded_at = models.DateTimeField(_("seeded"))
    seed = models.IntegerField(_("seed"))

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="demo_world_is_a_singleton")]

    def __str__(self) -> str:
        return f"demo world (seed {self.seed}, {self.seeded_at:%Y-%m-%d %H:%M})"

    @classmethod
    def installed(cls) -> bool:
        return cls.objects.filter(pk=1).exists()

    @classmethod
    def mark(cls, *, seeded_at: datetime, seed: int) -> None:
        cls.objects.update_or_create(pk=1, defaults={"seeded_at": seeded_at, "seed": seed})

    @classmethod
    def unmark(cls) -> None:
        cls.objects.filter(pk=1).delete()
