from django.apps import AppConfig


class ConfidentialityConfig(AppConfig):
    name = "kpo.confidentiality"
    label = "confidentiality"
    verbose_name = "Confidentiality and the document vault"
