"""Shared output pieces: references to related objects, users by name, the rows of a skill list.

An output field of these types takes the object itself (a model instance, a user), so a schema
needs no resolver to turn a related object into what the API shows of it.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.contrib.auth.models import User
from django.db.models import Model
from ninja import Schema
from pydantic import BeforeValidator

from kpo.experts.models import ExpertSkill
from kpo.work.models import TaskSkill


class Ref(Schema):
    """A reference to a related object: its id and what to call it."""

    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> Any:
        """A model instance is called by its str()."""
        if isinstance(obj, Model):
            return str(obj)
        return obj["name"] if isinstance(obj, dict) else obj.name


def person_name(user: User) -> str:
    """What to call a user: their full name, else their username."""
    return user.get_full_name() or user.get_username()


def _username(value: Any) -> Any:
    return value.get_username() if isinstance(value, User) else value


def _person(value: Any) -> Any:
    if value is None:
        return ""
    return person_name(value) if isinstance(value, User) else value


Username = Annotated[str, BeforeValidator(_username)]
"""A user shown by username."""

PersonName = Annotated[str, BeforeValidator(_person)]
"""A user shown by full name (else username); no user is ""."""


class SkillRowOut(Schema):
    """An ESCO skill in a list of skills held or required."""

    skill_id: int
    uri: str
    label: str

    @staticmethod
    def resolve_uri(obj: ExpertSkill | TaskSkill) -> str:
        return obj.skill.uri

    @staticmethod
    def resolve_label(obj: ExpertSkill | TaskSkill) -> str:
        return obj.skill.label
