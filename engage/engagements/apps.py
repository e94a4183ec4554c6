from django.apps import AppConfig


def _close_engagements_of_screened_out_policy(sender, *, policy, by, at, **kwargs) -> None:
    """Policies sit below engagements and do not import them: a screen that puts a policy
    outside the protocol sends `policy_screened_out`, and its live engagements close here,
    inside the screen's transaction (a failure rolls the screen back too)."""
    from engage.audit.services import access_mark_confidential

    from . import services

    services.engagements_close_for_screened_out_policy(policy=policy, by=by, at=at)
    # Entries already logged about its engagements (and their responses lists, keyed by the
    # engagement) and national priorities become the owning organisation's only.
    engagements = list(policy.engagements.values_list("public_id", flat=True))
    access_mark_confidential("engagement", engagements, policy.owner)
    access_mark_confidential("responses", engagements, policy.owner)
    access_mark_confidential(
        "national_priority",
        policy.engagements.values_list("national_priorities__public_id", flat=True).exclude(
            national_priorities__isnull=True
        ),
        policy.owner,
    )


def _routing_record_link(request, engagement, *, reads: bool):
    """ "See the routing record" for the owning organisation and the APCC secretariat, once
    the engagement has a route. No query: the person's facts are loaded with the request."""
    import rules
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from engage.core.panels import Action, Panel

    if not engagement.route or not rules.has_perm(
        "engagements.view_routing_record", request.user, engagement
    ):
        return None
    url = reverse("engagements:routing", args=[engagement.public_id])
    return Panel(actions=(Action(_("See the routing record and audience"), url),))


class EngagementsConfig(AppConfig):
    name = "engage.engagements"
    verbose_name = "Engagements"

    def ready(self) -> None:
        from engage.notifications.calendar import calendar_register

        from .calendar import engagement_dates

        calendar_register(engagement_dates)  # its dates in people's calendar feeds

        from engage.core import panels
        from engage.policies.models import Policy
        from engage.policies.signals import policy_screened_out

        panels.register("engagement", 90, "engagements-routing-record", _routing_record_link)
        # Who the engagement's notifications tell, decided when each is delivered.
        from engage.notifications import registry
        from engage.notifications.models import EventKind

        from .services import notification

        registry.register(
            EventKind.ENGAGEMENT_OPENED, recipients=notification.engagement_opened_recipients
        )
        registry.register(
            EventKind.ROUTING_AWAITING_APCC,
            recipients=notification.routing_awaiting_apcc_recipients,
        )
        registry.register(
            EventKind.ENGAGEMENT_ROUTED, recipients=notification.engagement_routed_recipients
        )
        registry.register(
            EventKind.ENGAGEMENT_RETURNED, recipients=notification.engagement_returned_recipients
        )
        registry.register(
            EventKind.WIDER_ROUTE_REQUESTED,
            recipients=notification.wider_route_requested_recipients,
        )
        registry.register(
            EventKind.WIDER_ROUTE_DECIDED, recipients=notification.wider_route_decided_recipients
        )
        policy_screened_out.connect(
            _close_engagements_of_screened_out_policy,
            sender=Policy,
            dispatch_uid="engagements-close-on-screened-out",
        )
        # Scheduled engagements open on their opening date, from each worker's heartbeat.
        from engage.core.periodic import periodic_register

        from .services.scheduling import engagements_open_due

        periodic_register(engagements_open_due)
