"""Builders for compliance tests: a competitor, a past job, a fixed moment."""

from __future__ import annotations

import datetime as dt

from kpo.compliance.models import Competitor, CompliancePolicy
from kpo.engine.org_names import normalise_name
from kpo.experts.models import Employment, ExpertProfile
from kpo.orgs.models import Organisation
from tests.cast import Cast

TODAY = dt.date(2026, 11, 2)


def at(day: dt.date) -> dt.datetime:
    """Noon UTC on `day` (the project's time zone keeps the same date)."""
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC)


NOW = at(TODAY)


def profile(cast: Cast, name: str) -> ExpertProfile:
    return ExpertProfile.objects.select_related("user").get(user=cast.users()[name])


def competitor(client: Organisation, name: str, organisation: Organisation | None = None) -> Competitor:
    return Competitor.objects.create(
        client=client, name=name, key=normalise_name(name), organisation=organisation
    )


def job(
    expert: ExpertProfile,
    employer: str,
    end: dt.date | None,
    *,
    start: dt.date = dt.date(2019, 1, 1),
    organisation: Organisation | None = None,
) -> Employment:
    return Employment.objects.create(
        expert=expert, employer=employer, start=start, end=end, employer_organisation=organisation
    )


def policy(client: Organisation, **fields: object) -> CompliancePolicy:
    saved, _created = CompliancePolicy.objects.update_or_create(client=client, defaults=fields)
    return saved
