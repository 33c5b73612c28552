"""Writing: every expert of a valid file is created, or none (a dry run rolls back at the end)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from kpo.experts.importing.format import COLUMNS, ImportFailed, RowError
from kpo.experts.importing.reading import read_table
from kpo.experts.importing.validation import validate_table
from kpo.experts.services import expert_create


@dataclass(frozen=True)
class ImportResult:
    created: int
    dry_run: bool


def import_experts(data: bytes, filename: str, *, dry_run: bool = False) -> ImportResult:
    """Create every expert in the file, or none: raises ImportFailed listing each bad row and column."""
    parsed = validate_table(read_table(data, filename))
    errors: list[RowError] = []
    with transaction.atomic():
        for expert in parsed:
            try:
                expert_create(
                    username=expert.username,
                    first_name=expert.first_name,
                    last_name=expert.last_name,
                    email=expert.email,
                    organisation=expert.organisation,
                    headline=expert.headline,
                    biography=expert.biography,
                    country=expert.country,
                    time_zone=expert.time_zone,
                    weekly_capacity_hours=expert.weekly_capacity_hours,
                    cost_rate=expert.cost_rate,
                    bill_rate=expert.bill_rate,
                    rate_currency=expert.rate_currency,
                    internal=expert.internal,
                    domains=expert.domains,
                    languages=expert.languages,
                    skills=expert.skills,
                    degrees=expert.degrees,
                    employments=expert.employments,
                )
            except ValidationError as error:
                errors.extend(_model_errors(expert.row, error))
        if errors:
            raise ImportFailed(errors)  # rolls the transaction back
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(created=len(parsed), dry_run=dry_run)


def _model_errors(row: int, error: ValidationError) -> list[RowError]:
    found: list[RowError] = []
    for key, messages in error.message_dict.items():
        column = key if key in COLUMNS else "username" if key == "user" else ""
        found.extend(RowError(row, column, message) for message in messages)
    return found
