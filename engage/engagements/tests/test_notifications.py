"""When the APCC opens an engagement, everyone it reaches gets one notification and one email:
who it is from and a link, never the title or content (unless TLP:CLEAR or TLP:GREEN). Who it
reaches is the decider's audience (`audience.audience_members`, one query), worked out in one
task after the request (engage.notifications' `deliver_event`). When the lead sends one for
routing, the APCC secretariat is told. A body the APCC adds to an open engagement is told (its
members only); a return tells the policy's leads, a wider-route request the APCC, its answer
the leads and the lead who asked: never the advice or the request."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from engage.accounts.models import Membership, Organisation, Role, User
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.directory.models import PolicingBody
from engage.directory.tests.factories import MembershipFactory
from engage.engagements import services
from engage.engagements.audience import audience_members
from engage.engagements.models import Engagement
from engage.notifications.models import Event, EventKind, Notification
from engage.notifications.registry import recipients_for
from engage.notifications.tasks import deliver_event
from engage.notifications.tests.helpers import DB_TASKS, names, told

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


# Routed to more bodies, returned, the wider route ---------------------------------------

ADVICE = "Narrow the questions to commissioning budgets."
REQUEST = "Every force area commissions victims services."


def body_of(user):
    return PolicingBody.objects.get(organisation__memberships__user=user)


def add_dorset(personas, engagement):
    return services.audience_body_add(
        engagement=engagement,
        body=body_of(personas.dorset_commissioner),
        by=personas.secretariat,
        reason="Joined Victims in May",
    )


def labelled(engagement: Engagement, label: str) -> Engagement:
    Engagement.objects.filter(pk=engagement.pk).update(label=label)  # as if released wider
    engagement.refresh_from_db()
    return engagement


def a_draft(personas, policy, label=Label.AMBER_STRICT) -> Engagement:
    draft = services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())
    return labelled(draft, label)


TITLE_TOLD = pytest.mark.parametrize(
    ("label", "title_told"),
    [
        (Label.AMBER_STRICT, False),
        (Label.AMBER, False),
        (Label.GREEN, True),
        (Label.CLEAR, True),
    ],
)


@TITLE_TOLD
def test_a_body_added_to_an_open_engagement_tells_its_members_only(
    personas, policy, victims, label, title_told
):
    engagement = labelled(open_engagement(personas, policy, groups=[victims]), label)
    mail.outbox.clear()
    add_dorset(personas, engagement)
    # Not Gwent or Kent (told at the opening), the owner, the APCC, the outsider.
    assert told(EventKind.ENGAGEMENT_ROUTED, engagement) == names(personas, "dorset_commissioner")
    assert recipients() == [personas.dorset_commissioner.email]
    (message,) = mail.outbox
    assert "routed to you" in message.subject
    assert "Ministry of Justice" in message.subject
    assert reverse("engagements:detail", args=[engagement.public_id]) in message.body
    assert (TITLE in message.body) is title_told
    assert TITLE not in message.subject
    assert engagement.body not in message.body
    event = Event.objects.get(kind=EventKind.ENGAGEMENT_ROUTED)
    assert event.context["bodies"] == [body_of(personas.dorset_commissioner).pk]


def test_a_person_already_reached_through_another_body_is_not_told_again(personas, policy, victims):
    engagement = open_engagement(personas, policy, groups=[victims])
    both = MembershipFactory(organisation=Organisation.objects.get(slug="kent")).user
    MembershipFactory(user=both, organisation=Organisation.objects.get(slug="dorset"))
    add_dorset(personas, engagement)
    assert told(EventKind.ENGAGEMENT_ROUTED, engagement) == names(personas, "dorset_commissioner")


def test_under_tlp_red_a_body_added_tells_none_of_its_members_not_named(personas, policy, victims):
    engagement = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    add_dorset(personas, engagement)
    assert told(EventKind.ENGAGEMENT_ROUTED, engagement) == set()


def test_the_first_routing_amended_at_confirmation_is_told_by_the_opening_only(
    personas, policy, victims
):
    engagement = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields()
    )
    services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )
    mail.outbox.clear()
    services.engagement_confirm_routing(
        engagement=engagement, by=personas.secretariat, also_apace=True
    )
    assert not Event.objects.filter(kind=EventKind.ENGAGEMENT_ROUTED).exists()
    assert recipients() == sorted(
        names(personas, "gwent_commissioner", "gwent_staff", "kent_commissioner", "surrey_ceo")
    )


def test_a_member_of_the_added_body_whose_membership_ended_is_not_told(
    personas, policy, victims, settings
):
    engagement = open_engagement(personas, policy, groups=[victims])
    settings.TASKS = DB_TASKS
    other = MembershipFactory(organisation=Organisation.objects.get(slug="dorset")).user
    add_dorset(personas, engagement)
    Membership.objects.filter(user=personas.dorset_commissioner).update(ended_at=timezone.now())
    mail.outbox.clear()
    deliver_event.call(event_id=Event.objects.get(kind=EventKind.ENGAGEMENT_ROUTED).pk)
    assert told(EventKind.ENGAGEMENT_ROUTED, engagement) == {other.email}
    assert recipients() == [other.email]


def test_who_a_body_added_tells_is_worked_out_in_a_fixed_number_of_queries(
    personas, policy, victims
):
    engagement = open_engagement(personas, policy, groups=[victims])
    add_dorset(personas, engagement)
    event = Event.objects.get(kind=EventKind.ENGAGEMENT_ROUTED)
    with CaptureQueriesContext(connection) as few:
        assert len(list(recipients_for(event))) == 1
    dorset = Organisation.objects.get(slug="dorset")
    for _ in range(20):
        MembershipFactory(organisation=dorset)
    with CaptureQueriesContext(connection) as many:
        assert len(list(recipients_for(event))) == 21
    assert len(few) == len(many)


@TITLE_TOLD
def test_returning_an_engagement_tells_the_policy_leads(personas, awaiting, label, title_told):
    labelled(awaiting, label)
    mail.outbox.clear()
    services.engagement_return(engagement=awaiting, by=personas.secretariat, advice=ADVICE)
    # Not the secretariat who returned it, the Home Office lead, a body, the outsider.
    assert told(EventKind.ENGAGEMENT_RETURNED, awaiting) == names(personas, "moj_lead")
    assert recipients() == [personas.moj_lead.email]
    (message,) = mail.outbox
    assert "returned" in message.subject
    assert reverse("engagements:detail", args=[awaiting.public_id]) in message.body
    assert (TITLE in message.body) is title_told
    assert ADVICE not in f"{message.subject}\n{message.body}"
    assert awaiting.body not in message.body


def test_an_engagement_sent_again_before_delivery_tells_nobody_it_was_returned(
    personas, awaiting, victims, settings
):
    settings.TASKS = DB_TASKS
    services.engagement_return(engagement=awaiting, by=personas.secretariat, advice=ADVICE)
    services.engagement_route(
        engagement=awaiting, by=personas.moj_lead, route="groups", groups=[victims]
    )
    mail.outbox.clear()
    event = Event.objects.get(kind=EventKind.ENGAGEMENT_RETURNED)
    assert deliver_event.call(event_id=event.pk) == 0
    assert told(EventKind.ENGAGEMENT_RETURNED, awaiting) == set()


def test_a_lead_whose_membership_ended_is_not_told_of_the_return(personas, awaiting, settings):
    settings.TASKS = DB_TASKS
    services.engagement_return(engagement=awaiting, by=personas.secretariat, advice=ADVICE)
    Membership.objects.filter(user=personas.moj_lead).update(ended_at=timezone.now())
    event = Event.objects.get(kind=EventKind.ENGAGEMENT_RETURNED)
    assert deliver_event.call(event_id=event.pk) == 0
    assert told(EventKind.ENGAGEMENT_RETURNED, awaiting) == set()


def test_a_refused_return_tells_nobody(personas, awaiting):
    with pytest.raises(ValidationError):
        services.engagement_return(engagement=awaiting, by=personas.secretariat, advice=" ")
    assert not Event.objects.filter(kind=EventKind.ENGAGEMENT_RETURNED).exists()


def another_moj_lead() -> User:
    """A policy lead of the MoJ, not a lead of the policy."""
    person = User.objects.create_user("lead-2@moj.example.org")
    Membership.objects.create(
        user=person, organisation=Organisation.objects.get(slug="moj"), role=Role.POLICY_LEAD
    )
    return person


def ask_wider(personas, draft, by=None):
    return services.wider_route_request(
        engagement=draft, by=by or personas.moj_lead, request=REQUEST
    )


@TITLE_TOLD
def test_a_wider_route_request_tells_the_apcc_secretariat(personas, policy, label, title_told):
    draft = a_draft(personas, policy, label)
    mail.outbox.clear()
    ask_wider(personas, draft)
    assert told(EventKind.WIDER_ROUTE_REQUESTED, draft) == names(personas, "secretariat")
    assert recipients() == [personas.secretariat.email]
    (message,) = mail.outbox
    assert "engage all policing bodies" in message.subject
    assert reverse("engagements:wider_decide", args=[draft.public_id]) in message.body
    assert (TITLE in message.body) is title_told
    assert REQUEST not in f"{message.subject}\n{message.body}"
    assert draft.body not in message.body


def test_a_request_answered_before_delivery_tells_nobody(personas, policy, settings):
    settings.TASKS = DB_TASKS
    draft = a_draft(personas, policy)
    wider = ask_wider(personas, draft)
    services.wider_route_decide(
        wider_request=wider, by=personas.secretariat, decision="declined", advice=ADVICE
    )
    event = Event.objects.get(kind=EventKind.WIDER_ROUTE_REQUESTED)
    assert deliver_event.call(event_id=event.pk) == 0
    assert told(EventKind.WIDER_ROUTE_REQUESTED, draft) == set()


@TITLE_TOLD
def test_the_apccs_decision_tells_the_policy_leads_and_the_lead_who_asked(
    personas, policy, label, title_told
):
    draft = a_draft(personas, policy, label)
    asker = another_moj_lead()
    wider = ask_wider(personas, draft, by=asker)
    mail.outbox.clear()
    services.wider_route_decide(
        wider_request=wider, by=personas.secretariat, decision="agreed", advice=ADVICE
    )
    expected = names(personas, "moj_lead") | {asker.email}
    assert told(EventKind.WIDER_ROUTE_DECIDED, draft) == expected
    assert recipients() == sorted(expected)
    for message in mail.outbox:
        assert "answered your request" in message.subject
        assert reverse("engagements:detail", args=[draft.public_id]) in message.body
        assert (TITLE in message.body) is title_told
        assert ADVICE not in f"{message.subject}\n{message.body}"
        assert REQUEST not in message.body
        assert "agreed" not in f"{message.subject}\n{message.body}".lower()


def test_a_lead_who_left_the_owner_is_not_told_the_decision(personas, policy, settings):
    settings.TASKS = DB_TASKS
    draft = a_draft(personas, policy)
    asker = another_moj_lead()
    wider = ask_wider(personas, draft, by=asker)
    services.wider_route_decide(
        wider_request=wider, by=personas.secretariat, decision="declined", advice=ADVICE
    )
    Membership.objects.filter(user=asker).update(ended_at=timezone.now())
    mail.outbox.clear()
    deliver_event.call(event_id=Event.objects.get(kind=EventKind.WIDER_ROUTE_DECIDED).pk)
    assert told(EventKind.WIDER_ROUTE_DECIDED, draft) == names(personas, "moj_lead")
    assert recipients() == [personas.moj_lead.email]


@pytest.mark.parametrize(
    "kind",
    [
        EventKind.ENGAGEMENT_RETURNED,
        EventKind.WIDER_ROUTE_REQUESTED,
        EventKind.WIDER_ROUTE_DECIDED,
    ],
)
def test_nobody_outside_the_owner_and_the_apcc_is_told(personas, policy, victims, kind):
    """Whoever is told reads the engagement's heading (`visible_to`), and is never the
    outsider or a body."""
    draft = a_draft(personas, policy)
    if kind == EventKind.ENGAGEMENT_RETURNED:
        services.engagement_route(
            engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
        )
        services.engagement_return(engagement=draft, by=personas.secretariat, advice=ADVICE)
    else:
        wider = ask_wider(personas, draft)
        if kind == EventKind.WIDER_ROUTE_DECIDED:
            services.wider_route_decide(
                wider_request=wider, by=personas.secretariat, decision="agreed", advice=ADVICE
            )
    people = told(kind, draft)
    assert people
    assert people <= names(personas, "moj_lead", "secretariat")
    for key in EVERYONE:
        person = getattr(personas, key)
        if person.email in people:
            assert Engagement.objects.visible_to(person).filter(pk=draft.pk).exists()
