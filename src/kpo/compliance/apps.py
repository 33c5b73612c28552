from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "kpo.compliance"
    label = "compliance"
    verbose_name = "Conflicts of interest and data residency"
