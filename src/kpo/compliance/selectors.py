"""Reads: a client's policy, who has a conflict of interest with an engagement, where its data may go."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpo.compliance.models import (
    Competitor,
    CompliancePolicy,
    ConflictDeclaration,
    ConflictException,
    TransferCountry,
)
from kpo.compliance.residency import adequacy_decisions, allowed_countries, is_eea
from kpo.core.validators import country_name
from kpo.engine.org_names import normalise_name
from kpo.experts.models import Employment
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months, clamped to the month's end (31 Aug + 6 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def policy_for(client: Organisation) -> CompliancePolicy:
    """The client's saved policy, or the defaults (unsaved)."""
    policy = CompliancePolicy.objects.filter(client=client).first()
    return policy if policy is not None else CompliancePolicy.defaults_for(client)


def cooling_off_months(policy: CompliancePolicy, engagement: Engagement) -> int:
    return policy.sensitive_cooling_off_months if engagement.sensitive else policy.cooling_off_months


def competitors_of(client: Organisation) -> QuerySet[Competitor]:
    return Competitor.objects.filter(client=client).select_related("organisation")


def transfer_countries_of(client: Organisation) -> QuerySet[TransferCountry]:
    return TransferCountry.objects.filter(client=client).select_related("recorded_by")


def declarations_of(expert_id: int) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(expert_id=expert_id).select_related("client")


def exceptions_for(engagement: Engagement) -> QuerySet[ConflictException]:
    return ConflictException.objects.filter(engagement=engagement).select_related(
        "expert", "expert__user", "granted_by"
    )


# --- conflicts of interest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictReport:
    """Who has a conflict of interest with one engagement on one day."""

    months: int
    excluded: dict[int, str] = field(default_factory=dict)
    """Expert id → why (no exception recorded)."""
    excepted: dict[int, tuple[ConflictException, str]] = field(default_factory=dict)
    """Expert id → the exception that lets them through, and the conflict it overrides."""

    def requirement(self, client_name: str) -> str:
        return _(
            "no employment at a competitor of %(client)s within the cooling-off period (%(months)s months) "
            "and no declared conflict, unless an exception was recorded"
        ) % {"client": client_name, "months": self.months}


def _employment_reasons(
    engagement: Engagement,
    policy: CompliancePolicy,
    competitors: list[Competitor],
    months: int,
    today: dt.date,
    expert_ids: Iterable[int] | None,
) -> dict[int, list[str]]:
    client = engagement.client
    by_org = {c.organisation_id: c for c in competitors if c.organisation_id}
    by_key = {c.key: c for c in competitors}
    client_key = normalise_name(client.name)
    watch_client = policy.forbid_former_employees
    keys = set(by_key) | ({client_key} if watch_client else set())
    org_ids = set(by_org) | ({client.pk} if watch_client else set())
    if not keys and not org_ids:
        return {}
    # Both columns are indexed: the rows of the few matching employers, never a scan of every employer.
    match = Q(employer_key__in=sorted(keys)) | Q(employer_organisation_id__in=sorted(org_ids))
    loose_cutoff = today - dt.timedelta(days=31 * (months + 1))
    rows = Employment.objects.filter(match).filter(Q(end__isnull=True) | Q(end__gte=loose_cutoff))
    if expert_ids is not None:
        rows = rows.filter(expert_id__in=list(expert_ids))
    reasons: dict[int, list[str]] = {}
    for expert_id, employer, organisation_id, end in rows.values_list(
        "expert_id", "employer", "employer_organisation_id", "end"
    ):
        key = normalise_name(employer)
        competitor = by_org.get(organisation_id) or by_key.get(key)
        if competitor is not None:
            if end is None:
                reason = _("works at %(employer)s, a competitor of %(client)s") % {
                    "employer": employer,
                    "client": client.name,
                }
            elif today < (until := add_months(end, months)):
                reason = _(
                    "worked at %(employer)s until %(end)s; cooling-off %(months)s months, ends %(until)s"
                ) % {
                    "employer": employer,
                    "end": end.isoformat(),
                    "months": months,
                    "until": until.isoformat(),
                }
            else:
                continue
        elif watch_client and (organisation_id == client.pk or key == client_key):
            if end is None or end > today or today >= (until := add_months(end, months)):
                continue  # still on the client's staff, or the cooling-off is over
            reason = _(
                "worked at %(employer)s (the client) until %(end)s; the client excludes its former "
                "employees for %(months)s months, until %(until)s"
            ) % {"employer": employer, "end": end.isoformat(), "months": months, "until": until.isoformat()}
        else:
            continue
        if reason not in reasons.setdefault(expert_id, []):
            reasons[expert_id].append(reason)
    return reasons


