"""Who an engagement reaches: the one decider (DESIGN.md section 6, ADR 0012).

Every `visible_to` of a record that hangs off an engagement (engagements, policies, documents,
responses, national priorities, and every record added later), every email audience and every
export composes from the expressions here. Each takes a `Viewer` (the person's facts as ids
and flags, engage/accounts/viewer.py) and returns a `Q` on the record, so a page asks one query
per list whatever the number of rules, and the rules are written once.

Two levels, because the APCC routes what it may not read:

- an engagement is **seen** (listed, its heading page: title, kind, owner, route, dates, its
  policy's title, summary and stage) by
  - its owning organisation, whatever its status or label;
  - the APCC secretariat once it is sent for routing (awaiting the APCC, confirmed to open
    later, open, closed), and a draft on which the lead consults the APCC about engaging all
    policing bodies;
  - everyone who reads it;
- an engagement is **read** (its text, questions, documents, responses, priorities) by
  - its owning organisation, except under TLP:RED, which is read by its named recipients and
    the policy's own leads only (the people on the policy's `policy_leads` who are still
    members of the owning organisation);
  - the APCC secretariat once it is sent for routing, unless it is TLP:RED and they are not
    named; never while a draft (on a wider-route consultation it sees the request, and the
    documents the lead attaches to it);
  - its audience once open or closed (not while confirmed to open on a later date): members
    of the policing bodies in its audience as fixed when it opened (`AudienceBody`: the
    bodies of the routed standing groups at that moment, or every policing body when the
    APCC agreed the wider route, plus any body the APCC added later, recorded), and the chief
    executives (and APACE) on the APACE route, alone or alongside standing groups (a combined
    route); bodies joining a group later do not gain its past engagements, bodies leaving
    keep what they were sent; under TLP:RED only the named recipients among them (or named
    people of the APCC); TLP:GREEN widens an open engagement to every member of a protocol
    organisation, TLP:CLEAR to everyone signed in;
  - nobody but the owning organisation once its policy is screened out (protocol principle 2);
    and never the audience of an engagement that was sent for routing but closed before the
    APCC opened it.
- a **document** is read by whoever reads its engagement, narrowed by its own label: TLP:CLEAR
  by all of them; TLP:GREEN, AMBER and AMBER+STRICT by the owning organisation, the secretariat
  and the audience (GREEN also the protocol community once open), not by those who reach the
  engagement only through its own GREEN or CLEAR; TLP:RED by its named recipients and the
  policy's own leads. The secretariat also reads the documents (other than TLP:RED) a lead
  attached to a wider-route request, unless the engagement is TLP:RED and it is not named.
- a record carrying the bodies' own words (a submitted collective view) is read by the
  engagement's **parties** who read it (`engagement_party_read`): its owning organisation, the
  secretariat and its audience, not those who reach it only through its GREEN or CLEAR label.
- a **response**: its working copy by the responding body; once submitted by whoever reads the
  engagement and is of the owning organisation, the APCC secretariat, or a body that leads a
  routed standing group; by the other bodies addressed only when the lead shares responses.

Site administrators read nothing by virtue of being administrators (ADR 0002).
"""

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from engage.accounts.models import Membership, OrganisationKind, Role, User
from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.directory.models import PolicingBody, StandingGroup, StandingGroupMembership
from engage.policies.models import Policy, TriageOutcome

from .models import (
    LIVE,
    ROUTED,
    AudienceBody,
    Engagement,
    Route,
    Status,
    WiderRouteRequest,
)

# The labels whose documents reach the secretariat and the routed audience.
AUDIENCE_LABELS = (Label.AMBER_STRICT, Label.AMBER, Label.GREEN)

# Matches nothing; Django drops it from an OR and empties an AND without a query.
NOTHING = Q(pk__in=[])

_routed_groups = Engagement.routed_groups.through
_recipients = Engagement.recipients.through
_policy_leads = Policy.policy_leads.through


