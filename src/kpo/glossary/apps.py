from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "kpo.glossary"
    label = "glossary"
    verbose_name = "Engagement glossaries"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.glossary import panels

        register_panel("task_main", panels.task_panel)
        register_panel("task_messages", panels.message_box_panel)
        register_panel("engagement_side", panels.engagement_panel)
