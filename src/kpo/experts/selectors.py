"""Reads on experts: the filtered directory and one profile with everything it shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet

from kpo.experts.access import experts_visible_to
from kpo.experts.models import Degree, EscoSkill, ExpertProfile, ExpertSkill

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class ExpertFilter:
    q: str = ""
    domain: str = ""
    skill: int | None = None
    country: str = ""
    language: str = ""
    degree: str = ""
    organisation: int | None = None
    internal: bool | None = None


def expert_list(user: AnyUser, filters: ExpertFilter) -> QuerySet[ExpertProfile]:
    """Visible experts matching the filters, with what a list row shows prefetched (fixed query count)."""
    queryset = experts_visible_to(user)
    if filters.q:
        queryset = queryset.filter(
            Q(headline__icontains=filters.q)
            | Q(user__first_name__icontains=filters.q)
            | Q(user__last_name__icontains=filters.q)
        )
    if filters.domain:
        queryset = queryset.filter(domains__domain=filters.domain)
    if filters.skill is not None:
        queryset = queryset.filter(skills__skill_id=filters.skill)
    if filters.country:
        queryset = queryset.filter(country=filters.country.upper())
    if filters.language:
        queryset = queryset.filter(languages__language=filters.language.lower())
    if filters.degree:
        queryset = queryset.filter(degrees__level=filters.degree)
    if filters.organisation is not None:
        queryset = queryset.filter(organisation_id=filters.organisation)
    if filters.internal is not None:
        queryset = queryset.filter(internal=filters.internal)
    return (
        queryset.distinct()
        .select_related("user", "organisation")
        .prefetch_related("domains", "languages")
        .order_by("user__last_name", "user__first_name", "id")
    )


def expert_detail_queryset(queryset: QuerySet[ExpertProfile]) -> QuerySet[ExpertProfile]:
    return queryset.select_related("user", "organisation", "occupation").prefetch_related(
        "domains",
        "languages",
        Prefetch("degrees", queryset=Degree.objects.order_by("-year")),
        Prefetch("skills", queryset=ExpertSkill.objects.select_related("skill").order_by("-proficiency")),
        "employments",
    )


def skill_search(q: str) -> QuerySet[EscoSkill]:
    queryset = EscoSkill.objects.all()
    if q:
        queryset = queryset.filter(label__icontains=q)
    return queryset.order_by("label", "id")


def active_experts_of(organisation_id: int) -> QuerySet[ExpertProfile]:
    """The active experts of one organisation, by name (the staffing form's choices)."""
    from kpo.experts.models import ExpertStatus

    return (
        ExpertProfile.objects.filter(organisation_id=organisation_id, status=ExpertStatus.ACTIVE)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def own_expert_profile_id(user: AnyUser) -> int | None:
    """The id of the user's own expert profile, or None."""
    if not user.is_authenticated:
        return None
    return ExpertProfile.objects.filter(user_id=user.pk).values_list("id", flat=True).first()


def skill_label(skill_id: int | None) -> str:
    """The label of one ESCO skill (for showing the current filter), or ""."""
    if skill_id is None:
        return ""
    return EscoSkill.objects.filter(id=skill_id).values_list("label", flat=True).first() or ""


# --- reads for the REST API (kpo.api) ---------------------------------------------------------------


def expert_profile(expert: ExpertProfile) -> ExpertProfile:
    """One profile (call after access_expert) with everything its full view shows prefetched."""
    return expert_detail_queryset(ExpertProfile.objects.filter(pk=expert.pk)).get()
