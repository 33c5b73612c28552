from django.apps import AppConfig


class RedactionConfig(AppConfig):
    name = "kpo.redaction"
    label = "redaction"
    verbose_name = "Redaction of sensitive terms and personal data"
