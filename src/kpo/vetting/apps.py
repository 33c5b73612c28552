from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "kpo.vetting"
    label = "vetting"
    verbose_name = "Vetting and compliance passport"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.vetting import panels, rules

        rules.register()
        register_panel("expert_side", panels.passport_panel)
        register_panel("engagement_side", panels.requirements_panel)

        from kpo.vetting import nav

        nav.register()
