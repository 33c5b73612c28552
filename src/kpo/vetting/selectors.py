"""Reads for vetting and the compliance passport."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from kpo.core.queries import people_matching
from kpo.engine.passport import (
    BackgroundCheck as EngineBackgroundCheck,
)
from kpo.engine.passport import (
    BackgroundCheckResult,
    CredentialKind,
    Passport,
    PassportRequirements,
)
from kpo.engine.passport import (
    Credential as EngineCredential,
)
from kpo.engine.passport import (
    Training as EngineTraining,
)
from kpo.engine.taxonomy import DegreeLevel
from kpo.engine.vetting import (
    VettingCapacity,
    VettingFacts,
    VettingState,
    available_vetting_transitions,
)
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation
from kpo.vetting.conf import default_reverification_months, due_soon_days, terms_version
from kpo.vetting.models import (
    BackgroundCheck,
    BackgroundResultChoice,
    Credential,
    CredentialStatus,
    EngagementRequirements,
    Reference,
    TermsSignature,
    Training,
    VettingEvent,
    VettingPolicy,
    VettingRecord,
    VettingStateChoice,
)
from kpo.work.models import Engagement

# --- policy ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    reverification_months: int
    trial_pass_score: Decimal


def policy_for(organisation_id: int) -> Policy:
    saved = VettingPolicy.objects.filter(organisation_id=organisation_id).first()
    if saved is None:
        return Policy(default_reverification_months(), Decimal("3.5"))
    return Policy(saved.reverification_months, saved.trial_pass_score)


# --- the passport as the engine sees it --------------------------------------------------------------


def engine_credential(credential: Credential) -> EngineCredential:
    verified = credential.status == CredentialStatus.VERIFIED
    return EngineCredential(
        kind=CredentialKind(credential.kind),
        level=DegreeLevel(credential.level) if credential.level else None,
        title=credential.title,
        verified_on=credential.verified_on if verified else None,
        expires_on=credential.expires_on,
    )


def passports_of(expert_ids: Iterable[int]) -> dict[int, Passport]:
    """The passports of these experts (four queries, whatever their number)."""
    ids = list(expert_ids)
    credentials: dict[int, list[EngineCredential]] = defaultdict(list)
    for credential in Credential.objects.filter(expert_id__in=ids).exclude(status=CredentialStatus.REJECTED):
        credentials[credential.expert_id].append(engine_credential(credential))
    checks: dict[int, EngineBackgroundCheck] = {}
    for check in BackgroundCheck.objects.filter(expert_id__in=ids).order_by("checked_on", "id"):
        checks[check.expert_id] = EngineBackgroundCheck(  # the latest wins
            check.provider, check.checked_on, BackgroundCheckResult(check.result)
        )
    signed: dict[int, dt.date] = dict(
        TermsSignature.objects.filter(expert_id__in=ids, version=terms_version()).values_list(
            "expert_id", "signed_on"
        )
    )
    trainings: dict[int, list[EngineTraining]] = defaultdict(list)
    for training in Training.objects.filter(expert_id__in=ids):
        trainings[training.expert_id].append(
            EngineTraining(training.name, training.completed_on, training.expires_on)
        )
    return {
        expert_id: Passport(
            credentials=tuple(credentials[expert_id]),
            background_check=checks.get(expert_id),
            platform_terms_signed_on=signed.get(expert_id),
            trainings=tuple(trainings[expert_id]),
        )
        for expert_id in ids
    }


def passport_of(expert: ExpertProfile) -> Passport:
    return passports_of([expert.pk])[expert.pk]


def vetting_facts(
    record: VettingRecord, passport: Passport, *, trial_score: Decimal | None = None
) -> VettingFacts:
    policy = policy_for(record.expert.organisation_id)
    score = trial_score if trial_score is not None else record.trial_score
    return VettingFacts(
        passport=passport,
        verified_on=record.verified_on,
        trial_score=float(score) if score is not None else None,
        trial_pass_score=float(policy.trial_pass_score),
        reverification_months=policy.reverification_months,
    )


def requirements_for_engine(requirements: EngagementRequirements) -> PassportRequirements:
    return PassportRequirements(
        require_platform_terms=requirements.require_platform_terms,
        require_verified_credential=requirements.require_verified_credential,
        min_degree_level=DegreeLevel(requirements.min_degree_level)
        if requirements.min_degree_level
        else None,
        required_licences=frozenset(requirements.licence_list),
        background_check_max_age_months=requirements.background_check_max_age_months,
        required_trainings=frozenset(requirements.training_list),
    )


def engagement_requirements(engagement: Engagement) -> EngagementRequirements | None:
    return EngagementRequirements.objects.filter(engagement_id=engagement.pk).first()


# --- pages -------------------------------------------------------------------------------------------


def is_lapsed(record: VettingRecord, today: dt.date) -> bool:
    """An active expert whose re-verification has fallen due."""
    return record.state == VettingState.ACTIVE and (
        record.reverification_due_on is None or record.reverification_due_on <= today
    )


@dataclass
class ExpertVetting:
    """Everything the vetting and passport pages show about one expert."""

    expert: ExpertProfile
    record: VettingRecord | None
    events: list[VettingEvent]
    credentials: list[Credential]
    background_checks: list[BackgroundCheck]
    references: list[Reference]
    trainings: list[Training]
    terms: list[TermsSignature]
    passport: Passport
    policy: Policy
    today: dt.date
    terms_version: str
    transitions: list[tuple[str, str, str, bool]] = field(default_factory=list)
    """(target state, action, target label, needs a comment) the user may attempt now."""

    @property
    def lapsed(self) -> bool:
        return self.record is not None and is_lapsed(self.record, self.today)

    @property
    def signed_current_terms(self) -> TermsSignature | None:
        return next((t for t in self.terms if t.version == self.terms_version), None)

    @property
    def latest_background_check(self) -> BackgroundCheck | None:
        return self.background_checks[0] if self.background_checks else None

    @property
    def valid_credentials(self) -> list[Credential]:
        return [c for c in self.credentials if engine_credential(c).is_valid(self.today)]

    @property
    def expired_credentials(self) -> list[Credential]:
        return [
            c
            for c in self.credentials
            if c.status == CredentialStatus.VERIFIED and engine_credential(c).is_expired(self.today)
        ]

    @property
    def has_valid_degree_or_licence(self) -> bool:
        return self.passport.has_valid_degree_or_licence(self.today)


def expert_vetting(
    expert: ExpertProfile, capacities: frozenset[VettingCapacity], today: dt.date
) -> ExpertVetting:
    record = VettingRecord.objects.filter(expert_id=expert.pk).first()
    if record is not None:
        record.expert = expert
    events = (
        list(VettingEvent.objects.filter(record_id=record.pk).select_related("actor").order_by("-at", "-id"))
        if record is not None
        else []
    )
    credentials = list(Credential.objects.filter(expert_id=expert.pk).select_related("verified_by", "degree"))
    view = ExpertVetting(
        expert=expert,
        record=record,
        events=events,
        credentials=credentials,
        background_checks=list(BackgroundCheck.objects.filter(expert_id=expert.pk)),
        references=list(Reference.objects.filter(expert_id=expert.pk)),
        trainings=list(Training.objects.filter(expert_id=expert.pk)),
        terms=list(TermsSignature.objects.filter(expert_id=expert.pk)),
        passport=passport_of(expert),
        policy=policy_for(expert.organisation_id),
        today=today,
        terms_version=terms_version(),
    )
    if record is not None:
        labels = dict(VettingStateChoice.choices)
        for transition in available_vetting_transitions(VettingState(record.state), capacities):
            view.transitions.append(
                (
                    transition.target.value,
                    transition.action,
                    str(labels[transition.target.value]),
                    transition.needs_comment,
                )
            )
    return view


@dataclass(frozen=True)
class PassportSummary:
    """The passport panel on an expert's profile (two queries)."""

    expert_id: int
    state: str
    state_label: str
    reverification_due_on: dt.date | None
    lapsed: bool
    credentials: list[Credential]
    background_checked_on: dt.date | None
    background_result: str
    background_result_label: str
    terms_signed_on: dt.date | None
    trainings: int
    today: dt.date

    @property
    def vetted_on_kpo(self) -> bool:
        return bool(self.state)

    @property
    def verified_credentials(self) -> list[tuple[Credential, bool]]:
        """(credential, still valid) for every verified credential."""
        return [
            (c, not engine_credential(c).is_expired(self.today))
            for c in self.credentials
            if c.status == CredentialStatus.VERIFIED
        ]

    @property
    def claimed(self) -> int:
        return sum(1 for c in self.credentials if c.status == CredentialStatus.CLAIMED)


