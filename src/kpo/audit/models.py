"""The tamper-evident audit trail: an append-only hash chain of who did what, and its head.

Rows are append-only: ``AuditEntry.save()`` refuses to update an existing row and the admin is
read-only. Each row's ``hash`` links it to the previous row (see ``kpo.engine.audit_chain``) and is
keyed with the audit key held outside the database (``kpo.audit.keys``); ``AuditHead`` keeps the last
sequence number and hash outside the rows, and signed checkpoints of the head are written outside the
database (``kpo.audit.checkpoints``), so edits, deletions, reordering, cutting entries off the end and
rewriting the chain without the key are all found by ``kpo audit verify``.

The actor and organisation links have no database constraint and are never nulled or cascaded:
their ids are part of the hash, so deleting a user or an organisation leaves the trail intact
(the link then shows as empty).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    DOWNLOAD = "download", _("Download")
    ACCESS_DENIED = "access_denied", _("Access denied")
    TRANSITION = "transition", _("Status change")
    NDA_SIGNED = "nda_signed", _("NDA signed")
    NDA_TEMPLATE_CHANGED = "nda_template_changed", _("NDA template changed")
    CLASSIFICATION_CHANGED = "classification_changed", _("Classification changed")
    CLEARANCE_CHANGED = "clearance_changed", _("Clearance changed")
    EXCEPTION_GRANTED = "exception_granted", _("Exception granted")
    CONFLICT_DECLARED = "conflict_declared", _("Conflict declared")
    RESIDENCY_CHANGED = "residency_changed", _("Data residency changed")
    REDACTION_CHANGED = "redaction_changed", _("Redaction terms changed")
    LEAK_TRACED = "leak_traced", _("Leak traced")
    VETTING_CHANGED = "vetting_changed", _("Vetting status changed")
    CREDENTIAL_VERIFIED = "credential_verified", _("Credential verified")
    REVIEW_RECORDED = "review_recorded", _("Review recorded")
    RATING_RECORDED = "rating_recorded", _("Rating recorded")
    DISPUTE_OPENED = "dispute_opened", _("Dispute opened")
    DISPUTE_STEP = "dispute_step", _("Dispute step")
    DISPUTE_RESOLVED = "dispute_resolved", _("Dispute resolved")
    MEETING_PICKED = "meeting_picked", _("Meeting slot picked")
    TIME_DECIDED = "time_decided", _("Time approved or rejected")
    INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
    BUDGET_ALERT = "budget_alert", _("Budget alert")
    SLA_ESCALATED = "sla_escalated", _("SLA escalation")
    RETENTION_PURGED = "retention_purged", _("Entries past retention removed")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor authentication turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor authentication turned off")
    RECOVERY_CODES_GENERATED = "recovery_codes_generated", _("Recovery codes generated")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor authentication reset")
    TWO_FACTOR_POLICY_CHANGED = "two_factor_policy_changed", _("Two-factor requirement changed")
    LOCKED_OUT = "locked_out", _("Sign-in locked out")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    MEMBERSHIP_CREATED = "membership_created", _("Membership created")
    MEMBERSHIP_ROLE_CHANGED = "membership_role_changed", _("Member's roles changed")
    MEMBERSHIP_REMOVED = "membership_removed", _("Member removed")
    INVITATION_CREATED = "invitation_created", _("Invitation sent")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation withdrawn")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_REFUSED = "invitation_refused", _("Invitation refused to another account")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    USER_PRIVILEGES_CHANGED = "user_privileges_changed", _("Account privileges changed")
    ORG_SETTINGS_CHANGED = "org_settings_changed", _("Organisation settings changed")
    ADMIN_ACTION = "admin_action", _("Change in the admin")
    BREAK_GLASS_REQUESTED = "break_glass_requested", _("Break-glass access requested")
    BREAK_GLASS_APPROVED = "break_glass_approved", _("Break-glass access approved")
    BREAK_GLASS_REFUSED = "break_glass_refused", _("Break-glass access refused")
    BREAK_GLASS_USED = "break_glass_used", _("Break-glass access used")
    BREAK_GLASS_EXPIRED = "break_glass_expired", _("Break-glass access expired")
    BREAK_GLASS_ENDED = "break_glass_ended", _("Break-glass access ended early")
    SOW_DRAFTED = "sow_drafted", _("Statement of work drafted")
    SOW_PROPOSED = "sow_proposed", _("Statement of work proposed")
    SOW_SIGNED = "sow_signed", _("Statement of work signed")
    SOW_APPROVED = "sow_approved", _("Statement of work approved")
    SOW_CHANGE_REQUESTED = "sow_change_requested", _("Change to the statement of work requested")
    SOW_ITEM_LINKED = "sow_item_linked", _("Linked to a statement-of-work item")
    TEAM_SCALED = "team_scaled", _("Team scaled up")
    EXPERT_RELEASED = "expert_released", _("Expert released from an engagement")
    ABSENCE_DECLARED = "absence_declared", _("Absence declared")
    ABSENCE_REMOVED = "absence_removed", _("Absence removed")
    OVERFLOW_APPROVED = "overflow_approved", _("Overflow provider approved")
    OVERFLOW_REMOVED = "overflow_removed", _("Overflow provider removed")
    TASK_RELEASED = "task_released", _("Task released to the overflow pool")
    RELEASE_TAKEN = "release_taken", _("Released task taken")
    RELEASE_RECALLED = "release_recalled", _("Release recalled")
    BENCH_CHANGED = "bench_changed", _("Talent bench changed")
    GLOSSARY_CHANGED = "glossary_changed", _("Glossary changed")
    ASSIGNMENT_ENDED = "assignment_ended", _("Assignment ended")
    PROVIDER_TEAM_CHANGED = "provider_team_changed", _("Provider team changed")


class AppendOnlyError(Exception):
    """An attempt to change or delete a recorded audit entry."""


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("at"))
    event = models.CharField(_("event"), max_length=32, choices=AuditEvent.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    keyed = models.BooleanField(
        _("keyed"),
        default=False,
        help_text=_(
            "The hash is an HMAC with the audit key (entries written before the key existed are not)."
        ),
    )

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["organisation", "seq"]), models.Index(fields=["event", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are append-only; a recorded entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are append-only; a recorded entry cannot be deleted.")

    def chain_fields(self) -> dict[str, Any]:
        """The canonical fields that are hashed (JSON values only)."""
        return chain_fields(
            seq=self.seq,
            at=self.at,
            event=self.event,
            actor_id=self.actor_id,
            organisation_id=self.organisation_id,
            object_type=self.object_type,
            object_id=self.object_id,
            details=self.details,
        )


def chain_fields(
    *,
    seq: int,
    at: Any,
    event: str,
    actor_id: int | None,
    organisation_id: int | None,
    object_type: str,
    object_id: str,
    details: Any,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(dt.UTC).isoformat(),
        "event": event,
        "actor": actor_id,
        "organisation": organisation_id,
        "object_type": object_type,
        "object_id": object_id,
        "details": details,
    }


class AuditHead(models.Model):
    """The chain's head, kept apart from the rows (one row, pk 1): catches truncation."""

    seq = models.PositiveBigIntegerField(_("sequence"), default=0)
    hash = models.CharField(_("hash"), max_length=64)
    floor_seq = models.PositiveBigIntegerField(
        _("last purged sequence"),
        default=0,
        help_text=_("Entries up to here were removed after their retention period; the chain starts above."),
    )
    floor_hash = models.CharField(_("hash of the last purged entry"), max_length=64, default="0" * 64)
    sealed_seq = models.PositiveBigIntegerField(
        _("first keyed sequence"),
        default=0,
        help_text=_("Every entry from here on is keyed with the audit key (0: no keyed entry yet)."),
    )

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"head #{self.seq}"


class ChainVerification(models.Model):
    """The result of one full check of the chain (`kpo audit verify` or the worker's periodic check), kept
    so the audit page can tell the chain's state without checking every entry in a request. Not part of
    the chain: it says what a check found, the chain itself stays the evidence."""

    at = models.DateTimeField(_("checked at"))
    ok = models.BooleanField(_("verified"))
    head_seq = models.PositiveBigIntegerField(_("head's sequence"), default=0)
    """The last entry checked (the head) when the chain verified."""
    first_bad_seq = models.PositiveBigIntegerField(_("first bad sequence"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        get_latest_by = ["at", "id"]
        verbose_name = _("chain verification")
        verbose_name_plural = _("chain verifications")

    def __str__(self) -> str:
        return f"{'OK' if self.ok else 'BROKEN'} #{self.head_seq} at {self.at.isoformat()}"
