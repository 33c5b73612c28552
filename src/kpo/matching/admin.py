from django.contrib import admin

from kpo.matching.models import MatchingWeights


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin[MatchingWeights]):
    list_display = ["client", "min_skills_share", "updated_by", "updated_at"]
    raw_id_fields = ["client", "updated_by"]
