"""A collective view sent for sign-off tells the commissioners of the bodies leading the routed
groups; sent back, the secretariat who drafted it; submitted, the policy's leads and the
members of the bodies whose responses it draws on. Each through the one notification path
(decision 17): who is told is decided when the delivery task runs, through the access rules
(DESIGN.md section 6), never the outsider or a body outside; an email names the kind and the
link, the engagement's title only when TLP:CLEAR or TLP:GREEN, never the view's text or the
lead's comments."""

import pytest
import rules
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.collective import selectors, services
from engage.collective.models import CollectiveView
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, names, sent, told

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title
COMMENTS = "Add the rural travel times to the position"


def send_back(personas, view: CollectiveView, comments: str = COMMENTS):
    return services.collective_view_sign(
        view=view,
        group_slug="victims",
        by=personas.gwent_commissioner,
        revision=view.revision,
        signed=False,
        comments=comments,
    )


def view_words(view: CollectiveView) -> list[str]:
    """The view's own text, which no email may carry."""
    return [view.summary, view.position_text, *(p["text"] for p in view.points if p["text"])]


def assert_clean(view: CollectiveView, *extra: str) -> None:
    link = reverse("collective:detail", args=[view.engagement.public_id])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "collective view" in message.subject.lower()
        assert link in message.body
        for words in [*view_words(view), *extra]:
            assert words not in f"{message.subject}\n{message.body}"


def add_member(personas, colleague_of: str, email: str, role: str) -> User:
    organisation = Membership.objects.get(user=getattr(personas, colleague_of)).organisation
    user = User.objects.create_user(email=email, password="x-unused-x-unused")
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


# Ready for sign-off ----------------------------------------------------------------------


def test_sent_for_sign_off_tells_the_lead_bodys_commissioner_only(personas, view):
    mail.outbox.clear()
    services.collective_view_send(view=view, by=personas.secretariat, revision=view.revision)
    # Gwent leads Victims and its commissioner signs: not its staff, not Kent (a member
    # only), not Dorset, the outsider or the secretariat who sent it.
    assert told(EventKind.COLLECTIVE_READY, view) == names(personas, "gwent_commissioner")
    assert sent() == sorted(names(personas, "gwent_commissioner"))
    assert all("sign-off" in message.subject for message in mail.outbox)
    assert_clean(view, TITLE)  # TLP:AMBER+STRICT by default: no title


def test_those_told_it_is_ready_may_sign_it_off(personas, with_leads):
    sign_off = selectors.sign_offs_for(with_leads)[0]
    signers = {
        getattr(personas, key).email
        for key in EVERYONE
        if rules.has_perm(selectors.SIGN_OFF, getattr(personas, key), sign_off)
    }
    assert told(EventKind.COLLECTIVE_READY, with_leads) == signers


def test_a_view_no_longer_with_the_leads_at_delivery_tells_nobody(personas, view, settings):
    settings.TASKS = DB_TASKS
    services.collective_view_send(view=view, by=personas.secretariat, revision=view.revision)
    send_back(personas, view)  # before the first delivery ran
    event = Event.objects.get(kind=EventKind.COLLECTIVE_READY)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert not Notification.objects.filter(event=event).exists()
    assert mail.outbox == []


def test_a_commissioner_whose_membership_ended_before_delivery_is_not_told(
    personas, view, settings
):
    settings.TASKS = DB_TASKS
    services.collective_view_send(view=view, by=personas.secretariat, revision=view.revision)
    Membership.objects.filter(user=personas.gwent_commissioner).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.COLLECTIVE_READY)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert not Notification.objects.filter(event=event).exists()
    assert mail.outbox == []


def test_a_rolled_back_send_records_no_event(personas, view):
    mail.outbox.clear()

    def send_that_fails() -> None:
        with transaction.atomic():
            services.collective_view_send(
                view=view, by=personas.secretariat, revision=view.revision
            )
            assert Event.objects.filter(kind=EventKind.COLLECTIVE_READY).exists()
            raise RuntimeError("something after the send fails")

    with pytest.raises(RuntimeError):
        send_that_fails()
    assert not Event.objects.filter(kind=EventKind.COLLECTIVE_READY).exists()


# Sent back -------------------------------------------------------------------------------


