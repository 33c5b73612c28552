"""Writes on engagements and tasks. Every function is keyword-only, atomic and validates before saving."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.errors import DomainError
from kpo.core.uploads import CheckedUpload, check_upload, store_upload
from kpo.engine.lifecycle import (
    OPEN_STATES,
    Capacity,
    Precondition,
    TaskState,
    TransitionError,
    check_transition,
)
from kpo.engine.mentions import handles_in
from kpo.engine.taxonomy import ConfidentialityLevel, Role
from kpo.experts.models import EscoSkill, ExpertProfile
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import org_ids_with_roles
from kpo.work.access import (
    PROVIDER_WRITERS,
    can_create_engagement_for,
    can_edit_engagement,
    is_provider_manager,
    people_who_see,
    staffing_organisation_ids,
    staffs_task,
    task_capacities,
)
from kpo.work.activity_rules import check_thread_open, check_time_entry
from kpo.work.booking import lock_booking_rows
from kpo.work.extensions import (
    announce_assignment,
    announce_message,
    announce_transition,
    extra_preconditions,
    run_assignment_checks,
)
from kpo.work.models import (
    Assignment,
    AssignmentRole,
    Confidentiality,
    Deliverable,
    DeliverableVersion,
    Engagement,
    Message,
    MessageLanguage,
    Task,
    TaskDocument,
    TaskLanguage,
    TaskSkill,
    TaskStatus,
    TaskTransition,
    ThreadReadMarker,
    TimeEntry,
)
from kpo.work.transition_texts import transition_error_text

EDITABLE_TASK_STATES = {TaskStatus.DRAFT.value, TaskStatus.SUBMITTED.value, TaskStatus.STAFFING.value}
WORKING_STATES = {TaskStatus.IN_PROGRESS.value, TaskStatus.CHANGES_REQUESTED.value}
STAFFABLE_STATES = {
    TaskStatus.SUBMITTED.value,
    TaskStatus.STAFFING.value,
    TaskStatus.IN_PROGRESS.value,
    TaskStatus.IN_REVIEW.value,
    TaskStatus.CHANGES_REQUESTED.value,
}


@dataclass(frozen=True)
class Upload:
    """A file as the edges receive it: a binary stream and the name the user gave it."""

    stream: IO[bytes]
    name: str


_LEVEL_ORDER = [level.value for level in ConfidentialityLevel]


def clearance_meets(clearance: str, level: str) -> bool:
    """public < internal < confidential < restricted; an unknown value never meets a level."""
    if clearance not in _LEVEL_ORDER or level not in _LEVEL_ORDER:
        return False
    return _LEVEL_ORDER.index(clearance) >= _LEVEL_ORDER.index(level)


ENGAGEMENT_FIELDS = (
    "title",
    "objective",
    "domain",
    "kind",
    "pricing_model",
    "budget",
    "currency",
    "start_date",
    "end_date",
    "confidentiality",
    "status",
)


@transaction.atomic
def engagement_create(
    *, user: User, client: Organisation, provider: Organisation, **fields: Any
) -> Engagement:
    if not can_create_engagement_for(user, client.pk):
        raise DomainError(_("You may create engagements only for your own organisation."), field="client")
    unknown = set(fields) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown field %(name)s.") % {"name": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    engagement = Engagement(client=client, provider=provider, created_by=user, **fields)
    engagement.full_clean()
    engagement.save()
    return engagement


@transaction.atomic
def engagement_update(*, user: User, engagement: Engagement, **fields: Any) -> Engagement:
    if not can_edit_engagement(user, engagement):
        raise DomainError(_("Only the client's admins and requesters change an engagement."))
    level_before = engagement.confidentiality
    for name, value in fields.items():
        if name not in (*ENGAGEMENT_FIELDS, "provider"):
            raise DomainError(_("Unknown field %(name)s.") % {"name": name}, field=name)
        setattr(engagement, name, value)
    engagement.full_clean()
    engagement.save()
    if engagement.confidentiality != level_before:
        details = {"from": level_before, "to": engagement.confidentiality}
        target = ("engagement", engagement.pk)
        audit(user, AuditEvent.CLASSIFICATION_CHANGED, target, engagement.client, details)
    return engagement


def _set_requirements(
    task: Task, skills: list[tuple[int, int]] | None, languages: list[tuple[str, str]] | None
) -> None:
    if skills is not None:
        known = set(EscoSkill.objects.filter(id__in=[s for s, _ in skills]).values_list("id", flat=True))
        missing = [s for s, _ in skills if s not in known]
        if missing:
            raise ValidationError({"skills": _("Unknown skill id %(id)s.") % {"id": missing[0]}})
        if len({s for s, _ in skills}) != len(skills):
            raise ValidationError({"skills": _("A skill is listed twice.")})
        task.required_skills.all().delete()
        for skill_id, proficiency in skills:
            skill_row = TaskSkill(task=task, skill_id=skill_id, min_proficiency=proficiency)
            skill_row.full_clean(exclude=["task", "skill"])
            skill_row.save()
    if languages is not None:
        if len({lang for lang, _ in languages}) != len(languages):
            raise ValidationError({"languages": _("A language is listed twice.")})
        task.languages.all().delete()
        for language, level in languages:
            language_row = TaskLanguage(task=task, language=language, min_level=level)
            language_row.full_clean(exclude=["task"])
            language_row.save()


@transaction.atomic
def task_create(
    *,
    user: User,
    engagement: Engagement,
    title: str,
    description: str,
    effort_hours: Decimal,
    due_at: dt.datetime,
    priority: str = "normal",
    min_degree_level: str = "",
    skills: list[tuple[int, int]] | None = None,
    languages: list[tuple[str, str]] | None = None,
) -> Task:
    if not can_edit_engagement(user, engagement):
        raise DomainError(_("Only the client's admins and requesters add tasks."))
    task = Task(
        engagement=engagement,
        title=title,
        description=description,
        effort_hours=effort_hours,
        due_at=due_at,
        priority=priority,
        min_degree_level=min_degree_level,
        created_by=user,
    )
    return _saved_draft(task, skills, languages)


def _saved_draft(
    task: Task, skills: list[tuple[int, int]] | None, languages: list[tuple[str, str]] | None
) -> Task:
    task.full_clean()
    task.save()
    _set_requirements(task, skills, languages)
    return task


TASK_FIELDS = ("title", "description", "effort_hours", "due_at", "priority", "min_degree_level")


@transaction.atomic
def task_update(
    *,
    user: User,
    task: Task,
    skills: list[tuple[int, int]] | None = None,
    languages: list[tuple[str, str]] | None = None,
    **fields: Any,
) -> Task:
    if not can_edit_engagement(user, task.engagement):
        raise DomainError(_("Only the client's admins and requesters change a task."))
    if task.status not in EDITABLE_TASK_STATES:
        raise DomainError(_("A task can be changed only before work starts."), field="status")
    for name, value in fields.items():
        if name not in TASK_FIELDS:
            raise DomainError(_("Unknown field %(name)s.") % {"name": name}, field=name)
        setattr(task, name, value)
    task.full_clean()
    task.save()
    _set_requirements(task, skills, languages)
    return task


def _satisfied_preconditions(task: Task) -> frozenset[Precondition]:
    satisfied: set[Precondition] = set()
    if task.assignments.filter(role=AssignmentRole.MAKER).exists():
        satisfied.add(Precondition.HAS_MAKER)
    if DeliverableVersion.objects.filter(deliverable__task=task).exists():
        satisfied.add(Precondition.HAS_DELIVERABLE)
    return frozenset(satisfied | extra_preconditions(task))


class TaskMovedError(DomainError):
    """The task is no longer in the status the user saw: someone else moved it meanwhile."""

    def __init__(self, message: str, *, current_status: str) -> None:
        super().__init__(message, field="status")
        self.current_status = current_status


@transaction.atomic
def task_transition(
    *, user: User, task: Task, target: str, comment: str = "", expected_status: str | None = None
) -> Task:
    """Move a task along its lifecycle, recording who, when, from, to and why.

    `expected_status` is the status the user saw; if the task has moved since, nothing changes and a
    TaskMovedError (a DomainError on "status") says where it is now.
    """
    task = Task.objects.select_for_update().select_related("engagement").get(pk=task.pk)
    if expected_status is not None and expected_status != task.status:
        raise TaskMovedError(
            _("Someone moved this task to %(status)s meanwhile; here it is as it is now.")
            % {"status": str(task.get_status_display()).lower()},
            current_status=task.status,
        )
    try:
        target_state = TaskState(target)
    except ValueError as error:
        raise DomainError(
            _("%(value)s is not a task status.") % {"value": repr(target)}, field="status"
        ) from error
    state = TaskState(task.status)
    resume_to = TaskState(task.resume_status) if task.resume_status else None
    try:
        check_transition(
            state,
            target_state,
            task_capacities(user, task),
            _satisfied_preconditions(task),
            comment,
            resume_to,
        )
    except TransitionError as error:
        raise DomainError(transition_error_text(error), field=error.field) from error
    task.resume_status = state.value if target_state == TaskState.ON_HOLD else ""
    _record_transition(user=user, task=task, source=state, target=target_state, comment=comment)
    return task


def _record_transition(*, user: User, task: Task, source: TaskState, target: TaskState, comment: str) -> None:
    """Move `task` to `target` as checked by the caller: the transition, its audit entry and, after the
    commit, its listeners (notices, the SLA clock that reads transitions, quality's scores)."""
    task.status = target.value
    task.save(update_fields=["status", "resume_status", "updated_at"])
    transition = TaskTransition.objects.create(
        task=task,
        actor=user,
        from_status=source.value,
        to_status=target.value,
        comment=comment,
        at=timezone.now(),
    )
    details = {"from": source.value, "to": target.value, "comment": comment}
    audit(user, AuditEvent.TRANSITION, ("task", task.pk), task.engagement.client, details)
    announce_transition(transition)


@transaction.atomic
def task_create_submitted(
    *,
    user: User,
    engagement: Engagement,
    title: str,
    description: str,
    effort_hours: Decimal,
    due_at: dt.datetime,
    skills: list[tuple[int, int]],
    languages: list[tuple[str, str]],
    comment: str,
) -> Task:
    """A task created and submitted at once for a change to the engagement's team (a new seat, a
    hand-over), by the client's admins and requesters or the provider's managers, who stand in for the
    client's submission here. Created as `task_create` creates a task and submitted through the
    lifecycle's own table, so its transition, audit entry, notices and SLA clock are any task's."""
    if not (can_edit_engagement(user, engagement) or is_provider_manager(user, engagement)):
        raise DomainError(_("Only the client's admins and requesters or the provider's managers add tasks."))
    draft = Task(
        engagement=engagement,
        title=title,
        description=description,
        effort_hours=effort_hours,
        due_at=due_at,
        created_by=user,
    )
    task = _saved_draft(draft, skills, languages)
    try:
        check_transition(
            TaskState.DRAFT,
            TaskState.SUBMITTED,
            frozenset({Capacity.CLIENT}),
            _satisfied_preconditions(task),
            comment,
            None,
        )
    except TransitionError as error:
        raise DomainError(transition_error_text(error), field=error.field) from error
    _record_transition(
        user=user, task=task, source=TaskState.DRAFT, target=TaskState.SUBMITTED, comment=comment
    )
    return task


def _require(capacities: frozenset[Capacity], *needed: Capacity, message: str) -> None:
    if not capacities & set(needed):
        raise DomainError(message)


@transaction.atomic
def assignment_create(
    *, user: User, task: Task, expert: ExpertProfile, role: str, planned_hours: Decimal
) -> Assignment:
    engagement = task.engagement
    if not staffs_task(user, task):
        raise DomainError(_("Only the provider's managers staff a task."))
    # The locks a staffing plan's commit takes, in its order: raced against a commit, one of the two
    # waits for the other and then sees its assignments.
    experts_now, tasks_now = lock_booking_rows(expert_ids=[expert.pk], task_ids=[task.pk])
    if task.pk not in tasks_now:
        raise DomainError(_("This task no longer exists."), field="status")
    if expert.pk not in experts_now:
        raise DomainError(_("The expert no longer exists."), field="expert")
    if tasks_now[task.pk].status not in STAFFABLE_STATES:
        raise DomainError(_("This task cannot be staffed in its current state."), field="status")
    own_staff = expert.internal and expert.organisation_id == engagement.client_id
    if expert.organisation_id not in staffing_organisation_ids(task) and not own_staff:
        raise DomainError(_("The expert does not work for this engagement's provider."), field="expert")
    if not is_provider_manager(user, engagement) and expert.organisation_id not in org_ids_with_roles(
        user, PROVIDER_WRITERS
    ):  # an overflow provider that took the task staffs it with its own experts only
        raise DomainError(_("An overflow provider staffs a task with its own experts."), field="expert")
    if experts_now[expert.pk].status != "active":
        raise DomainError(_("The expert is not active."), field="expert")
    level = task.effective_confidentiality
    if not clearance_meets(expert.clearance, level):
        raise DomainError(
            _("%(name)s's clearance (%(clearance)s) is below this task's level (%(level)s).")
            % {
                "name": expert.display_name,
                "clearance": expert.get_clearance_display(),
                "level": Confidentiality(level).label if level in Confidentiality.values else level,
            },
            field="expert",
        )
    run_assignment_checks(task, expert, role, after_role_rules=False)  # e.g. conflicts, data residency
    other_role = AssignmentRole.REVIEWER if role == AssignmentRole.MAKER else AssignmentRole.MAKER
    if task.assignments.filter(expert=expert, role=other_role).exists():
        raise DomainError(_("The reviewer of a task cannot also be its maker."), field="expert")
    if task.assignments.filter(expert=expert, role=role).exists():
        raise DomainError(_("The expert already has this role on the task."), field="expert")
    run_assignment_checks(task, expert, role, after_role_rules=True)  # e.g. maker-checker
    assignment = Assignment(
        task=task, expert=expert, role=role, planned_hours=planned_hours, assigned_by=user
    )
    assignment.full_clean()
    assignment.save()
    announce_assignment(assignment)
    return assignment


@transaction.atomic
def assignment_remove(*, user: User, assignment: Assignment) -> None:
    if not staffs_task(user, assignment.task):
        raise DomainError(_("Only the provider's managers change staffing."))
    if assignment.task.status not in OPEN_STATES:
        raise DomainError(_("Staffing of a closed task cannot change."), field="status")
    assignment.delete()


def task_document_add(
    *, user: User, task: Task, title: str, upload: Upload, confidentiality: str = ""
) -> TaskDocument:
    """Add material to a task; the file is checked before the transaction begins."""
    checked = check_upload(upload.stream, upload.name)
    return _task_document_add(
        user=user, task=task, title=title, upload=upload, confidentiality=confidentiality, checked=checked
    )


@transaction.atomic
def _task_document_add(
    *, user: User, task: Task, title: str, upload: Upload, confidentiality: str, checked: CheckedUpload
) -> TaskDocument:
    if not can_edit_engagement(user, task.engagement):
        raise DomainError(_("Only the client's admins and requesters add material to a task."))
    if task.status not in OPEN_STATES:
        raise DomainError(_("Material cannot be added to a closed task."), field="status")
    if confidentiality and task.engagement.client_id not in org_ids_with_roles(
        user, {Role.CLIENT_ADMIN.value}
    ):
        raise DomainError(
            _("Only the client's admins give material a level of its own."), field="confidentiality"
        )
    document = TaskDocument(task=task, title=title.strip() or upload.name, confidentiality=confidentiality)
    document.full_clean(exclude=["file", "original_name", "content_type", "size", "sha256", "uploaded_by"])
    store_upload(document, upload.stream, upload.name, user, checked=checked)
    return document


def deliverable_upload(
    *,
    user: User,
    task: Task,
    upload: Upload,
    title: str = "",
    note: str = "",
    deliverable: Deliverable | None = None,
) -> DeliverableVersion:
    """Upload a deliverable, or a new version of an existing one; the file is checked before the
    transaction begins."""
    checked = check_upload(upload.stream, upload.name)
    return _deliverable_upload(
        user=user, task=task, upload=upload, title=title, note=note, deliverable=deliverable, checked=checked
    )


@transaction.atomic
def _deliverable_upload(
    *,
    user: User,
    task: Task,
    upload: Upload,
    title: str,
    note: str,
    deliverable: Deliverable | None,
    checked: CheckedUpload,
) -> DeliverableVersion:
    capacities = task_capacities(user, task)
    _require(
        capacities,
        Capacity.MAKER,
        Capacity.PROVIDER_MANAGER,
        message=_("Only the task's maker uploads deliverables."),
    )
    if task.status not in WORKING_STATES:
        raise DomainError(_("Deliverables are uploaded while the task is in progress."), field="status")
    if deliverable is None:
        deliverable = Deliverable(task=task, title=title.strip() or upload.name, created_by=user)
        deliverable.full_clean()
        deliverable.save()
    elif deliverable.task_id != task.pk:
        raise DomainError(_("The deliverable belongs to another task."), field="deliverable")
    number = (deliverable.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DeliverableVersion(deliverable=deliverable, number=number, note=note)
    version.full_clean(exclude=["file", "original_name", "content_type", "size", "sha256", "uploaded_by"])
    store_upload(version, upload.stream, upload.name, user, checked=checked)
    return version


@transaction.atomic
def time_entry_create(
    *, user: User, task: Task, date: dt.date, hours: Decimal, description: str
) -> TimeEntry:
    capacities = task_capacities(user, task)
    _require(
        capacities,
        Capacity.MAKER,
        Capacity.REVIEWER,
        message=_("Only experts assigned to the task log time."),
    )
    expert = ExpertProfile.objects.get(user=user)
    ends = [a.ends_on for a in task.assignments.filter(expert=expert)]
    ends_on = None if not ends or None in ends else max(day for day in ends if day is not None)
    check_time_entry(task, expert, date, timezone.now(), ends_on=ends_on)
    entry = TimeEntry(task=task, expert=expert, date=date, hours=hours, description=description)
    entry.full_clean()
    entry.save()
    return entry


MAX_MENTIONS = 20  # distinct @handles looked up per message; more are left as plain text


def message_language(language: str | None) -> str:
    """A message's language tag from a language code ("da", "en-gb", "de"): English, Danish or another."""
    code = (language or "").lower().split("-")[0]
    return code if code in {MessageLanguage.ENGLISH, MessageLanguage.DANISH} else MessageLanguage.OTHER


def _check_language(language: str) -> str:
    if language not in MessageLanguage.values:
        raise DomainError(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(MessageLanguage.values)},
            field="language",
        )
    return language


def mentioned_people(task: Task, body: str) -> list[dict[str, Any]]:
    """The @handles of `body` that name someone who may open `task`: [{"user": id, "handle": ...}].

    A handle naming nobody, or someone outside the task, stays plain text: it is neither told nor
    shown as a mention, so a message never confirms that an account exists outside the task."""
    handles = handles_in(body)[:MAX_MENTIONS]
    if not handles:
        return []
    by_handle: dict[str, list[User]] = {}
    named = Q()
    for handle in handles:
        named |= Q(username__iexact=handle)
    lookup = User.objects.filter(named, is_active=True)
    for person in lookup:
        by_handle.setdefault(person.username.lower(), []).append(person)
    found = [people[0] for handle in handles if len(people := by_handle.get(handle, [])) == 1]
    visible = {person.pk for person in people_who_see(found, task)}
    return [
        {"user": person.pk, "handle": person.username.lower()} for person in found if person.pk in visible
    ]


@transaction.atomic
def message_post(*, user: User, task: Task, body: str, language: str = MessageLanguage.ENGLISH) -> Message:
    """Write in the task's thread, tagged with its language; the people it @mentions are told."""
    if not task_capacities(user, task):
        raise DomainError(_("Only people working on the task write in its thread."))
    check_thread_open(task)
    text = body.strip()
    message = Message(
        task=task,
        author=user,
        body=text,
        language=_check_language(language),
        mentions=mentioned_people(task, text),
    )
    message.full_clean()
    message.save()
    announce_message(message)
    return message


def thread_mark_read(*, user: User, task: Task, message_id: int) -> None:
    """Record that `user` has been shown `task`'s thread up to the message `message_id` (one query)."""
    ThreadReadMarker.objects.bulk_create(
        [ThreadReadMarker(task=task, user=user, last_read_id=message_id)],
        update_conflicts=True,
        unique_fields=["task", "user"],
        update_fields=["last_read", "updated_at"],
    )
