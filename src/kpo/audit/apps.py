from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kpo.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.contrib import admin

        from kpo.audit import privileged, signals

        signals.connect()
        privileged.connect()
        if "delete_selected" in dict(admin.site.actions):  # a bulk delete would leave the trail unaware
            admin.site.disable_action("delete_selected")
