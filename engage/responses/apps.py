from django.apps import AppConfig


def _mark_responses_of_screened_out_policy(sender, *, policy, **kwargs) -> None:
    """Entries already logged about the policy's responses become its owner's only (the policy
    was screened out: DESIGN.md section 6, access log)."""
    from engage.audit.services import access_mark_confidential

    from .models import Response

    ids = Response.objects.filter(engagement__policy=policy).values_list("public_id", flat=True)
    access_mark_confidential("response", ids, policy.owner)


class ResponsesConfig(AppConfig):
    name = "engage.responses"
    verbose_name = "Responses"

    def ready(self) -> None:
        # Who a response's notifications tell, decided when each is delivered.
        from engage.core.periodic import periodic_register
        from engage.notifications import registry
        from engage.notifications.models import EventKind
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from .notification import (
            deadline_recipients,
            draft_ready_recipients,
            response_submitted_recipients,
        )
        from .reminders import deadline_reminders_due

        registry.register(EventKind.DRAFT_READY, recipients=draft_ready_recipients)
        registry.register(EventKind.RESPONSE_SUBMITTED, recipients=response_submitted_recipients)
        registry.register(EventKind.DEADLINE_7_DAYS, recipients=deadline_recipients)
        registry.register(EventKind.DEADLINE_2_DAYS, recipients=deadline_recipients)
        # Response deadlines near: reminders found from the data, from each worker's heartbeat.
        periodic_register(deadline_reminders_due)
        policy_screened_out.connect(
            _mark_responses_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="responses-mark-confidential-on-screened-out",
        )
