"""Writes: a client's compliance policy, competitors and transfer countries; experts' declarations;
reviewed exceptions. Each validates its input (errors name the field), saves atomically and audits.

Callers check access first (kpo.compliance.access); the services check the role again where a wrong
caller would do harm (exceptions).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.compliance.access import can_grant_exceptions
from kpo.compliance.models import (
    MAX_COOLING_OFF_MONTHS,
    Competitor,
    CompliancePolicy,
    ConflictDeclaration,
    ConflictException,
    TransferCountry,
    TransferMechanism,
)
from kpo.compliance.residency import default_countries, is_eea
from kpo.compliance.rules import assignment_refusal
from kpo.compliance.selectors import conflicts_for, policy_for
from kpo.core.clock import installation_date
from kpo.core.errors import DomainError
from kpo.core.validators import country_codes, country_name
from kpo.engine.org_names import normalise_name
from kpo.engine.taxonomy import Role
from kpo.experts.models import ExpertProfile
from kpo.notices.services import notice_send
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import members_with_roles, memberships_of
from kpo.work.models import Engagement, Task


def _client(client: Organisation) -> None:
    if client.kind != OrganisationKind.CLIENT:
        raise DomainError(_("Only client organisations have a compliance policy."), field="organisation")


def _months(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: [_("Enter a whole number of months.")]})
    if value < 0:
        raise ValidationError({field: [_("The number of months cannot be negative.")]})
    if value > MAX_COOLING_OFF_MONTHS:
        raise ValidationError({field: [_("At most %(max)s months.") % {"max": MAX_COOLING_OFF_MONTHS}]})
    return value


@transaction.atomic
def policy_update(
    *,
    user: User,
    client: Organisation,
    cooling_off_months: int,
    sensitive_cooling_off_months: int,
    forbid_former_employees: bool,
) -> CompliancePolicy:
    _client(client)
    normal = _months("cooling_off_months", cooling_off_months)
    sensitive = _months("sensitive_cooling_off_months", sensitive_cooling_off_months)
    if sensitive < normal:
        raise ValidationError(
            {
                "sensitive_cooling_off_months": [
                    _("Must be at least the normal cooling-off period (%(months)s months).")
                    % {"months": normal}
                ]
            }
        )
    policy = policy_for(client)
    before = _policy_facts(policy)
    policy.cooling_off_months = normal
    policy.sensitive_cooling_off_months = sensitive
    policy.forbid_former_employees = bool(forbid_former_employees)
    policy.updated_by = user
    policy.full_clean()
    policy.save()
    after = _policy_facts(policy)
    if before != after:
        details = {"change": "policy", "before": before, "after": after}
        target = ("compliance_policy", policy.pk)
        audit(user, AuditEvent.CONFLICT_DECLARED, target, client, details)
    return policy


def _policy_facts(policy: CompliancePolicy) -> dict[str, Any]:
    return {
        "cooling_off_months": policy.cooling_off_months,
        "sensitive_cooling_off_months": policy.sensitive_cooling_off_months,
        "forbid_former_employees": policy.forbid_former_employees,
    }


@transaction.atomic
def competitor_add(
    *, user: User, client: Organisation, name: str, organisation: Organisation | None = None
) -> Competitor:
    _client(client)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Enter the competitor's name.")]})
    if organisation is not None and organisation.pk == client.pk:
        raise ValidationError({"organisation": [_("An organisation is not its own competitor.")]})
    key = normalise_name(name)
    if Competitor.objects.filter(client=client, key=key).exists():
        raise ValidationError({"name": [_("%(name)s is already on the list.") % {"name": name}]})
    competitor = Competitor(client=client, name=name, key=key, organisation=organisation, created_by=user)
    details = {
        "change": "competitor_added",
        "name": name,
        "organisation_id": organisation.pk if organisation else None,
    }
    _save(user, AuditEvent.CONFLICT_DECLARED, ("competitor", competitor), client, details)
    return competitor


@transaction.atomic
def competitor_remove(*, user: User, competitor: Competitor) -> None:
    details = {"change": "competitor_removed", "name": competitor.name}
    _remove(user, AuditEvent.CONFLICT_DECLARED, ("competitor", competitor), competitor.client, details)


Listed = CompliancePolicy | Competitor | TransferCountry | ConflictDeclaration | ConflictException


def _save(
    user: User, event: str, target: tuple[str, Listed], organisation: Organisation, details: dict[str, Any]
) -> None:
    """Validate and save the target (an object type and the instance), and audit the change."""
    object_type, instance = target
    instance.full_clean()
    instance.save()
    audit(user, event, (object_type, instance.pk), organisation, details)


def _remove(
    user: User, event: str, target: tuple[str, Listed], organisation: Organisation, details: dict[str, Any]
) -> None:
    """Delete the target and audit the deletion under the id it had."""
    object_type, instance = target
    object_id = instance.pk
    instance.delete()
    audit(user, event, (object_type, object_id), organisation, details)


NOTE_REQUIRED = {TransferMechanism.DEROGATION, TransferMechanism.OTHER}


@transaction.atomic
def transfer_country_add(
    *, user: User, client: Organisation, country: str, mechanism: str, note: str = ""
) -> TransferCountry:
    """Allow personal data to go to `country` because `mechanism` is in place (recorded, audited)."""
    _client(client)
    country = country.strip().upper()
    note = note.strip()
    if country not in country_codes():
        raise ValidationError(
            {"country": [_("%(value)s is not an ISO 3166 country code.") % {"value": country}]}
        )
    if mechanism not in TransferMechanism.values:
        raise ValidationError({"mechanism": [_("Choose a transfer mechanism from the list.")]})
    eea_client = is_eea(client.country)
    if eea_client and mechanism == TransferMechanism.NOT_NEEDED:
        raise ValidationError(
            {"mechanism": [_("A client in the EU/EEA needs a transfer mechanism for this country.")]}
        )
    if country in default_countries(client.country):
        raise ValidationError(
            {
                "country": [
                    _("%(country)s is already allowed (EU/EEA or EU adequacy decision).")
                    % {"country": country_name(country)}
                ]
            }
        )
    if mechanism in NOTE_REQUIRED and not note:
        raise ValidationError({"note": [_("Say which derogation or mechanism applies, and why.")]})
    if TransferCountry.objects.filter(client=client, country=country).exists():
        raise ValidationError(
            {"country": [_("%(country)s is already on the list.") % {"country": country_name(country)}]}
        )
    transfer = TransferCountry(
        client=client, country=country, mechanism=mechanism, note=note, recorded_by=user
    )
    details = {"change": "added", "country": country, "mechanism": mechanism, "note": note}
    _save(user, AuditEvent.RESIDENCY_CHANGED, ("transfer_country", transfer), client, details)
    return transfer


@transaction.atomic
def transfer_country_remove(*, user: User, transfer: TransferCountry) -> None:
    details = {"change": "removed", "country": transfer.country, "mechanism": transfer.mechanism}
    _remove(user, AuditEvent.RESIDENCY_CHANGED, ("transfer_country", transfer), transfer.client, details)


@transaction.atomic
def conflict_declare(
    *, user: User, expert: ExpertProfile, name: str, note: str = "", client: Organisation | None = None
) -> ConflictDeclaration:
    """The expert declares a conflict with an organisation (a client, or a competitor of one)."""
    if expert.user_id != user.pk:
        raise DomainError(_("Experts declare their own conflicts."), field="expert")
    name = name.strip() or (client.name if client is not None else "")
    if not name:
        raise ValidationError({"name": [_("Name the organisation you have a conflict with.")]})
    if client is not None and client.kind != OrganisationKind.CLIENT:
        raise ValidationError({"client": [_("Choose a client organisation.")]})
    key = normalise_name(name)
    if ConflictDeclaration.objects.filter(expert=expert, key=key, client=client).exists():
        raise ValidationError({"name": [_("You have already declared this conflict.")]})
    declaration = ConflictDeclaration(expert=expert, name=name, key=key, note=note.strip(), client=client)
    details = {"change": "declared", "expert_id": expert.pk, "name": name}
    organisation = client or expert.organisation
    _save(user, AuditEvent.CONFLICT_DECLARED, ("conflict_declaration", declaration), organisation, details)
    return declaration


@transaction.atomic
def conflict_withdraw(*, user: User, declaration: ConflictDeclaration) -> None:
    if declaration.expert.user_id != user.pk:
        raise DomainError(_("Experts withdraw only their own declarations."), field="expert")
    details = {"change": "withdrawn", "expert_id": declaration.expert_id, "name": declaration.name}
    organisation = declaration.client or declaration.expert.organisation
    _remove(user, AuditEvent.CONFLICT_DECLARED, ("conflict_declaration", declaration), organisation, details)


@transaction.atomic
def exception_grant(
    *,
    user: User,
    engagement: Engagement,
    expert: ExpertProfile,
    justification: str,
    now: dt.datetime | None = None,
) -> ConflictException:
    """A reviewed exception: `expert` may work on `engagement` despite their conflict of interest."""
    if not can_grant_exceptions(user, engagement):
        raise DomainError(_("Only the client's admins and the provider's managers record exceptions."))
    justification = justification.strip()
    if not justification:
        raise ValidationError({"justification": [_("Explain why the conflict is acceptable.")]})
    if ConflictException.objects.filter(engagement=engagement, expert=expert).exists():
        raise ValidationError({"expert": [_("This expert already has an exception for this engagement.")]})
    report = conflicts_for(engagement, installation_date(now or timezone.now()), expert_ids=[expert.pk])
    conflict = report.excluded.get(expert.pk)
    if conflict is None:
        raise DomainError(
            _("%(name)s has no conflict of interest with this engagement.") % {"name": expert.display_name},
            field="expert",
        )
    exception = ConflictException(
        expert=expert,
        engagement=engagement,
        justification=justification,
        conflict=conflict[:1000],
        granted_by=user,
    )
    details = {
        "change": "granted",
        "engagement_id": engagement.pk,
        "expert_id": expert.pk,
        "conflict": conflict,
        "justification": justification,
    }
    _save(user, AuditEvent.EXCEPTION_GRANTED, ("conflict_exception", exception), engagement.client, details)
    _tell_the_other_side(user, exception)
    return exception


def _tell_the_other_side(user: User, exception: ConflictException) -> None:
    """The client's admins hear of an exception a provider recorded, and the other way round."""
    engagement = exception.engagement
    if engagement.client_id in {m.organisation_id for m in memberships_of(user)}:
        other = members_with_roles(engagement.provider_id, {Role.PROVIDER_MANAGER.value})
    else:
        other = members_with_roles(engagement.client_id, {Role.CLIENT_ADMIN.value})
    people = [person for person in other if person.pk != user.pk]
    if not people:
        return
    expert, justification = exception.expert.display_name, exception.justification[:200]

    def text() -> str:
        return _("Conflict-of-interest exception for %(expert)s on %(engagement)s: %(justification)s") % {
            "expert": expert,
            "engagement": engagement.title,
            "justification": justification,
        }

    url = reverse("engagement_detail", kwargs={"engagement_id": engagement.pk})
    transaction.on_commit(
        lambda: notice_send(
            users=people, kind="conflict_exception", text=text, url=url, key=f"coi-exception-{exception.pk}"
        )
    )


@transaction.atomic
def exception_revoke(*, user: User, exception: ConflictException) -> None:
    if not can_grant_exceptions(user, exception.engagement):
        raise DomainError(_("Only the client's admins and the provider's managers revoke exceptions."))
    details = {
        "change": "revoked",
        "engagement_id": exception.engagement_id,
        "expert_id": exception.expert_id,
        "justification": exception.justification,
    }
    client = exception.engagement.client
    _remove(user, AuditEvent.EXCEPTION_GRANTED, ("conflict_exception", exception), client, details)


def assignment_check(task: Task, expert: ExpertProfile, role: str) -> str | None:
    """Why the conflict-of-interest or residency rule excludes `expert` from `task` in any role, with
    the same reason matching gives, or None. Registered with kpo.work.extensions (staffing a task)."""
    reason = assignment_refusal(task, expert, timezone.now())
    if reason is None:
        return None
    return _("%(name)s cannot work on this task: %(reason)s.") % {
        "name": expert.display_name,
        "reason": reason,
    }
