from django.urls import path

from kpo.orgs import views

urlpatterns = [
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation_detail"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:token_id>/revoke", views.token_revoke, name="token_revoke"),
]
