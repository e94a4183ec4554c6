"""Publishing an outcome tells the engagement's parties who read it: its audience, the policy's
leads and the APCC secretariat, not the lead who published it. Through the one notification
path (decision 17): who is told is decided when the delivery task runs, through the access
rules (DESIGN.md section 6), never the outsider or a body outside the audience; the email
names the kind and the link, the engagement's title only when TLP:CLEAR or TLP:GREEN, never
what the outcome says."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.accounts.models import Membership, Role, User
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, names, sent
from engage.notifications.tests.helpers import told as told_of
from engage.outcomes import services
from engage.outcomes.models import Outcome

from .fixtures import CHANGED, HEARD, NOT_CHANGED, POINT, READERS, draft_outcome

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title
CONTENT = (HEARD, CHANGED, NOT_CHANGED, POINT)


def told(outcome: Outcome) -> set[str]:
    return told_of(EventKind.OUTCOME_PUBLISHED, outcome)


def publish(personas, outcome: Outcome) -> Outcome:
    return services.outcome_publish(
        outcome=outcome, by=personas.moj_lead, revision=outcome.revision
    )


def test_publishing_tells_those_who_read_it_but_not_the_publisher(personas, draft):
    mail.outbox.clear()
    publish(personas, draft)
    expected = names(personas, *READERS - {"moj_lead"})
    assert told(draft) == expected
    assert sent() == sorted(expected)
    link = reverse("outcomes:detail", args=[draft.engagement.public_id])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "outcome published" in message.subject.lower()
        assert link in message.body
        for words in (*CONTENT, TITLE):  # TLP:AMBER+STRICT by default: no title either
            assert words not in f"{message.subject}\n{message.body}"


def test_those_told_read_the_outcome_and_the_outsider_is_never_told(personas, draft):
    publish(personas, draft)
    readers = {
        getattr(personas, key).email
        for key in EVERYONE
        if Outcome.objects.visible_to(getattr(personas, key)).filter(pk=draft.pk).exists()
    }
    assert told(draft) <= readers
    assert personas.outsider.email not in told(draft)
    assert personas.dorset_commissioner.email not in told(draft)


@pytest.mark.parametrize(
    ("label", "title_told"),
    [
        (Label.AMBER_STRICT, False),
        (Label.AMBER, False),
        (Label.GREEN, True),
        (Label.CLEAR, True),
    ],
)
def test_the_title_is_told_only_under_clear_or_green(personas, draft, label, title_told):
    Engagement.objects.filter(pk=draft.engagement_id).update(label=label)
    draft.refresh_from_db()
    mail.outbox.clear()
    publish(personas, draft)
    assert (Event.objects.get(kind=EventKind.OUTCOME_PUBLISHED).title == TITLE) is title_told
    assert mail.outbox
    for message in mail.outbox:
        assert (TITLE in message.body) is title_told
        assert HEARD not in f"{message.subject}\n{message.body}"
    # A release to TLP:GREEN widens who reads it, not who is told: the engagement's parties.
    assert told(draft) == names(personas, *READERS - {"moj_lead"})


def test_a_correction_tells_nobody_again(personas, draft):
    publish(personas, draft)
    mail.outbox.clear()
    draft.refresh_from_db()
    services.outcome_save(
        engagement=draft.engagement,
        by=personas.moj_lead,
        revision=draft.revision,
        heard=HEARD,
        changed="Changed: four-year settlements",
        reason="A typo in the length",
    )
    assert Event.objects.filter(kind=EventKind.OUTCOME_PUBLISHED).count() == 1
    assert mail.outbox == []


def test_a_draft_tells_nobody_and_a_rolled_back_publication_neither(personas, closed):
    outcome = draft_outcome(closed, personas.moj_lead)
    assert not Event.objects.filter(kind=EventKind.OUTCOME_PUBLISHED).exists()
    mail.outbox.clear()

    def publication_that_fails() -> None:
        with transaction.atomic():
            publish(personas, outcome)
            assert Event.objects.filter(kind=EventKind.OUTCOME_PUBLISHED).exists()
            raise RuntimeError("something after the publication fails")

    with pytest.raises(RuntimeError):
        publication_that_fails()
    assert not Event.objects.filter(kind=EventKind.OUTCOME_PUBLISHED).exists()


def test_a_member_whose_membership_ended_before_delivery_is_not_told(personas, draft, settings):
    settings.TASKS = DB_TASKS
    publish(personas, draft)
    Membership.objects.filter(user=personas.kent_commissioner).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.OUTCOME_PUBLISHED)
    mail.outbox.clear()
    deliver_event.call(event_id=event.pk)
    deliver_event.call(event_id=event.pk)  # twice: once each
    expected = names(personas, *READERS - {"moj_lead", "kent_commissioner"})
    assert told(draft) == expected
    assert sent() == sorted(expected)


def test_the_provider_asks_a_fixed_number_of_queries(personas, published):
    event = Event.objects.get(kind=EventKind.OUTCOME_PUBLISHED)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            people = list(recipients_for(event))
        return len(captured), len(people)

    before = queries()
    kent = Membership.objects.get(user=personas.kent_commissioner).organisation
    for n in range(3):
        user = User.objects.create_user(email=f"staff{n}@kent.example", password="x-unused-x")
        Membership.objects.create(user=user, organisation=kent, role=Role.OPCC_STAFF)
    after = queries()
    # The provider's set includes the lead (the task leaves the publisher out).
    assert after[1] == before[1] + 3 == len(READERS) + 3
    assert after[0] == before[0]