def _any(*parts: Q | None) -> Q:
    present = [part for part in parts if part is not None]
    return reduce(or_, present) if present else NOTHING


class _Path:
    """Field names on the engagement, from the model being filtered (`engagement__` for a
    document or response, empty for the engagement itself)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, name: str, value: Any) -> Q:
        return Q(**{f"{self.prefix}{name}": value})

    def ref(self, name: str) -> OuterRef:
        return OuterRef(f"{self.prefix}{name}")


def _audience(viewer: Viewer, at: _Path) -> Q:
    """The viewer is in the engagement's audience as fixed when it opened: a member of a body
    in its `AudienceBody` rows (the routed groups' bodies at opening, every body on the agreed
    wider route, and bodies the APCC added later), or a chief executive (or APACE) on the APACE
    route, alone or alongside standing groups. Nobody before it opens: every caller asks this
    of an engagement that has reached its audience."""
    parts: list[Q | None] = []
    if viewer.body_ids:
        parts.append(
            Q(
                Exists(
                    AudienceBody.objects.filter(
                        engagement_id=at.ref("pk"), body_id__in=viewer.body_ids
                    )
                )
            )
        )
    if viewer.is_chief_executive:
        parts.append(_apace_route(at))
    return _any(*parts)


def _apace_route(at: _Path) -> Q:
    """The engagement reaches the chief executives: the APACE route, or standing groups with
    APACE alongside (a combined route)."""
    return at("route", Route.APACE) | (at("route", Route.STANDING_GROUPS) & at("also_apace", True))


def _named(viewer: Viewer, at: _Path) -> Q:
    return Q(Exists(_recipients.objects.filter(engagement_id=at.ref("pk"), user_id=_id(viewer))))


def _policy_lead(viewer: Viewer, at: _Path) -> Q:
    """One of the policy's own leads, still a member of the owning organisation."""
    return at("owner_id__in", viewer.organisation_ids) & Q(
        Exists(_policy_leads.objects.filter(policy_id=at.ref("policy_id"), user_id=_id(viewer)))
    )


def _id(viewer: Viewer) -> int:
    """The person's id; every expression that asks is reached for a signed-in person only."""
    if viewer.user_id is None:
        raise ValueError("An audience expression was built for nobody.")
    return viewer.user_id


def _not_screened(at: _Path) -> Q:
    return ~at("policy__triage_outcome", TriageOutcome.SCREENED_OUT)


def _reached_audience(at: _Path) -> Q:
    """Open or closed, and not closed before it opened (while it waited for the APCC, or
    while scheduled to open later: it never reached anyone). A scheduled engagement is not
    LIVE: its audience reaches it on its opening date."""
    return at("status__in", LIVE) & ~(
        at("status", Status.CLOSED) & at("routed_at__isnull", False) & at("opened_at__isnull", True)
    )


def _label_reach(viewer: Viewer, at: _Path, audience: Q) -> Q:
    """Whom an engagement that has reached its audience reaches, by its label."""
    red = at("label", Label.RED)
    return _any(
        ~red & audience,
        # Named people must still be in the audience, or in the APCC.
        red & _named(viewer, at) if viewer.in_apcc else red & _named(viewer, at) & audience,
        at("label", Label.GREEN) if viewer.in_protocol else None,
        at("label", Label.CLEAR),
    )


def _read(viewer: Viewer, at: _Path) -> Q:
    if not viewer.signed_in:
        return NOTHING
    red = at("label", Label.RED)
    owner = at("owner_id__in", viewer.organisation_ids) if viewer.organisation_ids else None
    secretariat = (
        at("status__in", ROUTED) & (~red | _named(viewer, at)) if viewer.is_secretariat else None
    )
    audience = _audience(viewer, at)
    return _any(
        ~red & owner if owner is not None else None,
        red & _policy_lead(viewer, at) if owner is not None else None,
        _not_screened(at)
        & _any(secretariat, _reached_audience(at) & _label_reach(viewer, at, audience)),
    )


