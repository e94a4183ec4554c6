"""Response headers every page carries, and the two limits on a signed-in session."""

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engage.core.access import is_signed_in

# Browser features the service never uses, refused to its pages and anything they embed.
# Only names Chromium recognises (checked): it warns in the console of any other.
# Passkeys (publickey-credentials-*) keep their default, so WebAuthn can join MFA unchanged.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# Signing in, authenticator codes, password resets, invitations: never kept by a browser or
# proxy, even before anyone is signed in.
PRIVATE_PREFIXES = ("/accounts/",)

SIGNED_IN_AT = "engage_signed_in_at"
LAST_SEEN = "engage_last_seen"
# Activity is written to the session at most once a minute, not on every request.
LAST_SEEN_RESOLUTION = 60


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store, private` on every
    page served to a signed-in person and on the sign-in pages, so nothing personal stays in
    a shared computer's cache or a proxy. Placed before WhiteNoise, so static files carry the
    policy too (but keep their own caching: no user is known for them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if is_signed_in(user) or request.path.startswith(PRIVATE_PREFIXES):
            patch_cache_control(response, no_store=True, private=True)
        return response


class SessionTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_TIMEOUT seconds without a request, and
    SESSION_COOKIE_AGE seconds after they signed in however active they were.

    Django's own expiry slides with every save of the session (and allauth makes the cookie
    last until the browser closes), so both limits are kept here, from two times stored in the
    session at sign-in (start_session_clocks). The person lands on the sign-in page, told why,
    with `next` set to the page they asked for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_signed_in(request.user):
            now = time.time()
            session = request.session
            # A session from before these times were kept starts its clocks now.
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            if now - signed_in_at > settings.SESSION_COOKIE_AGE:
                return self._sign_out(request, _absolute_message())
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                return self._sign_out(request, _idle_message())
            if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        return redirect_to_login(_where_they_were(request))


def _where_they_were(request: HttpRequest) -> str:
    """The page asked for; for a form posted after the timeout (which is not replayed), the
    page the form was on, when the browser says so and it is ours."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path


def start_session_clocks(sender, request, user, **kwargs) -> None:
    """Receiver of user_logged_in (connected in CoreConfig.ready): every sign-in, whichever
    way it happens, starts both clocks, in the same save of the session as the sign-in."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


def _minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))


def _idle_message() -> str:
    minutes = _minutes(settings.SESSION_IDLE_TIMEOUT)
    return ngettext(
        "You were signed out after %(minutes)d minute without activity. Sign in again to "
        "carry on where you were.",
        "You were signed out after %(minutes)d minutes without activity. Sign in again to "
        "carry on where you were.",
        minutes,
    ) % {"minutes": minutes}


def _absolute_message() -> str:
    hours = settings.SESSION_COOKIE_AGE / 3600
    if hours == int(hours):
        length = ngettext("%(count)d hour", "%(count)d hours", int(hours)) % {"count": hours}
    else:
        minutes = _minutes(settings.SESSION_COOKIE_AGE)
        length = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return _(
        "You were signed out because you signed in %(length)s ago. Sign in again to carry on "
        "where you were."
    ) % {"length": length}
