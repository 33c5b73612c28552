from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "kpo.notices"
    label = "notices"
    verbose_name = "Notices"