def _seen(viewer: Viewer, at: _Path) -> Q:
    if not viewer.signed_in:
        return NOTHING
    owner = at("owner_id__in", viewer.organisation_ids) if viewer.organisation_ids else None
    routes = None
    if viewer.is_secretariat:
        consulted = Exists(WiderRouteRequest.objects.filter(engagement_id=at.ref("pk")))
        routes = _not_screened(at) & (at("status__in", ROUTED) | Q(consulted))
    return _any(owner, routes, _read(viewer, at))


# Engagements ----------------------------------------------------------------------------


def engagement_seen(viewer: Viewer, prefix: str = "") -> Q:
    """The engagement is listed for the viewer, with its heading (module docstring)."""
    return _seen(viewer, _Path(prefix))


def engagement_read(viewer: Viewer, prefix: str = "") -> Q:
    """The viewer reads the engagement's content (module docstring)."""
    return _read(viewer, _Path(prefix))


def engagement_party_read(viewer: Viewer, prefix: str = "", *, on: Engagement | None = None) -> Q:
    """The viewer reads the engagement as one of its parties: its owning organisation, the
    APCC secretariat or its audience, not only because its label was widened (TLP:GREEN,
    TLP:CLEAR). For records that carry the bodies' own words (a submitted collective view),
    which a release of the engagement does not widen, as it does not widen its responses.
    With `on`, that one engagement: whether the viewer reads it is settled once (`reads`),
    and only the audience is left to the query."""
    if not viewer.signed_in:
        return NOTHING
    at = _Path(prefix)
    if on is not None:
        if not reads(viewer, on):
            return NOTHING
        this = at("pk", on.pk)
        if on.owner_id in viewer.organisation_ids or (
            viewer.is_secretariat and on.status in ROUTED
        ):
            return this
        return this & _audience(viewer, at)
    parties = _any(
        at("owner_id__in", viewer.organisation_ids) if viewer.organisation_ids else None,
        at("status__in", ROUTED) if viewer.is_secretariat else None,
        _audience(viewer, at),
    )
    return _read(viewer, at) & parties


def reads(viewer: Viewer, engagement: Engagement) -> bool:
    """Whether the viewer reads this engagement's content: from the `content_readable`
    annotation when the engagement was loaded with it, else one query."""
    annotated = getattr(engagement, "content_readable", None)
    if annotated is not None:
        return bool(annotated)
    return Engagement.objects.filter(engagement_read(viewer), pk=engagement.pk).exists()


def addressed_to(membership: Membership | None) -> Q:
    """Open and closed engagements whose audience is the organisation `membership` acts for
    (a policing body in the audience fixed at opening, or APACE and chief executives on an
    APACE or combined route), whoever else they reach. Combine with `engagement_seen`."""
    if membership is None:
        return NOTHING
    organisation = membership.organisation
    at = _Path("")
    if organisation.kind == OrganisationKind.POLICING_BODY:
        addressed = Q(
            Exists(
                AudienceBody.objects.filter(
                    engagement_id=OuterRef("pk"), body__organisation_id=organisation.pk
                )
            )
        )
        if membership.role == Role.CHIEF_EXECUTIVE:
            addressed |= _apace_route(at)
    elif organisation.kind == OrganisationKind.APACE:
        addressed = _apace_route(at)
    else:
        return NOTHING
    return addressed & Q(status__in=LIVE)


# Documents and responses ------------------------------------------------------------------


