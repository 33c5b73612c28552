from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "kpo.sla"
    label = "sla"
    verbose_name = "Service levels and disputes"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.sla import panels

        register_panel("task_side", panels.task_sla_panel)
        register_panel("task_side", panels.task_dispute_panel)
        register_panel("engagement_side", panels.engagement_sla_panel)
        register_panel("dashboard", panels.dashboard_panel)
