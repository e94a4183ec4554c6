"""The calendar feed's pages: turning it on shows the link, once, a new link replaces the old
one, turning it off asks first; each person manages only their own feed; changes by POST only,
with the CSRF token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from engage.core.links import absolute
from engage.notifications.models import CalendarFeed
from engage.notifications.services import calendar_feed_turn_on

pytestmark = pytest.mark.django_db

PAGE = reverse("notifications:calendar")
ON = reverse("notifications:calendar_on")
RENEW = reverse("notifications:calendar_renew")
OFF = reverse("notifications:calendar_off")


def feed_url(token: str) -> str:
    return reverse("calendar:feed", args=[token])


def shown_link(page: str) -> str:
    """The feed's link a page shows, or "" (the page shows none)."""
    match = re.search(r'id="calendar-link"[^>]* value="([^"]*)"', page)
    return match.group(1) if match else ""


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1].removesuffix(".ics")


def test_anonymous_people_are_sent_to_sign_in(client, personas):
    for url in (PAGE, OFF):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    for url in (ON, RENEW, OFF):
        response = client.post(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert not CalendarFeed.objects.exists()


def test_the_notifications_page_links_to_the_feed(personas, client_for):
    page = client_for(personas.gwent_staff).get(reverse("notifications:list")).content.decode()
    assert f'href="{PAGE}"' in page


def test_turning_on_shows_the_link_once(personas, client_for):
    person = personas.gwent_staff
    client = client_for(person)
    page = client.get(PAGE).content.decode()
    assert "Your calendar feed is off." in page
    assert "Turn on your calendar feed" in page
    assert not CalendarFeed.objects.filter(user=person).exists()
    response = client.post(ON)
    assert response.status_code == 200  # the link is rendered from the POST, never stored
    assert "no-store" in response["Cache-Control"]  # nor kept in the browser's cache
    page = response.content.decode()
    assert CalendarFeed.objects.filter(user=person).exists()
    assert "Your calendar feed is on." in page
    assert "Copy this link now: you will not be able to see it again." in page
    link = shown_link(page)
    assert link.startswith(absolute(reverse("calendar:feed", args=["x"])).removesuffix("x.ics"))
    assert "readonly" in page
    assert "No calendar app has fetched your feed yet." in page
    # The link works for a calendar app, and the page never shows it again.
    assert Client().get(feed_url(token_of(link))).status_code == 200
    page = client.get(PAGE).content.decode()
    assert shown_link(page) == ""
    assert token_of(link) not in page
    assert 'id="calendar-link"' not in page
    assert "Its link was made on" in page
    assert "A calendar app last fetched your feed on" in page
    assert "Make a new link" in page
    assert "Turn off your calendar feed" in page
    # Turning on again (a second click) keeps the link, and cannot show it.
    response = client.post(ON, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    page = response.content.decode()
    assert "Your calendar feed is already on." in page
    assert shown_link(page) == ""
    assert token_of(link) not in page
    assert Client().get(feed_url(token_of(link))).status_code == 200


def test_a_new_link_replaces_the_old_one(personas, client_for):
    person = personas.gwent_staff
    _, old = calendar_feed_turn_on(person)
    assert old is not None
    client = client_for(person)
    response = client.post(RENEW)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The old link no longer works" in page
    assert "Copy this link now" in page
    new = token_of(shown_link(page))
    assert new != old
    assert feed_url(old) not in page
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200
    assert new not in client.get(PAGE).content.decode()


def test_turning_off_asks_first(personas, client_for):
    person = personas.gwent_staff
    _, token = calendar_feed_turn_on(person)
    assert token is not None
    client = client_for(person)
    page = client.get(OFF).content.decode()
    assert "Are you sure you want to turn off your calendar feed?" in page
    assert CalendarFeed.objects.filter(user=person).exists()  # asking changes nothing
    response = client.post(OFF, follow=True)
    assert "Your calendar feed is off. Its link no longer works." in response.content.decode()
    assert not CalendarFeed.objects.filter(user=person).exists()
    assert Client().get(feed_url(token)).status_code == 404
    # Nothing to turn off: the confirmation page goes back to the feed's page.
    assert client.get(OFF)["Location"] == PAGE


def test_changes_are_post_only(personas, client_for):
    client = client_for(personas.gwent_staff)
    assert client.get(ON).status_code == 405
    assert client.get(RENEW).status_code == 405
    assert client.put(OFF).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_changes_need_the_csrf_token(personas):
    person = personas.gwent_staff
    calendar_feed_turn_on(person)
    before = CalendarFeed.objects.get(user=person).token_hash
    client = Client(enforce_csrf_checks=True)
    client.force_login(person, backend="allauth.account.auth_backends.AuthenticationBackend")
    page = client.get(PAGE)
    assert page.status_code == 200
    for url in (ON, RENEW, OFF):
        assert client.post(url).status_code == 403
    assert CalendarFeed.objects.get(user=person).token_hash == before
    # With the page's token, the same person's new link is made.
    csrf = page.context["csrf_token"]
    assert client.post(RENEW, {"csrfmiddlewaretoken": str(csrf)}).status_code == 200
    assert CalendarFeed.objects.get(user=person).token_hash != before


def test_the_outsider_manages_only_their_own_feed(personas, client_for):
    _, theirs = calendar_feed_turn_on(personas.gwent_staff)
    assert theirs is not None
    before = CalendarFeed.objects.get(user=personas.gwent_staff).token_hash
    client = client_for(personas.outsider)
    page = client.get(PAGE).content.decode()
    assert theirs not in page
    assert "Your calendar feed is off." in page
    for url in (ON, RENEW, OFF):
        assert theirs not in client.post(url).content.decode()
    assert CalendarFeed.objects.get(user=personas.gwent_staff).token_hash == before
    assert not CalendarFeed.objects.filter(user=personas.outsider).exists()
    assert Client().get(feed_url(theirs)).status_code == 200


def test_turning_on_renewing_and_off_are_recorded_without_the_secret(personas, client_for):
    person = personas.gwent_staff
    client = client_for(person)
    client.post(ON)
    token = token_of(shown_link(client.post(RENEW).content.decode()))
    assert Client().get(feed_url(token)).status_code == 200  # a fetch: not recorded
    client.post(OFF)
    history = CalendarFeed.history.filter(user_id=person.pk).order_by("history_date")
    assert [row.history_type for row in history] == ["+", "~", "-"]
    assert {row.history_user_id for row in history} == {person.pk}
    fields = {field.name for field in CalendarFeed.history.model._meta.get_fields()}
    assert not {"token", "token_hash", "last_fetched_at"} & fields
