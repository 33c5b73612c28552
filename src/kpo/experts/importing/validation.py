"""Checking the whole table: the header, every row, and usernames unique in the file and the database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model

from kpo.experts.importing.cells import Lookups, ParsedExpert, parse_row
from kpo.experts.importing.format import COLUMNS, REQUIRED_COLUMNS, ImportFailed, RowError


def check_header(header: Sequence[str]) -> list[str]:
    names = [name.strip().lower() for name in header]
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in names:
        if name and name not in COLUMNS:
            errors.append(RowError(1, name, f"is not a known column; the columns are {', '.join(COLUMNS)}."))
        if name in seen:
            errors.append(RowError(1, name, "appears more than once."))
        seen.add(name)
    errors.extend(
        RowError(1, name, "required column is missing.")
        for name in COLUMNS
        if name in REQUIRED_COLUMNS - seen
    )
    if errors:
        raise ImportFailed(errors)
    return names


def _check_usernames(parsed: Iterable[ParsedExpert]) -> list[RowError]:
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for expert in parsed:
        key = expert.username.casefold()
        if key in first_row:
            errors.append(
                RowError(
                    expert.row,
                    "username",
                    f'"{expert.username}" is also on row {first_row[key]} of the file.',
                )
            )
        else:
            first_row[key] = expert.row
    usernames = [expert.username for expert in parsed]
    taken: set[str] = set()
    for start in range(0, len(usernames), 500):
        chunk = usernames[start : start + 500]
        taken.update(get_user_model().objects.filter(username__in=chunk).values_list("username", flat=True))
    errors.extend(
        RowError(expert.row, "username", f'"{expert.username}" already exists.')
        for expert in parsed
        if expert.username in taken
    )
    return errors


def validate_table(rows: Sequence[Sequence[str]]) -> list[ParsedExpert]:
    """Check every row; return the experts if all are good, else raise ImportFailed with every error."""
    if not rows or not any(rows[0]):
        raise ImportFailed([RowError(None, "file", "The file is empty.")])
    names = check_header(rows[0])
    lookups = Lookups()
    parsed: list[ParsedExpert] = []
    errors: list[RowError] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        cells = {name: row[index] if index < len(row) else "" for index, name in enumerate(names) if name}
        expert, row_errors = parse_row(number, cells, lookups)
        errors.extend(row_errors)
        if expert is not None:
            parsed.append(expert)
    if not parsed and not errors:
        raise ImportFailed([RowError(None, "file", "The file has a header but no experts.")])
    errors.extend(_check_usernames(parsed))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row or 0, _column_order(e.column))))
    return parsed


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)
