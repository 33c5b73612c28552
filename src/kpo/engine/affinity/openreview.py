"""Read and write the OpenReview expertise format, with strict validation.

Input:
- an archives directory holding one `~<expertId>.jsonl` per expert: one work sample per line,
  `{"id": "...", "content": {"title": "...", "abstract": "..."}}`;
- a `submissions.json`: `{submissionId: {"id": submissionId, "content": {"title", "abstract"}}}`.

A content field may also be given in OpenReview API v2 form, `{"value": "..."}`. `title` is required
and must be a non-empty string; `abstract` may be missing or null (then empty), but not another type.
Blank lines in a `.jsonl` file are skipped. Files whose names start with a dot are ignored.

Every problem names the file and the line (`archives/~E1.jsonl line 3: "content.title" is missing`);
paths are shown as given (the archives directory joined with the file name). All problems are
collected (up to `MAX_ISSUES`) and raised together as one `OpenReviewFormatError`: nothing is
returned from a file set that has any.

Output: `{expertId: {submissionId: score}}` as JSON, keys sorted, scores rounded to 6 decimals.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_ISSUES = 50
ARCHIVE_SUFFIX = ".jsonl"
PROFILE_PREFIX = "~"


@dataclass(frozen=True)
class Note:
    """One work sample or one submission."""

    id: str
    title: str
    abstract: str

    @property
    def text(self) -> str:
        """What is embedded: the title, then the abstract."""
        return f"{self.title}. {self.abstract}" if self.abstract else self.title


@dataclass(frozen=True)
class Issue:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path} line {self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"
        )


class OpenReviewFormatError(ValueError):
    """One or more problems in the input files; `issues` lists them, `str()` has one per line."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = [str(issue) for issue in issues[:MAX_ISSUES]]
        if len(issues) > MAX_ISSUES:
            lines.append(f"... and {len(issues) - MAX_ISSUES} more problems")
        super().__init__("\n".join(lines))


def _field(content: Mapping[str, Any], name: str, *, required: bool) -> tuple[str | None, str | None]:
    """(value, problem) for `content[name]`, accepting the `{"value": ...}` form."""
    if name not in content or content[name] is None:
        return (None, f'"content.{name}" is missing') if required else ("", None)
    value = content[name]
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
        if value is None and not required:
            return "", None
    if not isinstance(value, str):
        return None, f'"content.{name}" must be a string, not {type(value).__name__}'
    if required and not value.strip():
        return None, f'"content.{name}" is empty'
    return value.strip(), None


def _note(record: Any, *, expected_id: str | None = None) -> tuple[Note | None, list[str]]:
    """Validate one record; the note, or the problems found (without location)."""
    if not isinstance(record, dict):
        return None, [f"expected a JSON object, found {type(record).__name__}"]
    problems: list[str] = []
    note_id = record.get("id")
    if note_id is None:
        problems.append('"id" is missing')
    elif not isinstance(note_id, str) or not note_id.strip():
        problems.append('"id" must be a non-empty string')
    elif expected_id is not None and note_id != expected_id:
        problems.append(f'"id" is {note_id!r} but the entry is keyed {expected_id!r}')
    content = record.get("content")
    if content is None:
        problems.append('"content" is missing')
        return None, problems
    if not isinstance(content, dict):
        problems.append(f'"content" must be an object, not {type(content).__name__}')
        return None, problems
    title, title_problem = _field(content, "title", required=True)
    abstract, abstract_problem = _field(content, "abstract", required=False)
    problems += [p for p in (title_problem, abstract_problem) if p]
    if problems or not isinstance(note_id, str) or title is None or abstract is None:
        return None, problems
    return Note(id=note_id, title=title, abstract=abstract), []


