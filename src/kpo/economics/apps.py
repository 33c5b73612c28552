from django.apps import AppConfig


class EconomicsConfig(AppConfig):
    name = "kpo.economics"
    label = "economics"
    verbose_name = "Make-or-buy economics"

    def ready(self) -> None:
        from kpo.core.panels import register_panel
        from kpo.economics.commercials.panels import dashboard_panel, engagement_panel
        from kpo.economics.make_or_buy.labels import register as register_terms
        from kpo.economics.make_or_buy.views import make_or_buy_panel

        register_terms()
        register_panel("engagement_side", engagement_panel)
        register_panel("dashboard", dashboard_panel)
        register_panel("dashboard", make_or_buy_panel)

        from kpo.economics import nav

        nav.register()

        from kpo.audit.objects import linker_of, register_object_links
        from kpo.economics.commercials.access import invoices_visible_to

        register_object_links("invoice", linker_of(invoices_visible_to, "invoice_detail", "invoice_id"))
