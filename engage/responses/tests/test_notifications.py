"""A draft marked "ready for the commissioner" tells the body's commissioner and the members
it has delegated to submit, through the one notification path (decision 17): decided when the
delivery task runs, through the access rules, never the outsider, another body, a member not
delegated or a person whose membership has ended; the email names the kind and the link, the
engagement's title only when TLP:CLEAR or TLP:GREEN, never the draft. Each submission tells the
policy's leads and the APCC secretariat who read it (the emails of that kind go as a digest:
the tests look at who is told, and at what the message would say)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, Role
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.directory.tests.factories import MembershipFactory
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event, email_of
from engage.notifications.tests.helpers import DB_TASKS, sent
from engage.notifications.tests.helpers import told as told_of
from engage.responses import services
from engage.responses.models import Response
from engage.responses.services import AnswerInput

from .fixtures import SUBMITTED_TEXT, body, consultation, save, start, submit, submitted

# Fixtures, registered by name (see fixtures.py).
from .fixtures import opened_fixture as opened_fixture
from .fixtures import policy_fixture as policy_fixture
from .fixtures import victims_fixture as victims_fixture

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title
DRAFT = "Early thoughts on commissioning."
SUBMITTED = "Our submitted challenges: rural areas."


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
    return told_of(EventKind.DRAFT_READY, response)


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


# Submitted -------------------------------------------------------------------------------


def told_of_submissions(response) -> list[set[str]]:
    """Who each submission of `response` told, oldest first."""
    events = Event.objects.filter(
        kind=EventKind.RESPONSE_SUBMITTED, subject_id=response.public_id
    ).order_by("pk")
    return [
        set(Notification.objects.filter(event=event).values_list("user__email", flat=True))
        for event in events
    ]


def submit_gwent(engagement, personas) -> Response:
    commissioner = personas.gwent_commissioner
    return submitted(engagement, commissioner, challenges=SUBMITTED)


def test_a_submission_tells_the_policy_lead_and_the_apcc_secretariat(personas, opened):
    response = submit_gwent(opened, personas)
    # Not Gwent's own staff, Kent (another body addressed), the Home Office, the outsider.
    assert told_of_submissions(response) == [{personas.moj_lead.email, personas.secretariat.email}]


def test_each_submission_is_one_event(personas, opened):
    response = submit_gwent(opened, personas)
    save(response, personas.gwent_staff, challenges="Rural areas, and the coast.")
    submit(response, personas.gwent_commissioner)
    assert (
        told_of_submissions(response) == [{personas.moj_lead.email, personas.secretariat.email}] * 2
    )


@pytest.mark.parametrize("label", [Label.AMBER_STRICT, Label.RED])
def test_those_told_of_a_submission_read_it(personas, policy, victims, label):
    """The provider agrees with `Response.visible_to`: of the owner's leads and the APCC, those
    who read the submitted response (under TLP:RED, not the secretariat unless named)."""
    engagement = consultation(
        personas,
        policy,
        groups=[victims],
        label=label,
        recipients=[personas.gwent_commissioner] if label == Label.RED else [],
    )
    response = submit_gwent(engagement, personas)
    readers = {
        getattr(personas, key).email
        for key in EVERYONE
        if Response.objects.visible_to(getattr(personas, key)).filter(pk=response.pk).exists()
    }
    owner_and_apcc = {personas.moj_lead.email, personas.secretariat.email}
    (people,) = told_of_submissions(response)
    assert people == readers & owner_and_apcc
    assert personas.outsider.email not in people
    assert (personas.secretariat.email in people) is (label != Label.RED)


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_the_submission_notice_names_the_kind_and_link_never_the_response(
    personas, opened, label, title_told
):
    Engagement.objects.filter(pk=opened.pk).update(label=label)
    opened.refresh_from_db()
    response = submit_gwent(opened, personas)
    event = Event.objects.get(kind=EventKind.RESPONSE_SUBMITTED)
    assert (event.title == TITLE) is title_told
    # The emails of this kind go as a daily digest: what the message says, not whether sent.
    subject, text = email_of(event)
    assert "response submitted" in subject
    assert "Gwent" in subject
    assert reverse("responses:detail", args=[response.public_id]) in text
    assert (TITLE in text) is title_told
    assert TITLE not in subject
    for content in (SUBMITTED, SUBMITTED_TEXT, opened.body):
        assert content not in f"{subject}\n{text}"


def test_a_lead_whose_membership_ended_before_delivery_is_not_told(personas, opened, settings):
    settings.TASKS = DB_TASKS
    response = submit_gwent(opened, personas)
    Membership.objects.filter(user=personas.moj_lead).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.RESPONSE_SUBMITTED)
    deliver_event.call(event_id=event.pk)
    assert told_of_submissions(response) == [{personas.secretariat.email}]


def test_a_refused_submission_tells_nobody(personas, opened):
    incomplete = save(
        start(opened, personas.gwent_staff),
        personas.gwent_staff,
        answers={1: AnswerInput(text=DRAFT)},
    )
    with pytest.raises(ValidationError):
        submit(incomplete, personas.gwent_commissioner)
    assert not Event.objects.filter(kind=EventKind.RESPONSE_SUBMITTED).exists()


def test_who_a_submission_tells_is_worked_out_in_a_fixed_number_of_queries(personas, opened):
    submit_gwent(opened, personas)
    event = Event.objects.get(kind=EventKind.RESPONSE_SUBMITTED)
    with CaptureQueriesContext(connection) as few:
        assert len(list(recipients_for(event))) == 2
    apcc = Organisation.objects.get(slug="apcc")
    for _ in range(10):
        MembershipFactory(organisation=apcc, role=Role.SECRETARIAT)
    with CaptureQueriesContext(connection) as many:
        assert len(list(recipients_for(event))) == 12
    assert len(few) == len(many)
