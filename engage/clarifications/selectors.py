"""Reads of clarification requests for a person. Every read starts from `visible_to(user)`
(the request, with who asked) or `published_to(user)` (the published texts only)."""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from engage.accounts.models import Membership
from engage.accounts.viewer import Viewer
from engage.directory.models import PolicingBody
from engage.directory.selectors import policing_body_of
from engage.documents.models import Document
from engage.engagements import audience
from engage.engagements.models import Engagement

from .models import ClarificationQuerySet, ClarificationRequest
from .services import ANSWER, clarification_ask_check

OPEN, ANSWERED, PUBLISHED = "open", "answered", "published"


def get_clarification_for_user(user, public_id, *, write: bool = False) -> ClarificationRequest:
    """The request if `user` reads it (404 otherwise); with `write`, 403 unless they may
    answer it (a member of the owning organisation)."""
    clarification = get_object_or_404(
        with_document_readable(
            ClarificationRequest.objects.visible_to(user).select_related(
                "engagement__owner",
                "engagement__policy",
                "body__organisation",
                "document",
                "asked_by",
                "answered_by",
                "published_by",
            ),
            user,
        ),
        public_id=public_id,
    )
    if write and not rules.has_perm(ANSWER, user, clarification):
        raise PermissionDenied
    return clarification


def with_document_readable(queryset: QuerySet, user, on: Engagement | None = None) -> QuerySet:
    """Annotate `document_readable`: whether `user` reads the document a request is about (a
    TLP:RED document is read by fewer people than its engagement), in the same query. With
    `on`, the requests of that one engagement (its documents' reach settled once)."""
    if on is not None:
        ids = audience.document_ids_read(Viewer.of(user), on)
        return queryset.annotate(
            document_readable=ExpressionWrapper(Q(document_id__in=ids), output_field=BooleanField())
        )
    return queryset.annotate(
        document_readable=Exists(
            Document.objects.visible_to(user).filter(pk=OuterRef("document_id"))
        )
    )


def can_answer(user, clarification: ClarificationRequest) -> bool:
    return rules.has_perm(ANSWER, user, clarification)


def readable_documents(user, engagement: Engagement) -> list[Document]:
    """The engagement's documents `user` reads: what a question may be about."""
    return list(Document.objects.readable_on(engagement, user).order_by("title", "pk"))


def get_document_to_ask_about(user, engagement: Engagement, public_id) -> Document:
    """A document of `engagement` that `user` reads, named in the ask link: 404 otherwise
    (a document the person may not read stays invisible)."""
    return get_object_or_404(Document.objects.readable_on(engagement, user), public_id=public_id)


# Lists ------------------------------------------------------------------------------------


def _state(requests: ClarificationQuerySet, state: str) -> ClarificationQuerySet:
    if state == OPEN:
        return requests.open()
    if state == ANSWERED:
        return requests.answered().filter(published_at__isnull=True)
    if state == PUBLISHED:
        return requests.published()
    return requests


def received(user, membership: Membership | None, *, state: str = "") -> QuerySet:
    """For the owning organisation: the requests on its engagements, open first, oldest
    first. For the APCC secretariat: every request it reads. One query per page."""
    requests = ClarificationRequest.objects.visible_to(user)
    if membership is None:
        return ClarificationRequest.objects.none()
    if membership.is_secretariat:
        pass  # the APCC reads every request on what it reads
    elif membership.organisation.is_national:
        requests = requests.filter(engagement__owner=membership.organisation)
    else:
        return ClarificationRequest.objects.none()
    return (
        _state(requests, state)
        .select_related("engagement", "body__organisation")
        .order_by("answered_at", "asked_at", "pk")
    )


def acting_body(membership: Membership | None) -> PolicingBody | None:
    """The policing body `membership` acts for, if it is one."""
    return policing_body_of(membership)


def asked(user, body: PolicingBody, *, state: str = "") -> QuerySet:
    """The requests `body` has asked that `user` reads, open first, oldest first."""
    requests = ClarificationRequest.objects.visible_to(user).filter(body=body)
    return (
        _state(requests, state)
        .select_related("engagement", "asked_by")
        .order_by("answered_at", "asked_at", "pk")
    )


def published_on(user, engagement: Engagement) -> QuerySet:
    """The published questions and answers on `engagement`, newest first, for someone who
    reads it (whether they do is settled once: `audience.reads`)."""
    if not audience.reads(Viewer.of(user), engagement):
        return ClarificationRequest.objects.none()
    return with_document_readable(
        ClarificationRequest.objects.filter(engagement=engagement)
        .published()
        .select_related("document")
        .order_by("-published_at", "-pk"),
        user,
        on=engagement,
    )


# The engagement page's section --------------------------------------------------------------

PANEL_SHOWN = 5  # published questions the engagement page shows before "see all"


@dataclass(frozen=True)
class ClarificationPanel:
    published: list[ClarificationRequest]  # the latest published, at most PANEL_SHOWN
    more: bool  # more are published than shown
    can_ask: bool  # the person's body may ask now
    body: PolicingBody | None  # the body the person asks for
    open_count: int  # requests on this engagement the person reads that wait for an answer
    total: int  # every request on this engagement the person reads
    for_body: bool  # the person acts for a policing body (their list is the body's own)


def clarification_panel(user, engagement: Engagement, membership: Membership | None):
    """What the engagement page says about clarifications, in at most three queries: the
    published ones, the requests the person reads (counted), and whether their body may ask."""
    published = list(published_on(user, engagement)[: PANEL_SHOWN + 1])
    viewer = Viewer.of(user)
    party = bool(
        viewer.is_secretariat
        or viewer.is_member_of(engagement.owner_id)
        or viewer.body_organisation_ids
    )
    counts = {"open": 0, "total": 0}
    if party:
        counts = ClarificationRequest.objects.readable_on(engagement, user).aggregate(
            open=Count("pk", filter=Q(answered_at__isnull=True)), total=Count("pk")
        )
    body = None
    for_body = membership is not None and membership.organisation_id in viewer.body_organisation_ids
    if for_body:
        try:
            body = clarification_ask_check(engagement, membership, user)
        except ValidationError:
            body = None
    return ClarificationPanel(
        published=published[:PANEL_SHOWN],
        more=len(published) > PANEL_SHOWN,
        can_ask=body is not None,
        body=body,
        open_count=counts["open"] or 0,
        total=counts["total"] or 0,
        for_body=for_body,
    )