def _read_text(path: Path, shown: str, issues: list[Issue]) -> str | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        issues.append(Issue(shown, None, "file not found"))
        return None
    except OSError as error:
        issues.append(Issue(shown, None, f"cannot be read ({error.strerror})"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        issues.append(Issue(shown, line, "is not valid UTF-8"))
        return None


def read_archive(path: Path, shown: str | None = None) -> list[Note]:
    """One expert's `.jsonl` archive; raises `OpenReviewFormatError`."""
    issues: list[Issue] = []
    notes = _read_archive(path, shown or str(path), issues)
    if issues:
        raise OpenReviewFormatError(issues)
    return notes


def _read_archive(path: Path, shown: str, issues: list[Issue]) -> list[Note]:
    text = _read_text(path, shown, issues)
    if text is None:
        return []
    notes: list[Note] = []
    seen: dict[str, int] = {}
    before = len(issues)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            issues.append(Issue(shown, number, f"not valid JSON ({error.msg} at column {error.colno})"))
            continue
        note, problems = _note(record)
        issues.extend(Issue(shown, number, problem) for problem in problems)
        if note is None:
            continue
        if note.id in seen:
            issues.append(Issue(shown, number, f'"id" {note.id!r} already used on line {seen[note.id]}'))
            continue
        seen[note.id] = number
        notes.append(note)
    if not notes and len(issues) == before:
        issues.append(Issue(shown, None, "has no work samples (the archive is empty)"))
    return notes


def read_archives(directory: Path | str) -> dict[str, list[Note]]:
    """`{expertId: [notes]}` from `~<expertId>.jsonl` files, sorted by expert id."""
    directory = Path(directory)
    shown_dir = os.fspath(directory)
    issues: list[Issue] = []
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "directory not found"
        raise OpenReviewFormatError([Issue(shown_dir, None, what)])
    archives: dict[str, list[Note]] = {}
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        shown = os.path.join(shown_dir, entry.name)
        if not entry.is_file():
            issues.append(Issue(shown, None, "archives must hold only ~<expertId>.jsonl files"))
            continue
        if not entry.name.endswith(ARCHIVE_SUFFIX):
            issues.append(Issue(shown, None, "archive file names must end in .jsonl"))
            continue
        stem = entry.name[: -len(ARCHIVE_SUFFIX)]
        if not stem.startswith(PROFILE_PREFIX) or len(stem) == len(PROFILE_PREFIX):
            issues.append(
                Issue(shown, None, "archive file names must be ~<expertId>.jsonl (the id starts with '~')")
            )
            continue
        archives[stem[len(PROFILE_PREFIX) :]] = _read_archive(entry, shown, issues)
    if not archives and not issues:
        issues.append(Issue(shown_dir, None, "holds no ~<expertId>.jsonl archives"))
    if issues:
        raise OpenReviewFormatError(issues)
    return archives


def _top_level_entries(text: str) -> tuple[list[tuple[str, int, Any]], Issue | None]:
    """(key, line, value) for each member of the top-level JSON object, with its line number."""
    decoder = json.JSONDecoder()
    ws = " \t\r\n"

    def line_of(index: int) -> int:
        return text.count("\n", 0, index) + 1

    def skip(index: int) -> int:
        while index < len(text) and text[index] in ws:
            index += 1
        return index

    def fail(message: str, index: int) -> tuple[list[tuple[str, int, Any]], Issue | None]:
        return [], Issue("", line_of(index), message)

    index = skip(0)
    if index >= len(text) or text[index] != "{":
        try:
            json.loads(text)
        except json.JSONDecodeError as error:
            return [], Issue("", error.lineno, f"not valid JSON ({error.msg} at column {error.colno})")
        return fail("expected a JSON object {submissionId: {...}} at the top level", index)
    entries: list[tuple[str, int, Any]] = []
    index = skip(index + 1)
    if index < len(text) and text[index] == "}":
        return entries, None
    while True:
        if index >= len(text) or text[index] != '"':
            return fail("not valid JSON (expected a string key)", index)
        try:
            key, after = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            return fail(f"not valid JSON ({error.msg})", error.pos)
        if not isinstance(key, str):
            return fail("not valid JSON (expected a string key)", index)
        key_line = line_of(index)
        index = skip(after)
        if index >= len(text) or text[index] != ":":
            return fail("not valid JSON (expected ':' after a key)", index)
        index = skip(index + 1)
        try:
            value, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            return fail(f"not valid JSON ({error.msg})", error.pos)
        entries.append((key, key_line, value))
        index = skip(index)
        if index < len(text) and text[index] == ",":
            index = skip(index + 1)
            continue
        if index < len(text) and text[index] == "}":
            if skip(index + 1) < len(text):
                return fail("not valid JSON (extra data after the object)", skip(index + 1))
            return entries, None
        return fail("not valid JSON (expected ',' or '}')", index)


def read_submissions(path: Path | str) -> dict[str, Note]:
    """`{submissionId: note}` from a submissions.json; raises `OpenReviewFormatError`."""
    path = Path(path)
    shown = os.fspath(path)
    issues: list[Issue] = []
    text = _read_text(path, shown, issues)
    if text is None:
        raise OpenReviewFormatError(issues)
    entries, problem = _top_level_entries(text)
    if problem is not None:
        raise OpenReviewFormatError([Issue(shown, problem.line, problem.message)])
    submissions: dict[str, Note] = {}
    lines: dict[str, int] = {}
    for key, line, value in entries:
        if not key.strip():
            issues.append(Issue(shown, line, "a submission id must not be empty"))
            continue
        if key in lines:
            issues.append(Issue(shown, line, f"submission {key!r} already given on line {lines[key]}"))
            continue
        lines[key] = line
        note, problems = _note(value, expected_id=key)
        issues.extend(Issue(shown, line, f"submission {key!r}: {problem}") for problem in problems)
        if note is not None:
            submissions[key] = note
    if not entries:
        issues.append(Issue(shown, None, "holds no submissions"))
    if issues:
        raise OpenReviewFormatError(issues)
    return dict(sorted(submissions.items()))


def affinities_json(scores: Mapping[str, Mapping[str, float]]) -> str:
    """The output document: `{expertId: {submissionId: score}}`, sorted keys, 6 decimals."""
    document = {
        expert: {
            submission: round(float(score), 6) if math.isfinite(score) else 0.0
            for submission, score in sorted(row.items())
        }
        for expert, row in sorted(scores.items())
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_affinities(path: Path | str, scores: Mapping[str, Mapping[str, float]]) -> None:
    """Write `affinities_json(scores)` to `path` (atomically: a temporary file, then a rename)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(affinities_json(scores), encoding="utf-8")
    temporary.replace(path)
