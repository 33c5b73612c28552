"""The conflict-of-interest and data-residency rules: who is excluded and why; mask agrees with check."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from kpo.compliance.models import ConflictDeclaration, ConflictException, TransferCountry
from kpo.compliance.rules import COI_RULE, RESIDENCY_RULE, compliance_rules
from kpo.compliance.selectors import add_months, conflicts_for
from kpo.engine.matching import ExpertIndex
from kpo.engine.org_names import normalise_name
from kpo.matching.records import expert_records, task_requirements
from kpo.matching.selectors import shortlist_for_task, why_not_for
from kpo.work.models import Engagement, Task
from tests.cast import Cast
from tests.compliance.helpers import NOW, TODAY, at, competitor, job, policy, profile

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def excluded(engagement: Engagement, day: dt.date = TODAY) -> dict[int, str]:
    return conflicts_for(engagement, day).excluded


def test_names_compare_without_case_accents_punctuation_or_legal_form() -> None:
    assert normalise_name("Rival Bank A/S") == normalise_name("RIVAL-BANK, Ltd.") == "rival bank"
    assert normalise_name("Sørensen & Co ApS") == normalise_name("sorensen and co") == "sorensen and"
    assert normalise_name("Rival Bank") != normalise_name("Rival Banking")


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 1, 15), 12) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)


def test_recent_competitor_employment_excludes_with_the_reason(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank A/S")
    job(erin, "Rival Bank", dt.date(2026, 8, 31))
    reasons = excluded(cast.engagement_a)
    assert reasons == {
        erin.pk: "worked at Rival Bank until 2026-08-31; cooling-off 6 months, ends 2027-02-28"
    }


@pytest.mark.parametrize(
    ("day", "out"),
    [
        (dt.date(2027, 2, 27), True),  # one day short of six months
        (dt.date(2027, 2, 28), False),  # ended exactly six months ago (clamped month end): eligible
        (dt.date(2027, 3, 1), False),
    ],
)
def test_cooling_off_boundary(cast: Cast, day: dt.date, out: bool) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank A/S", dt.date(2026, 8, 31))
    assert (erin.pk in excluded(cast.engagement_a, day)) is out


def test_exactly_n_months_on_an_ordinary_date(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", dt.date(2026, 5, 2))
    assert erin.pk not in excluded(cast.engagement_a, dt.date(2026, 11, 2))  # exactly 6 months
    assert erin.pk in excluded(cast.engagement_a, dt.date(2026, 11, 1))


def test_sensitive_engagement_uses_twelve_months(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", dt.date(2026, 2, 1))  # 9 months before TODAY
    assert erin.pk not in excluded(cast.engagement_a)
    cast.engagement_a.sensitive = True
    cast.engagement_a.save()
    reason = excluded(cast.engagement_a)[erin.pk]
    assert "cooling-off 12 months, ends 2027-02-01" in reason
    policy(cast.org_a, cooling_off_months=3, sensitive_cooling_off_months=9)
    assert erin.pk not in excluded(cast.engagement_a)  # 9 months have passed on TODAY


def test_ongoing_employment_at_a_competitor_excludes(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "RIVAL BANK plc", None)
    assert (
        excluded(cast.engagement_a)[erin.pk] == f"works at RIVAL BANK plc, a competitor of {cast.org_a.name}"
    )


def test_old_or_unrelated_employment_does_not_exclude(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", dt.date(2020, 1, 31))
    job(erin, "Rival Banking Group", None)  # another company whose name merely contains the word
    assert excluded(cast.engagement_a) == {}


def test_linked_organisation_matches_whatever_the_employer_text(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Quay", organisation=cast.provider_q)
    job(erin, "QA Ltd (subsidiary)", None, organisation=cast.provider_q)
    assert erin.pk in excluded(cast.engagement_a)


def test_an_edited_employer_is_matched_by_its_new_name(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank A/S")
    employment = job(erin, "Harbour Analytics", None)
    assert employment.employer_key == "harbour analytics" and excluded(cast.engagement_a) == {}
    employment.employer = "RIVAL-BANK, Ltd."
    employment.save(update_fields=["employer"])
    employment.refresh_from_db()
    assert employment.employer_key == "rival bank"
    assert set(excluded(cast.engagement_a)) == {erin.pk}


def test_competitors_of_one_client_do_not_affect_another(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_b, "Rival Bank")
    job(erin, "Rival Bank", None)
    assert excluded(cast.engagement_a) == {}
    assert erin.pk in excluded(cast.engagement_b)


def test_client_own_former_staff_only_when_the_client_forbids_it(cast: Cast) -> None:
    erin, ivan = profile(cast, "erin"), profile(cast, "ivan")
    job(erin, "Acme Gear", dt.date(2026, 9, 30))
    job(ivan, "Acme Gear A/S", None, organisation=cast.org_a)  # current staff: never excluded by this
    assert excluded(cast.engagement_a) == {}
    policy(cast.org_a, forbid_former_employees=True)
    reasons = excluded(cast.engagement_a)
    assert set(reasons) == {erin.pk}
    assert reasons[erin.pk] == (
        "worked at Acme Gear (the client) until 2026-09-30; the client excludes its former employees "
        "for 6 months, until 2027-03-30"
    )
    assert excluded(cast.engagement_a, dt.date(2027, 3, 30)) == {}


def test_declared_conflicts_exclude_from_that_clients_tasks(cast: Cast) -> None:
    carol, erin, rex = profile(cast, "carol"), profile(cast, "erin"), profile(cast, "rex")
    competitor(cast.org_a, "Rival Bank")
    ConflictDeclaration.objects.create(expert=erin, name="", key="", client=cast.org_a)
    ConflictDeclaration.objects.create(expert=rex, name="ACME GEAR", key=normalise_name("ACME GEAR"))
    ConflictDeclaration.objects.create(expert=carol, name="Rival Bank A/S", key="rival bank", note="sister")
    reasons = excluded(cast.engagement_a)
    assert set(reasons) == {carol.pk, erin.pk, rex.pk}
    assert reasons[carol.pk] == "declared a conflict of interest with Rival Bank A/S"
    assert reasons[rex.pk] == "declared a conflict of interest with ACME GEAR"
    assert excluded(cast.engagement_b) == {}  # bank B is neither named nor linked


def test_an_exception_lets_the_expert_through_for_that_engagement_only(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", None)
    other = Engagement.objects.create(
        client=cast.org_a,
        provider=cast.provider_p,
        title="Second",
        objective="x",
        domain="technical_analysis",
        budget=1000,
        currency="DKK",
        start_date=TODAY,
        created_by=cast.bob,
    )
    ConflictException.objects.create(
        expert=erin, engagement=cast.engagement_a, justification="Reviewed", granted_by=cast.alice
    )
    report = conflicts_for(cast.engagement_a, TODAY)
    assert erin.pk not in report.excluded
    assert report.excepted[erin.pk][1].startswith("works at Rival Bank")
    assert erin.pk in excluded(other)


def _index_and_requirements(task: Task) -> tuple[ExpertIndex, object]:
    return ExpertIndex.build(expert_records(NOW)), task_requirements(task, NOW)


def test_each_rules_mask_agrees_with_its_check(cast: Cast) -> None:
    carol, erin, rex, ivan = (profile(cast, n) for n in ("carol", "erin", "rex", "ivan"))
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", None)
    ConflictDeclaration.objects.create(expert=rex, name="Acme", key="acme", client=cast.org_a)
    ivan.country = "US"
    ivan.save()
    carol.country = "JP"
    carol.save()
    cast.engagement_a.contains_personal_data = True
    cast.engagement_a.save()
    task = Task.objects.get(pk=cast.task_a.pk)
    rules = {rule.name: rule for rule in compliance_rules(task, NOW)}
    assert set(rules) == {COI_RULE, RESIDENCY_RULE}
    index, requirements = _index_and_requirements(task)
    for rule in rules.values():
        mask = rule.mask(index, requirements)  # type: ignore[arg-type]
        checks = np.array([rule.check(record, requirements) is None for record in index.records])  # type: ignore[arg-type]
        assert (mask == checks).all(), rule.name
    passing = {
        record.id
        for record, ok in zip(index.records, rules[RESIDENCY_RULE].mask(index, requirements), strict=True)
        if ok
    }  # type: ignore[arg-type]
    assert passing == {ivan.pk, carol.pk}  # US and JP have adequacy decisions; India does not
    failing = {
        record.id
        for record, ok in zip(index.records, rules[COI_RULE].mask(index, requirements), strict=True)
        if not ok
    }  # type: ignore[arg-type]
    assert failing == {erin.pk, rex.pk}


def test_residency_applies_only_to_engagements_with_personal_data(cast: Cast) -> None:
    task = Task.objects.get(pk=cast.task_a.pk)
    assert [rule.name for rule in compliance_rules(task, NOW)] == [COI_RULE]


def test_eu_client_excludes_india_until_it_adds_india_with_a_mechanism(cast: Cast) -> None:
    cast.engagement_a.contains_personal_data = True
    cast.engagement_a.save()
    task = Task.objects.get(pk=cast.task_a.pk)
    erin = profile(cast, "erin")
    answer = why_not_for(task, erin, now=NOW)
    lines = {f.rule: f.detail for f in answer.failures}
    assert (
        lines[RESIDENCY_RULE]
        == "is in India, outside the countries this engagement's personal data may go to"
    )
    TransferCountry.objects.create(client=cast.org_a, country="IN", mechanism="scc", recorded_by=cast.alice)
    answer = why_not_for(task, erin, now=NOW)
    assert RESIDENCY_RULE not in {f.rule for f in answer.failures}


def test_non_eu_client_allows_only_the_countries_it_lists(cast: Cast) -> None:
    cast.org_b.country = "US"
    cast.org_b.save()
    cast.engagement_b.contains_personal_data = True
    cast.engagement_b.save()
    task = Task.objects.select_related("engagement__client").get(pk=cast.task_b.pk)
    rule = next(r for r in compliance_rules(task, NOW) if r.name == RESIDENCY_RULE)
    assert rule.allowed == frozenset()  # type: ignore[attr-defined]
    assert "lists (none)" in rule.reason(task_requirements(task, NOW))
    TransferCountry.objects.create(
        client=cast.org_b, country="PL", mechanism="not_needed", recorded_by=cast.dave
    )
    rule = next(r for r in compliance_rules(task, NOW) if r.name == RESIDENCY_RULE)
    assert rule.allowed == frozenset({"PL"})  # type: ignore[attr-defined]  # not the EU/EEA, not the adequacy list


def test_shortlist_reports_the_conflict_rule_and_why_not_gives_the_reason(cast: Cast) -> None:
    erin = profile(cast, "erin")
    competitor(cast.org_a, "Rival Bank")
    job(erin, "Rival Bank", dt.date(2026, 8, 31))
    task = Task.objects.get(pk=cast.task_a.pk)
    result = shortlist_for_task(task, now=NOW)
    step = next(s for s in result.steps if s.rule == COI_RULE)
    assert step.label == "Conflict of interest"
    assert erin.pk not in {row.expert.id for row in result.rows}
    answer = why_not_for(task, erin, now=NOW)
    failure = next(f for f in answer.failures if f.rule == COI_RULE)
    assert failure.detail == "worked at Rival Bank until 2026-08-31; cooling-off 6 months, ends 2027-02-28"
    later = why_not_for(task, erin, now=at(dt.date(2027, 3, 1)))
    assert COI_RULE not in {f.rule for f in later.failures}
