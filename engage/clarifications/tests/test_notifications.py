"""A clarification asked tells the policy's leads and the APCC secretariat; its first answer
tells the asking body's members. Each through the one notification path (decision 17): who is
told is decided when the delivery task runs, through the access rules (DESIGN.md section 6),
never the outsider or another body; an email names the kind and the link, the engagement's
title only when TLP:CLEAR or TLP:GREEN, never the question or the answer."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership
from engage.clarifications import services
from engage.clarifications.models import ClarificationRequest
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.engagements.models import Engagement
from engage.engagements.tests.conftest import open_engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, emails_to, names, sent, told

from .conftest import ANSWER, QUESTION, ask

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title


# Asked -----------------------------------------------------------------------------------


def test_a_question_tells_the_policy_lead_and_the_apcc_secretariat(personas, consultation):
    mail.outbox.clear()
    clarification = ask(consultation, personas.gwent_staff)
    assert told(EventKind.CLARIFICATION_ASKED, clarification) == names(
        personas, "moj_lead", "secretariat"
    )
    assert sent() == emails_to(personas, "moj_lead", "secretariat")
    link = reverse("clarifications:detail", args=[clarification.public_id])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "clarification" in message.subject.lower()
        assert link in message.body
        assert QUESTION not in f"{message.subject}\n{message.body}"
        assert TITLE not in f"{message.subject}\n{message.body}"  # TLP:AMBER+STRICT by default


@pytest.mark.parametrize(
    ("label", "title_told"),
    [
        (Label.RED, False),
        (Label.AMBER_STRICT, False),
        (Label.AMBER, False),
        (Label.GREEN, True),
        (Label.CLEAR, True),
    ],
)
def test_the_title_is_told_only_under_clear_or_green(personas, consultation, label, title_told):
    Engagement.objects.filter(pk=consultation.pk).update(label=label)
    if label == Label.RED:
        consultation.recipients.add(personas.gwent_staff)
    consultation.refresh_from_db()
    clarification = ask(consultation, personas.gwent_staff)
    event = Event.objects.get(subject_id=clarification.public_id)
    assert (event.title == TITLE) is title_told
    mail.outbox.clear()
    services.clarification_answer(clarification=clarification, by=personas.moj_lead, answer=ANSWER)
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert ANSWER not in f"{message.subject}\n{message.body}"
        assert QUESTION not in f"{message.subject}\n{message.body}"


@pytest.mark.parametrize("label", [Label.AMBER_STRICT, Label.GREEN, Label.RED])
def test_those_told_of_a_question_read_it_and_are_not_the_asking_body(
    personas, policy, victims, label
):
    """The provider agrees with `visible_to` for every persona: the owner's policy lead and
    the secretariat while it reads the engagement (not under TLP:RED unless named)."""
    engagement = open_engagement(
        personas,
        policy,
        groups=[victims],
        label=Label.RED if label == Label.RED else Label.AMBER_STRICT,
        recipients=[personas.gwent_staff],
    )
    Engagement.objects.filter(pk=engagement.pk).update(label=label)  # as if released wider
    engagement.refresh_from_db()
    clarification = ask(engagement, personas.gwent_staff)
    readers = {
        getattr(personas, key).email
        for key in EVERYONE
        if ClarificationRequest.objects.visible_to(getattr(personas, key))
        .filter(pk=clarification.pk)
        .exists()
    }
    asking_body = names(personas, "gwent_commissioner", "gwent_staff")
    assert told(EventKind.CLARIFICATION_ASKED, clarification) == readers - asking_body
    assert personas.outsider.email not in readers


def test_a_lead_whose_membership_ended_before_delivery_is_not_told(
    personas, consultation, settings
):
    settings.TASKS = DB_TASKS
    clarification = ask(consultation, personas.gwent_staff)
    Membership.objects.filter(user=personas.moj_lead).update(ended_at=timezone.now())
    event = Event.objects.get(subject_id=clarification.public_id)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    assert told(EventKind.CLARIFICATION_ASKED, clarification) == names(personas, "secretariat")
    assert sent() == emails_to(personas, "secretariat")


def test_the_question_task_twice_tells_each_person_once(personas, consultation):
    clarification = ask(consultation, personas.gwent_staff)
    event = Event.objects.get(subject_id=clarification.public_id)
    mail.outbox.clear()
    assert deliver_event.call(event_id=event.pk) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(event=event).count() == 2


# Answered --------------------------------------------------------------------------------


def test_the_first_answer_tells_the_asking_bodys_members_only(personas, asked):
    mail.outbox.clear()
    services.clarification_answer(clarification=asked, by=personas.moj_lead, answer=ANSWER)
    # Gwent asked; Kent (another body in the audience), Dorset, the outsider are not told.
    assert told(EventKind.CLARIFICATION_ANSWERED, asked) == names(
        personas, "gwent_commissioner", "gwent_staff"
    )
    assert sent() == emails_to(personas, "gwent_commissioner", "gwent_staff")
    link = reverse("clarifications:detail", args=[asked.public_id])
    assert all(link in message.body for message in mail.outbox)
    # A change to the answer tells nobody again.
    mail.outbox.clear()
    services.clarification_answer(clarification=asked, by=personas.moj_lead, answer="Changed.")
    assert Event.objects.filter(kind=EventKind.CLARIFICATION_ANSWERED).count() == 1
    assert mail.outbox == []


def test_under_tlp_red_the_answer_tells_the_named_members_only(personas, policy, victims):
    red = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    clarification = ask(red, personas.gwent_staff)
    services.clarification_answer(clarification=clarification, by=personas.moj_lead, answer=ANSWER)
    assert told(EventKind.CLARIFICATION_ANSWERED, clarification) == names(personas, "gwent_staff")


def test_a_member_whose_membership_ended_before_delivery_is_not_told(personas, asked, settings):
    settings.TASKS = DB_TASKS
    services.clarification_answer(clarification=asked, by=personas.moj_lead, answer=ANSWER)
    Membership.objects.filter(user=personas.gwent_commissioner).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.CLARIFICATION_ANSWERED)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    deliver_event.call(event_id=event.pk)  # twice: once each
    assert told(EventKind.CLARIFICATION_ANSWERED, asked) == names(personas, "gwent_staff")
    assert sent() == emails_to(personas, "gwent_staff")


def test_the_answer_task_twice_tells_each_person_once(personas, asked):
    services.clarification_answer(clarification=asked, by=personas.moj_lead, answer=ANSWER)
    event = Event.objects.get(kind=EventKind.CLARIFICATION_ANSWERED)
    mail.outbox.clear()
    assert deliver_event.call(event_id=event.pk) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(event=event).count() == 2
