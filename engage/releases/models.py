"""Release requests (protocol principle 3): a policing body asks the owning organisation to
share an engagement or one of its documents further than its handling label allows; the lead
grants or refuses with a reason. A grant widens the label **for that body only**, with a scope
(to whom it may pass it) and an optional expiry date. It does not change who reads the item
inside Engage: the audience decider (engage.engagements.audience) is unchanged. It changes the
label the body's members are shown and that stamps their downloads (`labels.py`).

The label in force is worked out from the data whenever it is read (a grant in force: granted
and not past its expiry date), so an expiry needs no task and an expired grant is never in
force. Who sees a request is `ReleaseRequest.objects.visible_to` (DESIGN.md section 6).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.core.labels import Label

# A body may ask for these only: RED and AMBER+STRICT are never a widening.
ASKABLE_LABELS = (Label.AMBER, Label.GREEN, Label.CLEAR)


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ReleaseRequestQuerySet(models.QuerySet["ReleaseRequest"]):
    def visible_to(self, user) -> "ReleaseRequestQuerySet":
        """The asking body, the owning organisation and the APCC secretariat, each only while
        they read the engagement (and, for a request about a document, the document)."""
        from engage.engagements.audience import NOTHING, document_read, engagement_read

        viewer = Viewer.of(user)
        if not viewer.signed_in:
            return self.filter(NOTHING)
        parties = NOTHING
        if viewer.body_organisation_ids:
            parties |= Q(body__organisation_id__in=viewer.body_organisation_ids)
        if viewer.organisation_ids:
            parties |= Q(engagement__owner_id__in=viewer.organisation_ids)
        if viewer.is_secretariat:
            parties = Q(pk__isnull=False)
        document = Q(document__isnull=True) | Q(
            document__in=_document_model().objects.filter(document_read(viewer)).values("pk")
        )
        return self.filter(parties, engagement_read(viewer, "engagement__"), document)

    def readable_on(self, engagement, user) -> "ReleaseRequestQuerySet":
        """As `visible_to`, for the requests on one engagement (its page): cheaper, since
        whether `user` reads the engagement, and which of its documents, is settled once."""
        from engage.engagements.audience import concerned_read, document_ids_read

        viewer = Viewer.of(user)
        document = Q(document__isnull=True) | Q(
            document_id__in=document_ids_read(viewer, engagement)
        )
        return self.filter(concerned_read(viewer, on=engagement), document)

    def in_force(self, on: date | None = None) -> "ReleaseRequestQuerySet":
        """Grants in force on `on` (today, in UK time): granted, and the expiry date (the last
        day it applies) not passed."""
        today = on or timezone.localdate()
        return self.filter(decision=Decision.GRANTED).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )

    def pending_first(self) -> "ReleaseRequestQuerySet":
        """Pending requests first, oldest first (the longest waiting); then the decided, the
        latest decision first."""
        return self.annotate(
            waiting=models.Case(
                models.When(decision=Decision.PENDING, then=models.Value(0)),
                default=models.Value(1),
            )
        ).order_by("waiting", models.F("decided_at").desc(nulls_last=True), "requested_at", "pk")


def _document_model():
    # From the app registry: documents sit above releases (they ask it for the label).
    from django.apps import apps

    return apps.get_model("documents", "Document")


class ReleaseRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="release_requests"
    )
    # Empty: a request about the engagement itself (and the documents its grant covers,
    # `labels.py`); set: about this one document.
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="release_requests",
    )
    # The body the asker acts for, from their membership, never from the form.
    body = models.ForeignKey(
        "directory.PolicingBody", on_delete=models.PROTECT, related_name="release_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # The label the body was shown when it asked; a grant returns to it on expiry.
    from_label = models.CharField(max_length=20, choices=Label.choices)
    to_label = models.CharField(_("share it as"), max_length=20, choices=Label.choices)
    with_whom = models.CharField(_("with whom"), max_length=300)
    why = models.TextField(_("why"))

    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # On a grant: to whom the body may pass it, and the last day it may (none: no end).
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)

    objects = ReleaseRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["engagement", "decision"]),
            models.Index(fields=["body", "decision"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_label__in=[label.value for label in ASKABLE_LABELS]),
                name="release_request_to_askable_label",
            ),
            models.CheckConstraint(
                condition=Q(decision=Decision.PENDING)
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="release_request_decided_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(decision=Decision.GRANTED) | ~Q(scope=""),
                name="release_grant_has_scope",
            ),
            # One request waiting per body per item: a second would only split the answer.
            models.UniqueConstraint(
                fields=["engagement", "body"],
                condition=Q(decision=Decision.PENDING, document__isnull=True),
                name="one_pending_engagement_release_per_body",
            ),
            models.UniqueConstraint(
                fields=["document", "body"],
                condition=Q(decision=Decision.PENDING, document__isnull=False),
                name="one_pending_document_release_per_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} asks {self.get_to_label_display()} for {self.item_title}"

    @property
    def item_title(self) -> str:
        return self.document.title if self.document_id else self.engagement.title  # type: ignore[union-attr]

    @property
    def is_pending(self) -> bool:
        return self.decision == Decision.PENDING

    def is_in_force(self, on: date | None = None) -> bool:
        today = on or timezone.localdate()
        return self.decision == Decision.GRANTED and (
            self.expires_on is None or self.expires_on >= today
        )

    def age_days(self, on: date | None = None) -> int:
        today = on or timezone.localdate()
        return (today - timezone.localdate(self.requested_at)).days
