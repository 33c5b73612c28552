from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "kpo.quality"
    label = "quality"
    verbose_name = "Independent review, ratings and quality scores"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.quality import panels

        register_panel("task_main", panels.task_panel)
        register_panel("engagement_side", panels.engagement_panel)
        register_panel("expert_main", panels.expert_panel)
