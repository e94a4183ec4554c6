"""Dissemination requests (issue 9, point 1; protocol PCC duty 2): with an engagement, the
policy lead asks the policing bodies it is addressed to to communicate something locally (a
message with its own handling label, the audiences suggested, a due date); each body says what
it did, or why it could not.

The bodies asked are fixed when the request is made: one `DisseminationConfirmation` row per
body the engagement is addressed to then (`audience.audience_bodies`: the audience fixed at
opening), waiting for the body's answer. A body the APCC adds to the audience later is asked by
the next request, not by the ones already made.

Who reads what (DESIGN.md section 6, composed from `engage.engagements.audience`):
- a request (its message and label) is read by the bodies asked, the owning organisation and the
  APCC secretariat, each only while they read the engagement;
- a body's confirmation by that body, the owning organisation and the APCC secretariat, each
  only while they read the engagement (`audience.concerned_read`).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.documents.filetypes import FileType

# The labels a message meant to be passed on may carry: never one that keeps it within the
# body itself (TLP:AMBER+STRICT) or to named people (TLP:RED).
MESSAGE_LABELS = (Label.CLEAR, Label.GREEN, Label.AMBER)


class Audience(models.TextChoices):
    CRIMINAL_JUSTICE_BOARD = "cjb", _("The local criminal justice board")
    COMMUNITY_SAFETY = "csp", _("Community safety partnerships")
    VICTIMS_SERVICES = "victims", _("Victims' services")
    PUBLIC = "public", _("The public")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    BULLETIN = "bulletin", _("E-bulletin or newsletter")
    MEETING = "meeting", _("Meeting or board")
    WEBSITE = "website", _("Website")
    SOCIAL = "social", _("Social media")
    LETTER = "letter", _("Letter or email")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    COULD_NOT = "could_not", _("Could not")


class State(models.TextChoices):
    """Where a body stands on a request: what it said, or whether its due date has passed."""

    DONE = "done", _("Done")
    COULD_NOT = "could_not", _("Could not")
    OVERDUE = "overdue", _("Overdue")
    DUE = "due", _("Not due yet")


class DisseminationRequestQuerySet(models.QuerySet["DisseminationRequest"]):
    def visible_to(self, user) -> "DisseminationRequestQuerySet":
        """The requests `user` reads: a member of a body asked, of the owning organisation, or
        the APCC secretariat, each while they read the engagement. One query."""
        from engage.engagements.audience import concerned_read

        viewer = Viewer.of(user)
        return self.filter(
            Exists(
                DisseminationConfirmation.objects.filter(concerned_read(viewer)).filter(
                    request_id=OuterRef("pk")
                )
            )
        )

    def readable_on(self, engagement, user) -> "DisseminationRequestQuerySet":
        """As `visible_to`, for the requests on one engagement (its page): whether `user`
        reads the engagement is settled once, not in the query."""
        from engage.engagements.audience import concerned_read

        viewer = Viewer.of(user)
        return self.filter(engagement=engagement).filter(
            Exists(
                DisseminationConfirmation.objects.filter(
                    concerned_read(viewer, on=engagement)
                ).filter(request_id=OuterRef("pk"))
            )
        )


class DisseminationRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="dissemination_requests"
    )
    message = models.TextField(_("message"))
    # The message's own label: it is meant to be passed on, so never narrower than TLP:AMBER.
    message_label = models.CharField(
        _("message label"), max_length=20, choices=Label.choices, default=Label.GREEN
    )
    audiences = models.JSONField(_("audiences suggested"), default=list, blank=True)
    audience_other = models.CharField(_("other audience"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DisseminationRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["engagement", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(message_label__in=list(map(str, MESSAGE_LABELS))),
                name="dissemination_message_label_can_be_passed_on",
            )
        ]

    def __str__(self) -> str:
        return f"Dissemination request on {self.engagement}"

    def audience_labels(self) -> list[str]:
        """The audiences suggested, in words ("Other" as what the lead wrote)."""
        names = dict(Audience.choices)
        return [
            self.audience_other
            if key == Audience.OTHER and self.audience_other
            else str(names[key])
            for key in self.audiences
            if key in names
        ]

    def is_overdue(self, today: date | None = None) -> bool:
        return self.due_on < (today or timezone.localdate())


def state_expression(today: date | None = None, prefix: str = "request__") -> Case:
    """A body's state on a request, in the query: its answer, else overdue once the due date
    has passed, else not due yet. Nothing reads as done unless the body said it was done."""
    today = today or timezone.localdate()
    return Case(
        When(outcome=Outcome.DONE, then=Value(State.DONE.value)),
        When(outcome=Outcome.COULD_NOT, then=Value(State.COULD_NOT.value)),
        When(**{f"{prefix}due_on__lt": today}, then=Value(State.OVERDUE.value)),
        default=Value(State.DUE.value),
        output_field=models.CharField(),
    )


class DisseminationConfirmationQuerySet(models.QuerySet["DisseminationConfirmation"]):
    def visible_to(self, user) -> "DisseminationConfirmationQuerySet":
        """The body concerned, the owning organisation, the APCC secretariat, each while they
        read the engagement. One query."""
        from engage.engagements.audience import concerned_read

        return self.filter(concerned_read(Viewer.of(user)))

    def readable_on(self, engagement, user) -> "DisseminationConfirmationQuerySet":
        from engage.engagements.audience import concerned_read

        return self.filter(concerned_read(Viewer.of(user), on=engagement))

    def with_state(self, today: date | None = None) -> "DisseminationConfirmationQuerySet":
        return self.annotate(state=state_expression(today))


def attachment_upload_to(instance: "DisseminationConfirmation", filename: str) -> str:
    """A random name under dissemination/: never the uploader's file name."""
    return f"dissemination/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.attachment_type}"


