from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's front: sign-in, the dashboard, the health check, navigation and the kpo commands."""

    name = "kpo.site"
    label = "site"
    verbose_name = "kpo site"

    def ready(self) -> None:
        import datetime as dt

        from kpo.core.schedule import register_periodic
        from kpo.site.jobs import prune_finished_jobs
        from kpo.site.two_factor.admin import hide_devices_from_admin

        register_periodic("job-pruning", dt.timedelta(days=1), prune_finished_jobs)
        hide_devices_from_admin()

        from kpo.site import nav

        nav.register()
