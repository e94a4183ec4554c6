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
        # Who a draft's notification tells, decided when it is delivered.
        from engage.notifications import registry
        from engage.notifications.models import EventKind
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from .notification import draft_ready_recipients

        registry.register(EventKind.DRAFT_READY, recipients=draft_ready_recipients)
        policy_screened_out.connect(
            _mark_responses_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="responses-mark-confidential-on-screened-out",
        )
