from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kpo.orgs"
    label = "orgs"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        import datetime as dt

        from kpo.core.schedule import register_periodic
        from kpo.orgs import signals
        from kpo.orgs.jobs import record_break_glass_expiries

        signals.connect()
        register_periodic("break-glass-expiries", dt.timedelta(minutes=5), record_break_glass_expiries)

        from kpo.orgs import nav

        nav.register()
