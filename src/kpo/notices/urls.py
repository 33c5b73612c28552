from __future__ import annotations

from django.urls import path

from kpo.notices import views

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("settings/email/", views.email_preferences, name="email_preferences"),
]
