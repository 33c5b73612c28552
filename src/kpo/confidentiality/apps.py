from django.apps import AppConfig


class ConfidentialityConfig(AppConfig):
    name = "kpo.confidentiality"
    label = "confidentiality"
    verbose_name = "Confidentiality and the document vault"

    def ready(self) -> None:
        from kpo.confidentiality import panels, rules
        from kpo.core.panels import register_panel
        from kpo.matching.rule_registry import register_rule_label, register_rule_provider

        register_rule_provider(rules.clearance_rules)
        register_rule_label(rules.RULE, rules.LABEL, rules.ADVICE)
        register_rule_provider(rules.nda_rules)
        register_rule_label(rules.NDA_RULE, rules.NDA_LABEL, rules.NDA_ADVICE)
        register_panel("task_side", panels.task_panel)
        register_panel("dashboard", panels.dashboard_panel)
        register_panel("expert_side", panels.expert_panel)

        from kpo.confidentiality import nav

        nav.register()

        from kpo.audit.details import register_value_labels
        from kpo.work.models import Confidentiality

        for field in ("from", "to"):  # a classification or clearance changed, on the audit page
            register_value_labels(field, dict(Confidentiality.choices))
