"""Reads on experts: the filtered directory and one profile with everything it shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F, Prefetch, QuerySet, Value
from django.db.models.functions import Concat

from kpo.core.queries import contains_text, filter_given, is_given
from kpo.core.types import AnyUser
from kpo.experts.access import experts_visible_to
from kpo.experts.models import Degree, EscoSkill, ExpertDomain, ExpertLanguage, ExpertProfile, ExpertSkill

SORT_MATCHES_BELOW = 5000


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
    """Visible experts matching the filters, with what a list row shows prefetched (fixed query count).

    Built to stay fast at 100,000 experts: the filters on related rows (domains, skills, languages,
    degrees) are semi-joins (`id IN (subquery)`), so no row repeats and no DISTINCT is needed, and the
    order (the user's last name, first name, id) follows the index `kpo_auth_user_name` (experts
    migration 0003), so a page is read in order instead of sorting every match. A text search first
    finds the matching experts' ids (see `_text_matches`): when there are few, those few are sorted;
    when there are many, the name index is walked and the first matches make the page.
    """
    queryset = filter_given(
        experts_visible_to(user),
        country=filters.country.upper(),
        organisation_id=filters.organisation,
        internal=filters.internal,
    )
    order: tuple[Any, ...] = ("user__last_name", "user__first_name", "id")
    if filters.q:
        few = _text_matches(filters.q)
        if few is None:
            queryset = queryset.filter(
                contains_text(filters.q, "headline", "user__first_name", "user__last_name")
            )
        else:
            queryset = queryset.filter(id__in=few)
            # Sorting the few beats walking the whole name index to find them. The same order, spelt so
            # the database cannot walk the index (`last_name || ''`).
            order = (Concat(F("user__last_name"), Value("")), "user__first_name", "id")
    for model, lookup, value in (
        (ExpertDomain, "domain", filters.domain),
        (ExpertSkill, "skill_id", filters.skill),
        (ExpertLanguage, "language", filters.language.lower()),
        (Degree, "level", filters.degree),
    ):
        if is_given(value):
            queryset = queryset.filter(id__in=model.objects.filter(**{lookup: value}).values("expert_id"))
    # A page's rows stay narrow (no biography, password hash or organisation description), so sorting
    # many matches stays cheap; the few organisations come in one more query.
    return (
        queryset.select_related("user")
        .prefetch_related("organisation", "domains", "languages")
        .defer("biography", "user__password")
        .order_by(*order)
    )


def _text_matches(text: str) -> set[int] | None:
    """The ids of the experts whose headline or name contains `text`, or None when there are more than
    SORT_MATCHES_BELOW. Each table is searched on its own, so that on PostgreSQL its trigram index
    answers (experts migration 0005); a search across the join could use no index."""
    by_headline = (
        ExpertProfile.objects.filter(contains_text(text, "headline")).order_by().values_list("id", flat=True)
    )
    people = User.objects.filter(contains_text(text, "first_name", "last_name")).values("id")
    by_name = ExpertProfile.objects.filter(user_id__in=people).order_by().values_list("id", flat=True)
    ids = set(by_headline.union(by_name, all=True)[: SORT_MATCHES_BELOW + 1])
    return ids if len(ids) <= SORT_MATCHES_BELOW else None


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


def own_expert_profile(user: AnyUser) -> ExpertProfile | None:
    """The user's own expert profile, or None (read once per user object: Django keeps the answer)."""
    if not user.is_authenticated:
        return None
    profile: ExpertProfile | None = getattr(user, "expert_profile", None)
    return profile


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


# --- the task form's skill pickers ----------------------------------------------------------------------


def skill_labels(skill_ids: set[int]) -> dict[int, str]:
    """The labels of these ESCO skills (unknown ids are left out), in one query."""
    if not skill_ids:
        return {}
    return dict(EscoSkill.objects.filter(id__in=skill_ids).values_list("id", "label"))
