"""The calendar feed: each person's deadlines and due dates, each through the decider of its
item's pages, as well-formed iCalendar, with a title only under TLP:CLEAR or TLP:GREEN, at a
secret link that a new link or turning the feed off stops, in a fixed number of queries."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.core.links import absolute
from engage.dissemination.tests.conftest import make_request
from engage.engagements.models import Engagement, Kind
from engage.engagements.tests.conftest import open_engagement
from engage.implementation.models import MilestoneStatus
from engage.implementation.tests.conftest import (
    accept,
    add_milestone,
    implementation_policy,
    propose,
    update,
)
from engage.notifications import calendar
from engage.notifications.calendar import CalendarEntry
from engage.notifications.models import CalendarFeed
from engage.notifications.services import (
    calendar_feed_renew,
    calendar_feed_turn_off,
    calendar_feed_turn_on,
)

pytestmark = pytest.mark.django_db

TITLE = "Victims code: local commissioning"
BODY = "How would the new code change what you commission locally?"
MESSAGE = "Tell local partners the new victims code applies from April."


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def parse(text: str) -> list[dict[str, str]]:
    """The feed's events as {name: value} (parameters dropped), after checking the lines:
    CRLF only, at most 75 octets each, BEGIN and END balanced."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode()) <= calendar.LINE_OCTETS for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "X-WR-CALNAME:Engage" in lines
    stack: list[str] = []
    events: list[dict[str, str]] = []
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack and stack[-1] == "VEVENT":
            events[-1][name.split(";")[0]] = value
    assert stack == []
    return events


def unescape(value: str) -> str:
    out, chars = "", iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out += "\n" if following in "nN" else following
        else:
            out += char
    return out


def secret(user) -> str:
    """A new link's secret for the person's feed (turned on if it was off): the only moment
    it is known, as only its hash is kept."""
    return calendar_feed_renew(user)[1]


def feed(user) -> list[dict[str, str]]:
    """The person's feed, fetched as a calendar app does: no session, the link only."""
    token = secret(user)
    response = Client().get(reverse("calendar:feed", args=[token]))
    assert response.status_code == 200
    return parse(response.content.decode())


def summaries(user) -> list[str]:
    return [unescape(event["SUMMARY"]) for event in feed(user)]


# The iCalendar text ----------------------------------------------------------------------


def test_the_text_is_folded_escaped_and_balanced():
    long_title = "Résumé; with, commas\\ and a new\nline " + "é" * 80
    entries = [
        CalendarEntry(uid="a-1", kind="Response deadline", on=days(3), link="/a/", title=""),
        CalendarEntry(uid="b-2", kind="Milestone due", on=days(5), link="/b/", title=long_title),
    ]
    now = timezone.now()
    events = parse(calendar.ics(entries, now=now))
    assert [unescape(e["SUMMARY"]) for e in events] == [
        "Response deadline",
        f"Milestone due: {long_title}",
    ]
    first = events[0]
    assert first["UID"] == "a-1"
    assert first["DTSTART"] == days(3).strftime("%Y%m%d")
    assert first["DTEND"] == days(4).strftime("%Y%m%d")
    assert first["URL"] == absolute("/a/")
    assert unescape(first["DESCRIPTION"]) == absolute("/a/")
    assert first["DTSTAMP"].endswith("Z")
    text = calendar.ics(entries, now=now)
    assert "DTSTART;VALUE=DATE:" in text
    assert calendar.ics([], now=now).count("BEGIN:VEVENT") == 0


def test_the_window_runs_from_a_month_ago_to_a_year_ahead():
    start, end = calendar.feed_window(datetime.date(2026, 11, 30))
    assert start == datetime.date(2026, 10, 31)
    assert end == datetime.date(2027, 11, 30)


# Who sees what ---------------------------------------------------------------------------

PARTIES = {"moj_lead", "secretariat", "gwent_commissioner", "gwent_staff", "kent_commissioner"}


@pytest.mark.parametrize("persona", EVERYONE)
def test_a_response_deadline_reaches_the_engagements_parties_only(
    personas, policy, victims, persona
):
    engagement = open_engagement(personas, policy, groups=[victims])
    person = getattr(personas, persona)
    events = feed(person)
    if persona in PARTIES:
        assert [unescape(e["SUMMARY"]) for e in events] == ["Response deadline"]
        event = events[0]
        assert event["DTSTART"] == engagement.response_deadline.strftime("%Y%m%d")
        link = absolute(reverse("engagements:detail", args=[engagement.public_id]))
        assert event["URL"] == link
    else:  # Dorset (in no group), the outsider, and everyone else the engagement never asked
        assert events == []


