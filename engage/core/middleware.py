"""Response headers every page carries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

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
        if (user is not None and user.is_authenticated) or request.path.startswith(
            PRIVATE_PREFIXES
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response
