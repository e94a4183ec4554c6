"""Records that background work keeps so that nothing is lost and nothing is done twice."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Refused for good (the address is wrong or the mailbox does not exist): never retried.
    UNDELIVERABLE = "undeliverable", _("Undeliverable")


class EmailDelivery(models.Model):
    """One email to one person, keyed by the message it belongs to (`key`, such as
    "invitation:41") and the recipient. A task claims it (status "sending") in a transaction
    before handing the email to the mail server and marks it sent after, so a rerun of the
    task finds it sent and sends nothing. The body is not kept: it may carry a one-time link.
    `public_id` is the reference the email carries out (the id would tell how many were sent)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(_("key"), max_length=200)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.SENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="email_delivery_once")
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="email_delivery_status")]

    def __str__(self) -> str:
        return f"{self.key} to {self.recipient}"


class AddressSource(models.TextChoices):
    SMTP = "smtp", _("Mail server refused it")
    NOTIFY = "notify", _("GOV.UK Notify refused it")
    CALLBACK = "callback", _("GOV.UK Notify reported a bounce")
    INVALID = "invalid", _("Not a valid address")


class AddressProblemQuerySet(models.QuerySet["AddressProblem"]):
    def open(self) -> "AddressProblemQuerySet":
        return self.filter(cleared_at__isnull=True)


class AddressProblem(models.Model):
    """An email address that mail cannot reach: refused for good by the mail server or GOV.UK
    Notify, reported bounced by Notify, or not an address at all. One open row per address
    (case-insensitive), counting each time it is seen; the person whose email it is, if any.
    A later successful send does not clear it: a site administrator does, once the address
    is put right (decision 18)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="address_problems",
    )
    # Not an EmailField: an invalid address is recorded as it was given.
    address = models.CharField(_("address"), max_length=320)
    reason = models.CharField(_("reason"), max_length=500)
    source = models.CharField(_("source"), max_length=10, choices=AddressSource.choices)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    count = models.PositiveIntegerField(_("times seen"), default=1)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    objects = AddressProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        verbose_name = _("address problem")
        verbose_name_plural = _("address problems")
        constraints = [
            models.UniqueConstraint(
                Lower("address"),
                condition=models.Q(cleared_at__isnull=True),
                name="address_problem_one_open_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address}: {self.reason}"


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life, refreshed while it runs (`manage.py run_worker`). A task
    whose worker has not beaten for the lease (TASK_LEASE_SECONDS) is run again."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"


class PeriodicRun(models.Model):
    """That a periodic task (engage/core/periodic.py) was enqueued for one slot of its
    period: unique per (task, slot), so of several workers whose heartbeats find the task due
    only the one that inserts the row enqueues it. Rows older than a week are pruned."""

    task = models.CharField(max_length=200)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "slot"], name="periodic_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.task} at {self.slot:%Y-%m-%d %H:%M}"
