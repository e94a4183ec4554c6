"""Implementation agreements (issue 9; DESIGN.md section 2, duty 3 both ways): for a policy in
implementation, the policy lead proposes a local role to a policing body (what, by when, the
support offered); the body accepts, declines with reasons, or proposes changes, in a short
thread of turns until both agree. An agreed role has milestones (title, due date, status)
with dated updates from either side.

Who reads what (DESIGN.md section 6, "Dissemination or implementation record"): the body
concerned, the owning organisation and the APCC secretariat. Nobody but the owning
organisation once the policy is screened out (protocol principle 2).

What is worked out when read, never stored: whether a milestone is overdue (past its due date
and not done, in UK time), and an agreement's summary for the lead's table (its state, and
for an agreed role the worst of its milestones).
"""

import uuid
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.policies.models import TriageOutcome

# How the access log names an agreement's page (by its public id) and a policy's status page
# (by the policy's public id).
LOG_AGREEMENT = "implementation_agreement"
LOG_STATUS = "implementation_status"


class AgreementState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")  # the body's turn
    CHANGES_PROPOSED = "changes_proposed", _("Changes proposed")  # the lead's turn
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A body has at most one agreement in these states per policy; after a decline or a
# withdrawal the lead may propose anew.
LIVE_STATES = (AgreementState.PROPOSED, AgreementState.CHANGES_PROPOSED, AgreementState.AGREED)
FINAL_STATES = (AgreementState.AGREED, AgreementState.DECLINED, AgreementState.WITHDRAWN)


class Side(models.TextChoices):
    LEAD = "lead", _("Policy lead")
    BODY = "body", _("Policing body")


