from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "kpo.experts"
    label = "experts"
    verbose_name = "Experts"

    def ready(self) -> None:
        from kpo.experts import nav

        nav.register()
