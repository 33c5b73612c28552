"""A statement of work's content as data: its sections, its coded items, the hash both sides sign, and
the line-by-line difference between two versions. Pure: the contracts app stores and shows it."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from enum import StrEnum

SECTIONS = (
    "scope",
    "deliverables",
    "acceptance_criteria",
    "milestones",
    "assumptions",
    "change_procedure",
)
REQUIRED_SECTIONS = frozenset({"scope", "acceptance_criteria", "change_procedure"})
MAX_SECTION = 20_000
MAX_ITEMS = 100
MAX_CODE = 12
MAX_TITLE = 200
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")


@dataclass(frozen=True)
class Item:
    code: str
    title: str


@dataclass(frozen=True)
class Content:
    scope: str
    deliverables: str
    acceptance_criteria: str
    milestones: str
    assumptions: str
    change_procedure: str
    items: tuple[Item, ...]

    def section(self, name: str) -> str:
        value = getattr(self, name)
        assert isinstance(value, str)
        return value


class ItemProblem(StrEnum):
    NO_CODE = "no_code"
    BAD_CODE = "bad_code"
    LONG_CODE = "long_code"
    NO_TITLE = "no_title"
    LONG_TITLE = "long_title"
    REPEATED = "repeated"
    TOO_MANY = "too_many"


class ItemError(ValueError):
    """An items line that cannot be read: its 1-based number and what is wrong with it."""

    def __init__(self, line: int, problem: ItemProblem, code: str = "") -> None:
        super().__init__(f"line {line}: {problem.value}")
        self.line = line
        self.problem = problem
        self.code = code


def normalise(text: str) -> str:
    """Line endings made \\n and the ends stripped, so the same wording always hashes alike."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_items(text: str) -> tuple[Item, ...]:
    """Items written one a line as ``CODE: title`` (e.g. ``D1: Gearbox efficiency report``).

    Blank lines are skipped; a code is letters, digits, dots and dashes, unique within the SOW.
    """
    items: list[Item] = []
    seen: set[str] = set()
    for number, raw in enumerate(normalise(text).split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        code, colon, title = line.partition(":")
        code, title = code.strip(), title.strip()
        if not colon or not code:
            raise ItemError(number, ItemProblem.NO_CODE)
        if len(code) > MAX_CODE:
            raise ItemError(number, ItemProblem.LONG_CODE, code)
        if not CODE.match(code):
            raise ItemError(number, ItemProblem.BAD_CODE, code)
        if not title:
            raise ItemError(number, ItemProblem.NO_TITLE, code)
        if len(title) > MAX_TITLE:
            raise ItemError(number, ItemProblem.LONG_TITLE, code)
        if code.casefold() in seen:
            raise ItemError(number, ItemProblem.REPEATED, code)
        seen.add(code.casefold())
        items.append(Item(code=code, title=title))
        if len(items) > MAX_ITEMS:
            raise ItemError(number, ItemProblem.TOO_MANY)
    return tuple(items)


def items_text(items: tuple[Item, ...]) -> str:
    return "\n".join(f"{item.code}: {item.title}" for item in items)


def content_sha256(content: Content) -> str:
    """The SHA-256 of the canonical JSON of every section and item: what a signature binds to."""
    canonical = json.dumps(asdict(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    name: str
    changed: bool
    lines: tuple[DiffLine, ...]


def diff(before: Content | None, after: Content) -> tuple[SectionDiff, ...]:
    """Line by line, per section (and the items as a last section), what `after` changed from `before`."""
    result: list[SectionDiff] = []
    for name in (*SECTIONS, "items"):
        new = items_text(after.items) if name == "items" else after.section(name)
        old = (
            "" if before is None else (items_text(before.items) if name == "items" else before.section(name))
        )
        lines: list[DiffLine] = []
        for entry in difflib.ndiff(old.split("\n") if old else [], new.split("\n") if new else []):
            marker, text = entry[:2], entry[2:]
            if marker == "  ":
                lines.append(DiffLine("same", text))
            elif marker == "+ ":
                lines.append(DiffLine("added", text))
            elif marker == "- ":
                lines.append(DiffLine("removed", text))
        result.append(SectionDiff(name=name, changed=old != new, lines=tuple(lines)))
    return tuple(result)
