"""What a clarification request tells people, through the one notification path
(engage.notifications, decision 17): an event recorded in the service's transaction, then a
task that asks the providers below who to tell, when it runs.

- `clarification_asked`: the policy's own leads who are still members of the owning
  organisation, and the APCC secretariat while it reads the engagement (DESIGN.md section 6:
  a request is read by the asking body, the owning organisation and the APCC).
- `clarification_answered` (the first answer, not a later change): the members of the asking
  body who read the engagement now (its audience, the named recipients only under TLP:RED).

Both name the owning organisation and link to the request; the engagement's title only when
it is TLP:CLEAR or TLP:GREEN (`shareable_title`), never the question or the answer.
Each provider is set-based: one query when evaluated, whatever the number of people.
"""

from django.db.models import Q, QuerySet
from django.urls import reverse

from engage.accounts.models import Membership, OrganisationKind, Role, User
from engage.core.labels import Label
from engage.engagements.audience import audience_members
from engage.engagements.models import ROUTED, Engagement
from engage.notifications.models import Event, EventKind
from engage.notifications.services import event_record, shareable_title
from engage.policies.models import Policy, TriageOutcome

from .models import ClarificationRequest


def _record(kind: str, clarification: ClarificationRequest, by: User) -> Event:
    engagement = clarification.engagement
    return event_record(
        kind,
        subject_id=clarification.public_id,
        link=reverse("clarifications:detail", args=[clarification.public_id]),
        title=shareable_title(engagement.title, engagement.label),
        context={"owner": str(engagement.owner), "body": str(clarification.body)},
        actor=by,
    )


def notify_clarification_asked(clarification: ClarificationRequest, by: User) -> Event:
    """Record the question, in the caller's transaction."""
    return _record(EventKind.CLARIFICATION_ASKED, clarification, by)


def notify_clarification_answered(clarification: ClarificationRequest, by: User) -> Event:
    """Record the first answer, in the caller's transaction."""
    return _record(EventKind.CLARIFICATION_ANSWERED, clarification, by)


def _clarification_of(event: Event) -> ClarificationRequest | None:
    return (
        ClarificationRequest.objects.select_related("engagement__policy", "engagement__owner")
        .filter(public_id=event.subject_id)
        .first()
    )


def _secretariat_reads(engagement: Engagement) -> Q | None:
    """The APCC secretariat members who read the engagement now (as `audience._read`: routed,
    its policy not screened out, under TLP:RED only those named)."""
    if (
        engagement.status not in ROUTED
        or engagement.policy.triage_outcome == TriageOutcome.SCREENED_OUT
    ):
        return None
    secretariat = Membership.objects.active().filter(
        organisation__kind=OrganisationKind.APCC, role=Role.SECRETARIAT
    )
    found = Q(pk__in=secretariat.values("user_id"))
    if engagement.label == Label.RED:
        found &= Q(
            pk__in=engagement.recipients.through.objects.filter(engagement_id=engagement.pk).values(
                "user_id"
            )
        )
    return found


def clarification_asked_recipients(event: Event) -> QuerySet[User]:
    """The policy's leads still in the owning organisation (they read every label of it) and
    the APCC secretariat while it reads the engagement."""
    clarification = _clarification_of(event)
    if clarification is None:
        return User.objects.none()
    engagement = clarification.engagement
    owners = Membership.objects.active().filter(organisation_id=engagement.owner_id)
    leads = Policy.policy_leads.through.objects.filter(policy_id=engagement.policy_id)
    found = Q(pk__in=leads.values("user_id")) & Q(pk__in=owners.values("user_id"))
    secretariat = _secretariat_reads(engagement)
    if secretariat is not None:
        found |= secretariat
    return User.objects.filter(found, is_active=True).order_by("pk")


def clarification_answered_recipients(event: Event) -> QuerySet[User]:
    """The asking body's members who read the engagement now: its audience (fixed at
    opening, none once screened out, the named ones only under TLP:RED) in that body."""
    clarification = _clarification_of(event)
    if clarification is None or not clarification.is_answered:
        return User.objects.none()
    body_members = Membership.objects.active().filter(
        organisation__policing_body=clarification.body_id
    )
    return audience_members(clarification.engagement).filter(pk__in=body_members.values("user_id"))
