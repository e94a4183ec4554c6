from django.apps import AppConfig


def _mark_agreements_of_screened_out_policy(sender, *, policy, **kwargs) -> None:
    """Entries already logged about the policy's implementation agreements (and its status
    page) become its owner's only (the policy was screened out: DESIGN.md section 6, access
    log)."""
    from engage.audit.services import access_mark_confidential

    from .models import LOG_AGREEMENT, LOG_STATUS, ImplementationAgreement

    ids = ImplementationAgreement.objects.filter(policy=policy).values_list("public_id", flat=True)
    access_mark_confidential(LOG_AGREEMENT, ids, policy.owner)
    access_mark_confidential(LOG_STATUS, [policy.public_id], policy.owner)


class ImplementationConfig(AppConfig):
    name = "engage.implementation"
    verbose_name = "Implementation agreements"

    def ready(self) -> None:
        from engage.notifications.calendar import calendar_register

        from .calendar import milestone_dates

        calendar_register(milestone_dates)  # its dates in people's calendar feeds

        from engage.core import panels
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from .panels import engagement_panel, inbox_panel, policy_panel

        panels.register("policy", 70, "implementation", policy_panel)
        panels.register("inbox", 70, "implementation", inbox_panel)
        panels.register("engagement", 70, "implementation", engagement_panel)
        # Who an agreement's notifications tell, decided when each is delivered.
        from engage.notifications import registry
        from engage.notifications.models import EventKind

        from . import notification

        registry.register(
            EventKind.IMPLEMENTATION_PROPOSED,
            recipients=notification.implementation_proposed_recipients,
        )
        registry.register(
            EventKind.IMPLEMENTATION_ACCEPTED,
            recipients=notification.implementation_accepted_recipients,
        )
        registry.register(
            EventKind.MILESTONE_AT_RISK, recipients=notification.milestone_at_risk_recipients
        )
        registry.register(
            EventKind.MILESTONE_OVERDUE, recipients=notification.milestone_overdue_recipients
        )
        # Milestones gone overdue tell the parties, from each worker's heartbeat.
        from engage.core.periodic import periodic_register

        from .services.overdue import milestones_overdue_sweep

        periodic_register(milestones_overdue_sweep)
        policy_screened_out.connect(
            _mark_agreements_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="implementation-mark-confidential-on-screened-out",
        )
