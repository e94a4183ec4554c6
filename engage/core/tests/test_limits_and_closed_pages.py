"""allauth's own rate limits answer with the service's page, and the email-management page
allauth would offer is closed."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _per_minute_sign_in_posts() -> int:
    # allauth counts every sign-in post per address ("login"), besides failures.
    from allauth.account import app_settings

    rate = app_settings.RATE_LIMITS["login"]
    assert rate.endswith("/m/ip"), rate
    return int(rate.split("/")[0])


def test_too_many_sign_in_posts_get_the_services_page_not_allauths():
    client = Client()
    for _ in range(_per_minute_sign_in_posts()):
        response = client.post(
            reverse("account_login"),
            {"login": "someone@example.org", "password": "wrong"},
            REMOTE_ADDR="198.51.100.9",
        )
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"),
        {"login": "someone@example.org", "password": "wrong"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in page
    assert settings.SUPPORT_EMAIL in page
    assert "Too Many Requests" not in page


def test_email_management_is_not_offered(client_for, personas):
    client = client_for(personas.gwent_staff)
    response = client.get("/accounts/email/")
    assert response.status_code == 404
    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "someone.else@example.org"}
    )
    assert response.status_code == 404
    assert not personas.gwent_staff.emailaddress_set.filter(
        email="someone.else@example.org"
    ).exists()
