from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's front: sign-in, the dashboard, the health check, navigation and the kpo commands."""

    name = "kpo.site"
    label = "site"
    verbose_name = "kpo site"

    def ready(self) -> None:
        from kpo.site.two_factor.admin import hide_devices_from_admin

        hide_devices_from_admin()
