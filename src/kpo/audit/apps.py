from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kpo.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from kpo.audit import signals

        signals.connect()
