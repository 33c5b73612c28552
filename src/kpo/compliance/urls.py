from django.urls import path

from kpo.compliance import views

urlpatterns = [
    path(
        "organisations/<int:organisation_id>/compliance/",
        views.compliance_settings,
        name="compliance_settings",
    ),
    path(
        "organisations/<int:organisation_id>/compliance/competitors",
        views.competitor_add,
        name="competitor_add",
    ),
    path(
        "compliance/competitors/<int:competitor_id>/remove", views.competitor_remove, name="competitor_remove"
    ),
    path(
        "organisations/<int:organisation_id>/compliance/countries",
        views.transfer_country_add,
        name="transfer_country_add",
    ),
    path(
        "compliance/countries/<int:transfer_country_id>/remove",
        views.transfer_country_remove,
        name="transfer_country_remove",
    ),
    path("me/conflicts/", views.my_conflicts, name="my_conflicts"),
    path("me/conflicts/<int:conflict_id>/withdraw", views.conflict_withdraw, name="conflict_withdraw"),
    path(
        "tasks/<int:task_id>/conflict-exceptions/new/",
        views.coi_exception_create,
        name="coi_exception_create",
    ),
    path(
        "conflict-exceptions/<int:coi_exception_id>/revoke",
        views.coi_exception_revoke,
        name="coi_exception_revoke",
    ),
]
