from django.urls import path

from kpo.capacity import views

urlpatterns = [
    path("capacity/", views.capacity_page, name="capacity"),
    path("capacity/export.csv", views.capacity_csv, name="capacity_csv"),
    path("experts/<int:expert_id>/absences/new", views.absence_create, name="absence_create"),
    path("absences/<int:absence_id>/remove", views.absence_remove_view, name="absence_remove"),
]
