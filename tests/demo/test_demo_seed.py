"""The demo world: deterministic, idempotent, complete, and consistent with the task lifecycle."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from kpo.core.clock import installation_date
from kpo.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, OPERATOR_ROLE, demo_accounts
from kpo.demo.countries import COUNTRIES
from kpo.demo.experts import generate_experts, internal_count
from kpo.demo.organisations import BANK, MANUFACTURER, PROVIDER_SLUGS
from kpo.demo.reference import CATALOGUE_MOMENT
from kpo.demo.seed import load_skill_pools, seed_demo
from kpo.engine.lifecycle import TaskState, transition_for
from kpo.engine.taxonomy import Domain
from kpo.experts.models import ExpertProfile, ExpertSkill
from kpo.orgs.models import Membership, Organisation
from kpo.work.models import (
    Assignment,
    DeliverableVersion,
    Engagement,
    Message,
    Task,
    TaskTransition,
    TimeEntry,
)

N = 50
SEED = 7
TODAY = installation_date(CATALOGUE_MOMENT)
ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")
MODELS: tuple[Any, ...] = (
    User,
    Organisation,
    Membership,
    ExpertProfile,
    ExpertSkill,
    Engagement,
    Task,
    TaskTransition,
    Assignment,
    DeliverableVersion,
    TimeEntry,
    Message,
)


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.KPO_EMBEDDER = "lexical"  # the refresh the seed enqueues (run at once here) stores nothing


@pytest.fixture
def seeded(db: None) -> str:
    out = io.StringIO()
    call_command("seed_demo", experts=N, seed=SEED, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def digest() -> list[tuple[Any, ...]]:
    """What the seed generated, independent of primary keys and timestamps."""
    experts = [
        (
            p.user.username,
            p.user.get_full_name(),
            p.headline,
            p.country,
            p.time_zone,
            str(p.cost_rate),
            p.rate_currency,
            tuple(sorted(s.skill.uri for s in p.skills.all())),
            tuple(sorted(d.domain for d in p.domains.all())),
        )
        for p in ExpertProfile.objects.select_related("user").prefetch_related("skills__skill", "domains")
    ]
    tasks = [
        (
            t.title,
            t.status,
            t.due_at.isoformat(),
            tuple(
                (tr.from_status, tr.to_status, tr.actor.username, tr.at.isoformat())
                for tr in t.transitions.all()
            ),
            tuple(sorted((a.role, a.expert.user.username) for a in t.assignments.all())),
        )
        for t in Task.objects.order_by("title")
    ]
    return sorted(experts) + tasks


def test_generator_is_pure_and_deterministic() -> None:
    pools = {domain: list(range(index * 100, index * 100 + 40)) for index, domain in enumerate(Domain)}
    first = list(generate_experts(N, SEED, pools, today=TODAY))
    assert first == list(generate_experts(N, SEED, pools, today=TODAY))
    assert first != list(generate_experts(N, SEED + 1, pools, today=TODAY))
    assert len({spec.username for spec in first}) == N
    assert sum(spec.internal for spec in first) == internal_count(N)
    assert {spec.organisation for spec in first} == {*PROVIDER_SLUGS, MANUFACTURER}


@pytest.mark.django_db
def test_same_seed_gives_the_same_world() -> None:
    results = []
    for _ in range(2):
        with transaction.atomic():
            seed_demo(now=CATALOGUE_MOMENT, experts=N, seed=SEED)
            results.append((digest(), row_counts()))
            transaction.set_rollback(True)
    assert results[0] == results[1]
    assert results[0][1]["ExpertProfile"] == N + 2  # plus carol and rita


@pytest.mark.django_db
def test_seeding_again_changes_nothing(seeded: str) -> None:
    before = row_counts()
    out = io.StringIO()
    call_command("seed_demo", experts=N, seed=SEED, stdout=out)
    assert "already seeded" in out.getvalue()
    assert row_counts() == before


@pytest.mark.django_db
def test_demo_command_prepares_once_and_serves_with_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    monkeypatch.setattr("kpo.site.server.KpoServer.run", lambda server: events.append(server.cfg.bind[0]))
    monkeypatch.setattr("kpo.site.management.commands.demo.start_worker", lambda: events.append("worker"))
    monkeypatch.setattr("kpo.site.management.commands.demo.stop_worker", lambda worker: events.append("stop"))
    out = io.StringIO()
    call_command("demo", "--no-serve", "--experts", str(N), stdout=out)
    assert "alice" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    assert events == []
    before = row_counts()
    call_command("demo", "127.0.0.1:8123", "--experts", str(N), stdout=out)
    assert row_counts() == before
    assert events == ["worker", "127.0.0.1:8123", "stop"]


def test_serve_defaults_to_localhost_on_gunicorn_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[Any] = []
    monkeypatch.setattr("kpo.site.server.KpoServer.run", lambda server: served.append(server.cfg))
    call_command("serve", "--threads", "3")
    (config,) = served
    assert config.bind == ["127.0.0.1:8000"]
    assert config.worker_class_str == "gthread" and config.threads == 3 and config.preload_app


@pytest.mark.django_db
def test_too_few_experts_is_refused() -> None:
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_demo", experts=3)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_reset_seeds_the_same_world_again() -> None:
    with time_machine.travel(timezone.now(), tick=False):  # the same moment: the world is laid back from it
        call_command("seed_demo", experts=N, seed=SEED, stdout=io.StringIO())
        before = (digest(), row_counts())
        call_command("seed_demo", experts=N, seed=SEED, reset=True, stdout=io.StringIO())
        assert (digest(), row_counts()) == before


@pytest.mark.django_db
def test_every_state_and_domain_occurs(seeded: str) -> None:
    assert set(Task.objects.values_list("status", flat=True)) == {state.value for state in TaskState}
    assert set(Engagement.objects.values_list("domain", flat=True)) == {domain.value for domain in Domain}
    bank = Engagement.objects.filter(client__slug=BANK)
    assert bank.exists()
    assert all("Kystbanken" in title for title in bank.values_list("title", flat=True))
    nordvind_titles = Engagement.objects.filter(client__slug=MANUFACTURER).values_list("title", flat=True)
    assert not any("Kystbanken" in title for title in nordvind_titles)


@pytest.mark.django_db
def test_named_accounts_have_their_roles(seeded: str) -> None:
    assert len(demo_accounts()) == len(DEMO_ACCOUNTS)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.email == account.email
        if account.role == OPERATOR_ROLE:
            assert user.is_staff and not user.is_superuser
            continue
        assert Membership.objects.filter(
            user=user, organisation__slug=account.organisation_slug, role=account.role
        ).exists(), account
    hashes = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list("password")
    )
    assert len(hashes) == 1  # hashed once, reused
    for name, role in (("carol", "maker"), ("rita", "reviewer")):
        assert ExpertProfile.objects.filter(user__username=name, organisation__slug="indus-insight").exists()
        states = set(
            Assignment.objects.filter(
                expert__user__username=name, role=role, task__engagement__client__slug=MANUFACTURER
            ).values_list("task__status", flat=True)
        )
        assert len(states) >= 4, (name, states)
    assert not Assignment.objects.filter(expert__user__username="carol", task__engagement__client__slug=BANK)


@pytest.mark.django_db
def test_generated_experts_are_plausible(seeded: str) -> None:
    experts = ExpertProfile.objects.exclude(user__username__in=["carol", "rita"])
    assert experts.count() == N
    assert all(user.password.startswith("!") for user in User.objects.filter(username__startswith="expert-"))
    internal = experts.filter(internal=True)
    assert internal.exists() and set(internal.values_list("organisation__slug", flat=True)) == {MANUFACTURER}
    for profile in internal:
        assert Membership.objects.filter(
            user=profile.user, organisation__slug=MANUFACTURER, role="expert"
        ).exists()
    for profile in experts.prefetch_related("languages", "domains", "degrees", "skills", "employments"):
        languages = {lang.language for lang in profile.languages.all()}
        assert COUNTRIES[profile.country].languages[0] in languages or profile.country in ("IN", "ZA")
        assert 1 <= profile.domains.count() <= 2
        assert profile.degrees.exists() and profile.skills.count() >= 4 and profile.employments.exists()
        assert profile.cost_rate > 0 and profile.bill_rate >= profile.cost_rate


@pytest.mark.django_db
def test_time_zones_belong_to_their_country(seeded: str) -> None:
    if not ZONE_TAB.exists():
        pytest.skip("no tzdata zone.tab on this machine")
    zones: set[tuple[str, str]] = set()
    for line in ZONE_TAB.read_text().splitlines():
        if line and not line.startswith("#"):
            codes, _, zone = line.split("\t")[:3]
            zones.update((code, zone) for code in codes.split(","))
    pairs = set(ExpertProfile.objects.values_list("country", "time_zone"))
    pairs |= set(Organisation.objects.values_list("country", "time_zone"))
    assert pairs <= zones, pairs - zones
    for country in COUNTRIES.values():
        assert {(country.code, zone) for zone in country.time_zones} <= zones


@pytest.mark.django_db
def test_task_histories_follow_the_lifecycle(seeded: str) -> None:
    for task in Task.objects.select_related("engagement"):
        state, resume_to = TaskState.DRAFT, None
        for step in task.transitions.all():
            assert step.from_status == state.value, task.title
            target = TaskState(step.to_status)
            assert transition_for(state, target, resume_to) is not None, (task.title, state, target)
            resume_to = state if target == TaskState.ON_HOLD else None
            state = target
        assert state.value == task.status, task.title
        assignments = list(task.assignments.select_related("expert"))
        if any(s.to_status == TaskState.IN_PROGRESS for s in task.transitions.all()):
            roles = Counter(a.role for a in assignments)
            assert roles == {"maker": 1, "reviewer": 1}, task.title
            assert len({a.expert_id for a in assignments}) == 2
            assert {a.expert.organisation_id for a in assignments} == {task.engagement.provider_id}
        else:
            assert not assignments
        reviewed = task.transitions.filter(to_status=TaskState.IN_REVIEW).count()
        versions = DeliverableVersion.objects.filter(deliverable__task=task)
        assert versions.count() == reviewed
        for version in versions:
            content = version.file.read()
            version.file.close()
            assert len(content) == version.size and hashlib.sha256(content).hexdigest() == version.sha256


@pytest.mark.django_db
def test_esco_skills_are_sorted_into_every_domain() -> None:
    pools = load_skill_pools()
    assert set(pools) == set(Domain)
    for domain, skills in pools.items():
        assert len(skills) >= 20, domain
        assert skills == sorted(skills)
    assert pools == load_skill_pools()


def _states_at(task: Task, moment: Any) -> set[TaskState]:
    """The task's state at `moment`, and the one it left then if a transition happened at that instant
    (the demo stamps work with the moment it starts or is handed on)."""
    before = after = TaskState.DRAFT
    for step in task.transitions.all():
        if step.at < moment:
            before = TaskState(step.to_status)
        if step.at <= moment:
            after = TaskState(step.to_status)
    return {before, after}


def test_demo_time_and_messages_follow_the_rules(seeded: str) -> None:
    """What the rules of kpo.work.activity_rules refuse, the demo world does not hold either."""
    from kpo.work.activity_rules import TIME_STATES, expert_today

    now = timezone.now()
    entries = TimeEntry.objects.select_related("task__engagement", "expert")
    assert entries.exists()
    for entry in entries:
        task, engagement = entry.task, entry.task.engagement
        roles = set(task.assignments.filter(expert=entry.expert).values_list("role", flat=True))
        assert roles & {"maker", "reviewer"}, task.title
        assert engagement.start_date <= entry.date <= expert_today(entry.expert, now), task.title
        assert engagement.end_date is None or entry.date <= engagement.end_date, task.title
        assert _states_at(task, entry.created_at) & TIME_STATES, (task.title, entry.created_at)
    for task in Task.objects.filter(status__in=["accepted", "cancelled"]):
        closed_at = task.transitions.order_by("-at").values_list("at", flat=True).first()
        assert not task.messages.filter(created_at__gt=closed_at).exists(), task.title
