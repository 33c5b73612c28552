"""Benchmark: how well matching works in the demo world, task by task, through the API.

Seeds a throw-away SQLite demo world (or reuses $KPO_BENCH_DB, see bench/seeded_db.py), refreshes the
stored embeddings as the worker would, then asks `GET /api/tasks/{id}/shortlist` for every open task as
the engagement's provider manager, and for the client's tasks as its admin too (whose shortlist lists
the client's own staff first). Prints one JSON object: per task the eligible count, the rule that
emptied the pool and what to relax when nobody is eligible, whether text affinity was computed and who
comes first for the client; the share of open tasks with at least 3 eligible experts; and the seeding
and embedding times.

Usage: python bench/demo_shortlists.py [EXPERTS] [--no-embed]   (default 2000, the demo's own size;
--no-embed skips the refresh, to count eligible experts only)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seeded_db import prepare

DEFAULT_EXPERTS = 2000
MIN_ELIGIBLE = 3


def measure(embed: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.test import Client

    from kpo.demo.accounts import DEMO_ACCOUNTS
    from kpo.engine.lifecycle import OPEN_STATES
    from kpo.matching.embeddings import configured_backend, embedding_refresh
    from kpo.orgs.models import Membership
    from kpo.orgs.services import api_token_create
    from kpo.work.models import Task

    started = time.perf_counter()
    embedded = embedding_refresh() if embed else 0
    embed_seconds = time.perf_counter() - started
    tokens: dict[str, str] = {}

    def bearer(username: str) -> dict[str, str]:
        if username not in tokens:
            from django.contrib.auth.models import User

            tokens[username] = api_token_create(user=User.objects.get(username=username), name="bench")[1]
        return {"Authorization": f"Bearer {tokens[username]}"}

    role_of = {(a.organisation_slug, a.role): a.username for a in DEMO_ACCOUNTS}
    client = Client()
    tasks: list[dict[str, Any]] = []
    open_states = [state.value for state in OPEN_STATES]
    rows = Task.objects.filter(status__in=open_states).select_related(
        "engagement__provider", "engagement__client"
    )
    for task in rows.order_by("id"):
        engagement = task.engagement
        manager = role_of[(engagement.provider.slug, "provider_manager")]
        answer = client.get(f"/api/tasks/{task.pk}/shortlist", headers=bearer(manager))
        if answer.status_code == 404:  # a draft the provider does not see yet
            continue
        body = answer.json()
        row: dict[str, Any] = {
            "task": task.pk,
            "title": task.title,
            "status": task.status,
            "eligible": body["eligible"],
            "affinity_computed": body["affinity_computed"],
            "emptied_by": body["pool"]["emptied_by"],
            "relax": body["pool"]["relax"],
        }
        admin = role_of[(engagement.client.slug, "client_admin")]
        own = client.get(f"/api/tasks/{task.pk}/shortlist", headers=bearer(admin)).json()
        row["client_eligible"] = own["eligible"]
        row["client_staff_first"] = bool(own["entries"]) and own["entries"][0]["client_staff"]
        tasks.append(row)
    enough = sum(row["eligible"] >= MIN_ELIGIBLE for row in tasks)
    return {
        "backend": configured_backend(),
        "embedded_experts": embedded,
        "embed_seconds": round(embed_seconds, 1),
        "open_tasks": len(tasks),
        "tasks_with_3_eligible": enough,
        "share_with_3_eligible": round(enough / len(tasks), 3) if tasks else 0.0,
        "affinity_computed": sum(row["affinity_computed"] for row in tasks),
        "client_staff_first": sum(row["client_staff_first"] for row in tasks),
        "experts": Membership.objects.filter(role="expert").count(),
        "tasks": tasks,
    }


def main() -> None:
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    experts = int(arguments[0]) if arguments else DEFAULT_EXPERTS
    reuse = os.environ.get("KPO_BENCH_DB")
    with tempfile.TemporaryDirectory(prefix="kpo-bench-") as directory:
        database = Path(reuse) if reuse else Path(directory) / "demo.sqlite3"
        prepared = prepare(database, experts)
        print(json.dumps({**prepared, **measure("--no-embed" not in sys.argv)}))


if __name__ == "__main__":
    main()
