from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "kpo.contracts"
    label = "contracts"
    verbose_name = "Statements of work"

    def ready(self) -> None:
        from kpo.contracts import panels
        from kpo.core.panels import register_panel

        register_panel("engagement_main", panels.engagement_panel)
        register_panel("task_side", panels.task_panel)
