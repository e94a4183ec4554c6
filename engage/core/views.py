from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
