"""axe-core on the calendar feed's pages (issue 11, item 7): the notifications page that links
to it, the feed's page off, on with its link (shown once) and on after, and the confirmation
before turning it off; turning it on and off by the page's own buttons, without JavaScript
doing anything the page needs.

As in test_every_page_accessible, the browser carries a session made by Django's test client.
A sweep reports every page with violations at the end of the test."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from engage.accounts.models import hash_token
from engage.browser.helpers import Sweep
from engage.notifications.models import CalendarFeed

pytestmark = pytest.mark.browser


def test_calendar_feed_pages(sweep: Sweep, personas) -> None:
    page = sweep.page
    person = personas.gwent_staff
    calendar = reverse("notifications:calendar")
    sweep.sign_in(person)
    sweep.visit(reverse("notifications:list"))
    page.locator("main").get_by_role("link", name="Get your deadlines and due dates").click()
    expect(page).to_have_url(re.compile(f"{calendar}$"))
    sweep.check()

    # The link is shown once, on the page the turning on answers with.
    sweep.button("Turn on your calendar feed").click()
    expect(page).to_have_url(re.compile(f"{reverse('notifications:calendar_on')}$"))
    link = page.get_by_label("Link to add to your calendar app")
    expect(link).to_have_value(re.compile(r"/calendar/[A-Za-z0-9_-]{43}\.ics$"))
    token = link.input_value().rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=person).token_hash == hash_token(token)
    sweep.check()

    sweep.visit(calendar)
    expect(page.locator("main")).to_contain_text("Its link was made on")
    expect(page.get_by_label("Link to add to your calendar app")).to_have_count(0)
    sweep.check()

    sweep.button("Make a new link").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The old link")
    sweep.check()

    page.locator("main").get_by_role("link", name="Turn off your calendar feed").click()
    expect(page).to_have_url(re.compile(f"{reverse('notifications:calendar_off')}$"))
    sweep.check()
    sweep.button("Turn off").click()
    expect(page).to_have_url(re.compile(f"{calendar}$"))
    expect(page.locator("main")).to_contain_text("Your calendar feed is off.")
    sweep.check()
    assert not CalendarFeed.objects.filter(user=person).exists()

    sweep.finish()
