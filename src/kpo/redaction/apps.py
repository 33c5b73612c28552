from django.apps import AppConfig


class RedactionConfig(AppConfig):
    name = "kpo.redaction"
    label = "redaction"
    verbose_name = "Redaction of sensitive terms and personal data"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.redaction import panels
        from kpo.redaction.services import redacted_description, redacted_task_texts
        from kpo.work.extensions import register_description_filter, register_texts_filter

        register_panel("task_main", panels.preview_panel)
        register_description_filter(redacted_description)
        register_texts_filter(redacted_task_texts)

        from kpo.redaction import nav

        nav.register()
