"""Enumerations whose members carry a label beside their value."""

from __future__ import annotations

from enum import StrEnum
from typing import Self, TypeVar


class LabelledEnum(StrEnum):
    """A string enumeration declared as ``NAME = "value", "Label"``; ``member.label`` is the label."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        # label has a default only for the type checker: ``Enum(value)`` looks a member up by value.
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


E = TypeVar("E", bound=LabelledEnum)


def labels_of(enum: type[E]) -> dict[E, str]:
    """Each member's label, in declaration order."""
    return {member: member.label for member in enum}
