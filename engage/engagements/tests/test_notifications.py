"""When the APCC opens an engagement, everyone it reaches gets one email: who it is from and
a link, never the title or content. Who it reaches is `visible_to`'s answer, person by person."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from engage.core.labels import Label
from engage.engagements import services

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
