"""Work on a task as it happens: time logged by its experts and the thread of messages."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Schema

from kpo.api.outputs import PersonName, Ref, Username
from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, Line, RequiredText, decimal_input, user_of
from kpo.work.access import access_task
from kpo.work.extensions import task_texts_for
from kpo.work.models import Message, TimeEntry
from kpo.work.selectors import task_messages, task_time_entries
from kpo.work.services import message_language, message_post, time_entry_create

router = ApiRouter(tags=["activity"])

LoggedHours = Annotated[
    Decimal,
    *decimal_input(ge=Decimal("0.25"), le=24, max_digits=5, places=2, digits=4, minimum=1, maximum=24),
]


class TimeEntryOut(Schema):
    id: int
    expert: Ref
    date: dt.date
    hours: Decimal
    description: str
    status: str
    created_at: dt.datetime


class TimeEntryIn(Schema):
    date: dt.date
    hours: LoggedHours
    description: Line


MessageLanguage = Literal["en", "da", "other"]


class MessageOut(Schema):
    id: int
    author: Username
    author_name: PersonName
    body: str
    language: MessageLanguage = Field(description="The language the writer tagged the message with.")
    mentions: list[str] = Field(
        description="The user names the message @mentions who could open the task when it was written."
    )
    created_at: dt.datetime

    @staticmethod
    def resolve_author_name(obj: Message) -> User:
        return obj.author

    @staticmethod
    def resolve_mentions(obj: Message) -> list[str]:
        return sorted(obj.mentioned_handles)


class MessageIn(Schema):
    body: RequiredText = Field(description="Write @ and a user name to tell someone on the task.")
    language: MessageLanguage | None = Field(
        None, description="en, da or other; by default the language the request is read in."
    )


@router.lists("/tasks/{task_id}/time-entries", TimeEntryOut, 404, 422)
def list_time_entries(request: HttpRequest, task_id: Id) -> QuerySet[TimeEntry]:
    return task_time_entries(access_task(user_of(request), task_id))


@router.creates("/tasks/{task_id}/time-entries", TimeEntryOut, 400, 403, 404, 409, 422)
def create_time_entry(request: HttpRequest, task_id: Id, payload: TimeEntryIn) -> TimeEntry:
    """Log time on the task (its assigned experts)."""
    user = user_of(request)
    task = access_task(user, task_id)
    entry = time_entry_create(
        user=user, task=task, date=payload.date, hours=payload.hours, description=payload.description
    )
    return entry


@router.lists("/tasks/{task_id}/messages", MessageOut, 404, 422)
def list_messages(request: HttpRequest, task_id: Id) -> list[Message]:
    """The thread, oldest first; the provider side reads declared sensitive terms and personal data as
    the description's placeholders."""
    user = user_of(request)
    task = access_task(user, task_id)
    messages = list(task_messages(task))
    for message, body in zip(messages, task_texts_for(user, task, [m.body for m in messages]), strict=True):
        message.body = body  # as read, never saved
    return messages


@router.creates("/tasks/{task_id}/messages", MessageOut, 400, 403, 404, 409, 422)
def create_message(request: HttpRequest, task_id: Id, payload: MessageIn) -> Message:
    """Write in the task's thread (people working on the task)."""
    user = user_of(request)
    task = access_task(user, task_id)
    language = payload.language or message_language(get_language())
    return message_post(user=user, task=task, body=payload.body, language=language)
