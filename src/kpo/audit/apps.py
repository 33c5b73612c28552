import datetime as dt

from django.apps import AppConfig

CHECKPOINT_EVERY = dt.timedelta(minutes=15)
VERIFY_EVERY = dt.timedelta(hours=1)


class AuditConfig(AppConfig):
    name = "kpo.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.contrib import admin
        from django.core import checks

        from kpo.audit import privileged, signals
        from kpo.audit.checks import audit_key_check
        from kpo.audit.jobs import verify_audit_chain, write_audit_checkpoint
        from kpo.core.schedule import register_periodic

        signals.connect()
        privileged.connect()
        checks.register(audit_key_check)
        register_periodic("audit-checkpoint", CHECKPOINT_EVERY, write_audit_checkpoint)
        register_periodic("audit-verify", VERIFY_EVERY, verify_audit_chain)
        if "delete_selected" in dict(admin.site.actions):  # a bulk delete would leave the trail unaware
            admin.site.disable_action("delete_selected")

        from kpo.audit import nav

        nav.register()
