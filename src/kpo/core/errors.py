"""Errors that services raise and the edges (views, API, CLI) turn into clear 4xx answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A request that is well-formed but not allowed now; `field` names what was wrong."""

    status = 409

    def __init__(self, message: str, *, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def field_errors(error: ValidationError | DomainError) -> list[dict[str, str]]:
    """Flatten an error into [{"field": ..., "message": ...}] for forms, the API and the CLI."""
    if isinstance(error, DomainError):
        return [{"field": error.field, "message": error.message}]
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, errors in error.message_dict.items()
            for message in errors
        ]
    return [{"field": "__all__", "message": message} for message in error.messages]


def error_text(error: ValidationError | DomainError) -> str:
    """An error as one line of text, for a flash message or a note beside a button."""
    if isinstance(error, DomainError):
        return error.message
    return " ".join(error.messages)