def test_sent_back_tells_the_secretariat_who_drafted_it_without_the_comments(personas, with_leads):
    mail.outbox.clear()
    send_back(personas, with_leads)
    assert told(EventKind.COLLECTIVE_SENT_BACK, with_leads) == names(personas, "secretariat")
    assert sent() == sorted(names(personas, "secretariat"))
    assert all("Victims" in message.subject for message in mail.outbox)  # the group's name
    assert_clean(with_leads, COMMENTS, TITLE)


def test_a_secretariat_member_who_never_wrote_the_view_is_not_told(personas, with_leads):
    colleague = add_member(personas, "secretariat", "colleague@apcc.example", Role.SECRETARIAT)
    send_back(personas, with_leads)
    assert colleague.email not in told(EventKind.COLLECTIVE_SENT_BACK, with_leads)


# Submitted -------------------------------------------------------------------------------


def test_submitted_tells_the_policy_lead_and_the_contributing_bodies(personas, signed):
    mail.outbox.clear()
    services.collective_view_submit(view=signed, by=personas.secretariat, revision=signed.revision)
    expected = names(personas, "moj_lead", "gwent_commissioner", "gwent_staff", "kent_commissioner")
    assert told(EventKind.COLLECTIVE_SUBMITTED, signed) == expected
    assert sent() == sorted(expected)
    assert_clean(signed, TITLE)


def test_those_told_of_the_submission_read_the_view(personas, submitted):
    readers = {
        getattr(personas, key).email
        for key in EVERYONE
        if CollectiveView.objects.visible_to(getattr(personas, key))
        .filter(pk=submitted.pk)
        .exists()
    }
    told_now = told(EventKind.COLLECTIVE_SUBMITTED, submitted)
    assert told_now <= readers
    assert personas.outsider.email not in told_now
    assert personas.dorset_commissioner.email not in told_now


@pytest.mark.parametrize(
    ("label", "title_told"),
    [
        (Label.AMBER_STRICT, False),
        (Label.AMBER, False),
        (Label.GREEN, True),
        (Label.CLEAR, True),
    ],
)
def test_the_title_is_told_only_under_clear_or_green(personas, signed, label, title_told):
    Engagement.objects.filter(pk=signed.engagement_id).update(label=label)
    mail.outbox.clear()
    services.collective_view_submit(view=signed, by=personas.secretariat, revision=signed.revision)
    event = Event.objects.get(kind=EventKind.COLLECTIVE_SUBMITTED)
    assert (event.title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert signed.summary not in f"{message.subject}\n{message.body}"


def test_a_member_whose_membership_ended_before_delivery_is_not_told(personas, signed, settings):
    settings.TASKS = DB_TASKS
    services.collective_view_submit(view=signed, by=personas.secretariat, revision=signed.revision)
    Membership.objects.filter(user=personas.kent_commissioner).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.COLLECTIVE_SUBMITTED)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    deliver_event.call(event_id=event.pk)  # twice: once each
    expected = names(personas, "moj_lead", "gwent_commissioner", "gwent_staff")
    assert told(EventKind.COLLECTIVE_SUBMITTED, signed) == expected
    assert sent() == sorted(expected)


# Queries ---------------------------------------------------------------------------------


def queries(event: Event) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        people = list(recipients_for(event))
    return len(captured), len(people)


def test_each_provider_asks_a_fixed_number_of_queries(personas, submitted):
    ready = Event.objects.get(kind=EventKind.COLLECTIVE_READY)
    submitted_event = Event.objects.get(kind=EventKind.COLLECTIVE_SUBMITTED)
    before = queries(submitted_event)
    add_member(personas, "kent_commissioner", "deputy@kent.example", Role.OPCC_STAFF)
    add_member(personas, "gwent_commissioner", "deputy@gwent.example", Role.OPCC_STAFF)
    after = queries(submitted_event)
    assert after[1] == before[1] + 2
    assert after[0] == before[0]
    # The ready event once the view is back with the leads: the same count for one
    # commissioner or two.
    CollectiveView.objects.filter(pk=submitted.pk).update(status="with_leads")
    submitted.sign_offs.update(state="pending", revision=None)
    one = queries(ready)
    add_member(personas, "gwent_commissioner", "second@gwent.example", Role.COMMISSIONER)
    two = queries(ready)
    assert (one[1], two[1]) == (1, 2)
    assert one[0] == two[0]
