import rules
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from engage.core.pagination import paginate

from .forms import AccessLogFilterForm
from .models import AccessLog


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """The access log: everything for administrators and the APCC secretariat, else your own."""
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
            "page_obj": paginate(request, entries),
            "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Activity"), None)],
        },
    )
