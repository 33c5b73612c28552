from django.urls import path

from kpo.forecast import team_views, views

urlpatterns = [
    path("forecast/", views.demand_forecast, name="demand_forecast"),
    path("engagements/<int:engagement_id>/team/", team_views.team_change, name="team_change"),
    path("engagements/<int:engagement_id>/team/scale", team_views.team_scale, name="team_scale"),
    path("engagements/<int:engagement_id>/team/release", team_views.team_release_view, name="team_release"),
]
