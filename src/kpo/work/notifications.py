"""Telling people about their tasks: a notice (and with it an e-mail) when a task is submitted, sent to
review, delivered, sent back with changes or accepted, when someone is assigned, and when a message is
written.

Registered with `kpo.work.extensions` in WorkConfig.ready(), so these run after the change commits and
the services stay unaware of them. Texts are functions, so each recipient reads them in their own
language; they name the task, never the content of messages or comments (e-mail leaves the platform).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from kpo.core.formatting import number
from kpo.core.links import url_at
from kpo.engine.lifecycle import TaskState
from kpo.engine.taxonomy import Role
from kpo.notices.services import notice_send
from kpo.orgs.selectors import members_with_roles
from kpo.work.access import people_acting_on, people_who_see
from kpo.work.extensions import (
    register_assignment_listener,
    register_message_listener,
    register_transition_listener,
)
from kpo.work.models import Assignment, AssignmentRole, Message, Task, TaskTransition


def _name(user: User | None) -> str:
    if user is None:
        return "kpo"
    return user.get_full_name() or user.get_username()


def _provider_managers(task: Task) -> list[User]:
    return members_with_roles(task.engagement.provider_id, {Role.PROVIDER_MANAGER.value})


def _assigned(task: Task, role: str) -> list[User]:
    return [a.expert.user for a in task.assignments.filter(role=role).select_related("expert__user")]


def _tell(
    people: Iterable[User],
    *,
    actor: User | None,
    kind: str,
    subject: Callable[[], str],
    text: Callable[[], str],
    task: Task,
    key: str,
    anchor: str = "",
) -> None:
    recipients = people_acting_on(
        [person for person in people if person.is_active and person.pk != getattr(actor, "pk", None)], task
    )  # only people who still act on the task (not a writer who has left the provider since)
    if recipients:
        notice_send(
            users=recipients,
            kind=kind,
            subject=subject,
            text=text,
            url=url_at("task_detail", anchor, task_id=task.pk),
            key=key,
        )


def _makers_and_managers(task: Task) -> list[User]:
    return [*_assigned(task, AssignmentRole.MAKER), *_provider_managers(task)]


@dataclass(frozen=True)
class _Step:
    """Who hears of a transition to one state, and what they read (written in each one's language)."""

    people: Callable[[Task], list[User]]
    kind: str
    subject: Callable[[str], str]  # the task's title -> the subject
    text: Callable[[str, str, Task], str]  # who moved it, the title, the task -> the text


_STEPS: dict[str, _Step] = {
    TaskState.SUBMITTED.value: _Step(
        _provider_managers,
        "task_submitted",
        lambda title: _("Task submitted: %(title)s") % {"title": title},
        lambda who, title, task: (
            _("%(who)s submitted the task “%(title)s” of “%(engagement)s”; it waits to be staffed.")
            % {"who": who, "title": title, "engagement": task.engagement.title}
        ),
    ),
    TaskState.IN_REVIEW.value: _Step(
        lambda task: _assigned(task, AssignmentRole.REVIEWER),
        "review_requested",
        lambda title: _("Ready for your review: %(title)s") % {"title": title},
        lambda who, title, task: (
            _("%(who)s sent “%(title)s” to review; you are its reviewer.") % {"who": who, "title": title}
        ),
    ),
    TaskState.DELIVERED.value: _Step(
        lambda task: [task.created_by],
        "task_delivered",
        lambda title: _("Delivered: %(title)s") % {"title": title},
        lambda who, title, task: (
            _("“%(title)s” is delivered and waits for you to accept it or ask for changes.")
            % {"title": title}
        ),
    ),
    TaskState.ACCEPTED.value: _Step(
        _makers_and_managers,
        "task_accepted",
        lambda title: _("Accepted: %(title)s") % {"title": title},
        lambda who, title, task: (
            _("%(who)s accepted “%(title)s”; the task page has their rating.") % {"who": who, "title": title}
        ),
    ),
    TaskState.CHANGES_REQUESTED.value: _Step(
        _makers_and_managers,
        "changes_requested",
        lambda title: _("Changes requested: %(title)s") % {"title": title},
        lambda who, title, task: (
            _("%(who)s asked for changes to “%(title)s”; the task page has the feedback.")
            % {"who": who, "title": title}
        ),
    ),
}


def transition_told(transition: TaskTransition) -> None:
    """Tell the people a transition concerns: provider managers of a submitted task, reviewers of a
    task in review, the requester of a delivered one, makers and managers when changes are asked for or
    the delivery is accepted."""
    step = _STEPS.get(transition.to_status)
    if step is None:
        return
    task = Task.objects.select_related("engagement", "created_by").get(pk=transition.task_id)
    actor = transition.actor
    title, who = task.title, _name(actor)
    _tell(
        step.people(task),
        actor=actor,
        kind=step.kind,
        subject=lambda: step.subject(title),
        text=lambda: step.text(who, title, task),
        task=task,
        key=f"task-{task.pk}:{transition.to_status}:{transition.pk}",
    )


def assignment_told(assignment: Assignment) -> None:
    """Tell an expert they were assigned to a task, and in which role."""
    assignment = Assignment.objects.select_related("task__engagement", "expert__user", "assigned_by").get(
        pk=assignment.pk
    )
    task, role = assignment.task, assignment.role
    title, who, hours = task.title, _name(assignment.assigned_by), assignment.planned_hours
    _tell(
        [assignment.expert.user],
        actor=assignment.assigned_by,
        kind="task_assigned",
        subject=lambda: _("You are assigned to %(title)s") % {"title": title},
        text=lambda: (
            _("%(who)s assigned you to “%(title)s” as %(role)s, %(hours)s hours planned.")
            % {
                "who": who,
                "title": title,
                "role": str(AssignmentRole(role).label).lower(),
                "hours": number(hours),
            }
        ),
        task=task,
        key=f"assignment-{assignment.pk}",
    )


def message_told(message: Message) -> None:
    """Tell the other people on a task's thread (its requester, the experts on it and everyone who wrote
    there) that someone wrote; the e-mail links to the thread instead of quoting it."""
    message = Message.objects.select_related("task__engagement", "task__created_by", "author").get(
        pk=message.pk
    )
    task = message.task
    writers = User.objects.filter(pk__in=task.messages.values("author_id"))
    people = [
        task.created_by,
        *_assigned(task, AssignmentRole.MAKER),
        *_assigned(task, AssignmentRole.REVIEWER),
        *writers,
    ]
    mentioned = set(message.mentioned_user_ids)  # told by `mention_told` instead, once
    people = [person for person in people if person.pk not in mentioned]
    title, who = task.title, _name(message.author)
    _tell(
        people,
        actor=message.author,
        kind="task_message",
        subject=lambda: _("New message on %(title)s") % {"title": title},
        text=lambda: _("%(who)s wrote a message on “%(title)s”.") % {"who": who, "title": title},
        task=task,
        key=f"message-{message.pk}",
        anchor="messages",
    )


def mention_told(message: Message) -> None:
    """Tell each person a message @mentions (checked when it was written to be someone who may open the
    task, and checked again now) that they were mentioned; once per message, keyed by it."""
    ids = [pk for pk in message.mentioned_user_ids if pk != message.author_id]
    if not ids:
        return
    message = Message.objects.select_related("task__engagement", "author").get(pk=message.pk)
    task = message.task
    people = people_who_see(User.objects.filter(pk__in=ids, is_active=True).order_by("id"), task)
    if not people:
        return
    title, who = task.title, _name(message.author)
    notice_send(
        users=people,
        kind="task_mention",
        subject=lambda: _("%(who)s mentioned you on %(title)s") % {"who": who, "title": title},
        text=lambda: _("%(who)s mentioned you on the task “%(title)s”.") % {"who": who, "title": title},
        url=url_at("task_detail", "messages", task_id=task.pk),
        key=f"mention-{message.pk}",
    )


def register() -> None:
    register_transition_listener(transition_told)
    register_assignment_listener(assignment_told)
    register_message_listener(message_told)
    register_message_listener(mention_told)
