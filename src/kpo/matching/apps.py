from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kpo.matching"
    label = "matching"
    verbose_name = "Matching experts to tasks"

    def ready(self) -> None:
        import datetime as dt

        from kpo.core.panels import register_panel
        from kpo.core.schedule import register_periodic
        from kpo.matching import nav, signals
        from kpo.matching.jobs import refresh_embeddings
        from kpo.matching.panels import nobody_qualifies_panel, staffing_links_panel

        register_panel("task_alert", nobody_qualifies_panel)
        register_panel("task_staffing", staffing_links_panel)
        signals.connect()
        nav.register()
        # Incremental (content hash and backend version): catches a change of backend or model, and any
        # edit no signal saw (bulk updates), within a day.
        register_periodic("embedding-refresh", dt.timedelta(days=1), refresh_embeddings)
