from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "kpo.sla"
    label = "sla"
    verbose_name = "Service levels and disputes"

    def ready(self) -> None:
        import datetime as dt

        from kpo.core.panels import register_panel
        from kpo.core.schedule import register_periodic
        from kpo.sla import panels
        from kpo.sla.jobs import run_sla_check

        register_panel("task_side", panels.task_sla_panel)
        register_panel("task_side", panels.task_dispute_panel)
        register_panel("task_main", panels.task_overlap_panel)
        register_panel("task_messages", panels.task_overlap_line)
        register_panel("engagement_side", panels.engagement_sla_panel)
        register_panel("dashboard", panels.dashboard_panel)
        register_periodic("sla-check", dt.timedelta(minutes=5), run_sla_check)

        from kpo.sla import nav

        nav.register()

        from kpo.audit.objects import linker_of, register_object_links
        from kpo.sla.access import disputes_visible_to

        register_object_links("dispute", linker_of(disputes_visible_to, "dispute_detail", "dispute_id"))
