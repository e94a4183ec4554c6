from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from engage.core.access import is_signed_in

from .selectors import active_memberships, user_has_totp
from .viewer import Viewer, attach_to_request

SESSION_KEY = "engage_organisation"


def _current(request):
    memberships = request.memberships
    wanted = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.organisation.public_id) == wanted:
            return membership
    # Until they choose, a person acts for the organisation they joined first.
    return min(memberships, key=lambda m: (m.created_at, m.pk)) if memberships else None


class ActiveOrganisationMiddleware:
    """Sets request.memberships, request.membership (the organisation acted for now) and
    request.viewer (the person's access facts, `engage.accounts.viewer`), each on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = SimpleLazyObject(lambda: active_memberships(request.user))
        request.membership = SimpleLazyObject(lambda: _current(request))
        attach_to_request(request)
        request.viewer = SimpleLazyObject(request.viewer_factory)
        return self.get_response(request)


# Paths open to a signed-in person who has not yet set up MFA: allauth's account and MFA
# pages (to set it up or sign out), the static pages, and the health check.
MFA_EXEMPT_PREFIXES = (
    "/accounts/",
    "/static/",
    "/healthz",
    "/accessibility",
    "/privacy",
    "/cookies",
)


class RequireMFAMiddleware:
    """Nobody in a protocol organisation sees protocol pages until they have set up TOTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # Checked on every request rather than remembered in the session, so that a new
        # membership or a removed authenticator takes effect at once. Once TOTP is set up,
        # allauth asks for a code at every sign-in.
        if (
            is_signed_in(user)
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and Viewer.of(user).requires_mfa
            and not user_has_totp(user)
        ):
            return redirect(f"{reverse('accounts:mfa_required')}?next={request.path}")
        return self.get_response(request)
