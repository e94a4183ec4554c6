from django.apps import AppConfig


def _mark_views_of_screened_out_policy(sender, *, policy, **kwargs) -> None:
    """Entries already logged about the policy's collective views become its owner's only (the
    policy was screened out: DESIGN.md section 6, access log)."""
    from engage.audit.services import access_mark_confidential

    from .models import CollectiveView

    ids = CollectiveView.objects.filter(engagement__policy=policy).values_list(
        "public_id", flat=True
    )
    access_mark_confidential("collective_view", ids, policy.owner)


class CollectiveConfig(AppConfig):
    name = "engage.collective"
    verbose_name = "Collective views"

    def ready(self) -> None:
        from engage.core import panels
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from .panels import engagement_panel

        panels.register("engagement", 50, "collective-view", engagement_panel)
        # Who a collective view's notifications tell, decided when each is delivered.
        from engage.notifications import registry
        from engage.notifications.models import EventKind

        from . import notification

        registry.register(
            EventKind.COLLECTIVE_READY, recipients=notification.collective_ready_recipients
        )
        registry.register(
            EventKind.COLLECTIVE_SENT_BACK, recipients=notification.collective_sent_back_recipients
        )
        registry.register(
            EventKind.COLLECTIVE_SUBMITTED, recipients=notification.collective_submitted_recipients
        )
        policy_screened_out.connect(
            _mark_views_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="collective-mark-confidential-on-screened-out",
        )
