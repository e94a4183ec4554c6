"""The person's notifications: the list, opening one (marks it read and goes to the item),
marking all read, and their email choices. Each person sees only their own; another's is a 404.
And their calendar feed: the page that turns it on, gives it a new link or turns it off, and the
feed itself, which a calendar app fetches without signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from engage.core.links import absolute
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest

from . import calendar, selectors, services
from .forms import PreferencesForm
from .preferences import preferences_of, preferences_save


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    page_obj = paginate(request, selectors.notifications_of(request.user))
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page_obj,
            "unread": request.user.unread_notifications,
            "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Notifications"), None)],
        },
    )


@login_required
@require_POST
def notification_open(request: AuthedRequest, public_id) -> HttpResponse:
    notification = selectors.get_notification_for_user(request.user, public_id)
    services.notification_open(notification)
    link = notification.event.link
    # Links are paths the service recorded; anything else goes back to the list.
    if not link.startswith("/") or not url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications:list")
    return HttpResponseRedirect(link)


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    marked = services.notifications_read_all(request.user)
    if marked:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthedRequest) -> HttpResponse:
    """How the person is emailed of each kind of event, and when their daily summary comes.
    Bad input changes nothing and says what to fix."""
    choices, send_at = preferences_of(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences_save(request.user, form.choices(), form.cleaned_data["send_at"])
            messages.success(request, _("Your email choices are saved."))
            return redirect("notifications:settings")
    else:
        form = PreferencesForm(initial={**choices, "send_at": send_at.strftime("%H:%M")})
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "breadcrumbs": [
                (_("Home"), reverse("core:home")),
                (_("Notifications"), reverse("notifications:list")),
                (_("Email choices"), None),
            ],
        },
    )


# The calendar feed ------------------------------------------------------------------------


def _calendar_crumbs(*last: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Notifications"), reverse("notifications:list")),
        *last,
    ]


def _calendar_page(request: AuthedRequest, feed, token: str = "") -> HttpResponse:
    """The feed's page; with `token`, the link just made, shown this once. Only its hash is
    kept, so the link is rendered from the POST that made it, never stored for a later page
    (a session would keep it in the database)."""
    # On the service's public address, as in emails: the link is used outside this request.
    link = absolute(reverse("calendar:feed", args=[token])) if token else ""
    return render(
        request,
        "notifications/calendar.html",
        {
            "feed": feed,
            "link": link,
            "days_before": calendar.DAYS_BEFORE,
            "breadcrumbs": _calendar_crumbs((_("Calendar feed"), None)),
        },
    )


@login_required
@require_GET
def calendar_settings(request: AuthedRequest) -> HttpResponse:
    return _calendar_page(request, selectors.calendar_feed_of(request.user))


@login_required
@require_POST
def calendar_turn_on(request: AuthedRequest) -> HttpResponse:
    feed, token = services.calendar_feed_turn_on(request.user)
    if token is None:  # already on, say from a second click: its link cannot be shown again
        messages.info(
            request,
            _("Your calendar feed is already on. If you do not have its link, make a new one."),
        )
        return redirect("notifications:calendar")
    messages.success(request, _("Your calendar feed is on. Add its link to your calendar."))
    return _calendar_page(request, feed, token)


@login_required
@require_POST
def calendar_renew(request: AuthedRequest) -> HttpResponse:
    feed, token = services.calendar_feed_renew(request.user)
    messages.success(
        request,
        _("Your calendar feed has a new link. The old link no longer works: add the new one."),
    )
    return _calendar_page(request, feed, token)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_turn_off(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        if services.calendar_feed_turn_off(request.user):
            messages.success(request, _("Your calendar feed is off. Its link no longer works."))
        return redirect("notifications:calendar")
    if selectors.calendar_feed_of(request.user) is None:
        return redirect("notifications:calendar")
    return render(
        request,
        "notifications/calendar_off.html",
        {
            "breadcrumbs": _calendar_crumbs(
                (_("Calendar feed"), reverse("notifications:calendar")),
                (_("Turn off"), None),
            )
        },
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed, for calendar apps, which cannot sign in: the secret link stands for the
    person. 404 for a link unknown, replaced or turned off, or a closed account."""
    feed = selectors.get_calendar_feed_by_token(token)
    start, end = calendar.feed_window()
    entries = calendar.entries_for(feed.user, start=start, end=end)
    services.calendar_feed_fetched(feed)
    response = HttpResponse(calendar.ics(entries), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Disposition"] = 'inline; filename="engage.ics"'
    return response
