"""The person's notifications: the list, opening one (marks it read and goes to the item),
marking all read, and their email choices. Each person sees only their own; another's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.core.pagination import paginate
from engage.core.types import AuthedRequest

from . import selectors, services
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