class EventKind(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CHANGES_PROPOSED = "changes_proposed", _("Proposed changes")
    REVISED = "revised", _("Revised the proposal")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMMENT = "comment", _("Commented")


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DONE = "done", _("Done")


# The labels an agreement's terms may carry: never TLP:RED (an agreement is with a body, not
# with named people).
AGREEMENT_LABELS = (Label.AMBER_STRICT, Label.AMBER, Label.GREEN, Label.CLEAR)


class Summary(models.TextChoices):
    """An agreement's summary for the lead's table and the map, worst first."""

    OVERDUE = "overdue", _("Overdue")
    AT_RISK = "at_risk", _("At risk")
    CHANGES_PROPOSED = "changes_proposed", _("Changes proposed")
    PROPOSED = "proposed", _("Awaiting the body's answer")
    ON_TRACK = "on_track", _("On track")
    NOT_STARTED = "not_started", _("Not started")
    NO_MILESTONES = "no_milestones", _("Agreed, no milestones yet")
    DONE = "done", _("All milestones done")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def today() -> date:
    return timezone.localdate()


def overdue_q(on: date, prefix: str = "") -> Q:
    """Milestones (through `prefix`) past their due date and not done on `on`."""
    return Q(**{f"{prefix}due_on__lt": on}) & ~Q(**{f"{prefix}status": MilestoneStatus.DONE})


class AgreementQuerySet(models.QuerySet["ImplementationAgreement"]):
    def visible_to(self, user) -> "AgreementQuerySet":
        """The agreements `user` reads: members of the body concerned, of the owning
        organisation and the APCC secretariat; once the policy is screened out, the owning
        organisation only. One query, no joins beyond the policy."""
        viewer = Viewer.of(user)
        if not viewer.signed_in:
            return self.none()
        parties = [
            Q(body_id__in=viewer.body_ids) if viewer.body_ids else None,
            Q(pk__isnull=False) if viewer.is_secretariat else None,
        ]
        present = [part for part in parties if part is not None]
        parts = [
            Q(policy__owner_id__in=viewer.organisation_ids) if viewer.organisation_ids else None,
            reduce(or_, present) & ~Q(policy__triage_outcome=TriageOutcome.SCREENED_OUT)
            if present
            else None,
        ]
        found = [part for part in parts if part is not None]
        return self.filter(reduce(or_, found)) if found else self.none()

    def live(self) -> "AgreementQuerySet":
        return self.filter(state__in=LIVE_STATES)

    def with_milestone_counts(self, on: date | None = None) -> "AgreementQuerySet":
        """Annotate how many milestones each agreement has, by status, and how many are
        overdue on `on` (today, in UK time): in the same query, for `summary`."""
        on = on or today()
        return self.annotate(
            m_total=Count("milestones", distinct=True),
            m_done=Count(
                "milestones",
                filter=Q(milestones__status=MilestoneStatus.DONE),
                distinct=True,
            ),
            m_overdue=Count("milestones", filter=overdue_q(on, "milestones__"), distinct=True),
            m_at_risk=Count(
                "milestones",
                filter=Q(milestones__status=MilestoneStatus.AT_RISK),
                distinct=True,
            ),
            m_on_track=Count(
                "milestones",
                filter=Q(milestones__status=MilestoneStatus.ON_TRACK),
                distinct=True,
            ),
        )


COUNTED = ("total", "done", "overdue", "at_risk", "on_track")


@dataclass(frozen=True)
class MilestoneCounts:
    total: int = 0
    done: int = 0
    overdue: int = 0
    at_risk: int = 0
    on_track: int = 0

    @property
    def not_started(self) -> int:
        return self.total - self.done - self.at_risk - self.on_track


class ImplementationAgreement(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    policy = models.ForeignKey(
        "policies.Policy", on_delete=models.PROTECT, related_name="implementation_agreements"
    )
    # The implementation update it was proposed in, if any: an engagement on the same policy.
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementation_agreements",
    )
    body = models.ForeignKey(
        "directory.PolicingBody",
        on_delete=models.PROTECT,
        related_name="implementation_agreements",
    )

    # The terms in force: as proposed, as changed by the body, or as revised by the lead.
    role = models.TextField(_("the local role"))
    due_on = models.DateField(_("by when"))
    support = models.TextField(_("support offered"), blank=True)
    label = models.CharField(
        _("handling label"),
        max_length=20,
        choices=[(label.value, label.label) for label in AGREEMENT_LABELS],
        default=Label.AMBER_STRICT,
    )

    state = models.CharField(
        max_length=20, choices=AgreementState.choices, default=AgreementState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now, editable=False)
    # When it was agreed, declined or withdrawn.
    settled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["policy", "state"]),
            models.Index(fields=["body", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "body"],
                condition=Q(state__in=LIVE_STATES),
                name="implementation_one_live_agreement_per_body",
            ),
            models.CheckConstraint(
                condition=Q(label__in=AGREEMENT_LABELS),
                name="implementation_agreement_label_not_red",
            ),
            models.CheckConstraint(
                condition=Q(state__in=FINAL_STATES) | Q(settled_at__isnull=True),
                name="implementation_settled_only_when_final",
            ),
        ]

    def __str__(self) -> str:
        return f"Implementation role for {self.body} on {self.policy}"

    @property
    def is_agreed(self) -> bool:
        return self.state == AgreementState.AGREED

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def turn(self) -> str | None:
        """Whose turn it is: the body's while proposed, the lead's while changes are proposed;
        nobody's once agreed, declined or withdrawn."""
        if self.state == AgreementState.PROPOSED:
            return Side.BODY
        if self.state == AgreementState.CHANGES_PROPOSED:
            return Side.LEAD
        return None

    def counts(self) -> MilestoneCounts:
        """The milestone counts from `with_milestone_counts`, if annotated; else a query."""
        if hasattr(self, "m_total"):
            return MilestoneCounts(
                **{name: getattr(self, f"m_{name}") for name in COUNTED}  # annotated
            )
        on = today()
        found = self.milestones.aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=MilestoneStatus.DONE)),
            overdue=Count("pk", filter=overdue_q(on)),
            at_risk=Count("pk", filter=Q(status=MilestoneStatus.AT_RISK)),
            on_track=Count("pk", filter=Q(status=MilestoneStatus.ON_TRACK)),
        )
        return MilestoneCounts(**found)

    def role_overdue(self, on: date | None = None) -> bool:
        """An agreed role past its "by when" date without every milestone done (none done
        when it has none)."""
        if not self.is_agreed or self.due_on >= (on or today()):
            return False
        counts = self.counts()
        return counts.total == 0 or counts.done < counts.total

    def summary(self, on: date | None = None) -> str:
        """The summary for the lead's table: the state, and for an agreed role the worst of
        its milestones (overdue, at risk, on track, not started, all done). "All done" needs
        at least one milestone and every one done: nothing done never reads as done."""
        if self.state == AgreementState.PROPOSED:
            return Summary.PROPOSED
        if self.state == AgreementState.CHANGES_PROPOSED:
            return Summary.CHANGES_PROPOSED
        if self.state == AgreementState.DECLINED:
            return Summary.DECLINED
        if self.state == AgreementState.WITHDRAWN:
            return Summary.WITHDRAWN
        counts = self.counts()
        if counts.overdue or self.role_overdue(on):
            return Summary.OVERDUE
        if counts.at_risk:
            return Summary.AT_RISK
        if counts.on_track:
            return Summary.ON_TRACK
        if counts.not_started:
            return Summary.NOT_STARTED
        if counts.total:
            return Summary.DONE
        return Summary.NO_MILESTONES


class AgreementEvent(models.Model):
    """One step of the thread, never changed: who, for which side, when, what, with the terms
    proposed at that step (proposals, changes, revisions)."""

    agreement = models.ForeignKey(
        ImplementationAgreement, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False)
    note = models.TextField(blank=True)
    # The terms proposed at this step, for proposals, changes and revisions.
    role = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    support = models.TextField(blank=True)
    label = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.by} ({self.side})"

    @property
    def has_terms(self) -> bool:
        return self.due_on is not None

    @property
    def label_display(self) -> str:
        return Label(self.label).label if self.label else ""


class Milestone(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        ImplementationAgreement, on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_side = models.CharField(max_length=10, choices=Side.choices)
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["agreement", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, on: date | None = None) -> bool:
        return self.status != MilestoneStatus.DONE and self.due_on < (on or today())


class MilestoneUpdate(models.Model):
    """A dated update on a milestone from either side, never changed: its status then, and a
    note."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} by {self.by}"
