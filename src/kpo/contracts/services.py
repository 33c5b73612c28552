"""Writes for statements of work: drafting, editing, proposing, signing, change requests and links.

Each runs in one transaction and is audited. The side a user acts for comes from `access.side_of`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from kpo.audit.models import AuditEvent
from kpo.audit.services import audit
from kpo.contracts.access import side_of
from kpo.contracts.models import (
    OPEN_STATUSES,
    MilestoneSowLink,
    Side,
    SowApproval,
    SowItem,
    SowStatus,
    SowVersion,
    StatementOfWork,
    TaskSowLink,
)
from kpo.core.errors import DomainError
from kpo.core.signing import clean_ip, names_match, signer_name
from kpo.engine import sow as engine
from kpo.orgs.models import Organisation
from kpo.work.models import Engagement, Task


def content_of(version: SowVersion) -> engine.Content:
    return engine.Content(
        scope=version.scope,
        deliverables=version.deliverables,
        acceptance_criteria=version.acceptance_criteria,
        milestones=version.milestones,
        assumptions=version.assumptions,
        change_procedure=version.change_procedure,
        items=tuple(engine.Item(code=item.code, title=item.title) for item in version.items.all()),
    )


def _item_message(error: engine.ItemError) -> str:
    messages = {
        engine.ItemProblem.NO_CODE: _(
            "Line %(line)s: write the item as “code: title”, e.g. “D1: Final report”."
        ),
        engine.ItemProblem.BAD_CODE: _(
            "Line %(line)s: the code “%(code)s” may hold only letters, digits, dots and dashes."
        ),
        engine.ItemProblem.LONG_CODE: _("Line %(line)s: the code “%(code)s” is longer than 12 characters."),
        engine.ItemProblem.NO_TITLE: _("Line %(line)s: item %(code)s has no title."),
        engine.ItemProblem.LONG_TITLE: _(
            "Line %(line)s: the title of item %(code)s is longer than 200 characters."
        ),
        engine.ItemProblem.REPEATED: _("Line %(line)s: the code %(code)s is used twice."),
        engine.ItemProblem.TOO_MANY: _("Line %(line)s: a SOW holds at most 100 items."),
    }
    return messages[error.problem] % {"line": error.line, "code": error.code}


def validated_content(data: dict[str, Any]) -> engine.Content:
    """The content from submitted fields (sections and `items` as text), or a ValidationError naming each
    field that is wrong and why."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for name in engine.SECTIONS:
        value = engine.normalise(str(data.get(name) or ""))
        if "\x00" in value:
            errors[name] = _("The text contains characters that cannot be stored.")
        elif len(value) > engine.MAX_SECTION:
            errors[name] = _("The text is longer than %(limit)s characters.") % {"limit": engine.MAX_SECTION}
        elif name in engine.REQUIRED_SECTIONS and not value:
            errors[name] = _("This section is required in a statement of work.")
        values[name] = value
    items: tuple[engine.Item, ...] = ()
    try:
        items = engine.parse_items(str(data.get("items") or ""))
    except engine.ItemError as error:
        errors["items"] = _item_message(error)
    if errors:
        raise ValidationError(errors)
    return engine.Content(items=items, **values)


def _organisation(engagement: Engagement, side: str) -> Organisation:
    return engagement.client if side == Side.CLIENT else engagement.provider


def _require_side(user: User, engagement: Engagement) -> str:
    side = side_of(user, engagement)
    if side is None:
        raise DomainError(
            _("Only the client's admins and requesters and the provider's managers negotiate the SOW.")
        )
    return side


def _write(version: SowVersion, content: engine.Content) -> None:
    for name in engine.SECTIONS:
        setattr(version, name, content.section(name))
    version.content_sha256 = engine.content_sha256(content)
    version.save()
    version.items.all().delete()
    SowItem.objects.bulk_create(
        SowItem(version=version, position=position, code=item.code, title=item.title)
        for position, item in enumerate(content.items, start=1)
    )


def _new_version(
    sow: StatementOfWork, *, user: User, side: str, content: engine.Content, change_reason: str = ""
) -> SowVersion:
    latest = sow.versions.order_by("-number").first()
    version = SowVersion(
        sow=sow,
        number=(latest.number + 1) if latest else 1,
        status=SowStatus.DRAFT,
        held_by=side,
        change_reason=change_reason,
        created_by=user,
    )
    _write(version, content)
    return version


def _audit(user: User, event: str, version: SowVersion, side: str, **details: Any) -> None:
    engagement = version.sow.engagement
    facts = {
        "engagement": engagement.pk,
        "version": version.number,
        "status": version.status,
        "side": side,
        "sha256": version.content_sha256,
        **details,
    }
    audit(user, event, ("sow_version", version.pk), _organisation(engagement, side), facts)


