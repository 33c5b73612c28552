"""The import format's columns, and how a problem is reported (by row and column)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

COLUMNS: tuple[str, ...] = (
    "username",
    "first_name",
    "last_name",
    "email",
    "organisation",
    "headline",
    "biography",
    "country",
    "time_zone",
    "weekly_capacity_hours",
    "cost_rate",
    "bill_rate",
    "rate_currency",
    "internal",
    "domains",
    "languages",
    "skills",
    "degrees",
    "employments",
)
REQUIRED_COLUMNS: frozenset[str] = frozenset(
    {
        "username",
        "first_name",
        "last_name",
        "organisation",
        "headline",
        "country",
        "time_zone",
        "cost_rate",
        "bill_rate",
        "rate_currency",
    }
)


@dataclass(frozen=True)
class RowError:
    row: int | None  # None for a problem with the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.column}: {self.message}" if self.column else self.message
        return (
            f"row {self.row}, {self.column}: {self.message}"
            if self.column
            else f"row {self.row}: {self.message}"
        )


class ImportFailed(Exception):
    """The file was rejected; nothing was written. `errors` says where and why."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(self.report())

    def report(self) -> str:
        return "\n".join(str(error) for error in self.errors)
