from django.urls import path

from kpo.economics import views

urlpatterns = [
    path("make-or-buy/", views.make_or_buy_view, name="make_or_buy"),
    path("make-or-buy/<int:scenario_id>/", views.scenario_detail, name="scenario_detail"),
]
