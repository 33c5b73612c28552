from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "kpo.forecast"
    label = "forecast"
    verbose_name = "Demand forecast"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.forecast import nav, panels

        nav.register()
        register_panel("engagement_main", panels.scaling_panel)
