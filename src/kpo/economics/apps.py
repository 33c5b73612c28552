from django.apps import AppConfig


class EconomicsConfig(AppConfig):
    name = "kpo.economics"
    label = "economics"
    verbose_name = "Make-or-buy economics"
