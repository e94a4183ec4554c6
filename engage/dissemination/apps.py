from django.apps import AppConfig


def _mark_dissemination_of_screened_out_policy(sender, *, policy, **kwargs) -> None:
    """Entries already logged about the policy's dissemination requests become its owner's
    only (the policy was screened out: DESIGN.md section 6, access log)."""
    from engage.audit.services import access_mark_confidential

    from .models import DisseminationRequest

    ids = DisseminationRequest.objects.filter(engagement__policy=policy).values_list(
        "public_id", flat=True
    )
    access_mark_confidential("dissemination", ids, policy.owner)


class DisseminationConfig(AppConfig):
    name = "engage.dissemination"
    verbose_name = "Dissemination requests"

    def ready(self) -> None:
        from engage.notifications.calendar import calendar_register

        from .calendar import dissemination_dates

        calendar_register(dissemination_dates)  # its dates in people's calendar feeds

        from engage.core import panels
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from .panels import engagement_panel, inbox_panel

        panels.register("engagement", 40, "dissemination", engagement_panel)
        panels.register("inbox", 40, "dissemination", inbox_panel)

        # Who a request's notification tells, decided when it is delivered.
        from engage.notifications import registry
        from engage.notifications.models import EventKind

        from .notification import (
            dissemination_confirmed_recipients,
            dissemination_due_recipients,
            dissemination_requested_recipients,
        )

        registry.register(
            EventKind.DISSEMINATION_REQUESTED, recipients=dissemination_requested_recipients
        )
        registry.register(EventKind.DISSEMINATION_DUE, recipients=dissemination_due_recipients)
        registry.register(
            EventKind.DISSEMINATION_CONFIRMED, recipients=dissemination_confirmed_recipients
        )
        # Requests due soon remind the bodies still to answer, from each worker's heartbeat.
        from engage.core.periodic import periodic_register

        from .reminders import disseminations_due_sweep

        periodic_register(disseminations_due_sweep)
        policy_screened_out.connect(
            _mark_dissemination_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="dissemination-mark-confidential-on-screened-out",
        )
