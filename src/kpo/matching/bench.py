"""A client's private talent benches: named lists of experts it has worked with ("Trusted IFRS
reviewers"), kept by its admins. Matching offers bench members right after the client's own staff
(`TaskRequirements.bench_ids`); every eligibility rule still applies to them.

Who may be on a bench: an expert who worked on one of the client's tasks that was delivered (maker or
reviewer). The bench page suggests those the client rated well: a mean client rating of at least
SUGGEST_MIN_STARS over the client's tasks they made.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.core.access import get_visible_or_404, require
from kpo.core.errors import DomainError
from kpo.core.links import url_at
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import Role
from kpo.experts.models import ExpertProfile
from kpo.matching.models import BenchMember, TalentBench
from kpo.notices.services import notice_send
from kpo.orgs.access import access_own_organisation
from kpo.orgs.models import Organisation, OrganisationKind
from kpo.orgs.selectors import first_org_with_roles, org_ids_with_roles
from kpo.quality.models import ClientRating
from kpo.work.models import AssignmentRole, TaskStatus

BENCH_KEEPERS = {Role.CLIENT_ADMIN.value}
BENCH_READERS = {Role.CLIENT_ADMIN.value, Role.REQUESTER.value, Role.AUDITOR.value}
SUGGEST_MIN_STARS = 4.0
NAME_MAX = 120
DELIVERED_STATES = (TaskStatus.DELIVERED.value, TaskStatus.ACCEPTED.value)


# --- access -----------------------------------------------------------------------------------------


def benches_client_id(user: AnyUser) -> int | None:
    """The first client whose benches the user reads (its admins, requesters and auditors), or None."""
    return first_org_with_roles(user, BENCH_READERS, kind=OrganisationKind.CLIENT)


def access_client_benches(user: AnyUser, organisation_id: object, *, write: bool) -> Organisation:
    """A client's benches: read by its admins, requesters and auditors, kept by its admins (403);
    404 for everyone else and for providers."""
    organisation = access_own_organisation(user, organisation_id)
    if organisation.kind != OrganisationKind.CLIENT:
        raise Http404("Not found.")
    roles = BENCH_KEEPERS if write else BENCH_READERS
    require(
        organisation.pk in org_ids_with_roles(user, roles),
        _("Only the client's admins keep its talent benches."),
    )
    return organisation


def access_bench(user: AnyUser, bench_id: object, *, write: bool) -> TalentBench:
    readers = org_ids_with_roles(user, BENCH_READERS) if user.is_authenticated else set()
    bench = (
        TalentBench.objects.filter(client_id__in=readers, pk=_int(bench_id)).select_related("client").first()
    )
    if bench is None:
        raise Http404("Not found.")
    if write:
        require(
            bench.client_id in org_ids_with_roles(user, BENCH_KEEPERS),
            _("Only the client's admins keep its talent benches."),
        )
    return bench


def access_bench_member(user: AnyUser, bench_member_id: object) -> BenchMember:
    """A member of a bench the user reads (404 otherwise), for the client's admins to remove (403)."""
    readers = org_ids_with_roles(user, BENCH_READERS) if user.is_authenticated else set()
    member = get_visible_or_404(
        BenchMember.objects.filter(bench__client_id__in=readers).select_related(
            "bench__client", "expert__user", "expert__organisation", "added_by"
        ),
        bench_member_id,
    )
    require(
        member.bench.client_id in org_ids_with_roles(user, BENCH_KEEPERS),
        _("Only the client's admins keep its talent benches."),
    )
    return member


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404("Not found.") from None


# --- reads ------------------------------------------------------------------------------------------


def benches_of(client: Organisation) -> list[TalentBench]:
    return list(client.talent_benches.annotate(member_count=Count("members")).order_by("name", "id"))


def bench_members(bench: TalentBench) -> list[BenchMember]:
    return list(
        bench.members.select_related("expert__user", "expert__organisation", "added_by").order_by(
            "expert__user__last_name", "expert__user__first_name", "id"
        )
    )


def worked_with(client_id: int) -> QuerySet[ExpertProfile]:
    """Experts who worked on one of the client's delivered (or accepted) tasks."""
    return (
        ExpertProfile.objects.filter(
            assignments__task__engagement__client_id=client_id,
            assignments__task__status__in=DELIVERED_STATES,
        )
        .distinct()
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "id")
    )


def client_ratings_of(client_id: int, expert_ids: list[int]) -> dict[int, tuple[float, int]]:
    """{expert id: (mean stars, ratings)} of the client's ratings of the tasks each expert made."""
    if not expert_ids:
        return {}
    rows = (
        ClientRating.objects.filter(
            task__engagement__client_id=client_id,
            stars__isnull=False,
            task__assignments__expert_id__in=expert_ids,
            task__assignments__role=AssignmentRole.MAKER,
        )
        .values("task__assignments__expert_id")
        .annotate(mean=Avg("stars"), count=Count("id"))
    )
    return {row["task__assignments__expert_id"]: (float(row["mean"]), row["count"]) for row in rows}


@dataclass(frozen=True)
class Candidate:
    expert: ExpertProfile
    mean_stars: float | None
    ratings: int

    @property
    def suggested(self) -> bool:
        return self.mean_stars is not None and self.mean_stars >= SUGGEST_MIN_STARS


