"""Matching: a task's shortlist of experts, why one expert is not on it, a client's scoring weights."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Schema

from kpo.api.outputs import Ref, person_name
from kpo.api.routing import ApiRouter
from kpo.api.schemas import Id, decimal_input, user_of
from kpo.core.clock import request_now
from kpo.engine.matching import COMPONENTS
from kpo.experts.access import access_expert
from kpo.matching.access import access_client_weights, access_task_for_matching
from kpo.matching.models import MAX_WEIGHT, MatchingWeights
from kpo.matching.selectors import (
    DEFAULT_N,
    MAX_N,
    ComponentLine,
    TaskShortlist,
    WhyNot,
    matching_settings,
    score_weights_of,
    shortlist_for_task,
    why_not_for,
)
from kpo.matching.services import matching_weights_update

router = ApiRouter(tags=["matching"])

Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT, allow_inf_nan=False)]
Share = Annotated[Decimal, *decimal_input(ge=0, le=1, max_digits=3, places=2, digits=3, minimum=0, maximum=1)]


class WeightsIn(Schema):
    """All seven weights, each 0 to 1000, not all zero; only their proportions count."""

    affinity: Weight
    skills: Weight
    degree: Weight
    languages: Weight
    time_zone: Weight
    cost: Weight
    quality: Weight


class WeightsOut(Schema):
    affinity: float
    skills: float
    degree: float
    languages: float
    time_zone: float
    cost: float
    quality: float


class MatchingWeightsIn(Schema):
    weights: WeightsIn
    min_skills_share: Share = Field(
        description="How many of a task's required skills an expert must hold at the level asked, as a "
        "share of them: ceil(share x number of skills)."
    )


class MatchingWeightsOut(Schema):
    client_id: int
    weights: WeightsOut = Field(description="The weights as set.")
    normalised: WeightsOut = Field(description="The weights as used: scaled to sum to 1.")
    min_skills_share: Decimal
    is_default: bool = Field(description="True until the client's admins change the weights.")
    updated_at: dt.datetime | None
    updated_by: str | None


class ComponentOut(Schema):
    component: str
    value: float = Field(description="The expert's value on this component, 0 to 1.")
    weight: float = Field(description="The normalised weight of the component.")
    text: str


class RuleStepOut(Schema):
    rule: str
    reason: str
    excluded: int = Field(description="Experts this rule removed from those the earlier rules left.")
    remaining: int
    excluded_alone: int = Field(description="Experts this rule would exclude on its own.")


class PoolReportOut(Schema):
    total: int
    eligible: int
    emptied_by: str | None = Field(description="The rule after which nobody was left, when nobody is.")
    relax: list[str] = Field(
        description="When nobody is eligible: the smallest set of rules whose relaxation makes someone "
        "eligible (empty when none would help, or when someone is eligible)."
    )
    relax_restores: int = Field(description="Experts eligible once every rule in `relax` is relaxed.")
    message: str
    steps: list[RuleStepOut]


class ShortlistEntryOut(Schema):
    rank: int
    expert: Ref
    organisation: Ref
    client_staff: bool = Field(description="One of the task's client's own staff (listed first).")
    total: float
    components: list[ComponentOut]


class ShortlistOut(Schema):
    task_id: int
    n: int
    eligible: int
    hidden_client_staff: int = Field(
        description="Eligible experts of the client's own staff left out because the caller may not see them."
    )
    affinity_computed: bool
    weights: WeightsOut = Field(description="The client's weights, normalised.")
    min_skills_held: int
    pool: PoolReportOut
    entries: list[ShortlistEntryOut]


class RuleFailureOut(Schema):
    rule: str
    reason: str
    detail: str


class WhyNotOut(Schema):
    task_id: int
    expert: Ref
    eligible: bool
    failures: list[RuleFailureOut]
    total: float = Field(description="The score the expert has (or would have, were they eligible).")
    components: list[ComponentOut]


class ShortlistQuery(Schema):
    n: int = Field(DEFAULT_N, ge=1, le=MAX_N, description="How many experts to list.")


def _components(lines: list[ComponentLine]) -> list[ComponentOut]:
    return [
        ComponentOut(component=line.component, value=line.value, weight=line.weight, text=line.text)
        for line in lines
    ]


def _shortlist_out(result: TaskShortlist) -> ShortlistOut:
    report = result.report
    return ShortlistOut(
        task_id=result.task.pk,
        n=result.n,
        eligible=result.eligible,
        hidden_client_staff=result.hidden_client_staff,
        affinity_computed=result.affinity_known,
        weights=WeightsOut(**result.weights.normalised()),
        min_skills_held=result.requirements.skills_needed,
        pool=PoolReportOut(
            total=report.total,
            eligible=report.eligible,
            emptied_by=report.emptied_by,
            relax=list(result.relax_rules),
            relax_restores=result.relax_restores,
            message=result.message,
            steps=[
                RuleStepOut(
                    rule=step.rule,
                    reason=step.reason,
                    excluded=step.excluded,
                    remaining=step.remaining,
                    excluded_alone=step.excluded_alone,
                )
                for step in result.steps
            ],
        ),
        entries=[
            ShortlistEntryOut(
                rank=row.entry.rank,
                expert=Ref(id=row.expert.id, name=row.expert.name),
                organisation=Ref(id=row.expert.organisation_id, name=row.expert.organisation_name),
                client_staff=row.entry.client_staff,
                total=row.entry.total,
                components=_components(row.lines),
            )
            for row in result.rows
        ],
    )


def _why_not_out(why: WhyNot) -> WhyNotOut:
    return WhyNotOut(
        task_id=why.task.pk,
        expert=Ref(id=why.expert.pk, name=why.expert.display_name),
        eligible=why.eligible,
        failures=[RuleFailureOut(rule=f.rule, reason=f.reason, detail=f.detail) for f in why.failures],
        total=why.assessment.total,
        components=_components(why.lines),
    )


def _weights_out(settings: MatchingWeights) -> MatchingWeightsOut:
    weights = score_weights_of(settings)
    user = settings.updated_by
    return MatchingWeightsOut(
        client_id=settings.client_id,
        weights=WeightsOut(**weights.as_dict()),
        normalised=WeightsOut(**weights.normalised()),
        min_skills_share=Decimal(settings.min_skills_share).quantize(Decimal("0.01")),
        is_default=settings.pk is None,
        updated_at=settings.updated_at if settings.pk else None,
        updated_by=person_name(user) if user is not None else None,
    )


@router.reads("/tasks/{task_id}/shortlist", ShortlistOut, 403, 404, 422)
def get_task_shortlist(request: HttpRequest, task_id: Id, query: Query[ShortlistQuery]) -> ShortlistOut:
    """The top `n` eligible experts for the task with their scores and explanations, and how the
    eligibility rules narrowed the pool (which rule emptied it, when nobody is eligible). For the
    engagement's provider managers and the client's admins and requesters."""
    user = user_of(request)
    access = access_task_for_matching(user, task_id)
    result = shortlist_for_task(
        access.task,
        query.n,
        now=request_now(request),
        viewer=user,
        sees_client_staff=access.sees_client_staff,
    )
    return _shortlist_out(result)


@router.reads("/tasks/{task_id}/why-not/{expert_id}", WhyNotOut, 403, 404, 422)
def get_task_why_not(request: HttpRequest, task_id: Id, expert_id: Id) -> WhyNotOut:
    """Every eligibility rule the expert fails for the task (none: eligible), and their score."""
    user = user_of(request)
    access = access_task_for_matching(user, task_id)
    expert = access_expert(user, expert_id)
    return _why_not_out(why_not_for(access.task, expert, now=request_now(request)))


@router.reads("/organisations/{organisation_id}/matching-weights", MatchingWeightsOut, 403, 404, 422)
def get_matching_weights(request: HttpRequest, organisation_id: Id) -> MatchingWeightsOut:
    """A client's scoring weights and skills share (its admins, requesters and auditors)."""
    organisation = access_client_weights(user_of(request), organisation_id, write=False)
    return _weights_out(matching_settings(organisation.pk))


@router.writes(
    "PUT", "/organisations/{organisation_id}/matching-weights", MatchingWeightsOut, 400, 403, 404, 409, 422
)
def update_matching_weights(
    request: HttpRequest, organisation_id: Id, payload: MatchingWeightsIn
) -> MatchingWeightsOut:
    """Replace a client's scoring weights and skills share (the client's admins)."""
    user = user_of(request)
    organisation = access_client_weights(user, organisation_id, write=True)
    settings = matching_weights_update(
        user=user,
        client=organisation,
        weights={name: getattr(payload.weights, name) for name in COMPONENTS},
        min_skills_share=payload.min_skills_share,
    )
    return _weights_out(settings)
