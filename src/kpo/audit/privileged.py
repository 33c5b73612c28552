"""Privileged changes that reach the trail without a service calling `audit()`: the recorder the lower
floors use (`kpo.core.trail`), account changes (password, privileges, e-mail), organisation settings and
every change made in the Django admin."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

from kpo.audit.models import AuditEntry, AuditEvent
from kpo.audit.services import audit
from kpo.core import trail
from kpo.orgs.models import Organisation

PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "is_active", "email")
ORG_SETTING_FIELDS = (
    "name",
    "slug",
    "kind",
    "provider_type",
    "parent_id",
    "country",
    "time_zone",
    "currency",
)
ADMIN_ACTIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}
MAX_TEXT = 200


def record(
    actor: Any,
    event: str,
    target: tuple[str, str | int] | None,
    organisation: Model | None,
    details: dict[str, Any] | None = None,
) -> None:
    audit(actor, event, target, organisation, details)


def read(organisation_id: int, events: Collection[str], limit: int) -> list[trail.TrailEntry]:
    labels = dict(AuditEvent.choices)
    entries = (
        AuditEntry.objects.filter(organisation_id=organisation_id, event__in=list(events))
        .select_related("actor")
        .order_by("-seq")[:limit]
    )
    return [
        trail.TrailEntry(
            at=entry.at,
            event=entry.event,
            event_label=str(labels.get(entry.event, entry.event)),
            actor_name=(entry.actor.get_full_name() or entry.actor.get_username()) if entry.actor else "",
            object_type=entry.object_type,
            object_id=entry.object_id,
            details=entry.details if isinstance(entry.details, dict) else {},
        )
        for entry in entries
    ]


def _touches(update_fields: Collection[str] | None, names: Collection[str]) -> bool:
    return update_fields is None or bool(set(update_fields) & set(names))


PASSWORD_CHANGE_DETAILS = "_kpo_password_change_details"


def describe_password_change(user: User, **details: str) -> None:
    """Details for the entry the coming save of `user`'s new password writes (how, from where); the
    person changing their own password is its actor even on a page without a signed-in session."""
    setattr(user, PASSWORD_CHANGE_DETAILS, details)


def on_user_saving(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    """A password hash or a privilege that differs from the stored row is recorded with the save."""
    if raw or not _touches(kwargs.get("update_fields"), ("password", *PRIVILEGE_FIELDS)):
        return
    if instance.pk is None or instance._state.adding:
        return  # a new account (through the admin it is recorded as an admin action)
    before = User.objects.filter(pk=instance.pk).values("password", *PRIVILEGE_FIELDS).first()
    if before is None:
        return
    target = ("user", instance.pk)
    if before["password"] != instance.password:
        described: dict[str, Any] = getattr(instance, PASSWORD_CHANGE_DETAILS, {})
        actor = trail.current_actor() or (instance if described else None)
        audit(actor, AuditEvent.PASSWORD_CHANGED, target, None, {"user": instance.username, **described})
    changes = {
        name: [before[name], getattr(instance, name)]
        for name in PRIVILEGE_FIELDS
        if before[name] != getattr(instance, name)
    }
    if changes:
        details = {"user": instance.username, "changes": changes}
        audit(trail.current_actor(), AuditEvent.USER_PRIVILEGES_CHANGED, target, None, details)


def on_organisation_saving(sender: Any, instance: Organisation, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None or instance._state.adding:
        return
    before = Organisation.objects.filter(pk=instance.pk).values(*ORG_SETTING_FIELDS, "description").first()
    if before is None:
        return
    changes: dict[str, Any] = {
        name: [before[name], getattr(instance, name)]
        for name in ORG_SETTING_FIELDS
        if before[name] != getattr(instance, name)
    }
    if before["description"] != instance.description:
        changes["description"] = "changed"
    if changes:
        audit(
            trail.current_actor(),
            AuditEvent.ORG_SETTINGS_CHANGED,
            ("organisation", instance.pk),
            instance,
            {"changes": changes},
        )


def on_admin_logged(sender: Any, instance: LogEntry, created: bool = False, **kwargs: Any) -> None:
    """Every add, change and delete made through /admin/ (the admin logs each one as a LogEntry)."""
    if not created or kwargs.get("raw"):
        return
    content_type = cast(ContentType | None, instance.content_type)
    model = f"{content_type.app_label}.{content_type.model}" if content_type is not None else ""
    organisation = None
    if model == "orgs.organisation" and instance.action_flag != DELETION:
        organisation = Organisation.objects.filter(pk=instance.object_id).first()
    details = {
        "action": ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
        "model": model,
        "object": str(instance.object_repr)[:MAX_TEXT],
        "message": instance.get_change_message()[:MAX_TEXT],
    }
    actor = cast(User, instance.user)
    audit(actor, AuditEvent.ADMIN_ACTION, (model, instance.object_id or ""), organisation, details)


def connect() -> None:
    trail.register(record, read)
    pre_save.connect(on_user_saving, sender=User, dispatch_uid="kpo.audit.user_saving")
    pre_save.connect(on_organisation_saving, sender=Organisation, dispatch_uid="kpo.audit.org_saving")
    post_save.connect(on_admin_logged, sender=LogEntry, dispatch_uid="kpo.audit.admin_logged")
