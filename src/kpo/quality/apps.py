from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "kpo.quality"
    label = "quality"
    verbose_name = "Independent review, ratings and quality scores"

    def ready(self) -> None:
        import datetime as dt

        from kpo.core.panels import register_panel
        from kpo.core.schedule import register_periodic
        from kpo.engine.lifecycle import Precondition
        from kpo.quality import nav, panels
        from kpo.quality.checks import accepting_rating_holds, passing_review_holds, reviewer_check
        from kpo.quality.jobs import refresh_quality_scores
        from kpo.quality.scores import quality_after_transition
        from kpo.work.extensions import (
            register_assignment_check,
            register_transition_listener,
            register_transition_precondition,
        )

        register_assignment_check(reviewer_check, after_role_rules=True)
        register_transition_precondition(Precondition.HAS_PASSING_REVIEW, passing_review_holds)
        register_transition_precondition(Precondition.HAS_ACCEPTING_RATING, accepting_rating_holds)
        register_transition_listener(quality_after_transition)
        register_panel("task_main", panels.task_panel)
        register_panel("engagement_side", panels.engagement_panel)
        register_panel("expert_main", panels.expert_panel)
        nav.register()
        register_periodic("quality-refresh", dt.timedelta(days=1), refresh_quality_scores)
