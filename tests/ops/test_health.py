"""/healthz says the process is up; /readyz checks the database and a worker's heartbeat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kpo.site.models import WorkerHeartbeat
from kpo.site.worker.heartbeat import beat

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_touching_the_database(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_readyz_needs_a_fresh_worker_heartbeat(database_backend: None) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "database": "ok",
        "worker": "no worker has ever reported",
    }

    beat("worker-1", timezone.now())
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "worker": "ok"}

    WorkerHeartbeat.objects.update(last_seen=timezone.now() - dt.timedelta(seconds=90))
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker"].startswith("no heartbeat in the last 60 s")
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_needs_no_worker_when_jobs_run_inline() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "worker": "ok"}
