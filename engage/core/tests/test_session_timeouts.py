"""A signed-in session ends after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE
after sign-in however active the person was.

Time is moved by moving the times stored in the session, as a clock would have moved them;
nothing of ours is mocked.
"""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from engage.conftest import PASSWORD, TOTP_SECRET
from engage.core.middleware import LAST_SEEN, SIGNED_IN_AT

PAGE = "/directory/"


def _code(step_offset: int = 0) -> str:
    step = int(timezone.now().timestamp()) // 30 + step_offset
    return format_hotp_value(hotp_value(TOTP_SECRET, step))


def _move_back(client, key: str, seconds: float) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


def _sign_in(client, email: str, code: str, next_page: str = "") -> str:
    data = {"login": email, "password": PASSWORD}
    if next_page:
        data["next"] = next_page
    assert client.post(reverse("account_login"), data).url == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code}).url


@pytest.fixture
def page() -> str:
    return reverse("directory:bodies")


def test_after_the_idle_timeout_the_person_is_told_and_returned_where_they_were(
    personas, client, page, settings
):
    _sign_in(client, personas.gwent_staff.email, _code())
    assert client.get(page).status_code == 200

    _move_back(client, LAST_SEEN, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(f"{page}?sort=name")

    assert response.status_code == 302
    sign_in = urlparse(response.url)
    assert sign_in.path == reverse("account_login")
    assert parse_qs(sign_in.query)["next"] == [f"{page}?sort=name"]
    shown = client.get(response.url)
    assert shown.status_code == 200
    assert "You were signed out after 30 minutes without activity." in shown.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(page).status_code == 302  # signed out for real, not just redirected

    # Signing in again (with a fresh code) returns them to the page they asked for.
    assert _sign_in(client, personas.gwent_staff.email, _code(+1), f"{page}?sort=name") == (
        f"{page}?sort=name"
    )


def test_activity_within_the_idle_timeout_keeps_the_person_signed_in(
    personas, client_for, page, settings
):
    client = client_for(personas.gwent_staff)
    client.get(page)
    _move_back(client, LAST_SEEN, settings.SESSION_IDLE_TIMEOUT - 60)
    before = client.session[LAST_SEEN]

    assert client.get(page).status_code == 200
    # The request counts as activity: the idle clock starts again.
    assert client.session[LAST_SEEN] > before + settings.SESSION_IDLE_TIMEOUT - 120


def test_the_idle_timeout_is_a_setting_and_the_message_says_how_long(
    personas, client_for, page, settings
):
    settings.SESSION_IDLE_TIMEOUT = 10 * 60
    client = client_for(personas.gwent_staff)
    client.get(page)
    _move_back(client, LAST_SEEN, 10 * 60 + 1)

    response = client.get(page, follow=True)

    assert "You were signed out after 10 minutes without activity." in response.content.decode()


def test_the_absolute_lifetime_counts_from_sign_in_and_activity_does_not_extend_it(
    personas, client_for, page, settings
):
    client = client_for(personas.gwent_staff)
    client.get(page)
    _move_back(client, SIGNED_IN_AT, settings.SESSION_COOKIE_AGE - 120)
    signed_in_at = client.session[SIGNED_IN_AT]

    # Busy all along: every request well within the idle timeout.
    for _ in range(3):
        assert client.get(page).status_code == 200
    assert client.session[SIGNED_IN_AT] == signed_in_at

    _move_back(client, SIGNED_IN_AT, 121)
    response = client.get(page)

    assert response.status_code == 302
    assert urlparse(response.url).path == reverse("account_login")
    shown = client.get(response.url).content.decode()
    assert "You were signed out because you signed in 8 hours ago." in shown
    assert client.get(page).status_code == 302


def _next_after_idle_post(client, settings, **headers) -> str:
    client.get(reverse("core:home"))
    _move_back(client, LAST_SEEN, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.post(reverse("accounts:switch_organisation"), {"x": "1"}, **headers)
    assert response.status_code == 302
    assert urlparse(response.url).path == reverse("account_login")
    assert "_auth_user_id" not in client.session
    return parse_qs(urlparse(response.url).query)["next"][0]


def test_a_form_posted_after_the_idle_timeout_is_refused_and_returns_to_the_form_page(
    personas, client_for, settings
):
    # The form's page, as the browser reports it; the post itself is not replayed.
    on_our_site = _next_after_idle_post(
        client_for(personas.gwent_staff), settings, HTTP_REFERER="http://testserver/directory/?q=k"
    )
    assert on_our_site == "/directory/?q=k"
    # A page elsewhere is never a destination; without one, the address posted to.
    elsewhere = _next_after_idle_post(
        client_for(personas.gwent_staff), settings, HTTP_REFERER="https://evil.example.org/x"
    )
    assert elsewhere == reverse("accounts:switch_organisation")
