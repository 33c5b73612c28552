"""Compliance writes: bad input named by field, nothing changed; audit entries; manual staffing refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kpo.audit.models import AuditEntry
from kpo.compliance import services
from kpo.compliance.models import (
    Competitor,
    CompliancePolicy,
    ConflictDeclaration,
    ConflictException,
    TransferCountry,
)
from kpo.core.clock import installation_date
from kpo.core.errors import DomainError
from kpo.notices.models import Notice
from kpo.work.models import Assignment
from kpo.work.services import assignment_create
from tests.cast import Cast
from tests.compliance.helpers import competitor, job, profile

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def fields_of(error: ValidationError) -> set[str]:
    return set(error.message_dict)


@pytest.mark.parametrize(
    ("normal", "sensitive", "field"),
    [
        (-1, 12, "cooling_off_months"),
        (6, -3, "sensitive_cooling_off_months"),
        (121, 121, "cooling_off_months"),
        (6, 3, "sensitive_cooling_off_months"),  # shorter than the normal period
    ],
)
def test_bad_cooling_off_is_named_and_saves_nothing(
    cast: Cast, normal: int, sensitive: int, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.policy_update(
            user=cast.alice,
            client=cast.org_a,
            cooling_off_months=normal,
            sensitive_cooling_off_months=sensitive,
            forbid_former_employees=True,
        )
    assert field in fields_of(raised.value)
    assert not CompliancePolicy.objects.exists()
    assert not AuditEntry.objects.filter(event="conflict_declared").exists()


def test_policy_change_is_saved_and_audited(cast: Cast) -> None:
    services.policy_update(
        user=cast.alice,
        client=cast.org_a,
        cooling_off_months=3,
        sensitive_cooling_off_months=18,
        forbid_former_employees=True,
    )
    saved = CompliancePolicy.objects.get(client=cast.org_a)
    assert (saved.cooling_off_months, saved.sensitive_cooling_off_months, saved.forbid_former_employees) == (
        3,
        18,
        True,
    )
    entry = AuditEntry.objects.get(event="conflict_declared", object_type="compliance_policy")
    assert entry.details["before"]["cooling_off_months"] == 6
    assert entry.details["after"]["cooling_off_months"] == 3


def test_a_provider_has_no_compliance_policy(cast: Cast) -> None:
    with pytest.raises(DomainError):
        services.competitor_add(user=cast.pete, client=cast.provider_p, name="Rival")


def test_competitor_names_are_required_and_unique_by_normalised_name(cast: Cast) -> None:
    services.competitor_add(user=cast.alice, client=cast.org_a, name="Rival Bank A/S")
    with pytest.raises(ValidationError) as raised:
        services.competitor_add(user=cast.alice, client=cast.org_a, name="rival bank")
    assert fields_of(raised.value) == {"name"}
    with pytest.raises(ValidationError) as raised:
        services.competitor_add(user=cast.alice, client=cast.org_a, name="   ")
    assert fields_of(raised.value) == {"name"}
    with pytest.raises(ValidationError) as raised:
        services.competitor_add(user=cast.alice, client=cast.org_a, name="Us", organisation=cast.org_a)
    assert fields_of(raised.value) == {"organisation"}
    assert Competitor.objects.count() == 1
    assert AuditEntry.objects.filter(event="conflict_declared", object_type="competitor").count() == 1


@pytest.mark.parametrize(
    ("country", "mechanism", "note", "field"),
    [
        ("XX", "scc", "", "country"),  # unknown code
        ("", "scc", "", "country"),
        ("FR", "scc", "", "country"),  # already allowed: EU
        ("CH", "scc", "", "country"),  # already allowed: adequacy decision
        ("IN", "telepathy", "", "mechanism"),
        ("IN", "not_needed", "", "mechanism"),  # an EU client needs a mechanism
        ("IN", "derogation", "  ", "note"),
        ("IN", "other", "", "note"),
    ],
)
def test_bad_transfer_countries_are_named(
    cast: Cast, country: str, mechanism: str, note: str, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.transfer_country_add(
            user=cast.alice, client=cast.org_a, country=country, mechanism=mechanism, note=note
        )
    assert fields_of(raised.value) == {field}
    assert not TransferCountry.objects.exists()
    assert not AuditEntry.objects.filter(event="residency_changed").exists()


def test_transfer_country_changes_are_audited(cast: Cast) -> None:
    transfer = services.transfer_country_add(
        user=cast.alice, client=cast.org_a, country="in", mechanism="scc", note="SCCs of 2021"
    )
    assert transfer.country == "IN"
    with pytest.raises(ValidationError):
        services.transfer_country_add(user=cast.alice, client=cast.org_a, country="IN", mechanism="bcr")
    services.transfer_country_remove(user=cast.alice, transfer=transfer)
    changes = list(
        AuditEntry.objects.filter(event="residency_changed").order_by("seq").values_list("details", flat=True)
    )
    assert [c["change"] for c in changes] == ["added", "removed"]
    assert changes[0]["mechanism"] == "scc" and changes[0]["country"] == "IN"


def test_a_non_eu_client_may_list_countries_without_a_mechanism(cast: Cast) -> None:
    cast.org_b.country = "US"
    cast.org_b.save()
    services.transfer_country_add(user=cast.dave, client=cast.org_b, country="FR", mechanism="not_needed")
    assert TransferCountry.objects.filter(client=cast.org_b, country="FR").exists()


def test_declarations_are_the_experts_own_and_audited(cast: Cast) -> None:
    erin = profile(cast, "erin")
    with pytest.raises(DomainError):
        services.conflict_declare(user=cast.pete, expert=erin, name="Rival")
    with pytest.raises(ValidationError) as raised:
        services.conflict_declare(user=cast.erin, expert=erin, name="  ")
    assert fields_of(raised.value) == {"name"}
    declaration = services.conflict_declare(user=cast.erin, expert=erin, name="Rival Bank", note="my brother")
    assert declaration.key == "rival bank"
    with pytest.raises(ValidationError):
        services.conflict_declare(user=cast.erin, expert=erin, name="RIVAL BANK A/S")
    services.conflict_withdraw(user=cast.erin, declaration=declaration)
    assert not ConflictDeclaration.objects.exists()
    changes = [
        entry.details["change"]
        for entry in AuditEntry.objects.filter(event="conflict_declared").order_by("seq")
    ]
    assert changes == ["declared", "withdrawn"]


def test_an_exception_needs_a_justification_a_conflict_and_the_right_role(cast: Cast) -> None:
    erin, rex = profile(cast, "erin"), profile(cast, "rex")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", None)
    with pytest.raises(ValidationError) as raised:
        services.exception_grant(
            user=cast.pete, engagement=cast.engagement_a, expert=erin, justification="  "
        )
    assert fields_of(raised.value) == {"justification"}
    with pytest.raises(DomainError) as refused:
        services.exception_grant(user=cast.pete, engagement=cast.engagement_a, expert=rex, justification="ok")
    assert refused.value.field == "expert"  # rex has no conflict: nothing to except
    for user in (cast.bob, cast.aud, cast.carol, cast.dave):
        with pytest.raises(DomainError):
            services.exception_grant(user=user, engagement=cast.engagement_a, expert=erin, justification="ok")
    assert not ConflictException.objects.exists()
    assert not AuditEntry.objects.filter(event="exception_granted").exists()


def test_a_granted_exception_is_audited_and_the_other_side_told(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", None)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        exception = services.exception_grant(
            user=cast.pete, engagement=cast.engagement_a, expert=erin, justification="Left the desk in 2019."
        )
    entry = AuditEntry.objects.get(event="exception_granted")
    assert entry.organisation_id == cast.org_a.pk
    assert entry.details["expert_id"] == erin.pk
    assert entry.details["justification"] == "Left the desk in 2019."
    assert entry.details["conflict"].startswith("works at Rival Bank")
    assert exception.conflict.startswith("works at Rival Bank")
    assert Notice.objects.filter(user=cast.alice, kind="conflict_exception").exists()
    with pytest.raises(ValidationError):
        services.exception_grant(
            user=cast.alice, engagement=cast.engagement_a, expert=erin, justification="again"
        )
    services.exception_revoke(user=cast.alice, exception=exception)
    assert AuditEntry.objects.filter(event="exception_granted").count() == 2


def test_manual_assignment_refuses_a_conflicted_expert_with_the_same_reason(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", installation_date(timezone.now()) - dt.timedelta(days=30))
    with pytest.raises(DomainError) as refused:
        assignment_create(
            user=cast.pete, task=cast.task_a, expert=erin, role="maker", planned_hours=Decimal(4)
        )
    assert refused.value.field == "expert"
    assert "worked at Rival Bank until" in refused.value.message
    assert "cooling-off 6 months" in refused.value.message
    assert not Assignment.objects.filter(expert=erin).exists()
    services.exception_grant(
        user=cast.pete, engagement=cast.engagement_a, expert=erin, justification="Reviewed."
    )
    assignment_create(user=cast.pete, task=cast.task_a, expert=erin, role="maker", planned_hours=Decimal(4))
    assert Assignment.objects.filter(expert=erin).exists()


def test_manual_assignment_refuses_an_expert_outside_the_allowed_countries(cast: Cast) -> None:
    erin = profile(cast, "erin")
    cast.engagement_a.contains_personal_data = True
    cast.engagement_a.save()
    with pytest.raises(DomainError) as refused:
        assignment_create(
            user=cast.pete, task=cast.task_a, expert=erin, role="maker", planned_hours=Decimal(4)
        )
    assert "is in India, outside the countries" in refused.value.message
    services.transfer_country_add(user=cast.alice, client=cast.org_a, country="IN", mechanism="scc")
    assignment_create(user=cast.pete, task=cast.task_a, expert=erin, role="maker", planned_hours=Decimal(4))
