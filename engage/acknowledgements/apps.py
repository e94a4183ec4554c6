from django.apps import AppConfig


def _mark_acknowledgements_of_screened_out_policy(sender, *, policy, **kwargs) -> None:
    """Entries already logged about the acknowledgements of the policy's engagements (keyed by
    the engagement's public id) become its owner's only (the policy was screened out:
    DESIGN.md section 6, access log)."""
    from engage.audit.services import access_mark_confidential

    ids = policy.engagements.values_list("public_id", flat=True)
    access_mark_confidential("acknowledgements", ids, policy.owner)


class AcknowledgementsConfig(AppConfig):
    name = "engage.acknowledgements"
    verbose_name = "Acknowledgements"

    def ready(self) -> None:
        from engage.core import panels
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from .panels import engagement_panel

        panels.register("engagement", 20, "acknowledgements", engagement_panel)
        # Who a change notice or priorities update asks to acknowledge, decided when the event
        # is delivered; the engagements app records the event when it opens.
        from engage.notifications import registry
        from engage.notifications.models import EventKind

        from .notification import acknowledgement_asked_recipients

        registry.register(EventKind.CHANGE_NOTICE, recipients=acknowledgement_asked_recipients)
        registry.register(EventKind.PRIORITIES_UPDATE, recipients=acknowledgement_asked_recipients)
        policy_screened_out.connect(
            _mark_acknowledgements_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="acknowledgements-mark-confidential-on-screened-out",
        )
