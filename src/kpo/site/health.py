"""Readiness: the database answers and, when jobs wait in the database, a worker's heartbeat is fresh."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from kpo.site.worker.heartbeat import freshest_heartbeat

OK = "ok"


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return OK


def worker_check() -> str:
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return OK  # jobs run inside the request that enqueues them: no worker is needed
    try:
        heartbeat = freshest_heartbeat()
    except DatabaseError:
        return "unknown: the database is unreachable"
    limit = settings.KPO_WORKER_STALE_SECONDS
    if heartbeat is None:
        return "no worker has ever reported"
    age = (timezone.now() - heartbeat.last_seen).total_seconds()
    if age > limit:
        return f"no heartbeat in the last {limit} s (the latest is {round(age)} s old)"
    return OK


def readiness() -> dict[str, str]:
    return {"database": database_check(), "worker": worker_check()}
