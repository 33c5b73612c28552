from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kpo.matching"
    label = "matching"
    verbose_name = "Matching experts to tasks"
