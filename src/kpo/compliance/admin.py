from django.contrib import admin

from kpo.compliance.models import (
    Competitor,
    CompliancePolicy,
    ConflictDeclaration,
    ConflictException,
    TransferCountry,
)


@admin.register(CompliancePolicy)
class CompliancePolicyAdmin(admin.ModelAdmin[CompliancePolicy]):
    list_display = ("client", "cooling_off_months", "sensitive_cooling_off_months", "forbid_former_employees")


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin[Competitor]):
    list_display = ("name", "client", "organisation")
    search_fields = ("name",)


@admin.register(TransferCountry)
class TransferCountryAdmin(admin.ModelAdmin[TransferCountry]):
    list_display = ("client", "country", "mechanism", "recorded_by", "created_at")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin[ConflictDeclaration]):
    list_display = ("expert", "name", "client", "created_at")
    raw_id_fields = ("expert",)


@admin.register(ConflictException)
class ConflictExceptionAdmin(admin.ModelAdmin[ConflictException]):
    list_display = ("expert", "engagement", "granted_by", "created_at")
    raw_id_fields = ("expert", "engagement")
