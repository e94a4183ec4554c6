from django.apps import AppConfig


def _close_engagements_of_screened_out_policy(sender, *, policy, by, at, **kwargs) -> None:
    """Policies sit below engagements and do not import them: a screen that puts a policy
    outside the protocol sends `policy_screened_out`, and its live engagements close here,
    inside the screen's transaction (a failure rolls the screen back too)."""
    from . import services

    services.engagements_close_for_screened_out_policy(policy=policy, by=by, at=at)


class EngagementsConfig(AppConfig):
    name = "engage.engagements"
    verbose_name = "Engagements"

    def ready(self) -> None:
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        policy_screened_out.connect(
            _close_engagements_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="engagements-close-on-screened-out",
        )
