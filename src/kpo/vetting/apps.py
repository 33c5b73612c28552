from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "kpo.vetting"
    label = "vetting"
    verbose_name = "Vetting and compliance passport"
