"""Need-to-know: who may open which document or deliverable version, and in which form. One place.

The rule, for material of a task (a client's document, or a deliverable version):

* the client's own people (admins, requesters, auditors) open their material as it is, always;
* on the provider side an expert (maker or reviewer) opens it only while (a) assigned to the task,
  (b) the task is open (not accepted or cancelled) and the assignment not removed, (c) their
  clearance is at least the material's level (public < internal < confidential < restricted) and
  (d) for confidential and restricted material, they signed the current version of the client's NDA
  in force. The engagement's provider managers open it under the same task, clearance and NDA rule
  (a manager without an expert profile holds the default clearance, confidential);
* provider auditors and operators do not open client material (they see that it exists);
* every provider-side copy is watermarked for its recipient; look-alike letters join the fingerprint only
  for restricted material (`look_alikes_for`), so other copies search and paste as ordinary text.

A document the user may not open answers 404 (and the attempt is logged by the vault).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kpo.confidentiality.models import NdaSignature, NdaTemplate, NdaVersion
from kpo.core.access import get_visible_or_404, require
from kpo.core.types import AnyUser
from kpo.engine.taxonomy import ConfidentialityLevel, Role
from kpo.experts.models import ExpertProfile
from kpo.orgs.models import Organisation
from kpo.orgs.selectors import first_org_with_roles, org_ids_with_roles
from kpo.work.access import CLIENT_READERS
from kpo.work.models import Task, TaskStatus

LEVELS: tuple[str, ...] = tuple(level.value for level in ConfidentialityLevel)
NDA_LEVELS = frozenset({ConfidentialityLevel.CONFIDENTIAL.value, ConfidentialityLevel.RESTRICTED.value})
DEFAULT_MANAGER_CLEARANCE = ConfidentialityLevel.CONFIDENTIAL.value
LOOK_ALIKE_LEVELS = frozenset({ConfidentialityLevel.RESTRICTED.value})
CLOSED_STATES = frozenset({TaskStatus.ACCEPTED.value, TaskStatus.CANCELLED.value})


def rank(level: str) -> int:
    """0 for public ... 3 for restricted; an unknown level ranks above everything (fails closed)."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def cleared_for(clearance: str, level: str) -> bool:
    return clearance in LEVELS and rank(clearance) >= rank(level)


def look_alikes_for(level: str) -> bool:
    """Whether a copy of material at `level` carries look-alike letters: restricted (or an unknown level,
    failing closed) only."""
    return level in LOOK_ALIKE_LEVELS or level not in LEVELS


class Reason:
    """Why material is locked (codes; the words are in REASON_TEXT)."""

    NOT_ASSIGNED = "not_assigned"
    TASK_CLOSED = "task_closed"
    CLEARANCE = "clearance"
    NDA = "nda"
    NO_NDA = "no_nda"
    NOT_PERMITTED = "not_permitted"


