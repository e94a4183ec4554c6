"""A draft marked "ready for the commissioner" tells the body's commissioner and the members
it has delegated to submit, through the one notification path (decision 17): decided when the
delivery task runs, through the access rules, never the outsider, another body, a member not
delegated or a person whose membership has ended; the email names the kind and the link, the
engagement's title only when TLP:CLEAR or TLP:GREEN, never the draft."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Organisation
from engage.core.labels import Label
from engage.directory.tests.factories import MembershipFactory
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.tasks import deliver_event
from engage.responses import services
from engage.responses.models import Response
from engage.responses.services import AnswerInput

from .fixtures import body, save, start

# Fixtures, registered by name (see fixtures.py).
from .fixtures import opened_fixture as opened_fixture
from .fixtures import policy_fixture as policy_fixture
from .fixtures import victims_fixture as victims_fixture

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title
DRAFT = "Early thoughts on commissioning."
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def draft_response(personas, opened) -> Response:
    staff = personas.gwent_staff
    return save(start(opened, staff), staff, answers={1: AnswerInput(text=DRAFT)})


@pytest.fixture
def delegate(personas):
    """A Gwent member the commissioner has delegated to submit."""
    gwent = Organisation.objects.get(slug="gwent")
    person = MembershipFactory(organisation=gwent).user
    services.delegation_grant(body=body("gwent"), delegate=person, by=personas.gwent_commissioner)
    return person


@pytest.fixture
def undelegated():
    gwent = Organisation.objects.get(slug="gwent")
    return MembershipFactory(organisation=gwent).user


def mark(response: Response, user) -> Response:
    return services.response_mark_ready(response=response, by=user, revision=response.revision)


def told(response) -> set[str]:
    event = Event.objects.get(kind=EventKind.DRAFT_READY, subject_id=response.public_id)
    return set(Notification.objects.filter(event=event).values_list("user__email", flat=True))


def sent() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_marking_ready_tells_the_commissioner_and_delegates_only(
    personas, draft_response, delegate, undelegated
):
    mail.outbox.clear()
    mark(draft_response, personas.gwent_staff)
    # Not the staff who marked it, a member not delegated, Kent (another body), the owner,
    # the APCC or the outsider.
    expected = {personas.gwent_commissioner.email, delegate.email}
    assert told(draft_response) == expected
    assert sent() == sorted(expected)
    link = reverse("responses:detail", args=[draft_response.public_id])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "ready for the commissioner" in message.subject
        assert link in message.body
        assert DRAFT not in f"{message.subject}\n{message.body}"
        assert TITLE not in f"{message.subject}\n{message.body}"  # TLP:AMBER+STRICT


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_the_title_is_told_only_under_clear_or_green(personas, draft_response, label, title_told):
    Engagement.objects.filter(pk=draft_response.engagement_id).update(label=label)
    draft_response.engagement.refresh_from_db()
    mail.outbox.clear()
    mark(draft_response, personas.gwent_staff)
    event = Event.objects.get(subject_id=draft_response.public_id)
    assert (event.title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert DRAFT not in message.body


def test_a_membership_ended_or_a_delegation_revoked_before_delivery_tells_nobody(
    personas, draft_response, delegate, settings
):
    settings.TASKS = DB_TASKS
    mark(draft_response, personas.gwent_staff)
    Membership.objects.filter(user=personas.gwent_commissioner).update(ended_at=timezone.now())
    event = Event.objects.get(subject_id=draft_response.public_id)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert told(draft_response) == {delegate.email}
    assert sent() == [delegate.email]


def test_a_draft_changed_before_delivery_tells_nobody(personas, draft_response, settings):
    settings.TASKS = DB_TASKS
    mark(draft_response, personas.gwent_staff)
    Response.objects.filter(pk=draft_response.pk).update(ready_at=None)
    event = Event.objects.get(subject_id=draft_response.public_id)
    mail.outbox.clear()
    assert deliver_event.call(event_id=event.pk) == 0
    assert told(draft_response) == set()


def test_the_task_twice_tells_each_person_once(personas, draft_response, delegate):
    mark(draft_response, personas.gwent_staff)
    event = Event.objects.get(subject_id=draft_response.public_id)
    mail.outbox.clear()
    assert deliver_event.call(event_id=event.pk) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(event=event).count() == 2
