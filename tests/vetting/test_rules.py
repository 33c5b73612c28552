"""Matching enforces vetting and the passport: lapsed or expired experts and engagement requirements,
each with its reason in the shortlist's pool report and in why-not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from kpo.engine.passport import add_months
from kpo.matching.selectors import shortlist_for_task, why_not_for
from kpo.vetting.models import BackgroundCheck, Credential, Training, VettingRecord
from kpo.vetting.services.passport import background_check_record, training_record
from kpo.vetting.services.requirements import requirements_set
from tests.cast import Cast
from tests.matching.helpers import give_skill
from tests.vetting.helpers import add_degree, take_to, today, verify

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _failures(cast: Cast, name: str) -> dict[str, str]:
    answer = why_not_for(cast.task_a, cast.users()[name].expert_profile, now=timezone.now())
    return {f.rule: f.detail for f in answer.failures}


def _eligible(cast: Cast) -> set[str]:
    shortlist = shortlist_for_task(cast.task_a, now=timezone.now())
    return {row.expert.name for row in shortlist.rows}


def test_experts_without_vetting_data_are_not_touched(cast: Cast) -> None:
    give_skill(cast, "erin")
    assert "Erin Idle" in _eligible(cast)
    assert "vetting" not in _failures(cast, "erin") and "passport" not in _failures(cast, "erin")


def test_an_expert_still_in_vetting_is_excluded_with_the_stage(cast: Cast) -> None:
    give_skill(cast, "erin")
    take_to(cast.erin.expert_profile, "credentials_verified", manager=cast.pete)
    failures = _failures(cast, "erin")
    assert failures["vetting"] == "still in vetting (Credentials verified)"
    assert "active" in failures  # the profile status followed the record
    assert "Erin Idle" not in _eligible(cast)


def test_an_active_vetted_expert_is_eligible(cast: Cast) -> None:
    give_skill(cast, "erin")
    take_to(cast.erin.expert_profile, "active", manager=cast.pete)
    assert "Erin Idle" in _eligible(cast)
    assert _failures(cast, "erin") == {}


def test_a_due_reverification_excludes_with_its_date(cast: Cast) -> None:
    give_skill(cast, "erin")
    record = take_to(cast.erin.expert_profile, "active", manager=cast.pete)
    due = today() - dt.timedelta(days=3)
    VettingRecord.objects.filter(pk=record.pk).update(reverification_due_on=due)
    failures = _failures(cast, "erin")
    assert failures == {"vetting": f"re-verification was due on {date_format(due, 'DATE_FORMAT')}"}
    assert "Erin Idle" not in _eligible(cast)
    shortlist = shortlist_for_task(cast.task_a, now=timezone.now())
    step = next(s for s in shortlist.result.pool_report.steps if s.rule == "vetting")
    assert step.excluded == 1


def test_an_expired_credential_excludes_with_that_reason_not_silently(cast: Cast) -> None:
    give_skill(cast, "erin")
    erin = cast.erin.expert_profile
    take_to(erin, "active", manager=cast.pete)
    degree = erin.credentials.get()
    Credential.objects.filter(pk=degree.pk).update(kind="licence", title="Chartered Engineer", level="")
    expired_on = today() - dt.timedelta(days=1)
    Credential.objects.filter(pk=degree.pk).update(expires_on=expired_on)
    assert _failures(cast, "erin") == {
        "vetting": f"Licence 'Chartered Engineer' expired on {expired_on.isoformat()}."
    }
    # a valid degree besides the expired licence keeps the expert eligible
    verify(add_degree(erin, cast.pete, title="BSc Statistics", level="bachelor"), cast.pete)
    assert _failures(cast, "erin") == {}


def test_an_expired_credential_counts_for_experts_onboarded_directly_too(cast: Cast) -> None:
    give_skill(cast, "erin")
    erin = cast.erin.expert_profile
    licence = add_degree(
        erin,
        cast.pete,
        kind="licence",
        title="PE licence",
        level="",
        expires_on=today() + dt.timedelta(days=30),
    )
    verify(licence, cast.pete)
    assert _failures(cast, "erin") == {}
    Credential.objects.filter(pk=licence.pk).update(expires_on=today() - dt.timedelta(days=2))
    assert "PE licence" in _failures(cast, "erin")["vetting"]


def _strict(cast: Cast, **fields: object) -> None:
    requirements_set(user=cast.alice, engagement=cast.engagement_a, **fields)


def test_engagement_requirements_exclude_with_the_engines_reasons(cast: Cast) -> None:
    give_skill(cast, "erin", "ivan")
    erin = cast.erin.expert_profile
    take_to(erin, "active", manager=cast.pete)
    checked = add_months(today(), -14)
    background_check_record(
        user=cast.pete, expert=erin, provider="SecureCheck", checked_on=checked, result="clear"
    )
    _strict(cast, background_check_max_age_months=12, required_trainings="GDPR basics")
    failures = _failures(cast, "erin")
    assert failures == {
        "passport": f"The background check of {checked.isoformat()} is older than 12 months. "
        "Training 'GDPR basics' is not completed."
    }
    assert _failures(cast, "ivan") == {"passport": "has no compliance passport on kpo"}
    assert _eligible(cast) == set()
    shortlist = shortlist_for_task(cast.task_a, now=timezone.now())
    assert shortlist.emptied_by == "passport"
    assert "passport requirements" in shortlist.message and "12 months" in shortlist.message
    # the provider brings the passport up to date: erin is eligible again
    background_check_record(
        user=cast.pete, expert=erin, provider="SecureCheck", checked_on=today(), result="clear"
    )
    training_record(user=cast.pete, expert=erin, name="gdpr  Basics", completed_on=today())
    assert _failures(cast, "erin") == {}
    assert _eligible(cast) == {"Erin Idle"}


def test_a_phd_requirement_and_a_licence_requirement(cast: Cast) -> None:
    give_skill(cast, "erin")
    erin = cast.erin.expert_profile
    take_to(erin, "active", manager=cast.pete)  # holds a verified master
    _strict(cast, min_degree_level="phd", required_licences="CFA")
    detail = _failures(cast, "erin")["passport"]
    assert "No verified degree at level phd or above." in detail and "No 'CFA' licence" in detail
    verify(add_degree(erin, cast.pete, title="PhD Operations", level="phd"), cast.pete)
    cfa = add_degree(erin, cast.pete, kind="certification", title="cfa", level="")
    verify(cfa, cast.pete)
    assert _failures(cast, "erin") == {}


def test_an_expired_training_fails_the_requirement(cast: Cast) -> None:
    give_skill(cast, "erin")
    erin = cast.erin.expert_profile
    take_to(erin, "active", manager=cast.pete)
    Training.objects.create(
        expert=erin,
        name="Export control",
        completed_on=add_months(today(), -25),
        expires_on=add_months(today(), -1),
        recorded_by=cast.pete,
    )
    _strict(cast, required_trainings="Export control")
    assert "Training 'Export control' expired on" in _failures(cast, "erin")["passport"]


def test_requirements_that_ask_nothing_enforce_nothing(cast: Cast) -> None:
    give_skill(cast, "erin")
    _strict(cast, require_platform_terms=False, require_verified_credential=False)
    assert "Erin Idle" in _eligible(cast)


def test_a_failed_background_check_is_named(cast: Cast) -> None:
    give_skill(cast, "erin")
    erin = cast.erin.expert_profile
    take_to(erin, "active", manager=cast.pete)
    BackgroundCheck.objects.create(
        expert=erin, provider="SecureCheck", checked_on=today(), result="consider", recorded_by=cast.pete
    )
    _strict(cast, background_check_max_age_months=24)
    assert (
        _failures(cast, "erin")["passport"] == "The background check by SecureCheck is not clear (consider)."
    )
