from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "kpo.work"
    label = "work"
    verbose_name = "Engagements and tasks"
