"""Engagements and tasks of the demo world, with the history each task's state implies.

Every task's path is replayed through the engine's state machine (`check_transition`), so the recorded
TaskTransition rows, assignments, deliverable versions, time entries and messages are consistent with it.
Timestamps are laid back from the seeding moment (kpo.demo.reference) with the seeded random generator.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import models

from kpo.core.clock import installation_date
from kpo.demo.accounts import DEMO_ACCOUNTS
from kpo.demo.catalogue import ENGAGEMENTS, MESSAGES, TIME_ENTRY_NOTES, EngagementSpec, TaskSpec
from kpo.demo.files import brief_text, deliverable_text, store_text
from kpo.demo.occupations import Occupation
from kpo.demo.reference import demo_now
from kpo.demo.task_skills import LEVELS, task_skills
from kpo.engine.lifecycle import (
    TERMINAL_STATES,
    Capacity,
    Precondition,
    TaskState,
    check_transition,
    transition_for,
)
from kpo.engine.taxonomy import Domain, Role
from kpo.experts.models import ExpertProfile, ExpertStatus
from kpo.orgs.models import Membership, Organisation
from kpo.work.models import (
    Assignment,
    AssignmentRole,
    Deliverable,
    DeliverableVersion,
    Engagement,
    EngagementStatus,
    Message,
    Task,
    TaskDocument,
    TaskLanguage,
    TaskSkill,
    TaskTransition,
    TimeEntry,
    TimeEntryStatus,
)

S = TaskState
DEFAULT_COMMENTS: dict[str, str] = {
    "return_to_maker": "Please check the figures against the source data before this goes to the client.",
    "request_changes": "Close, but please add the assumptions behind each number.",
    "put_on_hold": "Paused until we have the missing input.",
    "cancel": "No longer needed.",
}
OPTIONAL_COMMENTS: dict[str, str] = {
    "submit": "Ready for staffing.",
    "pass_review": "Reviewed: figures reconcile with the source data.",
    "accept": "Accepted, thank you.",
}
# Which capacity acts for each action when more than one may.
PREFERRED: dict[str, tuple[Capacity, ...]] = {
    "send_to_review": (Capacity.MAKER,),
    "pass_review": (Capacity.REVIEWER,),
    "return_to_maker": (Capacity.REVIEWER,),
    "resume_work": (Capacity.MAKER,),
    "put_on_hold": (Capacity.CLIENT,),
    "resume": (Capacity.PROVIDER_MANAGER,),
}


@dataclass
class Cast:
    """Who acts for each side of one engagement."""

    admin: User
    requester: User
    manager: User
    makers: list[ExpertProfile]
    reviewer: ExpertProfile


@dataclass
class Pending:
    """Rows whose created_at must be set after insert (auto_now_add overrides it on insert)."""

    stamps: list[tuple[models.Model, datetime]] = field(default_factory=list)

    def stamp(self, instance: models.Model, at: datetime) -> None:
        self.stamps.append((instance, at))

    def flush(self) -> None:
        by_model: dict[type[models.Model], list[models.Model]] = {}
        for instance, at in self.stamps:
            instance.created_at = at  # type: ignore[attr-defined]
            instance.updated_at = at  # type: ignore[attr-defined]
            by_model.setdefault(type(instance), []).append(instance)
        for model, instances in by_model.items():
            model._default_manager.bulk_update(instances, ["created_at", "updated_at"])


def create_engagements(
    organisations: Mapping[str, Organisation],
    users: Mapping[str, User],
    skill_pools: Mapping[Domain, Sequence[int]],
    rng: random.Random,
    occupations: Mapping[Domain, Sequence[Occupation]] | None = None,
) -> Counter[str]:
    pending = Pending()
    written: Counter[str] = Counter()
    for spec in ENGAGEMENTS:
        cast = _cast(spec, organisations, users, rng)
        engagement = _engagement(spec, organisations, cast, pending)
        written["engagements"] += 1
        for task_spec in spec.tasks:
            written += _task(engagement, spec, task_spec, cast, skill_pools, rng, pending, occupations or {})
        if all(task.status in {s.value for s in TERMINAL_STATES} for task in engagement.tasks.all()):
            engagement.status = EngagementStatus.COMPLETED
            engagement.save(update_fields=["status"])
    pending.flush()
    return written


def _account_user(users: Mapping[str, User], organisation: str, role: str) -> User:
    for account in DEMO_ACCOUNTS:
        if account.organisation_slug == organisation and account.role == role:
            return users[account.username]
    raise LookupError(f"no demo account is {role} at {organisation}")


def _cast(
    spec: EngagementSpec,
    organisations: Mapping[str, Organisation],
    users: Mapping[str, User],
    rng: random.Random,
) -> Cast:
    provider = organisations[spec.provider]
    named = {account.username for account in DEMO_ACCOUNTS}
    staff = ExpertProfile.objects.filter(
        organisation=provider, internal=False, status=ExpertStatus.ACTIVE
    ).exclude(user__username__in=named)
    in_domain = list(staff.filter(domains__domain=spec.domain.value).order_by("id")[:60])
    pool = in_domain if len(in_domain) >= 4 else list(staff.order_by("id")[:60])
    reviewers = {
        m.user_id
        for m in Membership.objects.filter(organisation=provider, role=Role.REVIEWER.value).only("user_id")
    }
    if spec.reviewer:
        reviewer = ExpertProfile.objects.get(user__username=spec.reviewer)
    else:
        seniors = [profile for profile in pool if profile.user_id in reviewers]
        reviewer = rng.choice(seniors or pool)
    if spec.maker:
        makers = [ExpertProfile.objects.get(user__username=spec.maker)]
    else:
        candidates = [profile for profile in pool if profile.pk != reviewer.pk]
        makers = rng.sample(candidates, min(3, len(candidates)))
    return Cast(
        admin=_account_user(users, spec.client, Role.CLIENT_ADMIN.value),
        requester=_account_user(users, spec.client, Role.REQUESTER.value),
        manager=_account_user(users, spec.provider, Role.PROVIDER_MANAGER.value),
        makers=makers,
        reviewer=reviewer,
    )


def _engagement(
    spec: EngagementSpec, organisations: Mapping[str, Organisation], cast: Cast, pending: Pending
) -> Engagement:
    client = organisations[spec.client]
    start = demo_now() - timedelta(days=spec.started_days_ago)
    engagement = Engagement(
        client=client,
        provider=organisations[spec.provider],
        title=spec.title,
        objective=spec.objective,
        domain=spec.domain.value,
        kind=spec.kind,
        pricing_model=spec.pricing_model,
        budget=Decimal(spec.budget),
        currency=client.currency,
        start_date=installation_date(start),
        end_date=None if spec.kind == "recurring" else installation_date(start + timedelta(days=240)),
        confidentiality=spec.confidentiality,
        created_by=cast.admin,
    )
    engagement.full_clean()
    engagement.save()
    pending.stamp(engagement, start - timedelta(days=7))
    return engagement


def _moments(rng: random.Random, start: datetime, steps: int) -> tuple[datetime, list[datetime]]:
    """When the task was created and when each step happened, all before the seeding moment."""
    earliest = start + timedelta(days=1)
    created = max(earliest, demo_now() - timedelta(days=4 + 6 * steps + rng.randint(0, 8)))
    span = (demo_now() - timedelta(hours=3) - created).total_seconds()
    fractions = sorted(rng.uniform(0.05, 0.97) for _ in range(steps))
    moments = sorted(_office_hours(created + timedelta(seconds=span * f)) for f in fractions)
    for index in range(1, len(moments)):  # strictly increasing
        if moments[index] <= moments[index - 1]:
            moments[index] = moments[index - 1] + timedelta(minutes=7)
    return created.replace(second=0, microsecond=0), moments


def _office_hours(moment: datetime) -> datetime:
    """Move a moment into 06:00-15:59 UTC (daytime in Denmark, Poland, India and the Philippines)."""
    moved = moment.replace(hour=6 + moment.hour % 10, second=0, microsecond=0)
    return moved if moved < demo_now() - timedelta(hours=3) else moment.replace(second=0, microsecond=0)


@dataclass
class Replay:
    """The state of one task while its path is replayed."""

    task: Task
    spec: TaskSpec
    engagement_spec: EngagementSpec
    cast: Cast
    maker: ExpertProfile
    rng: random.Random
    pending: Pending
    written: Counter[str] = field(default_factory=Counter)
    satisfied: set[Precondition] = field(default_factory=set)
    deliverable: Deliverable | None = None
    versions: int = 0
    work_started: datetime | None = None
    first_started: datetime | None = None


def _task(
    engagement: Engagement,
    spec: EngagementSpec,
    task_spec: TaskSpec,
    cast: Cast,
    skill_pools: Mapping[Domain, Sequence[int]],
    rng: random.Random,
    pending: Pending,
    occupations: Mapping[Domain, Sequence[Occupation]],
) -> Counter[str]:
    created, moments = _moments(rng, demo_now() - timedelta(days=spec.started_days_ago), len(task_spec.path))
    terminal = bool(task_spec.path) and task_spec.path[-1] in TERMINAL_STATES
    due = created + timedelta(days=rng.randint(21, 56))
    if not terminal:
        due = max(due, demo_now() + timedelta(days=rng.randint(14, 35)))
    task = Task(
        engagement=engagement,
        title=task_spec.title,
        description=task_spec.description,
        min_degree_level=task_spec.min_degree,
        effort_hours=Decimal(task_spec.effort_hours),
        due_at=due.replace(hour=15, minute=0, second=0, microsecond=0),
        priority=task_spec.priority,
        created_by=cast.requester,
    )
    task.full_clean()
    task.save()
    pending.stamp(task, created)
    replay = Replay(task, task_spec, spec, cast, cast.makers[rng.randrange(len(cast.makers))], rng, pending)
    replay.written["tasks"] += 1
    replay.written += _requirements(task, task_spec, spec.domain, skill_pools, rng, occupations)
    state = S.DRAFT
    resume_to: TaskState | None = None
    for target, at in zip(task_spec.path, moments, strict=True):
        state, resume_to = _step(replay, state, target, resume_to, at)
    task.status = state.value
    task.resume_status = resume_to.value if state == S.ON_HOLD and resume_to else ""
    task.save(update_fields=["status", "resume_status"])
    now = demo_now() - timedelta(hours=1)
    if state == S.IN_PROGRESS and replay.work_started is not None:
        _log_time(replay, replay.work_started, now)
    if replay.first_started is not None:
        _messages(replay, replay.first_started, moments[-1] if terminal else now)
    return replay.written


def _requirements(
    task: Task,
    spec: TaskSpec,
    domain: Domain,
    skill_pools: Mapping[Domain, Sequence[int]],
    rng: random.Random,
    occupations: Mapping[Domain, Sequence[Occupation]],
) -> Counter[str]:
    languages = [TaskLanguage(task=task, language="en", min_level=rng.choice(("B2", "C1")))]
    if spec.danish:
        languages.append(TaskLanguage(task=task, language="da", min_level="B2"))
    TaskLanguage.objects.bulk_create(languages)
    if occupations.get(domain):  # core skills of an occupation enough of the provider's experts hold
        skills = task_skills(task, spec.occupation, spec.skills, occupations[domain], rng).skills
    else:  # no occupation of the domain in this ESCO version: any skills of the domain's pool
        pool = skill_pools.get(domain, ())
        skills = {skill: rng.choice(LEVELS) for skill in rng.sample(pool, min(len(pool), spec.skills))}
    TaskSkill.objects.bulk_create(
        TaskSkill(task=task, skill_id=skill_id, min_proficiency=level) for skill_id, level in skills.items()
    )
    return Counter(task_skills=len(skills), task_languages=len(languages))


def _actor(replay: Replay, capacity: Capacity, action: str) -> User:
    cast = replay.cast
    if capacity == Capacity.CLIENT:
        return cast.admin if action == "accept" else cast.requester
    if capacity == Capacity.PROVIDER_MANAGER:
        return cast.manager
    if capacity == Capacity.MAKER:
        return replay.maker.user
    return cast.reviewer.user


def _step(
    replay: Replay, state: TaskState, target: TaskState, resume_to: TaskState | None, at: datetime
) -> tuple[TaskState, TaskState | None]:
    transition = transition_for(state, target, resume_to)
    if transition is None:
        raise ValueError(f"{replay.spec.title}: no transition from {state} to {target}")
    capacity = next(
        (c for c in PREFERRED.get(transition.action, ()) if c in transition.capacities),
        sorted(transition.capacities)[0],
    )
    if target == S.IN_PROGRESS and state == S.STAFFING:
        _assign(replay, at - timedelta(hours=2))
        replay.work_started = replay.first_started = at
    if target == S.IN_REVIEW:
        _deliver(replay, at - timedelta(minutes=30))
    if target == S.SUBMITTED:
        _brief(replay, at - timedelta(minutes=20))
    needs = transition.needs_comment
    comment = (replay.spec.comment or DEFAULT_COMMENTS[transition.action]) if needs else ""
    if not needs and replay.rng.random() < 0.4:
        comment = OPTIONAL_COMMENTS.get(transition.action, "")
    if transition.action == "pass_review":  # its passing review is written by kpo.demo.quality
        replay.satisfied.add(Precondition.HAS_PASSING_REVIEW)
    if transition.action == "accept":  # its accepting rating is written by kpo.demo.quality
        replay.satisfied.add(Precondition.HAS_ACCEPTING_RATING)
    check_transition(state, target, frozenset({capacity}), frozenset(replay.satisfied), comment, resume_to)
    actor = _actor(replay, capacity, transition.action)
    TaskTransition.objects.create(
        task=replay.task, actor=actor, from_status=state.value, to_status=target.value, comment=comment, at=at
    )
    replay.written["task_transitions"] += 1
    if state == S.IN_PROGRESS and target in (S.IN_REVIEW, S.ON_HOLD) and replay.work_started:
        _log_time(replay, replay.work_started, at)
    if target in (S.DELIVERED, S.IN_PROGRESS) and state == S.IN_REVIEW:
        _review_time(replay, at)
    if target == S.ON_HOLD:
        return target, state
    if target == S.IN_PROGRESS and state in (S.ON_HOLD, S.IN_REVIEW, S.CHANGES_REQUESTED):
        replay.work_started = at
    return target, None


def _assign(replay: Replay, at: datetime) -> None:
    effort = replay.task.effort_hours
    for expert, role, hours in (
        (replay.maker, AssignmentRole.MAKER, (effort * Decimal("0.85")).quantize(Decimal("0.1"))),
        (
            replay.cast.reviewer,
            AssignmentRole.REVIEWER,
            max(Decimal(1), (effort * Decimal("0.15")).quantize(1)),
        ),
    ):
        assignment = Assignment(
            task=replay.task, expert=expert, role=role, planned_hours=hours, assigned_by=replay.cast.manager
        )
        assignment.full_clean()
        assignment.save()
        replay.pending.stamp(assignment, at)
        replay.written["assignments"] += 1
    replay.satisfied.add(Precondition.HAS_MAKER)


def _folder(replay: Replay) -> str:
    return f"{replay.engagement_spec.client}/task-{replay.task.pk:04d}"


def _brief(replay: Replay, at: datetime) -> None:
    task = replay.task
    text = brief_text(
        client=task.engagement.client.name,
        engagement=task.engagement.title,
        title=task.title,
        description=task.description,
    )
    stored = store_text(_folder(replay), "brief.md", text)
    document = TaskDocument.objects.create(
        task=task,
        title=f"Brief: {task.title}",
        file=stored.name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=replay.cast.requester,
    )
    replay.pending.stamp(document, at)
    replay.written["task_documents"] += 1


def _deliver(replay: Replay, at: datetime) -> None:
    task = replay.task
    maker = replay.maker.user
    if replay.deliverable is None:
        replay.deliverable = Deliverable.objects.create(
            task=task, title=f"{task.title}: report", created_by=maker
        )
        replay.pending.stamp(replay.deliverable, at)
        replay.written["deliverables"] += 1
    replay.versions += 1
    number = replay.versions
    note = "First version." if number == 1 else "Revised after the comments on the previous version."
    text = deliverable_text(
        title=task.title,
        client=task.engagement.client.name,
        author=maker.get_full_name(),
        provider=task.engagement.provider.name,
        version=number,
        note=note,
    )
    stored = store_text(_folder(replay), f"report-v{number}.md", text)
    version = DeliverableVersion.objects.create(
        deliverable=replay.deliverable,
        number=number,
        note=note,
        file=stored.name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=maker,
    )
    replay.pending.stamp(version, at)
    replay.written["deliverable_versions"] += 1
    replay.satisfied.add(Precondition.HAS_DELIVERABLE)


def _log_time(replay: Replay, start: datetime, end: datetime) -> None:
    """The maker's time between starting work and handing it on."""
    rng = replay.rng
    days = max(1, (end - start).days)
    accepted = replay.spec.path[-1] == S.ACCEPTED
    entries = []
    for _ in range(min(days, rng.randint(2, 6))):
        day = start + timedelta(days=rng.randint(0, days - 1))
        entries.append(
            TimeEntry(
                task=replay.task,
                expert=replay.maker,
                date=installation_date(day),
                hours=Decimal(rng.choice(("1.5", "2.0", "3.0", "4.0", "5.5", "6.0", "7.5"))),
                description=rng.choice(TIME_ENTRY_NOTES),
                status=TimeEntryStatus.APPROVED if accepted else TimeEntryStatus.SUBMITTED,
            )
        )
    for entry in entries:
        entry.full_clean()
        entry.save()
        # logged on its day at the hour work was handed on, but never before work started
        replay.pending.stamp(entry, min(max(datetime.combine(entry.date, end.timetz()), start), end))
    replay.written["time_entries"] += len(entries)


def _review_time(replay: Replay, at: datetime) -> None:
    entry = TimeEntry(
        task=replay.task,
        expert=replay.cast.reviewer,
        date=installation_date(at),
        hours=Decimal(replay.rng.choice(("1.0", "1.5", "2.0", "3.0"))),
        description="Quality review",
        status=TimeEntryStatus.APPROVED if replay.spec.path[-1] == S.ACCEPTED else TimeEntryStatus.SUBMITTED,
    )
    entry.full_clean()
    entry.save()
    replay.pending.stamp(entry, at)
    replay.written["time_entries"] += 1


def _messages(replay: Replay, start: datetime, end: datetime) -> None:
    count = replay.rng.randint(2, len(MESSAGES))
    step = max(timedelta(minutes=30), (max(end, start + timedelta(hours=1)) - start) / (count + 1))
    latest = demo_now() - timedelta(minutes=5)
    moments = sorted(min(_office_hours(start + step * (index + 1)), latest) for index in range(count))
    for (side, body), at in zip(MESSAGES[:count], moments, strict=True):
        author = replay.cast.requester if side == "client" else replay.maker.user
        message = Message.objects.create(task=replay.task, author=author, body=body)
        replay.pending.stamp(message, at)
    replay.written["messages"] += count
