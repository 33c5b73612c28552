from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "kpo.sla"
    label = "sla"
    verbose_name = "Service levels and disputes"
