"""Benchmark: render every GET page of the demo world at 100,000 experts, as each demo role.

Seeds a throw-away SQLite database (`kpo migrate` + `kpo seed-demo --experts N` in a subprocess, about
a minute), or reuses the one at $KPO_BENCH_DB when that file exists (its migrations are brought up to
date first). Then, in-process with Django's test client, signs in as each demo account and renders
every page it can reach N_RUNS times after one warm-up request, and prints ONE JSON object:
per page the median and max wall-clock milliseconds, the median CPU milliseconds of this process
(the database is SQLite, in-process, so that includes the queries; on a shared machine it is the
steadier number) and the query count; the overall max, and the pages over the budget (300 ms).
Not part of `make test`.

On PostgreSQL (DATABASE_URL=postgres://..., a database already migrated and seeded, with KPO_DATA_DIR
naming its data folder) the pages run against it instead, and each page also reports the median CPU
milliseconds the database server spent on its queries (the connection's backend process, read from /proc).
KPO_BENCH_ONLY=REGEX keeps the pages whose "user label" key matches.

Usage: python bench/pages.py [EXPERTS]        (default 100000)
       KPO_BENCH_DB=/tmp/kpo-bench/bench.sqlite3 python bench/pages.py   (seed once, reuse after)
       DATABASE_URL=postgres://postgres@127.0.0.1/kpo_pg KPO_DATA_DIR=... python bench/pages.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from seeded_db import prepare

DEFAULT_EXPERTS = 100_000
N_RUNS = 5
BUDGET_MS = 300.0
USERS = ("alice", "bob", "priya", "carol", "rita", "aud", "dave", "ops")
TASK_SAMPLE = 4
ENGAGEMENT_SAMPLE = 10


def _server_cpu_ms() -> float | None:
    """CPU milliseconds used so far by this connection's PostgreSQL backend process (None elsewhere)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _measure(client: Any, url: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm = client.get(url)
    timings, cpu, server_cpu = [], [], []
    queries = 0
    for _ in range(N_RUNS):
        server_before = _server_cpu_ms()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        server_after = _server_cpu_ms()
        if server_before is not None and server_after is not None:
            server_cpu.append(server_after - server_before)
        queries = len(captured.captured_queries)
    row = {
        "status": warm.status_code,
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": queries,
    }
    if server_cpu:
        row["db_cpu_median_ms"] = round(statistics.median(server_cpu), 1)
    return row


