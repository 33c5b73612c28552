from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kpo.api"
    label = "kpo_api"
    verbose_name = "API"