def document_read(viewer: Viewer, *, on: Engagement | None = None) -> Q:
    """The viewer reads the document (module docstring): filter `Document` with it. With `on`,
    the documents of that one engagement: its own reach is then settled once (`reads`, from
    the annotation the engagement was loaded with) instead of in the query."""
    if not viewer.signed_in:
        return NOTHING
    at = _Path("engagement__")
    live = at("status__in", LIVE)
    owner = at("owner_id__in", viewer.organisation_ids) if viewer.organisation_ids else None
    secretariat = at("status__in", ROUTED) if viewer.is_secretariat else None
    reach = _any(
        Q(label=Label.CLEAR),
        Q(label__in=AUDIENCE_LABELS) & _any(owner, secretariat, live & _audience(viewer, at)),
        Q(label=Label.GREEN) & live if viewer.in_protocol else None,
        Q(label=Label.RED)
        & _any(
            Q(
                Exists(
                    _document_model().recipients.through.objects.filter(
                        document_id=OuterRef("pk"), user_id=_id(viewer)
                    )
                )
            ),
            _policy_lead(viewer, at) if owner is not None else None,
        ),
    )
    attached = None
    if viewer.is_secretariat:
        # Never under TLP:RED, the document's or (unless named) the engagement's: a draft
        # narrowed to RED after the lead attached a document keeps it from the APCC.
        attached = (
            ~Q(label=Label.RED)
            & (~at("label", Label.RED) | _named(viewer, at))
            & _not_screened(at)
            & Q(Exists(_attachments().filter(document_id=OuterRef("pk"))))
        )
    if on is not None:
        return Q(engagement_id=on.pk) & _any(reach if reads(viewer, on) else None, attached)
    return _any(engagement_read(viewer, "engagement__") & reach, attached)


def document_ids_read(viewer: Viewer, engagement: Engagement) -> frozenset[int]:
    """The ids of the engagement's documents the viewer reads: one query, once per request
    (kept on the viewer; the engagement page's document list primes it, `note_documents_read`),
    so the records that point at documents (questions, release requests) filter on plain ids
    instead of each building the documents' rules into their own query."""
    key = ("document_ids_read", engagement.pk)
    if key not in viewer.known:
        viewer.known[key] = frozenset(
            _document_model()
            .objects.filter(document_read(viewer, on=engagement))
            .values_list("pk", flat=True)
        )
    return viewer.known[key]


def note_documents_read(viewer: Viewer, engagement: Engagement, documents: Iterable[Any]) -> None:
    """Record the documents of `engagement` the viewer reads, as a page has just listed them
    through `Document.readable_on`, for `document_ids_read`."""
    viewer.known[("document_ids_read", engagement.pk)] = frozenset(d.pk for d in documents)


def documents_read(viewer: Viewer) -> QuerySet:
    """The documents the viewer reads, for lists outside the documents app (the documents
    shared with the APCC on a wider-route request)."""
    return _document_model().objects.filter(document_read(viewer))


def _attachments() -> QuerySet:
    return _document_model().attached_to.through.objects


def _document_model() -> Any:
    # From the app registry: documents build on engagements, not the other way round.
    from django.apps import apps

    return apps.get_model("documents", "Document")


def response_read(viewer: Viewer, *, on: Engagement | None = None) -> Q:
    """The viewer reads the response (module docstring): filter `Response` with it. With
    `on`, the responses to that one engagement, its own reach settled once (`reads`)."""
    if not viewer.signed_in:
        return NOTHING
    if on is not None and not reads(viewer, on):
        return NOTHING
    at = _Path("engagement__")
    own_body = Q(body_id__in=viewer.body_ids) if viewer.body_ids else None
    submitted_to: list[Q | None] = [
        at("owner_id__in", viewer.organisation_ids) if viewer.organisation_ids else None,
        Q(pk__isnull=False) if viewer.is_secretariat else None,
    ]
    if viewer.led_group_ids:
        submitted_to.append(
            Q(
                Exists(
                    _routed_groups.objects.filter(
                        engagement_id=OuterRef("engagement_id"),
                        standinggroup_id__in=viewer.led_group_ids,
                    )
                )
            )
        )
    submitted_to.append(at("share_responses", True) & _audience(viewer, at))
    readable = _any(own_body, Q(submitted_version__gt=0) & _any(*submitted_to))
    if on is not None:
        return Q(engagement_id=on.pk) & readable
    return engagement_read(viewer, "engagement__") & readable


