from django.urls import path

from kpo.capacity import team_views, views

urlpatterns = [
    path("capacity/", views.capacity_page, name="capacity"),
    path("capacity/export.csv", views.capacity_csv, name="capacity_csv"),
    path("capacity/teams/", team_views.team_list_page, name="capacity_teams"),
    path("capacity/teams/new", team_views.team_create, name="capacity_team_create"),
    path("capacity/teams/<int:team_id>/", team_views.team_page, name="capacity_team"),
    path("capacity/teams/<int:team_id>/edit", team_views.team_edit, name="capacity_team_edit"),
    path("capacity/teams/<int:team_id>/delete", team_views.team_delete, name="capacity_team_delete"),
    path("experts/<int:expert_id>/absences/new", views.absence_create, name="absence_create"),
    path("absences/<int:absence_id>/remove", views.absence_remove_view, name="absence_remove"),
]