def passport_summary(expert: ExpertProfile, today: dt.date) -> PassportSummary:
    checks = BackgroundCheck.objects.filter(expert_id=OuterRef("pk")).order_by("-checked_on", "-id")
    records = VettingRecord.objects.filter(expert_id=OuterRef("pk"))
    row = (
        ExpertProfile.objects.filter(pk=expert.pk)
        .annotate(
            v_state=Subquery(records.values("state")[:1]),
            v_due=Subquery(records.values("reverification_due_on")[:1]),
            bg_on=Subquery(checks.values("checked_on")[:1]),
            bg_result=Subquery(checks.values("result")[:1]),
            terms_on=Subquery(
                TermsSignature.objects.filter(expert_id=OuterRef("pk"), version=terms_version()).values(
                    "signed_on"
                )[:1]
            ),
            n_trainings=Count("trainings", distinct=True),
        )
        .values("v_state", "v_due", "bg_on", "bg_result", "terms_on", "n_trainings")
        .get()
    )
    state = row["v_state"] or ""
    due = row["v_due"]
    result = row["bg_result"] or ""
    return PassportSummary(
        expert_id=expert.pk,
        state=state,
        state_label=str(dict(VettingStateChoice.choices).get(state, "")),
        reverification_due_on=due,
        lapsed=state == VettingState.ACTIVE and (due is None or due <= today),
        credentials=list(
            Credential.objects.filter(expert_id=expert.pk).exclude(status=CredentialStatus.REJECTED)
        ),
        background_checked_on=row["bg_on"],
        background_result=result,
        background_result_label=str(dict(BackgroundResultChoice.choices).get(result, "")),
        terms_signed_on=row["terms_on"],
        trainings=row["n_trainings"],
        today=today,
    )


