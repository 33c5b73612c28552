"""An in-memory, column-oriented index of experts, built once and queried many times.

Rows are sorted by expert id, so "lowest row" is "lowest id" (the deterministic tie-break).
Skills are an inverted index (skill id → rows holding it, with their proficiencies): a dense
experts x skills matrix would be 100,000 x 14,000. Languages are one small int8 column per language
(the number of distinct languages is small). Every array is read-only.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from kpo.engine.matching.requirements import ExpertRecord

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Rows = npt.NDArray[np.intp]

MAX_DOMAINS = 64
NO_OWNER = -1

_EMPTY_ROWS: Rows = np.empty(0, dtype=np.intp)
_EMPTY_PROFICIENCY: npt.NDArray[np.int8] = np.empty(0, dtype=np.int8)
_EMPTY_ROWS.flags.writeable = False
_EMPTY_PROFICIENCY.flags.writeable = False


def _frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.flags.writeable = False
    return array


class ExpertIndex:
    """The columns the eligibility rules and the scorer read. Build with `ExpertIndex.build(records)`."""

    def __init__(self, records: Sequence[ExpertRecord]) -> None:
        ordered = sorted(records, key=lambda record: record.id)
        ids = np.fromiter((r.id for r in ordered), dtype=np.int64, count=len(ordered))
        if len(ids) > 1 and bool(np.any(ids[1:] == ids[:-1])):
            duplicate = int(ids[1:][ids[1:] == ids[:-1]][0])
            raise ValueError(f"Expert id {duplicate} appears more than once.")
        n = len(ordered)
        self.records: tuple[ExpertRecord, ...] = tuple(ordered)
        self.size = n
        self.ids: IntArray = _frozen(ids)
        self._row_of: dict[int, int] = {record.id: row for row, record in enumerate(ordered)}

        def column(values: Iterable[float | int | bool], dtype: npt.DTypeLike) -> npt.NDArray[Any]:
            return _frozen(np.fromiter(values, dtype=dtype, count=n))

        self.organisation: IntArray = column((r.organisation_id for r in ordered), np.int64)
        self.internal: BoolArray = column((r.internal for r in ordered), np.bool_)
        self.owner_client: IntArray = column(
            (NO_OWNER if r.owner_client_id is None else r.owner_client_id for r in ordered), np.int64
        )
        self.active: BoolArray = column((r.active for r in ordered), np.bool_)
        self.degree: npt.NDArray[np.int8] = column((r.degree_rank for r in ordered), np.int8)
        self.utc_offset: FloatArray = column((r.utc_offset for r in ordered), np.float64)
        self.weekly_capacity: FloatArray = column((r.weekly_capacity_hours for r in ordered), np.float64)
        self.assigned_hours: FloatArray = column((r.assigned_hours for r in ordered), np.float64)
        self.bill_rate: FloatArray = column((r.bill_rate for r in ordered), np.float64)
        self.has_quality: BoolArray = column((r.quality is not None for r in ordered), np.bool_)
        self.quality: FloatArray = column(
            (0.5 if r.quality is None else r.quality for r in ordered), np.float64
        )

        domain_names = sorted({domain for r in ordered for domain in r.domains})
        if len(domain_names) > MAX_DOMAINS:
            raise ValueError(
                f"At most {MAX_DOMAINS} distinct domains are supported, got {len(domain_names)}."
            )
        self.domain_bit: dict[str, np.uint64] = {
            name: np.uint64(1 << position) for position, name in enumerate(domain_names)
        }
        bit_of = {name: 1 << position for position, name in enumerate(domain_names)}
        self.domain_bits: npt.NDArray[np.uint64] = column(
            (sum(bit_of[d] for d in r.domains) for r in ordered), np.uint64
        )

        countries = sorted({r.country for r in ordered})
        self.country_code: dict[str, int] = {name: code for code, name in enumerate(countries)}
        self.country: npt.NDArray[np.int16] = column(
            (self.country_code[r.country] for r in ordered), np.int16
        )

        self._skills = self._build_skills(ordered)
        self.languages: dict[str, npt.NDArray[np.int8]] = self._build_languages(ordered)
        self._tags = self._build_tags(ordered)
        self._cache: dict[str, npt.NDArray[Any]] = {}

    @classmethod
    def build(cls, records: Iterable[ExpertRecord]) -> ExpertIndex:
        return cls(list(records))

    @staticmethod
    def _build_skills(
        ordered: Sequence[ExpertRecord],
    ) -> dict[int, tuple[Rows, npt.NDArray[np.int8]]]:
        counts = np.fromiter((len(r.skills) for r in ordered), dtype=np.intp, count=len(ordered))
        total = int(counts.sum())
        skill_ids = np.fromiter((s for r in ordered for s in r.skills), dtype=np.int64, count=total)
        levels = np.fromiter((p for r in ordered for p in r.skills.values()), dtype=np.int8, count=total)
        rows = np.repeat(np.arange(len(ordered), dtype=np.intp), counts)
        order = np.lexsort((rows, skill_ids))
        skill_ids, rows, levels = skill_ids[order], rows[order], levels[order]
        unique, starts = np.unique(skill_ids, return_index=True)
        ends = np.append(starts[1:], total) if total else starts
        result: dict[int, tuple[Rows, npt.NDArray[np.int8]]] = {}
        for skill_id, start, end in zip(unique.tolist(), starts.tolist(), ends.tolist(), strict=True):
            result[skill_id] = (_frozen(rows[start:end]), _frozen(levels[start:end]))
        return result

    @staticmethod
    def _build_languages(ordered: Sequence[ExpertRecord]) -> dict[str, npt.NDArray[np.int8]]:
        columns: dict[str, npt.NDArray[np.int8]] = {}
        for row, record in enumerate(ordered):
            for code, level in record.languages.items():
                values = columns.get(code)
                if values is None:
                    values = columns[code] = np.full(len(ordered), -1, dtype=np.int8)
                values[row] = level
        return {code: _frozen(values) for code, values in sorted(columns.items())}

    @staticmethod
    def _build_tags(ordered: Sequence[ExpertRecord]) -> dict[str, Rows]:
        rows_by_tag: dict[str, list[int]] = {}
        for row, record in enumerate(ordered):
            for tag in record.tags:
                rows_by_tag.setdefault(tag, []).append(row)
        return {tag: _frozen(np.asarray(rows, dtype=np.intp)) for tag, rows in rows_by_tag.items()}

    def with_assigned_hours(self, hours: Mapping[int, float]) -> ExpertIndex:
        """This index with each expert's planned hours replaced by `hours` (expert id → hours; absent: 0).

        Every other column is shared, so staffing changes cost one pass over the experts instead of a
        rebuild. Columns derived with `cached` are kept: they must not read planned hours. Returns self
        when nothing changed.
        """
        planned = np.zeros(self.size, dtype=np.float64)
        for expert_id, value in hours.items():
            row = self._row_of.get(expert_id)
            if row is not None:
                planned[row] = value
        changed = np.flatnonzero(planned != self.assigned_hours)
        if len(changed) == 0:
            return self
        updated = copy.copy(self)
        updated.assigned_hours = _frozen(planned)
        records = list(self.records)
        for row in changed.tolist():
            records[row] = dataclasses.replace(records[row], assigned_hours=float(planned[row]))
        updated.records = tuple(records)
        updated._cache = dict(self._cache)
        return updated

    def with_quality(self, scores: Mapping[int, tuple[float, float | None]]) -> ExpertIndex:
        """This index with the quality of the experts named in `scores` (expert id → (mean, lower bound))
        replaced, e.g. by their scores in one task's domain; everyone else keeps theirs. Returns self
        when `scores` names nobody in the index."""
        found = ((self._row_of.get(expert_id), score) for expert_id, score in scores.items())
        rows = [(row, score) for row, score in found if row is not None]
        if not rows:
            return self
        updated = copy.copy(self)
        quality = self.quality.copy()
        has_quality = self.has_quality.copy()
        records = list(self.records)
        for row, (mean, lower) in rows:
            record = dataclasses.replace(records[row], quality_mean=mean, quality_lower=lower)
            records[row] = record
            quality[row] = 0.5 if record.quality is None else record.quality
            has_quality[row] = record.quality is not None
        updated.quality, updated.has_quality = _frozen(quality), _frozen(has_quality)
        updated.records = tuple(records)
        updated._cache = dict(self._cache)
        return updated

    # --- lookups ----------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.size

    def row_of(self, expert_id: int) -> int:
        try:
            return self._row_of[expert_id]
        except KeyError:
            raise KeyError(f"Expert {expert_id} is not in the index.") from None

    def find_row(self, expert_id: int) -> int | None:
        return self._row_of.get(expert_id)

    def record(self, expert_id: int) -> ExpertRecord:
        return self.records[self.row_of(expert_id)]

    def skill(self, skill_id: int) -> tuple[Rows, npt.NDArray[np.int8]]:
        """The rows holding `skill_id` (ascending) and their proficiencies."""
        return self._skills.get(skill_id, (_EMPTY_ROWS, _EMPTY_PROFICIENCY))

    def language(self, code: str) -> npt.NDArray[np.int8] | None:
        """Each row's CEFR index in `code` (-1: not spoken), or None when nobody speaks it."""
        return self.languages.get(code)

    def id_mask(self, expert_ids: Iterable[int]) -> BoolArray:
        """True on the rows of `expert_ids` (ids not in the index are ignored): a binary search per id in
        the sorted ids, not a pass over every expert per id."""
        wanted = np.fromiter(expert_ids, dtype=np.int64)
        mask = np.zeros(self.size, dtype=np.bool_)
        positions = np.searchsorted(self.ids, wanted)
        inside = positions < self.size
        positions, wanted = positions[inside], wanted[inside]
        mask[positions[self.ids[positions] == wanted]] = True
        return mask

    def tagged(self, tag: str) -> BoolArray:
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[self._tags.get(tag, _EMPTY_ROWS)] = True
        return mask

    def domain_mask(self, domain: str) -> BoolArray:
        bit = self.domain_bit.get(domain)
        if bit is None:
            return np.zeros(self.size, dtype=np.bool_)
        result: BoolArray = (self.domain_bits & bit) != 0
        return result

    def cached(
        self, key: str, build: Callable[[Sequence[ExpertRecord]], npt.NDArray[Any]]
    ) -> npt.NDArray[Any]:
        """A column a later rule derives from the records, built once per index (e.g. a clearance level)."""
        column = self._cache.get(key)
        if column is None:
            column = np.asarray(build(self.records))
            if column.shape[:1] != (self.size,):
                raise ValueError(f"Column {key!r} must have one value per expert ({self.size}).")
            column = self._cache[key] = _frozen(column)
        return column

    @property
    def skill_count(self) -> int:
        return len(self._skills)

    @property
    def nbytes(self) -> int:
        """The bytes held in numpy arrays (not counting the records kept for explanations)."""
        arrays: list[npt.NDArray[Any]] = [
            value for value in vars(self).values() if isinstance(value, np.ndarray)
        ]
        arrays += [a for pair in self._skills.values() for a in pair]
        arrays += list(self.languages.values()) + list(self._tags.values()) + list(self._cache.values())
        return sum(a.nbytes for a in arrays)
