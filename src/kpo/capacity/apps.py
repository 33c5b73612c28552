from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "kpo.capacity"
    label = "capacity"
    verbose_name = "Capacity and bench"

    def ready(self) -> None:
        from kpo.capacity import nav, panels
        from kpo.core.panels import register_panel

        register_panel("expert_side", panels.absences_panel)
        nav.register()
