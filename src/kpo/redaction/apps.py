from django.apps import AppConfig


class RedactionConfig(AppConfig):
    name = "kpo.redaction"
    label = "redaction"
    verbose_name = "Redaction of sensitive terms and personal data"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.redaction import panels

        register_panel("task_main", panels.preview_panel)
