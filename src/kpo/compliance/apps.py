from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "kpo.compliance"
    label = "compliance"
    verbose_name = "Conflicts of interest and data residency"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from kpo.compliance import panels
        from kpo.compliance.rules import COI_RULE, RESIDENCY_RULE, compliance_rules
        from kpo.compliance.services import assignment_check
        from kpo.core.panels import register_panel
        from kpo.matching.rule_registry import register_rule_label, register_rule_provider
        from kpo.work.extensions import register_assignment_check

        register_rule_provider(compliance_rules)
        register_rule_label(
            COI_RULE,
            _("Conflict of interest"),
            _(
                "an expert with a conflict can work here only with a reviewed exception, recorded by the "
                "client's admin or the provider's manager"
            ),
        )
        register_rule_label(
            RESIDENCY_RULE,
            _("Data residency"),
            _(
                "the engagement holds personal data: the client's admin can add a country with a transfer "
                "mechanism (e.g. standard contractual clauses) in the compliance settings"
            ),
        )
        register_assignment_check(assignment_check)
        register_panel("engagement_side", panels.residency_panel)
        register_panel("task_side", panels.exceptions_panel)
        register_panel("expert_side", panels.own_conflicts_panel)

        from kpo.compliance import nav

        nav.register()