@pytest.mark.parametrize(
    ("label", "titled"),
    [(Label.AMBER_STRICT, False), (Label.AMBER, False), (Label.GREEN, True), (Label.CLEAR, True)],
)
def test_the_title_only_under_clear_or_green(personas, policy, victims, label, titled):
    engagement = open_engagement(personas, policy, groups=[victims])
    Engagement.objects.filter(pk=engagement.pk).update(label=label)
    response = Client().get(reverse("calendar:feed", args=[secret(personas.gwent_staff)]))
    text = response.content.decode()
    unfolded = text.replace("\r\n ", "")
    assert (TITLE in unescape(unfolded)) is titled
    assert BODY not in unescape(unfolded)
    expected = f"Response deadline: {TITLE}" if titled else "Response deadline"
    assert summaries(personas.gwent_staff) == [expected]
    # A widened label lets the protocol community read it; it is still not asked anything.
    assert summaries(personas.dorset_commissioner) == []
    assert summaries(personas.outsider) == []


def test_a_red_engagement_reaches_its_named_recipients_only(personas, policy, victims):
    open_engagement(
        personas,
        policy,
        groups=[victims],
        label=Label.RED,
        recipients=[personas.gwent_staff],
    )
    assert summaries(personas.gwent_staff) == ["Response deadline"]
    assert summaries(personas.gwent_commissioner) == []
    assert summaries(personas.kent_commissioner) == []


def test_a_change_notice_has_its_effective_date(personas, policy, victims):
    notice = open_engagement(
        personas,
        policy,
        groups=[victims],
        kind=Kind.CHANGE_NOTICE,
        rationale="The law changed.",
        effective_date=days(10),
        short_notice_reason="The order was laid at short notice.",
        asks_response=False,
        response_deadline=None,
    )
    events = feed(personas.kent_commissioner)
    assert [unescape(e["SUMMARY"]) for e in events] == ["Change takes effect"]
    assert events[0]["DTSTART"] == notice.effective_date.strftime("%Y%m%d")
    assert events[0]["UID"] == f"engagement-{notice.public_id}-effective-date"
    assert summaries(personas.dorset_commissioner) == []
    assert summaries(personas.outsider) == []


def test_dates_outside_the_window_are_left_out(personas, policy, victims):
    open_engagement(personas, policy, groups=[victims], response_deadline=days(400))
    assert summaries(personas.gwent_staff) == []


def test_a_dissemination_due_date_reaches_the_bodies_asked_and_the_owner(personas, policy, victims):
    engagement = open_engagement(personas, policy, groups=[victims], asks_dissemination=True)
    request = make_request(engagement, personas.moj_lead, due_on=days(14))
    for person in (personas.gwent_staff, personas.kent_commissioner, personas.moj_lead):
        events = [e for e in feed(person) if e["SUMMARY"] == "Dissemination due"]
        assert len(events) == 1
        assert events[0]["DTSTART"] == days(14).strftime("%Y%m%d")
        assert events[0]["URL"] == absolute(
            reverse("dissemination:detail", args=[request.public_id])
        )
    for person in (personas.dorset_commissioner, personas.outsider, personas.vcs_member):
        assert summaries(person) == []
    text = Client().get(reverse("calendar:feed", args=[secret(personas.gwent_staff)]))
    assert MESSAGE not in unescape(text.content.decode().replace("\r\n ", ""))


def test_a_milestone_reaches_the_body_concerned_and_the_owner(personas):
    policy = implementation_policy(personas)
    agreement = accept(propose(personas, policy, "kent")[0], personas.kent_commissioner)
    milestone = add_milestone(agreement, personas.moj_lead, title="Board meets", days=30)
    done = add_milestone(agreement, personas.moj_lead, title="Plan agreed", days=40)
    update(done, personas.kent_commissioner, status=MilestoneStatus.DONE)
    for person in (personas.kent_commissioner, personas.moj_lead):
        events = feed(person)
        assert [unescape(e["SUMMARY"]) for e in events] == ["Milestone due"]  # not the done one
        assert events[0]["UID"] == f"milestone-{milestone.public_id}-due"
        assert events[0]["URL"] == absolute(
            reverse("implementation:detail", args=[agreement.public_id])
        )
    for person in (personas.gwent_staff, personas.dorset_commissioner, personas.outsider):
        assert summaries(person) == []
    # A TLP:GREEN agreement's milestone carries its title.
    type(agreement).objects.filter(pk=agreement.pk).update(label=Label.GREEN)
    assert summaries(personas.kent_commissioner) == ["Milestone due: Board meets"]


# The link ---------------------------------------------------------------------------------


