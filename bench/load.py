"""Benchmark: many signed-in users at once against `kpo serve` and `kpo worker` on the demo world.

Each simulated user is a closed loop: sign in (the sign-in form, with its CSRF token) as one of the demo
accounts (all users sign in before the clock starts: the password check is slow on purpose, and the time
they took is reported), then forever: think for about a second (uniform 0.5-1.5 s), then either open one
of the pages that account can reach (the same page set as bench/pages.py: dashboards, lists with their
filters, engagement and task pages, find-experts, the directory, organisation pages) or, one time in
ten, write: post a message on one of its tasks, log a quarter hour on a task it makes, or put a task in
progress on hold and back. Requests are timed from send to last byte; redirects are not followed.

The world is seeded into a throw-away data folder (SQLite) unless --data-dir names one that is kept
(seeded on first use), or DATABASE_URL points at PostgreSQL (seeded when empty; its data folder, which
holds the audit key of the database's trail, is kept in the temporary directory, one per database).
Prints ONE JSON object: per user count, requests/s, p50/p95/p99/max in ms, errors (any status >= 400,
or no answer), and the ten page kinds with the highest p95; then the largest user count measured whose
p95 met the target. Every request goes to 127.0.0.1.

Usage: python bench/load.py [--users 10,25,50] [--seconds 60] [--warmup 10] [--experts 2000]
                            [--data-dir DIR] [--workers N] [--threads N] [--target-ms 150]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from serving import free_port, wait_for

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

DEMO_USERS = ("alice", "bob", "priya", "carol", "rita", "aud", "dave", "ops")
WRITE_SHARE = 0.1
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Plan:
    """What one demo account does: the pages it reads and the writes it may make."""

    username: str
    pages: list[tuple[str, str]]
    message_tasks: list[int] = field(default_factory=list)
    time_tasks: list[int] = field(default_factory=list)
    hold_tasks: list[int] = field(default_factory=list)


@dataclass
class Sample:
    at: float
    label: str
    ms: float
    status: int


def _kpo(*args: str) -> list[str]:
    return [sys.executable, "-m", "kpo.cli", *args]


def _prepare_world(experts: int) -> dict[str, Any]:
    started = time.perf_counter()
    subprocess.run(_kpo("migrate", "--verbosity", "0"), check=True, stdout=subprocess.DEVNULL)
    migrated = time.perf_counter()
    import django

    django.setup()
    from django.contrib.auth.models import User

    seeded = False
    if not User.objects.filter(username="alice").exists():
        subprocess.run(_kpo("seed-demo", "--experts", str(experts)), check=True, stdout=subprocess.DEVNULL)
        seeded = True
    return {
        "migrate_seconds": round(migrated - started, 1),
        "seed_seconds": round(time.perf_counter() - migrated, 1) if seeded else 0,
        "seeded": seeded,
    }


def _plans() -> list[Plan]:
    from django.contrib.auth.models import User
    from django.db import connection

    from kpo.work.models import Task
    from pages import _pages_for

    pages_of = {name: _pages_for(name) for name in DEMO_USERS if User.objects.filter(username=name).exists()}
    held = _holdable(pages_of.get("priya", []))
    plans = []
    for username, pages in pages_of.items():
        task_ids = _task_ids(pages)
        open_tasks = list(
            Task.objects.filter(pk__in=task_ids)
            .exclude(status__in=["accepted", "cancelled", "draft"])
            .values_list("pk", flat=True)
        )
        # time only where the rules take it (kpo.work.activity_rules): in progress, never the task
        # priya puts on hold meanwhile, in an engagement that has started and not ended
        yesterday = dt.date.fromisoformat(_yesterday_utc())
        made = list(
            Task.objects.filter(
                assignments__expert__user__username=username,
                assignments__role="maker",
                status="in_progress",
                engagement__start_date__lte=yesterday,
            )
            .exclude(pk__in=held)
            .exclude(engagement__end_date__lt=yesterday)
            .values_list("pk", flat=True)[:3]
        )
        plans.append(Plan(username, pages, open_tasks, made, held if username == "priya" else []))
    connection.close()
    return plans


def _yesterday_utc() -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))


def _task_ids(pages: list[tuple[str, str]]) -> list[int]:
    return [int(url.rstrip("/").rsplit("/", 1)[1]) for label, url in pages if label == "task_detail"]


def _holdable(pages: list[tuple[str, str]]) -> list[int]:
    from kpo.work.models import Task

    return list(
        Task.objects.filter(pk__in=_task_ids(pages), status="in_progress").values_list("pk", flat=True)[:1]
    )


class User:
    """One simulated person: a session, a plan and a random stream."""

    def __init__(self, base: str, plan: Plan, password: str, seed: int) -> None:
        self.base = base
        self.plan = plan
        self.password = password
        self.random = random.Random(seed)
        self.session = requests.Session()
        self.held: set[int] = set()

    def _timed(
        self, label: str, method: str, path: str, **kwargs: Any
    ) -> tuple[Sample, requests.Response | None]:
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, allow_redirects=False, timeout=60, **kwargs
            )
            response.content  # noqa: B018 - read to the last byte
            status = response.status_code
        except requests.RequestException:
            response, status = None, 0
        return Sample(time.time(), label, (time.perf_counter() - started) * 1000, status), response

    def _post(self, label: str, path: str, data: dict[str, str]) -> Sample:
        token = self.session.cookies.get("csrftoken", "")
        sample, _response = self._timed(
            label,
            "POST",
            path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": self.base + path},
        )
        return sample

    def sign_in(self) -> bool:
        _sample, page = self._timed("login form", "GET", "/login/")
        match = CSRF.search(page.text) if page is not None else None
        if match is None:
            return False
        sample = self._post("sign in", "/login/", {"username": self.plan.username, "password": self.password})
        return sample.status == 302

    def step(self) -> Sample:
        if self.random.random() < WRITE_SHARE:
            write = self._write()
            if write is not None:
                return write
        label, url = self.random.choice(self.plan.pages)
        sample, _response = self._timed(label, "GET", url)
        return sample

    def _write(self) -> Sample | None:
        choices = []
        if self.plan.message_tasks:
            choices.append("message")
        if self.plan.time_tasks:
            choices.append("time")
        if self.plan.hold_tasks:
            choices.append("hold")
        if not choices:
            return None
        kind = self.random.choice(choices)
        if kind == "message":
            task = self.random.choice(self.plan.message_tasks)
            body = f"Load test note {self.random.randrange(10**6)} from {self.plan.username}."
            return self._post("write message", f"/tasks/{task}/messages", {"msg-body": body})
        if kind == "time":
            task = self.random.choice(self.plan.time_tasks)
            data = {"time-date": _yesterday_utc(), "time-hours": "0.25", "time-description": "Load test work"}
            return self._post("write time", f"/tasks/{task}/time", data)
        task = self.plan.hold_tasks[0]
        if task in self.held:
            self.held.discard(task)
            data = {"status": "in_progress", "expected_status": "on_hold", "comment": "Load test: resume"}
        else:
            self.held.add(task)
            data = {"status": "on_hold", "expected_status": "in_progress", "comment": "Load test: hold"}
        return self._post("write transition", f"/tasks/{task}/transition", data)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(samples: list[Sample], users: int, seconds: float, target_ms: float) -> dict[str, Any]:
    times = [s.ms for s in samples]
    errors = [s for s in samples if s.status == 0 or s.status >= 400]
    by_label: dict[str, list[float]] = defaultdict(list)
    for s in samples:
        by_label[s.label].append(s.ms)
    slowest = sorted(by_label.items(), key=lambda item: -_percentile(item[1], 0.95))[:10]
    p95 = round(_percentile(times, 0.95), 1)
    return {
        "users": users,
        "requests": len(samples),
        "requests_per_second": round(len(samples) / seconds, 1),
        "p50_ms": round(statistics.median(times), 1) if times else 0,
        "p95_ms": p95,
        "p99_ms": round(_percentile(times, 0.99), 1),
        "max_ms": round(max(times), 1) if times else 0,
        "errors": len(errors),
        "error_statuses": sorted({s.status for s in errors}),
        "error_labels": sorted({s.label for s in errors})[:10],
        "writes": sum(1 for s in samples if s.label.startswith("write")),
        "met_target": p95 <= target_ms and not errors,
        "slowest_p95_ms": {label: round(_percentile(ms, 0.95), 1) for label, ms in slowest},
    }


def _run_users(
    base: str, plans: list[Plan], password: str, users: int, seconds: float, warmup: float
) -> tuple[list[Sample], float]:
    """Sign every user in first (a password check costs much CPU on purpose, so a storm of sign-ins is
    kept out of the measurement), then browse: `warmup` seconds unmeasured, `seconds` measured."""
    stop = threading.Event()
    signed_in = threading.Barrier(users + 1)
    measuring_from = [0.0]
    samples: list[Sample] = []
    lock = threading.Lock()
    failed_sign_ins: list[str] = []

    def person(number: int) -> None:
        plan = plans[number % len(plans)]
        user = User(base, plan, password, seed=number)
        ok = user.sign_in()
        if not ok:
            failed_sign_ins.append(plan.username)
        signed_in.wait()
        if not ok:
            return
        while not stop.is_set():
            stop.wait(user.random.uniform(0.5, 1.5))
            if stop.is_set():
                break
            sample = user.step()
            if sample.at >= measuring_from[0]:
                with lock:
                    samples.append(sample)

    threads = [threading.Thread(target=person, args=(n,), daemon=True) for n in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    signed_in.wait()
    sign_in_seconds = time.perf_counter() - started
    measuring_from[0] = time.time() + warmup
    time.sleep(warmup + seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=70)
    samples.extend(Sample(time.time(), "sign in", 0.0, 0) for _ in failed_sign_ins)
    return samples, sign_in_seconds


def _has_worker_command() -> bool:
    from django.core.management import get_commands

    return "worker" in get_commands()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="10,25,50", help="Comma-separated user counts, run in order.")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--experts", type=int, default=2000)
    parser.add_argument("--data-dir", default="", help="Keep the world here (seeded on first use).")
    parser.add_argument("--workers", type=int, default=0, help="kpo serve --workers (0: its default).")
    parser.add_argument("--threads", type=int, default=0, help="kpo serve --threads (0: its default).")
    parser.add_argument("--target-ms", type=float, default=150)
    options = parser.parse_args()
    counts = [int(n) for n in options.users.split(",")]

    temporary = None
    directory = Path(options.data_dir).resolve() if options.data_dir else None
    if directory is None and os.environ.get("DATABASE_URL"):
        # a kept database keeps its data folder: the audit key there keys the database's trail
        name = hashlib.sha256(os.environ["DATABASE_URL"].encode()).hexdigest()[:12]
        directory = Path(tempfile.gettempdir()) / f"kpo-bench-load-{name}"
    if directory is None:
        temporary = Path(tempfile.mkdtemp(prefix="kpo-bench-load-"))
        directory = temporary
    directory.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "KPO_DATA_DIR": str(directory),
            "KPO_MEDIA_ROOT": str(directory / "media"),
            "DJANGO_SETTINGS_MODULE": "kpo.settings",
            "KPO_DEMO": "1",
        }
    )
    processes: list[subprocess.Popen[bytes]] = []
    try:
        world = _prepare_world(options.experts)
        from django.db import connection

        from kpo.demo.accounts import DEMO_PASSWORD

        plans = _plans()
        vendor = connection.vendor
        worker = _has_worker_command()
        port = free_port()
        serve = _kpo("serve", f"127.0.0.1:{port}")
        if options.workers:
            serve += ["--workers", str(options.workers)]
        if options.threads:
            serve += ["--threads", str(options.threads)]
        log = (directory / "load-server.log").open("wb")
        processes.append(subprocess.Popen(serve, stdout=log, stderr=subprocess.STDOUT))
        if worker:
            processes.append(subprocess.Popen(_kpo("worker"), stdout=log, stderr=subprocess.STDOUT))
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/login/")
        runs = []
        for users in counts:
            samples, sign_in_seconds = _run_users(
                base, plans, DEMO_PASSWORD, users, options.seconds, options.warmup
            )
            runs.append(
                {
                    **_summary(samples, users, options.seconds, options.target_ms),
                    "sign_in_seconds": round(sign_in_seconds, 1),
                }
            )
        met = [run["users"] for run in runs if run["met_target"]]
        report = {
            "database": vendor,
            "experts": options.experts,
            "server": " ".join(serve[3:]),
            "worker": worker,
            "think_seconds": "uniform 0.5-1.5",
            "write_share": WRITE_SHARE,
            "seconds": options.seconds,
            "target_p95_ms": options.target_ms,
            "load_average": os.getloadavg()[0],
            **world,
            "runs": runs,
            "largest_users_meeting_target": max(met) if met else 0,
        }
        print(json.dumps(report))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
