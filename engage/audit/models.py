"""An append-only record of who viewed, downloaded or was refused what.

Who reads it (DESIGN.md section 6): site administrators and the APCC secretariat read every
entry, for the review; everyone else reads their own. An entry that concerns a screened-out
policy (a refusal to engage on it, whoever attempted it; a view of the policy, of its
engagements or of what they hold) is confidential to the policy's owning organisation: its
active members, who alone know of the screen, read it whoever wrote it, and nobody else does,
administrators, the secretariat and its own author included, since to anyone outside the
organisation the entry would reveal that the policy exists and was screened out.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    EXPORT = "export", _("Exported")
    REFUSED = "refused", _("Refused")


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def visible_to(self, user) -> "AccessLogQuerySet":
        """Site administrators and the APCC secretariat see all; everyone else sees their own.
        An entry confidential to an organisation (one that concerns a screened-out policy)
        is instead seen by that organisation's active members, and by them alone: not by an
        administrator or the secretariat, nor by its author if outside the organisation."""
        from engage.accounts.viewer import Viewer

        viewer = Viewer.of(user)
        if not viewer.signed_in:
            return self.none()
        confidential = models.Q(confidential_to__in=viewer.organisation_ids)
        # Entries written before their policy was screened out: the objects it then covered
        # are listed in ConfidentialObject, for the owning organisation's members only.
        marked = ConfidentialObject.objects.filter(
            object_type=models.OuterRef("object_type"), object_id=models.OuterRef("object_id")
        ).exclude(organisation_id__in=viewer.organisation_ids)
        return self._readable(viewer, confidential).exclude(models.Exists(marked))

    def _readable(self, viewer, confidential: models.Q) -> "AccessLogQuerySet":
        if viewer.is_site_admin or viewer.is_secretariat:
            # One condition on a coalesced value, not "is null or in": an OR of the two lets
            # SQLite read every entry through the confidential_to index and sort them all,
            # where the newest-first index on `at` stops after a page.
            return self.alias(
                confidential_or_none=Coalesce("confidential_to", models.Value(0))
            ).filter(confidential_or_none__in=[0, *viewer.organisation_ids])
        return self.filter(
            models.Q(user_id=viewer.user_id, confidential_to__isnull=True) | confidential
        )

    def update(self, **kwargs):  # pragma: no cover - guarded, never called
        raise TypeError("The access log is append-only.")

    def delete(self):
        raise TypeError("The access log is append-only.")


class ConfidentialObject(models.Model):
    """A record the access log may name that concerns a screened-out policy: the policy, its
    engagements, their documents, responses and priorities (by the log's object type and id).
    Written when the screen puts the policy outside the protocol, so that entries logged
    before it are read by the owning organisation only, as later ones are (`confidential_to`);
    the log itself is never changed."""

    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id"], name="one_confidential_mark_per_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}"


class AccessLog(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    label = models.CharField(_("handling label"), max_length=20, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # Set when the entry concerns a screened-out policy: the policy's owning organisation,
    # whose active members alone may read the entry (see `AccessLogQuerySet.visible_to`).
    confidential_to = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confidential to"),
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        # Append-only: an entry, once written, is never changed.
        if not self._state.adding:
            raise TypeError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The access log is append-only.")