def routing_record_read(viewer: Viewer) -> Q:
    """The viewer reads an engagement's routing record (its `AudienceBody` rows and route
    amendments): filter those with it. The owning organisation and the APCC secretariat, on an
    engagement they see; not its audience, which reads the engagement, not who else has it."""
    if not viewer.signed_in:
        return NOTHING
    at = _Path("engagement__")
    who = _any(
        at("owner_id__in", viewer.organisation_ids) if viewer.organisation_ids else None,
        at("status__in", ROUTED) if viewer.is_secretariat else None,
    )
    return engagement_seen(viewer, "engagement__") & who


# The people an engagement reaches (set-based, for emails) ---------------------------------


def audience_members(engagement: Engagement) -> QuerySet[User]:
    """The people in the engagement's audience who read it now, in one query: the active
    members of the bodies in its audience as fixed at opening (`AudienceBody`), and the chief
    executives and APACE on an APACE or combined route, only the named ones under TLP:RED. Nobody
    while it has not reached its audience, or once its policy is screened out. The APCC and
    the owning organisation are not its audience. Agrees with `engagement_read` for every
    person (engage/engagements/tests/test_audience_property.py)."""
    never_opened = engagement.routed_at is not None and engagement.opened_at is None
    if (
        engagement.status not in LIVE
        or (engagement.status == Status.CLOSED and never_opened)
        or engagement.policy.triage_outcome == TriageOutcome.SCREENED_OUT
    ):
        return User.objects.none()
    in_route = Q(
        organisation__kind=OrganisationKind.POLICING_BODY,
        organisation__policing_body__in=AudienceBody.objects.filter(
            engagement_id=engagement.pk
        ).values("body_id"),
    )
    if engagement.reaches_apace:
        in_route |= _chief_executives()
    people = User.objects.filter(
        is_active=True, pk__in=Membership.objects.active().filter(in_route).values("user_id")
    )
    if engagement.label == Label.RED:
        people = people.filter(
            pk__in=_recipients.objects.filter(engagement_id=engagement.pk).values("user_id")
        )
    return people.order_by("pk")


def audience_members_of_bodies(engagement: Engagement, bodies: Any) -> QuerySet[User]:
    """Those of `audience_members` who are active members of `bodies` (policing body ids: a
    list or a `values("body_id")` subquery), in one query: the people of the bodies a record
    concerns who read the engagement now."""
    in_bodies = Membership.objects.active().filter(organisation__policing_body__in=bodies)
    return audience_members(engagement).filter(pk__in=in_bodies.values("user_id"))


def policy_leads_reading(engagement: Engagement) -> QuerySet[User]:
    """The policy's own leads who are still active members of the owning organisation (they
    read the engagement under every label), in one query."""
    return policy_leads_of(engagement.policy_id, engagement.owner_id)


def policy_leads_of(policy_id: int, owner_id: int) -> QuerySet[User]:
    """The leads of the policy `policy_id` who are still active members of its owning
    organisation `owner_id` (they read everything on it: engagements under every label,
    implementation agreements), in one query."""
    owners = Membership.objects.active().filter(organisation_id=owner_id)
    leads = _policy_leads.objects.filter(policy_id=policy_id)
    return User.objects.filter(is_active=True, pk__in=leads.values("user_id")).filter(
        pk__in=owners.values("user_id")
    )


def secretariat_reading(engagement: Engagement) -> QuerySet[User]:
    """The APCC secretariat who read the engagement now (as `engagement_read`: routed, its
    policy not screened out, under TLP:RED the named ones only), in one query."""
    from engage.accounts.selectors import apcc_secretariat

    if (
        engagement.status not in ROUTED
        or engagement.policy.triage_outcome == TriageOutcome.SCREENED_OUT
    ):
        return User.objects.none()
    people = apcc_secretariat()
    if engagement.label == Label.RED:
        people = people.filter(
            pk__in=_recipients.objects.filter(engagement_id=engagement.pk).values("user_id")
        )
    return people


