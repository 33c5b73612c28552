from django.urls import path

from kpo.orgs import break_glass_views, views

urlpatterns = [
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path(
        "organisations/<int:organisation_id>/billing/",
        views.organisation_billing,
        name="organisation_billing",
    ),
    path(
        "organisations/<int:organisation_id>/invitations/",
        views.invitation_create,
        name="invitation_create",
    ),
    path(
        "organisations/<int:organisation_id>/invitations/<int:invitation_id>/revoke",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisations/<int:organisation_id>/members/<int:member_id>/",
        views.member_edit,
        name="member_edit",
    ),
    path(
        "organisations/<int:organisation_id>/members/<int:member_id>/remove",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "organisations/<int:organisation_id>/break-glass/",
        break_glass_views.break_glass_page,
        name="break_glass",
    ),
    path(
        "organisations/<int:organisation_id>/break-glass/<int:grant_id>/approve",
        break_glass_views.break_glass_approve,
        name="break_glass_approve",
    ),
    path(
        "organisations/<int:organisation_id>/break-glass/<int:grant_id>/refuse",
        break_glass_views.break_glass_refuse,
        name="break_glass_refuse",
    ),
    path(
        "organisations/<int:organisation_id>/break-glass/<int:grant_id>/end",
        break_glass_views.break_glass_end,
        name="break_glass_end",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:token_id>/revoke", views.token_revoke, name="token_revoke"),
    # the task form's ESCO skill suggestions (an htmx fragment); kept here with the other routes this
    # team owns, the view lives with the task pages
]
