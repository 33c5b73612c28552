"""A provider's teams: named by its managers, who put its experts in them. Each change is validated
(a ValidationError names the field), saved atomically and audited as `provider_team_changed`."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.capacity.access import managed_provider_ids
from kpo.capacity.models import Team, TeamMember
from kpo.core.errors import DomainError
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation

MAX_NAME = 100
MAX_MEMBERS = 500


def _check_manager(user: User, provider_id: int) -> None:
    if provider_id not in managed_provider_ids(user):
        raise DomainError(_("Only the provider's managers change its teams."))


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _clean_name(provider_id: int, name: str, team_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise _invalid("name", _("Give the team a name."))
    if len(name) > MAX_NAME:
        raise _invalid("name", _("Keep the name under %(count)s characters.") % {"count": MAX_NAME})
    taken = Team.objects.filter(organisation_id=provider_id, name__iexact=name)
    if team_id is not None:
        taken = taken.exclude(pk=team_id)
    if taken.exists():
        raise _invalid("name", _("The provider already has a team of that name."))
    return name


def _clean_members(provider_id: int, expert_ids: Collection[object]) -> set[int]:
    try:
        wanted = {int(str(pk)) for pk in expert_ids}
    except ValueError as error:
        raise _invalid("members", _("Members are given by their expert ids.")) from error
    if len(wanted) > MAX_MEMBERS:
        raise _invalid("members", _("A team has at most %(count)s members.") % {"count": MAX_MEMBERS})
    known = set(
        ExpertProfile.objects.filter(organisation_id=provider_id, id__in=wanted).values_list("id", flat=True)
    )
    if known != wanted:
        raise _invalid(
            "members", _("Expert %(id)s is not one of the provider's experts.") % {"id": min(wanted - known)}
        )
    return wanted


def _set_members(team: Team, wanted: set[int]) -> tuple[list[int], list[int]]:
    current = set(team.memberships.values_list("expert_id", flat=True))
    added, removed = sorted(wanted - current), sorted(current - wanted)
    TeamMember.objects.filter(team=team, expert_id__in=removed).delete()
    TeamMember.objects.bulk_create(TeamMember(team=team, expert_id=pk) for pk in added)
    return added, removed


def _audit(user: User, team: Team, action: str, **details: object) -> None:
    record = {"action": action, "team_id": team.pk, "name": team.name, **details}
    audit(user, AuditEvent.PROVIDER_TEAM_CHANGED, ("team", team.pk), team.organisation, record)


@transaction.atomic
def team_create(*, user: User, provider: Organisation, name: str, members: Collection[object] = ()) -> Team:
    """A new team of `provider`, with `members` (expert ids of that provider)."""
    _check_manager(user, provider.pk)
    clean = _clean_name(provider.pk, name)
    wanted = _clean_members(provider.pk, members)
    team = Team.objects.create(organisation=provider, name=clean)
    added, _removed = _set_members(team, wanted)
    _audit(user, team, "created", added=added)
    return team


@transaction.atomic
def team_update(
    *, user: User, team: Team, name: str | None = None, members: Collection[object] | None = None
) -> Team:
    """Rename the team and/or set its members (what is not given stays as it is)."""
    _check_manager(user, team.organisation_id)
    before = team.name
    if name is not None:
        team.name = _clean_name(team.organisation_id, name, team.pk)
    wanted = None if members is None else _clean_members(team.organisation_id, members)
    team.save(update_fields=["name", "updated_at"])
    added, removed = _set_members(team, wanted) if wanted is not None else ([], [])
    _audit(
        user,
        team,
        "changed",
        renamed_from=before if before != team.name else "",
        added=added,
        removed=removed,
    )
    return team


@transaction.atomic
def team_delete(*, user: User, team: Team) -> None:
    _check_manager(user, team.organisation_id)
    members = sorted(team.memberships.values_list("expert_id", flat=True))
    _audit(user, team, "deleted", removed=members)
    team.delete()
