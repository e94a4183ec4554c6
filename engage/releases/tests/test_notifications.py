"""A release request tells those who may decide it (the owning organisation's policy leads);
its decision tells the asking body's members who read the engagement. Each through the one
notification path (decision 17): who is told is decided when the delivery task runs, through
the access rules (DESIGN.md section 6), never the outsider or another body; an email names the
kind and the link, the engagement's title only when TLP:CLEAR or TLP:GREEN, never the reasons,
the scope or the document's title."""

import pytest
import rules
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, names, sent, told
from engage.releases import services
from engage.releases.models import ReleaseRequest

from .conftest import ask, grant

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title
WITH_WHOM = "Local victims' services we commission"
WHY = "They deliver the service this changes."
REASON = "They need it to plan."
SCOPE = "Gwent victims' services"


def assert_clean(release_request: ReleaseRequest, *extra: str) -> None:
    link = reverse("releases:detail", args=[release_request.public_id])
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert len(message.to) == 1
        assert "release request" in message.subject.lower()
        assert link in message.body
        for words in (WITH_WHOM, WHY, REASON, SCOPE, *extra):
            assert words not in text


def refuse(personas, release_request: ReleaseRequest) -> ReleaseRequest:
    return services.release_request_decide(
        release_request=release_request,
        by=personas.moj_lead,
        decision="refused",
        reason=REASON,
    )


# Asked -----------------------------------------------------------------------------------


def test_a_request_tells_the_owning_organisations_policy_lead(personas, opened):
    mail.outbox.clear()
    asked = ask(personas, opened)
    # Not the asking body, Kent (also in the audience), the secretariat or the outsider.
    assert told(EventKind.RELEASE_ASKED, asked) == names(personas, "moj_lead")
    assert sent() == sorted(names(personas, "moj_lead"))
    assert all("Gwent" in message.subject for message in mail.outbox)  # the asking body
    assert_clean(asked, TITLE)  # TLP:AMBER+STRICT by default: no title


def test_those_told_of_a_request_may_decide_it_and_read_it(personas, opened):
    asked = ask(personas, opened)
    deciders = {
        getattr(personas, key).email
        for key in EVERYONE
        if rules.has_perm("releases.decide_release", getattr(personas, key), opened)
        and ReleaseRequest.objects.visible_to(getattr(personas, key)).filter(pk=asked.pk).exists()
    }
    assert told(EventKind.RELEASE_ASKED, asked) == deciders


def test_a_request_about_a_document_leaves_out_the_documents_title(personas, opened, document):
    mail.outbox.clear()
    asked = ask(personas, opened, document=document)
    assert told(EventKind.RELEASE_ASKED, asked) == names(personas, "moj_lead")
    assert_clean(asked, document.title)


def test_a_request_decided_before_delivery_tells_nobody(personas, opened, settings):
    settings.TASKS = DB_TASKS
    asked = ask(personas, opened)
    refuse(personas, asked)
    event = Event.objects.get(kind=EventKind.RELEASE_ASKED)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert not Notification.objects.filter(event=event).exists()
    assert mail.outbox == []


def test_a_lead_whose_membership_ended_before_delivery_is_not_told(personas, opened, settings):
    settings.TASKS = DB_TASKS
    asked = ask(personas, opened)
    Membership.objects.filter(user=personas.moj_lead).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.RELEASE_ASKED)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert not Notification.objects.filter(event=event).exists()
    assert mail.outbox == []
    assert told(EventKind.RELEASE_ASKED, asked) == set()


def test_a_rolled_back_request_records_no_event(personas, opened):
    def request_that_fails() -> None:
        with transaction.atomic():
            ask(personas, opened)
            assert Event.objects.filter(kind=EventKind.RELEASE_ASKED).exists()
            raise RuntimeError("something after the request fails")

    with pytest.raises(RuntimeError):
        request_that_fails()
    assert not Event.objects.filter(kind=EventKind.RELEASE_ASKED).exists()


# Answered --------------------------------------------------------------------------------


@pytest.mark.parametrize("decide", ["grant", "refuse"])
def test_a_decision_tells_the_asking_bodys_members_only(personas, opened, decide):
    asked = ask(personas, opened)
    mail.outbox.clear()
    if decide == "grant":
        grant(personas, asked, scope=SCOPE)
    else:
        refuse(personas, asked)
    expected = names(personas, "gwent_commissioner", "gwent_staff")
    assert told(EventKind.RELEASE_ANSWERED, asked) == expected
    assert sent() == sorted(expected)
    assert_clean(asked, TITLE)
    readers = {
        getattr(personas, key).email
        for key in EVERYONE
        if ReleaseRequest.objects.visible_to(getattr(personas, key)).filter(pk=asked.pk).exists()
    }
    assert expected <= readers
    assert personas.outsider.email not in readers


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True)],
)
def test_the_title_is_told_only_under_clear_or_green(personas, opened, label, title_told):
    Engagement.objects.filter(pk=opened.pk).update(label=label)
    opened.refresh_from_db()
    asked = ask(personas, opened, to_label=Label.CLEAR)
    mail.outbox.clear()
    grant(personas, asked, scope=SCOPE)
    assert (Event.objects.get(kind=EventKind.RELEASE_ANSWERED).title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert WHY not in message.body
        assert SCOPE not in message.body


def test_a_member_whose_membership_ended_before_delivery_is_not_told(personas, opened, settings):
    settings.TASKS = DB_TASKS
    asked = ask(personas, opened)
    refuse(personas, asked)
    Membership.objects.filter(user=personas.gwent_commissioner).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.RELEASE_ANSWERED)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    deliver_event.call(event_id=event.pk)  # twice: once each
    assert told(EventKind.RELEASE_ANSWERED, asked) == names(personas, "gwent_staff")
    assert sent() == sorted(names(personas, "gwent_staff"))


# Queries ---------------------------------------------------------------------------------


def queries(event: Event) -> tuple[int, int]:
    """How many queries the event's provider asks, and how many people it returns."""
    with CaptureQueriesContext(connection) as captured:
        people = list(recipients_for(event))
    return len(captured), len(people)


def test_each_provider_asks_a_fixed_number_of_queries(personas, opened):
    answered = ask(personas, opened)
    refuse(personas, answered)
    waiting = ask(personas, opened, who="kent_commissioner")
    events = [
        Event.objects.get(kind=EventKind.RELEASE_ANSWERED, subject_id=answered.public_id),
        Event.objects.get(kind=EventKind.RELEASE_ASKED, subject_id=waiting.public_id),
    ]
    before = [queries(event) for event in events]
    moj = Membership.objects.get(user=personas.moj_lead).organisation
    gwent = Membership.objects.get(user=personas.gwent_staff).organisation
    for n in range(2):
        lead = User.objects.create_user(email=f"lead{n}@moj.example", password="x-unused-x")
        Membership.objects.create(user=lead, organisation=moj, role=Role.POLICY_LEAD)
        staff = User.objects.create_user(email=f"staff{n}@gwent.example", password="x-unused-x")
        Membership.objects.create(user=staff, organisation=gwent, role=Role.OPCC_STAFF)
    after = [queries(event) for event in events]
    assert [count for count, _ in after] == [count for count, _ in before]
    assert [people for _, people in after] == [people + 2 for _, people in before]
