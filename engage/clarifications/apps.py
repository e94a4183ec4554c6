from django.apps import AppConfig


def _mark_clarifications_of_screened_out_policy(sender, *, policy, **kwargs) -> None:
    """Entries already logged about the policy's clarification requests (and its engagements'
    published lists) become its owner's only (the policy was screened out: DESIGN.md
    section 6, access log)."""
    from engage.audit.services import access_mark_confidential

    from .models import ClarificationRequest

    ids = ClarificationRequest.objects.filter(engagement__policy=policy).values_list(
        "public_id", flat=True
    )
    access_mark_confidential("clarification", ids, policy.owner)
    # The published list is logged by its engagement's public id.
    engagements = policy.engagements.values_list("public_id", flat=True)
    access_mark_confidential("clarifications", engagements, policy.owner)


class ClarificationsConfig(AppConfig):
    name = "engage.clarifications"
    verbose_name = "Clarification requests"

    def ready(self) -> None:
        from engage.core import panels
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from .panels import document_panel, engagement_panel, inbox_panel

        panels.register("engagement", 30, "clarifications", engagement_panel)
        panels.register("document", 30, "clarifications", document_panel)
        panels.register("inbox", 30, "clarifications", inbox_panel)
        # Who a clarification's notifications tell, decided when each is delivered.
        from engage.notifications import registry
        from engage.notifications.models import EventKind

        from .notification import clarification_answered_recipients, clarification_asked_recipients

        registry.register(EventKind.CLARIFICATION_ASKED, recipients=clarification_asked_recipients)
        registry.register(
            EventKind.CLARIFICATION_ANSWERED, recipients=clarification_answered_recipients
        )
        policy_screened_out.connect(
            _mark_clarifications_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="clarifications-mark-confidential-on-screened-out",
        )
