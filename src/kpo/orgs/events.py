"""The audit event kinds orgs records through `kpo.core.trail` (values of `kpo.audit.models.AuditEvent`,
which orgs cannot import: it stands below the audit app)."""

from __future__ import annotations


class Event:
    MEMBERSHIP_CREATED = "membership_created"
    MEMBERSHIP_ROLE_CHANGED = "membership_role_changed"
    MEMBERSHIP_REMOVED = "membership_removed"
    INVITATION_CREATED = "invitation_created"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_ACCEPTED = "invitation_accepted"
    INVITATION_REFUSED = "invitation_refused"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"
    BREAK_GLASS_REQUESTED = "break_glass_requested"
    BREAK_GLASS_APPROVED = "break_glass_approved"
    BREAK_GLASS_REFUSED = "break_glass_refused"
    BREAK_GLASS_USED = "break_glass_used"
    BREAK_GLASS_EXPIRED = "break_glass_expired"
    BREAK_GLASS_ENDED = "break_glass_ended"
    ORG_SETTINGS_CHANGED = "org_settings_changed"


ALL = frozenset(value for name, value in vars(Event).items() if name.isupper())