@transaction.atomic
def sow_draft(*, user: User, engagement: Engagement, data: dict[str, Any]) -> SowVersion:
    """The client's first draft of the engagement's SOW (version 1, held by the client)."""
    if side_of(user, engagement) != Side.CLIENT:
        raise DomainError(_("The client's admins and requesters draft the statement of work."))
    content = validated_content(data)
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
    if StatementOfWork.objects.filter(engagement=engagement).exists():
        raise DomainError(_("This engagement already has a statement of work."), field="engagement")
    sow = StatementOfWork.objects.create(engagement=engagement, created_by=user)
    version = _new_version(sow, user=user, side=Side.CLIENT, content=content)
    _audit(user, AuditEvent.SOW_DRAFTED, version, Side.CLIENT, created=True)
    return version


def _locked(version: SowVersion) -> SowVersion:
    """The version re-read under a row lock, so two people acting on it at once act in turn."""
    fresh = SowVersion.objects.select_for_update().select_related("sow__engagement").get(pk=version.pk)
    fresh.sow.engagement = version.sow.engagement
    return fresh


@transaction.atomic
def sow_version_save(*, user: User, version: SowVersion, data: dict[str, Any]) -> SowVersion:
    """Edit a draft in place (its holder side only), or answer a proposal with a counter-proposal: a new
    draft version held by the editor's side, the proposal superseded. Approved versions change only
    through a change request."""
    side = _require_side(user, version.sow.engagement)
    content = validated_content(data)
    version = _locked(version)
    if version.status == SowStatus.DRAFT:
        if version.held_by != side:
            raise DomainError(_("This draft is the other side's until they propose it."), field="version")
        changed = engine.content_sha256(content) != version.content_sha256
        _write(version, content)
        if changed:
            _audit(user, AuditEvent.SOW_DRAFTED, version, side, created=False)
        return version
    if version.status == SowStatus.PROPOSED:
        now = timezone.now()
        version.status = SowStatus.SUPERSEDED
        version.superseded_at = now
        version.save(update_fields=["status", "superseded_at", "updated_at"])
        counter = _new_version(version.sow, user=user, side=side, content=content)
        _audit(user, AuditEvent.SOW_DRAFTED, counter, side, created=True, counter_to=version.number)
        return counter
    raise DomainError(
        _("An approved or superseded version is not edited; request a change instead."), field="version"
    )


@transaction.atomic
def sow_propose(*, user: User, version: SowVersion, now: datetime | None = None) -> SowVersion:
    """The holder side sends its draft to the other side; the content is fixed from now on."""
    side = _require_side(user, version.sow.engagement)
    version = _locked(version)
    if version.status != SowStatus.DRAFT:
        raise DomainError(_("Only a draft can be proposed."), field="version")
    if version.held_by != side:
        raise DomainError(_("This draft is the other side's until they propose it."), field="version")
    version.status = SowStatus.PROPOSED
    version.proposed_by = user
    version.proposed_at = now or timezone.now()
    version.save(update_fields=["status", "proposed_by", "proposed_at", "updated_at"])
    _audit(user, AuditEvent.SOW_PROPOSED, version, side, to=version.other_side)
    return version


@transaction.atomic
def sow_approve(
    *,
    user: User,
    version: SowVersion,
    typed_name: str,
    content_sha256: str,
    ip: str | None = None,
    now: datetime | None = None,
) -> SowApproval:
    """Sign a proposed version for one's side with one's typed full name, over the content one read
    (`content_sha256`). When both sides have signed the same content the version is approved, the one
    approved before it superseded, and links carry over by item code."""
    engagement = version.sow.engagement
    side = _require_side(user, engagement)
    full_name = signer_name(user.get_full_name(), user.get_username())
    if not names_match(typed_name, full_name):
        raise ValidationError(
            {
                "typed_name": _("Type your full name exactly as on your account: %(name)s.")
                % {"name": full_name}
            }
        )
    version = _locked(version)
    if version.status != SowStatus.PROPOSED:
        raise DomainError(_("Only a proposed version can be approved."), field="version")
    if content_sha256.strip().lower() != version.content_sha256:
        raise DomainError(
            _("The statement of work changed since you opened it: read the current version and sign again."),
            field="content_sha256",
        )
    if version.approvals.filter(side=side).exists():
        raise DomainError(_("Your side has already signed this version."), field="version")
    now = now or timezone.now()
    approval = SowApproval(
        version=version,
        side=side,
        signer=user,
        typed_name=" ".join(typed_name.split())[:200],
        signed_at=now,
        ip=clean_ip(ip),
        content_sha256=version.content_sha256,
    )
    approval.save()
    _audit(user, AuditEvent.SOW_SIGNED, version, side, typed_name=approval.typed_name, ip=approval.ip or "")
    signed = set(
        version.approvals.filter(content_sha256=version.content_sha256).values_list("side", flat=True)
    )
    if signed >= {Side.CLIENT, Side.PROVIDER}:
        _approve(user, version, now)
    return approval


