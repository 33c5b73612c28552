from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "kpo.quality"
    label = "quality"
    verbose_name = "Independent review, ratings and quality scores"
