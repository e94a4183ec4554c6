"""Implementation milestones' due dates in calendar feeds (engage.notifications.calendar):
the milestones not yet done of agreed roles the person reads
(`ImplementationAgreement.visible_to`: the body concerned, the owning organisation and the
APCC secretariat). One query, whatever the number of milestones."""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from engage.notifications.calendar import CalendarEntry
from engage.notifications.services import shareable_title

from .models import AgreementState, ImplementationAgreement, Milestone, MilestoneStatus


def milestone_dates(user, *, start: date, end: date) -> Iterator[CalendarEntry]:
    agreed = ImplementationAgreement.objects.visible_to(user).filter(state=AgreementState.AGREED)
    rows = (
        Milestone.objects.filter(agreement__in=agreed.values("pk"), due_on__range=(start, end))
        .exclude(status=MilestoneStatus.DONE)
        .order_by()
        .values_list("public_id", "due_on", "title", "agreement__label", "agreement__public_id")
    )
    for public_id, due_on, title, label, agreement_id in rows:
        # The milestone's title carries its agreement's label.
        yield CalendarEntry(
            uid=f"milestone-{public_id}-due",
            kind=_("Milestone due"),
            on=due_on,
            link=reverse("implementation:detail", args=[agreement_id]),
            title=shareable_title(title, label),
            label=label,
        )
