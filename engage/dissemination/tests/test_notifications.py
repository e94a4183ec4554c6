"""A dissemination request tells the members of the bodies asked, through the one notification
path (decision 17): decided when the delivery task runs, through the access rules (DESIGN.md
section 6), never the outsider, a body not asked or a person whose membership has ended; the
email names the kind and the link, the engagement's title only when TLP:CLEAR or TLP:GREEN,
never the message."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership
from engage.core.labels import Label
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.tasks import deliver_event

from .conftest import MESSAGE, make_request

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def told(request) -> set[str]:
    event = Event.objects.get(kind=EventKind.DISSEMINATION_REQUESTED, subject_id=request.public_id)
    return set(Notification.objects.filter(event=event).values_list("user__email", flat=True))


def emails(personas, *keys: str) -> set[str]:
    return {getattr(personas, key).email for key in keys}


def sent() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_request_tells_the_members_of_the_bodies_asked_only(personas, consultation):
    mail.outbox.clear()
    request = make_request(consultation, personas.moj_lead)
    # Gwent and Kent are asked; Dorset (another body, not addressed), the lead, the APCC, the
    # voluntary sector and the outsider are not told.
    expected = emails(personas, "gwent_commissioner", "gwent_staff", "kent_commissioner")
    assert told(request) == expected
    assert sent() == sorted(expected)
    link = reverse("dissemination:detail", args=[request.public_id])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "dissemination" in message.subject.lower()
        assert link in message.body
        assert MESSAGE not in f"{message.subject}\n{message.body}"
        assert TITLE not in f"{message.subject}\n{message.body}"  # TLP:AMBER+STRICT


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_the_title_is_told_only_under_clear_or_green(personas, consultation, label, title_told):
    Engagement.objects.filter(pk=consultation.pk).update(label=label)  # as if released wider
    consultation.refresh_from_db()
    mail.outbox.clear()
    request = make_request(consultation, personas.moj_lead)
    event = Event.objects.get(subject_id=request.public_id)
    assert (event.title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert MESSAGE not in f"{message.subject}\n{message.body}"


def test_a_membership_ended_before_delivery_tells_nobody(personas, consultation, settings):
    settings.TASKS = DB_TASKS
    request = make_request(consultation, personas.moj_lead)
    Membership.objects.filter(user=personas.kent_commissioner).update(ended_at=timezone.now())
    event = Event.objects.get(subject_id=request.public_id)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    expected = emails(personas, "gwent_commissioner", "gwent_staff")
    assert told(request) == expected
    assert sent() == sorted(expected)


def test_the_task_twice_tells_each_person_once(personas, consultation):
    request = make_request(consultation, personas.moj_lead)
    event = Event.objects.get(subject_id=request.public_id)
    mail.outbox.clear()
    assert deliver_event.call(event_id=event.pk) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(event=event).count() == 3
