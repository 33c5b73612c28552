from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "kpo.experts"
    label = "experts"
    verbose_name = "Experts"
