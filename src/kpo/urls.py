from django.contrib import admin
from django.urls import include, path

from kpo.api.api import api
from kpo.site.language import language_switch

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("", include("kpo.site.urls")),
    path("", include("kpo.orgs.urls")),
    path("", include("kpo.experts.urls")),
    path("", include("kpo.work.urls")),
    path("", include("kpo.matching.urls")),
    path("", include("kpo.staffing.urls")),
    path("", include("kpo.forecast.urls")),
    path("", include("kpo.audit.urls")),
    path("", include("kpo.economics.urls")),
    path("", include("kpo.notices.urls")),
    path("", include("kpo.confidentiality.urls")),
    path("", include("kpo.compliance.urls")),
    path("", include("kpo.redaction.urls")),
    path("", include("kpo.glossary.urls")),
    path("", include("kpo.vetting.urls")),
    path("", include("kpo.capacity.urls")),
    path("", include("kpo.quality.urls")),
    path("", include("kpo.sla.urls")),
    path("", include("kpo.contracts.urls")),
]
