from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from kpo.orgs.models import ApiToken, BreakGlassGrant, Invitation, Membership, Organisation


def _superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


class _SuperuserWrites:
    """Memberships open a client's material: operators cannot grant them here (they ask for break-glass
    access instead); a superuser's change is recorded in the audit trail like every admin change."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _superuser(request)


class MembershipInline(_SuperuserWrites, admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "provider_type", "country", "parent"]
    list_filter = ["kind", "provider_type", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(_SuperuserWrites, admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "read_only",
        "revoked_at",
    ]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "token_hash",
        "created_at",
        "last_used_at",
        "expires_at",  # an operator may revoke a token, never extend or widen it
        "read_only",
    ]
    search_fields = ["user__username", "name", "prefix"]

    def has_add_permission(self, request: object) -> bool:  # tokens are created by their owners only
        return False


@admin.register(Invitation)
class InvitationAdmin(_SuperuserWrites, admin.ModelAdmin[Invitation]):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "invited_by", "accepted_by", "accepted_at", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # invitations are sent from the organisation page


@admin.register(BreakGlassGrant)
class BreakGlassGrantAdmin(admin.ModelAdmin[BreakGlassGrant]):
    """Read-only: grants are asked for and decided on the organisation's break-glass page."""

    list_display = ["operator", "organisation", "status", "hours", "created_at", "expires_at"]
    list_filter = ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GuardedUserAdmin(UserAdmin[User]):
    """Operators who may change accounts cannot raise anyone's privileges (their own included)."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if _superuser(request):
            return fields
        return (*fields, "is_staff", "is_superuser", "groups", "user_permissions")


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, GuardedUserAdmin)
