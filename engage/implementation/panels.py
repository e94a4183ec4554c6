"""The implementation sections of the policy page, an implementation update's page and the
inbox (engage/core/panels.py), registered in `ImplementationConfig.ready`. Each asks one
query, whatever the data, and reads agreements through `visible_to`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.accounts.models import OrganisationKind
from engage.accounts.viewer import Viewer
from engage.core.panels import Action, Panel
from engage.core.types import AuthedRequest
from engage.engagements.models import LIVE, Engagement, Kind
from engage.engagements.selectors import APCC_QUEUE, BODY, OWNER
from engage.policies.models import Policy, Stage

from . import selectors, services
from .models import ImplementationAgreement


def _can_propose(request: AuthedRequest, policy: Policy) -> bool:
    try:
        services.agreement_propose_check(policy, request.user)
    except (PermissionDenied, ValidationError):
        return False
    return True


def policy_panel(request: AuthedRequest, policy: Policy) -> Panel | None:
    """For the owning organisation: how many roles are proposed and agreed, the link to every
    body's status, and "Propose a local role" for a lead while the policy is in
    implementation. For the APCC: the counts and the status page once there is an agreement.
    For a body: the link to its own role on this policy. One query."""
    viewer = Viewer.of(request.user)
    if viewer.is_member_of(policy.owner_id):
        counts = selectors.policy_counts(request.user, policy)
        can_propose = _can_propose(request, policy)
        if not counts["total"] and policy.stage != Stage.IMPLEMENTATION:
            return None
        context = {"counts": counts, "can_propose": can_propose, "surveys": True, "own": None}
    elif viewer.is_secretariat:
        counts = selectors.policy_counts(request.user, policy)
        if not counts["total"]:
            return None
        context = {"counts": counts, "can_propose": False, "surveys": True, "own": None}
    elif viewer.body_ids:
        own = (
            ImplementationAgreement.objects.visible_to(request.user)
            .filter(policy=policy)
            .order_by("-proposed_at", "-pk")
            .first()
        )
        if own is None:
            return None
        context = {"counts": {}, "can_propose": False, "surveys": False, "own": own}
    else:
        return None
    return Panel(template="implementation/_policy_panel.html", context=context)


def inbox_panel(request: AuthedRequest, _page: None, *, mode: str) -> Panel | None:
    """On the inbox: for a policing body, its roles waiting for its answer and its milestones
    overdue or at risk; for the owning organisation, the changes bodies have proposed that
    wait for the lead; for the APCC, the link to every role. At most one query."""
    membership = request.membership or None
    if membership is None:
        return None
    if mode == BODY and membership.organisation.kind == OrganisationKind.POLICING_BODY:
        desk = selectors.body_desk(request.user, membership)
        if not desk["total"]:
            return None
        text = _(
            "Implementation roles: awaiting your answer %(waiting)s; overdue or at risk "
            "%(flagged)s; milestones due within %(days)s days %(soon)s"
        ) % {
            "waiting": desk["waiting"],
            "flagged": desk["flagged"],
            "soon": desk["due_soon"],
            "days": selectors.DUE_SOON_DAYS,
        }
        return Panel(actions=(Action(text, reverse("implementation:ours")),))
    if mode == OWNER and Viewer.of(request.user).is_member_of(membership.organisation_id):
        waiting = selectors.owner_desk(request.user, membership)
        text = _("Implementation roles: %(count)s with changes proposed, awaiting your answer") % {
            "count": waiting
        }
        return Panel(actions=(Action(text, reverse("implementation:proposed")),))
    if mode == APCC_QUEUE:
        return Panel(
            actions=(Action(_("Implementation roles"), reverse("implementation:proposed")),)
        )
    return None


def engagement_panel(
    request: AuthedRequest, engagement: Engagement, *, reads: bool
) -> Panel | None:
    """On an implementation update that has reached its audience: the local roles proposed
    in it that the person reads, and for a lead of the owning organisation "Propose a local
    role" with this update chosen. Nothing (and no query) on any other engagement; else one
    query."""
    if not reads or engagement.kind != Kind.IMPLEMENTATION or engagement.status not in LIVE:
        return None
    counts = selectors.engagement_counts(request.user, engagement)
    can_propose = _can_propose(request, engagement.policy)
    if not counts["total"] and not can_propose:
        return None
    actions: tuple[Action, ...] = ()
    if can_propose:
        url = reverse("implementation:propose", args=[engagement.policy.public_id])
        actions = (Action(_("Propose a local role"), f"{url}?engagement={engagement.public_id}"),)
    viewer = Viewer.of(request.user)
    return Panel(
        template="implementation/_engagement_panel.html",
        context={
            "counts": counts,
            "actions": actions,
            "surveys": viewer.is_member_of(engagement.owner_id) or viewer.is_secretariat,
            "for_body": bool(viewer.body_organisation_ids),
        },
        actions=actions,
    )
