"""Every page that shows an engagement's labelled content (its title and summary at least) is
logged, not only the engagement page: the owner's draft pages (change, questions, national
priorities, routing, asking to engage all policing bodies), the APCC's pages (the wider-route
decision, confirming, returning) and the pages of an engagement once sent (closing, sharing
responses, releasing to a wider label). A person refused the page gets the refusal logged, as
every refused page does, and no view."""

import pytest
from django.urls import reverse

from engage.audit.models import AccessAction, AccessLog
from engage.core.labels import Label
from engage.engagements import services

from .conftest import engagement_fields

pytestmark = pytest.mark.django_db


def _draft(personas, policy, victims):
    return services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(label=Label.AMBER_STRICT)
    )


def _priorities_draft(personas, policy, victims):
    return services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(
            kind="priorities", title="Priorities 2027", asks_response=False, response_deadline=None
        ),
    )


def _asked_wider(personas, policy, victims):
    draft = _draft(personas, policy, victims)
    services.wider_route_request(
        engagement=draft, by=personas.moj_lead, request="A national change."
    )
    return draft


def _awaiting(personas, policy, victims):
    draft = _draft(personas, policy, victims)
    return services.engagement_route(
        engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
    )


def _opened(personas, policy, victims):
    awaiting = _awaiting(personas, policy, victims)
    return services.engagement_confirm_routing(engagement=awaiting, by=personas.secretariat)


# page -> (how to get the engagement it needs, who may open it, who is refused it and how)
PAGES = {
    "edit": (_draft, "moj_lead", ("kent_commissioner", 404)),
    "questions": (_draft, "moj_lead", ("kent_commissioner", 404)),
    "priority_new": (_priorities_draft, "moj_lead", ("kent_commissioner", 404)),
    "route": (_draft, "moj_lead", ("kent_commissioner", 404)),
    "wider_request": (_draft, "moj_lead", ("kent_commissioner", 404)),
    "wider_decide": (_asked_wider, "secretariat", ("moj_lead", 403)),
    "confirm": (_awaiting, "secretariat", ("moj_lead", 403)),
    "return": (_awaiting, "secretariat", ("moj_lead", 403)),
    "close": (_opened, "moj_lead", ("kent_commissioner", 403)),
    "share_responses": (_opened, "moj_lead", ("kent_commissioner", 403)),
    "release": (_opened, "moj_lead", ("kent_commissioner", 403)),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_view_of_the_page_is_logged_once_with_the_engagement_and_its_label(
    personas, client_for, policy, victims, page
):
    make, who, _refused = PAGES[page]
    engagement = make(personas, policy, victims)
    person = getattr(personas, who)
    before = set(AccessLog.objects.values_list("pk", flat=True))

    response = client_for(person).get(reverse(f"engagements:{page}", args=[engagement.public_id]))

    assert response.status_code == 200
    assert engagement.title in response.content.decode()
    added = AccessLog.objects.exclude(pk__in=before)
    assert added.count() == 1
    entry = added.get()
    assert (entry.user, entry.action, entry.object_type, entry.object_id, entry.label) == (
        person,
        AccessAction.VIEW,
        "engagement",
        str(engagement.public_id),
        Label.AMBER_STRICT,
    )
    assert entry.confidential_to is None  # an ordinary policy: the log's usual readers


@pytest.mark.parametrize("page", PAGES)
def test_a_refused_person_gets_the_refusal_logged_and_no_view(
    personas, client_for, policy, victims, page
):
    make, _who, (refused, status) = PAGES[page]
    engagement = make(personas, policy, victims)
    person = getattr(personas, refused)
    url = reverse(f"engagements:{page}", args=[engagement.public_id])
    before = set(AccessLog.objects.values_list("pk", flat=True))

    response = client_for(person).get(url)

    assert response.status_code == status
    assert engagement.title not in response.content.decode()
    added = AccessLog.objects.exclude(pk__in=before)
    assert list(added.values_list("user", "action", "path")) == [
        (person.pk, AccessAction.REFUSED, url)
    ]


def test_a_post_that_shows_the_form_again_adds_no_second_view(
    personas, client_for, policy, victims
):
    """The view is logged when the page is opened; a rejected form shows what was read."""
    draft = _draft(personas, policy, victims)
    lead = client_for(personas.moj_lead)
    url = reverse("engagements:wider_request", args=[draft.public_id])
    lead.get(url)
    response = lead.post(url, {"request": ""})
    assert response.status_code == 200
    assert AccessLog.objects.filter(action=AccessAction.VIEW).count() == 1


def test_a_redirect_away_from_the_page_logs_no_view(personas, client_for, policy, victims):
    """Only a draft can be changed: an open engagement's change page sends the lead to the
    engagement page, which logs its own view; the change page itself showed nothing."""
    opened = _opened(personas, policy, victims)
    lead = client_for(personas.moj_lead)
    response = lead.get(reverse("engagements:edit", args=[opened.public_id]))
    assert response.status_code == 302
    assert not AccessLog.objects.filter(action=AccessAction.VIEW).exists()