def _chief_executives() -> Q:
    """Memberships (of `Membership`) that the APACE route reaches."""
    return Q(role=Role.CHIEF_EXECUTIVE) | Q(organisation__kind=OrganisationKind.APACE)


def route_reaches(
    route: str, groups: Iterable[StandingGroup], people: Iterable[User], *, also_apace: bool = False
) -> set[int]:
    """Which of `people` a route would reach, or who are in the APCC: the check, before an
    engagement is sent, that everyone named on a TLP:RED one can read it once it opens. The
    groups are read as they are now: the audience is fixed when the engagement opens."""
    in_route: Q
    if route == Route.STANDING_GROUPS:
        in_route = Q(organisation__policing_body__group_memberships__group__in=list(groups))
        if also_apace:
            in_route |= _chief_executives()
    elif route == Route.ALL_BODIES:
        in_route = Q(organisation__kind=OrganisationKind.POLICING_BODY)
    else:
        in_route = _chief_executives()
    in_route |= Q(organisation__kind=OrganisationKind.APCC)
    return set(
        Membership.objects.active()
        .filter(in_route, user__in=list(people))
        .values_list("user_id", flat=True)
    )


def groups_bodies(groups: Iterable[StandingGroup]) -> QuerySet[PolicingBody]:
    """The policing bodies in `groups` now: who a standing-groups route would reach if the
    engagement opened at this moment."""
    return PolicingBody.objects.filter(
        pk__in=StandingGroupMembership.objects.filter(group__in=list(groups)).values("body_id")
    )


