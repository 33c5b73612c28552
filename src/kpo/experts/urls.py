from django.urls import path

from kpo.experts import views

urlpatterns = [
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/<int:expert_id>/", views.expert_detail, name="expert_detail"),
    path("me/", views.my_profile, name="my_profile"),
]
