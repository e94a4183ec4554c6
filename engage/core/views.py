import hmac
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .addresses import NOTIFY_STATUSES, notify_receipt_record

# The largest delivery receipt read: Notify's are a few hundred bytes.
NOTIFY_RECEIPT_MAX_BYTES = 10 * 1024

# Pages anyone may open without signing in. The URL sweep test holds this list to account.
PUBLIC_URL_NAMES = frozenset(
    {
        "core:healthz",
        "core:accessibility",
        "core:privacy",
        "core:cookies",
    }
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None) or None  # lazy: empty for a member of none
    areas = []
    if membership is not None and membership.organisation.kind == "voluntary":
        # The areas a voluntary organisation serves, each linking to its brief: one query.
        areas = list(
            membership.organisation.areas_served.select_related("organisation").order_by(
                "organisation__name"
            )
        )
    return render(request, "core/home.html", {"areas": areas})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


def too_many_requests(request: HttpRequest, exception=None) -> HttpResponse:
    """allauth's rate limits (sign-in, password reset) answer with this page."""
    return render(request, "429.html", status=429)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def _bearer_token_matches(request: HttpRequest, token: str) -> bool:
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme == "Bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


def _receipt(body: bytes) -> tuple[str, str, str | None] | None:
    """(to, status, reference) from a receipt's JSON, or None if it is not one."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser
        return None
    if not isinstance(data, dict):
        return None
    to, status, reference = data.get("to"), data.get("status"), data.get("reference")
    # A NUL is in no address or reference, and PostgreSQL refuses it in a query (a 500).
    if any(isinstance(value, str) and "\x00" in value for value in (to, status, reference)):
        return None
    if not isinstance(to, str) or not to.strip() or len(to) > 320:
        return None
    if not isinstance(status, str) or status not in NOTIFY_STATUSES:
        return None
    if reference is not None and (not isinstance(reference, str) or len(reference) > 100):
        return None
    return to.strip(), status, reference


@csrf_exempt  # a machine posts it, with a bearer token instead of a session
@require_POST
@never_cache
def notify_delivery_status(request: HttpRequest) -> HttpResponse:
    """GOV.UK Notify's delivery receipt for an email sent through it. A permanent failure
    records the address as undeliverable (addresses.notify_receipt_record). Without a
    configured token there is nothing here (404); a wrong token is refused (401); a body too
    large (413) or not a receipt (400) changes nothing."""
    token = settings.NOTIFY_CALLBACK_TOKEN
    if not token:
        raise Http404
    if not _bearer_token_matches(request, token):
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > NOTIFY_RECEIPT_MAX_BYTES:
        return HttpResponse(status=413)
    body = request.read(NOTIFY_RECEIPT_MAX_BYTES + 1)
    if len(body) > NOTIFY_RECEIPT_MAX_BYTES:
        return HttpResponse(status=413)
    receipt = _receipt(body)
    if receipt is None:
        return HttpResponse(status=400)
    to, status, reference = receipt
    notify_receipt_record(address=to, status=status, reference=reference)
    return HttpResponse(status=204)
