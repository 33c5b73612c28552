from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "kpo.staffing"
    label = "staffing"
    verbose_name = "Staffing runs"

    def ready(self) -> None:
        from kpo.staffing import nav

        nav.register()
