"""The demo world's conflicts of interest and data residency.

Nordvind declares two gearbox makers as competitors, and one Indus Insight consultant (the one whose
skills best fit the production efficiency programme's open task) left one of them on 31 August 2026:
"Find experts" shows them excluded, with the reason, until the cooling-off ends on 28 February 2027.
Kystbanken's IFRS 9 validation holds loan-level personal data, so Indian experts are excluded from it
until the bank adds India with standard contractual clauses (it has not, in the demo).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count

from kpo.compliance.models import Competitor, CompliancePolicy
from kpo.demo.organisations import BANK, INDIA, MANUFACTURER
from kpo.demo.reference import moved
from kpo.engine.org_names import normalise_name
from kpo.experts.models import Employment, ExpertProfile
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement, Task, TaskSkill

COMPETITORS = ("Flender GmbH", "ZF Wind Power")
RECENT_EMPLOYER = "Flender GmbH"
CONFLICTED_ENGAGEMENT = "Production efficiency programme — Aalborg gearbox plant"
PERSONAL_DATA_ENGAGEMENT = "Kystbanken: IFRS 9 expected-credit-loss model validation"
NAMED = ("carol", "rita")  # the named accounts keep their histories


def seed_compliance(organisations: dict[str, Organisation]) -> Counter[str]:
    written: Counter[str] = Counter()
    manufacturer = organisations[MANUFACTURER]
    CompliancePolicy.objects.create(client=manufacturer)  # the defaults, saved: 6 and 12 months
    for name in COMPETITORS:
        Competitor.objects.create(client=manufacturer, name=name, key=normalise_name(name))
        written["competitors"] += 1
    expert = _best_fit(organisations[INDIA])
    if expert is not None:
        Employment.objects.create(
            expert=expert,
            employer=RECENT_EMPLOYER,
            title="Gear production engineer",
            start=moved(date(2021, 4, 1)),
            end=moved(date(2026, 8, 31)),  # left 12 weeks ago: inside the cooling-off
        )
        written["employments"] += 1
    written["engagements_with_personal_data"] = Engagement.objects.filter(
        client=organisations[BANK], title=PERSONAL_DATA_ENGAGEMENT
    ).update(contains_personal_data=True)
    return written


def _best_fit(provider: Organisation) -> ExpertProfile | None:
    """The provider's (generated) consultant holding most of the skills of the programme's first open
    task; any of its consultants, or any of its experts, when none holds one (small demo worlds)."""
    task = (
        Task.objects.filter(engagement__title=CONFLICTED_ENGAGEMENT, status__in=["submitted", "staffing"])
        .order_by("id")
        .first()
    )
    staff = ExpertProfile.objects.filter(organisation=provider, status="active").exclude(
        user__username__in=NAMED
    )
    consultants = staff.filter(domains__domain="management_consulting")
    if task is not None:
        skills = TaskSkill.objects.filter(task=task).values("skill_id")
        fit = (
            consultants.filter(skills__skill_id__in=skills)
            .annotate(held=Count("skills"))
            .order_by("-held", "id")
            .first()
        )
        if fit is not None:
            return fit
    return consultants.order_by("id").first() or staff.order_by("id").first()
