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
        policy_screened_out.connect(
            _mark_views_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="collective-mark-confidential-on-screened-out",
        )
