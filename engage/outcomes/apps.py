from django.apps import AppConfig


def _mark_outcomes_of_screened_out_policy(sender, *, policy, **kwargs) -> None:
    """Entries already logged about the policy's outcomes become its owner's only (the policy
    was screened out: DESIGN.md section 6, access log). Outcomes are logged by their
    engagement's public id."""
    from engage.audit.services import access_mark_confidential

    ids = policy.engagements.filter(outcome__isnull=False).values_list("public_id", flat=True)
    access_mark_confidential("outcome", ids, policy.owner)


class OutcomesConfig(AppConfig):
    name = "engage.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from engage.core import panels as page_panels
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from . import panels

        page_panels.register("engagement", 60, "outcomes", panels.engagement_panel)
        page_panels.register("policy", 60, "outcomes", panels.policy_panel)
        # Who an outcome's publication tells, decided when it is delivered.
        from engage.notifications import registry
        from engage.notifications.models import EventKind

        from .notification import outcome_published_recipients

        registry.register(EventKind.OUTCOME_PUBLISHED, recipients=outcome_published_recipients)
        policy_screened_out.connect(
            _mark_outcomes_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="outcomes-mark-confidential-on-screened-out",
        )