def _pages_for(username: str) -> list[tuple[str, str]]:
    """(label, url) for every GET page this demo account can reach."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    from kpo.engine.lifecycle import Capacity
    from kpo.experts.models import EscoSkill, ExpertProfile
    from kpo.experts.selectors import ExpertFilter, expert_list
    from kpo.orgs.access import can_manage_organisation
    from kpo.orgs.selectors import organisation_member_users, organisations_of
    from kpo.work.access import can_edit_engagement, task_capacities
    from kpo.work.selectors import EngagementFilter, TaskFilter, engagement_list, task_list

    user = User.objects.get(username=username)
    pages: list[tuple[str, str]] = [
        ("dashboard", reverse("dashboard")),
        ("engagement_list", reverse("engagement_list")),
        ("engagement_list ?q", reverse("engagement_list") + "?q=line"),
        ("engagement_list ?status", reverse("engagement_list") + "?status=active"),
        ("engagement_list ?domain", reverse("engagement_list") + "?domain=technical_analysis"),
        ("engagement_list ?sort", reverse("engagement_list") + "?sort=-budget"),
        ("task_list", reverse("task_list")),
        ("task_list ?status", reverse("task_list") + "?status=in_progress"),
        ("task_list ?mine", reverse("task_list") + "?mine=1"),
        ("task_list ?q", reverse("task_list") + "?q=report&sort=-created"),
        ("expert_list", reverse("expert_list")),
        ("expert_list page 500", reverse("expert_list") + "?page=500"),
        ("expert_list ?domain", reverse("expert_list") + "?domain=data_analysis"),
        ("expert_list ?country", reverse("expert_list") + "?country=IN"),
        ("expert_list ?language", reverse("expert_list") + "?language=da"),
        ("expert_list ?degree", reverse("expert_list") + "?degree=phd"),
        ("expert_list ?q", reverse("expert_list") + "?q=analyst"),
        ("expert_list ?q name", reverse("expert_list") + "?q=Raman"),
        (
            "expert_list all filters",
            reverse("expert_list") + "?domain=data_analysis&country=IN&degree=master",
        ),
        ("token_list", reverse("token_list")),
    ]
    skill = EscoSkill.objects.filter(label__icontains="statistic").order_by("id").first()
    if skill is not None:
        pages.append(("expert_list ?skill", reverse("expert_list") + f"?skill={skill.pk}"))
        pages.append(
            ("expert_list ?skill+domain", reverse("expert_list") + f"?skill={skill.pk}&domain=data_analysis")
        )
    engagements = list(engagement_list(user, EngagementFilter())[:ENGAGEMENT_SAMPLE])
    for engagement in engagements:
        pages.append(("engagement_detail", reverse("engagement_detail", args=[engagement.pk])))
    writable = [e for e in engagements if can_edit_engagement(user, e)]
    if writable:
        pages.append(("engagement_edit", reverse("engagement_edit", args=[writable[0].pk])))
        pages.append(("task_create", reverse("task_create", args=[writable[0].pk])))
        pages.append(("engagement_create", reverse("engagement_create")))
    tasks = list(task_list(user, TaskFilter())[:TASK_SAMPLE])
    for task in tasks:
        pages.append(("task_detail", reverse("task_detail", args=[task.pk])))
    staffable = [
        *task_list(user, TaskFilter(status="staffing"))[:2],
        *task_list(user, TaskFilter(status="submitted"))[:2],
    ]
    for task in staffable:
        if task_capacities(user, task) & {Capacity.CLIENT, Capacity.PROVIDER_MANAGER}:
            pages.append(("find_experts", reverse("find_experts", args=[task.pk])))
    drafts = list(task_list(user, TaskFilter(status="draft"))[:1])
    if drafts and can_edit_engagement(user, drafts[0].engagement):
        pages.append(("task_edit", reverse("task_edit", args=[drafts[0].pk])))
    visible = list(expert_list(user, ExpertFilter())[:1])
    if visible:
        pages.append(("expert_detail", reverse("expert_detail", args=[visible[0].pk])))
    if ExpertProfile.objects.filter(user=user).exists():
        pages.append(("my_profile", reverse("my_profile")))
    for organisation in organisations_of(user):
        detail = reverse("organisation_detail", args=[organisation.pk])
        pages.append(("organisation_detail", detail))
        pages.append(("organisation_detail page 100", detail + "?page=100"))
        if can_manage_organisation(user, organisation):
            member = organisation_member_users(organisation).first()
            if member is not None:
                pages.append(("member_edit", reverse("member_edit", args=[organisation.pk, member.pk])))
    pages.append(("skill_search", reverse("skill_search") + "?q=statist"))
    return pages


def run() -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    from kpo.experts.models import ExpertProfile

    only = re.compile(os.environ.get("KPO_BENCH_ONLY", ""))
    results: dict[str, dict[str, Any]] = {}
    for username in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        seen: dict[str, int] = {}
        for label, url in _pages_for(username):
            seen[label] = seen.get(label, 0) + 1
            key = f"{username} {label}" + (f" #{seen[label]}" if seen[label] > 1 else "")
            if not only.search(key):
                continue
            results[key] = {"url": url, **_measure(client, url)}
    slowest = max(results.values(), key=lambda row: row["max_ms"])
    return {
        "experts": ExpertProfile.objects.count(),
        "runs_per_page": N_RUNS,
        "budget_ms": BUDGET_MS,
        "pages": results,
        "page_count": len(results),
        "max_ms": slowest["max_ms"],
        "max_median_ms": max(row["median_ms"] for row in results.values()),
        "max_cpu_median_ms": max(row["cpu_median_ms"] for row in results.values()),
        "load_average": os.getloadavg()[0],
        "slowest": slowest["url"],
        "over_budget": sorted(key for key, row in results.items() if row["median_ms"] > BUDGET_MS),
        "over_budget_max": sorted(key for key, row in results.items() if row["max_ms"] > BUDGET_MS),
        "errors": sorted(key for key, row in results.items() if row["status"] >= 400),
    }


def main() -> None:
    experts = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EXPERTS
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        print(json.dumps({"database": "postgresql", **run()}))
        return
    configured = os.environ.get("KPO_BENCH_DB")
    temporary = None
    if configured:
        database = Path(configured).resolve()
    else:
        temporary = Path(tempfile.mkdtemp(prefix="kpo-bench-pages-"))
        database = temporary / "bench.sqlite3"
    try:
        setup = prepare(database, experts)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        report = {"database": str(database), **setup, **run()}
        print(json.dumps(report))
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
