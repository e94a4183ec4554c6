"""The OPCC's desk (issue 9, point 3): a policing body's inbox shows its own response status
and the acknowledgements asked of it, filters on what reaches a body, and puts a draft marked
ready for the commissioner first. Owners' and the APCC's inboxes are unchanged."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.acknowledgements import services as acknowledgement_services
from engage.engagements.models import Kind, Route, Status
from engage.responses import services as response_services
from engage.responses.services import AnswerInput
from engage.responses.tests.fixtures import consultation, membership_of, save, start, submit

from .factories import EngagementFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def rows(client, **params) -> list[tuple[str, str]]:
    """(title, the text of the rest of the row) for each row of the inbox, in order."""
    page = client.get(reverse("engagements:inbox"), params)
    assert page.status_code == 200
    found = []
    for row in page.content.decode().split('<tr class="govuk-table__row">')[2:]:
        title = re.search(r'href="/engagements/[0-9a-f-]{36}/">([^<]+)</a>', row)
        assert title is not None
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        found.append((html.unescape(title.group(1)), text))
    return found


def titles(client, **params) -> list[str]:
    return [title for title, _ in rows(client, **params)]


@pytest.fixture
def desk(personas, policy, victims):
    """Engagements routed to Victims (Gwent and Kent), Gwent's response in every state."""
    staff, commissioner = personas.gwent_staff, personas.gwent_commissioner

    def open_one(title, **fields):
        return consultation(personas, policy, groups=[victims], title=title, **fields)

    open_one("Not started", response_deadline=days(30))
    drafted = open_one("Drafted", response_deadline=days(25))
    save(start(drafted, staff), staff, answers={1: AnswerInput(text="Thoughts.")})
    ready = open_one("Ready", response_deadline=days(40))
    response = save(start(ready, staff), staff, answers={1: AnswerInput(text="Done, I think.")})
    response_services.response_mark_ready(response=response, by=staff, revision=response.revision)
    submitted = open_one("Submitted", response_deadline=days(22))
    submit(save(start(submitted, commissioner), commissioner), commissioner)
    EngagementFactory(
        policy=policy,
        title="Late",
        status=Status.OPEN,
        asks_response=True,
        response_deadline=days(-2),
        route=Route.STANDING_GROUPS,
        routed_groups=[victims],
    )
    open_one(
        "Notice",
        kind=Kind.CHANGE_NOTICE,
        asks_response=False,
        response_deadline=None,
        rationale="The law changed.",
        effective_date=days(10),
        short_notice_reason="The order was laid at short notice.",
    )


def test_the_body_sees_its_own_response_status(personas, client_for, desk):
    seen = dict(rows(client_for(personas.gwent_staff)))
    assert "Not started" in seen["Not started"]
    assert "Draft" in seen["Drafted"]
    assert "Ready for the commissioner" in seen["Ready"]
    assert "Submitted (version 1)" in seen["Submitted"]
    assert "Late" in seen["Late"]
    # A change notice asks no response: no tag that could read as done, but the
    # acknowledgement it asks for.
    notice = seen["Notice"]
    assert "No response asked" in notice
    assert "Acknowledgement asked" in notice
    for done_looking in ("Submitted", "Draft", "Ready", "Not started", "Late"):
        assert done_looking not in notice.replace("Notice", "")
    others = [text for title, text in seen.items() if title != "Notice"]
    assert all("Acknowledgement asked" not in text for text in others)


def test_another_body_sees_its_own_status_not_gwents(personas, client_for, desk):
    seen = dict(rows(client_for(personas.kent_commissioner)))
    for title in ("Drafted", "Ready", "Submitted", "Not started"):
        assert "Not started" in seen[title], title
    assert "Late" in seen["Late"]
    assert "Acknowledgement asked" in seen["Notice"]


def test_an_acknowledgement_given_is_no_longer_asked(personas, client_for, desk):
    from engage.engagements.models import Engagement

    notice = Engagement.objects.get(title="Notice")
    commissioner = personas.gwent_commissioner
    acknowledgement_services.acknowledge(
        engagement=notice, membership=membership_of(commissioner), by=commissioner
    )
    assert "Acknowledgement asked" not in dict(rows(client_for(personas.gwent_staff)))["Notice"]
    assert "Acknowledgement asked" in dict(rows(client_for(personas.kent_commissioner)))["Notice"]


def test_a_draft_ready_for_the_commissioner_comes_first(personas, client_for, desk):
    # (The notice has no deadline: where it sorts depends on the database.)
    order = [t for t in titles(client_for(personas.gwent_commissioner)) if t != "Notice"]
    assert order == ["Ready", "Late", "Submitted", "Drafted", "Not started"]
    # Kent has nothing ready: by deadline, as before.
    kent = [t for t in titles(client_for(personas.kent_commissioner)) if t != "Notice"]
    assert kent[0] == "Late"


def test_a_change_saved_after_marking_takes_it_off_the_top(personas, client_for, desk):
    from engage.responses.models import Response

    response = Response.objects.get(engagement__title="Ready")
    save(response, personas.gwent_staff, answers={1: AnswerInput(text="One more thing.")})
    seen = [row for row in rows(client_for(personas.gwent_commissioner)) if row[0] != "Notice"]
    assert seen[0][0] == "Late"
    assert "Draft" in dict(seen)["Ready"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"response": "not_started"}, ["Not started"]),
        ({"response": "draft"}, ["Drafted"]),
        ({"response": "ready"}, ["Ready"]),
        ({"response": "submitted"}, ["Submitted"]),
        ({"response": "late"}, ["Late"]),
        ({"acknowledgement_asked_only": "on"}, ["Notice"]),
        ({"response": "draft", "status": "closed"}, []),
    ],
)
def test_a_body_filters_on_its_own_status(personas, client_for, desk, params, expected):
    assert titles(client_for(personas.gwent_staff), **params) == expected


def test_a_body_is_offered_only_the_statuses_that_reach_it(personas, client_for, desk):
    page = client_for(personas.gwent_staff).get(reverse("engagements:inbox")).content.decode()
    assert 'value="open"' in page
    assert 'value="closed"' in page
    assert 'value="draft"' in page  # the response filter's "Draft"
    assert 'value="awaiting_apcc"' not in page
    assert "Awaiting APCC" not in page
    assert page.count('value="draft"') == 1


@pytest.mark.parametrize(
    "params",
    [{"status": "awaiting_apcc"}, {"status": "draft"}, {"response": "done"}],
)
def test_bad_filters_say_so(personas, client_for, desk, params):
    page = client_for(personas.gwent_staff).get(reverse("engagements:inbox"), params)
    assert page.status_code == 200
    body = page.content.decode()
    assert "There is a problem" in body
    assert "from the list" in body


@pytest.mark.parametrize("persona", ["moj_lead", "secretariat"])
def test_owners_and_the_apcc_keep_their_inbox(personas, client_for, desk, persona):
    client = client_for(getattr(personas, persona))
    page = client.get(reverse("engagements:inbox")).content.decode()
    assert "Your response" not in page
    assert "Acknowledgement asked" not in page
    assert "Ready for the commissioner" not in page
    assert 'value="awaiting_apcc"' in page
    # The body's filters are not theirs: ignored, not applied.
    everything = titles(client)
    assert titles(client, response="ready") == everything
