from django.urls import path

from kpo.forecast import views

urlpatterns = [
    path("forecast/", views.demand_forecast, name="demand_forecast"),
]
