"""Worker heartbeats: each worker writes its id and last-seen time every few seconds."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.conf import settings
from django.utils import timezone

from kpo.site.models import WorkerHeartbeat


def beat(worker_id: str, started_at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def stop_beating(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def stale_before() -> dt.datetime:
    """Heartbeats older than this belong to workers that stopped or hang."""
    return timezone.now() - dt.timedelta(seconds=settings.KPO_WORKER_STALE_SECONDS)


def freshest_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-last_seen").first()


def live_worker_ids() -> set[str]:
    return set(
        WorkerHeartbeat.objects.filter(last_seen__gte=stale_before()).values_list("worker_id", flat=True)
    )
