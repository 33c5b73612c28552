from django.contrib import admin

from kpo.orgs.models import ApiToken, Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline[Membership, Organisation]):
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
class MembershipAdmin(admin.ModelAdmin[Membership]):
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
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "invited_by", "accepted_by", "accepted_at", "created_at"]

    def has_add_permission(self, request: object) -> bool:  # invitations are sent from the organisation page
        return False