def conflicts_for(
    engagement: Engagement,
    today: dt.date,
    *,
    expert_ids: Iterable[int] | None = None,
    policy: CompliancePolicy | None = None,
) -> ConflictReport:
    """Every expert (or those in `expert_ids`) with a conflict of interest with `engagement` on `today`:
    employment at one of the client's competitors that is ongoing or ended less than the cooling-off
    period ago, former employment at the client itself where its policy says so, or a declaration."""
    ids = list(expert_ids) if expert_ids is not None else None
    client = engagement.client
    policy = policy if policy is not None else policy_for(client)
    months = cooling_off_months(policy, engagement)
    competitors = list(Competitor.objects.filter(client=client))
    reasons = _employment_reasons(engagement, policy, competitors, months, today, ids)
    keys = {normalise_name(client.name)} | {c.key for c in competitors}
    declared = ConflictDeclaration.objects.filter(Q(client=client) | Q(key__in=keys))
    if ids is not None:
        declared = declared.filter(expert_id__in=ids)
    for expert_id, name in declared.values_list("expert_id", "name"):
        reason = _("declared a conflict of interest with %(name)s") % {"name": name}
        if reason not in reasons.setdefault(expert_id, []):
            reasons[expert_id].append(reason)
    excluded = {expert_id: "; ".join(lines) for expert_id, lines in reasons.items()}
    excepted: dict[int, tuple[ConflictException, str]] = {}
    if excluded:
        exceptions = ConflictException.objects.filter(engagement=engagement, expert_id__in=list(excluded))
        for exception in exceptions.select_related("granted_by"):
            excepted[exception.expert_id] = (exception, excluded.pop(exception.expert_id))
    return ConflictReport(months=months, excluded=excluded, excepted=excepted)


# --- data residency ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Residency:
    """Where one client's (or engagement's) personal data may go."""

    client: Organisation
    applies: bool
    """False when the engagement holds no personal data: no limit."""
    client_in_eea: bool
    added: list[TransferCountry]
    allowed: frozenset[str]

    @property
    def added_codes(self) -> frozenset[str]:
        return frozenset(t.country for t in self.added)

    def names(self, codes: Iterable[str]) -> list[str]:
        return sorted((country_name(code) for code in codes), key=str.casefold)

    @property
    def adequacy(self) -> list[tuple[str, str, str]]:
        """(name, scope note, decision) of each adequacy country, when they apply to this client."""
        if not self.client_in_eea:
            return []
        return sorted(
            (
                (country_name(a.country), a.covers_text() if a.partial else "", a.decision)
                for a in adequacy_decisions().values()
            ),
            key=lambda row: row[0].casefold(),
        )

    def detail(self, country: str) -> str:
        return _("is in %(country)s, outside the countries this engagement's personal data may go to") % {
            "country": country_name(country) if country else _("an unknown country")
        }

    def requirement(self) -> str:
        if self.client_in_eea:
            return _(
                "personal data: the expert must be in the EU/EEA, a country with an EU adequacy decision, "
                "or a country the client added with a transfer mechanism (%(count)s added)"
            ) % {"count": len(self.added)}
        return _("personal data: the expert must be in a country %(client)s lists (%(countries)s)") % {
            "client": self.client.name,
            "countries": ", ".join(self.names(self.added_codes)) or _("none"),
        }


def residency_of(client: Organisation, *, applies: bool = True) -> Residency:
    added = list(transfer_countries_of(client))
    codes = {t.country for t in added}
    return Residency(
        client=client,
        applies=applies,
        client_in_eea=is_eea(client.country),
        added=added,
        allowed=allowed_countries(client.country, codes),
    )


def residency_for(engagement: Engagement) -> Residency:
    return residency_of(engagement.client, applies=engagement.contains_personal_data)
