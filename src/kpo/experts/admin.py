from django.contrib import admin

from kpo.experts.models import Degree, Employment, ExpertDomain, ExpertLanguage, ExpertProfile, ExpertSkill


class DegreeInline(admin.TabularInline[Degree, ExpertProfile]):
    model = Degree
    extra = 0


class LanguageInline(admin.TabularInline[ExpertLanguage, ExpertProfile]):
    model = ExpertLanguage
    extra = 0


class DomainInline(admin.TabularInline[ExpertDomain, ExpertProfile]):
    model = ExpertDomain
    extra = 0


class SkillInline(admin.TabularInline[ExpertSkill, ExpertProfile]):
    model = ExpertSkill
    extra = 0
    raw_id_fields = ["skill"]


class EmploymentInline(admin.TabularInline[Employment, ExpertProfile]):
    model = Employment
    extra = 0


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin[ExpertProfile]):
    list_display = ["__str__", "organisation", "country", "internal", "status"]
    list_filter = ["status", "internal", "country", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "headline"]
    raw_id_fields = ["user", "occupation"]
    list_select_related = ["user", "organisation"]
    inlines = [DomainInline, LanguageInline, DegreeInline, SkillInline, EmploymentInline]
