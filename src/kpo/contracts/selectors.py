"""Reads for statements of work: what a page shows of an engagement's SOW to one user."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model, Prefetch, QuerySet

from kpo.contracts.access import reading_sides, side_of, versions_visible_to
from kpo.contracts.models import MilestoneSowLink, Side, SowApproval, SowStatus, SowVersion, TaskSowLink
from kpo.contracts.services import content_of
from kpo.core.types import AnyUser
from kpo.engine import sow as engine
from kpo.work.models import Engagement


def _with_details(versions: QuerySet[SowVersion]) -> list[SowVersion]:
    return list(
        versions.select_related("proposed_by", "created_by").prefetch_related(
            "items", Prefetch("approvals", queryset=SowApproval.objects.select_related("signer"))
        )
    )


@dataclass
class SowView:
    """An engagement's SOW as `user` sees it: the versions they read, newest first, and what they may do."""

    engagement: Engagement
    versions: list[SowVersion]
    side: str | None
    readers_sides: set[str]
    links: dict[str, list[str]] = field(default_factory=dict)

    @property
    def approved(self) -> SowVersion | None:
        return next((v for v in self.versions if v.status == SowStatus.APPROVED), None)

    @property
    def open(self) -> SowVersion | None:
        return next((v for v in self.versions if v.status in (SowStatus.DRAFT, SowStatus.PROPOSED)), None)

    @property
    def current(self) -> SowVersion | None:
        """The version the page leads with: the one under negotiation, else the one in force."""
        return self.open or self.approved

    @property
    def can_draft(self) -> bool:
        return not self.versions and self.side == Side.CLIENT

    @property
    def can_request_change(self) -> bool:
        return self.side is not None and self.approved is not None and self.open is None


def sow_view(user: AnyUser, engagement: Engagement) -> SowView:
    versions = _with_details(versions_visible_to(user, engagement).order_by("-number"))
    view = SowView(
        engagement=engagement,
        versions=versions,
        side=side_of(user, engagement),
        readers_sides=reading_sides(user, engagement),
    )
    if view.readers_sides:
        view.links = linked_work(engagement)
    return view


def linked_work(engagement: Engagement) -> dict[str, list[str]]:
    """Per item code, the titles of the tasks and milestones linked to it."""
    links: dict[str, list[str]] = {}
    for code, title in TaskSowLink.objects.filter(sow__engagement=engagement).values_list(
        "code", "task__title"
    ):
        links.setdefault(code, []).append(title)
    milestone_links = MilestoneSowLink.objects.filter(sow__engagement=engagement).values_list(
        "code", "milestone__title"
    )
    for code, title in milestone_links:
        links.setdefault(code, []).append(title)
    return links


def previous_of(user: AnyUser, version: SowVersion) -> SowVersion | None:
    """The version before `version` that `user` reads, to compare against."""
    return (
        versions_visible_to(user, version.sow.engagement)
        .filter(number__lt=version.number)
        .prefetch_related("items")
        .order_by("-number")
        .first()
    )


def version_diff(
    user: AnyUser, version: SowVersion
) -> tuple[SowVersion | None, tuple[engine.SectionDiff, ...]]:
    previous = previous_of(user, version)
    return previous, engine.diff(content_of(previous) if previous else None, content_of(version))


def approved_codes(engagement: Engagement) -> list[tuple[str, str]]:
    """(code, "code: title") of the items of the engagement's approved SOW, for a link form."""
    version = SowVersion.objects.filter(sow__engagement=engagement, status=SowStatus.APPROVED).first()
    if version is None:
        return []
    return [(item.code, f"{item.code}: {item.title}") for item in version.items.all()]


def milestones_of(engagement: Engagement) -> list[Model]:
    """The engagement's milestones (economics' model, reached through the link's field: a sibling app)."""
    model = MilestoneSowLink._meta.get_field("milestone").related_model
    assert isinstance(model, type) and issubclass(model, Model)
    return list(model._default_manager.filter(engagement=engagement).order_by("due_date", "id"))
