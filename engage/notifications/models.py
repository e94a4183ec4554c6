"""Notifications (issue 11): every change that tells people something records one `Event` in
the change's transaction; a task (`tasks.deliver_event`) works out who is told, through the
emitting app's provider (`registry`), and writes one `Notification` per person (unique per
person and event) and one email each. An event keeps no labelled content: its title only when
the item is TLP:CLEAR or TLP:GREEN (`shareable_title`), and facts that carry no label."""

import re
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EventKind(models.TextChoices):
    """Every kind of event of the issue, including those no app emits yet: an app emitting a
    kind registers its recipients (`registry.register`)."""

    ENGAGEMENT_OPENED = "engagement_opened", _("An engagement opened to you")
    ENGAGEMENT_ROUTED = "engagement_routed", _("An engagement routed to you")
    ROUTING_AWAITING_APCC = "routing_awaiting_apcc", _("An engagement awaiting APCC routing")
    ENGAGEMENT_RETURNED = "engagement_returned", _("An engagement returned with advice")
    WIDER_ROUTE_REQUESTED = "wider_route_requested", _("A request to engage all policing bodies")
    WIDER_ROUTE_DECIDED = "wider_route_decided", _("A decision on engaging all policing bodies")
    DRAFT_READY = "draft_ready", _("A draft response ready for the commissioner")
    DEADLINE_7_DAYS = "deadline_7_days", _("A response deadline in 7 days")
    DEADLINE_2_DAYS = "deadline_2_days", _("A response deadline in 2 days")
    RESPONSE_SUBMITTED = "response_submitted", _("A response submitted")
    COLLECTIVE_READY = "collective_ready", _("A collective view ready for sign-off")
    COLLECTIVE_SENT_BACK = "collective_sent_back", _("A collective view sent back")
    COLLECTIVE_SUBMITTED = "collective_submitted", _("A collective view submitted")
    OUTCOME_PUBLISHED = "outcome_published", _("An outcome published")
    CLARIFICATION_ASKED = "clarification_asked", _("A clarification asked")
    CLARIFICATION_ANSWERED = "clarification_answered", _("A clarification answered")
    RELEASE_ASKED = "release_asked", _("A release request asked")
    RELEASE_ANSWERED = "release_answered", _("A release request answered")
    DISSEMINATION_REQUESTED = "dissemination_requested", _("A dissemination request")
    DISSEMINATION_DUE = "dissemination_due", _("A dissemination request due")
    DISSEMINATION_CONFIRMED = "dissemination_confirmed", _("A dissemination confirmed")
    IMPLEMENTATION_PROPOSED = "implementation_proposed", _("An implementation proposal")
    IMPLEMENTATION_ACCEPTED = "implementation_accepted", _("An implementation proposal accepted")
    MILESTONE_AT_RISK = "milestone_at_risk", _("A milestone at risk")
    MILESTONE_OVERDUE = "milestone_overdue", _("A milestone overdue")
    CHANGE_NOTICE = "change_notice", _("A change notice to acknowledge")
    PRIORITIES_UPDATE = "priorities_update", _("A priorities update to acknowledge")


class EmailChoice(models.TextChoices):
    """How a person is emailed of one kind of event (they are told in the service anyway)."""

    IMMEDIATE = "immediate", _("Email me straight away")
    DIGEST = "digest", _("Email me in a daily summary")
    NONE = "none", _("Do not email me: tell me in the service only")


class EmailState(models.TextChoices):
    """Where a notification's email stands."""

    SENT = "sent", _("Emailed")
    PENDING = "pending", _("Waiting for the daily summary")
    NONE = "none", _("Not emailed (the person's choice)")
    DROPPED = "dropped", _("Not emailed: the person could no longer see the item")


class Event(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    # The item's public id (an engagement's, a response's ...), for the provider to find it.
    subject_id = models.UUIDField(_("item"))
    link = models.CharField(_("link"), max_length=300, help_text=_("A path in the service."))
    # Blank unless the item is TLP:CLEAR or TLP:GREEN (`shareable_title`).
    title = models.CharField(_("title"), max_length=300, blank=True)
    # Only facts that carry no label, such as the owning organisation's name.
    context = models.JSONField(_("context"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["kind", "subject_id"], name="notif_event_subject")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id}"


class Notification(models.Model):
    """That `user` was told of `event`: one row per person and event, however often the
    delivery task runs."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("email"), max_length=20, choices=EmailState.choices, default=EmailState.SENT
    )
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("daily summary"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_once")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["email_state", "digest"], name="notification_digest_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.user_id}"


class NotificationPreference(models.Model):
    """A person's choice for one kind of event; a kind without a row takes its default
    (engage/notifications/preferences.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    email = models.CharField(_("email"), max_length=20, choices=EmailChoice.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"


class DigestSetting(models.Model):
    """When a person's daily summary is sent (local time); without a row, at DIGEST_DEFAULT."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_setting"
    )
    send_at = models.TimeField(_("send at"))

    class Meta:
        verbose_name = _("daily summary time")
        verbose_name_plural = _("daily summary times")

    def __str__(self) -> str:
        return f"{self.user_id} at {self.send_at:%H:%M}"


class Digest(models.Model):
    """One person's daily summary for one day: the notifications it carries are attached when
    it is made, before anything is sent, so a summary sent again after a worker is lost carries
    the same notifications under the same key (sent once: `send_email`), and a notification
    arriving later waits for the next day's."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    on = models.DateField(_("for the day"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Which run is sending it, since when (digests.digests_claim).
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        constraints = [models.UniqueConstraint(fields=["user", "on"], name="digest_once_a_day")]
        indexes = [models.Index(fields=["sent_at"], name="digest_unsent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.on}"


def new_calendar_token() -> str:
    """A calendar feed's secret: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


# The shape of what `new_calendar_token` makes; anything else in a feed's link is refused
# before a query (a NUL byte, which PostgreSQL refuses in text, would otherwise be a 500).
CALENDAR_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def is_calendar_token(text: str) -> bool:
    """Whether `text` has the shape of a calendar feed's token."""
    return CALENDAR_TOKEN.fullmatch(text) is not None


class CalendarFeed(models.Model):
    """A person's calendar feed, turned on. Only the SHA-256 hash of the secret in its link
    is kept (`token_hash`, as for invitations): the link is shown once, when made, and a
    calendar app presents it instead of signing in. A new link replaces the hash; turning
    the feed off deletes the row, so an old link finds nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    # Looked up by the database's unique index, never compared in Python.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)

    # Who turned the feed on, made a new link or turned it off, and when; not even the
    # secret's hash, and not each fetch (an UPDATE, `services.calendar_feed_fetched`).
    history = HistoricalRecords(excluded_fields=["token_hash", "last_fetched_at"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"
