from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kpo.orgs"
    label = "orgs"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from kpo.orgs import signals

        signals.connect()
