from django.apps import AppConfig


def _mark_requests_of_screened_out_policy(sender, *, policy, **kwargs) -> None:
    """Entries already logged about the policy's release requests become its owner's only (the
    policy was screened out: DESIGN.md section 6, access log)."""
    from engage.audit.services import access_mark_confidential

    from .models import ReleaseRequest

    ids = ReleaseRequest.objects.filter(engagement__policy=policy).values_list(
        "public_id", flat=True
    )
    access_mark_confidential("release_request", ids, policy.owner)


class ReleasesConfig(AppConfig):
    name = "engage.releases"
    verbose_name = "Release requests"

    def ready(self) -> None:
        from engage.core import panels
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        from . import rules  # noqa: F401 (registers the permissions)
        from .panels import engagement_panel, inbox_panel

        panels.register("engagement", 60, "releases", engagement_panel)
        panels.register("inbox", 60, "releases", inbox_panel)
        # Who a release request's notifications tell, decided when each is delivered.
        from engage.notifications import registry
        from engage.notifications.models import EventKind

        from .notification import release_answered_recipients, release_asked_recipients

        registry.register(EventKind.RELEASE_ASKED, recipients=release_asked_recipients)
        registry.register(EventKind.RELEASE_ANSWERED, recipients=release_answered_recipients)
        policy_screened_out.connect(
            _mark_requests_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="releases-mark-confidential-on-screened-out",
        )
