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

        from kpo.core.panels import register_panel
        from kpo.work import overflow_panels

        register_panel("task_side", overflow_panels.task_overflow_panel)
        register_panel("engagement_side", overflow_panels.engagement_overflow_panel)
