"""The audit trail in the admin: read-only (entries are append-only; see kpo.audit.models)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kpo.audit.models import AuditEntry, AuditHead, ChainVerification


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(_ReadOnly, admin.ModelAdmin[AuditEntry]):
    list_display = ["seq", "at", "event", "actor", "organisation", "object_type", "object_id"]
    list_filter = ["event"]
    search_fields = ["object_type", "object_id"]


@admin.register(AuditHead)
class AuditHeadAdmin(_ReadOnly, admin.ModelAdmin[AuditHead]):
    list_display = ["seq", "hash"]


@admin.register(ChainVerification)
class ChainVerificationAdmin(_ReadOnly, admin.ModelAdmin[ChainVerification]):
    list_display = ["at", "ok", "head_seq", "first_bad_seq", "reason"]
    list_filter = ["ok"]
