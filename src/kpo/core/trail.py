"""Privileged changes into the audit trail from the floors below it.

Orgs and core stand below the audit app, so they cannot call `kpo.audit.services.audit()`. They call
`record()` here instead; the audit app registers the recorder (and a reader of recorded entries) in its
`AppConfig.ready()`. The user acting in the current request is remembered by `ActorMiddleware`, so a
signal (a password saved, an organisation changed) knows who did it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Model
from django.http import HttpRequest, HttpResponse


class Recorder(Protocol):
    def __call__(
        self,
        actor: Any,
        event: str,
        target: tuple[str, str | int] | None,
        organisation: Model | None,
        details: dict[str, Any] | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class TrailEntry:
    """One recorded entry, as a page of a lower floor shows it."""

    at: dt.datetime
    event: str
    event_label: str
    actor_name: str
    object_type: str
    object_id: str
    details: dict[str, Any] = field(default_factory=dict)


Reader = Callable[[int, Collection[str], int], list[TrailEntry]]
"""(organisation id, event kinds, at most how many) → the newest entries first."""

_recorder: list[Recorder] = []
_reader: list[Reader] = []
_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("kpo_trail_actor", default=None)
_path: contextvars.ContextVar[str] = contextvars.ContextVar("kpo_trail_path", default="")


class TrailNotConnected(RuntimeError):
    """A privileged change with no recorder registered: it must not happen unrecorded."""


def register(recorder: Recorder, reader: Reader) -> None:
    _recorder[:] = [recorder]
    _reader[:] = [reader]


def record(
    event: str,
    target: tuple[str, str | int] | None,
    organisation: Model | None,
    details: dict[str, Any] | None = None,
    *,
    actor: Any = None,
) -> None:
    """Record a privileged change; `actor` defaults to the user of the current request."""
    if not _recorder:
        raise TrailNotConnected(f"no audit recorder is registered; {event} cannot be recorded")
    _recorder[0](actor if actor is not None else _actor.get(), event, target, organisation, details)


def entries_for(organisation_id: int, events: Collection[str], limit: int = 200) -> list[TrailEntry]:
    return _reader[0](organisation_id, events, limit) if _reader else []


def current_actor() -> Any:
    return _actor.get()


def current_path() -> str:
    return _path.get()


class ActorMiddleware:
    """Remember who acts in this request (after authentication), for changes recorded by signals."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor_token = _actor.set(user if user is not None and user.is_authenticated else None)
        path_token = _path.set(request.path[:200])
        try:
            return self.get_response(request)
        finally:
            _actor.reset(actor_token)
            _path.reset(path_token)
