from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "kpo.work"
    label = "work"
    verbose_name = "Engagements and tasks"

    def ready(self) -> None:
        from kpo.work import notifications

        notifications.register()

        from kpo.work import audit_links

        audit_links.register()

        from kpo.work import nav

        nav.register()
