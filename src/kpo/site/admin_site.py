"""The Django admin is for the installation's superusers only: operators (staff) read client material
only through a break-glass grant, and the admin lists every organisation's records without one."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class KpoAdminConfig(AdminConfig):
    default_site = "kpo.site.admin_site.SuperuserAdminSite"