def _approve(user: User, version: SowVersion, now: datetime) -> None:
    previous = version.sow.versions.filter(status=SowStatus.APPROVED).first()
    if previous is not None:
        previous.status = SowStatus.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at", "updated_at"])
    version.status = SowStatus.APPROVED
    version.approved_at = now
    version.save(update_fields=["status", "approved_at", "updated_at"])
    for side in (Side.CLIENT, Side.PROVIDER):
        _audit(
            user,
            AuditEvent.SOW_APPROVED,
            version,
            side,
            supersedes=previous.number if previous is not None else None,
        )


@transaction.atomic
def sow_change_request(*, user: User, engagement: Engagement, reason: str) -> SowVersion:
    """Either side asks to change the approved SOW: a new draft (a copy of the approved content) held by
    the asking side. The approved version stays in force until the new one is approved."""
    side = _require_side(user, engagement)
    reason = engine.normalise(reason)
    if not reason:
        raise ValidationError({"reason": _("Say what should change and why.")})
    if len(reason) > engine.MAX_SECTION or "\x00" in reason:
        raise ValidationError(
            {"reason": _("The reason is too long or holds characters that cannot be stored.")}
        )
    sow = StatementOfWork.objects.select_for_update().filter(engagement=engagement).first()
    if sow is None:
        raise DomainError(_("This engagement has no statement of work yet."), field="engagement")
    sow.engagement = engagement
    if sow.versions.filter(status__in=OPEN_STATUSES).exists():
        raise DomainError(
            _("A version is already being negotiated; change that one instead."), field="engagement"
        )
    approved = sow.versions.filter(status=SowStatus.APPROVED).first()
    if approved is None:
        raise DomainError(_("Only an approved statement of work takes change requests."), field="engagement")
    version = _new_version(sow, user=user, side=side, content=content_of(approved), change_reason=reason)
    _audit(user, AuditEvent.SOW_CHANGE_REQUESTED, version, side, reason=reason[:500], changes=approved.number)
    return version


def approved_version(engagement: Engagement) -> SowVersion | None:
    return SowVersion.objects.filter(sow__engagement=engagement, status=SowStatus.APPROVED).first()


def _checked_code(engagement: Engagement, code: str | None) -> tuple[StatementOfWork, str | None]:
    approved = approved_version(engagement)
    if approved is None:
        raise DomainError(
            _("Items can be linked once the statement of work is approved by both sides."), field="code"
        )
    if code:
        item = approved.items.filter(code__iexact=code.strip()).first()
        if item is None:
            raise ValidationError({"code": _("The approved SOW has no item %(code)s.") % {"code": code}})
        code = item.code
    return approved.sow, code or None


@transaction.atomic
def task_link(*, user: User, task: Task, code: str | None) -> TaskSowLink | None:
    """Link `task` to an item of the engagement's approved SOW (or unlink it with no code)."""
    side = _require_side(user, task.engagement)
    sow, code = _checked_code(task.engagement, code)
    TaskSowLink.objects.filter(task=task).delete()
    link = TaskSowLink.objects.create(task=task, sow=sow, code=code) if code else None
    audit(
        user,
        AuditEvent.SOW_ITEM_LINKED,
        ("task", task.pk),
        _organisation(task.engagement, side),
        {"code": code or "", "engagement": task.engagement_id},
    )
    return link


@transaction.atomic
def milestone_link(*, user: User, milestone: Model, code: str | None) -> MilestoneSowLink | None:
    """Link a milestone of the engagement to an item of its approved SOW (client side only, as milestones
    are the client's commercial terms), or unlink it."""
    engagement = milestone.engagement  # type: ignore[attr-defined]
    if side_of(user, engagement) != Side.CLIENT:
        raise DomainError(_("The client's admins and requesters link milestones to the SOW."))
    sow, code = _checked_code(engagement, code)
    MilestoneSowLink.objects.filter(milestone_id=milestone.pk).delete()
    link = MilestoneSowLink.objects.create(milestone_id=milestone.pk, sow=sow, code=code) if code else None
    audit(
        user,
        AuditEvent.SOW_ITEM_LINKED,
        ("milestone", milestone.pk),
        engagement.client,
        {"code": code or "", "engagement": engagement.pk},
    )
    return link