REASON_TEXT: dict[str, Promise] = {
    Reason.NOT_ASSIGNED: _("Only the experts assigned to this task open its material."),
    Reason.TASK_CLOSED: _("The task is closed, so its material no longer opens for the provider side."),
    Reason.CLEARANCE: _("Your clearance is below this material's level."),
    Reason.NDA: _("Sign the client's NDA to open confidential material."),
    Reason.NO_NDA: _("The client has no NDA in force yet, so its confidential material stays closed."),
    Reason.NOT_PERMITTED: _("Your role does not open client material."),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    watermark: bool = False
    reason: str = ""
    """A `Reason` code when not allowed."""

    @property
    def reason_text(self) -> str:
        return str(REASON_TEXT.get(self.reason, "")) if self.reason else ""


OPEN_ORIGINAL = Decision(allowed=True, watermark=False)
OPEN_WATERMARKED = Decision(allowed=True, watermark=True)


@dataclass(frozen=True)
class Viewer:
    """What the rule needs to know about one user on one task (built with a few queries)."""

    client_side: bool
    manager: bool
    assigned: bool
    task_open: bool
    clearance: str
    nda_version: NdaVersion | None
    """The current version of the client's NDA in force (None when there is none)."""
    nda_signed: bool

    def decide(self, level: str) -> Decision:
        if self.client_side:
            return OPEN_ORIGINAL
        if not (self.assigned or self.manager):
            return Decision(allowed=False, reason=Reason.NOT_ASSIGNED)
        if not self.task_open:
            return Decision(allowed=False, reason=Reason.TASK_CLOSED)
        if not cleared_for(self.clearance, level):
            return Decision(allowed=False, reason=Reason.CLEARANCE)
        if level in NDA_LEVELS or level not in LEVELS:
            if self.nda_version is None:
                return Decision(allowed=False, reason=Reason.NO_NDA)
            if not self.nda_signed:
                return Decision(allowed=False, reason=Reason.NDA)
        return OPEN_WATERMARKED


def nda_in_force(client_id: int) -> NdaVersion | None:
    """The current version of the client's NDA in force, or None."""
    template = NdaTemplate.objects.filter(client_id=client_id, in_force=True).first()
    if template is None:
        return None
    return template.versions.select_related("template").order_by("-number").first()


def has_signed(user: AnyUser, version: NdaVersion | None) -> bool:
    if version is None or not user.is_authenticated:
        return False
    return NdaSignature.objects.filter(version=version, signer_id=user.pk).exists()


def viewer_for(user: AnyUser, task: Task) -> Viewer:
    """The facts the rule needs about `user` on `task` (cached on the user object per task)."""
    cache: dict[int, Viewer] = getattr(user, "_kpo_vault_viewers", None) or {}
    if task.pk in cache:
        return cache[task.pk]
    engagement = task.engagement
    client_side = engagement.client_id in org_ids_with_roles(user, CLIENT_READERS)
    manager = engagement.provider_id in org_ids_with_roles(user, {Role.PROVIDER_MANAGER.value})
    profile: ExpertProfile | None = (
        getattr(user, "expert_profile", None) if user.is_authenticated and not client_side else None
    )  # the time-zone middleware has usually loaded it already
    assigned = profile is not None and task.assignments.filter(expert_id=profile.pk).exists()
    nda_version = None
    signed = False
    if not client_side and (assigned or manager):
        nda_version = nda_in_force(engagement.client_id)
        signed = has_signed(user, nda_version)
    viewer = Viewer(
        client_side=client_side,
        manager=manager,
        assigned=assigned,
        task_open=task.status not in CLOSED_STATES,
        clearance=profile.clearance if profile is not None else DEFAULT_MANAGER_CLEARANCE,
        nda_version=nda_version,
        nda_signed=signed,
    )
    if user.is_authenticated:
        cache[task.pk] = viewer
        setattr(user, "_kpo_vault_viewers", cache)  # noqa: B010
    return viewer


def forget_viewer(user: AnyUser) -> None:
    """Drop the cached facts (after signing an NDA, say)."""
    if hasattr(user, "_kpo_vault_viewers"):
        setattr(user, "_kpo_vault_viewers", {})  # noqa: B010


def document_decision(user: AnyUser, task: Task, level: str) -> Decision:
    return viewer_for(user, task).decide(level)


# --- NDAs and the client's vault pages ----------------------------------------------------------------


def _client_orgs(user: AnyUser, roles: set[str]) -> set[int]:
    return org_ids_with_roles(user, roles) if user.is_authenticated else set()


def client_ids_with_need(user: AnyUser) -> set[int]:
    """Clients whose NDA this user may read and sign: those whose tasks they are assigned to, or whose
    engagements their provider delivers (as its manager)."""
    from kpo.work.models import Assignment, Engagement

    if not user.is_authenticated:
        return set()
    ids = set(
        Assignment.objects.filter(expert__user_id=user.pk).values_list(
            "task__engagement__client_id", flat=True
        )
    )
    managed = _client_orgs(user, {Role.PROVIDER_MANAGER.value})
    if managed:
        ids |= set(Engagement.objects.filter(provider_id__in=managed).values_list("client_id", flat=True))
    # An overflow provider's experts and managers sign the NDA of a client that approved it, before
    # they may be offered its confidential tasks (the "nda" matching rule).
    from kpo.experts.models import ExpertProfile
    from kpo.work.models import OverflowProvider

    own = set(ExpertProfile.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True))
    overflow = OverflowProvider.objects.filter(provider_id__in=sorted(own | managed))
    ids |= set(overflow.values_list("engagement__client_id", flat=True))
    return ids


def nda_templates_visible_to(user: AnyUser) -> QuerySet[NdaTemplate]:
    if not user.is_authenticated:
        return NdaTemplate.objects.none()
    clients = _client_orgs(user, CLIENT_READERS) | client_ids_with_need(user)
    return NdaTemplate.objects.filter(client_id__in=clients)


def access_nda_template(
    user: AnyUser, nda_template_id: object, *, admin: bool = False, keeper: bool = False
) -> NdaTemplate:
    """An NDA the user may read; `admin`: one they change (the client's admins); `keeper`: one whose whole
    record (every version) they keep or read (the client's admins and auditors)."""
    template = get_visible_or_404(nda_templates_visible_to(user).select_related("client"), nda_template_id)
    if admin:
        require(
            template.client_id in _client_orgs(user, {Role.CLIENT_ADMIN.value}),
            str(_("Only the client's admins change its NDAs.")),
        )
    elif keeper:
        require(
            template.client_id in _client_orgs(user, VAULT_READERS),
            str(_("Only the client's admins and auditors see its vault.")),
        )
    return template


VAULT_READERS = {Role.CLIENT_ADMIN.value, Role.AUDITOR.value}


def vault_client_id(user: AnyUser) -> int | None:
    """The first client whose vault the user keeps or reads (its admins and auditors), or None."""
    return first_org_with_roles(user, VAULT_READERS, kind="client")


def access_client_vault(user: AnyUser, organisation_id: object, *, admin: bool = False) -> Organisation:
    """A client organisation whose NDAs, downloads and traces the user keeps (admins) or reads (auditors)."""
    readers = VAULT_READERS
    visible = Organisation.objects.filter(pk__in=_client_orgs(user, readers | CLIENT_READERS), kind="client")
    organisation = get_visible_or_404(visible, organisation_id)
    roles = readers if not admin else {Role.CLIENT_ADMIN.value}
    require(
        organisation.pk in _client_orgs(user, roles),
        str(
            _("Only the client's admins keep its NDAs and trace leaks.")
            if admin
            else _("Only the client's admins and auditors see its vault.")
        ),
    )
    return organisation


def signatures_visible_to(user: AnyUser) -> QuerySet[NdaSignature]:
    """The signer's own signatures, and every signature of the NDAs of clients the user administers or
    audits."""
    if not user.is_authenticated:
        return NdaSignature.objects.none()
    clients = _client_orgs(user, {Role.CLIENT_ADMIN.value, Role.AUDITOR.value})
    return NdaSignature.objects.filter(Q(signer_id=user.pk) | Q(version__template__client_id__in=clients))


def access_nda_signature(user: AnyUser, nda_signature_id: object) -> NdaSignature:
    return get_visible_or_404(
        signatures_visible_to(user).select_related("version__template__client", "signer"), nda_signature_id
    )
