"""Export experts in the import format (see kpo.experts.importing), as CSV or XLSX.

Experts are written in id order, read in batches of BATCH with their related rows prefetched per batch,
and streamed to the output: memory stays bounded however many experts there are, and no query holds
more than one batch's ids. Multi-value columns are written in a fixed order (domains, languages and
skills sorted by code or URI, degrees by year, employments by start), so an export imported into an
empty database (the import creates experts in file order) and exported again gives the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, Protocol

from django.db.models import Prefetch, QuerySet

from kpo.experts.importing.format import COLUMNS
from kpo.experts.models import ExpertProfile, ExpertSkill

BATCH = 500


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


FORBIDDEN_IN_ITEMS = str.maketrans({";": ",", "|": "/"})


def expert_batches(
    experts: QuerySet[ExpertProfile] | None = None, batch: int | None = None
) -> Iterator[list[ExpertProfile]]:
    """`experts` (default: all) in id order, `batch` (default BATCH) at a time, each batch with
    everything a row needs."""
    chosen = experts if experts is not None else ExpertProfile.objects.all()
    size = batch or BATCH
    after = 0
    while True:
        ids = list(chosen.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield list(
            ExpertProfile.objects.filter(pk__in=ids)
            .select_related("user", "organisation")
            .prefetch_related(
                "domains",
                "languages",
                Prefetch("skills", queryset=ExpertSkill.objects.select_related("skill")),
                "degrees",
                "employments",
            )
            .order_by("pk")
        )
        after = ids[-1]


def _item(text: str) -> str:
    """A value inside a multi-value cell cannot contain its separators."""
    return text.translate(FORBIDDEN_IN_ITEMS)


def export_row(profile: ExpertProfile) -> list[Any]:
    """One expert as cells in COLUMNS order; numbers stay Decimal and `internal` stays bool."""
    user = profile.user
    values: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": profile.organisation.slug,
        "headline": profile.headline,
        "biography": profile.biography,
        "country": profile.country,
        "time_zone": profile.time_zone,
        "weekly_capacity_hours": profile.weekly_capacity_hours,
        "cost_rate": profile.cost_rate,
        "bill_rate": profile.bill_rate,
        "rate_currency": profile.rate_currency,
        "internal": profile.internal,
        "domains": ";".join(sorted(d.domain for d in profile.domains.all())),
        "languages": ";".join(
            f"{lang.language}:{lang.level}" for lang in sorted(profile.languages.all(), key=_code)
        ),
        "skills": ";".join(
            f"{s.skill.uri}:{s.proficiency}" for s in sorted(profile.skills.all(), key=lambda s: s.skill.uri)
        ),
        "degrees": ";".join(
            "|".join((d.level, _item(d.field), _item(d.institution), str(d.year), d.verification_status))
            for d in sorted(profile.degrees.all(), key=lambda d: (d.year, d.level, d.field))
        ),
        "employments": ";".join(
            "|".join(
                (_item(e.employer), _item(e.title), e.start.isoformat(), e.end.isoformat() if e.end else "")
            )
            for e in sorted(profile.employments.all(), key=lambda e: (e.start, e.employer, e.title))
        ),
    }
    return [values[column] for column in COLUMNS]


def _code(language: Any) -> str:
    return str(language.language)


def export_rows(experts: QuerySet[ExpertProfile] | None = None) -> Iterator[list[Any]]:
    """The header, then one row per expert."""
    yield list(COLUMNS)
    for profiles in expert_batches(experts):
        for profile in profiles:
            yield export_row(profile)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(stream: TextSink, experts: QuerySet[ExpertProfile] | None = None) -> int:
    """Write UTF-8 CSV text to `stream`; return the number of experts written."""
    import csv

    writer = csv.writer(stream, lineterminator="\n")
    count = -1
    for row in export_rows(experts):
        writer.writerow([_text(value) for value in row])
        count += 1
    return count


def write_xlsx(stream: IO[bytes], experts: QuerySet[ExpertProfile] | None = None) -> int:
    """Write an .xlsx workbook to `stream`; return the number of experts written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("experts")
    count = -1
    for row in export_rows(experts):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(stream)
    return count