@dataclass(frozen=True)
class QueueRow:
    record: VettingRecord
    lapsed: bool
    due_soon: bool


@dataclass(frozen=True)
class VettingQueue:
    organisations: list[Organisation]
    by_state: list[tuple[str, str, list[QueueRow]]]
    """(state, label, rows) in pipeline order, empty states left out."""
    due: list[QueueRow]
    """Active experts whose re-verification is due or falls due soon, soonest first."""
    not_vetted: int
    """Experts of these providers without a vetting record (onboarded directly)."""
    policies: list[tuple[Organisation, Policy]]
    state_filter: str
    search: str = ""
    capped: bool = False
    """More records match than the queue shows (QUEUE_LIMIT): searching narrows them down."""


QUEUE_LIMIT = 200


def vetting_records_visible_to(organisation_ids: set[int]) -> QuerySet[VettingRecord]:
    queryset = VettingRecord.objects.select_related("expert", "expert__user", "expert__organisation")
    return queryset.filter(expert__organisation_id__in=organisation_ids)


def vetting_queue(
    organisations: list[Organisation], *, today: dt.date, state: str = "", search: str = ""
) -> VettingQueue:
    """The providers' experts in vetting, by stage (at most QUEUE_LIMIT, by name); `search` keeps those
    whose name or e-mail contains it."""
    ids = {org.pk for org in organisations}
    records = vetting_records_visible_to(ids)
    if state:
        records = records.filter(state=state)
    if search:
        records = records.filter(expert__user_id__in=people_matching(search).values("id"))
    horizon = today + dt.timedelta(days=due_soon_days())
    listed = list(
        records.order_by("expert__user__last_name", "expert__user__first_name", "id")[: QUEUE_LIMIT + 1]
    )
    rows = [
        QueueRow(
            record=record,
            lapsed=is_lapsed(record, today),
            due_soon=record.state == VettingState.ACTIVE
            and record.reverification_due_on is not None
            and today < record.reverification_due_on <= horizon,
        )
        for record in listed[:QUEUE_LIMIT]
    ]
    by_state = []
    for value, label in VettingStateChoice.choices:
        in_state = [row for row in rows if row.record.state == value]
        if in_state:
            by_state.append((value, str(label), in_state))
    due = sorted(
        (row for row in rows if row.lapsed or row.due_soon),
        key=lambda row: (row.record.reverification_due_on or dt.date.min, row.record.pk),
    )
    experts = ExpertProfile.objects.filter(organisation_id__in=ids)
    not_vetted = experts.filter(~Exists(VettingRecord.objects.filter(expert_id=OuterRef("pk")))).count()
    return VettingQueue(
        organisations=organisations,
        by_state=by_state,
        due=due,
        not_vetted=not_vetted,
        policies=[(org, policy_for(org.pk)) for org in organisations],
        state_filter=state,
        search=search,
        capped=len(listed) > QUEUE_LIMIT,
    )


# --- matching ----------------------------------------------------------------------------------------


def vetting_exclusions(today: dt.date) -> list[tuple[int, str, dt.date | None]]:
    """(expert id, state, re-verification due) of every record that is not active and current."""
    return list(
        VettingRecord.objects.filter(
            ~Q(state=VettingState.ACTIVE)
            | Q(reverification_due_on__isnull=True)
            | Q(reverification_due_on__lte=today)
        )
        .order_by("expert_id")  # not the model's order by name: that joins and reads every user
        .values_list("expert_id", "state", "reverification_due_on")
    )


def experts_with_expired_credentials(today: dt.date) -> set[int]:
    """Experts with a verified degree or licence that has expired and none still valid (two queries)."""
    degree_or_licence = Q(kind__in=[CredentialKind.DEGREE.value, CredentialKind.LICENCE.value])
    verified = Credential.objects.filter(degree_or_licence, status=CredentialStatus.VERIFIED)
    expired = set(verified.filter(expires_on__lt=today).values_list("expert_id", flat=True))
    if not expired:
        return set()
    valid = set(
        verified.filter(expert_id__in=expired, verified_on__lte=today)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("expert_id", flat=True)
    )
    return expired - valid


def passport_holders(organisation_ids: Iterable[int]) -> set[int]:
    """Experts of these organisations with anything in their passport."""
    orgs = list(organisation_ids)
    holders: set[int] = set()
    for model in (Credential, BackgroundCheck, TermsSignature, Training):
        holders |= set(
            model.objects.filter(expert__organisation_id__in=orgs)
            .values_list("expert_id", flat=True)
            .distinct()
        )
    return holders
