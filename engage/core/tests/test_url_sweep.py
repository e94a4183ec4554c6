"""Walk every URL the service answers and prove an anonymous visitor is refused or sent to sign
in, except on the pages named public here."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from engage.core.middleware import PERMISSIONS_POLICY
from engage.core.views import PUBLIC_URL_NAMES

# allauth's pages a signed-out person needs: signing in, resetting a password, and the
# closed sign-up page that says so. Our own public flows: accepting an invitation and a
# voluntary organisation asking for an account.
PUBLIC = PUBLIC_URL_NAMES | {
    "account_login",
    "account_signup",
    "account_logout",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login_code_confirm",
    "account_reset_password_code",
    "accounts:invitation_accept",
    "accounts:request_new",
    # A calendar app fetches a person's feed without signing in: the secret link stands for
    # the person (engage/notifications/tests/test_calendar.py), so a made-up one is a 404.
    "calendar:feed",
}

SAMPLE = {"uuid": str(uuid.uuid4()), "int": "1", "slug": "gwent", "str": "x", "path": "x"}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                f"{namespace}{ns}:" if ns else namespace,
            )
        elif isinstance(pattern, URLPattern):
            yield (
                prefix + str(pattern.pattern),
                (f"{namespace}{pattern.name}" if pattern.name else None),
                pattern,
            )


def _concrete(route: str) -> str:
    import re

    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + path


ROUTES = [
    (route, name)
    for route, name, _ in _walk(get_resolver().url_patterns)
    if not route.startswith("django-admin/")
]


def test_the_sweep_sees_the_whole_service():
    names = {name for _, name in ROUTES}
    for expected in (
        "core:home",
        "directory:bodies",
        "directory:map",
        "audit:log",
        "accounts:organisations",
        "responses:respond",
        "responses:detail",
        "responses:submit",
        "responses:version",
        "responses:engagement_responses",
        "responses:engagement_responses_export",
        "responses:delegations",
        "responses:delegation_withdraw",
    ):
        assert expected in names


def _assert_private(response, path: str) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, (path, response.get("Cache-Control"))


@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[r for r, _ in ROUTES])
def test_anonymous_visitor_is_refused_or_sent_to_sign_in(client, db, route, name):
    path = _concrete(route)
    response = client.get(path)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY, path
    if path.startswith("/accounts/"):  # signing in, codes, resets, invitations, requests
        _assert_private(response, path)
    if name in PUBLIC:
        assert response.status_code in (200, 302, 404, 405)
        return
    assert response.status_code in (302, 403, 404, 405), (route, response.status_code)
    if response.status_code == 302:
        assert response.url.startswith(reverse("account_login")), (route, response.url)


def test_django_admin_refuses_anonymous(client, db):
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert "login" in response.url


def test_every_page_served_to_a_signed_in_person_is_private_and_carries_the_policy(
    personas, client_for
):
    # Each persona reaches different pages; the secretariat and the site administrator
    # between them reach most. Refusals (403, 404) are pages served to them too.
    for persona in (personas.secretariat, personas.admin):
        client = client_for(persona)
        for route, _name in ROUTES:
            path = _concrete(route)
            response = client.get(path)
            assert response["Permissions-Policy"] == PERMISSIONS_POLICY, path
            _assert_private(response, path)
        assert "_auth_user_id" in client.session  # still signed in: every page was checked


def test_the_policy_refuses_the_features_the_service_never_uses():
    features = dict(item.strip().split("=") for item in PERMISSIONS_POLICY.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert features[feature] == "()"


def test_static_files_carry_the_policy_and_keep_their_own_caching(personas, client_for):
    response = client_for(personas.secretariat).get("/static/engage/js/init.js")
    assert response.status_code == 200
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "no-store" not in response.get("Cache-Control", "")
