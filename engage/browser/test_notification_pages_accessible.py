"""axe-core on the notifications pages (issue 11): the list empty and with notifications, and
the email choices, saved and with validation errors. As in test_every_page_accessible, the
browser carries a session made by Django's test client."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from engage.browser.helpers import Sweep
from engage.engagements.tests.conftest import moj, open_engagement, policy, victims
from engage.notifications.models import Notification

__all__ = ["moj", "policy", "victims"]  # fixtures, for pytest

pytestmark = pytest.mark.browser


def test_notification_pages(sweep: Sweep, personas, policy, victims) -> None:
    open_engagement(personas, policy, groups=[victims])  # tells Gwent's members
    sweep.sign_in(personas.outsider)
    sweep.visit(reverse("notifications:list"))  # empty
    sweep.check()

    sweep.sign_in(personas.gwent_staff)
    assert Notification.objects.filter(user=personas.gwent_staff).exists()
    sweep.visit(reverse("notifications:list"))
    sweep.check()

    sweep.visit(reverse("notifications:settings"))
    sweep.check()
    sweep.page.locator("#id_send_at").select_option("17:00")
    with sweep.page.expect_navigation():
        sweep.button("Save your choices").click()
    expect(sweep.page.locator(".govuk-notification-banner")).to_contain_text("saved")
    sweep.check()

    sweep.uncheck_radios()
    sweep.submit_with_errors("Save your choices", mentioning="Choose how you are emailed about")
    sweep.finish()