class DisseminationConfirmation(models.Model):
    """One body asked by one request, and what it said: nothing yet (`outcome` empty), what it
    did, or why it could not."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        DisseminationRequest, on_delete=models.PROTECT, related_name="confirmations"
    )
    # The request's engagement, copied when the body is asked (a request never changes
    # engagement), so that who reads the row is `audience.concerned_read`, as for every other
    # record between a body and the owning organisation.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey(
        "directory.PolicingBody",
        on_delete=models.PROTECT,
        related_name="dissemination_confirmations",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    channel_other = models.CharField(_("other channel"), max_length=200, blank=True)
    to_whom = models.TextField(_("to whom"), blank=True)
    audiences_reached = models.JSONField(_("audiences reached"), default=list, blank=True)
    done_on = models.DateField(_("when"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    # An optional file with a "done" answer (the bulletin or the board paper as sent), checked
    # as documents are (`documents.uploads.read_upload`) and stored in the private storage under
    # a random name; the uploader's file name is kept for display only. A replaced or removed
    # file stays stored, as the history rows name it; only the current one is served.
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_upload_to, max_length=200, blank=True
    )
    attachment_name = models.CharField(_("attachment's file name"), max_length=255, blank=True)
    attachment_type = models.CharField(
        _("attachment's type"), max_length=10, choices=FileType.choices, blank=True
    )
    attachment_size = models.PositiveBigIntegerField(_("attachment's size"), default=0)
    reason = models.TextField(_("why it could not"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = DisseminationConfirmationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "body"]
        indexes = [models.Index(fields=["body", "outcome"])]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "body"], name="one_dissemination_confirmation_per_body"
            ),
            models.CheckConstraint(
                condition=Q(outcome="")
                | Q(outcome=Outcome.DONE, done_on__isnull=False)
                | (Q(outcome=Outcome.COULD_NOT) & ~Q(reason="")),
                name="dissemination_confirmation_says_what_or_why",
            ),
            models.CheckConstraint(
                condition=Q(
                    attachment="", attachment_name="", attachment_type="", attachment_size=0
                )
                | (Q(outcome=Outcome.DONE) & ~Q(attachment="") & ~Q(attachment_type="")),
                name="dissemination_attachment_only_with_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} on {self.request}"

    @property
    def is_confirmed(self) -> bool:
        return bool(self.outcome)

    def state_on(self, today: date | None = None) -> str:
        if self.outcome:
            return self.outcome
        return State.OVERDUE if self.request.is_overdue(today) else State.DUE

    def audiences_reached_labels(self) -> list[str]:
        names = dict(Audience.choices)
        return [str(names[key]) for key in self.audiences_reached if key in names]

    @property
    def has_attachment(self) -> bool:
        return bool(self.attachment)

    def attachment_summary(self) -> str:
        """e.g. "PDF, 120.0 KB": the attachment's type (its extension) and size."""
        if not self.attachment:
            return ""
        return f"{self.attachment_type.upper()}, {filesizeformat(self.attachment_size)}"

    def channel_text(self) -> str:
        if self.channel == Channel.OTHER and self.channel_other:
            return self.channel_other
        return self.get_channel_display() if self.channel else ""
