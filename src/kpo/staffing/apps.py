from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "kpo.staffing"
    label = "staffing"
    verbose_name = "Staffing runs"
