import rules
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.core.access import is_signed_in
from engage.core.pagination import paginate_uncounted

from .forms import AccessLogFilterForm
from .models import AccessAction, AccessLog
from .services import access_record_request


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """The access log: everything for administrators and the APCC secretariat, else your own;
    for everyone, entries about a screened-out policy only if in its organisation. Filters and
    the count apply to `visible_to`, so neither tells of an entry the reader may not see."""
    sees_all = rules.has_perm("audit.view_all_access", request.user)
    form = AccessLogFilterForm(request.GET or None)
    entries = AccessLog.objects.visible_to(request.user).select_related("user", "organisation")
    if form.is_valid():
        if action := form.cleaned_data["action"]:
            entries = entries.filter(action=action)
        if sees_all and (person := form.cleaned_data["person"]):
            entries = entries.filter(user__email__icontains=person)
    return render(
        request,
        "audit/access_log.html",
        {
            "form": form,
            "sees_all": sees_all,
            "page_obj": paginate_uncounted(request, entries),
            "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Activity"), None)],
        },
    )


# The error pages that record the refusal they answer (config/urls.py names them); here, not
# in core, because core imports no app above it.


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    # Every refusal is recorded, so the APCC and administrators can see attempts.
    access_record_request(request, action=AccessAction.REFUSED, object_type="page")
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    # A record someone may not see answers 404 like a missing one, so that its existence is
    # not given away; for the record, a signed-in person's 404 is logged as a refusal.
    if is_signed_in(getattr(request, "user", None)):
        access_record_request(
            request, action=AccessAction.REFUSED, object_type="page", detail="not found"
        )
    return render(request, "404.html", status=404)


def email_management_closed(request: HttpRequest) -> HttpResponse:
    """allauth's page for adding and choosing email addresses is not offered: with no email
    verification, a person could make an unconfirmed address the one they sign in with.
    Administrators change a person's email address; it answers as a page that does not exist."""
    return page_not_found(request)