def proposed_audience(
    engagement: Engagement, groups: Iterable[StandingGroup], *, also_apace: bool
) -> tuple[list[PolicingBody], int]:
    """Whom the engagement would reach if it opened now on its route, with `groups` (and APACE
    alongside them if `also_apace`): the policing bodies, by name, and how many people would
    read it (as `audience_members` would count them at opening). Two queries, for the APCC's
    confirmation page."""
    groups = list(groups)
    apace = engagement.route == Route.APACE or (
        engagement.route == Route.STANDING_GROUPS and also_apace
    )
    if engagement.route == Route.STANDING_GROUPS:
        bodies = Q(pk__in=groups_bodies(groups).values("pk"))
    elif engagement.route == Route.ALL_BODIES:
        bodies = Q(pk__isnull=False)
    else:
        bodies = NOTHING
    if apace:
        bodies |= Q(pk__in=_bodies_with_chief_executive().values("pk"))
    listed = list(
        PolicingBody.objects.filter(bodies)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    in_route = NOTHING
    if engagement.route in (Route.STANDING_GROUPS, Route.ALL_BODIES):
        reached = (
            groups_bodies(groups)
            if engagement.route == Route.STANDING_GROUPS
            else PolicingBody.objects.all()
        )
        in_route = Q(
            organisation__kind=OrganisationKind.POLICING_BODY,
            organisation__policing_body__in=reached.values("pk"),
        )
    if apace:
        in_route |= _chief_executives()
    people = User.objects.filter(
        is_active=True, pk__in=Membership.objects.active().filter(in_route).values("user_id")
    )
    if engagement.label == Label.RED:
        people = people.filter(
            pk__in=_recipients.objects.filter(engagement_id=engagement.pk).values("user_id")
        )
    return listed, people.count()


def _bodies_with_chief_executive() -> QuerySet[PolicingBody]:
    return PolicingBody.objects.filter(
        organisation__in=Membership.objects.active()
        .filter(role=Role.CHIEF_EXECUTIVE, organisation__kind=OrganisationKind.POLICING_BODY)
        .values("organisation")
    )


def audience_bodies(engagement: Engagement) -> QuerySet[PolicingBody]:
    """The policing bodies the engagement is addressed to. Once open or closed, the audience
    fixed at opening (`AudienceBody`, with the bodies the APCC added later); before, the
    bodies of its routed groups now, or every body on the wider route. On an APACE or
    combined route, also the bodies with a chief executive in Engage. Records that ask "who
    has and who has not" (responses, acknowledgements, collective views) count against
    these. No body before it is routed."""
    if not engagement.route:
        return PolicingBody.objects.none()
    if engagement.status in LIVE:
        fixed = Q(pk__in=AudienceBody.objects.filter(engagement_id=engagement.pk).values("body_id"))
    elif engagement.route == Route.STANDING_GROUPS:
        fixed = Q(
            pk__in=StandingGroupMembership.objects.filter(
                group__in=_routed_groups.objects.filter(engagement_id=engagement.pk).values(
                    "standinggroup_id"
                )
            ).values("body_id")
        )
    elif engagement.route == Route.ALL_BODIES:
        fixed = Q(pk__isnull=False)
    else:
        fixed = NOTHING
    if engagement.reaches_apace:
        fixed |= Q(pk__in=_bodies_with_chief_executive().values("pk"))
    return PolicingBody.objects.filter(fixed)


def addressed_body(viewer: Viewer, engagement: Engagement, organisation) -> PolicingBody | None:
    """The policing body `organisation` is, when the engagement is addressed to it and the
    viewer (acting for it) reads the engagement, not only sees it (TLP:RED); else None. The
    check behind everything a body does on an engagement for itself: asking, acknowledging."""
    body = (
        audience_bodies(engagement)
        .filter(organisation=organisation)
        .select_related("organisation")
        .first()
    )
    if body is None or not reads(viewer, engagement):
        return None
    return body


def bodies_addressed(engagement: Engagement) -> int | None:
    """How many policing bodies the engagement is addressed to (None before it is routed)."""
    if not engagement.route:
        return None
    return audience_bodies(engagement).count()


def audience_sizes() -> dict[str, int]:
    """How many bodies the national routes reach: every policing body, or every body with a
    chief executive in Engage (APACE). Two queries, whatever the number of engagements."""
    return {
        Route.ALL_BODIES: PolicingBody.objects.count(),
        Route.APACE: _bodies_with_chief_executive().count(),
    }


def group_body_count() -> Case:
    """For an annotation on engagements: how many bodies it is addressed to through its
    audience rows once open or closed (fixed at opening), else through its routed groups now.
    The national routes before opening are counted by `audience_sizes`."""
    fixed = (
        AudienceBody.objects.filter(engagement=OuterRef("pk"))
        .order_by()
        .values("engagement")
        .annotate(n=Count("body"))
        .values("n")
    )
    by_group = (
        StandingGroupMembership.objects.filter(group__engagements=OuterRef("pk"))
        .order_by()
        .values("group__engagements")
        .annotate(n=Count("body", distinct=True))
        .values("n")
    )
    return Case(
        When(status__in=LIVE, then=Coalesce(Subquery(fixed), 0)),
        default=Coalesce(Subquery(by_group), 0),
    )


# Records between a body and the owning organisation ---------------------------------------


def concerned_read(viewer: Viewer, *, body: str = "body_id", on: Engagement | None = None) -> Q:
    """The viewer reads a record that concerns one policing body (a clarification request,
    an acknowledgement, a release request; DESIGN.md section 6): a member of that body
    (`body`, the record's field), of the owning organisation, or the APCC secretariat, each
    only while they read the engagement (TLP:RED: only those who read it). Filter the record
    with it. With `on`, the records of that one engagement: its own reach is then settled once
    (`reads`) instead of in the query, as for its documents."""
    if not viewer.signed_in:
        return NOTHING
    parties = _any(
        Q(**{f"{body}__in": viewer.body_ids}) if viewer.body_ids else None,
        Q(engagement__owner_id__in=viewer.organisation_ids) if viewer.organisation_ids else None,
        Q(pk__isnull=False) if viewer.is_secretariat else None,
    )
    if on is not None:
        return Q(engagement_id=on.pk) & parties if reads(viewer, on) else NOTHING
    return engagement_read(viewer, "engagement__") & parties