def bench_candidates(bench: TalentBench) -> list[Candidate]:
    """Experts the client worked with who are not on this bench, those rated well first."""
    on_bench = set(bench.members.values_list("expert_id", flat=True))
    experts = [expert for expert in worked_with(bench.client_id) if expert.pk not in on_bench]
    ratings = client_ratings_of(bench.client_id, [expert.pk for expert in experts])
    candidates = [Candidate(expert, *(ratings.get(expert.pk) or (None, 0))) for expert in experts]
    return sorted(candidates, key=lambda c: (not c.suggested, -(c.mean_stars or 0), c.expert.display_name))


def bench_names(client_id: int) -> dict[int, str]:
    """{expert id: the names of the client's benches they are on} (one query); matching's bench tier."""
    names: dict[int, list[str]] = {}
    rows = BenchMember.objects.filter(bench__client_id=client_id).values_list("expert_id", "bench__name")
    for expert_id, name in rows.order_by("bench__name"):
        names.setdefault(expert_id, []).append(name)
    return {expert_id: ", ".join(held) for expert_id, held in names.items()}


# --- writes -----------------------------------------------------------------------------------------


def _keeper(user: User, client: Organisation) -> None:
    if client.pk not in org_ids_with_roles(user, BENCH_KEEPERS):
        raise DomainError(_("Only the client's admins keep its talent benches."))


def _bench_name(client: Organisation, name: str, *, renaming: TalentBench | None = None) -> str:
    """The name trimmed; refused when blank, too long or already another bench's of the client."""
    text = (name or "").strip()
    if not text:
        raise DomainError(_("Give the bench a name."), field="name")
    if len(text) > NAME_MAX:
        raise DomainError(
            _("The name is too long: at most %(max)s characters.") % {"max": NAME_MAX}, field="name"
        )
    others = client.talent_benches.exclude(pk=renaming.pk) if renaming else client.talent_benches.all()
    if others.filter(name__iexact=text).exists():
        raise DomainError(_("There is already a bench named %(name)s.") % {"name": text}, field="name")
    return text


@transaction.atomic
def bench_create(*, user: User, client: Organisation, name: str) -> TalentBench:
    _keeper(user, client)
    text = _bench_name(client, name)
    bench = TalentBench.objects.create(client=client, name=text, created_by=user)
    audit(user, AuditEvent.BENCH_CHANGED, ("bench", bench.pk), client, {"bench": text, "action": "created"})
    return bench


@transaction.atomic
def bench_rename(*, user: User, bench: TalentBench, name: str) -> TalentBench:
    client = bench.client
    _keeper(user, client)
    text = _bench_name(client, name, renaming=bench)
    before = bench.name
    if text != before:
        bench.name = text
        bench.save(update_fields=["name", "updated_at"])
        audit(
            user,
            AuditEvent.BENCH_CHANGED,
            ("bench", bench.pk),
            client,
            {"bench": text, "action": "renamed", "before": before},
        )
    return bench


@transaction.atomic
def bench_member_add(*, user: User, bench: TalentBench, expert: ExpertProfile, note: str = "") -> BenchMember:
    """Invite an expert the client worked with to the bench; they are told."""
    client = bench.client
    _keeper(user, client)
    if not worked_with(client.pk).filter(pk=expert.pk).exists():
        raise DomainError(
            _("%(name)s has not delivered a task for %(client)s: a bench holds experts you have worked with.")
            % {"name": expert.display_name, "client": client.name},
            field="expert",
        )
    if len(note or "") > 300:
        raise DomainError(_("The note is too long: at most %(max)s characters.") % {"max": 300}, field="note")
    try:
        with transaction.atomic():
            member = BenchMember.objects.create(
                bench=bench, expert=expert, added_by=user, note=(note or "").strip()
            )
    except IntegrityError as error:
        raise DomainError(
            _("%(name)s is already on this bench.") % {"name": expert.display_name}, field="expert"
        ) from error
    audit(
        user,
        AuditEvent.BENCH_CHANGED,
        ("bench", bench.pk),
        client,
        {"bench": bench.name, "action": "added", "expert": expert.display_name, "expert_id": expert.pk},
    )
    bench_name, client_name = bench.name, client.name
    if expert.user.is_active:
        notice_send(
            users=[expert.user],
            kind="bench_invited",
            subject=lambda: _("%(client)s added you to a talent bench") % {"client": client_name},
            text=lambda: (
                _("%(client)s added you to its bench “%(bench)s”: it will offer you its tasks first.")
                % {"client": client_name, "bench": bench_name}
            ),
            url=url_at("expert_detail", "", expert_id=expert.pk),
            key=f"bench-member:{member.pk}",
        )
    return member


@transaction.atomic
def bench_member_remove(*, user: User, member: BenchMember) -> None:
    bench = member.bench
    _keeper(user, bench.client)
    expert = member.expert
    member.delete()
    audit(
        user,
        AuditEvent.BENCH_CHANGED,
        ("bench", bench.pk),
        bench.client,
        {"bench": bench.name, "action": "removed", "expert": expert.display_name, "expert_id": expert.pk},
    )