def test_the_feed_answers_a_calendar_app_without_signing_in(personas, policy, victims):
    open_engagement(personas, policy, groups=[victims])
    feed_row, token = calendar_feed_turn_on(personas.gwent_staff)
    assert token is not None
    assert feed_row.last_fetched_at is None
    response = Client().get(reverse("calendar:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "noindex" in response["X-Robots-Tag"]
    feed_row.refresh_from_db()
    assert feed_row.last_fetched_at is not None
    assert Client().post(reverse("calendar:feed", args=[token])).status_code == 405


def test_an_unknown_replaced_or_turned_off_link_is_not_found(personas):
    person = personas.gwent_staff
    unknown = "A" * 43  # the shape of a token, but no feed's
    assert Client().get(reverse("calendar:feed", args=[unknown])).status_code == 404
    _, old = calendar_feed_turn_on(person)
    assert old is not None
    # Turning on again keeps the link, which cannot be shown again.
    assert calendar_feed_turn_on(person)[1] is None
    assert Client().get(reverse("calendar:feed", args=[old])).status_code == 200
    _, new = calendar_feed_renew(person)
    assert new != old
    assert Client().get(reverse("calendar:feed", args=[old])).status_code == 404
    assert Client().get(reverse("calendar:feed", args=[new])).status_code == 200
    assert calendar_feed_turn_off(person) is True
    assert calendar_feed_turn_off(person) is False
    assert Client().get(reverse("calendar:feed", args=[new])).status_code == 404
    assert not CalendarFeed.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/%00.ics",  # PostgreSQL refuses a NUL byte in text: never a 500
        "/calendar/" + "A" * 42 + "%00.ics",
        "/calendar/" + "A" * 44 + ".ics",  # too long
        "/calendar/" + "A" * 42 + ".ics",  # too short
        "/calendar/" + "A" * 10_000 + ".ics",
        "/calendar/" + "A" * 42 + "=.ics",  # a character token_urlsafe never makes
        "/calendar/" + "A" * 42 + "%C3%A9.ics",
        "/calendar/" + "A" * 42 + "+.ics",
        "/calendar/not-a-token.ics",
    ],
)
def test_a_link_not_shaped_like_a_token_is_not_found_before_any_query(personas, path):
    _, token = calendar_feed_turn_on(personas.gwent_staff)
    assert token is not None
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 404
    assert not [query for query in captured if "notifications_calendarfeed" in query["sql"]]
    assert CalendarFeed.objects.get(user=personas.gwent_staff).last_fetched_at is None


def test_the_database_holds_no_secret(personas):
    """Only the SHA-256 hash of a link's secret is stored: not in the feed's row, nor in its
    history, through turning on, a new link and a fetch."""
    person = personas.gwent_staff
    _, first = calendar_feed_turn_on(person)
    _, second = calendar_feed_renew(person)
    assert first is not None
    Client().get(reverse("calendar:feed", args=[second]))
    rows = [
        *CalendarFeed.objects.filter(user=person).values_list(),
        *CalendarFeed.history.filter(user_id=person.pk).values_list(),
    ]
    assert len(rows) == 3  # the feed, and its history: turned on, a new link
    stored = " ".join(str(value) for row in rows for value in row)
    for token in (first, second):
        assert token not in stored
    assert hashlib.sha256(second.encode()).hexdigest() in stored


def test_a_closed_account_s_link_is_not_found(personas):
    person = personas.gwent_staff
    token = secret(person)
    type(person).objects.filter(pk=person.pk).update(is_active=False)
    assert Client().get(reverse("calendar:feed", args=[token])).status_code == 404


def test_a_membership_ended_takes_its_dates_out(personas, policy, victims):
    open_engagement(personas, policy, groups=[victims])
    assert summaries(personas.gwent_staff) == ["Response deadline"]
    personas.gwent_staff.memberships.update(ended_at=timezone.now())
    assert summaries(personas.gwent_staff) == []


# Queries ----------------------------------------------------------------------------------


def _queries(token: str) -> tuple[int, int]:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("calendar:feed", args=[token]))
    assert response.status_code == 200
    return len(captured), response.content.decode().count("BEGIN:VEVENT")


def test_the_feed_costs_the_same_with_one_item_or_many(personas, policy, victims):
    token = secret(personas.kent_commissioner)
    implementation = implementation_policy(personas)
    agreement = accept(propose(personas, implementation, "kent")[0], personas.kent_commissioner)

    def one_of_each(n: int) -> None:
        engagement = open_engagement(
            personas, policy, groups=[victims], asks_dissemination=True, title=f"Item {n}"
        )
        make_request(engagement, personas.moj_lead, due_on=days(14 + n))
        add_milestone(agreement, personas.moj_lead, title=f"Step {n}", days=30 + n)

    one_of_each(0)
    few, items = _queries(token)
    assert items == 3
    for n in range(1, 6):
        one_of_each(n)
    many, items = _queries(token)
    assert items == 18
    assert few == many
    # The feed, the person's memberships and bodies, one query per provider, the fetch noted.
    assert many <= 8
