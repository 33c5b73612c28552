"""Absences and teams in the demo world, so the capacity page's heat map shows weeks off as well as busy
weeks, and team rows.

In each provider, the first experts by id get one absence each, laid out from the seeding moment's
week: a week of leave in three weeks, two days of training next week, a fortnight of leave in six
weeks, a day off in two weeks (cycling). Each provider gets a team per domain its experts work in, the
most staffed domains first, two to four of them with at least two members each (an expert in two
domains is in both teams); a provider with one such domain has it split in two by bill rate, a senior
desk and a delivery desk. Deterministic: the same world gives the same absences and teams.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from django.utils.translation import override

from kpo.capacity.models import Absence, Team, TeamMember
from kpo.demo.reference import demo_today
from kpo.engine.capacity import monday_of
from kpo.experts.models import DomainChoice, ExpertDomain, ExpertProfile, ExpertStatus
from kpo.orgs.models import Organisation, OrganisationKind

PER_PROVIDER = 6
TEAMS = (2, 4)  # at least, at most per provider
TEAM_MIN_MEMBERS = 2
# (weeks from this week's Monday, first weekday, days, reason)
PATTERN = (
    (3, 0, 5, "Annual leave"),
    (1, 2, 2, "Training course"),
    (6, 0, 12, "Summer leave"),
    (2, 4, 1, "Day off"),
)


def _providers(organisations: dict[str, Organisation]) -> list[Organisation]:
    return sorted(
        (org for org in organisations.values() if org.kind == OrganisationKind.PROVIDER), key=lambda o: o.pk
    )


def _groups(provider: Organisation) -> list[tuple[str, list[int]]]:
    """The provider's teams as (name, expert ids): by domain, the largest first."""
    active = ExpertDomain.objects.filter(expert__organisation=provider, expert__status=ExpertStatus.ACTIVE)
    by_domain: dict[str, list[int]] = defaultdict(list)
    for expert_id, domain in active.order_by("expert_id").values_list("expert_id", "domain"):
        by_domain[domain].append(expert_id)
    with override("en"):
        labels = {code: str(label) for code, label in DomainChoice.choices}
    groups = [
        (f"{labels.get(d, d)} team", ids) for d, ids in by_domain.items() if len(ids) >= TEAM_MIN_MEMBERS
    ]
    groups.sort(key=lambda group: (-len(group[1]), group[0]))
    if len(groups) < TEAMS[0] and groups:
        team, ids = groups.pop(0)
        name = team.removesuffix(" team")
        rates = dict(ExpertProfile.objects.filter(id__in=ids).values_list("id", "bill_rate"))
        by_rate = sorted(ids, key=lambda pk: (-rates[pk], pk))
        half = len(by_rate) // 2
        groups[:0] = [(f"{name}: senior desk", by_rate[:half]), (f"{name}: delivery desk", by_rate[half:])]
    return groups[: TEAMS[1]]


def seed_teams(organisations: dict[str, Organisation]) -> Counter[str]:
    written: Counter[str] = Counter()
    for provider in _providers(organisations):
        for name, expert_ids in _groups(provider):
            team = Team.objects.create(organisation=provider, name=name)
            TeamMember.objects.bulk_create(TeamMember(team=team, expert_id=pk) for pk in expert_ids)
            written["teams"] += 1
            written["team members"] += len(expert_ids)
    return written


def seed_capacity(organisations: dict[str, Organisation]) -> Counter[str]:
    written: Counter[str] = Counter()
    monday = monday_of(demo_today())
    for provider in _providers(organisations):
        experts = (
            ExpertProfile.objects.filter(organisation=provider, status=ExpertStatus.ACTIVE)
            .select_related("user")
            .order_by("id")[:PER_PROVIDER]
        )
        for index, expert in enumerate(experts):
            weeks, weekday, days, reason = PATTERN[index % len(PATTERN)]
            start = monday + timedelta(weeks=weeks, days=weekday)
            Absence.objects.create(
                expert=expert,
                start=start,
                end=start + timedelta(days=days - 1),
                reason=reason,
                declared_by=expert.user,
            )
            written["absences"] += 1
    return written + seed_teams(organisations)
