"""When the APCC opens an engagement, everyone it reaches gets one notification and one email:
who it is from and a link, never the title or content (unless TLP:CLEAR or TLP:GREEN). Who it
reaches is the decider's audience (`audience.audience_members`, one query), worked out in one
task after the request (engage.notifications' `deliver_event`). When the lead sends one for
routing, the APCC secretariat is told."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from engage.accounts.models import Membership, Organisation, Role, User
from engage.core.labels import Label
from engage.engagements import services
from engage.engagements.audience import audience_members
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.tasks import deliver_event

from .conftest import engagement_fields

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"  # engagement_fields' default title


def open_engagement(personas, policy, *, route="groups", groups=(), **overrides):
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(**overrides)
    )
    services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route=route, groups=list(groups)
    )
    mail.outbox.clear()
    return services.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_opening_emails_each_member_of_the_routed_groups_bodies_once(personas, policy, victims):
    engagement = open_engagement(personas, policy, groups=[victims])

    assert recipients() == sorted(
        [
            personas.gwent_commissioner.email,
            personas.gwent_staff.email,
            personas.kent_commissioner.email,
        ]
    )
    link = reverse("engagements:detail", args=[engagement.public_id])
    for message in mail.outbox:
        assert len(message.to) == 1  # nobody learns who else was told
        assert "Ministry of Justice" in message.subject
        assert link in message.body
        assert TITLE not in message.subject
        assert TITLE not in message.body
        assert engagement.body not in message.body


def test_tlp_red_tells_the_named_recipients_only(personas, policy, victims):
    open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    assert recipients() == [personas.gwent_staff.email]


def test_the_apace_route_tells_the_chief_executives(personas, policy):
    open_engagement(personas, policy, route="apace")
    assert recipients() == [personas.surrey_ceo.email]


def test_nothing_is_sent_when_the_opening_is_refused(personas, awaiting):
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):  # the secretariat confirms routing, not the lead
        services.engagement_confirm_routing(engagement=awaiting, by=personas.moj_lead)
    assert mail.outbox == []


# Opening to everyone (issue 7, point 3) --------------------------------------------------


def _add_gwent_staff(count: int, start: int) -> None:
    gwent = Organisation.objects.get(slug="gwent")
    for number in range(start, start + count):
        person = User.objects.create_user(f"opcc-{number}@gwent.example.org")
        Membership.objects.create(user=person, organisation=gwent, role=Role.OPCC_STAFF)


def _confirm_queries(personas, client_for, policy, victims) -> tuple[int, Engagement]:
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields()
    )
    services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    apcc = client_for(personas.secretariat)
    url = reverse("engagements:confirm", args=[engagement.public_id])
    apcc.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert apcc.post(url).status_code == 302
    return len(queries), engagement


def test_the_confirm_request_costs_the_same_whatever_the_audience(
    personas, client_for, policy, victims, settings
):
    """The request records the opening and enqueues one task, on the database task backend
    as in production: its query count does not grow with the number of people reached."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    few, _ = _confirm_queries(personas, client_for, policy, victims)
    _add_gwent_staff(60, start=0)
    many, engagement = _confirm_queries(personas, client_for, policy, victims)
    assert few == many
    opened = Event.objects.filter(kind=EventKind.ENGAGEMENT_OPENED)
    assert opened.count() == 2
    # One delivery task for each event: two sent for routing, two opened.
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_event").count() == 4
    assert mail.outbox == []  # nothing sent inside the request


def test_the_opening_task_tells_each_person_once_however_often_it_runs(
    personas, policy, victims, django_assert_max_num_queries
):
    _add_gwent_staff(30, start=100)
    engagement = open_engagement(personas, policy, groups=[victims])
    told = recipients()
    assert len(told) == 33  # Gwent's commissioner and staff, Kent's commissioner, and 30 more
    assert told == sorted(audience_members(engagement).values_list("email", flat=True))
    mail.outbox.clear()
    # Run again (a worker that died after sending, say): nothing is sent twice, and the
    # audience is still worked out in one query, not person by person.
    event = Event.objects.get(kind=EventKind.ENGAGEMENT_OPENED, subject_id=engagement.public_id)
    assert deliver_event.call(event_id=event.pk) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(event=event).count() == 33
    with CaptureQueriesContext(connection) as queries:
        deliver_event.call(event_id=event.pk)
    audience_queries = [q for q in queries if "accounts_membership" in q["sql"]]
    assert len(audience_queries) == 1


# Routing awaiting the APCC ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "title_told"),
    [(Label.AMBER_STRICT, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_sending_for_routing_tells_the_apcc_secretariat(
    personas, policy, victims, label, title_told
):
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields()
    )
    Engagement.objects.filter(pk=engagement.pk).update(label=label)  # as if released wider
    engagement.refresh_from_db()
    mail.outbox.clear()
    services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    assert recipients() == [personas.secretariat.email]
    (message,) = mail.outbox
    assert "Ministry of Justice" in message.subject
    assert "routing" in message.subject
    assert reverse("engagements:detail", args=[engagement.public_id]) in message.body
    assert (TITLE in message.body) is title_told
    assert TITLE not in message.subject
    assert engagement.body not in message.body
    told = Notification.objects.filter(event__kind=EventKind.ROUTING_AWAITING_APCC)
    assert [n.user for n in told] == [personas.secretariat]
    personas.secretariat.refresh_from_db()
    assert personas.secretariat.unread_notifications == 1


def test_the_opening_email_names_the_title_only_when_the_label_allows(personas, policy, victims):
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields()
    )
    Engagement.objects.filter(pk=engagement.pk).update(label=Label.GREEN)  # released wider
    engagement.refresh_from_db()
    services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    mail.outbox.clear()
    services.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert TITLE in message.body
        assert TITLE not in message.subject
