from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kpo.matching"
    label = "matching"
    verbose_name = "Matching experts to tasks"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.matching import nav, signals
        from kpo.matching.panels import nobody_qualifies_panel

        register_panel("task_alert", nobody_qualifies_panel)
        signals.connect()
        nav.register()
