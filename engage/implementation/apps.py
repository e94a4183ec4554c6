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
        policy_screened_out.connect(
            _mark_agreements_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="implementation-mark-confidential-on-screened-out",
        )
